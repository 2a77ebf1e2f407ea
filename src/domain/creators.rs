//! Creators join through single-use invite links made by the operator.
use chrono::{DateTime, Duration, Utc};

use super::secret::{InstanceSecret, random_bytes};
use super::{DomainError, ids};
use crate::db::Db;
use crate::db::teams::{Creator, CreatorInvite, Team};

pub const INVITE_PREFIX: &str = "join_";
const INVITE_LIFETIME_DAYS: i64 = 7;
const TOKEN_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// The Telegram user who accepts an invite, and the private chat codes will be delivered to.
pub struct Joiner {
    pub telegram_user_id: i64,
    pub display_name: String,
    pub language_code: Option<String>,
    pub chat_id: i64,
}

pub enum InviteAcceptance {
    Joined(Creator),
    AlreadyCreator(Creator),
}

/// A fresh invite; returns the token that goes after `join_` in the deep link.
pub async fn create_invite(db: &Db, secret: &InstanceSecret, now: DateTime<Utc>) -> Result<String, DomainError> {
    let token: String = random_bytes::<24>().iter().map(|b| TOKEN_ALPHABET[(b & 0x1f) as usize] as char).collect();
    db.insert_invite(CreatorInvite {
        id: ids::new_id(),
        token_hash: secret.hash_token(&token),
        expires_at: now + Duration::days(INVITE_LIFETIME_DAYS),
        used_at: None,
        used_by_creator_id: None,
        created_at: now,
    })
    .await?;
    Ok(token)
}

/// Makes the joiner a creator of a new team on the free tier, once per invite.
pub async fn accept_invite(
    db: &Db,
    secret: &InstanceSecret,
    token: &str,
    joiner: Joiner,
    now: DateTime<Utc>,
) -> Result<InviteAcceptance, DomainError> {
    if let Some(existing) = db.find_creator_by_telegram_user(joiner.telegram_user_id).await? {
        return Ok(InviteAcceptance::AlreadyCreator(existing));
    }
    let invite = db
        .find_invite_by_hash(&secret.hash_token(token.trim()))
        .await?
        .filter(|invite| invite.used_at.is_none() && invite.expires_at > now)
        .ok_or(DomainError::not_found("invite"))?;
    let team = Team {
        id: ids::new_id(),
        name: joiner.display_name.clone(),
        tier_id: "free".to_owned(),
        stripe_customer_id: None,
        billing_anchor_at: now,
        created_at: now,
    };
    let creator = Creator {
        id: ids::new_id(),
        team_id: team.id,
        telegram_user_id: joiner.telegram_user_id,
        linked_chat_id: Some(joiner.chat_id),
        display_name: joiner.display_name,
        language_code: joiner.language_code,
        created_at: now,
        notify_redemptions: crate::domain::notices::RedemptionNotices::Each,
    };
    if !db.accept_invite(invite.id, team, creator.clone(), now).await? {
        return Err(DomainError::not_found("invite"));
    }
    log::info!("a creator joined through an invite");
    Ok(InviteAcceptance::Joined(creator))
}

pub async fn find_creator(db: &Db, telegram_user_id: i64) -> Result<Option<Creator>, DomainError> {
    Ok(db.find_creator_by_telegram_user(telegram_user_id).await?)
}
