//! `/status`: recent jobs as buttons, one job with Refresh, and "Try delivery again" (also `/resend`).

use teloxide::prelude::*;
use teloxide::types::ChatId;

use super::{BotContext, HandlerResult, Handling, Tap, TapAnswer, answer_tap};
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::domain::jobs;
use crate::domain::{DomainError, ids};
use crate::i18n::Lang;
use crate::telegram::{self};
use crate::views::buttons::JobsButton;
use crate::views::generate::{Stage, status_message};
use crate::views::{Screen, errors, jobs as view, menu};

async fn job_list(context: &BotContext, lang: &Lang, creator: &Creator) -> Result<Screen, DomainError> {
    Ok(view::list(lang, &jobs::recent_jobs(&context.db, creator).await?, now()))
}

/// The recent jobs, as the creator menu opens them.
pub async fn show_list(h: &Handling, creator: &Creator, chat: ChatId) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    telegram::send(bot, chat, job_list(context, lang, creator).await?).await?;
    Ok(())
}

pub async fn status_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let screen = if args.trim().is_empty() {
        job_list(context, lang, &creator).await?
    } else {
        match jobs::job_of_creator(&context.db, &creator, args.trim()).await {
            Ok(job) => view::details(lang, &job),
            Err(error) => errors::screen(lang, &error),
        }
    };
    telegram::send(bot, message.chat.id, screen).await?;
    Ok(())
}

/// `/resend <job_id>`: tries a failed delivery again into the creator's linked chat.
pub async fn resend_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let chat = message.chat.id;
    if args.trim().is_empty() {
        telegram::send(bot, chat, menu::say(lang, "usage-resend")).await?;
        return Ok(());
    }
    // The answer becomes the job's status message, so it is sent before the worker may edit it.
    let queued = Screen::new(view::delivery_retried(lang));
    let answer = telegram::send(bot, chat, queued).await?;
    let status_message = (creator.linked_chat_id == Some(chat.0)).then_some(answer.id.0);
    if let Err(error) = context.queue.retry_delivery(&creator, args.trim(), status_message, now()).await {
        telegram::edit(bot, chat, answer.id, errors::screen(lang, &error)).await;
    }
    Ok(())
}

pub async fn jobs_tap(h: Handling, query: CallbackQuery, button: JobsButton, tap: Tap) -> HandlerResult {
    let answer = run_jobs_button(&h, &tap, button).await?;
    answer_tap(&h, &query, answer).await
}

async fn run_jobs_button(h: &Handling, tap: &Tap, button: JobsButton) -> TapAnswer {
    let Handling { bot, context, lang } = h;
    let Tap { creator, chat_id, message_id, .. } = tap;
    let (chat_id, message_id) = (*chat_id, *message_id);
    let outcome: Result<String, DomainError> = match button {
        JobsButton::List => {
            tap.show(bot, job_list(context, lang, creator).await?).await;
            Ok(String::new())
        }
        JobsButton::Show(job_id) => {
            match jobs::job_of_creator(&context.db, creator, &ids::public_id(ids::JOB, job_id)).await {
                Ok(job) => {
                    tap.show(bot, view::details(lang, &job)).await;
                    Ok(String::new())
                }
                Err(error) => Err(error),
            }
        }
        JobsButton::RetryDelivery(job_id) => {
            let public_id = ids::public_id(ids::JOB, job_id);
            let job = match jobs::job_of_creator(&context.db, creator, &public_id).await {
                Ok(job) => job,
                Err(error) => return Ok(answer_of(lang, Err(error))),
            };
            // This message becomes the job's status message, so it shows "queued" before the worker may edit it.
            let in_linked_chat = creator.linked_chat_id == Some(chat_id.0);
            if in_linked_chat {
                telegram::edit(bot, chat_id, message_id, status_message(lang, &job.label(), &Stage::Queued)).await;
            }
            let status_message = in_linked_chat.then_some(message_id.0);
            match context.queue.retry_delivery(creator, &public_id, status_message, now()).await {
                Ok(_) => Ok(view::delivery_retried(lang)),
                Err(error) => {
                    // The message showed "queued"; it shows the job as it stands again, unless that fails too.
                    match jobs::job_of_creator(&context.db, creator, &public_id).await {
                        Ok(job) => tap.show(bot, view::details(lang, &job)).await,
                        Err(lookup) => log::warn!("cannot show job {public_id} again after a refused retry: {lookup}"),
                    }
                    Err(error)
                }
            }
        }
    };
    Ok(answer_of(lang, outcome))
}

fn answer_of(lang: &Lang, outcome: Result<String, DomainError>) -> Option<String> {
    match outcome {
        Ok(answer) => Some(answer),
        // Someone else's job, or none: the button is treated as forged.
        Err(DomainError::NotFound { .. }) => None,
        Err(error) => Some(errors::chat(lang, &error)),
    }
}
