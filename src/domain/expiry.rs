//! When a batch of codes expires: a preset or a custom calendar span from the moment it is queued.
use chrono::{DateTime, Duration, Months, Utc};

use super::{DomainError, ValidationReason};

pub const EXPIRY_PRESETS: &[&str] = &["no_expiry", "1_day", "1_week", "1_month", "1_year", "custom"];
pub const CALENDAR_UNITS: &[&str] = &["days", "weeks", "months", "years"];
const MAX_YEARS_AHEAD: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl CalendarUnit {
    pub fn parse(input: &str) -> Option<Self> {
        match input.trim().to_ascii_lowercase().as_str() {
            "day" | "days" | "d" => Some(Self::Days),
            "week" | "weeks" | "w" => Some(Self::Weeks),
            "month" | "months" | "mo" => Some(Self::Months),
            "year" | "years" | "y" => Some(Self::Years),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Days => "days",
            Self::Weeks => "weeks",
            Self::Months => "months",
            Self::Years => "years",
        }
    }

    /// Adds `amount` units to `from`; months and years follow the calendar, clamping to the month's end.
    pub fn add_to(self, from: DateTime<Utc>, amount: u32) -> Option<DateTime<Utc>> {
        match self {
            Self::Days => from.checked_add_signed(Duration::try_days(amount.into())?),
            Self::Weeks => from.checked_add_signed(Duration::try_weeks(amount.into())?),
            Self::Months => from.checked_add_months(Months::new(amount)),
            Self::Years => from.checked_add_months(Months::new(amount.checked_mul(12)?)),
        }
    }
}

/// The expiry a creator chose, already validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryChoice {
    Never,
    Preset { name: &'static str, amount: u32, unit: CalendarUnit },
    Custom { amount: u32, unit: CalendarUnit },
}

impl ExpiryChoice {
    /// Checks the request's expiry fields: `expiry_preset`, and for `custom` the amount and type.
    pub fn validate(
        preset: &str,
        custom_amount: Option<i64>,
        custom_type: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        let choice = match preset.trim() {
            "no_expiry" => Self::Never,
            "1_day" => Self::Preset { name: "1_day", amount: 1, unit: CalendarUnit::Days },
            "1_week" => Self::Preset { name: "1_week", amount: 1, unit: CalendarUnit::Weeks },
            "1_month" => Self::Preset { name: "1_month", amount: 1, unit: CalendarUnit::Months },
            "1_year" => Self::Preset { name: "1_year", amount: 1, unit: CalendarUnit::Years },
            "custom" => {
                let amount =
                    custom_amount.ok_or(DomainError::validation("custom_expiry_amount", ValidationReason::Required))?;
                let unit_name = custom_type
                    .filter(|t| !t.trim().is_empty())
                    .ok_or(DomainError::validation("custom_expiry_type", ValidationReason::Required))?;
                let unit = CALENDAR_UNITS
                    .contains(&unit_name.trim())
                    .then(|| CalendarUnit::parse(unit_name))
                    .flatten()
                    .ok_or(DomainError::validation(
                        "custom_expiry_type",
                        ValidationReason::UnknownValue { allowed: CALENDAR_UNITS },
                    ))?;
                if amount <= 0 {
                    return Err(DomainError::validation("custom_expiry_amount", ValidationReason::NotPositive));
                }
                let too_far = DomainError::validation(
                    "custom_expiry_amount",
                    ValidationReason::TooFarAhead { max_years: MAX_YEARS_AHEAD },
                );
                let amount = u32::try_from(amount).map_err(|_| too_far.clone())?;
                let limit = CalendarUnit::Years.add_to(now, MAX_YEARS_AHEAD as u32).expect("ten years fit");
                match unit.add_to(now, amount) {
                    Some(end) if end <= limit => Self::Custom { amount, unit },
                    _ => return Err(too_far),
                }
            }
            _ => {
                return Err(DomainError::validation(
                    "expiry_preset",
                    ValidationReason::UnknownValue { allowed: EXPIRY_PRESETS },
                ));
            }
        };
        Ok(choice)
    }

