//! The Telegram adapter: the bot as every part of the application sends through it, showing screens, and
//! what Telegram's errors mean for whoever sent the request.
use teloxide::adaptors::Throttle;
use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardMarkup, MessageId, ReplyMarkup};
use teloxide::{ApiError, RequestError};

use crate::config::Settings;
use crate::domain::plans::ChatRightsProblem;
use crate::views::Screen;

/// The bot as every part of the application uses it: all sends go through Telegram's rate limits.
pub type TgBot = Throttle<Bot>;

/// The Telegram bot for these settings, with its throttle; `None` without a token.
pub fn build_bot(settings: &Settings) -> Option<TgBot> {
    let token = settings.telegram_token.as_ref()?;
    let mut bot = Bot::new(token.expose());
    if let Some(url) = &settings.telegram_api_url {
        bot = bot.set_api_url(url.clone());
    }
    let limits = teloxide::adaptors::throttle::Limits {
        messages_per_sec_chat: settings.throttle.messages_per_sec_chat,
        messages_per_min_chat: settings.throttle.messages_per_min_chat,
        messages_per_min_channel_or_supergroup: settings.throttle.messages_per_min_group,
        messages_per_sec_overall: settings.throttle.messages_per_sec_overall,
    };
    Some(Throttle::new_spawn(bot, limits))
}

/// Sends a screen as a new message, with its inline buttons.
pub async fn send(bot: &TgBot, chat_id: ChatId, screen: Screen) -> Result<Message, RequestError> {
    let markup = (!screen.rows.is_empty()).then(|| InlineKeyboardMarkup::new(screen.rows));
    send_with_markup(bot, chat_id, Screen { rows: Vec::new(), ..screen }, markup.map(ReplyMarkup::InlineKeyboard)).await
}

/// Sends a screen's text with another kind of keyboard (a chat picker, or one that removes a keyboard).
pub async fn send_with_markup(
    bot: &TgBot,
    chat_id: ChatId,
    screen: Screen,
    markup: Option<ReplyMarkup>,
) -> Result<Message, RequestError> {
    let mut request = bot.send_message(chat_id, screen.text);
    if !screen.entities.is_empty() {
        request = request.entities(screen.entities);
    }
    match markup {
        Some(markup) => request.reply_markup(markup).await,
        None => request.await,
    }
}

/// Replaces a message's text and buttons. A message that can no longer be edited (deleted, too old, or
/// unchanged) is left as it is: the edit is cosmetic and its failure is logged, not passed on.
pub async fn edit(bot: &TgBot, chat_id: ChatId, message_id: MessageId, screen: Screen) {
    let mut request = bot.edit_message_text(chat_id, message_id, screen.text);
    if !screen.entities.is_empty() {
        request = request.entities(screen.entities);
    }
    let result = if screen.rows.is_empty() {
        request.await
    } else {
        request.reply_markup(InlineKeyboardMarkup::new(screen.rows)).await
    };
    if let Err(error) = result {
        log::warn!("cannot edit a message: {error}");
    }
}

/// Takes the buttons off an older message once a newer one carries the conversation on.
pub async fn strip_buttons(bot: &TgBot, chat_id: ChatId, message_id: MessageId) {
    if let Err(error) = bot.edit_message_reply_markup(chat_id, message_id).await {
        log::warn!("cannot take the buttons off an older message: {error}");
    }
}

/// Why a send failed for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// The user blocked the bot, or cannot be written to.
    Blocked,
    /// The chat is gone, or the bot is no longer in it.
    ChatGone,
    /// Telegram refused the request itself.
    Rejected(String),
    /// Telegram did not answer, however often asked.
    Unreachable(String),
}

/// What to do about a failed request.
pub enum SendError {
    /// Telegram asked to wait this long before the same request.
    WaitThenRetry(std::time::Duration),
    /// A network or server error: worth another try after a pause.
    Retry,
    GiveUp(SendFailure),
}

pub fn classify(error: &RequestError) -> SendError {
    match error {
        RequestError::RetryAfter(seconds) => SendError::WaitThenRetry(seconds.duration()),
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => SendError::Retry,
        RequestError::MigrateToChatId(_) => SendError::GiveUp(SendFailure::ChatGone),
        RequestError::Api(api) => match api {
            ApiError::BotBlocked | ApiError::UserDeactivated | ApiError::CantInitiateConversation => {
                SendError::GiveUp(SendFailure::Blocked)
            }
            ApiError::ChatNotFound
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::BotKickedFromChannel => SendError::GiveUp(SendFailure::ChatGone),
            ApiError::Unknown(text) if is_server_side(text) => SendError::Retry,
            other => SendError::GiveUp(SendFailure::Rejected(other.to_string())),
        },
    }
}

fn is_server_side(description: &str) -> bool {
    ["Internal Server Error", "Bad Gateway", "Service Unavailable", "Gateway Timeout", "restart"]
        .iter()
        .any(|needle| description.contains(needle))
}

/// What a failed removal (`unbanChatMember` on a member) means.
pub enum RemovalError {
    WaitThenRetry(std::time::Duration),
    /// The bot lacks a right it needs in the chat; the removal waits until it is given.
    MissingRights(ChatRightsProblem),
    /// A network or server error: worth another try later.
    Retry(String),
    /// Telegram will not remove this person (an administrator, say).
    Refused(String),
}

pub fn classify_removal(error: &RequestError) -> RemovalError {
    match classify(error) {
        SendError::WaitThenRetry(delay) => RemovalError::WaitThenRetry(delay),
        SendError::Retry => RemovalError::Retry(error.to_string()),
        SendError::GiveUp(SendFailure::ChatGone) => RemovalError::MissingRights(ChatRightsProblem::NotAdministrator),
        SendError::GiveUp(_) => match error {
            RequestError::Api(ApiError::NotEnoughRightsToRestrict) => {
                RemovalError::MissingRights(ChatRightsProblem::CannotRestrict)
            }
            RequestError::Api(ApiError::NotEnoughRightsToPostMessages) => {
                RemovalError::MissingRights(ChatRightsProblem::NotAdministrator)
            }
            RequestError::Api(ApiError::Unknown(text))
                if text.contains("CHAT_ADMIN_REQUIRED") || text.contains("not enough rights") =>
            {
                RemovalError::MissingRights(ChatRightsProblem::CannotRestrict)
            }
            other => RemovalError::Refused(other.to_string()),
        },
    }
}
