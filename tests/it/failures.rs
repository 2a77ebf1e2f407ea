//! Failures nobody should be left alone with: a stored value this version cannot read, or a lookup that
//! fails, is answered with a reference that the log explains, and never taken for something else.
use sea_orm::{ConnectionTrait, Database};

use crate::on_every_engine;
use crate::support::{Engine, TestApp};

const ANN: i64 = 7001;

async fn execute(app: &TestApp, sql: &str) {
    let conn = Database::connect(app.settings.database_url.as_str()).await.unwrap();
    conn.execute_unprepared(sql).await.unwrap();
    conn.close().await.unwrap();
}

/// The reference in a "something went wrong" answer, checked against the log.
fn reference_explained_by_log(app: &TestApp, answer: &str, explanation: &str) -> String {
    assert!(answer.contains("Something went wrong"), "{answer}");
    let reference = answer.rsplit("Reference: ").next().unwrap().trim().to_owned();
    assert!(!reference.is_empty(), "{answer}");
    let logged = app.logs();
    assert!(
        logged.iter().any(|line| line.contains(&format!("internal error {reference}")) && line.contains(explanation)),
        "no log line explains reference {reference} with {explanation:?}"
    );
    reference
}

async fn an_unknown_stored_job_status_is_answered_with_a_reference_the_log_explains(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let card = app.card(ANN, "/generate VIP 2 file no_expiry").await;
    app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    app.finished_job(ANN).await;
    execute(&app, "UPDATE generation_jobs SET status = 'paused'").await;

    let answer = app.send_text(ANN, "Ann", "/status").await;
    reference_explained_by_log(&app, answer.str("text").unwrap(), "\"paused\"");
    app.assert_no_violations();
}

async fn a_failed_conversation_lookup_is_answered_and_not_taken_for_a_code(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    app.send_text(ANN, "Ann", "/generate").await;
    execute(&app, "UPDATE conversations SET step = 'teleport'").await;

    // Eight digits look like a code: had the failed lookup read as "no conversation", this would be redeemed.
    let answer = app.send_text(ANN, "Ann", "12345678").await;
    reference_explained_by_log(&app, answer.str("text").unwrap(), "\"teleport\"");
    let attempts = app.db.failed_attempts_since(ANN, chrono::DateTime::UNIX_EPOCH).await.unwrap();
    assert!(attempts.is_empty(), "the message was taken for a code");
    app.assert_no_violations();
}

async fn a_damaged_conversation_is_answered_with_a_reference_not_silently_reset(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let wizard = app.send_text(ANN, "Ann", "/generate").await;
    execute(&app, "UPDATE conversations SET state = '{not json'").await;

    let plan = TestApp::button_labeled(&wizard, "VIP");
    let answer = app.tap(ANN, &wizard, &plan).await;
    reference_explained_by_log(&app, answer.str("text").unwrap(), "FlowState");
    app.assert_no_violations();
}

on_every_engine!(
    an_unknown_stored_job_status_is_answered_with_a_reference_the_log_explains,
    a_failed_conversation_lookup_is_answered_and_not_taken_for_a_code,
    a_damaged_conversation_is_answered_with_a_reference_not_silently_reset,
);
