//! Pacing of outgoing messages within Telegram's limits: a spacing per chat, and a rolling one-second window
//! across all chats, with interactive messages served before bulk ones.
//!
//! A message waits for its own chat (its pace, or a 429's `retry_after`) without taking anything from the
//! others: the overall budget counts messages when they go out, never a turn booked ahead. So a notice
//! that waits a second for a busy chat delays no reply to another chat. (teloxide's `Throttle` sent in
//! passes 250 ms apart, so every reply waited about a quarter of a second; here a message within the limits
//! goes out at once.)
//!
//! Bulk messages are also spread evenly over the window, one every `window / bulk`, rather than sent as a
//! burst whenever room opens: a burst that leaves here within a few milliseconds can arrive at Telegram
//! bunched closer than it left, and a strict window there answers 429.
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::pin::pin;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::config::ThrottleSettings;

/// The limits are kept this much wider than Telegram's, so that jitter between leaving here and arriving at
/// Telegram never puts one message too many into a limit's window.
const SPACING_MARGIN: f64 = 0.02;
/// How late a bulk sender may wake for its turn without the lateness pushing every later turn back: timers
/// fire a little after the instant asked for, and 1 ms a turn would cost 3 % of the bulk rate.
const BULK_LATENESS_FORGIVEN: Duration = Duration::from_millis(5);
/// A chat's pace is forgotten once it has been free this long; it only matters within a few seconds.
const FORGET_CHATS_AFTER: Duration = Duration::from_secs(120);
const FORGET_CHECK_EVERY: usize = 4096;

/// Who waits for a message: a person now (a reply, a file they asked for), or a bulk delivery that gives
/// way to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    Interactive,
    Bulk,
}

/// The spacing between two messages in one chat, per chat kind, and how many messages may go out across
/// all chats within one window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spacing {
    pub private_chat: Duration,
    pub group_chat: Duration,
    /// Messages across all chats within any one `window`.
    pub overall: usize,
    /// Of those, what bulk messages may take: the rest is kept for replies, so a reply never waits for a
    /// window that bulk sends have filled.
    pub bulk: usize,
    pub window: Duration,
}

impl Spacing {
    /// The spacing these limits allow, for an instance that takes `1 / instances` of the bot's overall budget.
    pub fn from_limits(limits: &ThrottleSettings) -> Self {
        let per_sec_chat = f64::from(limits.messages_per_sec_chat.max(1));
        let per_min_chat = f64::from(limits.messages_per_min_chat.max(1));
        let per_min_group = f64::from(limits.messages_per_min_group.max(1));
        let overall = (limits.messages_per_sec_overall / limits.instances.max(1)).max(1) as usize;
        let private_chat = (1.0 / per_sec_chat).max(60.0 / per_min_chat);
        // Two of Telegram's 30 a second stay free for replies: bulk still gets over 90 % of the limit.
        let kept_for_replies = (overall / 15).max(1);
        Self {
            private_chat: widened(private_chat),
            group_chat: widened(private_chat.max(60.0 / per_min_group)),
            overall,
            bulk: overall.saturating_sub(kept_for_replies).max(1),
            window: widened(1.0),
        }
    }

    /// Groups, supergroups and channels have negative ids.
    fn for_chat(&self, chat_id: i64) -> Duration {
        if chat_id < 0 { self.group_chat } else { self.private_chat }
    }

    /// The least time between two bulk messages: their share of the window, spread evenly.
    fn between_bulk(&self) -> Duration {
        self.window / self.bulk.max(1) as u32
    }
}

fn widened(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds * (1.0 + SPACING_MARGIN))
}

#[derive(Default)]
struct PaceState {
    /// When the next message may go out in each chat.
    chat_free_at: HashMap<i64, Instant>,
    /// When each message of the current window went out, across all chats, oldest first.
    sent: VecDeque<Instant>,
    /// Interactive senders whose chat is free, waiting for room in the window, first come first served.
    interactive_line: BTreeSet<u64>,
    /// Bulk senders whose chat is free, waiting for room in the window behind every interactive one, first
    /// come first served.
    bulk_line: BTreeSet<u64>,
    next_ticket: u64,
    turns: usize,
    /// When the next bulk message may go out, however much room the window has.
    bulk_free_at: Option<Instant>,
}

