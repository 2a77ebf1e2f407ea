//! The access-code and webhook tools: their schemas, reading their arguments, and running them
//! through the same domain services as the bot.
use std::sync::Arc;

use rmcp::model::{JsonObject, Tool};
use serde::Serialize;
use serde_json::{Value, json};

use super::ApiContext;
use crate::domain::clock::now;
use crate::domain::code_listing::{self, CodeListRequest};
use crate::domain::generation::GenerationRequest;
use crate::domain::jobs;
use crate::domain::redemption_export::{self, RedemptionListRequest};
use crate::domain::revocation::{self, RevokeTarget};
use crate::domain::rollback::{self, CodeAfterRollback};
use crate::domain::tokens::{Ability, Caller};
use crate::domain::webhooks;
use crate::domain::{DomainError, ValidationReason, ids};
use crate::domain::{batches, billing};
use crate::i18n::Lang;
use crate::views::errors;

pub const BULK_GENERATE: &str = "bulk_generate_access_codes";
pub const GET_JOB_STATUS: &str = "get_job_status";
pub const PREVIEW_COST: &str = "preview_access_code_cost";
pub const LIST_CODES: &str = "list_access_codes";
pub const LIST_WEBHOOK_DELIVERIES: &str = "list_webhook_deliveries";
pub const REDELIVER_WEBHOOK: &str = "redeliver_webhook";
pub const REVOKE_CODES: &str = "revoke_access_codes";
pub const LIST_BATCHES: &str = "list_batches";
pub const LIST_REDEMPTIONS: &str = "list_redemptions";
pub const ROLLBACK_REDEMPTION: &str = "rollback_redemption";

fn schema(value: Value) -> JsonObject {
    match value {
        Value::Object(object) => object,
        _ => unreachable!("tool schemas are objects"),
    }
}

