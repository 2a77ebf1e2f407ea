//! A message with inline buttons that is edited in place as a conversation moves on.
use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::TgBot;

pub struct Screen {
    pub text: String,
    pub rows: Vec<Vec<InlineKeyboardButton>>,
}

impl Screen {
    pub fn new(text: String) -> Self {
        Self { text, rows: Vec::new() }
    }

    pub fn row(mut self, row: Vec<InlineKeyboardButton>) -> Self {
        if !row.is_empty() {
            self.rows.push(row);
        }
        self
    }

    pub fn rows(mut self, rows: impl IntoIterator<Item = Vec<InlineKeyboardButton>>) -> Self {
        for row in rows {
            self = self.row(row);
        }
        self
    }

    pub async fn send(self, bot: &TgBot, chat_id: ChatId) -> Result<Message, teloxide::RequestError> {
        let request = bot.send_message(chat_id, self.text);
        if self.rows.is_empty() {
            request.await
        } else {
            request.reply_markup(InlineKeyboardMarkup::new(self.rows)).await
        }
    }

    /// Replaces the message's text and buttons; a message that can no longer be edited is left as it is.
    pub async fn edit(self, bot: &TgBot, chat_id: ChatId, message_id: MessageId) {
        let request = bot.edit_message_text(chat_id, message_id, self.text);
        let result = if self.rows.is_empty() {
            request.await
        } else {
            request.reply_markup(InlineKeyboardMarkup::new(self.rows)).await
        };
        if let Err(error) = result {
            log::warn!("accessbot::bot cannot edit a menu: {error}");
        }
    }
}

/// Takes the buttons off an older menu once a newer message carries the conversation on.
pub async fn strip_buttons(bot: &TgBot, chat_id: ChatId, message_id: MessageId) {
    if let Err(error) = bot.edit_message_reply_markup(chat_id, message_id).await {
        log::warn!("accessbot::bot cannot take the buttons off an older menu: {error}");
    }
}
