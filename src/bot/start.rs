//! `/start` (with invite links), `/help`, and answers to people who are not creators.
use std::sync::Arc;

use teloxide::prelude::*;

use super::{BotContext, HandlerResult, TgBot, menu, redeem, register_creator_commands, replies};
use crate::domain::clock::now;
use crate::domain::creators::{self, INVITE_PREFIX, InviteAcceptance, Joiner};
use crate::i18n::Lang;

pub async fn start(
    bot: TgBot,
    message: Message,
    payload: String,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    if let Some(token) = payload.trim().strip_prefix(INVITE_PREFIX) {
        if !message.chat.is_private() {
            bot.send_message(message.chat.id, lang.t("invite-private-chat-only")).await?;
            return Ok(());
        }
        let joiner = Joiner {
            telegram_user_id: user.id.0 as i64,
            display_name: user.full_name(),
            language_code: user.language_code.clone(),
            chat_id: message.chat.id.0,
        };
        let text = match creators::accept_invite(&context.db, &context.secret, token, joiner, now()).await {
            Ok(InviteAcceptance::Joined(creator)) => {
                if let Err(error) = register_creator_commands(&bot, &creator, None).await {
                    log::warn!("accessbot::bot cannot register a new creator's command menu: {error}");
                }
                lang.t("invite-accepted")
            }
            Ok(InviteAcceptance::AlreadyCreator(_)) => lang.t("invite-already-creator"),
            Err(error) => replies::error_text(&lang, &error),
        };
        bot.send_message(message.chat.id, text).await?;
        return Ok(());
    }
    if redeem::looks_like_code(&payload) {
        return redeem::redeem_and_answer(&bot, &message, &payload, &lang, &context).await;
    }
    let is_creator = creators::find_creator(&context.db, user.id.0 as i64).await.ok().flatten().is_some();
    if is_creator && message.chat.is_private() {
        menu::creator_menu(&lang).send(&bot, message.chat.id).await?;
        return Ok(());
    }
    help(bot, message, lang, context).await
}

pub async fn help(bot: TgBot, message: Message, lang: Lang, context: Arc<BotContext>) -> HandlerResult {
    let user = message.from.as_ref();
    let creator = match user {
        Some(user) => creators::find_creator(&context.db, user.id.0 as i64).await.ok().flatten(),
        None => None,
    };
    let key = if creator.is_some() { "help-creator" } else { "help-everyone" };
    bot.send_message(message.chat.id, lang.t(key)).await?;
    Ok(())
}

pub async fn not_a_creator(bot: TgBot, message: Message, lang: Lang) -> HandlerResult {
    bot.send_message(message.chat.id, lang.t("not-a-creator")).await?;
    Ok(())
}

pub async fn other_message(bot: TgBot, message: Message, lang: Lang) -> HandlerResult {
    if !message.chat.is_private() {
        return Ok(());
    }
    bot.send_message(message.chat.id, lang.t("unknown-message")).await?;
    Ok(())
}
