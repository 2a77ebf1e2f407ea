//! What creators read about their webhook endpoints.
use teloxide::types::InlineKeyboardButton;

use super::buttons::{Callback, WebhookButton};
use super::{Screen, button, format};
use crate::db::generation::Event;
use crate::db::webhooks::{WebhookDelivery, WebhookEndpoint};
use crate::domain::webhooks::{
    self, ALL_EVENTS, EVENT_TYPES, EndpointStatus, PAUSE_AFTER_FAILURES, PauseReason, WebhookDeliveryStatus,
};
use crate::i18n::Lang;

/// Sent into the creators' chats when the bot pauses one of their endpoints.
pub fn paused_notice(lang: &Lang, endpoint: &WebhookEndpoint, reason: PauseReason) -> Screen {
    let url = endpoint.url.as_str();
    let text = match reason {
        PauseReason::Gone => lang.t_with("webhook-paused-gone", &[("url", url.into())]),
        PauseReason::TooManyFailures | PauseReason::ByCreator => {
            lang.t_with("webhook-paused-failures", &[("url", url.into()), ("failures", PAUSE_AFTER_FAILURES.into())])
        }
    };
    Screen::new(text)
}

fn state(lang: &Lang, endpoint: &WebhookEndpoint) -> String {
    match (endpoint.status, endpoint.paused_reason) {
        (EndpointStatus::Active, _) => lang.t("webhook-state-active"),
        (EndpointStatus::Paused, Some(PauseReason::Gone)) => lang.t("webhook-state-paused-gone"),
        (EndpointStatus::Paused, Some(PauseReason::TooManyFailures)) => lang.t("webhook-state-paused-failures"),
        (EndpointStatus::Paused, _) => lang.t("webhook-state-paused"),
    }
}

fn events_text(lang: &Lang, endpoint: &WebhookEndpoint) -> String {
    if endpoint.event_types == ALL_EVENTS {
        lang.t("webhook-events-all")
    } else {
        endpoint.event_types.replace(',', ", ")
    }
}

fn summary(lang: &Lang, endpoint: &WebhookEndpoint) -> String {
    let last = match (endpoint.last_attempt_at, endpoint.last_status_code) {
        (Some(at), Some(code)) => format!("HTTP {code}, {}", format::time(lang, at)),
        (Some(at), None) => lang.t_with("webhook-last-no-answer", &[("at", format::time(lang, at).into())]),
        (None, _) => lang.t("webhook-last-never"),
    };
    lang.t_with(
        "webhook-line",
        &[
            ("url", endpoint.url.as_str().into()),
            ("events", events_text(lang, endpoint).into()),
            ("state", state(lang, endpoint).into()),
            ("last", last.into()),
            ("failures", endpoint.consecutive_failures.into()),
        ],
    )
}

fn open_button(lang: &Lang, number: usize, endpoint: &WebhookEndpoint) -> InlineKeyboardButton {
    button(
        lang.t_with("button-webhook-open", &[("number", number.into())]),
        Callback::Webhook(WebhookButton::Open(endpoint.id)),
    )
}

/// `/webhooks`: the team's endpoints, each with a button that opens it, and Add.
pub fn list(lang: &Lang, endpoints: &[WebhookEndpoint]) -> Screen {
    let text = if endpoints.is_empty() {
        lang.t("webhooks-empty")
    } else {
        let lines: Vec<String> = endpoints
            .iter()
            .enumerate()
            .map(|(n, endpoint)| format!("{}. {}", n + 1, summary(lang, endpoint)))
            .collect();
        format!("{}\n\n{}", lang.t_with("webhooks-header", &[("count", endpoints.len().into())]), lines.join("\n\n"))
    };
    let opens: Vec<InlineKeyboardButton> =
        endpoints.iter().enumerate().map(|(n, endpoint)| open_button(lang, n + 1, endpoint)).collect();
    Screen::new(text)
        .rows(opens.chunks(4).map(<[InlineKeyboardButton]>::to_vec))
        .row(vec![button(lang.t("button-webhook-add"), Callback::Webhook(WebhookButton::Add))])
}

