//! The expiry sweep looks for unredeemed codes past their expiry every minute; without an index it read every
//! code of every creator each time. The index holds only codes that expire at all, by state and expiry, so the
//! sweep reads the due ones alone. (A partial index on `status = 'unredeemed'` would not serve PostgreSQL's
//! bound parameters; `expires_at IS NOT NULL` is implied by the sweep's `expires_at <= $1` in both engines.)
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let create =
            "CREATE INDEX access_codes_expiring ON access_codes (status, expires_at) WHERE expires_at IS NOT NULL";
        manager.get_connection().execute_unprepared(create).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX IF EXISTS access_codes_expiring").await?;
        Ok(())
    }
}
