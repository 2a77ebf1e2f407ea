//! Subscribers: redeeming a code (plain message, `/redeem`, or the `/start` link), `/my`, and
//! revoking an invite link once someone joined through it.
use std::sync::Arc;

use chrono::Duration;
use teloxide::prelude::*;
use teloxide::types::{ChatMemberUpdated, InlineKeyboardButton, InlineKeyboardMarkup, User};

use super::{BotContext, HandlerResult, TgBot, creator_lang, replies};
use crate::db::plans::Plan;
use crate::db::redemption::{ChatInvite, Subscription};
use crate::domain::clock::now;
use crate::domain::ids;
use crate::domain::redemption::{self, RedeemOutcome, Redemption, Refusal, Subscriber};
use crate::i18n::Lang;

const INVITE_LIFETIME_HOURS: i64 = 24;

/// Whether a plain message is meant as a code: 8 to 16 letters and digits once spaces and dashes go.
pub fn looks_like_code(text: &str) -> bool {
    let symbols: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (8..=16).contains(&symbols.len()) && symbols.iter().all(char::is_ascii_alphanumeric)
}

pub async fn redeem_command(
    bot: TgBot,
    message: Message,
    args: String,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    if args.trim().is_empty() {
        bot.send_message(message.chat.id, lang.t("usage-redeem")).await?;
        return Ok(());
    }
    redeem_and_answer(&bot, &message, &args, &lang, &context).await
}

/// A plain message: a code is redeemed, anything else gets the usual "I did not understand".
pub async fn plain_text(bot: TgBot, message: Message, lang: Lang, context: Arc<BotContext>) -> HandlerResult {
    match message.text() {
        Some(text) if message.chat.is_private() && looks_like_code(text) => {
            let text = text.to_owned();
            redeem_and_answer(&bot, &message, &text, &lang, &context).await
        }
        _ => super::start::other_message(bot, message, lang).await,
    }
}

pub async fn redeem_and_answer(
    bot: &TgBot,
    message: &Message,
    input: &str,
    lang: &Lang,
    context: &BotContext,
) -> HandlerResult {
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    if !message.chat.is_private() {
        bot.send_message(message.chat.id, lang.t("redeem-private-chat-only")).await?;
        return Ok(());
    }
    let subscriber = Subscriber { telegram_user_id: user.id.0 as i64, display_name: user.full_name() };
    let outcome = redemption::redeem(&context.db, &context.secret, &subscriber, input, now()).await;
    match outcome {
        Ok(RedeemOutcome::Redeemed(redeemed)) => {
            let join = join_button(bot, context, lang, &redeemed.plan, &redeemed.subscription).await;
            let mut request = bot.send_message(message.chat.id, redeemed_text(lang, &redeemed, join.is_some()));
            if let Some(button) = join {
                request = request.reply_markup(InlineKeyboardMarkup::new(vec![vec![button]]));
            }
            request.await?;
            tell_creators(bot, context, user, &redeemed).await;
        }
        Ok(RedeemOutcome::Refused(refusal)) => {
            bot.send_message(message.chat.id, refusal_text(lang, refusal)).await?;
        }
        Err(error) => {
            bot.send_message(message.chat.id, replies::error_text(lang, &error)).await?;
        }
    }
    Ok(())
}

fn access_until_text(lang: &Lang, subscription: &Subscription) -> String {
    match subscription.ends_at {
        None => lang.t("access-lifetime"),
        Some(end) => lang.t_with("access-until", &[("date", replies::format_time(lang, end).into())]),
    }
}

fn redeemed_text(lang: &Lang, redeemed: &Redemption, has_join_button: bool) -> String {
    let mut text = lang.t_with(
        "redeem-success",
        &[
            ("plan", redeemed.plan.name.as_str().into()),
            ("until", access_until_text(lang, &redeemed.subscription).into()),
        ],
    );
    if redeemed.plan.linked_chat_id.is_some() {
        text.push_str("\n\n");
        text.push_str(&lang.t(if has_join_button { "redeem-join" } else { "redeem-invite-unavailable" }));
    }
    text
}

fn refusal_text(lang: &Lang, refusal: Refusal) -> String {
    match refusal {
        Refusal::Unknown => lang.t("redeem-unknown"),
        Refusal::AlreadyRedeemed => lang.t("redeem-already-redeemed"),
        Refusal::Expired => lang.t("redeem-expired"),
        Refusal::PlanArchived => lang.t("redeem-plan-archived"),
        Refusal::TooManyAttempts { retry_at } => {
            let minutes = ((retry_at - now()).num_seconds().max(1) + 59) / 60;
            lang.t_with(
                "redeem-too-many-attempts",
                &[("minutes", minutes.into()), ("time", replies::format_time(lang, retry_at).into())],
            )
        }
    }
}

