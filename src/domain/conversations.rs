//! Guided conversations kept in the database, so a restart of the bot in the middle of one loses
//! nothing; and the `/generate` wizard's steps, decided here and shown by the views.
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::expiry::{CalendarUnit, ExpiryChoice};
use super::generation::{
    ExportType, GenerationCard, GenerationQueue, GenerationRequest, MIN_QUANTITY, check_quantity, parse_quantity,
};
use super::stored::stored_enum;
use super::{DomainError, ValidationReason, ids, plans};
use crate::db::Db;
use crate::db::conversations::StepUpdate;
use crate::db::plans::Plan;
use crate::db::teams::Creator;

/// A conversation untouched for this long is over; its buttons answer "this menu has expired".
const IDLE_LIMIT: Duration = Duration::hours(24);

/// The wizard's plan step shows this many plans a page.
pub const PLANS_PER_PAGE: usize = 8;

stored_enum! {
    /// What a conversation is for.
    pub enum ConversationKind {
        Generate = "generate",
        NewPlan = "newplan",
        RenamePlan = "rename",
        LinkChat = "link",
        AddWebhook = "webhook",
        NameToken = "token",
        /// One option of a confirmation card, asked from its Options.
        BatchOption = "option",
    }
}

stored_enum! {
    /// Whether a conversation still answers.
    pub enum ConversationStatus {
        Open = "open",
        Done = "done",
        Cancelled = "cancelled",
    }
}

stored_enum! {
    /// The question a conversation is at.
    pub enum Step {
        Plan = "plan",
        Quantity = "quantity",
        Delivery = "delivery",
        Expiry = "expiry",
        Unit = "unit",
        Amount = "amount",
        Confirm = "confirm",
        Name = "name",
        Duration = "duration",
        Days = "days",
        Link = "link",
        Url = "url",
        Uses = "uses",
        Prefix = "prefix",
        Label = "label",
    }
}

impl Step {
    /// Whether the step reads typed text (or a shared chat) rather than only taps.
    pub fn reads_text(self) -> bool {
        matches!(
            self,
            Self::Quantity
                | Self::Amount
                | Self::Name
                | Self::Days
                | Self::Link
                | Self::Url
                | Self::Uses
                | Self::Prefix
                | Self::Label
        )
    }

    /// The step Back returns to in the `/generate` wizard.
    fn before_in_wizard(self) -> Option<Self> {
        Some(match self {
            Self::Quantity => Self::Plan,
            Self::Delivery => Self::Quantity,
            Self::Expiry => Self::Delivery,
            Self::Unit => Self::Expiry,
            Self::Amount => Self::Unit,
            Self::Confirm => Self::Expiry,
            _ => return None,
        })
    }
}

/// What a button of a conversation asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowAction {
    Cancel,
    Back,
    NewPlan,
    Page(u32),
    Plan(Uuid),
    Quantity(i64),
    Delivery(ExportType),
    /// An expiry preset, or `custom`.
    Expiry(String),
    Unit(CalendarUnit),
    /// A plan duration as `PlanDuration::parse` reads it, or `custom`.
    Duration(String),
}

/// Everything a conversation has collected so far; each kind uses its own fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FlowState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<Uuid>,
    #[serde(default)]
    pub plan_page: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_type: Option<ExportType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_preset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_name: Option<String>,
}

/// One conversation, as stored.
pub use crate::db::conversations::Conversation as Flow;

/// Starts a conversation in `chat_id`, ending any other open one of the user there.
pub async fn open(
    db: &Db,
    telegram_user_id: i64,
    chat_id: i64,
    kind: ConversationKind,
    step: Step,
    state: FlowState,
    now: DateTime<Utc>,
) -> Result<Flow, DomainError> {
    let flow = Flow {
        id: ids::new_id(),
        telegram_user_id,
        chat_id,
        kind,
        step,
        revision: 0,
        state,
        message_id: None,
        status: ConversationStatus::Open,
        created_at: now,
        updated_at: now,
    };
    db.open_conversation(flow.clone()).await?;
    Ok(flow)
}

