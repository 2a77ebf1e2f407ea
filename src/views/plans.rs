//! Plans: a plan's line, the `/plans` list with its buttons, and the questions of the plan conversations.
use teloxide::types::{
    ButtonRequest, ChatAdministratorRights, InlineKeyboardButton, KeyboardButton, KeyboardButtonRequestChat,
    KeyboardMarkup, RequestId,
};

use super::buttons::{Callback, PlansButton};
use super::generate::flow_button;
use super::{Screen, button, format, page_of, paged_header, paging_row};
use crate::db::plans::{Plan, PlanChat};
use crate::domain::conversations::{Flow, FlowAction};
use crate::domain::plans::{self, ChatRightsProblem, DURATION_CHOICES, PlanStatus};
use crate::i18n::Lang;

/// The chat picker's request for a channel.
pub const CHANNEL_REQUEST: i32 = 1;
/// The chat picker's request for a group.
pub const GROUP_REQUEST: i32 = 2;

pub fn plan_line(lang: &Lang, plan: &Plan, chats: usize) -> String {
    let linked =
        if chats == 0 { lang.t("plan-chat-none") } else { lang.t_with("plan-chat-linked", &[("count", chats.into())]) };
    lang.t_with(
        "plan-line",
        &[
            ("name", plan.name.as_str().into()),
            ("duration", format::plan_duration(lang, plans::duration_of(plan)).into()),
            ("status", lang.t(&format!("plan-status-{}", plan.status)).into()),
            ("linked", linked.into()),
        ],
    )
}

pub fn created(lang: &Lang, plan: &Plan) -> String {
    lang.t_with(
        "plan-created",
        &[
            ("name", plan.name.as_str().into()),
            ("duration", format::plan_duration(lang, plans::duration_of(plan)).into()),
        ],
    )
}

/// A plan made in one line: what it is, and the chat to link next.
pub fn created_with_link(lang: &Lang, plan: &Plan) -> Screen {
    let link = button(lang.t("button-link-another"), Callback::Plans(PlansButton::LinkChat(plan.id)));
    Screen::new(created(lang, plan)).row(vec![link])
}

/// A page of the plan list, with a row of buttons per plan.
pub fn list(lang: &Lang, all: &[(Plan, Vec<PlanChat>)], page: u32) -> Screen {
    let new_plan = vec![button(lang.t("button-new-plan"), Callback::Plans(PlansButton::NewPlan))];
    if all.is_empty() {
        return Screen::new(lang.t("plans-empty")).row(new_plan);
    }
    let (plans, page, pages) = page_of(all, page);
    let lines: Vec<String> = plans.iter().map(|(plan, chats)| plan_line(lang, plan, chats.len())).collect();
    let header = paged_header(lang, lang.t_with("plans-header", &[("count", all.len().into())]), page, pages);
    let text = format!("{header}\n\n{}", lines.join("\n"));
    let rows = plans.iter().map(|(plan, _)| {
        let labelled = |key: &str, action: PlansButton| {
            button(lang.t_with(key, &[("name", plan.name.as_str().into())]), Callback::Plans(action))
        };
        let status = match plan.status {
            PlanStatus::Active => labelled("button-archive-plan", PlansButton::Archive(plan.id)),
            PlanStatus::Archived => labelled("button-reactivate-plan", PlansButton::Reactivate(plan.id)),
        };
        vec![
            labelled("button-rename-plan", PlansButton::Rename(plan.id)),
            status,
            labelled("button-plan-chats", PlansButton::Chats(plan.id)),
        ]
    });
    Screen::new(text)
        .rows(rows)
        .row(paging_row(lang, page, pages, |page| Callback::Plans(PlansButton::Page(page))))
        .row(new_plan)
}

/// The page of the plan list that shows `plan_id`.
pub fn page_showing(all: &[(Plan, Vec<PlanChat>)], plan_id: uuid::Uuid) -> u32 {
    all.iter().position(|(plan, _)| plan.id == plan_id).map_or(0, |index| (index / super::PER_PAGE) as u32)
}

pub fn status_changed(lang: &Lang, plan: &Plan, status: PlanStatus) -> String {
    lang.t_with(&format!("plan-now-{status}"), &[("name", plan.name.as_str().into())])
}

pub fn cancel_row(flow: &Flow, lang: &Lang) -> Vec<InlineKeyboardButton> {
    vec![flow_button(flow, lang.t("button-cancel"), FlowAction::Cancel)]
}

pub fn ask_name(lang: &Lang, flow: &Flow) -> Screen {
    Screen::new(lang.t("newplan-ask-name")).row(cancel_row(flow, lang))
}

pub fn ask_new_name(lang: &Lang, flow: &Flow, plan: &Plan) -> Screen {
    Screen::new(lang.t_with("rename-ask-name", &[("plan", plan.name.as_str().into())])).row(cancel_row(flow, lang))
}

/// A name or a number of days again, under what was wrong with the last one.
pub fn ask_again(lang: &Lang, flow: &Flow, problem: String) -> Screen {
    let question = match (flow.kind, flow.step) {
        (_, crate::domain::conversations::Step::Days) => lang.t("newplan-ask-days"),
        (crate::domain::conversations::ConversationKind::RenamePlan, _) => lang.t("rename-ask-again"),
        _ => lang.t("newplan-ask-name"),
    };
    Screen::new(question).row(cancel_row(flow, lang)).under(problem)
}

