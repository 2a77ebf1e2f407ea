//! What creators are told, and when: notices are written in the transaction of what caused them and sent
//! later by the notifier, so a subscriber's answer never waits for the creator's chat. While redemptions come
//! faster than a chat may show them, those waiting go out merged into one message; a chat gets at most one
//! notice every [`QUIET_BETWEEN_NOTICES`].
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::stored::stored_enum;
use crate::domain::DomainError;

/// A chat that was just told something hears nothing more for this long; what comes meanwhile is merged.
pub const QUIET_BETWEEN_NOTICES: std::time::Duration = std::time::Duration::from_secs(3);
/// A notice that could not be sent is tried again after this long, up to [`MOST_ATTEMPTS`] times.
pub const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(30);
pub const MOST_ATTEMPTS: i32 = 5;

stored_enum! {
    /// What a notice is about.
    pub enum NoticeKind {
        /// One of the creator's codes was redeemed; merged with others that wait.
        CodeRedeemed = "code_redeemed",
        /// A message rendered when it was written (a missing right, a paused webhook…), sent as it is.
        Prepared = "prepared",
    }
}

stored_enum! {
    /// How a creator hears of redemptions (`/notify`).
    pub enum RedemptionNotices {
        /// Each one, merged only while they come faster than the chat may show them.
        Each = "each",
        /// One summary a day of those of the day before.
        Daily = "daily",
        Off = "off",
    }
}

/// A redemption as its creator hears of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRedeemed {
    pub subscriber_id: i64,
    pub name: String,
    pub username: Option<String>,
    pub plan: String,
    pub code: String,
    pub free_left: i64,
    pub allotment: i64,
    pub overage: bool,
}

/// One notice waiting in a creator's chat.
#[derive(Debug, Clone)]
pub struct Notice {
    pub id: Uuid,
    pub kind: NoticeKind,
    pub data: String,
    pub created_at: DateTime<Utc>,
}

/// What goes into a chat now.
#[derive(Debug, Clone, PartialEq)]
pub enum Outgoing {
    /// Redemptions, oldest first: one, or several merged; `daily` when they are the day's summary.
    Redemptions { redeemed: Vec<CodeRedeemed>, daily: bool },
    /// A message rendered when the notice was written (`views::Screen`, as JSON).
    Prepared(String),
}

/// What the notifier does with the notices waiting in one chat.
#[derive(Debug, Default, PartialEq)]
pub struct ChatNotices {
    /// Messages to send, in order, with the notices each one carries.
    pub send: Vec<(Outgoing, Vec<Uuid>)>,
    /// Notices nobody is to hear of (redemptions while notices are off): done without a message.
    pub drop: Vec<Uuid>,
    /// Notices kept for later (a daily summary not due yet), and when they are due.
    pub postpone: Option<(Vec<Uuid>, DateTime<Utc>)>,
}

/// Decides what a chat's waiting notices come to under the creator's choice.
pub fn plan_chat(mode: RedemptionNotices, waiting: &[Notice], now: DateTime<Utc>) -> Result<ChatNotices, DomainError> {
    let mut plan = ChatNotices::default();
    let mut redeemed = Vec::new();
    let mut redeemed_ids = Vec::new();
    for notice in waiting {
        match notice.kind {
            NoticeKind::Prepared => plan.send.push((Outgoing::Prepared(notice.data.clone()), vec![notice.id])),
            NoticeKind::CodeRedeemed => {
                let data: CodeRedeemed = serde_json::from_str(&notice.data)
                    .map_err(|error| DomainError::internal("reading a redemption notice", error))?;
                redeemed.push((notice.created_at, data));
                redeemed_ids.push(notice.id);
            }
        }
    }
    if redeemed.is_empty() {
        return Ok(plan);
    }
    let oldest = redeemed.iter().map(|(at, _)| *at).min().unwrap_or(now);
    let redeemed: Vec<CodeRedeemed> = redeemed.into_iter().map(|(_, data)| data).collect();
    match mode {
        RedemptionNotices::Off => plan.drop = redeemed_ids,
        RedemptionNotices::Each => plan.send.push((Outgoing::Redemptions { redeemed, daily: false }, redeemed_ids)),
        RedemptionNotices::Daily if oldest + Duration::days(1) <= now => {
            plan.send.push((Outgoing::Redemptions { redeemed, daily: true }, redeemed_ids))
        }
        RedemptionNotices::Daily => plan.postpone = Some((redeemed_ids, oldest + Duration::days(1))),
    }
    Ok(plan)
}

