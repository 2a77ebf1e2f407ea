//! `/webhooks` and `/addwebhook <url>`: the team's endpoints, their event types as toggles, test events,
//! pause and resume, secret rotation, deletion, and the recent deliveries with Redeliver.

use teloxide::prelude::*;
use teloxide::types::ChatId;

use super::{BotContext, HandlerResult, Handling, Tap, answer_tap};
use crate::db::teams::Creator;
use crate::domain::DomainError;
use crate::domain::clock::now;
use crate::domain::conversations::{self, ConversationKind, ConversationStatus, Flow, FlowState, Step};
use crate::domain::ids;
use crate::domain::webhooks::{self, EVENT_TYPES, EndpointStatus, PauseReason};
use crate::i18n::Lang;
use crate::telegram;
use crate::views::buttons::WebhookButton;
use crate::views::{Screen, errors, webhooks as view};

/// How many of an endpoint's newest deliveries its deliveries screen shows.
const RECENT_DELIVERIES: u64 = 8;

pub async fn webhooks_command(h: Handling, message: Message, creator: Creator) -> HandlerResult {
    show_list(&h, &creator, message.chat.id).await
}

pub async fn show_list(h: &Handling, creator: &Creator, chat: ChatId) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let endpoints = context.db.endpoints_of_team(creator.team_id).await?;
    telegram::send(bot, chat, view::list(lang, &endpoints)).await?;
    Ok(())
}

/// `/addwebhook <address>` adds the endpoint; without an address it asks for one.
pub async fn add_webhook_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let Some(user) = message.from.as_ref() else { return Ok(()) };
    if args.trim().is_empty() {
        return ask_address(&h, user.id.0 as i64, message.chat.id, None).await;
    }
    match add(context, &creator, &args).await {
        Ok(created) => show_added(&h, message.chat.id, created).await,
        Err(error) => {
            telegram::send(bot, message.chat.id, errors::screen(lang, &error)).await?;
            Ok(())
        }
    }
}

async fn add(context: &BotContext, creator: &Creator, address: &str) -> Result<webhooks::CreatedEndpoint, DomainError> {
    let policy = context.webhook_policy;
    webhooks::add_endpoint(&context.db, &context.secret, creator.team_id, address, "all", policy, now()).await
}

/// The new endpoint's secret, shown once, then its card.
async fn show_added(h: &Handling, chat: ChatId, created: webhooks::CreatedEndpoint) -> HandlerResult {
    let Handling { bot, lang, .. } = h;
    telegram::send(bot, chat, view::secret(lang, &created.endpoint, &created.secret, "webhook-created")).await?;
    telegram::send(bot, chat, view::card(lang, &created.endpoint)).await?;
    Ok(())
}

/// Asks for a new endpoint's address in a new message, under what was wrong with the last one if anything;
/// the next message is the answer.
async fn ask_address(h: &Handling, user_id: i64, chat: ChatId, problem: Option<String>) -> HandlerResult {
    let Handling { bot, context, lang } = h;
    let kind = ConversationKind::AddWebhook;
    let mut flow =
        conversations::open(&context.db, user_id, chat.0, kind, Step::Url, FlowState::default(), now()).await?;
    let question = view::ask_address(lang, &flow);
    let question = match problem {
        Some(problem) => question.under(problem),
        None => question,
    };
    let sent = telegram::send(bot, chat, question).await?;
    conversations::move_to_message(&context.db, &mut flow, sent.id.0).await?;
    Ok(())
}

/// The answer to "which address?": the endpoint is added, or the question is asked again with why not.
pub async fn on_text(h: &Handling, creator: &Creator, flow: Flow, text: &str) -> HandlerResult {
    let Handling { context, lang, .. } = h;
    let chat = ChatId(flow.chat_id);
    match add(context, creator, text).await {
        Ok(created) => {
            conversations::finish(&context.db, &flow, ConversationStatus::Done).await?;
            show_added(h, chat, created).await
        }
        Err(error @ DomainError::Validation { .. }) => {
            ask_address(h, flow.telegram_user_id, chat, Some(errors::chat(lang, &error))).await
        }
        Err(error) => Err(error.into()),
    }
}

/// Every tap is answered; a tap on another team's endpoint or delivery finds nothing and changes nothing.
pub async fn webhook_tap(h: Handling, query: CallbackQuery, button: WebhookButton, tap: Tap) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    if button == WebhookButton::Add {
        ask_address(&h, tap.user_id, tap.chat_id, None).await?;
        return answer_tap(&h, &query, Some(String::new())).await;
    }
    let answer = match run_webhook_button(context, &tap.creator, lang, button).await {
        Ok(WebhookTapOutcome { toast, screen, secret }) => {
            tap.show(bot, screen).await;
            if let Some(secret) = secret {
                telegram::send(bot, tap.chat_id, secret).await?;
            }
            Some(toast)
        }
        Err(DomainError::NotFound { .. }) => None,
        Err(error) => Some(errors::chat(lang, &error)),
    };
    answer_tap(&h, &query, answer).await
}

