//! `/start` (with invite links), `/help`, and answers to people who are not creators.
use std::sync::Arc;

use teloxide::prelude::*;

use super::{BotContext, HandlerResult, TgBot, lang_of, redeem, replies};
use crate::domain::clock::now;
use crate::domain::creators::{self, INVITE_PREFIX, InviteAcceptance, Joiner};

pub async fn start(bot: TgBot, message: Message, payload: String, context: Arc<BotContext>) -> HandlerResult {
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    if let Some(token) = payload.trim().strip_prefix(INVITE_PREFIX) {
        if !message.chat.is_private() {
            let lang = lang_of(Some(user), None);
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
            Ok(InviteAcceptance::Joined(creator)) => lang_of(Some(user), Some(&creator)).t("invite-accepted"),
            Ok(InviteAcceptance::AlreadyCreator(creator)) => {
                lang_of(Some(user), Some(&creator)).t("invite-already-creator")
            }
            Err(error) => replies::error_text(&lang_of(Some(user), None), &error),
        };
        bot.send_message(message.chat.id, text).await?;
        return Ok(());
    }
    if redeem::looks_like_code(&payload) {
        return redeem::redeem_and_answer(&bot, &message, &payload, &context).await;
    }
    help(bot, message, context).await
}

pub async fn help(bot: TgBot, message: Message, context: Arc<BotContext>) -> HandlerResult {
    let user = message.from.as_ref();
    let creator = match user {
        Some(user) => creators::find_creator(&context.db, user.id.0 as i64).await.ok().flatten(),
        None => None,
    };
    let lang = lang_of(user, creator.as_ref());
    let key = if creator.is_some() { "help-creator" } else { "help-everyone" };
    bot.send_message(message.chat.id, lang.t(key)).await?;
    Ok(())
}

pub async fn not_a_creator(bot: TgBot, message: Message) -> HandlerResult {
    let lang = lang_of(message.from.as_ref(), None);
    bot.send_message(message.chat.id, lang.t("not-a-creator")).await?;
    Ok(())
}

pub async fn other_message(bot: TgBot, message: Message) -> HandlerResult {
    if !message.chat.is_private() {
        return Ok(());
    }
    let lang = lang_of(message.from.as_ref(), None);
    bot.send_message(message.chat.id, lang.t("unknown-message")).await?;
    Ok(())
}