/// The tools as `tools/list` shows them.
pub fn all() -> Vec<Tool> {
    vec![
        Tool::new(
            BULK_GENERATE,
            "Queue the generation of 1-1000 access codes for one of your plans, each redeemable by one person or, \
             with max_redemptions, by up to that many people (once each). Returns at once with a \
             job_id and a cost preview; poll the job with get_job_status until it is completed or failed. The codes \
             are delivered only in Telegram, into the token owner's linked chat with the bot (never in this \
             response): export_type 'file' sends one CSV document, 'messages' sends one Telegram message per code. \
             'messages' needs consent=true, which confirms that the owner agreed to receive that many messages. \
             Generating is free; the preview says what redeeming every code (times max_redemptions) would cost this \
             billing cycle.",
            schema(json!({
                "type": "object",
                "properties": {
                    "plan_id": {"type": "string", "description": "The plan's id (pln_...)."},
                    "quantity": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "How many codes."},
                    "export_type": {"type": "string", "enum": ["file", "messages"], "description": "file: one CSV document; messages: one Telegram message per code."},
                    "expiry_preset": {"type": "string", "enum": ["no_expiry", "1_day", "1_week", "1_month", "1_year", "custom"], "description": "When unredeemed codes expire."},
                    "custom_expiry_amount": {"type": "integer", "minimum": 1, "description": "With expiry_preset custom: how many units."},
                    "custom_expiry_type": {"type": "string", "enum": ["days", "weeks", "months", "years"], "description": "With expiry_preset custom: the unit."},
                    "consent": {"type": "boolean", "description": "Must be true for export_type messages: the owner agreed to one Telegram message per code."},
                    "max_redemptions": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1, "description": "Optional: how many people may redeem each code, once per person. Each use is a redemption: a subscription, billed like any other."},
                    "prefix": {"type": "string", "pattern": "^[A-Za-z0-9]{2,6}$", "description": "Optional: 2-6 letters or digits the codes start with, as in VIP-XXXX-XXXX-XXXX."},
                    "eligibility": {"type": "string", "enum": ["anyone", "new", "returning"], "default": "anyone", "description": "Optional: who may redeem: anyone; new (people who never held a subscription on any of your plans); returning (people whose subscription on this plan has ended)."},
                    "label": {"type": "string", "maxLength": 64, "description": "Optional: the batch's name, as list_batches and the bot show it (\"Reseller Anna\")."}
                },
                "required": ["plan_id", "quantity", "export_type", "expiry_preset"]
            })),
        ),
        Tool::new(
            GET_JOB_STATUS,
            "How a generation job started with this token's owner stands: queued, running, completed (with the \
             number of codes and the batch id) or failed (with an error code and message).",
            schema(json!({
                "type": "object",
                "properties": {
                    "job_id": {"type": "string", "description": "The job id returned by bulk_generate_access_codes (mjb_...)."}
                },
                "required": ["job_id"]
            })),
        ),
        Tool::new(
            PREVIEW_COST,
            "What redeeming a number of a plan's codes would cost in the current billing cycle: how many free \
             redemptions are left, how many would be billed as overage, and the cost. Nothing is generated.",
            schema(json!({
                "type": "object",
                "properties": {
                    "plan_id": {"type": "string", "description": "The plan's id (pln_...)."},
                    "quantity": {"type": "integer", "minimum": 1, "maximum": 10000, "description": "How many redemptions to price."}
                },
                "required": ["plan_id", "quantity"]
            })),
        ),
        Tool::new(
            LIST_CODES,
            "A page of a plan's access codes, masked (full codes are never returned), newest batch first, filtered \
             by state.",
            schema(json!({
                "type": "object",
                "properties": {
                    "plan_id": {"type": "string", "description": "The plan's id (pln_...)."},
                    "batch_id": {"type": "string", "description": "Only this batch's codes (btc_...), as list_batches shows them."},
                    "status": {"type": "string", "enum": ["unredeemed", "redeemed", "expired", "revoked", "all"], "default": "all"},
                    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
                    "page": {"type": "integer", "minimum": 1, "default": 1}
                },
                "required": ["plan_id"]
            })),
        ),
        Tool::new(
            LIST_BATCHES,
            "The team's batches of access codes (one per generation), newest first: label, plan, size, when \
             generated, expiry, and how many of its codes are unredeemed, redeemed, expired or revoked. Pass \
             next_cursor back as cursor for the next page.",
            schema(json!({
                "type": "object",
                "properties": {
                    "plan_id": {"type": "string", "description": "Only this plan's batches (pln_...)."},
                    "cursor": {"type": "string", "description": "The next_cursor of the previous page."},
                    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}
                }
            })),
        ),
        Tool::new(
            REVOKE_CODES,
            "Revoke access codes nobody has redeemed yet, so they can no longer be redeemed: one code, or every \
             unredeemed code of a batch or of a plan. Give exactly one of code, batch_id or plan_id. Redeemed codes \
             keep the access they gave. Codes not yet delivered by a running job are never delivered. With \
             dry_run=true nothing changes and the answer says how many codes would be revoked.",
            schema(json!({
                "type": "object",
                "properties": {
                    "code": {"type": "string", "description": "One full code, with or without dashes."},
                    "batch_id": {"type": "string", "description": "A batch's id (btc_...), as get_job_status and the CSV show it."},
                    "plan_id": {"type": "string", "description": "A plan's id (pln_...)."},
                    "dry_run": {"type": "boolean", "default": false, "description": "Only count what would be revoked."}
                }
            })),
        ),
        Tool::new(
            LIST_REDEMPTIONS,
            "The redemptions of a batch or of a plan, oldest first: the code (masked), its batch, who redeemed it \
             and when, the subscription's end, the chats they joined, and the status (active, ended or \
             rolled_back). Give exactly one of batch_id or plan_id. Pass next_cursor back as cursor for the next \
             page.",
            schema(json!({
                "type": "object",
                "properties": {
                    "batch_id": {"type": "string", "description": "A batch's id (btc_...)."},
                    "plan_id": {"type": "string", "description": "A plan's id (pln_...) or name."},
                    "since": {"type": "string", "format": "date-time", "description": "Only redemptions at or after this time (RFC 3339)."},
                    "cursor": {"type": "string", "description": "The next_cursor of the previous page."},
                    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}
                }
            })),
        ),
        Tool::new(
            ROLLBACK_REDEMPTION,
            "Roll a redemption back: the subscription loses what the code added (it ends now if the code started \
             it), the person is removed from each chat no other active subscription of theirs covers, and billing \
             follows: a redemption of this cycle gives its free redemption back, an overage usage record not yet \
             reported is voided, one reported less than 24 hours ago is cancelled at Stripe, and an older one stays \
             billed (usage_record: stays_billed). revoke_code=true revokes the code; false lets it be redeemed \
             again. With dry_run=true nothing changes and the answer says what would happen.",
            schema(json!({
                "type": "object",
                "properties": {
                    "redemption_id": {"type": "string", "description": "The redemption's id (rdm_...), as list_redemptions shows it."},
                    "revoke_code": {"type": "boolean", "description": "true: the code is revoked; false: it can be redeemed again."},
                    "dry_run": {"type": "boolean", "default": false, "description": "Only say what would happen."}
                },
                "required": ["redemption_id", "revoke_code"]
            })),
        ),
        Tool::new(
            LIST_WEBHOOK_DELIVERIES,
            "The newest webhook deliveries of the team's endpoints (or of one), newest first: the event, its status \
             (pending, delivered, or dead after every try failed), attempts, the last HTTP status or error, and \
             when the next try is due.",
            schema(json!({
                "type": "object",
                "properties": {
                    "endpoint_id": {"type": "string", "description": "Only this endpoint's deliveries (whe_...)."},
                    "status": {"type": "string", "enum": ["pending", "delivered", "dead", "all"], "default": "all"},
                    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}
                }
            })),
        ),
        Tool::new(
            REDELIVER_WEBHOOK,
            "Send a webhook delivery again now, from the start of the retry schedule: a failing, dead or delivered \
             one. The receiver gets the same event id again.",
            schema(json!({
                "type": "object",
                "properties": {
                    "delivery_id": {"type": "string", "description": "The delivery's id (whd_...), as list_webhook_deliveries shows it."}
                },
                "required": ["delivery_id"]
            })),
        ),
    ]
}

