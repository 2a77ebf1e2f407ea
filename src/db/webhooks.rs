//! Webhook endpoints, the events outbox with one delivery per event and endpoint, the delivery claims and
//! the log of attempts.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockBehavior, LockType, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

use super::entities::{event, webhook_attempt, webhook_delivery, webhook_endpoint};
use super::generation::Event;
use super::{Db, DbError};
use crate::domain::webhooks::{self, AfterAttempt, EndpointStatus, PauseReason, WebhookDeliveryStatus};

pub use webhook_attempt::Model as WebhookAttempt;
pub use webhook_delivery::Model as WebhookDelivery;
pub use webhook_endpoint::Model as WebhookEndpoint;

/// Writes events and, in the same transaction (`conn`), a delivery for every endpoint of their team that
/// asked for their type; paused endpoints get theirs too, sent once they are resumed.
pub(crate) async fn record_events<C: ConnectionTrait>(conn: &C, events: Vec<Event>) -> Result<(), DbError> {
    if events.is_empty() {
        return Ok(());
    }
    // The events go in first: a SQLite transaction that reads before its first write cannot take the write
    // lock once another connection has written since (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out).
    let mut team_ids: Vec<Uuid> = events.iter().map(|e| e.team_id).collect();
    team_ids.sort();
    team_ids.dedup();
    let wanted: Vec<(Uuid, String, Uuid, DateTime<Utc>)> =
        events.iter().map(|e| (e.team_id, e.event_type.clone(), e.id, e.created_at)).collect();
    event::Entity::insert_many(events.into_iter().map(IntoActiveModel::into_active_model))
        .exec_without_returning(conn)
        .await?;
    let endpoints =
        webhook_endpoint::Entity::find().filter(webhook_endpoint::Column::TeamId.is_in(team_ids)).all(conn).await?;
    let deliveries: Vec<WebhookDelivery> = wanted
        .iter()
        .flat_map(|(team_id, event_type, event_id, at)| {
            endpoints
                .iter()
                .filter(move |endpoint| {
                    endpoint.team_id == *team_id && webhooks::wants(&endpoint.event_types, event_type)
                })
                .map(move |endpoint| new_delivery(endpoint.id, *event_id, *at))
        })
        .collect();
    if !deliveries.is_empty() {
        webhook_delivery::Entity::insert_many(deliveries.into_iter().map(IntoActiveModel::into_active_model))
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

fn new_delivery(endpoint_id: Uuid, event_id: Uuid, at: DateTime<Utc>) -> WebhookDelivery {
    WebhookDelivery {
        id: Uuid::now_v7(),
        endpoint_id,
        event_id,
        status: WebhookDeliveryStatus::Pending,
        attempts: 0,
        next_attempt_at: at,
        locked_by: None,
        locked_until: None,
        last_status_code: None,
        last_error: None,
        created_at: at,
        delivered_at: None,
    }
}

/// A claimed delivery with what sending it needs.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub delivery: WebhookDelivery,
    pub endpoint: WebhookEndpoint,
    pub event: Event,
}

impl Db {
    pub async fn insert_endpoint(&self, endpoint: WebhookEndpoint) -> Result<(), DbError> {
        webhook_endpoint::Entity::insert(endpoint.into_active_model()).exec(self.conn()).await?;
        Ok(())
    }

    pub async fn endpoints_of_team(&self, team_id: Uuid) -> Result<Vec<WebhookEndpoint>, DbError> {
        webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::TeamId.eq(team_id))
            .order_by_asc(webhook_endpoint::Column::CreatedAt)
            .all(self.conn())
            .await
    }

    pub async fn all_endpoints(&self) -> Result<Vec<WebhookEndpoint>, DbError> {
        webhook_endpoint::Entity::find().order_by_asc(webhook_endpoint::Column::CreatedAt).all(self.conn()).await
    }

    pub async fn find_endpoint(&self, endpoint_id: Uuid) -> Result<Option<WebhookEndpoint>, DbError> {
        webhook_endpoint::Entity::find_by_id(endpoint_id).one(self.conn()).await
    }

    /// Deletes an endpoint with its deliveries and their log.
    pub async fn delete_endpoint(&self, endpoint_id: Uuid) -> Result<bool, DbError> {
        let txn = self.conn().begin().await?;
        let deliveries = Query::select()
            .column(webhook_delivery::Column::Id)
            .from(webhook_delivery::Entity)
            .and_where(webhook_delivery::Column::EndpointId.eq(endpoint_id))
            .to_owned();
        webhook_attempt::Entity::delete_many()
            .filter(webhook_attempt::Column::DeliveryId.in_subquery(deliveries))
            .exec(&txn)
            .await?;
        webhook_delivery::Entity::delete_many()
            .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id))
            .exec(&txn)
            .await?;
        let deleted = webhook_endpoint::Entity::delete_by_id(endpoint_id).exec(&txn).await?;
        txn.commit().await?;
        Ok(deleted.rows_affected == 1)
    }

    /// Pauses or resumes an endpoint; resuming resets its count of failures.
    pub async fn set_endpoint_status(
        &self,
        endpoint_id: Uuid,
        status: EndpointStatus,
        reason: Option<PauseReason>,
    ) -> Result<bool, DbError> {
        let updated = webhook_endpoint::Entity::update_many()
            .col_expr(webhook_endpoint::Column::Status, Expr::value(status))
            .col_expr(webhook_endpoint::Column::PausedReason, Expr::value(reason))
            .col_expr(webhook_endpoint::Column::ConsecutiveFailures, Expr::value(0))
            .filter(webhook_endpoint::Column::Id.eq(endpoint_id))
            .exec(self.conn())
            .await?;
        Ok(updated.rows_affected == 1)
    }

    pub async fn set_endpoint_event_types(&self, endpoint_id: Uuid, event_types: &str) -> Result<(), DbError> {
        webhook_endpoint::Entity::update_many()
            .col_expr(webhook_endpoint::Column::EventTypes, Expr::value(event_types))
            .filter(webhook_endpoint::Column::Id.eq(endpoint_id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// A new signing secret; the current one keeps signing too until `previous_until`.
    pub async fn rotate_endpoint_secret(
        &self,
        endpoint_id: Uuid,
        sealed_secret: String,
        sealed_previous: String,
        previous_until: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let updated = webhook_endpoint::Entity::update_many()
            .col_expr(webhook_endpoint::Column::SealedSecret, Expr::value(sealed_secret))
            .col_expr(webhook_endpoint::Column::SealedPreviousSecret, Expr::value(sealed_previous))
            .col_expr(webhook_endpoint::Column::PreviousSecretUntil, Expr::value(previous_until))
            .filter(webhook_endpoint::Column::Id.eq(endpoint_id))
            .exec(self.conn())
            .await?;
        Ok(updated.rows_affected == 1)
    }

    /// Records a test event that goes to this one endpoint.
    pub async fn record_test_event(&self, endpoint: &WebhookEndpoint, event: Event) -> Result<Uuid, DbError> {
        let txn = self.conn().begin().await?;
        let delivery = new_delivery(endpoint.id, event.id, event.created_at);
        let delivery_id = delivery.id;
        event::Entity::insert(event.into_active_model()).exec(&txn).await?;
        webhook_delivery::Entity::insert(delivery.into_active_model()).exec(&txn).await?;
        txn.commit().await?;
        Ok(delivery_id)
    }

    /// Claims due deliveries, at most `limit`, and at most one per endpoint: the earliest due one of an
    /// endpoint that has none in flight, so each endpoint gets its events in order, one at a time.
    pub async fn claim_due_deliveries(
        &self,
        worker_id: &str,
        now: DateTime<Utc>,
        locked_until: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<DueDelivery>, DbError> {
        use webhook_delivery::Column as C;
        let other = Alias::new("other");
        let same_endpoint_pending = || {
            Query::select()
                .expr(Expr::val(1))
                .from_as(webhook_delivery::Entity, other.clone())
                .and_where(Expr::col((other.clone(), C::EndpointId)).equals((webhook_delivery::Entity, C::EndpointId)))
                .and_where(Expr::col((other.clone(), C::Status)).eq(WebhookDeliveryStatus::Pending))
                .to_owned()
        };
        let in_flight =
            same_endpoint_pending().and_where(Expr::col((other.clone(), C::LockedUntil)).gte(now)).to_owned();
        let due_earlier = same_endpoint_pending()
            .and_where(Expr::col((other.clone(), C::NextAttemptAt)).lte(now))
            .cond_where(
                Condition::any()
                    .add(
                        Expr::col((other.clone(), C::CreatedAt))
                            .lt(Expr::col((webhook_delivery::Entity, C::CreatedAt))),
                    )
                    .add(
                        Condition::all()
                            .add(
                                Expr::col((other.clone(), C::CreatedAt))
                                    .equals((webhook_delivery::Entity, C::CreatedAt)),
                            )
                            .add(Expr::col((other.clone(), C::Id)).lt(Expr::col((webhook_delivery::Entity, C::Id)))),
                    ),
            )
            .to_owned();
        let active_endpoints = Query::select()
            .column(webhook_endpoint::Column::Id)
            .from(webhook_endpoint::Entity)
            .and_where(webhook_endpoint::Column::Status.eq(EndpointStatus::Active))
            .to_owned();
        let mut due = Query::select();
        due.column(C::Id)
            .from(webhook_delivery::Entity)
            .and_where(C::Status.eq(WebhookDeliveryStatus::Pending))
            .and_where(C::NextAttemptAt.lte(now))
            .and_where(C::LockedUntil.is_null().or(C::LockedUntil.lt(now)))
            .and_where(C::EndpointId.in_subquery(active_endpoints))
            .and_where(Expr::exists(in_flight).not())
            .and_where(Expr::exists(due_earlier).not())
            .order_by(C::NextAttemptAt, Order::Asc)
            .limit(limit);
        if self.is_postgres() {
            due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        // The attempt counts from its claim, before anything goes out: one that dies with its instance counts.
        let claimed = webhook_delivery::Entity::update_many()
            .col_expr(C::LockedBy, Expr::value(worker_id))
            .col_expr(C::LockedUntil, Expr::value(locked_until))
            .col_expr(C::Attempts, Expr::col(C::Attempts).add(1))
            .filter(C::Id.in_subquery(due))
            .exec_with_returning(self.conn())
            .await?;
        let mut due_deliveries = Vec::with_capacity(claimed.len());
        for delivery in claimed {
            let endpoint = webhook_endpoint::Entity::find_by_id(delivery.endpoint_id).one(self.conn()).await?;
            let event = event::Entity::find_by_id(delivery.event_id).one(self.conn()).await?;
            match (endpoint, event) {
                (Some(endpoint), Some(event)) => due_deliveries.push(DueDelivery { delivery, endpoint, event }),
                _ => log::warn!("webhook delivery {} lost its endpoint or event while claimed", delivery.id),
            }
        }
        Ok(due_deliveries)
    }

    /// Writes one attempt to the log and what it means for the delivery and its endpoint, in one
    /// transaction; false when the claim had passed to another worker, and nothing was written.
    pub async fn record_attempt(
        &self,
        claimed: &DueDelivery,
        worker_id: &str,
        attempt: WebhookAttempt,
        after: &AfterAttempt,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        use webhook_delivery::Column as C;
        let txn = self.conn().begin().await?;
        let delivered_at = (after.delivery == WebhookDeliveryStatus::Delivered).then_some(now);
        let updated = webhook_delivery::Entity::update_many()
            .col_expr(C::Status, Expr::value(after.delivery))
            .col_expr(C::NextAttemptAt, Expr::value(after.next_attempt_at.unwrap_or(now)))
            .col_expr(C::LockedBy, Expr::value(Option::<String>::None))
            .col_expr(C::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(C::LastStatusCode, Expr::value(attempt.status_code))
            .col_expr(C::LastError, Expr::value(attempt.error.clone()))
            .col_expr(C::DeliveredAt, Expr::value(delivered_at))
            .filter(C::Id.eq(claimed.delivery.id))
            .filter(C::LockedBy.eq(worker_id))
            .filter(C::Status.eq(WebhookDeliveryStatus::Pending))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(false);
        }
        webhook_attempt::Entity::insert(attempt.clone().into_active_model()).exec(&txn).await?;
        use webhook_endpoint::Column as E;
        let mut endpoint = webhook_endpoint::Entity::update_many()
            .col_expr(E::LastAttemptAt, Expr::value(now))
            .col_expr(E::LastStatusCode, Expr::value(attempt.status_code))
            .filter(E::Id.eq(claimed.endpoint.id));
        endpoint = if after.endpoint_failures == 0 {
            endpoint.col_expr(E::ConsecutiveFailures, Expr::value(0))
        } else {
            endpoint.col_expr(E::ConsecutiveFailures, Expr::col(E::ConsecutiveFailures).add(1))
        };
        if let Some(reason) = after.pause {
            endpoint = endpoint
                .col_expr(E::Status, Expr::value(EndpointStatus::Paused))
                .col_expr(E::PausedReason, Expr::value(Some(reason)));
        }
        endpoint.exec(&txn).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Sends a delivery again from the start of the schedule, unless it is in flight; its log is kept.
    pub async fn redeliver(&self, delivery_id: Uuid, now: DateTime<Utc>) -> Result<bool, DbError> {
        use webhook_delivery::Column as C;
        let updated = webhook_delivery::Entity::update_many()
            .col_expr(C::Status, Expr::value(WebhookDeliveryStatus::Pending))
            .col_expr(C::Attempts, Expr::value(0))
            .col_expr(C::NextAttemptAt, Expr::value(now))
            .col_expr(C::DeliveredAt, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(C::Id.eq(delivery_id))
            .filter(C::LockedUntil.is_null().or(C::LockedUntil.lt(now)))
            .exec(self.conn())
            .await?;
        Ok(updated.rows_affected == 1)
    }

    pub async fn find_delivery(&self, delivery_id: Uuid) -> Result<Option<WebhookDelivery>, DbError> {
        webhook_delivery::Entity::find_by_id(delivery_id).one(self.conn()).await
    }

    /// An endpoint's newest deliveries, newest first, each with its event.
    pub async fn recent_deliveries(
        &self,
        endpoint_id: Uuid,
        limit: u64,
    ) -> Result<Vec<(WebhookDelivery, Event)>, DbError> {
        self.deliveries_of_endpoints(vec![endpoint_id], None, limit).await
    }

    /// The newest deliveries to these endpoints, with a status when given, each with its event.
    pub async fn deliveries_of_endpoints(
        &self,
        endpoint_ids: Vec<Uuid>,
        status: Option<WebhookDeliveryStatus>,
        limit: u64,
    ) -> Result<Vec<(WebhookDelivery, Event)>, DbError> {
        let mut query =
            webhook_delivery::Entity::find().filter(webhook_delivery::Column::EndpointId.is_in(endpoint_ids));
        if let Some(status) = status {
            query = query.filter(webhook_delivery::Column::Status.eq(status));
        }
        let deliveries = query
            .order_by_desc(webhook_delivery::Column::CreatedAt)
            .order_by_desc(webhook_delivery::Column::Id)
            .limit(limit)
            .all(self.conn())
            .await?;
        let event_ids: Vec<Uuid> = deliveries.iter().map(|d| d.event_id).collect();
        let events = event::Entity::find().filter(event::Column::Id.is_in(event_ids)).all(self.conn()).await?;
        Ok(deliveries
            .into_iter()
            .filter_map(|delivery| {
                let event = events.iter().find(|e| e.id == delivery.event_id)?.clone();
                Some((delivery, event))
            })
            .collect())
    }

    pub async fn attempts_of_delivery(&self, delivery_id: Uuid) -> Result<Vec<WebhookAttempt>, DbError> {
        webhook_attempt::Entity::find()
            .filter(webhook_attempt::Column::DeliveryId.eq(delivery_id))
            .order_by_asc(webhook_attempt::Column::AttemptedAt)
            .all(self.conn())
            .await
    }
}
