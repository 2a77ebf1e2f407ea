//! `/generate <plan> <quantity> <file|messages> <expiry>`: the confirmation card and its buttons.
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId};
use uuid::Uuid;

use super::{BotContext, HandlerResult, TgBot, replies};
use crate::db::conversations::conversation_status::{CANCELLED, DONE};
use crate::db::teams::Creator;
use crate::domain::clock::now;
use crate::domain::expiry::ExpiryChoice;
use crate::domain::generation::{Confirmation, ExportType, GenerationCard, GenerationRequest, parse_quantity};
use crate::domain::{DomainError, ids};
use crate::i18n::Lang;

const CALLBACK_PREFIX: &str = "gen";

/// What a card's button asks for; its `callback_data` is `gen:<action>:<draft ULID>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CardAction {
    Generate,
    AgreeToMessages,
    Cancel,
}

impl CardAction {
    fn as_str(self) -> &'static str {
        match self {
            Self::Generate => "go",
            Self::AgreeToMessages => "agree",
            Self::Cancel => "cancel",
        }
    }

    fn data(self, draft_id: Uuid) -> String {
        format!("{CALLBACK_PREFIX}:{}:{}", self.as_str(), ulid::Ulid::from(draft_id))
    }

    fn parse(data: &str) -> Option<(Self, Uuid)> {
        let mut parts = data.split(':');
        if parts.next()? != CALLBACK_PREFIX {
            return None;
        }
        let action = match parts.next()? {
            "go" => Self::Generate,
            "agree" => Self::AgreeToMessages,
            "cancel" => Self::Cancel,
            _ => return None,
        };
        let draft_id = ids::parse_public_id(ids::DRAFT, parts.next()?)?;
        parts.next().is_none().then_some((action, draft_id))
    }
}

pub(super) fn card_keyboard(lang: &Lang, card: &GenerationCard, context: &BotContext) -> InlineKeyboardMarkup {
    let confirm = match card.export_type {
        ExportType::File => {
            InlineKeyboardButton::callback(lang.t("button-generate"), CardAction::Generate.data(card.draft_id))
        }
        ExportType::Messages => InlineKeyboardButton::callback(
            lang.t_with(
                "button-agree-messages",
                &[
                    ("count", card.quantity.into()),
                    ("duration", replies::messages_duration_text(lang, card.quantity, &context.throttle).into()),
                ],
            ),
            CardAction::AgreeToMessages.data(card.draft_id),
        ),
    };
    let cancel = InlineKeyboardButton::callback(lang.t("button-cancel"), CardAction::Cancel.data(card.draft_id));
    InlineKeyboardMarkup::new(vec![vec![confirm], vec![cancel]])
}

/// Reads `<plan…> <quantity> <file|messages> <expiry>`; the plan name may contain spaces.
fn parse_one_liner(args: &str) -> Option<Result<GenerationRequest, DomainError>> {
    let words: Vec<&str> = args.split_whitespace().collect();
    if words.len() < 4 {
        return None;
    }
    let (plan, rest) = words.split_at(words.len() - 3);
    let request = (|| {
        let quantity = parse_quantity(rest[0])?;
        let expiry = ExpiryChoice::parse_short(rest[2], now())?;
        let (custom_expiry_amount, custom_expiry_type) = expiry.custom_fields();
        Ok(GenerationRequest {
            plan_id: plan.join(" "),
            quantity,
            export_type: rest[1].to_owned(),
            expiry_preset: expiry.preset_name().to_owned(),
            custom_expiry_amount,
            custom_expiry_type: custom_expiry_type.map(str::to_owned),
            consent: false,
        })
    })();
    Some(request)
}

pub async fn generate_command(
    bot: TgBot,
    message: Message,
    args: String,
    creator: Creator,
    lang: Lang,
    context: Arc<BotContext>,
) -> HandlerResult {
    if args.trim().is_empty() {
        let Some(user) = message.from.as_ref() else { return Ok(()) };
        let user_id = user.id.0 as i64;
        return super::generate_flow::start(&bot, &context, &lang, &creator, user_id, message.chat.id).await;
    }
    let Some(request) = parse_one_liner(&args) else {
        bot.send_message(message.chat.id, lang.t("usage-generate")).await?;
        return Ok(());
    };
    let card = match request {
        Ok(request) => context.queue.draft(&creator, request, now()).await,
        Err(error) => Err(error),
    };
    match card {
        Ok(card) => {
            bot.send_message(message.chat.id, replies::card_text(&lang, &card, &context.throttle))
                .reply_markup(card_keyboard(&lang, &card, &context))
                .await?;
        }
        Err(error) => {
            bot.send_message(message.chat.id, replies::error_text(&lang, &error)).await?;
        }
    }
    Ok(())
}

