//! Events for webhooks: what happened, stored in an outbox until delivered.
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ids;
use crate::db::generation::Event;

pub const ACCESS_CODE_GENERATED: &str = "access_code.generated";
pub const ACCESS_CODE_REDEEMED: &str = "access_code.redeemed";
pub const ACCESS_CODE_EXPIRED: &str = "access_code.expired";
pub const ACCESS_CODE_REVOKED: &str = "access_code.revoked";
pub const SUBSCRIPTION_STARTED: &str = "subscription.started";
pub const SUBSCRIPTION_EXTENDED: &str = "subscription.extended";
pub const SUBSCRIPTION_ENDED: &str = "subscription.ended";
pub const REDEMPTION_ROLLED_BACK: &str = "redemption.rolled_back";
pub const MEMBER_JOINED: &str = "member.joined";
pub const MEMBER_REMOVED: &str = "member.removed";
pub const JOIN_REQUEST_DECLINED: &str = "join_request.declined";

/// An event as subscribers of webhooks receive it.
#[derive(Debug, Clone, Serialize)]
pub struct EventEnvelope {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub created_at: DateTime<Utc>,
    pub data: serde_json::Value,
}

impl EventEnvelope {
    pub fn of(event: &Event) -> Self {
        Self {
            id: ids::public_id(ids::EVENT, event.id),
            event_type: event.event_type.clone(),
            created_at: event.created_at,
            data: serde_json::from_str(&event.data).unwrap_or(serde_json::Value::Null),
        }
    }
}
