//! Subscribers redeem codes: the brute-force limit, the atomic redemption with its quota count,
//! and what the subscriber and the creator are told.
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::access_code::{AccessCode, Eligibility};
use super::notices::CodeRedeemed;
use super::secret::InstanceSecret;
use super::{DomainError, billing, events, ids};
use crate::db::Db;
use crate::db::generation::{AccessCodeRow, Event};
use crate::db::plans::Plan;
use crate::db::redemption::{NotRedeemable, RedemptionRequest, RedemptionRules, Subscription, SubscriptionChange};
use crate::metrics::Metrics;

pub const MAX_FAILED_ATTEMPTS: usize = 5;
pub const ATTEMPT_WINDOW_MINUTES: i64 = 10;

/// The Telegram user redeeming.
#[derive(Debug, Clone)]
pub struct Subscriber {
    pub telegram_user_id: i64,
    pub display_name: String,
    pub username: Option<String>,
    /// Their Telegram app's language, remembered for the messages the bot sends them later unasked.
    pub language_code: Option<String>,
}

/// Why a code gave no access; each has its own message and none says whose code it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    AlreadyRedeemed,
    Expired,
    PlanArchived,
    TooManyAttempts {
        retry_at: DateTime<Utc>,
    },
    /// The batch is for people new to the creator, and this person held a subscription before.
    NotNew,
    /// The batch is for people whose subscription on the plan has ended, and this person's has not (or they
    /// never had one).
    NotReturning,
}

/// A successful redemption.
#[derive(Debug, Clone)]
pub struct Redemption {
    pub code_masked: String,
    pub plan: Plan,
    pub subscription: Subscription,
    pub allotment: i64,
    pub free_left: i64,
    pub billed_as_overage: bool,
    /// The subscriber sent a code they had redeemed themselves: answered as a success again, nothing changed.
    pub repeated: bool,
}

pub enum RedeemOutcome {
    Redeemed(Box<Redemption>),
    Refused(Refusal),
}

fn window() -> Duration {
    Duration::minutes(ATTEMPT_WINDOW_MINUTES)
}

