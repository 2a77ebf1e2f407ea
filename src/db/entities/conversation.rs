//! The `conversations` table.
use sea_orm::entity::prelude::*;

use crate::domain::conversations::{ConversationKind, ConversationStatus, FlowState, Step};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub telegram_user_id: i64,
    pub chat_id: i64,
    pub kind: ConversationKind,
    pub step: Step,
    pub revision: i32,
    #[sea_orm(column_type = "Text")]
    pub state: FlowState,
    pub message_id: Option<i32>,
    pub status: ConversationStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
