//! The access sweep: acts on subscriptions that ended (their members removed at Telegram's pace, the
//! subscriber told), tells creators once of a right the bot lacks, and sends reminders before the end.
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::UserId;
use tokio::sync::{Notify, watch};

use crate::config::AccessSweepSettings;
use crate::db::Db;
use crate::db::access::Membership;
use crate::domain::DomainError;
use crate::domain::access::{self, removal_backoff};
use crate::domain::clock::now;
use crate::i18n::Lang;
use crate::metrics::BackgroundLoop;
use crate::telegram::{self, Priority, RemovalError, TgBot};
use crate::views::{Screen, access as view, notices as notices_view};

/// Everything the sweep needs.
pub struct AccessSweep {
    pub db: Db,
    pub bot: TgBot,
    pub settings: AccessSweepSettings,
    /// How long a claimed removal is held before another sweep may take it over (`WORKER_LEASE_SECONDS`).
    pub lease: std::time::Duration,
    pub wake: Arc<Notify>,
}

impl AccessSweep {
    /// Sweeps every `interval`, or at once when woken, until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        if let Err(error) = self.revoke_legacy_invites().await {
            log::warn!("cannot revoke the invite links of earlier versions yet: {error}");
        }
        while !*shutdown.borrow() {
            if let Err(error) = self.sweep().await {
                log::warn!("the access sweep stopped, the next one goes on: {error}");
            }
            self.bot.metrics().finished_pass(BackgroundLoop::AccessSweep);
            tokio::select! {
                _ = tokio::time::sleep(self.settings.interval) => {}
                _ = self.wake.notified() => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// Links of versions before join requests let anyone in once; they stop working now.
    async fn revoke_legacy_invites(&self) -> Result<(), DomainError> {
        for invite in self.db.legacy_invites_to_revoke(now()).await? {
            match self
                .bot
                .counted(
                    "revokeChatInviteLink",
                    self.bot.api().revoke_chat_invite_link(ChatId(invite.chat_id), invite.invite_link.clone()),
                )
                .await
            {
                Ok(_) => self.db.mark_legacy_invite_revoked(invite.id, now()).await?,
                Err(error) => log::warn!("cannot revoke an invite link of an earlier version: {error}"),
            }
        }
        Ok(())
    }

    pub async fn sweep(&self) -> Result<(), DomainError> {
        let ended = access::end_due_subscriptions(&self.db, now()).await?;
        if ended > 0 {
            log::info!("{ended} subscriptions ended");
        }
        let lease = chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::seconds(30));
        for _ in 0..access::SWEEP_BATCH {
            let Some(member) = access::next_removal(&self.db, now(), lease).await? else { break };
            self.remove(&member).await?;
        }
        self.tell_creators_of_problems().await?;
        for (subscription, plan) in access::end_notices(&self.db, now()).await? {
            let lang = self.subscriber_lang(subscription.subscriber_id).await?;
            self.tell(subscription.subscriber_id, view::access_ended(&lang, &plan)).await;
        }
        let offsets = &self.settings.reminders_before_end;
        for (subscription, plan) in access::due_reminders(&self.db, offsets, now()).await? {
            let Some(ends_at) = subscription.ends_at else { continue };
            let lang = self.subscriber_lang(subscription.subscriber_id).await?;
            self.tell(subscription.subscriber_id, view::reminder(&lang, &plan, ends_at)).await;
        }
        Ok(())
    }

    /// Removes one member: a kick, so they may come back with a new code. A 429 is waited out; a missing
    /// right keeps the removal pending; anything passing is tried again later.
    async fn remove(&self, member: &Membership) -> Result<(), DomainError> {
        let (chat, user) = (ChatId(member.chat_id), UserId(member.telegram_user_id as u64));
        loop {
            // Thousands of removals at an end of month share the bot's budget behind replies and notices.
            self.bot.wait_overall_turn(Priority::Bulk).await;
            let error = match self.bot.counted("unbanChatMember", self.bot.api().unban_chat_member(chat, user)).await {
                Ok(_) => return access::removal_done(&self.db, member, now()).await,
                Err(error) => error,
            };
            let later = |after: chrono::Duration| now() + after;
            match telegram::classify_removal(&error) {
                RemovalError::WaitThenRetry(delay) => {
                    log::info!("Telegram asked to wait {delay:?} before the next removal");
                    tokio::time::sleep(delay).await;
                }
                RemovalError::MissingRights(problem) => {
                    self.db.set_chat_rights_problem(member.chat_id, Some(problem)).await?;
                    let retry =
                        chrono::Duration::from_std(self.settings.interval).unwrap_or(chrono::Duration::minutes(1));
                    self.db.removal_later(member.id, later(retry), &error.to_string()).await?;
                    return Ok(());
                }
                RemovalError::Retry(reason) => {
                    let wait = removal_backoff(member.attempts, self.settings.interval);
                    self.db.removal_later(member.id, later(wait), &reason).await?;
                    return Ok(());
                }
                RemovalError::Refused(reason) => {
                    log::warn!("Telegram refused a removal; trying again tomorrow: {reason}");
                    self.db.removal_later(member.id, later(chrono::Duration::days(1)), &reason).await?;
                    return Ok(());
                }
            }
        }
    }

    /// Each missing right in a plan's chat is told once to the plan's creators, through the notifier.
    async fn tell_creators_of_problems(&self) -> Result<(), DomainError> {
        for chat in self.db.untold_problems().await? {
            let (Some(problem), Some(plan)) = (chat.rights_problem, self.db.find_plan(chat.plan_id).await?) else {
                continue;
            };
            let notice_for = |creator: &crate::db::teams::Creator| {
                let lang = Lang::from_code(creator.language_code.as_deref());
                notices_view::prepared(&view::rights_problem(&lang, &chat, &plan, problem))
            };
            self.db.tell_problem(&chat, chat.team_id, notice_for, now()).await?;
        }
        Ok(())
    }

    async fn subscriber_lang(&self, user_id: i64) -> Result<Lang, DomainError> {
        Ok(Lang::from_code(self.db.chosen_language(user_id).await?.as_deref()))
    }

    /// A private message; one that cannot be delivered (a subscriber who blocked the bot) is only logged.
    /// Nobody is waiting for it at this moment, so it gives way to replies.
    async fn tell(&self, chat_id: i64, screen: Screen) {
        if let Err(error) = telegram::send_as(&self.bot, ChatId(chat_id), screen, Priority::Bulk).await {
            log::info!("cannot send a notice: {error}");
        }
    }
}
