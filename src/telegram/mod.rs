//! The Telegram adapter: the bot as every part of the application sends through it, showing screens, and
//! what Telegram's errors mean for whoever sent the request; and receiving updates into the inbox (`inbox`).
pub mod inbox;
pub mod pacer;

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardMarkup, MessageEntity, MessageEntityKind, MessageId, ReplyMarkup};
use teloxide::{ApiError, RequestError};

use crate::config::Settings;
use crate::domain::plans::ChatRightsProblem;
use crate::metrics::Metrics;
use crate::views::Screen;
pub use pacer::{Pacer, Priority, Spacing};

/// How often a reply is sent again after Telegram answered 429 before the error is passed on.
const INTERACTIVE_RETRY_AFTER_WAITS: u32 = 3;

/// The bot as every part of the application uses it: Telegram's API, the pacer every message waits on, and
/// the counters every request goes into. Requests that post a message take their turn ([`send`], [`send_as`]
/// or [`TgBot::wait_turn`]); every request, those too, is made through [`TgBot::counted`].
#[derive(Clone)]
pub struct TgBot {
    api: Bot,
    pacer: Arc<Pacer>,
    metrics: Arc<Metrics>,
}

impl TgBot {
    pub fn new(api: Bot, pacer: Arc<Pacer>, metrics: Arc<Metrics>) -> Self {
        Self { api, pacer, metrics }
    }

    /// The counters this bot's requests go into.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Makes a Telegram request and counts how it ended under `method` for `/metrics`.
    pub async fn counted<T>(
        &self,
        method: &'static str,
        request: impl std::future::IntoFuture<Output = Result<T, RequestError>>,
    ) -> Result<T, RequestError> {
        let result = request.await;
        self.metrics.telegram_request(method, outcome_label(&result));
        result
    }

    /// The API, to build a request that [`TgBot::counted`] makes (after a turn, for a message).
    pub fn api(&self) -> &Bot {
        &self.api
    }

    /// Waits until a message may go into `chat_id` within Telegram's limits, and takes that turn.
    pub async fn wait_turn(&self, chat_id: ChatId, priority: Priority) {
        self.timed(self.pacer.wait_turn(chat_id.0, priority)).await;
    }

    /// Waits for a turn in the overall budget, for a request that posts nothing into a chat.
    pub async fn wait_overall_turn(&self, priority: Priority) {
        self.timed(self.pacer.wait_overall_turn(priority)).await;
    }

    /// Waits for `turn`, counting the wait for `/metrics`.
    async fn timed(&self, turn: impl std::future::Future<Output = ()>) {
        let started = tokio::time::Instant::now();
        turn.await;
        self.metrics.waited_for_turn(started.elapsed());
    }

    /// Telegram answered 429: the chat stays quiet for `delay`.
    pub fn hold_chat(&self, chat_id: ChatId, delay: Duration) {
        self.pacer.hold_chat(chat_id.0, delay);
    }
}

/// The Telegram bot for these settings, paced by its limits and counting into `metrics`; `None` without a token.
pub fn build_bot(settings: &Settings, metrics: Arc<Metrics>) -> Option<TgBot> {
    let token = settings.telegram_token.as_ref()?;
    let mut bot = Bot::new(token.expose());
    if let Some(url) = &settings.telegram_api_url {
        bot = bot.set_api_url(url.clone());
    }
    Some(TgBot::new(bot, Arc::new(Pacer::new(Spacing::from_limits(&settings.throttle))), metrics))
}

/// Sends a screen as a new message, with its inline buttons, ahead of bulk deliveries.
pub async fn send(bot: &TgBot, chat_id: ChatId, screen: Screen) -> Result<Message, RequestError> {
    send_as(bot, chat_id, screen, Priority::Interactive).await
}

/// Sends a screen as a new message with its inline buttons, at `priority`.
pub async fn send_as(
    bot: &TgBot,
    chat_id: ChatId,
    screen: Screen,
    priority: Priority,
) -> Result<Message, RequestError> {
    let (screen, markup) = split_buttons(screen);
    send_paced(bot, chat_id, priority, &screen, markup).await
}

/// Sends a screen's text with another kind of keyboard (a chat picker, or one that removes a keyboard).
pub async fn send_with_markup(
    bot: &TgBot,
    chat_id: ChatId,
    screen: Screen,
    markup: Option<ReplyMarkup>,
) -> Result<Message, RequestError> {
    send_paced(bot, chat_id, Priority::Interactive, &screen, markup).await
}

/// Sends a screen at once, for a sender that has taken its turn with [`TgBot::wait_turn`] and handles
/// Telegram's 429s itself.
pub async fn send_in_turn(bot: &TgBot, chat_id: ChatId, screen: Screen) -> Result<Message, RequestError> {
    let (screen, markup) = split_buttons(screen);
    post(bot, chat_id, &screen, markup).await
}

fn split_buttons(screen: Screen) -> (Screen, Option<ReplyMarkup>) {
    let markup = (!screen.rows.is_empty()).then(|| ReplyMarkup::InlineKeyboard(InlineKeyboardMarkup::new(screen.rows)));
    (Screen { rows: Vec::new(), ..screen }, markup)
}

async fn post(
    bot: &TgBot,
    chat_id: ChatId,
    screen: &Screen,
    markup: Option<ReplyMarkup>,
) -> Result<Message, RequestError> {
    let mut request = bot.api().send_message(chat_id, screen.text.clone());
    if !screen.entities.is_empty() {
        request = request.entities(screen.entities.clone());
    }
    match markup {
        Some(markup) => request.reply_markup(markup).await,
        None => request.await,
    }
}

