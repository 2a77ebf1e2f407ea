//! What subscribers read: the answer to a code, `/my`, and what their creator is told.
use chrono::{DateTime, Utc};
use teloxide::types::InlineKeyboardButton;

use super::{Screen, format};
use crate::db::plans::Plan;
use crate::db::redemption::Subscription;
use crate::domain::redemption::{Redemption, Refusal};
use crate::domain::subscriptions;
use crate::i18n::Lang;

fn access_until(lang: &Lang, subscription: &Subscription) -> String {
    match subscription.ends_at {
        None => lang.t("access-lifetime"),
        Some(end) => lang.t_with("access-until", &[("date", format::time(lang, end).into())]),
    }
}

/// A Join button into one of a plan's chats, named after the chat when the plan unlocks several.
pub fn join_button(lang: &Lang, plan: &Plan, chat: &str, several: bool, link: url::Url) -> InlineKeyboardButton {
    let label = if several {
        lang.t_with("button-join-chat", &[("plan", plan.name.as_str().into()), ("chat", chat.into())])
    } else {
        lang.t_with("button-join", &[("plan", plan.name.as_str().into())])
    };
    InlineKeyboardButton::url(label, link)
}

/// The answer to a redeemed code, with a Join button per chat of the plan the subscriber is not in yet.
/// `unavailable` says that a link could not be made just now.
pub fn redeemed(lang: &Lang, redeemed: &Redemption, joins: Vec<InlineKeyboardButton>, unavailable: bool) -> Screen {
    let mut text = lang.t_with(
        "redeem-success",
        &[("plan", redeemed.plan.name.as_str().into()), ("until", access_until(lang, &redeemed.subscription).into())],
    );
    if !joins.is_empty() || unavailable {
        text.push_str("\n\n");
        text.push_str(&lang.t(if unavailable { "redeem-invite-unavailable" } else { "redeem-join" }));
    }
    Screen::new(text).rows(joins.into_iter().map(|button| vec![button]))
}

/// A code that gives no access, and what to do instead; a used code may have been the person's own.
pub fn refused(lang: &Lang, refusal: Refusal, now: DateTime<Utc>) -> Screen {
    let text = match refusal {
        Refusal::Unknown => lang.t("redeem-unknown"),
        Refusal::AlreadyRedeemed => lang.t("redeem-already-redeemed"),
        Refusal::Expired => lang.t("redeem-expired"),
        Refusal::PlanArchived => lang.t("redeem-plan-archived"),
        Refusal::NotNew => lang.t("redeem-not-new"),
        Refusal::NotReturning => lang.t("redeem-not-returning"),
        Refusal::TooManyAttempts { retry_at } => {
            let minutes = ((retry_at - now).num_seconds().max(1) + 59) / 60;
            lang.t_with(
                "redeem-too-many-attempts",
                &[("minutes", minutes.into()), ("time", format::time(lang, retry_at).into())],
            )
        }
    };
    Screen::new(text).row(vec![super::menu::my_subscriptions(lang)])
}

/// `/my`: each subscription with where it stands, and Join buttons for the active ones.
pub fn my_subscriptions(
    lang: &Lang,
    subscriptions: &[(Subscription, Plan)],
    joins: Vec<InlineKeyboardButton>,
    now: DateTime<Utc>,
) -> Screen {
    if subscriptions.is_empty() {
        return Screen::new(lang.t("my-empty"));
    }
    let lines: Vec<String> = subscriptions
        .iter()
        .map(|(subscription, plan)| {
            let state = if subscriptions::is_active(subscription, now) {
                access_until(lang, subscription)
            } else {
                let ended = subscription.ends_at.unwrap_or(now);
                lang.t_with("access-ended", &[("date", format::time(lang, ended).into())])
            };
            lang.t_with("my-line", &[("plan", plan.name.as_str().into()), ("state", state.into())])
        })
        .collect();
    Screen::new(format!("{}\n\n{}", lang.t("my-header"), lines.join("\n"))).rows(joins.into_iter().map(|b| vec![b]))
}

/// Who a subscriber is, as their creator reads it.
pub struct SubscriberName<'a> {
    pub full_name: String,
    pub username: Option<&'a str>,
    pub id: i64,
}

/// What a creator is told when one of their codes was redeemed, and nothing else waits.
pub fn creator_told_of_redemption_text(
    lang: &Lang,
    who: &SubscriberName,
    code: &str,
    plan: &str,
    free_left: i64,
    allotment: i64,
    overage: bool,
) -> String {
    let id = who.id.to_string();
    let who = match who.username {
        Some(username) => lang.t_with(
            "subscriber-with-username",
            &[("name", who.full_name.as_str().into()), ("username", username.into()), ("id", id.into())],
        ),
        None => {
            lang.t_with("subscriber-without-username", &[("name", who.full_name.as_str().into()), ("id", id.into())])
        }
    };
    let mut text = lang.t_with(
        "creator-code-redeemed",
        &[
            ("code", code.into()),
            ("who", who.into()),
            ("plan", plan.into()),
            ("left", free_left.into()),
            ("allotment", allotment.into()),
        ],
    );
    if overage {
        text.push('\n');
        text.push_str(&lang.t("creator-code-redeemed-overage"));
    }
    text
}
