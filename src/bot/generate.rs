//! `/generate`: the one-line form and the guided wizard, both ending on the confirmation card, and the
//! card's buttons, which queue the job.

use teloxide::prelude::*;
use teloxide::types::{ChatId, MessageId};

use super::{BotContext, HandlerResult, Handling, Tap, TapAnswer, plans};
use crate::db::teams::Creator;
use crate::domain::DomainError;
use crate::domain::clock::now;
use crate::domain::conversations::{self, ConversationStatus, Flow, FlowAction, GenerateWizard, WizardMove};
use crate::domain::conversations::{ConversationKind, FlowState, Step};
use crate::domain::expiry::ExpiryChoice;
use crate::domain::generation::{
    Confirmation, DraftOption, GenerationRequest, OptionChange, cleared, parse_quantity, parse_uses, read_option,
    split_options,
};
use crate::telegram::{self, TgBot};
use crate::views::buttons::CardButton;
use crate::views::generate::{Stage, ask_option, card_options, confirmation_card, job_what, status_message, wizard};
use crate::views::{Screen, errors, menu};

/// Reads `<plan…> <quantity> <file|messages> <expiry> [uses=<n>] [prefix=<text>] [for=<who>]
/// [label=<text to the end>]`;
/// the plan name may contain spaces.
fn parse_one_liner(line: &str) -> Option<Result<GenerationRequest, DomainError>> {
    let (args, options) = match split_options(line) {
        Ok(split) => split,
        Err(error) => return Some(Err(error)),
    };
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
            label: options.label,
            prefix: options.prefix,
            eligibility: options.eligibility,
            max_redemptions: options.uses.as_deref().map(parse_uses).transpose()?,
        })
    })();
    Some(request)
}

fn wizard_of<'a>(context: &'a BotContext, creator: &'a Creator) -> GenerateWizard<'a> {
    GenerateWizard { db: &context.db, queue: &context.queue, creator }
}

pub async fn generate_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let chat = message.chat.id;
    if args.trim().is_empty() {
        let Some(user) = message.from.as_ref() else { return Ok(()) };
        return open_wizard(&h, &creator, user.id.0 as i64, chat).await;
    }
    let Some(request) = parse_one_liner(&args) else {
        telegram::send(bot, chat, menu::one_line_incomplete(lang, "usage-generate")).await?;
        return Ok(());
    };
    let screen = match async { context.queue.draft(&creator, request?, now()).await }.await {
        Ok(card) => confirmation_card(lang, &card, &context.throttle),
        Err(error) => errors::screen(lang, &error),
    };
    telegram::send(bot, chat, screen).await?;
    Ok(())
}

/// Opens the wizard at its plan step, in a new message.
pub async fn open_wizard(h: &Handling, creator: &Creator, user_id: i64, chat: ChatId) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let wizard_of = wizard_of(context, creator);
    let mut flow = wizard_of.open(user_id, chat.0, now()).await?;
    let screen = wizard_of.screen(&flow).await?;
    let sent = telegram::send(bot, chat, wizard(lang, &flow, &screen, &context.throttle)).await?;
    conversations::move_to_message(&context.db, &mut flow, sent.id.0).await?;
    Ok(())
}

/// Applies a tap to the wizard shown in the tapped message; the answer to the tap, or `None` for a stale one.
pub async fn on_tap(h: &Handling, tap: &Tap, mut flow: Flow, action: &FlowAction) -> TapAnswer {
    let Handling { bot, context, lang } = h;
    let moved = wizard_of(context, &tap.creator).tap(&mut flow, action, now()).await;
    Ok(match moved {
        Ok(WizardMove::Show(screen)) => {
            tap.show(bot, wizard(lang, &flow, &screen, &context.throttle)).await;
            Some(String::new())
        }
        Ok(WizardMove::Cancelled) => {
            tap.show(bot, menu::say(lang, "wizard-cancelled")).await;
            Some(lang.t("wizard-cancelled"))
        }
        Ok(WizardMove::NewPlan) => {
            plans::start_new_plan(h, tap.user_id, tap.chat_id, Some(tap.message_id)).await?;
            Some(String::new())
        }
        Ok(WizardMove::Stale) => None,
        Err(error) => Some(errors::chat(lang, &error)),
    })
}

