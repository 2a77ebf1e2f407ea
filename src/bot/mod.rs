//! The Telegram side: the handler tree, commands, conversations and replies.
mod billing;
mod codes;
mod commands;
pub mod conversation;
mod generate;
mod generate_flow;
mod menu;
mod plan_flow;
mod plans;
mod redeem;
pub mod replies;
mod screen;
mod start;
mod status;
mod tokens;

use std::sync::Arc;

use teloxide::adaptors::Throttle;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, ChatId, MessageId, Recipient, UserId};

use crate::config::ThrottleSettings;
use crate::db::Db;
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::domain::generation::GenerationQueue;
use crate::domain::secret::InstanceSecret;
use crate::i18n::{LANGUAGES, Lang};
use conversation::{Flow, kind};

pub use commands::Command;
pub use menu::item_data as menu_button_data;
pub use status::job_data as job_button_data;

/// The bot as every part of the application uses it: all sends go through Telegram's rate limits.
pub type TgBot = Throttle<Bot>;

pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;
pub type HandlerResult = Result<(), HandlerError>;

/// The services handlers reach through `dptree::deps![]`.
pub struct BotContext {
    pub db: Db,
    pub secret: InstanceSecret,
    pub queue: GenerationQueue,
    pub bot_username: String,
    pub bot_user_id: UserId,
    pub throttle: ThrottleSettings,
}

/// The language to answer an update in: the user's choice with /language, else their Telegram
/// app's language, else English.
async fn resolve_lang(update: Update, context: Arc<BotContext>) -> Lang {
    let Some(user) = update.from() else { return Lang::default() };
    let chosen = match context.db.chosen_language(user.id.0 as i64).await {
        Ok(chosen) => chosen,
        Err(error) => {
            log::warn!("accessbot::bot cannot read a chosen language: {error}");
            None
        }
    };
    Lang::from_code(chosen.as_deref().or(user.language_code.as_deref()))
}

/// The language of messages a creator gets without asking (notifications, job progress).
pub fn creator_lang(creator: &Creator) -> Lang {
    Lang::from_code(creator.language_code.as_deref())
}

async fn creator_of_message(message: Message, context: Arc<BotContext>) -> Option<Creator> {
    let user = message.from.as_ref()?;
    match context.db.find_creator_by_telegram_user(user.id.0 as i64).await {
        Ok(creator) => creator,
        Err(error) => {
            log::error!("accessbot::bot cannot look up the creator: {error}");
            None
        }
    }
}

/// The creator who tapped a button, if the tapper is one.
async fn creator_of_callback(query: &CallbackQuery, context: &BotContext) -> Option<Creator> {
    match context.db.find_creator_by_telegram_user(query.from.id.0 as i64).await {
        Ok(creator) => creator,
        Err(error) => {
            log::error!("accessbot::bot cannot look up the creator of a callback: {error}");
            None
        }
    }
}

/// A creator's tap on a button of one of their menus.
#[derive(Clone)]
pub struct MenuTap {
    pub creator: Creator,
    pub user_id: i64,
    pub chat_id: ChatId,
    pub message_id: MessageId,
    /// The button's data after the menu's prefix.
    pub data: String,
}

impl MenuTap {
    async fn of(query: &CallbackQuery, context: &BotContext, prefix: &str) -> Option<Self> {
        let data = query.data.as_deref()?.strip_prefix(prefix)?.to_owned();
        let message = query.regular_message()?;
        let creator = creator_of_callback(query, context).await?;
        Some(Self { creator, user_id: query.from.id.0 as i64, chat_id: message.chat.id, message_id: message.id, data })
    }
}

/// Taps on the buttons whose data starts with `prefix`, from a creator, on a message the bot can edit.
/// Others fall through the tree to the last endpoint, which says the menu has expired.
fn menu_taps(prefix: &'static str) -> UpdateHandler<HandlerError> {
    dptree::filter_map_async(move |query: CallbackQuery, context: Arc<BotContext>| async move {
        MenuTap::of(&query, &context, prefix).await
    })
}

