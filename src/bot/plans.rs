//! Plans: `/newplan` (one line, or guided: name, access duration, the chat it unlocks), `/plans` with its
//! buttons, renaming, and linking a plan's channel or group with Telegram's chat picker.

use teloxide::prelude::*;
use teloxide::types::{ChatId, ChatShared, KeyboardRemove, MessageId, ReplyMarkup};

use super::{BotContext, HandlerError, HandlerResult, Handling, Tap, TapAnswer, access, answer_tap};
use crate::db::plans::Plan;
use crate::db::teams::Creator;
use crate::domain::DomainError;
use crate::domain::clock::now;
use crate::domain::conversations::{self, ConversationKind, ConversationStatus, Flow, FlowAction, FlowState, Step};
use crate::domain::plans::{self, ChatRightsProblem, DURATION_CHOICES, PlanStatus};
use crate::i18n::Lang;
use crate::telegram::{self, TgBot};
use crate::views::buttons::PlansButton;
use crate::views::{Screen, errors, plans as view};

pub async fn new_plan(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    if args.trim().is_empty() {
        return start_new_plan(&h, user.id.0 as i64, message.chat.id, None).await;
    }
    let Some((name, duration)) = plans::split_name_and_duration(&args) else {
        // Not name and duration: asked step by step instead.
        return start_new_plan(&h, user.id.0 as i64, message.chat.id, None).await;
    };
    let screen = match plans::create_plan(&context.db, creator.team_id, name, duration, now()).await {
        Ok(plan) => view::created_with_link(lang, &plan),
        Err(error) => errors::screen(lang, &error),
    };
    telegram::send(bot, message.chat.id, screen).await?;
    Ok(())
}

/// The page of the plan list that is `page`, or that shows `plan_id`.
async fn plan_list(
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    page: PlanListPage,
) -> Result<Screen, DomainError> {
    let all = plans::plans_with_chats(&context.db, creator.team_id).await?;
    let page = match page {
        PlanListPage::Number(page) => page,
        PlanListPage::Showing(plan_id) => view::page_showing(&all, plan_id),
    };
    Ok(view::list(lang, &all, page))
}

/// Which page of the plan list to show.
enum PlanListPage {
    Number(u32),
    Showing(uuid::Uuid),
}

pub async fn list_plans(h: Handling, message: Message, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    telegram::send(bot, message.chat.id, plan_list(context, lang, &creator, PlanListPage::Number(0)).await?).await?;
    Ok(())
}

/// The plan list, as the creator menu opens it.
pub async fn show_list(h: &Handling, creator: &Creator, chat: ChatId) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    telegram::send(bot, chat, plan_list(context, lang, creator, PlanListPage::Number(0)).await?).await?;
    Ok(())
}

/// A tap on the plan list; the plan must belong to the tapper's team.
pub async fn plans_tap(h: Handling, query: CallbackQuery, button: PlansButton, tap: Tap) -> HandlerResult {
    let answer = run_plans_button(&h, &tap, button).await?;
    answer_tap(&h, &query, answer).await
}

