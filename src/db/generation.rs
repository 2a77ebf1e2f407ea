//! Generation drafts, jobs and their leases, batches, codes and the events outbox.
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait, TryInsertResult,
    sea_query::{Alias, Expr, ExprTrait, Func, LockBehavior, LockType, Order, Query},
};
use uuid::Uuid;

use super::entities::{access_code, access_code_batch, event, generation_draft, generation_job};
use super::{Db, DbError};
use crate::domain::generation::{DraftStatus, ExportType};
use crate::domain::jobs::JobStatus;

pub use access_code::Model as AccessCodeRow;
pub use access_code_batch::Model as Batch;
pub use event::Model as Event;
pub use generation_draft::Model as Draft;
pub use generation_job::Model as Job;

const CODE_INSERT_CHUNK: usize = 500;

/// What storing a generated batch did.
#[derive(Debug, PartialEq, Eq)]
pub enum BatchStore {
    Stored,
    /// A code's hash already existed; nothing was written and the batch must be drawn again.
    Collision,
    /// Another worker holds the job now; nothing was written.
    LeaseLost,
}

/// A code still waiting to be delivered.
#[derive(Debug, Clone)]
pub struct PendingCode {
    pub id: Uuid,
    pub position: i32,
    pub sealed_code: Option<String>,
    /// Revoked before it went out: it is never delivered.
    pub revoked: bool,
}

impl Db {
    pub async fn insert_draft(&self, draft: Draft) -> Result<(), DbError> {
        generation_draft::Entity::insert(draft.into_active_model()).exec(self.conn()).await?;
        Ok(())
    }

    pub async fn find_draft(&self, id: Uuid) -> Result<Option<Draft>, DbError> {
        generation_draft::Entity::find_by_id(id).one(self.conn()).await
    }