/// From now on, `creator` hears of redemptions as `mode` says; those already waiting follow it too.
pub async fn choose_redemption_notices(
    db: &crate::db::Db,
    creator: &crate::db::teams::Creator,
    mode: RedemptionNotices,
) -> Result<(), DomainError> {
    db.set_redemption_notices(creator.id, mode).await?;
    Ok(())
}

/// The people named in a merged notice, each once, in the order they redeemed, and how many more there are.
pub fn named_once(redeemed: &[CodeRedeemed], most: usize) -> (Vec<&CodeRedeemed>, usize) {
    let mut people: Vec<&CodeRedeemed> = Vec::new();
    for one in redeemed {
        if !people.iter().any(|seen| seen.subscriber_id == one.subscriber_id) {
            people.push(one);
        }
    }
    let more = people.len().saturating_sub(most);
    people.truncate(most);
    (people, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redeemed(subscriber_id: i64) -> CodeRedeemed {
        CodeRedeemed {
            subscriber_id,
            name: format!("Sub {subscriber_id}"),
            username: None,
            plan: "Gold".to_owned(),
            code: "****-****-ABCD".to_owned(),
            free_left: 3,
            allotment: 5,
            overage: false,
        }
    }

    fn notice(kind: NoticeKind, data: String, created_at: DateTime<Utc>) -> Notice {
        Notice { id: Uuid::now_v7(), kind, data, created_at }
    }

    fn redemption_notice(subscriber_id: i64, created_at: DateTime<Utc>) -> Notice {
        notice(NoticeKind::CodeRedeemed, serde_json::to_string(&redeemed(subscriber_id)).unwrap(), created_at)
    }

    #[test]
    fn waiting_redemptions_go_out_as_one_message_and_prepared_notices_as_they_are() {
        let now = Utc::now();
        let waiting =
            [redemption_notice(1, now), notice(NoticeKind::Prepared, "{}".to_owned(), now), redemption_notice(2, now)];
        let plan = plan_chat(RedemptionNotices::Each, &waiting, now).unwrap();
        assert_eq!(plan.send.len(), 2);
        assert_eq!(plan.send[0], (Outgoing::Prepared("{}".to_owned()), vec![waiting[1].id]));
        assert_eq!(
            plan.send[1],
            (
                Outgoing::Redemptions { redeemed: vec![redeemed(1), redeemed(2)], daily: false },
                vec![waiting[0].id, waiting[2].id]
            )
        );
    }

    #[test]
    fn with_notices_off_redemptions_are_dropped_but_problems_still_go_out() {
        let now = Utc::now();
        let waiting = [redemption_notice(1, now), notice(NoticeKind::Prepared, "{}".to_owned(), now)];
        let plan = plan_chat(RedemptionNotices::Off, &waiting, now).unwrap();
        assert_eq!(plan.drop, vec![waiting[0].id]);
        assert_eq!(plan.send.len(), 1);
    }

    #[test]
    fn a_daily_summary_waits_a_day_after_its_oldest_redemption() {
        let now = Utc::now();
        let fresh = [redemption_notice(1, now - Duration::hours(2)), redemption_notice(2, now)];
        let plan = plan_chat(RedemptionNotices::Daily, &fresh, now).unwrap();
        assert!(plan.send.is_empty());
        assert_eq!(plan.postpone, Some((vec![fresh[0].id, fresh[1].id], now - Duration::hours(2) + Duration::days(1))));
        let due = [redemption_notice(1, now - Duration::hours(25)), redemption_notice(2, now)];
        let plan = plan_chat(RedemptionNotices::Daily, &due, now).unwrap();
        assert!(matches!(&plan.send[0].0, Outgoing::Redemptions { redeemed, daily: true } if redeemed.len() == 2));
    }

    #[test]
    fn a_person_is_named_once_however_many_codes_they_redeemed() {
        let all = [redeemed(1), redeemed(2), redeemed(1), redeemed(3), redeemed(4)];
        let (named, more) = named_once(&all, 2);
        assert_eq!(named.iter().map(|r| r.subscriber_id).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(more, 2, "two other people");
    }

    #[test]
    fn an_unreadable_redemption_notice_is_an_error_not_a_default() {
        let now = Utc::now();
        let waiting = [notice(NoticeKind::CodeRedeemed, "{\"nonsense\":1}".to_owned(), now)];
        assert!(plan_chat(RedemptionNotices::Each, &waiting, now).is_err());
    }
}
