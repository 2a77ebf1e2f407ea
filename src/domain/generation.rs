//! Requests to generate a batch of codes: validation, the confirmation draft, queueing the job, and
//! drawing the batch the worker stores.
use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use tokio::sync::Notify;
use uuid::Uuid;

use super::access_code::{AccessCode, CodeStatus, Eligibility, check_prefix, parse_eligibility};
use super::billing::{self, CostPreview, PreviewJson};
use super::expiry::ExpiryChoice;
use super::jobs::JobStatus;
use super::secret::InstanceSecret;
use super::stored::stored_enum;
use super::{DomainError, ValidationReason, events, ids, plans};
use crate::db::Db;
use crate::db::generation::{AccessCodeRow, Batch, Draft, Event, Job};
use crate::db::plans::Plan;
use crate::db::teams::Creator;

pub const MIN_QUANTITY: i64 = 1;
pub const MAX_QUANTITY: i64 = 1000;
/// The longest batch label, in characters.
pub const MAX_LABEL_CHARS: usize = 64;
/// The most people one code may admit.
pub const MAX_USES: i64 = 100_000;
pub const EXPORT_TYPES: &[&str] = &["file", "messages"];
pub const TOOL_TELEGRAM: &str = "telegram";

stored_enum! {
    /// How the codes reach the creator: one CSV document, or one message per code.
    pub enum ExportType {
        File = "file",
        Messages = "messages",
    }
}

impl ExportType {
    /// Reads what a creator or an agent asked for, in any case.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        input.trim().to_ascii_lowercase().parse().map_err(|_| {
            DomainError::validation("export_type", ValidationReason::UnknownValue { allowed: EXPORT_TYPES })
        })
    }
}

stored_enum! {
    /// Where a confirmation card stands: waiting for a tap, turned into a job, or withdrawn.
    pub enum DraftStatus {
        Pending = "pending",
        Confirmed = "confirmed",
        Cancelled = "cancelled",
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
    /// The creator's name for the batch, if any.
    pub label: Option<String>,
    /// What the codes start with, if anything: 2 to 6 letters or digits.
    pub prefix: Option<String>,
    /// Who may redeem: `new`, `returning` or `anyone` (the default).
    pub eligibility: Option<String>,
    /// How many people may redeem each code (1 when not said).
    pub max_redemptions: Option<i64>,
}

/// A request that passed every rule, with its plan.
#[derive(Debug, Clone)]
pub struct ValidGeneration {
    pub plan: Plan,
    pub quantity: i64,
    pub export_type: ExportType,
    pub expiry: ExpiryChoice,
    pub label: Option<String>,
    pub prefix: Option<String>,
    pub eligibility: Option<Eligibility>,
    /// How many people may redeem each code.
    pub uses: i64,
}

impl ValidGeneration {
    /// Every redemption the batch allows: what its cost preview prices.
    pub fn redemptions(&self) -> i64 {
        self.quantity * self.uses
    }
}

/// Reads a typed number of uses; the range is checked with the rest of the request.
pub fn parse_uses(input: &str) -> Result<i64, DomainError> {
    input.trim().parse().map_err(|_| DomainError::validation("max_redemptions", ValidationReason::NotAnInteger))
}

/// Checks how many people one code may admit.
pub fn check_uses(uses: i64) -> Result<i64, DomainError> {
    if !(1..=MAX_USES).contains(&uses) {
        return Err(DomainError::validation("max_redemptions", ValidationReason::OutOfRange { min: 1, max: MAX_USES }));
    }
    Ok(uses)
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

/// The options the one-line `/generate` takes after the expiry, in any order: `uses=<n>`, `prefix=<text>`,
/// `for=<new|returning|anyone>`, and `label=<text to the end of the line>`.
pub const LINE_OPTIONS: &[&str] = &["uses=", "prefix=", "for=", "label="];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineOptions {
    pub uses: Option<String>,
    pub label: Option<String>,
    pub prefix: Option<String>,
    pub eligibility: Option<String>,
}

/// Splits a one-line `/generate` into what comes before its options and the options; a word such as
/// `key=value` starts the options.
pub fn split_options(line: &str) -> Result<(&str, LineOptions), DomainError> {
    let words: Vec<(usize, &str)> =
        line.split_whitespace().map(|word| (word.as_ptr() as usize - line.as_ptr() as usize, word)).collect();
    let is_option = |word: &str| {
        word.split_once('=').is_some_and(|(key, _)| !key.is_empty() && key.chars().all(|c| c.is_ascii_alphabetic()))
    };
    let Some(first) = words.iter().position(|(_, word)| is_option(word)) else {
        return Ok((line, LineOptions::default()));
    };
    let mut options = LineOptions::default();
    for (at, word) in &words[first..] {
        let (key, value) = word.split_once('=').unwrap_or((word, ""));
        match key.to_ascii_lowercase().as_str() {
            "label" => {
                options.label = Some(line[at + key.len() + 1..].trim().to_owned());
                break;
            }
            "prefix" => options.prefix = Some(value.to_owned()),
            "uses" => options.uses = Some(value.to_owned()),
            "for" => options.eligibility = Some(value.to_owned()),
            _ => {
                return Err(DomainError::validation(
                    "option",
                    ValidationReason::UnknownValue { allowed: LINE_OPTIONS },
                ));
            }
        }
    }
    Ok((&line[..words[first].0], options))
}

/// An option of a batch that the card's Options set by a typed answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftOption {
    Uses,
    Prefix,
    Label,
}

/// A change to the options of a confirmation card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionChange {
    Uses(i64),
    Prefix(Option<String>),
    Label(Option<String>),
    Who(Option<Eligibility>),
}

