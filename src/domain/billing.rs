//! Tier allotments, monthly billing cycles, the cost preview of a batch, and usage records on their
//! way to Stripe.
use chrono::{DateTime, Datelike, Months, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::stored::stored_enum;
use super::{DomainError, ValidationReason, ids, plans};
use crate::db::Db;
use crate::db::teams::{Team, Tier};

/// The most redemptions one preview may price.
pub const MAX_PREVIEW_QUANTITY: i64 = 10_000;

/// Stripe refuses meter events older than this.
pub const STRIPE_MAX_AGE_DAYS: i64 = 35;

stored_enum! {
    /// Where an overage usage record stands with Stripe.
    pub enum UsageStatus {
        Pending = "pending",
        Reported = "reported",
        Failed = "failed",
        /// Rolled back before it was reported: never billed.
        Voided = "voided",
        /// Rolled back after it was reported: its meter event is to be cancelled.
        Cancelling = "cancelling",
        /// Its meter event was cancelled at Stripe.
        Cancelled = "cancelled",
    }
}

/// How long after a meter event Stripe still lets it be cancelled.
pub const CANCEL_WINDOW: chrono::Duration = chrono::Duration::hours(24);

/// Whether the redemption that makes the team's `cycle_redemptions`-th of its cycle is billed as overage.
pub fn is_overage(cycle_redemptions: i32, allotment: i32) -> bool {
    cycle_redemptions > allotment
}

/// What rolling back a redemption does to an overage usage record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageUndo {
    /// Not reported yet (or refused by Stripe): it never will be.
    Void,
    /// Reported within the cancel window: its meter event is cancelled.
    Cancel,
    /// Reported too long ago to cancel: it stays billed, and the creator is told.
    StaysBilled,
}

/// The rule for undoing one usage record at `now`; None when it is undone already.
pub fn undo_usage(status: UsageStatus, reported_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<UsageUndo> {
    match status {
        UsageStatus::Pending | UsageStatus::Failed => Some(UsageUndo::Void),
        UsageStatus::Reported if reported_at.is_some_and(|at| now - at < CANCEL_WINDOW) => Some(UsageUndo::Cancel),
        UsageStatus::Reported => Some(UsageUndo::StaysBilled),
        UsageStatus::Voided | UsageStatus::Cancelling | UsageStatus::Cancelled => None,
    }
}

/// Which usage record a rollback undoes, so that what is billed stays the overage of what is still redeemed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordToUndo {
    /// The redemption's own: it was overage.
    Own,
    /// A free redemption of the current cycle is rolled back while later ones were overage: its free slot goes
    /// to the newest of those, whose record is undone.
    NewestOfCycle,
    None,
}

/// The rule for a rollback's billing. A redemption of the current cycle gives its slot of the allotment back
/// (the cycle's count drops by one); `cycle_redemptions` is that count before the rollback.
pub fn record_to_undo(has_own: bool, in_current_cycle: bool, cycle_redemptions: i32, allotment: i32) -> RecordToUndo {
    if has_own {
        RecordToUndo::Own
    } else if in_current_cycle && is_overage(cycle_redemptions, allotment) {
        RecordToUndo::NewestOfCycle
    } else {
        RecordToUndo::None
    }
}

/// Whether a redemption is too old for Stripe to accept its meter event.
/// Free redemptions left in a cycle of `allotment` after `redeemed` of them.
pub fn free_left(allotment: i64, redeemed: i64) -> i64 {
    (allotment - redeemed).max(0)
}

pub fn too_old_for_stripe(redeemed_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - redeemed_at > chrono::Duration::days(STRIPE_MAX_AGE_DAYS)
}

/// What a batch would cost if every code were redeemed this cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostPreview {
    pub free_remaining: i64,
    pub chargeable_quantity: i64,
    pub cost_cents: i64,
}

impl CostPreview {
    pub fn compute(allotment: i64, redeemed_this_cycle: i64, quantity: i64, overage_price_cents: i64) -> Self {
        let free_remaining = free_left(allotment, redeemed_this_cycle);
        let chargeable_quantity = (quantity - free_remaining).max(0);
        Self { free_remaining, chargeable_quantity, cost_cents: chargeable_quantity * overage_price_cents }
    }

    /// The cost in dollars with two decimals, from integer cents.
    pub fn cost(&self) -> String {
        format_cents(self.cost_cents)
    }

