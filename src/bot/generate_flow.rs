//! `/generate` without arguments: plan, quantity, delivery and expiry picked by buttons, one card
//! edited in place, ending on the same confirmation card as the one-line form.
use teloxide::types::{ChatId, InlineKeyboardButton, MessageId};

use super::conversation::{Flow, FlowState, kind};
use super::screen::Screen;
use super::{BotContext, HandlerError, HandlerResult, TgBot, generate, plan_flow, replies};
use crate::db::conversations::conversation_status;
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::domain::expiry::{CALENDAR_UNITS, ExpiryChoice};
use crate::domain::generation::{
    ExportType, GenerationRequest, MAX_QUANTITY, MIN_QUANTITY, check_quantity, parse_quantity,
};
use crate::domain::{DomainError, ValidationReason, ids, plans};
use crate::i18n::Lang;

const PLANS_PER_PAGE: usize = 8;
const QUANTITY_CHOICES: [i64; 5] = [10, 50, 100, 500, 1000];
const EXPIRY_CHOICES: [&str; 5] = ["no_expiry", "1_day", "1_week", "1_month", "1_year"];

mod step {
    pub const PLAN: &str = "plan";
    pub const QUANTITY: &str = "quantity";
    pub const DELIVERY: &str = "delivery";
    pub const EXPIRY: &str = "expiry";
    pub const UNIT: &str = "unit";
    pub const AMOUNT: &str = "amount";
    pub const CONFIRM: &str = "confirm";
}

/// Whether a step reads typed text rather than only taps.
pub fn awaits_text(flow: &Flow) -> bool {
    matches!(flow.step.as_str(), step::QUANTITY | step::AMOUNT)
}

/// Opens the wizard in a new message.
pub async fn start(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    user_id: i64,
    chat_id: ChatId,
) -> HandlerResult {
    let mut flow =
        context.open_flow(user_id, chat_id.0, kind::GENERATE, step::PLAN, FlowState::default(), now()).await?;
    let screen = match render(context, lang, creator, &flow).await {
        Ok(screen) => screen,
        Err(error) => Screen::new(replies::error_text(lang, &error)),
    };
    let sent = screen.send(bot, chat_id).await?;
    context.move_flow_to_message(&mut flow, sent.id.0).await?;
    Ok(())
}

fn nav_row(flow: &Flow, lang: &Lang, back: bool) -> Vec<InlineKeyboardButton> {
    let mut row = Vec::new();
    if back {
        row.push(flow.button(lang.t("button-back"), "b"));
    }
    row.push(flow.button(lang.t("button-cancel"), "x"));
    row
}

async fn plan_name(context: &BotContext, creator: &Creator, state: &FlowState) -> Result<String, DomainError> {
    let plan_id = state.plan_id.ok_or(DomainError::not_found("plan"))?;
    let plan = context.db.find_team_plan(creator.team_id, plan_id).await?.ok_or(DomainError::not_found("plan"))?;
    Ok(plan.name)
}

