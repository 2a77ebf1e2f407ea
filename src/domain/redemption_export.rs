//! The redemptions of a batch or a plan, row by row, as the creator exports them.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::DomainError;
use crate::db::Db;
use crate::db::codes::CodeScope;

/// Redeemed codes are read this many at a time.
const CHUNK: u64 = 1000;

/// Where the access a redemption gave stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedemptionStatus {
    Active,
    Ended,
}

impl RedemptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Ended => "ended",
        }
    }
}

/// One redemption: the code (masked), its batch, who redeemed it and what it led to.
#[derive(Debug, Clone)]
pub struct RedemptionRow {
    pub code_masked: String,
    pub batch_label: Option<String>,
    pub redeemed_at: DateTime<Utc>,
    pub subscriber_id: i64,
    pub username: Option<String>,
    pub name: String,
    pub subscription_end: Option<DateTime<Utc>>,
    /// The titles of the plan's chats the person was let into.
    pub chats_joined: Vec<String>,
    pub status: RedemptionStatus,
}

/// What is exported: a batch or a plan of the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportScope {
    Batch(Uuid),
    Plan(Uuid),
}

/// The export: its plan's name and its rows, oldest code first.
#[derive(Debug, Clone)]
pub struct RedemptionExport {
    pub plan_name: String,
    pub batch_label: Option<String>,
    pub rows: Vec<RedemptionRow>,
}

pub async fn export(
    db: &Db,
    team_id: Uuid,
    scope: ExportScope,
    now: DateTime<Utc>,
) -> Result<RedemptionExport, DomainError> {
    let (plan_id, code_scope, batch) = match scope {
        ExportScope::Batch(id) => {
            let batch = super::batches::team_batch(db, team_id, id).await?;
            (batch.plan_id, CodeScope::Batch(id), Some(batch))
        }
        ExportScope::Plan(id) => (id, CodeScope::Plan(id), None),
    };
    let plan = db.find_team_plan(team_id, plan_id).await?.ok_or(DomainError::not_found("plan"))?;
    let chat_titles: HashMap<i64, String> =
        db.plan_chats(plan.id).await?.into_iter().map(|chat| (chat.chat_id, chat.title)).collect();
    let mut labels: HashMap<Uuid, Option<String>> = HashMap::new();
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let codes = db.redeemed_codes(team_id, code_scope, after, CHUNK).await?;
        let Some(last) = codes.last() else { break };
        after = Some(last.id);
        let people: Vec<i64> = codes.iter().filter_map(|code| code.redeemed_by).collect();
        let subscriptions: HashMap<i64, crate::db::redemption::Subscription> = db
            .plan_subscriptions_of(plan.id, &people)
            .await?
            .into_iter()
            .map(|subscription| (subscription.subscriber_id, subscription))
            .collect();
        let ids: Vec<Uuid> = subscriptions.values().map(|subscription| subscription.id).collect();
        let mut joined: HashMap<Uuid, Vec<String>> = HashMap::new();
        for membership in db.memberships_of(&ids).await? {
            let title = chat_titles.get(&membership.chat_id).cloned().unwrap_or_else(|| membership.chat_id.to_string());
            joined.entry(membership.subscription_id).or_default().push(title);
        }
        for code in &codes {
            let (Some(subscriber_id), Some(redeemed_at)) = (code.redeemed_by, code.redeemed_at) else { continue };
            if let std::collections::hash_map::Entry::Vacant(entry) = labels.entry(code.batch_id) {
                entry.insert(db.find_batch(code.batch_id).await?.and_then(|batch| batch.label));
            }
            let subscription = subscriptions.get(&subscriber_id);
            let end = subscription.and_then(|subscription| subscription.ends_at);
            rows.push(RedemptionRow {
                code_masked: code.code_masked.clone(),
                batch_label: labels[&code.batch_id].clone(),
                redeemed_at,
                subscriber_id,
                username: subscription.and_then(|subscription| subscription.subscriber_username.clone()),
                name: subscription.map(|subscription| subscription.subscriber_name.clone()).unwrap_or_default(),
                subscription_end: end,
                chats_joined: subscription.and_then(|s| joined.get(&s.id).cloned()).unwrap_or_default(),
                status: if subscription.is_some() && end.is_none_or(|end| end > now) {
                    RedemptionStatus::Active
                } else {
                    RedemptionStatus::Ended
                },
            });
        }
        if (codes.len() as u64) < CHUNK {
            break;
        }
    }
    Ok(RedemptionExport { plan_name: plan.name, batch_label: batch.and_then(|batch| batch.label), rows })
}