/// One endpoint: what it is, its event types as toggles, and what can be done with it.
pub fn card(lang: &Lang, endpoint: &WebhookEndpoint) -> Screen {
    let id = endpoint.id;
    let on = |wanted: bool| if wanted { "✅" } else { "⬜" };
    let all = endpoint.event_types == ALL_EVENTS;
    let mut toggles = vec![vec![button(
        format!("{} {}", on(all), lang.t("webhook-events-all")),
        Callback::Webhook(WebhookButton::Toggle(id, None)),
    )]];
    let types: Vec<InlineKeyboardButton> = EVENT_TYPES
        .iter()
        .enumerate()
        .map(|(index, event_type)| {
            let ticked = !all && webhooks::wants(&endpoint.event_types, event_type);
            button(format!("{} {event_type}", on(ticked)), Callback::Webhook(WebhookButton::Toggle(id, Some(index))))
        })
        .collect();
    toggles.extend(types.chunks(2).map(<[InlineKeyboardButton]>::to_vec));
    let pause_or_resume = match endpoint.status {
        EndpointStatus::Active => button(lang.t("button-webhook-pause"), Callback::Webhook(WebhookButton::Pause(id))),
        EndpointStatus::Paused => button(lang.t("button-webhook-resume"), Callback::Webhook(WebhookButton::Resume(id))),
    };
    let text = format!("{}\n\n{}", summary(lang, endpoint), lang.t("webhook-card-hint"));
    Screen::new(text)
        .rows(toggles)
        .row(vec![button(lang.t("button-webhook-test"), Callback::Webhook(WebhookButton::Test(id))), pause_or_resume])
        .row(vec![
            button(lang.t("button-webhook-deliveries"), Callback::Webhook(WebhookButton::Deliveries(id))),
            button(lang.t("button-webhook-rotate"), Callback::Webhook(WebhookButton::Rotate(id))),
        ])
        .row(vec![
            button(lang.t("button-webhook-delete"), Callback::Webhook(WebhookButton::Delete(id))),
            button(lang.t("button-back"), Callback::Webhook(WebhookButton::List)),
        ])
}

/// A new endpoint's (or a rotation's) signing secret, shown this once, in monospace so it copies with a tap.
pub fn secret(lang: &Lang, endpoint: &WebhookEndpoint, secret: &str, key: &str) -> Screen {
    let text = lang.t_with(key, &[("url", endpoint.url.as_str().into()), ("secret", secret.into())]);
    Screen::new(text).monospace(secret)
}

pub fn confirm_delete(lang: &Lang, endpoint: &WebhookEndpoint) -> Screen {
    Screen::new(lang.t_with("webhook-confirm-delete", &[("url", endpoint.url.as_str().into())])).row(vec![
        button(lang.t("button-webhook-delete-yes"), Callback::Webhook(WebhookButton::ConfirmDelete(endpoint.id))),
        button(lang.t("button-back"), Callback::Webhook(WebhookButton::Open(endpoint.id))),
    ])
}

/// An endpoint's newest deliveries, with Redeliver on each that failed, is dead or was delivered.
pub fn deliveries(lang: &Lang, endpoint: &WebhookEndpoint, deliveries: &[(WebhookDelivery, Event)]) -> Screen {
    let text = if deliveries.is_empty() {
        lang.t_with("webhook-deliveries-empty", &[("url", endpoint.url.as_str().into())])
    } else {
        let lines: Vec<String> = deliveries
            .iter()
            .enumerate()
            .map(|(n, (delivery, event))| {
                let next = match delivery.status {
                    WebhookDeliveryStatus::Pending => format::time(lang, delivery.next_attempt_at),
                    _ => "—".to_owned(),
                };
                let code = delivery.last_status_code.map(|c| c.to_string()).unwrap_or_else(|| "—".to_owned());
                lang.t_with(
                    "webhook-delivery-line",
                    &[
                        ("number", (n + 1).into()),
                        ("event", event.event_type.as_str().into()),
                        ("status", lang.t(&format!("webhook-delivery-{}", delivery.status.as_str())).into()),
                        ("code", code.into()),
                        ("attempts", delivery.attempts.into()),
                        ("next", next.into()),
                    ],
                )
            })
            .collect();
        format!(
            "{}\n\n{}",
            lang.t_with("webhook-deliveries-header", &[("url", endpoint.url.as_str().into())]),
            lines.join("\n")
        )
    };
    let redeliver: Vec<InlineKeyboardButton> = deliveries
        .iter()
        .enumerate()
        .filter(|(_, (delivery, _))| delivery.status != WebhookDeliveryStatus::Pending || delivery.attempts > 0)
        .map(|(n, (delivery, _))| {
            button(
                lang.t_with("button-webhook-redeliver", &[("number", (n + 1).into())]),
                Callback::Webhook(WebhookButton::Redeliver(delivery.id)),
            )
        })
        .collect();
    Screen::new(text)
        .rows(redeliver.chunks(3).map(<[InlineKeyboardButton]>::to_vec))
        .row(vec![button(lang.t("button-back"), Callback::Webhook(WebhookButton::Open(endpoint.id)))])
}

/// The question for a new endpoint's address, answered by the next message.
pub fn ask_address(lang: &Lang, flow: &crate::domain::conversations::Flow) -> Screen {
    Screen::new(lang.t("webhook-ask-address")).row(super::plans::cancel_row(flow, lang))
}

/// The toast after an event type is ticked or unticked: the chosen types, or their count where the list would
/// not fit in a toast.
pub fn events_saved(lang: &Lang, event_types: &str) -> String {
    if event_types == ALL_EVENTS {
        return lang.t_with("webhook-events-saved", &[("events", lang.t("webhook-events-all").into())]);
    }
    let listed = lang.t_with("webhook-events-saved", &[("events", event_types.replace(',', ", ").into())]);
    if listed.chars().count() <= super::MAX_TOAST_CHARS {
        return listed;
    }
    let count = event_types.split(',').count() as i64;
    lang.t_with("webhook-events-saved-count", &[("count", count.into()), ("all", (EVENT_TYPES.len() as i64).into())])
}
