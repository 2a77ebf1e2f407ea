//! The redemptions of a batch or a plan, row by row: as the creator exports them, and as agents list them.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{DomainError, ValidationReason, ids, plans, subscriptions};
use crate::db::Db;
use crate::db::batches::RedemptionScope;

/// Redemptions are read this many at a time for an export.
const CHUNK: u64 = 1000;

/// Where the access a redemption gave stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedemptionStatus {
    Active,
    Ended,
    RolledBack,
}

impl RedemptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Ended => "ended",
            Self::RolledBack => "rolled back",
        }
    }
}

/// One redemption: the code (masked), its batch, who redeemed it and what it led to.
#[derive(Debug, Clone)]
pub struct RedemptionRow {
    pub id: Uuid,
    pub code_masked: String,
    pub batch_id: Uuid,
    pub batch_label: Option<String>,
    pub plan_id: Uuid,
    pub redeemed_at: DateTime<Utc>,
    pub subscriber_id: i64,
    pub username: Option<String>,
    pub name: String,
    pub subscription_id: Option<Uuid>,
    pub subscription_end: Option<DateTime<Utc>>,
    /// The titles of the plan's chats the person was let into.
    pub chats_joined: Vec<String>,
    pub status: RedemptionStatus,
}

/// What is exported or listed: a batch or a plan of the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportScope {
    Batch(Uuid),
    Plan(Uuid),
}

/// The export: its plan's name and its rows, oldest redemption first.
#[derive(Debug, Clone)]
pub struct RedemptionExport {
    pub plan_name: String,
    pub batch_label: Option<String>,
    pub rows: Vec<RedemptionRow>,
}

/// The plan of a scope, and the scope as the database reads it; the batch or plan must be the team's.
async fn resolve(
    db: &Db,
    team_id: Uuid,
    scope: ExportScope,
) -> Result<(crate::db::plans::Plan, RedemptionScope, Option<String>), DomainError> {
    let (plan_id, read, label) = match scope {
        ExportScope::Batch(id) => {
            let batch = super::batches::team_batch(db, team_id, id).await?;
            (batch.plan_id, RedemptionScope::Batch(id), batch.label)
        }
        ExportScope::Plan(id) => (id, RedemptionScope::Plan(id), None),
    };
    let plan = db.find_team_plan(team_id, plan_id).await?.ok_or(DomainError::not_found("plan"))?;
    Ok((plan, read, label))
}

/// A page of redemptions with their codes, batches, subscriptions and the chats each let its person into.
struct Reader {
    chat_titles: HashMap<i64, String>,
    labels: HashMap<Uuid, Option<String>>,
}

impl Reader {
    async fn new(db: &Db, plan_id: Uuid) -> Result<Self, DomainError> {
        let chat_titles = db.plan_chats(plan_id).await?.into_iter().map(|chat| (chat.chat_id, chat.title)).collect();
        Ok(Self { chat_titles, labels: HashMap::new() })
    }

    async fn rows(
        &mut self,
        db: &Db,
        redemptions: Vec<crate::db::redemption::RedemptionRow>,
        now: DateTime<Utc>,
    ) -> Result<Vec<RedemptionRow>, DomainError> {
        let code_ids: Vec<Uuid> = redemptions.iter().map(|r| r.access_code_id).collect();
        let codes: HashMap<Uuid, String> =
            db.codes_by_id(&code_ids).await?.into_iter().map(|code| (code.id, code.code_masked)).collect();
        let subscription_ids: Vec<Uuid> = redemptions.iter().filter_map(|r| r.subscription_id).collect();
        let subscriptions: HashMap<Uuid, crate::db::redemption::Subscription> =
            db.subscriptions_by_id(&subscription_ids).await?.into_iter().map(|s| (s.id, s)).collect();
        let mut joined: HashMap<Uuid, Vec<String>> = HashMap::new();
        for membership in db.memberships_of(&subscription_ids).await? {
            let title =
                self.chat_titles.get(&membership.chat_id).cloned().unwrap_or_else(|| membership.chat_id.to_string());
            let titles = joined.entry(membership.subscription_id).or_default();
            if !titles.contains(&title) {
                titles.push(title);
            }
        }
        let mut rows = Vec::with_capacity(redemptions.len());
        for redemption in redemptions {
            if let std::collections::hash_map::Entry::Vacant(entry) = self.labels.entry(redemption.batch_id) {
                entry.insert(db.find_batch(redemption.batch_id).await?.and_then(|batch| batch.label));
            }
            let subscription = redemption.subscription_id.and_then(|id| subscriptions.get(&id));
            let status = if redemption.rolled_back_at.is_some() {
                RedemptionStatus::RolledBack
            } else if subscription.is_some_and(|s| subscriptions::is_active(s, now)) {
                RedemptionStatus::Active
            } else {
                RedemptionStatus::Ended
            };
            rows.push(RedemptionRow {
                id: redemption.id,
                code_masked: codes.get(&redemption.access_code_id).cloned().unwrap_or_default(),
                batch_id: redemption.batch_id,
                batch_label: self.labels[&redemption.batch_id].clone(),
                plan_id: redemption.plan_id,
                redeemed_at: redemption.redeemed_at,
                subscriber_id: redemption.subscriber_id,
                username: subscription.and_then(|s| s.subscriber_username.clone()),
                name: subscription.map(|s| s.subscriber_name.clone()).unwrap_or_default(),
                subscription_id: redemption.subscription_id,
                subscription_end: subscription.and_then(|s| s.ends_at),
                chats_joined: subscription.and_then(|s| joined.get(&s.id).cloned()).unwrap_or_default(),
                status,
            });
        }
        Ok(rows)
    }
}

