//! Access to the chats as people read it: a declined join request, the end of access and the reminder
//! before it, the bot's missing rights as its creator is told them, and `/members`, `/check`, `/remove`.
use chrono::{DateTime, Utc};

use super::buttons::{Callback, MenuItem, RemoveButton, RollbackButton};
use super::plans::chat_title;
use super::{Screen, button, format};
use crate::db::plans::{Plan, PlanChat};
use crate::db::redemption::Subscription;
use crate::domain::access::{PersonAccess, PlanMembers};
use crate::domain::plans::ChatRightsProblem;
use crate::domain::subscriptions;
use crate::i18n::Lang;

pub fn join_declined(lang: &Lang, chat: &str) -> Screen {
    Screen::new(lang.t_with("join-declined", &[("chat", chat.into())]))
}

pub fn access_ended(lang: &Lang, plan: &Plan) -> Screen {
    Screen::new(lang.t_with("access-ended-notice", &[("plan", plan.name.as_str().into())]))
}

pub fn reminder(lang: &Lang, plan: &Plan, ends_at: DateTime<Utc>) -> Screen {
    let date = format::time(lang, ends_at);
    Screen::new(lang.t_with("access-reminder", &[("plan", plan.name.as_str().into()), ("date", date.into())]))
}

/// What the creator is told, once, when the bot lacks a right it needs in a plan's chat.
pub fn rights_problem(lang: &Lang, chat: &PlanChat, plan: &Plan, problem: ChatRightsProblem) -> Screen {
    let args = [("chat", chat_title(chat).into()), ("plan", plan.name.as_str().into())];
    Screen::new(lang.t_with(&format!("rights-problem-{problem}"), &args))
}

pub fn members(lang: &Lang, overview: &[PlanMembers]) -> Screen {
    if overview.is_empty() {
        return Screen::new(lang.t("members-none")).row(vec![super::menu::menu_button(lang, MenuItem::NewPlan)]);
    }
    let lines: Vec<String> = overview
        .iter()
        .map(|plan| {
            lang.t_with(
                "members-line",
                &[
                    ("plan", plan.plan.name.as_str().into()),
                    ("active", plan.active_subscribers.into()),
                    ("admitted", plan.members_admitted.into()),
                    ("ending", plan.ending_within_week.into()),
                    ("removed", plan.removed_this_cycle.into()),
                ],
            )
        })
        .collect();
    Screen::new(format!("{}\n{}", lang.t("members-header"), lines.join("\n")))
}

fn subscription_state(lang: &Lang, subscription: &Subscription, now: DateTime<Utc>) -> String {
    match subscription.ends_at {
        None => lang.t("access-lifetime"),
        Some(end) if subscriptions::is_active(subscription, now) => {
            lang.t_with("access-until", &[("date", format::time(lang, end).into())])
        }
        Some(end) => lang.t_with("access-ended", &[("date", format::time(lang, end).into())]),
    }
}

/// Whether a person is in one of the plan's chats: let in by the bot, there anyway, or not there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Admitted(DateTime<Utc>),
    PresentAnyway,
    Absent,
}

/// `/check`: the person's subscriptions on the creator's plans, and per chat whether they are in it.
pub fn person(lang: &Lang, access: &PersonAccess, presence: &[Vec<Presence>], now: DateTime<Utc>) -> Screen {
    let user = access.user_id.to_string();
    if access.subscriptions.is_empty() {
        return Screen::new(lang.t_with("check-none", &[("user", user.into())]));
    }
    let mut lines = vec![lang.t_with("check-header", &[("user", user.into())])];
    for ((subscription, plan, chats), presence) in access.subscriptions.iter().zip(presence) {
        let state = subscription_state(lang, subscription, now);
        lines.push(lang.t_with("check-subscription", &[("plan", plan.name.as_str().into()), ("state", state.into())]));
        for ((chat, _), presence) in chats.iter().zip(presence) {
            let chat = chat_title(chat);
            lines.push(match presence {
                Presence::Admitted(at) => lang
                    .t_with("check-chat-admitted", &[("chat", chat.into()), ("date", format::time(lang, *at).into())]),
                Presence::PresentAnyway => lang.t_with("check-chat-present", &[("chat", chat.into())]),
                Presence::Absent => lang.t_with("check-chat-absent", &[("chat", chat.into())]),
            });
        }
    }
    let rollbacks = access.subscriptions.iter().filter_map(|(subscription, plan, _)| {
        let redemption = access.rollbacks.get(&subscription.id)?;
        let label = lang.t_with("button-rollback-of", &[("plan", plan.name.as_str().into())]);
        Some(vec![button(label, Callback::Rollback(RollbackButton::Preview(*redemption)))])
    });
    Screen::new(lines.join("\n")).rows(rollbacks)
}

pub fn remove_confirmation(lang: &Lang, user_id: i64) -> Screen {
    Screen::new(lang.t_with("remove-confirm", &[("user", user_id.to_string().into())])).row(vec![
        button(lang.t("button-remove-confirm"), Callback::Remove(RemoveButton::Confirm(user_id))),
        button(lang.t("button-cancel"), Callback::Remove(RemoveButton::Cancel)),
    ])
}

pub fn removed(lang: &Lang, user_id: i64, count: usize) -> Screen {
    Screen::new(lang.t_with("remove-done", &[("user", user_id.to_string().into()), ("count", count.into())]))
}