impl PaceState {
    fn chat_free_at(&self, chat_id: i64, now: Instant) -> Instant {
        self.chat_free_at.get(&chat_id).copied().unwrap_or(now).max(now)
    }

    /// The messages still in the window that ends now.
    fn in_window(&mut self, now: Instant, window: Duration) -> usize {
        while self.sent.front().is_some_and(|at| *at + window <= now) {
            self.sent.pop_front();
        }
        self.sent.len()
    }

    fn take(&mut self, chat_id: Option<i64>, priority: Priority, now: Instant, spacing: &Spacing) {
        self.sent.push_back(now);
        if priority == Priority::Bulk {
            let due =
                self.bulk_free_at.map_or(now, |due| due.max(now.checked_sub(BULK_LATENESS_FORGIVEN).unwrap_or(now)));
            self.bulk_free_at = Some(due + spacing.between_bulk());
        }
        if let Some(chat_id) = chat_id {
            self.chat_free_at.insert(chat_id, now + spacing.for_chat(chat_id));
        }
        self.turns += 1;
        if self.turns.is_multiple_of(FORGET_CHECK_EVERY) {
            self.chat_free_at.retain(|_, free_at| *free_at + FORGET_CHATS_AFTER > now);
        }
    }

    fn join_line(&mut self, priority: Priority) -> u64 {
        self.next_ticket += 1;
        match priority {
            Priority::Interactive => self.interactive_line.insert(self.next_ticket),
            Priority::Bulk => self.bulk_line.insert(self.next_ticket),
        };
        self.next_ticket
    }

    fn leave_line(&mut self, priority: Priority, ticket: u64) {
        match priority {
            Priority::Interactive => self.interactive_line.remove(&ticket),
            Priority::Bulk => self.bulk_line.remove(&ticket),
        };
    }

    /// Whether the sender holding `ticket` is the next to take room in the window.
    fn is_next(&self, priority: Priority, ticket: u64) -> bool {
        match priority {
            Priority::Interactive => self.interactive_line.first() == Some(&ticket),
            Priority::Bulk => self.interactive_line.is_empty() && self.bulk_line.first() == Some(&ticket),
        }
    }
}

/// The one place this instance's messages get their turn.
pub struct Pacer {
    spacing: Spacing,
    state: Mutex<PaceState>,
    moved: Notify,
}

/// A sender's place among those waiting for room in the window, given up when dropped (also when the
/// waiting sender is cancelled).
struct Place<'a> {
    pacer: &'a Pacer,
    priority: Priority,
    ticket: u64,
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        self.pacer.lock().leave_line(self.priority, self.ticket);
        self.pacer.moved.notify_waiters();
    }
}

enum Wait {
    Done,
    /// Until the sender's chat is free; waiting for it holds no place among the others.
    ChatFree(Instant),
    /// Until the oldest message leaves the window, or the waiters ahead move.
    Room(Option<Instant>),
}

impl Pacer {
    pub fn new(spacing: Spacing) -> Self {
        Self { spacing, state: Mutex::new(PaceState::default()), moved: Notify::new() }
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
        self.wait_turn_in(Some(chat_id), priority).await;
    }

    /// Waits for a turn in the overall budget only: a request that posts no message into a chat, such as a
    /// removal, still counts against the bot's requests a second.
    pub async fn wait_overall_turn(&self, priority: Priority) {
        self.wait_turn_in(None, priority).await;
    }

