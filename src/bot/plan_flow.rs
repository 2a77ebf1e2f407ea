//! Guided plan conversations: `/newplan` without arguments (name, access duration, the chat it
//! unlocks), renaming a plan, and linking a plan's channel or group with Telegram's chat picker.
use teloxide::prelude::*;
use teloxide::types::{
    ButtonRequest, ChatAdministratorRights, ChatId, ChatMemberKind, ChatShared, KeyboardButton,
    KeyboardButtonRequestChat, KeyboardMarkup, KeyboardRemove, MessageId, RequestId,
};

use super::conversation::{Flow, FlowState, kind};
use super::screen::Screen;
use super::{BotContext, HandlerResult, TgBot, replies};
use crate::db::conversations::conversation_status;
use crate::db::plans::Plan;
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::domain::{DomainError, plans};
use crate::i18n::Lang;

mod step {
    pub const NAME: &str = "name";
    pub const DURATION: &str = "duration";
    pub const DAYS: &str = "days";
    pub const LINK: &str = "link";
}

/// The durations offered as buttons, as `PlanDuration::parse` reads them.
const DURATION_CHOICES: [&str; 5] = ["1w", "1mo", "3mo", "1y", "lifetime"];
const CHANNEL_REQUEST: i32 = 1;
const GROUP_REQUEST: i32 = 2;

/// Whether the conversation reads typed text (or a shared chat) at its current step.
pub fn awaits_text(flow: &Flow) -> bool {
    matches!(flow.step.as_str(), step::NAME | step::DAYS | step::LINK)
}

fn cancel_row(flow: &Flow, lang: &Lang) -> Vec<teloxide::types::InlineKeyboardButton> {
    vec![flow.button(lang.t("button-cancel"), "x")]
}

/// Asks for the new plan's name, in a new message or in place of `replace`.
pub async fn start_new_plan(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    user_id: i64,
    chat_id: ChatId,
    replace: Option<MessageId>,
) -> HandlerResult {
    let mut flow =
        context.open_flow(user_id, chat_id.0, kind::NEW_PLAN, step::NAME, FlowState::default(), now()).await?;
    let screen = Screen::new(lang.t("newplan-ask-name")).row(cancel_row(&flow, lang));
    let message_id = match replace {
        Some(message_id) => {
            screen.edit(bot, chat_id, message_id).await;
            message_id
        }
        None => screen.send(bot, chat_id).await?.id,
    };
    context.move_flow_to_message(&mut flow, message_id.0).await?;
    Ok(())
}

/// Asks for a new name of `plan`.
pub async fn start_rename(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    user_id: i64,
    chat_id: ChatId,
    plan: &Plan,
) -> HandlerResult {
    let state = FlowState { plan_id: Some(plan.id), ..FlowState::default() };
    let mut flow = context.open_flow(user_id, chat_id.0, kind::RENAME_PLAN, step::NAME, state, now()).await?;
    let text = lang.t_with("rename-ask-name", &[("plan", plan.name.as_str().into())]);
    let sent = Screen::new(text).row(cancel_row(&flow, lang)).send(bot, chat_id).await?;
    context.move_flow_to_message(&mut flow, sent.id.0).await?;
    Ok(())
}

/// Offers Telegram's chat picker to link the chat `plan` unlocks.
pub async fn start_link(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    user_id: i64,
    chat_id: ChatId,
    plan: &Plan,
) -> HandlerResult {
    let state = FlowState { plan_id: Some(plan.id), ..FlowState::default() };
    let mut flow = context.open_flow(user_id, chat_id.0, kind::LINK_CHAT, step::LINK, state, now()).await?;
    let sent = ask_for_chat(bot, lang, chat_id, &plan.name, None).await?;
    context.move_flow_to_message(&mut flow, sent.id.0).await?;
    Ok(())
}

