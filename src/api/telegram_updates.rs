//! Webhook mode: the endpoint Telegram posts updates to. An update is stored in the inbox and answered at
//! once; handling goes its own way through the inbox's claims, on whichever instance claims it.
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use teloxide::types::Update;

use crate::config::Secret;
use crate::domain::DomainError;
use crate::domain::secret::constant_time_eq;
use crate::telegram::inbox::Inbox;

/// The header Telegram sends `setWebhook`'s `secret_token` back in.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// What the endpoint needs: where it is served, the shared secret and this instance's inbox.
pub struct TelegramUpdates {
    /// The path of `TELEGRAM_WEBHOOK_URL`.
    pub path: String,
    pub secret: Secret,
    pub inbox: Arc<Inbox>,
}

/// 401 without the right secret (nothing stored); 200 once the update is stored, or was already (a retry);
/// 500 when it could not be stored, so Telegram tries again.
pub async fn receive_update(
    State(updates): State<Arc<TelegramUpdates>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let presented = headers.get(SECRET_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !constant_time_eq(presented, updates.secret.expose()) {
        return (StatusCode::UNAUTHORIZED, "wrong or missing secret token");
    }
    let Ok(payload) = std::str::from_utf8(&body) else {
        return (StatusCode::BAD_REQUEST, "not UTF-8");
    };
    let update = match serde_json::from_str::<Update>(payload) {
        Ok(update) => update,
        Err(error) => {
            log::warn!("a webhook post is not a Telegram update: {error}");
            return (StatusCode::BAD_REQUEST, "not a Telegram update");
        }
    };
    match updates.inbox.receive(&update, payload.to_owned()).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(error) => {
            DomainError::internal("storing an update in the inbox", error);
            (StatusCode::INTERNAL_SERVER_ERROR, "cannot store the update now")
        }
    }
}
