//! `/revoke`: a code, or a batch's or a plan's unredeemed codes, taken back after a confirmation that names
//! the count.
use teloxide::prelude::*;

use super::{HandlerResult, Handling, Tap, show_tapped};
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::domain::revocation;
use crate::telegram;
use crate::views::buttons::RevokeButton;
use crate::views::{errors, menu, revocation as view};

pub async fn revoke_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    if args.trim().is_empty() {
        telegram::send(bot, message.chat.id, view::usage(lang)).await?;
        return Ok(());
    }
    let at = now();
    let preview = match revocation::find_target(&context.db, &context.secret, creator.team_id, &args, at).await {
        Ok(target) => revocation::preview(&context.db, creator.team_id, target, at).await,
        Err(error) => Err(error),
    };
    let screen = match preview {
        Ok(preview) => view::confirmation(lang, &preview),
        Err(error) => errors::screen(lang, &error),
    };
    telegram::send(bot, message.chat.id, screen).await?;
    Ok(())
}

/// A button that previews or confirms a revocation: only the tapper's own team's codes are reached, whatever
/// the button says.
pub async fn revoke_tap(h: Handling, query: CallbackQuery, button: RevokeButton, tap: Tap) -> HandlerResult {
    let Handling { context, lang, .. } = &h;
    let (db, team_id, at) = (&context.db, tap.creator.team_id, now());
    let screen = match button {
        RevokeButton::Preview(scope) => match revocation::target_of(db, team_id, scope, at).await {
            Ok(target) => revocation::preview(db, team_id, target, at).await.map(|p| view::confirmation(lang, &p)),
            Err(error) => Err(error),
        },
        RevokeButton::Confirm(scope) => match revocation::target_of(db, team_id, scope, at).await {
            Ok(target) => revocation::revoke(db, team_id, target, at).await.map(|done| view::revoked(lang, &done)),
            Err(error) => Err(error),
        },
        RevokeButton::Cancel => Ok(menu::say(lang, "revoke-cancelled")),
    };
    show_tapped(&h, &query, &tap, screen).await
}