/// The rights the bot needs in a plan's chat: inviting users, which single-use links are.
fn invite_rights() -> ChatAdministratorRights {
    ChatAdministratorRights {
        is_anonymous: false,
        can_manage_chat: false,
        can_delete_messages: false,
        can_manage_video_chats: false,
        can_restrict_members: false,
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

fn chat_picker(lang: &Lang) -> KeyboardMarkup {
    let request = |id: i32, is_channel: bool| {
        ButtonRequest::RequestChat(
            KeyboardButtonRequestChat::new(RequestId(id), is_channel)
                .user_administrator_rights(invite_rights())
                .bot_administrator_rights(invite_rights())
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

async fn ask_for_chat(
    bot: &TgBot,
    lang: &Lang,
    chat_id: ChatId,
    plan_name: &str,
    problem: Option<String>,
) -> Result<Message, teloxide::RequestError> {
    let mut text = lang.t_with("link-ask-chat", &[("plan", plan_name.into())]);
    if let Some(problem) = problem {
        text = format!("{problem}\n\n{text}");
    }
    bot.send_message(chat_id, text).reply_markup(chat_picker(lang)).await
}

fn duration_screen(flow: &Flow, lang: &Lang) -> Screen {
    let name = flow.state.plan_name.clone().unwrap_or_default();
    let choices: Vec<_> = DURATION_CHOICES
        .iter()
        .map(|choice| flow.button(lang.t(&format!("plan-duration-{choice}")), &format!("du:{choice}")))
        .collect();
    let rows: Vec<Vec<_>> = choices.chunks(3).map(<[_]>::to_vec).collect();
    Screen::new(lang.t_with("newplan-ask-duration", &[("name", name.into())]))
        .rows(rows)
        .row(vec![flow.button(lang.t("plan-duration-custom"), "du:custom")])
        .row(vec![flow.button(lang.t("button-back"), "b"), flow.button(lang.t("button-cancel"), "x")])
}

/// Creates the plan the conversation collected, then offers to link its chat.
async fn create_and_offer_link(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    flow: &mut Flow,
    duration: &str,
) -> Result<Result<(), DomainError>, crate::bot::HandlerError> {
    let name = flow.state.plan_name.clone().unwrap_or_default();
    let plan = match plans::create_plan(&context.db, creator.team_id, &name, duration, now()).await {
        Ok(plan) => plan,
        Err(error) => return Ok(Err(error)),
    };
    let chat_id = ChatId(flow.chat_id);
    let created = lang.t_with("plan-created", &[("plan", replies::plan_line(lang, &plan).into())]);
    if let Some(message_id) = flow.message_id {
        Screen::new(created).edit(bot, chat_id, MessageId(message_id)).await;
    } else {
        bot.send_message(chat_id, created).await?;
    }
    let state = FlowState { plan_id: Some(plan.id), ..flow.state.clone() };
    if !context.advance_flow(flow, step::LINK, state, now()).await? {
        return Ok(Ok(()));
    }
    let sent = ask_for_chat(bot, lang, chat_id, &plan.name, None).await?;
    context.move_flow_to_message(flow, sent.id.0).await?;
    Ok(Ok(()))
}

/// A tap in a plan conversation; the answer to show, or `None` for a stale tap.
pub async fn on_tap(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    mut flow: Flow,
    action: &str,
    at: (ChatId, MessageId),
) -> Result<Option<String>, crate::bot::HandlerError> {
    if action == "x" {
        context.finish_flow(&flow, conversation_status::CANCELLED).await?;
        Screen::new(lang.t("wizard-cancelled")).edit(bot, at.0, at.1).await;
        return Ok(Some(lang.t("wizard-cancelled")));
    }
    if flow.kind != kind::NEW_PLAN {
        return Ok(None);
    }
    let state = flow.state.clone();
    match (flow.step.as_str(), action) {
        (step::DURATION, "b") => {
            if !context.advance_flow(&mut flow, step::NAME, state, now()).await? {
                return Ok(None);
            }
            Screen::new(lang.t("newplan-ask-name")).row(cancel_row(&flow, lang)).edit(bot, at.0, at.1).await;
        }
        (step::DAYS, "b") => {
            if !context.advance_flow(&mut flow, step::DURATION, state, now()).await? {
                return Ok(None);
            }
            duration_screen(&flow, lang).edit(bot, at.0, at.1).await;
        }
        (step::DURATION, "du:custom") => {
            if !context.advance_flow(&mut flow, step::DAYS, state, now()).await? {
                return Ok(None);
            }
            let back = vec![flow.button(lang.t("button-back"), "b"), flow.button(lang.t("button-cancel"), "x")];
            Screen::new(lang.t("newplan-ask-days")).row(back).edit(bot, at.0, at.1).await;
        }
        (step::DURATION, choice) if choice.strip_prefix("du:").is_some_and(|c| DURATION_CHOICES.contains(&c)) => {
            let duration = &choice[3..];
            if let Err(error) = create_and_offer_link(bot, context, lang, creator, &mut flow, duration).await? {
                return Ok(Some(replies::error_text(lang, &error)));
            }
        }
        _ => return Ok(None),
    }
    Ok(Some(String::new()))
}

/// What the bot may do in a chat a creator picked.
enum BotRights {
    CanInvite,
    AdminWithoutInvite,
    NotAdmin,
}

async fn bot_rights(bot: &TgBot, context: &BotContext, chat_id: ChatId) -> BotRights {
    match bot.get_chat_member(chat_id, context.bot_user_id).await {
        Ok(member) => match member.kind {
            ChatMemberKind::Administrator(rights) if rights.can_invite_users => BotRights::CanInvite,
            ChatMemberKind::Administrator(_) => BotRights::AdminWithoutInvite,
            _ => BotRights::NotAdmin,
        },
        Err(error) => {
            log::info!("accessbot::bot the bot is not in a chat a creator picked: {error}");
            BotRights::NotAdmin
        }
    }
}

/// A chat picked with the chat picker: linked when the bot may invite users there.
async fn on_shared_chat(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    flow: Flow,
    shared: &ChatShared,
) -> HandlerResult {
    let chat_id = ChatId(flow.chat_id);
    let plan_id = flow.state.plan_id.ok_or("a link conversation without a plan")?;
    let Some(plan) = context.db.find_team_plan(creator.team_id, plan_id).await? else {
        context.finish_flow(&flow, conversation_status::CANCELLED).await?;
        bot.send_message(chat_id, replies::error_text(lang, &DomainError::not_found("plan"))).await?;
        return Ok(());
    };
    let title = shared.title.clone().unwrap_or_else(|| shared.chat_id.to_string());
    let problem_key = match bot_rights(bot, context, shared.chat_id).await {
        BotRights::CanInvite => None,
        BotRights::AdminWithoutInvite => Some("link-no-invite-right"),
        BotRights::NotAdmin => Some("link-not-admin"),
    };
    if let Some(key) = problem_key {
        let problem = lang.t_with(key, &[("chat", title.as_str().into())]);
        let sent = ask_for_chat(bot, lang, chat_id, &plan.name, Some(problem)).await?;
        let mut flow = flow;
        context.move_flow_to_message(&mut flow, sent.id.0).await?;
        return Ok(());
    }
    if let Err(error) = plans::link_chat(&context.db, creator.team_id, &plan, Some(shared.chat_id.0)).await {
        bot.send_message(chat_id, replies::error_text(lang, &error)).reply_markup(KeyboardRemove::new()).await?;
        return Ok(());
    }
    context.finish_flow(&flow, conversation_status::DONE).await?;
    let text = lang.t_with("link-done", &[("chat", title.as_str().into()), ("plan", plan.name.as_str().into())]);
    bot.send_message(chat_id, text).reply_markup(KeyboardRemove::new()).await?;
    Ok(())
}

/// A message while a plan conversation waits for text: a name, a number of days, or a picked chat.
pub async fn on_message(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    mut flow: Flow,
    message: &Message,
) -> HandlerResult {
    let chat_id = ChatId(flow.chat_id);
    if flow.step == step::LINK {
        if let Some(shared) = message.shared_chat() {
            return on_shared_chat(bot, context, lang, creator, flow, shared).await;
        }
        let text = message.text().unwrap_or_default().trim();
        if text == lang.t("button-skip") || text.eq_ignore_ascii_case("/skip") {
            context.finish_flow(&flow, conversation_status::DONE).await?;
            bot.send_message(chat_id, lang.t("link-skipped")).reply_markup(KeyboardRemove::new()).await?;
            return Ok(());
        }
        let plan_name = match flow.state.plan_id {
            Some(plan_id) => context.db.find_team_plan(creator.team_id, plan_id).await?.map(|p| p.name),
            None => None,
        };
        let sent = ask_for_chat(bot, lang, chat_id, &plan_name.unwrap_or_default(), None).await?;
        context.move_flow_to_message(&mut flow, sent.id.0).await?;
        return Ok(());
    }
    let text = message.text().unwrap_or_default();
    let problem: Option<DomainError> = match (flow.kind.as_str(), flow.step.as_str()) {
        (kind::NEW_PLAN, step::NAME) => match plans::check_new_name(&context.db, creator.team_id, text).await {
            Ok(name) => {
                let state = FlowState { plan_name: Some(name), ..flow.state.clone() };
                if !context.advance_flow(&mut flow, step::DURATION, state, now()).await? {
                    return Ok(());
                }
                let screen = duration_screen(&flow, lang);
                return context.show_flow_below(bot, &mut flow, screen).await;
            }
            Err(error) => Some(error),
        },
        (kind::NEW_PLAN, step::DAYS) => match plans::days_duration(text) {
            Ok(duration) => {
                context.retire_flow_message(bot, &flow).await;
                flow.message_id = None;
                create_and_offer_link(bot, context, lang, creator, &mut flow, &duration).await?.err()
            }
            Err(error) => Some(error),
        },
        (kind::RENAME_PLAN, step::NAME) => {
            let plan = match flow.state.plan_id {
                Some(plan_id) => context.db.find_team_plan(creator.team_id, plan_id).await?,
                None => None,
            };
            let Some(plan) = plan else {
                context.finish_flow(&flow, conversation_status::CANCELLED).await?;
                bot.send_message(chat_id, replies::error_text(lang, &DomainError::not_found("plan"))).await?;
                return Ok(());
            };
            match plans::rename_plan(&context.db, creator.team_id, &plan, text).await {
                Ok(name) => {
                    context.finish_flow(&flow, conversation_status::DONE).await?;
                    context.retire_flow_message(bot, &flow).await;
                    let done = lang.t_with("rename-done", &[("old", plan.name.as_str().into()), ("name", name.into())]);
                    bot.send_message(chat_id, done).await?;
                    return Ok(());
                }
                Err(error) => Some(error),
            }
        }
        _ => None,
    };
    let Some(problem) = problem else { return Ok(()) };
    let question = match flow.step.as_str() {
        step::DAYS => lang.t("newplan-ask-days"),
        _ if flow.kind == kind::RENAME_PLAN => lang.t("rename-ask-again"),
        _ => lang.t("newplan-ask-name"),
    };
    let text = format!("{}\n\n{question}", replies::error_text(lang, &problem));
    let screen = Screen::new(text).row(cancel_row(&flow, lang));
    context.show_flow_below(bot, &mut flow, screen).await
}
