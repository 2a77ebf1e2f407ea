//! Requests to generate a batch of codes: validation, the confirmation draft, and queueing the job.
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::Notify;
use uuid::Uuid;

use super::billing::{self, CostPreview, PreviewJson};
use super::expiry::ExpiryChoice;
use super::{DomainError, ValidationReason, ids, plans};
use crate::db::Db;
use crate::db::generation::{Draft, Job, draft_status, job_status};
use crate::db::plans::Plan;
use crate::db::teams::Creator;

pub const MIN_QUANTITY: i64 = 1;
pub const MAX_QUANTITY: i64 = 1000;
pub const EXPORT_TYPES: &[&str] = &["file", "messages"];
pub const TOOL_TELEGRAM: &str = "telegram";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportType {
    File,
    Messages,
}

impl ExportType {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        match input.trim().to_ascii_lowercase().as_str() {
            "file" => Ok(Self::File),
            "messages" => Ok(Self::Messages),
            _ => Err(DomainError::validation("export_type", ValidationReason::UnknownValue { allowed: EXPORT_TYPES })),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Messages => "messages",
        }
    }
}

/// A request as it arrives from the bot or an agent, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct GenerationRequest {
    pub plan_id: String,
    pub quantity: i64,
    pub export_type: String,
    pub expiry_preset: String,
    pub custom_expiry_amount: Option<i64>,
    pub custom_expiry_type: Option<String>,
    pub consent: bool,
}

/// A request that passed every rule, with its plan.
#[derive(Debug, Clone)]
pub struct ValidGeneration {
    pub plan: Plan,
    pub quantity: i64,
    pub export_type: ExportType,
    pub expiry: ExpiryChoice,
}

/// Reads a typed quantity; the range is checked with the rest of the request.
pub fn parse_quantity(input: &str) -> Result<i64, DomainError> {
    input.trim().parse().map_err(|_| DomainError::validation("quantity", ValidationReason::NotAnInteger))
}

/// Checks a quantity against the batch limits.
pub fn check_quantity(quantity: i64) -> Result<i64, DomainError> {
    if !(MIN_QUANTITY..=MAX_QUANTITY).contains(&quantity) {
        return Err(DomainError::validation(
            "quantity",
            ValidationReason::OutOfRange { min: MIN_QUANTITY, max: MAX_QUANTITY },
        ));
    }
    Ok(quantity)
}

/// Checks every field of the request; the plan must belong to `team_id`.
pub async fn validate(
    db: &Db,
    team_id: Uuid,
    request: &GenerationRequest,
    now: DateTime<Utc>,
) -> Result<ValidGeneration, DomainError> {
    check_quantity(request.quantity)?;
    let export_type = ExportType::parse(&request.export_type)?;
    if export_type == ExportType::Messages && !request.consent {
        return Err(DomainError::validation("consent", ValidationReason::ConsentRequired));
    }
    let expiry = ExpiryChoice::validate(
        &request.expiry_preset,
        request.custom_expiry_amount,
        request.custom_expiry_type.as_deref(),
        now,
    )?;
    let plan = plans::find_team_plan(db, team_id, &request.plan_id).await?;
    if plan.status != plans::ACTIVE {
        return Err(DomainError::not_found("plan"));
    }
    Ok(ValidGeneration { plan, quantity: request.quantity, export_type, expiry })
}

/// The answer to a queued request.
#[derive(Debug, Clone, Serialize)]
pub struct QueuedGeneration {
    pub job_id: String,
    pub status: String,
    pub enqueued_at: DateTime<Utc>,
    pub plan_id: String,
    pub quantity: i64,
    pub preview: PreviewJson,
}

/// A confirmation that passed every check, ready to be queued.
#[derive(Debug, Clone)]
pub struct PreparedJob {
    job: Job,
}

impl PreparedJob {
    pub fn job_id(&self) -> String {
        ids::public_id(ids::JOB, self.job.id)
    }
}

pub enum Confirmation {
    Ready(Box<PreparedJob>),
    AlreadyQueued(QueuedGeneration),
}

/// What the confirmation card shows before anything is queued.
#[derive(Debug, Clone)]
pub struct GenerationCard {
    pub draft_id: Uuid,
    pub plan_name: String,
    pub quantity: i64,
    pub export_type: ExportType,
    pub expires_at: Option<DateTime<Utc>>,
    pub preview: CostPreview,
}

