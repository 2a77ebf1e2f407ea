//! No update lost: each is stored before Telegram is told it arrived, and a crash before it was handled
//! leaves it to the next start.
use std::collections::HashMap;
use std::time::Duration;

use crate::on_every_engine;
use crate::support::app::{WAIT, generated_codes};
use crate::support::{Engine, TestApp};

const ANN: i64 = 5101;
const FIRST_SUBSCRIBER: i64 = 5200;

/// The bot's answers to each of `users` that say a code was accepted.
fn acceptances(app: &TestApp, users: &[i64]) -> HashMap<i64, usize> {
    let mut counts: HashMap<i64, usize> = users.iter().map(|user| (*user, 0)).collect();
    for message in app.telegram.calls("sendMessage") {
        let accepted = message.str("text").is_some_and(|t| t.contains("Code accepted"));
        if let (true, Some(count)) = (accepted, message.int("chat_id").and_then(|chat| counts.get_mut(&chat))) {
            *count += 1;
        }
    }
    counts
}

async fn a_kill_with_twenty_updates_in_flight_loses_none_and_redeems_each_code_once(engine: Engine) {
    let mut app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let codes = generated_codes(&app, ANN, "VIP", 20).await;
    let users: Vec<i64> = (0..20).map(|n| FIRST_SUBSCRIBER + n).collect();
    // Handlers get as far as their answer, which hangs until the process dies.
    app.telegram.set_delay("sendMessage", Duration::from_secs(5));
    for (user, code) in users.iter().zip(&codes) {
        app.telegram.push_update(app.message_json(*user, "Sub", code));
    }
    let deadline = tokio::time::Instant::now() + WAIT;
    while app.db.unhandled_updates(100).await.unwrap().len() < 20 {
        assert!(tokio::time::Instant::now() < deadline, "the updates were fetched");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    app.kill();
    assert!(acceptances(&app, &users).values().all(|n| *n == 0), "nobody was answered before the crash");

    // An answer the dying process had already written reaches Telegram all the same; it is still held when
    // it arrives within this pause, so what counts below is only what the next run sends.
    tokio::time::sleep(Duration::from_millis(200)).await;
    app.telegram.set_delay("sendMessage", Duration::ZERO);
    app.start_instance().await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while acceptances(&app, &users).values().any(|n| *n == 0) {
        assert!(tokio::time::Instant::now() < deadline, "everyone is answered: {:?}", acceptances(&app, &users));
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(acceptances(&app, &users).values().all(|n| *n == 1), "one answer each: {:?}", acceptances(&app, &users));
    let redeemed = app.db.events_of_type("access_code.redeemed").await.unwrap();
    assert_eq!(redeemed.len(), 20, "each code redeemed once");
    assert!(app.db.unhandled_updates(100).await.unwrap().is_empty(), "every update is marked handled");
}

async fn updates_are_stored_before_they_are_confirmed_and_marked_once_handled(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let update_id = app.telegram.push_update(app.message_json(FIRST_SUBSCRIBER, "Sub", "/help"));
    let answer = app.next_message_to(FIRST_SUBSCRIBER, 0).await;
    assert!(answer.str("text").is_some());
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let stored = app.db.find_inbox_update(update_id).await.unwrap().expect("the update is in the inbox");
        if stored.handled_at.is_some() {
            assert!(stored.payload.contains("/help"));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the update is marked handled");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn a_handler_run_again_after_a_crash_before_its_mark_repeats_its_answer_and_nothing_else(engine: Engine) {
    let mut app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let codes = generated_codes(&app, ANN, "VIP", 5).await;
    let users: Vec<i64> = (0..5).map(|n| FIRST_SUBSCRIBER + n).collect();
    for (user, code) in users.iter().zip(&codes) {
        app.telegram.push_update(app.message_json(*user, "Sub", code));
    }
    crate::support::app::wait_until("everyone is answered", async || {
        acceptances(&app, &users).values().all(|n| *n == 1)
    })
    .await;
    crate::support::app::wait_until("every update is marked", async || {
        app.db.unhandled_updates(100).await.unwrap().is_empty()
    })
    .await;
    app.stop().await;
    // What a kill between a handler's answer and its mark leaves: done, answered, not marked.
    let raw = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&raw, "UPDATE update_inbox SET handled_at = NULL").await.unwrap();
    raw.close().await.unwrap();

    app.start_instance().await;
    crate::support::app::wait_until("the updates are handled again", async || {
        app.db.unhandled_updates(100).await.unwrap().is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        acceptances(&app, &users).values().all(|n| *n == 2),
        "the same success again, not an error: {:?}",
        acceptances(&app, &users)
    );
    assert_eq!(app.db.events_of_type("access_code.redeemed").await.unwrap().len(), 5, "each code redeemed once");
    assert_eq!(app.db.events_of_type("subscription.started").await.unwrap().len(), 5, "one subscription each");
    assert!(app.db.events_of_type("subscription.extended").await.unwrap().is_empty(), "none extended twice");
}

on_every_engine!(
    a_handler_run_again_after_a_crash_before_its_mark_repeats_its_answer_and_nothing_else,
    a_kill_with_twenty_updates_in_flight_loses_none_and_redeems_each_code_once,
    updates_are_stored_before_they_are_confirmed_and_marked_once_handled,
);
