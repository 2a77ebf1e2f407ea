//! The background worker: claims generation jobs, generates their codes and delivers them.
pub mod billing;
mod deliver;
pub mod generate;
mod progress;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use crate::bot::TgBot;
use crate::config::WorkerSettings;
use crate::db::Db;
use crate::db::generation::Job;
use crate::domain::clock::now;
use crate::domain::secret::InstanceSecret;

/// Everything a worker needs to run jobs.
#[derive(Clone)]
pub struct WorkerContext {
    pub db: Db,
    pub bot: TgBot,
    pub secret: InstanceSecret,
    pub bot_username: String,
    pub settings: WorkerSettings,
    pub wake: Arc<Notify>,
}

/// Runs `settings.concurrency` job loops until `shutdown` turns true.
/// A loop in the middle of a job finishes its current send, then hands the job back to the queue.
pub async fn run(context: WorkerContext, instance_id: String, shutdown: watch::Receiver<bool>) {
    let mut loops = JoinSet::new();
    for n in 0..context.settings.concurrency {
        let worker_id = format!("{instance_id}/{n}");
        loops.spawn(job_loop(context.clone(), worker_id, shutdown.clone()));
    }
    while loops.join_next().await.is_some() {}
    log::info!("accessbot::worker stopped");
}

async fn job_loop(context: WorkerContext, worker_id: String, mut shutdown: watch::Receiver<bool>) {
    let idle_poll = (context.settings.lease / 4).clamp(Duration::from_millis(100), Duration::from_secs(5));
    while !*shutdown.borrow() {
        let claimed = {
            let at = now();
            let stale_before = at - chrono::Duration::from_std(context.settings.lease).unwrap_or_default();
            context.db.claim_next_job(&worker_id, at, stale_before).await
        };
        match claimed {
            Ok(Some(job)) => {
                log::info!("accessbot::worker {worker_id} took job {} (attempt {})", job.id, job.attempts);
                run_job(&context, &worker_id, job, &shutdown).await;
            }
            Ok(None) => {
                tokio::select! {
                    _ = context.wake.notified() => {}
                    _ = tokio::time::sleep(idle_poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
            Err(error) => {
                log::error!("accessbot::worker {worker_id} cannot claim jobs: {error}");
                tokio::select! {
                    _ = tokio::time::sleep(idle_poll * 4) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }
}

/// Keeps the job's lease alive while it runs.
fn spawn_heartbeat(context: &WorkerContext, worker_id: &str, job: &Job) -> tokio::task::AbortHandle {
    let db = context.db.clone();
    let (worker_id, job_id) = (worker_id.to_owned(), job.id);
    let every = (context.settings.lease / 3).max(Duration::from_millis(50));
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            match db.heartbeat_job(job_id, &worker_id, now()).await {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => log::warn!("accessbot::worker heartbeat for job {job_id} failed: {error}"),
            }
        }
    })
    .abort_handle()
}

async fn run_job(context: &WorkerContext, worker_id: &str, job: Job, shutdown: &watch::Receiver<bool>) {
    let heartbeat = spawn_heartbeat(context, worker_id, &job);
    let outcome = deliver::JobRun::new(context, worker_id, job, shutdown).await.run().await;
    heartbeat.abort();
    if let Err(error) = outcome {
        log::error!("accessbot::worker {worker_id} job stopped on an internal error: {error}");
    }
}
