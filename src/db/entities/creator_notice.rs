//! The `creator_notices` table.
use sea_orm::entity::prelude::*;

use crate::domain::notices::NoticeKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "creator_notices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub creator_id: Uuid,
    pub chat_id: i64,
    pub kind: NoticeKind,
    pub data: String,
    pub created_at: DateTimeUtc,
    pub not_before: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTimeUtc>,
    pub attempts: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
