//! How a generation job stands, as creators and agents see it.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{DomainError, ids};
use crate::db::Db;
use crate::db::generation::{Job, job_status};
use crate::db::teams::Creator;

const RECENT_JOBS: u64 = 10;

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
    pub job_id: String,
    pub tool_name: String,
    pub status: String,
    pub result: Option<JobResult>,
    pub error: Option<JobError>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub plan_name: String,
    #[serde(skip)]
    pub quantity: i64,
    #[serde(skip)]
    pub export_type: String,
    #[serde(skip)]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub delivered: i64,
    #[serde(skip)]
    pub enqueued_at: DateTime<Utc>,
}

impl JobView {
    pub fn of(job: &Job, plan_name: &str) -> Self {
        let result = (job.status == job_status::COMPLETED).then(|| JobResult {
            count: job.quantity.into(),
            batch_id: job.batch_id.map(|id| ids::public_id(ids::BATCH, id)).unwrap_or_default(),
        });
        let error = (job.status == job_status::FAILED).then(|| JobError {
            code: job.error_code.clone().unwrap_or_default(),
            message: job.error_message.clone().unwrap_or_default(),
        });
        Self {
            job_id: ids::public_id(ids::JOB, job.id),
            tool_name: job.tool_name.clone(),
            status: job.status.clone(),
            result,
            error,
            started_at: job.started_at,
            completed_at: job.completed_at,
            plan_name: plan_name.to_owned(),
            quantity: job.quantity.into(),
            export_type: job.export_type.clone(),
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
    let plan_name = db.find_plan(job.plan_id).await?.map(|plan| plan.name).unwrap_or_default();
    Ok(JobView::of(&job, &plan_name))
}

pub async fn recent_jobs(db: &Db, creator: &Creator) -> Result<Vec<JobView>, DomainError> {
    let plan_names: HashMap<Uuid, String> =
        db.list_plans(creator.team_id).await?.into_iter().map(|plan| (plan.id, plan.name)).collect();
    let jobs = db.recent_jobs_of_creator(creator.id, RECENT_JOBS).await?;
    Ok(jobs.iter().map(|job| JobView::of(job, plan_names.get(&job.plan_id).map_or("", String::as_str))).collect())
}