/// A Join button with a fresh single-use invite link, when the plan unlocks a chat and the
/// subscription is active.
async fn join_button(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    plan: &Plan,
    subscription: &Subscription,
) -> Option<InlineKeyboardButton> {
    let chat_id = plan.linked_chat_id?;
    let at = now();
    if subscription.ends_at.is_some_and(|end| end <= at) {
        return None;
    }
    let expires_at = at + Duration::hours(INVITE_LIFETIME_HOURS);
    let created = bot
        .create_chat_invite_link(ChatId(chat_id))
        .member_limit(1)
        .expire_date(expires_at)
        .name(format!("accessbot {}", &ids::public_id(ids::SUBSCRIPTION, subscription.id)[..20]))
        .await;
    let link = match created {
        Ok(link) => link,
        Err(error) => {
            log::warn!("accessbot::bot cannot create an invite link for a plan's chat: {error}");
            return None;
        }
    };
    let invite = ChatInvite {
        id: ids::new_id(),
        subscription_id: subscription.id,
        chat_id,
        invite_link: link.invite_link.clone(),
        expires_at,
        created_at: at,
        joined_by: None,
        revoked_at: None,
    };
    if let Err(error) = context.db.insert_chat_invite(invite).await {
        log::error!("accessbot::bot cannot store an invite link: {error}");
    }
    let url = url::Url::parse(&link.invite_link).ok()?;
    Some(InlineKeyboardButton::url(lang.t_with("button-join", &[("plan", plan.name.as_str().into())]), url))
}

async fn tell_creators(bot: &TgBot, context: &BotContext, subscriber: &User, redeemed: &Redemption) {
    let creators = match context.db.creators_of_team(redeemed.plan.team_id).await {
        Ok(creators) => creators,
        Err(error) => {
            log::error!("accessbot::bot cannot find the creators to tell about a redemption: {error}");
            return;
        }
    };
    for creator in creators {
        let Some(chat_id) = creator.linked_chat_id else { continue };
        let lang = creator_lang(&creator);
        let name = subscriber.full_name();
        let id = subscriber.id.0.to_string();
        let who = match &subscriber.username {
            Some(username) => lang.t_with(
                "subscriber-with-username",
                &[("name", name.into()), ("username", username.as_str().into()), ("id", id.into())],
            ),
            None => lang.t_with("subscriber-without-username", &[("name", name.into()), ("id", id.into())]),
        };
        let mut text = lang.t_with(
            "creator-code-redeemed",
            &[
                ("code", redeemed.code_masked.as_str().into()),
                ("who", who.as_str().into()),
                ("plan", redeemed.plan.name.as_str().into()),
                ("left", redeemed.free_left.into()),
                ("allotment", redeemed.allotment.into()),
            ],
        );
        if redeemed.billed_as_overage {
            text.push('\n');
            text.push_str(&lang.t("creator-code-redeemed-overage"));
        }
        if let Err(error) = bot.send_message(ChatId(chat_id), text).await {
            log::warn!("accessbot::bot cannot tell a creator about a redemption: {error}");
        }
    }
}

pub async fn my_command(bot: TgBot, message: Message, lang: Lang, context: Arc<BotContext>) -> HandlerResult {
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    let subscriptions = match context.db.subscriptions_of(user.id.0 as i64).await {
        Ok(subscriptions) => subscriptions,
        Err(error) => {
            let error = crate::domain::DomainError::from(error);
            bot.send_message(message.chat.id, replies::error_text(&lang, &error)).await?;
            return Ok(());
        }
    };
    if subscriptions.is_empty() {
        bot.send_message(message.chat.id, lang.t("my-empty")).await?;
        return Ok(());
    }
    let at = now();
    let mut lines = Vec::new();
    let mut buttons = Vec::new();
    for (subscription, plan) in &subscriptions {
        let Some(plan) = plan else { continue };
        let active = subscription.ends_at.is_none_or(|end| end > at);
        let state = if active {
            access_until_text(&lang, subscription)
        } else {
            lang.t_with(
                "access-ended",
                &[("date", replies::format_time(&lang, subscription.ends_at.unwrap_or(at)).into())],
            )
        };
        lines.push(lang.t_with("my-line", &[("plan", plan.name.as_str().into()), ("state", state.into())]));
        if active && let Some(button) = join_button(&bot, &context, &lang, plan, subscription).await {
            buttons.push(vec![button]);
        }
    }
    let text = format!("{}\n\n{}", lang.t("my-header"), lines.join("\n"));
    let mut request = bot.send_message(message.chat.id, text);
    if !buttons.is_empty() {
        request = request.reply_markup(InlineKeyboardMarkup::new(buttons));
    }
    request.await?;
    Ok(())
}

/// Someone joined a chat: if through one of our single-use links, the link is revoked at once.
pub async fn member_joined(bot: TgBot, update: ChatMemberUpdated, context: Arc<BotContext>) -> HandlerResult {
    let Some(link) = update.invite_link.as_ref() else { return Ok(()) };
    if !update.new_chat_member.is_present() || update.old_chat_member.is_present() {
        return Ok(());
    }
    let joined_by = update.new_chat_member.user.id.0 as i64;
    if let Some(invite) = context.db.use_chat_invite(&link.invite_link, joined_by, now()).await? {
        bot.revoke_chat_invite_link(ChatId(invite.chat_id), invite.invite_link.clone()).await?;
        log::info!("accessbot::bot an invite link was used and revoked");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_that_look_like_codes_are_redeemed_and_others_are_not() {
        assert!(looks_like_code("ABCD-EFGH-JKMN"));
        assert!(looks_like_code(" abcd efgh jkmn "));
        assert!(looks_like_code("ABCDEFGHJKM"));
        assert!(!looks_like_code("hello"));
        assert!(!looks_like_code("I would like a code please"));
    }
}
