//! Subscriptions: whether one gives access now, and the invite links that lead into a plan's chat.
use chrono::{DateTime, Duration, Utc};

use crate::db::redemption::Subscription;

/// How long an invite link into a plan's chat stays usable.
pub const INVITE_LIFETIME: Duration = Duration::hours(24);

/// Whether the subscription gives access at `now`; a lifetime subscription always does.
pub fn is_active(subscription: &Subscription, now: DateTime<Utc>) -> bool {
    subscription.ends_at.is_none_or(|end| end > now)
}

/// When an invite link made at `now` stops working.
pub fn invite_expires_at(now: DateTime<Utc>) -> DateTime<Utc> {
    now + INVITE_LIFETIME
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::ids;

    fn ending(ends_at: Option<DateTime<Utc>>) -> Subscription {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        Subscription {
            id: ids::new_id(),
            team_id: ids::new_id(),
            plan_id: ids::new_id(),
            subscriber_id: 1,
            subscriber_name: "Sam".to_owned(),
            starts_at: at,
            ends_at,
            created_at: at,
            updated_at: at,
            subscriber_username: None,
            end_handled_at: None,
            end_told_at: None,
        }
    }

    #[test]
    fn a_subscription_is_active_until_its_end_and_lifetime_ones_for_ever() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        assert!(is_active(&ending(None), now));
        assert!(is_active(&ending(Some(now + Duration::seconds(1))), now));
        assert!(!is_active(&ending(Some(now)), now));
    }
}
