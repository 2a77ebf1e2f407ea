//! API tokens: what agents present, what each may do, and who they act for.
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::secret::{InstanceSecret, hex, random_bytes};
use super::stored::stored_enum;
use super::{DomainError, ValidationReason, ids};
use crate::db::Db;
use crate::db::teams::Creator;
use crate::db::tokens::{ApiToken, TokenDraft};

stored_enum! {
    /// Where a token being made in the bot stands.
    pub enum TokenDraftStatus {
        Pending = "pending",
        Created = "created",
        Cancelled = "cancelled",
    }
}

pub const TOKEN_PREFIX: &str = "abt_";
const MAX_NAME_LEN: usize = 64;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ability {
    /// May speak MCP at all, and poll jobs.
    McpFull,
    /// May generate codes and preview their cost.
    CreateCodes,
    /// May list codes.
    ViewCodes,
    /// May read webhook deliveries.
    ViewWebhooks,
    /// May send webhook deliveries again.
    ManageWebhooks,
    /// May revoke codes.
    RevokeCodes,
}

impl Ability {
    pub const ALL: [Ability; 6] = [
        Self::McpFull,
        Self::CreateCodes,
        Self::ViewCodes,
        Self::RevokeCodes,
        Self::ViewWebhooks,
        Self::ManageWebhooks,
    ];
    pub const NAMES: &'static [&'static str] = &[
        "mcp:full",
        "project-access-code:create",
        "project-access-code:view-any",
        "project-access-code:revoke",
        "project-webhook:view",
        "project-webhook:manage",
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::McpFull => "mcp:full",
            Self::CreateCodes => "project-access-code:create",
            Self::ViewCodes => "project-access-code:view-any",
            Self::RevokeCodes => "project-access-code:revoke",
            Self::ViewWebhooks => "project-webhook:view",
            Self::ManageWebhooks => "project-webhook:manage",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|ability| ability.as_str() == input.trim())
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|a| *a == self).unwrap_or_default()
    }
}

/// A set of abilities, stored as their names separated by spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Abilities([bool; Ability::ALL.len()]);

impl Abilities {
    /// Reads a comma- or space-separated list; an unknown name is a validation error.
    pub fn parse_list(input: &str) -> Result<Self, DomainError> {
        let mut abilities = Self::default();
        for name in input.split([',', ' ']).filter(|n| !n.trim().is_empty()) {
            let ability = Ability::parse(name).ok_or(DomainError::validation(
                "abilities",
                ValidationReason::UnknownValue { allowed: Ability::NAMES },
            ))?;
            abilities.0[ability.index()] = true;
        }
        Ok(abilities)
    }

    /// Reads the stored form; names this version does not know are ignored.
    fn from_stored(stored: &str) -> Self {
        let mut abilities = Self::default();
        for ability in stored.split(' ').filter_map(Ability::parse) {
            abilities.0[ability.index()] = true;
        }
        abilities
    }

    pub fn contains(self, ability: Ability) -> bool {
        self.0[ability.index()]
    }

    pub fn toggled(mut self, ability: Ability) -> Self {
        self.0[ability.index()] = !self.0[ability.index()];
        self
    }

    pub fn is_empty(self) -> bool {
        !self.0.iter().any(|a| *a)
    }

    pub fn iter(self) -> impl Iterator<Item = Ability> {
        Ability::ALL.into_iter().filter(move |a| self.contains(*a))
    }

    pub fn to_stored(self) -> String {
        self.iter().map(Ability::as_str).collect::<Vec<_>>().join(" ")
    }
}

/// Who is calling: a live token and the creator it acts for.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: Uuid,
    pub creator: Creator,
    pub abilities: Abilities,
}

impl Caller {
    pub fn require(&self, ability: Ability) -> Result<(), DomainError> {
        if self.abilities.contains(ability) {
            Ok(())
        } else {
            Err(DomainError::TokenMissingAbility { ability: ability.as_str() })
        }
    }
}

/// A token as its owner sees it in lists; the secret is never shown again.
#[derive(Debug, Clone)]
pub struct TokenSummary {
    pub id: Uuid,
    pub name: String,
    pub abilities: Abilities,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A token just created: `plaintext` is shown to its owner this one time.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub summary: TokenSummary,
    pub plaintext: String,
}

