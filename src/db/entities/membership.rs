//! The `memberships` table.
use sea_orm::entity::prelude::*;

use crate::domain::access::{MembershipStatus, RemovalReason};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Uuid,
    pub chat_id: i64,
    pub telegram_user_id: i64,
    pub subscription_id: Uuid,
    pub status: MembershipStatus,
    pub admitted_at: DateTimeUtc,
    pub removal_reason: Option<RemovalReason>,
    pub next_attempt_at: Option<DateTimeUtc>,
    pub locked_until: Option<DateTimeUtc>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
