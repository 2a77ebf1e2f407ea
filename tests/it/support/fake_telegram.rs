//! A fake Telegram Bot API on 127.0.0.1: records every request, rejects what the spec rejects,
//! hands out updates through `getUpdates`, or once `setWebhook` is called posts them to the webhook as
//! Telegram does (with the secret header, several at a time but one chat's in order, retrying what is not
//! answered 2xx), and can be told to fail or hang.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};
use tokio::sync::Notify;

#[path = "telegram_rules.rs"]
pub mod rules;
#[path = "spec.rs"]
pub mod spec;
use spec::{BotApiSpec, Encoding};

pub const BOT_ID: i64 = 7_000_000_001;
pub const BOT_USERNAME: &str = "accessbot_test_bot";

/// One request the application made.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub params: Map<String, Value>,
    /// Uploaded files: (field name, file name, bytes).
    pub files: Vec<(String, String, Vec<u8>)>,
    /// The id of the message this request created, where it created one.
    pub message_id: i64,
    /// When the fake accepted it.
    pub at: tokio::time::Instant,
}

impl Recorded {
    pub fn str(&self, key: &str) -> Option<&str> {
        self.params.get(key).and_then(Value::as_str)
    }

    pub fn int(&self, key: &str) -> Option<i64> {
        match self.params.get(key)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// A parameter that holds JSON, whether sent as JSON or as multipart text.
    pub fn json(&self, key: &str) -> Option<Value> {
        match self.params.get(key)? {
            Value::String(s) => serde_json::from_str(s).ok(),
            other => Some(other.clone()),
        }
    }
}

/// A scripted answer to the next call of a method.
#[derive(Debug, Clone)]
pub enum Scripted {
    RetryAfter(u32),
    Blocked,
    ChatNotFound,
    /// Never answer, as a server that went away mid-request.
    Hang,
    /// Answer 200 with a body that is not JSON, as a broken proxy would.
    Garbage,
}

#[derive(Default)]
struct Inner {
    requests: Vec<Recorded>,
    violations: Vec<String>,
    updates: Vec<Value>,
    next_update_id: i64,
    next_message_id: i64,
    scripts: HashMap<String, VecDeque<Scripted>>,
    hang_after: HashMap<String, usize>,
    delay: HashMap<String, Duration>,
    /// Delays for calls of a method whose `text` contains a needle: (method, needle, delay).
    delay_matching: Vec<(String, String, Duration)>,
    /// Every call, answered or not: (method, when).
    attempts: Vec<(String, tokio::time::Instant)>,
    /// What `getChatMember` answers, by (chat, user); others are not members.
    members: HashMap<(i64, i64), Value>,
    /// Updates below this id were confirmed by a later `getUpdates` and are never handed out again.
    confirmed_offset: i64,
    /// Join requests not decided yet, by (chat, user).
    pending_joins: std::collections::HashSet<(i64, i64)>,
    /// Telegram's message limits, enforced on every message.
    limits: MessageLimits,
    /// Whether going over the limits is what the test is about, rather than a violation.
    over_limit_expected: bool,
    /// Messages accepted within the last minute: (chat, when).
    recent_messages: VecDeque<(i64, tokio::time::Instant)>,
    /// Messages refused with 429 for going over the limits.
    over_limit: Vec<(i64, tokio::time::Instant)>,
    /// What each message the bot sent shows now, by (chat, message id), so edits are checked as Telegram does.
    shown: HashMap<(i64, i64), Shown>,
    /// Callback queries pushed and not answered yet.
    unanswered_queries: std::collections::HashSet<String>,
    /// Until when each method answers as a Telegram that is not there.
    outages: HashMap<String, tokio::time::Instant>,
    /// Where updates are posted instead of handed out, once `setWebhook` set it.
    webhook: Option<WebhookTarget>,
    /// Updates the webhook answered 2xx, which are never posted again.
    acknowledged: std::collections::HashSet<i64>,
    /// Updates being posted right now.
    posting: std::collections::HashSet<i64>,
    /// Every post to the webhook: (update id, HTTP status or 0 for no answer, when it was answered).
    posts: Vec<WebhookPost>,
    /// Whether the task that posts to the webhook is running.
    poster_running: bool,
}

#[derive(Debug, Clone)]
struct WebhookTarget {
    url: String,
    secret_token: Option<String>,
}

/// One post of an update to the webhook and how it was answered.
#[derive(Debug, Clone)]
pub struct WebhookPost {
    pub update_id: i64,
    /// The HTTP status, or 0 when no answer came.
    pub status: u16,
    pub answered_at: tokio::time::Instant,
}

/// How many updates Telegram posts at once (its `max_connections`, smaller here).
const WEBHOOK_CONNECTIONS: usize = 4;
/// Telegram gives up on a webhook answer after a while and tries again later.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// Messages allowed into one chat and across all chats within any one second, and into one group or
/// channel within any one minute, as Telegram enforces them.
#[derive(Debug, Clone, Copy)]
pub struct MessageLimits {
    pub per_chat: usize,
    pub overall: usize,
    pub per_group_per_minute: usize,
}

impl MessageLimits {
    /// Telegram's own: a message a second in a chat, 30 a second in all, 20 a minute in a group.
    pub const TELEGRAM: Self = Self { per_chat: 1, overall: 30, per_group_per_minute: 20 };
    /// What the fake enforces unless a test says otherwise: Telegram's overall and group limits, and a chat
    /// limit raised to 20 a second so that a conversation in a test need not wait a second per reply (the
    /// pacing tests hold the bot to Telegram's own). `test_settings` paces the bot below these.
    pub const TESTS: Self = Self { per_chat: 20, overall: 30, per_group_per_minute: 20 };
}

impl Default for MessageLimits {
    fn default() -> Self {
        Self::TESTS
    }
}

/// What a sent message shows: what an edit must change.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    /// None for a document, which has no text to edit.
    text: Option<String>,
    entities: Value,
    markup: Value,
}

