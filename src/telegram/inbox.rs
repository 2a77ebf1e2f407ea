//! Receiving updates without losing one. Each update is stored in the inbox before Telegram is told it
//! arrived: before the next `getUpdates` confirms it, or before the webhook answers 200. Handling then
//! goes through claims in the database, so any number of instances share it: an instance claims an
//! update with a lease, only the oldest unhandled update of a chat can be claimed, and the handler tree
//! marks it handled when done. A crash leaves unhandled updates to whoever claims them next.
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::stop::{StopToken, mk_stop_token};
use teloxide::types::{AllowedUpdate, Update};
use teloxide::update_listeners::{StatefulListener, UpdateListener};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

use crate::db::{Db, DbError};
use crate::domain::DomainError;
use crate::domain::clock::now;

/// How long one `getUpdates` waits for updates.
const POLL_TIMEOUT_SECONDS: u32 = 10;
/// How long after a failed `getUpdates`, store or claim the next try comes.
const RETRY_PAUSE: Duration = Duration::from_secs(1);
/// How long a claim holds an update without being renewed: after a crash, how long its updates wait.
const CLAIM_LEASE: chrono::Duration = chrono::Duration::seconds(10);
const RENEW_EVERY: Duration = Duration::from_secs(3);
/// Past this a claim is not renewed, so an update whose handler never returns is tried again.
const LONGEST_HANDLING: chrono::Duration = chrono::Duration::minutes(10);
/// An update taken this often without being handled is set aside, so it cannot hold its chat forever.
const MOST_CLAIMS: i32 = 3;
/// How often an instance looks for updates that nobody woke it for: stored by another instance, or
/// left by one that died.
const LOOK_EVERY: Duration = Duration::from_millis(500);
const CLAIM_BATCH: u64 = 100;
/// Updates being handled here at once. A launch brings a thousand at once, and each in hand holds its
/// handler's state (tens of kilobytes) while it waits for its turn to answer; beyond this they wait in the
/// inbox, in order, which costs nobody a turn: answers go out at Telegram's 30 a second either way.
pub const MOST_IN_HAND: usize = 200;
/// Handled updates are kept this long, then pruned.
pub const KEEP_HANDLED: chrono::Duration = chrono::Duration::days(1);
const PRUNE_EVERY: Duration = Duration::from_secs(600);
/// The updates the handler tree handles; `chat_member` is sent only when asked for.
pub const ALLOWED_UPDATES: [AllowedUpdate; 5] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::ChatJoinRequest,
    AllowedUpdate::ChatMember,
    AllowedUpdate::MyChatMember,
];

/// How often, and after how long, a failed mark is tried again at once; after that it is tried with each
/// renewal, and its claim is no longer renewed.
const MARK_TRIES: [Duration; 4] =
    [Duration::from_millis(100), Duration::from_millis(300), Duration::from_millis(700), Duration::from_millis(1500)];

/// The inbox as one instance sees it: where updates are stored, and who claims them here.
pub struct Inbox {
    db: Db,
    holder: String,
    ready: Notify,
    /// Updates handled here whose mark failed (the database was locked, say). Their claims are not renewed
    /// and their marks are tried again with each renewal, so their chats wait seconds after the fault
    /// clears, not the ten minutes a claim may be renewed for.
    unmarked: std::sync::Mutex<std::collections::HashSet<i64>>,
    /// Room for the updates in hand ([`MOST_IN_HAND`]); each holds its place until it is handled.
    in_hand: Arc<Semaphore>,
    places: std::sync::Mutex<std::collections::HashMap<i64, OwnedSemaphorePermit>>,
}

impl Inbox {
    pub fn new(db: Db, holder: String) -> Arc<Self> {
        Arc::new(Self {
            db,
            holder,
            ready: Notify::new(),
            unmarked: Default::default(),
            in_hand: Arc::new(Semaphore::new(MOST_IN_HAND)),
            places: Default::default(),
        })
    }

