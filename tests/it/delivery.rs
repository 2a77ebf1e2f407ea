//! Delivery under pressure: crashes, restarts, rate limits, blocked bots, several workers.
use std::collections::HashSet;
use std::time::Duration;

use accessbot::domain::access_code::AccessCode;
use accessbot::domain::clock::now;
use accessbot::domain::ids;
use accessbot::domain::jobs::JobStatus;

use crate::on_every_engine;
use crate::support::app::{WAIT, file_request, wait_until};
use crate::support::fake_telegram::{Recorded, Scripted};
use crate::support::{Engine, TestApp};

const ANN: i64 = 4001;

async fn creator_with_plan(engine: Engine) -> TestApp {
    TestApp::with_creator_and_plan(engine, ANN, "VIP").await
}

fn code_messages(app: &TestApp) -> Vec<Recorded> {
    app.telegram.calls("sendMessage").into_iter().filter(|m| m.params.contains_key("entities")).collect()
}

fn code_in(message: &Recorded) -> AccessCode {
    let text = message.str("text").unwrap();
    text.split_whitespace().find_map(AccessCode::parse).expect("a code in the message")
}

async fn wait_for_code_messages(app: &TestApp, count: usize) {
    app.telegram
        .wait_for(WAIT, |requests| {
            (requests.iter().filter(|r| r.method == "sendMessage" && r.params.contains_key("entities")).count()
                >= count)
                .then_some(())
        })
        .await;
}

async fn a_process_killed_mid_delivery_resumes_after_a_restart_without_losing_a_code(engine: Engine) {
    let mut app = creator_with_plan(engine).await;
    let card = app.card(ANN, "/generate VIP 6 messages 1_week").await;
    app.telegram.hang_after("sendMessage", 3);
    let earlier = app.telegram.attempts("sendMessage").len();
    app.tap(ANN, &card, &TestApp::button(&card, "gen:agree:")).await;
    wait_for_code_messages(&app, 3).await;
    // The fourth code's send is in flight (and hangs) only once the third one's progress is stored.
    app.telegram.wait_for(WAIT, |_| (app.telegram.attempts("sendMessage").len() >= earlier + 4).then_some(())).await;
    app.kill();

    let job = app.jobs_of(ANN).await.remove(0);
    assert_eq!(job.status, "running", "the killed process held the job");
    assert_eq!(job.delivered_count, 3, "progress was persisted per code");

    app.telegram.clear_hang("sendMessage");
    app.start_instance().await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "completed", "{job:?}");
    assert!(job.attempts >= 2, "a second worker took the job over");

    let delivered: Vec<AccessCode> = code_messages(&app).iter().map(code_in).collect();
    let distinct: HashSet<String> = delivered.iter().map(|c| c.normalised().to_owned()).collect();
    assert_eq!(distinct.len(), 6, "every code was delivered");
    assert!(delivered.len() <= 7, "at most one code was sent twice");
    let stored: HashSet<String> =
        app.db.codes_of_batch(job.batch_id.unwrap()).await.unwrap().into_iter().map(|r| r.code_hash).collect();
    let sent: HashSet<String> = distinct.iter().map(|c| app.secret.hash_code(c)).collect();
    assert_eq!(stored, sent, "the delivered codes are the stored ones");
    app.assert_no_violations();
}

async fn a_graceful_stop_finishes_the_send_in_flight_and_the_next_start_resumes(engine: Engine) {
    let mut app = creator_with_plan(engine).await;
    let card = app.card(ANN, "/generate VIP 8 messages no_expiry").await;
    app.telegram.set_delay("sendMessage", Duration::from_millis(150));
    app.tap(ANN, &card, &TestApp::button(&card, "gen:agree:")).await;
    wait_for_code_messages(&app, 2).await;
    app.stop().await;

    let job = app.jobs_of(ANN).await.remove(0);
    assert_eq!(job.status, "queued", "the job was handed back: {job:?}");
    assert_eq!(job.delivered_count as usize, code_messages(&app).len(), "every send that went out was recorded");
    assert!(job.delivered_count < 8);

    app.start_instance().await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "completed");
    let delivered: Vec<AccessCode> = code_messages(&app).iter().map(code_in).collect();
    assert_eq!(delivered.len(), 8, "nothing was sent twice");
    assert_eq!(delivered.iter().map(|c| c.normalised().to_owned()).collect::<HashSet<_>>().len(), 8);
}

