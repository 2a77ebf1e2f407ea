//! The webhook sender: claims due deliveries (one per endpoint at a time, so each endpoint gets its events
//! in order), signs and posts them, and records each attempt. A slow receiver holds only its own slot.
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::config::WebhookSettings;
use crate::db::Db;
use crate::db::webhooks::{DueDelivery, WebhookAttempt};
use crate::domain::DomainError;
use crate::domain::clock::now;
use crate::domain::events::EventEnvelope;
use crate::domain::notices::NoticeKind;
use crate::domain::secret::{InstanceSecret, random_bytes};
use crate::domain::webhooks::{self, AttemptResult, MAX_RESPONSE_BYTES, PauseReason};
use crate::i18n::Lang;
use crate::metrics::{BackgroundLoop, Metrics};
use crate::views::errors;
use crate::views::webhooks as view;

/// How many of the receiver's time limits a claim holds before another instance may take it over.
const CLAIM_HOLD_TIMEOUTS: u32 = 3;

#[derive(Clone)]
pub struct WebhookSender {
    pub db: Db,
    pub secret: InstanceSecret,
    pub settings: WebhookSettings,
    pub metrics: Arc<Metrics>,
}

impl WebhookSender {
    pub async fn run(self, worker_id: String, mut shutdown: watch::Receiver<bool>) {
        let slots = Arc::new(Semaphore::new(self.settings.concurrency));
        let mut sends = JoinSet::new();
        while !*shutdown.borrow() {
            let free = slots.available_permits();
            if free > 0 {
                let at = now();
                let hold = chrono::Duration::from_std(self.settings.timeout * CLAIM_HOLD_TIMEOUTS).unwrap_or_default();
                match self.db.claim_due_deliveries(&worker_id, at, at + hold, free as u64).await {
                    Ok(claimed) => {
                        for due in claimed {
                            let Ok(slot) = slots.clone().try_acquire_owned() else { break };
                            let (sender, worker_id) = (self.clone(), worker_id.clone());
                            sends.spawn(async move {
                                sender.deliver(&worker_id, due).await;
                                drop(slot);
                            });
                        }
                    }
                    Err(error) => {
                        DomainError::internal("claiming webhook deliveries", error);
                    }
                }
            }
            self.metrics.finished_pass(BackgroundLoop::WebhookSend);
            tokio::select! {
                Some(_) = sends.join_next(), if !sends.is_empty() => {}
                _ = tokio::time::sleep(self.settings.poll_interval) => {}
                _ = shutdown.changed() => {}
            }
        }
        // What is in flight finishes within the receivers' time limit, and is recorded.
        while sends.join_next().await.is_some() {}
        log::info!("the webhook sender stopped");
    }

    async fn deliver(&self, worker_id: &str, due: DueDelivery) {
        let started = Instant::now();
        let result = match self.attempt(&due).await {
            Ok(result) => result,
            Err(error) => {
                AttemptResult::NoAnswer { error: format!("refused: {}", errors::plain(&Lang::default(), &error)) }
            }
        };
        let at = now();
        // Counted when claimed.
        let attempts = due.delivery.attempts;
        let jitter = f64::from(u32::from_le_bytes(random_bytes::<4>())) / f64::from(u32::MAX) * 2.0 - 1.0;
        let after = webhooks::after_attempt(
            &result,
            attempts,
            due.endpoint.consecutive_failures,
            &self.settings.schedule,
            at,
            jitter,
        );
        let error = match &result {
            AttemptResult::NoAnswer { error } => Some(error.clone()),
            AttemptResult::Refused { status, .. } => Some(format!("HTTP {status}")),
            AttemptResult::Delivered { .. } => None,
        };
        let attempt = WebhookAttempt {
            id: Uuid::now_v7(),
            delivery_id: due.delivery.id,
            attempted_at: at,
            status_code: result.status().map(i32::from),
            error,
            duration_ms: started.elapsed().as_millis().min(i32::MAX as u128) as i32,
        };
        log::info!(
            "webhook delivery {} ({}) to endpoint {}: attempt {attempts}, {:?}",
            due.delivery.id,
            due.event.event_type,
            due.endpoint.id,
            result
        );
        match self.db.record_attempt(&due, worker_id, attempt, &after, at).await {
            Ok(true) => {
                if let Some(reason) = after.pause {
                    self.tell_paused(&due, reason).await;
                }
            }
            Ok(false) => {
                log::warn!("webhook delivery {} was taken over before its attempt was recorded", due.delivery.id)
            }
            Err(error) => {
                DomainError::internal("recording a webhook attempt", error);
            }
        }
    }

