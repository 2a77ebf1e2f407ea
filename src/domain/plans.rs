//! Plans: what a redeemed code grants, and for how long.
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::expiry::CalendarUnit;
use super::stored::stored_enum;
use super::{DomainError, ValidationReason, ids};
use crate::db::Db;
use crate::db::plans::{Plan, PlanInsert};

stored_enum! {
    /// Whether a plan is on sale.
    pub enum PlanStatus {
        Active = "active",
        Archived = "archived",
    }
}

impl PlanStatus {
    /// Whether the plan is offered for generation and its codes still redeem.
    pub fn is_offered(self) -> bool {
        self == Self::Active
    }
}
pub const DURATION_EXAMPLES: &[&str] = &["7d", "30d", "2w", "6mo", "1y", "lifetime"];
const MAX_NAME_LEN: usize = 64;

/// How long a redemption grants access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanDuration {
    Lifetime,
    Span { amount: u32, unit: CalendarUnit },
}

impl PlanDuration {
    /// Reads `7d`, `2w`, `6mo`, `1y`, `30 days`, `lifetime`…
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let unknown =
            DomainError::validation("duration", ValidationReason::UnknownValue { allowed: DURATION_EXAMPLES });
        let input = input.trim().to_ascii_lowercase();
        if input == "lifetime" || input == "forever" {
            return Ok(Self::Lifetime);
        }
        let digits_end = input.find(|c: char| !c.is_ascii_digit()).unwrap_or(input.len());
        let (amount, unit) = input.split_at(digits_end);
        let amount: u32 = amount.parse().map_err(|_| unknown.clone())?;
        let unit = CalendarUnit::parse(unit.trim()).ok_or(unknown)?;
        if amount == 0 {
            return Err(DomainError::validation("duration", ValidationReason::NotPositive));
        }
        if amount > 100 * 366 {
            return Err(DomainError::validation("duration", ValidationReason::TooFarAhead { max_years: 100 }));
        }
        Ok(Self::Span { amount, unit })
    }

    pub fn from_columns(unit: &str, amount: i32) -> Self {
        match CalendarUnit::parse(unit) {
            Some(unit) => Self::Span { amount: amount.max(0) as u32, unit },
            None => Self::Lifetime,
        }
    }

    /// When access granted at `from` ends; None for lifetime access.
    pub fn end_from(self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Self::Lifetime => None,
            Self::Span { amount, unit } => unit.add_to(from, amount),
        }
    }

    fn columns(self) -> (&'static str, i32) {
        match self {
            Self::Lifetime => ("lifetime", 0),
            Self::Span { amount, unit } => (unit.as_str(), amount as i32),
        }
    }
}

/// The durations the plan conversation offers as buttons, as `PlanDuration::parse` reads them.
pub const DURATION_CHOICES: [&str; 5] = ["1w", "1mo", "3mo", "1y", "lifetime"];

/// What the bot itself is in a chat a creator picked for a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotMembership {
    Administrator {
        can_invite_users: bool,
    },
    /// A member without rights, or not in the chat at all.
    Other,
}

/// What keeps the bot from letting subscribers into a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatRightsProblem {
    NotAdministrator,
    CannotInvite,
}

/// Whether the bot may link subscribers into a chat where it has `membership`.
pub fn check_chat_rights(membership: BotMembership) -> Result<(), ChatRightsProblem> {
    match membership {
        BotMembership::Administrator { can_invite_users: true } => Ok(()),
        BotMembership::Administrator { can_invite_users: false } => Err(ChatRightsProblem::CannotInvite),
        BotMembership::Other => Err(ChatRightsProblem::NotAdministrator),
    }
}

/// How long a redemption of `plan` grants access.
pub fn duration_of(plan: &Plan) -> PlanDuration {
    PlanDuration::from_columns(&plan.duration_unit, plan.duration_amount)
}

/// A typed number of days as a plan duration (`45` → `45d`); anything but a positive count is refused.
pub fn days_duration(input: &str) -> Result<String, DomainError> {
    let duration = format!("{}d", input.trim());
    PlanDuration::parse(&duration)
        .map(|_| duration)
        .map_err(|_| DomainError::validation("days", ValidationReason::NotPositive))
}

fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Checks a plan name on its own: present and not too long. Whether it is free is known on writing.
fn checked_name(name: &str) -> Result<&str, DomainError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::validation("name", ValidationReason::Required));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(DomainError::validation("name", ValidationReason::TooLong { max: MAX_NAME_LEN }));
    }
    Ok(name)
}

/// Checks a name for a new plan of the team before the rest of the plan is asked for.
pub async fn check_new_name(db: &Db, team_id: Uuid, name: &str) -> Result<String, DomainError> {
    let name = checked_name(name)?;
    if db.find_team_plan_by_name_key(team_id, &name_key(name)).await?.is_some() {
        return Err(DomainError::validation("name", ValidationReason::Taken));
    }
    Ok(name.to_owned())
}