/// The open conversation a message from a creator continues, when its step reads typed text.
async fn flow_of_message(message: Message, context: Arc<BotContext>) -> Option<(Flow, Creator)> {
    let user = message.from.as_ref()?;
    if message.text().is_some_and(|text| text.starts_with('/')) {
        return None;
    }
    let flow = context.flow_in_chat(user.id.0 as i64, message.chat.id.0, now()).await.ok().flatten()?;
    let reads_text = match flow.kind.as_str() {
        kind::GENERATE => generate_flow::awaits_text(&flow),
        _ => plan_flow::awaits_text(&flow),
    };
    if !reads_text {
        return None;
    }
    let creator = context.db.find_creator_by_telegram_user(user.id.0 as i64).await.ok().flatten()?;
    Some((flow, creator))
}

async fn continue_flow(
    bot: TgBot,
    message: Message,
    (flow, creator): (Flow, Creator),
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    match flow.kind.as_str() {
        kind::GENERATE => {
            let text = message.text().unwrap_or_default();
            generate_flow::on_text(&bot, &context, &lang, &creator, flow, text).await
        }
        _ => plan_flow::on_message(&bot, &context, &lang, &creator, flow, &message).await,
    }
}

/// A tap on a conversation's button: checked against an open conversation of the tapper at the
/// tapped step; anything else changes nothing and is told that the menu has expired.
async fn conversation_callback(
    bot: TgBot,
    query: CallbackQuery,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    let tap = query.data.as_deref().and_then(conversation::Tap::parse);
    let creator = creator_of_callback(&query, &context).await;
    let at = query.regular_message().map(|m| (m.chat.id, m.id));
    let mut answer = None;
    if let (Some(tap), Some(creator), Some(at)) = (tap, creator, at) {
        let flow = context.flow_of_tap(&tap, query.from.id.0 as i64, now()).await?;
        if let Some(flow) = flow.filter(|flow| flow.chat_id == at.0.0) {
            answer = match flow.kind.as_str() {
                kind::GENERATE => generate_flow::on_tap(&bot, &context, &lang, &creator, flow, &tap.action, at).await?,
                _ => plan_flow::on_tap(&bot, &context, &lang, &creator, flow, &tap.action, at).await?,
            };
        }
    }
    answer_tap(&bot, &query, &lang, answer).await
}

/// Answers a callback query: with `answer` as a toast when it says something, and with "this menu has
/// expired" when the tap led nowhere (`None`).
pub async fn answer_tap(bot: &TgBot, query: &CallbackQuery, lang: &Lang, answer: Option<String>) -> HandlerResult {
    let request = bot.answer_callback_query(query.id.clone());
    match answer.unwrap_or_else(|| lang.t("menu-expired")) {
        text if text.is_empty() => request.await?,
        text => request.text(text).await?,
    };
    Ok(())
}

