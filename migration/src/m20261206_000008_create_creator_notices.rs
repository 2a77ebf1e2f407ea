//! What creators are told (a code redeemed, a removal waiting for a right, a paused webhook…), written in the
//! transaction of what caused it and sent by a background notifier, so an answer never waits for a notice and
//! a crash loses none. Each creator picks how redemptions are told: each, a daily summary, or not at all.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CreatorNotices::Table)
                    .col(pk_uuid(CreatorNotices::Id))
                    .col(uuid(CreatorNotices::CreatorId))
                    .col(big_integer(CreatorNotices::ChatId))
                    .col(string(CreatorNotices::Kind))
                    .col(text(CreatorNotices::Data))
                    .col(timestamp_with_time_zone(CreatorNotices::CreatedAt))
                    .col(timestamp_with_time_zone(CreatorNotices::NotBefore))
                    .col(timestamp_with_time_zone_null(CreatorNotices::SentAt))
                    .col(string_null(CreatorNotices::LockedBy))
                    .col(timestamp_with_time_zone_null(CreatorNotices::LockedUntil))
                    .col(integer(CreatorNotices::Attempts).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CreatorNotices::Table, CreatorNotices::CreatorId)
                            .to(Creators::Table, Creators::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The notices still to send, and the newest sent in each chat, are found by these without a scan.
        manager
            .create_index(
                Index::create()
                    .name("creator_notices_unsent")
                    .table(CreatorNotices::Table)
                    .col(CreatorNotices::SentAt)
                    .col(CreatorNotices::NotBefore)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("creator_notices_chat")
                    .table(CreatorNotices::Table)
                    .col(CreatorNotices::ChatId)
                    .col(CreatorNotices::SentAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Creators::Table)
                    .add_column(string(Creators::NotifyRedemptions).default("each"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Creators::Table).drop_column(Creators::NotifyRedemptions).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(CreatorNotices::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum CreatorNotices {
    Table,
    Id,
    CreatorId,
    ChatId,
    Kind,
    Data,
    CreatedAt,
    NotBefore,
    SentAt,
    LockedBy,
    LockedUntil,
    Attempts,
}

#[derive(DeriveIden)]
enum Creators {
    Table,
    Id,
    NotifyRedemptions,
}
