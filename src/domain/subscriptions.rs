//! Subscriptions: whether one gives access now, and the invite links that lead into a plan's chat.
use chrono::{DateTime, Duration, Utc};

use super::stored::stored_enum;
use crate::db::redemption::Subscription;

stored_enum! {
    /// What a redemption did to the subscriber's subscription of the plan.
    pub enum SubscriptionChange {
        /// A new subscription, or one that had ended starting again.
        Started = "started",
        /// An active subscription running longer.
        Extended = "extended",
    }
}

/// How far one use of a code moved a subscription's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Span(Duration),
    /// The use gave access without end.
    WithoutEnd,
}

impl Added {
    /// As stored: seconds, or null for access without end.
    pub fn seconds(self) -> Option<i64> {
        match self {
            Self::Span(span) => Some(span.num_seconds()),
            Self::WithoutEnd => None,
        }
    }

    pub fn from_seconds(seconds: Option<i64>) -> Self {
        seconds.map_or(Self::WithoutEnd, |seconds| Self::Span(Duration::seconds(seconds)))
    }
}

/// What one use of a code makes of the person's subscription of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub change: SubscriptionChange,
    pub added: Added,
}

/// The rule of a redemption: without a subscription, or with one that has ended, access starts now and ends
/// where the plan's span from now ends (`end_from`: None for lifetime). An active subscription runs longer by
/// the plan's span from its end; a lifetime one stays so and gains nothing.
pub fn grant(
    current: Option<&Subscription>,
    now: DateTime<Utc>,
    end_from: impl Fn(DateTime<Utc>) -> Option<DateTime<Utc>>,
) -> Grant {
    let added =
        |from: DateTime<Utc>, to: Option<DateTime<Utc>>| to.map_or(Added::WithoutEnd, |to| Added::Span(to - from));
    match current {
        Some(current) if is_active(current, now) => match current.ends_at {
            None => Grant {
                starts_at: current.starts_at,
                ends_at: None,
                change: SubscriptionChange::Extended,
                added: Added::Span(Duration::zero()),
            },
            Some(end) => {
                let ends_at = end_from(end);
                Grant {
                    starts_at: current.starts_at,
                    ends_at,
                    change: SubscriptionChange::Extended,
                    added: added(end, ends_at),
                }
            }
        },
        _ => {
            let ends_at = end_from(now);
            Grant { starts_at: now, ends_at, change: SubscriptionChange::Started, added: added(now, ends_at) }
        }
    }
}

/// What rolling a redemption back does to its subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakeBack {
    /// Access ends now: the use started it, or the rest is gone once its span is taken off.
    EndsNow,
    /// Access runs on, to an earlier end.
    Shortened(DateTime<Utc>),
    /// Nothing to take: the subscription had ended already, or a lifetime one gained nothing from the use.
    Unchanged,
}

impl TakeBack {
    /// Where a subscription that ended at `current` ends after this.
    pub fn end(self, current: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Self::EndsNow => Some(now),
            Self::Shortened(end) => Some(end),
            Self::Unchanged => current,
        }
    }
}

/// The rule of a rollback: the subscription loses what the use added. Taking a span off an end that lies
/// beyond now shortens it, to now at the earliest; a use that gave access without end takes all of it.
pub fn take_back(ends_at: Option<DateTime<Utc>>, added: Added, now: DateTime<Utc>) -> TakeBack {
    match (ends_at, added) {
        (Some(end), _) if end <= now => TakeBack::Unchanged,
        (_, Added::WithoutEnd) => TakeBack::EndsNow,
        (None, Added::Span(_)) => TakeBack::Unchanged,
        (Some(_), Added::Span(span)) if span <= Duration::zero() => TakeBack::Unchanged,
        (Some(end), Added::Span(span)) if end - span <= now => TakeBack::EndsNow,
        (Some(end), Added::Span(span)) => TakeBack::Shortened(end - span),
    }
}

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

    fn month_from(at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        Some(at + Duration::days(30))
    }

    #[test]
    fn a_first_use_starts_access_now_for_the_plans_span() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let granted = grant(None, now, month_from);
        assert_eq!(granted.change, SubscriptionChange::Started);
        assert_eq!((granted.starts_at, granted.ends_at), (now, Some(now + Duration::days(30))));
        assert_eq!(granted.added, Added::Span(Duration::days(30)));
        assert_eq!(grant(None, now, |_| None).added, Added::WithoutEnd, "a lifetime plan");
    }

    #[test]
    fn an_active_subscription_runs_longer_from_its_end_and_an_ended_one_starts_again() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let mut active = ending(Some(now + Duration::days(5)));
        let granted = grant(Some(&active), now, month_from);
        assert_eq!(granted.change, SubscriptionChange::Extended);
        assert_eq!(granted.starts_at, active.starts_at);
        assert_eq!(granted.ends_at, Some(now + Duration::days(35)));
        assert_eq!(granted.added, Added::Span(Duration::days(30)));

        active.ends_at = Some(now - Duration::days(1));
        let restarted = grant(Some(&active), now, month_from);
        assert_eq!(restarted.change, SubscriptionChange::Started);
        assert_eq!((restarted.starts_at, restarted.ends_at), (now, Some(now + Duration::days(30))));

        let lifetime = grant(Some(&ending(None)), now, month_from);
        assert_eq!((lifetime.ends_at, lifetime.added), (None, Added::Span(Duration::zero())), "gains nothing");
    }

    #[test]
    fn a_rollback_takes_off_what_the_use_added() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let month = Added::Span(Duration::days(30));
        assert_eq!(take_back(Some(now + Duration::days(29)), month, now), TakeBack::EndsNow, "the use started it");
        assert_eq!(
            take_back(Some(now + Duration::days(40)), month, now),
            TakeBack::Shortened(now + Duration::days(10)),
            "the use extended it"
        );
        assert_eq!(take_back(None, Added::WithoutEnd, now), TakeBack::EndsNow, "a lifetime use");
        assert_eq!(take_back(None, Added::Span(Duration::zero()), now), TakeBack::Unchanged);
        assert_eq!(take_back(Some(now - Duration::days(1)), month, now), TakeBack::Unchanged, "already ended");
    }

    #[test]
    fn a_subscription_is_active_until_its_end_and_lifetime_ones_for_ever() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        assert!(is_active(&ending(None), now));
        assert!(is_active(&ending(Some(now + Duration::seconds(1))), now));
        assert!(!is_active(&ending(Some(now)), now));
    }
}