pub fn ask_duration(lang: &Lang, flow: &Flow) -> Screen {
    let name = flow.state.plan_name.clone().unwrap_or_default();
    let choices: Vec<_> = DURATION_CHOICES
        .iter()
        .map(|choice| {
            flow_button(flow, lang.t(&format!("plan-duration-{choice}")), FlowAction::Duration((*choice).to_owned()))
        })
        .collect();
    Screen::new(lang.t_with("newplan-ask-duration", &[("name", name.into())]))
        .rows(choices.chunks(3).map(<[_]>::to_vec))
        .row(vec![flow_button(flow, lang.t("plan-duration-custom"), FlowAction::Duration("custom".to_owned()))])
        .row(vec![
            flow_button(flow, lang.t("button-back"), FlowAction::Back),
            flow_button(flow, lang.t("button-cancel"), FlowAction::Cancel),
        ])
}

pub fn ask_days(lang: &Lang, flow: &Flow) -> Screen {
    Screen::new(lang.t("newplan-ask-days")).row(vec![
        flow_button(flow, lang.t("button-back"), FlowAction::Back),
        flow_button(flow, lang.t("button-cancel"), FlowAction::Cancel),
    ])
}

/// The rights the bot needs in a plan's chat: inviting users (its join links), and for itself restricting
/// members too (removal when access ends).
fn invite_rights(can_restrict_members: bool) -> ChatAdministratorRights {
    ChatAdministratorRights {
        is_anonymous: false,
        can_manage_chat: false,
        can_delete_messages: false,
        can_manage_video_chats: false,
        can_restrict_members,
        can_promote_members: false,
        can_change_info: false,
        can_invite_users: true,
        can_post_messages: None,
        can_edit_messages: None,
        can_pin_messages: None,
        // The Bot API requires the story rights to be present, though teloxide makes them optional.
        can_post_stories: Some(false),
        can_edit_stories: Some(false),
        can_delete_stories: Some(false),
        can_manage_topics: None,
    }
}

/// Telegram's chat picker, for a channel or a group the bot administers, and Skip.
pub fn chat_picker(lang: &Lang) -> KeyboardMarkup {
    let request = |id: i32, is_channel: bool| {
        ButtonRequest::RequestChat(
            KeyboardButtonRequestChat::new(RequestId(id), is_channel)
                .user_administrator_rights(invite_rights(false))
                .bot_administrator_rights(invite_rights(true))
                .request_title(),
        )
    };
    KeyboardMarkup::new(vec![
        vec![
            KeyboardButton::new(lang.t("button-pick-channel")).request(request(CHANNEL_REQUEST, true)),
            KeyboardButton::new(lang.t("button-pick-group")).request(request(GROUP_REQUEST, false)),
        ],
        vec![KeyboardButton::new(lang.t("button-skip"))],
    ])
    .resize_keyboard()
    .one_time_keyboard()
}

/// The question that goes with the chat picker, under what was wrong with the last chat picked.
pub fn ask_for_chat(lang: &Lang, plan_name: &str, problem: Option<(ChatRightsProblem, &str)>) -> String {
    let text = lang.t_with("link-ask-chat", &[("plan", plan_name.into())]);
    match problem {
        None => text,
        Some((problem, chat)) => {
            let key = match problem {
                ChatRightsProblem::NotAdministrator => "link-not-admin",
                ChatRightsProblem::CannotInvite => "link-no-invite-right",
                ChatRightsProblem::CannotRestrict => "link-no-restrict-right",
            };
            format!("{}\n\n{text}", lang.t_with(key, &[("chat", chat.into())]))
        }
    }
}

/// Whether a typed answer to the chat picker means Skip.
pub fn is_skip(lang: &Lang, text: &str) -> bool {
    text == lang.t("button-skip") || text.eq_ignore_ascii_case("/skip")
}

/// A chat linked; with a warning when the bot may not remove members there.
pub fn linked(lang: &Lang, chat: &str, plan: &str, problem: Option<ChatRightsProblem>) -> String {
    let done = lang.t_with("link-done", &[("chat", chat.into()), ("plan", plan.into())]);
    match problem {
        Some(ChatRightsProblem::CannotRestrict) => {
            format!("{done}\n\n{}", lang.t_with("link-no-restrict-right", &[("chat", chat.into())]))
        }
        _ => done,
    }
}

/// The chats a plan unlocks, each with a button to unlink it, and one to link another.
pub fn chats(lang: &Lang, plan: &Plan, chats: &[PlanChat]) -> Screen {
    let name = plan.name.as_str();
    let text = if chats.is_empty() {
        lang.t_with("plan-chats-none", &[("plan", name.into())])
    } else {
        let lines: Vec<String> =
            chats.iter().map(|chat| lang.t_with("plan-chat-line", &[("chat", chat_title(chat).into())])).collect();
        format!("{}\n{}", lang.t_with("plan-chats-header", &[("plan", name.into())]), lines.join("\n"))
    };
    let unlink = chats.iter().map(|chat| {
        let label = lang.t_with("button-unlink-chat", &[("chat", chat_title(chat).into())]);
        vec![button(label, Callback::Plans(PlansButton::Unlink(plan.id, chat.chat_id)))]
    });
    Screen::new(text)
        .rows(unlink)
        .row(vec![button(lang.t("button-link-another"), Callback::Plans(PlansButton::LinkChat(plan.id)))])
}

/// A linked chat's title, or its id when Telegram gave none.
pub fn chat_title(chat: &PlanChat) -> String {
    if chat.title.is_empty() { chat.chat_id.to_string() } else { chat.title.clone() }
}

pub fn unlinked(lang: &Lang, chat: &str, plan: &str) -> String {
    lang.t_with("chat-unlinked", &[("chat", chat.into()), ("plan", plan.into())])
}

pub fn renamed(lang: &Lang, old: &str, name: &str) -> String {
    lang.t_with("rename-done", &[("old", old.into()), ("name", name.into())])
}