async fn run_plans_button(h: &Handling, tap: &Tap, button: PlansButton) -> TapAnswer {
    let Handling { bot, context, lang } = h;
    let team_plan = |plan_id| async move { context.db.find_team_plan(tap.creator.team_id, plan_id).await };
    let (plan_id, status) = match button {
        PlansButton::Page(page) => {
            let list = plan_list(context, lang, &tap.creator, PlanListPage::Number(page)).await?;
            tap.show(bot, list).await;
            return Ok(Some(String::new()));
        }
        PlansButton::NewPlan => {
            start_new_plan(h, tap.user_id, tap.chat_id, None).await?;
            return Ok(Some(String::new()));
        }
        PlansButton::Rename(plan_id) => {
            let Some(plan) = team_plan(plan_id).await? else { return Ok(None) };
            start_rename(h, tap.user_id, tap.chat_id, &plan).await?;
            return Ok(Some(String::new()));
        }
        PlansButton::Chats(plan_id) => {
            let Some(plan) = team_plan(plan_id).await? else { return Ok(None) };
            let chats = plans::chats_of(&context.db, &plan).await?;
            tap.show(bot, view::chats(lang, &plan, &chats)).await;
            return Ok(Some(String::new()));
        }
        PlansButton::Unlink(plan_id, chat_id) => {
            let Some(plan) = team_plan(plan_id).await? else { return Ok(None) };
            let chats = plans::chats_of(&context.db, &plan).await?;
            let Some(chat) = chats.iter().find(|chat| chat.chat_id == chat_id) else { return Ok(None) };
            plans::unlink_chat(&context.db, tap.creator.team_id, &plan, chat_id).await?;
            let left = plans::chats_of(&context.db, &plan).await?;
            tap.show(bot, view::chats(lang, &plan, &left)).await;
            return Ok(Some(view::unlinked(lang, &view::chat_title(chat), &plan.name)));
        }
        PlansButton::LinkChat(plan_id) => {
            let Some(plan) = team_plan(plan_id).await? else { return Ok(None) };
            start_link(h, tap.user_id, tap.chat_id, &plan).await?;
            return Ok(Some(String::new()));
        }
        PlansButton::Archive(plan_id) => (plan_id, PlanStatus::Archived),
        PlansButton::Reactivate(plan_id) => (plan_id, PlanStatus::Active),
    };
    let Some(plan) = team_plan(plan_id).await? else { return Ok(None) };
    Ok(Some(match plans::set_plan_status(&context.db, tap.creator.team_id, &plan, status).await {
        Ok(()) => {
            let list = plan_list(context, lang, &tap.creator, PlanListPage::Showing(plan.id)).await?;
            tap.show(bot, list).await;
            view::status_changed(lang, &plan, status)
        }
        Err(error) => errors::chat(lang, &error),
    }))
}

/// Shows the conversation in a new message at the bottom of the chat (after typed text, the old menu is no
/// longer in view) and takes the buttons off the message that showed it before.
pub async fn show_flow_below(bot: &TgBot, context: &BotContext, flow: &mut Flow, screen: Screen) -> HandlerResult {
    let sent = telegram::send(bot, ChatId(flow.chat_id), screen).await?;
    retire_flow_message(bot, flow).await;
    conversations::move_to_message(&context.db, flow, sent.id.0).await?;
    Ok(())
}

async fn retire_flow_message(bot: &TgBot, flow: &Flow) {
    if let Some(old) = flow.message_id {
        telegram::strip_buttons(bot, ChatId(flow.chat_id), MessageId(old)).await;
    }
}

/// Asks for the new plan's name, in a new message or in place of `replace`.
pub async fn start_new_plan(h: &Handling, user_id: i64, chat_id: ChatId, replace: Option<MessageId>) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let state = FlowState::default();
    let mut flow =
        conversations::open(&context.db, user_id, chat_id.0, ConversationKind::NewPlan, Step::Name, state, now())
            .await?;
    let screen = view::ask_name(lang, &flow);
    let message_id = match replace {
        Some(message_id) => {
            telegram::edit(bot, chat_id, message_id, screen).await;
            message_id
        }
        None => telegram::send(bot, chat_id, screen).await?.id,
    };
    conversations::move_to_message(&context.db, &mut flow, message_id.0).await?;
    Ok(())
}

async fn start_rename(h: &Handling, user_id: i64, chat_id: ChatId, plan: &Plan) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let state = FlowState { plan_id: Some(plan.id), ..FlowState::default() };
    let kind = ConversationKind::RenamePlan;
    let mut flow = conversations::open(&context.db, user_id, chat_id.0, kind, Step::Name, state, now()).await?;
    let sent = telegram::send(bot, chat_id, view::ask_new_name(lang, &flow, plan)).await?;
    conversations::move_to_message(&context.db, &mut flow, sent.id.0).await?;
    Ok(())
}

async fn start_link(h: &Handling, user_id: i64, chat_id: ChatId, plan: &Plan) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let state = FlowState { plan_id: Some(plan.id), ..FlowState::default() };
    let kind = ConversationKind::LinkChat;
    let mut flow = conversations::open(&context.db, user_id, chat_id.0, kind, Step::Link, state, now()).await?;
    let sent = ask_for_chat(bot, lang, chat_id, &plan.name, None).await?;
    conversations::move_to_message(&context.db, &mut flow, sent.id.0).await?;
    Ok(())
}