/// Typed text at a step that reads it. A bad value is answered with the reason and the same question again,
/// as the newest message.
pub async fn on_text(h: &Handling, creator: &Creator, mut flow: Flow, text: &str) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let wizard_of = wizard_of(context, creator);
    let screen = match wizard_of.answer(&mut flow, text, now()).await {
        Ok(WizardMove::Show(screen)) => wizard(lang, &flow, &screen, &context.throttle),
        Ok(_) => return Ok(()),
        Err(error) => {
            let question = wizard_of.screen(&flow).await?;
            wizard(lang, &flow, &question, &context.throttle).under(errors::chat(lang, &error))
        }
    };
    plans::show_flow_below(bot, context, &mut flow, screen).await
}

/// A tap on the confirmation card. Every tap is answered; one that matches no pending draft of the
/// tapping creator changes nothing.
pub async fn card_tap(h: Handling, query: CallbackQuery, button: CardButton, tap: Tap) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let answer = match button {
        CardButton::Cancel(draft_id) => match context.queue.cancel(&tap.creator, draft_id).await {
            Ok(true) => {
                let cancelled = ConversationStatus::Cancelled;
                conversations::finish_for_draft(&context.db, tap.user_id, tap.chat_id.0, draft_id, cancelled, now())
                    .await?;
                tap.show(bot, menu::say(lang, "generate-cancelled")).await;
                Some(lang.t("generate-cancelled"))
            }
            Ok(false) | Err(DomainError::NotFound { .. }) => None,
            Err(error) => Some(errors::chat(lang, &error)),
        },
        CardButton::Generate(draft_id) => confirm(&h, &tap, draft_id, false).await?,
        CardButton::AgreeToMessages(draft_id) => confirm(&h, &tap, draft_id, true).await?,
        CardButton::Options(draft_id) => show_card(&h, &tap, draft_id, None, CardView::Options).await?,
        CardButton::Who(draft_id, who) => {
            show_card(&h, &tap, draft_id, Some(OptionChange::Who(who)), CardView::Options).await?
        }
        CardButton::Clear(draft_id, option) => {
            show_card(&h, &tap, draft_id, Some(cleared(option)), CardView::Options).await?
        }
        CardButton::Ask(draft_id, option) => ask_for_option(&h, &tap, draft_id, option).await?,
        CardButton::Back(draft_id) => show_card(&h, &tap, draft_id, None, CardView::Card).await?,
    };
    super::answer_tap(&h, &query, answer).await
}

/// How a confirmation card is shown: itself, or its options.
enum CardView {
    Card,
    Options,
}

/// The card, or its options, in the tapped message, after `change` when there is one; a question left open
/// for an option is closed.
async fn show_card(
    h: &Handling,
    tap: &Tap,
    draft_id: uuid::Uuid,
    change: Option<OptionChange>,
    view: CardView,
) -> TapAnswer {
    let Handling { bot, context, lang } = h;
    let closed = ConversationStatus::Cancelled;
    conversations::finish_for_draft(&context.db, tap.user_id, tap.chat_id.0, draft_id, closed, now()).await?;
    let card = match change {
        None => context.queue.card(&tap.creator, draft_id, now()).await,
        Some(change) => context.queue.change_option(&tap.creator, draft_id, change, now()).await,
    };
    Ok(match card {
        Ok(card) => {
            let screen = match view {
                CardView::Card => confirmation_card(lang, &card, &context.throttle),
                CardView::Options => card_options(lang, &card),
            };
            tap.show(bot, screen).await;
            Some(String::new())
        }
        Err(DomainError::NotFound { .. }) => None,
        Err(error) => Some(errors::chat(lang, &error)),
    })
}

fn step_of(option: DraftOption) -> Step {
    match option {
        DraftOption::Uses => Step::Uses,
        DraftOption::Prefix => Step::Prefix,
        DraftOption::Label => Step::Label,
    }
}

