//! Indexes for the lookups by person and by team on tables that grow every day, so none of them scans:
//! a subscriber's subscriptions (each redemption, `/my`, a join request), a team's subscriptions and members
//! (`/members`), a person's memberships (`/check`), and a team's events.
use sea_orm_migration::prelude::*;

use crate::indexes;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: &[indexes::Named] = &[
    ("subscriptions_subscriber", "subscriptions", &["subscriber_id"]),
    ("subscriptions_team_created", "subscriptions", &["team_id", "created_at"]),
    ("memberships_team", "memberships", &["team_id"]),
    ("memberships_user", "memberships", &["telegram_user_id"]),
    ("events_team_created", "events", &["team_id", "created_at"]),
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
