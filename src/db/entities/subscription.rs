//! The `subscriptions` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Uuid,
    pub plan_id: Uuid,
    pub subscriber_id: i64,
    pub subscriber_name: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub subscriber_username: Option<String>,
    /// When the sweep acted on the end (`ends_at`); cleared when the subscription is extended or renewed.
    pub end_handled_at: Option<DateTimeUtc>,
    /// When the subscriber was told that their access ended.
    pub end_told_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