/// `{error: {code, message, field?, required_ability?, retry_after?}}`, with the English message.
pub fn error_envelope(error: &DomainError) -> Value {
    let message = errors::plain(&Lang::default(), error);
    let mut body = json!({"code": error.code(), "message": message});
    match error {
        DomainError::Validation { field, .. } => body["field"] = json!(field),
        DomainError::TokenMissingAbility { ability } => body["required_ability"] = json!(ability),
        DomainError::RateLimited { retry_after_secs } => body["retry_after"] = json!(retry_after_secs),
        _ => {}
    }
    json!({"error": body})
}

/// A tool's arguments, read field by field so that each wrong one is named.
struct Arguments<'a>(Option<&'a JsonObject>);

impl Arguments<'_> {
    fn get(&self, field: &str) -> Option<&Value> {
        self.0.and_then(|args| args.get(field)).filter(|value| !value.is_null())
    }

    fn text(&self, field: &'static str) -> Result<Option<String>, DomainError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(DomainError::validation(field, ValidationReason::WrongType { expected: "string" })),
        }
    }

    fn required_text(&self, field: &'static str) -> Result<String, DomainError> {
        self.text(field)?
            .filter(|text| !text.trim().is_empty())
            .ok_or(DomainError::validation(field, ValidationReason::Required))
    }

    /// An integer; `12`, `12.0` and `"12"` all read as 12, since agents vary.
    fn integer(&self, field: &'static str) -> Result<Option<i64>, DomainError> {
        let not_an_integer = DomainError::validation(field, ValidationReason::NotAnInteger);
        match self.get(field) {
            None => Ok(None),
            Some(Value::Number(number)) => match number.as_i64() {
                Some(n) => Ok(Some(n)),
                None => number
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                    .map(|f| Some(f as i64))
                    .ok_or(not_an_integer),
            },
            Some(Value::String(text)) => text.trim().parse().map(Some).map_err(|_| not_an_integer),
            Some(_) => Err(not_an_integer),
        }
    }

    fn required_integer(&self, field: &'static str) -> Result<i64, DomainError> {
        self.integer(field)?.ok_or(DomainError::validation(field, ValidationReason::Required))
    }

    fn boolean(&self, field: &'static str) -> Result<Option<bool>, DomainError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Bool(value)) => Ok(Some(*value)),
            Some(_) => Err(DomainError::validation(field, ValidationReason::WrongType { expected: "boolean" })),
        }
    }
}

/// A page as agents read it: its `data` and its paging fields side by side.
fn page(list: impl Serialize) -> Result<Value, DomainError> {
    serde_json::to_value(list).map_err(|error| DomainError::internal("serialising a tool result", error))
}

fn data(value: impl Serialize) -> Result<Value, DomainError> {
    serde_json::to_value(value)
        .map(|value| json!({"data": value}))
        .map_err(|error| DomainError::internal("serialising a tool result", error))
}

