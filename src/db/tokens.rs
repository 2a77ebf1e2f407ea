//! API tokens and the drafts of new ones.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

use super::entities::{api_token, token_draft};
use super::{Db, DbError};
use crate::domain::tokens::TokenDraftStatus;

pub use api_token::Model as ApiToken;
pub use token_draft::Model as TokenDraft;

/// `last_used_at` is written at most this often per token, so busy agents do not write on every call.
const LAST_USED_RESOLUTION: Duration = Duration::seconds(60);

impl Db {
    pub async fn insert_token(&self, token: ApiToken) -> Result<(), DbError> {
        api_token::Entity::insert(token.into_active_model()).exec(self.conn()).await?;
        Ok(())
    }

    pub async fn find_token(&self, id: Uuid) -> Result<Option<ApiToken>, DbError> {
        api_token::Entity::find_by_id(id).one(self.conn()).await
    }

    /// The creator's tokens that are not revoked, oldest first.
    pub async fn active_tokens_of_creator(&self, creator_id: Uuid) -> Result<Vec<ApiToken>, DbError> {
        api_token::Entity::find()
            .filter(api_token::Column::CreatorId.eq(creator_id))
            .filter(api_token::Column::RevokedAt.is_null())
            .order_by_asc(api_token::Column::CreatedAt)
            .all(self.conn())
            .await
    }

    /// Revokes the creator's token; false when it is not theirs or was revoked already.
    pub async fn revoke_token(&self, id: Uuid, creator_id: Uuid, now: DateTime<Utc>) -> Result<bool, DbError> {
        let result = api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(id))
            .filter(api_token::Column::CreatorId.eq(creator_id))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    pub async fn record_token_use(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(id))
            .filter(
                Condition::any()
                    .add(api_token::Column::LastUsedAt.is_null())
                    .add(api_token::Column::LastUsedAt.lt(now - LAST_USED_RESOLUTION)),
            )
            .exec(self.conn())
            .await?;
        Ok(())
    }

    pub async fn insert_token_draft(&self, draft: TokenDraft) -> Result<(), DbError> {
        token_draft::Entity::insert(draft.into_active_model()).exec(self.conn()).await?;
        Ok(())
    }

    pub async fn find_token_draft(&self, id: Uuid) -> Result<Option<TokenDraft>, DbError> {
        token_draft::Entity::find_by_id(id).one(self.conn()).await
    }

    /// Changes the abilities of a pending draft; false when it is no longer pending.
    pub async fn set_token_draft_abilities(&self, id: Uuid, abilities: &str) -> Result<bool, DbError> {
        let result = token_draft::Entity::update_many()
            .col_expr(token_draft::Column::Abilities, Expr::value(abilities))
            .filter(token_draft::Column::Id.eq(id))
            .filter(token_draft::Column::Status.eq(TokenDraftStatus::Pending))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Renames a pending draft; false when it is no longer pending.
    pub async fn set_token_draft_name(&self, id: Uuid, name: &str) -> Result<bool, DbError> {
        let result = token_draft::Entity::update_many()
            .col_expr(token_draft::Column::Name, Expr::value(name))
            .filter(token_draft::Column::Id.eq(id))
            .filter(token_draft::Column::Status.eq(TokenDraftStatus::Pending))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    pub async fn cancel_token_draft(&self, id: Uuid) -> Result<bool, DbError> {
        let result = token_draft::Entity::update_many()
            .col_expr(token_draft::Column::Status, Expr::value(TokenDraftStatus::Cancelled))
            .filter(token_draft::Column::Id.eq(id))
            .filter(token_draft::Column::Status.eq(TokenDraftStatus::Pending))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Creates the draft's token, once: false when the draft was created or cancelled before.
    pub async fn create_token_from_draft(&self, draft_id: Uuid, token: ApiToken) -> Result<bool, DbError> {
        let txn = self.conn().begin().await?;
        let claimed = token_draft::Entity::update_many()
            .col_expr(token_draft::Column::Status, Expr::value(TokenDraftStatus::Created))
            .col_expr(token_draft::Column::TokenId, Expr::value(token.id))
            .filter(token_draft::Column::Id.eq(draft_id))
            .filter(token_draft::Column::Status.eq(TokenDraftStatus::Pending))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(false);
        }
        api_token::Entity::insert(token.into_active_model()).exec(&txn).await?;
        txn.commit().await?;
        Ok(true)
    }
}
