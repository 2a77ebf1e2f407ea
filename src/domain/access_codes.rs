//! Stored access codes as creators and agents may see them: masked, paged, filtered by state;
//! and what redeeming a number of a plan's codes would cost.
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::billing::{self, PreviewJson};
use super::{DomainError, ValidationReason, ids, plans};
use crate::db::Db;
use crate::db::codes::CodeFilter;

pub const CODE_FILTERS: &[&str] = &["unredeemed", "redeemed", "expired", "all"];
pub const DEFAULT_PAGE_SIZE: i64 = 25;
pub const MAX_PAGE_SIZE: i64 = 100;
pub const MAX_PREVIEW_QUANTITY: i64 = 10_000;

pub fn parse_filter(input: Option<&str>) -> Result<CodeFilter, DomainError> {
    match input.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("all") => Ok(CodeFilter::All),
        Some("unredeemed") => Ok(CodeFilter::Unredeemed),
        Some("redeemed") => Ok(CodeFilter::Redeemed),
        Some("expired") => Ok(CodeFilter::Expired),
        Some(_) => Err(DomainError::validation("status", ValidationReason::UnknownValue { allowed: CODE_FILTERS })),
    }
}

pub fn filter_name(filter: CodeFilter) -> &'static str {
    match filter {
        CodeFilter::Unredeemed => "unredeemed",
        CodeFilter::Redeemed => "redeemed",
        CodeFilter::Expired => "expired",
        CodeFilter::All => "all",
    }
}

/// A request for one page of a plan's codes, not yet checked.
#[derive(Debug, Clone)]
pub struct CodeListRequest {
    pub plan_id: String,
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub page: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeView {
    pub id: String,
    pub plan_id: String,
    pub code_masked: String,
    pub redeemed_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub redeemed_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    pub page: i64,
    pub limit: i64,
    pub total: i64,
    pub has_more: bool,
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeList {
    pub data: Vec<CodeView>,
    pub meta: PageMeta,
}

/// One page of a plan of `team_id`; full codes are never part of it.
pub async fn list_codes(
    db: &Db,
    team_id: Uuid,
    request: &CodeListRequest,
    now: DateTime<Utc>,
) -> Result<CodeList, DomainError> {
    let filter = parse_filter(request.status.as_deref())?;
    let limit = request.limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        return Err(DomainError::validation("limit", ValidationReason::OutOfRange { min: 1, max: MAX_PAGE_SIZE }));
    }
    let page = request.page.unwrap_or(1);
    if page < 1 {
        return Err(DomainError::validation("page", ValidationReason::NotPositive));
    }
    let plan = plans::find_team_plan(db, team_id, &request.plan_id).await?;
    let offset = (page - 1).saturating_mul(limit);
    let found = db.plan_codes(plan.id, filter, now, offset as u64, limit as u64).await?;
    let total = found.total as i64;
    let data = found
        .codes
        .into_iter()
        .map(|code| CodeView {
            id: ids::public_id(ids::ACCESS_CODE, code.id),
            plan_id: ids::public_id(ids::PLAN, code.plan_id),
            code_masked: code.code_masked,
            redeemed_at: code.redeemed_at,
            expires_at: code.expires_at,
            redeemed_by: code.redeemed_by,
            created_at: code.created_at,
        })
        .collect();
    let meta =
        PageMeta { page, limit, total, has_more: offset.saturating_add(limit) < total, status: filter_name(filter) };
    Ok(CodeList { data, meta })
}

/// How many of a plan's codes are in each state, in the order of `CODE_FILTERS`.
pub async fn count_by_state(
    db: &Db,
    team_id: Uuid,
    plan_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(CodeFilter, u64)>, DomainError> {
    let plan = plans::find_team_plan(db, team_id, plan_id).await?;
    let mut counts = Vec::new();
    for filter in [CodeFilter::Unredeemed, CodeFilter::Redeemed, CodeFilter::Expired, CodeFilter::All] {
        counts.push((filter, db.count_plan_codes(plan.id, filter, now).await?));
    }
    Ok(counts)
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanCostPreview {
    pub plan_id: String,
    pub quantity: i64,
    pub preview: PreviewJson,
    pub will_bill_overage: bool,
}

/// What redeeming `quantity` codes of an active plan of `team_id` would cost this cycle.
pub async fn preview_plan_cost(
    db: &Db,
    team_id: Uuid,
    plan_id: &str,
    quantity: i64,
    now: DateTime<Utc>,
) -> Result<PlanCostPreview, DomainError> {
    if !(1..=MAX_PREVIEW_QUANTITY).contains(&quantity) {
        return Err(DomainError::validation(
            "quantity",
            ValidationReason::OutOfRange { min: 1, max: MAX_PREVIEW_QUANTITY },
        ));
    }
    let plan = plans::find_team_plan(db, team_id, plan_id).await?;
    if plan.status != plans::ACTIVE {
        return Err(DomainError::not_found("plan"));
    }
    let preview = billing::preview(db, team_id, quantity, now).await?;
    Ok(PlanCostPreview {
        plan_id: ids::public_id(ids::PLAN, plan.id),
        quantity,
        will_bill_overage: preview.chargeable_quantity > 0,
        preview: preview.to_json(),
    })
}