pub async fn rename_plan(db: &Db, team_id: Uuid, plan: &Plan, name: &str) -> Result<String, DomainError> {
    let name = checked_name(name)?;
    let existing = db.find_team_plan_by_name_key(team_id, &name_key(name)).await?;
    if existing.is_some_and(|other| other.id != plan.id) {
        return Err(DomainError::validation("name", ValidationReason::Taken));
    }
    match db.rename_plan(team_id, plan.id, name, &name_key(name)).await? {
        PlanInsert::Inserted => Ok(name.to_owned()),
        PlanInsert::NameTaken => Err(DomainError::validation("name", ValidationReason::Taken)),
    }
}

pub async fn create_plan(
    db: &Db,
    team_id: Uuid,
    name: &str,
    duration: &str,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    let name = checked_name(name)?;
    let (duration_unit, duration_amount) = PlanDuration::parse(duration)?.columns();
    let plan = Plan {
        id: ids::new_id(),
        team_id,
        name: name.to_owned(),
        name_key: name_key(name),
        duration_unit: duration_unit.to_owned(),
        duration_amount,
        status: PlanStatus::Active,
        created_at: now,
        linked_chat_id: None,
    };
    match db.insert_plan(plan.clone()).await? {
        PlanInsert::Inserted => Ok(plan),
        PlanInsert::NameTaken => Err(DomainError::validation("name", ValidationReason::Taken)),
    }
}

pub async fn list_plans(db: &Db, team_id: Uuid) -> Result<Vec<Plan>, DomainError> {
    Ok(db.list_plans(team_id).await?)
}

/// The team's plans that may be picked for generation.
pub async fn offered_plans(db: &Db, team_id: Uuid) -> Result<Vec<Plan>, DomainError> {
    Ok(db.list_plans(team_id).await?.into_iter().filter(|plan| plan.status.is_offered()).collect())
}

/// The team's plan named by its id or name, if it may be picked for generation.
pub async fn find_offered_plan(db: &Db, team_id: Uuid, id_or_name: &str) -> Result<Plan, DomainError> {
    let plan = find_team_plan(db, team_id, id_or_name).await?;
    if !plan.status.is_offered() {
        return Err(DomainError::not_found("plan"));
    }
    Ok(plan)
}

/// The team's plan named by its id (either spelling) or, failing that, by its name.
pub async fn find_team_plan(db: &Db, team_id: Uuid, id_or_name: &str) -> Result<Plan, DomainError> {
    if id_or_name.trim().is_empty() {
        return Err(DomainError::validation("plan_id", ValidationReason::Required));
    }
    if let Some(plan_id) = ids::parse_public_id(ids::PLAN, id_or_name)
        && let Some(plan) = db.find_team_plan(team_id, plan_id).await?
    {
        return Ok(plan);
    }
    db.find_team_plan_by_name_key(team_id, &name_key(id_or_name)).await?.ok_or(DomainError::not_found("plan"))
}

/// Archives or re-activates a plan; archived plans are not offered and their codes no longer redeem.
pub async fn set_plan_status(db: &Db, team_id: Uuid, plan: &Plan, status: PlanStatus) -> Result<(), DomainError> {
    if !db.update_plan_access(team_id, plan.id, status, plan.linked_chat_id).await? {
        return Err(DomainError::not_found("plan"));
    }
    Ok(())
}

/// Sets the channel or group a redemption of the plan unlocks (None: no chat).
pub async fn link_chat(db: &Db, team_id: Uuid, plan: &Plan, chat_id: Option<i64>) -> Result<(), DomainError> {
    if !db.update_plan_access(team_id, plan.id, plan.status, chat_id).await? {
        return Err(DomainError::not_found("plan"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_durations_read_the_usual_spellings() {
        let span = |amount, unit| Ok(PlanDuration::Span { amount, unit });
        assert_eq!(PlanDuration::parse("7d"), span(7, CalendarUnit::Days));
        assert_eq!(PlanDuration::parse("30 days"), span(30, CalendarUnit::Days));
        assert_eq!(PlanDuration::parse("2w"), span(2, CalendarUnit::Weeks));
        assert_eq!(PlanDuration::parse("6mo"), span(6, CalendarUnit::Months));
        assert_eq!(PlanDuration::parse("1y"), span(1, CalendarUnit::Years));
        assert_eq!(PlanDuration::parse("Lifetime"), Ok(PlanDuration::Lifetime));
        assert!(PlanDuration::parse("0d").is_err());
        assert!(PlanDuration::parse("soon").is_err());
        assert!(PlanDuration::parse("5").is_err());
    }
}
