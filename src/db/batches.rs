//! A team's batches newest first, how many of a batch's codes are in each state, and who its redemptions
//! reached: the reads behind `/batches` and `list_batches`.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::codes::code_condition;
use super::entities::{access_code, access_code_batch, membership, redemption, subscription};
use super::generation::{AccessCodeRow, Batch};
use super::redemption::RedemptionRow;
use super::{Db, DbError};
use crate::domain::code_listing::CodeFilter;

/// Which batches a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchQuery {
    pub team_id: Uuid,
    pub plan_id: Option<Uuid>,
    /// Only batches older than this one (ids grow with time).
    pub before: Option<Uuid>,
}

impl BatchQuery {
    fn select(self) -> sea_orm::Select<access_code_batch::Entity> {
        use access_code_batch::Column as C;
        let mut query = access_code_batch::Entity::find().filter(C::TeamId.eq(self.team_id));
        if let Some(plan_id) = self.plan_id {
            query = query.filter(C::PlanId.eq(plan_id));
        }
        if let Some(before) = self.before {
            query = query.filter(C::Id.lt(before));
        }
        query
    }
}

impl Db {
    pub async fn count_batches(&self, query: BatchQuery) -> Result<u64, DbError> {
        query.select().count(self.conn()).await
    }

    /// Up to `limit` batches after skipping `offset`, newest first.
    pub async fn batches(&self, query: BatchQuery, offset: u64, limit: u64) -> Result<Vec<Batch>, DbError> {
        query.select().order_by_desc(access_code_batch::Column::Id).offset(offset).limit(limit).all(self.conn()).await
    }

    pub async fn count_batch_codes(
        &self,
        batch_id: Uuid,
        filter: CodeFilter,
        now: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        access_code::Entity::find()
            .filter(access_code::Column::BatchId.eq(batch_id))
            .filter(code_condition(filter, now))
            .count(self.conn())
            .await
    }

    /// The people whose redemptions of the batch's codes stand (not rolled back).
    pub async fn batch_redeemers(&self, batch_id: Uuid) -> Result<Vec<i64>, DbError> {
        redemption::Entity::find()
            .select_only()
            .column(redemption::Column::SubscriberId)
            .filter(redemption::Column::BatchId.eq(batch_id))
            .filter(redemption::Column::RolledBackAt.is_null())
            .into_tuple()
            .all(self.conn())
            .await
    }

    /// The subscriptions on `plan_id` of these people (a batch's redeemers: at most its size).
    pub async fn plan_subscriptions_of(
        &self,
        plan_id: Uuid,
        people: &[i64],
    ) -> Result<Vec<subscription::Model>, DbError> {
        let mut found = Vec::with_capacity(people.len());
        for chunk in people.chunks(500) {
            let part = subscription::Entity::find()
                .filter(subscription::Column::PlanId.eq(plan_id))
                .filter(subscription::Column::SubscriberId.is_in(chunk.iter().copied()))
                .all(self.conn())
                .await?;
            found.extend(part);
        }
        Ok(found)
    }

    /// Which of these subscriptions let their subscriber into a chat at some point.
    pub async fn subscriptions_that_joined(&self, subscriptions: &[Uuid]) -> Result<HashSet<Uuid>, DbError> {
        let mut joined = HashSet::new();
        for chunk in subscriptions.chunks(500) {
            let part: Vec<Uuid> = membership::Entity::find()
                .select_only()
                .column(membership::Column::SubscriptionId)
                .filter(membership::Column::SubscriptionId.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(self.conn())
                .await?;
            joined.extend(part);
        }
        Ok(joined)
    }
}

/// Whose redemptions a read covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedemptionScope {
    Batch(Uuid),
    Plan(Uuid),
}

/// Redemptions and what they led to, read for an export or an agent.
impl Db {
    /// Up to `limit` redemptions of `scope` (rolled-back ones too) made at or after `since`, after the
    /// redemption `after`, oldest first.
    pub async fn redemptions_page(
        &self,
        team_id: Uuid,
        scope: RedemptionScope,
        since: Option<DateTime<Utc>>,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<RedemptionRow>, DbError> {
        use redemption::Column as C;
        let mut query = redemption::Entity::find().filter(C::TeamId.eq(team_id));
        query = match scope {
            RedemptionScope::Batch(id) => query.filter(C::BatchId.eq(id)),
            RedemptionScope::Plan(id) => query.filter(C::PlanId.eq(id)),
        };
        if let Some(since) = since {
            query = query.filter(C::RedeemedAt.gte(since));
        }
        if let Some(after) = after {
            query = query.filter(C::Id.gt(after));
        }
        query.order_by_asc(C::Id).limit(limit).all(self.conn()).await
    }

    /// These codes, by id.
    pub async fn codes_by_id(&self, ids: &[Uuid]) -> Result<Vec<AccessCodeRow>, DbError> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let part = access_code::Entity::find()
                .filter(access_code::Column::Id.is_in(chunk.iter().copied()))
                .all(self.conn());
            found.extend(part.await?);
        }
        Ok(found)
    }

    /// These subscriptions, by id.
    pub async fn subscriptions_by_id(&self, ids: &[Uuid]) -> Result<Vec<subscription::Model>, DbError> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let part = subscription::Entity::find()
                .filter(subscription::Column::Id.is_in(chunk.iter().copied()))
                .all(self.conn());
            found.extend(part.await?);
        }
        Ok(found)
    }

    /// The memberships of these subscriptions.
    pub async fn memberships_of(&self, subscriptions: &[Uuid]) -> Result<Vec<membership::Model>, DbError> {
        let mut found = Vec::new();
        for chunk in subscriptions.chunks(500) {
            let part = membership::Entity::find()
                .filter(membership::Column::SubscriptionId.is_in(chunk.iter().copied()))
                .all(self.conn())
                .await?;
            found.extend(part);
        }
        Ok(found)
    }
}
