//! Prints how fast redemption and the MCP tools are: `cargo bench --bench redemption`.
//! Runs on SQLite, and on PostgreSQL too when `TEST_DATABASE_URL` is set.
#![allow(dead_code, unused_macros)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use accessbot::domain::clock::now;
use accessbot::domain::generation::GenerationRequest;
use accessbot::domain::redemption::{self, RedeemOutcome, Subscriber};
use serde_json::json;
use support::mcp::{ALL_ABILITIES, call_ok};
use support::{Engine, TestApp};

const CREATOR: i64 = 9101;
const CODES: i64 = 1000;
const SEQUENTIAL: usize = 400;
const CONCURRENT_TASKS: usize = 8;
const CONCURRENT_EACH: usize = 50;
const ROUND_TRIPS: usize = 50;
const MCP_CALLS: usize = 100;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let mut engines = vec![("sqlite", Engine::Sqlite)];
        if let Some(postgres) = Engine::postgres() {
            engines.push(("postgres", postgres));
        }
        for (name, engine) in engines {
            let app = TestApp::spawn_with(engine, |settings| {
                settings.worker.lease = Duration::from_secs(30);
                settings.worker.progress_edit_interval = Duration::from_secs(3);
                settings.http.mcp_calls_per_minute = 100_000;
            })
            .await;
            app.make_creator(CREATOR, "Bench").await;
            app.send_text(CREATOR, "Bench", "/newplan Bench 30d").await;
            let codes = generate(&app).await;
            let (sequential, rest) = codes.split_at(SEQUENTIAL);
            let (concurrent, rest) = rest.split_at(CONCURRENT_TASKS * CONCURRENT_EACH);
            redeem_one_by_one(name, &app, sequential).await;
            redeem_concurrently(name, &app, concurrent).await;
            redeem_through_telegram(name, &app, &rest[..ROUND_TRIPS]).await;
            mcp_calls(name, &app).await;
            webhook_posts(name, engine_again(name)).await;
        }
    });
}

/// A fresh database on the engine named `name`, for a second bot.
fn engine_again(name: &str) -> Engine {
    match name {
        "postgres" => Engine::postgres().expect("PostgreSQL was there a moment ago"),
        _ => Engine::Sqlite,
    }
}

/// Webhook mode: Telegram posts an update; timed until the post is answered 200 (the update stored), and
/// until the bot's answer reaches the fake Bot API.
async fn webhook_posts(engine: &str, fresh: Engine) {
    const SECRET: &str = "bench-webhook-secret";
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/telegram");
    let app = TestApp::spawn_with(fresh, |settings| {
        settings.http.addr = format!("127.0.0.1:{port}");
        settings.telegram_webhook = Some(accessbot::config::TelegramWebhook {
            url: url::Url::parse(&url).unwrap(),
            secret: accessbot::config::Secret::new(SECRET),
        });
    })
    .await;
    app.telegram.wait_for(Duration::from_secs(10), |r| r.iter().find(|r| r.method == "setWebhook").cloned()).await;
    let (mut stored, mut answered) = (Vec::new(), Vec::new());
    for n in 0..ROUND_TRIPS {
        let user = 900_000 + n as i64;
        let mut update = app.message_json(user, "Sub", "/help");
        update["update_id"] = json!(1_000_000 + n);
        let started = Instant::now();
        let status = support::fake_telegram::FakeTelegram::post_update(&url, Some(SECRET), &update).await;
        stored.push(started.elapsed());
        assert_eq!(status, 200);
        app.next_message_to(user, 0).await;
        answered.push(started.elapsed());
    }
    println!("[{engine}] webhook post → answered 200 (stored): {}", summary(&mut stored));
    println!("[{engine}] webhook post → reply sent: {}", summary(&mut answered));
}

fn summary(samples: &mut [Duration]) -> String {
    samples.sort();
    let pick = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    format!("median {:>8.2?}  p95 {:>8.2?}  min {:>8.2?}  (n={})", pick(0.5), pick(0.95), samples[0], samples.len())
}