fn check_name(name: &str) -> Result<String, DomainError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::validation("name", ValidationReason::Required));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(DomainError::validation("name", ValidationReason::TooLong { max: MAX_NAME_LEN }));
    }
    Ok(name.to_owned())
}

fn check_abilities(abilities: Abilities) -> Result<(), DomainError> {
    if abilities.is_empty() {
        return Err(DomainError::validation("abilities", ValidationReason::Required));
    }
    Ok(())
}

/// A new token row for `creator` and the plaintext that goes with it.
fn mint(
    secret: &InstanceSecret,
    creator: &Creator,
    name: String,
    abilities: Abilities,
    now: DateTime<Utc>,
) -> (ApiToken, IssuedToken) {
    let id = ids::new_id();
    let secret_part = hex(&random_bytes::<24>());
    let plaintext = format!("{TOKEN_PREFIX}{}_{secret_part}", ulid::Ulid::from(id).to_string().to_lowercase());
    let row = ApiToken {
        id,
        team_id: creator.team_id,
        creator_id: creator.id,
        name: name.clone(),
        secret_hash: secret.hash_token(&secret_part),
        abilities: abilities.to_stored(),
        created_at: now,
        last_used_at: None,
        revoked_at: None,
    };
    let summary = TokenSummary { id, name, abilities, created_at: now, last_used_at: None };
    (row, IssuedToken { summary, plaintext })
}

/// Creates a token directly, as the operator's command line does.
pub async fn create_token(
    db: &Db,
    secret: &InstanceSecret,
    creator: &Creator,
    name: &str,
    abilities: Abilities,
    now: DateTime<Utc>,
) -> Result<IssuedToken, DomainError> {
    let name = check_name(name)?;
    check_abilities(abilities)?;
    let (row, issued) = mint(secret, creator, name, abilities, now);
    db.insert_token(row).await?;
    log::info!("a token was created for a creator");
    Ok(issued)
}

/// Splits `abt_<id>_<secret>` into the token id and its secret part.
fn split_token(presented: &str) -> Option<(Uuid, &str)> {
    let rest = presented.trim().strip_prefix(TOKEN_PREFIX)?;
    let (id, secret_part) = rest.split_once('_')?;
    let id = ulid::Ulid::from_string(&id.to_ascii_uppercase()).ok()?;
    (!secret_part.is_empty()).then_some((Uuid::from(id), secret_part))
}

/// The caller behind a presented token; anything but a live token is `AUTHENTICATION_REQUIRED`.
pub async fn authenticate(
    db: &Db,
    secret: &InstanceSecret,
    presented: &str,
    now: DateTime<Utc>,
) -> Result<Caller, DomainError> {
    let (id, secret_part) = split_token(presented).ok_or(DomainError::AuthenticationRequired)?;
    let token = db
        .find_token(id)
        .await?
        .filter(|token| token.revoked_at.is_none() && secret.verify_token(secret_part, &token.secret_hash))
        .ok_or(DomainError::AuthenticationRequired)?;
    let creator = db.find_creator(token.creator_id).await?.ok_or(DomainError::AuthenticationRequired)?;
    db.record_token_use(token.id, now).await?;
    Ok(Caller { token_id: token.id, creator, abilities: Abilities::from_stored(&token.abilities) })
}

pub async fn list_tokens(db: &Db, creator: &Creator) -> Result<Vec<TokenSummary>, DomainError> {
    Ok(db
        .active_tokens_of_creator(creator.id)
        .await?
        .into_iter()
        .map(|token| TokenSummary {
            id: token.id,
            name: token.name,
            abilities: Abilities::from_stored(&token.abilities),
            created_at: token.created_at,
            last_used_at: token.last_used_at,
        })
        .collect())
}

/// Revokes one of the creator's tokens; its very next call is refused.
pub async fn revoke_token(db: &Db, creator: &Creator, token_id: Uuid, now: DateTime<Utc>) -> Result<(), DomainError> {
    if db.revoke_token(token_id, creator.id, now).await? {
        log::info!("a token was revoked");
        Ok(())
    } else {
        Err(DomainError::not_found("token"))
    }
}

/// The bot's card for a token being made: its name and the abilities ticked so far.
#[derive(Debug, Clone)]
pub struct TokenDraftView {
    pub id: Uuid,
    pub name: String,
    pub abilities: Abilities,
}

impl TokenDraftView {
    fn of(draft: &TokenDraft) -> Self {
        Self { id: draft.id, name: draft.name.clone(), abilities: Abilities::from_stored(&draft.abilities) }
    }
}