/// Where creators' requests become queued jobs; queueing wakes the worker at once.
#[derive(Clone)]
pub struct GenerationQueue {
    db: Db,
    wake: Arc<Notify>,
}

impl GenerationQueue {
    pub fn new(db: Db, wake: Arc<Notify>) -> Self {
        Self { db, wake }
    }

    /// Validates the request and keeps it as a draft awaiting the creator's confirmation.
    /// Consent is given by confirming, so it is not asked for yet.
    pub async fn draft(
        &self,
        creator: &Creator,
        request: GenerationRequest,
        now: DateTime<Utc>,
    ) -> Result<GenerationCard, DomainError> {
        let valid = validate(&self.db, creator.team_id, &GenerationRequest { consent: true, ..request }, now).await?;
        let preview = billing::preview(&self.db, creator.team_id, valid.quantity, now).await?;
        let (custom_amount, custom_type) = valid.expiry.custom_fields();
        let draft = Draft {
            id: ids::new_id(),
            creator_id: creator.id,
            team_id: creator.team_id,
            plan_id: valid.plan.id,
            quantity: valid.quantity as i32,
            export_type: valid.export_type.as_str().to_owned(),
            expiry_preset: valid.expiry.preset_name().to_owned(),
            custom_expiry_amount: custom_amount.map(|a| a as i32),
            custom_expiry_type: custom_type.map(str::to_owned),
            status: draft_status::PENDING.to_owned(),
            job_id: None,
            created_at: now,
        };
        self.db.insert_draft(draft.clone()).await?;
        Ok(GenerationCard {
            draft_id: draft.id,
            plan_name: valid.plan.name,
            quantity: valid.quantity,
            export_type: valid.export_type,
            expires_at: valid.expiry.expires_at(now),
            preview,
        })
    }

