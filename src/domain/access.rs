//! Access to a plan's chats, decided here: who may join (by identity, never by link), who is removed when
//! their access ends, who is reminded before, and what a creator sees of their members.
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use uuid::Uuid;

use super::billing::cycle_start;
use super::stored::stored_enum;
use super::{DomainError, events, ids, subscriptions};
use crate::db::Db;
use crate::db::access::{JoinLink, Membership};
use crate::db::generation::Event;
use crate::db::plans::{Plan, PlanChat};
use crate::db::redemption::Subscription;

stored_enum! {
    /// Where a member the bot let in stands.
    pub enum MembershipStatus {
        Member = "member",
        /// They left (or someone else removed them): nothing to remove.
        Left = "left",
        /// Their access ended; the bot is removing them.
        Removing = "removing",
        Removed = "removed",
    }
}

stored_enum! {
    /// Why a member is removed.
    pub enum RemovalReason {
        Ended = "ended",
        RemovedByCreator = "removed_by_creator",
        /// The redemption that gave the access was rolled back.
        RolledBack = "rolled_back",
    }
}

/// How many ended subscriptions, removals or reminders one pass of the sweep takes on at most.
pub const SWEEP_BATCH: u64 = 200;

fn event(team_id: Uuid, event_type: &str, data: serde_json::Value, now: DateTime<Utc>) -> Event {
    Event {
        id: ids::new_id(),
        team_id,
        event_type: event_type.to_owned(),
        data: data.to_string(),
        created_at: now,
        delivered_at: None,
    }
}

/// What to do with a request to join a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinDecision {
    /// The requester holds this active subscription on a plan that unlocks the chat.
    Approve(Subscription),
    Decline,
}

