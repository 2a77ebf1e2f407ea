//! `/newplan <name> <duration>` and `/plans`.
use std::sync::Arc;

use teloxide::prelude::*;

use super::{BotContext, HandlerResult, TgBot, lang_of, replies};
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::domain::plans;

pub async fn new_plan(
    bot: TgBot,
    message: Message,
    args: String,
    creator: Creator,
    context: Arc<BotContext>,
) -> HandlerResult {
    let lang = lang_of(message.from.as_ref(), Some(&creator));
    let Some((name, duration)) = args.trim().rsplit_once(char::is_whitespace) else {
        bot.send_message(message.chat.id, lang.t("usage-newplan")).await?;
        return Ok(());
    };
    let text = match plans::create_plan(&context.db, creator.team_id, name, duration, now()).await {
        Ok(plan) => lang.t_with("plan-created", &[("plan", replies::plan_line(&lang, &plan).into())]),
        Err(error) => replies::error_text(&lang, &error),
    };
    bot.send_message(message.chat.id, text).await?;
    Ok(())
}

pub async fn list_plans(bot: TgBot, message: Message, creator: Creator, context: Arc<BotContext>) -> HandlerResult {
    let lang = lang_of(message.from.as_ref(), Some(&creator));
    let text = match plans::list_plans(&context.db, creator.team_id).await {
        Ok(list) if list.is_empty() => lang.t("plans-empty"),
        Ok(list) => {
            let lines: Vec<String> = list.iter().map(|plan| replies::plan_line(&lang, plan)).collect();
            format!("{}\n\n{}", lang.t_with("plans-header", &[("count", lines.len().into())]), lines.join("\n"))
        }
        Err(error) => replies::error_text(&lang, &error),
    };
    bot.send_message(message.chat.id, text).await?;
    Ok(())
}