impl Shown {
    /// Telegram keeps a message's text trimmed.
    fn of(params: &Map<String, Value>, text: Option<String>) -> Self {
        Self { text: text.map(|t| t.trim().to_owned()), entities: entities_of(params), markup: markup_of(params) }
    }
}

/// Entities as Telegram keeps them: none and an empty list are the same.
fn entities_of(params: &Map<String, Value>) -> Value {
    rules::json_param(params, "entities").filter(|e| e.as_array().is_some_and(|a| !a.is_empty())).unwrap_or(Value::Null)
}

/// An inline keyboard as Telegram keeps it: none and one without buttons are the same.
fn markup_of(params: &Map<String, Value>) -> Value {
    rules::json_param(params, "reply_markup")
        .filter(|m| {
            m["inline_keyboard"]
                .as_array()
                .is_some_and(|rows| rows.iter().any(|r| r.as_array().is_some_and(|r| !r.is_empty())))
        })
        .unwrap_or(Value::Null)
}

/// Methods that post a message into a chat, which Telegram's limits count.
const MESSAGE_METHODS: [&str; 6] =
    ["sendmessage", "senddocument", "sendphoto", "copymessage", "forwardmessage", "sendmediagroup"];

#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Mutex<Inner>>,
    changed: Arc<Notify>,
    /// Requests being answered right now, `getUpdates` aside.
    in_flight: Arc<std::sync::atomic::AtomicUsize>,
    spec: Arc<BotApiSpec>,
    pub url: String,
}

/// The Bot API spec, read once for the whole run; without it no request could be checked, so it is required.
pub fn bot_api_spec() -> Arc<BotApiSpec> {
    static SPEC: std::sync::OnceLock<Arc<BotApiSpec>> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| match BotApiSpec::load() {
        Ok(spec) => Arc::new(spec),
        Err(why) => panic!("the fake Bot API needs the Bot API spec: {why}"),
    })
    .clone()
}

