//! Teams, creators, plans, generation jobs, access codes and the events outbox.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tiers::Table)
                    .col(string(Tiers::Id).primary_key())
                    .col(integer(Tiers::MonthlyAllotment))
                    .col(integer(Tiers::OveragePriceCents))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(Tiers::Table)
                    .columns([Tiers::Id, Tiers::MonthlyAllotment, Tiers::OveragePriceCents])
                    .values_panic(["free".into(), 5.into(), 3.into()])
                    .values_panic(["starter".into(), 200.into(), 3.into()])
                    .values_panic(["growth".into(), 500.into(), 3.into()])
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Teams::Table)
                    .col(pk_uuid(Teams::Id))
                    .col(string(Teams::Name))
                    .col(string(Teams::TierId))
                    .col(string_null(Teams::StripeCustomerId))
                    .col(timestamp_with_time_zone(Teams::BillingAnchorAt))
                    .col(timestamp_with_time_zone(Teams::CreatedAt))
                    .foreign_key(ForeignKey::create().from(Teams::Table, Teams::TierId).to(Tiers::Table, Tiers::Id))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Creators::Table)
                    .col(pk_uuid(Creators::Id))
                    .col(uuid(Creators::TeamId))
                    .col(big_integer_uniq(Creators::TelegramUserId))
                    .col(big_integer_null(Creators::LinkedChatId))
                    .col(string(Creators::DisplayName))
                    .col(string_null(Creators::LanguageCode))
                    .col(timestamp_with_time_zone(Creators::CreatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Creators::Table, Creators::TeamId).to(Teams::Table, Teams::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CreatorInvites::Table)
                    .col(pk_uuid(CreatorInvites::Id))
                    .col(string_uniq(CreatorInvites::TokenHash))
                    .col(timestamp_with_time_zone(CreatorInvites::ExpiresAt))
                    .col(timestamp_with_time_zone_null(CreatorInvites::UsedAt))
                    .col(uuid_null(CreatorInvites::UsedByCreatorId))
                    .col(timestamp_with_time_zone(CreatorInvites::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Plans::Table)
                    .col(pk_uuid(Plans::Id))
                    .col(uuid(Plans::TeamId))
                    .col(string(Plans::Name))
                    .col(string(Plans::NameKey))
                    .col(string(Plans::DurationUnit))
                    .col(integer(Plans::DurationAmount))
                    .col(string(Plans::Status))
                    .col(timestamp_with_time_zone(Plans::CreatedAt))
                    .foreign_key(ForeignKey::create().from(Plans::Table, Plans::TeamId).to(Teams::Table, Teams::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("plans_team_name_key")
                    .table(Plans::Table)
                    .col(Plans::TeamId)
                    .col(Plans::NameKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(GenerationDrafts::Table)
                    .col(pk_uuid(GenerationDrafts::Id))
                    .col(uuid(GenerationDrafts::CreatorId))
                    .col(uuid(GenerationDrafts::TeamId))
                    .col(uuid(GenerationDrafts::PlanId))
                    .col(integer(GenerationDrafts::Quantity))
                    .col(string(GenerationDrafts::ExportType))
                    .col(string(GenerationDrafts::ExpiryPreset))
                    .col(integer_null(GenerationDrafts::CustomExpiryAmount))
                    .col(string_null(GenerationDrafts::CustomExpiryType))
                    .col(string(GenerationDrafts::Status))
                    .col(uuid_null(GenerationDrafts::JobId))
                    .col(timestamp_with_time_zone(GenerationDrafts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GenerationDrafts::Table, GenerationDrafts::CreatorId)
                            .to(Creators::Table, Creators::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(GenerationJobs::Table)
                    .col(pk_uuid(GenerationJobs::Id))
                    .col(uuid(GenerationJobs::TeamId))
                    .col(uuid(GenerationJobs::CreatorId))
                    .col(uuid(GenerationJobs::PlanId))
                    .col(uuid_null(GenerationJobs::DraftId).unique_key())
                    .col(string(GenerationJobs::ToolName))
                    .col(integer(GenerationJobs::Quantity))
                    .col(string(GenerationJobs::ExportType))
                    .col(string(GenerationJobs::ExpiryPreset))
                    .col(integer_null(GenerationJobs::CustomExpiryAmount))
                    .col(string_null(GenerationJobs::CustomExpiryType))
                    .col(timestamp_with_time_zone_null(GenerationJobs::ExpiresAt))
                    .col(big_integer(GenerationJobs::DeliveryChatId))
                    .col(string(GenerationJobs::Status))
                    .col(integer(GenerationJobs::Attempts))
                    .col(timestamp_with_time_zone(GenerationJobs::RunAt))
                    .col(string_null(GenerationJobs::LockedBy))
                    .col(timestamp_with_time_zone_null(GenerationJobs::LockedAt))
                    .col(timestamp_with_time_zone_null(GenerationJobs::HeartbeatAt))
                    .col(uuid_null(GenerationJobs::BatchId))
                    .col(integer(GenerationJobs::DeliveredCount))
                    .col(integer_null(GenerationJobs::StatusMessageId))
                    .col(string_null(GenerationJobs::ErrorCode))
                    .col(text_null(GenerationJobs::ErrorMessage))
                    .col(timestamp_with_time_zone(GenerationJobs::EnqueuedAt))
                    .col(timestamp_with_time_zone_null(GenerationJobs::StartedAt))
                    .col(timestamp_with_time_zone_null(GenerationJobs::CompletedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GenerationJobs::Table, GenerationJobs::CreatorId)
                            .to(Creators::Table, Creators::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GenerationJobs::Table, GenerationJobs::PlanId)
                            .to(Plans::Table, Plans::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("generation_jobs_claimable")
                    .table(GenerationJobs::Table)
                    .col(GenerationJobs::Status)
                    .col(GenerationJobs::RunAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("generation_jobs_creator")
                    .table(GenerationJobs::Table)
                    .col(GenerationJobs::CreatorId)
                    .col(GenerationJobs::EnqueuedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccessCodeBatches::Table)
                    .col(pk_uuid(AccessCodeBatches::Id))
                    .col(uuid(AccessCodeBatches::TeamId))
                    .col(uuid(AccessCodeBatches::PlanId))
                    .col(uuid_uniq(AccessCodeBatches::JobId))
                    .col(integer(AccessCodeBatches::Count))
                    .col(timestamp_with_time_zone_null(AccessCodeBatches::ExpiresAt))
                    .col(timestamp_with_time_zone(AccessCodeBatches::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccessCodeBatches::Table, AccessCodeBatches::JobId)
                            .to(GenerationJobs::Table, GenerationJobs::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccessCodes::Table)
                    .col(pk_uuid(AccessCodes::Id))
                    .col(uuid(AccessCodes::TeamId))
                    .col(uuid(AccessCodes::PlanId))
                    .col(uuid(AccessCodes::BatchId))
                    .col(integer(AccessCodes::Position))
                    .col(string_uniq(AccessCodes::CodeHash))
                    .col(string(AccessCodes::CodeMasked))
                    .col(string_null(AccessCodes::SealedCode))
                    .col(string(AccessCodes::Status))
                    .col(timestamp_with_time_zone_null(AccessCodes::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AccessCodes::RedeemedAt))
                    .col(big_integer_null(AccessCodes::RedeemedBy))
                    .col(timestamp_with_time_zone(AccessCodes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccessCodes::Table, AccessCodes::BatchId)
                            .to(AccessCodeBatches::Table, AccessCodeBatches::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("access_codes_batch_position")
                    .table(AccessCodes::Table)
                    .col(AccessCodes::BatchId)
                    .col(AccessCodes::Position)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("access_codes_plan_status")
                    .table(AccessCodes::Table)
                    .col(AccessCodes::PlanId)
                    .col(AccessCodes::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("access_codes_team_redeemed_at")
                    .table(AccessCodes::Table)
                    .col(AccessCodes::TeamId)
                    .col(AccessCodes::RedeemedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(pk_uuid(Events::Id))
                    .col(uuid(Events::TeamId))
                    .col(string(Events::EventType))
                    .col(text(Events::Data))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone_null(Events::DeliveredAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Events::Table.into_iden(),
            AccessCodes::Table.into_iden(),
            AccessCodeBatches::Table.into_iden(),
            GenerationJobs::Table.into_iden(),
            GenerationDrafts::Table.into_iden(),
            Plans::Table.into_iden(),
            CreatorInvites::Table.into_iden(),
            Creators::Table.into_iden(),
            Teams::Table.into_iden(),
            Tiers::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Tiers {
    Table,
    Id,
    MonthlyAllotment,
    OveragePriceCents,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    Name,
    TierId,
    StripeCustomerId,
    BillingAnchorAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Creators {
    Table,
    Id,
    TeamId,
    TelegramUserId,
    LinkedChatId,
    DisplayName,
    LanguageCode,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CreatorInvites {
    Table,
    Id,
    TokenHash,
    ExpiresAt,
    UsedAt,
    UsedByCreatorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Plans {
    Table,
    Id,
    TeamId,
    Name,
    NameKey,
    DurationUnit,
    DurationAmount,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GenerationDrafts {
    Table,
    Id,
    CreatorId,
    TeamId,
    PlanId,
    Quantity,
    ExportType,
    ExpiryPreset,
    CustomExpiryAmount,
    CustomExpiryType,
    Status,
    JobId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GenerationJobs {
    Table,
    Id,
    TeamId,
    CreatorId,
    PlanId,
    DraftId,
    ToolName,
    Quantity,
    ExportType,
    ExpiryPreset,
    CustomExpiryAmount,
    CustomExpiryType,
    ExpiresAt,
    DeliveryChatId,
    Status,
    Attempts,
    RunAt,
    LockedBy,
    LockedAt,
    HeartbeatAt,
    BatchId,
    DeliveredCount,
    StatusMessageId,
    ErrorCode,
    ErrorMessage,
    EnqueuedAt,
    StartedAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum AccessCodeBatches {
    Table,
    Id,
    TeamId,
    PlanId,
    JobId,
    Count,
    ExpiresAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccessCodes {
    Table,
    Id,
    TeamId,
    PlanId,
    BatchId,
    Position,
    CodeHash,
    CodeMasked,
    SealedCode,
    Status,
    ExpiresAt,
    RedeemedAt,
    RedeemedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    TeamId,
    EventType,
    Data,
    CreatedAt,
    DeliveredAt,
}
