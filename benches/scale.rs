//! One instance holding 1,000 creators and a million codes: `cargo bench --bench scale`. Seeds a database
//! with 1,000 creators (a plan and a 1,000-code batch each), 100,000 subscriptions (10,000 of them ending
//! in the same minute) and 1,000,000 events, then prints what a person waits for next to the goal:
//! redemption against the same on an empty database, `/codes`, `/members`, `/status` through Telegram and
//! `list_access_codes` over MCP; then, with Telegram's limits enforced and the bot at its defaults, the
//! 10,000 removals when those subscriptions end (rate against the overall limit, and replies meanwhile),
//! and 1,000 creators' 10-message jobs started at once, with the bot as its own process so that its peak
//! memory is its own. SQLite, and
//! PostgreSQL when `TEST_DATABASE_URL` is set.
#![allow(dead_code, unused_macros)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::time::Duration;

use accessbot::db::entities::redemption as redemption_row;
use accessbot::db::entities::{access_code, access_code_batch, event, generation_job, membership, subscription};
use accessbot::domain::access::MembershipStatus;
use accessbot::domain::access_code::CodeStatus;
use accessbot::domain::clock::now;
use accessbot::domain::creators::{self, Joiner};
use accessbot::domain::generation::ExportType;
use accessbot::domain::jobs::JobStatus;
use accessbot::domain::plans;
use accessbot::domain::redemption::{self, Subscriber};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde_json::json;
use support::app::generated_codes;
use support::fake_telegram::{BOT_ID, MessageLimits, Recorded};
use support::mcp::{ALL_ABILITIES, call_ok};
use support::{Engine, TestApp};
use tokio::time::Instant;
use uuid::Uuid;

const CREATORS: i64 = 1_000;
const CODES_EACH: i64 = 1_000;
const SUBSCRIPTIONS_EACH: i64 = 100;
const ENDING_TOGETHER_EACH: i64 = 10;
const EVENTS_EACH: i64 = 1_000;
const FIRST_CREATOR: i64 = 3_000_000;
/// The creator whose screens are timed: one of the thousand, holding as much as each of them.
const TIMED: i64 = FIRST_CREATOR + 500;
const ROWS_PER_INSERT: usize = 400;
const SAMPLES: usize = 30;
const REDEMPTIONS: i64 = 200;
const GOAL_SCREEN: Duration = Duration::from_millis(50);

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let mut engines = vec![("sqlite", Engine::Sqlite)];
        if let Some(postgres) = Engine::postgres() {
            engines.push(("postgres", postgres));
        }
        // `cargo bench --bench scale -- deliveries` runs only the sections named (after the seed).
        let named: Vec<String> = std::env::args().skip(1).filter(|arg| !arg.starts_with('-')).collect();
        let runs = |section: &str| named.is_empty() || named.iter().any(|name| name == section);
        for (name, engine) in engines {
            let empty = if runs("screens") { Some(spawn(engine.clone()).await) } else { None };
            let mut app = spawn(engine).await;
            let started = Instant::now();
            let ending = seed(&app).await;
            println!("{name}: seeded in {:.1?}", started.elapsed());
            if let Some(empty) = empty {
                let (loaded, empty) = redemption_p50s(&app, &empty).await;
                println!(
                    "{name}: redemption p50 {loaded:.2?} on the full database, {empty:.2?} on an empty one: {:.2}× (goal ≤ 1.5×)",
                    loaded.as_secs_f64() / empty.as_secs_f64()
                );
                for (screen, command) in [("/codes", "/codes Plan 500"), ("/members", "/members"), ("/status", "/status")] {
                    let p50 = screen_p50(&app, command).await;
                    println!("{name}: {screen} p50 {p50:.2?} (goal ≤ {GOAL_SCREEN:?}){}", mark(p50 <= GOAL_SCREEN));
                }
                let p50 = list_access_codes_p50(&app).await;
                println!("{name}: list_access_codes p50 {p50:.2?} (goal ≤ {GOAL_SCREEN:?}){}", mark(p50 <= GOAL_SCREEN));
            }
            app.stop().await;
            let instance = if runs("removals") {
                end_together(&app, ending).await;
                let instance = Instance::start(&app).await;
                removals(name, &app).await;
                instance
            } else {
                Instance::start(&app).await
            };
            if runs("deliveries") {
                deliveries(name, &app, &instance).await;
            }
            let peak = instance.stop();
            println!("{name}: peak memory of the instance (VmHWM of its process) {peak} (goal ≤ 100 MB)");
        }
    });
}