/// Runs tool `name` for `caller`; `None` when there is no such tool.
pub async fn call(
    context: &Arc<ApiContext>,
    caller: &Caller,
    name: &str,
    arguments: Option<&JsonObject>,
) -> Option<Result<Value, DomainError>> {
    let args = Arguments(arguments);
    let result = match name {
        BULK_GENERATE => bulk_generate(context, caller, &args).await,
        GET_JOB_STATUS => get_job_status(context, caller, &args).await,
        PREVIEW_COST => preview_cost(context, caller, &args).await,
        LIST_CODES => list_codes(context, caller, &args).await,
        LIST_WEBHOOK_DELIVERIES => list_webhook_deliveries(context, caller, &args).await,
        REDELIVER_WEBHOOK => redeliver_webhook(context, caller, &args).await,
        REVOKE_CODES => revoke_codes(context, caller, &args).await,
        LIST_BATCHES => list_batches(context, caller, &args).await,
        LIST_REDEMPTIONS => list_redemptions(context, caller, &args).await,
        ROLLBACK_REDEMPTION => rollback_redemption(context, caller, &args).await,
        _ => return None,
    };
    Some(result)
}

async fn bulk_generate(context: &ApiContext, caller: &Caller, args: &Arguments<'_>) -> Result<Value, DomainError> {
    caller.require(Ability::CreateCodes)?;
    let request = GenerationRequest {
        plan_id: args.required_text("plan_id")?,
        quantity: args.required_integer("quantity")?,
        export_type: args.required_text("export_type")?,
        expiry_preset: args.required_text("expiry_preset")?,
        custom_expiry_amount: args.integer("custom_expiry_amount")?,
        custom_expiry_type: args.text("custom_expiry_type")?,
        consent: args.boolean("consent")?.unwrap_or(false),
        label: args.text("label")?,
        prefix: args.text("prefix")?,
        eligibility: args.text("eligibility")?,
        max_redemptions: args.integer("max_redemptions")?,
    };
    data(context.queue.enqueue(&caller.creator, &request, BULK_GENERATE, now()).await?)
}

async fn get_job_status(context: &ApiContext, caller: &Caller, args: &Arguments<'_>) -> Result<Value, DomainError> {
    caller.require(Ability::McpFull)?;
    let job_id = args.required_text("job_id")?;
    data(jobs::job_of_creator(&context.db, &caller.creator, &job_id).await?)
}

async fn preview_cost(context: &ApiContext, caller: &Caller, args: &Arguments<'_>) -> Result<Value, DomainError> {
    caller.require(Ability::CreateCodes)?;
    let plan_id = args.required_text("plan_id")?;
    let quantity = args.required_integer("quantity")?;
    data(billing::preview_plan_cost(&context.db, caller.creator.team_id, &plan_id, quantity, now()).await?)
}

async fn list_codes(context: &ApiContext, caller: &Caller, args: &Arguments<'_>) -> Result<Value, DomainError> {
    caller.require(Ability::ViewCodes)?;
    let request = CodeListRequest {
        plan_id: args.required_text("plan_id")?,
        batch_id: args.text("batch_id")?,
        status: args.text("status")?,
        limit: args.integer("limit")?,
        page: args.integer("page")?,
    };
    let list = code_listing::list_codes(&context.db, caller.creator.team_id, &request, now()).await?;
    page(list)
}

async fn list_webhook_deliveries(
    context: &ApiContext,
    caller: &Caller,
    args: &Arguments<'_>,
) -> Result<Value, DomainError> {
    caller.require(Ability::ViewWebhooks)?;
    let endpoint = args.text("endpoint_id")?;
    let status = args.text("status")?;
    let limit = args.integer("limit")?;
    let team = caller.creator.team_id;
    data(webhooks::list_deliveries(&context.db, team, endpoint.as_deref(), status.as_deref(), limit).await?)
}

async fn redeliver_webhook(context: &ApiContext, caller: &Caller, args: &Arguments<'_>) -> Result<Value, DomainError> {
    caller.require(Ability::ManageWebhooks)?;
    let delivery_id = args.required_text("delivery_id")?;
    webhooks::redeliver(&context.db, caller.creator.team_id, &delivery_id, now()).await?;
    data(json!({"delivery_id": delivery_id, "status": "pending"}))
}

