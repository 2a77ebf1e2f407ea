//! Batches as creators and agents see them: newest first, with how many of their codes are in each state,
//! and where a batch's redemptions led (redeemed → joined a chat → still active).
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::code_listing::CodeFilter;
use super::{DomainError, ValidationReason, ids, plans};
use crate::db::Db;
use crate::db::batches::BatchQuery;
use crate::db::generation::Batch;

pub const BATCHES_PER_PAGE: u64 = 8;
pub const DEFAULT_LIST_LIMIT: i64 = 25;
pub const MAX_LIST_LIMIT: i64 = 100;

/// How many of a batch's codes are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BatchCounts {
    pub unredeemed: u64,
    pub redeemed: u64,
    pub expired: u64,
    pub revoked: u64,
}

/// A batch with its plan's name and its counts.
#[derive(Debug, Clone)]
pub struct BatchSummary {
    pub batch: Batch,
    pub plan_name: String,
    pub counts: BatchCounts,
}

/// Of the people who redeemed a batch's codes: how many, how many joined a chat, how many still have access.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Funnel {
    pub redeemed: u64,
    pub joined: u64,
    pub active: u64,
}

/// One page of `/batches`, for one plan or all of them.
#[derive(Debug, Clone)]
pub struct BatchPage {
    pub plan: Option<crate::db::plans::Plan>,
    pub batches: Vec<BatchSummary>,
    pub page: u32,
    pub pages: u32,
}

/// A batch id as typed or sent: `btc_…` or its bare ULID, in any case.
pub fn parse_batch_id(input: &str) -> Result<Uuid, DomainError> {
    ids::parse_public_id(ids::BATCH, &input.trim().to_ascii_lowercase()).ok_or(DomainError::not_found("batch"))
}

/// One of the team's batches; another team's reads as none.
pub async fn team_batch(db: &Db, team_id: Uuid, batch_id: Uuid) -> Result<Batch, DomainError> {
    let batch = db.find_batch(batch_id).await?.filter(|batch| batch.team_id == team_id);
    batch.ok_or(DomainError::not_found("batch"))
}

async fn counts(db: &Db, batch_id: Uuid, now: DateTime<Utc>) -> Result<BatchCounts, DomainError> {
    let count = |filter| db.count_batch_codes(batch_id, filter, now);
    Ok(BatchCounts {
        unredeemed: count(CodeFilter::Unredeemed).await?,
        redeemed: count(CodeFilter::Redeemed).await?,
        expired: count(CodeFilter::Expired).await?,
        revoked: count(CodeFilter::Revoked).await?,
    })
}

async fn summaries(
    db: &Db,
    team_id: Uuid,
    batches: Vec<Batch>,
    now: DateTime<Utc>,
) -> Result<Vec<BatchSummary>, DomainError> {
    let mut plan_names: HashMap<Uuid, String> = HashMap::new();
    let mut summaries = Vec::with_capacity(batches.len());
    for batch in batches {
        if let std::collections::hash_map::Entry::Vacant(name) = plan_names.entry(batch.plan_id) {
            let plan = db.find_team_plan(team_id, batch.plan_id).await?.ok_or(DomainError::not_found("plan"))?;
            name.insert(plan.name);
        }
        let counts = counts(db, batch.id, now).await?;
        summaries.push(BatchSummary { plan_name: plan_names[&batch.plan_id].clone(), counts, batch });
    }
    Ok(summaries)
}

/// Page `page` (from 0, clamped to the pages there are) of the team's batches, of one plan when named.
pub async fn batch_page(
    db: &Db,
    team_id: Uuid,
    plan: Option<&str>,
    page: u32,
    now: DateTime<Utc>,
) -> Result<BatchPage, DomainError> {
    let plan = match plan.map(str::trim).filter(|plan| !plan.is_empty()) {
        Some(plan) => Some(plans::find_team_plan(db, team_id, plan).await?),
        None => None,
    };
    let query = BatchQuery { team_id, plan_id: plan.as_ref().map(|plan| plan.id), before: None };
    let total = db.count_batches(query).await?;
    let pages = total.div_ceil(BATCHES_PER_PAGE).max(1) as u32;
    let page = page.min(pages - 1);
    let batches = db.batches(query, u64::from(page) * BATCHES_PER_PAGE, BATCHES_PER_PAGE).await?;
    Ok(BatchPage { plan, batches: summaries(db, team_id, batches, now).await?, page, pages })
}

