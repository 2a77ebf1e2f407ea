//! `/tokens` and `/newtoken [name]`: API tokens for AI assistants, with toggle buttons for abilities.
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId};
use uuid::Uuid;

use super::{BotContext, HandlerResult, TgBot, replies};
use crate::db::teams::Creator;
use crate::domain::DomainError;
use crate::domain::clock::now;
use crate::domain::tokens::{self, Abilities, Ability, IssuedToken, TokenDraftView, TokenSummary};
use crate::i18n::Lang;

pub const CALLBACK_PREFIX: &str = "tok:";

/// What a token button asks for; `callback_data` is `tok:<action>[:<ULID>[:<ability>]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenAction {
    NewDraft,
    Toggle(Uuid, Ability),
    Create(Uuid),
    Cancel(Uuid),
    Revoke(Uuid),
}

impl TokenAction {
    fn data(self) -> String {
        let ulid = |id: Uuid| ulid::Ulid::from(id).to_string();
        match self {
            Self::NewDraft => format!("{CALLBACK_PREFIX}new"),
            Self::Toggle(draft, ability) => {
                let index = Ability::ALL.iter().position(|a| *a == ability).unwrap_or_default();
                format!("{CALLBACK_PREFIX}ab:{}:{index}", ulid(draft))
            }
            Self::Create(draft) => format!("{CALLBACK_PREFIX}mk:{}", ulid(draft)),
            Self::Cancel(draft) => format!("{CALLBACK_PREFIX}cx:{}", ulid(draft)),
            Self::Revoke(token) => format!("{CALLBACK_PREFIX}rv:{}", ulid(token)),
        }
    }

    fn parse(data: &str) -> Option<Self> {
        let rest = data.strip_prefix(CALLBACK_PREFIX)?;
        let mut parts = rest.split(':');
        let action = parts.next()?;
        let id = |part: Option<&str>| part.and_then(|p| ulid::Ulid::from_string(p).ok()).map(Uuid::from);
        let parsed = match action {
            "new" => Self::NewDraft,
            "ab" => {
                let draft = id(parts.next())?;
                let ability = *Ability::ALL.get(parts.next()?.parse::<usize>().ok()?)?;
                Self::Toggle(draft, ability)
            }
            "mk" => Self::Create(id(parts.next())?),
            "cx" => Self::Cancel(id(parts.next())?),
            "rv" => Self::Revoke(id(parts.next())?),
            _ => return None,
        };
        parts.next().is_none().then_some(parsed)
    }
}

fn abilities_text(lang: &Lang, abilities: Abilities) -> String {
    if abilities.is_empty() {
        return lang.t("token-abilities-none");
    }
    abilities.iter().map(Ability::as_str).collect::<Vec<_>>().join(", ")
}

fn list_text(lang: &Lang, list: &[TokenSummary]) -> String {
    if list.is_empty() {
        return lang.t("tokens-empty");
    }
    let lines: Vec<String> = list
        .iter()
        .map(|token| {
            let last_used = match token.last_used_at {
                Some(at) => replies::format_time(lang, at),
                None => lang.t("token-never-used"),
            };
            lang.t_with(
                "token-line",
                &[
                    ("name", token.name.as_str().into()),
                    ("abilities", abilities_text(lang, token.abilities).into()),
                    ("created_at", replies::format_time(lang, token.created_at).into()),
                    ("last_used", last_used.into()),
                ],
            )
        })
        .collect();
    format!("{}\n\n{}", lang.t_with("tokens-header", &[("count", (list.len() as i64).into())]), lines.join("\n"))
}

fn list_keyboard(lang: &Lang, list: &[TokenSummary]) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = list
        .iter()
        .map(|token| {
            vec![InlineKeyboardButton::callback(
                lang.t_with("button-revoke-token", &[("name", token.name.as_str().into())]),
                TokenAction::Revoke(token.id).data(),
            )]
        })
        .collect();
    rows.push(vec![InlineKeyboardButton::callback(lang.t("button-new-token"), TokenAction::NewDraft.data())]);
    InlineKeyboardMarkup::new(rows)
}

fn draft_text(lang: &Lang, draft: &TokenDraftView) -> String {
    lang.t_with("token-draft", &[("name", draft.name.as_str().into())])
}

fn draft_keyboard(lang: &Lang, draft: &TokenDraftView) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Ability::ALL
        .iter()
        .map(|ability| {
            let mark = if draft.abilities.contains(*ability) { "✅" } else { "⬜" };
            let label =
                format!("{mark} {} — {}", ability.as_str(), lang.t(&format!("ability-{}", ability_key(*ability))));
            vec![InlineKeyboardButton::callback(label, TokenAction::Toggle(draft.id, *ability).data())]
        })
        .collect();
    rows.push(vec![
        InlineKeyboardButton::callback(lang.t("button-create-token"), TokenAction::Create(draft.id).data()),
        InlineKeyboardButton::callback(lang.t("button-cancel"), TokenAction::Cancel(draft.id).data()),
    ]);
    InlineKeyboardMarkup::new(rows)
}

fn ability_key(ability: Ability) -> &'static str {
    match ability {
        Ability::McpFull => "mcp-full",
        Ability::CreateCodes => "create-codes",
        Ability::ViewCodes => "view-codes",
    }
}

fn issued_text(lang: &Lang, issued: &IssuedToken) -> String {
    lang.t_with(
        "token-created",
        &[
            ("name", issued.summary.name.as_str().into()),
            ("abilities", abilities_text(lang, issued.summary.abilities).into()),
            ("token", issued.plaintext.as_str().into()),
        ],
    )
}

