//! `/rollback`: a redemption taken back after a confirmation that says what it takes and what billing does,
//! with the creator's pick of what becomes of the code.
use teloxide::prelude::*;

use super::{HandlerResult, Handling, Tap, show_tapped};
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::domain::rollback::{self, Found};
use crate::telegram;
use crate::views::buttons::RollbackButton;
use crate::views::{errors, menu, rollback as view};

pub async fn rollback_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    if args.trim().is_empty() {
        telegram::send(bot, message.chat.id, view::usage(lang)).await?;
        return Ok(());
    }
    let (db, team_id) = (&context.db, creator.team_id);
    let screen = match rollback::find(db, &context.secret, team_id, &args).await {
        Ok(Found::One(id)) => match rollback::preview(db, team_id, id, now()).await {
            Ok(outcome) => view::confirmation(lang, &outcome),
            Err(error) => errors::screen(lang, &error),
        },
        Ok(Found::Several { code_masked, choices }) => view::pick(lang, &code_masked, &choices),
        Err(error) => errors::screen(lang, &error),
    };
    telegram::send(bot, message.chat.id, screen).await?;
    Ok(())
}

/// A button that previews or makes a rollback: only the tapper's own team's redemptions are reached.
pub async fn rollback_tap(h: Handling, query: CallbackQuery, button: RollbackButton, tap: Tap) -> HandlerResult {
    let Handling { context, lang, .. } = &h;
    let (db, team_id, at) = (&context.db, tap.creator.team_id, now());
    let screen = match button {
        RollbackButton::Preview(id) => {
            rollback::preview(db, team_id, id, at).await.map(|o| view::confirmation(lang, &o))
        }
        RollbackButton::Confirm(id, code_after) => {
            rollback::roll_back(db, team_id, id, code_after, at).await.map(|o| view::rolled_back(lang, &o))
        }
        RollbackButton::Cancel => Ok(menu::say(lang, "rollback-cancelled")),
    };
    show_tapped(&h, &query, &tap, screen).await
}