/// The conversation a tap belongs to, if it is open, recent, shown in `chat_id`, at the tapped revision
/// and the tapper's.
pub async fn of_tap(
    db: &Db,
    conversation_id: Uuid,
    revision: i32,
    tapper: i64,
    chat_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Flow>, DomainError> {
    let Some(row) = db.find_conversation(conversation_id).await? else { return Ok(None) };
    let live = row.status == ConversationStatus::Open && now - row.updated_at < IDLE_LIMIT;
    if !live || row.telegram_user_id != tapper || row.revision != revision || row.chat_id != chat_id {
        return Ok(None);
    }
    Ok(Some(row))
}

/// The open conversation of a user in a chat.
pub async fn in_chat(
    db: &Db,
    telegram_user_id: i64,
    chat_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Flow>, DomainError> {
    let row = db.open_conversation_in_chat(telegram_user_id, chat_id).await?;
    Ok(row.filter(|row| now - row.updated_at < IDLE_LIMIT))
}

/// The open conversation of a user in a chat whose step reads typed text.
pub async fn reading_text(
    db: &Db,
    telegram_user_id: i64,
    chat_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Flow>, DomainError> {
    Ok(in_chat(db, telegram_user_id, chat_id, now).await?.filter(|flow| flow.step.reads_text()))
}

/// Moves the conversation to `step`; false when another tap moved it first.
pub async fn advance(
    db: &Db,
    flow: &mut Flow,
    step: Step,
    state: FlowState,
    now: DateTime<Utc>,
) -> Result<bool, DomainError> {
    let update = StepUpdate { step, state: state.clone(), message_id: flow.message_id, now };
    if !db.advance_conversation(flow.id, flow.revision, update).await? {
        return Ok(false);
    }
    flow.step = step;
    flow.state = state;
    flow.revision += 1;
    flow.updated_at = now;
    Ok(true)
}

/// Remembers which message shows the conversation; that message is edited from then on.
pub async fn move_to_message(db: &Db, flow: &mut Flow, message_id: i32) -> Result<(), DomainError> {
    flow.message_id = Some(message_id);
    Ok(db.set_conversation_message(flow.id, message_id).await?)
}

/// Ends the conversation; false when it had ended already.
pub async fn finish(db: &Db, flow: &Flow, status: ConversationStatus) -> Result<bool, DomainError> {
    Ok(db.finish_conversation(flow.id, status).await?)
}

/// Ends the conversation and withdraws the confirmation card it made, if any.
pub async fn cancel(
    db: &Db,
    queue: &GenerationQueue,
    creator: Option<&Creator>,
    flow: &Flow,
) -> Result<(), DomainError> {
    if let (Some(draft_id), Some(creator)) = (flow.state.draft_id, creator) {
        queue.cancel(creator, draft_id).await?;
    }
    finish(db, flow, ConversationStatus::Cancelled).await?;
    Ok(())
}

/// Ends the wizard whose card asked for `draft_id`, once the card was confirmed or cancelled.
pub async fn finish_for_draft(
    db: &Db,
    user_id: i64,
    chat_id: i64,
    draft_id: Uuid,
    status: ConversationStatus,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if let Some(flow) = in_chat(db, user_id, chat_id, now).await?
        && flow.state.draft_id == Some(draft_id)
    {
        finish(db, &flow, status).await?;
    }
    Ok(())
}

/// What the wizard shows at its current step, with what the views need to draw it.
#[derive(Debug, Clone)]
pub enum WizardScreen {
    PickPlan { plans: Vec<Plan>, page: usize, pages: usize },
    Quantity { plan_name: String },
    Delivery { quantity: i64 },
    Expiry,
    Unit,
    Amount { unit: String },
    Card(GenerationCard),
}

/// Where a tap or a typed answer left the wizard.
#[derive(Debug, Clone)]
pub enum WizardMove {
    Show(WizardScreen),
    Cancelled,
    /// The creator asked for a new plan; the wizard is over.
    NewPlan,
    /// The tap did not fit the step, or another tap moved the wizard on first.
    Stale,
}

/// The `/generate` wizard of one creator.
pub struct GenerateWizard<'a> {
    pub db: &'a Db,
    pub queue: &'a GenerationQueue,
    pub creator: &'a Creator,
}

impl GenerateWizard<'_> {
    /// Opens the wizard at its plan step.
    pub async fn open(&self, user_id: i64, chat_id: i64, now: DateTime<Utc>) -> Result<Flow, DomainError> {
        open(self.db, user_id, chat_id, ConversationKind::Generate, Step::Plan, FlowState::default(), now).await
    }

    /// What the flow's current step shows (the confirmation card is made on the way to it).
    pub async fn screen(&self, flow: &Flow) -> Result<WizardScreen, DomainError> {
        let state = &flow.state;
        Ok(match flow.step {
            Step::Plan => {
                let plans = plans::offered_plans(self.db, self.creator.team_id).await?;
                let pages = plans.len().div_ceil(PLANS_PER_PAGE).max(1);
                let page = (state.plan_page as usize).min(pages - 1);
                WizardScreen::PickPlan { plans, page, pages }
            }
            Step::Quantity => WizardScreen::Quantity { plan_name: self.plan_name(state).await? },
            Step::Delivery => WizardScreen::Delivery { quantity: state.quantity.unwrap_or(MIN_QUANTITY) },
            Step::Expiry => WizardScreen::Expiry,
            Step::Unit => WizardScreen::Unit,
            Step::Amount => {
                WizardScreen::Amount { unit: state.custom_unit.clone().unwrap_or_else(|| "days".to_owned()) }
            }
            _ => return Err(DomainError::not_found("draft")),
        })
    }

    async fn plan_name(&self, state: &FlowState) -> Result<String, DomainError> {
        let plan_id = state.plan_id.ok_or(DomainError::not_found("plan"))?;
        let plan =
            self.db.find_team_plan(self.creator.team_id, plan_id).await?.ok_or(DomainError::not_found("plan"))?;
        Ok(plan.name)
    }

    /// Makes the confirmation card of what the wizard collected and moves it to its last step.
    async fn confirm(&self, flow: &mut Flow, now: DateTime<Utc>) -> Result<WizardMove, DomainError> {
        let state = flow.state.clone();
        let request = GenerationRequest {
            plan_id: ids::public_id(ids::PLAN, state.plan_id.ok_or(DomainError::not_found("plan"))?),
            quantity: state.quantity.unwrap_or_default(),
            export_type: state.export_type.map(|t| t.as_str().to_owned()).unwrap_or_default(),
            expiry_preset: state.expiry_preset.clone().unwrap_or_default(),
            custom_expiry_amount: state.custom_amount,
            custom_expiry_type: state.custom_unit.clone(),
            consent: false,
            ..GenerationRequest::default()
        };
        let card = self.queue.draft(self.creator, request, now).await?;
        let next = FlowState { draft_id: Some(card.draft_id), ..state };
        if !advance(self.db, flow, Step::Confirm, next, now).await? {
            self.queue.cancel(self.creator, card.draft_id).await?;
            return Ok(WizardMove::Stale);
        }
        Ok(WizardMove::Show(WizardScreen::Card(card)))
    }

    async fn move_to(
        &self,
        flow: &mut Flow,
        step: Step,
        state: FlowState,
        now: DateTime<Utc>,
    ) -> Result<WizardMove, DomainError> {
        if step == Step::Confirm {
            flow.state = state;
            return self.confirm(flow, now).await;
        }
        if !advance(self.db, flow, step, state, now).await? {
            return Ok(WizardMove::Stale);
        }
        Ok(WizardMove::Show(self.screen(flow).await?))
    }

    /// Moves the wizard as a tapped button asks.
    pub async fn tap(
        &self,
        flow: &mut Flow,
        action: &FlowAction,
        now: DateTime<Utc>,
    ) -> Result<WizardMove, DomainError> {
        let mut state = flow.state.clone();
        let next = match (flow.step, action) {
            (_, FlowAction::Cancel) => {
                cancel(self.db, self.queue, Some(self.creator), flow).await?;
                return Ok(WizardMove::Cancelled);
            }
            (step, FlowAction::Back) => {
                let Some(previous) = step.before_in_wizard() else { return Ok(WizardMove::Stale) };
                if let Some(draft_id) = state.draft_id.take() {
                    self.queue.cancel(self.creator, draft_id).await?;
                }
                previous
            }
            (Step::Plan, FlowAction::NewPlan) => {
                finish(self.db, flow, ConversationStatus::Cancelled).await?;
                return Ok(WizardMove::NewPlan);
            }
            (Step::Plan, FlowAction::Page(page)) => {
                state.plan_page = *page;
                Step::Plan
            }
            (Step::Plan, FlowAction::Plan(plan_id)) => {
                let plan =
                    plans::find_offered_plan(self.db, self.creator.team_id, &ids::public_id(ids::PLAN, *plan_id))
                        .await?;
                state.plan_id = Some(plan.id);
                Step::Quantity
            }
            (Step::Quantity, FlowAction::Quantity(quantity)) => {
                state.quantity = Some(check_quantity(*quantity)?);
                Step::Delivery
            }
            (Step::Delivery, FlowAction::Delivery(export_type)) => {
                state.export_type = Some(*export_type);
                Step::Expiry
            }
            (Step::Expiry, FlowAction::Expiry(preset)) if preset == "custom" => {
                state.expiry_preset = Some(preset.clone());
                Step::Unit
            }
            (Step::Expiry, FlowAction::Expiry(preset)) => {
                ExpiryChoice::validate(preset, None, None, now)?;
                state.expiry_preset = Some(preset.clone());
                (state.custom_amount, state.custom_unit) = (None, None);
                Step::Confirm
            }
            (Step::Unit, FlowAction::Unit(unit)) => {
                state.custom_unit = Some(unit.as_str().to_owned());
                Step::Amount
            }
            _ => return Ok(WizardMove::Stale),
        };
        self.move_to(flow, next, state, now).await
    }

    /// Moves the wizard with typed text: the quantity, or the amount of a custom expiry.
    pub async fn answer(&self, flow: &mut Flow, text: &str, now: DateTime<Utc>) -> Result<WizardMove, DomainError> {
        let mut state = flow.state.clone();
        match flow.step {
            Step::Quantity => {
                state.quantity = Some(parse_quantity(text).and_then(check_quantity)?);
                self.move_to(flow, Step::Delivery, state, now).await
            }
            Step::Amount => {
                let amount = text
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| DomainError::validation("custom_expiry_amount", ValidationReason::NotAnInteger))?;
                ExpiryChoice::validate("custom", Some(amount), state.custom_unit.as_deref(), now)?;
                state.custom_amount = Some(amount);
                self.move_to(flow, Step::Confirm, state, now).await
            }
            _ => Ok(WizardMove::Stale),
        }
    }
}
