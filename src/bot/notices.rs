//! `/notify`: how the creator hears of redemptions.
use teloxide::prelude::*;

use super::{HandlerResult, Handling, Tap, answer_tap};
use crate::db::teams::Creator;
use crate::domain::notices::{self, RedemptionNotices};
use crate::telegram;
use crate::views::notices as view;

pub async fn notify_command(h: Handling, message: Message, creator: Creator) -> HandlerResult {
    let Handling { bot, lang, .. } = &h;
    telegram::send(bot, message.chat.id, view::notify_card(lang, creator.notify_redemptions)).await?;
    Ok(())
}

pub async fn notify_tap(h: Handling, query: CallbackQuery, mode: RedemptionNotices, tap: Tap) -> HandlerResult {
    notices::choose_redemption_notices(&h.context.db, &tap.creator, mode).await?;
    tap.show(&h.bot, view::notify_card(&h.lang, mode)).await;
    answer_tap(&h, &query, Some(view::notify_chosen(&h.lang, mode))).await
}
