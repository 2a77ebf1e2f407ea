//! The background worker: claims generation jobs, stores their codes, delivers them into the creator's chat
//! and records how each job ended. Also home of the other background tasks.
pub mod access_sweeper;
pub mod expiry_sweeper;
pub mod notifier;
mod progress;
pub mod usage_reporter;
pub mod webhook_sender;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{ChatId, InputFile};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::config::WorkerSettings;
use crate::db::Db;
use crate::db::generation::{BatchStore, Job};
use crate::domain::DomainError;
use crate::domain::access_code::AccessCode;
use crate::domain::clock::now;
use crate::domain::generation::JobLabel;
use crate::domain::generation::{ExportType, draw_batch};
use crate::domain::ids;
use crate::domain::jobs::{DELIVERY_FAILED, MAX_JOB_ATTEMPTS, attempts_exhausted};
use crate::domain::secret::InstanceSecret;
use crate::i18n::Lang;
use crate::telegram::{self, Priority, SendError, SendFailure, TgBot};
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

/// Claims jobs and runs each in a task of its own until `shutdown` turns true. Drawing and storing codes
/// takes one of `settings.concurrency` generation slots; delivering takes one of `settings.max_deliveries`
/// delivery slots and no generation slot, so jobs that mostly wait on a chat's pace hold nobody up.
/// A job in the middle of delivery finishes its current send, then goes back to the queue.
pub async fn run(context: WorkerContext, instance_id: String, mut shutdown: watch::Receiver<bool>) {
    let generation_slots = Arc::new(Semaphore::new(context.settings.concurrency));
    let delivery_slots = Arc::new(Semaphore::new(context.settings.max_deliveries));
    let idle_poll = (context.settings.lease / 4).clamp(Duration::from_millis(100), Duration::from_secs(5));
    let mut jobs = JoinSet::new();
    let mut claims = 0u64;
    while !*shutdown.borrow() {
        let slots = tokio::select! {
            slots = async {
                let delivery = delivery_slots.clone().acquire_owned().await;
                (delivery, generation_slots.clone().acquire_owned().await)
            } => slots,
            _ = shutdown.changed() => break,
        };
        let (Ok(delivery_slot), Ok(generation_slot)) = slots else { break };
        claims += 1;
        let worker_id = format!("{instance_id}/{claims}");
        let claimed = {
            let at = now();
            let stale_before = at - chrono::Duration::from_std(context.settings.lease).unwrap_or_default();
            context.db.claim_next_job(&worker_id, at, stale_before).await
        };
        match claimed {
            Ok(Some(job)) => {
                log::info!("{worker_id} took job {} (attempt {})", job.id, job.attempts);
                let slots = JobSlots { generation: Some(generation_slot), _delivery: delivery_slot };
                jobs.spawn(run_job(context.clone(), worker_id, job, slots, shutdown.clone()));
            }
            Ok(None) => {
                drop((delivery_slot, generation_slot));
                tokio::select! {
                    _ = context.wake.notified() => {}
                    _ = tokio::time::sleep(idle_poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
            Err(error) => {
                drop((delivery_slot, generation_slot));
                DomainError::internal(&format!("{worker_id} claiming jobs"), error);
                pause(idle_poll * 4, &mut shutdown).await;
            }
        }
        while let Some(finished) = jobs.try_join_next() {
            if let Err(error) = finished {
                log::error!("a job task stopped abnormally: {error}");
            }
        }
    }
    while let Some(finished) = jobs.join_next().await {
        if let Err(error) = finished {
            log::error!("a job task stopped abnormally: {error}");
        }
    }
    log::info!("the worker stopped");
}

/// The slots a running job holds: generation until its codes are stored, delivery until it ends.
struct JobSlots {
    generation: Option<OwnedSemaphorePermit>,
    _delivery: OwnedSemaphorePermit,
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

async fn run_job(
    context: WorkerContext,
    worker_id: String,
    job: Job,
    slots: JobSlots,
    shutdown: watch::Receiver<bool>,
) {
    let heartbeat = spawn_heartbeat(&context, &worker_id, &job);
    let job_id = job.id;
    let outcome = crate::logging::within(crate::logging::LogContext::Job(job_id), async {
        match JobRun::new(&context, &worker_id, job, slots, &shutdown).await {
            Ok(run) => run.run().await,
            Err(error) => Err(error),
        }
    })
    .await;
    heartbeat.abort();
    if let Err(error) = outcome {
        // The job stays leased; once its lease runs out it is taken over and tried again.
        log::error!("{worker_id} stopped job {job_id} on an internal error: {error}");
    }
    // Another job for the same chat may have waited for this one.
    context.wake.notify_one();
}

/// Why delivery stopped for good.
#[derive(Debug)]
enum DeliveryFailure {
    Send(SendFailure),
    /// Telegram answered nothing (network errors, 5xx) for this long, the outage tolerance.
    TelegramSilent(Duration),
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
            Self::TelegramSilent(waited) => lang.t_with(
                "delivery-failed-telegram-silent",
                &[("waited", crate::views::format::about_duration(lang, waited.as_secs() as i64).into())],
            ),
            Self::CodesNoLongerHeld => lang.t("delivery-failed-codes-gone"),
            Self::TooManyAttempts => {
                lang.t_with("delivery-failed-too-many-attempts", &[("attempts", MAX_JOB_ATTEMPTS.into())])
            }
        }
    }
}

enum Delivery {
    /// `sent` codes went out; `revoked` were revoked before their turn and left out.
    Delivered {
        sent: i64,
        revoked: i64,
    },
    Failed(DeliveryFailure),
    /// Shutdown was asked for; the job goes back to the queue where it stands.
    Interrupted,
    LeaseLost,
}

struct JobRun<'a> {
    context: &'a WorkerContext,
    worker_id: &'a str,
    job: Job,
    slots: JobSlots,
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
        slots: JobSlots,
        shutdown: &'a watch::Receiver<bool>,
    ) -> Result<Self, DomainError> {
        let creator = context.db.find_creator(job.creator_id).await?;
        let lang = Lang::from_code(creator.as_ref().and_then(|c| c.language_code.as_deref()));
        let plan = context.db.find_plan(job.plan_id).await?.ok_or(DomainError::not_found("plan"))?;
        let status = StatusMessage::new(
            context.bot.clone(),
            context.db.clone(),
            JobLabel::of(&job, &plan.name),
            job.delivery_chat_id,
            job.status_message_id,
            lang.clone(),
            context.settings.progress_edit_interval,
        );
        Ok(Self { context, worker_id, job, slots, shutdown, lang, plan_name: plan.name, status })
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
        // Waiting on the chat's pace holds no generation slot.
        self.slots.generation = None;
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
            Delivery::Delivered { sent, revoked } => {
                if db.complete_job(self.job.id, self.worker_id, batch_id, sent as i32, now()).await? {
                    log::info!(
                        "job {} completed: {sent} codes delivered, {revoked} revoked ones left out",
                        self.job.id
                    );
                    self.context.bot.metrics().add("accessbot_codes_delivered_total", &[], sent as f64);
                    self.status.show(Stage::Done { count: sent, revoked }).await;
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
                    self.context.bot.metrics().add(
                        "accessbot_codes_generated_total",
                        &[],
                        f64::from(self.job.quantity),
                    );
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

    /// The batch's codes from `from` on with their ids (None for one revoked before its turn), or None when
    /// one that is still to go out is no longer held in the clear.
    async fn pending_codes(
        &self,
        batch_id: Uuid,
        from: i32,
    ) -> Result<Option<Vec<(Uuid, Option<AccessCode>)>>, DomainError> {
        let rows = self.context.db.codes_to_deliver(batch_id, from).await?;
        Ok(rows
            .iter()
            .map(|row| {
                if row.revoked {
                    return Some((row.id, None));
                }
                let sealed = row.sealed_code.as_deref()?;
                let code = AccessCode::parse(&self.context.secret.unseal(row.id.as_bytes(), sealed)?)?;
                Some((row.id, Some(code)))
            })
            .collect())
    }

    async fn deliver_file(&mut self, batch_id: Uuid) -> Result<Delivery, DomainError> {
        let total = i64::from(self.job.quantity);
        if i64::from(self.job.delivered_count) >= total {
            return Ok(Delivery::Delivered { sent: total, revoked: 0 });
        }
        let Some(pending) = self.pending_codes(batch_id, 0).await? else {
            return Ok(Delivery::Failed(DeliveryFailure::CodesNoLongerHeld));
        };
        let codes: Vec<AccessCode> = pending.into_iter().filter_map(|(_, code)| code).collect();
        let (sent, revoked) = (codes.len() as i64, total - codes.len() as i64);
        if codes.is_empty() {
            return Ok(Delivery::Delivered { sent, revoked });
        }
        self.status.show(Stage::Delivering { done: 0, total, seconds_left: None }).await;
        let batch_public_id = ids::public_id(ids::BATCH, batch_id);
        let (plan, bot_username) = (&self.plan_name, &self.context.bot_username);
        let document = view::csv_document(&codes, plan, self.job.expires_at, &batch_public_id, bot_username);
        let file_name = view::csv_file_name(plan, &batch_public_id);
        let caption = view::csv_caption(&self.lang, sent, plan, self.job.expires_at);
        let chat = ChatId(self.job.delivery_chat_id);
        let bot = self.context.bot.clone();
        // The creator is waiting for this one file: it goes before queued code messages.
        let delivered = self
            .send_with_retries(chat, Priority::Interactive, "sendDocument", (0, total), || {
                bot.api()
                    .send_document(chat, InputFile::memory(document.clone()).file_name(file_name.clone()))
                    .caption(caption.clone())
                    .into_future()
            })
            .await;
        Ok(match delivered {
            Ok(_) => Delivery::Delivered { sent, revoked },
            Err(stopped) => stopped,
        })
    }

    async fn deliver_messages(&mut self, batch_id: Uuid) -> Result<Delivery, DomainError> {
        let total = i64::from(self.job.quantity);
        let from = self.job.delivered_count;
        let Some(codes) = self.pending_codes(batch_id, from).await? else {
            return Ok(Delivery::Failed(DeliveryFailure::CodesNoLongerHeld));
        };
        let chat = ChatId(self.job.delivery_chat_id);
        let mut revoked = 0;
        for (delivered, (code_id, code)) in (i64::from(from)..).zip(codes) {
            if *self.shutdown.borrow() {
                return Ok(Delivery::Interrupted);
            }
            // Looked at again just before its turn: a revocation meanwhile (a whole batch, say) keeps it back.
            let code = match code {
                Some(code) if !self.context.db.is_code_revoked(code_id).await? => code,
                _ => {
                    revoked += 1;
                    continue;
                }
            };
            self.status.show(Stage::Delivering { done: delivered, total, seconds_left: None }).await;
            let message = view::code_message(&self.lang, &code, &self.context.bot_username);
            let bot = self.context.bot.clone();
            let send = || {
                let (bot, message) = (bot.clone(), message.clone());
                async move { telegram::send_in_turn(&bot, chat, message).await }
            };
            if let Err(stopped) =
                self.send_with_retries(chat, Priority::Bulk, "sendMessage", (delivered, total), send).await
            {
                return Ok(stopped);
            }
            match self.record_progress((delivered + 1) as i32).await {
                Some(true) => {}
                Some(false) => return Ok(Delivery::LeaseLost),
                None => return Ok(Delivery::Interrupted),
            }
        }
        // Codes left out before a restart are counted as sent: the summary only knows this run's.
        Ok(Delivery::Delivered { sent: total - revoked, revoked })
    }

    /// Records that `delivered` codes went out, trying again while the database fails (locked, say): the
    /// code is out, and giving up here would send it again. Whether this worker still holds the job; None
    /// when a stop came first.
    async fn record_progress(&self, delivered: i32) -> Option<bool> {
        let mut pause_for = Duration::from_millis(100);
        let mut shutdown = self.shutdown.clone();
        loop {
            match self.context.db.record_delivery_progress(self.job.id, self.worker_id, delivered, now()).await {
                Ok(held) => return Some(held),
                Err(error) => {
                    DomainError::internal("recording delivery progress", error);
                    pause(pause_for, &mut shutdown).await;
                    if *shutdown.borrow() {
                        return None;
                    }
                    pause_for = (pause_for * 2).min(Duration::from_secs(2));
                }
            }
        }
    }

    /// Sends in turn with the chat's pace, waiting out 429s and retrying network and server errors with
    /// capped exponential backoff for as long as the outage tolerance allows. `progress` is (done, total),
    /// shown while Telegram is not answering.
    async fn send_with_retries<T, F, Fut>(
        &mut self,
        chat: ChatId,
        priority: Priority,
        method: &str,
        (done, total): (i64, i64),
        mut send: F,
    ) -> Result<T, Delivery>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, RequestError>>,
    {
        let settings = self.context.settings.clone();
        let bot = self.context.bot.clone();
        let mut shutdown = self.shutdown.clone();
        let (mut failures, mut waits, mut failing_since) = (0u32, 0u32, None::<tokio::time::Instant>);
        loop {
            // A turn may be seconds away (a long line, or a chat Telegram asked to keep quiet): a stop
            // does not wait for it, since nothing has been sent yet.
            tokio::select! {
                _ = bot.wait_turn(chat, priority) => {}
                Ok(_) = shutdown.wait_for(|stop| *stop) => return Err(Delivery::Interrupted),
            }
            let sent = send().await;
            bot.metrics().telegram_request(method, telegram::outcome_label(&sent));
            let error = match sent {
                Ok(sent) => return Ok(sent),
                Err(error) => error,
            };
            match telegram::classify(&error) {
                SendError::WaitThenRetry(delay) if waits < MAX_RETRY_AFTER_WAITS => {
                    waits += 1;
                    log::info!("Telegram asked to wait {delay:?} (job {})", self.job.id);
                    bot.hold_chat(chat, delay);
                }
                SendError::WaitThenRetry(_) => return Err(unreachable(&error)),
                SendError::Retry => {
                    let since = *failing_since.get_or_insert_with(tokio::time::Instant::now);
                    let silent = since.elapsed();
                    if silent >= settings.outage_tolerance {
                        log::warn!("Telegram did not answer for {silent:?}; job {} fails: {error}", self.job.id);
                        return Err(Delivery::Failed(DeliveryFailure::TelegramSilent(settings.outage_tolerance)));
                    }
                    failures += 1;
                    if failures == 1 {
                        self.status.show(Stage::TelegramNotAnswering { done, total }).await;
                    }
                    // The last try comes when the tolerance runs out, not a whole backoff step after it.
                    let delay = settings
                        .retry_base_delay
                        .saturating_mul(2u32.saturating_pow(failures - 1))
                        .min(settings.retry_max_delay)
                        .min(settings.outage_tolerance - silent);
                    log::warn!("a send failed ({error}); try {failures}, next in {delay:?} (job {})", self.job.id);
                    pause(delay, &mut shutdown).await;
                    if *shutdown.borrow() {
                        return Err(Delivery::Interrupted);
                    }
                }
                SendError::GiveUp(failure) => return Err(Delivery::Failed(DeliveryFailure::Send(failure))),
            }
        }
    }
}

fn unreachable(error: &RequestError) -> Delivery {
    Delivery::Failed(DeliveryFailure::Send(SendFailure::Unreachable(error.to_string())))
}
