//! Looking up stored access codes, by plan and by the state they are in.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::entities::access_code;
use super::generation::AccessCodeRow;
use super::{Db, DbError};
use crate::domain::access_code::CodeStatus;
use crate::domain::code_listing::CodeFilter;

/// The codes `filter` shows at `now`, as [`crate::domain::access_code::CodeState`] decides.
fn condition(filter: CodeFilter, now: DateTime<Utc>) -> Condition {
    let not_redeemed = access_code::Column::RedeemedAt.is_null();
    let past_expiry = Condition::any()
        .add(access_code::Column::Status.eq(CodeStatus::Expired))
        .add(access_code::Column::ExpiresAt.lte(now));
    match filter {
        CodeFilter::All => Condition::all(),
        CodeFilter::Redeemed => Condition::all().add(access_code::Column::RedeemedAt.is_not_null()),
        CodeFilter::Expired => Condition::all().add(not_redeemed).add(past_expiry),
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
    pub async fn count_plan_codes(
        &self,
        plan_id: Uuid,
        filter: CodeFilter,
        now: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        access_code::Entity::find()
            .filter(access_code::Column::PlanId.eq(plan_id))
            .filter(condition(filter, now))
            .count(self.conn())
            .await
    }

    /// The plan's codes matching `filter`, newest batch first and in batch order within a batch.
    pub async fn plan_codes(
        &self,
        plan_id: Uuid,
        filter: CodeFilter,
        now: DateTime<Utc>,
        offset: u64,
        limit: u64,
    ) -> Result<CodePage, DbError> {
        let query =
            access_code::Entity::find().filter(access_code::Column::PlanId.eq(plan_id)).filter(condition(filter, now));
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
