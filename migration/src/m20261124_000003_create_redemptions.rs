//! Redemption: subscriptions, the invite links they get, failed attempts, per-cycle usage counters,
//! usage records for Stripe, and the chat a plan unlocks.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Plans::Table).add_column(big_integer_null(Plans::LinkedChatId)).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Subscriptions::Table)
                    .col(pk_uuid(Subscriptions::Id))
                    .col(uuid(Subscriptions::TeamId))
                    .col(uuid(Subscriptions::PlanId))
                    .col(big_integer(Subscriptions::SubscriberId))
                    .col(string(Subscriptions::SubscriberName))
                    .col(timestamp_with_time_zone(Subscriptions::StartsAt))
                    .col(timestamp_with_time_zone_null(Subscriptions::EndsAt))
                    .col(timestamp_with_time_zone(Subscriptions::CreatedAt))
                    .col(timestamp_with_time_zone(Subscriptions::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("subscriptions_plan_subscriber")
                    .table(Subscriptions::Table)
                    .col(Subscriptions::PlanId)
                    .col(Subscriptions::SubscriberId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ChatInvites::Table)
                    .col(pk_uuid(ChatInvites::Id))
                    .col(uuid(ChatInvites::SubscriptionId))
                    .col(big_integer(ChatInvites::ChatId))
                    .col(string_uniq(ChatInvites::InviteLink))
                    .col(timestamp_with_time_zone(ChatInvites::ExpiresAt))
                    .col(timestamp_with_time_zone(ChatInvites::CreatedAt))
                    .col(big_integer_null(ChatInvites::JoinedBy))
                    .col(timestamp_with_time_zone_null(ChatInvites::RevokedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RedeemAttempts::Table)
                    .col(pk_uuid(RedeemAttempts::Id))
                    .col(big_integer(RedeemAttempts::TelegramUserId))
                    .col(timestamp_with_time_zone(RedeemAttempts::AttemptedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("redeem_attempts_user_time")
                    .table(RedeemAttempts::Table)
                    .col(RedeemAttempts::TelegramUserId)
                    .col(RedeemAttempts::AttemptedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CycleUsage::Table)
                    .col(uuid(CycleUsage::TeamId))
                    .col(timestamp_with_time_zone(CycleUsage::CycleStart))
                    .col(integer(CycleUsage::Redemptions))
                    .primary_key(Index::create().col(CycleUsage::TeamId).col(CycleUsage::CycleStart))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UsageRecords::Table)
                    .col(pk_uuid(UsageRecords::Id))
                    .col(uuid(UsageRecords::TeamId))
                    .col(uuid_uniq(UsageRecords::AccessCodeId))
                    .col(timestamp_with_time_zone(UsageRecords::RedeemedAt))
                    .col(string(UsageRecords::Status))
                    .col(integer(UsageRecords::Attempts))
                    .col(timestamp_with_time_zone(UsageRecords::NextAttemptAt))
                    .col(string_null(UsageRecords::LockedBy))
                    .col(timestamp_with_time_zone_null(UsageRecords::LockedUntil))
                    .col(text_null(UsageRecords::LastError))
                    .col(timestamp_with_time_zone_null(UsageRecords::ReportedAt))
                    .col(timestamp_with_time_zone(UsageRecords::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("usage_records_status_next")
                    .table(UsageRecords::Table)
                    .col(UsageRecords::Status)
                    .col(UsageRecords::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("access_codes_status_expires")
                    .table(AccessCodes::Table)
                    .col(AccessCodes::Status)
                    .col(AccessCodes::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("access_codes_status_expires").table(AccessCodes::Table).to_owned())
            .await?;
        for table in [
            UsageRecords::Table.into_iden(),
            CycleUsage::Table.into_iden(),
            RedeemAttempts::Table.into_iden(),
            ChatInvites::Table.into_iden(),
            Subscriptions::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(Plans::Table).drop_column(Plans::LinkedChatId).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Plans {
    Table,
    LinkedChatId,
}

#[derive(DeriveIden)]
enum AccessCodes {
    Table,
    Status,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    Id,
    TeamId,
    PlanId,
    SubscriberId,
    SubscriberName,
    StartsAt,
    EndsAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ChatInvites {
    Table,
    Id,
    SubscriptionId,
    ChatId,
    InviteLink,
    ExpiresAt,
    CreatedAt,
    JoinedBy,
    RevokedAt,
}

#[derive(DeriveIden)]
enum RedeemAttempts {
    Table,
    Id,
    TelegramUserId,
    AttemptedAt,
}

#[derive(DeriveIden)]
enum CycleUsage {
    Table,
    TeamId,
    CycleStart,
    Redemptions,
}

#[derive(DeriveIden)]
enum UsageRecords {
    Table,
    Id,
    TeamId,
    AccessCodeId,
    RedeemedAt,
    Status,
    Attempts,
    NextAttemptAt,
    LockedBy,
    LockedUntil,
    LastError,
    ReportedAt,
    CreatedAt,
}
