//! `/notify`: how the creator hears of redemptions.
use teloxide::prelude::*;

use super::{HandlerResult, Handling, Tap, answer_tap};
use crate::db::teams::Creator;
use crate::domain::notices::{self, RedemptionNotices};
use crate::telegram;
use crate::views::notices as view;

pub async fn notify_command(h: Handling, message: Message, creator: Creator) -> HandlerResult {
    show_card(&h, &creator, message.chat.id).await
}

pub async fn show_card(h: &Handling, creator: &Creator, chat: ChatId) -> HandlerResult {
    telegram::send(&h.bot, chat, view::notify_card(&h.lang, creator.notify_redemptions)).await?;
    Ok(())
}

pub async fn notify_tap(h: Handling, query: CallbackQuery, mode: RedemptionNotices, tap: Tap) -> HandlerResult {
    notices::choose_redemption_notices(&h.context.db, &tap.creator, mode).await?;
    tap.show(&h.bot, view::notify_card(&h.lang, mode)).await;
    answer_tap(&h, &query, Some(view::notify_chosen(&h.lang, mode))).await
}
