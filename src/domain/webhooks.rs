//! Webhooks: the rules for endpoints (which URLs the bot calls, which events they get), signing, and what
//! an attempt's answer means for the delivery and its endpoint.
use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use url::Url;

use super::events;
use super::ids;
use super::secret::{InstanceSecret, hex, random_bytes};
use super::stored::stored_enum;
use super::{DomainError, ValidationReason};
use crate::db::Db;
use crate::db::generation::Event;
use crate::db::webhooks::WebhookEndpoint;

stored_enum! {
    /// Whether an endpoint is sent to.
    pub enum EndpointStatus {
        Active = "active",
        Paused = "paused",
    }
}

stored_enum! {
    /// Where one event's delivery to one endpoint stands.
    pub enum WebhookDeliveryStatus {
        Pending = "pending",
        Delivered = "delivered",
        /// Every try of the schedule failed; kept, and sent again on Redeliver.
        Dead = "dead",
    }
}

stored_enum! {
    /// Why an endpoint was paused.
    pub enum PauseReason {
        ByCreator = "by_creator",
        TooManyFailures = "too_many_failures",
        /// The receiver answered 410 Gone.
        Gone = "gone",
    }
}

pub const SECRET_PREFIX: &str = "whsec_";
/// The event types an endpoint can ask for; "all" asks for every one, including ones added later.
pub const EVENT_TYPES: &[&str] = &[
    events::ACCESS_CODE_GENERATED,
    events::ACCESS_CODE_REDEEMED,
    events::ACCESS_CODE_EXPIRED,
    events::ACCESS_CODE_REVOKED,
    events::SUBSCRIPTION_STARTED,
    events::SUBSCRIPTION_EXTENDED,
    events::SUBSCRIPTION_ENDED,
    events::REDEMPTION_ROLLED_BACK,
    events::MEMBER_JOINED,
    events::MEMBER_REMOVED,
    events::JOIN_REQUEST_DECLINED,
];
pub const ALL_EVENTS: &str = "all";
/// What "send a test event" sends; it goes only to the endpoint it was asked for.
pub const TEST_EVENT: &str = "webhook.test";
/// Consecutive failed attempts after which an endpoint is paused.
pub const PAUSE_AFTER_FAILURES: i32 = 20;
/// How long after a rotation the old secret still signs too.
pub const ROTATION_OVERLAP: chrono::Duration = chrono::Duration::hours(24);
/// How much of a receiver's answer is read.
pub const MAX_RESPONSE_BYTES: usize = 4096;
pub const MAX_URL_LENGTH: usize = 2048;
/// The waits before each try after the first: immediately, then about 10 s, 30 s, 2 min, 10 min, 1 h, 6 h, 24 h.
pub const DEFAULT_SCHEDULE: &str = "0s,10s,30s,2m,10m,1h,6h,24h";
/// Retry waits are spread this much either way, so that many failed deliveries do not come back at once.
const JITTER: f64 = 0.1;

/// Which targets the operator lets the bot call.
#[derive(Debug, Clone, Copy, Default)]
pub struct TargetPolicy {
    pub allow_http: bool,
    pub allow_private_networks: bool,
}

/// The URL as typed, checked: https (or http where allowed), a host, no credentials, not too long.
pub fn parse_url(input: &str, policy: TargetPolicy) -> Result<Url, DomainError> {
    let invalid = |reason| DomainError::validation("url", reason);
    let input = input.trim();
    if input.len() > MAX_URL_LENGTH {
        return Err(invalid(ValidationReason::TooLong { max: MAX_URL_LENGTH }));
    }
    let url = Url::parse(input).map_err(|_| invalid(ValidationReason::NotAUrl))?;
    let scheme_allowed = url.scheme() == "https" || (policy.allow_http && url.scheme() == "http");
    if !scheme_allowed {
        return Err(invalid(ValidationReason::NotHttps));
    }
    if url.host_str().is_none_or(str::is_empty) || !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(ValidationReason::NotAUrl));
    }
    Ok(url)
}

