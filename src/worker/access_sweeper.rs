//! The access sweep: acts on subscriptions that ended (their members removed at Telegram's pace, the
//! subscriber told), tells creators once of a right the bot lacks, and sends reminders before the end.
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::{StreamExt, TryStreamExt};

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

/// Removals sent at once: enough that Telegram's answer time does not hold the budget idle. A crash
/// repeats at most these.
pub const REMOVALS_IN_FLIGHT: usize = 8;
/// Notices to subscribers sent at once, for the same reason; the pacer keeps each chat to its pace.
const NOTICES_IN_FLIGHT: usize = 8;

/// What a pass of the sweep left.
pub struct SweepPass {
    /// Ends made removals due, or a batch was full: the next pass starts at once.
    pub more_waiting: bool,
}

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
            let more_waiting = match self.sweep().await {
                Ok(pass) => pass.more_waiting,
                Err(error) => {
                    log::warn!("the access sweep stopped, the next one goes on: {error}");
                    false
                }
            };
            self.bot.metrics().finished_pass(BackgroundLoop::AccessSweep);
            // An end of month ends more than a pass takes: the next pass starts at once until it is done.
            if more_waiting {
                continue;
            }
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

    /// One pass: ends what is due while removing members and telling subscribers, several at a time, so
    /// the removals and notices keep Telegram's budget busy instead of waiting on each answer in turn.
    pub async fn sweep(&self) -> Result<SweepPass, DomainError> {
        let (ended, removed, told) = tokio::join!(self.end_due(), self.remove_due(), self.tell_subscribers());
        let (ended, removed, told) = (ended?, removed?, told?);
        self.tell_creators_of_problems().await?;
        Ok(SweepPass { more_waiting: ended > 0 || removed >= access::SWEEP_BATCH || told })
    }

    async fn end_due(&self) -> Result<usize, DomainError> {
        let ended = access::end_due_subscriptions(&self.db, now()).await?;
        if ended > 0 {
            log::info!("{ended} subscriptions ended");
        }
        Ok(ended)
    }

    /// Up to a batch of removals, [`REMOVALS_IN_FLIGHT`] at a time; each remover claims its next one.
    async fn remove_due(&self) -> Result<u64, DomainError> {
        let lease = chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::seconds(30));
        let removed = AtomicU64::new(0);
        let remover = async || -> Result<(), DomainError> {
            while removed.load(Ordering::Relaxed) < access::SWEEP_BATCH {
                let Some(member) = access::next_removal(&self.db, now(), lease).await? else { break };
                self.remove(&member).await?;
                removed.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        };
        let removers = futures_util::future::join_all((0..REMOVALS_IN_FLIGHT).map(|_| remover())).await;
        removers.into_iter().collect::<Result<Vec<()>, _>>()?;
        Ok(removed.load(Ordering::Relaxed))
    }

    /// Subscribers whose access ended, and those whose end is near; whether a batch was left for later.
    async fn tell_subscribers(&self) -> Result<bool, DomainError> {
        let ended = access::end_notices(&self.db, now()).await?;
        let full = ended.len() as u64 >= access::SWEEP_BATCH;
        let ended = ended.into_iter().map(|(subscription, plan)| {
            (subscription.subscriber_id, move |lang: &Lang| view::access_ended(lang, &plan))
        });
        self.tell_each(ended).await?;
        let reminders = access::due_reminders(&self.db, &self.settings.reminders_before_end, now()).await?;
        let full = full || reminders.len() as u64 >= access::SWEEP_BATCH;
        let reminders = reminders.into_iter().filter_map(|(subscription, plan)| {
            let ends_at = subscription.ends_at?;
            Some((subscription.subscriber_id, move |lang: &Lang| view::reminder(lang, &plan, ends_at)))
        });
        self.tell_each(reminders).await?;
        Ok(full)
    }

    /// Tells each subscriber the screen made in their language, [`NOTICES_IN_FLIGHT`] at a time.
    async fn tell_each<F: Fn(&Lang) -> Screen>(
        &self,
        notices: impl Iterator<Item = (i64, F)>,
    ) -> Result<(), DomainError> {
        let sends = futures_util::stream::iter(notices).map(async |(subscriber, screen)| {
            let lang = self.subscriber_lang(subscriber).await?;
            self.tell(subscriber, screen(&lang)).await;
            Ok::<(), DomainError>(())
        });
        sends.buffer_unordered(NOTICES_IN_FLIGHT).try_collect::<Vec<()>>().await?;
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
        Ok(Lang::from_code(self.db.known_language(user_id).await?.as_deref()))
    }

    /// A private message; one that cannot be delivered (a subscriber who blocked the bot) is only logged.
    /// Nobody is waiting for it at this moment, so it gives way to replies.
    async fn tell(&self, chat_id: i64, screen: Screen) {
        if let Err(error) = telegram::send_as(&self.bot, ChatId(chat_id), screen, Priority::Bulk).await {
            log::info!("cannot send a notice: {error}");
        }
    }
}