/// Generates `CODES` codes for the bench plan and returns them as the creator received them.
async fn generate(app: &TestApp) -> Vec<String> {
    let request = GenerationRequest {
        plan_id: "Bench".to_owned(),
        quantity: CODES,
        export_type: "file".to_owned(),
        expiry_preset: "1_month".to_owned(),
        ..Default::default()
    };
    app.queue().enqueue(&app.creator(CREATOR).await, &request, "bench", now()).await.unwrap();
    let document = app
        .telegram
        .wait_for(Duration::from_secs(60), |r| r.iter().find(|r| r.method == "sendDocument").cloned())
        .await;
    let csv = String::from_utf8(document.files[0].2.clone()).unwrap();
    csv.lines().skip(1).map(|line| line.split(',').next().unwrap().to_owned()).collect()
}

fn subscriber(n: usize) -> Subscriber {
    Subscriber {
        telegram_user_id: 700_000 + n as i64,
        display_name: format!("Sub {n}"),
        username: None,
        language_code: None,
    }
}

async fn redeem(app: &TestApp, n: usize, code: &str) {
    let outcome =
        redemption::redeem(&app.db, &app.secret, &Default::default(), &subscriber(n), code, now()).await.unwrap();
    assert!(matches!(outcome, RedeemOutcome::Redeemed(_)), "the bench redeems valid codes only");
}

/// The domain's redemption transaction, one call at a time (past the free allotment, so each also
/// writes a usage record).
async fn redeem_one_by_one(engine: &str, app: &TestApp, codes: &[String]) {
    let mut samples = Vec::new();
    let started = Instant::now();
    for (n, code) in codes.iter().enumerate() {
        let call = Instant::now();
        redeem(app, n, code).await;
        samples.push(call.elapsed());
    }
    let rate = codes.len() as f64 / started.elapsed().as_secs_f64();
    println!("[{engine}] redeem, one at a time: {rate:.0} per second; each {}", summary(&mut samples));
}

/// Redemptions of distinct codes of one team from several tasks at once; they queue on the team's
/// cycle counter row, which is what keeps the allotment exact.
async fn redeem_concurrently(engine: &str, app: &TestApp, codes: &[String]) {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (task, chunk) in codes.chunks(CONCURRENT_EACH).enumerate() {
        let (db, secret, chunk) = (app.db.clone(), app.secret.clone(), chunk.to_vec());
        tasks.spawn(async move {
            for (n, code) in chunk.iter().enumerate() {
                let who = subscriber(10_000 + task * CONCURRENT_EACH + n);
                let outcome = redemption::redeem(&db, &secret, &Default::default(), &who, code, now()).await.unwrap();
                assert!(matches!(outcome, RedeemOutcome::Redeemed(_)));
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let rate = codes.len() as f64 / started.elapsed().as_secs_f64();
    println!("[{engine}] redeem, {CONCURRENT_TASKS} tasks at once, one team: {rate:.0} per second");
}

/// A subscriber sends a code; timed until the bot's confirmation reaches the fake Bot API.
async fn redeem_through_telegram(engine: &str, app: &TestApp, codes: &[String]) {
    let mut samples = Vec::new();
    for (n, code) in codes.iter().enumerate() {
        let started = Instant::now();
        let reply = app.send_text(800_000 + n as i64, "Sub", code).await;
        samples.push(started.elapsed());
        assert!(reply.str("text").unwrap_or_default().contains("Code accepted"));
    }
    println!("[{engine}] code sent in Telegram → confirmation sent: {}", summary(&mut samples));
}

/// Tool calls over streamable HTTP through rmcp's own client, token checked on every call.
async fn mcp_calls(engine: &str, app: &TestApp) {
    let token = app.token(CREATOR, ALL_ABILITIES).await;
    let client = app.mcp(&token).await;
    let job = app.jobs_of(CREATOR).await.remove(0);
    let job_id = accessbot::domain::ids::public_id(accessbot::domain::ids::JOB, job.id);
    let mut status = Vec::new();
    let mut listing = Vec::new();
    for _ in 0..MCP_CALLS {
        let started = Instant::now();
        call_ok(&client, "get_job_status", json!({"job_id": job_id})).await;
        status.push(started.elapsed());
        let started = Instant::now();
        call_ok(&client, "list_access_codes", json!({"plan_id": "Bench", "status": "unredeemed", "limit": 100})).await;
        listing.push(started.elapsed());
    }
    println!("[{engine}] MCP get_job_status: {}", summary(&mut status));
    println!("[{engine}] MCP list_access_codes (100 of a 1000-code plan): {}", summary(&mut listing));
    client.cancel().await.ok();
}
