//! Plans: what a redeemed code grants, and for how long.
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::expiry::CalendarUnit;
use super::stored::stored_enum;
use super::{DomainError, ValidationReason, ids};
use crate::db::Db;
use crate::db::plans::{Plan, PlanChat, PlanInsert};

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
/// The longest a plan's access may be.
pub const MAX_PLAN_YEARS: u32 = 100;
/// The furthest ahead an extended subscription may end.
pub const MAX_ACCESS_YEARS: u32 = 200;

/// A fixed moment to measure plan durations from, so whether one is too long never depends on today.
fn reference_time() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}
const MAX_NAME_LEN: usize = 64;

/// How long a redemption grants access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanDuration {
    Lifetime,
    Span { amount: u32, unit: CalendarUnit },
}

impl PlanDuration {
    /// Reads `7d`, `2w`, `6mo`, `1y`, `30 days`, `lifetime` (or `forever`, or Russian `навсегда`)…
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let unknown =
            DomainError::validation("duration", ValidationReason::UnknownValue { allowed: DURATION_EXAMPLES });
        let input = input.trim().to_lowercase();
        if matches!(input.as_str(), "lifetime" | "forever" | "навсегда") {
            return Ok(Self::Lifetime);
        }
        let digits_end = input.find(|c: char| !c.is_ascii_digit()).unwrap_or(input.len());
        let (amount, unit) = input.split_at(digits_end);
        let amount: u32 = amount.parse().map_err(|_| unknown.clone())?;
        let unit = CalendarUnit::parse(unit.trim()).ok_or(unknown)?;
        if amount == 0 {
            return Err(DomainError::validation("duration", ValidationReason::NotPositive));
        }
        let too_long =
            DomainError::validation("duration", ValidationReason::TooFarAhead { max_years: i64::from(MAX_PLAN_YEARS) });
        let longest = CalendarUnit::Years.add_to(reference_time(), MAX_PLAN_YEARS).ok_or(too_long.clone())?;
        match unit.add_to(reference_time(), amount) {
            Some(end) if end <= longest => Ok(Self::Span { amount, unit }),
            _ => Err(too_long),
        }
    }

    pub fn from_columns(unit: &str, amount: i32) -> Self {
        match CalendarUnit::parse(unit) {
            Some(unit) => Self::Span { amount: amount.max(0) as u32, unit },
            None => Self::Lifetime,
        }
    }

    /// When access granted at `from` ends; None for lifetime access. Never later than
    /// [`MAX_ACCESS_YEARS`] after `now`, however often a subscription is extended, so the arithmetic
    /// cannot overflow into "lifetime".
    pub fn end_from(self, from: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let Self::Span { amount, unit } = self else { return None };
        let cap = CalendarUnit::Years.add_to(now, MAX_ACCESS_YEARS).unwrap_or(DateTime::<Utc>::MAX_UTC);
        Some(unit.add_to(from, amount).map_or(cap, |end| end.min(cap)))
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
        can_restrict_members: bool,
    },
    /// A member without rights, or not in the chat at all.
    Other,
}

stored_enum! {
    /// What keeps the bot from enforcing access in a chat.
    pub enum ChatRightsProblem {
        NotAdministrator = "not_admin",
        CannotInvite = "cannot_invite",
        CannotRestrict = "cannot_restrict",
    }
}

impl ChatRightsProblem {
    /// Whether the chat cannot be linked at all: without inviting, nobody gets in. Without the right to
    /// restrict members it is linked, and removals wait until the right is given.
    pub fn blocks_linking(self) -> bool {
        self != Self::CannotRestrict
    }
}

/// The first thing keeping the bot from letting subscribers in and removing them, if any.
pub fn chat_rights_problem(membership: BotMembership) -> Option<ChatRightsProblem> {
    match membership {
        BotMembership::Administrator { can_invite_users: false, .. } => Some(ChatRightsProblem::CannotInvite),
        BotMembership::Administrator { can_restrict_members: false, .. } => Some(ChatRightsProblem::CannotRestrict),
        BotMembership::Administrator { .. } => None,
        BotMembership::Other => Some(ChatRightsProblem::NotAdministrator),
    }
}

/// How long a redemption of `plan` grants access.
pub fn duration_of(plan: &Plan) -> PlanDuration {
    PlanDuration::from_columns(&plan.duration_unit, plan.duration_amount)
}