/// When the user may try again, if they have used up their failed attempts.
async fn blocked_until(db: &Db, user_id: i64, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, DomainError> {
    let attempts = db.failed_attempts_since(user_id, now - window()).await?;
    if attempts.len() < MAX_FAILED_ATTEMPTS {
        return Ok(None);
    }
    Ok(Some(attempts[attempts.len() - MAX_FAILED_ATTEMPTS] + window()))
}

async fn refuse(db: &Db, user_id: i64, refusal: Refusal, now: DateTime<Utc>) -> Result<RedeemOutcome, DomainError> {
    db.record_failed_attempt(user_id, now).await?;
    Ok(RedeemOutcome::Refused(refusal))
}

/// What a redemption writes: `access_code.redeemed`, and `subscription.started` or `subscription.extended`.
fn redemption_events(
    subscription: &Subscription,
    code: &AccessCodeRow,
    change: SubscriptionChange,
    redemption_id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Vec<Event> {
    let changed = Event {
        id: ids::new_id(),
        team_id: code.team_id,
        event_type: match change {
            SubscriptionChange::Started => events::SUBSCRIPTION_STARTED,
            SubscriptionChange::Extended => events::SUBSCRIPTION_EXTENDED,
        }
        .to_owned(),
        data: json!({
            "subscription_id": ids::public_id(ids::SUBSCRIPTION, subscription.id),
            "plan_id": ids::public_id(ids::PLAN, code.plan_id),
            "subscriber_id": subscription.subscriber_id,
            "starts_at": subscription.starts_at,
            "ends_at": subscription.ends_at,
        })
        .to_string(),
        created_at: now,
        delivered_at: None,
    };
    vec![redeemed_event(subscription, code, redemption_id, now), changed]
}

fn redeemed_event(
    subscription: &Subscription,
    code: &AccessCodeRow,
    redemption_id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Event {
    Event {
        id: ids::new_id(),
        team_id: code.team_id,
        event_type: events::ACCESS_CODE_REDEEMED.to_owned(),
        data: json!({
            "subscription_id": ids::public_id(ids::SUBSCRIPTION, subscription.id),
            "plan_id": ids::public_id(ids::PLAN, code.plan_id),
            "subscriber_id": subscription.subscriber_id,
            "access_code": code.code_masked,
            "redemption_id": ids::public_id(ids::REDEMPTION, redemption_id),
            "batch_id": ids::public_id(ids::BATCH, code.batch_id),
        })
        .to_string(),
        created_at: now,
        delivered_at: None,
    }
}

/// Redeems what the subscriber typed, at most once per code however many race for it.
pub async fn redeem(
    db: &Db,
    secret: &InstanceSecret,
    metrics: &Metrics,
    subscriber: &Subscriber,
    input: &str,
    now: DateTime<Utc>,
) -> Result<RedeemOutcome, DomainError> {
    let outcome = redeem_code(db, secret, subscriber, input, now).await;
    let label = match &outcome {
        Ok(RedeemOutcome::Redeemed(_)) => "redeemed",
        Ok(RedeemOutcome::Refused(Refusal::Unknown)) => "unknown",
        Ok(RedeemOutcome::Refused(Refusal::AlreadyRedeemed)) => "already_redeemed",
        Ok(RedeemOutcome::Refused(Refusal::Expired)) => "expired",
        Ok(RedeemOutcome::Refused(Refusal::PlanArchived)) => "plan_archived",
        Ok(RedeemOutcome::Refused(Refusal::TooManyAttempts { .. })) => "too_many_attempts",
        Ok(RedeemOutcome::Refused(Refusal::NotNew | Refusal::NotReturning)) => "not_eligible",
        Err(_) => "error",
    };
    metrics.add("accessbot_redemptions_total", &[("outcome", label)], 1.0);
    if let (Ok(RedeemOutcome::Redeemed(_)), Some(code)) = (&outcome, subscriber.language_code.as_deref())
        && let Err(error) = db.remember_app_language(subscriber.telegram_user_id, code, now).await
    {
        // The redemption is committed and must be answered as such; the failure is logged with a reference.
        DomainError::internal("remembering a subscriber's language", error);
    }
    outcome
}

async fn redeem_code(
    db: &Db,
    secret: &InstanceSecret,
    subscriber: &Subscriber,
    input: &str,
    now: DateTime<Utc>,
) -> Result<RedeemOutcome, DomainError> {
    let user_id = subscriber.telegram_user_id;
    if let Some(retry_at) = blocked_until(db, user_id, now).await? {
        return Ok(RedeemOutcome::Refused(Refusal::TooManyAttempts { retry_at }));
    }
    let Some(code) = AccessCode::parse(input) else {
        return refuse(db, user_id, Refusal::Unknown, now).await;
    };
    let Some(stored) = db.find_code_by_hash(&secret.hash_code(&code.normalised())).await? else {
        return refuse(db, user_id, Refusal::Unknown, now).await;
    };
    // Someone the batch is not for is told why; the code stays unused and nothing counts against them.
    if let Some(refusal) = not_eligible(db, &stored, user_id, now).await? {
        return Ok(RedeemOutcome::Refused(refusal));
    }
    let team = db.find_team(stored.team_id).await?.ok_or(DomainError::not_found("team"))?;
    let tier = db.find_tier(&team.tier_id).await?.ok_or(DomainError::not_found("tier"))?;
    let request = RedemptionRequest {
        code_id: stored.id,
        subscriber_id: user_id,
        subscriber_name: subscriber.display_name.clone(),
        subscriber_username: subscriber.username.clone(),
        now,
        cycle_start: billing::cycle_start(team.billing_anchor_at, now),
    };
    let allotment = tier.monthly_allotment;
    let rules = RedemptionRules {
        grant: |plan: &Plan, current: Option<&Subscription>| {
            let duration = super::plans::duration_of(plan);
            super::subscriptions::grant(current, now, |from| duration.end_from(from, now))
        },
        overage: |cycle_redemptions| billing::is_overage(cycle_redemptions, allotment),
        events: |subscription: &Subscription, code: &AccessCodeRow, change, id| {
            redemption_events(subscription, code, change, id, now)
        },
        notice: |plan: &Plan, code: &AccessCodeRow, cycle_redemptions: i32| {
            redemption_notice(subscriber, plan, code, cycle_redemptions, allotment)
        },
    };
    let outcome = db.redeem_code(&request, rules).await?;
    match outcome {
        // Their own code again (a lost answer, a second tap of the link): the same success, nothing changes.
        Err(NotRedeemable::AlreadyRedeemed { by: Some(by) }) if by == user_id => {
            let Some(subscription) = db.subscription_of(stored.plan_id, user_id).await? else {
                return refuse(db, user_id, Refusal::AlreadyRedeemed, now).await;
            };
            let plan = db.find_plan(stored.plan_id).await?.ok_or(DomainError::not_found("plan"))?;
            Ok(RedeemOutcome::Redeemed(Box::new(Redemption {
                code_masked: stored.code_masked,
                plan,
                subscription,
                allotment: i64::from(tier.monthly_allotment),
                free_left: 0,
                billed_as_overage: false,
                repeated: true,
            })))
        }
        Err(NotRedeemable::AlreadyRedeemed { .. }) => refuse(db, user_id, Refusal::AlreadyRedeemed, now).await,
        // Told as an expired code is: the person hears nothing of the creator's reasons.
        Err(NotRedeemable::Expired | NotRedeemable::Revoked) => refuse(db, user_id, Refusal::Expired, now).await,
        Err(NotRedeemable::PlanArchived) => refuse(db, user_id, Refusal::PlanArchived, now).await,
        Ok(redeemed) => {
            log::info!("a code was redeemed");
            let allotment = i64::from(tier.monthly_allotment);
            Ok(RedeemOutcome::Redeemed(Box::new(Redemption {
                code_masked: redeemed.code.code_masked,
                plan: redeemed.plan,
                subscription: redeemed.subscription,
                allotment,
                free_left: billing::free_left(allotment, i64::from(redeemed.cycle_redemptions)),
                billed_as_overage: redeemed.usage_record_id.is_some(),
                repeated: false,
            })))
        }
    }
}

/// Why `user_id` may not redeem `code`, when its batch is only for some people.
async fn not_eligible(
    db: &Db,
    code: &AccessCodeRow,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Refusal>, DomainError> {
    let batch = db.find_batch(code.batch_id).await?.ok_or(DomainError::not_found("batch"))?;
    let Some(eligibility) = batch.eligibility.as_deref().and_then(|who| who.parse::<Eligibility>().ok()) else {
        return Ok(None);
    };
    // Their own use again is answered as the success it was, whatever they hold since.
    if db.has_redeemed(code.id, user_id).await? {
        return Ok(None);
    }
    let held_any = db.held_any_subscription(code.team_id, user_id).await?;
    let ended_on_plan =
        db.subscription_of(code.plan_id, user_id).await?.is_some_and(|s| !super::subscriptions::is_active(&s, now));
    if eligibility.admits(held_any, ended_on_plan) {
        return Ok(None);
    }
    Ok(Some(match eligibility {
        Eligibility::New => Refusal::NotNew,
        Eligibility::Returning => Refusal::NotReturning,
    }))
}

/// What the code's creators hear of this redemption, as the notifier reads it.
fn redemption_notice(
    subscriber: &Subscriber,
    plan: &Plan,
    code: &AccessCodeRow,
    cycle_redemptions: i32,
    allotment: i32,
) -> String {
    let notice = CodeRedeemed {
        subscriber_id: subscriber.telegram_user_id,
        name: subscriber.display_name.clone(),
        username: subscriber.username.clone(),
        plan: plan.name.clone(),
        code: code.code_masked.clone(),
        free_left: billing::free_left(i64::from(allotment), i64::from(cycle_redemptions)),
        allotment: i64::from(allotment),
        overage: cycle_redemptions > allotment,
    };
    serde_json::to_string(&notice).unwrap_or_default()
}

/// Marks codes past their expiry as expired, with one `access_code.expired` event each.
pub async fn sweep_expired_codes(db: &Db, now: DateTime<Utc>) -> Result<usize, DomainError> {
    const CHUNK: u64 = 500;
    let mut total = 0;
    loop {
        let expired = db
            .expire_due_codes(now, CHUNK, |code| Event {
                id: ids::new_id(),
                team_id: code.team_id,
                event_type: events::ACCESS_CODE_EXPIRED.to_owned(),
                data: json!({
                    "plan_id": ids::public_id(ids::PLAN, code.plan_id),
                    "access_code": code.code_masked,
                    "expires_at": code.expires_at,
                })
                .to_string(),
                created_at: now,
                delivered_at: None,
            })
            .await?;
        total += expired.len();
        if (expired.len() as u64) < CHUNK {
            break;
        }
    }
    db.forget_attempts_before(now - Duration::days(1)).await?;
    // A conversation idle this long has long expired; its row only takes space.
    db.forget_conversations_before(now - Duration::days(7)).await?;
    Ok(total)
}