/// The addresses the URL's host resolves to, each one allowed by the policy; checked at every delivery,
/// since what a name resolves to can change.
pub async fn resolve_target(url: &Url, policy: TargetPolicy) -> Result<Vec<std::net::SocketAddr>, DomainError> {
    let invalid = |reason| DomainError::validation("url", reason);
    let host = url.host_str().ok_or(invalid(ValidationReason::NotAUrl))?;
    let port = url.port_or_known_default().ok_or(invalid(ValidationReason::NotAUrl))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<std::net::SocketAddr> =
        tokio::net::lookup_host((host, port)).await.map_err(|_| invalid(ValidationReason::Unresolvable))?.collect();
    if addresses.is_empty() {
        return Err(invalid(ValidationReason::Unresolvable));
    }
    if !policy.allow_private_networks && addresses.iter().any(|address| !is_public(address.ip())) {
        return Err(invalid(ValidationReason::PrivateTarget));
    }
    Ok(addresses)
}

/// Whether an address is on the public internet: not loopback, private, link-local (where cloud metadata
/// services live, 169.254.169.254 and fd00:ec2::254), shared (100.64/10, also metadata on some clouds),
/// multicast, broadcast, documentation or unspecified.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_unspecified()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// The event types as stored: "all", or a comma-separated list of known types.
pub fn parse_event_types(input: &str) -> Result<String, DomainError> {
    let input = input.trim();
    if input.is_empty() || input.eq_ignore_ascii_case(ALL_EVENTS) {
        return Ok(ALL_EVENTS.to_owned());
    }
    let mut chosen: Vec<&str> = Vec::new();
    for part in input.split(',').map(str::trim).filter(|part| !part.is_empty()) {
        let known = EVENT_TYPES
            .iter()
            .find(|known| **known == part)
            .ok_or(DomainError::validation("events", ValidationReason::UnknownValue { allowed: EVENT_TYPES }))?;
        if !chosen.contains(known) {
            chosen.push(known);
        }
    }
    if chosen.len() == EVENT_TYPES.len() {
        return Ok(ALL_EVENTS.to_owned());
    }
    Ok(EVENT_TYPES.iter().filter(|known| chosen.contains(known)).copied().collect::<Vec<_>>().join(","))
}

/// The stored event types after ticking or unticking one (`Some(type)`), or ticking "all" (`None`).
pub fn toggled_event_types(current: &str, toggled: Option<&str>) -> String {
    let Some(toggled) = toggled else { return ALL_EVENTS.to_owned() };
    let chosen: Vec<&str> =
        EVENT_TYPES.iter().copied().filter(|known| wants(current, known) != (*known == toggled)).collect();
    match chosen.len() {
        // Nothing ticked would be an endpoint that never hears anything: untick-all goes back to "all".
        0 => ALL_EVENTS.to_owned(),
        n if n == EVENT_TYPES.len() => ALL_EVENTS.to_owned(),
        _ => chosen.join(","),
    }
}

/// Whether an endpoint with these stored event types gets `event_type`.
pub fn wants(event_types: &str, event_type: &str) -> bool {
    event_types == ALL_EVENTS || event_types.split(',').any(|wanted| wanted == event_type)
}

/// A new signing secret, shown to the creator once.
pub fn new_secret() -> String {
    format!("{SECRET_PREFIX}{}", hex(&random_bytes::<24>()))
}

/// `Accessbot-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` for each secret
/// (the current one first, then the one before a rotation while it still signs).
pub fn signature_header(secrets: &[&str], timestamp: i64, body: &[u8]) -> String {
    let mut header = format!("t={timestamp}");
    for secret in secrets {
        header.push_str(",v1=");
        header.push_str(&sign(secret, timestamp, body));
    }
    header
}

pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    hex(&mac.finalize().into_bytes())
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptResult {
    /// A 2xx in time.
    Delivered { status: u16 },
    /// Any other answer, with its `Retry-After` when it sent one on 429 or 503.
    Refused { status: u16, retry_after: Option<Duration> },
    /// No answer: a refused target, a connection that failed, or the time limit passed.
    NoAnswer { error: String },
}

impl AttemptResult {
    pub fn from_status(status: u16, retry_after: Option<Duration>) -> Self {
        if (200..300).contains(&status) {
            Self::Delivered { status }
        } else {
            let retry_after = retry_after.filter(|_| status == 429 || status == 503);
            Self::Refused { status, retry_after }
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Delivered { status } | Self::Refused { status, .. } => Some(*status),
            Self::NoAnswer { .. } => None,
        }
    }
}