/// Sends in turn; a 429 is waited out and the message sent again a few times.
async fn send_paced(
    bot: &TgBot,
    chat_id: ChatId,
    priority: Priority,
    screen: &Screen,
    markup: Option<ReplyMarkup>,
) -> Result<Message, RequestError> {
    in_turn(bot, chat_id, priority, "sendMessage", || post(bot, chat_id, screen, markup.clone())).await
}

/// Sends a file the person asked for (an export) in turn, ahead of bulk deliveries.
pub async fn send_file(
    bot: &TgBot,
    chat_id: ChatId,
    file: Vec<u8>,
    file_name: String,
    caption: String,
) -> Result<Message, RequestError> {
    in_turn(bot, chat_id, Priority::Interactive, "sendDocument", || {
        let document = teloxide::types::InputFile::memory(file.clone()).file_name(file_name.clone());
        bot.api().send_document(chat_id, document).caption(caption.clone()).into_future()
    })
    .await
}

/// Makes a request that posts into `chat_id` once its turn comes; a 429 is waited out and the request made
/// again a few times.
async fn in_turn<F, Fut>(
    bot: &TgBot,
    chat_id: ChatId,
    priority: Priority,
    method: &'static str,
    request: F,
) -> Result<Message, RequestError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Message, RequestError>>,
{
    let mut waits = 0;
    loop {
        bot.wait_turn(chat_id, priority).await;
        let sent = request().await;
        bot.metrics.telegram_request(method, outcome_label(&sent));
        match sent {
            Err(RequestError::RetryAfter(seconds)) => {
                bot.hold_chat(chat_id, seconds.duration());
                if waits >= INTERACTIVE_RETRY_AFTER_WAITS {
                    return Err(RequestError::RetryAfter(seconds));
                }
                waits += 1;
                log::info!("Telegram asked to wait {:?} before a message", seconds.duration());
            }
            sent => return sent,
        }
    }
}

/// What a message showed when it was tapped, as Telegram sent it with the callback query: an edit to the
/// same is refused by Telegram ("message is not modified"), so it is not sent.
#[derive(Clone, Debug, Default)]
pub struct Shown {
    text: String,
    entities: Vec<MessageEntity>,
    rows: Vec<Vec<teloxide::types::InlineKeyboardButton>>,
}

impl Shown {
    pub fn of(message: &Message) -> Self {
        Self {
            text: message.text().unwrap_or_default().to_owned(),
            entities: message.entities().map(<[MessageEntity]>::to_vec).unwrap_or_default(),
            rows: message.reply_markup().map(|markup| markup.inline_keyboard.clone()).unwrap_or_default(),
        }
    }

    /// Whether showing `screen` would change nothing. Telegram trims the text and finds links, mentions and
    /// commands by itself, so only the entities the bot sends are compared.
    pub fn is(&self, screen: &Screen) -> bool {
        let sent = |entities: &[MessageEntity]| -> Vec<MessageEntity> {
            entities.iter().filter(|entity| !is_found_by_telegram(&entity.kind)).cloned().collect()
        };
        let rows =
            |rows: &[Vec<teloxide::types::InlineKeyboardButton>]| -> Vec<Vec<teloxide::types::InlineKeyboardButton>> {
                rows.iter().filter(|row| !row.is_empty()).cloned().collect()
            };
        self.text.trim() == screen.text.trim()
            && sent(&self.entities) == sent(&screen.entities)
            && rows(&self.rows) == rows(&screen.rows)
    }
}

fn is_found_by_telegram(kind: &MessageEntityKind) -> bool {
    matches!(
        kind,
        MessageEntityKind::Mention
            | MessageEntityKind::Hashtag
            | MessageEntityKind::Cashtag
            | MessageEntityKind::BotCommand
            | MessageEntityKind::Url
            | MessageEntityKind::Email
            | MessageEntityKind::PhoneNumber
    )
}

/// Shows `screen` in the tapped message, unless it shows that already.
pub async fn edit_shown(bot: &TgBot, chat_id: ChatId, message_id: MessageId, shown: &Shown, screen: Screen) {
    if !shown.is(&screen) {
        edit(bot, chat_id, message_id, screen).await;
    }
}

/// Replaces a message's text and buttons. A message that can no longer be edited (deleted, too old, or
/// unchanged) is left as it is: the edit is cosmetic and its failure is logged, not passed on.
pub async fn edit(bot: &TgBot, chat_id: ChatId, message_id: MessageId, screen: Screen) {
    let mut request = bot.api().edit_message_text(chat_id, message_id, screen.text);
    if !screen.entities.is_empty() {
        request = request.entities(screen.entities);
    }
    let result = if screen.rows.is_empty() {
        bot.counted("editMessageText", request).await
    } else {
        bot.counted("editMessageText", request.reply_markup(InlineKeyboardMarkup::new(screen.rows))).await
    };
    if let Err(error) = result {
        log::warn!("cannot edit a message: {error}");
    }
}

/// Takes the buttons off an older message once a newer one carries the conversation on.
pub async fn strip_buttons(bot: &TgBot, chat_id: ChatId, message_id: MessageId) {
    if let Err(error) =
        bot.counted("editMessageReplyMarkup", bot.api().edit_message_reply_markup(chat_id, message_id)).await
    {
        log::warn!("cannot take the buttons off an older message: {error}");
    }
}

/// How a request ended, as `/metrics` counts it.
pub fn outcome_label<T>(result: &Result<T, RequestError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(error) => match classify(error) {
            SendError::WaitThenRetry(_) => "429",
            SendError::Retry if matches!(error, RequestError::Api(_)) => "5xx",
            SendError::Retry => "network",
            SendError::GiveUp(_) => "refused",
        },
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
