//! Creators roll a redemption back: the subscription loses what the code added, the person leaves the chats
//! nothing else of theirs covers, the code is revoked or opens again, and billing follows.
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::access::{RemovalReason, ended_event};
use super::billing::{self, RecordToUndo, UsageUndo};
use super::secret::InstanceSecret;
use super::subscriptions::{Added, TakeBack, take_back};
use super::{DomainError, ValidationReason, events, ids};
use crate::db::Db;
use crate::db::generation::Event;
use crate::db::redemption::{RedemptionRow, Subscription};
use crate::db::rollback::{RollbackRules, RolledBack};

pub use crate::db::rollback::CodeAfterRollback;

/// At most this many of a multi-use code's redemptions are offered to pick from.
pub const MOST_OFFERED: usize = 8;

/// Which redemption a creator means.
#[derive(Debug, Clone)]
pub enum Found {
    One(Uuid),
    /// A code several people redeemed (masked): its newest redemptions, to pick one.
    Several {
        code_masked: String,
        choices: Vec<RedemptionChoice>,
    },
}

#[derive(Debug, Clone)]
pub struct RedemptionChoice {
    pub id: Uuid,
    pub subscriber_name: String,
    pub redeemed_at: DateTime<Utc>,
}

/// What a rollback takes back, and what it does to billing: before it is made, or once it is.
#[derive(Debug, Clone, Serialize)]
pub struct RollbackOutcome {
    #[serde(serialize_with = "redemption_id")]
    pub redemption_id: Uuid,
    pub access_code: String,
    pub plan: String,
    pub subscriber_id: i64,
    pub subscriber_name: String,
    #[serde(skip)]
    pub take_back: TakeBack,
    /// Where the subscription ends after the rollback (null: it keeps access without end).
    pub subscription_ends_at: Option<DateTime<Utc>>,
    /// The redemption was made in the current billing cycle, whose free redemptions get one back.
    pub allotment_returned: bool,
    #[serde(skip)]
    pub usage: Option<UsageUndo>,
    /// voided, cancelled or stays_billed: what happens to an overage usage record; null when none is involved.
    pub usage_record: Option<&'static str>,
    /// Set once made: whether the code was revoked (otherwise it can be redeemed again).
    pub code_revoked: Option<bool>,
}

fn redemption_id<S: serde::Serializer>(id: &Uuid, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&ids::public_id(ids::REDEMPTION, *id))
}

fn usage_word(usage: Option<UsageUndo>) -> Option<&'static str> {
    usage.map(|undo| match undo {
        UsageUndo::Void => "voided",
        UsageUndo::Cancel => "cancelled",
        UsageUndo::StaysBilled => "stays_billed",
    })
}

/// A redemption's id as agents and creators write it (`rdm_…`).
pub fn parse_redemption_id(input: &str) -> Result<Uuid, DomainError> {
    ids::parse_public_id(ids::REDEMPTION, input.trim()).ok_or(DomainError::not_found("redemption"))
}

/// The redemption a creator names: a redemption id, or a code of theirs.
pub async fn find(db: &Db, secret: &InstanceSecret, team_id: Uuid, input: &str) -> Result<Found, DomainError> {
    let input = input.trim();
    if input.starts_with(ids::REDEMPTION) {
        return Ok(Found::One(live_redemption(db, team_id, parse_redemption_id(input)?).await?.id));
    }
    let stored = super::code_listing::find_team_code(db, secret, team_id, input).await?;
    let live = db.live_redemptions_of_code(stored.id).await?;
    match live.as_slice() {
        [] => Err(DomainError::validation("code", ValidationReason::NotRedeemed)),
        [one] => Ok(Found::One(one.id)),
        several => {
            let mut choices = Vec::new();
            for redemption in several.iter().take(MOST_OFFERED) {
                choices.push(RedemptionChoice {
                    id: redemption.id,
                    subscriber_name: subscriber_name(db, redemption).await?,
                    redeemed_at: redemption.redeemed_at,
                });
            }
            Ok(Found::Several { code_masked: stored.code_masked, choices })
        }
    }
}

