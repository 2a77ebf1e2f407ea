//! `/status` and `/status <job_id>`.
use std::sync::Arc;

use teloxide::prelude::*;

use super::{BotContext, HandlerResult, TgBot, lang_of, replies};
use crate::db::teams::Creator;
use crate::domain::{ids, jobs};

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
            Ok(job) => {
                let plan_name = match ids::parse_public_id(ids::PLAN, &job.plan_id) {
                    Some(plan_id) => context.db.find_plan(plan_id).await.ok().flatten().map(|p| p.name),
                    None => None,
                };
                replies::job_text(&lang, &job, &plan_name.unwrap_or_default())
            }
            Err(error) => replies::error_text(&lang, &error),
        }
    };
    bot.send_message(message.chat.id, text).await?;
    Ok(())
}
