//! `/tokens` and `/newtoken [name]`: API tokens for AI assistants, with toggle buttons for abilities.

use teloxide::prelude::*;
use teloxide::types::{ChatId, MessageId};

use super::{BotContext, HandlerResult, Handling, Tap, answer_tap};
use crate::db::teams::Creator;
use crate::domain::DomainError;
use crate::domain::clock::now;
use crate::domain::conversations::{self, ConversationKind, ConversationStatus, Flow, FlowState, Step};
use crate::domain::tokens;
use crate::i18n::Lang;
use crate::telegram::{self};
use crate::views::buttons::TokenButton;
use crate::views::{Screen, errors, menu, tokens as view};

pub async fn tokens_command(h: Handling, message: Message, creator: Creator) -> HandlerResult {
    show_list(&h, &creator, message.chat.id).await
}

pub async fn show_list(h: &Handling, creator: &Creator, chat: ChatId) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let list = tokens::list_tokens(&context.db, creator).await?;
    telegram::send(bot, chat, view::list(lang, &list, 0)).await?;
    Ok(())
}

pub async fn new_token_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    let draft = match start_draft(context, lang, &creator, Some(&args)).await {
        Ok(draft) => draft,
        Err(error) => {
            telegram::send(bot, message.chat.id, errors::screen(lang, &error)).await?;
            return Ok(());
        }
    };
    let sent = telegram::send(bot, message.chat.id, view::draft(lang, &draft)).await?;
    take_name_in(&h, user.id.0 as i64, message.chat.id, sent.id, &draft).await
}

/// A new draft, named `name` or by default "AI assistant N".
async fn start_draft(
    context: &BotContext,
    lang: &Lang,
    creator: &Creator,
    name: Option<&str>,
) -> Result<tokens::TokenDraftView, DomainError> {
    let default_name = view::default_name(lang, tokens::list_tokens(&context.db, creator).await?.len() + 1);
    tokens::start_token_draft(&context.db, creator, name, default_name, now()).await
}

/// While the draft's card is open, the next message names the token.
async fn take_name_in(
    h: &Handling,
    user_id: i64,
    chat: ChatId,
    card: MessageId,
    draft: &tokens::TokenDraftView,
) -> HandlerResult {
    let state = FlowState { draft_id: Some(draft.id), ..FlowState::default() };
    let db = &h.context.db;
    let mut flow =
        conversations::open(db, user_id, chat.0, ConversationKind::NameToken, Step::Name, state, now()).await?;
    conversations::move_to_message(db, &mut flow, card.0).await?;
    Ok(())
}

/// A message while the card is open: the token's name, shown on the card.
pub async fn on_text(h: &Handling, creator: &Creator, flow: Flow, text: &str) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let (Some(draft_id), Some(card)) = (flow.state.draft_id, flow.message_id) else { return Ok(()) };
    let chat = ChatId(flow.chat_id);
    match tokens::rename_draft(&context.db, creator, draft_id, text).await {
        Ok(draft) => {
            telegram::edit(bot, chat, MessageId(card), view::draft(lang, &draft)).await;
            telegram::send(bot, chat, Screen::new(lang.t_with("token-named", &[("name", draft.name.as_str().into())])))
                .await?;
        }
        Err(error @ DomainError::Validation { .. }) => {
            telegram::send(bot, chat, errors::screen(lang, &error)).await?;
        }
        Err(DomainError::NotFound { .. }) => {
            conversations::finish(&context.db, &flow, ConversationStatus::Done).await?;
        }
        Err(error) => return Err(error.into()),
    }
    Ok(())
}

/// Every tap is answered; a tap on a draft or token that is not the tapper's changes nothing.
pub async fn token_tap(h: Handling, query: CallbackQuery, button: TokenButton, tap: Tap) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let answer = match run_token_button(context, &tap.creator, lang, button).await {
        Ok((answer, screen, new_draft)) => {
            tap.show(bot, screen).await;
            if let Some(draft) = new_draft {
                take_name_in(&h, tap.user_id, tap.chat_id, tap.message_id, &draft).await?;
            }
            match button {
                TokenButton::Create(draft_id) | TokenButton::Cancel(draft_id) => {
                    let done = ConversationStatus::Done;
                    conversations::finish_for_draft(&context.db, tap.user_id, tap.chat_id.0, draft_id, done, now())
                        .await?;
                }
                _ => {}
            }
            Some(answer)
        }
        Err(DomainError::NotFound { .. }) => None,
        Err(error) => Some(errors::chat(lang, &error)),
    };
    answer_tap(&h, &query, answer).await
}

/// The toast and the card's new look after the tap, and the draft it started if it did.
async fn run_token_button(
    context: &BotContext,
    creator: &Creator,
    lang: &Lang,
    button: TokenButton,
) -> Result<(String, Screen, Option<tokens::TokenDraftView>), DomainError> {
    let db = &context.db;
    let shown = match button {
        TokenButton::NewDraft => {
            let draft = start_draft(context, lang, creator, None).await?;
            return Ok((lang.t("token-pick-abilities"), view::draft(lang, &draft), Some(draft)));
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
    };
    Ok((shown.0, shown.1, None))
}