async fn ask_for_chat(
    bot: &TgBot,
    lang: &Lang,
    chat_id: ChatId,
    plan_name: &str,
    problem: Option<(ChatRightsProblem, &str)>,
) -> Result<Message, teloxide::RequestError> {
    let question = Screen::new(view::ask_for_chat(lang, plan_name, problem));
    telegram::send_with_markup(bot, chat_id, question, Some(ReplyMarkup::Keyboard(view::chat_picker(lang)))).await
}

async fn say_removing_keyboard(bot: &TgBot, chat_id: ChatId, text: String) -> HandlerResult {
    telegram::send_with_markup(
        bot,
        chat_id,
        Screen::new(text),
        Some(ReplyMarkup::KeyboardRemove(KeyboardRemove::new())),
    )
    .await?;
    Ok(())
}

/// Creates the plan the conversation collected, then offers to link its chat.
async fn create_and_offer_link(
    h: &Handling,
    creator: &Creator,
    flow: &mut Flow,
    duration: &str,
) -> Result<Result<(), DomainError>, HandlerError> {
    let Handling { bot, context, lang } = h;
    let name = flow.state.plan_name.clone().unwrap_or_default();
    let plan = match plans::create_plan(&context.db, creator.team_id, &name, duration, now()).await {
        Ok(plan) => plan,
        Err(error) => return Ok(Err(error)),
    };
    let chat_id = ChatId(flow.chat_id);
    let created = Screen::new(view::created(lang, &plan));
    match flow.message_id {
        Some(message_id) => telegram::edit(bot, chat_id, MessageId(message_id), created).await,
        None => {
            telegram::send(bot, chat_id, created).await?;
        }
    }
    let state = FlowState { plan_id: Some(plan.id), ..flow.state.clone() };
    if !conversations::advance(&context.db, flow, Step::Link, state, now()).await? {
        return Ok(Ok(()));
    }
    let sent = ask_for_chat(bot, lang, chat_id, &plan.name, None).await?;
    conversations::move_to_message(&context.db, flow, sent.id.0).await?;
    Ok(Ok(()))
}

/// A tap in a plan conversation; the answer to show, or `None` for a stale tap.
pub async fn on_tap(h: &Handling, tap: &Tap, mut flow: Flow, action: &FlowAction) -> TapAnswer {
    let Handling { bot, context, lang } = h;
    let at = (tap.chat_id, tap.message_id);
    if flow.kind != ConversationKind::NewPlan {
        return Ok(None);
    }
    let state = flow.state.clone();
    let screen = match (flow.step, action) {
        (Step::Duration, FlowAction::Back) => {
            if !conversations::advance(&context.db, &mut flow, Step::Name, state, now()).await? {
                return Ok(None);
            }
            view::ask_name(lang, &flow)
        }
        (Step::Days, FlowAction::Back) => {
            if !conversations::advance(&context.db, &mut flow, Step::Duration, state, now()).await? {
                return Ok(None);
            }
            view::ask_duration(lang, &flow)
        }
        (Step::Duration, FlowAction::Duration(choice)) if choice == "custom" => {
            if !conversations::advance(&context.db, &mut flow, Step::Days, state, now()).await? {
                return Ok(None);
            }
            view::ask_days(lang, &flow)
        }
        (Step::Duration, FlowAction::Duration(choice)) if DURATION_CHOICES.contains(&choice.as_str()) => {
            if let Err(error) = create_and_offer_link(h, &tap.creator, &mut flow, choice).await? {
                return Ok(Some(errors::chat(lang, &error)));
            }
            return Ok(Some(String::new()));
        }
        _ => return Ok(None),
    };
    telegram::edit(bot, at.0, at.1, screen).await;
    Ok(Some(String::new()))
}