/// The newest redemption that stands among those that changed a subscription of the team: what `/check`
/// offers to roll back.
pub async fn of_subscription(db: &Db, subscription: &Subscription) -> Result<Option<Uuid>, DomainError> {
    let found = db.latest_redemption_of_subscription(subscription.id).await?;
    Ok(found.filter(|redemption| redemption.team_id == subscription.team_id).map(|redemption| redemption.id))
}

/// The name on the subscription the redemption changed; the Telegram id when there is none.
async fn subscriber_name(db: &Db, redemption: &RedemptionRow) -> Result<String, DomainError> {
    let subscription = match redemption.subscription_id {
        Some(id) => db.subscriptions_by_id(&[id]).await?.pop(),
        None => None,
    };
    Ok(subscription.map(|s| s.subscriber_name).unwrap_or_else(|| redemption.subscriber_id.to_string()))
}

/// The team's redemption, which must still stand.
async fn live_redemption(db: &Db, team_id: Uuid, id: Uuid) -> Result<RedemptionRow, DomainError> {
    let redemption = db.find_redemption(id).await?;
    let redemption = redemption.filter(|r| r.team_id == team_id).ok_or(DomainError::not_found("redemption"))?;
    if redemption.rolled_back_at.is_some() {
        return Err(DomainError::validation("redemption_id", ValidationReason::RolledBack));
    }
    Ok(redemption)
}

/// What the rules decide for a rollback at `now`, besides what they decide on the rows inside its transaction.
struct Decision {
    redemption: RedemptionRow,
    code_masked: String,
    plan: String,
    subscriber_name: String,
    subscription: Option<Subscription>,
    give_back_cycle: Option<DateTime<Utc>>,
    usage_record: Option<Uuid>,
}

async fn decide(db: &Db, team_id: Uuid, id: Uuid, now: DateTime<Utc>) -> Result<Decision, DomainError> {
    let redemption = live_redemption(db, team_id, id).await?;
    let team = db.find_team(team_id).await?.ok_or(DomainError::not_found("team"))?;
    let tier = db.find_tier(&team.tier_id).await?.ok_or(DomainError::not_found("tier"))?;
    let plan = db.find_plan(redemption.plan_id).await?.ok_or(DomainError::not_found("plan"))?;
    let code = db.codes_by_id(&[redemption.access_code_id]).await?.pop().ok_or(DomainError::not_found("code"))?;
    let current_cycle = billing::cycle_start(team.billing_anchor_at, now);
    let in_current_cycle = billing::cycle_start(team.billing_anchor_at, redemption.redeemed_at) == current_cycle;
    let cycle_count = db.cycle_redemptions(team_id, current_cycle).await?;
    let usage_record = match billing::record_to_undo(
        redemption.usage_record_id.is_some(),
        in_current_cycle,
        cycle_count,
        tier.monthly_allotment,
    ) {
        RecordToUndo::Own => redemption.usage_record_id,
        RecordToUndo::NewestOfCycle => db.newest_billed_usage(team_id, current_cycle).await?.map(|record| record.id),
        RecordToUndo::None => None,
    };
    let subscription = match redemption.subscription_id {
        Some(id) => db.subscriptions_by_id(&[id]).await?.pop(),
        None => None,
    };
    Ok(Decision {
        subscriber_name: subscription
            .as_ref()
            .map(|s| s.subscriber_name.clone())
            .unwrap_or_else(|| redemption.subscriber_id.to_string()),
        code_masked: code.code_masked,
        plan: plan.name,
        subscription,
        give_back_cycle: in_current_cycle.then_some(current_cycle),
        usage_record,
        redemption,
    })
}

