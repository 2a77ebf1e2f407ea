//! The inbox of Telegram updates.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};

use super::entities::inbox_update;
use super::{Db, DbError};

pub use inbox_update::Model as InboxUpdate;

impl Db {
    /// Stores an update unless it is there already; whether it was new.
    pub async fn store_update(&self, update_id: i64, payload: String, now: DateTime<Utc>) -> Result<bool, DbError> {
        let row = InboxUpdate { update_id, payload, received_at: now, handled_at: None };
        let inserted = inbox_update::Entity::insert(row.into_active_model())
            .on_conflict(OnConflict::column(inbox_update::Column::UpdateId).do_nothing().to_owned())
            .exec_without_returning(self.conn())
            .await?;
        Ok(inserted == 1)
    }

    pub async fn mark_update_handled(&self, update_id: i64, now: DateTime<Utc>) -> Result<(), DbError> {
        inbox_update::Entity::update_many()
            .col_expr(inbox_update::Column::HandledAt, Expr::value(now))
            .filter(inbox_update::Column::UpdateId.eq(update_id))
            .filter(inbox_update::Column::HandledAt.is_null())
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Updates stored and not handled, oldest first, at most `limit`.
    pub async fn unhandled_updates(&self, after: i64, limit: u64) -> Result<Vec<InboxUpdate>, DbError> {
        inbox_update::Entity::find()
            .filter(inbox_update::Column::HandledAt.is_null())
            .filter(inbox_update::Column::UpdateId.gt(after))
            .order_by_asc(inbox_update::Column::UpdateId)
            .limit(limit)
            .all(self.conn())
            .await
    }

    pub async fn find_inbox_update(&self, update_id: i64) -> Result<Option<InboxUpdate>, DbError> {
        inbox_update::Entity::find_by_id(update_id).one(self.conn()).await
    }

    /// Forgets handled updates received before `before`.
    pub async fn prune_inbox(&self, before: DateTime<Utc>) -> Result<u64, DbError> {
        let pruned = inbox_update::Entity::delete_many()
            .filter(inbox_update::Column::HandledAt.is_not_null())
            .filter(inbox_update::Column::ReceivedAt.lt(before))
            .exec(self.conn())
            .await?;
        Ok(pruned.rows_affected)
    }
}
