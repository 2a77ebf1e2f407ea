//! The `generation_drafts` table.
use sea_orm::entity::prelude::*;

use crate::domain::generation::{DraftStatus, ExportType};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "generation_drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub creator_id: Uuid,
    pub team_id: Uuid,
    pub plan_id: Uuid,
    pub quantity: i32,
    pub export_type: ExportType,
    pub expiry_preset: String,
    pub custom_expiry_amount: Option<i32>,
    pub custom_expiry_type: Option<String>,
    pub status: DraftStatus,
    pub job_id: Option<Uuid>,
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