/// What happens to a delivery and its endpoint after an attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct AfterAttempt {
    pub delivery: WebhookDeliveryStatus,
    /// When the next try is due, for a delivery still pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub endpoint_failures: i32,
    /// Set when this attempt pauses the endpoint.
    pub pause: Option<PauseReason>,
}

/// The rule for one attempt: `attempts` tries so far including this one, `failures` the endpoint's
/// consecutive failures before it, `jitter` a number in [-1, 1].
pub fn after_attempt(
    result: &AttemptResult,
    attempts: i32,
    failures: i32,
    schedule: &[Duration],
    now: DateTime<Utc>,
    jitter: f64,
) -> AfterAttempt {
    if let AttemptResult::Delivered { .. } = result {
        return AfterAttempt {
            delivery: WebhookDeliveryStatus::Delivered,
            next_attempt_at: None,
            endpoint_failures: 0,
            pause: None,
        };
    }
    let endpoint_failures = failures + 1;
    let pause = match result {
        AttemptResult::Refused { status: 410, .. } => Some(PauseReason::Gone),
        _ if endpoint_failures >= PAUSE_AFTER_FAILURES => Some(PauseReason::TooManyFailures),
        _ => None,
    };
    // The schedule's first entry is the first try itself; the n-th try waits the n-th entry.
    let Some(wait) = schedule.get(attempts.max(0) as usize) else {
        return AfterAttempt { delivery: WebhookDeliveryStatus::Dead, next_attempt_at: None, endpoint_failures, pause };
    };
    let spread = wait.mul_f64((1.0 + JITTER * jitter.clamp(-1.0, 1.0)).max(0.0));
    let asked = match result {
        AttemptResult::Refused { retry_after: Some(asked), .. } => *asked.min(&Duration::from_secs(86_400)),
        _ => Duration::ZERO,
    };
    let wait = chrono::Duration::from_std(spread.max(asked)).unwrap_or(chrono::Duration::days(1));
    AfterAttempt {
        delivery: WebhookDeliveryStatus::Pending,
        next_attempt_at: Some(now + wait),
        endpoint_failures,
        pause,
    }
}

/// A new endpoint, with its signing secret, which is shown this once.
pub struct CreatedEndpoint {
    pub endpoint: WebhookEndpoint,
    pub secret: String,
}

/// Adds an endpoint to a team after checking its URL (also where it resolves to) and event types.
pub async fn add_endpoint(
    db: &Db,
    secret: &InstanceSecret,
    team_id: uuid::Uuid,
    url: &str,
    event_types: &str,
    policy: TargetPolicy,
    now: DateTime<Utc>,
) -> Result<CreatedEndpoint, DomainError> {
    let url = parse_url(url, policy)?;
    resolve_target(&url, policy).await?;
    let event_types = parse_event_types(event_types)?;
    let signing_secret = new_secret();
    let endpoint = WebhookEndpoint {
        id: uuid::Uuid::now_v7(),
        team_id,
        url: url.to_string(),
        event_types,
        sealed_secret: secret.seal_stored(&signing_secret),
        sealed_previous_secret: None,
        previous_secret_until: None,
        status: EndpointStatus::Active,
        paused_reason: None,
        consecutive_failures: 0,
        last_attempt_at: None,
        last_status_code: None,
        created_at: now,
    };
    db.insert_endpoint(endpoint.clone()).await?;
    Ok(CreatedEndpoint { endpoint, secret: signing_secret })
}

/// The team's endpoint with this public id (`whe_…`), or not found.
pub async fn endpoint_of_team(db: &Db, team_id: uuid::Uuid, public_id: &str) -> Result<WebhookEndpoint, DomainError> {
    let id =
        ids::parse_public_id(ids::WEBHOOK_ENDPOINT, public_id).ok_or(DomainError::not_found("webhook endpoint"))?;
    db.find_endpoint(id)
        .await?
        .filter(|endpoint| endpoint.team_id == team_id)
        .ok_or(DomainError::not_found("webhook endpoint"))
}

