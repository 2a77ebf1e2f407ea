//! Tiers, teams, creators and creator invites.
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
    sea_query::Expr,
};
use uuid::Uuid;

use super::entities::{creator, creator_invite, redemption, team, tier};
use super::{Db, DbError};

pub use creator::Model as Creator;
pub use creator_invite::Model as CreatorInvite;
pub use team::Model as Team;
pub use tier::Model as Tier;

impl Db {
    pub async fn insert_invite(&self, invite: CreatorInvite) -> Result<(), DbError> {
        creator_invite::Entity::insert(invite.into_active_model()).exec(self.conn()).await?;
        Ok(())
    }

    pub async fn find_invite_by_hash(&self, token_hash: &str) -> Result<Option<CreatorInvite>, DbError> {
        creator_invite::Entity::find().filter(creator_invite::Column::TokenHash.eq(token_hash)).one(self.conn()).await
    }

    /// Uses the invite and creates the team and its creator, all or nothing.
    /// Returns false when the invite was used in the meantime.
    pub async fn accept_invite(
        &self,
        invite_id: Uuid,
        new_team: Team,
        new_creator: Creator,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let txn = self.conn().begin().await?;
        let claimed = creator_invite::Entity::update_many()
            .col_expr(creator_invite::Column::UsedAt, Expr::value(now))
            .col_expr(creator_invite::Column::UsedByCreatorId, Expr::value(new_creator.id))
            .filter(creator_invite::Column::Id.eq(invite_id))
            .filter(creator_invite::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(false);
        }
        team::Entity::insert(new_team.into_active_model()).exec(&txn).await?;
        creator::Entity::insert(new_creator.into_active_model()).exec(&txn).await?;
        txn.commit().await?;
        Ok(true)
    }

    pub async fn find_creator_by_telegram_user(&self, telegram_user_id: i64) -> Result<Option<Creator>, DbError> {
        creator::Entity::find().filter(creator::Column::TelegramUserId.eq(telegram_user_id)).one(self.conn()).await
    }

    pub async fn set_creator_language(&self, id: Uuid, language_code: &str) -> Result<(), DbError> {
        creator::Entity::update_many()
            .col_expr(creator::Column::LanguageCode, Expr::value(language_code))
            .filter(creator::Column::Id.eq(id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Every creator, for registering their chats' command menus.
    pub async fn list_creators(&self) -> Result<Vec<Creator>, DbError> {
        creator::Entity::find().all(self.conn()).await
    }

    pub async fn find_creator(&self, id: Uuid) -> Result<Option<Creator>, DbError> {
        creator::Entity::find_by_id(id).one(self.conn()).await
    }

    pub async fn list_teams(&self) -> Result<Vec<Team>, DbError> {
        team::Entity::find().order_by_asc(team::Column::CreatedAt).all(self.conn()).await
    }

    pub async fn creators_of_team(&self, team_id: Uuid) -> Result<Vec<Creator>, DbError> {
        creator::Entity::find()
            .filter(creator::Column::TeamId.eq(team_id))
            .order_by_asc(creator::Column::CreatedAt)
            .all(self.conn())
            .await
    }

    pub async fn set_team_tier(&self, team_id: Uuid, tier_id: &str) -> Result<(), DbError> {
        team::Entity::update_many()
            .col_expr(team::Column::TierId, Expr::value(tier_id))
            .filter(team::Column::Id.eq(team_id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    pub async fn set_team_stripe_customer(&self, team_id: Uuid, customer: &str) -> Result<(), DbError> {
        team::Entity::update_many()
            .col_expr(team::Column::StripeCustomerId, Expr::value(customer))
            .filter(team::Column::Id.eq(team_id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    pub async fn find_team(&self, id: Uuid) -> Result<Option<Team>, DbError> {
        team::Entity::find_by_id(id).one(self.conn()).await
    }

    pub async fn find_tier(&self, id: &str) -> Result<Option<Tier>, DbError> {
        tier::Entity::find_by_id(id.to_owned()).one(self.conn()).await
    }

    /// Redemptions of the team's codes at or after `since`, rolled-back ones not counted.
    pub async fn count_redemptions_since(&self, team_id: Uuid, since: DateTime<Utc>) -> Result<u64, DbError> {
        redemption::Entity::find()
            .filter(redemption::Column::TeamId.eq(team_id))
            .filter(redemption::Column::RedeemedAt.gte(since))
            .filter(redemption::Column::RolledBackAt.is_null())
            .count(self.conn())
            .await
    }
}
