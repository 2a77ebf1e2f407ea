//! The `update_inbox` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "update_inbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub update_id: i64,
    pub payload: String,
    pub received_at: DateTimeUtc,
    pub handled_at: Option<DateTimeUtc>,
    /// The chat whose order the update keeps (its user's where it has no chat).
    pub chat_key: Option<i64>,
    pub claimed_by: Option<String>,
    pub claimed_at: Option<DateTimeUtc>,
    pub claimed_until: Option<DateTimeUtc>,
    /// How often an instance took it to handle; one that fails every time is set aside.
    pub claims: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
