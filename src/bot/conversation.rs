//! Guided conversations kept in the database, so a restart of the bot in the middle of one loses
//! nothing, and the callback data of their buttons, checked on every tap.
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use teloxide::types::{CallbackQuery, ChatId, InlineKeyboardButton, MessageId};
use uuid::Uuid;

use super::screen::{Screen, strip_buttons};
use super::{BotContext, HandlerResult, TgBot};
use crate::db::DbError;
use crate::db::conversations::{Conversation, StepUpdate, conversation_status};
use crate::domain::ids;

pub const CALLBACK_PREFIX: &str = "w";

/// A conversation untouched for this long is over; its buttons answer "this menu has expired".
const IDLE_LIMIT: Duration = Duration::hours(24);

/// What a conversation is for.
pub mod kind {
    pub const GENERATE: &str = "generate";
    pub const NEW_PLAN: &str = "newplan";
    pub const RENAME_PLAN: &str = "rename";
    pub const LINK_CHAT: &str = "link";
}

/// Everything a conversation has collected so far; each kind uses its own fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FlowState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<Uuid>,
    #[serde(default)]
    pub plan_page: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_preset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_name: Option<String>,
}

/// One open conversation as the handlers see it.
#[derive(Debug, Clone)]
pub struct Flow {
    pub id: Uuid,
    pub telegram_user_id: i64,
    pub chat_id: i64,
    pub kind: String,
    pub step: String,
    pub revision: i32,
    pub state: FlowState,
    pub message_id: Option<i32>,
}

impl Flow {
    fn of(row: Conversation) -> Self {
        Self {
            id: row.id,
            telegram_user_id: row.telegram_user_id,
            chat_id: row.chat_id,
            kind: row.kind,
            step: row.step,
            revision: row.revision,
            state: serde_json::from_str(&row.state).unwrap_or_default(),
            message_id: row.message_id,
        }
    }

    /// A button of this conversation's current step; `action` is at most 30 characters.
    pub fn button(&self, label: impl Into<String>, action: &str) -> InlineKeyboardButton {
        InlineKeyboardButton::callback(label, self.data(action))
    }

    pub fn data(&self, action: &str) -> String {
        format!("{CALLBACK_PREFIX}:{}:{}:{action}", ulid::Ulid::from(self.id), self.revision)
    }
}

/// A tap on a conversation's button, read back from its callback data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tap {
    pub conversation_id: Uuid,
    pub revision: i32,
    pub action: String,
}

impl Tap {
    pub fn parse(data: &str) -> Option<Self> {
        let mut parts = data.splitn(4, ':');
        if parts.next()? != CALLBACK_PREFIX {
            return None;
        }
        let conversation_id = ids::parse_public_id("", parts.next()?)?;
        let revision = parts.next()?.parse().ok()?;
        let action = parts.next()?.to_owned();
        Some(Self { conversation_id, revision, action })
    }
}

pub fn is_conversation_callback(query: CallbackQuery) -> bool {
    query.data.as_deref().is_some_and(|data| data.starts_with("w:"))
}

impl BotContext {
    /// Starts a conversation in `chat_id`, ending any other open one of the user there.
    pub async fn open_flow(
        &self,
        telegram_user_id: i64,
        chat_id: i64,
        kind: &str,
        step: &str,
        state: FlowState,
        now: DateTime<Utc>,
    ) -> Result<Flow, DbError> {
        let row = Conversation {
            id: ids::new_id(),
            telegram_user_id,
            chat_id,
            kind: kind.to_owned(),
            step: step.to_owned(),
            revision: 0,
            state: serde_json::to_string(&state).unwrap_or_default(),
            message_id: None,
            status: conversation_status::OPEN.to_owned(),
            created_at: now,
            updated_at: now,
        };
        self.db.open_conversation(row.clone()).await?;
        Ok(Flow::of(row))
    }

    /// The conversation a tap belongs to, if it is open, recent, at the tapped step and the tapper's.
    pub async fn flow_of_tap(&self, tap: &Tap, tapper: i64, now: DateTime<Utc>) -> Result<Option<Flow>, DbError> {
        let Some(row) = self.db.find_conversation(tap.conversation_id).await? else { return Ok(None) };
        let live = row.status == conversation_status::OPEN && now - row.updated_at < IDLE_LIMIT;
        if !live || row.telegram_user_id != tapper || row.revision != tap.revision {
            return Ok(None);
        }
        Ok(Some(Flow::of(row)))
    }

    /// The open conversation of a user in a chat that may be waiting for typed text.
    pub async fn flow_in_chat(
        &self,
        telegram_user_id: i64,
        chat_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<Flow>, DbError> {
        let row = self.db.open_conversation_in_chat(telegram_user_id, chat_id).await?;
        Ok(row.filter(|row| now - row.updated_at < IDLE_LIMIT).map(Flow::of))
    }

    /// Moves the conversation to `step`; false when another tap moved it first.
    pub async fn advance_flow(
        &self,
        flow: &mut Flow,
        step: &str,
        state: FlowState,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let update = StepUpdate {
            step,
            state: serde_json::to_string(&state).unwrap_or_default(),
            message_id: flow.message_id,
            now,
        };
        if !self.db.advance_conversation(flow.id, flow.revision, update).await? {
            return Ok(false);
        }
        flow.step = step.to_owned();
        flow.state = state;
        flow.revision += 1;
        Ok(true)
    }

    /// Remembers which message shows the conversation; that message is edited from then on.
    pub async fn move_flow_to_message(&self, flow: &mut Flow, message_id: i32) -> Result<(), DbError> {
        flow.message_id = Some(message_id);
        self.db.set_conversation_message(flow.id, message_id).await
    }

    /// Shows the conversation in a new message at the bottom of the chat (after typed text, the old
    /// menu is no longer in view) and takes the buttons off the message that showed it before.
    pub async fn show_flow_below(&self, bot: &TgBot, flow: &mut Flow, screen: Screen) -> HandlerResult {
        let sent = screen.send(bot, ChatId(flow.chat_id)).await?;
        self.retire_flow_message(bot, flow).await;
        self.move_flow_to_message(flow, sent.id.0).await?;
        Ok(())
    }

    /// Takes the buttons off the message that showed the conversation.
    pub async fn retire_flow_message(&self, bot: &TgBot, flow: &Flow) {
        if let Some(old) = flow.message_id {
            strip_buttons(bot, ChatId(flow.chat_id), MessageId(old)).await;
        }
    }

    pub async fn finish_flow(&self, flow: &Flow, status: &str) -> Result<bool, DbError> {
        self.db.finish_conversation(flow.id, status).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taps_read_back_and_fit_telegram() {
        let flow = Flow {
            id: ids::new_id(),
            telegram_user_id: 1,
            chat_id: 1,
            kind: kind::GENERATE.to_owned(),
            step: "plan".to_owned(),
            revision: 1234,
            state: FlowState::default(),
            message_id: None,
        };
        let action = format!("p:{}", ulid::Ulid::from(ids::new_id()));
        let data = flow.data(&action);
        assert!(data.len() <= 64, "{data}");
        assert_eq!(Tap::parse(&data), Some(Tap { conversation_id: flow.id, revision: 1234, action }));
        assert_eq!(Tap::parse("w:nonsense:1:q:10"), None);
        assert_eq!(Tap::parse("gen:go:01J0000000000000000000000"), None);
    }
}