    /// One POST of the event to the endpoint, pinned to the addresses that passed the target check.
    async fn attempt(&self, due: &DueDelivery) -> Result<AttemptResult, DomainError> {
        let policy = self.settings.policy;
        let url = webhooks::parse_url(&due.endpoint.url, policy)?;
        let addresses = webhooks::resolve_target(&url, policy).await?;
        let secrets = webhooks::signing_secrets(&self.secret, &due.endpoint, now())?;
        let envelope = EventEnvelope::of(&due.event);
        let body = serde_json::to_vec(&envelope).map_err(|e| DomainError::internal("encoding an event", e))?;
        let timestamp = now().timestamp();
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let signature = webhooks::signature_header(&secrets, timestamp, &body);
        let mut client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.settings.timeout)
            .user_agent(concat!("accessbot/", env!("CARGO_PKG_VERSION")));
        if let Some(host) = url.host_str().filter(|_| url.host().is_some_and(|h| matches!(h, url::Host::Domain(_)))) {
            client = client.resolve_to_addrs(host, &addresses);
        }
        let client = client.build().map_err(|e| DomainError::internal("building an HTTP client", e))?;
        let sent = client
            .post(url)
            .header("Content-Type", "application/json")
            .header("Accessbot-Event-Id", &envelope.id)
            .header("Accessbot-Event-Type", &envelope.event_type)
            .header("Accessbot-Signature", signature)
            .body(body)
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(error) => return Ok(AttemptResult::NoAnswer { error: describe(error) }),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(parse_retry_after);
        // Only the start of the answer is read; a huge body is cut off, not buffered.
        let mut read = 0;
        while read < MAX_RESPONSE_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => read += chunk.len(),
                Ok(None) => break,
                Err(error) => {
                    if (200..300).contains(&status) {
                        break;
                    }
                    return Ok(AttemptResult::NoAnswer { error: describe(error) });
                }
            }
        }
        Ok(AttemptResult::from_status(status, retry_after))
    }

    /// The team's creators hear of it through the notifier.
    async fn tell_paused(&self, due: &DueDelivery, reason: PauseReason) {
        log::warn!("webhook endpoint {} paused: {}", due.endpoint.id, reason.as_str());
        let notice_for = |creator: &crate::db::teams::Creator| {
            let lang = Lang::from_code(creator.language_code.as_deref());
            crate::views::notices::prepared(&view::paused_notice(&lang, &due.endpoint, reason))
        };
        let recorded = self.db.record_notice(due.endpoint.team_id, NoticeKind::Prepared, notice_for, now()).await;
        if let Err(error) = recorded {
            DomainError::internal("telling creators of a paused webhook", error);
        }
    }
}

/// What went wrong, with its innermost cause ("connection closed before message completed", say).
fn describe(error: reqwest::Error) -> String {
    if error.is_timeout() {
        return "no answer within the time limit".to_owned();
    }
    let inner = {
        let mut cause: &dyn std::error::Error = &error;
        while let Some(inner) = cause.source() {
            cause = inner;
        }
        cause.to_string()
    };
    let outer = error.without_url().to_string();
    if inner == outer || inner.is_empty() { outer } else { format!("{outer}: {inner}") }
}

/// `Retry-After` in seconds, or as an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    if let Ok(seconds) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value.trim()).ok()?;
    (at.with_timezone(&chrono::Utc) - now()).to_std().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        let later = (now() + chrono::Duration::seconds(90)).to_rfc2822();
        assert!(parse_retry_after(&later).is_some_and(|wait| wait <= Duration::from_secs(90)));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
