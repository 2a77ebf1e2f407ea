//! The `redemptions` table: one row per use of a code.
use sea_orm::entity::prelude::*;

use crate::domain::subscriptions::SubscriptionChange;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "redemptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Uuid,
    pub plan_id: Uuid,
    pub batch_id: Uuid,
    pub access_code_id: Uuid,
    pub subscription_id: Option<Uuid>,
    pub subscriber_id: i64,
    pub redeemed_at: DateTimeUtc,
    pub change: SubscriptionChange,
    /// How far the use moved the subscription's end; null when it gave access without end.
    pub added_seconds: Option<i64>,
    pub usage_record_id: Option<Uuid>,
    pub rolled_back_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