/// Reads the creator's typed answer for `option`, with the same rules as the one-line options.
pub fn read_option(option: DraftOption, text: &str) -> Result<OptionChange, DomainError> {
    Ok(match option {
        DraftOption::Uses => OptionChange::Uses(check_uses(parse_uses(text)?)?),
        DraftOption::Prefix => OptionChange::Prefix(Some(check_prefix(text.trim())?)),
        DraftOption::Label => OptionChange::Label(check_label(Some(text))?),
    })
}

/// The change that takes `option` back to its default: one use, no prefix, no label.
pub fn cleared(option: DraftOption) -> OptionChange {
    match option {
        DraftOption::Uses => OptionChange::Uses(1),
        DraftOption::Prefix => OptionChange::Prefix(None),
        DraftOption::Label => OptionChange::Label(None),
    }
}

/// What a draft asks for, as a request to check again.
fn request_of(draft: &Draft, consent: bool) -> GenerationRequest {
    GenerationRequest {
        plan_id: ids::public_id(ids::PLAN, draft.plan_id),
        quantity: draft.quantity.into(),
        export_type: draft.export_type.as_str().to_owned(),
        expiry_preset: draft.expiry_preset.clone(),
        custom_expiry_amount: draft.custom_expiry_amount.map(i64::from),
        custom_expiry_type: draft.custom_expiry_type.clone(),
        consent,
        label: draft.label.clone(),
        prefix: draft.prefix.clone(),
        eligibility: draft.eligibility.clone(),
        max_redemptions: Some(draft.max_redemptions.into()),
    }
}

/// A batch's label: trimmed, on one line, at most [`MAX_LABEL_CHARS`] characters; blank is no label.
pub fn check_label(label: Option<&str>) -> Result<Option<String>, DomainError> {
    let Some(label) = label.map(|label| label.split_whitespace().collect::<Vec<_>>().join(" ")) else {
        return Ok(None);
    };
    if label.chars().count() > MAX_LABEL_CHARS {
        return Err(DomainError::validation("label", ValidationReason::TooLong { max: MAX_LABEL_CHARS }));
    }
    Ok(Some(label).filter(|label| !label.is_empty()))
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
    let label = check_label(request.label.as_deref())?;
    let prefix = request.prefix.as_deref().map(str::trim).filter(|prefix| !prefix.is_empty()).map(check_prefix);
    let prefix = prefix.transpose()?;
    let eligibility = request.eligibility.as_deref().map(parse_eligibility).transpose()?.flatten();
    let uses = check_uses(request.max_redemptions.unwrap_or(1))?;
    let plan = plans::find_offered_plan(db, team_id, &request.plan_id).await?;
    Ok(ValidGeneration { plan, quantity: request.quantity, export_type, expiry, label, prefix, eligibility, uses })
}

/// The answer to a queued request.
#[derive(Debug, Clone, Serialize)]
pub struct QueuedGeneration {
    pub job_id: String,
    pub status: JobStatus,
    pub enqueued_at: DateTime<Utc>,
    pub plan_id: String,
    pub quantity: i64,
    pub preview: PreviewJson,
}

/// A confirmation that passed every check, ready to be queued.
#[derive(Debug, Clone)]
pub struct PreparedJob {
    job: Job,
    plan_name: String,
}

impl PreparedJob {
    /// What the job's messages call it.
    pub fn label(&self) -> JobLabel {
        JobLabel::of(&self.job, &self.plan_name)
    }
}