/// The text and buttons of the flow's current step (the confirmation card is made by `confirm`).
async fn render(context: &BotContext, lang: &Lang, creator: &Creator, flow: &Flow) -> Result<Screen, DomainError> {
    let state = &flow.state;
    let screen = match flow.step.as_str() {
        step::PLAN => {
            let active: Vec<_> = plans::list_plans(&context.db, creator.team_id)
                .await?
                .into_iter()
                .filter(|plan| plan.status == plans::ACTIVE)
                .collect();
            let pages = active.len().div_ceil(PLANS_PER_PAGE).max(1);
            let page = (state.plan_page as usize).min(pages - 1);
            let text = if active.is_empty() {
                lang.t("wizard-plan-none")
            } else if pages > 1 {
                lang.t_with("wizard-plan-paged", &[("page", (page + 1).into()), ("pages", pages.into())])
            } else {
                lang.t("wizard-plan")
            };
            let buttons = active
                .iter()
                .skip(page * PLANS_PER_PAGE)
                .take(PLANS_PER_PAGE)
                .map(|plan| vec![flow.button(plan.name.clone(), &format!("p:{}", ulid::Ulid::from(plan.id)))]);
            let mut paging = Vec::new();
            if page > 0 {
                paging.push(flow.button(lang.t("button-previous"), &format!("pg:{}", page - 1)));
            }
            if page + 1 < pages {
                paging.push(flow.button(lang.t("button-next"), &format!("pg:{}", page + 1)));
            }
            Screen::new(text)
                .rows(buttons)
                .row(paging)
                .row(vec![flow.button(lang.t("button-new-plan"), "np")])
                .row(nav_row(flow, lang, false))
        }
        step::QUANTITY => {
            let text = lang.t_with(
                "wizard-quantity",
                &[
                    ("plan", plan_name(context, creator, state).await?.into()),
                    ("min", MIN_QUANTITY.into()),
                    ("max", MAX_QUANTITY.into()),
                ],
            );
            let choices = QUANTITY_CHOICES.iter().map(|n| flow.button(n.to_string(), &format!("q:{n}"))).collect();
            Screen::new(text).row(choices).row(nav_row(flow, lang, true))
        }
        step::DELIVERY => {
            let quantity = state.quantity.unwrap_or(MIN_QUANTITY);
            let text = lang.t_with(
                "wizard-delivery",
                &[
                    ("count", quantity.into()),
                    ("duration", replies::messages_duration_text(lang, quantity, &context.throttle).into()),
                ],
            );
            Screen::new(text)
                .row(vec![flow.button(lang.t("button-delivery-file"), "d:file")])
                .row(vec![flow.button(lang.t("button-delivery-messages"), "d:messages")])
                .row(nav_row(flow, lang, true))
        }
        step::EXPIRY => {
            let mut buttons: Vec<InlineKeyboardButton> = EXPIRY_CHOICES
                .iter()
                .map(|preset| flow.button(lang.t(&format!("expiry-choice-{preset}")), &format!("e:{preset}")))
                .collect();
            buttons.push(flow.button(lang.t("expiry-choice-custom"), "e:custom"));
            let rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(3).map(<[_]>::to_vec).collect();
            Screen::new(lang.t("wizard-expiry")).rows(rows).row(nav_row(flow, lang, true))
        }
        step::UNIT => {
            let units = CALENDAR_UNITS
                .iter()
                .map(|unit| flow.button(lang.t(&format!("unit-{unit}")), &format!("u:{unit}")))
                .collect();
            Screen::new(lang.t("wizard-unit")).row(units).row(nav_row(flow, lang, true))
        }
        step::AMOUNT => {
            let unit = state.custom_unit.as_deref().unwrap_or("days");
            Screen::new(lang.t_with("wizard-amount", &[("unit", lang.t(&format!("unit-{unit}")).into())]))
                .row(nav_row(flow, lang, true))
        }
        _ => return Err(DomainError::not_found("draft")),
    };
    Ok(screen)
}

/// Makes the confirmation card: the draft of the pipeline, with Back added.
async fn confirm(
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    flow: &mut Flow,
) -> Result<Option<Screen>, DomainError> {
    let state = flow.state.clone();
    let request = GenerationRequest {
        plan_id: ids::public_id(ids::PLAN, state.plan_id.ok_or(DomainError::not_found("plan"))?),
        quantity: state.quantity.unwrap_or_default(),
        export_type: state.export_type.clone().unwrap_or_default(),
        expiry_preset: state.expiry_preset.clone().unwrap_or_default(),
        custom_expiry_amount: state.custom_amount,
        custom_expiry_type: state.custom_unit.clone(),
        consent: false,
    };
    let card = context.queue.draft(creator, request, now()).await?;
    let next = FlowState { draft_id: Some(card.draft_id), ..state };
    if !context.advance_flow(flow, step::CONFIRM, next, now()).await? {
        context.queue.cancel(creator, card.draft_id).await?;
        return Ok(None);
    }
    let mut rows = generate::card_keyboard(lang, &card, context).inline_keyboard;
    // The card's own Cancel withdraws the draft; Back returns to the expiry step.
    rows.push(vec![flow.button(lang.t("button-back"), "b")]);
    Ok(Some(Screen::new(replies::card_text(lang, &card, &context.throttle)).rows(rows)))
}

