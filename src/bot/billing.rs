//! `/billing`: the team's tier, this cycle's free and overage redemptions, and usage records not yet billed.

use teloxide::prelude::*;

use super::{HandlerResult, Handling};
use crate::db::teams::Creator;
use crate::domain::billing;
use crate::domain::clock::now;
use crate::telegram::{self};
use crate::views::billing as view;

pub async fn billing_command(h: Handling, message: Message, creator: Creator) -> HandlerResult {
    show(&h, &creator, message.chat.id).await
}

pub async fn show(h: &Handling, creator: &Creator, chat: ChatId) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let overview = billing::overview(&context.db, creator.team_id, now()).await?;
    telegram::send(bot, chat, view::overview(lang, &overview)).await?;
    Ok(())
}
