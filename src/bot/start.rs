//! `/start` (with invite links and redeem links), `/help`, the creator's menu, `/cancel`, `/language`, and
//! answers to people who are not creators.

use teloxide::prelude::*;
use teloxide::types::{KeyboardRemove, MessageId, ReplyMarkup};

use super::{
    HandlerResult, Handling, Tap, answer_tap, codes, generate, jobs, plans, register_creator_commands, subscriber,
};
use crate::domain::access_code::looks_like_code_attempt;
use crate::domain::clock::now;
use crate::domain::conversations;
use crate::domain::creators::{self, INVITE_PREFIX, InviteAcceptance, Joiner};
use crate::i18n::Lang;
use crate::telegram::{self};
use crate::views::buttons::MenuItem;
use crate::views::{Screen, errors, menu};

pub async fn start(h: Handling, message: Message, payload: String) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    let chat = message.chat.id;
    if let Some(token) = payload.trim().strip_prefix(INVITE_PREFIX) {
        if !message.chat.is_private() {
            telegram::send(bot, chat, menu::say(lang, "invite-private-chat-only")).await?;
            return Ok(());
        }
        let joiner = Joiner {
            telegram_user_id: user.id.0 as i64,
            display_name: user.full_name(),
            language_code: user.language_code.clone(),
            chat_id: chat.0,
        };
        let text = match creators::accept_invite(&context.db, &context.secret, token, joiner, now()).await {
            Ok(InviteAcceptance::Joined(creator)) => {
                if let Err(error) = register_creator_commands(bot, &creator, None).await {
                    log::warn!("cannot register a new creator's command menu: {error}");
                }
                lang.t("invite-accepted")
            }
            Ok(InviteAcceptance::AlreadyCreator(_)) => lang.t("invite-already-creator"),
            Err(error) => errors::chat(lang, &error),
        };
        telegram::send(bot, chat, Screen::new(text)).await?;
        return Ok(());
    }
    if looks_like_code_attempt(&payload) {
        return subscriber::redeem_and_answer(&h, &message, &payload).await;
    }
    let is_creator = creators::find_creator(&context.db, user.id.0 as i64).await?.is_some();
    let screen =
        if is_creator && message.chat.is_private() { menu::creator_menu(lang) } else { menu::help(lang, is_creator) };
    telegram::send(bot, chat, screen).await?;
    Ok(())
}

pub async fn help(h: Handling, message: Message) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let is_creator = match message.from.as_ref() {
        Some(user) => creators::find_creator(&context.db, user.id.0 as i64).await?.is_some(),
        None => false,
    };
    telegram::send(bot, message.chat.id, menu::help(lang, is_creator)).await?;
    Ok(())
}

pub async fn not_a_creator(h: Handling, message: Message) -> HandlerResult {
    let Handling { bot, lang, .. } = &h;
    telegram::send(bot, message.chat.id, menu::say(lang, "not-a-creator")).await?;
    Ok(())
}

pub async fn other_message(h: Handling, message: Message) -> HandlerResult {
    let Handling { bot, lang, .. } = &h;
    if !message.chat.is_private() {
        return Ok(());
    }
    telegram::send(bot, message.chat.id, menu::say(lang, "unknown-message")).await?;
    Ok(())
}

/// A tap on the creator menu opens what the command would, in a new message.
pub async fn menu_tap(h: Handling, query: CallbackQuery, item: MenuItem, tap: Tap) -> HandlerResult {
    let Handling { bot, lang, .. } = &h;
    let (creator, chat) = (&tap.creator, tap.chat_id);
    match item {
        MenuItem::Generate => generate::open_wizard(&h, creator, tap.user_id, chat).await?,
        MenuItem::Plans => plans::show_list(&h, creator, chat).await?,
        MenuItem::Jobs => jobs::show_list(&h, creator, chat).await?,
        MenuItem::Codes => codes::show_picker(&h, creator, chat).await?,
        MenuItem::Help => {
            telegram::send(bot, chat, menu::help(lang, true)).await?;
        }
    }
    answer_tap(&h, &query, Some(String::new())).await
}

fn removing_keyboard() -> Option<ReplyMarkup> {
    Some(ReplyMarkup::KeyboardRemove(KeyboardRemove::new()))
}

/// `/cancel`: leaves whatever guided conversation is open in this chat.
pub async fn cancel_command(h: Handling, message: Message) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    let user_id = user.id.0 as i64;
    let chat = message.chat.id;
    let Some(flow) = conversations::in_chat(&context.db, user_id, chat.0, now()).await? else {
        telegram::send_with_markup(bot, chat, menu::say(lang, "cancel-nothing"), removing_keyboard()).await?;
        return Ok(());
    };
    let creator = context.db.find_creator_by_telegram_user(user_id).await?;
    conversations::cancel(&context.db, &context.queue, creator.as_ref(), &flow).await?;
    if let Some(message_id) = flow.message_id {
        telegram::edit(bot, chat, MessageId(message_id), menu::say(lang, "wizard-cancelled")).await;
    }
    telegram::send_with_markup(bot, chat, menu::say(lang, "wizard-cancelled"), removing_keyboard()).await?;
    Ok(())
}

/// `/language`: buttons for every language the bot speaks.
pub async fn language_command(h: Handling, message: Message) -> HandlerResult {
    let Handling { bot, lang, .. } = &h;
    telegram::send(bot, message.chat.id, menu::language_picker(lang)).await?;
    Ok(())
}

/// Remembers the tapper's language; a creator's command menu and job messages follow it too.
pub async fn language_tap(h: Handling, query: CallbackQuery, code: &'static str) -> HandlerResult {
    let Handling { bot, context, .. } = &h;
    let user_id = query.from.id.0 as i64;
    context.db.choose_language(user_id, code, now()).await?;
    let lang = Lang::from_code(Some(code));
    if let Some(creator) = context.db.find_creator_by_telegram_user(user_id).await? {
        context.db.set_creator_language(creator.id, code).await?;
        if let Err(error) = register_creator_commands(bot, &creator, Some(code)).await {
            log::warn!("cannot register a creator's command menu: {error}");
        }
    }
    if let Some(message) = query.regular_message().filter(|message| message.chat.id.0 == user_id) {
        telegram::edit(bot, message.chat.id, message.id, menu::say(&lang, "language-chosen")).await;
    }
    answer_tap(&h, &query, Some(lang.t("language-chosen"))).await
}