fn previous_step(flow: &Flow) -> Option<&'static str> {
    Some(match flow.step.as_str() {
        step::QUANTITY => step::PLAN,
        step::DELIVERY => step::QUANTITY,
        step::EXPIRY => step::DELIVERY,
        step::UNIT => step::EXPIRY,
        step::AMOUNT => step::UNIT,
        step::CONFIRM => step::EXPIRY,
        _ => return None,
    })
}

/// What a tap leads to.
enum TapOutcome {
    Show(Screen),
    Cancelled,
    NewPlan,
    /// The tap did not fit the step, or another tap moved the wizard on first.
    Stale,
}

/// Moves the wizard as `action` asks and makes the next screen.
async fn transition(
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    flow: &mut Flow,
    action: &str,
) -> Result<TapOutcome, DomainError> {
    let mut state = flow.state.clone();
    let next_step = match (flow.step.as_str(), action.split_once(':')) {
        (_, None) if action == "x" => {
            cancel(context, creator, flow).await?;
            return Ok(TapOutcome::Cancelled);
        }
        (_, None) if action == "b" => {
            let Some(previous) = previous_step(flow) else { return Ok(TapOutcome::Stale) };
            if let Some(draft_id) = state.draft_id.take() {
                context.queue.cancel(creator, draft_id).await?;
            }
            previous
        }
        (step::PLAN, None) if action == "np" => {
            context.finish_flow(flow, conversation_status::CANCELLED).await?;
            return Ok(TapOutcome::NewPlan);
        }
        (step::PLAN, Some(("pg", page))) => {
            state.plan_page = page.parse().map_err(|_| DomainError::not_found("draft"))?;
            step::PLAN
        }
        (step::PLAN, Some(("p", plan))) => {
            let plan = plans::find_team_plan(&context.db, creator.team_id, plan).await?;
            if plan.status != plans::ACTIVE {
                return Err(DomainError::not_found("plan"));
            }
            state.plan_id = Some(plan.id);
            step::QUANTITY
        }
        (step::QUANTITY, Some(("q", quantity))) => {
            state.quantity = Some(parse_quantity(quantity).and_then(check_quantity)?);
            step::DELIVERY
        }
        (step::DELIVERY, Some(("d", export_type))) => {
            state.export_type = Some(ExportType::parse(export_type)?.as_str().to_owned());
            step::EXPIRY
        }
        (step::EXPIRY, Some(("e", "custom"))) => {
            state.expiry_preset = Some("custom".to_owned());
            step::UNIT
        }
        (step::EXPIRY, Some(("e", preset))) => {
            ExpiryChoice::validate(preset, None, None, now())?;
            state.expiry_preset = Some(preset.to_owned());
            (state.custom_amount, state.custom_unit) = (None, None);
            step::CONFIRM
        }
        (step::UNIT, Some(("u", unit))) if CALENDAR_UNITS.contains(&unit) => {
            state.custom_unit = Some(unit.to_owned());
            step::AMOUNT
        }
        _ => return Ok(TapOutcome::Stale),
    };
    if next_step == step::CONFIRM {
        flow.state = state;
        return Ok(confirm(context, lang, creator, flow).await?.map_or(TapOutcome::Stale, TapOutcome::Show));
    }
    if !context.advance_flow(flow, next_step, state, now()).await? {
        return Ok(TapOutcome::Stale);
    }
    Ok(TapOutcome::Show(render(context, lang, creator, flow).await?))
}

