//! Tier allotments, monthly billing cycles and the cost preview of a batch.
use chrono::{DateTime, Datelike, Months, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::DomainError;
use crate::db::Db;

/// What a batch would cost if every code were redeemed this cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostPreview {
    pub free_remaining: i64,
    pub chargeable_quantity: i64,
    pub cost_cents: i64,
}

impl CostPreview {
    pub fn compute(allotment: i64, redeemed_this_cycle: i64, quantity: i64, overage_price_cents: i64) -> Self {
        let free_remaining = (allotment - redeemed_this_cycle).max(0);
        let chargeable_quantity = (quantity - free_remaining).max(0);
        Self { free_remaining, chargeable_quantity, cost_cents: chargeable_quantity * overage_price_cents }
    }

    /// The cost in dollars with two decimals, from integer cents.
    pub fn cost(&self) -> String {
        format!("{}.{:02}", self.cost_cents / 100, self.cost_cents % 100)
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

/// The preview of generating `quantity` codes for `team_id` now.
pub async fn preview(db: &Db, team_id: Uuid, quantity: i64, now: DateTime<Utc>) -> Result<CostPreview, DomainError> {
    let team = db.find_team(team_id).await?.ok_or(DomainError::not_found("team"))?;
    let tier = db.find_tier(&team.tier_id).await?.ok_or(DomainError::not_found("tier"))?;
    let used = db.count_redemptions_since(team_id, cycle_start(team.billing_anchor_at, now)).await?;
    Ok(CostPreview::compute(tier.monthly_allotment.into(), used as i64, quantity, tier.overage_price_cents.into()))
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
    fn a_cycle_starts_on_the_anchor_day_of_the_month() {
        let anchor = Utc.with_ymd_and_hms(2026, 1, 31, 10, 0, 0).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 15, 0, 0, 0).unwrap();
        assert_eq!(cycle_start(anchor, now), Utc.with_ymd_and_hms(2026, 2, 28, 10, 0, 0).unwrap());
        let now = Utc.with_ymd_and_hms(2026, 3, 31, 11, 0, 0).unwrap();
        assert_eq!(cycle_start(anchor, now), Utc.with_ymd_and_hms(2026, 3, 31, 10, 0, 0).unwrap());
        assert_eq!(cycle_start(anchor, anchor), anchor);
    }
}
