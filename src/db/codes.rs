//! Looking up stored access codes, by plan and by the state they are in; revoking those not yet redeemed.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::entities::access_code;
use super::generation::{AccessCodeRow, Event};
use super::{Db, DbError};
use crate::domain::access_code::CodeStatus;
use crate::domain::code_listing::CodeFilter;

/// The codes `filter` shows at `now`, as [`crate::domain::access_code::CodeState`] decides.
pub(super) fn code_condition(filter: CodeFilter, now: DateTime<Utc>) -> Condition {
    let not_redeemed = access_code::Column::RedeemedAt.is_null();
    let past_expiry = Condition::any()
        .add(access_code::Column::Status.eq(CodeStatus::Expired))
        .add(access_code::Column::ExpiresAt.lte(now));
    match filter {
        CodeFilter::All => Condition::all(),
        CodeFilter::Redeemed => Condition::all().add(access_code::Column::RedeemedAt.is_not_null()),
        CodeFilter::Expired => {
            Condition::all().add(not_redeemed).add(access_code::Column::Status.ne(CodeStatus::Revoked)).add(past_expiry)
        }
        CodeFilter::Revoked => Condition::all().add(access_code::Column::Status.eq(CodeStatus::Revoked)),
        CodeFilter::Unredeemed => {
            Condition::all().add(not_redeemed).add(access_code::Column::Status.eq(CodeStatus::Unredeemed)).add(
                Condition::any()
                    .add(access_code::Column::ExpiresAt.is_null())
                    .add(access_code::Column::ExpiresAt.gt(now)),
            )
        }
    }
}

/// One page of a plan's codes and how many match in all.
#[derive(Debug, Clone)]
pub struct CodePage {
    pub codes: Vec<AccessCodeRow>,
    pub total: u64,
}

impl Db {
    pub async fn find_code(&self, id: Uuid) -> Result<Option<AccessCodeRow>, DbError> {
        access_code::Entity::find_by_id(id).one(self.conn()).await
    }

    /// Whether the code was revoked: a messages job asks just before each code's turn.
    pub async fn is_code_revoked(&self, id: Uuid) -> Result<bool, DbError> {
        let revoked_at: Option<Option<DateTime<Utc>>> = access_code::Entity::find_by_id(id)
            .select_only()
            .column(access_code::Column::RevokedAt)
            .into_tuple()
            .one(self.conn())
            .await?;
        Ok(revoked_at.flatten().is_some())
    }

    pub async fn count_plan_codes(
        &self,
        plan_id: Uuid,
        batch_id: Option<Uuid>,
        filter: CodeFilter,
        now: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        listed(plan_id, batch_id, filter, now).count(self.conn()).await
    }

    /// The plan's codes (of one batch, when given) matching `filter`, newest batch first and in batch order
    /// within a batch.
    pub async fn plan_codes(
        &self,
        plan_id: Uuid,
        batch_id: Option<Uuid>,
        filter: CodeFilter,
        now: DateTime<Utc>,
        offset: u64,
        limit: u64,
    ) -> Result<CodePage, DbError> {
        let query = listed(plan_id, batch_id, filter, now);
        let total = query.clone().count(self.conn()).await?;
        let codes = query
            .order_by_desc(access_code::Column::CreatedAt)
            .order_by_desc(access_code::Column::BatchId)
            .order_by_asc(access_code::Column::Position)
            .offset(offset)
            .limit(limit)
            .all(self.conn())
            .await?;
        Ok(CodePage { codes, total })
    }
}

fn listed(
    plan_id: Uuid,
    batch_id: Option<Uuid>,
    filter: CodeFilter,
    now: DateTime<Utc>,
) -> sea_orm::Select<access_code::Entity> {
    let query = access_code::Entity::find().filter(access_code::Column::PlanId.eq(plan_id));
    let query = match batch_id {
        Some(batch_id) => query.filter(access_code::Column::BatchId.eq(batch_id)),
        None => query,
    };
    query.filter(code_condition(filter, now))
}

/// Which of a team's codes a revocation reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeScope {
    Code(Uuid),
    Batch(Uuid),
    Plan(Uuid),
}

impl CodeScope {
    /// The codes of this scope that belong to `team_id`.
    pub fn of_team(self, team_id: Uuid) -> Condition {
        let scope = match self {
            CodeScope::Code(id) => access_code::Column::Id.eq(id),
            CodeScope::Batch(id) => access_code::Column::BatchId.eq(id),
            CodeScope::Plan(id) => access_code::Column::PlanId.eq(id),
        };
        Condition::all().add(access_code::Column::TeamId.eq(team_id)).add(scope)
    }
}

/// The codes of `scope` that could still be redeemed at `now`: the only ones a revocation changes.
fn revocable(team_id: Uuid, scope: CodeScope, now: DateTime<Utc>) -> Condition {
    scope
        .of_team(team_id)
        .add(access_code::Column::Status.eq(CodeStatus::Unredeemed))
        .add(access_code::Column::RedeemedAt.is_null())
        .add(Condition::any().add(access_code::Column::ExpiresAt.is_null()).add(access_code::Column::ExpiresAt.gt(now)))
}

/// What one revocation changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedCodes {
    pub count: u64,
    /// The masked codes, at most `shown` of them.
    pub masked: Vec<String>,
}

impl Db {
    pub async fn count_revocable(&self, team_id: Uuid, scope: CodeScope, now: DateTime<Utc>) -> Result<u64, DbError> {
        access_code::Entity::find().filter(revocable(team_id, scope, now)).count(self.conn()).await
    }

    /// Revokes every code of `scope` that could still be redeemed, in one conditional write that a
    /// redemption of the same code races safely (each code ends up redeemed or revoked, never both), and
    /// erases their sealed plaintext: they are never delivered. `event` is written in the same transaction
    /// when anything was revoked.
    pub async fn revoke_codes(
        &self,
        team_id: Uuid,
        scope: CodeScope,
        now: DateTime<Utc>,
        shown: u64,
        event: impl FnOnce(&RevokedCodes) -> Event,
    ) -> Result<RevokedCodes, DbError> {
        use access_code::Column as C;
        let txn = self.conn().begin().await?;
        let revoked = access_code::Entity::update_many()
            .col_expr(C::Status, Expr::value(CodeStatus::Revoked))
            .col_expr(C::RevokedAt, Expr::value(now))
            .col_expr(C::SealedCode, Expr::value(Option::<String>::None))
            .filter(revocable(team_id, scope, now))
            .exec(&txn)
            .await?;
        if revoked.rows_affected == 0 {
            txn.rollback().await?;
            return Ok(RevokedCodes { count: 0, masked: Vec::new() });
        }
        let masked: Vec<String> = access_code::Entity::find()
            .select_only()
            .column(C::CodeMasked)
            .filter(scope.of_team(team_id))
            .filter(C::Status.eq(CodeStatus::Revoked))
            .filter(C::RevokedAt.eq(now))
            .order_by_asc(C::BatchId)
            .order_by_asc(C::Position)
            .limit(shown)
            .into_tuple()
            .all(&txn)
            .await?;
        let codes = RevokedCodes { count: revoked.rows_affected, masked };
        super::webhooks::record_events(&txn, vec![event(&codes)]).await?;
        txn.commit().await?;
        Ok(codes)
    }
}
