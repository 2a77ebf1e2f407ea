//! API tokens for agents, and the drafts the bot keeps while a creator picks a new token's abilities.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(pk_uuid(ApiTokens::Id))
                    .col(uuid(ApiTokens::TeamId))
                    .col(uuid(ApiTokens::CreatorId))
                    .col(string(ApiTokens::Name))
                    .col(string(ApiTokens::SecretHash))
                    .col(string(ApiTokens::Abilities))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::CreatorId)
                            .to(Creators::Table, Creators::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("api_tokens_creator")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::CreatorId)
                    .col(ApiTokens::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TokenDrafts::Table)
                    .col(pk_uuid(TokenDrafts::Id))
                    .col(uuid(TokenDrafts::CreatorId))
                    .col(string(TokenDrafts::Name))
                    .col(string(TokenDrafts::Abilities))
                    .col(string(TokenDrafts::Status))
                    .col(uuid_null(TokenDrafts::TokenId))
                    .col(timestamp_with_time_zone(TokenDrafts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TokenDrafts::Table, TokenDrafts::CreatorId)
                            .to(Creators::Table, Creators::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TokenDrafts::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ApiTokens::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    TeamId,
    CreatorId,
    Name,
    SecretHash,
    Abilities,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum TokenDrafts {
    Table,
    Id,
    CreatorId,
    Name,
    Abilities,
    Status,
    TokenId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Creators {
    Table,
    Id,
}