fn mark(met: bool) -> &'static str {
    if met { "" } else { "  MISSED" }
}

async fn spawn(engine: Engine) -> TestApp {
    TestApp::spawn_with(engine, |settings| {
        settings.worker.lease = Duration::from_secs(30);
        settings.http.mcp_calls_per_minute = 100_000;
        settings.database_max_connections = 10;
        // The sweeps would act on the seeded subscriptions meanwhile; this measures the screens.
        settings.access_sweep.interval = Duration::from_secs(3600);
    })
    .await
}

/// Creators through their invites, with a plan each linked to a channel; then their codes, subscriptions,
/// members and events in bulk. Returns when the subscriptions that end together end.
async fn seed(app: &TestApp) -> chrono::DateTime<chrono::Utc> {
    let at = now();
    let mut teams = Vec::new();
    for n in 0..CREATORS {
        let user = FIRST_CREATOR + n;
        let token = creators::create_invite(&app.db, &app.secret, at).await.unwrap();
        let joiner =
            Joiner { telegram_user_id: user, display_name: format!("Creator {n}"), language_code: None, chat_id: user };
        creators::accept_invite(&app.db, &app.secret, &token, joiner, at).await.unwrap();
        let creator = app.creator(user).await;
        let plan = plans::create_plan(&app.db, creator.team_id, &format!("Plan {n}"), "30d", at).await.unwrap();
        let channel = channel_of(n);
        app.telegram.set_admin(channel, BOT_ID, true, true);
        plans::link_chat(&app.db, &plan, channel, &format!("Channel {n}"), None, at).await.unwrap();
        teams.push((creator, plan));
    }
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    let mut codes = Vec::new();
    let mut subscriptions = Vec::new();
    let mut redemptions = Vec::new();
    let mut events = Vec::new();
    let mut members = Vec::new();
    let ending_together = at + chrono::Duration::days(1);
    for (n, (creator, plan)) in teams.iter().enumerate() {
        let job_id = Uuid::now_v7();
        let batch_id = Uuid::now_v7();
        let job = generation_job::Model {
            id: job_id,
            team_id: creator.team_id,
            creator_id: creator.id,
            plan_id: plan.id,
            draft_id: None,
            tool_name: "bench".to_owned(),
            quantity: CODES_EACH as i32,
            export_type: ExportType::File,
            expiry_preset: "no_expiry".to_owned(),
            custom_expiry_amount: None,
            custom_expiry_type: None,
            expires_at: None,
            delivery_chat_id: creator.telegram_user_id,
            status: JobStatus::Completed,
            attempts: 1,
            run_at: at,
            locked_by: None,
            locked_at: None,
            heartbeat_at: None,
            batch_id: Some(batch_id),
            delivered_count: CODES_EACH as i32,
            status_message_id: None,
            error_code: None,
            error_message: None,
            enqueued_at: at,
            started_at: Some(at),
            completed_at: Some(at),
            label: None,
            prefix: None,
            eligibility: None,
            max_redemptions: 1,
        };
        generation_job::Entity::insert(job.into_active_model()).exec(&conn).await.unwrap();
        let batch = access_code_batch::Model {
            id: batch_id,
            team_id: creator.team_id,
            plan_id: plan.id,
            job_id,
            count: CODES_EACH as i32,
            expires_at: None,
            created_at: at,
            label: None,
            prefix: None,
            eligibility: None,
            max_redemptions: 1,
        };
        access_code_batch::Entity::insert(batch.into_active_model()).exec(&conn).await.unwrap();
        for position in 0..CODES_EACH {
            let subscriber =
                (position < SUBSCRIPTIONS_EACH).then(|| 50_000_000 + n as i64 * SUBSCRIPTIONS_EACH + position);
            let code_id = Uuid::now_v7();
            codes.push(access_code::Model {
                id: code_id,
                team_id: creator.team_id,
                plan_id: plan.id,
                batch_id,
                position: position as i32,
                code_hash: format!("bench-{n}-{position}-{}", Uuid::now_v7().simple()),
                code_masked: format!("****-****-{:04}", position),
                sealed_code: None,
                status: if subscriber.is_some() { CodeStatus::Redeemed } else { CodeStatus::Unredeemed },
                expires_at: None,
                redeemed_at: subscriber.map(|_| at),
                redeemed_by: subscriber,
                created_at: at,
                revoked_at: None,
                max_redemptions: 1,
                redemption_count: i32::from(subscriber.is_some()),
            });
            if let Some(subscriber_id) = subscriber {
                let ends_at = if position < ENDING_TOGETHER_EACH {
                    ending_together
                } else {
                    at + chrono::Duration::days(2 + position % 28)
                };
                let subscription_id = Uuid::now_v7();
                if position < ENDING_TOGETHER_EACH {
                    app.telegram.set_member(channel_of(n as i64), subscriber_id, "member", false);
                    members.push(membership::Model {
                        id: Uuid::now_v7(),
                        team_id: creator.team_id,
                        chat_id: channel_of(n as i64),
                        telegram_user_id: subscriber_id,
                        subscription_id,
                        status: MembershipStatus::Member,
                        admitted_at: at,
                        removal_reason: None,
                        next_attempt_at: None,
                        locked_until: None,
                        attempts: 0,
                        last_error: None,
                        ended_at: None,
                    });
                }
                redemptions.push(redemption_row::Model {
                    id: code_id,
                    team_id: creator.team_id,
                    plan_id: plan.id,
                    batch_id,
                    access_code_id: code_id,
                    subscription_id: Some(subscription_id),
                    subscriber_id,
                    redeemed_at: at,
                    change: accessbot::domain::subscriptions::SubscriptionChange::Started,
                    added_seconds: Some((ends_at - at).num_seconds()),
                    usage_record_id: None,
                    rolled_back_at: None,
                    created_at: at,
                });
                subscriptions.push(subscription::Model {
                    id: subscription_id,
                    team_id: creator.team_id,
                    plan_id: plan.id,
                    subscriber_id,
                    subscriber_name: format!("Subscriber {subscriber_id}"),
                    starts_at: at,
                    ends_at: Some(ends_at),
                    created_at: at,
                    updated_at: at,
                    subscriber_username: None,
                    end_handled_at: None,
                    end_told_at: None,
                });
            }
        }
        for k in 0..EVENTS_EACH {
            events.push(event::Model {
                id: Uuid::now_v7(),
                team_id: creator.team_id,
                event_type: if k % 2 == 0 { "access_code.redeemed" } else { "subscription.started" }.to_owned(),
                data: json!({"bench": k}).to_string(),
                created_at: at,
                delivered_at: None,
            });
        }
        if codes.len() >= 50_000 {
            flush(&conn, &mut codes, &mut subscriptions, &mut redemptions, &mut events).await;
        }
    }
    flush(&conn, &mut codes, &mut subscriptions, &mut redemptions, &mut events).await;
    for chunk in members.chunks(ROWS_PER_INSERT) {
        let rows = chunk.iter().cloned().map(IntoActiveModel::into_active_model);
        membership::Entity::insert_many(rows).exec_without_returning(&conn).await.unwrap();
    }
    // PostgreSQL's autovacuum would have vacuumed and analysed tables grown over months; a bulk load is planned
    // blind, and the autovacuum that a million inserts set off would run during the measurements.
    let settle = if app.settings.database_url.starts_with("postgres") { "VACUUM ANALYZE" } else { "ANALYZE" };
    sea_orm::ConnectionTrait::execute_unprepared(&conn, settle).await.unwrap();
    conn.close().await.unwrap();
    ending_together
}

