//! Each use of a code becomes a row of `redemptions` (`rdm_…`): a code may now be redeemed up to
//! `max_redemptions` times, once per person, and a redemption can be rolled back. The row keeps what the use
//! did to the subscription (`change`, and `added_seconds`: how far it moved the end, null when without end) and
//! its overage usage record, so a rollback takes back exactly that. Codes count their uses in
//! `redemption_count`; the batch, its draft and its job carry the uses each code allows.
//!
//! Redemptions made before this migration are copied in with their code's id: they started their subscription
//! as far as anyone can tell now, so rolling one back ends it.
//!
//! A usage record belonged to a code, once (a unique `access_code_id`); it now belongs to a redemption, and a
//! multi-use code has several. SQLite cannot drop a column's unique constraint, so the table is rebuilt in both
//! engines without it, with `redemption_id` unique instead.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, integer, pk_uuid, string, string_null, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid, uuid_null, uuid_uniq,
};

use crate::indexes;

const INDEXES: &[indexes::Named] = &[
    ("redemptions_batch_newest", "redemptions", &["batch_id", "id"]),
    ("redemptions_plan_newest", "redemptions", &["plan_id", "id"]),
    ("redemptions_team_redeemed_at", "redemptions", &["team_id", "redeemed_at"]),
    ("redemptions_subscription", "redemptions", &["subscription_id"]),
    ("usage_records_status_next", "usage_records", &["status", "next_attempt_at"]),
    ("usage_records_team_redeemed_at", "usage_records", &["team_id", "redeemed_at"]),
];

const USAGE_COLUMNS: &str = "id, team_id, access_code_id, redeemed_at, status, attempts, next_attempt_at, \
    locked_by, locked_until, last_error, reported_at, created_at";

/// A person uses a code at most once: a second row for the same code and person can't be written, unless the
/// first was rolled back.
const ONCE_PER_PERSON: &str = "CREATE UNIQUE INDEX redemptions_once_per_person ON redemptions \
    (access_code_id, subscriber_id) WHERE rolled_back_at IS NULL";

