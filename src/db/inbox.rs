//! The inbox of Telegram updates, and the claims by which instances share their handling.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, LockBehavior, LockType, OnConflict, Order, Query};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};

use super::entities::inbox_update;
use super::{Db, DbError};

pub use inbox_update::Model as InboxUpdate;

impl Db {
    /// Stores an update unless it is there already; whether it was new.
    pub async fn store_update(
        &self,
        update_id: i64,
        chat_key: Option<i64>,
        payload: String,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let row = InboxUpdate {
            update_id,
            payload,
            received_at: now,
            handled_at: None,
            chat_key,
            claimed_by: None,
            claimed_at: None,
            claimed_until: None,
            claims: 0,
        };
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

    /// Claims for `holder` until `until` at most `limit` updates that are ready: not handled, not held
    /// by anyone else, and the oldest unhandled update of their chat. Oldest first.
    pub async fn claim_updates(
        &self,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<InboxUpdate>, DbError> {
        use inbox_update::Column as C;
        let (ready, older) = (Alias::new("ready"), Alias::new("older"));
        let older_unhandled = Query::select()
            .expr(Expr::val(1))
            .from_as(inbox_update::Entity, older.clone())
            .cond_where(
                Condition::all()
                    .add(Expr::col((older.clone(), C::HandledAt)).is_null())
                    .add(Expr::col((older.clone(), C::ChatKey)).equals((ready.clone(), C::ChatKey)))
                    .add(Expr::col((older, C::UpdateId)).lt(Expr::col((ready.clone(), C::UpdateId)))),
            )
            .to_owned();
        let mut next = Query::select();
        next.column((ready.clone(), C::UpdateId))
            .from_as(inbox_update::Entity, ready.clone())
            .cond_where(
                Condition::all()
                    .add(Expr::col((ready.clone(), C::HandledAt)).is_null())
                    .add(
                        Condition::any()
                            .add(Expr::col((ready.clone(), C::ClaimedUntil)).is_null())
                            .add(Expr::col((ready.clone(), C::ClaimedUntil)).lt(now)),
                    )
                    .add(Expr::exists(older_unhandled).not()),
            )
            .order_by((ready, C::UpdateId), Order::Asc)
            .limit(limit);
        if self.is_postgres() {
            next.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let mut claimed = inbox_update::Entity::update_many()
            .col_expr(C::ClaimedBy, Expr::value(holder))
            .col_expr(C::ClaimedAt, Expr::value(now))
            .col_expr(C::ClaimedUntil, Expr::value(until))
            .col_expr(C::Claims, Expr::col(C::Claims).add(1))
            .filter(C::UpdateId.in_subquery(next))
            .exec_with_returning(self.conn())
            .await?;
        claimed.sort_by_key(|update| update.update_id);
        Ok(claimed)
    }

    /// Extends `holder`'s claims on the updates it took at or after `held_since`; older ones lapse, so an
    /// update whose handler never returns is taken again.
    pub async fn renew_update_claims(
        &self,
        holder: &str,
        except: &[i64],
        held_since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        use inbox_update::Column as C;
        let renewed = inbox_update::Entity::update_many()
            .col_expr(C::ClaimedUntil, Expr::value(until))
            .filter(C::ClaimedBy.eq(holder))
            .filter(C::HandledAt.is_null())
            .filter(C::UpdateId.is_not_in(except.to_vec()))
            .filter(C::ClaimedAt.gte(held_since))
            .exec(self.conn())
            .await?;
        Ok(renewed.rows_affected)
    }

    /// Hands back `holder`'s claims on updates it did not get to, which do not count as tries.
    pub async fn release_update_claims(&self, holder: &str) -> Result<u64, DbError> {
        self.release_claims(Condition::all().add(inbox_update::Column::ClaimedBy.eq(holder)), true).await
    }

    /// Hands back every claim: for the one instance that long-polls, whose predecessor's claims died
    /// with it. They count as tries, since a handler may have crashed it.
    pub async fn release_all_update_claims(&self) -> Result<u64, DbError> {
        self.release_claims(Condition::all().add(inbox_update::Column::ClaimedBy.is_not_null()), false).await
    }

    async fn release_claims(&self, held: Condition, untried: bool) -> Result<u64, DbError> {
        use inbox_update::Column as C;
        let mut release = inbox_update::Entity::update_many()
            .col_expr(C::ClaimedBy, Expr::value(Option::<String>::None))
            .col_expr(C::ClaimedAt, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(C::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None));
        if untried {
            release = release.col_expr(C::Claims, Expr::col(C::Claims).sub(1));
        }
        let released = release.filter(held).filter(C::HandledAt.is_null()).exec(self.conn()).await?;
        Ok(released.rows_affected)
    }

    /// Updates stored and not handled, oldest first, at most `limit`.
    pub async fn unhandled_updates(&self, limit: u64) -> Result<Vec<InboxUpdate>, DbError> {
        inbox_update::Entity::find()
            .filter(inbox_update::Column::HandledAt.is_null())
            .order_by_asc(inbox_update::Column::UpdateId)
            .limit(limit)
            .all(self.conn())
            .await
    }

    pub async fn oldest_unhandled_update(&self) -> Result<Option<InboxUpdate>, DbError> {
        inbox_update::Entity::find()
            .filter(inbox_update::Column::HandledAt.is_null())
            .order_by_asc(inbox_update::Column::ReceivedAt)
            .one(self.conn())
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