fn channel_of(creator: i64) -> i64 {
    -1_000_000_000_000 - creator
}

/// The bot as its own process, at its defaults, against the fake, which from here on enforces Telegram's
/// limits (a chat may take a short burst, as Telegram allows): so its memory is measured alone.
struct Instance {
    child: std::process::Child,
    dir: std::path::PathBuf,
}

impl Instance {
    async fn start(app: &TestApp) -> Self {
        app.telegram.enforce_limits(MessageLimits { per_chat: 3, ..MessageLimits::TELEGRAM });
        // Counted and printed rather than failing the run.
        app.telegram.expect_over_limit();
        let dir = support::temp_dir();
        let started = app.telegram.calls("setMyCommands").len();
        let child = support::accessbot_command(&dir)
            .env("TELOXIDE_TOKEN", support::app::TEST_TOKEN)
            .env("TELOXIDE_API_URL", &app.telegram.url)
            .env("DATABASE_URL", app.settings.database_url.as_str())
            .env("ACCESSBOT_SECRET", support::app::TEST_SECRET)
            .env("HTTP_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        app.telegram
            .wait_for(Duration::from_secs(60), |requests| {
                (requests.iter().filter(|r| r.method == "setMyCommands").count() > started).then_some(())
            })
            .await;
        Self { child, dir }
    }

    /// Stops the instance as SIGTERM does; its peak memory.
    fn stop(mut self) -> String {
        let peak = peak_memory(self.child.id());
        std::process::Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while self.child.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill().ok();
        self.child.wait().ok();
        std::fs::remove_dir_all(&self.dir).ok();
        peak
    }
}

/// The 10,000 subscriptions that end in the same minute have ended.
async fn end_together(app: &TestApp, ending: chrono::DateTime<chrono::Utc>) {
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    subscription::Entity::update_many()
        .col_expr(subscription::Column::EndsAt, sea_orm::sea_query::Expr::value(now() - chrono::Duration::seconds(1)))
        .filter(subscription::Column::EndsAt.eq(ending))
        .exec(&conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

/// The first and last instant of the middle 80 % of `times`.
fn middle_span(times: &[Instant]) -> (Instant, Instant) {
    let mut sorted = times.to_vec();
    sorted.sort();
    (sorted[sorted.len() / 10], sorted[sorted.len() * 9 / 10])
}

/// Messages or requests a second over the middle 80 % of `times`.
fn middle_rate(mut times: Vec<Instant>) -> f64 {
    times.sort();
    let (from, to) = (times.len() / 10, times.len() * 9 / 10);
    (to - from) as f64 / (times[to] - times[from]).as_secs_f64()
}

/// The members of the subscriptions that ended together are removed, at bulk priority, while other people's
/// replies go first.
async fn removals(name: &str, app: &TestApp) {
    let expected = (CREATORS * ENDING_TOGETHER_EACH) as usize;
    let mut replies = Vec::new();
    let mut asker = 70_000_000;
    while app.telegram.count_matching(|r| r.method == "unbanChatMember") < expected {
        asker += 1;
        let started = Instant::now();
        let answer = app.send_text(asker, "Bystander", "/help").await;
        replies.push(answer.at - started);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let mut times: Vec<Instant> = app.telegram.calls("unbanChatMember").iter().map(|r| r.at).collect();
    times.sort();
    let rate = middle_rate(times.clone());
    // Each removed subscriber is also told their access ended: those messages share the budget.
    let (from, to) = middle_span(&times);
    let shared = app
        .telegram
        .requests()
        .iter()
        .filter(|r| r.at >= from && r.at <= to)
        .filter(|r| {
            r.method == "unbanChatMember"
                || (r.method == "sendMessage" && r.int("chat_id").is_some_and(|c| c >= 50_000_000))
        })
        .count() as f64
        / (to - from).as_secs_f64();
    println!(
        "{name}: {expected} removals at {rate:.1}/s, with the notices that access ended {shared:.1}/s: {:.2} of the overall limit (goal ≥ 0.90){}; replies meanwhile p50 {:.2?}, max {:.2?} ({} asked)",
        shared / 30.0,
        mark(shared >= 27.0),
        median(&mut replies),
        replies.iter().max().unwrap(),
        replies.len()
    );
}

/// Every creator starts a 10-message job at once, as a creator does: `/generate`, then a tap on the card's
/// button that agrees to one message per code. The card becomes the job's status message.
async fn deliveries(name: &str, app: &TestApp, instance: &Instance) {
    let is_card = |r: &Recorded| {
        r.method == "sendMessage" && r.params.get("reply_markup").is_some_and(|m| m.to_string().contains("gen:agree:"))
    };
    // The jobs are measured on their own: reminders and removals due from the seed go out first.
    let quiet_by = Instant::now() + Duration::from_secs(1800);
    loop {
        let sent = app.telegram.count_matching(|r| r.method == "sendMessage" || r.method == "unbanChatMember");
        tokio::time::sleep(Duration::from_secs(3)).await;
        if app.telegram.count_matching(|r| r.method == "sendMessage" || r.method == "unbanChatMember") == sent {
            break;
        }
        assert!(Instant::now() < quiet_by, "the instance never fell quiet");
    }
    let cards_before = app.telegram.count_matching(is_card);
    for n in 0..CREATORS {
        let command = format!("/generate Plan {n} 10 messages 1_month");
        app.telegram.push_update(app.message_json(FIRST_CREATOR + n, "Creator", &command));
    }
    let deadline = Instant::now() + Duration::from_secs(600);
    while app.telegram.count_matching(is_card) < cards_before + CREATORS as usize {
        assert!(Instant::now() < deadline, "the 1,000 cards did not all arrive");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    println!("{name}: 1,000 cards answered; peak memory of the instance so far {}", peak_memory(instance.child.id()));
    let cards: Vec<Recorded> = app.telegram.requests().into_iter().filter(|r| is_card(r)).collect();
    let taps_from = Instant::now();
    for card in &cards[cards_before..] {
        let creator = card.int("chat_id").unwrap();
        app.telegram.push_update(app.callback_json(creator, card, &TestApp::button(card, "gen:agree:")));
    }
    let is_code = |r: &Recorded| r.method == "sendMessage" && r.params.contains_key("entities");
    let expected = (CREATORS * 10) as usize;
    // Counted in place every half second: the fake must not slow down copying its log on every request.
    let deadline = Instant::now() + Duration::from_secs(1800);
    while app.telegram.count_matching(is_code) < expected {
        assert!(Instant::now() < deadline, "the 10,000 code messages did not all arrive");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let requests = app.telegram.requests();
    let times: Vec<Instant> = requests.iter().filter(|r| r.at >= taps_from && is_code(r)).map(|r| r.at).collect();
    let (from, to) = middle_span(&times);
    let rate = middle_rate(times);
    let everything = requests.iter().filter(|r| r.method == "sendMessage" && r.at >= from && r.at <= to).count() as f64
        / (to - from).as_secs_f64();
    println!(
        "{name}: 1,000 creators' 10-message jobs at {rate:.1} code messages/s, {:.2} of 30/s (goal ≥ 0.90){}; all messages meanwhile {everything:.1}/s ({:.2}); 429s so far: {}",
        rate / 30.0,
        mark(rate >= 27.0),
        everything / 30.0,
        app.telegram.over_limit().len()
    );
}

async fn flush(
    conn: &sea_orm::DatabaseConnection,
    codes: &mut Vec<access_code::Model>,
    subscriptions: &mut Vec<subscription::Model>,
    redemptions: &mut Vec<redemption_row::Model>,
    events: &mut Vec<event::Model>,
) {
    for chunk in std::mem::take(codes).chunks(ROWS_PER_INSERT) {
        let rows = chunk.iter().cloned().map(IntoActiveModel::into_active_model);
        access_code::Entity::insert_many(rows).exec_without_returning(conn).await.unwrap();
    }
    for chunk in std::mem::take(subscriptions).chunks(ROWS_PER_INSERT) {
        let rows = chunk.iter().cloned().map(IntoActiveModel::into_active_model);
        subscription::Entity::insert_many(rows).exec_without_returning(conn).await.unwrap();
    }
    for chunk in std::mem::take(redemptions).chunks(ROWS_PER_INSERT) {
        let rows = chunk.iter().cloned().map(IntoActiveModel::into_active_model);
        redemption_row::Entity::insert_many(rows).exec_without_returning(conn).await.unwrap();
    }
    for chunk in std::mem::take(events).chunks(ROWS_PER_INSERT) {
        let rows = chunk.iter().cloned().map(IntoActiveModel::into_active_model);
        event::Entity::insert_many(rows).exec_without_returning(conn).await.unwrap();
    }
}

/// Fresh codes of `creator`'s plan, for timing redemptions.
async fn codes_to_redeem(app: &TestApp, creator: i64) -> Vec<String> {
    if app.db.find_creator_by_telegram_user(creator).await.unwrap().is_none() {
        app.make_creator(creator, "Ann").await;
        app.send_text(creator, "Ann", "/newplan Plan 500 30d").await;
    }
    let plan = app.creator(creator).await;
    let plan_name = plans::list_plans(&app.db, plan.team_id).await.unwrap().remove(0).name;
    generated_codes(app, creator, &plan_name, REDEMPTIONS).await
}

async fn time_redemption(app: &TestApp, code: &str, n: usize) -> Duration {
    let subscriber = Subscriber {
        telegram_user_id: 90_000_000 + n as i64,
        display_name: "Bench".to_owned(),
        username: None,
        language_code: None,
    };
    let started = Instant::now();
    redemption::redeem(&app.db, &app.secret, &Default::default(), &subscriber, code, now()).await.unwrap();
    started.elapsed()
}

/// Redemption medians on the full database and on an empty one, one after the other in turn, so that
/// whatever else the machine does at a moment weighs on both alike.
async fn redemption_p50s(full: &TestApp, empty: &TestApp) -> (Duration, Duration) {
    let (full_codes, empty_codes) = (codes_to_redeem(full, TIMED).await, codes_to_redeem(empty, FIRST_CREATOR).await);
    let (mut on_full, mut on_empty) = (Vec::new(), Vec::new());
    for (n, (full_code, empty_code)) in full_codes.iter().zip(&empty_codes).enumerate() {
        on_full.push(time_redemption(full, full_code, n).await);
        on_empty.push(time_redemption(empty, empty_code, n).await);
    }
    (median(&mut on_full), median(&mut on_empty))
}

/// A creator's command, from the update to the answer reaching the fake Bot API: the median.
async fn screen_p50(app: &TestApp, command: &str) -> Duration {
    let mut samples = Vec::new();
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let answer = app.send_text(TIMED, "Ann", command).await;
        samples.push(answer.at - started);
        // A person reads before the next command; Telegram's pace in their chat is not what this measures.
        tokio::time::sleep(Duration::from_millis(80)).await;
    }
    median(&mut samples)
}

async fn list_access_codes_p50(app: &TestApp) -> Duration {
    let token = app.token(TIMED, ALL_ABILITIES).await;
    let client = app.mcp(&token).await;
    let creator = app.creator(TIMED).await;
    let plan = plans::list_plans(&app.db, creator.team_id).await.unwrap().remove(0);
    let plan_id = accessbot::domain::ids::public_id(accessbot::domain::ids::PLAN, plan.id);
    let mut samples = Vec::new();
    for _ in 0..SAMPLES {
        let started = Instant::now();
        call_ok(&client, "list_access_codes", json!({"plan_id": plan_id})).await;
        samples.push(started.elapsed());
    }
    median(&mut samples)
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn peak_memory(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|line| line.starts_with("VmHWM"))
        .map(|line| line.trim_start_matches("VmHWM:").trim().to_owned())
        .unwrap_or_default()
}
