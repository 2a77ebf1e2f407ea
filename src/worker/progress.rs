//! The job's status message in the creator's chat, edited as the job goes.
use std::time::{Duration, Instant};

use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId};
use uuid::Uuid;

use crate::bot::replies::{about_duration_text, progress_bar};
use crate::bot::{TgBot, job_button_data, menu_button_data};
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
    /// When delivery was first seen moving, and how far it was then: the pace for the time left.
    pace_from: Option<(Instant, i64)>,
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
            pace_from: None,
        }
    }

    /// The time left at the pace seen so far, once delivery has moved.
    fn time_left(&mut self, done: i64, total: i64) -> Option<i64> {
        let (since, done_then) = *self.pace_from.get_or_insert((Instant::now(), done));
        let moved = done - done_then;
        if moved <= 0 {
            return None;
        }
        let per_item = since.elapsed().as_secs_f64() / moved as f64;
        Some((per_item * (total - done) as f64).ceil() as i64)
    }

    fn render(&mut self, stage: &Stage) -> String {
        let job: Arg = self.job_public_id.clone().into();
        match stage {
            Stage::Generating => self.lang.t_with("job-status-generating", &[("job_id", job)]),
            Stage::Delivering { done, total } => {
                let (bar, percent) = progress_bar(*done, *total);
                let mut text = self.lang.t_with(
                    "job-status-delivering",
                    &[
                        ("job_id", job),
                        ("bar", bar.into()),
                        ("percent", percent.into()),
                        ("done", (*done).into()),
                        ("total", (*total).into()),
                    ],
                );
                if let Some(seconds) = self.time_left(*done, *total) {
                    let left = about_duration_text(&self.lang, seconds);
                    text.push('\n');
                    text.push_str(&self.lang.t_with("job-status-eta", &[("duration", left.into())]));
                }
                text
            }
            Stage::Done { count } => {
                self.lang.t_with("job-status-done", &[("job_id", job), ("count", (*count).into())])
            }
            Stage::Failed { reason } => {
                self.lang.t_with("job-status-failed", &[("job_id", job), ("reason", (*reason).into())])
            }
        }
    }

    /// The summary's buttons: the job's status, and generating more (or trying delivery again).
    fn buttons(&self, stage: &Stage) -> Option<InlineKeyboardMarkup> {
        let status =
            InlineKeyboardButton::callback(self.lang.t("button-status"), job_button_data("j", &self.job_public_id));
        match stage {
            Stage::Done { .. } => Some(InlineKeyboardMarkup::new(vec![vec![
                status,
                InlineKeyboardButton::callback(self.lang.t("button-generate-more"), menu_button_data("generate")),
            ]])),
            Stage::Failed { .. } => Some(InlineKeyboardMarkup::new(vec![vec![
                InlineKeyboardButton::callback(
                    self.lang.t("button-retry-delivery"),
                    job_button_data("r", &self.job_public_id),
                ),
                status,
            ]])),
            _ => None,
        }
    }

    /// Shows `stage`; intermediate stages are skipped when the last edit is too recent,
    /// so edits do not eat into Telegram's sending budget.
    pub async fn show(&mut self, stage: Stage<'_>) {
        let is_final = matches!(stage, Stage::Done { .. } | Stage::Failed { .. });
        if !is_final && self.last_edit.is_some_and(|at| at.elapsed() < self.min_interval) {
            return;
        }
        if let Stage::Delivering { done, .. } = stage {
            // The pace is measured from the first delivery seen, even when that edit is skipped.
            self.pace_from.get_or_insert((Instant::now(), done));
        }
        let text = self.render(&stage);
        self.last_edit = Some(Instant::now());
        let buttons = self.buttons(&stage);
        match self.message_id {
            Some(message_id) => {
                let mut request = self.bot.edit_message_text(self.chat_id, message_id, text);
                if let Some(buttons) = buttons {
                    request = request.reply_markup(buttons);
                }
                if let Err(error) = request.await {
                    log::warn!("accessbot::worker::progress cannot edit the status of job {}: {error}", self.job_id);
                }
            }
            None => {
                let request = self.bot.send_message(self.chat_id, text);
                let sent = match buttons {
                    Some(buttons) => request.reply_markup(buttons).await,
                    None => request.await,
                };
                self.remember(sent).await
            }
        }
    }

    async fn remember(&mut self, sent: Result<Message, teloxide::RequestError>) {
        match sent {
            Ok(message) => {
                self.message_id = Some(message.id);
                if let Err(error) = self.db.set_job_status_message(self.job_id, message.id.0).await {
                    log::warn!("accessbot::worker::progress cannot remember the status message: {error}");
                }
            }
            Err(error) => {
                log::warn!("accessbot::worker::progress cannot post the status of job {}: {error}", self.job_id)
            }
        }
    }
}