/// The team's endpoint with this id, or not found (a tap on another team's endpoint finds nothing).
pub async fn team_endpoint(
    db: &Db,
    team_id: uuid::Uuid,
    endpoint_id: uuid::Uuid,
) -> Result<WebhookEndpoint, DomainError> {
    db.find_endpoint(endpoint_id)
        .await?
        .filter(|endpoint| endpoint.team_id == team_id)
        .ok_or(DomainError::not_found("webhook endpoint"))
}

/// Ticks or unticks one event type of an endpoint, or ticks all of them.
pub async fn toggle_event_type(
    db: &Db,
    endpoint: &WebhookEndpoint,
    toggled: Option<&str>,
) -> Result<WebhookEndpoint, DomainError> {
    let event_types = toggled_event_types(&endpoint.event_types, toggled);
    db.set_endpoint_event_types(endpoint.id, &event_types).await?;
    Ok(WebhookEndpoint { event_types, ..endpoint.clone() })
}

/// A new signing secret for the endpoint; the current one keeps signing beside it for a day.
pub async fn rotate_secret(
    db: &Db,
    secret: &InstanceSecret,
    endpoint: &WebhookEndpoint,
    now: DateTime<Utc>,
) -> Result<String, DomainError> {
    let signing_secret = new_secret();
    let sealed = secret.seal_stored(&signing_secret);
    db.rotate_endpoint_secret(endpoint.id, sealed, endpoint.sealed_secret.clone(), now + ROTATION_OVERLAP).await?;
    Ok(signing_secret)
}

/// The secrets a delivery is signed with now: the current one, then the one before a rotation while it
/// still signs.
pub fn signing_secrets(
    secret: &InstanceSecret,
    endpoint: &WebhookEndpoint,
    now: DateTime<Utc>,
) -> Result<Vec<String>, DomainError> {
    let unseal = |sealed: &str| {
        secret.unseal_stored(sealed).ok_or_else(|| {
            DomainError::internal("opening a webhook secret", format!("endpoint {} does not open", endpoint.id))
        })
    };
    let mut secrets = vec![unseal(&endpoint.sealed_secret)?];
    if let (Some(previous), Some(until)) = (&endpoint.sealed_previous_secret, endpoint.previous_secret_until)
        && until > now
    {
        secrets.push(unseal(previous)?);
    }
    Ok(secrets)
}

/// Queues a `webhook.test` event for this endpoint alone.
pub async fn send_test_event(db: &Db, endpoint: &WebhookEndpoint, now: DateTime<Utc>) -> Result<(), DomainError> {
    let data = serde_json::json!({ "endpoint_id": ids::public_id(ids::WEBHOOK_ENDPOINT, endpoint.id) });
    let event = Event {
        id: uuid::Uuid::now_v7(),
        team_id: endpoint.team_id,
        event_type: TEST_EVENT.to_owned(),
        data: data.to_string(),
        created_at: now,
        delivered_at: None,
    };
    db.record_test_event(endpoint, event).await?;
    Ok(())
}

/// Sends a delivery again now, from the start of the schedule: a failing, dead or delivered one, not one
/// still on its first try or in flight.
pub async fn redeliver(db: &Db, team_id: uuid::Uuid, public_id: &str, now: DateTime<Utc>) -> Result<(), DomainError> {
    let not_found = || DomainError::not_found("webhook delivery");
    let id = ids::parse_public_id(ids::WEBHOOK_DELIVERY, public_id).ok_or_else(not_found)?;
    let delivery = db.find_delivery(id).await?.ok_or_else(not_found)?;
    let endpoint =
        db.find_endpoint(delivery.endpoint_id).await?.filter(|e| e.team_id == team_id).ok_or_else(not_found)?;
    let in_flight = delivery.locked_until.is_some_and(|until| until > now);
    let on_its_way = delivery.status == WebhookDeliveryStatus::Pending && (delivery.attempts == 0 || in_flight);
    if on_its_way || !db.redeliver(delivery.id, now).await? {
        return Err(DomainError::validation("delivery_id", ValidationReason::StillPending));
    }
    log::info!("webhook delivery {} to endpoint {} queued again", delivery.id, endpoint.id);
    Ok(())
}

