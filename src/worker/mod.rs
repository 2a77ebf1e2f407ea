//! The background worker: claims generation jobs, stores their codes, delivers them into the creator's chat
//! and records how each job ended. Also home of the other background tasks.
pub mod access_sweeper;
pub mod expiry_sweeper;
mod progress;
pub mod usage_reporter;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{ChatId, InputFile};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::config::WorkerSettings;
use crate::db::Db;
use crate::db::generation::{BatchStore, Job};
use crate::domain::DomainError;
use crate::domain::access_code::AccessCode;
use crate::domain::clock::now;
use crate::domain::generation::{ExportType, draw_batch};
use crate::domain::ids;
use crate::domain::jobs::{DELIVERY_FAILED, MAX_JOB_ATTEMPTS, attempts_exhausted};
use crate::domain::secret::InstanceSecret;
use crate::i18n::Lang;
use crate::telegram::{self, SendError, SendFailure, TgBot};
use crate::views::generate::{self as view, Stage};
use progress::StatusMessage;

const MAX_BATCH_DRAWS: usize = 5;
const MAX_RETRY_AFTER_WAITS: u32 = 100;

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

/// Waits `every`, or less when `shutdown` changes.
pub(crate) async fn pause(every: Duration, shutdown: &mut watch::Receiver<bool>) {
    tokio::select! {
        _ = tokio::time::sleep(every) => {}
        _ = shutdown.changed() => {}
    }
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
    log::info!("the worker stopped");
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
                log::info!("{worker_id} took job {} (attempt {})", job.id, job.attempts);
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
                DomainError::internal(&format!("{worker_id} claiming jobs"), error);
                pause(idle_poll * 4, &mut shutdown).await;
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
                Err(error) => log::warn!("the heartbeat of job {job_id} failed: {error}"),
            }
        }
    })
    .abort_handle()
}

async fn run_job(context: &WorkerContext, worker_id: &str, job: Job, shutdown: &watch::Receiver<bool>) {
    let heartbeat = spawn_heartbeat(context, worker_id, &job);
    let job_id = job.id;
    let outcome = match JobRun::new(context, worker_id, job, shutdown).await {
        Ok(run) => run.run().await,
        Err(error) => Err(error),
    };
    heartbeat.abort();
    if let Err(error) = outcome {
        // The job stays leased; once its lease runs out it is taken over and tried again.
        log::error!("{worker_id} stopped job {job_id} on an internal error: {error}");
    }
}

/// Why delivery stopped for good.
#[derive(Debug)]
enum DeliveryFailure {
    Send(SendFailure),
    CodesNoLongerHeld,
    TooManyAttempts,
}

impl DeliveryFailure {
    fn message(&self, lang: &Lang) -> String {
        match self {
            Self::Send(SendFailure::Blocked) => lang.t("delivery-failed-blocked"),
            Self::Send(SendFailure::ChatGone) => lang.t("delivery-failed-chat-gone"),
            Self::Send(SendFailure::Rejected(reason)) => {
                lang.t_with("delivery-failed-rejected", &[("reason", reason.as_str().into())])
            }
            Self::Send(SendFailure::Unreachable(reason)) => {
                lang.t_with("delivery-failed-unreachable", &[("reason", reason.as_str().into())])
            }
            Self::CodesNoLongerHeld => lang.t("delivery-failed-codes-gone"),
            Self::TooManyAttempts => {
                lang.t_with("delivery-failed-too-many-attempts", &[("attempts", MAX_JOB_ATTEMPTS.into())])
            }
        }
    }
}

enum Delivery {
    Delivered(i64),
    Failed(DeliveryFailure),
    /// Shutdown was asked for; the job goes back to the queue where it stands.
    Interrupted,
    LeaseLost,
}

struct JobRun<'a> {
    context: &'a WorkerContext,
    worker_id: &'a str,
    job: Job,
    shutdown: &'a watch::Receiver<bool>,
    lang: Lang,
    plan_name: String,
    status: StatusMessage,
}

