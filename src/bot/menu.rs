//! The creator's menu under `/start`, `/cancel`, and `/language`.
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardButton, KeyboardRemove};

use super::screen::Screen;
use super::{
    BotContext, HandlerResult, MenuTap, TgBot, answer_tap, codes, generate_flow, plans, register_creator_commands,
    status,
};
use crate::db::conversations::conversation_status;
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::i18n::{LANGUAGES, Lang};

pub const MENU_PREFIX: &str = "menu:";
const LANGUAGE_PREFIX: &str = "lang:";
const MENU_ITEMS: [&str; 5] = ["generate", "plans", "jobs", "codes", "help"];

/// The data of the creator menu's button that opens `item`.
pub fn item_data(item: &str) -> String {
    format!("{MENU_PREFIX}{item}")
}

pub fn creator_menu(lang: &Lang) -> Screen {
    let buttons: Vec<InlineKeyboardButton> = MENU_ITEMS
        .iter()
        .map(|item| InlineKeyboardButton::callback(lang.t(&format!("menu-{item}")), item_data(item)))
        .collect();
    Screen::new(lang.t("creator-menu")).rows(buttons.chunks(2).map(<[_]>::to_vec))
}

/// A tap on the creator menu opens what the command would, in a new message.
pub async fn menu_callback(
    bot: TgBot,
    query: CallbackQuery,
    tap: MenuTap,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    let opened = open_item(&bot, &context, &lang, &tap.creator, tap.user_id, tap.chat_id, &tap.data).await?;
    answer_tap(&bot, &query, &lang, opened.then(String::new)).await
}

async fn open_item(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    user_id: i64,
    chat: ChatId,
    item: &str,
) -> Result<bool, super::HandlerError> {
    match item {
        "generate" => generate_flow::start(bot, context, lang, creator, user_id, chat).await?,
        "plans" => {
            plans::plans_screen(context, lang, creator).await.send(bot, chat).await?;
        }
        "jobs" => {
            status::jobs_screen(context, lang, creator).await.send(bot, chat).await?;
        }
        "codes" => codes::show_picker(bot, context, lang, creator, chat).await?,
        "help" => {
            bot.send_message(chat, lang.t("help-creator")).await?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// `/cancel`: leaves whatever guided conversation is open in this chat.
pub async fn cancel_command(bot: TgBot, message: Message, lang: Lang, context: Arc<BotContext>) -> HandlerResult {
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    let user_id = user.id.0 as i64;
    let flow = context.flow_in_chat(user_id, message.chat.id.0, now()).await?;
    let Some(flow) = flow else {
        bot.send_message(message.chat.id, lang.t("cancel-nothing")).reply_markup(KeyboardRemove::new()).await?;
        return Ok(());
    };
    if let (Some(draft_id), Some(creator)) =
        (flow.state.draft_id, context.db.find_creator_by_telegram_user(user_id).await?)
    {
        context.queue.cancel(&creator, draft_id).await?;
    }
    context.finish_flow(&flow, conversation_status::CANCELLED).await?;
    if let Some(message_id) = flow.message_id {
        Screen::new(lang.t("wizard-cancelled"))
            .edit(&bot, message.chat.id, teloxide::types::MessageId(message_id))
            .await;
    }
    bot.send_message(message.chat.id, lang.t("wizard-cancelled")).reply_markup(KeyboardRemove::new()).await?;
    Ok(())
}

/// `/language`: buttons for every language the bot speaks.
pub async fn language_command(bot: TgBot, message: Message, lang: Lang) -> HandlerResult {
    let buttons = LANGUAGES
        .iter()
        .map(|code| {
            let label = Lang::from_code(Some(code)).t("language-name");
            InlineKeyboardButton::callback(label, format!("{LANGUAGE_PREFIX}{code}"))
        })
        .collect();
    Screen::new(lang.t("language-pick")).row(buttons).send(&bot, message.chat.id).await?;
    Ok(())
}

pub fn is_language_callback(query: CallbackQuery) -> bool {
    query.data.as_deref().is_some_and(|data| data.starts_with(LANGUAGE_PREFIX))
}

/// Remembers the tapper's language; a creator's command menu and job messages follow it too.
pub async fn language_callback(bot: TgBot, query: CallbackQuery, context: Arc<BotContext>) -> HandlerResult {
    let code = query.data.as_deref().and_then(|d| d.strip_prefix(LANGUAGE_PREFIX)).unwrap_or_default();
    let Some(code) = LANGUAGES.iter().find(|known| **known == code) else {
        let lang = Lang::from_code(query.from.language_code.as_deref());
        bot.answer_callback_query(query.id.clone()).text(lang.t("menu-expired")).await?;
        return Ok(());
    };
    let user_id = query.from.id.0 as i64;
    context.db.choose_language(user_id, code, now()).await?;
    let lang = Lang::from_code(Some(code));
    if let Some(creator) = context.db.find_creator_by_telegram_user(user_id).await? {
        context.db.set_creator_language(creator.id, code).await?;
        if let Err(error) = register_creator_commands(&bot, &creator, Some(code)).await {
            log::warn!("accessbot::bot cannot register a creator's command menu: {error}");
        }
    }
    if let Some(message) = query.regular_message() {
        Screen::new(lang.t("language-chosen")).edit(&bot, message.chat.id, message.id).await;
    }
    bot.answer_callback_query(query.id.clone()).text(lang.t("language-chosen")).await?;
    Ok(())
}