/// A job as its messages name it, the way the creator does: "10 Gold codes", a file or messages; the id
/// only reaches a Details view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLabel {
    pub id: Uuid,
    pub plan_name: String,
    pub quantity: i64,
    pub export_type: ExportType,
}

impl JobLabel {
    pub fn of(job: &Job, plan_name: &str) -> Self {
        Self {
            id: job.id,
            plan_name: plan_name.to_owned(),
            quantity: job.quantity.into(),
            export_type: job.export_type,
        }
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
    pub label: Option<String>,
    pub prefix: Option<String>,
    pub eligibility: Option<Eligibility>,
    pub uses: i64,
}

impl GenerationCard {
    fn of(draft_id: Uuid, valid: ValidGeneration, preview: CostPreview, now: DateTime<Utc>) -> Self {
        Self {
            draft_id,
            plan_name: valid.plan.name,
            quantity: valid.quantity,
            export_type: valid.export_type,
            expires_at: valid.expiry.expires_at(now),
            preview,
            label: valid.label,
            prefix: valid.prefix,
            eligibility: valid.eligibility,
            uses: valid.uses,
        }
    }
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
        let preview = billing::preview(&self.db, creator.team_id, valid.redemptions(), now).await?;
        let (custom_amount, custom_type) = valid.expiry.custom_fields();
        let draft = Draft {
            id: ids::new_id(),
            creator_id: creator.id,
            team_id: creator.team_id,
            plan_id: valid.plan.id,
            quantity: valid.quantity as i32,
            export_type: valid.export_type,
            expiry_preset: valid.expiry.preset_name().to_owned(),
            custom_expiry_amount: custom_amount.map(|a| a as i32),
            custom_expiry_type: custom_type.map(str::to_owned),
            status: DraftStatus::Pending,
            job_id: None,
            created_at: now,
            label: valid.label.clone(),
            prefix: valid.prefix.clone(),
            eligibility: valid.eligibility.map(|who| who.as_str().to_owned()),
            max_redemptions: valid.uses as i32,
        };
        self.db.insert_draft(draft.clone()).await?;
        Ok(GenerationCard::of(draft.id, valid, preview, now))
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
        if draft.status == DraftStatus::Confirmed {
            return Ok(Confirmation::AlreadyQueued(self.queued_answer_for_draft(creator, &draft, now).await?));
        }
        if draft.status != DraftStatus::Pending {
            return Err(DomainError::not_found("draft"));
        }
        let valid = validate(&self.db, creator.team_id, &request_of(&draft, consent), now).await?;
        let job = new_job(creator, &valid, Some(draft.id), TOOL_TELEGRAM, status_message_id, now)?;
        Ok(Confirmation::Ready(Box::new(PreparedJob { job, plan_name: valid.plan.name })))
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
        if !job.status.may_retry_delivery() {
            return Err(DomainError::validation("job_id", ValidationReason::NotRetryable));
        }
        if !self.db.requeue_failed_job(id, creator.id, chat, status_message_id, now).await? {
            return Err(DomainError::validation("job_id", ValidationReason::NotRetryable));
        }
        self.wake.notify_one();
        Ok(ids::public_id(ids::JOB, id))
    }

