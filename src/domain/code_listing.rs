//! Stored access codes as creators and agents may see them: masked, paged, filtered by state.
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::stored::stored_enum;
use super::{DomainError, ValidationReason, batches, ids, plans};
use crate::db::Db;
use crate::db::generation::Batch;

pub const CODE_FILTERS: &[&str] = &["unredeemed", "redeemed", "expired", "revoked", "all"];
pub const DEFAULT_PAGE_SIZE: i64 = 25;
pub const MAX_PAGE_SIZE: i64 = 100;

stored_enum! {
    /// Which codes a listing shows; see [`super::access_code::CodeState`] for when a code counts as expired.
    pub enum CodeFilter {
        Unredeemed = "unredeemed",
        Redeemed = "redeemed",
        Expired = "expired",
        Revoked = "revoked",
        All = "all",
    }
}

pub fn parse_filter(input: Option<&str>) -> Result<CodeFilter, DomainError> {
    match input.map(|s| s.trim().to_ascii_lowercase()) {
        None => Ok(CodeFilter::All),
        Some(name) => name
            .parse()
            .map_err(|_| DomainError::validation("status", ValidationReason::UnknownValue { allowed: CODE_FILTERS })),
    }
}

/// A request for one page of a plan's codes, not yet checked.
#[derive(Debug, Clone)]
pub struct CodeListRequest {
    pub plan_id: String,
    /// Only this batch's codes (`btc_…`), which must be of the plan.
    pub batch_id: Option<String>,
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
    pub revoked_at: Option<DateTime<Utc>>,
    /// How many people may redeem the code, and how many have.
    pub max_redemptions: i32,
    pub redemptions: i32,
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

/// One of the team's codes, typed in full (any case, with or without dashes).
pub async fn find_team_code(
    db: &Db,
    secret: &super::secret::InstanceSecret,
    team_id: Uuid,
    input: &str,
) -> Result<crate::db::generation::AccessCodeRow, DomainError> {
    let code = super::access_code::AccessCode::parse(input).ok_or(DomainError::not_found("code"))?;
    let stored = db.find_code_by_hash(&secret.hash_code(&code.normalised())).await?;
    stored.filter(|stored| stored.team_id == team_id).ok_or(DomainError::not_found("code"))
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
    let batch = match &request.batch_id {
        Some(batch) => Some(batch_of_plan(db, team_id, plan.id, batches::parse_batch_id(batch)?).await?.id),
        None => None,
    };
    let offset = (page - 1).saturating_mul(limit);
    let found = db.plan_codes(plan.id, batch, filter, now, offset as u64, limit as u64).await?;
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
            revoked_at: code.revoked_at,
            max_redemptions: code.max_redemptions,
            redemptions: code.redemption_count,
        })
        .collect();
    let meta = PageMeta { page, limit, total, has_more: offset.saturating_add(limit) < total, status: filter.as_str() };
    Ok(CodeList { data, meta })
}

/// The team's batch `batch_id`, which must be of the plan.
async fn batch_of_plan(db: &Db, team_id: Uuid, plan_id: Uuid, batch_id: Uuid) -> Result<Batch, DomainError> {
    let batch = batches::team_batch(db, team_id, batch_id).await?;
    if batch.plan_id != plan_id {
        return Err(DomainError::not_found("batch"));
    }
    Ok(batch)
}

/// How many of a plan's codes (of one batch, when given) are in each state, in the order of `CODE_FILTERS`.
pub async fn count_by_state(
    db: &Db,
    plan_id: Uuid,
    batch_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Vec<(CodeFilter, u64)>, DomainError> {
    let mut counts = Vec::new();
    for &filter in CodeFilter::ALL {
        counts.push((filter, db.count_plan_codes(plan_id, batch_id, filter, now).await?));
    }
    Ok(counts)
}

/// One page of a plan's codes in a filter, with the counts of every filter, as `/codes` shows them.
#[derive(Debug, Clone)]
pub struct PlanCodes {
    pub plan: crate::db::plans::Plan,
    /// The batch shown, when only one batch's codes are.
    pub batch: Option<Batch>,
    pub filter: CodeFilter,
    pub page: i64,
    pub pages: i64,
    pub counts: Vec<(CodeFilter, u64)>,
    pub list: CodeList,
}

/// Page `page` (clamped to the pages there are) of the team's plan `plan_id` in `filter`, or of one of its
/// batches.
#[allow(clippy::too_many_arguments)]
pub async fn plan_codes_page(
    db: &Db,
    team_id: Uuid,
    plan_id: &str,
    batch: Option<Uuid>,
    filter: CodeFilter,
    page: i64,
    page_size: i64,
    now: DateTime<Utc>,
) -> Result<PlanCodes, DomainError> {
    let plan = plans::find_team_plan(db, team_id, plan_id).await?;
    let plan_key = ids::public_id(ids::PLAN, plan.id);
    let batch = match batch {
        Some(batch_id) => Some(batch_of_plan(db, team_id, plan.id, batch_id).await?),
        None => None,
    };
    let batch_key = batch.as_ref().map(|batch| ids::public_id(ids::BATCH, batch.id));
    let counts = count_by_state(db, plan.id, batch.as_ref().map(|batch| batch.id), now).await?;
    let matching = counts.iter().find(|(f, _)| *f == filter).map_or(0, |(_, n)| *n as i64);
    let pages = ((matching + page_size - 1) / page_size).max(1);
    let page = page.clamp(1, pages);
    let request = CodeListRequest {
        plan_id: plan_key,
        batch_id: batch_key,
        status: Some(filter.as_str().to_owned()),
        limit: Some(page_size),
        page: Some(page),
    };
    let list = list_codes(db, team_id, &request, now).await?;
    Ok(PlanCodes { plan, batch, filter, page, pages, counts, list })
}

/// Page `page` of the team's batch `batch_id` in `filter`, with the counts of every filter.
pub async fn batch_codes_page(
    db: &Db,
    team_id: Uuid,
    batch_id: Uuid,
    filter: CodeFilter,
    page: i64,
    page_size: i64,
    now: DateTime<Utc>,
) -> Result<PlanCodes, DomainError> {
    let batch = batches::team_batch(db, team_id, batch_id).await?;
    let plan_key = ids::public_id(ids::PLAN, batch.plan_id);
    plan_codes_page(db, team_id, &plan_key, Some(batch.id), filter, page, page_size, now).await
}
