//! The notifier: sends what creators are told, from the notices written with what caused them. It claims a
//! chat's waiting notices with a lease, merges the redemptions among them into one message, sends at bulk
//! priority (a creator's own commands go first), and marks them sent; a crash repeats at most the message in
//! flight. A chat that was just told something waits `QUIET_BETWEEN_NOTICES` before the next.
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use teloxide::types::ChatId;
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::db::Db;
use crate::db::notices::CreatorNotice;
use crate::domain::DomainError;
use crate::domain::clock::now;
use crate::domain::notices::{self, MOST_ATTEMPTS, Notice, QUIET_BETWEEN_NOTICES, RETRY_AFTER};
use crate::i18n::Lang;
use crate::metrics::BackgroundLoop;
use crate::telegram::{self, Priority, SendError, SendFailure, TgBot};
use crate::views::notices as view;

/// How often due notices are looked for when nothing wakes the notifier: a chat told something a moment
/// ago becomes free again without anything written.
const LOOK_EVERY: Duration = Duration::from_millis(500);
const CLAIM_BATCH: u64 = 500;
/// Chats being told at once.
const CHATS_AT_ONCE: usize = 32;

#[derive(Clone)]
pub struct Notifier {
    pub db: Db,
    pub bot: TgBot,
    /// Woken when notices are written, so one goes out at once.
    pub wake: Arc<Notify>,
    /// How long a claim holds (`WORKER_LEASE_SECONDS`): longer than a message waits for its chat's turn and
    /// Telegram's answer; a crashed instance's notices are sent by another once it has passed.
    pub lease: Duration,
}

impl Notifier {
    pub async fn run(self, worker_id: String, mut shutdown: watch::Receiver<bool>) {
        let slots = Arc::new(Semaphore::new(CHATS_AT_ONCE));
        let mut sending = JoinSet::new();
        while !*shutdown.borrow() {
            let at = now();
            let quiet_since = at - chrono::Duration::from_std(QUIET_BETWEEN_NOTICES).unwrap_or_default();
            let lease_end = at + chrono::Duration::from_std(self.lease).unwrap_or_default();
            match self.db.claim_due_notices(&worker_id, at, quiet_since, lease_end, CLAIM_BATCH).await {
                Ok(claimed) => {
                    for (chat_id, waiting) in by_chat(claimed) {
                        let Ok(slot) = slots.clone().acquire_owned().await else { break };
                        let (notifier, worker_id) = (self.clone(), worker_id.clone());
                        sending.spawn(async move {
                            notifier.tell_chat(&worker_id, chat_id, waiting).await;
                            drop(slot);
                        });
                    }
                }
                Err(error) => {
                    DomainError::internal("claiming creator notices", error);
                }
            }
            self.bot.metrics().finished_pass(BackgroundLoop::Notify);
            tokio::select! {
                Some(_) = sending.join_next(), if !sending.is_empty() => {}
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(LOOK_EVERY) => {}
                _ = shutdown.changed() => {}
            }
        }
        // A message on its way is sent and marked; the rest go back when their lease ends.
        while sending.join_next().await.is_some() {}
        log::info!("the notifier stopped");
    }

    /// Sends what a chat's waiting notices come to, and records it. The claim is renewed meanwhile: at bulk
    /// priority a notice may wait long for its turn behind replies, and must not be claimed again meanwhile.
    async fn tell_chat(&self, worker_id: &str, chat_id: i64, waiting: Vec<CreatorNotice>) {
        let ids: Vec<Uuid> = waiting.iter().map(|notice| notice.id).collect();
        let telling = self.try_tell_chat(worker_id, chat_id, &waiting);
        let renewing = async {
            loop {
                tokio::time::sleep(self.lease / 3).await;
                let until = now() + chrono::Duration::from_std(self.lease).unwrap_or_default();
                if let Err(error) = self.db.renew_notice_claims(&ids, worker_id, until).await {
                    DomainError::internal("renewing the claim on creator notices", error);
                }
            }
        };
        tokio::select! {
            told = telling => {
                if let Err(error) = told {
                    DomainError::internal("telling a creator", error);
                }
            }
            _ = renewing => {}
        }
    }