    /// Reads the bot's one-word form: a preset, or `<N>_<days|weeks|months|years>`.
    pub fn parse_short(input: &str, now: DateTime<Utc>) -> Result<Self, DomainError> {
        let input = input.trim().to_ascii_lowercase();
        if EXPIRY_PRESETS.contains(&input.as_str()) && input != "custom" {
            return Self::validate(&input, None, None, now);
        }
        match input.split_once('_') {
            Some((amount, unit)) if amount.parse::<i64>().is_ok() => {
                let unit = CalendarUnit::parse(unit).map(CalendarUnit::as_str).unwrap_or(unit);
                Self::validate("custom", amount.parse().ok(), Some(unit), now)
            }
            _ => Self::validate(&input, None, None, now),
        }
    }

    pub fn expires_at(&self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match *self {
            Self::Never => None,
            Self::Preset { amount, unit, .. } | Self::Custom { amount, unit } => unit.add_to(from, amount),
        }
    }

    pub fn preset_name(&self) -> &'static str {
        match self {
            Self::Never => "no_expiry",
            Self::Preset { name, .. } => name,
            Self::Custom { .. } => "custom",
        }
    }

    pub fn custom_fields(&self) -> (Option<i64>, Option<&'static str>) {
        match *self {
            Self::Custom { amount, unit } => (Some(amount.into()), Some(unit.as_str())),
            _ => (None, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn a_month_after_the_thirty_first_of_january_is_the_end_of_february() {
        let choice = ExpiryChoice::validate("1_month", None, None, at(2027, 1, 31)).unwrap();
        assert_eq!(choice.expires_at(at(2027, 1, 31)), Some(at(2027, 2, 28)));
        assert_eq!(choice.expires_at(at(2028, 1, 31)), Some(at(2028, 2, 29)));
    }

    #[test]
    fn presets_and_custom_spans_compute_calendar_dates() {
        let now = at(2026, 11, 24);
        let expiry = |p: &str| ExpiryChoice::parse_short(p, now).unwrap().expires_at(now);
        assert_eq!(expiry("no_expiry"), None);
        assert_eq!(expiry("1_day"), Some(at(2026, 11, 25)));
        assert_eq!(expiry("1_week"), Some(at(2026, 12, 1)));
        assert_eq!(expiry("1_year"), Some(at(2027, 11, 24)));
        assert_eq!(expiry("3_months"), Some(at(2027, 2, 24)));
        assert_eq!(expiry("2_weeks"), Some(at(2026, 12, 8)));
        assert_eq!(expiry("10_years"), Some(at(2036, 11, 24)));
    }

    #[test]
    fn bad_custom_expiries_name_their_field() {
        let now = at(2026, 11, 24);
        let field = |p: &str, a: Option<i64>, t: Option<&str>| match ExpiryChoice::validate(p, a, t, now) {
            Err(DomainError::Validation { field, reason }) => (field, reason.key()),
            other => panic!("expected a validation error, got {other:?}"),
        };
        assert_eq!(field("custom", None, Some("days")), ("custom_expiry_amount", "required"));
        assert_eq!(field("custom", Some(3), None), ("custom_expiry_type", "required"));
        assert_eq!(field("custom", Some(3), Some("fortnights")), ("custom_expiry_type", "unknown-value"));
        assert_eq!(field("custom", Some(0), Some("days")), ("custom_expiry_amount", "not-positive"));
        assert_eq!(field("custom", Some(-2), Some("days")), ("custom_expiry_amount", "not-positive"));
        assert_eq!(field("custom", Some(11), Some("years")), ("custom_expiry_amount", "too-far-ahead"));
        assert_eq!(field("custom", Some(3654), Some("days")), ("custom_expiry_amount", "too-far-ahead"));
        assert_eq!(field("custom", Some(i64::MAX), Some("days")), ("custom_expiry_amount", "too-far-ahead"));
        assert_eq!(field("someday", None, None), ("expiry_preset", "unknown-value"));
    }
}
