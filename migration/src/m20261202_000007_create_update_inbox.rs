//! The inbox of Telegram updates: each one stored before Telegram is told it arrived, and marked once
//! handled, so a crash loses none. An instance claims an update with a lease before handling it, and only
//! the oldest unhandled update of a chat can be claimed, so several instances keep each chat in order.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UpdateInbox::Table)
                    .col(big_integer(UpdateInbox::UpdateId).primary_key())
                    .col(text(UpdateInbox::Payload))
                    .col(timestamp_with_time_zone(UpdateInbox::ReceivedAt))
                    .col(timestamp_with_time_zone_null(UpdateInbox::HandledAt))
                    .col(big_integer_null(UpdateInbox::ChatKey))
                    .col(string_null(UpdateInbox::ClaimedBy))
                    .col(timestamp_with_time_zone_null(UpdateInbox::ClaimedAt))
                    .col(timestamp_with_time_zone_null(UpdateInbox::ClaimedUntil))
                    .col(integer(UpdateInbox::Claims).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("update_inbox_unhandled")
                    .table(UpdateInbox::Table)
                    .col(UpdateInbox::HandledAt)
                    .col(UpdateInbox::ChatKey)
                    .col(UpdateInbox::UpdateId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UpdateInbox::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum UpdateInbox {
    Table,
    UpdateId,
    Payload,
    ReceivedAt,
    HandledAt,
    ChatKey,
    ClaimedBy,
    ClaimedAt,
    ClaimedUntil,
    Claims,
}
