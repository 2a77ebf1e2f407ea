//! The job's status message in the creator's chat, edited as the job goes.
use std::time::{Duration, Instant};

use teloxide::prelude::*;
use teloxide::types::{ChatId, MessageId};
use uuid::Uuid;

use crate::bot::TgBot;
use crate::db::Db;
use crate::i18n::{Arg, Lang};

pub enum Stage<'a> {
    Generating,
    Delivering { done: i64, total: i64 },
    Done { count: i64 },
    Failed { reason: &'a str },
}

pub struct StatusMessage {
    bot: TgBot,
    db: Db,
    job_id: Uuid,
    job_public_id: String,
    chat_id: ChatId,
    message_id: Option<MessageId>,
    lang: Lang,
    min_interval: Duration,
    last_edit: Option<Instant>,
}

impl StatusMessage {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        bot: TgBot,
        db: Db,
        job_id: Uuid,
        job_public_id: String,
        chat_id: i64,
        message_id: Option<i32>,
        lang: Lang,
        min_interval: Duration,
    ) -> Self {
        Self {
            bot,
            db,
            job_id,
            job_public_id,
            chat_id: ChatId(chat_id),
            message_id: message_id.map(MessageId),
            lang,
            min_interval,
            last_edit: None,
        }
    }

    fn render(&self, stage: &Stage) -> String {
        let job: Arg = self.job_public_id.clone().into();
        match stage {
            Stage::Generating => self.lang.t_with("job-status-generating", &[("job_id", job)]),
            Stage::Delivering { done, total } => self.lang.t_with(
                "job-status-delivering",
                &[("job_id", job), ("done", (*done).into()), ("total", (*total).into())],
            ),
            Stage::Done { count } => {
                self.lang.t_with("job-status-done", &[("job_id", job), ("count", (*count).into())])
            }
            Stage::Failed { reason } => {
                self.lang.t_with("job-status-failed", &[("job_id", job), ("reason", (*reason).into())])
            }
        }
    }

    /// Shows `stage`; intermediate stages are skipped when the last edit is too recent,
    /// so edits do not eat into Telegram's sending budget.
    pub async fn show(&mut self, stage: Stage<'_>) {
        let is_final = matches!(stage, Stage::Done { .. } | Stage::Failed { .. });
        if !is_final && self.last_edit.is_some_and(|at| at.elapsed() < self.min_interval) {
            return;
        }
        let text = self.render(&stage);
        self.last_edit = Some(Instant::now());
        match self.message_id {
            Some(message_id) => {
                if let Err(error) = self.bot.edit_message_text(self.chat_id, message_id, text).await {
                    log::warn!("accessbot::worker::progress cannot edit the status of job {}: {error}", self.job_id);
                }
            }
            None => match self.bot.send_message(self.chat_id, text).await {
                Ok(message) => {
                    self.message_id = Some(message.id);
                    if let Err(error) = self.db.set_job_status_message(self.job_id, message.id.0).await {
                        log::warn!("accessbot::worker::progress cannot remember the status message: {error}");
                    }
                }
                Err(error) => {
                    log::warn!("accessbot::worker::progress cannot post the status of job {}: {error}", self.job_id)
                }
            },
        }
    }
}
