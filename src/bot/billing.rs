//! `/billing`: the team's tier, this cycle's free and overage redemptions, and usage records not yet billed.

use teloxide::prelude::*;

use super::{HandlerResult, Handling};
use crate::db::teams::Creator;
use crate::domain::billing;
use crate::domain::clock::now;
use crate::telegram::{self};
use crate::views::{Screen, billing as view};

pub async fn billing_command(h: Handling, message: Message, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let overview = billing::overview(&context.db, creator.team_id, now()).await?;
    telegram::send(bot, message.chat.id, Screen::new(view::overview(lang, &overview))).await?;
    Ok(())
}