    /// Checks a confirmation of the draft without queueing anything yet, so the caller can show
    /// the queued state before the worker may touch the status message.
    /// `consent` is true when the creator tapped the button that agrees to one message per code.
    pub async fn prepare_confirmation(
        &self,
        creator: &Creator,
        draft_id: Uuid,
        consent: bool,
        status_message_id: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<Confirmation, DomainError> {
        let draft = self.own_draft(creator, draft_id).await?;
        if draft.status == draft_status::CONFIRMED {
            return Ok(Confirmation::AlreadyQueued(self.queued_answer_for_draft(creator, &draft, now).await?));
        }
        if draft.status != draft_status::PENDING {
            return Err(DomainError::not_found("draft"));
        }
        let request = GenerationRequest {
            plan_id: ids::public_id(ids::PLAN, draft.plan_id),
            quantity: draft.quantity.into(),
            export_type: draft.export_type.clone(),
            expiry_preset: draft.expiry_preset.clone(),
            custom_expiry_amount: draft.custom_expiry_amount.map(i64::from),
            custom_expiry_type: draft.custom_expiry_type.clone(),
            consent,
        };
        let valid = validate(&self.db, creator.team_id, &request, now).await?;
        let job = new_job(creator, &valid, Some(draft.id), TOOL_TELEGRAM, status_message_id, now)?;
        Ok(Confirmation::Ready(Box::new(PreparedJob { job })))
    }

    /// Queues a prepared confirmation; a draft confirmed before keeps its first job.
    pub async fn commit(
        &self,
        creator: &Creator,
        prepared: Box<PreparedJob>,
        now: DateTime<Utc>,
    ) -> Result<QueuedGeneration, DomainError> {
        let draft_id = prepared.job.draft_id.ok_or(DomainError::not_found("draft"))?;
        let job = self.db.enqueue_draft_job(draft_id, prepared.job).await?.ok_or(DomainError::not_found("draft"))?;
        self.wake.notify_one();
        self.answer(creator, &job, now).await
    }

    /// Validates and queues a request in one step, as agents do.
    pub async fn enqueue(
        &self,
        creator: &Creator,
        request: &GenerationRequest,
        tool_name: &str,
        now: DateTime<Utc>,
    ) -> Result<QueuedGeneration, DomainError> {
        let valid = validate(&self.db, creator.team_id, request, now).await?;
        let job = new_job(creator, &valid, None, tool_name, None, now)?;
        self.db.insert_job(job.clone()).await?;
        self.wake.notify_one();
        self.answer(creator, &job, now).await
    }

    /// Tries a failed delivery again: the codes the job still holds go to the creator's linked chat
    /// (and nowhere else), and `status_message_id` there shows the progress.
    pub async fn retry_delivery(
        &self,
        creator: &Creator,
        job_id: &str,
        status_message_id: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<String, DomainError> {
        let id = ids::parse_public_id(ids::JOB, job_id).ok_or(DomainError::not_found("job"))?;
        let job = self
            .db
            .find_job(id)
            .await?
            .filter(|job| job.creator_id == creator.id)
            .ok_or(DomainError::not_found("job"))?;
        let chat =
            creator.linked_chat_id.ok_or(DomainError::validation("linked_chat", ValidationReason::NoLinkedChat))?;
        if job.status != job_status::FAILED {
            return Err(DomainError::validation("job_id", ValidationReason::NotRetryable));
        }
        if !self.db.requeue_failed_job(id, creator.id, chat, status_message_id, now).await? {
            return Err(DomainError::validation("job_id", ValidationReason::NotRetryable));
        }
        self.wake.notify_one();
        Ok(ids::public_id(ids::JOB, id))
    }

    /// Cancels a pending draft; false when it was already confirmed or cancelled.
    pub async fn cancel(&self, creator: &Creator, draft_id: Uuid) -> Result<bool, DomainError> {
        self.own_draft(creator, draft_id).await?;
        Ok(self.db.cancel_draft(draft_id).await?)
    }

    async fn own_draft(&self, creator: &Creator, draft_id: Uuid) -> Result<Draft, DomainError> {
        self.db
            .find_draft(draft_id)
            .await?
            .filter(|draft| draft.creator_id == creator.id)
            .ok_or(DomainError::not_found("draft"))
    }

    async fn queued_answer_for_draft(
        &self,
        creator: &Creator,
        draft: &Draft,
        now: DateTime<Utc>,
    ) -> Result<QueuedGeneration, DomainError> {
        let job_id = draft.job_id.ok_or(DomainError::not_found("job"))?;
        let job = self.db.find_job(job_id).await?.ok_or(DomainError::not_found("job"))?;
        self.answer(creator, &job, now).await
    }

    async fn answer(&self, creator: &Creator, job: &Job, now: DateTime<Utc>) -> Result<QueuedGeneration, DomainError> {
        let preview = billing::preview(&self.db, creator.team_id, job.quantity.into(), now).await?;
        Ok(QueuedGeneration {
            job_id: ids::public_id(ids::JOB, job.id),
            status: job.status.clone(),
            enqueued_at: job.enqueued_at,
            plan_id: ids::public_id(ids::PLAN, job.plan_id),
            quantity: job.quantity.into(),
            preview: preview.to_json(),
        })
    }
}

fn new_job(
    creator: &Creator,
    valid: &ValidGeneration,
    draft_id: Option<Uuid>,
    tool_name: &str,
    status_message_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Job, DomainError> {
    let delivery_chat_id =
        creator.linked_chat_id.ok_or(DomainError::validation("linked_chat", ValidationReason::NoLinkedChat))?;
    let (custom_amount, custom_type) = valid.expiry.custom_fields();
    Ok(Job {
        id: ids::new_id(),
        team_id: creator.team_id,
        creator_id: creator.id,
        plan_id: valid.plan.id,
        draft_id,
        tool_name: tool_name.to_owned(),
        quantity: valid.quantity as i32,
        export_type: valid.export_type.as_str().to_owned(),
        expiry_preset: valid.expiry.preset_name().to_owned(),
        custom_expiry_amount: custom_amount.map(|a| a as i32),
        custom_expiry_type: custom_type.map(str::to_owned),
        expires_at: valid.expiry.expires_at(now),
        delivery_chat_id,
        status: job_status::QUEUED.to_owned(),
        attempts: 0,
        run_at: now,
        locked_by: None,
        locked_at: None,
        heartbeat_at: None,
        batch_id: None,
        delivered_count: 0,
        status_message_id,
        error_code: None,
        error_message: None,
        enqueued_at: now,
        started_at: None,
        completed_at: None,
    })
}
