//! Guided conversations in the bot, and users' chosen languages.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entities::{conversation, user_language};
use super::{Db, DbError};
use crate::domain::conversations::{ConversationStatus, FlowState, Step};

pub use conversation::Model as Conversation;

/// The next step of a conversation, written only if nobody moved it on meanwhile.
pub struct StepUpdate {
    pub step: Step,
    pub state: FlowState,
    pub message_id: Option<i32>,
    pub now: DateTime<Utc>,
}

impl Db {
    /// Opens a conversation, closing any other open one of the same user in the same chat,
    /// so only the newest menu answers.
    pub async fn open_conversation(&self, conversation: Conversation) -> Result<(), DbError> {
        self.close_conversations(conversation.telegram_user_id, conversation.chat_id, ConversationStatus::Cancelled)
            .await?;
        conversation::Entity::insert(conversation.into_active_model()).exec(self.conn()).await?;
        Ok(())
    }

    pub async fn find_conversation(&self, id: Uuid) -> Result<Option<Conversation>, DbError> {
        conversation::Entity::find_by_id(id).one(self.conn()).await
    }

    /// The open conversation of a user in a chat, newest first.
    pub async fn open_conversation_in_chat(
        &self,
        telegram_user_id: i64,
        chat_id: i64,
    ) -> Result<Option<Conversation>, DbError> {
        conversation::Entity::find()
            .filter(conversation::Column::TelegramUserId.eq(telegram_user_id))
            .filter(conversation::Column::ChatId.eq(chat_id))
            .filter(conversation::Column::Status.eq(ConversationStatus::Open))
            .order_by_desc(conversation::Column::UpdatedAt)
            .one(self.conn())
            .await
    }

    /// Moves an open conversation from `revision` to the next step; false when it was not at
    /// `revision` any more (a second tap, or a tap on an older menu).
    pub async fn advance_conversation(&self, id: Uuid, revision: i32, update: StepUpdate) -> Result<bool, DbError> {
        let result = conversation::Entity::update_many()
            .col_expr(conversation::Column::Step, Expr::value(update.step))
            .col_expr(conversation::Column::State, Expr::value(update.state))
            .col_expr(conversation::Column::MessageId, Expr::value(update.message_id))
            .col_expr(conversation::Column::Revision, Expr::value(revision + 1))
            .col_expr(conversation::Column::UpdatedAt, Expr::value(update.now))
            .filter(conversation::Column::Id.eq(id))
            .filter(conversation::Column::Revision.eq(revision))
            .filter(conversation::Column::Status.eq(ConversationStatus::Open))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Records the message that now shows the conversation, without moving it to another step.
    pub async fn set_conversation_message(&self, id: Uuid, message_id: i32) -> Result<(), DbError> {
        conversation::Entity::update_many()
            .col_expr(conversation::Column::MessageId, Expr::value(message_id))
            .filter(conversation::Column::Id.eq(id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Ends an open conversation; false when it had ended already.
    pub async fn finish_conversation(&self, id: Uuid, status: ConversationStatus) -> Result<bool, DbError> {
        let result = conversation::Entity::update_many()
            .col_expr(conversation::Column::Status, Expr::value(status))
            .filter(conversation::Column::Id.eq(id))
            .filter(conversation::Column::Status.eq(ConversationStatus::Open))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Ends every open conversation of a user in a chat; the number ended.
    pub async fn close_conversations(
        &self,
        telegram_user_id: i64,
        chat_id: i64,
        status: ConversationStatus,
    ) -> Result<u64, DbError> {
        let result = conversation::Entity::update_many()
            .col_expr(conversation::Column::Status, Expr::value(status))
            .filter(conversation::Column::TelegramUserId.eq(telegram_user_id))
            .filter(conversation::Column::ChatId.eq(chat_id))
            .filter(conversation::Column::Status.eq(ConversationStatus::Open))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected)
    }

    pub async fn forget_conversations_before(&self, before: DateTime<Utc>) -> Result<u64, DbError> {
        let result = conversation::Entity::delete_many()
            .filter(conversation::Column::UpdatedAt.lt(before))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected)
    }

    /// The language the user chose with `/language`.
    pub async fn chosen_language(&self, telegram_user_id: i64) -> Result<Option<String>, DbError> {
        let row = user_language::Entity::find_by_id(telegram_user_id).one(self.conn()).await?;
        Ok(row.filter(|row| row.chosen).map(|row| row.language_code))
    }

    /// The language to write to the user in unasked: the one they chose, else their app's as last remembered.
    pub async fn known_language(&self, telegram_user_id: i64) -> Result<Option<String>, DbError> {
        Ok(user_language::Entity::find_by_id(telegram_user_id).one(self.conn()).await?.map(|row| row.language_code))
    }

    /// Remembers the user's app language, unless they chose one.
    pub async fn remember_app_language(
        &self,
        telegram_user_id: i64,
        language_code: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        self.store_language(telegram_user_id, language_code, false, now).await
    }

    pub async fn choose_language(
        &self,
        telegram_user_id: i64,
        language_code: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        self.store_language(telegram_user_id, language_code, true, now).await
    }

    /// A choice replaces whatever was there; a remembered app language replaces only a remembered one.
    async fn store_language(
        &self,
        telegram_user_id: i64,
        language_code: &str,
        chosen: bool,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        use user_language::Column as C;
        let row =
            user_language::Model { telegram_user_id, language_code: language_code.to_owned(), updated_at: now, chosen };
        let mut on_conflict = OnConflict::column(C::TelegramUserId);
        on_conflict.update_columns([C::LanguageCode, C::UpdatedAt, C::Chosen]);
        if !chosen {
            on_conflict.action_and_where(Expr::col((user_language::Entity, C::Chosen)).eq(false));
        }
        user_language::Entity::insert(row.into_active_model())
            .on_conflict(on_conflict)
            .exec_without_returning(self.conn())
            .await?;
        Ok(())
    }
}