impl FakeTelegram {
    pub async fn start() -> Self {
        let spec = bot_api_spec();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the fake Bot API");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let fake = Self {
            inner: Arc::new(Mutex::new(Inner {
                // Telegram starts update ids anywhere (anew after a quiet week): a restored bot meets ids it never saw.
                next_update_id: i64::from(
                    u32::from_le_bytes(ulid::Ulid::generate().to_bytes()[12..].try_into().unwrap()) >> 2,
                ) + 1,
                next_message_id: 1000,
                ..Default::default()
            })),
            changed: Arc::new(Notify::new()),
            in_flight: Arc::default(),
            spec,
            url,
        };
        let app = Router::new().route("/{token}/{method}", post(handle)).with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        fake
    }

    /// From now on, messages beyond `limits` are refused with 429, as Telegram does.
    pub fn enforce_limits(&self, limits: MessageLimits) {
        self.inner.lock().unwrap().limits = limits;
    }

    /// Going over the limits is what this test provokes: a 429 for it is not a violation.
    pub fn expect_over_limit(&self) {
        self.inner.lock().unwrap().over_limit_expected = true;
    }

    /// The messages refused with 429 for going over the enforced limits: (chat, when).
    pub fn over_limit(&self) -> Vec<(i64, tokio::time::Instant)> {
        self.inner.lock().unwrap().over_limit.clone()
    }

    /// `method` answers as an unreachable Telegram (a broken gateway's page) for `duration`.
    pub fn outage(&self, method: &str, duration: Duration) {
        let until = tokio::time::Instant::now() + duration;
        self.inner.lock().unwrap().outages.insert(method.to_lowercase(), until);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.lock().unwrap().requests.clone()
    }

    /// How many recorded requests `matches`, counted in place: for benches whose logs grow to tens of
    /// thousands, where copying the log on every request would slow the fake down.
    pub fn count_matching(&self, matches: impl Fn(&Recorded) -> bool) -> usize {
        self.inner.lock().unwrap().requests.iter().filter(|r| matches(r)).count()
    }

    pub fn calls(&self, method: &str) -> Vec<Recorded> {
        self.requests().into_iter().filter(|r| r.method.eq_ignore_ascii_case(method)).collect()
    }

    pub fn violations(&self) -> Vec<String> {
        self.inner.lock().unwrap().violations.clone()
    }

    /// The fields of a message as Telegram puts it into a callback query: what it shows now.
    pub fn message_as_shown(&self, chat_id: i64, message_id: i64) -> Map<String, Value> {
        let inner = self.inner.lock().unwrap();
        let mut fields = Map::new();
        if let Some(shown) = inner.shown.get(&(chat_id, message_id)) {
            if let Some(text) = &shown.text {
                fields.insert("text".to_owned(), json!(text));
            }
            if !shown.entities.is_null() {
                fields.insert("entities".to_owned(), shown.entities.clone());
            }
            if !shown.markup.is_null() {
                fields.insert("reply_markup".to_owned(), shown.markup.clone());
            }
        }
        fields
    }

    /// Makes `user_id` a member of `chat_id` with `status`; an administrator may invite users when `can_invite`.
    pub fn set_member(&self, chat_id: i64, user_id: i64, status: &str, can_invite: bool) {
        let member = member_json(user_id, status, can_invite, false);
        self.inner.lock().unwrap().members.insert((chat_id, user_id), member);
    }

    /// Makes `user_id` an administrator of `chat_id` with the two rights access enforcement needs, or not.
    pub fn set_admin(&self, chat_id: i64, user_id: i64, can_invite: bool, can_restrict: bool) {
        let member = member_json(user_id, "administrator", can_invite, can_restrict);
        self.inner.lock().unwrap().members.insert((chat_id, user_id), member);
    }

    /// What `user_id` is in `chat_id` now: `member`, `left`, `kicked`, `administrator`…
    pub fn member_status(&self, chat_id: i64, user_id: i64) -> String {
        let inner = self.inner.lock().unwrap();
        inner.members.get(&(chat_id, user_id)).and_then(|m| m["status"].as_str()).unwrap_or("left").to_owned()
    }

    /// `user_id` asks to join `chat_id` through `invite_link`, as Telegram tells the bot.
    pub fn push_join_request(&self, chat_id: i64, user_id: i64, name: &str, invite_link: &str) -> i64 {
        self.inner.lock().unwrap().pending_joins.insert((chat_id, user_id));
        self.push_update(json!({"chat_join_request": {
            "chat": {"id": chat_id, "type": "channel", "title": format!("Chat {chat_id}")},
            "from": user_json(user_id, name, "en"), "user_chat_id": user_id, "date": now_unix(),
            "invite_link": {"invite_link": invite_link, "creator": bot_user(), "creates_join_request": true,
                            "is_primary": false, "is_revoked": false},
        }}))
    }

    /// The bot's own rights in `chat_id` change, as Telegram tells it with `my_chat_member`.
    pub fn push_bot_rights(&self, chat_id: i64, can_invite: bool, can_restrict: bool) -> i64 {
        let old = self.inner.lock().unwrap().members.get(&(chat_id, BOT_ID)).cloned();
        self.set_admin(chat_id, BOT_ID, can_invite, can_restrict);
        let new = member_json(BOT_ID, "administrator", can_invite, can_restrict);
        self.push_update(json!({"my_chat_member": {
            "chat": {"id": chat_id, "type": "channel", "title": format!("Chat {chat_id}")},
            "from": user_json(1, "Owner", "en"), "date": now_unix(),
            "old_chat_member": old.unwrap_or_else(|| json!({"status": "left", "user": bot_user()})),
            "new_chat_member": new,
        }}))
    }

    pub fn script(&self, method: &str, answer: Scripted) {
        self.inner.lock().unwrap().scripts.entry(method.to_lowercase()).or_default().push_back(answer);
    }

    /// Lets `calls` more calls of `method` through, then makes the rest hang.
    pub fn hang_after(&self, method: &str, calls: usize) {
        self.inner.lock().unwrap().hang_after.insert(method.to_lowercase(), calls);
    }

    pub fn clear_hang(&self, method: &str) {
        let mut inner = self.inner.lock().unwrap();
        inner.hang_after.remove(&method.to_lowercase());
    }

    /// Answers every call of `method` only after `delay`.
    pub fn set_delay(&self, method: &str, delay: Duration) {
        self.inner.lock().unwrap().delay.insert(method.to_lowercase(), delay);
    }

    /// Answers calls of `method` whose `text` contains `needle` only after `delay`, as a slow answer.
    pub fn set_delay_matching(&self, method: &str, needle: &str, delay: Duration) {
        self.inner.lock().unwrap().delay_matching.push((method.to_lowercase(), needle.to_owned(), delay));
    }

    /// Answers calls as quickly as before any `set_delay_matching`.
    pub fn clear_delays_matching(&self) {
        self.inner.lock().unwrap().delay_matching.clear();
    }

    /// When each call of `method` arrived, answered or not.
    pub fn attempts(&self, method: &str) -> Vec<tokio::time::Instant> {
        let inner = self.inner.lock().unwrap();
        inner.attempts.iter().filter(|(m, _)| m.eq_ignore_ascii_case(method)).map(|(_, at)| *at).collect()
    }

    /// Queues an update (without `update_id`, which is assigned here) for `getUpdates`.
    pub fn push_update(&self, mut update: Value) -> i64 {
        let id = {
            let mut inner = self.inner.lock().unwrap();
            let id = inner.next_update_id;
            inner.next_update_id += 1;
            update["update_id"] = json!(id);
            if let Some(query) = update["callback_query"]["id"].as_str() {
                inner.unanswered_queries.insert(query.to_owned());
            }
            inner.updates.push(update);
            id
        };
        self.changed.notify_waiters();
        id
    }

    /// The posts to the webhook so far.
    pub fn webhook_posts(&self) -> Vec<WebhookPost> {
        self.inner.lock().unwrap().posts.clone()
    }

    /// The URL `setWebhook` registered, if one is set.
    pub fn webhook_url(&self) -> Option<String> {
        self.inner.lock().unwrap().webhook.as_ref().map(|w| w.url.clone())
    }

    /// Posts `update` to `url` as Telegram would, with `secret` in its header (or none): the HTTP status.
    pub async fn post_update(url: &str, secret: Option<&str>, update: &Value) -> u16 {
        let mut request = reqwest::Client::new().post(url).timeout(WEBHOOK_TIMEOUT).json(update);
        if let Some(secret) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        match request.send().await {
            Ok(answer) => answer.status().as_u16(),
            Err(_) => 0,
        }
    }

    /// Starts posting pending updates to the webhook, unless that already runs.
    fn start_posting(&self) {
        {
            let mut inner = self.inner.lock().unwrap();
            if inner.poster_running {
                return;
            }
            inner.poster_running = true;
        }
        let fake = self.clone();
        tokio::spawn(async move { fake.post_to_webhook().await });
    }

    /// Posts each update until the webhook answers 2xx, a few at a time, one chat's one after the other.
    async fn post_to_webhook(self) {
        let mut backoff: HashMap<i64, (u32, tokio::time::Instant)> = HashMap::new();
        loop {
            let notified = self.changed.notified();
            let (target, due) = {
                let mut inner = self.inner.lock().unwrap();
                let Some(target) = inner.webhook.clone() else {
                    inner.poster_running = false;
                    return;
                };
                let now = tokio::time::Instant::now();
                let mut busy_chats = std::collections::HashSet::new();
                let mut due = Vec::new();
                let mut in_flight = inner.posting.len();
                for update in &inner.updates {
                    let id = update["update_id"].as_i64().unwrap_or(0);
                    if inner.acknowledged.contains(&id) {
                        continue;
                    }
                    let chat = update_chat(update);
                    // A chat's next update waits for its earlier one.
                    if !busy_chats.insert(chat) || inner.posting.contains(&id) {
                        continue;
                    }
                    let waiting = backoff.get(&id).is_some_and(|(_, until)| *until > now);
                    if !waiting && in_flight < WEBHOOK_CONNECTIONS {
                        in_flight += 1;
                        due.push((id, update.clone()));
                    }
                }
                for (id, _) in &due {
                    inner.posting.insert(*id);
                }
                (target, due)
            };
            for (id, update) in due {
                let fake = self.clone();
                let target = target.clone();
                let tries = backoff.get(&id).map_or(0, |(tries, _)| *tries);
                backoff.insert(id, (tries + 1, tokio::time::Instant::now() + retry_delay(tries)));
                tokio::spawn(async move {
                    let status = Self::post_update(&target.url, target.secret_token.as_deref(), &update).await;
                    {
                        let mut inner = fake.inner.lock().unwrap();
                        inner.posting.remove(&id);
                        if (200..300).contains(&status) {
                            inner.acknowledged.insert(id);
                        }
                        inner.posts.push(WebhookPost {
                            update_id: id,
                            status,
                            answered_at: tokio::time::Instant::now(),
                        });
                    }
                    fake.changed.notify_waiters();
                });
            }
            // Wakes for a new update, a finished post, or a retry coming due.
            let _ = tokio::time::timeout(Duration::from_millis(50), notified).await;
        }
    }

    /// Waits until no request is being answered (`getUpdates` aside): one whose sender died is dropped with
    /// its connection, one that got through is recorded.
    pub async fn wait_until_nothing_in_flight(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while self.in_flight.load(std::sync::atomic::Ordering::SeqCst) > 0 {
            assert!(tokio::time::Instant::now() < deadline, "requests stayed in flight");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits until `done` holds for the recorded requests; panics with what was recorded after `timeout`.
    pub async fn wait_for<T>(&self, timeout: Duration, mut done: impl FnMut(&[Recorded]) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.changed.notified();
            if let Some(found) = done(&self.requests()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let seen: Vec<String> =
                    self.requests().iter().map(|r| format!("{} {:?}", r.method, r.params)).collect();
                panic!("timed out waiting; requests so far:\n{}", seen.join("\n"));
            }
        }
    }

    /// Counts a message into `chat_id` against the enforced limits; false when it goes over them.
    fn within_limits(&self, chat_id: i64) -> bool {
        let mut inner = self.inner.lock().unwrap();
        let limits = inner.limits;
        let now = tokio::time::Instant::now();
        while inner.recent_messages.front().is_some_and(|(_, at)| now.duration_since(*at) >= Duration::from_secs(60)) {
            inner.recent_messages.pop_front();
        }
        let within_second = |at: &tokio::time::Instant| now.duration_since(*at) < Duration::from_secs(1);
        let overall = inner.recent_messages.iter().filter(|(_, at)| within_second(at)).count();
        let in_chat = inner.recent_messages.iter().filter(|(chat, at)| *chat == chat_id && within_second(at)).count();
        let in_group_this_minute = inner.recent_messages.iter().filter(|(chat, _)| *chat == chat_id).count();
        let is_group = chat_id < 0;
        if overall >= limits.overall
            || in_chat >= limits.per_chat
            || (is_group && in_group_this_minute >= limits.per_group_per_minute)
        {
            inner.over_limit.push((chat_id, now));
            if !inner.over_limit_expected {
                let what = format!("Too Many Requests: a message into chat {chat_id} went over {limits:?}");
                drop(inner);
                self.violation(what);
            }
            return false;
        }
        inner.recent_messages.push_back((chat_id, now));
        true
    }

    /// Refuses what Telegram would refuse because of what the message shows now: edits of a message that does
    /// not exist, of a document's text, or that change nothing; and callback queries answered twice.
    fn check_against_shown(&self, method: &str, chat_id: i64, params: &Map<String, Value>) -> Result<(), String> {
        let mut inner = self.inner.lock().unwrap();
        if method == "answercallbackquery" {
            let id = params.get("callback_query_id").and_then(Value::as_str).unwrap_or_default();
            if !inner.unanswered_queries.remove(id) {
                return Err("query is too old and response timeout expired or query ID is invalid".to_owned());
            }
            return Ok(());
        }
        if !matches!(method, "editmessagetext" | "editmessagereplymarkup") {
            return Ok(());
        }
        let message_id = int_param(params, "message_id");
        let Some(shown) = inner.shown.get(&(chat_id, message_id)) else {
            return Err("message to edit not found".to_owned());
        };
        let edited = if method == "editmessagetext" {
            if shown.text.is_none() {
                return Err("there is no text in the message to edit".to_owned());
            }
            Shown::of(params, params.get("text").and_then(Value::as_str).map(str::to_owned))
        } else {
            Shown { markup: markup_of(params), ..shown.clone() }
        };
        if edited == *shown {
            return Err("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message".to_owned());
        }
        inner.shown.insert((chat_id, message_id), edited);
        Ok(())
    }

    /// Keeps what a new message shows, for the edits that follow.
    fn remember_shown(&self, method: &str, chat_id: i64, message_id: i64, params: &Map<String, Value>) {
        let text = match method {
            "sendmessage" => params.get("text").and_then(Value::as_str).map(str::to_owned),
            "senddocument" | "sendphoto" | "copymessage" => None,
            _ => return,
        };
        self.inner.lock().unwrap().shown.insert((chat_id, message_id), Shown::of(params, text));
    }

    /// Records that Telegram refuses the request, and answers as Telegram does.
    fn refuse(&self, reason: &str) -> Response {
        self.violation(reason.to_owned());
        let description = reason.split_once(": ").map_or(reason, |(_, description)| description);
        api_error(StatusCode::BAD_REQUEST, &format!("Bad Request: {description}"), None)
    }

    fn record(&self, mut recorded: Recorded) -> i64 {
        let mut inner = self.inner.lock().unwrap();
        inner.next_message_id += 1;
        recorded.message_id = inner.next_message_id;
        inner.requests.push(recorded);
        inner.next_message_id
    }

    fn violation(&self, text: String) {
        eprintln!("fake Bot API rejected a request: {text}");
        self.inner.lock().unwrap().violations.push(text);
        self.changed.notify_waiters();
    }
}

