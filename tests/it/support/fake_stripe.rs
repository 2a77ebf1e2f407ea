//! A fake Stripe meter-events API on 127.0.0.1, with meter event adjustments (cancellations), that checks
//! requests the way Stripe does and can be scripted to fail or to be unreachable.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;

pub const STRIPE_KEY: &str = "sk_test_fake_0123456789";
pub const METER_EVENT: &str = "access_code_overage";

#[derive(Debug, Clone)]
pub struct MeterEvent {
    pub identifier: String,
    pub customer: String,
    pub timestamp: i64,
    /// When Stripe received it: cancelling is possible for 24 hours from then.
    pub received_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Default)]
struct Inner {
    accepted: Vec<MeterEvent>,
    /// Identifiers of meter events cancelled by an adjustment.
    cancelled: Vec<String>,
    attempts: usize,
    scripted: VecDeque<u16>,
    refusals: Vec<String>,
    /// Accepted events get no answer while this is set.
    hold_answers: bool,
}

#[derive(Clone)]
pub struct FakeStripe {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
    door: super::door::Door,
}

impl FakeStripe {
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let backend = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let backend_addr = backend.local_addr().unwrap();
        let app = Router::new()
            .route("/v1/billing/meter_events", post(meter_event))
            .route("/v1/billing/meter_event_adjustments", post(meter_event_adjustment))
            .with_state(inner.clone());
        tokio::spawn(async move { axum::serve(backend, app).await.ok() });

        let door = super::door::Door::open(backend_addr).await;
        Self { url: door.url.clone(), inner, door }
    }

    pub fn set_down(&self, down: bool) {
        self.door.set_shut(down);
    }

    /// The next answers, as HTTP statuses, before requests are handled normally again.
    pub fn fail_next(&self, statuses: &[u16]) {
        self.inner.lock().unwrap().scripted.extend(statuses);
    }

    /// While `hold` is set, an accepted event is recorded but its answer is never sent.
    pub fn hold_answers(&self, hold: bool) {
        self.inner.lock().unwrap().hold_answers = hold;
    }

    pub fn accepted(&self) -> Vec<MeterEvent> {
        self.inner.lock().unwrap().accepted.clone()
    }

    /// The identifiers of the meter events cancelled, in order.
    pub fn cancelled(&self) -> Vec<String> {
        self.inner.lock().unwrap().cancelled.clone()
    }

    /// As if Stripe had received the event `hours` earlier than it did.
    pub fn age_event(&self, identifier: &str, hours: i64) {
        let mut inner = self.inner.lock().unwrap();
        for event in inner.accepted.iter_mut().filter(|event| event.identifier == identifier) {
            event.received_at -= chrono::Duration::hours(hours);
        }
    }

    pub fn attempts(&self) -> usize {
        self.inner.lock().unwrap().attempts
    }

    /// Requests Stripe would have refused, and why.
    pub fn refusals(&self) -> Vec<String> {
        self.inner.lock().unwrap().refusals.clone()
    }
}

fn stripe_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(json!({"error": {"type": "invalid_request_error", "code": code, "message": message}})))
        .into_response()
}

async fn meter_event(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let (response, held) = answer_meter_event(&inner, &headers, &form);
    if held {
        // Accepted, but the answer never leaves: as when the bot dies between Stripe's yes and its own record.
        return std::future::pending::<Response>().await;
    }
    response
}

