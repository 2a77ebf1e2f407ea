//! Plans of a team.
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, SqlErr};
use uuid::Uuid;

use super::entities::{plan, plan_chat};
use super::{Db, DbError};
use crate::domain::plans::PlanStatus;

pub use plan::Model as Plan;
pub use plan_chat::Model as PlanChat;

/// What inserting a plan did.
pub enum PlanInsert {
    Inserted,
    NameTaken,
}

impl Db {
    pub async fn insert_plan(&self, plan: Plan) -> Result<PlanInsert, DbError> {
        match plan::Entity::insert(plan.into_active_model()).exec(self.conn()).await {
            Ok(_) => Ok(PlanInsert::Inserted),
            Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                Ok(PlanInsert::NameTaken)
            }
            Err(error) => Err(error),
        }
    }

    pub async fn list_plans(&self, team_id: Uuid) -> Result<Vec<Plan>, DbError> {
        plan::Entity::find()
            .filter(plan::Column::TeamId.eq(team_id))
            .order_by_asc(plan::Column::CreatedAt)
            .all(self.conn())
            .await
    }

    /// The plan with this id, if it belongs to `team_id`.
    pub async fn find_team_plan(&self, team_id: Uuid, plan_id: Uuid) -> Result<Option<Plan>, DbError> {
        plan::Entity::find_by_id(plan_id).filter(plan::Column::TeamId.eq(team_id)).one(self.conn()).await
    }

    pub async fn find_team_plan_by_name_key(&self, team_id: Uuid, name_key: &str) -> Result<Option<Plan>, DbError> {
        plan::Entity::find()
            .filter(plan::Column::TeamId.eq(team_id))
            .filter(plan::Column::NameKey.eq(name_key))
            .one(self.conn())
            .await
    }

    /// Sets the plan's status; false when the plan is not the team's.
    pub async fn set_plan_status(&self, team_id: Uuid, plan_id: Uuid, status: PlanStatus) -> Result<bool, DbError> {
        let result = plan::Entity::update_many()
            .col_expr(plan::Column::Status, Expr::value(status))
            .filter(plan::Column::Id.eq(plan_id))
            .filter(plan::Column::TeamId.eq(team_id))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    pub async fn plan_chats(&self, plan_id: Uuid) -> Result<Vec<PlanChat>, DbError> {
        plan_chat::Entity::find()
            .filter(plan_chat::Column::PlanId.eq(plan_id))
            .order_by_asc(plan_chat::Column::LinkedAt)
            .all(self.conn())
            .await
    }

    /// Every plan chat that is `chat_id`, of whichever plan.
    pub async fn chats_with_id(&self, chat_id: i64) -> Result<Vec<PlanChat>, DbError> {
        plan_chat::Entity::find().filter(plan_chat::Column::ChatId.eq(chat_id)).all(self.conn()).await
    }

    /// Links a chat to a plan; linking it again updates its title and rights.
    pub async fn link_plan_chat(&self, chat: PlanChat) -> Result<(), DbError> {
        plan_chat::Entity::insert(chat.into_active_model())
            .on_conflict(
                OnConflict::columns([plan_chat::Column::PlanId, plan_chat::Column::ChatId])
                    .update_columns([
                        plan_chat::Column::Title,
                        plan_chat::Column::RightsProblem,
                        plan_chat::Column::ProblemToldAt,
                    ])
                    .to_owned(),
            )
            .exec(self.conn())
            .await?;
        Ok(())
    }

    pub async fn unlink_plan_chat(&self, plan_id: Uuid, chat_id: i64) -> Result<bool, DbError> {
        let result = plan_chat::Entity::delete_many()
            .filter(plan_chat::Column::PlanId.eq(plan_id))
            .filter(plan_chat::Column::ChatId.eq(chat_id))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Renames the team's plan; `NameTaken` when another plan of the team has the name.
    pub async fn rename_plan(
        &self,
        team_id: Uuid,
        plan_id: Uuid,
        name: &str,
        name_key: &str,
    ) -> Result<PlanInsert, DbError> {
        let update = plan::Entity::update_many()
            .col_expr(plan::Column::Name, Expr::value(name))
            .col_expr(plan::Column::NameKey, Expr::value(name_key))
            .filter(plan::Column::Id.eq(plan_id))
            .filter(plan::Column::TeamId.eq(team_id))
            .exec(self.conn())
            .await;
        match update {
            Ok(_) => Ok(PlanInsert::Inserted),
            Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                Ok(PlanInsert::NameTaken)
            }
            Err(error) => Err(error),
        }
    }

    pub async fn find_plan(&self, plan_id: Uuid) -> Result<Option<Plan>, DbError> {
        plan::Entity::find_by_id(plan_id).one(self.conn()).await
    }
}
