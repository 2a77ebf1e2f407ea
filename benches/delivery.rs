//! Prints how fast codes reach Telegram when many creators deliver at once: `cargo bench --bench delivery`.
//! The fake Bot API enforces Telegram's limits (429 above 3 messages a second in one chat or 30 in all),
//! and the bot runs with its default limits (1 a second per chat, 30 a second overall). SQLite.
#![allow(dead_code, unused_macros)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::time::Duration;

use accessbot::domain::clock::now;
use support::app::messages_request;
use support::fake_telegram::{MessageLimits, Recorded};
use support::{Engine, TestApp};
use tokio::time::Instant;

const PER_CHAT: u32 = 1;
const OVERALL: u32 = 30;
const FIRST_CREATOR: i64 = 9500;
const TRIES: usize = 20;
/// A person taps more than a second after the bot's card, so Telegram's per-chat limit has passed.
const THINKING_TIME: Duration = Duration::from_millis(1100);

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        for (creators, each) in [(1, 100), (12, 20), (40, 20)] {
            throughput(creators, each).await;
        }
        file_and_replies_under_load(30).await;
        replies_without_load().await;
    });
}

async fn limited_app() -> TestApp {
    let app = TestApp::spawn_with(Engine::Sqlite, |settings| {
        settings.throttle.messages_per_sec_chat = PER_CHAT;
        settings.throttle.messages_per_min_chat = 60;
        settings.throttle.messages_per_min_group = 20;
        settings.throttle.messages_per_sec_overall = OVERALL;
        settings.worker.lease = Duration::from_secs(30);
        settings.worker.progress_edit_interval = Duration::from_secs(3);
        settings.database_max_connections = 10;
    })
    .await;
    app.telegram.enforce_limits(MessageLimits { per_chat: 3, ..MessageLimits::TELEGRAM });
    app
}

fn is_code_message(request: &Recorded) -> bool {
    request.method == "sendMessage" && request.params.contains_key("entities")
}

fn percentile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * q).round() as usize]
}

fn summary(samples: &mut [Duration]) -> String {
    format!("p50 {:>8.2?}  p99 {:>8.2?}  (n={})", percentile(samples, 0.5), percentile(samples, 0.99), samples.len())
}

/// `creators` message jobs of `each` codes started at once: the sustained rate over the middle 80 % of
/// the messages, against the ceiling min(overall, creators × per chat).
async fn throughput(creators: i64, each: i64) {
    let app = limited_app().await;
    let users = app.make_creators_with_plan(FIRST_CREATOR, creators, "Bench").await;
    tokio::time::sleep(THINKING_TIME).await;
    let queue = app.queue();
    for user_id in &users {
        queue.enqueue(&app.creator(*user_id).await, &messages_request("Bench", each), "bench", now()).await.unwrap();
    }
    app.wait_for_finished_jobs(creators as u64, Duration::from_secs(600)).await;
    let times: Vec<Instant> = app.telegram.requests().iter().filter(|r| is_code_message(r)).map(|r| r.at).collect();
    let (from, to) = (times.len() / 10, times.len() * 9 / 10);
    let rate = (to - from) as f64 / (times[to] - times[from]).as_secs_f64();
    let ceiling = f64::from(OVERALL).min(creators as f64 * f64::from(PER_CHAT));
    println!(
        "{creators:>2} creators × {each} messages: {rate:>6.2} msg/s, ceiling {ceiling:>4.1}, ratio {:.3}; 429s: {}",
        rate / ceiling,
        app.telegram.over_limit().len()
    );
    if creators == 1 {
        let spacing = (times[times.len() - 1] - times[0]).as_secs_f64() / (times.len() - 1) as f64;
        println!(
            "   one chat, {each} messages: {spacing:.3} s apart, pace {:.3} of the per-chat limit",
            1.0 / f64::from(PER_CHAT) / spacing
        );
    }
}

/// Pushes an update and waits for the first message the bot sends into `chat_id` after it.
async fn answer_time(app: &TestApp, chat_id: i64, update: serde_json::Value, method: &str) -> Duration {
    let before = app.telegram.requests().len();
    let pushed = Instant::now();
    app.telegram.push_update(update);
    let answered = app
        .telegram
        .wait_for(Duration::from_secs(60), |requests| {
            requests[before..].iter().find(|r| r.method == method && r.int("chat_id") == Some(chat_id)).map(|r| r.at)
        })
        .await;
    answered - pushed
}

async fn reply_latencies(app: &TestApp, first_user: i64) -> Vec<Duration> {
    let mut samples = Vec::new();
    for n in 0..50 {
        // A different person each time, so no reply waits for the previous one's per-chat turn.
        let user_id = first_user + n;
        samples.push(answer_time(app, user_id, app.message_json(user_id, "Sue", "/help"), "sendMessage").await);
        // People write now and then, not back to back: no reply waits for the previous one's overall turn.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    samples
}

/// While `busy` creators' message jobs saturate the overall budget, another creator's 10-code CSV from the
/// tap on Generate, and replies to other people.
async fn file_and_replies_under_load(busy: i64) {
    let app = limited_app().await;
    let users = app.make_creators_with_plan(FIRST_CREATOR, busy, "Bench").await;
    let waiting = app.make_creators_with_plan(FIRST_CREATOR + 1000, 1, "Own").await[0];
    let queue = app.queue();
    for user_id in &users {
        queue.enqueue(&app.creator(*user_id).await, &messages_request("Bench", 90), "bench", now()).await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut files = Vec::new();
    for _ in 0..TRIES {
        let card = app.card(waiting, "/generate Own 10 file 1_month").await;
        tokio::time::sleep(THINKING_TIME).await;
        let tap = app.callback_json(waiting, &card, &TestApp::button(&card, "gen:go:"));
        files.push(answer_time(&app, waiting, tap, "sendDocument").await);
        app.finished_job(waiting).await;
    }
    let mut replies = reply_latencies(&app, 700_000).await;
    let codes = app.telegram.requests().iter().filter(|r| is_code_message(r)).count();
    println!("10-code CSV while {busy} message jobs run, tap → document: {}", summary(&mut files));
    println!("reply while {busy} message jobs run, update → reply: {}", summary(&mut replies));
    println!("   ({codes} code messages went out meanwhile; 429s: {})", app.telegram.over_limit().len());
}

async fn replies_without_load() {
    let app = limited_app().await;
    let mut replies = reply_latencies(&app, 800_000).await;
    println!("reply without bulk sends, update → reply: {}", summary(&mut replies));
    let user = app.make_creators_with_plan(FIRST_CREATOR, 1, "Bench").await[0];
    let mut files = Vec::new();
    for _ in 0..TRIES {
        let card = app.card(user, "/generate Bench 1000 file 1_month").await;
        tokio::time::sleep(THINKING_TIME).await;
        let tap = app.callback_json(user, &card, &TestApp::button(&card, "gen:go:"));
        files.push(answer_time(&app, user, tap, "sendDocument").await);
        app.finished_job(user).await;
    }
    println!("1000-code CSV without bulk sends, tap → document: {}", summary(&mut files));
}
