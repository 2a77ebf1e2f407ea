//! The `usage_records` table.
use sea_orm::entity::prelude::*;

use crate::domain::billing::UsageStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Uuid,
    pub access_code_id: Uuid,
    pub redeemed_at: DateTimeUtc,
    pub status: UsageStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub reported_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// The redemption it bills (null only for records older than redemptions of their own).
    pub redemption_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
