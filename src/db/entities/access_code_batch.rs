//! The `access_code_batches` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_code_batches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Uuid,
    pub plan_id: Uuid,
    pub job_id: Uuid,
    pub count: i32,
    pub expires_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// The creator's name for the batch.
    pub label: Option<String>,
    /// What the batch's codes start with (`VIP` in `VIP-XXXX-XXXX-XXXX`).
    pub prefix: Option<String>,
    /// Who may redeem the batch's codes: `new`, `returning`, or anyone (None).
    pub eligibility: Option<String>,
    /// How many people may redeem each code.
    pub max_redemptions: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
