//! Partial indexes for the access sweep, which otherwise passes over every subscription that ever ended:
//! the ends of subscriptions not yet acted on (oldest first, and the reminders ahead of them), and the ended
//! ones whose subscriber was not told yet. Each holds only what is still to do, so it stays small however
//! long the bot runs, and a new subscription enters only the first, in place of the plain index on its end.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &[&str] = &[
    "DROP INDEX IF EXISTS subscriptions_ends_at",
    "CREATE INDEX subscriptions_unhandled_ends_at ON subscriptions (ends_at) WHERE end_handled_at IS NULL",
    "CREATE INDEX subscriptions_untold_ends ON subscriptions (end_handled_at) \
     WHERE end_handled_at IS NOT NULL AND end_told_at IS NULL",
];

const DOWN: &[&str] = &[
    "DROP INDEX IF EXISTS subscriptions_untold_ends",
    "DROP INDEX IF EXISTS subscriptions_unhandled_ends_at",
    "CREATE INDEX subscriptions_ends_at ON subscriptions (ends_at)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for statement in UP {
            manager.get_connection().execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for statement in DOWN {
            manager.get_connection().execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
