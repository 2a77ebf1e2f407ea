//! Pacing of outgoing messages within Telegram's limits: a fixed spacing per chat and one across all chats
//! (GCRA without bursts), with interactive messages served before bulk ones.
//!
//! teloxide's `Throttle` sends in passes with a constant 250 ms sleep between them, so every reply waited
//! about a quarter of a second; here a message that is within the limits goes out at once.
use std::collections::{BTreeSet, HashMap};
use std::pin::pin;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::config::ThrottleSettings;

/// Sends are spaced this much wider than the limits, so that jitter between leaving here and arriving at
/// Telegram never puts two sends into one limit window.
const SPACING_MARGIN: f64 = 0.02;
/// A chat's pace is forgotten once it has been free this long; it only matters within a few seconds.
const FORGET_CHATS_AFTER: Duration = Duration::from_secs(120);
const FORGET_CHECK_EVERY: usize = 4096;

/// Who waits for a message: a person now (a reply, a notice, a file they asked for), or a bulk delivery
/// that gives way to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    Interactive,
    Bulk,
}

/// The spacing between two messages, per chat kind and across all chats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spacing {
    pub private_chat: Duration,
    pub group_chat: Duration,
    pub overall: Duration,
}

impl Spacing {
    /// The spacing these limits allow, for an instance that takes `1 / instances` of the bot's overall budget.
    pub fn from_limits(limits: &ThrottleSettings) -> Self {
        let per_sec_chat = f64::from(limits.messages_per_sec_chat.max(1));
        let per_min_chat = f64::from(limits.messages_per_min_chat.max(1));
        let per_min_group = f64::from(limits.messages_per_min_group.max(1));
        let overall = f64::from(limits.messages_per_sec_overall.max(1)) / f64::from(limits.instances.max(1));
        let private_chat = (1.0 / per_sec_chat).max(60.0 / per_min_chat);
        Self {
            private_chat: widened(private_chat),
            group_chat: widened(private_chat.max(60.0 / per_min_group)),
            overall: widened(1.0 / overall),
        }
    }

    /// Groups, supergroups and channels have negative ids.
    fn for_chat(&self, chat_id: i64) -> Duration {
        if chat_id < 0 { self.group_chat } else { self.private_chat }
    }
}

fn widened(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds * (1.0 + SPACING_MARGIN))
}

#[derive(Default)]
struct PaceState {
    /// When the next message may go out across all chats.
    overall_free_at: Option<Instant>,
    /// When the next message may go out in each chat.
    chat_free_at: HashMap<i64, Instant>,
    /// Bulk senders whose chat is free, waiting for the overall budget, first come first served.
    bulk_line: BTreeSet<u64>,
    next_ticket: u64,
    bookings: usize,
}

impl PaceState {
    fn chat_free_at(&self, chat_id: i64, now: Instant) -> Instant {
        self.chat_free_at.get(&chat_id).copied().unwrap_or(now).max(now)
    }

    fn overall_free_at(&self, now: Instant) -> Instant {
        self.overall_free_at.unwrap_or(now).max(now)
    }

    fn book(&mut self, chat_id: i64, at: Instant, spacing: &Spacing) {
        self.overall_free_at = Some(at + spacing.overall);
        self.chat_free_at.insert(chat_id, at + spacing.for_chat(chat_id));
        self.bookings += 1;
        if self.bookings.is_multiple_of(FORGET_CHECK_EVERY) {
            self.chat_free_at.retain(|_, free_at| *free_at + FORGET_CHATS_AFTER > at);
        }
    }

    fn join_line(&mut self) -> u64 {
        self.next_ticket += 1;
        self.bulk_line.insert(self.next_ticket);
        self.next_ticket
    }
}

/// The one place this instance's messages get their turn.
pub struct Pacer {
    spacing: Spacing,
    state: Mutex<PaceState>,
    line_moved: Notify,
}

/// A place in the bulk line, given up when dropped (also when the waiting sender is cancelled).
struct InLine<'a> {
    pacer: &'a Pacer,
    ticket: u64,
}

impl Drop for InLine<'_> {
    fn drop(&mut self) {
        self.pacer.lock().bulk_line.remove(&self.ticket);
        self.pacer.line_moved.notify_waiters();
    }
}

enum BulkWait {
    Done,
    Until(Instant),
    LineMoves,
}

impl Pacer {
    pub fn new(spacing: Spacing) -> Self {
        Self { spacing, state: Mutex::new(PaceState::default()), line_moved: Notify::new() }
    }

