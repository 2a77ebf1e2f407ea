//! The job's status message in the creator's chat, edited as the job goes, at most every so often.
use std::time::{Duration, Instant};

use crate::domain::generation::JobLabel;
use teloxide::types::{ChatId, MessageId};

use crate::db::Db;
use crate::domain::DomainError;
use crate::i18n::Lang;
use crate::telegram::{self, TgBot};
use crate::views::generate::{Stage, status_message};

pub struct StatusMessage {
    pub bot: TgBot,
    pub db: Db,
    pub job: JobLabel,
    pub chat_id: ChatId,
    pub message_id: Option<MessageId>,
    pub lang: Lang,
    pub min_interval: Duration,
    last_edit: Option<Instant>,
    /// When delivery was first seen moving, and how far it was then: the pace for the time left.
    pace_from: Option<(Instant, i64)>,
}

impl StatusMessage {
    pub fn new(
        bot: TgBot,
        db: Db,
        job: JobLabel,
        chat_id: i64,
        message_id: Option<i32>,
        lang: Lang,
        min_interval: Duration,
    ) -> Self {
        Self {
            bot,
            db,
            job,
            chat_id: ChatId(chat_id),
            message_id: message_id.map(MessageId),
            lang,
            min_interval,
            last_edit: None,
            pace_from: None,
        }
    }

    /// The time left at the pace seen so far, once delivery has moved.
    fn seconds_left(&mut self, done: i64, total: i64) -> Option<i64> {
        let (since, done_then) = *self.pace_from.get_or_insert((Instant::now(), done));
        let moved = done - done_then;
        if moved <= 0 {
            return None;
        }
        let per_item = since.elapsed().as_secs_f64() / moved as f64;
        Some((per_item * (total - done) as f64).ceil() as i64)
    }

    /// Shows `stage`; intermediate stages are skipped when the last edit is too recent, so edits do not eat
    /// into Telegram's sending budget.
    pub async fn show(&mut self, stage: Stage<'_>) {
        let is_final = matches!(stage, Stage::Done { .. } | Stage::Failed { .. });
        let stage = match stage {
            // The pace is measured from the first delivery seen, even when that edit is skipped.
            Stage::Delivering { done, total, .. } => {
                Stage::Delivering { done, total, seconds_left: self.seconds_left(done, total) }
            }
            other => other,
        };
        if !is_final && self.last_edit.is_some_and(|at| at.elapsed() < self.min_interval) {
            return;
        }
        self.last_edit = Some(Instant::now());
        let screen = status_message(&self.lang, &self.job, &stage);
        match self.message_id {
            Some(message_id) => telegram::edit(&self.bot, self.chat_id, message_id, screen).await,
            None => match telegram::send(&self.bot, self.chat_id, screen).await {
                Ok(message) => {
                    self.message_id = Some(message.id);
                    if let Err(error) = self.db.set_job_status_message(self.job.id, message.id.0).await {
                        DomainError::internal("remembering a job's status message", error);
                    }
                }
                Err(error) => log::warn!("cannot post the status of job {}: {error}", self.job.id),
            },
        }
    }
}