/// Applies a tap to the wizard shown in `at`; the answer to the tap, or `None` for a stale tap.
pub async fn on_tap(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    mut flow: Flow,
    action: &str,
    at: (ChatId, MessageId),
) -> Result<Option<String>, HandlerError> {
    match transition(context, lang, creator, &mut flow, action).await {
        Ok(TapOutcome::Show(screen)) => {
            screen.edit(bot, at.0, at.1).await;
            Ok(Some(String::new()))
        }
        Ok(TapOutcome::Cancelled) => {
            Screen::new(lang.t("wizard-cancelled")).edit(bot, at.0, at.1).await;
            Ok(Some(lang.t("wizard-cancelled")))
        }
        Ok(TapOutcome::NewPlan) => {
            plan_flow::start_new_plan(bot, context, lang, flow.telegram_user_id, at.0, Some(at.1)).await?;
            Ok(Some(String::new()))
        }
        Ok(TapOutcome::Stale) => Ok(None),
        Err(error) => Ok(Some(replies::error_text(lang, &error))),
    }
}

async fn cancel(context: &BotContext, creator: &Creator, flow: &Flow) -> Result<(), DomainError> {
    if let Some(draft_id) = flow.state.draft_id {
        context.queue.cancel(creator, draft_id).await?;
    }
    context.finish_flow(flow, conversation_status::CANCELLED).await?;
    Ok(())
}

/// Ends the wizard whose card asked for `draft_id`, once the card was confirmed or cancelled.
pub async fn finish_for_draft(context: &BotContext, user_id: i64, chat_id: i64, draft_id: uuid::Uuid, status: &str) {
    match context.flow_in_chat(user_id, chat_id, now()).await {
        Ok(Some(flow)) if flow.state.draft_id == Some(draft_id) => {
            if let Err(error) = context.finish_flow(&flow, status).await {
                log::warn!("accessbot::bot cannot end a generation wizard: {error}");
            }
        }
        Ok(_) => {}
        Err(error) => log::warn!("accessbot::bot cannot look up a generation wizard: {error}"),
    }
}

/// Typed text at a step that reads it: the quantity, or the amount of a custom expiry.
/// A bad value is answered with the reason and the same question again.
pub async fn on_text(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    mut flow: Flow,
    text: &str,
) -> HandlerResult {
    let mut state = flow.state.clone();
    let outcome: Result<Option<Screen>, DomainError> = match flow.step.as_str() {
        step::QUANTITY => match parse_quantity(text).and_then(check_quantity) {
            Ok(quantity) => {
                state.quantity = Some(quantity);
                if context.advance_flow(&mut flow, step::DELIVERY, state, now()).await? {
                    render(context, lang, creator, &flow).await.map(Some)
                } else {
                    Ok(None)
                }
            }
            Err(error) => Err(error),
        },
        step::AMOUNT => {
            let unit = state.custom_unit.clone();
            let amount = text
                .trim()
                .parse::<i64>()
                .map_err(|_| DomainError::validation("custom_expiry_amount", ValidationReason::NotAnInteger));
            match amount.and_then(|amount| {
                ExpiryChoice::validate("custom", Some(amount), unit.as_deref(), now()).map(|_| amount)
            }) {
                Ok(amount) => {
                    flow.state.custom_amount = Some(amount);
                    confirm(context, lang, creator, &mut flow).await
                }
                Err(error) => Err(error),
            }
        }
        _ => Ok(None),
    };
    let screen = match outcome {
        Ok(Some(screen)) => screen,
        Ok(None) => return Ok(()),
        Err(error) => {
            // The same question again, under the reason, as the newest message.
            let question = render(context, lang, creator, &flow).await?;
            Screen { text: format!("{}\n\n{}", replies::error_text(lang, &error), question.text), rows: question.rows }
        }
    };
    context.show_flow_below(bot, &mut flow, screen).await
}
