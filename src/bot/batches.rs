//! `/batches`: the team's batches newest first, and each batch's card.
use teloxide::prelude::*;

use super::{HandlerResult, Handling, Tap, answer_tap};
use crate::db::teams::Creator;
use crate::domain::DomainError;
use crate::domain::batches;
use crate::domain::clock::now;
use crate::telegram;
use crate::views::buttons::BatchesButton;
use crate::views::{batches as view, errors};

pub async fn batches_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let screen = match batches::batch_page(&context.db, creator.team_id, Some(&args), 0, now()).await {
        Ok(page) => view::page(lang, &page),
        Err(error) => errors::screen(lang, &error),
    };
    telegram::send(bot, message.chat.id, screen).await?;
    Ok(())
}

pub async fn batches_tap(h: Handling, query: CallbackQuery, button: BatchesButton, tap: Tap) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let (team_id, at) = (tap.creator.team_id, now());
    let screen = match button {
        BatchesButton::Page { plan, page } => {
            let plan = plan.map(|plan| crate::domain::ids::public_id(crate::domain::ids::PLAN, plan));
            batches::batch_page(&context.db, team_id, plan.as_deref(), page, at)
                .await
                .map(|page| view::page(lang, &page))
        }
        BatchesButton::Open(batch) => batches::batch_card(&context.db, team_id, batch, at)
            .await
            .map(|(summary, funnel)| view::card(lang, &summary, &funnel, at)),
    };
    let answer = match screen {
        Ok(screen) => {
            tap.show(bot, screen).await;
            Some(String::new())
        }
        // Another team's batch or plan: the button is treated as forged.
        Err(DomainError::NotFound { .. }) => None,
        Err(error) => Some(errors::chat(lang, &error)),
    };
    answer_tap(&h, &query, answer).await
}