const COPY_REDEMPTIONS: &str = "INSERT INTO redemptions \
    (id, team_id, plan_id, batch_id, access_code_id, subscription_id, subscriber_id, redeemed_at, change, \
     added_seconds, usage_record_id, rolled_back_at, created_at) \
    SELECT c.id, c.team_id, c.plan_id, c.batch_id, c.id, \
        (SELECT s.id FROM subscriptions s WHERE s.plan_id = c.plan_id AND s.subscriber_id = c.redeemed_by), \
        c.redeemed_by, c.redeemed_at, 'started', NULL, \
        (SELECT u.id FROM usage_records u WHERE u.access_code_id = c.id LIMIT 1), NULL, c.redeemed_at \
    FROM access_codes c WHERE c.redeemed_at IS NOT NULL AND c.redeemed_by IS NOT NULL";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Redemptions {
    Table,
    Id,
    TeamId,
    PlanId,
    BatchId,
    AccessCodeId,
    SubscriptionId,
    SubscriberId,
    RedeemedAt,
    Change,
    AddedSeconds,
    UsageRecordId,
    RolledBackAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccessCodes {
    Table,
    MaxRedemptions,
    RedemptionCount,
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
    RedemptionId,
}

#[derive(DeriveIden)]
enum RebuiltUsageRecords {
    Table,
}

/// `usage_records` as the table being built: owned by a redemption (`redemption_id`, unique), or by a code.
fn usage_records(redemption_owned: bool) -> TableCreateStatement {
    let mut table = Table::create();
    table
        .table(RebuiltUsageRecords::Table)
        .col(pk_uuid(UsageRecords::Id))
        .col(uuid(UsageRecords::TeamId))
        .col(if redemption_owned { uuid(UsageRecords::AccessCodeId) } else { uuid_uniq(UsageRecords::AccessCodeId) })
        .col(timestamp_with_time_zone(UsageRecords::RedeemedAt))
        .col(string(UsageRecords::Status))
        .col(integer(UsageRecords::Attempts))
        .col(timestamp_with_time_zone(UsageRecords::NextAttemptAt))
        .col(string_null(UsageRecords::LockedBy))
        .col(timestamp_with_time_zone_null(UsageRecords::LockedUntil))
        .col(text_null(UsageRecords::LastError))
        .col(timestamp_with_time_zone_null(UsageRecords::ReportedAt))
        .col(timestamp_with_time_zone(UsageRecords::CreatedAt));
    if redemption_owned {
        table.col(uuid_null(UsageRecords::RedemptionId).unique_key());
    }
    table.to_owned()
}

/// Replaces `usage_records` with the shape `create` makes, keeping its rows: `columns` of the new table are
/// filled from `from` of the old one. The old table's indexes go with it.
async fn rebuild_usage_records(
    manager: &SchemaManager<'_>,
    create: TableCreateStatement,
    columns: &str,
    from: &str,
) -> Result<(), DbErr> {
    // One script on one connection: SQLite's pool could otherwise run the rename where the drop is not yet seen.
    let create = manager.get_database_backend().build(&create).sql;
    let script = format!(
        "{create}; INSERT INTO rebuilt_usage_records ({columns}) SELECT {from} FROM usage_records; \
         DROP TABLE usage_records; ALTER TABLE rebuilt_usage_records RENAME TO usage_records"
    );
    manager.get_connection().execute_unprepared(&script).await?;
    Ok(())
}

#[derive(DeriveIden)]
enum GenerationDrafts {
    Table,
}

#[derive(DeriveIden)]
enum GenerationJobs {
    Table,
}

#[derive(DeriveIden)]
enum AccessCodeBatches {
    Table,
}

fn carrying_uses() -> [DynIden; 3] {
    [GenerationDrafts::Table.into_iden(), GenerationJobs::Table.into_iden(), AccessCodeBatches::Table.into_iden()]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Redemptions::Table)
                    .col(uuid(Redemptions::Id).primary_key())
                    .col(uuid(Redemptions::TeamId))
                    .col(uuid(Redemptions::PlanId))
                    .col(uuid(Redemptions::BatchId))
                    .col(uuid(Redemptions::AccessCodeId))
                    .col(uuid_null(Redemptions::SubscriptionId))
                    .col(big_integer(Redemptions::SubscriberId))
                    .col(timestamp_with_time_zone(Redemptions::RedeemedAt))
                    .col(string(Redemptions::Change))
                    .col(big_integer_null(Redemptions::AddedSeconds))
                    .col(uuid_null(Redemptions::UsageRecordId))
                    .col(timestamp_with_time_zone_null(Redemptions::RolledBackAt))
                    .col(timestamp_with_time_zone(Redemptions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        let add = |table: DynIden, column: ColumnDef| Table::alter().table(table).add_column(column).to_owned();
        manager
            .alter_table(add(
                AccessCodes::Table.into_iden(),
                integer(AccessCodes::MaxRedemptions).default(1).to_owned(),
            ))
            .await?;
        manager
            .alter_table(add(
                AccessCodes::Table.into_iden(),
                integer(AccessCodes::RedemptionCount).default(0).to_owned(),
            ))
            .await?;
        for table in carrying_uses() {
            manager.alter_table(add(table, integer(AccessCodes::MaxRedemptions).default(1).to_owned())).await?;
        }
        let connection = manager.get_connection();
        connection.execute_unprepared(COPY_REDEMPTIONS).await?;
        connection
            .execute_unprepared("UPDATE access_codes SET redemption_count = 1 WHERE redeemed_at IS NOT NULL")
            .await?;
        connection.execute_unprepared(ONCE_PER_PERSON).await?;
        // Until now a record belonged to its code, whose redemption was copied in with the code's id.
        let columns = format!("{USAGE_COLUMNS}, redemption_id");
        let from = format!("{USAGE_COLUMNS}, access_code_id");
        rebuild_usage_records(manager, usage_records(true), &columns, &from).await?;
        indexes::create(manager, INDEXES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        indexes::drop(manager, INDEXES).await?;
        rebuild_usage_records(manager, usage_records(false), USAGE_COLUMNS, USAGE_COLUMNS).await?;
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
        manager.get_connection().execute_unprepared("DROP INDEX IF EXISTS redemptions_once_per_person").await?;
        let drop = |table: DynIden, column: DynIden| Table::alter().table(table).drop_column(column).to_owned();
        for table in carrying_uses() {
            manager.alter_table(drop(table, AccessCodes::MaxRedemptions.into_iden())).await?;
        }
        manager.alter_table(drop(AccessCodes::Table.into_iden(), AccessCodes::RedemptionCount.into_iden())).await?;
        manager.alter_table(drop(AccessCodes::Table.into_iden(), AccessCodes::MaxRedemptions.into_iden())).await?;
        manager.drop_table(Table::drop().table(Redemptions::Table).to_owned()).await
    }
}
