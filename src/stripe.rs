//! The Stripe adapter: its meter events API, where one overage redemption becomes one meter event, and its
//! meter event adjustments, which cancel one when the redemption is rolled back.
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::config::Secret;

/// What Stripe made of a meter event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeterOutcome {
    Accepted,
    /// Stripe refused it for good (a 4xx other than 429), with its message.
    Rejected(String),
    /// Worth trying again later: a network error, 429 or 5xx.
    Retry(String),
}

#[derive(Clone)]
pub struct StripeClient {
    http: reqwest::Client,
    api_base: String,
    api_key: Secret,
    event_name: String,
}

impl StripeClient {
    pub fn new(api_base: &str, api_key: Secret, event_name: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .expect("a reqwest client with a timeout builds");
        Self { http, api_base: api_base.trim_end_matches('/').to_owned(), api_key, event_name: event_name.to_owned() }
    }

    /// Sends one meter event; `identifier` makes a repeated send count once at Stripe.
    pub async fn send_meter_event(&self, customer: &str, identifier: &str, at: DateTime<Utc>) -> MeterOutcome {
        let timestamp = at.timestamp().to_string();
        let form = [
            ("event_name", self.event_name.as_str()),
            ("payload[stripe_customer_id]", customer),
            ("payload[value]", "1"),
            ("identifier", identifier),
            ("timestamp", timestamp.as_str()),
        ];
        let response = self
            .http
            .post(format!("{}/v1/billing/meter_events", self.api_base))
            .bearer_auth(self.api_key.expose())
            .form(&form)
            .send()
            .await;
        self.outcome(response, Some(identifier)).await
    }

    /// Cancels the meter event sent with `identifier`; Stripe allows it within 24 hours of receiving it.
    pub async fn cancel_meter_event(&self, identifier: &str) -> MeterOutcome {
        let form = [("event_name", self.event_name.as_str()), ("type", "cancel"), ("cancel[identifier]", identifier)];
        let response = self
            .http
            .post(format!("{}/v1/billing/meter_event_adjustments", self.api_base))
            .bearer_auth(self.api_key.expose())
            .form(&form)
            .send()
            .await;
        self.outcome(response, None).await
    }

    /// What Stripe's answer means; `repeat_of` is the identifier of a meter event, whose repeat counts as done.
    async fn outcome(&self, response: reqwest::Result<reqwest::Response>, repeat_of: Option<&str>) -> MeterOutcome {
        let response = match response {
            Ok(response) => response,
            Err(error) => return MeterOutcome::Retry(format!("network: {}", error.without_url())),
        };
        let status = response.status();
        if status.is_success() {
            return MeterOutcome::Accepted;
        }
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let message = body["error"]["message"].as_str().unwrap_or("no message").to_owned();
        if repeat_of.is_some_and(|identifier| is_repeat_of(status, &message, identifier)) {
            return MeterOutcome::Accepted;
        }
        if status.as_u16() == 429 || status.is_server_error() {
            MeterOutcome::Retry(format!("HTTP {status}: {message}"))
        } else {
            MeterOutcome::Rejected(format!("HTTP {status}: {message}"))
        }
    }
}

/// Stripe's answer to a meter event whose `identifier` it has already accepted: an earlier send arrived
/// although its answer did not (a crash, a cut connection), so this usage is billed once already. Stripe
/// says so with a 400 whose message names the identifier, and no error code.
fn is_repeat_of(status: reqwest::StatusCode, message: &str, identifier: &str) -> bool {
    status == reqwest::StatusCode::BAD_REQUEST
        && message.starts_with("An event already exists with identifier")
        && message.contains(identifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stripes_answer_to_our_own_repeated_identifier_counts_as_billed() {
        let repeat = "An event already exists with identifier ur_01JD5.";
        assert!(is_repeat_of(reqwest::StatusCode::BAD_REQUEST, repeat, "ur_01JD5"));
        assert!(!is_repeat_of(reqwest::StatusCode::BAD_REQUEST, repeat, "ur_01JD6"), "someone else's identifier");
        assert!(!is_repeat_of(reqwest::StatusCode::BAD_REQUEST, "No such customer: 'cus_x'", "ur_01JD5"));
        assert!(!is_repeat_of(reqwest::StatusCode::INTERNAL_SERVER_ERROR, repeat, "ur_01JD5"));
    }
}