pub async fn export(
    db: &Db,
    team_id: Uuid,
    scope: ExportScope,
    now: DateTime<Utc>,
) -> Result<RedemptionExport, DomainError> {
    let (plan, read, batch_label) = resolve(db, team_id, scope).await?;
    let mut reader = Reader::new(db, plan.id).await?;
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let page = db.redemptions_page(team_id, read, None, after, CHUNK).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        let full = page.len() as u64 == CHUNK;
        rows.extend(reader.rows(db, page, now).await?);
        if !full {
            break;
        }
    }
    Ok(RedemptionExport { plan_name: plan.name, batch_label, rows })
}

/// A redemption as `list_redemptions` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RedemptionView {
    pub id: String,
    pub access_code: String,
    pub batch_id: String,
    pub batch_label: Option<String>,
    pub plan_id: String,
    pub redeemed_at: DateTime<Utc>,
    pub subscriber_id: i64,
    pub username: Option<String>,
    pub name: String,
    pub subscription_id: Option<String>,
    pub subscription_ends_at: Option<DateTime<Utc>>,
    pub chats_joined: Vec<String>,
    /// active, ended or rolled_back.
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RedemptionList {
    pub data: Vec<RedemptionView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// What an agent asks `list_redemptions` for.
#[derive(Debug, Clone, Default)]
pub struct RedemptionListRequest {
    pub batch_id: Option<String>,
    pub plan_id: Option<String>,
    pub since: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Up to `limit` redemptions of a batch or a plan of the team, oldest first, after `cursor`.
pub async fn list_redemptions(
    db: &Db,
    team_id: Uuid,
    request: &RedemptionListRequest,
    now: DateTime<Utc>,
) -> Result<RedemptionList, DomainError> {
    let limit = super::batches::list_limit(request.limit)?;
    let scope = match (&request.batch_id, &request.plan_id) {
        (Some(batch), None) => ExportScope::Batch(super::batches::parse_batch_id(batch)?),
        (None, Some(plan)) => ExportScope::Plan(plans::find_team_plan(db, team_id, plan).await?.id),
        _ => {
            return Err(DomainError::validation(
                "batch_id",
                ValidationReason::OneOf { fields: &["batch_id", "plan_id"] },
            ));
        }
    };
    let since = match &request.since {
        Some(since) => Some(
            DateTime::parse_from_rfc3339(since.trim())
                .map_err(|_| {
                    DomainError::validation("since", ValidationReason::WrongType { expected: "an RFC 3339 time" })
                })?
                .with_timezone(&Utc),
        ),
        None => None,
    };
    let after =
        super::batches::read_cursor(ids::REDEMPTION, request.cursor.as_deref(), "a next_cursor from list_redemptions")?;
    let (plan, read, _) = resolve(db, team_id, scope).await?;
    let mut page = db.redemptions_page(team_id, read, since, after, limit as u64 + 1).await?;
    let more = page.len() as i64 > limit;
    page.truncate(limit as usize);
    let next_cursor = more.then(|| page.last().map(|r| ids::public_id(ids::REDEMPTION, r.id))).flatten();
    let rows = Reader::new(db, plan.id).await?.rows(db, page, now).await?;
    let data = rows
        .into_iter()
        .map(|row| RedemptionView {
            id: ids::public_id(ids::REDEMPTION, row.id),
            access_code: row.code_masked,
            batch_id: ids::public_id(ids::BATCH, row.batch_id),
            batch_label: row.batch_label,
            plan_id: ids::public_id(ids::PLAN, row.plan_id),
            redeemed_at: row.redeemed_at,
            subscriber_id: row.subscriber_id,
            username: row.username,
            name: row.name,
            subscription_id: row.subscription_id.map(|id| ids::public_id(ids::SUBSCRIPTION, id)),
            subscription_ends_at: row.subscription_end,
            chats_joined: row.chats_joined,
            status: match row.status {
                RedemptionStatus::RolledBack => "rolled_back",
                other => other.as_str(),
            },
        })
        .collect();
    Ok(RedemptionList { data, next_cursor })
}