impl<'a> JobRun<'a> {
    async fn new(
        context: &'a WorkerContext,
        worker_id: &'a str,
        job: Job,
        shutdown: &'a watch::Receiver<bool>,
    ) -> Result<Self, DomainError> {
        let creator = context.db.find_creator(job.creator_id).await?;
        let lang = Lang::from_code(creator.as_ref().and_then(|c| c.language_code.as_deref()));
        let plan = context.db.find_plan(job.plan_id).await?.ok_or(DomainError::not_found("plan"))?;
        let status = StatusMessage::new(
            context.bot.clone(),
            context.db.clone(),
            job.id,
            job.delivery_chat_id,
            job.status_message_id,
            lang.clone(),
            context.settings.progress_edit_interval,
        );
        Ok(Self { context, worker_id, job, shutdown, lang, plan_name: plan.name, status })
    }

    async fn run(mut self) -> Result<(), DomainError> {
        if attempts_exhausted(self.job.attempts) {
            let batch_id = self.job.batch_id.unwrap_or_default();
            return self.finish(batch_id, Delivery::Failed(DeliveryFailure::TooManyAttempts)).await;
        }
        let batch_id = match self.job.batch_id {
            Some(batch_id) => batch_id,
            None => match self.generate().await? {
                Some(batch_id) => batch_id,
                None => return Ok(()),
            },
        };
        let outcome = match self.job.export_type {
            ExportType::File => self.deliver_file(batch_id).await?,
            ExportType::Messages => self.deliver_messages(batch_id).await?,
        };
        self.finish(batch_id, outcome).await
    }

    /// Records how the job ended and shows it in the chat.
    async fn finish(&mut self, batch_id: Uuid, outcome: Delivery) -> Result<(), DomainError> {
        let db = &self.context.db;
        match outcome {
            Delivery::Delivered(count) => {
                if db.complete_job(self.job.id, self.worker_id, batch_id, count as i32, now()).await? {
                    log::info!("job {} completed: {count} codes delivered", self.job.id);
                    self.status.show(Stage::Done { count }).await;
                }
            }
            Delivery::Failed(failure) => {
                let message = failure.message(&Lang::default());
                log::warn!("job {} failed: {failure:?}", self.job.id);
                if db.fail_job(self.job.id, self.worker_id, DELIVERY_FAILED, &message, now()).await? {
                    let shown = failure.message(&self.lang);
                    self.status.show(Stage::Failed { reason: &shown }).await;
                }
            }
            Delivery::Interrupted => {
                db.release_job(self.job.id, self.worker_id, now()).await?;
                log::info!("job {} handed back to the queue at shutdown", self.job.id);
            }
            Delivery::LeaseLost => log::warn!("job {} was taken over by another worker", self.job.id),
        }
        Ok(())
    }

    /// Draws and stores the batch; None when the lease was lost.
    async fn generate(&mut self) -> Result<Option<Uuid>, DomainError> {
        self.status.show(Stage::Generating).await;
        for _ in 0..MAX_BATCH_DRAWS {
            let (batch, codes, event) = draw_batch(&self.context.secret, &self.job, now());
            let batch_id = batch.id;
            match self.context.db.store_batch(self.worker_id, batch, codes, event).await? {
                BatchStore::Stored => {
                    self.job.batch_id = Some(batch_id);
                    return Ok(Some(batch_id));
                }
                BatchStore::Collision => {
                    log::warn!("a drawn code already existed; drawing job {}'s batch again", self.job.id)
                }
                BatchStore::LeaseLost => return Ok(None),
            }
        }
        Err(DomainError::internal("drawing a batch", "no batch of unique codes in five draws"))
    }

    /// The batch's codes from `from` on, or None when one of them is no longer held in the clear.
    async fn pending_codes(&self, batch_id: Uuid, from: i32) -> Result<Option<Vec<AccessCode>>, DomainError> {
        let rows = self.context.db.codes_to_deliver(batch_id, from).await?;
        Ok(rows
            .iter()
            .map(|row| {
                let sealed = row.sealed_code.as_deref()?;
                AccessCode::parse(&self.context.secret.unseal(row.id.as_bytes(), sealed)?)
            })
            .collect())
    }

