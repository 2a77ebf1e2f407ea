//! Redeeming a code in one transaction, subscriptions and their invite links, failed attempts,
//! and sweeping expired codes.
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
    sea_query::{Expr, ExprTrait, OnConflict, Query},
};
use uuid::Uuid;

use super::entities::{
    access_code, chat_invite, cycle_usage, plan, redeem_attempt, redemption, subscription, usage_record,
};
use super::generation::{AccessCodeRow, Event};
use super::plans::Plan;
use super::{Db, DbError};
use crate::domain::access_code::CodeStatus;
use crate::domain::billing::UsageStatus;
use crate::domain::notices::NoticeKind;
use crate::domain::plans::PlanStatus;

pub use crate::domain::subscriptions::SubscriptionChange;
pub use chat_invite::Model as ChatInvite;
pub use redemption::Model as RedemptionRow;
pub use subscription::Model as Subscription;
pub use usage_record::Model as UsageRecord;

/// Why the conditional write redeemed nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotRedeemable {
    /// Redeemed before, by the Telegram user `by`.
    AlreadyRedeemed {
        by: Option<i64>,
    },
    Expired,
    /// The creator took it back.
    Revoked,
    PlanArchived,
}

/// What a redemption needs besides the code: who, when, and the cycle it counts in.
pub struct RedemptionRequest {
    pub code_id: Uuid,
    pub subscriber_id: i64,
    pub subscriber_name: String,
    pub subscriber_username: Option<String>,
    pub now: DateTime<Utc>,
    pub cycle_start: DateTime<Utc>,
}

/// The domain's rules a redemption applies inside its transaction.
pub struct RedemptionRules<Grant, Overage, Events, Notice> {
    /// What the use makes of the person's subscription of the plan.
    pub grant: Grant,
    /// Whether the use counted as the cycle's n-th is billed as overage.
    pub overage: Overage,
    pub events: Events,
    /// The creators' notice, as the notifier reads it.
    pub notice: Notice,
}

/// A committed redemption.
#[derive(Debug, Clone)]
pub struct Redeemed {
    pub id: Uuid,
    pub code: AccessCodeRow,
    pub plan: Plan,
    pub subscription: Subscription,
    /// Redemptions of the team in this cycle, this one included.
    pub cycle_redemptions: i32,
    pub usage_record_id: Option<Uuid>,
    pub change: SubscriptionChange,
}

impl Db {
    pub async fn find_code_by_hash(&self, code_hash: &str) -> Result<Option<AccessCodeRow>, DbError> {
        access_code::Entity::find().filter(access_code::Column::CodeHash.eq(code_hash)).one(self.conn()).await
    }

    /// Whether the person holds a redemption of the code that was not rolled back.
    pub async fn has_redeemed(&self, code_id: Uuid, subscriber_id: i64) -> Result<bool, DbError> {
        Ok(live_redemption(self.conn(), code_id, subscriber_id).await?.is_some())
    }

