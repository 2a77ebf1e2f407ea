//! `/batches`: the team's batches newest first, and each batch's card.
use teloxide::prelude::*;

use super::{HandlerResult, Handling, Tap, answer_tap, show_tapped};
use crate::db::teams::Creator;
use crate::domain::DomainError;
use crate::domain::batches;
use crate::domain::clock::now;
use crate::domain::redemption_export::{self, ExportScope};
use crate::telegram;
use crate::views::buttons::BatchesButton;
use crate::views::{batches as view, errors, redemption_export as export_view};

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
    let Handling { context, lang, .. } = &h;
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
    show_tapped(&h, &query, &tap, screen).await
}

/// Sends a batch's or a plan's redemptions as a CSV document, or says there are none yet.
pub async fn export_tap(h: Handling, query: CallbackQuery, scope: ExportScope, tap: Tap) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let at = now();
    let export = match redemption_export::export(&context.db, tap.creator.team_id, scope, at).await {
        Ok(export) => export,
        Err(DomainError::NotFound { .. }) => return answer_tap(&h, &query, None).await,
        Err(error) => return answer_tap(&h, &query, Some(errors::chat(lang, &error))).await,
    };
    if export.rows.is_empty() {
        return answer_tap(&h, &query, Some(lang.t("export-none"))).await;
    }
    answer_tap(&h, &query, Some(String::new())).await?;
    let (file, name, caption) =
        (export_view::csv(&export), export_view::file_name(&export, at), export_view::caption(lang, &export));
    telegram::send_file(bot, tap.chat_id, file, name, caption).await?;
    Ok(())
}
