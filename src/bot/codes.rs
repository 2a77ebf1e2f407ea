//! `/codes`: a plan's codes, masked, ten per page, filtered by state, with counts per state.

use teloxide::prelude::*;
use teloxide::types::ChatId;

use super::{BotContext, HandlerResult, Handling, Tap, show_tapped};
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::domain::code_listing::{self, CodeFilter};
use crate::domain::{DomainError, ids, plans};
use crate::i18n::Lang;
use crate::telegram::{self};
use crate::views::buttons::CodesButton;
use crate::views::{Screen, codes as view, errors};

const PAGE_SIZE: i64 = 10;

async fn plan_picker(context: &BotContext, lang: &Lang, creator: &Creator, page: u32) -> Result<Screen, DomainError> {
    Ok(view::plan_picker(lang, &plans::list_plans(&context.db, creator.team_id).await?, page))
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
    let shown =
        code_listing::plan_codes_page(&context.db, creator.team_id, plan_id, None, filter, page, PAGE_SIZE, at).await?;
    Ok(view::page(lang, &shown, at))
}

pub async fn codes_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let screen = if args.trim().is_empty() {
        plan_picker(context, lang, &creator, 0).await?
    } else {
        codes_page(context, lang, &creator, args.trim(), CodeFilter::Unredeemed, 1)
            .await
            .unwrap_or_else(|error| errors::screen(lang, &error))
    };
    telegram::send(bot, message.chat.id, screen).await?;
    Ok(())
}

/// The plan picker of `/codes`, as the creator menu opens it.
pub async fn show_picker(h: &Handling, creator: &Creator, chat: ChatId) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    telegram::send(bot, chat, plan_picker(context, lang, creator, 0).await?).await?;
    Ok(())
}

pub async fn codes_tap(h: Handling, query: CallbackQuery, button: CodesButton, tap: Tap) -> HandlerResult {
    let Handling { context, lang, .. } = &h;
    let screen = match button {
        CodesButton::PickPlan(page) => plan_picker(context, lang, &tap.creator, page).await,
        CodesButton::Page { plan, filter, page } => {
            codes_page(context, lang, &tap.creator, &ids::public_id(ids::PLAN, plan), filter, page).await
        }
        CodesButton::BatchPage { batch, filter, page } => {
            let at = now();
            let team = tap.creator.team_id;
            code_listing::batch_codes_page(&context.db, team, batch, filter, page, PAGE_SIZE, at)
                .await
                .map(|shown| view::page(lang, &shown, at))
        }
    };
    show_tapped(&h, &query, &tap, screen).await
}
