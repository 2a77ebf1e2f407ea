//! `/start` (with invite links and redeem links), `/help`, the creator's menu, `/cancel`, `/language`, and
//! answers to people who are not creators.

use teloxide::prelude::*;
use teloxide::types::{KeyboardRemove, MessageId, ReplyMarkup};

use super::{
    HandlerResult, Handling, Tap, access, answer_tap, billing, codes, generate, jobs, notices, plans,
    register_creator_commands, subscriber, tokens, webhooks,
};
use crate::domain::access_code::looks_like_code_attempt;
use crate::domain::clock::now;
use crate::domain::conversations::{self, ConversationKind};
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
        let screen = match creators::accept_invite(&context.db, &context.secret, token, joiner, now()).await {
            Ok(InviteAcceptance::Joined(creator)) => {
                if let Err(error) = register_creator_commands(bot, &creator, None).await {
                    log::warn!("cannot register a new creator's command menu: {error}");
                }
                menu::welcome(lang)
            }
            Ok(InviteAcceptance::AlreadyCreator(_)) => menu::creator_menu(lang).under(lang.t("invite-already-creator")),
            Err(error) => errors::screen(lang, &error),
        };
        telegram::send(bot, chat, screen).await?;
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
    telegram::send(bot, message.chat.id, menu::not_a_creator(lang)).await?;
    Ok(())
}

/// A message that is neither a code nor an answer: what to do instead, with buttons.
pub async fn other_message(h: Handling, message: Message) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let Some(user) = message.from.as_ref().filter(|_| message.chat.is_private()) else { return Ok(()) };
    let is_creator = creators::find_creator(&context.db, user.id.0 as i64).await?.is_some();
    telegram::send(bot, message.chat.id, menu::not_understood(lang, is_creator)).await?;
    Ok(())
}

/// A tap on a menu button opens what the command would, in a new message.
pub async fn menu_tap(h: Handling, query: CallbackQuery, item: MenuItem, tap: Tap) -> HandlerResult {
    let Handling { bot, lang, .. } = &h;
    let (creator, chat) = (&tap.creator, tap.chat_id);
    match item {
        MenuItem::Generate => generate::open_wizard(&h, creator, tap.user_id, chat).await?,
        MenuItem::Plans => plans::show_list(&h, creator, chat).await?,
        MenuItem::Jobs => jobs::show_list(&h, creator, chat).await?,
        MenuItem::Codes => codes::show_picker(&h, creator, chat).await?,
        MenuItem::Members => access::show_members(&h, creator, chat).await?,
        MenuItem::Billing => billing::show(&h, creator, chat).await?,
        MenuItem::Webhooks => webhooks::show_list(&h, creator, chat).await?,
        MenuItem::Tokens => tokens::show_list(&h, creator, chat).await?,
        MenuItem::Notify => notices::show_card(&h, creator, chat).await?,
        MenuItem::NewPlan => plans::start_new_plan(&h, tap.user_id, chat, None).await?,
        MenuItem::Language => send(bot, chat, menu::language_picker(lang)).await?,
        MenuItem::HowItWorks => send(bot, chat, menu::how_it_works(lang)).await?,
        MenuItem::More => send(bot, chat, menu::reference(lang)).await?,
        MenuItem::Help => send(bot, chat, menu::help(lang, true)).await?,
    }
    answer_tap(&h, &query, Some(String::new())).await
}

async fn send(bot: &crate::telegram::TgBot, chat: ChatId, screen: Screen) -> HandlerResult {
    telegram::send(bot, chat, screen).await?;
    Ok(())
}

/// **My subscriptions**, tapped by anyone: their subscriptions and Join buttons, in a new message.
pub async fn my_subscriptions_tap(h: Handling, query: CallbackQuery) -> HandlerResult {
    let user_id = query.from.id.0 as i64;
    // Only in the tapper's own chat with the bot, as a tap there comes from them alone.
    if query.regular_message().is_some_and(|message| message.chat.id.0 == user_id) {
        subscriber::show_subscriptions(&h, user_id, ChatId(user_id)).await?;
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
    // Said once, in answer to the command; the question keeps its text and loses its buttons. The chat
    // picker's keyboard goes with the answer.
    if let Some(message_id) = flow.message_id.filter(|_| flow.kind != ConversationKind::LinkChat) {
        telegram::strip_buttons(bot, chat, MessageId(message_id)).await;
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
