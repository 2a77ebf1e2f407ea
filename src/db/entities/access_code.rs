//! The `access_codes` table.
use sea_orm::entity::prelude::*;

use crate::domain::access_code::CodeStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_codes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Uuid,
    pub plan_id: Uuid,
    pub batch_id: Uuid,
    pub position: i32,
    pub code_hash: String,
    pub code_masked: String,
    pub sealed_code: Option<String>,
    pub status: CodeStatus,
    pub expires_at: Option<DateTimeUtc>,
    pub redeemed_at: Option<DateTimeUtc>,
    pub redeemed_by: Option<i64>,
    pub created_at: DateTimeUtc,
    /// When the creator took the code back before anyone redeemed it.
    pub revoked_at: Option<DateTimeUtc>,
    /// How many people may redeem it, and how many have (rolled-back uses not counted).
    pub max_redemptions: i32,
    pub redemption_count: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