async fn a_retry_after_is_waited_out_and_nothing_is_skipped(engine: Engine) {
    let app = creator_with_plan(engine).await;
    let card = app.card(ANN, "/generate VIP 4 messages no_expiry").await;
    app.telegram.script("sendMessage", Scripted::RetryAfter(1));
    app.tap(ANN, &card, &TestApp::button(&card, "gen:agree:")).await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "completed", "{job:?}");
    let attempts = app.telegram.attempts("sendMessage");
    let refused_at = attempts[attempts.len() - 5];
    let retried_at = attempts[attempts.len() - 4];
    assert!(retried_at - refused_at >= Duration::from_millis(900), "the retry waited for retry_after");
    let delivered: HashSet<String> = code_messages(&app).iter().map(|m| code_in(m).normalised().to_owned()).collect();
    assert_eq!(delivered.len(), 4);
    assert_eq!(code_messages(&app).len(), 4);

    let card = app.card(ANN, "/generate VIP 3 file no_expiry").await;
    app.telegram.script("sendDocument", Scripted::RetryAfter(1));
    app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    app.telegram.wait_for(WAIT, |r| r.iter().find(|r| r.method == "sendDocument").cloned()).await;
    assert_eq!(app.telegram.attempts("sendDocument").len(), 2);
    app.assert_no_violations();
}

async fn a_blocked_bot_fails_the_job_with_delivery_failed_and_keeps_the_codes(engine: Engine) {
    let app = creator_with_plan(engine).await;
    let card = app.card(ANN, "/generate VIP 4 file no_expiry").await;
    app.telegram.script("sendDocument", Scripted::Blocked);
    app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "failed");
    assert_eq!(job.error_code.as_deref(), Some("DELIVERY_FAILED"));
    assert!(job.error_message.as_deref().unwrap().contains("Unblock the bot"), "{job:?}");
    assert_eq!(app.telegram.attempts("sendDocument").len(), 1, "a blocked bot is not retried");
    let rows = app.db.codes_of_batch(job.batch_id.unwrap()).await.unwrap();
    assert_eq!(rows.len(), 4, "the codes stay stored");
    assert!(rows.iter().all(|r| r.sealed_code.is_some()), "and are still held for another delivery");
    app.telegram
        .wait_for(WAIT, |requests| {
            requests
                .iter()
                .find(|r| {
                    r.method == "editMessageText"
                        && r.str("text").is_some_and(|t| t.contains("VIP codes: The bot is blocked"))
                })
                .map(|_| ())
        })
        .await;

    let card = app.card(ANN, "/generate VIP 2 messages no_expiry").await;
    app.telegram.script("sendMessage", Scripted::ChatNotFound);
    app.tap(ANN, &card, &TestApp::button(&card, "gen:agree:")).await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.error_code.as_deref(), Some("DELIVERY_FAILED"));
    assert!(job.error_message.as_deref().unwrap().contains("no longer exists"), "{job:?}");
}

async fn two_instances_do_each_of_fifty_jobs_exactly_once(engine: Engine) {
    let mut app = creator_with_plan(engine).await;
    // Each instance paces the chats it sends to by itself, so two sending into one chat at once go over its
    // limit; Telegram's 429 is waited out, and no job is claimed again for it.
    app.telegram.expect_over_limit();
    app.start_instance().await;
    let (creator, queue, request) = (app.creator(ANN).await, app.queue(), file_request("VIP", 2));
    let mut queued = HashSet::new();
    for _ in 0..50 {
        queued.insert(queue.enqueue(&creator, &request, "test", now()).await.unwrap().job_id);
    }
    app.telegram
        .wait_for(Duration::from_secs(120), |requests| {
            (requests.iter().filter(|r| r.method == "sendDocument").count() >= 50).then_some(())
        })
        .await;
    wait_until("every job completes", async || {
        app.db.count_jobs_with_status(JobStatus::Completed).await.unwrap() == 50
    })
    .await;
    let jobs = app.jobs_of(ANN).await;
    assert_eq!(jobs.len(), 50);
    let holders: HashSet<String> = app.telegram.calls("sendDocument").iter().map(|d| d.files[0].1.clone()).collect();
    assert_eq!(holders.len(), 50, "one document per batch");
    assert_eq!(app.telegram.calls("sendDocument").len(), 50, "no job was delivered twice");
    for job in &jobs {
        assert_eq!(job.status, "completed");
        assert_eq!(job.attempts, 1, "each job was claimed once: {job:?}");
        assert!(queued.contains(&ids::public_id(ids::JOB, job.id)));
    }
    assert_eq!(app.db.events_of_type("access_code.generated").await.unwrap().len(), 50);
}