    async fn wait_turn_in(&self, chat_id: Option<i64>, priority: Priority) {
        let mut place: Option<Place<'_>> = None;
        loop {
            let mut moved = pin!(self.moved.notified());
            moved.as_mut().enable();
            let wait = {
                let mut state = self.lock();
                let now = Instant::now();
                let chat_free_at = chat_id.map_or(now, |chat_id| state.chat_free_at(chat_id, now));
                let in_window = state.in_window(now, self.spacing.window);
                if chat_free_at > now {
                    Wait::ChatFree(chat_free_at)
                } else {
                    let ticket = match &place {
                        Some(place) => place.ticket,
                        None => {
                            let ticket = state.join_line(priority);
                            place = Some(Place { pacer: self, priority, ticket });
                            ticket
                        }
                    };
                    let my_turn = state.is_next(priority, ticket);
                    let room = match priority {
                        Priority::Interactive => self.spacing.overall,
                        Priority::Bulk => self.spacing.bulk,
                    };
                    let spaced_until = match priority {
                        Priority::Bulk => state.bulk_free_at.filter(|at| *at > now),
                        Priority::Interactive => None,
                    };
                    if in_window < room && my_turn && spaced_until.is_none() {
                        state.take(chat_id, priority, now, &self.spacing);
                        Wait::Done
                    } else if in_window >= room {
                        // Room comes when enough of the window's messages have left it.
                        let leaving = state.sent.get(in_window - room).copied();
                        Wait::Room(leaving.map(|sent| sent + self.spacing.window))
                    } else if my_turn {
                        Wait::Room(spaced_until)
                    } else {
                        Wait::Room(None)
                    }
                }
            };
            match wait {
                Wait::Done => return,
                Wait::ChatFree(at) => {
                    // Out of the lock: giving the place up takes the lock and lets the next sender on.
                    place = None;
                    tokio::time::sleep_until(at).await;
                }
                Wait::Room(Some(at)) => {
                    tokio::select! {
                        _ = tokio::time::sleep_until(at) => {}
                        _ = moved => {}
                    }
                }
                Wait::Room(None) => moved.await,
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
        assert_eq!((one.overall, two.overall), (30, 15));
        assert!(one.private_chat >= Duration::from_secs(1));
        assert!(one.group_chat >= Duration::from_secs(3), "20 a minute in a group");
    }

    #[tokio::test(start_paused = true)]
    async fn a_message_within_the_limits_goes_out_at_once() {
        let pacer = Pacer::new(Spacing::from_limits(&limits(1, 30, 1)));
        let start = Instant::now();
        pacer.wait_turn(5, Priority::Interactive).await;
        pacer.wait_turn(6, Priority::Bulk).await;
        assert_eq!(Instant::now(), start, "two chats, well within the overall budget");
    }

    #[tokio::test(start_paused = true)]
    async fn a_message_waiting_for_its_busy_chat_delays_no_other_chat() {
        let pacer = Arc::new(Pacer::new(Spacing::from_limits(&limits(1, 30, 1))));
        pacer.wait_turn(1, Priority::Interactive).await;
        let start = Instant::now();
        let busy = tokio::spawn({
            let pacer = pacer.clone();
            async move {
                pacer.wait_turn(1, Priority::Interactive).await;
                Instant::now()
            }
        });
        tokio::task::yield_now().await;
        for chat in 2..31 {
            pacer.wait_turn(chat, Priority::Interactive).await;
        }
        assert_eq!(Instant::now(), start, "the 29 free chats went at once");
        let busy_went = busy.await.unwrap();
        assert!(busy_went - start >= Duration::from_secs(1), "the busy chat kept its own pace");
        assert!(busy_went - start < Duration::from_millis(1100), "and waited for nothing else");
    }

    #[tokio::test(start_paused = true)]
    async fn a_chat_telegram_asked_to_wait_delays_no_other_chat() {
        let pacer = Arc::new(Pacer::new(Spacing::from_limits(&limits(1, 30, 1))));
        pacer.hold_chat(1, Duration::from_secs(30));
        let held = tokio::spawn({
            let pacer = pacer.clone();
            async move { pacer.wait_turn(1, Priority::Interactive).await }
        });
        tokio::task::yield_now().await;
        let start = Instant::now();
        pacer.wait_turn(2, Priority::Bulk).await;
        pacer.wait_turn(3, Priority::Interactive).await;
        assert_eq!(Instant::now(), start);
        held.abort();
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_outside_any_chat_counts_against_the_overall_budget_only() {
        let pacer = Pacer::new(Spacing::from_limits(&limits(1, 30, 1)));
        let start = Instant::now();
        for chat in 0..27 {
            pacer.wait_turn(chat, Priority::Interactive).await;
        }
        pacer.wait_overall_turn(Priority::Bulk).await;
        assert_eq!(Instant::now(), start, "it waits for no chat, and takes the last of what bulk may use");
        pacer.wait_overall_turn(Priority::Bulk).await;
        assert_eq!(Instant::now(), start + pacer.spacing().window, "and takes its share of the window");
    }

    #[tokio::test(start_paused = true)]
    async fn a_reply_finds_room_while_bulk_sends_use_the_rest_of_the_budget() {
        let pacer = Arc::new(Pacer::new(Spacing::from_limits(&limits(1, 30, 1))));
        assert_eq!(pacer.spacing().bulk, 28, "two of 30 kept for replies");
        let turns: Turns = Arc::default();
        let senders = spawn_bulk(&pacer, 1..101, 1000, &turns);
        tokio::time::sleep(Duration::from_millis(3500)).await;
        let asked_at = Instant::now();
        pacer.wait_turn(999, Priority::Interactive).await;
        assert_eq!(Instant::now(), asked_at, "the reply went at once");
        tokio::time::sleep(Duration::from_secs(10)).await;
        for sender in &senders {
            sender.abort();
        }
        let turns = turns.lock().unwrap().clone();
        let bulk_rate = turns.len() as f64 / 13.5;
        assert!(bulk_rate >= 0.9 * 30.0, "bulk still gets over 90 % of the limit: {bulk_rate:.2}/s");
    }

    #[tokio::test(start_paused = true)]
    async fn bulk_messages_are_spread_evenly_rather_than_sent_in_bursts() {
        let pacer = Arc::new(Pacer::new(Spacing::from_limits(&limits(1, 30, 1))));
        let turns: Turns = Arc::default();
        let start = Instant::now();
        for sender in spawn_bulk(&pacer, 1..101, 3, &turns) {
            sender.await.unwrap();
        }
        let mut times: Vec<Instant> = turns.lock().unwrap().iter().map(|(_, _, at)| *at).collect();
        times.sort();
        let between = pacer.spacing().window / 28 - BULK_LATENESS_FORGIVEN;
        assert!(times.windows(2).all(|pair| pair[1] - pair[0] >= between), "no two within {between:?}");
        let rate = times.len() as f64 / (Instant::now() - start).as_secs_f64();
        assert!(rate >= 0.9 * 30.0, "at the same average as bursts: {rate:.2}/s");
    }

    #[tokio::test(start_paused = true)]
    async fn replies_waiting_for_room_go_first_come_first_served() {
        let pacer = Arc::new(Pacer::new(Spacing::from_limits(&limits(1, 30, 1))));
        for chat in 0..30 {
            pacer.wait_turn(chat, Priority::Interactive).await;
        }
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut senders = Vec::new();
        for chat in 100..140 {
            let (pacer, order) = (pacer.clone(), order.clone());
            senders.push(tokio::spawn(async move {
                pacer.wait_turn(chat, Priority::Interactive).await;
                order.lock().unwrap().push(chat);
            }));
            tokio::task::yield_now().await;
        }
        for sender in senders {
            sender.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), (100..140).collect::<Vec<_>>(), "in the order they asked");
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_window_lets_the_next_message_go_when_the_oldest_leaves_it() {
        let pacer = Pacer::new(Spacing::from_limits(&limits(1, 30, 1)));
        let start = Instant::now();
        for chat in 0..30 {
            pacer.wait_turn(chat, Priority::Interactive).await;
        }
        assert_eq!(Instant::now(), start, "a burst of 30 fits the window");
        pacer.wait_turn(99, Priority::Interactive).await;
        assert_eq!(Instant::now(), start + pacer.spacing().window, "the 31st waits for the first to leave it");
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
        assert!(rate >= 0.9 * 30.0, "40 chats at one a second get over 90 % of 30 a second: {rate:.2}/s");
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
