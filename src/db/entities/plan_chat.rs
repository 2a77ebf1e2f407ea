//! The `plan_chats` table.
use sea_orm::entity::prelude::*;

use crate::domain::plans::ChatRightsProblem;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_chats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub plan_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub chat_id: i64,
    pub team_id: Uuid,
    pub title: String,
    pub rights_problem: Option<ChatRightsProblem>,
    pub problem_told_at: Option<DateTimeUtc>,
    pub linked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