/// What a tap leads to: a toast, the message's new look, and a new secret to show in a message of its own.
struct WebhookTapOutcome {
    toast: String,
    screen: Screen,
    secret: Option<Screen>,
}

impl WebhookTapOutcome {
    fn show(toast: String, screen: Screen) -> Self {
        Self { toast, screen, secret: None }
    }
}

async fn run_webhook_button(
    context: &BotContext,
    creator: &Creator,
    lang: &Lang,
    button: WebhookButton,
) -> Result<WebhookTapOutcome, DomainError> {
    let db = &context.db;
    let team = creator.team_id;
    let endpoint_card = async |endpoint_id| -> Result<_, DomainError> {
        let endpoint = webhooks::team_endpoint(db, team, endpoint_id).await?;
        Ok(view::card(lang, &endpoint))
    };
    Ok(match button {
        WebhookButton::List => {
            WebhookTapOutcome::show(String::new(), view::list(lang, &db.endpoints_of_team(team).await?))
        }
        // Asked in a message of its own by `webhook_tap`.
        WebhookButton::Add => {
            WebhookTapOutcome::show(String::new(), view::list(lang, &db.endpoints_of_team(team).await?))
        }
        WebhookButton::Open(endpoint_id) => WebhookTapOutcome::show(String::new(), endpoint_card(endpoint_id).await?),
        WebhookButton::Toggle(endpoint_id, index) => {
            let endpoint = webhooks::team_endpoint(db, team, endpoint_id).await?;
            let toggled = index.and_then(|index| EVENT_TYPES.get(index).copied());
            let endpoint = webhooks::toggle_event_type(db, &endpoint, toggled).await?;
            WebhookTapOutcome::show(view::events_saved(lang, &endpoint.event_types), view::card(lang, &endpoint))
        }
        WebhookButton::Test(endpoint_id) => {
            let endpoint = webhooks::team_endpoint(db, team, endpoint_id).await?;
            webhooks::send_test_event(db, &endpoint, now()).await?;
            WebhookTapOutcome::show(lang.t("webhook-test-queued"), view::card(lang, &endpoint))
        }
        WebhookButton::Pause(endpoint_id) | WebhookButton::Resume(endpoint_id) => {
            let endpoint = webhooks::team_endpoint(db, team, endpoint_id).await?;
            let (status, reason, toast) = match button {
                WebhookButton::Pause(_) => {
                    (EndpointStatus::Paused, Some(PauseReason::ByCreator), "webhook-paused-toast")
                }
                _ => (EndpointStatus::Active, None, "webhook-resumed-toast"),
            };
            db.set_endpoint_status(endpoint.id, status, reason).await?;
            WebhookTapOutcome::show(lang.t(toast), endpoint_card(endpoint_id).await?)
        }
        WebhookButton::Rotate(endpoint_id) => {
            let endpoint = webhooks::team_endpoint(db, team, endpoint_id).await?;
            let secret = webhooks::rotate_secret(db, &context.secret, &endpoint, now()).await?;
            WebhookTapOutcome {
                toast: String::new(),
                screen: view::card(lang, &endpoint),
                secret: Some(view::secret(lang, &endpoint, &secret, "webhook-rotated")),
            }
        }
        WebhookButton::Delete(endpoint_id) => {
            let endpoint = webhooks::team_endpoint(db, team, endpoint_id).await?;
            WebhookTapOutcome::show(String::new(), view::confirm_delete(lang, &endpoint))
        }
        WebhookButton::ConfirmDelete(endpoint_id) => {
            let endpoint = webhooks::team_endpoint(db, team, endpoint_id).await?;
            db.delete_endpoint(endpoint.id).await?;
            let list = view::list(lang, &db.endpoints_of_team(team).await?);
            WebhookTapOutcome::show(lang.t("webhook-deleted"), list)
        }
        WebhookButton::Deliveries(endpoint_id) => {
            let endpoint = webhooks::team_endpoint(db, team, endpoint_id).await?;
            let recent = db.recent_deliveries(endpoint.id, RECENT_DELIVERIES).await?;
            WebhookTapOutcome::show(String::new(), view::deliveries(lang, &endpoint, &recent))
        }
        WebhookButton::Redeliver(delivery_id) => {
            let public_id = ids::public_id(ids::WEBHOOK_DELIVERY, delivery_id);
            webhooks::redeliver(db, team, &public_id, now()).await?;
            let delivery = db.find_delivery(delivery_id).await?.ok_or(DomainError::not_found("webhook delivery"))?;
            let endpoint = webhooks::team_endpoint(db, team, delivery.endpoint_id).await?;
            let recent = db.recent_deliveries(endpoint.id, RECENT_DELIVERIES).await?;
            WebhookTapOutcome::show(lang.t("webhook-redelivered"), view::deliveries(lang, &endpoint, &recent))
        }
    })
}
