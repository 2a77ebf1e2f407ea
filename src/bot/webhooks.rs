//! `/webhooks` and `/addwebhook <url>`: the team's endpoints, their event types as toggles, test events,
//! pause and resume, secret rotation, deletion, and the recent deliveries with Redeliver.

use teloxide::prelude::*;

use super::{BotContext, HandlerResult, Handling, Tap, answer_tap};
use crate::db::teams::Creator;
use crate::domain::DomainError;
use crate::domain::clock::now;
use crate::domain::ids;
use crate::domain::webhooks::{self, EVENT_TYPES, EndpointStatus, PauseReason};
use crate::i18n::Lang;
use crate::telegram;
use crate::views::buttons::WebhookButton;
use crate::views::{Screen, errors, webhooks as view};

/// How many of an endpoint's newest deliveries its deliveries screen shows.
const RECENT_DELIVERIES: u64 = 8;

pub async fn webhooks_command(h: Handling, message: Message, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    let endpoints = context.db.endpoints_of_team(creator.team_id).await?;
    telegram::send(bot, message.chat.id, view::list(lang, &endpoints)).await?;
    Ok(())
}

pub async fn add_webhook_command(h: Handling, message: Message, args: String, creator: Creator) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
    if args.trim().is_empty() {
        telegram::send(bot, message.chat.id, Screen::new(lang.t("webhook-add-usage"))).await?;
        return Ok(());
    }
    let policy = context.webhook_policy;
    let added =
        webhooks::add_endpoint(&context.db, &context.secret, creator.team_id, &args, "all", policy, now()).await;
    match added {
        Ok(created) => {
            let secret = view::secret(lang, &created.endpoint, &created.secret, "webhook-created");
            telegram::send(bot, message.chat.id, secret).await?;
            telegram::send(bot, message.chat.id, view::card(lang, &created.endpoint)).await?;
        }
        Err(error) => {
            telegram::send(bot, message.chat.id, Screen::new(errors::chat(lang, &error))).await?;
        }
    }
    Ok(())
}

/// Every tap is answered; a tap on another team's endpoint or delivery finds nothing and changes nothing.
pub async fn webhook_tap(h: Handling, query: CallbackQuery, button: WebhookButton, tap: Tap) -> HandlerResult {
    let Handling { bot, context, lang } = &h;
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
        WebhookButton::Add => WebhookTapOutcome::show(String::new(), Screen::new(lang.t("webhook-add-usage"))),
        WebhookButton::Open(endpoint_id) => WebhookTapOutcome::show(String::new(), endpoint_card(endpoint_id).await?),
        WebhookButton::Toggle(endpoint_id, index) => {
            let endpoint = webhooks::team_endpoint(db, team, endpoint_id).await?;
            let toggled = index.and_then(|index| EVENT_TYPES.get(index).copied());
            let endpoint = webhooks::toggle_event_type(db, &endpoint, toggled).await?;
            let events = match endpoint.event_types.as_str() {
                webhooks::ALL_EVENTS => lang.t("webhook-events-all"),
                chosen => chosen.replace(',', ", "),
            };
            WebhookTapOutcome::show(
                lang.t_with("webhook-events-saved", &[("events", events.into())]),
                view::card(lang, &endpoint),
            )
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