    pub fn spacing(&self) -> Spacing {
        self.spacing
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PaceState> {
        // The state is consistent after every statement, so a panic elsewhere leaves it usable.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until a message may go into `chat_id`, and takes that turn.
    pub async fn wait_turn(&self, chat_id: i64, priority: Priority) {
        match priority {
            Priority::Interactive => {
                let at = {
                    let mut state = self.lock();
                    let now = Instant::now();
                    let at = state.chat_free_at(chat_id, now).max(state.overall_free_at(now));
                    state.book(chat_id, at, &self.spacing);
                    at
                };
                if at > Instant::now() {
                    tokio::time::sleep_until(at).await;
                }
            }
            Priority::Bulk => self.bulk_turn(chat_id).await,
        }
    }

    /// A bulk sender books only a turn that is due now, so interactive messages, which may book ahead,
    /// always find the next turn free. It waits for its chat outside the line, then in line for the
    /// overall budget.
    async fn bulk_turn(&self, chat_id: i64) {
        let mut place: Option<InLine<'_>> = None;
        loop {
            let mut line_moved = pin!(self.line_moved.notified());
            line_moved.as_mut().enable();
            let (wait, leave_line) = {
                let mut state = self.lock();
                let now = Instant::now();
                let chat_free_at = state.chat_free_at(chat_id, now);
                if chat_free_at > now {
                    (BulkWait::Until(chat_free_at), true)
                } else {
                    let ticket = match &place {
                        Some(place) => place.ticket,
                        None => {
                            let ticket = state.join_line();
                            place = Some(InLine { pacer: self, ticket });
                            ticket
                        }
                    };
                    let overall_free_at = state.overall_free_at(now);
                    if state.bulk_line.first() != Some(&ticket) {
                        (BulkWait::LineMoves, false)
                    } else if overall_free_at > now {
                        (BulkWait::Until(overall_free_at), false)
                    } else {
                        state.book(chat_id, now, &self.spacing);
                        (BulkWait::Done, true)
                    }
                }
            };
            if leave_line {
                // Out of the lock: giving the place up takes the lock and lets the next sender on.
                place = None;
            }
            match wait {
                BulkWait::Done => return,
                BulkWait::Until(at) => tokio::time::sleep_until(at).await,
                BulkWait::LineMoves => line_moved.await,
            }
        }
    }

    /// Telegram asked to wait: no message goes into `chat_id` before `delay` has passed.
    pub fn hold_chat(&self, chat_id: i64, delay: Duration) {
        let mut state = self.lock();
        let until = Instant::now() + delay;
        let free_at = state.chat_free_at.entry(chat_id).or_insert(until);
        *free_at = (*free_at).max(until);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    fn limits(per_sec_chat: u32, per_sec_overall: u32, instances: u32) -> ThrottleSettings {
        ThrottleSettings {
            messages_per_sec_chat: per_sec_chat,
            messages_per_min_chat: per_sec_chat * 60,
            messages_per_min_group: 20,
            messages_per_sec_overall: per_sec_overall,
            instances,
        }
    }

    type Turns = Arc<Mutex<Vec<(i64, Priority, Instant)>>>;

    /// `chats` bulk senders, each taking `each` turns in its own chat; returns every turn taken.
    fn spawn_bulk(
        pacer: &Arc<Pacer>,
        chats: std::ops::Range<i64>,
        each: usize,
        turns: &Turns,
    ) -> Vec<tokio::task::JoinHandle<()>> {
        chats
            .map(|chat| {
                let (pacer, turns) = (pacer.clone(), turns.clone());
                tokio::spawn(async move {
                    for _ in 0..each {
                        pacer.wait_turn(chat, Priority::Bulk).await;
                        turns.lock().unwrap().push((chat, Priority::Bulk, Instant::now()));
                    }
                })
            })
            .collect()
    }

    fn most_in_one_second(times: &[Instant]) -> usize {
        let mut sorted = times.to_vec();
        sorted.sort();
        (0..sorted.len())
            .map(|i| sorted[i..].iter().take_while(|t| **t < sorted[i] + Duration::from_secs(1)).count())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn the_overall_budget_is_split_between_instances() {
        let one = Spacing::from_limits(&limits(1, 30, 1));
        let two = Spacing::from_limits(&limits(1, 30, 2));
        assert_eq!(two.overall, one.overall * 2);
        assert!(one.private_chat >= Duration::from_secs(1));
        assert!(one.group_chat >= Duration::from_secs(3), "20 a minute in a group");
    }

    #[tokio::test(start_paused = true)]
    async fn a_message_within_the_limits_goes_out_at_once() {
        let pacer = Pacer::new(Spacing::from_limits(&limits(1, 30, 1)));
        let start = Instant::now();
        pacer.wait_turn(5, Priority::Interactive).await;
        pacer.wait_turn(6, Priority::Bulk).await;
        assert!(Instant::now() - start < Duration::from_millis(40), "only the overall spacing between two chats");
        assert_eq!(Instant::now(), start + pacer.spacing().overall);
    }

    #[tokio::test(start_paused = true)]
    async fn many_chats_share_the_overall_budget_at_its_full_rate() {
        let pacer = Arc::new(Pacer::new(Spacing::from_limits(&limits(1, 30, 1))));
        let turns: Turns = Arc::default();
        let start = Instant::now();
        for sender in spawn_bulk(&pacer, 1..41, 30, &turns) {
            sender.await.unwrap();
        }
        let turns = turns.lock().unwrap().clone();
        assert_eq!(turns.len(), 40 * 30, "nothing skipped");
        let seconds = (Instant::now() - start).as_secs_f64();
        let rate = turns.len() as f64 / seconds;
        assert!(rate >= 0.95 * 30.0, "40 chats at one a second share 30 a second: {rate:.2}/s");
        let times: Vec<Instant> = turns.iter().map(|(_, _, at)| *at).collect();
        assert!(most_in_one_second(&times) <= 30);
        for chat in 1..41 {
            let times: Vec<Instant> = turns.iter().filter(|(c, _, _)| *c == chat).map(|(_, _, at)| *at).collect();
            assert!(times.windows(2).all(|pair| pair[1] - pair[0] >= Duration::from_secs(1)), "chat {chat} paced");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn each_chat_gets_its_share_when_the_overall_budget_is_the_limit() {
        let pacer = Arc::new(Pacer::new(Spacing::from_limits(&limits(1, 10, 1))));
        let turns: Turns = Arc::default();
        let senders = spawn_bulk(&pacer, 1..21, 1000, &turns);
        tokio::time::sleep(Duration::from_secs(20)).await;
        for sender in &senders {
            sender.abort();
        }
        let turns = turns.lock().unwrap().clone();
        let per_chat: Vec<usize> = (1..21).map(|chat| turns.iter().filter(|(c, _, _)| *c == chat).count()).collect();
        let (fewest, most) = (per_chat.iter().min().unwrap(), per_chat.iter().max().unwrap());
        assert!(most - fewest <= 1, "first come, first served: {per_chat:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn an_interactive_message_goes_before_waiting_bulk_ones() {
        let pacer = Arc::new(Pacer::new(Spacing::from_limits(&limits(1, 5, 1))));
        let turns: Turns = Arc::default();
        let senders = spawn_bulk(&pacer, 1..21, 100, &turns);
        tokio::time::sleep(Duration::from_secs(3)).await;
        let asked_at = Instant::now();
        pacer.wait_turn(99, Priority::Interactive).await;
        turns.lock().unwrap().push((99, Priority::Interactive, Instant::now()));
        tokio::time::sleep(Duration::from_secs(1)).await;
        for sender in &senders {
            sender.abort();
        }
        let turns = turns.lock().unwrap().clone();
        let bulk_between = turns
            .iter()
            .filter(|(_, priority, at)| *priority == Priority::Bulk && *at >= asked_at)
            .take_while(|(_, _, at)| *at < turns.iter().find(|(c, _, _)| *c == 99).unwrap().2)
            .count();
        assert_eq!(bulk_between, 0, "20 chats waited for the budget, the reply went first");
        let times: Vec<Instant> = turns.iter().map(|(_, _, at)| *at).collect();
        assert!(most_in_one_second(&times) <= 5, "the reply still kept within the overall limit");
    }

    #[tokio::test(start_paused = true)]
    async fn an_interactive_message_waits_for_its_chat_and_the_bulk_one_after_it() {
        let pacer = Pacer::new(Spacing::from_limits(&limits(1, 30, 1)));
        pacer.wait_turn(7, Priority::Bulk).await;
        let start = Instant::now();
        pacer.wait_turn(7, Priority::Interactive).await;
        let reply_at = Instant::now();
        assert!(reply_at - start >= Duration::from_secs(1));
        pacer.wait_turn(7, Priority::Bulk).await;
        assert!(Instant::now() - reply_at >= Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_bulk_sender_leaves_the_line() {
        let pacer = Arc::new(Pacer::new(Spacing::from_limits(&limits(1, 1, 1))));
        pacer.wait_turn(1, Priority::Bulk).await;
        let cancelled = tokio::spawn({
            let pacer = pacer.clone();
            async move { pacer.wait_turn(2, Priority::Bulk).await }
        });
        tokio::task::yield_now().await;
        cancelled.abort();
        let start = Instant::now();
        pacer.wait_turn(3, Priority::Bulk).await;
        assert!(Instant::now() - start <= Duration::from_millis(1100), "the next sender did not wait behind it");
        assert!(pacer.lock().bulk_line.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn a_hold_from_telegram_keeps_the_chat_quiet() {
        let pacer = Pacer::new(Spacing::from_limits(&limits(1, 30, 1)));
        let start = Instant::now();
        pacer.hold_chat(4, Duration::from_secs(7));
        pacer.wait_turn(4, Priority::Bulk).await;
        assert!(Instant::now() - start >= Duration::from_secs(7));
    }
}
