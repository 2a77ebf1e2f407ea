//! Rolling a redemption back in one transaction: the redemption, its code, the subscription it changed, the
//! cycle's count and a usage record, each with a conditional write, and the events.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use uuid::Uuid;

use super::entities::{access_code, cycle_usage, redemption, subscription, usage_record};
use super::generation::{AccessCodeRow, Event};
use super::redemption::{RedemptionRow, Subscription, UsageRecord};
use super::{Db, DbError};
use crate::domain::access::RemovalReason;
use crate::domain::access_code::CodeStatus;
use crate::domain::billing::{UsageStatus, UsageUndo};
use crate::domain::subscriptions::TakeBack;

/// What becomes of the code once its use is rolled back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeAfterRollback {
    /// It can never be redeemed again.
    Revoked,
    /// The use it gave back can be redeemed again, by anyone it is for.
    Redeemable,
}

/// The domain's rules a rollback applies inside its transaction, to the rows as they are then.
pub struct RollbackRules<TakeBackRule, UndoRule, Events, Ended> {
    pub code_after: CodeAfterRollback,
    /// What the subscription loses.
    pub take_back: TakeBackRule,
    /// The cycle whose count of redemptions drops by one, when the redemption was made in the current one.
    pub give_back_cycle: Option<DateTime<Utc>>,
    /// The usage record to undo, and how.
    pub usage_record: Option<Uuid>,
    pub undo: UndoRule,
    pub events: Events,
    /// `subscription.ended`, when the subscription ends now.
    pub ended: Ended,
}

/// What a rollback changed.
#[derive(Debug, Clone)]
pub struct RolledBack {
    pub redemption: RedemptionRow,
    pub code: AccessCodeRow,
    pub subscription: Option<Subscription>,
    pub take_back: TakeBack,
    pub usage: Option<UsageUndo>,
}

impl Db {
    pub async fn find_redemption(&self, id: Uuid) -> Result<Option<RedemptionRow>, DbError> {
        redemption::Entity::find_by_id(id).one(self.conn()).await
    }

    /// The code's redemptions that stand, newest first.
    pub async fn live_redemptions_of_code(&self, code_id: Uuid) -> Result<Vec<RedemptionRow>, DbError> {
        redemption::Entity::find()
            .filter(redemption::Column::AccessCodeId.eq(code_id))
            .filter(redemption::Column::RolledBackAt.is_null())
            .order_by_desc(redemption::Column::Id)
            .all(self.conn())
            .await
    }

    /// The newest redemption that stands among those that changed the subscription.
    pub async fn latest_redemption_of_subscription(
        &self,
        subscription_id: Uuid,
    ) -> Result<Option<RedemptionRow>, DbError> {
        redemption::Entity::find()
            .filter(redemption::Column::SubscriptionId.eq(subscription_id))
            .filter(redemption::Column::RolledBackAt.is_null())
            .order_by_desc(redemption::Column::Id)
            .one(self.conn())
            .await
    }

    /// The person's redemptions of the team's codes, oldest first.
    pub async fn redemptions_of_subscriber(
        &self,
        team_id: Uuid,
        subscriber_id: i64,
    ) -> Result<Vec<RedemptionRow>, DbError> {
        redemption::Entity::find()
            .filter(redemption::Column::TeamId.eq(team_id))
            .filter(redemption::Column::SubscriberId.eq(subscriber_id))
            .order_by_asc(redemption::Column::Id)
            .all(self.conn())
            .await
    }

    pub async fn find_usage_record(&self, id: Uuid) -> Result<Option<UsageRecord>, DbError> {
        usage_record::Entity::find_by_id(id).one(self.conn()).await
    }

    /// The team's newest usage record of the cycle starting at `cycle_start` that is still billed or on its way.
    pub async fn newest_billed_usage(
        &self,
        team_id: Uuid,
        cycle_start: DateTime<Utc>,
    ) -> Result<Option<UsageRecord>, DbError> {
        let billed = [UsageStatus::Pending, UsageStatus::Failed, UsageStatus::Reported];
        usage_record::Entity::find()
            .filter(usage_record::Column::TeamId.eq(team_id))
            .filter(usage_record::Column::RedeemedAt.gte(cycle_start))
            .filter(usage_record::Column::Status.is_in(billed))
            .order_by_desc(usage_record::Column::RedeemedAt)
            .one(self.conn())
            .await
    }

    /// The team's count of redemptions in the cycle starting at `cycle_start`.
    pub async fn cycle_redemptions(&self, team_id: Uuid, cycle_start: DateTime<Utc>) -> Result<i32, DbError> {
        let row = cycle_usage::Entity::find()
            .filter(cycle_usage::Column::TeamId.eq(team_id))
            .filter(cycle_usage::Column::CycleStart.eq(cycle_start))
            .one(self.conn())
            .await?;
        Ok(row.map_or(0, |row| row.redemptions))
    }

