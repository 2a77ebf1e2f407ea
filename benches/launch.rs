//! A creator's launch: `cargo bench --bench launch`. Bursts of N = 60, 300 and 1,000 redemptions of one
//! creator's codes arrive within one second, and another person sends /help half a second in. The fake Bot
//! API enforces Telegram's limits (1 message a second in a chat, 30 in all, 20 a minute in a group) and the
//! bot runs with its defaults. Prints what people wait for, next to the floor and the goal. SQLite.
#![allow(dead_code, unused_macros)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::Duration;

use support::app::{generated_codes, wait_until};
use support::fake_telegram::{MessageLimits, Recorded};
use support::{Engine, TestApp};
use tokio::time::Instant;

const CREATOR: i64 = 9601;
const BYSTANDER: i64 = 9602;
const FIRST_SUBSCRIBER: i64 = 1_000_000;
const OVERALL: f64 = 30.0;
/// The creator's chat has been quiet this long when the launch starts.
const QUIET: Duration = Duration::from_millis(1100);

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        for burst_size in [60, 300, 1000] {
            burst(burst_size).await;
        }
    });
}

async fn launch_app() -> TestApp {
    let app = TestApp::spawn_with(Engine::Sqlite, |settings| {
        settings.throttle.messages_per_sec_chat = 1;
        settings.throttle.messages_per_min_chat = 60;
        settings.throttle.messages_per_min_group = 20;
        settings.throttle.messages_per_sec_overall = OVERALL as u32;
        settings.worker.lease = Duration::from_secs(30);
        settings.database_max_connections = 10;
    })
    .await;
    app.telegram.enforce_limits(MessageLimits::TELEGRAM);
    // Counted and printed here rather than failing the run.
    app.telegram.expect_over_limit();
    app
}

/// When a message could go out at the earliest, behind `ahead` others, given what went out before `from`:
/// never more than 30 in any one second (widened by the pacer's 2 % margin), first come first served.
fn earliest_turn(mut sent: Vec<Instant>, from: Instant, ahead: usize) -> Instant {
    let window = Duration::from_secs_f64(1.02);
    let mut at = from;
    for _ in 0..=ahead {
        loop {
            let in_window: Vec<Instant> = sent.iter().copied().filter(|s| *s + window > at && *s <= at).collect();
            match in_window.iter().min() {
                Some(oldest) if in_window.len() >= OVERALL as usize => at = *oldest + window,
                _ => break,
            }
        }
        sent.push(at);
    }
    at
}

fn percentile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * q).round() as usize]
}

fn is_acceptance(request: &Recorded) -> bool {
    request.method == "sendMessage" && request.str("text").is_some_and(|t| t.contains("Code accepted"))
}

/// How many redemptions a notice to the creator tells of.
fn told_of(notice: &Recorded) -> usize {
    let text = notice.str("text").unwrap_or_default();
    match text.strip_prefix("🎟 ").and_then(|rest| rest.split_once(" code")) {
        Some((count, _)) if count.chars().all(|c| c.is_ascii_digit()) => count.parse().unwrap_or(0),
        _ => usize::from(text.starts_with("🎟 Code ")),
    }
}

async fn burst(size: usize) {
    let app = launch_app().await;
    app.make_creator(CREATOR, "Ann").await;
    app.send_text(CREATOR, "Ann", "/newplan Launch 30d").await;
    let codes = generated_codes(&app, CREATOR, "Launch", size as i64).await;
    app.wait_for_finished_jobs(1, Duration::from_secs(120)).await;
    tokio::time::sleep(QUIET).await;

    let before = app.telegram.requests().len();
    let started = Instant::now();
    let mut pushed: HashMap<i64, Instant> = HashMap::new();
    let mut bystander_pushed = None;
    let spacing = Duration::from_secs(1) / size as u32;
    for (n, code) in codes.iter().enumerate() {
        let user = FIRST_SUBSCRIBER + n as i64;
        pushed.insert(user, Instant::now());
        app.telegram.push_update(app.message_json(user, "Sub", code));
        if bystander_pushed.is_none() && started.elapsed() >= Duration::from_millis(500) {
            bystander_pushed = Some((Instant::now(), n + 1));
            app.telegram.push_update(app.message_json(BYSTANDER, "Bob", "/help"));
        }
        tokio::time::sleep_until(started + spacing * (n as u32 + 1)).await;
    }
    let (bystander_at, pushed_before_bystander) = bystander_pushed.expect("the burst lasts a second");
    let answered = |requests: &[Recorded]| requests[before..].iter().filter(|r| is_acceptance(r)).count();
    let deadline = Duration::from_secs_f64(size as f64 / OVERALL * 3.0 + 60.0);
    app.telegram
        .wait_for(deadline, |requests| {
            let bystander = requests[before..].iter().any(|r| r.int("chat_id") == Some(BYSTANDER));
            (answered(requests) == size && bystander).then_some(())
        })
        .await;
    wait_until("every notice is sent", async || {
        app.db.notices_of_chat(CREATOR).await.unwrap().iter().all(|notice| notice.sent_at.is_some())
    })
    .await;

    let requests = app.telegram.requests();
    let mut latencies: Vec<Duration> = requests[before..]
        .iter()
        .filter(|r| is_acceptance(r))
        .filter_map(|r| Some(r.at - *pushed.get(&r.int("chat_id")?)?))
        .collect();
    let last_answer = requests[before..].iter().filter(|r| is_acceptance(r)).map(|r| r.at).max().unwrap();
    let bystander = requests[before..].iter().find(|r| r.int("chat_id") == Some(BYSTANDER)).unwrap();
    let answered_before_bystander =
        requests[before..].iter().filter(|r| is_acceptance(r) && r.at <= bystander_at).count();
    let queued_ahead = pushed_before_bystander.saturating_sub(answered_before_bystander);
    let notices: Vec<&Recorded> = requests[before..]
        .iter()
        .filter(|r| r.int("chat_id") == Some(CREATOR) && r.str("text").is_some_and(|t| t.contains("redeemed")))
        .collect();
    let floor = size as f64 / OVERALL;
    let goal = 1.15 * floor + 0.5;
    let last = (last_answer - started).as_secs_f64();
    let bystander_wait = (bystander.at - bystander_at).as_secs_f64();
    let sent_before: Vec<Instant> =
        requests.iter().filter(|r| r.method == "sendMessage" && r.at <= bystander_at).map(|r| r.at).collect();
    let bystander_bound = (earliest_turn(sent_before, bystander_at, queued_ahead) - bystander_at).as_secs_f64();
    println!("burst of {size} redemptions within 1 s:");
    println!(
        "  answers: p50 {:.2?}  p99 {:.2?}  max {:.2?}  (floor for the last: {floor:.2} s)",
        percentile(&mut latencies, 0.5),
        percentile(&mut latencies, 0.99),
        percentile(&mut latencies, 1.0),
    );
    println!(
        "  last answer {last:.2} s after the burst began; goal ≤ {goal:.2} s: {}",
        if last <= goal { "met" } else { "MISSED" }
    );
    println!(
        "  bystander's /help waited {bystander_wait:.2} s behind {queued_ahead} queued answers; the earliest Telegram's 30 a second allows after them: {bystander_bound:.2} s; goal ≤ that + 0.1 s: {}",
        if bystander_wait <= bystander_bound + 0.1 { "met" } else { "MISSED" }
    );
    println!(
        "  creator: {} messages telling of {} redemptions",
        notices.len(),
        notices.iter().map(|n| told_of(n)).sum::<usize>()
    );
    println!("  429s: {} (goal 0)", app.telegram.over_limit().len());
}