pub fn user_json(user_id: i64, first_name: &str, language_code: &str) -> Value {
    json!({"id": user_id, "is_bot": false, "first_name": first_name, "language_code": language_code})
}

fn member_json(user_id: i64, status: &str, can_invite: bool, can_restrict: bool) -> Value {
    let user = if user_id == BOT_ID { bot_user() } else { user_json(user_id, "Someone", "en") };
    let mut member = json!({"status": status, "user": user});
    if status == "administrator" {
        for right in [
            "can_be_edited",
            "is_anonymous",
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_promote_members",
            "can_change_info",
        ] {
            member[right] = json!(false);
        }
        member["can_invite_users"] = json!(can_invite);
        member["can_restrict_members"] = json!(can_restrict);
    }
    if status == "kicked" {
        member["until_date"] = json!(0);
    }
    member
}

fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "Access Bot", "username": BOT_USERNAME})
}

fn me() -> Value {
    json!({
        "id": BOT_ID, "is_bot": true, "first_name": "Access Bot", "username": BOT_USERNAME,
        "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
        "can_connect_to_business": false, "has_main_web_app": false
    })
}

fn chat_json(chat_id: i64) -> Value {
    if chat_id < 0 {
        json!({"id": chat_id, "type": "supergroup", "title": "A group"})
    } else {
        json!({"id": chat_id, "type": "private", "first_name": "Someone"})
    }
}