/// A delivery as agents read it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeliveryView {
    pub delivery_id: String,
    pub endpoint_id: String,
    pub url: String,
    pub event_id: String,
    pub event_type: String,
    pub status: &'static str,
    pub attempts: i32,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    /// When the next try is due, for a pending delivery.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DeliveryList {
    pub deliveries: Vec<DeliveryView>,
}

pub const MAX_LISTED_DELIVERIES: i64 = 100;
const DELIVERY_FILTERS: &[&str] = &["pending", "delivered", "dead", "all"];

/// The team's newest deliveries, of one endpoint or all, with one status or all.
pub async fn list_deliveries(
    db: &Db,
    team_id: uuid::Uuid,
    endpoint: Option<&str>,
    status: Option<&str>,
    limit: Option<i64>,
) -> Result<DeliveryList, DomainError> {
    let limit = limit.unwrap_or(25);
    if !(1..=MAX_LISTED_DELIVERIES).contains(&limit) {
        return Err(DomainError::validation(
            "limit",
            ValidationReason::OutOfRange { min: 1, max: MAX_LISTED_DELIVERIES },
        ));
    }
    let status = match status.map(str::trim).unwrap_or("all") {
        "all" => None,
        other => Some(other.parse::<WebhookDeliveryStatus>().map_err(|_| {
            DomainError::validation("status", ValidationReason::UnknownValue { allowed: DELIVERY_FILTERS })
        })?),
    };
    let endpoints = match endpoint {
        Some(public_id) => vec![endpoint_of_team(db, team_id, public_id).await?],
        None => db.endpoints_of_team(team_id).await?,
    };
    let ids: Vec<uuid::Uuid> = endpoints.iter().map(|e| e.id).collect();
    let found = db.deliveries_of_endpoints(ids, status, limit as u64).await?;
    let deliveries = found
        .into_iter()
        .filter_map(|(delivery, event)| {
            let endpoint = endpoints.iter().find(|e| e.id == delivery.endpoint_id)?;
            Some(DeliveryView {
                delivery_id: ids::public_id(ids::WEBHOOK_DELIVERY, delivery.id),
                endpoint_id: ids::public_id(ids::WEBHOOK_ENDPOINT, endpoint.id),
                url: endpoint.url.clone(),
                event_id: ids::public_id(ids::EVENT, event.id),
                event_type: event.event_type,
                status: delivery.status.as_str(),
                attempts: delivery.attempts,
                last_status_code: delivery.last_status_code,
                last_error: delivery.last_error,
                next_attempt_at: (delivery.status == WebhookDeliveryStatus::Pending)
                    .then_some(delivery.next_attempt_at),
                delivered_at: delivery.delivered_at,
                created_at: delivery.created_at,
            })
        })
        .collect();
    Ok(DeliveryList { deliveries })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule() -> Vec<Duration> {
        [0, 10, 30, 120, 600, 3600, 21_600, 86_400].map(Duration::from_secs).to_vec()
    }

    #[test]
    fn only_https_urls_with_a_host_and_no_credentials_are_taken() {
        let strict = TargetPolicy::default();
        assert!(parse_url("https://shop.example/hooks", strict).is_ok());
        for bad in ["http://shop.example/hooks", "ftp://shop.example", "shop.example", "https://user:pw@shop.example"] {
            assert!(parse_url(bad, strict).is_err(), "{bad}");
        }
        assert!(parse_url("http://shop.example", TargetPolicy { allow_http: true, ..strict }).is_ok());
    }

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "ff02::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn a_name_that_resolves_to_loopback_is_refused_unless_allowed() {
        let url = parse_url("https://localhost:9/hooks", TargetPolicy::default()).unwrap();
        let refused = resolve_target(&url, TargetPolicy::default()).await.unwrap_err();
        assert_eq!(refused, DomainError::validation("url", ValidationReason::PrivateTarget));
        let allowed = TargetPolicy { allow_private_networks: true, ..TargetPolicy::default() };
        assert!(resolve_target(&url, allowed).await.is_ok());
    }

    #[test]
    fn event_types_are_all_or_known_ones_in_a_fixed_order() {
        assert_eq!(parse_event_types("").unwrap(), "all");
        assert_eq!(parse_event_types("ALL").unwrap(), "all");
        assert_eq!(
            parse_event_types("member.joined, access_code.redeemed,member.joined").unwrap(),
            "access_code.redeemed,member.joined"
        );
        assert!(parse_event_types("access_code.stolen").is_err());
        assert_eq!(parse_event_types(&EVENT_TYPES.join(",")).unwrap(), "all");
        assert!(wants("all", events::MEMBER_REMOVED));
        assert!(wants("access_code.redeemed,member.joined", events::MEMBER_JOINED));
        assert!(!wants("access_code.redeemed", events::ACCESS_CODE_GENERATED));
        let without_expired = toggled_event_types("all", Some(events::ACCESS_CODE_EXPIRED));
        assert_eq!(without_expired.split(',').count(), EVENT_TYPES.len() - 1);
        assert!(!wants(&without_expired, events::ACCESS_CODE_EXPIRED));
        assert_eq!(toggled_event_types(&without_expired, Some(events::ACCESS_CODE_EXPIRED)), "all");
        assert_eq!(toggled_event_types("member.joined", Some(events::MEMBER_JOINED)), "all", "never none");
        assert_eq!(toggled_event_types("member.joined", None), "all");
    }

    #[test]
    fn the_signature_is_an_hmac_of_the_timestamp_and_body_for_each_secret() {
        // Python: hmac.new(b"whsec_test", b"1700000000.{}", hashlib.sha256).hexdigest()
        let expected = "35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91";
        assert_eq!(sign("whsec_test", 1_700_000_000, b"{}"), expected);
        let header = signature_header(&["whsec_new", "whsec_old"], 1_700_000_000, b"{}");
        let parts: Vec<&str> = header.split(',').collect();
        assert_eq!(parts[0], "t=1700000000");
        assert_eq!(parts[1], format!("v1={}", sign("whsec_new", 1_700_000_000, b"{}")));
        assert_eq!(parts[2], format!("v1={}", sign("whsec_old", 1_700_000_000, b"{}")));
        assert!(new_secret().starts_with(SECRET_PREFIX) && new_secret() != new_secret());
    }

    #[test]
    fn failures_follow_the_schedule_then_the_delivery_is_dead() {
        let now = DateTime::UNIX_EPOCH;
        let refused = AttemptResult::from_status(500, None);
        let first = after_attempt(&refused, 1, 0, &schedule(), now, 0.0);
        assert_eq!(first.next_attempt_at, Some(now + chrono::Duration::seconds(10)));
        assert_eq!((first.delivery, first.endpoint_failures, first.pause), (WebhookDeliveryStatus::Pending, 1, None));
        let jittered = after_attempt(&refused, 2, 1, &schedule(), now, 1.0);
        assert_eq!(jittered.next_attempt_at, Some(now + chrono::Duration::seconds(33)));
        let last = after_attempt(&refused, 8, 7, &schedule(), now, 0.0);
        assert_eq!(last.delivery, WebhookDeliveryStatus::Dead);
        let delivered = after_attempt(&AttemptResult::from_status(204, None), 3, 7, &schedule(), now, 0.0);
        assert_eq!((delivered.delivery, delivered.endpoint_failures), (WebhookDeliveryStatus::Delivered, 0));
    }

    #[test]
    fn retry_after_is_honoured_and_gone_or_twenty_failures_pause_the_endpoint() {
        let now = DateTime::UNIX_EPOCH;
        let busy = AttemptResult::from_status(429, Some(Duration::from_secs(120)));
        assert_eq!(
            after_attempt(&busy, 1, 0, &schedule(), now, 0.0).next_attempt_at,
            Some(now + chrono::Duration::seconds(120))
        );
        let ignored = AttemptResult::from_status(500, Some(Duration::from_secs(120)));
        assert_eq!(ignored, AttemptResult::Refused { status: 500, retry_after: None }, "only on 429 and 503");
        let gone = after_attempt(&AttemptResult::from_status(410, None), 1, 0, &schedule(), now, 0.0);
        assert_eq!(gone.pause, Some(PauseReason::Gone));
        let twentieth =
            after_attempt(&AttemptResult::NoAnswer { error: "timeout".into() }, 3, 19, &schedule(), now, 0.0);
        assert_eq!((twentieth.endpoint_failures, twentieth.pause), (20, Some(PauseReason::TooManyFailures)));
    }
}
