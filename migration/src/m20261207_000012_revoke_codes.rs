//! Codes a creator takes back: `revoked_at` says when. A revoked code is never redeemed, delivered or
//! expired afterwards; its status says `revoked`.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::timestamp_with_time_zone_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AccessCodes {
    Table,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AccessCodes::Table)
                    .add_column(timestamp_with_time_zone_null(AccessCodes::RevokedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(AccessCodes::Table).drop_column(AccessCodes::RevokedAt).to_owned())
            .await
    }
}