    fn places(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<i64, OwnedSemaphorePermit>> {
        self.places.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn unmarked(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<i64>> {
        self.unmarked.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stores an update as received (its raw JSON), unless it is there already; whether it was new.
    pub async fn receive(&self, update: &Update, payload: String) -> Result<bool, DbError> {
        let fresh = self.db.store_update(i64::from(update.id.0), chat_key(update), payload, now()).await?;
        if fresh {
            self.wake();
        }
        Ok(fresh)
    }

    /// Marks an update handled, which frees the next update of its chat. A mark that keeps failing is left
    /// to the renewals, and its claim lapses meanwhile: then the update is handled again, which the handlers
    /// make harmless, rather than its chat waiting.
    pub async fn handled(&self, update: &Update) {
        let update_id = i64::from(update.id.0);
        for pause in MARK_TRIES.iter().map(Some).chain([None]) {
            match self.db.mark_update_handled(update_id, now()).await {
                Ok(()) => break,
                Err(error) => {
                    DomainError::internal("marking an update handled", error);
                    match pause {
                        Some(pause) => tokio::time::sleep(*pause).await,
                        None => {
                            self.unmarked().insert(update_id);
                        }
                    }
                }
            }
        }
        // An update whose handler never got here keeps its place until it is claimed again.
        self.places().remove(&update_id);
        self.wake();
    }

    /// Tries the failed marks again; those that go through free their chats.
    async fn mark_again(&self) {
        let waiting: Vec<i64> = self.unmarked().iter().copied().collect();
        for update_id in waiting {
            if self.db.mark_update_handled(update_id, now()).await.is_ok() {
                self.unmarked().remove(&update_id);
                log::info!("update {update_id} is marked handled after all");
                self.wake();
            }
        }
    }

    /// Tells the claimer here that an update may be ready: one was stored, or one of its chat handled.
    fn wake(&self) {
        self.ready.notify_one();
    }

    /// Hands back what this instance claimed and did not get to, for the next to take at once.
    pub async fn release(&self) {
        match self.db.release_update_claims(&self.holder).await {
            Ok(0) => {}
            Ok(released) => log::info!("handed back {released} updates this instance had not handled"),
            Err(error) => {
                DomainError::internal("handing back claimed updates", error);
            }
        }
    }
}

/// The chat whose order an update keeps: its chat, or for the few without one, its user.
pub fn chat_key(update: &Update) -> Option<i64> {
    update.chat().map(|chat| chat.id.0).or_else(|| update.from().and_then(|user| i64::try_from(user.id.0).ok()))
}

/// Where this instance's updates come from.
pub enum Source {
    /// `getUpdates`, by the one instance that polls; it takes over the claims its predecessor left.
    LongPolling(crate::telegram::TgBot),
    /// Telegram posts them to the HTTP endpoint, on any number of instances.
    Webhook,
}

struct ListenerState {
    updates: mpsc::Receiver<Update>,
    stop: StopToken,
}

/// The dispatcher's update listener: the updates this instance claims from the inbox. Stopping it stops
/// the poller and the claimer.
pub fn inbox_listener(inbox: Arc<Inbox>, source: Source) -> impl UpdateListener<Err = Infallible> {
    let (sender, updates) = mpsc::channel(CLAIM_BATCH as usize);
    let (stop, stopped) = mk_stop_token();
    let stopping = CancellationToken::new();
    tokio::spawn({
        let stopping = stopping.clone();
        async move {
            stopped.await;
            stopping.cancel();
        }
    });
    tokio::spawn(async move {
        if let Source::LongPolling(bot) = source {
            match inbox.db.release_all_update_claims().await {
                Ok(0) => {}
                Ok(taken) => log::info!("handling {taken} updates a stop left unhandled"),
                Err(error) => {
                    DomainError::internal("taking over the claims of the last run", error);
                }
            }
            tokio::spawn(poll(bot, inbox.clone(), stopping.clone()));
        }
        tokio::spawn(renew_claims(inbox.clone(), stopping.clone()));
        tokio::spawn(prune(inbox.db.clone(), stopping.clone()));
        claim(inbox, sender, stopping).await;
    });
    StatefulListener::new(ListenerState { updates, stop }, updates_of, |state: &mut ListenerState| state.stop.clone())
}

fn updates_of(state: &mut ListenerState) -> impl futures_util::Stream<Item = Result<Update, Infallible>> + '_ {
    futures_util::stream::poll_fn(move |cx| state.updates.poll_recv(cx).map(|update| update.map(Ok)))
}

/// Claims ready updates, as many as there is room in hand for, and hands them to the dispatcher, until
/// stopped.
async fn claim(inbox: Arc<Inbox>, sender: mpsc::Sender<Update>, stopping: CancellationToken) {
    loop {
        // Waits for room, without taking it: the places are taken per update claimed.
        let room = tokio::select! {
            _ = stopping.cancelled() => break,
            room = inbox.in_hand.acquire() => match room {
                Ok(room) => room,
                Err(_) => break,
            },
        };
        drop(room);
        let batch = CLAIM_BATCH.min(inbox.in_hand.available_permits() as u64).max(1);
        let at = now();
        let claimed = match inbox.db.claim_updates(&inbox.holder, at, at + CLAIM_LEASE, batch).await {
            Ok(claimed) => claimed,
            Err(error) => {
                DomainError::internal("claiming updates", error);
                tokio::select! {
                    _ = stopping.cancelled() => break,
                    _ = tokio::time::sleep(RETRY_PAUSE) => continue,
                }
            }
        };
        let full = claimed.len() as u64 == batch;
        for stored in claimed {
            let update_id = stored.update_id;
            let Some(update) = readable(&inbox.db, stored).await else { continue };
            // Only this task takes places, and it claimed no more than there was room for.
            if let Ok(place) = inbox.in_hand.clone().try_acquire_owned() {
                inbox.places().insert(update_id, place);
            }
            if sender.send(update).await.is_err() {
                return;
            }
        }
        if full {
            continue;
        }
        tokio::select! {
            _ = stopping.cancelled() => break,
            _ = inbox.ready.notified() => {}
            _ = tokio::time::sleep(LOOK_EVERY) => {}
        }
    }
}

/// The update to handle, or None for one set aside: unreadable, or tried too often.
async fn readable(db: &Db, stored: crate::db::inbox::InboxUpdate) -> Option<Update> {
    let problem = if stored.claims > MOST_CLAIMS {
        format!("update {} was taken {} times and never handled", stored.update_id, stored.claims - 1)
    } else {
        match serde_json::from_str::<Update>(&stored.payload) {
            Ok(update) => return Some(update),
            Err(error) => format!("update {} cannot be read: {error}", stored.update_id),
        }
    };
    // Kept for a look, but no longer holding up its chat.
    DomainError::internal("setting aside an update", problem);
    if let Err(error) = db.mark_update_handled(stored.update_id, now()).await {
        DomainError::internal("setting aside an update", error);
    }
    None
}

async fn renew_claims(inbox: Arc<Inbox>, stopping: CancellationToken) {
    loop {
        tokio::select! {
            _ = stopping.cancelled() => break,
            _ = tokio::time::sleep(RENEW_EVERY) => {}
        }
        inbox.mark_again().await;
        let at = now();
        let unmarked: Vec<i64> = inbox.unmarked().iter().copied().collect();
        let renewed =
            inbox.db.renew_update_claims(&inbox.holder, &unmarked, at - LONGEST_HANDLING, at + CLAIM_LEASE).await;
        if let Err(error) = renewed {
            DomainError::internal("renewing claims on updates", error);
        }
    }
}

async fn prune(db: Db, stopping: CancellationToken) {
    loop {
        tokio::select! {
            _ = stopping.cancelled() => break,
            _ = tokio::time::sleep(PRUNE_EVERY) => {}
        }
        if let Err(error) = db.prune_inbox(now() - KEEP_HANDLED).await {
            DomainError::internal("pruning the inbox", error);
        }
    }
}

async fn poll(bot: crate::telegram::TgBot, inbox: Arc<Inbox>, stopping: CancellationToken) {
    // Telegram hands out updates by getUpdates only while no webhook is set.
    if let Err(error) = bot.counted("deleteWebhook", bot.api().delete_webhook()).await {
        log::warn!("cannot delete the webhook before polling: {error}");
    }
    // Polling starts from what Telegram has not had confirmed, not from the newest id stored: update ids
    // start again at random after a week without updates. What comes again is known by its id and skipped.
    let mut offset = 0;
    loop {
        let request =
            bot.api().get_updates().offset(offset).timeout(POLL_TIMEOUT_SECONDS).allowed_updates(ALLOWED_UPDATES);
        let asked = bot.counted("getUpdates", request);
        let updates = tokio::select! {
            _ = stopping.cancelled() => break,
            answer = asked => match answer {
                Ok(updates) => updates,
                Err(error) => {
                    log::warn!("getUpdates failed: {error}");
                    tokio::time::sleep(RETRY_PAUSE).await;
                    continue;
                }
            },
        };
        for update in updates {
            // Until it is stored the offset stays, so Telegram hands it out again after a crash.
            loop {
                let stored = match serde_json::to_string(&update) {
                    Ok(payload) => inbox.receive(&update, payload).await.map_err(|e| e.to_string()),
                    Err(error) => Err(error.to_string()),
                };
                match stored {
                    Ok(_) => break,
                    Err(error) => {
                        DomainError::internal("storing an update in the inbox", error);
                        tokio::time::sleep(RETRY_PAUSE).await;
                    }
                }
            }
            offset = update.id.0 as i32 + 1;
        }
    }
    log::info!("stopped receiving updates");
}
