//! Indexes for the access sweep's reads, which otherwise pass over every subscription that ever ended: the
//! ends not yet acted on (oldest first), and the ended ones whose subscriber was not told yet.
use sea_orm_migration::prelude::*;

use crate::indexes;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: &[indexes::Named] = &[
    ("subscriptions_end_unhandled", "subscriptions", &["end_handled_at", "ends_at"]),
    ("subscriptions_end_untold", "subscriptions", &["end_told_at", "end_handled_at"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        indexes::create(manager, INDEXES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        indexes::drop(manager, INDEXES).await
    }
}