/// Whether `user_id` may join `chat_id` now: only with an active subscription of their own on a plan that
/// unlocks it, whoever's link they used. Of several, the one that lasts longest answers for them.
pub async fn decide_join_request(
    db: &Db,
    chat_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<JoinDecision, DomainError> {
    let mut held = db.active_subscriptions_for_chat(user_id, chat_id, now).await?;
    held.sort_by_key(|s| std::cmp::Reverse(s.ends_at.unwrap_or(DateTime::<Utc>::MAX_UTC)));
    Ok(held.into_iter().next().map_or(JoinDecision::Decline, JoinDecision::Approve))
}

/// An admission recorded before Telegram is asked to approve it, so a crash in between leaves a record
/// (whose removal would be harmless) rather than a member nobody would remove.
pub struct Admission {
    pub membership_id: Uuid,
    pub event_id: Uuid,
}

pub async fn record_admission(
    db: &Db,
    subscription: &Subscription,
    chat_id: i64,
    now: DateTime<Utc>,
) -> Result<Admission, DomainError> {
    let member = Membership {
        id: ids::new_id(),
        team_id: subscription.team_id,
        chat_id,
        telegram_user_id: subscription.subscriber_id,
        subscription_id: subscription.id,
        status: MembershipStatus::Member,
        admitted_at: now,
        removal_reason: None,
        next_attempt_at: None,
        locked_until: None,
        attempts: 0,
        last_error: None,
        ended_at: None,
    };
    let joined = event(
        subscription.team_id,
        events::MEMBER_JOINED,
        json!({
            "chat_id": chat_id,
            "subscriber_id": subscription.subscriber_id,
            "subscription_id": ids::public_id(ids::SUBSCRIPTION, subscription.id),
            "plan_id": ids::public_id(ids::PLAN, subscription.plan_id),
        }),
        now,
    );
    let admission = Admission { membership_id: member.id, event_id: joined.id };
    db.admit_member(member, joined).await?;
    Ok(admission)
}

/// Telegram did not approve the request after all (it was decided already): the admission is forgotten.
pub async fn forget_admission(db: &Db, admission: &Admission) -> Result<(), DomainError> {
    Ok(db.forget_admission(admission.membership_id, admission.event_id).await?)
}

/// Records a declined request: one `join_request.declined` per team whose plan unlocks the chat.
pub async fn record_declined(db: &Db, chat_id: i64, user_id: i64, now: DateTime<Utc>) -> Result<(), DomainError> {
    let mut teams: Vec<Uuid> = db.chats_with_id(chat_id).await?.into_iter().map(|chat| chat.team_id).collect();
    teams.sort();
    teams.dedup();
    for team_id in teams {
        let data = json!({"chat_id": chat_id, "user_id": user_id});
        db.insert_event(event(team_id, events::JOIN_REQUEST_DECLINED, data, now)).await?;
    }
    Ok(())
}

/// Someone the bot let in left the chat, or was removed by someone else.
pub async fn member_left(db: &Db, chat_id: i64, user_id: i64, now: DateTime<Utc>) -> Result<(), DomainError> {
    db.member_left(chat_id, user_id, now).await?;
    Ok(())
}

/// The chats of the plan a subscriber may still be let into (those the bot has not let them into), each
/// with the subscription's join link there when it has one.
pub async fn chats_to_join(
    db: &Db,
    plan: &Plan,
    subscription: &Subscription,
    now: DateTime<Utc>,
) -> Result<Vec<(PlanChat, Option<JoinLink>)>, DomainError> {
    if !subscriptions::is_active(subscription, now) {
        return Ok(Vec::new());
    }
    let mut open = Vec::new();
    for chat in db.plan_chats(plan.id).await? {
        if db.current_membership(chat.chat_id, subscription.subscriber_id).await?.is_some() {
            continue;
        }
        let link = db.join_link(subscription.id, chat.chat_id).await?;
        open.push((chat, link));
    }
    Ok(open)
}

/// Keeps a join link Telegram made for the subscription; when two requests made one at once, the first kept
/// is the one everyone gets.
pub async fn keep_join_link(
    db: &Db,
    subscription: &Subscription,
    chat_id: i64,
    invite_link: String,
    now: DateTime<Utc>,
) -> Result<JoinLink, DomainError> {
    let link = JoinLink {
        id: ids::new_id(),
        subscription_id: subscription.id,
        chat_id,
        invite_link,
        created_at: now,
        revoked_at: None,
    };
    Ok(db.keep_join_link(link).await?)
}

pub(super) fn ended_event(subscription: &Subscription, reason: RemovalReason, now: DateTime<Utc>) -> Event {
    event(
        subscription.team_id,
        events::SUBSCRIPTION_ENDED,
        json!({
            "subscription_id": ids::public_id(ids::SUBSCRIPTION, subscription.id),
            "plan_id": ids::public_id(ids::PLAN, subscription.plan_id),
            "subscriber_id": subscription.subscriber_id,
            "ended_at": subscription.ends_at,
            "reason": reason.as_str(),
        }),
        now,
    )
}

/// Acts on every subscription whose end has passed: once each, however many instances sweep.
pub async fn end_due_subscriptions(db: &Db, now: DateTime<Utc>) -> Result<usize, DomainError> {
    let mut ended = 0;
    for subscription in db.ended_unhandled(now, SWEEP_BATCH).await? {
        let event = ended_event(&subscription, RemovalReason::Ended, now);
        if db.end_subscription(&subscription, RemovalReason::Ended, event, now).await? {
            ended += 1;
        }
    }
    Ok(ended)
}

/// Subscribers to tell that their access ended, each claimed so they are told once.
pub async fn end_notices(db: &Db, now: DateTime<Utc>) -> Result<Vec<(Subscription, Plan)>, DomainError> {
    let mut notices = Vec::new();
    for subscription in db.ended_untold(SWEEP_BATCH).await? {
        if !db.claim_end_notice(subscription.id, now).await? {
            continue;
        }
        let plan = db.find_plan(subscription.plan_id).await?.ok_or(DomainError::not_found("plan"))?;
        notices.push((subscription, plan));
    }
    Ok(notices)
}

/// The next removal due now, held for `lease`: claimed one at a time, so a crash holds back only those in
/// flight until the lease runs out and another sweep takes them over.
pub async fn next_removal(db: &Db, now: DateTime<Utc>, lease: Duration) -> Result<Option<Membership>, DomainError> {
    Ok(db.claim_due_removals(now, now + lease, 1).await?.into_iter().next())
}

/// The member is out; `member.removed` is written with it.
pub async fn removal_done(db: &Db, member: &Membership, now: DateTime<Utc>) -> Result<(), DomainError> {
    let reason = member.removal_reason.unwrap_or(RemovalReason::Ended);
    let removed = event(
        member.team_id,
        events::MEMBER_REMOVED,
        json!({
            "chat_id": member.chat_id,
            "subscriber_id": member.telegram_user_id,
            "subscription_id": ids::public_id(ids::SUBSCRIPTION, member.subscription_id),
            "reason": reason.as_str(),
        }),
        now,
    );
    db.removal_done(member.id, removed, now).await?;
    Ok(())
}

/// How long a removal that failed for a passing reason waits: doubling per try, at most an hour.
pub fn removal_backoff(attempts: i32, base: StdDuration) -> Duration {
    let factor = 2u32.saturating_pow(attempts.clamp(0, 16) as u32);
    Duration::from_std(base.saturating_mul(factor)).unwrap_or(Duration::hours(1)).min(Duration::hours(1))
}

/// The offsets before the end at which reminders are due at `now`, for a subscription ending at `ends_at`.
pub fn due_offsets(offsets: &[StdDuration], ends_at: DateTime<Utc>, now: DateTime<Utc>) -> Vec<i64> {
    offsets
        .iter()
        .filter_map(|offset| Duration::from_std(*offset).ok())
        .filter(|offset| ends_at - *offset <= now && now < ends_at)
        .map(|offset| offset.num_seconds())
        .collect()
}

/// Subscribers to remind of their end now: one reminder however many offsets are due, each offset at most
/// once per end (a subscription that was extended is reminded of its new end).
pub async fn due_reminders(
    db: &Db,
    offsets: &[StdDuration],
    now: DateTime<Utc>,
) -> Result<Vec<(Subscription, Plan)>, DomainError> {
    let seconds: Vec<i64> =
        offsets.iter().filter_map(|offset| Duration::from_std(*offset).ok()).map(|o| o.num_seconds()).collect();
    let mut due = Vec::new();
    for subscription in db.unreminded_ending(now, &seconds, SWEEP_BATCH).await? {
        let Some(ends_at) = subscription.ends_at else { continue };
        let offsets = due_offsets(offsets, ends_at, now);
        if offsets.is_empty() || db.record_reminders(subscription.id, ends_at, &offsets, now).await? == 0 {
            continue;
        }
        let plan = db.find_plan(subscription.plan_id).await?.ok_or(DomainError::not_found("plan"))?;
        due.push((subscription, plan));
    }
    Ok(due)
}

/// Ends every active subscription of `user_id` on the team's plans now, as the creator asked; their members
/// are queued for removal with that reason. How many subscriptions ended.
pub async fn remove_subscriber(db: &Db, team_id: Uuid, user_id: i64, now: DateTime<Utc>) -> Result<usize, DomainError> {
    let mut ended = 0;
    for subscription in db.subscriptions_of(user_id).await?.into_iter().map(|(subscription, _)| subscription) {
        if subscription.team_id != team_id || !subscriptions::is_active(&subscription, now) {
            continue;
        }
        db.end_subscription_now(subscription.id, now).await?;
        let ending = Subscription { ends_at: Some(now), ..subscription };
        let event = ended_event(&ending, RemovalReason::RemovedByCreator, now);
        if db.end_subscription(&ending, RemovalReason::RemovedByCreator, event, now).await? {
            ended += 1;
        }
    }
    Ok(ended)
}

/// One plan's members, as `/members` shows them.
#[derive(Debug, Clone)]
pub struct PlanMembers {
    pub plan: Plan,
    pub active_subscribers: usize,
    pub members_admitted: usize,
    pub ending_within_week: usize,
    pub removed_this_cycle: usize,
}

pub async fn members_overview(
    db: &Db,
    team_id: Uuid,
    plans: Vec<Plan>,
    now: DateTime<Utc>,
) -> Result<Vec<PlanMembers>, DomainError> {
    let team = db.find_team(team_id).await?.ok_or(DomainError::not_found("team"))?;
    let cycle = cycle_start(team.billing_anchor_at, now);
    let subscriptions = db.subscriptions_of_team(team_id).await?;
    let memberships = db.memberships_of_team(team_id).await?;
    let week = now + Duration::days(7);
    Ok(plans
        .into_iter()
        .map(|plan| {
            let of_plan: Vec<&Subscription> = subscriptions.iter().filter(|s| s.plan_id == plan.id).collect();
            let ids: Vec<Uuid> = of_plan.iter().map(|s| s.id).collect();
            let members = memberships.iter().filter(|m| ids.contains(&m.subscription_id));
            let (mut admitted, mut removed) = (0, 0);
            for member in members {
                match member.status {
                    MembershipStatus::Member | MembershipStatus::Removing => admitted += 1,
                    MembershipStatus::Removed if member.ended_at.is_some_and(|at| at >= cycle) => removed += 1,
                    _ => {}
                }
            }
            let active: Vec<&&Subscription> = of_plan.iter().filter(|s| subscriptions::is_active(s, now)).collect();
            PlanMembers {
                active_subscribers: active.len(),
                ending_within_week: active.iter().filter(|s| s.ends_at.is_some_and(|end| end <= week)).count(),
                members_admitted: admitted,
                removed_this_cycle: removed,
                plan,
            }
        })
        .collect())
}

/// Who a creator asks about: a Telegram user id, or an @username seen on one of their subscriptions.
pub async fn find_person(db: &Db, team_id: Uuid, who: &str) -> Result<i64, DomainError> {
    let who = who.trim();
    if let Ok(id) = who.parse::<i64>() {
        return Ok(id);
    }
    let wanted = who.trim_start_matches('@').to_lowercase();
    db.subscriptions_of_team(team_id)
        .await?
        .into_iter()
        .find(|s| s.subscriber_username.as_deref().is_some_and(|name| name.to_lowercase() == wanted))
        .map(|s| s.subscriber_id)
        .ok_or(DomainError::not_found("subscriber"))
}

/// Each chat of a plan, with the membership through which the bot let the person in, if it did.
pub type ChatsOfPlan = Vec<(PlanChat, Option<Membership>)>;

/// A person's subscriptions on the team's plans, and in each plan's chats whether the bot let them in.
#[derive(Debug, Clone)]
pub struct PersonAccess {
    pub user_id: i64,
    pub subscriptions: Vec<(Subscription, Plan, ChatsOfPlan)>,
    /// For each subscription a code changed, the newest redemption that stands: what a rollback would take.
    pub rollbacks: std::collections::HashMap<Uuid, Uuid>,
}

pub async fn person_access(db: &Db, team_id: Uuid, user_id: i64) -> Result<PersonAccess, DomainError> {
    let memberships = db.memberships_of_user(user_id).await?;
    let mut found = Vec::new();
    let mut rollbacks = std::collections::HashMap::new();
    for (subscription, plan) in db.subscriptions_of(user_id).await? {
        let Some(plan) = plan.filter(|plan| plan.team_id == team_id) else { continue };
        let mut chats = Vec::new();
        for chat in db.plan_chats(plan.id).await? {
            let member = memberships
                .iter()
                .rfind(|m| {
                    m.chat_id == chat.chat_id
                        && matches!(m.status, MembershipStatus::Member | MembershipStatus::Removing)
                })
                .cloned();
            chats.push((chat, member));
        }
        if let Some(redemption) = super::rollback::of_subscription(db, &subscription).await? {
            rollbacks.insert(subscription.id, redemption);
        }
        found.push((subscription, plan, chats));
    }
    Ok(PersonAccess { user_id, subscriptions: found, rollbacks })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn reminders_are_due_from_each_offset_until_the_end() {
        let end = Utc.with_ymd_and_hms(2026, 12, 10, 12, 0, 0).unwrap();
        let offsets = [StdDuration::from_secs(3 * 86_400), StdDuration::from_secs(86_400)];
        assert!(due_offsets(&offsets, end, end - Duration::days(4)).is_empty());
        assert_eq!(due_offsets(&offsets, end, end - Duration::days(2)), [3 * 86_400]);
        assert_eq!(due_offsets(&offsets, end, end - Duration::hours(1)), [3 * 86_400, 86_400]);
        assert!(due_offsets(&offsets, end, end).is_empty(), "nothing once it has ended");
    }

    #[test]
    fn removal_retries_back_off_to_an_hour() {
        let base = StdDuration::from_secs(60);
        assert_eq!(removal_backoff(0, base), Duration::seconds(60));
        assert_eq!(removal_backoff(2, base), Duration::seconds(240));
        assert_eq!(removal_backoff(30, base), Duration::hours(1));
    }
}
