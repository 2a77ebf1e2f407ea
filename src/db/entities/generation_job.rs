//! The `generation_jobs` table.
use sea_orm::entity::prelude::*;

use crate::domain::generation::ExportType;
use crate::domain::jobs::JobStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "generation_jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Uuid,
    pub creator_id: Uuid,
    pub plan_id: Uuid,
    pub draft_id: Option<Uuid>,
    pub tool_name: String,
    pub quantity: i32,
    pub export_type: ExportType,
    pub expiry_preset: String,
    pub custom_expiry_amount: Option<i32>,
    pub custom_expiry_type: Option<String>,
    pub expires_at: Option<DateTimeUtc>,
    pub delivery_chat_id: i64,
    pub status: JobStatus,
    pub attempts: i32,
    pub run_at: DateTimeUtc,
    pub locked_by: Option<String>,
    pub locked_at: Option<DateTimeUtc>,
    pub heartbeat_at: Option<DateTimeUtc>,
    pub batch_id: Option<Uuid>,
    pub delivered_count: i32,
    pub status_message_id: Option<i32>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub enqueued_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
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
