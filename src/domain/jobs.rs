//! How a generation job stands, as creators and agents see it.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::generation::ExportType;
use super::stored::stored_enum;
use super::{DomainError, ids};
use crate::db::Db;
use crate::db::generation::Job;
use crate::db::teams::Creator;

const RECENT_JOBS: u64 = 10;

/// A job taken over this many times keeps killing its workers; it fails instead of looping forever.
pub const MAX_JOB_ATTEMPTS: i32 = 5;

/// The error code of a job whose delivery stopped for good.
pub const DELIVERY_FAILED: &str = "DELIVERY_FAILED";

stored_enum! {
    /// Where a generation job stands.
    pub enum JobStatus {
        Queued = "queued",
        Running = "running",
        Completed = "completed",
        Failed = "failed",
    }
}

impl JobStatus {
    /// Only a failed delivery may be tried again: a queued or running job is on its way, a completed one arrived.
    pub fn may_retry_delivery(self) -> bool {
        self == Self::Failed
    }
}

/// Whether a job has been taken over so often that it must fail rather than run again.
pub fn attempts_exhausted(attempts: i32) -> bool {
    attempts > MAX_JOB_ATTEMPTS
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct JobResult {
    pub count: i64,
    pub batch_id: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct JobError {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JobView {
    #[serde(skip)]
    pub id: Uuid,
    pub job_id: String,
    pub tool_name: String,
    pub status: JobStatus,
    pub result: Option<JobResult>,
    pub error: Option<JobError>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub plan_name: String,
    #[serde(skip)]
    pub quantity: i64,
    #[serde(skip)]
    pub export_type: ExportType,
    #[serde(skip)]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub delivered: i64,
    #[serde(skip)]
    pub enqueued_at: DateTime<Utc>,
}

impl JobView {
    /// What the job's messages call it.
    pub fn label(&self) -> super::generation::JobLabel {
        super::generation::JobLabel {
            id: self.id,
            plan_name: self.plan_name.clone(),
            quantity: self.quantity,
            export_type: self.export_type,
        }
    }

    pub fn of(job: &Job, plan_name: &str) -> Self {
        let result = (job.status == JobStatus::Completed).then(|| JobResult {
            count: job.quantity.into(),
            batch_id: job.batch_id.map(|id| ids::public_id(ids::BATCH, id)).unwrap_or_default(),
        });
        let error = (job.status == JobStatus::Failed).then(|| JobError {
            code: job.error_code.clone().unwrap_or_default(),
            message: job.error_message.clone().unwrap_or_default(),
        });
        Self {
            id: job.id,
            job_id: ids::public_id(ids::JOB, job.id),
            tool_name: job.tool_name.clone(),
            status: job.status,
            result,
            error,
            started_at: job.started_at,
            completed_at: job.completed_at,
            plan_name: plan_name.to_owned(),
            quantity: job.quantity.into(),
            export_type: job.export_type,
            expires_at: job.expires_at,
            delivered: job.delivered_count.into(),
            enqueued_at: job.enqueued_at,
        }
    }
}

/// A job started by `creator`; any other job is not found, so existence never leaks.
pub async fn job_of_creator(db: &Db, creator: &Creator, job_id: &str) -> Result<JobView, DomainError> {
    let id = ids::parse_public_id(ids::JOB, job_id).ok_or(DomainError::not_found("job"))?;
    let job = db.find_job(id).await?.filter(|job| job.creator_id == creator.id).ok_or(DomainError::not_found("job"))?;
    let plan = db.find_plan(job.plan_id).await?.ok_or(DomainError::not_found("plan"))?;
    Ok(JobView::of(&job, &plan.name))
}

pub async fn recent_jobs(db: &Db, creator: &Creator) -> Result<Vec<JobView>, DomainError> {
    let plan_names: HashMap<Uuid, String> =
        db.list_plans(creator.team_id).await?.into_iter().map(|plan| (plan.id, plan.name)).collect();
    let jobs = db.recent_jobs_of_creator(creator.id, RECENT_JOBS).await?;
    Ok(jobs.iter().map(|job| JobView::of(job, plan_names.get(&job.plan_id).map_or("", String::as_str))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_failed_deliveries_may_be_retried() {
        let retryable: Vec<_> = JobStatus::ALL.iter().filter(|s| s.may_retry_delivery()).collect();
        assert_eq!(retryable, [&JobStatus::Failed]);
    }

    #[test]
    fn a_job_fails_after_its_fifth_take_over() {
        assert!(!attempts_exhausted(MAX_JOB_ATTEMPTS));
        assert!(attempts_exhausted(MAX_JOB_ATTEMPTS + 1));
    }
}
