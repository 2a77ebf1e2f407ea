//! `/billing`: the team's tier, this cycle's free and overage redemptions, and usage records not yet billed.
use std::sync::Arc;

use teloxide::prelude::*;

use super::{BotContext, HandlerResult};
use crate::db::teams::Creator;
use crate::domain::billing;
use crate::domain::clock::now;
use crate::i18n::Lang;
use crate::telegram::{self, TgBot};
use crate::views::{Screen, billing as view};

pub async fn billing_command(
    bot: TgBot,
    message: Message,
    creator: Creator,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    let overview = billing::overview(&context.db, creator.team_id, now()).await?;
    telegram::send(&bot, message.chat.id, Screen::new(view::overview(&lang, &overview))).await?;
    Ok(())
}
