//! `/codes`: a plan's codes, masked, ten per page, filtered by state, with counts per state.
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardButton};

use super::screen::Screen;
use super::{BotContext, HandlerResult, MenuTap, TgBot, answer_tap, replies};
use crate::db::codes::CodeFilter;
use crate::db::teams::Creator;
use crate::domain::access_codes::{self, CodeListRequest, CodeView, filter_name};
use crate::domain::clock::now;
use crate::domain::{DomainError, ids, plans};
use crate::i18n::Lang;

pub const CALLBACK_PREFIX: &str = "cd:";
const PAGE_SIZE: i64 = 10;

fn filter_letter(filter: CodeFilter) -> char {
    match filter {
        CodeFilter::Unredeemed => 'u',
        CodeFilter::Redeemed => 'r',
        CodeFilter::Expired => 'e',
        CodeFilter::All => 'a',
    }
}

fn filter_of_letter(letter: &str) -> Option<CodeFilter> {
    Some(match letter {
        "u" => CodeFilter::Unredeemed,
        "r" => CodeFilter::Redeemed,
        "e" => CodeFilter::Expired,
        "a" => CodeFilter::All,
        _ => return None,
    })
}

fn page_data(plan: &str, filter: CodeFilter, page: i64) -> String {
    format!("{CALLBACK_PREFIX}{plan}:{}:{page}", filter_letter(filter))
}

async fn plan_picker(context: &BotContext, lang: &Lang, creator: &Creator) -> Screen {
    match plans::list_plans(&context.db, creator.team_id).await {
        Ok(list) if list.is_empty() => Screen::new(lang.t("plans-empty")),
        Ok(list) => Screen::new(lang.t("codes-pick-plan")).rows(list.iter().map(|plan| {
            let data = page_data(&ulid::Ulid::from(plan.id).to_string(), CodeFilter::Unredeemed, 1);
            vec![InlineKeyboardButton::callback(plan.name.clone(), data)]
        })),
        Err(error) => Screen::new(replies::error_text(lang, &error)),
    }
}

fn code_line(lang: &Lang, code: &CodeView) -> String {
    let at = now();
    let state = match (code.redeemed_at, code.expires_at) {
        (Some(redeemed), _) => {
            lang.t_with("code-state-redeemed", &[("date", replies::format_time(lang, redeemed).into())])
        }
        (None, Some(expires)) if expires <= at => {
            lang.t_with("code-state-expired", &[("date", replies::format_time(lang, expires).into())])
        }
        (None, Some(expires)) => {
            lang.t_with("code-state-expires", &[("date", replies::format_time(lang, expires).into())])
        }
        (None, None) => lang.t("code-state-open"),
    };
    lang.t_with("code-line", &[("code", code.code_masked.as_str().into()), ("state", state.into())])
}

async fn codes_page(
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    plan_id: &str,
    filter: CodeFilter,
    page: i64,
) -> Result<Screen, DomainError> {
    let at = now();
    let plan = plans::find_team_plan(&context.db, creator.team_id, plan_id).await?;
    let plan_key = ulid::Ulid::from(plan.id).to_string();
    let counts = access_codes::count_by_state(&context.db, creator.team_id, &plan_key, at).await?;
    let matching = counts.iter().find(|(f, _)| *f == filter).map_or(0, |(_, n)| *n as i64);
    let pages = ((matching + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let request = CodeListRequest {
        plan_id: plan_key.clone(),
        status: Some(filter_name(filter).to_owned()),
        limit: Some(PAGE_SIZE),
        page: Some(page),
    };
    let list = access_codes::list_codes(&context.db, creator.team_id, &request, at).await?;
    let count_of = |f: CodeFilter| counts.iter().find(|(c, _)| *c == f).map_or(0, |(_, n)| *n as i64);
    let mut text = lang.t_with(
        "codes-header",
        &[
            ("plan", plan.name.as_str().into()),
            ("filter", lang.t(&format!("code-filter-{}", filter_name(filter))).into()),
            ("page", page.into()),
            ("pages", pages.into()),
            ("unredeemed", count_of(CodeFilter::Unredeemed).into()),
            ("redeemed", count_of(CodeFilter::Redeemed).into()),
            ("expired", count_of(CodeFilter::Expired).into()),
            ("all", count_of(CodeFilter::All).into()),
        ],
    );
    text.push_str("\n\n");
    if list.data.is_empty() {
        text.push_str(&lang.t("codes-none"));
    } else {
        let lines: Vec<String> = list.data.iter().map(|code| code_line(lang, code)).collect();
        text.push_str(&lines.join("\n"));
    }
    let filters = [CodeFilter::Unredeemed, CodeFilter::Redeemed, CodeFilter::Expired, CodeFilter::All]
        .into_iter()
        .map(|f| {
            let mark = if f == filter { "• " } else { "" };
            let label = format!("{mark}{} ({})", lang.t(&format!("code-filter-{}", filter_name(f))), count_of(f));
            InlineKeyboardButton::callback(label, page_data(&plan_key, f, 1))
        })
        .collect::<Vec<_>>();
    let mut paging = Vec::new();
    if page > 1 {
        paging.push(InlineKeyboardButton::callback(lang.t("button-previous"), page_data(&plan_key, filter, page - 1)));
    }
    if page < pages {
        paging.push(InlineKeyboardButton::callback(lang.t("button-next"), page_data(&plan_key, filter, page + 1)));
    }
    let back = vec![InlineKeyboardButton::callback(lang.t("button-plans"), format!("{CALLBACK_PREFIX}l"))];
    Ok(Screen::new(text).rows(filters.chunks(2).map(<[_]>::to_vec)).row(paging).row(back))
}

pub async fn codes_command(
    bot: TgBot,
    message: Message,
    args: String,
    creator: Creator,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    let screen = if args.trim().is_empty() {
        plan_picker(&context, &lang, &creator).await
    } else {
        codes_page(&context, &lang, &creator, args.trim(), CodeFilter::Unredeemed, 1)
            .await
            .unwrap_or_else(|error| Screen::new(replies::error_text(&lang, &error)))
    };
    screen.send(&bot, message.chat.id).await?;
    Ok(())
}

/// The plan picker of `/codes`, as the creator menu opens it.
pub async fn show_picker(
    bot: &TgBot,
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    chat: ChatId,
) -> HandlerResult {
    plan_picker(context, lang, creator).await.send(bot, chat).await?;
    Ok(())
}

pub async fn callback(
    bot: TgBot,
    query: CallbackQuery,
    tap: MenuTap,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    let screen = match tap.data.split(':').collect::<Vec<_>>().as_slice() {
        ["l"] => Some(Ok(plan_picker(&context, &lang, &tap.creator).await)),
        [plan, letter, page] => match (ids::parse_public_id(ids::PLAN, plan), filter_of_letter(letter), page.parse()) {
            (Some(_), Some(filter), Ok(page)) => {
                Some(codes_page(&context, &lang, &tap.creator, plan, filter, page).await)
            }
            _ => None,
        },
        _ => None,
    };
    let answer = match screen {
        Some(Ok(screen)) => {
            screen.edit(&bot, tap.chat_id, tap.message_id).await;
            Some(String::new())
        }
        // Another team's plan, or none: the button is treated as forged.
        Some(Err(DomainError::NotFound { .. })) | None => None,
        Some(Err(error)) => Some(replies::error_text(&lang, &error)),
    };
    answer_tap(&bot, &query, &lang, answer).await
}