/// What rolling the team's redemption back would do now; nothing changes.
pub async fn preview(db: &Db, team_id: Uuid, id: Uuid, now: DateTime<Utc>) -> Result<RollbackOutcome, DomainError> {
    let decision = decide(db, team_id, id, now).await?;
    let added = Added::from_seconds(decision.redemption.added_seconds);
    let current_end = decision.subscription.as_ref().and_then(|s| s.ends_at);
    let taken = match &decision.subscription {
        Some(subscription) => take_back(subscription.ends_at, added, now),
        None => TakeBack::Unchanged,
    };
    let usage = match decision.usage_record {
        Some(record) => {
            db.find_usage_record(record).await?.and_then(|r| billing::undo_usage(r.status, r.reported_at, now))
        }
        None => None,
    };
    Ok(RollbackOutcome {
        redemption_id: id,
        access_code: decision.code_masked,
        plan: decision.plan,
        subscriber_id: decision.redemption.subscriber_id,
        subscriber_name: decision.subscriber_name,
        take_back: taken,
        subscription_ends_at: taken.end(current_end, now),
        allotment_returned: decision.give_back_cycle.is_some(),
        usage,
        usage_record: usage_word(usage),
        code_revoked: None,
    })
}

/// Rolls the team's redemption back now, once.
pub async fn roll_back(
    db: &Db,
    team_id: Uuid,
    id: Uuid,
    code_after: CodeAfterRollback,
    now: DateTime<Utc>,
) -> Result<RollbackOutcome, DomainError> {
    let decision = decide(db, team_id, id, now).await?;
    let added = Added::from_seconds(decision.redemption.added_seconds);
    let rules = RollbackRules {
        code_after,
        take_back: |subscription: &Subscription| take_back(subscription.ends_at, added, now),
        give_back_cycle: decision.give_back_cycle,
        usage_record: decision.usage_record,
        undo: |record: &crate::db::redemption::UsageRecord| billing::undo_usage(record.status, record.reported_at, now),
        events: |done: &RolledBack| vec![rolled_back_event(done, code_after, decision.give_back_cycle.is_some(), now)],
        ended: |subscription: &Subscription| ended_event(subscription, RemovalReason::RolledBack, now),
    };
    let done = db
        .roll_back_redemption(id, now, rules)
        .await?
        .ok_or(DomainError::validation("redemption_id", ValidationReason::RolledBack))?;
    log::info!("a redemption was rolled back");
    Ok(RollbackOutcome {
        redemption_id: id,
        access_code: done.code.code_masked,
        plan: decision.plan,
        subscriber_id: done.redemption.subscriber_id,
        subscriber_name: decision.subscriber_name,
        take_back: done.take_back,
        subscription_ends_at: done.subscription.as_ref().and_then(|s| s.ends_at),
        allotment_returned: decision.give_back_cycle.is_some(),
        usage: done.usage,
        usage_record: usage_word(done.usage),
        code_revoked: Some(code_after == CodeAfterRollback::Revoked),
    })
}

fn rolled_back_event(
    done: &RolledBack,
    code_after: CodeAfterRollback,
    allotment_returned: bool,
    now: DateTime<Utc>,
) -> Event {
    let redemption = &done.redemption;
    Event {
        id: ids::new_id(),
        team_id: redemption.team_id,
        event_type: events::REDEMPTION_ROLLED_BACK.to_owned(),
        data: json!({
            "redemption_id": ids::public_id(ids::REDEMPTION, redemption.id),
            "access_code": done.code.code_masked,
            "batch_id": ids::public_id(ids::BATCH, redemption.batch_id),
            "plan_id": ids::public_id(ids::PLAN, redemption.plan_id),
            "subscriber_id": redemption.subscriber_id,
            "subscription_id": redemption.subscription_id.map(|id| ids::public_id(ids::SUBSCRIPTION, id)),
            "subscription_ends_at": done.subscription.as_ref().and_then(|s| s.ends_at),
            "code_revoked": code_after == CodeAfterRollback::Revoked,
            "allotment_returned": allotment_returned,
            "usage_record": usage_word(done.usage),
        })
        .to_string(),
        created_at: now,
        delivered_at: None,
    }
}
