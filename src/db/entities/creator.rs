//! The `creators` table.
use sea_orm::entity::prelude::*;

use crate::domain::notices::RedemptionNotices;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "creators")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Uuid,
    pub telegram_user_id: i64,
    pub linked_chat_id: Option<i64>,
    pub display_name: String,
    pub language_code: Option<String>,
    pub created_at: DateTimeUtc,
    pub notify_redemptions: RedemptionNotices,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