/// One of the team's batches, with its counts and its funnel.
pub async fn batch_card(
    db: &Db,
    team_id: Uuid,
    batch_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(BatchSummary, Funnel), DomainError> {
    let batch = team_batch(db, team_id, batch_id).await?;
    let redeemers = db.batch_redeemers(batch.id).await?;
    let subscriptions = db.plan_subscriptions_of(batch.plan_id, &redeemers).await?;
    let ids: Vec<Uuid> = subscriptions.iter().map(|subscription| subscription.id).collect();
    let joined = db.subscriptions_that_joined(&ids).await?;
    let funnel = Funnel {
        redeemed: redeemers.len() as u64,
        joined: joined.len() as u64,
        active: subscriptions.iter().filter(|s| s.ends_at.is_none_or(|end| end > now)).count() as u64,
    };
    let summary = summaries(db, team_id, vec![batch], now).await?.remove(0);
    Ok((summary, funnel))
}

/// A batch as `list_batches` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct BatchView {
    pub id: String,
    pub plan_id: String,
    pub label: Option<String>,
    pub count: i32,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub codes: BatchCounts,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchList {
    pub data: Vec<BatchView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// A listing tool's page size: [`DEFAULT_LIST_LIMIT`] when not given, at most [`MAX_LIST_LIMIT`].
pub fn list_limit(limit: Option<i64>) -> Result<i64, DomainError> {
    let limit = limit.unwrap_or(DEFAULT_LIST_LIMIT);
    if !(1..=MAX_LIST_LIMIT).contains(&limit) {
        return Err(DomainError::validation("limit", ValidationReason::OutOfRange { min: 1, max: MAX_LIST_LIMIT }));
    }
    Ok(limit)
}

/// The row a listing tool's `cursor` names: a `next_cursor` it gave, an id with `prefix`.
pub fn read_cursor(prefix: &str, cursor: Option<&str>, expected: &'static str) -> Result<Option<Uuid>, DomainError> {
    cursor
        .map(|cursor| {
            ids::parse_public_id(prefix, cursor)
                .ok_or(DomainError::validation("cursor", ValidationReason::WrongType { expected }))
        })
        .transpose()
}

/// Up to `limit` of the team's batches (of one plan when named), newest first, after `cursor`.
pub async fn list_batches(
    db: &Db,
    team_id: Uuid,
    plan_id: Option<&str>,
    cursor: Option<&str>,
    limit: Option<i64>,
    now: DateTime<Utc>,
) -> Result<BatchList, DomainError> {
    let limit = list_limit(limit)?;
    let plan_id = match plan_id {
        Some(plan) => Some(plans::find_team_plan(db, team_id, plan).await?.id),
        None => None,
    };
    let before = read_cursor(ids::BATCH, cursor, "a next_cursor from list_batches")?;
    let mut batches = db.batches(BatchQuery { team_id, plan_id, before }, 0, limit as u64 + 1).await?;
    let more = batches.len() as i64 > limit;
    batches.truncate(limit as usize);
    let next_cursor = more.then(|| batches.last().map(|batch| ids::public_id(ids::BATCH, batch.id))).flatten();
    let mut data = Vec::with_capacity(batches.len());
    for batch in batches {
        data.push(BatchView {
            id: ids::public_id(ids::BATCH, batch.id),
            plan_id: ids::public_id(ids::PLAN, batch.plan_id),
            codes: counts(db, batch.id, now).await?,
            label: batch.label,
            count: batch.count,
            created_at: batch.created_at,
            expires_at: batch.expires_at,
        });
    }
    Ok(BatchList { data, next_cursor })
}