    /// Takes one use of the code, counts it against the cycle, writes a usage record when the rules call it
    /// overage, makes the subscription what the rules grant, and writes the redemption with its events: all or
    /// nothing. A use is taken only while the code has uses left, and once per person.
    pub async fn redeem_code<Grant, Overage, Events, Notice>(
        &self,
        request: &RedemptionRequest,
        rules: RedemptionRules<Grant, Overage, Events, Notice>,
    ) -> Result<Result<Redeemed, NotRedeemable>, DbError>
    where
        Grant: FnOnce(&Plan, Option<&Subscription>) -> crate::domain::subscriptions::Grant,
        Overage: FnOnce(i32) -> bool,
        Events: FnOnce(&Subscription, &AccessCodeRow, SubscriptionChange, Uuid) -> Vec<Event>,
        Notice: FnOnce(&Plan, &AccessCodeRow, i32) -> String,
    {
        use access_code::Column as C;
        let now = request.now;
        // The claim comes first: a SQLite transaction that read before writing could not take the write lock
        // while another redemption holds it.
        let txn = self.conn().begin().await?;
        let mut active_plans = Query::select();
        active_plans.column(plan::Column::Id).from(plan::Entity).and_where(plan::Column::Status.eq(PlanStatus::Active));
        let last_use = Expr::col(C::RedemptionCount).add(1).gte(Expr::col(C::MaxRedemptions));
        let when_last = |then: sea_orm::sea_query::SimpleExpr, otherwise: C| {
            sea_orm::sea_query::CaseStatement::new().case(last_use.clone(), then).finally(Expr::col(otherwise))
        };
        let claimed = access_code::Entity::update_many()
            .col_expr(C::RedemptionCount, Expr::col(C::RedemptionCount).add(1))
            .col_expr(C::Status, when_last(Expr::value(CodeStatus::Redeemed), C::Status).into())
            .col_expr(C::RedeemedAt, when_last(Expr::value(now), C::RedeemedAt).into())
            .col_expr(C::RedeemedBy, when_last(Expr::value(request.subscriber_id), C::RedeemedBy).into())
            .filter(C::Id.eq(request.code_id))
            .filter(C::Status.eq(CodeStatus::Unredeemed))
            .filter(Expr::col(C::RedemptionCount).lt(Expr::col(C::MaxRedemptions)))
            .filter(C::ExpiresAt.is_null().or(C::ExpiresAt.gt(now)))
            .filter(C::PlanId.in_subquery(active_plans))
            .exec(&txn)
            .await?;
        let code = access_code::Entity::find_by_id(request.code_id)
            .one(&txn)
            .await?
            .ok_or(DbError::RecordNotFound("the code vanished during its redemption".to_owned()))?;
        let plan = plan::Entity::find_by_id(code.plan_id)
            .one(&txn)
            .await?
            .ok_or(DbError::RecordNotFound("the code's plan is missing".to_owned()))?;
        let already = NotRedeemable::AlreadyRedeemed { by: Some(request.subscriber_id) };
        if claimed.rows_affected != 1 {
            txn.rollback().await?;
            let reason = if live_redemption(self.conn(), code.id, request.subscriber_id).await?.is_some() {
                already
            } else if code.status == CodeStatus::Redeemed || code.redemption_count >= code.max_redemptions {
                NotRedeemable::AlreadyRedeemed { by: code.redeemed_by }
            } else if code.status == CodeStatus::Revoked {
                NotRedeemable::Revoked
            } else if code.status == CodeStatus::Expired || code.expires_at.is_some_and(|at| at <= now) {
                NotRedeemable::Expired
            } else {
                NotRedeemable::PlanArchived
            };
            return Ok(Err(reason));
        }
        // Someone using a multi-use code a second time is turned away by the index that allows one use per
        // person and code, when the redemption is written below.

        let cycle_redemptions = count_in_cycle(&txn, code.team_id, request.cycle_start, 1).await?;
        let redemption_id = Uuid::now_v7();
        let usage_record_id = if (rules.overage)(cycle_redemptions) {
            let record = UsageRecord {
                id: Uuid::now_v7(),
                team_id: code.team_id,
                access_code_id: code.id,
                redeemed_at: now,
                status: UsageStatus::Pending,
                attempts: 0,
                next_attempt_at: now,
                locked_by: None,
                locked_until: None,
                last_error: None,
                reported_at: None,
                created_at: now,
                redemption_id: Some(redemption_id),
            };
            let id = record.id;
            usage_record::Entity::insert(record.into_active_model()).exec(&txn).await?;
            Some(id)
        } else {
            None
        };

        let existing = subscription::Entity::find()
            .filter(subscription::Column::PlanId.eq(plan.id))
            .filter(subscription::Column::SubscriberId.eq(request.subscriber_id))
            .one(&txn)
            .await?;
        let granted = (rules.grant)(&plan, existing.as_ref());
        let subscription = match existing {
            Some(current) => {
                let updated = Subscription {
                    starts_at: granted.starts_at,
                    ends_at: granted.ends_at,
                    subscriber_name: request.subscriber_name.clone(),
                    subscriber_username: request.subscriber_username.clone(),
                    updated_at: now,
                    // The new end is acted on and told of when it comes.
                    end_handled_at: None,
                    end_told_at: None,
                    ..current
                };
                subscription::Entity::update_many()
                    .col_expr(subscription::Column::StartsAt, Expr::value(updated.starts_at))
                    .col_expr(subscription::Column::EndsAt, Expr::value(updated.ends_at))
                    .col_expr(subscription::Column::SubscriberName, Expr::value(updated.subscriber_name.clone()))
                    .col_expr(
                        subscription::Column::SubscriberUsername,
                        Expr::value(updated.subscriber_username.clone()),
                    )
                    .col_expr(subscription::Column::EndHandledAt, Expr::value(Option::<DateTime<Utc>>::None))
                    .col_expr(subscription::Column::EndToldAt, Expr::value(Option::<DateTime<Utc>>::None))
                    .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
                    .filter(subscription::Column::Id.eq(updated.id))
                    .exec(&txn)
                    .await?;
                updated
            }
            None => {
                let created = Subscription {
                    id: Uuid::now_v7(),
                    team_id: code.team_id,
                    plan_id: plan.id,
                    subscriber_id: request.subscriber_id,
                    subscriber_name: request.subscriber_name.clone(),
                    starts_at: granted.starts_at,
                    ends_at: granted.ends_at,
                    created_at: now,
                    updated_at: now,
                    subscriber_username: request.subscriber_username.clone(),
                    end_handled_at: None,
                    end_told_at: None,
                };
                subscription::Entity::insert(created.clone().into_active_model()).exec(&txn).await?;
                created
            }
        };
        let redemption = RedemptionRow {
            id: redemption_id,
            team_id: code.team_id,
            plan_id: plan.id,
            batch_id: code.batch_id,
            access_code_id: code.id,
            subscription_id: Some(subscription.id),
            subscriber_id: request.subscriber_id,
            redeemed_at: now,
            change: granted.change,
            added_seconds: granted.added.seconds(),
            usage_record_id,
            rolled_back_at: None,
            created_at: now,
        };
        if let Err(error) = redemption::Entity::insert(redemption.into_active_model()).exec(&txn).await {
            txn.rollback().await?;
            return match error.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Ok(Err(already)),
                _ => Err(error),
            };
        }
        super::webhooks::record_events(&txn, (rules.events)(&subscription, &code, granted.change, redemption_id))
            .await?;
        let notice = (rules.notice)(&plan, &code, cycle_redemptions);
        super::notices::record_notice(&txn, code.team_id, NoticeKind::CodeRedeemed, |_| notice.clone(), now).await?;
        txn.commit().await?;
        Ok(Ok(Redeemed {
            id: redemption_id,
            code,
            plan,
            subscription,
            cycle_redemptions,
            usage_record_id,
            change: granted.change,
        }))
    }

    /// Failed attempts of the user at or after `since`, oldest first.
    pub async fn failed_attempts_since(
        &self,
        telegram_user_id: i64,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, DbError> {
        let rows = redeem_attempt::Entity::find()
            .filter(redeem_attempt::Column::TelegramUserId.eq(telegram_user_id))
            .filter(redeem_attempt::Column::AttemptedAt.gte(since))
            .order_by_asc(redeem_attempt::Column::AttemptedAt)
            .all(self.conn())
            .await?;
        Ok(rows.into_iter().map(|row| row.attempted_at).collect())
    }

    pub async fn record_failed_attempt(&self, telegram_user_id: i64, now: DateTime<Utc>) -> Result<(), DbError> {
        let attempt = redeem_attempt::Model { id: Uuid::now_v7(), telegram_user_id, attempted_at: now };
        redeem_attempt::Entity::insert(attempt.into_active_model()).exec(self.conn()).await?;
        Ok(())
    }

    pub async fn forget_attempts_before(&self, before: DateTime<Utc>) -> Result<(), DbError> {
        redeem_attempt::Entity::delete_many()
            .filter(redeem_attempt::Column::AttemptedAt.lt(before))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    pub async fn subscriptions_of(&self, subscriber_id: i64) -> Result<Vec<(Subscription, Option<Plan>)>, DbError> {
        let subscriptions = subscription::Entity::find()
            .filter(subscription::Column::SubscriberId.eq(subscriber_id))
            .order_by_asc(subscription::Column::CreatedAt)
            .all(self.conn())
            .await?;
        let mut with_plans = Vec::with_capacity(subscriptions.len());
        for subscription in subscriptions {
            let plan = plan::Entity::find_by_id(subscription.plan_id).one(self.conn()).await?;
            with_plans.push((subscription, plan));
        }
        Ok(with_plans)
    }

    /// Invite links of the versions before join requests (`member_limit` links) that still work.
    pub async fn legacy_invites_to_revoke(&self, now: DateTime<Utc>) -> Result<Vec<ChatInvite>, DbError> {
        chat_invite::Entity::find()
            .filter(chat_invite::Column::RevokedAt.is_null())
            .filter(chat_invite::Column::ExpiresAt.gt(now))
            .all(self.conn())
            .await
    }

    pub async fn mark_legacy_invite_revoked(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
        chat_invite::Entity::update_many()
            .col_expr(chat_invite::Column::RevokedAt, Expr::value(now))
            .filter(chat_invite::Column::Id.eq(id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Whether the person ever held a subscription on one of the team's plans.
    pub async fn held_any_subscription(&self, team_id: Uuid, subscriber_id: i64) -> Result<bool, DbError> {
        let found = subscription::Entity::find()
            .filter(subscription::Column::SubscriberId.eq(subscriber_id))
            .filter(subscription::Column::TeamId.eq(team_id))
            .one(self.conn())
            .await?;
        Ok(found.is_some())
    }

    /// The subscriber's subscription of a plan.
    pub async fn subscription_of(&self, plan_id: Uuid, subscriber_id: i64) -> Result<Option<Subscription>, DbError> {
        subscription::Entity::find()
            .filter(subscription::Column::PlanId.eq(plan_id))
            .filter(subscription::Column::SubscriberId.eq(subscriber_id))
            .one(self.conn())
            .await
    }

    /// Marks up to `limit` unredeemed codes whose expiry has passed as expired, each with its event.
    pub async fn expire_due_codes(
        &self,
        now: DateTime<Utc>,
        limit: u64,
        expired_event: impl Fn(&AccessCodeRow) -> Event,
    ) -> Result<Vec<AccessCodeRow>, DbError> {
        use access_code::Column as C;
        let due = access_code::Entity::find()
            .filter(C::Status.eq(CodeStatus::Unredeemed))
            .filter(C::RedeemedAt.is_null())
            .filter(C::ExpiresAt.lte(now))
            .order_by_asc(C::ExpiresAt)
            .limit(limit)
            .all(self.conn())
            .await?;
        let mut expired = Vec::new();
        let txn = self.conn().begin().await?;
        for code in due {
            let marked = access_code::Entity::update_many()
                .col_expr(C::Status, Expr::value(CodeStatus::Expired))
                .filter(C::Id.eq(code.id))
                .filter(C::Status.eq(CodeStatus::Unredeemed))
                .filter(C::RedeemedAt.is_null())
                .exec(&txn)
                .await?;
            if marked.rows_affected == 1 {
                super::webhooks::record_events(&txn, vec![expired_event(&code)]).await?;
                expired.push(AccessCodeRow { status: CodeStatus::Expired, ..code });
            }
        }
        txn.commit().await?;
        Ok(expired)
    }

    pub async fn count_usage_records(&self, team_id: Uuid, status: UsageStatus) -> Result<u64, DbError> {
        usage_record::Entity::find()
            .filter(usage_record::Column::TeamId.eq(team_id))
            .filter(usage_record::Column::Status.eq(status))
            .count(self.conn())
            .await
    }
}

/// Usage records on their way to Stripe.
impl Db {
    /// Takes up to `limit` pending records that are due and whose team has a Stripe customer,
    /// holding them until `locked_until` so that no other instance sends them meanwhile.
    pub async fn claim_due_usage_records(
        &self,
        worker_id: &str,
        now: DateTime<Utc>,
        locked_until: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<UsageRecord>, DbError> {
        use sea_orm::sea_query::{LockBehavior, LockType, Order};
        use usage_record::Column as C;
        let mut billable_teams = Query::select();
        billable_teams
            .column(super::entities::team::Column::Id)
            .from(super::entities::team::Entity)
            .and_where(super::entities::team::Column::StripeCustomerId.is_not_null());
        let mut due = Query::select();
        due.column(C::Id)
            .from(usage_record::Entity)
            .and_where(C::Status.is_in([UsageStatus::Pending, UsageStatus::Cancelling]))
            .and_where(C::NextAttemptAt.lte(now))
            .and_where(C::LockedUntil.is_null().or(C::LockedUntil.lt(now)))
            .and_where(C::TeamId.in_subquery(billable_teams))
            .order_by(C::NextAttemptAt, Order::Asc)
            .limit(limit);
        if self.is_postgres() {
            due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        usage_record::Entity::update_many()
            .col_expr(C::LockedBy, Expr::value(worker_id))
            .col_expr(C::LockedUntil, Expr::value(locked_until))
            .filter(C::Id.in_subquery(due))
            .exec_with_returning(self.conn())
            .await
    }

    /// Ends an attempt to send a usage record: counts it, releases the hold, and applies `outcome`.
    fn settle_usage_record(id: Uuid) -> sea_orm::UpdateMany<usage_record::Entity> {
        usage_record::Entity::update_many()
            .col_expr(usage_record::Column::Attempts, Expr::col(usage_record::Column::Attempts).add(1))
            .col_expr(usage_record::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(usage_record::Column::Id.eq(id))
    }

    /// Stripe took the meter event. A record rolled back while it was on its way is billed now, so its meter
    /// event is to be cancelled next.
    pub async fn mark_usage_reported(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
        let reported = Self::settle_usage_record(id)
            .col_expr(usage_record::Column::Status, Expr::value(UsageStatus::Reported))
            .col_expr(usage_record::Column::ReportedAt, Expr::value(now))
            .filter(usage_record::Column::Status.eq(UsageStatus::Pending))
            .exec(self.conn())
            .await?;
        if reported.rows_affected == 0 {
            Self::settle_usage_record(id)
                .col_expr(usage_record::Column::Status, Expr::value(UsageStatus::Cancelling))
                .col_expr(usage_record::Column::ReportedAt, Expr::value(now))
                .col_expr(usage_record::Column::NextAttemptAt, Expr::value(now))
                .filter(usage_record::Column::Status.eq(UsageStatus::Voided))
                .exec(self.conn())
                .await?;
        }
        Ok(())
    }

    pub async fn mark_usage_cancelled(&self, id: Uuid) -> Result<(), DbError> {
        Self::settle_usage_record(id)
            .col_expr(usage_record::Column::Status, Expr::value(UsageStatus::Cancelled))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Stripe refused to cancel the meter event for good: it stays billed.
    pub async fn mark_cancel_refused(&self, id: Uuid, reason: &str) -> Result<(), DbError> {
        Self::settle_usage_record(id)
            .col_expr(usage_record::Column::Status, Expr::value(UsageStatus::Reported))
            .col_expr(usage_record::Column::LastError, Expr::value(reason))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    pub async fn mark_usage_failed(&self, id: Uuid, reason: &str) -> Result<(), DbError> {
        Self::settle_usage_record(id)
            .col_expr(usage_record::Column::Status, Expr::value(UsageStatus::Failed))
            .col_expr(usage_record::Column::LastError, Expr::value(reason))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    pub async fn retry_usage_later(
        &self,
        id: Uuid,
        next_attempt_at: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), DbError> {
        Self::settle_usage_record(id)
            .col_expr(usage_record::Column::NextAttemptAt, Expr::value(next_attempt_at))
            .col_expr(usage_record::Column::LastError, Expr::value(reason))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Teams that have pending usage records but no Stripe customer to bill them to.
    pub async fn teams_pending_without_customer(&self) -> Result<Vec<Uuid>, DbError> {
        let pending: Vec<Uuid> = usage_record::Entity::find()
            .select_only()
            .column(usage_record::Column::TeamId)
            .distinct()
            .filter(usage_record::Column::Status.eq(UsageStatus::Pending))
            .into_tuple()
            .all(self.conn())
            .await?;
        let mut without = Vec::new();
        for team_id in pending {
            let team = super::entities::team::Entity::find_by_id(team_id).one(self.conn()).await?;
            if team.is_some_and(|team| team.stripe_customer_id.is_none()) {
                without.push(team_id);
            }
        }
        Ok(without)
    }

    pub async fn usage_records_of_team(&self, team_id: Uuid) -> Result<Vec<UsageRecord>, DbError> {
        usage_record::Entity::find()
            .filter(usage_record::Column::TeamId.eq(team_id))
            .order_by_asc(usage_record::Column::CreatedAt)
            .all(self.conn())
            .await
    }
}

/// The person's redemption of the code that was not rolled back.
async fn live_redemption(
    conn: &impl ConnectionTrait,
    code_id: Uuid,
    subscriber_id: i64,
) -> Result<Option<RedemptionRow>, DbError> {
    redemption::Entity::find()
        .filter(redemption::Column::AccessCodeId.eq(code_id))
        .filter(redemption::Column::SubscriberId.eq(subscriber_id))
        .filter(redemption::Column::RolledBackAt.is_null())
        .one(conn)
        .await
}

/// Moves the team's count of redemptions in the cycle by `by` and returns the new count. One row per team and
/// cycle, changed in place: concurrent redemptions queue on it, so two of them can never both take the last
/// free slot.
pub(super) async fn count_in_cycle(
    conn: &impl ConnectionTrait,
    team_id: Uuid,
    cycle_start: DateTime<Utc>,
    by: i32,
) -> Result<i32, DbError> {
    let mut count = Query::insert();
    count
        .into_table(cycle_usage::Entity)
        .columns([cycle_usage::Column::TeamId, cycle_usage::Column::CycleStart, cycle_usage::Column::Redemptions])
        .values_panic([team_id.into(), cycle_start.into(), std::cmp::max(by, 0).into()])
        .on_conflict(
            OnConflict::columns([cycle_usage::Column::TeamId, cycle_usage::Column::CycleStart])
                .value(
                    cycle_usage::Column::Redemptions,
                    Expr::col((cycle_usage::Entity, cycle_usage::Column::Redemptions)).add(by),
                )
                .to_owned(),
        )
        .returning_col(cycle_usage::Column::Redemptions);
    let row = conn
        .query_one(&count)
        .await?
        .ok_or(DbError::RecordNotFound("the usage counter returned nothing".to_owned()))?;
    row.try_get("", "redemptions")
}
