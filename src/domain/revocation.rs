//! Creators take codes back before anyone redeems them: one code, or a batch's or a plan's unredeemed
//! codes. What was redeemed keeps its access (rolling a redemption back is another step).
use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::access_code::{AccessCode, CodeState};
use super::secret::InstanceSecret;
use super::{DomainError, ValidationReason, batches, events, ids, plans};
use crate::db::Db;
use crate::db::codes::{CodeScope, RevokedCodes};
use crate::db::generation::Event;

/// At most this many masked codes go into an `access_code.revoked` event.
pub const MASKED_IN_EVENT: u64 = 100;

/// What a revocation reaches, as the creator named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeTarget {
    /// One code, with where it stands: only an open one can be revoked.
    Code {
        id: Uuid,
        plan_id: Uuid,
        masked: String,
        state: CodeState,
    },
    /// A batch of `size` codes generated at `created_at`.
    Batch {
        id: Uuid,
        plan_id: Uuid,
        plan: String,
        size: i64,
        created_at: DateTime<Utc>,
    },
    Plan {
        id: Uuid,
        plan: String,
    },
}

impl RevokeTarget {
    pub fn plan_id(&self) -> Uuid {
        match self {
            Self::Code { plan_id, .. } | Self::Batch { plan_id, .. } | Self::Plan { id: plan_id, .. } => *plan_id,
        }
    }

    pub fn scope(&self) -> CodeScope {
        match self {
            Self::Code { id, .. } => CodeScope::Code(*id),
            Self::Batch { id, .. } => CodeScope::Batch(*id),
            Self::Plan { id, .. } => CodeScope::Plan(*id),
        }
    }
}

/// A revocation not yet made: what it reaches and how many codes it would revoke now.
#[derive(Debug, Clone)]
pub struct RevokePreview {
    pub target: RevokeTarget,
    pub count: u64,
}

/// A revocation made.
#[derive(Debug, Clone)]
pub struct Revocation {
    pub target: RevokeTarget,
    pub revoked: RevokedCodes,
}

/// What the creator typed: a batch id (`btc_…`), a code, or a plan by id or name.
pub async fn find_target(
    db: &Db,
    secret: &InstanceSecret,
    team_id: Uuid,
    input: &str,
    now: DateTime<Utc>,
) -> Result<RevokeTarget, DomainError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(DomainError::validation("target", ValidationReason::Required));
    }
    if input.to_ascii_lowercase().starts_with(ids::BATCH) {
        return find_batch(db, team_id, input, now).await;
    }
    match find_code(db, secret, team_id, input, now).await {
        Err(DomainError::NotFound { .. }) => {}
        found => return found,
    }
    match find_plan(db, team_id, input).await {
        // Something that reads as a code was meant as one, not as a plan's name.
        Err(DomainError::NotFound { .. }) if AccessCode::parse(input).is_some() => Err(DomainError::not_found("code")),
        found => found,
    }
}

/// One of the team's codes, typed in full.
pub async fn find_code(
    db: &Db,
    secret: &InstanceSecret,
    team_id: Uuid,
    input: &str,
    now: DateTime<Utc>,
) -> Result<RevokeTarget, DomainError> {
    let stored = super::code_listing::find_team_code(db, secret, team_id, input).await?;
    target_of(db, team_id, CodeScope::Code(stored.id), now).await
}

/// One of the team's batches, by its id in either spelling.
pub async fn find_batch(db: &Db, team_id: Uuid, input: &str, now: DateTime<Utc>) -> Result<RevokeTarget, DomainError> {
    target_of(db, team_id, CodeScope::Batch(batches::parse_batch_id(input)?), now).await
}

/// One of the team's plans, by id or name.
pub async fn find_plan(db: &Db, team_id: Uuid, input: &str) -> Result<RevokeTarget, DomainError> {
    let plan = plans::find_team_plan(db, team_id, input).await?;
    Ok(RevokeTarget::Plan { id: plan.id, plan: plan.name })
}

/// The target a confirmation button names, checked against the team again.
pub async fn target_of(
    db: &Db,
    team_id: Uuid,
    scope: CodeScope,
    now: DateTime<Utc>,
) -> Result<RevokeTarget, DomainError> {
    let plan_name = |plan_id| async move {
        let plan = db.find_team_plan(team_id, plan_id).await?.ok_or(DomainError::not_found("plan"))?;
        Ok::<_, DomainError>(plan.name)
    };
    match scope {
        CodeScope::Code(id) => {
            let code = db.find_code(id).await?.filter(|code| code.team_id == team_id);
            let code = code.ok_or(DomainError::not_found("code"))?;
            let state = CodeState::at(code.redeemed_at, code.revoked_at, code.expires_at, now);
            Ok(RevokeTarget::Code { id, plan_id: code.plan_id, masked: code.code_masked, state })
        }
        CodeScope::Batch(id) => {
            let batch = batches::team_batch(db, team_id, id).await?;
            let plan = plan_name(batch.plan_id).await?;
            let (plan_id, size, created_at) = (batch.plan_id, i64::from(batch.count), batch.created_at);
            Ok(RevokeTarget::Batch { id, plan_id, plan, size, created_at })
        }
        CodeScope::Plan(id) => Ok(RevokeTarget::Plan { id, plan: plan_name(id).await? }),
    }
}

/// How many codes revoking `target` would revoke now; nothing changes.
pub async fn preview(
    db: &Db,
    team_id: Uuid,
    target: RevokeTarget,
    now: DateTime<Utc>,
) -> Result<RevokePreview, DomainError> {
    let count = db.count_revocable(team_id, target.scope(), now).await?;
    Ok(RevokePreview { target, count })
}

/// Revokes what `target` reaches that could still be redeemed, with one `access_code.revoked` event when
/// anything was.
pub async fn revoke(
    db: &Db,
    team_id: Uuid,
    target: RevokeTarget,
    now: DateTime<Utc>,
) -> Result<Revocation, DomainError> {
    let scope = target.scope();
    let revoked = db
        .revoke_codes(team_id, scope, now, MASKED_IN_EVENT, |codes| revoked_event(team_id, &target, codes, now))
        .await?;
    if revoked.count > 0 {
        log::info!("{} codes were revoked", revoked.count);
    }
    Ok(Revocation { target, revoked })
}

fn revoked_event(team_id: Uuid, target: &RevokeTarget, codes: &RevokedCodes, now: DateTime<Utc>) -> Event {
    let mut data = json!({
        "count": codes.count,
        "plan_id": ids::public_id(ids::PLAN, target.plan_id()),
        "access_codes": codes.masked,
    });
    match target {
        RevokeTarget::Code { id, .. } => data["access_code_id"] = json!(ids::public_id(ids::ACCESS_CODE, *id)),
        RevokeTarget::Batch { id, .. } => data["batch_id"] = json!(ids::public_id(ids::BATCH, *id)),
        RevokeTarget::Plan { .. } => {}
    }
    Event {
        id: ids::new_id(),
        team_id,
        event_type: events::ACCESS_CODE_REVOKED.to_owned(),
        data: data.to_string(),
        created_at: now,
        delivered_at: None,
    }
}