async fn a_job_that_keeps_losing_its_worker_fails_instead_of_looping(engine: Engine) {
    let mut app = creator_with_plan(engine).await;
    app.stop().await;
    let (creator, queue, request) = (app.creator(ANN).await, app.queue(), file_request("VIP", 2));
    queue.enqueue(&creator, &request, "test", now()).await.unwrap();
    // Five workers took the job and died without a trace.
    for n in 0..5 {
        let everything_is_stale = now() + chrono::Duration::days(1);
        app.db.claim_next_job(&format!("dead-{n}"), now(), everything_is_stale).await.unwrap().unwrap();
    }
    app.start_instance().await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "failed");
    assert_eq!(job.attempts, 6);
    assert!(job.error_message.unwrap().contains("interrupted 5 times"));
    assert!(app.telegram.calls("sendDocument").is_empty());
}

async fn an_instance_that_does_not_receive_updates_still_delivers_and_serves_mcp(engine: Engine) {
    let mut app = creator_with_plan(engine).await;
    app.stop().await;
    app.settings.receive_updates = false;
    let before = app.telegram.requests().len();
    app.start_instance().await;
    app.telegram.push_update(serde_json::json!({"message": {
        "message_id": 1, "date": now().timestamp(),
        "chat": {"id": ANN, "type": "private", "first_name": "Ann"},
        "from": crate::support::fake_telegram::user_json(ANN, "Ann", "en"), "text": "/plans",
    }}));
    app.queue().enqueue(&app.creator(ANN).await, &file_request("VIP", 3), "test", now()).await.unwrap();
    app.telegram.wait_for(WAIT, |r| r.iter().skip(before).find(|r| r.method == "sendDocument").cloned()).await;
    let health = reqwest::get(format!("http://{}/healthz", app.http_addr)).await.unwrap();
    assert_eq!(health.status(), 200, "the MCP side runs");
    app.wait_for_full_pass(accessbot::metrics::BackgroundLoop::AccessSweep).await;
    let seen: Vec<String> = app.telegram.requests().iter().skip(before).map(|r| r.method.clone()).collect();
    assert!(!seen.iter().any(|m| m == "getUpdates"), "it never asks for updates: {seen:?}");
    assert!(!seen.iter().any(|m| m == "setMyCommands"), "menus are the receiving instance's job: {seen:?}");
    assert!(
        !app.telegram.requests().iter().skip(before).any(|r| r.str("text").is_some_and(|t| t.contains("plans"))),
        "the update was left for the instance that receives updates"
    );

    app.settings.receive_updates = true;
    let before = app.telegram.requests().len();
    app.start_instance().await;
    let answer = app.next_message_to(ANN, before).await;
    assert!(answer.str("text").unwrap().contains("Your plan"), "the receiving instance answers it: {answer:?}");
}

on_every_engine!(
    a_job_that_keeps_losing_its_worker_fails_instead_of_looping,
    a_process_killed_mid_delivery_resumes_after_a_restart_without_losing_a_code,
    a_graceful_stop_finishes_the_send_in_flight_and_the_next_start_resumes,
    a_retry_after_is_waited_out_and_nothing_is_skipped,
    a_blocked_bot_fails_the_job_with_delivery_failed_and_keeps_the_codes,
    two_instances_do_each_of_fifty_jobs_exactly_once,
    an_instance_that_does_not_receive_updates_still_delivers_and_serves_mcp,
);

/// A database fault while code messages go out (progress cannot be recorded) sends no code twice: the
/// delivery waits for the database instead of giving the job up to be taken over and resent. SQLite only: there the fault is a
/// table that went away, which fails every statement at once; PostgreSQL's cached plans would not notice it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_fault_mid_delivery_sends_no_code_twice() {
    let app = TestApp::with_creator_and_plan(Engine::Sqlite, ANN, "VIP").await;
    app.telegram.set_delay("sendMessage", Duration::from_millis(300));
    let request = crate::support::app::messages_request("VIP", 6);
    app.queue().enqueue(&app.creator(ANN).await, &request, "test", now()).await.unwrap();
    wait_until("two codes are out", async || code_messages(&app).len() >= 2).await;
    let raw = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    let execute = async |sql: &str| sea_orm::ConnectionTrait::execute_unprepared(&raw, sql).await.unwrap();
    execute("ALTER TABLE generation_jobs RENAME TO generation_jobs_away").await;
    wait_until("recording progress has failed", async || {
        app.logs().iter().any(|line| line.contains("recording delivery progress"))
    })
    .await;
    execute("ALTER TABLE generation_jobs_away RENAME TO generation_jobs").await;
    raw.close().await.unwrap();

    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "completed", "{job:?}");
    let sent: Vec<String> = code_messages(&app)
        .iter()
        .map(|m| m.str("text").unwrap().split_whitespace().find_map(AccessCode::parse).unwrap().normalised().to_owned())
        .collect();
    let distinct: HashSet<&String> = sent.iter().collect();
    assert_eq!(distinct.len(), 6, "every code arrived");
    // The fault was shorter than the job's lease, so nobody took the job over: no code came twice.
    assert_eq!(sent.len(), 6, "no code came twice");
}
