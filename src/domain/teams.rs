//! Teams as the operator sees them: who is in each, and which creator a team-scoped action acts for.
use uuid::Uuid;

use super::{DomainError, ids};
use crate::db::Db;
use crate::db::teams::{Creator, Team};

/// A team with its creators, for the operator's listing.
#[derive(Debug, Clone)]
pub struct TeamOverview {
    pub team: Team,
    pub creators: Vec<Creator>,
}

pub async fn list_teams(db: &Db) -> Result<Vec<TeamOverview>, DomainError> {
    let mut overviews = Vec::new();
    for team in db.list_teams().await? {
        let creators = db.creators_of_team(team.id).await?;
        overviews.push(TeamOverview { team, creators });
    }
    Ok(overviews)
}

pub async fn find_team(db: &Db, team: &str) -> Result<Team, DomainError> {
    let id: Uuid = ids::parse_public_id(ids::TEAM, team).ok_or(DomainError::not_found("team"))?;
    db.find_team(id).await?.ok_or(DomainError::not_found("team"))
}

/// The team's creator an operator's action acts for: the one with `telegram_user_id`, or the only one.
pub async fn acting_creator(db: &Db, team: &Team, telegram_user_id: Option<i64>) -> Result<Creator, DomainError> {
    let creators = db.creators_of_team(team.id).await?;
    match telegram_user_id {
        Some(user) => {
            creators.into_iter().find(|c| c.telegram_user_id == user).ok_or(DomainError::not_found("creator"))
        }
        None if creators.len() == 1 => Ok(creators.into_iter().next().expect("one creator")),
        None if creators.is_empty() => Err(DomainError::not_found("creator")),
        None => Err(DomainError::validation("creator", crate::domain::ValidationReason::Required)),
    }
}

pub const TIERS: &[&str] = &["free", "starter", "growth"];

/// Moves the team to another tier; the new allotment applies to the current cycle at once.
pub async fn set_tier(db: &Db, team: &Team, tier: &str) -> Result<(), DomainError> {
    let tier = tier.trim().to_ascii_lowercase();
    if db.find_tier(&tier).await?.is_none() {
        return Err(DomainError::validation("tier", crate::domain::ValidationReason::UnknownValue { allowed: TIERS }));
    }
    Ok(db.set_team_tier(team.id, &tier).await?)
}

/// Sets the Stripe customer (`cus_…`) that the team's overage is billed to.
pub async fn set_stripe_customer(db: &Db, team: &Team, customer: &str) -> Result<(), DomainError> {
    let customer = customer.trim();
    let valid = customer.starts_with("cus_")
        && customer.len() > 4
        && customer.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(DomainError::validation(
            "stripe_customer",
            crate::domain::ValidationReason::UnknownValue { allowed: &["cus_…"] },
        ));
    }
    Ok(db.set_team_stripe_customer(team.id, customer).await?)
}
