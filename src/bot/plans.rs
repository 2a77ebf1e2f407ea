//! `/newplan` and `/plans`: the team's plans with buttons to rename, archive, re-activate and link a chat.
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardButton;

use super::screen::Screen;
use super::{BotContext, HandlerResult, MenuTap, TgBot, answer_tap, plan_flow, replies};
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::domain::{DomainError, ids, plans};
use crate::i18n::Lang;

pub const CALLBACK_PREFIX: &str = "pl:";

pub async fn new_plan(
    bot: TgBot,
    message: Message,
    args: String,
    creator: Creator,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    if args.trim().is_empty() {
        return plan_flow::start_new_plan(&bot, &context, &lang, user.id.0 as i64, message.chat.id, None).await;
    }
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

/// The plan list with a row of buttons per plan.
pub async fn plans_screen(context: &BotContext, lang: &Lang, creator: &Creator) -> Screen {
    let list = match plans::list_plans(&context.db, creator.team_id).await {
        Ok(list) => list,
        Err(error) => return Screen::new(replies::error_text(lang, &error)),
    };
    let new_plan = vec![InlineKeyboardButton::callback(lang.t("button-new-plan"), format!("{CALLBACK_PREFIX}new"))];
    if list.is_empty() {
        return Screen::new(lang.t("plans-empty")).row(new_plan);
    }
    let lines: Vec<String> = list.iter().map(|plan| replies::plan_line(lang, plan)).collect();
    let text = format!("{}\n\n{}", lang.t_with("plans-header", &[("count", lines.len().into())]), lines.join("\n"));
    let rows = list.iter().map(|plan| {
        let id = ulid::Ulid::from(plan.id);
        let button = |key: &str, action: &str| {
            InlineKeyboardButton::callback(
                lang.t_with(key, &[("name", plan.name.as_str().into())]),
                format!("{CALLBACK_PREFIX}{action}:{id}"),
            )
        };
        let status = if plan.status == plans::ACTIVE {
            button("button-archive-plan", "ar")
        } else {
            button("button-reactivate-plan", "re")
        };
        vec![button("button-rename-plan", "rn"), status, button("button-link-plan", "ln")]
    });
    Screen::new(text).rows(rows).row(new_plan)
}

pub async fn list_plans(
    bot: TgBot,
    message: Message,
    creator: Creator,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    plans_screen(&context, &lang, &creator).await.send(&bot, message.chat.id).await?;
    Ok(())
}

/// A tap on the plan list; the plan must belong to the tapper's team.
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
) -> Result<Option<String>, super::HandlerError> {
    let MenuTap { creator, user_id, chat_id, message_id, data } = tap;
    let (user_id, chat_id, message_id) = (*user_id, *chat_id, *message_id);
    if data == "new" {
        plan_flow::start_new_plan(bot, context, lang, user_id, chat_id, None).await?;
        return Ok(Some(String::new()));
    }
    let Some((action, plan_id)) = data.split_once(':') else { return Ok(None) };
    let Some(plan_id) = ids::parse_public_id(ids::PLAN, plan_id) else { return Ok(None) };
    let Some(plan) = context.db.find_team_plan(creator.team_id, plan_id).await? else { return Ok(None) };
    let outcome: Result<String, DomainError> = match action {
        "ar" | "re" => {
            let status = if action == "ar" { plans::ARCHIVED } else { plans::ACTIVE };
            match plans::set_plan_status(&context.db, creator.team_id, &plan, status).await {
                Ok(()) => {
                    plans_screen(context, lang, creator).await.edit(bot, chat_id, message_id).await;
                    Ok(lang.t_with(&format!("plan-now-{status}"), &[("name", plan.name.as_str().into())]))
                }
                Err(error) => Err(error),
            }
        }
        "rn" => {
            plan_flow::start_rename(bot, context, lang, user_id, chat_id, &plan).await?;
            Ok(String::new())
        }
        "ln" => {
            plan_flow::start_link(bot, context, lang, user_id, chat_id, &plan).await?;
            Ok(String::new())
        }
        _ => return Ok(None),
    };
    Ok(Some(outcome.unwrap_or_else(|error| replies::error_text(lang, &error))))
}
