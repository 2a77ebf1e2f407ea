//! Prints how fast the generation pipeline is: `cargo bench --bench pipeline`.
//! Runs on SQLite, and on PostgreSQL too when `TEST_DATABASE_URL` is set.
#![allow(dead_code, unused_macros)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use accessbot::config::ThrottleSettings;
use accessbot::db::entities::{access_code, access_code_batch};
use accessbot::domain::access_code::AccessCode;
use accessbot::domain::clock::now;
use accessbot::domain::generation::draw_batch;
use accessbot::domain::generation::{GenerationQueue, GenerationRequest};
use accessbot::domain::secret::InstanceSecret;
use sea_orm::{ConnectionTrait, Database, EntityTrait, IntoActiveModel, QueryTrait};
use support::{Engine, TestApp};

const RUNS: usize = 25;
const BATCH: i64 = 1000;
const CREATOR: i64 = 9001;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        codes_per_second();
        let mut engines = vec![("sqlite", Engine::Sqlite)];
        if let Some(postgres) = Engine::postgres() {
            engines.push(("postgres", postgres));
        }
        for (name, engine) in engines {
            batch_insert(name, engine.clone()).await;
            end_to_end(name, engine.clone(), "telegram-default limits", telegram_default_limits()).await;
            end_to_end(name, engine, "raised limits", raised_limits()).await;
        }
    });
}

fn telegram_default_limits() -> ThrottleSettings {
    ThrottleSettings {
        messages_per_sec_chat: 1,
        messages_per_min_chat: 60,
        messages_per_min_group: 20,
        messages_per_sec_overall: 30,
        instances: 1,
    }
}

fn raised_limits() -> ThrottleSettings {
    ThrottleSettings {
        messages_per_sec_chat: 1000,
        messages_per_min_chat: 60_000,
        messages_per_min_group: 60_000,
        messages_per_sec_overall: 1000,
        instances: 1,
    }
}

fn summary(samples: &mut [Duration]) -> String {
    samples.sort();
    let pick = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    format!("median {:>8.2?}  p95 {:>8.2?}  min {:>8.2?}  (n={})", pick(0.5), pick(0.95), samples[0], samples.len())
}

fn codes_per_second() {
    let secret = InstanceSecret::from_value("bench-secret-0123456789abcdef0123456789").unwrap();
    let count = 200_000;
    let started = Instant::now();
    for _ in 0..count {
        let code = AccessCode::generate(None);
        black_box(secret.hash_code(&code.normalised()));
    }
    let elapsed = started.elapsed();
    println!(
        "codes generated and hashed: {:.0} per second ({count} in {elapsed:.2?})",
        count as f64 / elapsed.as_secs_f64()
    );
}

async fn app_with_plan(engine: Engine, throttle: ThrottleSettings) -> TestApp {
    let app = TestApp::spawn_with(engine, |settings| {
        settings.throttle = throttle;
        settings.worker.progress_edit_interval = Duration::from_secs(3);
        settings.worker.lease = Duration::from_secs(30);
    })
    .await;
    app.make_creator(CREATOR, "Bench").await;
    app.send_text(CREATOR, "Bench", "/newplan Bench 30d").await;
    app
}

/// The pipeline's own insert (one transaction: batch, 1000 codes in chunks, event) against the bare floor:
/// the same 1000 rows in one prepared multi-row INSERT.
async fn batch_insert(engine_name: &str, engine: Engine) {
    let mut app = app_with_plan(engine, raised_limits()).await;
    app.stop().await;
    let creator = app.db.find_creator_by_telegram_user(CREATOR).await.unwrap().unwrap();
    let queue = GenerationQueue::new(app.db.clone(), Arc::new(tokio::sync::Notify::new()));
    let request = GenerationRequest {
        plan_id: "Bench".to_owned(),
        quantity: BATCH,
        export_type: "file".to_owned(),
        expiry_preset: "1_month".to_owned(),
        ..Default::default()
    };
    let conn = Database::connect(app.settings.database_url.as_str()).await.unwrap();
    let (mut pipeline, mut floor) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        queue.enqueue(&creator, &request, "bench", now()).await.unwrap();
        let job = app.db.claim_next_job("bench", now(), now() - chrono::Duration::days(1)).await.unwrap().unwrap();
        let (batch, codes, event) = draw_batch(&app.secret, &job, now());
        let started = Instant::now();
        app.db.store_batch("bench", batch, codes, event).await.unwrap();
        pipeline.push(started.elapsed());

        // The floor's rows need a batch of their own (and that batch a job); neither is timed.
        queue.enqueue(&creator, &request, "bench", now()).await.unwrap();
        let floor_job =
            app.db.claim_next_job("bench-floor", now(), now() - chrono::Duration::days(1)).await.unwrap().unwrap();
        let (floor_batch, codes, _) = draw_batch(&app.secret, &floor_job, now());
        access_code_batch::Entity::insert(floor_batch.into_active_model()).exec(&conn).await.unwrap();
        let rows = codes.into_iter().map(IntoActiveModel::into_active_model);
        let statement = access_code::Entity::insert_many(rows).build(conn.get_database_backend());
        let started = Instant::now();
        conn.execute_raw(statement).await.unwrap();
        floor.push(started.elapsed());
    }
    let ratio = median(&pipeline).as_secs_f64() / median(&floor).as_secs_f64();
    println!("[{engine_name}] store a {BATCH}-code batch (pipeline): {}", summary(&mut pipeline));
    println!("[{engine_name}] bare floor, one multi-row INSERT:      {}", summary(&mut floor));
    println!("[{engine_name}] pipeline / floor (medians): {ratio:.2}");
    conn.close().await.ok();
}

fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

/// From the tap on Generate to the CSV document arriving at the fake Bot API.
async fn end_to_end(engine_name: &str, engine: Engine, label: &str, throttle: ThrottleSettings) {
    let app = app_with_plan(engine, throttle).await;
    let mut samples = Vec::new();
    for run in 0..RUNS {
        let card = app.card(CREATOR, &format!("/generate Bench {BATCH} file 1_month")).await;
        // A person taps more than a second after the card, so Telegram's per-chat limit has passed.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let go = TestApp::button(&card, "gen:go:");
        let update = app.callback_json(CREATOR, &card, &go);
        let started = Instant::now();
        app.telegram.push_update(update);
        app.telegram
            .wait_for(Duration::from_secs(60), |requests| {
                (requests.iter().filter(|r| r.method == "sendDocument").count() > run).then_some(())
            })
            .await;
        samples.push(started.elapsed());
        app.finished_job(CREATOR).await;
    }
    println!("[{engine_name}] {BATCH}-code file job, confirm → document ({label}): {}", summary(&mut samples));
}