/// Asks for one option of the card in the tapped message; the next text the creator sends answers it.
async fn ask_for_option(h: &Handling, tap: &Tap, draft_id: uuid::Uuid, option: DraftOption) -> TapAnswer {
    let Handling { bot, context, lang } = h;
    match context.queue.card(&tap.creator, draft_id, now()).await {
        Ok(_) => {}
        Err(DomainError::NotFound { .. }) => return Ok(None),
        Err(error) => return Ok(Some(errors::chat(lang, &error))),
    }
    let state = FlowState { draft_id: Some(draft_id), ..FlowState::default() };
    let kind = ConversationKind::BatchOption;
    let mut flow =
        conversations::open(&context.db, tap.user_id, tap.chat_id.0, kind, step_of(option), state, now()).await?;
    conversations::move_to_message(&context.db, &mut flow, tap.message_id.0).await?;
    tap.show(bot, ask_option(lang, draft_id, option, None)).await;
    Ok(Some(String::new()))
}

/// The creator's typed answer to an option's question: the options again below it, or the question again
/// with what was wrong.
pub async fn on_option_text(h: &Handling, creator: &Creator, mut flow: Flow, text: &str) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let option = match flow.step {
        Step::Uses => DraftOption::Uses,
        Step::Prefix => DraftOption::Prefix,
        Step::Label => DraftOption::Label,
        _ => return Ok(()),
    };
    let Some(draft_id) = flow.state.draft_id else {
        conversations::finish(&context.db, &flow, ConversationStatus::Cancelled).await?;
        return Ok(());
    };
    let changed = match read_option(option, text) {
        Ok(change) => context.queue.change_option(creator, draft_id, change, now()).await,
        Err(error) => Err(error),
    };
    let screen = match changed {
        Ok(card) => {
            conversations::finish(&context.db, &flow, ConversationStatus::Done).await?;
            card_options(lang, &card)
        }
        Err(error @ DomainError::NotFound { .. }) => {
            conversations::finish(&context.db, &flow, ConversationStatus::Cancelled).await?;
            errors::screen(lang, &error)
        }
        Err(error) => ask_option(lang, draft_id, option, Some(errors::chat(lang, &error))),
    };
    plans::show_flow_below(bot, context, &mut flow, screen).await
}

/// Queues the draft's job; the card becomes the job's status message, showing "queued" before the worker
/// may edit it. `consent` is the tap on the button that agrees to one message per code.
async fn confirm(h: &Handling, tap: &Tap, draft_id: uuid::Uuid, consent: bool) -> TapAnswer {
    let Handling { bot, context, lang } = h;
    let at = (tap.chat_id, tap.message_id);
    let status_message_id = (tap.creator.linked_chat_id == Some(at.0.0)).then_some(at.1.0);
    let confirmation = context.queue.prepare_confirmation(&tap.creator, draft_id, consent, status_message_id, now());
    let prepared = match confirmation.await {
        Ok(Confirmation::AlreadyQueued(_)) => {
            return Ok(Some(lang.t("generate-already-queued")));
        }
        Ok(Confirmation::Ready(prepared)) => prepared,
        Err(DomainError::NotFound { resource: "draft" }) => return Ok(None),
        Err(error) => return Ok(Some(errors::chat(lang, &error))),
    };
    let label = prepared.label();
    telegram::edit(bot, at.0, at.1, status_message(lang, &label, &Stage::Queued)).await;
    Ok(Some(match context.queue.commit(&tap.creator, prepared, now()).await {
        Ok(_) => {
            conversations::finish_for_draft(
                &context.db,
                tap.user_id,
                at.0.0,
                draft_id,
                ConversationStatus::Done,
                now(),
            )
            .await?;
            lang.t_with("generate-queued", &[("what", job_what(lang, &label).into())])
        }
        Err(error) => {
            let text = errors::chat(lang, &error);
            edit_text(bot, at, text.clone()).await;
            text
        }
    }))
}

async fn edit_text(bot: &TgBot, (chat, message): (ChatId, MessageId), text: String) {
    telegram::edit(bot, chat, message, Screen::new(text)).await;
}