    async fn try_tell_chat(&self, worker_id: &str, chat_id: i64, waiting: &[CreatorNotice]) -> Result<(), DomainError> {
        let Some(first) = waiting.first() else { return Ok(()) };
        let ids: Vec<Uuid> = waiting.iter().map(|notice| notice.id).collect();
        let Some(creator) = self.db.find_creator(first.creator_id).await? else {
            self.db.mark_notices_sent(&ids, worker_id, now()).await?;
            return Ok(());
        };
        let lang = Lang::from_code(creator.language_code.as_deref());
        let notices: Vec<Notice> = waiting
            .iter()
            .map(|n| Notice { id: n.id, kind: n.kind, data: n.data.clone(), created_at: n.created_at })
            .collect();
        let plan = match notices::plan_chat(creator.notify_redemptions, &notices, now()) {
            Ok(plan) => plan,
            Err(unreadable) => {
                // Set aside, logged with a reference, so it cannot hold the chat's other notices forever.
                self.db.mark_notices_sent(&ids, worker_id, now()).await?;
                return Err(unreadable);
            }
        };
        if !plan.drop.is_empty() {
            self.db.mark_notices_sent(&plan.drop, worker_id, now()).await?;
        }
        if let Some((postponed, until)) = &plan.postpone {
            self.db.put_notices_back(postponed, worker_id, *until).await?;
        }
        for (outgoing, carried) in plan.send {
            let Ok(screen) = view::render(&lang, &outgoing) else {
                // Unreadable, and logged with a reference where it was read: set aside.
                self.db.mark_notices_sent(&carried, worker_id, now()).await?;
                continue;
            };
            match telegram::send_as(&self.bot, ChatId(chat_id), screen, Priority::Bulk).await {
                Ok(_) => {
                    if !self.db.mark_notices_sent(&carried, worker_id, now()).await? {
                        log::warn!("a notice to chat {chat_id} was sent after its claim had passed");
                    }
                }
                Err(error) => self.after_failure(worker_id, chat_id, waiting, &carried, &error).await?,
            }
        }
        Ok(())
    }

    /// A chat that is gone or blocked the bot will never be told; anything else is tried again a few times.
    async fn after_failure(
        &self,
        worker_id: &str,
        chat_id: i64,
        waiting: &[CreatorNotice],
        carried: &[Uuid],
        error: &teloxide::RequestError,
    ) -> Result<(), DomainError> {
        let attempts = waiting.iter().filter(|n| carried.contains(&n.id)).map(|n| n.attempts).max().unwrap_or(0);
        let give_up =
            matches!(telegram::classify(error), SendError::GiveUp(SendFailure::Blocked | SendFailure::ChatGone))
                || attempts >= MOST_ATTEMPTS;
        if give_up {
            log::warn!("a notice to chat {chat_id} is given up after {attempts} attempts: {error}");
            self.db.mark_notices_sent(carried, worker_id, now()).await?;
        } else {
            log::info!("a notice to chat {chat_id} will be tried again: {error}");
            let later = now() + chrono::Duration::from_std(RETRY_AFTER).unwrap_or_default();
            self.db.put_notices_back(carried, worker_id, later).await?;
        }
        Ok(())
    }
}

/// Claimed notices by chat, each chat's oldest first.
fn by_chat(claimed: Vec<CreatorNotice>) -> BTreeMap<i64, Vec<CreatorNotice>> {
    let mut chats: BTreeMap<i64, Vec<CreatorNotice>> = BTreeMap::new();
    for notice in claimed {
        chats.entry(notice.chat_id).or_default().push(notice);
    }
    chats
}