    /// Rolls the redemption back, once: None when it was rolled back already.
    pub async fn roll_back_redemption<TakeBackRule, UndoRule, Events, Ended>(
        &self,
        redemption_id: Uuid,
        now: DateTime<Utc>,
        rules: RollbackRules<TakeBackRule, UndoRule, Events, Ended>,
    ) -> Result<Option<RolledBack>, DbError>
    where
        TakeBackRule: FnOnce(&Subscription) -> TakeBack,
        UndoRule: Fn(&UsageRecord) -> Option<UsageUndo>,
        Events: FnOnce(&RolledBack) -> Vec<Event>,
        Ended: FnOnce(&Subscription) -> Event,
    {
        use access_code::Column as C;
        let txn = self.conn().begin().await?;
        let claimed = redemption::Entity::update_many()
            .col_expr(redemption::Column::RolledBackAt, Expr::value(now))
            .filter(redemption::Column::Id.eq(redemption_id))
            .filter(redemption::Column::RolledBackAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(None);
        }
        let redemption = redemption::Entity::find_by_id(redemption_id)
            .one(&txn)
            .await?
            .ok_or(DbError::RecordNotFound("the redemption vanished during its rollback".to_owned()))?;

        // The use no longer counts; the code either closes for good or opens for one more person.
        let status = match rules.code_after {
            CodeAfterRollback::Revoked => Expr::value(CodeStatus::Revoked),
            CodeAfterRollback::Redeemable => sea_orm::sea_query::CaseStatement::new()
                .case(C::Status.eq(CodeStatus::Redeemed), Expr::value(CodeStatus::Unredeemed))
                .finally(Expr::col(C::Status))
                .into(),
        };
        let mut code_update = access_code::Entity::update_many()
            .col_expr(C::RedemptionCount, Expr::col(C::RedemptionCount).sub(1))
            .col_expr(C::Status, status)
            .col_expr(C::RedeemedAt, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(C::RedeemedBy, Expr::value(Option::<i64>::None))
            .filter(C::Id.eq(redemption.access_code_id));
        if rules.code_after == CodeAfterRollback::Revoked {
            code_update = code_update
                .col_expr(C::RevokedAt, Expr::value(now))
                .col_expr(C::SealedCode, Expr::value(Option::<String>::None));
        }
        code_update.exec(&txn).await?;
        let code = access_code::Entity::find_by_id(redemption.access_code_id)
            .one(&txn)
            .await?
            .ok_or(DbError::RecordNotFound("the redeemed code is missing".to_owned()))?;

        let mut take_back = TakeBack::Unchanged;
        let mut subscription = match redemption.subscription_id {
            Some(id) => subscription::Entity::find_by_id(id).one(&txn).await?,
            None => None,
        };
        if let Some(current) = subscription.take() {
            take_back = (rules.take_back)(&current);
            let new_end = take_back.end(current.ends_at, now);
            if take_back != TakeBack::Unchanged {
                subscription::Entity::update_many()
                    .col_expr(subscription::Column::EndsAt, Expr::value(new_end))
                    .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
                    .filter(subscription::Column::Id.eq(current.id))
                    .exec(&txn)
                    .await?;
            }
            let changed = Subscription { ends_at: new_end, updated_at: now, ..current };
            if take_back == TakeBack::EndsNow {
                let ended = (rules.ended)(&changed);
                super::access::end_subscription_in(&txn, &changed, RemovalReason::RolledBack, ended, now).await?;
            }
            subscription = Some(changed);
        }

        if let Some(cycle_start) = rules.give_back_cycle {
            super::redemption::count_in_cycle(&txn, redemption.team_id, cycle_start, -1).await?;
        }

        // The reporter may settle the record meanwhile; the undo is decided again on what it finds then.
        let mut usage = None;
        if let Some(record_id) = rules.usage_record {
            let undo = rules.undo;
            for _ in 0..3 {
                let Some(record) = usage_record::Entity::find_by_id(record_id).one(&txn).await? else { break };
                usage = undo(&record);
                let update = usage_record::Entity::update_many()
                    .filter(usage_record::Column::Id.eq(record.id))
                    .filter(usage_record::Column::Status.eq(record.status));
                let changed = match usage {
                    Some(UsageUndo::Void) => {
                        update
                            .col_expr(usage_record::Column::Status, Expr::value(UsageStatus::Voided))
                            .exec(&txn)
                            .await?
                    }
                    Some(UsageUndo::Cancel) => {
                        update
                            .col_expr(usage_record::Column::Status, Expr::value(UsageStatus::Cancelling))
                            .col_expr(usage_record::Column::NextAttemptAt, Expr::value(now))
                            .col_expr(usage_record::Column::Attempts, Expr::value(0))
                            .exec(&txn)
                            .await?
                    }
                    Some(UsageUndo::StaysBilled) | None => break,
                };
                if changed.rows_affected == 1 {
                    break;
                }
            }
        }

        let rolled_back = RolledBack { redemption, code, subscription, take_back, usage };
        super::webhooks::record_events(&txn, (rules.events)(&rolled_back)).await?;
        txn.commit().await?;
        Ok(Some(rolled_back))
    }
}