fn now_unix() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn ok(result: Value) -> Response {
    axum::Json(json!({"ok": true, "result": result})).into_response()
}

fn api_error(status: StatusCode, description: &str, retry_after: Option<u32>) -> Response {
    let mut body = json!({"ok": false, "error_code": status.as_u16(), "description": description});
    if let Some(seconds) = retry_after {
        body["parameters"] = json!({"retry_after": seconds});
    }
    (status, axum::Json(body)).into_response()
}

async fn read_params(
    request: Request,
    fake: &FakeTelegram,
) -> (Map<String, Value>, Vec<(String, String, Vec<u8>)>, Encoding) {
    let is_multipart = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if is_multipart {
        let mut multipart = Multipart::from_request(request, fake).await.expect("a multipart body");
        let (mut params, mut files) = (Map::new(), Vec::new());
        while let Some(field) = multipart.next_field().await.expect("a multipart field") {
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) => files.push((name, file_name, field.bytes().await.unwrap().to_vec())),
                None => {
                    params.insert(name, Value::String(field.text().await.unwrap()));
                }
            }
        }
        return (params, files, Encoding::Multipart);
    }
    let body: Bytes = axum::body::to_bytes(request.into_body(), usize::MAX).await.unwrap_or_default();
    let params = serde_json::from_slice::<Value>(&body).ok().and_then(|v| v.as_object().cloned()).unwrap_or_default();
    (params, Vec::new(), Encoding::Json)
}