    pub fn to_json(self) -> PreviewJson {
        PreviewJson {
            free_remaining: self.free_remaining,
            chargeable_quantity: self.chargeable_quantity,
            cost: self.cost(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PreviewJson {
    pub free_remaining: i64,
    pub chargeable_quantity: i64,
    pub cost: String,
}

/// The start of the monthly cycle that contains `now`, counted in calendar months from `anchor`.
pub fn cycle_start(anchor: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    let months_between = (now.year() - anchor.year()) * 12 + now.month() as i32 - anchor.month() as i32;
    let at = |months: i32| anchor.checked_add_months(Months::new(months.max(0) as u32)).unwrap_or(anchor);
    let candidate = at(months_between);
    if candidate > now { at(months_between - 1) } else { candidate }
}

/// The end of the cycle that starts at `start`: one calendar month later, on the anchor's day.
pub fn cycle_end(anchor: DateTime<Utc>, start: DateTime<Utc>) -> DateTime<Utc> {
    cycle_start(anchor, start + chrono::Duration::days(32))
}

/// Where a team stands in its current billing cycle, as `/billing` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingOverview {
    pub tier: String,
    pub allotment: i64,
    pub cycle_start: DateTime<Utc>,
    pub cycle_end: DateTime<Utc>,
    pub free_used: i64,
    pub free_left: i64,
    pub overage: i64,
    pub overage_cost_cents: i64,
    pub overage_price_cents: i64,
    pub records_pending: i64,
    pub records_failed: i64,
    pub stripe_customer: bool,
}

fn format_cents(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A team, its tier, and where it stands in the billing cycle that contains `now`.
struct CycleUsage {
    team: Team,
    tier: Tier,
    start: DateTime<Utc>,
    redeemed: i64,
}

async fn cycle_usage(db: &Db, team_id: Uuid, now: DateTime<Utc>) -> Result<CycleUsage, DomainError> {
    let team = db.find_team(team_id).await?.ok_or(DomainError::not_found("team"))?;
    let tier = db.find_tier(&team.tier_id).await?.ok_or(DomainError::not_found("tier"))?;
    let start = cycle_start(team.billing_anchor_at, now);
    let redeemed = db.count_redemptions_since(team_id, start).await? as i64;
    Ok(CycleUsage { team, tier, start, redeemed })
}

/// The team's tier, cycle, free and overage redemptions, and usage records not yet billed.
pub async fn overview(db: &Db, team_id: Uuid, now: DateTime<Utc>) -> Result<BillingOverview, DomainError> {
    let CycleUsage { team, tier, start, redeemed } = cycle_usage(db, team_id, now).await?;
    let allotment = i64::from(tier.monthly_allotment);
    let overage = (redeemed - allotment).max(0);
    let price = i64::from(tier.overage_price_cents);
    Ok(BillingOverview {
        tier: tier.id,
        allotment,
        cycle_start: start,
        cycle_end: cycle_end(team.billing_anchor_at, start),
        free_used: redeemed.min(allotment),
        free_left: free_left(allotment, redeemed),
        overage,
        overage_cost_cents: overage * price,
        overage_price_cents: price,
        records_pending: db.count_usage_records(team_id, UsageStatus::Pending).await? as i64,
        records_failed: db.count_usage_records(team_id, UsageStatus::Failed).await? as i64,
        stripe_customer: team.stripe_customer_id.is_some(),
    })
}

/// The preview of generating `quantity` codes for `team_id` now.
pub async fn preview(db: &Db, team_id: Uuid, quantity: i64, now: DateTime<Utc>) -> Result<CostPreview, DomainError> {
    let CycleUsage { tier, redeemed, .. } = cycle_usage(db, team_id, now).await?;
    Ok(CostPreview::compute(tier.monthly_allotment.into(), redeemed, quantity, tier.overage_price_cents.into()))
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanCostPreview {
    pub plan_id: String,
    pub quantity: i64,
    pub preview: PreviewJson,
    pub will_bill_overage: bool,
}

/// What redeeming `quantity` codes of an active plan of `team_id` would cost this cycle.
pub async fn preview_plan_cost(
    db: &Db,
    team_id: Uuid,
    plan_id: &str,
    quantity: i64,
    now: DateTime<Utc>,
) -> Result<PlanCostPreview, DomainError> {
    if !(1..=MAX_PREVIEW_QUANTITY).contains(&quantity) {
        return Err(DomainError::validation(
            "quantity",
            ValidationReason::OutOfRange { min: 1, max: MAX_PREVIEW_QUANTITY },
        ));
    }
    let plan = plans::find_offered_plan(db, team_id, plan_id).await?;
    let preview = preview(db, team_id, quantity, now).await?;
    Ok(PlanCostPreview {
        plan_id: ids::public_id(ids::PLAN, plan.id),
        quantity,
        will_bill_overage: preview.chargeable_quantity > 0,
        preview: preview.to_json(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_preview_charges_only_what_exceeds_the_allotment() {
        let p = CostPreview::compute(5, 0, 5, 3);
        assert_eq!((p.free_remaining, p.chargeable_quantity, p.cost()), (5, 0, "0.00".to_owned()));
        let p = CostPreview::compute(5, 0, 6, 3);
        assert_eq!((p.free_remaining, p.chargeable_quantity, p.cost()), (5, 1, "0.03".to_owned()));
        let p = CostPreview::compute(5, 4, 1, 3);
        assert_eq!((p.free_remaining, p.chargeable_quantity, p.cost()), (1, 0, "0.00".to_owned()));
        let p = CostPreview::compute(5, 9, 47, 3);
        assert_eq!((p.free_remaining, p.chargeable_quantity, p.cost()), (0, 47, "1.41".to_owned()));
        let p = CostPreview::compute(200, 0, 1000, 3);
        assert_eq!((p.free_remaining, p.chargeable_quantity, p.cost()), (200, 800, "24.00".to_owned()));
        let p = CostPreview::compute(500, 500, 1000, 3);
        assert_eq!((p.free_remaining, p.chargeable_quantity, p.cost()), (0, 1000, "30.00".to_owned()));
    }

    #[test]
    fn a_rollback_undoes_the_usage_that_no_redemption_is_left_to_justify() {
        assert_eq!(record_to_undo(true, true, 12, 10), RecordToUndo::Own, "it was overage itself");
        assert_eq!(record_to_undo(true, false, 0, 10), RecordToUndo::Own, "overage of an earlier cycle");
        assert_eq!(record_to_undo(false, true, 12, 10), RecordToUndo::NewestOfCycle, "free, with overage after it");
        assert_eq!(record_to_undo(false, true, 10, 10), RecordToUndo::None, "free, nothing beyond the allotment");
        assert_eq!(record_to_undo(false, false, 12, 10), RecordToUndo::None, "free in an earlier cycle");
        assert!(is_overage(11, 10) && !is_overage(10, 10));
    }

    #[test]
    fn usage_is_voided_before_reporting_cancelled_within_a_day_and_billed_after() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let hours = |h| Some(now - chrono::Duration::hours(h));
        assert_eq!(undo_usage(UsageStatus::Pending, None, now), Some(UsageUndo::Void));
        assert_eq!(undo_usage(UsageStatus::Failed, None, now), Some(UsageUndo::Void));
        assert_eq!(undo_usage(UsageStatus::Reported, hours(23), now), Some(UsageUndo::Cancel));
        assert_eq!(undo_usage(UsageStatus::Reported, hours(24), now), Some(UsageUndo::StaysBilled));
        assert_eq!(undo_usage(UsageStatus::Voided, None, now), None);
        assert_eq!(undo_usage(UsageStatus::Cancelled, hours(1), now), None);
    }

    #[test]
    fn a_cycle_starts_on_the_anchor_day_of_the_month() {
        let anchor = Utc.with_ymd_and_hms(2026, 1, 31, 10, 0, 0).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 15, 0, 0, 0).unwrap();
        assert_eq!(cycle_start(anchor, now), Utc.with_ymd_and_hms(2026, 2, 28, 10, 0, 0).unwrap());
        let now = Utc.with_ymd_and_hms(2026, 3, 31, 11, 0, 0).unwrap();
        assert_eq!(cycle_start(anchor, now), Utc.with_ymd_and_hms(2026, 3, 31, 10, 0, 0).unwrap());
        assert_eq!(cycle_start(anchor, anchor), anchor);
    }

    #[test]
    fn stripe_takes_meter_events_of_the_last_35_days() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        assert!(!too_old_for_stripe(now - chrono::Duration::days(35), now));
        assert!(too_old_for_stripe(now - chrono::Duration::days(35) - chrono::Duration::seconds(1), now));
    }

    #[test]
    fn a_cycle_ends_where_the_next_one_starts() {
        let anchor = Utc.with_ymd_and_hms(2026, 1, 31, 10, 0, 0).unwrap();
        let start = Utc.with_ymd_and_hms(2026, 2, 28, 10, 0, 0).unwrap();
        assert_eq!(cycle_end(anchor, start), Utc.with_ymd_and_hms(2026, 3, 31, 10, 0, 0).unwrap());
        let start = Utc.with_ymd_and_hms(2026, 3, 31, 10, 0, 0).unwrap();
        assert_eq!(cycle_end(anchor, start), Utc.with_ymd_and_hms(2026, 4, 30, 10, 0, 0).unwrap());
        let start = Utc.with_ymd_and_hms(2026, 12, 31, 10, 0, 0).unwrap();
        assert_eq!(cycle_end(anchor, start), Utc.with_ymd_and_hms(2027, 1, 31, 10, 0, 0).unwrap());
    }
}