    async fn deliver_file(&mut self, batch_id: Uuid) -> Result<Delivery, DomainError> {
        let total = i64::from(self.job.quantity);
        if i64::from(self.job.delivered_count) >= total {
            return Ok(Delivery::Delivered(total));
        }
        let Some(codes) = self.pending_codes(batch_id, 0).await? else {
            return Ok(Delivery::Failed(DeliveryFailure::CodesNoLongerHeld));
        };
        self.status.show(Stage::Delivering { done: 0, total, seconds_left: None }).await;
        let batch_public_id = ids::public_id(ids::BATCH, batch_id);
        let (plan, bot_username) = (&self.plan_name, &self.context.bot_username);
        let document = view::csv_document(&codes, plan, self.job.expires_at, &batch_public_id, bot_username);
        let file_name = view::csv_file_name(plan, &batch_public_id);
        let caption = view::csv_caption(&self.lang, total, plan, self.job.expires_at);
        let chat = ChatId(self.job.delivery_chat_id);
        let bot = self.context.bot.clone();
        let sent = self
            .send_with_retries(|| {
                bot.send_document(chat, InputFile::memory(document.clone()).file_name(file_name.clone()))
                    .caption(caption.clone())
                    .into_future()
            })
            .await;
        Ok(match sent {
            Ok(_) => Delivery::Delivered(total),
            Err(failure) => Delivery::Failed(DeliveryFailure::Send(failure)),
        })
    }

    async fn deliver_messages(&mut self, batch_id: Uuid) -> Result<Delivery, DomainError> {
        let total = i64::from(self.job.quantity);
        let from = self.job.delivered_count;
        let Some(codes) = self.pending_codes(batch_id, from).await? else {
            return Ok(Delivery::Failed(DeliveryFailure::CodesNoLongerHeld));
        };
        let chat = ChatId(self.job.delivery_chat_id);
        for (delivered, code) in (i64::from(from)..).zip(codes) {
            if *self.shutdown.borrow() {
                return Ok(Delivery::Interrupted);
            }
            self.status.show(Stage::Delivering { done: delivered, total, seconds_left: None }).await;
            let message = view::code_message(&self.lang, &code, &self.context.bot_username);
            let bot = &self.context.bot;
            if let Err(failure) = self.send_with_retries(|| telegram::send(bot, chat, message.clone())).await {
                return Ok(Delivery::Failed(DeliveryFailure::Send(failure)));
            }
            let progressed = self
                .context
                .db
                .record_delivery_progress(self.job.id, self.worker_id, (delivered + 1) as i32, now())
                .await?;
            if !progressed {
                return Ok(Delivery::LeaseLost);
            }
        }
        Ok(Delivery::Delivered(total))
    }

    /// Sends, waiting out 429s and retrying network and server errors with exponential backoff.
    async fn send_with_retries<T, F, Fut>(&self, mut send: F) -> Result<T, SendFailure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, RequestError>>,
    {
        let settings = &self.context.settings;
        let (mut failures, mut waits) = (0u32, 0u32);
        loop {
            let error = match send().await {
                Ok(sent) => return Ok(sent),
                Err(error) => error,
            };
            match telegram::classify(&error) {
                SendError::WaitThenRetry(delay) if waits < MAX_RETRY_AFTER_WAITS => {
                    waits += 1;
                    log::info!("Telegram asked to wait {delay:?} (job {})", self.job.id);
                    tokio::time::sleep(delay).await;
                }
                SendError::WaitThenRetry(_) => return Err(SendFailure::Unreachable(error.to_string())),
                SendError::Retry => {
                    failures += 1;
                    if failures >= settings.delivery_attempts {
                        return Err(SendFailure::Unreachable(error.to_string()));
                    }
                    let delay = settings.retry_base_delay * 2u32.saturating_pow(failures - 1);
                    log::warn!("a send failed ({error}); try {failures}, next in {delay:?}");
                    tokio::time::sleep(delay).await;
                }
                SendError::GiveUp(failure) => return Err(failure),
            }
        }
    }
}