async fn list_batches(context: &ApiContext, caller: &Caller, args: &Arguments<'_>) -> Result<Value, DomainError> {
    caller.require(Ability::ViewCodes)?;
    let plan_id = args.text("plan_id")?;
    let cursor = args.text("cursor")?;
    let limit = args.integer("limit")?;
    let team = caller.creator.team_id;
    let list = batches::list_batches(&context.db, team, plan_id.as_deref(), cursor.as_deref(), limit, now()).await?;
    page(list)
}

async fn list_redemptions(context: &ApiContext, caller: &Caller, args: &Arguments<'_>) -> Result<Value, DomainError> {
    caller.require(Ability::ViewCodes)?;
    let request = RedemptionListRequest {
        batch_id: args.text("batch_id")?,
        plan_id: args.text("plan_id")?,
        since: args.text("since")?,
        cursor: args.text("cursor")?,
        limit: args.integer("limit")?,
    };
    let list = redemption_export::list_redemptions(&context.db, caller.creator.team_id, &request, now()).await?;
    page(list)
}

async fn rollback_redemption(
    context: &ApiContext,
    caller: &Caller,
    args: &Arguments<'_>,
) -> Result<Value, DomainError> {
    caller.require(Ability::RevokeCodes)?;
    let input = args.required_text("redemption_id")?;
    let revoke_code =
        args.boolean("revoke_code")?.ok_or(DomainError::validation("revoke_code", ValidationReason::Required))?;
    let dry_run = args.boolean("dry_run")?.unwrap_or(false);
    let (team_id, at) = (caller.creator.team_id, now());
    let id = rollback::parse_redemption_id(&input)?;
    let outcome = if dry_run {
        rollback::preview(&context.db, team_id, id, at).await?
    } else {
        let code_after = if revoke_code { CodeAfterRollback::Revoked } else { CodeAfterRollback::Redeemable };
        rollback::roll_back(&context.db, team_id, id, code_after, at).await?
    };
    let mut answer =
        serde_json::to_value(outcome).map_err(|error| DomainError::internal("serialising a tool result", error))?;
    answer["dry_run"] = json!(dry_run);
    Ok(json!({"data": answer}))
}

async fn revoke_codes(context: &ApiContext, caller: &Caller, args: &Arguments<'_>) -> Result<Value, DomainError> {
    caller.require(Ability::RevokeCodes)?;
    const TARGETS: &[&str] = &["code", "batch_id", "plan_id"];
    let given: Vec<(&'static str, String)> = TARGETS
        .iter()
        .filter_map(|field| args.text(field).transpose().map(|text| text.map(|text| (*field, text))))
        .collect::<Result<_, _>>()?;
    let [(field, input)] = given.as_slice() else {
        return Err(DomainError::validation("code", ValidationReason::OneOf { fields: TARGETS }));
    };
    let dry_run = args.boolean("dry_run")?.unwrap_or(false);
    let (team_id, at) = (caller.creator.team_id, now());
    let target = match *field {
        "code" => revocation::find_code(&context.db, &context.secret, team_id, input, at).await?,
        "batch_id" => revocation::find_batch(&context.db, team_id, input, at).await?,
        _ => revocation::find_plan(&context.db, team_id, input).await?,
    };
    let answer = if dry_run {
        let preview = revocation::preview(&context.db, team_id, target, at).await?;
        RevokeAnswer::of(&preview.target, preview.count, Vec::new(), true)
    } else {
        let done = revocation::revoke(&context.db, team_id, target, at).await?;
        RevokeAnswer::of(&done.target, done.revoked.count, done.revoked.masked, false)
    };
    data(answer)
}

#[derive(Serialize)]
struct RevokeAnswer {
    dry_run: bool,
    /// Revoked, or with dry_run that would be.
    count: u64,
    plan_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_code_id: Option<String>,
    /// The revoked codes, masked; at most 100.
    access_codes: Vec<String>,
}

impl RevokeAnswer {
    fn of(target: &RevokeTarget, count: u64, access_codes: Vec<String>, dry_run: bool) -> Self {
        let (batch_id, access_code_id) = match target {
            RevokeTarget::Batch { id, .. } => (Some(ids::public_id(ids::BATCH, *id)), None),
            RevokeTarget::Code { id, .. } => (None, Some(ids::public_id(ids::ACCESS_CODE, *id))),
            RevokeTarget::Plan { .. } => (None, None),
        };
        let plan_id = ids::public_id(ids::PLAN, target.plan_id());
        Self { dry_run, count, plan_id, batch_id, access_code_id, access_codes }
    }
}
