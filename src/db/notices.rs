//! Creator notices: written with what caused them, claimed per chat with a lease, marked once sent.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockBehavior, LockType, Order, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entities::{creator, creator_notice};
use super::{Db, DbError};
use crate::domain::notices::{NoticeKind, RedemptionNotices};

pub use creator_notice::Model as CreatorNotice;

/// Writes a notice for each creator of `team_id` who has a chat linked, with `data_for` that creator, on
/// `conn` (a transaction's, so the notice is there exactly when what caused it is).
pub(crate) async fn record_notice<C: ConnectionTrait>(
    conn: &C,
    team_id: Uuid,
    kind: NoticeKind,
    data_for: impl Fn(&creator::Model) -> String,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let creators = creator::Entity::find()
        .filter(creator::Column::TeamId.eq(team_id))
        .filter(creator::Column::LinkedChatId.is_not_null())
        .all(conn)
        .await?;
    let notices: Vec<creator_notice::ActiveModel> = creators
        .into_iter()
        .filter_map(|creator| {
            let chat_id = creator.linked_chat_id?;
            let notice = CreatorNotice {
                id: Uuid::now_v7(),
                creator_id: creator.id,
                chat_id,
                kind,
                data: data_for(&creator),
                created_at: now,
                not_before: now,
                sent_at: None,
                locked_by: None,
                locked_until: None,
                attempts: 0,
            };
            Some(notice.into_active_model())
        })
        .collect();
    if !notices.is_empty() {
        creator_notice::Entity::insert_many(notices).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// The notices among `ids` that `worker_id` holds and has not sent.
fn held_by(ids: &[Uuid], worker_id: &str) -> Condition {
    Condition::all()
        .add(creator_notice::Column::Id.is_in(ids.to_vec()))
        .add(creator_notice::Column::LockedBy.eq(worker_id))
        .add(creator_notice::Column::SentAt.is_null())
}

impl Db {
    /// Writes a notice for each creator of the team who has a chat linked, with `data_for` that creator.
    pub async fn record_notice(
        &self,
        team_id: Uuid,
        kind: NoticeKind,
        data_for: impl Fn(&creator::Model) -> String,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        record_notice(self.conn(), team_id, kind, data_for, now).await
    }

    /// Claims the due notices of chats that are free: no notice of theirs in flight, and none sent since
    /// `quiet_since`. At most `limit`, oldest first; a chat's notices are claimed together.
    pub async fn claim_due_notices(
        &self,
        worker_id: &str,
        now: DateTime<Utc>,
        quiet_since: DateTime<Utc>,
        locked_until: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<CreatorNotice>, DbError> {
        use creator_notice::Column as C;
        let other = Alias::new("other");
        let same_chat = || {
            Query::select()
                .expr(Expr::val(1))
                .from_as(creator_notice::Entity, other.clone())
                .and_where(Expr::col((other.clone(), C::ChatId)).equals((creator_notice::Entity, C::ChatId)))
                .to_owned()
        };
        let in_flight = same_chat()
            .and_where(Expr::col((other.clone(), C::SentAt)).is_null())
            .and_where(Expr::col((other.clone(), C::LockedUntil)).gte(now))
            .to_owned();
        let told_lately = same_chat().and_where(Expr::col((other.clone(), C::SentAt)).gt(quiet_since)).to_owned();
        let mut due = Query::select();
        due.column(C::Id)
            .from(creator_notice::Entity)
            .and_where(C::SentAt.is_null())
            .and_where(C::NotBefore.lte(now))
            .and_where(C::LockedUntil.is_null().or(C::LockedUntil.lt(now)))
            .and_where(Expr::exists(in_flight).not())
            .and_where(Expr::exists(told_lately).not())
            .order_by(C::CreatedAt, Order::Asc)
            .limit(limit);
        if self.is_postgres() {
            due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let mut claimed = creator_notice::Entity::update_many()
            .col_expr(C::LockedBy, Expr::value(worker_id))
            .col_expr(C::LockedUntil, Expr::value(locked_until))
            .col_expr(C::Attempts, Expr::col(C::Attempts).add(1))
            .filter(C::Id.in_subquery(due))
            .exec_with_returning(self.conn())
            .await?;
        claimed.sort_by_key(|notice| (notice.created_at, notice.id));
        Ok(claimed)
    }

    /// Marks notices this worker holds as sent (or done without a message); false when its claim had passed.
    pub async fn mark_notices_sent(&self, ids: &[Uuid], worker_id: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
        let marked = creator_notice::Entity::update_many()
            .col_expr(creator_notice::Column::SentAt, Expr::value(now))
            .col_expr(creator_notice::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(held_by(ids, worker_id))
            .exec(self.conn())
            .await?;
        Ok(marked.rows_affected == ids.len() as u64)
    }

    /// Extends this worker's claim on notices it is still sending.
    pub async fn renew_notice_claims(
        &self,
        ids: &[Uuid],
        worker_id: &str,
        locked_until: DateTime<Utc>,
    ) -> Result<(), DbError> {
        creator_notice::Entity::update_many()
            .col_expr(creator_notice::Column::LockedUntil, Expr::value(locked_until))
            .filter(held_by(ids, worker_id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Hands notices this worker holds back, to be claimed again from `not_before` on.
    pub async fn put_notices_back(
        &self,
        ids: &[Uuid],
        worker_id: &str,
        not_before: DateTime<Utc>,
    ) -> Result<(), DbError> {
        creator_notice::Entity::update_many()
            .col_expr(creator_notice::Column::NotBefore, Expr::value(not_before))
            .col_expr(creator_notice::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(held_by(ids, worker_id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Every notice of a chat, oldest first.
    pub async fn notices_of_chat(&self, chat_id: i64) -> Result<Vec<CreatorNotice>, DbError> {
        creator_notice::Entity::find()
            .filter(creator_notice::Column::ChatId.eq(chat_id))
            .order_by_asc(creator_notice::Column::CreatedAt)
            .all(self.conn())
            .await
    }

    /// How a creator hears of redemptions from now on.
    pub async fn set_redemption_notices(&self, creator_id: Uuid, mode: RedemptionNotices) -> Result<(), DbError> {
        creator::Entity::update_many()
            .col_expr(creator::Column::NotifyRedemptions, Expr::value(mode))
            .filter(creator::Column::Id.eq(creator_id))
            .exec(self.conn())
            .await?;
        Ok(())
    }
}
