//! Subscribers: redeeming a code (plain message, `/redeem`, or the `/start` link), `/my`, and revoking an
//! invite link once someone joined through it.

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardButton;

use super::{HandlerResult, Handling, start};
use crate::db::plans::Plan;
use crate::db::redemption::Subscription;
use crate::domain::access_code::looks_like_code_attempt;
use crate::domain::clock::now;
use crate::domain::redemption::{self, RedeemOutcome, Subscriber};
use crate::domain::{DomainError, access, ids, plans};
use crate::telegram;
use crate::views::subscriber::{self as view};
use crate::views::{errors, menu, plans as plans_view};

pub async fn redeem_command(h: Handling, message: Message, args: String) -> HandlerResult {
    let Handling { bot, lang, .. } = &h;
    if args.trim().is_empty() {
        telegram::send(bot, message.chat.id, menu::say(lang, "usage-redeem")).await?;
        return Ok(());
    }
    redeem_and_answer(&h, &message, &args).await
}

/// A plain message: a code is redeemed, anything else gets the usual "I did not understand".
pub async fn plain_text(h: Handling, message: Message) -> HandlerResult {
    match message.text() {
        Some(text) if message.chat.is_private() && looks_like_code_attempt(text) => {
            let text = text.to_owned();
            redeem_and_answer(&h, &message, &text).await
        }
        _ => start::other_message(h, message).await,
    }
}

pub async fn redeem_and_answer(h: &Handling, message: &Message, input: &str) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    let chat = message.chat.id;
    if !message.chat.is_private() {
        telegram::send(bot, chat, menu::say(lang, "redeem-private-chat-only")).await?;
        return Ok(());
    }
    let subscriber = Subscriber {
        telegram_user_id: user.id.0 as i64,
        display_name: user.full_name(),
        username: user.username.clone(),
        language_code: user.language_code.clone(),
    };
    let at = now();
    match redemption::redeem(&context.db, &context.secret, bot.metrics(), &subscriber, input, at).await {
        Ok(RedeemOutcome::Redeemed(redeemed)) => {
            let (joins, unavailable) = join_buttons(h, &redeemed.plan, &redeemed.subscription).await?;
            telegram::send(bot, chat, view::redeemed(lang, &redeemed, joins, unavailable)).await?;
            // The creator's notice was written with the redemption; the notifier sends it.
            context.notices_wake.notify_one();
        }
        Ok(RedeemOutcome::Refused(refusal)) => {
            telegram::send(bot, chat, view::refused(lang, refusal, at)).await?;
        }
        Err(error) => {
            telegram::send(bot, chat, errors::screen(lang, &error)).await?;
        }
    }
    Ok(())
}

/// A Join button for each chat of the plan the subscriber is not in yet, while the subscription is active,
/// each with the subscription's own join-request link there (made once, then the same every time); and
/// whether a link could not be made just now.
async fn join_buttons(
    h: &Handling,
    plan: &Plan,
    subscription: &Subscription,
) -> Result<(Vec<InlineKeyboardButton>, bool), DomainError> {
    let Handling { bot, context, lang } = h;
    let at = now();
    let several = plans::chats_of(&context.db, plan).await?.len() > 1;
    let (mut buttons, mut unavailable) = (Vec::new(), false);
    for (chat, kept) in access::chats_to_join(&context.db, plan, subscription, at).await? {
        let link = match kept {
            Some(kept) => kept.invite_link,
            None => {
                let request = bot
                    .api()
                    .create_chat_invite_link(ChatId(chat.chat_id))
                    .creates_join_request(true)
                    .name(format!("accessbot {}", &ids::public_id(ids::SUBSCRIPTION, subscription.id)[..20]));
                let made = bot.counted("createChatInviteLink", request).await;
                match made {
                    Ok(made) => {
                        access::keep_join_link(&context.db, subscription, chat.chat_id, made.invite_link, at)
                            .await?
                            .invite_link
                    }
                    Err(error) => {
                        log::warn!("cannot create a join link for a plan's chat: {error}");
                        unavailable = true;
                        continue;
                    }
                }
            }
        };
        let url = url::Url::parse(&link)
            .map_err(|error| DomainError::internal("reading the join link Telegram made", error))?;
        buttons.push(view::join_button(lang, plan, &plans_view::chat_title(&chat), several, url));
    }
    Ok((buttons, unavailable))
}

pub async fn my_command(h: Handling, message: Message) -> HandlerResult {
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    show_subscriptions(&h, user.id.0 as i64, message.chat.id).await
}

/// The person's subscriptions, with a Join button for each chat they may still join.
pub async fn show_subscriptions(h: &Handling, user_id: i64, chat: ChatId) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let subscriptions: Vec<(Subscription, Plan)> = context
        .db
        .subscriptions_of(user_id)
        .await?
        .into_iter()
        .filter_map(|(subscription, plan)| Some((subscription, plan?)))
        .collect();
    let at = now();
    let mut joins = Vec::new();
    for (subscription, plan) in &subscriptions {
        joins.extend(join_buttons(h, plan, subscription).await?.0);
    }
    telegram::send(bot, chat, view::my_subscriptions(lang, &subscriptions, joins, at)).await?;
    Ok(())
}