    /// Stores the options of a pending draft; false when it was no longer pending.
    pub async fn set_draft_options(&self, draft: &Draft) -> Result<bool, DbError> {
        use generation_draft::Column as C;
        let result = generation_draft::Entity::update_many()
            .col_expr(C::Label, Expr::value(draft.label.clone()))
            .col_expr(C::Prefix, Expr::value(draft.prefix.clone()))
            .col_expr(C::Eligibility, Expr::value(draft.eligibility.clone()))
            .col_expr(C::MaxRedemptions, Expr::value(draft.max_redemptions))
            .filter(C::Id.eq(draft.id))
            .filter(C::Status.eq(DraftStatus::Pending))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Marks a pending draft as cancelled; false when it was no longer pending.
    pub async fn cancel_draft(&self, id: Uuid) -> Result<bool, DbError> {
        let result = generation_draft::Entity::update_many()
            .col_expr(generation_draft::Column::Status, Expr::value(DraftStatus::Cancelled))
            .filter(generation_draft::Column::Id.eq(id))
            .filter(generation_draft::Column::Status.eq(DraftStatus::Pending))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Queues `job` for a pending draft, once: a draft confirmed before keeps its first job.
    /// Returns the job of the draft.
    pub async fn enqueue_draft_job(&self, draft_id: Uuid, job: Job) -> Result<Option<Job>, DbError> {
        let txn = self.conn().begin().await?;
        let confirmed = generation_draft::Entity::update_many()
            .col_expr(generation_draft::Column::Status, Expr::value(DraftStatus::Confirmed))
            .col_expr(generation_draft::Column::JobId, Expr::value(job.id))
            .filter(generation_draft::Column::Id.eq(draft_id))
            .filter(generation_draft::Column::Status.eq(DraftStatus::Pending))
            .exec(&txn)
            .await?;
        if confirmed.rows_affected == 1 {
            generation_job::Entity::insert(job.clone().into_active_model()).exec(&txn).await?;
            txn.commit().await?;
            return Ok(Some(job));
        }
        txn.rollback().await?;
        generation_job::Entity::find().filter(generation_job::Column::DraftId.eq(draft_id)).one(self.conn()).await
    }

    pub async fn insert_job(&self, job: Job) -> Result<(), DbError> {
        generation_job::Entity::insert(job.into_active_model()).exec(self.conn()).await?;
        Ok(())
    }

    pub async fn find_job(&self, id: Uuid) -> Result<Option<Job>, DbError> {
        generation_job::Entity::find_by_id(id).one(self.conn()).await
    }

    pub async fn recent_jobs_of_creator(&self, creator_id: Uuid, limit: u64) -> Result<Vec<Job>, DbError> {
        generation_job::Entity::find()
            .filter(generation_job::Column::CreatorId.eq(creator_id))
            .order_by_desc(generation_job::Column::EnqueuedAt)
            .limit(limit)
            .all(self.conn())
            .await
    }

    /// Takes the oldest runnable job: a queued one, or a running one whose holder stopped heartbeating.
    /// One statement, so two workers never take the same job.
    pub async fn claim_next_job(
        &self,
        worker_id: &str,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<Option<Job>, DbError> {
        use generation_job::Column as C;
        let runnable = Condition::any()
            .add(C::Status.eq(JobStatus::Queued).and(C::RunAt.lte(now)))
            .add(C::Status.eq(JobStatus::Running).and(C::HeartbeatAt.lt(stale_before)));
        // One message job at a time per chat: two would only share that chat's pace and mix their codes.
        let busy = Alias::new("busy");
        let chat_busy = Query::select()
            .expr(Expr::val(1))
            .from_as(generation_job::Entity, busy.clone())
            .and_where(Expr::col((busy.clone(), C::DeliveryChatId)).equals((generation_job::Entity, C::DeliveryChatId)))
            .and_where(Expr::col((busy.clone(), C::ExportType)).eq(ExportType::Messages))
            .and_where(Expr::col((busy.clone(), C::Status)).eq(JobStatus::Running))
            .and_where(Expr::col((busy, C::HeartbeatAt)).gte(stale_before))
            .to_owned();
        let may_start = Condition::any().add(C::ExportType.ne(ExportType::Messages)).add(Expr::exists(chat_busy).not());
        let mut next = Query::select();
        next.column(C::Id)
            .from(generation_job::Entity)
            .cond_where(Condition::all().add(runnable).add(may_start))
            .order_by(C::EnqueuedAt, Order::Asc)
            .limit(1);
        if self.is_postgres() {
            next.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let claimed = generation_job::Entity::update_many()
            .col_expr(C::Status, Expr::value(JobStatus::Running))
            .col_expr(C::LockedBy, Expr::value(worker_id))
            .col_expr(C::LockedAt, Expr::value(now))
            .col_expr(C::HeartbeatAt, Expr::value(now))
            .col_expr(C::Attempts, Expr::col(C::Attempts).add(1))
            .col_expr(C::StartedAt, Func::coalesce([Expr::col(C::StartedAt), Expr::value(now)]).into())
            .filter(C::Id.in_subquery(next))
            .exec_with_returning(self.conn())
            .await?;
        Ok(claimed.into_iter().next())
    }

    fn held_by(job_id: Uuid, worker_id: &str) -> Condition {
        Condition::all()
            .add(generation_job::Column::Id.eq(job_id))
            .add(generation_job::Column::LockedBy.eq(worker_id))
            .add(generation_job::Column::Status.eq(JobStatus::Running))
    }

    /// Renews the lease; false when another worker has taken the job over.
    pub async fn heartbeat_job(&self, job_id: Uuid, worker_id: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
        let result = generation_job::Entity::update_many()
            .col_expr(generation_job::Column::HeartbeatAt, Expr::value(now))
            .filter(Self::held_by(job_id, worker_id))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    pub async fn set_job_status_message(&self, job_id: Uuid, message_id: i32) -> Result<(), DbError> {
        generation_job::Entity::update_many()
            .col_expr(generation_job::Column::StatusMessageId, Expr::value(message_id))
            .filter(generation_job::Column::Id.eq(job_id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Writes the batch, all its codes and its `access_code.generated` event in one transaction.
    pub async fn store_batch(
        &self,
        worker_id: &str,
        batch: Batch,
        codes: Vec<AccessCodeRow>,
        generated_event: Event,
    ) -> Result<BatchStore, DbError> {
        let txn = self.conn().begin().await?;
        let attached = generation_job::Entity::update_many()
            .col_expr(generation_job::Column::BatchId, Expr::value(batch.id))
            .filter(Self::held_by(batch.job_id, worker_id))
            .filter(generation_job::Column::BatchId.is_null())
            .exec(&txn)
            .await?;
        if attached.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(BatchStore::LeaseLost);
        }
        let expected = codes.len() as u64;
        access_code_batch::Entity::insert(batch.into_active_model()).exec(&txn).await?;
        let mut inserted = 0;
        for chunk in codes.chunks(CODE_INSERT_CHUNK) {
            let rows = chunk.iter().cloned().map(IntoActiveModel::into_active_model);
            let result = access_code::Entity::insert_many(rows)
                .on_conflict_do_nothing_on([access_code::Column::CodeHash])
                .exec_without_returning(&txn)
                .await?;
            if let TryInsertResult::Inserted(count) = result {
                inserted += count;
            }
        }
        if inserted != expected {
            txn.rollback().await?;
            return Ok(BatchStore::Collision);
        }
        super::webhooks::record_events(&txn, vec![generated_event]).await?;
        txn.commit().await?;
        Ok(BatchStore::Stored)
    }

    pub async fn find_batch(&self, id: Uuid) -> Result<Option<Batch>, DbError> {
        access_code_batch::Entity::find_by_id(id).one(self.conn()).await
    }

    /// The batch's codes from `from_position` on, in delivery order.
    pub async fn codes_to_deliver(&self, batch_id: Uuid, from_position: i32) -> Result<Vec<PendingCode>, DbError> {
        let rows = access_code::Entity::find()
            .filter(access_code::Column::BatchId.eq(batch_id))
            .filter(access_code::Column::Position.gte(from_position))
            .order_by_asc(access_code::Column::Position)
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| PendingCode {
                id: row.id,
                position: row.position,
                sealed_code: row.sealed_code,
                revoked: row.revoked_at.is_some(),
            })
            .collect())
    }

    pub async fn codes_of_batch(&self, batch_id: Uuid) -> Result<Vec<AccessCodeRow>, DbError> {
        access_code::Entity::find()
            .filter(access_code::Column::BatchId.eq(batch_id))
            .order_by_asc(access_code::Column::Position)
            .all(self.conn())
            .await
    }

    /// Persists how many codes have reached the chat; false when the lease was lost.
    pub async fn record_delivery_progress(
        &self,
        job_id: Uuid,
        worker_id: &str,
        delivered: i32,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let result = generation_job::Entity::update_many()
            .col_expr(generation_job::Column::DeliveredCount, Expr::value(delivered))
            .col_expr(generation_job::Column::HeartbeatAt, Expr::value(now))
            .filter(Self::held_by(job_id, worker_id))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Completes the job and erases the plaintext of its delivered codes, in one transaction.
    pub async fn complete_job(
        &self,
        job_id: Uuid,
        worker_id: &str,
        batch_id: Uuid,
        delivered: i32,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let txn = self.conn().begin().await?;
        let completed = generation_job::Entity::update_many()
            .col_expr(generation_job::Column::Status, Expr::value(JobStatus::Completed))
            .col_expr(generation_job::Column::DeliveredCount, Expr::value(delivered))
            .col_expr(generation_job::Column::CompletedAt, Expr::value(now))
            .col_expr(generation_job::Column::LockedBy, Expr::value(Option::<String>::None))
            .col_expr(generation_job::Column::ErrorCode, Expr::value(Option::<String>::None))
            .col_expr(generation_job::Column::ErrorMessage, Expr::value(Option::<String>::None))
            .filter(Self::held_by(job_id, worker_id))
            .exec(&txn)
            .await?;
        if completed.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(false);
        }
        access_code::Entity::update_many()
            .col_expr(access_code::Column::SealedCode, Expr::value(Option::<String>::None))
            .filter(access_code::Column::BatchId.eq(batch_id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Fails the job; its codes stay stored so delivery can be tried again.
    pub async fn fail_job(
        &self,
        job_id: Uuid,
        worker_id: &str,
        error_code: &str,
        error_message: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let result = generation_job::Entity::update_many()
            .col_expr(generation_job::Column::Status, Expr::value(JobStatus::Failed))
            .col_expr(generation_job::Column::ErrorCode, Expr::value(error_code))
            .col_expr(generation_job::Column::ErrorMessage, Expr::value(error_message))
            .col_expr(generation_job::Column::CompletedAt, Expr::value(now))
            .col_expr(generation_job::Column::LockedBy, Expr::value(Option::<String>::None))
            .filter(Self::held_by(job_id, worker_id))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Puts a failed job of `creator_id` back in the queue to deliver what it still holds into
    /// `delivery_chat_id`; false when the job is not that creator's or has not failed.
    pub async fn requeue_failed_job(
        &self,
        job_id: Uuid,
        creator_id: Uuid,
        delivery_chat_id: i64,
        status_message_id: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        use generation_job::Column as C;
        let result = generation_job::Entity::update_many()
            .col_expr(C::Status, Expr::value(JobStatus::Queued))
            .col_expr(C::Attempts, Expr::value(0))
            .col_expr(C::RunAt, Expr::value(now))
            .col_expr(C::DeliveryChatId, Expr::value(delivery_chat_id))
            .col_expr(C::StatusMessageId, Expr::value(status_message_id))
            .col_expr(C::ErrorCode, Expr::value(Option::<String>::None))
            .col_expr(C::ErrorMessage, Expr::value(Option::<String>::None))
            .col_expr(C::CompletedAt, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(C::Id.eq(job_id))
            .filter(C::CreatorId.eq(creator_id))
            .filter(C::Status.eq(JobStatus::Failed))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Hands a job back to the queue, to run again at `run_at` (by this or another worker).
    pub async fn release_job(&self, job_id: Uuid, worker_id: &str, run_at: DateTime<Utc>) -> Result<bool, DbError> {
        let result = generation_job::Entity::update_many()
            .col_expr(generation_job::Column::Status, Expr::value(JobStatus::Queued))
            .col_expr(generation_job::Column::LockedBy, Expr::value(Option::<String>::None))
            .col_expr(generation_job::Column::RunAt, Expr::value(run_at))
            .filter(Self::held_by(job_id, worker_id))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    pub async fn events_of_type(&self, event_type: &str) -> Result<Vec<Event>, DbError> {
        event::Entity::find()
            .filter(event::Column::EventType.eq(event_type))
            .order_by_asc(event::Column::CreatedAt)
            .all(self.conn())
            .await
    }

    pub async fn count_jobs_with_status(&self, status: JobStatus) -> Result<u64, DbError> {
        generation_job::Entity::find().filter(generation_job::Column::Status.eq(status)).count(self.conn()).await
    }
}