async fn handle(
    State(fake): State<FakeTelegram>,
    Path((_token, method)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (params, files, encoding) = read_params(request, &fake).await;
    let file_fields: Vec<String> = files.iter().map(|(name, _, _)| name.clone()).collect();
    let method = match fake.spec.check(&method, &params, &file_fields, encoding) {
        Ok(name) => name,
        Err(reason) => return fake.refuse(&reason),
    };
    let key = method.to_lowercase();
    let _in_flight = (key != "getupdates").then(|| InFlight::new(&fake.in_flight));
    if let Some(reason) = rules::refusal(&key, &params) {
        return fake.refuse(&format!("{method}: {reason}"));
    }
    if key == "getupdates" {
        if fake.inner.lock().unwrap().webhook.is_some() {
            return api_error(
                StatusCode::CONFLICT,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                None,
            );
        }
        return get_updates(&fake, &params).await;
    }
    let (scripted, delay) = {
        let mut inner = fake.inner.lock().unwrap();
        inner.attempts.push((key.clone(), tokio::time::Instant::now()));
        let hang_now = match inner.hang_after.get_mut(&key) {
            Some(0) => true,
            Some(left) => {
                *left -= 1;
                false
            }
            None => false,
        };
        let in_outage = inner.outages.get(&key).is_some_and(|until| *until > tokio::time::Instant::now());
        let scripted = if hang_now {
            Some(Scripted::Hang)
        } else if in_outage {
            Some(Scripted::Garbage)
        } else {
            inner.scripts.get_mut(&key).and_then(VecDeque::pop_front)
        };
        let text = params.get("text").and_then(Value::as_str).unwrap_or_default();
        let matching = inner
            .delay_matching
            .iter()
            .find(|(method, needle, _)| *method == key && text.contains(needle.as_str()))
            .map(|(_, _, delay)| *delay);
        (scripted, matching.or_else(|| inner.delay.get(&key).copied()))
    };
    fake.changed.notify_waiters();
    let chat_id = match params.get("chat_id") {
        Some(Value::Number(n)) => n.as_i64().unwrap_or_default(),
        Some(Value::String(s)) => s.parse().unwrap_or_default(),
        _ => 0,
    };
    // Telegram counts a message against its limits when it arrives, however long the answer then takes.
    if scripted.is_none() && MESSAGE_METHODS.contains(&key.as_str()) && !fake.within_limits(chat_id) {
        return api_error(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests: retry after 1", Some(1));
    }
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    match scripted {
        Some(Scripted::Hang) => return std::future::pending::<Response>().await,
        Some(Scripted::RetryAfter(seconds)) => {
            return api_error(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("Too Many Requests: retry after {seconds}"),
                Some(seconds),
            );
        }
        Some(Scripted::Blocked) => {
            return api_error(StatusCode::FORBIDDEN, "Forbidden: bot was blocked by the user", None);
        }
        Some(Scripted::Garbage) => return (StatusCode::OK, "<html>upstream hiccup</html>").into_response(),
        Some(Scripted::ChatNotFound) => return api_error(StatusCode::BAD_REQUEST, "Bad Request: chat not found", None),
        None => {}
    }
    if let Err(reason) = fake.check_against_shown(&key, chat_id, &params) {
        return fake.refuse(&format!("{method}: {reason}"));
    }
    let recorded = Recorded {
        method: method.clone(),
        params: params.clone(),
        files: files.clone(),
        message_id: 0,
        at: tokio::time::Instant::now(),
    };
    let message_id = fake.record(recorded);
    fake.remember_shown(&key, chat_id, message_id, &params);
    fake.changed.notify_waiters();
    match key.as_str() {
        "getme" => ok(me()),
        "getwebhookinfo" => {
            let inner = fake.inner.lock().unwrap();
            let url = inner.webhook.as_ref().map(|w| w.url.clone()).unwrap_or_default();
            let pending = inner
                .updates
                .iter()
                .filter(|u| !inner.acknowledged.contains(&u["update_id"].as_i64().unwrap_or(0)))
                .count();
            ok(json!({"url": url, "has_custom_certificate": false, "pending_update_count": pending}))
        }
        "setwebhook" => {
            let url = params.get("url").and_then(Value::as_str).unwrap_or_default().to_owned();
            // Telegram posts only to HTTPS on its ports; a local Bot API server, as this fake, takes http too.
            if !(url.starts_with("https://") || url.starts_with("http://127.0.0.1")) {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: bad webhook: HTTPS url must be provided for webhook",
                    None,
                );
            }
            let secret_token = params.get("secret_token").and_then(Value::as_str).map(str::to_owned);
            let well_formed = secret_token.as_deref().is_none_or(|t| {
                (1..=256).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
            if !well_formed {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: secret token contains unallowed characters",
                    None,
                );
            }
            {
                let mut inner = fake.inner.lock().unwrap();
                // Updates confirmed by getUpdates are gone for the webhook too.
                let confirmed: Vec<i64> = inner
                    .updates
                    .iter()
                    .filter_map(|u| u["update_id"].as_i64())
                    .filter(|id| *id < inner.confirmed_offset)
                    .collect();
                inner.acknowledged.extend(confirmed);
                inner.webhook = Some(WebhookTarget { url, secret_token });
            }
            fake.start_posting();
            ok(json!(true))
        }
        "deletewebhook" => {
            let mut inner = fake.inner.lock().unwrap();
            inner.webhook = None;
            ok(json!(true))
        }
        "getchatmember" => {
            let user_id = match params.get("user_id") {
                Some(Value::Number(n)) => n.as_i64().unwrap_or_default(),
                Some(Value::String(s)) => s.parse().unwrap_or_default(),
                _ => 0,
            };
            let member = fake.inner.lock().unwrap().members.get(&(chat_id, user_id)).cloned();
            let user = if user_id == BOT_ID { bot_user() } else { user_json(user_id, "Someone", "en") };
            ok(member.unwrap_or_else(|| json!({"status": "left", "user": user})))
        }
        "sendmessage" => ok(json!({
            "message_id": message_id, "date": now_unix(), "chat": chat_json(chat_id), "from": bot_user(),
            "text": params.get("text").cloned().unwrap_or(json!(""))
        })),
        "editmessagetext" => ok(json!({
            "message_id": params.get("message_id").cloned().unwrap_or(json!(message_id)), "date": now_unix(),
            "chat": chat_json(chat_id), "from": bot_user(), "text": params.get("text").cloned().unwrap_or(json!("")),
            "edit_date": now_unix()
        })),
        "senddocument" => {
            let (file_name, size) = files.first().map(|(_, n, b)| (n.clone(), b.len())).unwrap_or_default();
            ok(json!({
                "message_id": message_id, "date": now_unix(), "chat": chat_json(chat_id), "from": bot_user(),
                "document": {"file_id": format!("file-{message_id}"), "file_unique_id": format!("u{message_id}"),
                             "file_name": file_name, "file_size": size},
                "caption": params.get("caption").cloned().unwrap_or(json!(""))
            }))
        }
        "approvechatjoinrequest" | "declinechatjoinrequest" => {
            let user_id = user_param(&params);
            let mut inner = fake.inner.lock().unwrap();
            if !bot_may(&inner, chat_id, "can_invite_users") {
                return api_error(StatusCode::BAD_REQUEST, "Bad Request: CHAT_ADMIN_REQUIRED", None);
            }
            if !inner.pending_joins.remove(&(chat_id, user_id)) {
                return api_error(StatusCode::BAD_REQUEST, "Bad Request: HIDE_REQUESTER_MISSING", None);
            }
            if key == "approvechatjoinrequest" {
                inner.members.insert((chat_id, user_id), member_json(user_id, "member", false, false));
            }
            ok(json!(true))
        }
        "banchatmember" | "unbanchatmember" => {
            let user_id = user_param(&params);
            let mut inner = fake.inner.lock().unwrap();
            if !bot_may(&inner, chat_id, "can_restrict_members") {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: not enough rights to restrict/unrestrict chat member",
                    None,
                );
            }
            let status =
                inner.members.get(&(chat_id, user_id)).and_then(|m| m["status"].as_str()).unwrap_or("left").to_owned();
            if matches!(status.as_str(), "administrator" | "creator") {
                return api_error(StatusCode::BAD_REQUEST, "Bad Request: user is an administrator of the chat", None);
            }
            let only_if_banned = params.get("only_if_banned").and_then(Value::as_bool).unwrap_or(false);
            // Telegram: unbanning a current member without `only_if_banned` removes them from the chat.
            let next = match key.as_str() {
                "banchatmember" => "kicked",
                _ if only_if_banned && status != "kicked" => status.as_str(),
                _ => "left",
            };
            inner.members.insert((chat_id, user_id), member_json(user_id, next, false, false));
            ok(json!(true))
        }
        "createchatinvitelink"
            if params.contains_key("member_limit") && params.get("creates_join_request") == Some(&json!(true)) =>
        {
            api_error(
                StatusCode::BAD_REQUEST,
                "Bad Request: member_limit can't be specified for links with join requests",
                None,
            )
        }
        "createchatinvitelink" | "revokechatinvitelink" => {
            let link = match params.get("invite_link").and_then(Value::as_str) {
                Some(link) => link.to_owned(),
                None => format!("https://t.me/+fake{message_id}x{}", ulid::Ulid::generate()),
            };
            let mut invite = json!({
                "invite_link": link, "creator": bot_user(),
                "creates_join_request": params.get("creates_join_request").cloned().unwrap_or(json!(false)),
                "is_primary": false, "is_revoked": key == "revokechatinvitelink"
            });
            for field in ["name", "expire_date", "member_limit"] {
                if let Some(value) = params.get(field) {
                    invite[field] = value.clone();
                }
            }
            ok(invite)
        }
        _ => ok(json!(true)),
    }
}

/// Counts a request as being answered until it is, or until its sender goes away and it is dropped.
struct InFlight(Arc<std::sync::atomic::AtomicUsize>);

impl InFlight {
    fn new(count: &Arc<std::sync::atomic::AtomicUsize>) -> Self {
        count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Self(count.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The chat an update belongs to, whose updates Telegram sends in order.
fn update_chat(update: &Value) -> i64 {
    for kind in ["message", "chat_join_request", "my_chat_member", "chat_member"] {
        if let Some(id) = update[kind]["chat"]["id"].as_i64() {
            return id;
        }
    }
    update["callback_query"]["message"]["chat"]["id"]
        .as_i64()
        .or_else(|| update["callback_query"]["from"]["id"].as_i64())
        .unwrap_or(0)
}

/// Telegram tries a failed post again sooner at first, then less often.
fn retry_delay(tries: u32) -> Duration {
    Duration::from_millis((50u64 << tries.min(4)).min(1000))
}

fn user_param(params: &Map<String, Value>) -> i64 {
    int_param(params, "user_id")
}

fn int_param(params: &Map<String, Value>, key: &str) -> i64 {
    match params.get(key) {
        Some(Value::Number(n)) => n.as_i64().unwrap_or_default(),
        Some(Value::String(s)) => s.parse().unwrap_or_default(),
        _ => 0,
    }
}

/// Whether the bot is an administrator of `chat_id` with `right`.
fn bot_may(inner: &Inner, chat_id: i64, right: &str) -> bool {
    inner.members.get(&(chat_id, BOT_ID)).is_some_and(|m| m["status"] == "administrator" && m[right] == json!(true))
}

async fn get_updates(fake: &FakeTelegram, params: &Map<String, Value>) -> Response {
    let offset = {
        let mut inner = fake.inner.lock().unwrap();
        let asked = params.get("offset").and_then(Value::as_i64).unwrap_or(0);
        inner.confirmed_offset = inner.confirmed_offset.max(asked);
        inner.confirmed_offset
    };
    let timeout = params.get("timeout").and_then(Value::as_u64).unwrap_or(0).min(1);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        let notified = fake.changed.notified();
        let pending: Vec<Value> = {
            let inner = fake.inner.lock().unwrap();
            // What the webhook acknowledged is not handed out by getUpdates again.
            inner
                .updates
                .iter()
                .filter(|u| u["update_id"].as_i64().is_some_and(|id| id >= offset && !inner.acknowledged.contains(&id)))
                .cloned()
                .collect()
        };
        if !pending.is_empty() || tokio::time::timeout_at(deadline, notified).await.is_err() {
            return ok(Value::Array(pending));
        }
    }
}
