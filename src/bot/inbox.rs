//! Receiving updates without losing one: long polling that stores each update in the inbox before the next
//! `getUpdates` confirms it to Telegram, hands it to the dispatcher, and replays at start what a crash left
//! unhandled. The handler tree marks each update handled when its handler is done.
use std::convert::Infallible;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::stop::{StopFlag, StopToken, mk_stop_token};
use teloxide::types::{AllowedUpdate, Update};
use teloxide::update_listeners::{StatefulListener, UpdateListener};
use tokio::sync::mpsc;

use crate::db::Db;
use crate::domain::DomainError;
use crate::domain::clock::now;

/// How long one `getUpdates` waits for updates.
const POLL_TIMEOUT_SECONDS: u32 = 10;
/// How long after a failed `getUpdates` or a failed store the poller tries again.
const RETRY_PAUSE: Duration = Duration::from_secs(1);
const REPLAY_BATCH: u64 = 100;
/// Handled updates are kept this long, then pruned.
pub const KEEP_HANDLED: chrono::Duration = chrono::Duration::days(1);
const PRUNE_EVERY: Duration = Duration::from_secs(600);
/// The updates the handler tree handles; `chat_member` is sent only when asked for.
const ALLOWED_UPDATES: [AllowedUpdate; 5] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::ChatJoinRequest,
    AllowedUpdate::ChatMember,
    AllowedUpdate::MyChatMember,
];

struct ListenerState {
    updates: mpsc::Receiver<Update>,
    stop: StopToken,
}

/// The dispatcher's update listener: updates from the inbox, first those a crash left unhandled, then
/// each new one once it is stored. Stopping it stops the poller.
pub fn inbox_listener(bot: Bot, db: Db) -> impl UpdateListener<Err = Infallible> {
    let (sender, updates) = mpsc::channel(REPLAY_BATCH as usize);
    let (stop, stopped) = mk_stop_token();
    tokio::spawn(poll(bot, db, sender, stopped));
    StatefulListener::new(ListenerState { updates, stop }, updates_of, |state: &mut ListenerState| state.stop.clone())
}

fn updates_of(state: &mut ListenerState) -> impl futures_util::Stream<Item = Result<Update, Infallible>> + '_ {
    futures_util::stream::poll_fn(move |cx| state.updates.poll_recv(cx).map(|update| update.map(Ok)))
}

async fn poll(bot: Bot, db: Db, sender: mpsc::Sender<Update>, stopped: StopFlag) {
    tokio::pin!(stopped);
    // Telegram hands out updates by getUpdates only while no webhook is set.
    if let Err(error) = bot.delete_webhook().send().await {
        log::warn!("cannot delete the webhook before polling: {error}");
    }
    let Some(mut offset) = replay(&db, &sender).await else { return };
    let mut pruned_at = tokio::time::Instant::now();
    loop {
        let asked =
            bot.get_updates().offset(offset).timeout(POLL_TIMEOUT_SECONDS).allowed_updates(ALLOWED_UPDATES).send();
        let updates = tokio::select! {
            _ = &mut stopped => break,
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
            let update_id = i64::from(update.id.0);
            // Until it is stored the offset stays, so Telegram hands it out again after a crash.
            let fresh = loop {
                match store(&db, &update).await {
                    Ok(fresh) => break fresh,
                    Err(error) => {
                        DomainError::internal("storing an update in the inbox", error);
                        tokio::time::sleep(RETRY_PAUSE).await;
                    }
                }
            };
            offset = (update_id + 1) as i32;
            if fresh && sender.send(update).await.is_err() {
                return;
            }
        }
        if pruned_at.elapsed() >= PRUNE_EVERY {
            pruned_at = tokio::time::Instant::now();
            if let Err(error) = db.prune_inbox(now() - KEEP_HANDLED).await {
                DomainError::internal("pruning the inbox", error);
            }
        }
    }
    log::info!("stopped receiving updates");
}

async fn store(db: &Db, update: &Update) -> Result<bool, String> {
    let payload = serde_json::to_string(update).map_err(|e| e.to_string())?;
    db.store_update(i64::from(update.id.0), payload, now()).await.map_err(|e| e.to_string())
}

/// Hands the dispatcher what was stored and not handled, in order; the offset to poll from, or None when
/// the dispatcher is gone.
async fn replay(db: &Db, sender: &mpsc::Sender<Update>) -> Option<i32> {
    let mut after = i64::MIN;
    loop {
        let batch = match db.unhandled_updates(after, REPLAY_BATCH).await {
            Ok(batch) => batch,
            Err(error) => {
                DomainError::internal("reading the inbox", error);
                tokio::time::sleep(RETRY_PAUSE).await;
                continue;
            }
        };
        let Some(last) = batch.last() else { break };
        after = last.update_id;
        if !batch.is_empty() {
            log::info!("handling {} updates a stop left unhandled", batch.len());
        }
        for stored in batch {
            match serde_json::from_str::<Update>(&stored.payload) {
                Ok(update) => sender.send(update).await.ok()?,
                Err(error) => {
                    // Kept, but not tried at every start again.
                    DomainError::internal("reading a stored update", format!("update {}: {error}", stored.update_id));
                    if let Err(error) = db.mark_update_handled(stored.update_id, now()).await {
                        DomainError::internal("setting aside an unreadable update", error);
                    }
                }
            }
        }
    }
    // Polling starts from what Telegram has not had confirmed, not from the newest id stored: update ids
    // start again at random after a week without updates. What comes again is known by its id and skipped.
    Some(0)
}
