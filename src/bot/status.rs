//! `/status`: recent jobs as buttons, one job with Refresh, and "Try delivery again" (also `/resend`).
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardButton;

use super::screen::Screen;
use super::{BotContext, HandlerError, HandlerResult, MenuTap, TgBot, answer_tap, replies};
use crate::db::generation::job_status;
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::domain::jobs::{self, JobView};
use crate::domain::{DomainError, ids};
use crate::i18n::Lang;

pub const CALLBACK_PREFIX: &str = "st:";

/// The data of a button about a job: `st:j:<ULID>` shows it, `st:r:<ULID>` tries its delivery again.
pub fn job_data(action: &str, job_id: &str) -> String {
    let bare = job_id.strip_prefix(ids::JOB).unwrap_or(job_id);
    format!("{CALLBACK_PREFIX}{action}:{bare}")
}

/// A job id as typed or carried by a button, spelled with its prefix.
fn prefixed_job_id(job_id: &str) -> String {
    format!("{}{}", ids::JOB, job_id.strip_prefix(ids::JOB).unwrap_or(job_id))
}

pub async fn jobs_screen(context: &BotContext, lang: &Lang, creator: &Creator) -> Screen {
    match jobs::recent_jobs(&context.db, creator).await {
        Ok(list) if list.is_empty() => Screen::new(lang.t("jobs-empty")),
        Ok(list) => {
            let rows = list.iter().map(|job| {
                let label = lang.t_with(
                    "button-job",
                    &[
                        ("plan", job.plan_name.as_str().into()),
                        ("quantity", job.quantity.into()),
                        ("status", lang.t(&format!("job-state-{}", job.status)).into()),
                        ("enqueued_at", replies::format_time(lang, job.enqueued_at).into()),
                    ],
                );
                vec![InlineKeyboardButton::callback(label, job_data("j", &job.job_id))]
            });
            Screen::new(lang.t("jobs-header")).rows(rows)
        }
        Err(error) => Screen::new(replies::error_text(lang, &error)),
    }
}

pub fn job_screen(lang: &Lang, job: &JobView) -> Screen {
    let mut first = vec![InlineKeyboardButton::callback(lang.t("button-refresh"), job_data("j", &job.job_id))];
    if job.status == job_status::FAILED {
        first.push(InlineKeyboardButton::callback(lang.t("button-retry-delivery"), job_data("r", &job.job_id)));
    }
    Screen::new(replies::job_text(lang, job))
        .row(first)
        .row(vec![InlineKeyboardButton::callback(lang.t("button-jobs"), format!("{CALLBACK_PREFIX}l"))])
}

pub async fn status_command(
    bot: TgBot,
    message: Message,
    args: String,
    creator: Creator,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    let screen = if args.trim().is_empty() {
        jobs_screen(&context, &lang, &creator).await
    } else {
        match jobs::job_of_creator(&context.db, &creator, args.trim()).await {
            Ok(job) => job_screen(&lang, &job),
            Err(error) => Screen::new(replies::error_text(&lang, &error)),
        }
    };
    screen.send(&bot, message.chat.id).await?;
    Ok(())
}

/// `/resend <job_id>`: tries a failed delivery again into the creator's linked chat.
pub async fn resend_command(
    bot: TgBot,
    message: Message,
    args: String,
    creator: Creator,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    if args.trim().is_empty() {
        bot.send_message(message.chat.id, lang.t("usage-resend")).await?;
        return Ok(());
    }
    // The answer becomes the job's status message, so it is sent before the worker may edit it.
    let queued = lang.t_with("delivery-retried", &[("job_id", prefixed_job_id(args.trim()).into())]);
    let answer = bot.send_message(message.chat.id, queued).await?;
    let status_message = (creator.linked_chat_id == Some(message.chat.id.0)).then_some(answer.id.0);
    if let Err(error) = context.queue.retry_delivery(&creator, args.trim(), status_message, now()).await {
        Screen::new(replies::error_text(&lang, &error)).edit(&bot, message.chat.id, answer.id).await;
    }
    Ok(())
}

pub async fn callback(
    bot: TgBot,
    query: CallbackQuery,
    tap: MenuTap,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    let answer = run_action(&bot, &context, &lang, &tap).await?;
    answer_tap(&bot, &query, &lang, answer).await
}

async fn run_action(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    tap: &MenuTap,
) -> Result<Option<String>, HandlerError> {
    let MenuTap { creator, chat_id, message_id, data, .. } = tap;
    let (chat_id, message_id) = (*chat_id, *message_id);
    if data == "l" {
        jobs_screen(context, lang, creator).await.edit(bot, chat_id, message_id).await;
        return Ok(Some(String::new()));
    }
    let Some((action, job_id)) = data.split_once(':') else { return Ok(None) };
    let outcome: Result<String, DomainError> = match action {
        "j" => match jobs::job_of_creator(&context.db, creator, job_id).await {
            Ok(job) => {
                job_screen(lang, &job).edit(bot, chat_id, message_id).await;
                Ok(String::new())
            }
            Err(error) => Err(error),
        },
        "r" => {
            // This message becomes the job's status message, so it shows "queued" before the worker may edit it.
            let in_linked_chat = creator.linked_chat_id == Some(chat_id.0);
            if in_linked_chat {
                let queued = lang.t_with("job-status-queued", &[("job_id", prefixed_job_id(job_id).into())]);
                Screen::new(queued).edit(bot, chat_id, message_id).await;
            }
            let status_message = in_linked_chat.then_some(message_id.0);
            match context.queue.retry_delivery(creator, job_id, status_message, now()).await {
                Ok(job_id) => Ok(lang.t_with("delivery-retried", &[("job_id", job_id.into())])),
                Err(error) => {
                    if let Ok(job) = jobs::job_of_creator(&context.db, creator, job_id).await {
                        job_screen(lang, &job).edit(bot, chat_id, message_id).await;
                    }
                    Err(error)
                }
            }
        }
        _ => return Ok(None),
    };
    Ok(match outcome {
        Ok(answer) => Some(answer),
        // Someone else's job, or none: the button is treated as forged.
        Err(DomainError::NotFound { .. }) => None,
        Err(error) => Some(replies::error_text(lang, &error)),
    })
}