/// Replaces the card's text and buttons; a card that can no longer be edited is left as it is.
async fn edit_card(bot: &TgBot, chat_id: ChatId, message_id: MessageId, text: String) {
    if let Err(error) = bot.edit_message_text(chat_id, message_id, text).await {
        log::warn!("accessbot::bot cannot edit a generation card: {error}");
    }
}

/// Every tap is answered; a tap that matches no pending draft of the tapping creator changes nothing.
pub async fn callback(bot: TgBot, query: CallbackQuery, lang: Lang, context: Arc<BotContext>) -> HandlerResult {
    let creator = super::creator_of_callback(&query, &context).await;
    let parsed = query.data.as_deref().and_then(CardAction::parse);
    let card_message = query.regular_message().map(|m| (m.chat.id, m.id));
    let (Some(creator), Some((action, draft_id)), Some((chat_id, message_id))) = (creator, parsed, card_message) else {
        bot.answer_callback_query(query.id.clone()).text(lang.t("menu-expired")).await?;
        return Ok(());
    };
    let answer = match action {
        CardAction::Cancel => match context.queue.cancel(&creator, draft_id).await {
            Ok(true) => {
                let tapper = query.from.id.0 as i64;
                super::generate_flow::finish_for_draft(&context, tapper, chat_id.0, draft_id, CANCELLED).await;
                edit_card(&bot, chat_id, message_id, lang.t("generate-cancelled")).await;
                lang.t("generate-cancelled")
            }
            Ok(false) | Err(DomainError::NotFound { .. }) => lang.t("menu-expired"),
            Err(error) => replies::error_text(&lang, &error),
        },
        CardAction::Generate | CardAction::AgreeToMessages => {
            let consent = action == CardAction::AgreeToMessages;
            let status_message = (creator.linked_chat_id == Some(chat_id.0)).then_some(message_id.0);
            match context.queue.prepare_confirmation(&creator, draft_id, consent, status_message, now()).await {
                Ok(Confirmation::AlreadyQueued(queued)) => {
                    lang.t_with("generate-already-queued", &[("job_id", queued.job_id.into())])
                }
                Ok(Confirmation::Ready(prepared)) => {
                    // The card becomes the job's status message before the worker may edit it.
                    let queued_text = lang.t_with("job-status-queued", &[("job_id", prepared.job_id().into())]);
                    edit_card(&bot, chat_id, message_id, queued_text).await;
                    match context.queue.commit(&creator, prepared, now()).await {
                        Ok(queued) => {
                            let tapper = query.from.id.0 as i64;
                            super::generate_flow::finish_for_draft(&context, tapper, chat_id.0, draft_id, DONE).await;
                            lang.t_with("generate-queued", &[("job_id", queued.job_id.into())])
                        }
                        Err(error) => {
                            let text = replies::error_text(&lang, &error);
                            edit_card(&bot, chat_id, message_id, text.clone()).await;
                            text
                        }
                    }
                }
                Err(DomainError::NotFound { resource: "draft" }) => lang.t("menu-expired"),
                Err(error) => replies::error_text(&lang, &error),
            }
        }
    };
    bot.answer_callback_query(query.id.clone()).text(answer).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_callback_data_reads_back_and_fits_telegram() {
        let draft = ids::new_id();
        for action in [CardAction::Generate, CardAction::AgreeToMessages, CardAction::Cancel] {
            let data = action.data(draft);
            assert!(data.len() <= 64);
            assert_eq!(CardAction::parse(&data), Some((action, draft)));
        }
        assert_eq!(CardAction::parse("gen:go"), None);
        assert_eq!(CardAction::parse("gen:launch:01J0000000000000000000000"), None);
        assert_eq!(CardAction::parse(&format!("{}:extra", CardAction::Generate.data(draft))), None);
    }
}