/// Stripe's answer, and whether it is to be held back.
fn answer_meter_event(inner: &Mutex<Inner>, headers: &HeaderMap, form: &HashMap<String, String>) -> (Response, bool) {
    let mut inner = inner.lock().unwrap();
    let answer = |response: Response| (response, false);
    inner.attempts += 1;
    if let Some(status) = inner.scripted.pop_front() {
        let status = StatusCode::from_u16(status).unwrap();
        return answer(stripe_error(status, "scripted", "scripted failure"));
    }
    let refuse = |inner: &mut Inner, why: String| {
        inner.refusals.push(why.clone());
        stripe_error(StatusCode::BAD_REQUEST, "parameter_invalid", &why)
    };
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {STRIPE_KEY}")) {
        inner.refusals.push("wrong or missing API key".to_owned());
        return answer(stripe_error(StatusCode::UNAUTHORIZED, "api_key_invalid", "Invalid API Key provided"));
    }
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    if field("event_name") != METER_EVENT {
        return answer(refuse(&mut inner, format!("unknown event_name {:?}", field("event_name"))));
    }
    if !field("payload[stripe_customer_id]").starts_with("cus_") {
        return answer(refuse(&mut inner, "payload[stripe_customer_id] is not a customer".to_owned()));
    }
    if field("payload[value]") != "1" {
        return answer(refuse(&mut inner, format!("payload[value] is {:?}", field("payload[value]"))));
    }
    let identifier = field("identifier");
    if identifier.is_empty() {
        return answer(refuse(&mut inner, "identifier is missing".to_owned()));
    }
    let Ok(timestamp) = field("timestamp").parse::<i64>() else {
        return answer(refuse(&mut inner, "timestamp is not a Unix time".to_owned()));
    };
    let now = chrono::Utc::now().timestamp();
    if timestamp < now - 35 * 86_400 || timestamp > now + 300 {
        return answer(refuse(&mut inner, format!("timestamp {timestamp} is outside the accepted window")));
    }
    if inner.accepted.iter().any(|event| event.identifier == identifier) {
        // What Stripe answers to a repeated identifier: no error code, and a header saying not to retry.
        let body = json!({"error": {
            "type": "invalid_request_error",
            "message": format!("An event already exists with identifier {identifier}."),
        }});
        return answer((StatusCode::BAD_REQUEST, [("stripe-should-retry", "false")], axum::Json(body)).into_response());
    }
    let customer = field("payload[stripe_customer_id]");
    inner.accepted.push(MeterEvent { identifier, customer, timestamp, received_at: chrono::Utc::now() });
    let accepted = (StatusCode::OK, axum::Json(json!({"object": "billing.meter_event", "event_name": METER_EVENT})));
    (accepted.into_response(), inner.hold_answers)
}

/// `POST /v1/billing/meter_event_adjustments`: cancels one meter event by its identifier, within 24 hours of
/// Stripe receiving it. A second cancellation of the same event changes nothing.
async fn meter_event_adjustment(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let mut inner = inner.lock().unwrap();
    inner.attempts += 1;
    if let Some(status) = inner.scripted.pop_front() {
        return stripe_error(StatusCode::from_u16(status).unwrap(), "scripted", "scripted failure");
    }
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {STRIPE_KEY}")) {
        inner.refusals.push("wrong or missing API key".to_owned());
        return stripe_error(StatusCode::UNAUTHORIZED, "api_key_invalid", "Invalid API Key provided");
    }
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let refuse = |inner: &mut Inner, why: String| {
        inner.refusals.push(why.clone());
        stripe_error(StatusCode::BAD_REQUEST, "parameter_invalid", &why)
    };
    if field("event_name") != METER_EVENT {
        return refuse(&mut inner, format!("unknown event_name {:?}", field("event_name")));
    }
    if field("type") != "cancel" {
        return refuse(&mut inner, format!("type is {:?}; only cancel is supported", field("type")));
    }
    let identifier = field("cancel[identifier]");
    let Some(received_at) = inner.accepted.iter().find(|event| event.identifier == identifier).map(|e| e.received_at)
    else {
        return refuse(&mut inner, format!("no meter event with identifier {identifier:?}"));
    };
    if chrono::Utc::now() - received_at > chrono::Duration::hours(24) {
        return refuse(&mut inner, format!("meter event {identifier} was received more than 24 hours ago"));
    }
    if !inner.cancelled.contains(&identifier) {
        inner.cancelled.push(identifier.clone());
    }
    let body = json!({
        "object": "billing.meter_event_adjustment", "status": "pending", "event_name": METER_EVENT,
        "type": "cancel", "cancel": {"identifier": identifier},
    });
    (StatusCode::OK, axum::Json(body)).into_response()
}