    /// The card of a pending draft, its preview counted now.
    pub async fn card(
        &self,
        creator: &Creator,
        draft_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<GenerationCard, DomainError> {
        let draft = self.own_draft(creator, draft_id).await?;
        if draft.status != DraftStatus::Pending {
            return Err(DomainError::not_found("draft"));
        }
        let valid = validate(&self.db, creator.team_id, &request_of(&draft, true), now).await?;
        let preview = billing::preview(&self.db, creator.team_id, valid.redemptions(), now).await?;
        Ok(GenerationCard::of(draft.id, valid, preview, now))
    }

    /// Changes one option of a pending draft and returns its card.
    pub async fn change_option(
        &self,
        creator: &Creator,
        draft_id: Uuid,
        change: OptionChange,
        now: DateTime<Utc>,
    ) -> Result<GenerationCard, DomainError> {
        let mut draft = self.own_draft(creator, draft_id).await?;
        match change {
            OptionChange::Uses(uses) => draft.max_redemptions = check_uses(uses)? as i32,
            OptionChange::Prefix(prefix) => draft.prefix = prefix.as_deref().map(check_prefix).transpose()?,
            OptionChange::Label(label) => draft.label = check_label(label.as_deref())?,
            OptionChange::Who(who) => draft.eligibility = who.map(|who| who.as_str().to_owned()),
        }
        if !self.db.set_draft_options(&draft).await? {
            return Err(DomainError::not_found("draft"));
        }
        self.card(creator, draft_id, now).await
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
        let redemptions = i64::from(job.quantity) * i64::from(job.max_redemptions);
        let preview = billing::preview(&self.db, creator.team_id, redemptions, now).await?;
        Ok(QueuedGeneration {
            job_id: ids::public_id(ids::JOB, job.id),
            status: job.status,
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
        export_type: valid.export_type,
        expiry_preset: valid.expiry.preset_name().to_owned(),
        custom_expiry_amount: custom_amount.map(|a| a as i32),
        custom_expiry_type: custom_type.map(str::to_owned),
        expires_at: valid.expiry.expires_at(now),
        delivery_chat_id,
        status: JobStatus::Queued,
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
        label: valid.label.clone(),
        prefix: valid.prefix.clone(),
        eligibility: valid.eligibility.map(|who| who.as_str().to_owned()),
        max_redemptions: valid.uses as i32,
    })
}

/// The batch, its codes (hashed, masked and sealed until delivery) and its `access_code.generated` event.
pub fn draw_batch(secret: &InstanceSecret, job: &Job, now: DateTime<Utc>) -> (Batch, Vec<AccessCodeRow>, Event) {
    let batch = Batch {
        id: ids::new_id(),
        team_id: job.team_id,
        plan_id: job.plan_id,
        job_id: job.id,
        count: job.quantity,
        expires_at: job.expires_at,
        created_at: now,
        label: job.label.clone(),
        prefix: job.prefix.clone(),
        eligibility: job.eligibility.clone(),
        max_redemptions: job.max_redemptions,
    };
    let mut seen = HashSet::with_capacity(job.quantity as usize);
    let mut codes = Vec::with_capacity(job.quantity as usize);
    while codes.len() < job.quantity as usize {
        let code = AccessCode::generate(job.prefix.as_deref());
        if !seen.insert(code.normalised()) {
            continue;
        }
        let id = ids::new_id();
        codes.push(AccessCodeRow {
            id,
            team_id: job.team_id,
            plan_id: job.plan_id,
            batch_id: batch.id,
            position: codes.len() as i32,
            code_hash: secret.hash_code(&code.normalised()),
            code_masked: code.masked(),
            sealed_code: Some(secret.seal(id.as_bytes(), &code.normalised())),
            status: CodeStatus::Unredeemed,
            expires_at: job.expires_at,
            redeemed_at: None,
            redeemed_by: None,
            created_at: now,
            revoked_at: None,
            max_redemptions: job.max_redemptions,
            redemption_count: 0,
        });
    }
    let event = Event {
        id: ids::new_id(),
        team_id: job.team_id,
        event_type: events::ACCESS_CODE_GENERATED.to_owned(),
        data: json!({
            "batch_id": ids::public_id(ids::BATCH, batch.id),
            "plan_id": ids::public_id(ids::PLAN, job.plan_id),
            "count": job.quantity,
            "max_redemptions": job.max_redemptions,
            "expires_at": job.expires_at,
        })
        .to_string(),
        created_at: now,
        delivered_at: None,
    };
    (batch, codes, event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_follow_the_expiry_in_any_order_and_a_label_takes_the_rest_of_the_line() {
        let (head, options) = split_options("VIP Club 10 file 1_month prefix=vip label=Black  Friday = sale").unwrap();
        assert_eq!(head.trim(), "VIP Club 10 file 1_month");
        assert_eq!(options.prefix.as_deref(), Some("vip"));
        assert_eq!(options.label.as_deref(), Some("Black  Friday = sale"));
        let (_, options) = split_options("VIP 10 file 1_month for=new uses=100 prefix=ab").unwrap();
        assert_eq!(options.uses.as_deref(), Some("100"));
        assert_eq!(options.eligibility.as_deref(), Some("new"));
        let (_, options) = split_options("VIP 10 file 1_month LABEL=x PREFIX=ab").unwrap();
        assert_eq!((options.label.as_deref(), options.prefix), (Some("x PREFIX=ab"), None));
        assert_eq!(split_options("VIP 10 file 1_month").unwrap().1, LineOptions::default());
        assert!(split_options("VIP 10 file 1_month colour=red").is_err());
    }

    #[test]
    fn a_code_admits_one_to_a_hundred_thousand_people() {
        assert_eq!(check_uses(1).unwrap(), 1);
        assert_eq!(check_uses(MAX_USES).unwrap(), MAX_USES);
        assert!(check_uses(0).is_err() && check_uses(MAX_USES + 1).is_err());
        assert!(parse_uses("ten").is_err());
    }
}
