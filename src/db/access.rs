//! Who is in a plan's chats because the bot let them in: join links, memberships and their removal,
//! the ends of subscriptions, and reminders sent.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::entities::{event, join_link, membership, plan_chat, reminder, subscription};
use super::generation::Event;
use super::redemption::Subscription;
use super::{Db, DbError};
use crate::domain::access::{MembershipStatus, RemovalReason};
use crate::domain::notices::NoticeKind;
use crate::domain::plans::ChatRightsProblem;

pub use join_link::Model as JoinLink;
pub use membership::Model as Membership;

/// Subscriptions that give access at `now`.
fn active_at(now: DateTime<Utc>) -> Condition {
    Condition::any().add(subscription::Column::EndsAt.is_null()).add(subscription::Column::EndsAt.gt(now))
}

impl Db {
    /// The subscriber's subscriptions that give access at `now` to `chat_id`, through any plan.
    pub async fn active_subscriptions_for_chat(
        &self,
        subscriber_id: i64,
        chat_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<Subscription>, DbError> {
        let mut plans_of_chat = Query::select();
        plans_of_chat
            .column(plan_chat::Column::PlanId)
            .from(plan_chat::Entity)
            .and_where(plan_chat::Column::ChatId.eq(chat_id));
        subscription::Entity::find()
            .filter(subscription::Column::SubscriberId.eq(subscriber_id))
            .filter(subscription::Column::PlanId.in_subquery(plans_of_chat))
            .filter(active_at(now))
            .all(self.conn())
            .await
    }

    pub async fn join_link(&self, subscription_id: Uuid, chat_id: i64) -> Result<Option<JoinLink>, DbError> {
        join_link::Entity::find()
            .filter(join_link::Column::SubscriptionId.eq(subscription_id))
            .filter(join_link::Column::ChatId.eq(chat_id))
            .filter(join_link::Column::RevokedAt.is_null())
            .one(self.conn())
            .await
    }

    /// Keeps `link` as the subscription's link into the chat, unless another request kept one first:
    /// the link that is kept.
    pub async fn keep_join_link(&self, link: JoinLink) -> Result<JoinLink, DbError> {
        let (subscription_id, chat_id) = (link.subscription_id, link.chat_id);
        join_link::Entity::insert(link.into_active_model())
            .on_conflict(
                OnConflict::columns([join_link::Column::SubscriptionId, join_link::Column::ChatId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(self.conn())
            .await?;
        self.join_link(subscription_id, chat_id)
            .await?
            .ok_or(DbError::RecordNotFound("the join link just kept".to_owned()))
    }

    /// The member the bot let into `chat_id` as `telegram_user_id`, while they are in it.
    pub async fn current_membership(&self, chat_id: i64, telegram_user_id: i64) -> Result<Option<Membership>, DbError> {
        membership::Entity::find()
            .filter(membership::Column::ChatId.eq(chat_id))
            .filter(membership::Column::TelegramUserId.eq(telegram_user_id))
            .filter(membership::Column::Status.is_in([MembershipStatus::Member, MembershipStatus::Removing]))
            .order_by_desc(membership::Column::AdmittedAt)
            .one(self.conn())
            .await
    }

    pub async fn memberships_of_user(&self, telegram_user_id: i64) -> Result<Vec<Membership>, DbError> {
        membership::Entity::find()
            .filter(membership::Column::TelegramUserId.eq(telegram_user_id))
            .order_by_asc(membership::Column::AdmittedAt)
            .all(self.conn())
            .await
    }

    pub async fn memberships_of_team(&self, team_id: Uuid) -> Result<Vec<Membership>, DbError> {
        membership::Entity::find().filter(membership::Column::TeamId.eq(team_id)).all(self.conn()).await
    }

    /// Records a member the bot is letting in, with its `member.joined` event, in one transaction.
    pub async fn admit_member(&self, member: Membership, joined: Event) -> Result<(), DbError> {
        let txn = self.conn().begin().await?;
        membership::Entity::insert(member.into_active_model()).exec(&txn).await?;
        super::webhooks::record_events(&txn, vec![joined]).await?;
        txn.commit().await
    }

    /// Forgets an admission Telegram refused, with its event.
    pub async fn forget_admission(&self, membership_id: Uuid, joined_event_id: Uuid) -> Result<(), DbError> {
        let txn = self.conn().begin().await?;
        membership::Entity::delete_by_id(membership_id).exec(&txn).await?;
        event::Entity::delete_by_id(joined_event_id).exec(&txn).await?;
        txn.commit().await
    }

    pub async fn insert_event(&self, event: Event) -> Result<(), DbError> {
        let txn = self.conn().begin().await?;
        super::webhooks::record_events(&txn, vec![event]).await?;
        txn.commit().await
    }

    /// The member left the chat by themselves (or was removed by someone else): nothing is left to remove.
    pub async fn member_left(&self, chat_id: i64, telegram_user_id: i64, now: DateTime<Utc>) -> Result<u64, DbError> {
        let result = membership::Entity::update_many()
            .col_expr(membership::Column::Status, Expr::value(MembershipStatus::Left))
            .col_expr(membership::Column::EndedAt, Expr::value(now))
            .filter(membership::Column::ChatId.eq(chat_id))
            .filter(membership::Column::TelegramUserId.eq(telegram_user_id))
            .filter(membership::Column::Status.eq(MembershipStatus::Member))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected)
    }

    /// Subscriptions whose end has passed and has not been acted on yet.
    pub async fn ended_unhandled(&self, now: DateTime<Utc>, limit: u64) -> Result<Vec<Subscription>, DbError> {
        subscription::Entity::find()
            .filter(subscription::Column::EndsAt.lte(now))
            .filter(subscription::Column::EndHandledAt.is_null())
            .order_by_asc(subscription::Column::EndsAt)
            .limit(limit)
            .all(self.conn())
            .await
    }

    /// Acts on the end of a subscription, once: each member it let in is queued for removal unless another
    /// active subscription of theirs unlocks the same chat, and `ended` is written; all or nothing. False when
    /// it was acted on already (by another instance) or extended meanwhile.
    pub async fn end_subscription(
        &self,
        subscription: &Subscription,
        reason: RemovalReason,
        ended: Event,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let txn = self.conn().begin().await?;
        if !end_subscription_in(&txn, subscription, reason, ended, now).await? {
            txn.rollback().await?;
            return Ok(false);
        }
        txn.commit().await?;
        Ok(true)
    }

    /// Ends a subscription now, as its creator asked.
    pub async fn end_subscription_now(&self, subscription_id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
        subscription::Entity::update_many()
            .col_expr(subscription::Column::EndsAt, Expr::value(now))
            .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
            .filter(subscription::Column::Id.eq(subscription_id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Claims the right to tell a subscriber that their access ended; false when someone told them already.
    pub async fn claim_end_notice(&self, subscription_id: Uuid, now: DateTime<Utc>) -> Result<bool, DbError> {
        let result = subscription::Entity::update_many()
            .col_expr(subscription::Column::EndToldAt, Expr::value(now))
            .filter(subscription::Column::Id.eq(subscription_id))
            .filter(subscription::Column::EndHandledAt.is_not_null())
            .filter(subscription::Column::EndToldAt.is_null())
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Subscriptions whose end was acted on and whose subscriber was not told yet.
    pub async fn ended_untold(&self, limit: u64) -> Result<Vec<Subscription>, DbError> {
        subscription::Entity::find()
            .filter(subscription::Column::EndHandledAt.is_not_null())
            .filter(subscription::Column::EndToldAt.is_null())
            .limit(limit)
            .all(self.conn())
            .await
    }

    /// Takes up to `limit` due removals, holding them until `locked_until` so no other instance sends them.
    pub async fn claim_due_removals(
        &self,
        now: DateTime<Utc>,
        locked_until: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<Membership>, DbError> {
        use membership::Column as C;
        let mut due = Query::select();
        due.column(C::Id)
            .from(membership::Entity)
            .and_where(C::Status.eq(MembershipStatus::Removing))
            .and_where(C::NextAttemptAt.lte(now))
            .and_where(C::LockedUntil.is_null().or(C::LockedUntil.lt(now)))
            .order_by(C::NextAttemptAt, sea_orm::sea_query::Order::Asc)
            .limit(limit);
        if self.is_postgres() {
            due.lock_with_behavior(sea_orm::sea_query::LockType::Update, sea_orm::sea_query::LockBehavior::SkipLocked);
        }
        membership::Entity::update_many()
            .col_expr(C::LockedUntil, Expr::value(locked_until))
            .filter(C::Id.in_subquery(due))
            .exec_with_returning(self.conn())
            .await
    }

    /// The member is out of the chat; `removed` is written with it.
    pub async fn removal_done(&self, membership_id: Uuid, removed: Event, now: DateTime<Utc>) -> Result<bool, DbError> {
        let txn = self.conn().begin().await?;
        let done = membership::Entity::update_many()
            .col_expr(membership::Column::Status, Expr::value(MembershipStatus::Removed))
            .col_expr(membership::Column::EndedAt, Expr::value(now))
            .col_expr(membership::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(membership::Column::Attempts, Expr::col(membership::Column::Attempts).add(1))
            .filter(membership::Column::Id.eq(membership_id))
            .filter(membership::Column::Status.eq(MembershipStatus::Removing))
            .exec(&txn)
            .await?;
        if done.rows_affected == 1 {
            super::webhooks::record_events(&txn, vec![removed]).await?;
        }
        txn.commit().await?;
        Ok(done.rows_affected == 1)
    }

    /// The removal could not be done now; it is tried again at `next_attempt_at`.
    pub async fn removal_later(
        &self,
        membership_id: Uuid,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), DbError> {
        membership::Entity::update_many()
            .col_expr(membership::Column::NextAttemptAt, Expr::value(next_attempt_at))
            .col_expr(membership::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(membership::Column::Attempts, Expr::col(membership::Column::Attempts).add(1))
            .col_expr(membership::Column::LastError, Expr::value(error))
            .filter(membership::Column::Id.eq(membership_id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Pending removals in a chat go out now: the bot's rights there came back.
    pub async fn retry_removals_in_chat(&self, chat_id: i64, now: DateTime<Utc>) -> Result<u64, DbError> {
        let result = membership::Entity::update_many()
            .col_expr(membership::Column::NextAttemptAt, Expr::value(now))
            .filter(membership::Column::ChatId.eq(chat_id))
            .filter(membership::Column::Status.eq(MembershipStatus::Removing))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected)
    }

    /// Records what is wrong with the bot's rights in a chat, in every plan that unlocks it; `None` when
    /// all is well again. A problem that changes is told anew.
    pub async fn set_chat_rights_problem(
        &self,
        chat_id: i64,
        problem: Option<ChatRightsProblem>,
    ) -> Result<(), DbError> {
        plan_chat::Entity::update_many()
            .col_expr(plan_chat::Column::RightsProblem, Expr::value(problem))
            .col_expr(plan_chat::Column::ProblemToldAt, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(plan_chat::Column::ChatId.eq(chat_id))
            .filter(
                Condition::any()
                    .add(plan_chat::Column::RightsProblem.is_null())
                    .add(plan_chat::Column::RightsProblem.ne(problem)),
            )
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Plan chats with a problem nobody was told of yet, claimed so each is told once.
    /// Plans' chats with a rights problem their creators have not been told of.
    pub async fn untold_problems(&self) -> Result<Vec<plan_chat::Model>, DbError> {
        plan_chat::Entity::find()
            .filter(plan_chat::Column::RightsProblem.is_not_null())
            .filter(plan_chat::Column::ProblemToldAt.is_null())
            .all(self.conn())
            .await
    }

    /// Marks a chat's problem told and writes the notice of it for each creator of the team, in one
    /// transaction; false when another instance told it first.
    pub async fn tell_problem(
        &self,
        chat: &plan_chat::Model,
        team_id: Uuid,
        notice_for: impl Fn(&crate::db::teams::Creator) -> String,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let txn = self.conn().begin().await?;
        let result = plan_chat::Entity::update_many()
            .col_expr(plan_chat::Column::ProblemToldAt, Expr::value(now))
            .filter(plan_chat::Column::PlanId.eq(chat.plan_id))
            .filter(plan_chat::Column::ChatId.eq(chat.chat_id))
            .filter(plan_chat::Column::ProblemToldAt.is_null())
            .exec(&txn)
            .await?;
        if result.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(false);
        }
        super::notices::record_notice(&txn, team_id, NoticeKind::Prepared, notice_for, now).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Active subscriptions ending within `(now, until]`.
    /// Up to `limit` subscriptions ending within one of `offsets` (in seconds) of `now` that were not yet
    /// reminded at that offset for that end. Each offset is one range read of the end index with a lookup of
    /// the reminders, so the pass costs what is due, not every subscription ending soon.
    pub async fn unreminded_ending(
        &self,
        now: DateTime<Utc>,
        offsets: &[i64],
        limit: u64,
    ) -> Result<Vec<Subscription>, DbError> {
        use subscription::Column as S;
        let mut due: Vec<Subscription> = Vec::new();
        for offset in offsets {
            let left = limit.saturating_sub(due.len() as u64);
            if left == 0 {
                break;
            }
            let reminded = Query::select()
                .expr(Expr::val(1))
                .from(reminder::Entity)
                .and_where(
                    Expr::col((reminder::Entity, reminder::Column::SubscriptionId))
                        .equals((subscription::Entity, S::Id)),
                )
                .and_where(
                    Expr::col((reminder::Entity, reminder::Column::EndsAt)).equals((subscription::Entity, S::EndsAt)),
                )
                .and_where(Expr::col((reminder::Entity, reminder::Column::OffsetSeconds)).eq(*offset))
                .to_owned();
            let found = subscription::Entity::find()
                .filter(S::EndHandledAt.is_null())
                .filter(S::EndsAt.gt(now))
                .filter(S::EndsAt.lte(now + chrono::Duration::seconds(*offset)))
                .filter(Expr::exists(reminded).not())
                .limit(left)
                .all(self.conn())
                .await?;
            for subscription in found {
                if !due.iter().any(|known| known.id == subscription.id) {
                    due.push(subscription);
                }
            }
        }
        Ok(due)
    }

    /// Records reminders for each of `offsets` before the subscription's end `ends_at`; how many were new.
    pub async fn record_reminders(
        &self,
        subscription_id: Uuid,
        ends_at: DateTime<Utc>,
        offsets: &[i64],
        now: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        let rows = offsets.iter().map(|offset| {
            reminder::Model { subscription_id, ends_at, offset_seconds: *offset, sent_at: now }.into_active_model()
        });
        let inserted = reminder::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    reminder::Column::SubscriptionId,
                    reminder::Column::EndsAt,
                    reminder::Column::OffsetSeconds,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(self.conn())
            .await?;
        Ok(inserted)
    }

    pub async fn subscriptions_of_team(&self, team_id: Uuid) -> Result<Vec<Subscription>, DbError> {
        subscription::Entity::find()
            .filter(subscription::Column::TeamId.eq(team_id))
            .order_by_asc(subscription::Column::CreatedAt)
            .all(self.conn())
            .await
    }
}

/// The end of a subscription, acted on inside `txn`: false when it was acted on already or runs on.
pub(super) async fn end_subscription_in(
    txn: &impl sea_orm::ConnectionTrait,
    subscription: &Subscription,
    reason: RemovalReason,
    ended: Event,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let claimed = subscription::Entity::update_many()
        .col_expr(subscription::Column::EndHandledAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(subscription.id))
        .filter(subscription::Column::EndHandledAt.is_null())
        .filter(subscription::Column::EndsAt.lte(now))
        .exec(txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(false);
    }
    let members = membership::Entity::find()
        .filter(membership::Column::SubscriptionId.eq(subscription.id))
        .filter(membership::Column::Status.eq(MembershipStatus::Member))
        .all(txn)
        .await?;
    for member in members {
        let mut plans_of_chat = Query::select();
        plans_of_chat
            .column(plan_chat::Column::PlanId)
            .from(plan_chat::Entity)
            .and_where(plan_chat::Column::ChatId.eq(member.chat_id));
        let other = subscription::Entity::find()
            .filter(subscription::Column::SubscriberId.eq(member.telegram_user_id))
            .filter(subscription::Column::Id.ne(subscription.id))
            .filter(subscription::Column::PlanId.in_subquery(plans_of_chat))
            .filter(active_at(now))
            .one(txn)
            .await?;
        let update = membership::Entity::update_many().filter(membership::Column::Id.eq(member.id));
        match other {
            Some(other) => update.col_expr(membership::Column::SubscriptionId, Expr::value(other.id)),
            None => update
                .col_expr(membership::Column::Status, Expr::value(MembershipStatus::Removing))
                .col_expr(membership::Column::RemovalReason, Expr::value(reason))
                .col_expr(membership::Column::NextAttemptAt, Expr::value(now)),
        }
        .exec(txn)
        .await?;
    }
    super::webhooks::record_events(txn, vec![ended]).await?;
    Ok(true)
}