/// Splits `/newplan <name> <duration>`: the duration is the last word (`30d`), or the last two when they
/// are a number and a unit (`30 days`); the name is the rest and may contain spaces.
pub fn split_name_and_duration(args: &str) -> Option<(&str, &str)> {
    let args = args.trim();
    let (rest, last) = args.rsplit_once(char::is_whitespace)?;
    if CalendarUnit::parse(last).is_some()
        && let Some((name, amount)) = rest.trim_end().rsplit_once(char::is_whitespace)
        && amount.parse::<u32>().is_ok()
    {
        return Some((name.trim_end(), args[name.len()..].trim_start()));
    }
    Some((rest.trim_end(), last))
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
    };
    match db.insert_plan(plan.clone()).await? {
        PlanInsert::Inserted => Ok(plan),
        PlanInsert::NameTaken => Err(DomainError::validation("name", ValidationReason::Taken)),
    }
}

pub async fn list_plans(db: &Db, team_id: Uuid) -> Result<Vec<Plan>, DomainError> {
    Ok(db.list_plans(team_id).await?)
}

/// The team's plans, each with the chats it unlocks.
pub async fn plans_with_chats(db: &Db, team_id: Uuid) -> Result<Vec<(Plan, Vec<PlanChat>)>, DomainError> {
    let mut with_chats = Vec::new();
    for plan in db.list_plans(team_id).await? {
        let chats = db.plan_chats(plan.id).await?;
        with_chats.push((plan, chats));
    }
    Ok(with_chats)
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
    if !db.set_plan_status(team_id, plan.id, status).await? {
        return Err(DomainError::not_found("plan"));
    }
    Ok(())
}

/// The chats a redemption of `plan` unlocks, in the order they were linked.
pub async fn chats_of(db: &Db, plan: &Plan) -> Result<Vec<PlanChat>, DomainError> {
    Ok(db.plan_chats(plan.id).await?)
}

/// Adds a channel or group to the chats the plan unlocks, with what is wrong with the bot's rights there.
pub async fn link_chat(
    db: &Db,
    plan: &Plan,
    chat_id: i64,
    title: &str,
    problem: Option<ChatRightsProblem>,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let chat = PlanChat {
        plan_id: plan.id,
        chat_id,
        team_id: plan.team_id,
        title: title.trim().chars().take(MAX_NAME_LEN * 2).collect(),
        rights_problem: problem,
        // The creator reads what is wrong in the answer to linking; the sweep need not tell them again.
        problem_told_at: problem.map(|_| now),
        linked_at: now,
    };
    Ok(db.link_plan_chat(chat).await?)
}

/// Stops the plan from unlocking `chat_id`; members it admitted there stay until their access ends.
pub async fn unlink_chat(db: &Db, team_id: Uuid, plan: &Plan, chat_id: i64) -> Result<(), DomainError> {
    if plan.team_id != team_id || !db.unlink_plan_chat(plan.id, chat_id).await? {
        return Err(DomainError::not_found("chat"));
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
        assert_eq!(PlanDuration::parse("100y"), span(100, CalendarUnit::Years));
        assert!(PlanDuration::parse("101y").is_err());
        assert!(PlanDuration::parse("36600y").is_err(), "capped by length, whatever the unit");
        assert!(PlanDuration::parse("1201mo").is_err());
    }

    #[test]
    fn a_one_line_plan_splits_into_its_name_and_duration() {
        assert_eq!(split_name_and_duration("VIP Club 30 days"), Some(("VIP Club", "30 days")));
        assert_eq!(split_name_and_duration("VIP 30d"), Some(("VIP", "30d")));
        assert_eq!(split_name_and_duration("Gold lifetime"), Some(("Gold", "lifetime")));
        assert_eq!(PlanDuration::parse("Навсегда").unwrap(), PlanDuration::Lifetime);
        assert_eq!(split_name_and_duration("Room 101 2w"), Some(("Room 101", "2w")));
        assert_eq!(split_name_and_duration("VIP"), None);
    }

    #[test]
    fn extensions_are_capped_and_never_overflow_into_lifetime() {
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let century = PlanDuration::parse("100y").unwrap();
        let mut end = now;
        for _ in 0..5 {
            end = century.end_from(end, now).expect("a span never becomes lifetime");
        }
        assert_eq!(end, Utc.with_ymd_and_hms(2226, 12, 1, 0, 0, 0).unwrap());
        assert_eq!(PlanDuration::Lifetime.end_from(now, now), None);
    }
}
