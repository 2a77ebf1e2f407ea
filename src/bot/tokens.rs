//! `/tokens` and `/newtoken [name]`: API tokens for AI assistants, with toggle buttons for abilities.

use teloxide::prelude::*;

use super::{BotContext, HandlerResult, Handling, Tap, answer_tap};
use crate::db::teams::Creator;
use crate::domain::DomainError;
use crate::domain::clock::now;
use crate::domain::tokens;
use crate::i18n::Lang;
use crate::telegram::{self};
use crate::views::buttons::TokenButton;
use crate::views::{Screen, errors, menu, tokens as view};

pub async fn tokens_command(h: Handling, message: Message, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let list = tokens::list_tokens(&context.db, &creator).await?;
    telegram::send(bot, message.chat.id, view::list(lang, &list, 0)).await?;
    Ok(())
}

pub async fn new_token_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let screen = match tokens::start_token_draft(&context.db, &creator, Some(&args), now()).await {
        Ok(draft) => view::draft(lang, &draft),
        Err(error) => Screen::new(errors::chat(lang, &error)),
    };
    telegram::send(bot, message.chat.id, screen).await?;
    Ok(())
}

/// Every tap is answered; a tap on a draft or token that is not the tapper's changes nothing.
pub async fn token_tap(h: Handling, query: CallbackQuery, button: TokenButton, tap: Tap) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let answer = match run_token_button(context, &tap.creator, lang, button).await {
        Ok((answer, screen)) => {
            tap.show(bot, screen).await;
            Some(answer)
        }
        Err(DomainError::NotFound { .. }) => None,
        Err(error) => Some(errors::chat(lang, &error)),
    };
    answer_tap(&h, &query, answer).await
}

/// The toast and the card's new look after the tap.
async fn run_token_button(
    context: &BotContext,
    creator: &Creator,
    lang: &Lang,
    button: TokenButton,
) -> Result<(String, Screen), DomainError> {
    let db = &context.db;
    Ok(match button {
        TokenButton::NewDraft => {
            let draft = tokens::start_token_draft(db, creator, None, now()).await?;
            (lang.t("token-pick-abilities"), view::draft(lang, &draft))
        }
        TokenButton::Toggle(draft_id, ability) => {
            let draft = tokens::toggle_draft_ability(db, creator, draft_id, ability).await?;
            (view::abilities_now(lang, &draft), view::draft(lang, &draft))
        }
        TokenButton::Create(draft_id) => {
            let issued = tokens::create_token_from_draft(db, &context.secret, creator, draft_id, now()).await?;
            (lang.t("token-created-short"), view::issued(lang, &issued))
        }
        TokenButton::Cancel(draft_id) => {
            tokens::cancel_token_draft(db, creator, draft_id).await?;
            (lang.t("token-cancelled"), menu::say(lang, "token-cancelled"))
        }
        TokenButton::Revoke(token_id) => {
            tokens::revoke_token(db, creator, token_id, now()).await?;
            (lang.t("token-revoked"), view::list(lang, &tokens::list_tokens(db, creator).await?, 0))
        }
        TokenButton::Page(page) => (String::new(), view::list(lang, &tokens::list_tokens(db, creator).await?, page)),
    })
}