/// The handler tree, shared by `serve` and the tests.
pub fn schema() -> UpdateHandler<HandlerError> {
    use dptree::case;

    let creator_commands = dptree::filter_map_async(creator_of_message)
        .branch(case![Command::NewPlan(args)].endpoint(plans::new_plan))
        .branch(case![Command::Plans].endpoint(plans::list_plans))
        .branch(case![Command::Generate(args)].endpoint(generate::generate_command))
        .branch(case![Command::Status(args)].endpoint(status::status_command))
        .branch(case![Command::Resend(args)].endpoint(status::resend_command))
        .branch(case![Command::Codes(args)].endpoint(codes::codes_command))
        .branch(case![Command::Billing].endpoint(billing::billing_command))
        .branch(case![Command::Tokens].endpoint(tokens::tokens_command))
        .branch(case![Command::NewToken(args)].endpoint(tokens::new_token_command));

    let commands = teloxide::filter_command::<Command, _>()
        .branch(case![Command::Start(payload)].endpoint(start::start))
        .branch(case![Command::Help].endpoint(start::help))
        .branch(case![Command::Redeem(args)].endpoint(redeem::redeem_command))
        .branch(case![Command::My].endpoint(redeem::my_command))
        .branch(case![Command::Cancel].endpoint(menu::cancel_command))
        .branch(case![Command::Language].endpoint(menu::language_command))
        .branch(creator_commands)
        .endpoint(start::not_a_creator);

    let messages = Update::filter_message()
        .branch(dptree::filter_map_async(flow_of_message).endpoint(continue_flow))
        .branch(commands)
        .endpoint(redeem::plain_text);
    let members = Update::filter_chat_member().endpoint(redeem::member_joined);
    let callbacks = Update::filter_callback_query()
        .branch(dptree::filter(conversation::is_conversation_callback).endpoint(conversation_callback))
        .branch(dptree::filter(tokens::is_token_callback).endpoint(tokens::callback))
        .branch(menu_taps(plans::CALLBACK_PREFIX).endpoint(plans::callback))
        .branch(menu_taps(status::CALLBACK_PREFIX).endpoint(status::callback))
        .branch(menu_taps(codes::CALLBACK_PREFIX).endpoint(codes::callback))
        .branch(menu_taps(menu::MENU_PREFIX).endpoint(menu::menu_callback))
        .branch(dptree::filter(menu::is_language_callback).endpoint(menu::language_callback))
        .endpoint(generate::callback);

    dptree::entry().map_async(resolve_lang).branch(messages).branch(callbacks).branch(members)
}

fn bot_commands(lang: &Lang, names: &[&str]) -> Vec<teloxide::types::BotCommand> {
    names.iter().map(|name| teloxide::types::BotCommand::new(*name, lang.t(&format!("command-{name}")))).collect()
}

/// Registers the subscribers' command menu for everyone, in every language the bot speaks.
pub async fn register_commands(bot: &TgBot) -> Result<(), teloxide::RequestError> {
    for code in LANGUAGES {
        let lang = Lang::from_code(Some(code));
        let request = bot.set_my_commands(bot_commands(&lang, Command::SUBSCRIBER_MENU));
        if lang == Lang::default() {
            request.await?
        } else {
            request.language_code(*code).await?
        };
    }
    Ok(())
}

/// Registers the creators' command menu in a creator's chat. Without a language chosen with /language it is
/// registered in every language the bot speaks, so it follows the Telegram app's language; with one, only in
/// that language, and the per-language menus are removed so they cannot override the choice.
pub async fn register_creator_commands(
    bot: &TgBot,
    creator: &Creator,
    chosen: Option<&str>,
) -> Result<(), teloxide::RequestError> {
    let Some(chat_id) = creator.linked_chat_id else { return Ok(()) };
    let scope = BotCommandScope::Chat { chat_id: Recipient::Id(ChatId(chat_id)) };
    let fallback = Lang::from_code(chosen);
    bot.set_my_commands(bot_commands(&fallback, Command::CREATOR_MENU)).scope(scope.clone()).await?;
    for code in LANGUAGES.iter().filter(|code| Lang::from_code(Some(code)) != Lang::default()) {
        if chosen.is_some() {
            bot.delete_my_commands().scope(scope.clone()).language_code(*code).await?;
        } else {
            let lang = Lang::from_code(Some(code));
            bot.set_my_commands(bot_commands(&lang, Command::CREATOR_MENU))
                .scope(scope.clone())
                .language_code(*code)
                .await?;
        }
    }
    Ok(())
}

/// Registers every creator's menu, so a new instance or a new release shows the current commands.
pub async fn register_all_creator_commands(bot: TgBot, db: Db) {
    let creators = match db.list_creators().await {
        Ok(creators) => creators,
        Err(error) => {
            log::warn!("accessbot::bot cannot list creators to register their command menus: {error}");
            return;
        }
    };
    for creator in creators {
        let chosen = db.chosen_language(creator.telegram_user_id).await.ok().flatten();
        if let Err(error) = register_creator_commands(&bot, &creator, chosen.as_deref()).await {
            log::warn!("accessbot::bot cannot register a creator's command menu: {error}");
        }
    }
}
