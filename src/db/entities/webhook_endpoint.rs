//! The `webhook_endpoints` table.
use sea_orm::entity::prelude::*;

use crate::domain::webhooks::{EndpointStatus, PauseReason};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Uuid,
    pub url: String,
    pub event_types: String,
    pub sealed_secret: String,
    pub sealed_previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTimeUtc>,
    pub status: EndpointStatus,
    pub paused_reason: Option<PauseReason>,
    pub consecutive_failures: i32,
    pub last_attempt_at: Option<DateTimeUtc>,
    pub last_status_code: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