pub async fn tokens_command(
    bot: TgBot,
    message: Message,
    creator: Creator,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    match tokens::list_tokens(&context.db, &creator).await {
        Ok(list) => {
            bot.send_message(message.chat.id, list_text(&lang, &list))
                .reply_markup(list_keyboard(&lang, &list))
                .await?;
        }
        Err(error) => {
            bot.send_message(message.chat.id, replies::error_text(&lang, &error)).await?;
        }
    }
    Ok(())
}

pub async fn new_token_command(
    bot: TgBot,
    message: Message,
    args: String,
    creator: Creator,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    match tokens::start_token_draft(&context.db, &creator, Some(&args), now()).await {
        Ok(draft) => {
            bot.send_message(message.chat.id, draft_text(&lang, &draft))
                .reply_markup(draft_keyboard(&lang, &draft))
                .await?;
        }
        Err(error) => {
            bot.send_message(message.chat.id, replies::error_text(&lang, &error)).await?;
        }
    }
    Ok(())
}

/// Whether a callback belongs to this conversation.
pub fn is_token_callback(query: CallbackQuery) -> bool {
    query.data.as_deref().is_some_and(|data| data.starts_with(CALLBACK_PREFIX))
}

/// Every tap is answered; a tap on a draft or token that is not the tapper's changes nothing.
pub async fn callback(bot: TgBot, query: CallbackQuery, lang: Lang, context: Arc<BotContext>) -> HandlerResult {
    let creator = super::creator_of_callback(&query, &context).await;
    let action = query.data.as_deref().and_then(TokenAction::parse);
    let card = query.regular_message().map(|m| (m.chat.id, m.id));
    let (Some(creator), Some(action), Some((chat_id, message_id))) = (creator, action, card) else {
        bot.answer_callback_query(query.id.clone()).text(lang.t("menu-expired")).await?;
        return Ok(());
    };
    let answer = match run_action(&bot, &context, &creator, &lang, action, chat_id, message_id).await {
        Ok(answer) => answer,
        Err(DomainError::NotFound { .. }) => lang.t("menu-expired"),
        Err(error) => replies::error_text(&lang, &error),
    };
    bot.answer_callback_query(query.id.clone()).text(answer).await?;
    Ok(())
}

async fn run_action(
    bot: &TgBot,
    context: &BotContext,
    creator: &Creator,
    lang: &Lang,
    action: TokenAction,
    chat_id: ChatId,
    message_id: MessageId,
) -> Result<String, DomainError> {
    let db = &context.db;
    match action {
        TokenAction::NewDraft => {
            let draft = tokens::start_token_draft(db, creator, None, now()).await?;
            edit(bot, chat_id, message_id, draft_text(lang, &draft), Some(draft_keyboard(lang, &draft))).await;
            Ok(lang.t("token-pick-abilities"))
        }
        TokenAction::Toggle(draft_id, ability) => {
            let draft = tokens::toggle_draft_ability(db, creator, draft_id, ability).await?;
            edit(bot, chat_id, message_id, draft_text(lang, &draft), Some(draft_keyboard(lang, &draft))).await;
            Ok(abilities_text(lang, draft.abilities))
        }
        TokenAction::Create(draft_id) => {
            let issued = tokens::create_token_from_draft(db, &context.secret, creator, draft_id, now()).await?;
            let text = issued_text(lang, &issued);
            let entities = replies::monospace(&text, &issued.plaintext);
            if let Err(error) = bot.edit_message_text(chat_id, message_id, text).entities(entities).await {
                log::warn!("accessbot::bot cannot show a new token: {error}");
            }
            Ok(lang.t("token-created-short"))
        }
        TokenAction::Cancel(draft_id) => {
            tokens::cancel_token_draft(db, creator, draft_id).await?;
            edit(bot, chat_id, message_id, lang.t("token-cancelled"), None).await;
            Ok(lang.t("token-cancelled"))
        }
        TokenAction::Revoke(token_id) => {
            tokens::revoke_token(db, creator, token_id, now()).await?;
            let list = tokens::list_tokens(db, creator).await?;
            edit(bot, chat_id, message_id, list_text(lang, &list), Some(list_keyboard(lang, &list))).await;
            Ok(lang.t("token-revoked"))
        }
    }
}

async fn edit(
    bot: &TgBot,
    chat_id: ChatId,
    message_id: MessageId,
    text: String,
    keyboard: Option<InlineKeyboardMarkup>,
) {
    let request = bot.edit_message_text(chat_id, message_id, text);
    let sent = match keyboard {
        Some(keyboard) => request.reply_markup(keyboard).await,
        None => request.await,
    };
    if let Err(error) = sent {
        log::warn!("accessbot::bot cannot edit a token card: {error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids;

    #[test]
    fn token_callback_data_reads_back_and_fits_telegram() {
        let id = ids::new_id();
        for action in [
            TokenAction::NewDraft,
            TokenAction::Toggle(id, Ability::ViewCodes),
            TokenAction::Create(id),
            TokenAction::Cancel(id),
            TokenAction::Revoke(id),
        ] {
            let data = action.data();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(TokenAction::parse(&data), Some(action));
        }
        assert_eq!(TokenAction::parse("tok:ab:01J0000000000000000000000:7"), None);
        assert_eq!(TokenAction::parse("tok:rv"), None);
        assert_eq!(TokenAction::parse("gen:go:x"), None);
    }
}
