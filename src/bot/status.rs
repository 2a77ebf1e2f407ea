//! `/status` and `/status <job_id>`.
use std::sync::Arc;

use teloxide::prelude::*;

use super::{BotContext, HandlerResult, TgBot, lang_of, replies};
use crate::db::teams::Creator;
use crate::domain::jobs;

pub async fn status_command(
    bot: TgBot,
    message: Message,
    args: String,
    creator: Creator,
    context: Arc<BotContext>,
) -> HandlerResult {
    let lang = lang_of(message.from.as_ref(), Some(&creator));
    let text = if args.trim().is_empty() {
        match jobs::recent_jobs(&context.db, &creator).await {
            Ok(list) if list.is_empty() => lang.t("jobs-empty"),
            Ok(list) => {
                let lines: Vec<String> = list.iter().map(|job| replies::job_line(&lang, job)).collect();
                format!("{}\n\n{}", lang.t("jobs-header"), lines.join("\n"))
            }
            Err(error) => replies::error_text(&lang, &error),
        }
    } else {
        match jobs::job_of_creator(&context.db, &creator, args.trim()).await {
            Ok(job) => replies::job_text(&lang, &job),
            Err(error) => replies::error_text(&lang, &error),
        }
    };
    bot.send_message(message.chat.id, text).await?;
    Ok(())
}
