//! Running one claimed job: generate its batch if needed, deliver it, and record the outcome.
use std::future::Future;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{ChatId, InputFile};
use teloxide::{ApiError, RequestError};
use tokio::sync::watch;
use uuid::Uuid;

use super::WorkerContext;
use super::generate::draw_batch;
use super::progress::{Stage, StatusMessage};
use crate::bot::replies;
use crate::db::DbError;
use crate::db::generation::{BatchStore, Job};
use crate::domain::clock::now;
use crate::domain::codes::AccessCode;
use crate::domain::generation::ExportType;
use crate::domain::ids;
use crate::i18n::{Arg, Lang};

pub const DELIVERY_FAILED: &str = "DELIVERY_FAILED";
const MAX_BATCH_DRAWS: usize = 5;
const MAX_RETRY_AFTER_WAITS: u32 = 100;
/// A job taken over this many times keeps killing its workers; it fails instead of looping forever.
pub const MAX_JOB_ATTEMPTS: i32 = 5;

/// Why delivery stopped for good.
#[derive(Debug)]
enum DeliveryFailure {
    Blocked,
    ChatGone,
    Rejected(String),
    Unreachable(String),
    CodesNoLongerHeld,
    TooManyAttempts,
}

impl DeliveryFailure {
    fn message(&self, lang: &Lang) -> String {
        match self {
            Self::Blocked => lang.t("delivery-failed-blocked"),
            Self::ChatGone => lang.t("delivery-failed-chat-gone"),
            Self::Rejected(reason) => lang.t_with("delivery-failed-rejected", &[("reason", reason.as_str().into())]),
            Self::Unreachable(reason) => {
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

enum Attempt {
    WaitThenRetry(Duration),
    Retry,
    GiveUp(DeliveryFailure),
}

fn classify(error: &RequestError) -> Attempt {
    match error {
        RequestError::RetryAfter(seconds) => Attempt::WaitThenRetry(seconds.duration()),
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => Attempt::Retry,
        RequestError::MigrateToChatId(_) => Attempt::GiveUp(DeliveryFailure::ChatGone),
        RequestError::Api(api) => match api {
            ApiError::BotBlocked | ApiError::UserDeactivated | ApiError::CantInitiateConversation => {
                Attempt::GiveUp(DeliveryFailure::Blocked)
            }
            ApiError::ChatNotFound
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::BotKickedFromChannel => Attempt::GiveUp(DeliveryFailure::ChatGone),
            ApiError::Unknown(text) if is_server_side(text) => Attempt::Retry,
            other => Attempt::GiveUp(DeliveryFailure::Rejected(other.to_string())),
        },
    }
}

fn is_server_side(description: &str) -> bool {
    ["Internal Server Error", "Bad Gateway", "Service Unavailable", "Gateway Timeout", "restart"]
        .iter()
        .any(|needle| description.contains(needle))
}

/// Builds the CSV of a batch: RFC 4180, CRLF line ends, cells that could start a formula neutralised.
fn csv_document(
    codes: &[AccessCode],
    plan_name: &str,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    batch_public_id: &str,
    bot_username: &str,
) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let expires = expires_at.map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_default();
    let plan = neutralise_formula(plan_name);
    writer.write_record(["code", "plan", "expires_at", "batch_id", "redeem_link"]).expect("writing to memory");
    for code in codes {
        writer
            .write_record([
                neutralise_formula(&code.display()).as_str(),
                plan.as_str(),
                expires.as_str(),
                batch_public_id,
                neutralise_formula(&code.redeem_link(bot_username)).as_str(),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

fn neutralise_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@']) { format!("'{cell}") } else { cell.to_owned() }
}

fn file_name_part(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() { "plan".to_owned() } else { slug.chars().take(40).collect() }
}

pub struct JobRun<'a> {
    context: &'a WorkerContext,
    worker_id: &'a str,
    job: Job,
    shutdown: &'a watch::Receiver<bool>,
    lang: Lang,
    plan_name: String,
    status: StatusMessage,
}

impl<'a> JobRun<'a> {
    pub async fn new(
        context: &'a WorkerContext,
        worker_id: &'a str,
        job: Job,
        shutdown: &'a watch::Receiver<bool>,
    ) -> Self {
        let creator = context.db.find_creator(job.creator_id).await.ok().flatten();
        let lang = Lang::from_code(creator.as_ref().and_then(|c| c.language_code.as_deref()));
        let plan_name = context.db.find_plan(job.plan_id).await.ok().flatten().map(|p| p.name).unwrap_or_default();
        let status = StatusMessage::new(
            context.bot.clone(),
            context.db.clone(),
            job.id,
            ids::public_id(ids::JOB, job.id),
            job.delivery_chat_id,
            job.status_message_id,
            lang.clone(),
            context.settings.progress_edit_interval,
        );
        Self { context, worker_id, job, shutdown, lang, plan_name, status }
    }

    pub async fn run(mut self) -> Result<(), DbError> {
        if self.job.attempts > MAX_JOB_ATTEMPTS {
            return self
                .finish(self.job.batch_id.unwrap_or_default(), Delivery::Failed(DeliveryFailure::TooManyAttempts))
                .await;
        }
        let batch_id = match self.job.batch_id {
            Some(batch_id) => batch_id,
            None => match self.generate().await? {
                Some(batch_id) => batch_id,
                None => return Ok(()),
            },
        };
        let outcome = match ExportType::parse(&self.job.export_type) {
            Ok(ExportType::File) => self.deliver_file(batch_id).await?,
            Ok(ExportType::Messages) => self.deliver_messages(batch_id).await?,
            Err(_) => Delivery::Failed(DeliveryFailure::Rejected(self.job.export_type.clone())),
        };
        self.finish(batch_id, outcome).await
    }

    /// Records how the job ended and shows it in the chat.
    async fn finish(&mut self, batch_id: Uuid, outcome: Delivery) -> Result<(), DbError> {
        let db = &self.context.db;
        match outcome {
            Delivery::Delivered(count) => {
                if db.complete_job(self.job.id, self.worker_id, batch_id, count as i32, now()).await? {
                    log::info!("accessbot::worker job {} completed: {count} codes delivered", self.job.id);
                    self.status.show(Stage::Done { count }).await;
                }
            }
            Delivery::Failed(failure) => {
                let message = failure.message(&Lang::default());
                log::warn!("accessbot::worker job {} failed: {failure:?}", self.job.id);
                if db.fail_job(self.job.id, self.worker_id, DELIVERY_FAILED, &message, now()).await? {
                    let shown = failure.message(&self.lang);
                    self.status.show(Stage::Failed { reason: &shown }).await;
                }
            }
            Delivery::Interrupted => {
                db.release_job(self.job.id, self.worker_id, now()).await?;
                log::info!("accessbot::worker job {} handed back to the queue at shutdown", self.job.id);
            }
            Delivery::LeaseLost => {
                log::warn!("accessbot::worker job {} was taken over by another worker", self.job.id);
            }
        }
        Ok(())
    }

    /// Draws and stores the batch; None when the lease was lost.
    async fn generate(&mut self) -> Result<Option<Uuid>, DbError> {
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
                    log::warn!(
                        "accessbot::worker a drawn code already existed; drawing job {}'s batch again",
                        self.job.id
                    )
                }
                BatchStore::LeaseLost => return Ok(None),
            }
        }
        Err(DbError::Custom("could not draw a batch of unique codes".to_owned()))
    }

    async fn pending_codes(&self, batch_id: Uuid, from: i32) -> Result<Option<Vec<AccessCode>>, DbError> {
        let rows = self.context.db.codes_to_deliver(batch_id, from).await?;
        Ok(rows
            .iter()
            .map(|row| {
                let sealed = row.sealed_code.as_deref()?;
                AccessCode::parse(&self.context.secret.unseal(row.id.as_bytes(), sealed)?)
            })
            .collect())
    }

    async fn deliver_file(&mut self, batch_id: Uuid) -> Result<Delivery, DbError> {
        let total = i64::from(self.job.quantity);
        if i64::from(self.job.delivered_count) >= total {
            return Ok(Delivery::Delivered(total));
        }
        let Some(codes) = self.pending_codes(batch_id, 0).await? else {
            return Ok(Delivery::Failed(DeliveryFailure::CodesNoLongerHeld));
        };
        self.status.show(Stage::Delivering { done: 0, total }).await;
        let batch_public_id = ids::public_id(ids::BATCH, batch_id);
        let document =
            csv_document(&codes, &self.plan_name, self.job.expires_at, &batch_public_id, &self.context.bot_username);
        let file_name = format!("{}-{}.csv", file_name_part(&self.plan_name), batch_public_id);
        let caption = self.caption(total);
        let chat = ChatId(self.job.delivery_chat_id);
        let bot = self.context.bot.clone();
        let sent = self
            .send_with_retries(|| {
                bot.send_document(chat, InputFile::memory(document.clone()).file_name(file_name.clone()))
                    .caption(caption.clone())
                    .into_future()
            })
            .await;
        match sent {
            Ok(_) => Ok(Delivery::Delivered(total)),
            Err(failure) => Ok(Delivery::Failed(failure)),
        }
    }

    fn caption(&self, count: i64) -> String {
        let plan: Arg = self.plan_name.clone().into();
        match self.job.expires_at {
            Some(at) => self.lang.t_with(
                "csv-caption-expiring",
                &[
                    ("count", count.into()),
                    ("plan", plan),
                    ("expires_at", crate::bot::replies::format_time(&self.lang, at).into()),
                ],
            ),
            None => self.lang.t_with("csv-caption-no-expiry", &[("count", count.into()), ("plan", plan)]),
        }
    }

    async fn deliver_messages(&mut self, batch_id: Uuid) -> Result<Delivery, DbError> {
        let total = i64::from(self.job.quantity);
        let from = self.job.delivered_count;
        let Some(codes) = self.pending_codes(batch_id, from).await? else {
            return Ok(Delivery::Failed(DeliveryFailure::CodesNoLongerHeld));
        };
        let chat = ChatId(self.job.delivery_chat_id);
        let bot = self.context.bot.clone();
        for (delivered, code) in (i64::from(from)..).zip(codes) {
            if *self.shutdown.borrow() {
                return Ok(Delivery::Interrupted);
            }
            self.status.show(Stage::Delivering { done: delivered, total }).await;
            let shown = code.display();
            let text = self.lang.t_with(
                "code-message",
                &[("code", shown.clone().into()), ("link", code.redeem_link(&self.context.bot_username).into())],
            );
            let entities = replies::monospace(&text, &shown);
            let sent = self
                .send_with_retries(|| bot.send_message(chat, text.clone()).entities(entities.clone()).into_future())
                .await;
            if let Err(failure) = sent {
                return Ok(Delivery::Failed(failure));
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
    async fn send_with_retries<T, F, Fut>(&self, mut send: F) -> Result<T, DeliveryFailure>
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
            match classify(&error) {
                Attempt::WaitThenRetry(delay) if waits < MAX_RETRY_AFTER_WAITS => {
                    waits += 1;
                    log::info!("accessbot::worker Telegram asked to wait {delay:?} (job {})", self.job.id);
                    tokio::time::sleep(delay).await;
                }
                Attempt::WaitThenRetry(_) => return Err(DeliveryFailure::Unreachable(error.to_string())),
                Attempt::Retry => {
                    failures += 1;
                    if failures >= settings.delivery_attempts {
                        return Err(DeliveryFailure::Unreachable(error.to_string()));
                    }
                    let delay = settings.retry_base_delay * 2u32.saturating_pow(failures - 1);
                    log::warn!("accessbot::worker send failed ({error}); try {failures}, next in {delay:?}");
                    tokio::time::sleep(delay).await;
                }
                Attempt::GiveUp(failure) => return Err(failure),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise_formula("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise_formula("+1"), "'+1");
        assert_eq!(neutralise_formula("-1"), "'-1");
        assert_eq!(neutralise_formula("@cmd"), "'@cmd");
        assert_eq!(neutralise_formula("VIP"), "VIP");
    }

    #[test]
    fn file_names_are_slugs_of_the_plan() {
        assert_eq!(file_name_part("VIP Club 2027!"), "vip-club-2027");
        assert_eq!(file_name_part("***"), "plan");
    }
}