/// Starts a token draft with only `mcp:full` ticked, the least a token needs to be useful; named `name`,
/// or `default_name` when none is given.
pub async fn start_token_draft(
    db: &Db,
    creator: &Creator,
    name: Option<&str>,
    default_name: String,
    now: DateTime<Utc>,
) -> Result<TokenDraftView, DomainError> {
    let name = match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => check_name(name)?,
        None => default_name,
    };
    let draft = TokenDraft {
        id: ids::new_id(),
        creator_id: creator.id,
        name,
        abilities: Abilities::default().toggled(Ability::McpFull).to_stored(),
        status: TokenDraftStatus::Pending,
        token_id: None,
        created_at: now,
    };
    db.insert_token_draft(draft.clone()).await?;
    Ok(TokenDraftView::of(&draft))
}

async fn pending_draft(db: &Db, creator: &Creator, draft_id: Uuid) -> Result<TokenDraft, DomainError> {
    db.find_token_draft(draft_id)
        .await?
        .filter(|draft| draft.creator_id == creator.id && draft.status == TokenDraftStatus::Pending)
        .ok_or(DomainError::not_found("draft"))
}

pub async fn toggle_draft_ability(
    db: &Db,
    creator: &Creator,
    draft_id: Uuid,
    ability: Ability,
) -> Result<TokenDraftView, DomainError> {
    let draft = pending_draft(db, creator, draft_id).await?;
    let abilities = Abilities::from_stored(&draft.abilities).toggled(ability);
    if !db.set_token_draft_abilities(draft.id, &abilities.to_stored()).await? {
        return Err(DomainError::not_found("draft"));
    }
    Ok(TokenDraftView { abilities, ..TokenDraftView::of(&draft) })
}

/// Creates the draft's token; a draft makes at most one token however often it is confirmed.
pub async fn create_token_from_draft(
    db: &Db,
    secret: &InstanceSecret,
    creator: &Creator,
    draft_id: Uuid,
    now: DateTime<Utc>,
) -> Result<IssuedToken, DomainError> {
    let draft = pending_draft(db, creator, draft_id).await?;
    let abilities = Abilities::from_stored(&draft.abilities);
    check_abilities(abilities)?;
    let (row, issued) = mint(secret, creator, draft.name.clone(), abilities, now);
    if !db.create_token_from_draft(draft.id, row).await? {
        return Err(DomainError::not_found("draft"));
    }
    log::info!("a token was created in the bot");
    Ok(issued)
}

/// Gives a pending draft the name the creator typed.
pub async fn rename_draft(
    db: &Db,
    creator: &Creator,
    draft_id: Uuid,
    name: &str,
) -> Result<TokenDraftView, DomainError> {
    let draft = pending_draft(db, creator, draft_id).await?;
    let name = check_name(name.trim())?;
    if !db.set_token_draft_name(draft.id, &name).await? {
        return Err(DomainError::not_found("draft"));
    }
    Ok(TokenDraftView { name, ..TokenDraftView::of(&draft) })
}

pub async fn cancel_token_draft(db: &Db, creator: &Creator, draft_id: Uuid) -> Result<(), DomainError> {
    let draft = pending_draft(db, creator, draft_id).await?;
    if db.cancel_token_draft(draft.id).await? { Ok(()) } else { Err(DomainError::not_found("draft")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_splits_into_its_id_and_secret() {
        let id = ids::new_id();
        let token = format!("abt_{}_00ff", ulid::Ulid::from(id).to_string().to_lowercase());
        assert_eq!(split_token(&token), Some((id, "00ff")));
        assert_eq!(split_token("abt_nonsense_00ff"), None);
        assert_eq!(split_token(&format!("abt_{}_", ulid::Ulid::from(id))), None);
        assert_eq!(split_token("Bearer abc"), None);
    }

    #[test]
    fn abilities_read_back_from_their_stored_form() {
        let abilities = Abilities::parse_list("mcp:full, project-access-code:view-any").unwrap();
        assert!(abilities.contains(Ability::McpFull) && abilities.contains(Ability::ViewCodes));
        assert!(!abilities.contains(Ability::CreateCodes));
        assert_eq!(Abilities::from_stored(&abilities.to_stored()), abilities);
        assert!(Abilities::parse_list("mcp:full,admin").is_err());
    }
}
