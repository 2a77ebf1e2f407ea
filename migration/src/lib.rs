//! Database migrations shared by SQLite and PostgreSQL.
pub use sea_orm_migration::prelude::*;

mod indexes;
mod m20261124_000001_create_core_tables;
mod m20261124_000002_create_api_tokens;
mod m20261124_000003_create_redemptions;
mod m20261124_000004_create_conversations;
mod m20261201_000005_enforce_access;
mod m20261202_000006_create_webhooks;
mod m20261202_000007_create_update_inbox;
mod m20261206_000008_create_creator_notices;
mod m20261206_000009_index_what_grows;
mod m20261206_000010_index_the_sweeps;
mod m20261206_000011_remember_app_languages;
mod m20261207_000012_revoke_codes;
mod m20261207_000013_batch_options;
mod m20261207_000014_index_expiring_codes;
mod m20261207_000015_multi_use_codes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_core_tables::Migration),
            Box::new(m20261124_000002_create_api_tokens::Migration),
            Box::new(m20261124_000003_create_redemptions::Migration),
            Box::new(m20261124_000004_create_conversations::Migration),
            Box::new(m20261201_000005_enforce_access::Migration),
            Box::new(m20261202_000006_create_webhooks::Migration),
            Box::new(m20261202_000007_create_update_inbox::Migration),
            Box::new(m20261206_000008_create_creator_notices::Migration),
            Box::new(m20261206_000009_index_what_grows::Migration),
            Box::new(m20261206_000010_index_the_sweeps::Migration),
            Box::new(m20261206_000011_remember_app_languages::Migration),
            Box::new(m20261207_000012_revoke_codes::Migration),
            Box::new(m20261207_000013_batch_options::Migration),
            Box::new(m20261207_000014_index_expiring_codes::Migration),
            Box::new(m20261207_000015_multi_use_codes::Migration),
        ]
    }
}