/// A chat picked with the chat picker: linked when the bot may invite users there.
async fn on_shared_chat(h: &Handling, creator: &Creator, mut flow: Flow, shared: &ChatShared) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let chat_id = ChatId(flow.chat_id);
    let plan_id = flow.state.plan_id.ok_or(DomainError::not_found("plan"))?;
    let Some(plan) = context.db.find_team_plan(creator.team_id, plan_id).await? else {
        conversations::finish(&context.db, &flow, ConversationStatus::Cancelled).await?;
        telegram::send(bot, chat_id, errors::screen(lang, &DomainError::not_found("plan"))).await?;
        return Ok(());
    };
    let title = shared.title.clone().unwrap_or_else(|| shared.chat_id.to_string());
    let membership = access::bot_membership(bot, context.bot_user_id, shared.chat_id).await;
    let problem = plans::chat_rights_problem(membership);
    if let Some(problem) = problem.filter(|problem| problem.blocks_linking()) {
        let sent = ask_for_chat(bot, lang, chat_id, &plan.name, Some((problem, title.as_str()))).await?;
        conversations::move_to_message(&context.db, &mut flow, sent.id.0).await?;
        return Ok(());
    }
    plans::link_chat(&context.db, &plan, shared.chat_id.0, &title, problem, now()).await?;
    conversations::finish(&context.db, &flow, ConversationStatus::Done).await?;
    say_removing_keyboard(bot, chat_id, view::linked(lang, &title, &plan.name, problem)).await
}

/// A message while a plan conversation waits for text: a name, a number of days, or a picked chat.
pub async fn on_message(h: &Handling, creator: &Creator, mut flow: Flow, message: &Message) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let chat_id = ChatId(flow.chat_id);
    if flow.step == Step::Link {
        if let Some(shared) = message.shared_chat() {
            return on_shared_chat(h, creator, flow, shared).await;
        }
        if view::is_skip(lang, message.text().unwrap_or_default().trim()) {
            conversations::finish(&context.db, &flow, ConversationStatus::Done).await?;
            return say_removing_keyboard(bot, chat_id, lang.t("link-skipped")).await;
        }
        let plan_name = match flow.state.plan_id {
            Some(plan_id) => context.db.find_team_plan(creator.team_id, plan_id).await?.map(|p| p.name),
            None => None,
        };
        let sent = ask_for_chat(bot, lang, chat_id, &plan_name.unwrap_or_default(), None).await?;
        conversations::move_to_message(&context.db, &mut flow, sent.id.0).await?;
        return Ok(());
    }
    let text = message.text().unwrap_or_default();
    let problem: Option<DomainError> = match (flow.kind, flow.step) {
        (ConversationKind::NewPlan, Step::Name) => {
            match plans::check_new_name(&context.db, creator.team_id, text).await {
                Ok(name) => {
                    let state = FlowState { plan_name: Some(name), ..flow.state.clone() };
                    if !conversations::advance(&context.db, &mut flow, Step::Duration, state, now()).await? {
                        return Ok(());
                    }
                    let screen = view::ask_duration(lang, &flow);
                    return show_flow_below(bot, context, &mut flow, screen).await;
                }
                Err(error) => Some(error),
            }
        }
        (ConversationKind::NewPlan, Step::Days) => match plans::days_duration(text) {
            Ok(duration) => {
                retire_flow_message(bot, &flow).await;
                flow.message_id = None;
                create_and_offer_link(h, creator, &mut flow, &duration).await?.err()
            }
            Err(error) => Some(error),
        },
        (ConversationKind::RenamePlan, Step::Name) => {
            let plan = match flow.state.plan_id {
                Some(plan_id) => context.db.find_team_plan(creator.team_id, plan_id).await?,
                None => None,
            };
            let Some(plan) = plan else {
                conversations::finish(&context.db, &flow, ConversationStatus::Cancelled).await?;
                telegram::send(bot, chat_id, errors::screen(lang, &DomainError::not_found("plan"))).await?;
                return Ok(());
            };
            match plans::rename_plan(&context.db, creator.team_id, &plan, text).await {
                Ok(name) => {
                    conversations::finish(&context.db, &flow, ConversationStatus::Done).await?;
                    retire_flow_message(bot, &flow).await;
                    telegram::send(bot, chat_id, Screen::new(view::renamed(lang, &plan.name, &name))).await?;
                    return Ok(());
                }
                Err(error) => Some(error),
            }
        }
        _ => None,
    };
    let Some(problem) = problem else { return Ok(()) };
    let screen = view::ask_again(lang, &flow, errors::chat(lang, &problem));
    show_flow_below(bot, context, &mut flow, screen).await
}
