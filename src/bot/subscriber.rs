//! Subscribers: redeeming a code (plain message, `/redeem`, or the `/start` link), `/my`, and revoking an
//! invite link once someone joined through it.

use teloxide::prelude::*;
use teloxide::types::{ChatMemberUpdated, InlineKeyboardButton, User};

use super::{BotContext, HandlerResult, Handling, creator_lang, start};
use crate::db::plans::Plan;
use crate::db::redemption::{ChatInvite, Subscription};
use crate::domain::access_code::looks_like_code_attempt;
use crate::domain::clock::now;
use crate::domain::redemption::{self, RedeemOutcome, Redemption, Subscriber};
use crate::domain::{DomainError, ids, subscriptions};
use crate::telegram::{self, TgBot};
use crate::views::subscriber::{self as view, SubscriberName};
use crate::views::{Screen, errors, menu};

pub async fn redeem_command(h: Handling, message: Message, args: String) -> HandlerResult {
    let Handling { bot, lang, .. } = &h;
    if args.trim().is_empty() {
        telegram::send(&bot, message.chat.id, menu::say(&lang, "usage-redeem")).await?;
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
    let subscriber = Subscriber { telegram_user_id: user.id.0 as i64, display_name: user.full_name() };
    let at = now();
    match redemption::redeem(&context.db, &context.secret, &subscriber, input, at).await {
        Ok(RedeemOutcome::Redeemed(redeemed)) => {
            let join = join_button(h, &redeemed.plan, &redeemed.subscription).await?;
            telegram::send(bot, chat, view::redeemed(lang, &redeemed, join)).await?;
            tell_creators(bot, context, user, &redeemed).await?;
        }
        Ok(RedeemOutcome::Refused(refusal)) => {
            telegram::send(bot, chat, Screen::new(view::refused(lang, refusal, at))).await?;
        }
        Err(error) => {
            telegram::send(bot, chat, Screen::new(errors::chat(lang, &error))).await?;
        }
    }
    Ok(())
}

/// A Join button with a fresh single-use invite link, when the plan unlocks a chat and the subscription is
/// active. A link Telegram will not make leaves the button out; the answer says the invite is unavailable.
async fn join_button(
    h: &Handling,
    plan: &Plan,
    subscription: &Subscription,
) -> Result<Option<InlineKeyboardButton>, DomainError> {
    let Handling { bot, context, lang } = h;
    let Some(chat_id) = plan.linked_chat_id else { return Ok(None) };
    let at = now();
    if !subscriptions::is_active(subscription, at) {
        return Ok(None);
    }
    let expires_at = subscriptions::invite_expires_at(at);
    let created = bot
        .create_chat_invite_link(ChatId(chat_id))
        .member_limit(1)
        .expire_date(expires_at)
        .name(format!("accessbot {}", &ids::public_id(ids::SUBSCRIPTION, subscription.id)[..20]))
        .await;
    let link = match created {
        Ok(link) => link,
        Err(error) => {
            log::warn!("cannot create an invite link for a plan's chat: {error}");
            return Ok(None);
        }
    };
    let url = url::Url::parse(&link.invite_link)
        .map_err(|error| DomainError::internal("reading the invite link Telegram made", error))?;
    let invite = ChatInvite {
        id: ids::new_id(),
        subscription_id: subscription.id,
        chat_id,
        invite_link: link.invite_link,
        expires_at,
        created_at: at,
        joined_by: None,
        revoked_at: None,
    };
    // An invite the bot cannot record could not be revoked once used, so it is not handed out.
    if let Err(error) = context.db.insert_chat_invite(invite).await {
        DomainError::internal("recording an invite link", error);
        return Ok(None);
    }
    Ok(Some(view::join_button(lang, plan, url)))
}

async fn tell_creators(
    bot: &TgBot,
    context: &BotContext,
    subscriber: &User,
    redeemed: &Redemption,
) -> Result<(), DomainError> {
    let who = SubscriberName {
        full_name: subscriber.full_name(),
        username: subscriber.username.as_deref(),
        id: subscriber.id.0 as i64,
    };
    for creator in context.db.creators_of_team(redeemed.plan.team_id).await? {
        let Some(chat_id) = creator.linked_chat_id else { continue };
        let text = view::creator_told_of_redemption(&creator_lang(&creator), &who, redeemed);
        if let Err(error) = telegram::send(bot, ChatId(chat_id), Screen::new(text)).await {
            log::warn!("cannot tell a creator about a redemption: {error}");
        }
    }
    Ok(())
}

pub async fn my_command(h: Handling, message: Message) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    let subscriptions: Vec<(Subscription, Plan)> = context
        .db
        .subscriptions_of(user.id.0 as i64)
        .await?
        .into_iter()
        .filter_map(|(subscription, plan)| Some((subscription, plan?)))
        .collect();
    let at = now();
    let mut joins = Vec::new();
    for (subscription, plan) in &subscriptions {
        if let Some(button) = join_button(&h, plan, subscription).await? {
            joins.push(button);
        }
    }
    telegram::send(&bot, message.chat.id, view::my_subscriptions(&lang, &subscriptions, joins, at)).await?;
    Ok(())
}

/// Someone joined a chat: if through one of our single-use links, the link is revoked at once.
pub async fn member_joined(h: Handling, update: ChatMemberUpdated) -> HandlerResult {
    let Handling { bot, context, .. } = &h;
    let Some(link) = update.invite_link.as_ref() else { return Ok(()) };
    if !update.new_chat_member.is_present() || update.old_chat_member.is_present() {
        return Ok(());
    }
    let joined_by = update.new_chat_member.user.id.0 as i64;
    if let Some(invite) = context.db.use_chat_invite(&link.invite_link, joined_by, now()).await? {
        bot.revoke_chat_invite_link(ChatId(invite.chat_id), invite.invite_link.clone()).await?;
        log::info!("an invite link was used and revoked");
    }
    Ok(())
}
