//! No update lost: each is stored before Telegram is told it arrived, and a crash before it was handled
//! leaves it to the next start.
use std::collections::HashMap;
use std::time::Duration;

use crate::on_every_engine;
use crate::support::app::{generated_codes, wait_until};
use crate::support::{Engine, TestApp};

const ANN: i64 = 5101;
const FIRST_SUBSCRIBER: i64 = 5200;
/// The tries of a failed mark before it is left to the renewals: as many as the inbox makes, and one.
const MARK_TRIES: usize = 5;

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
    let answers_before = app.telegram.attempts("sendMessage").len();
    for (user, code) in users.iter().zip(&codes) {
        app.telegram.push_update(app.message_json(*user, "Sub", code));
    }
    // The creator's notice of the first redemptions is a message too: the redemptions are counted as well.
    wait_until("every handler is waiting on its answer", async || {
        app.telegram.attempts("sendMessage").len() - answers_before >= 20
            && app.db.events_of_type("access_code.redeemed").await.unwrap().len() == 20
    })
    .await;
    assert_eq!(app.db.events_of_type("access_code.redeemed").await.unwrap().len(), 20, "each code was redeemed");
    app.kill();
    // The answers in flight die with their connections; what counts below is only what the next run sends.
    app.telegram.wait_until_nothing_in_flight().await;
    assert!(acceptances(&app, &users).values().all(|n| *n == 0), "all 20 answers were in flight at the crash");
    assert_eq!(app.db.unhandled_updates(100).await.unwrap().len(), 20, "and none was marked handled");

    app.telegram.set_delay("sendMessage", Duration::ZERO);
    // The answers that died in flight reached Telegram and count against its limits for a second; a new
    // process knows nothing of them, and a real restart takes longer than that.
    tokio::time::sleep(Duration::from_secs(1)).await;
    app.start_instance().await;
    wait_until("every update is marked handled", async || app.db.unhandled_updates(100).await.unwrap().is_empty())
        .await;
    assert!(acceptances(&app, &users).values().all(|n| *n == 1), "one answer each: {:?}", acceptances(&app, &users));
    let redeemed = app.db.events_of_type("access_code.redeemed").await.unwrap();
    assert_eq!(redeemed.len(), 20, "each code redeemed once");
}

async fn updates_are_stored_before_they_are_confirmed_and_marked_once_handled(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let update_id = app.telegram.push_update(app.message_json(FIRST_SUBSCRIBER, "Sub", "/help"));
    let answer = app.next_message_to(FIRST_SUBSCRIBER, 0).await;
    assert!(answer.str("text").is_some());
    wait_until("the update is marked handled", async || {
        let stored = app.db.find_inbox_update(update_id).await.unwrap().expect("the update is in the inbox");
        stored.handled_at.is_some() && stored.payload.contains("/help")
    })
    .await;
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
    assert!(
        acceptances(&app, &users).values().all(|n| *n == 2),
        "the same success again, not an error: {:?}",
        acceptances(&app, &users)
    );
    assert_eq!(app.db.events_of_type("access_code.redeemed").await.unwrap().len(), 5, "each code redeemed once");
    assert_eq!(app.db.events_of_type("subscription.started").await.unwrap().len(), 5, "one subscription each");
    assert!(app.db.events_of_type("subscription.extended").await.unwrap().is_empty(), "none extended twice");
}

/// A burst larger than what an instance keeps in hand waits in the inbox, in order, and is answered all the
/// same: the instance's memory does not grow with the burst.
async fn a_burst_beyond_what_is_kept_in_hand_waits_in_the_inbox_and_is_all_answered(engine: Engine) {
    use accessbot::telegram::inbox::MOST_IN_HAND;
    let app = TestApp::spawn(engine).await;
    let people: Vec<i64> = (0..MOST_IN_HAND as i64 + 40).map(|n| FIRST_SUBSCRIBER + n).collect();
    // Every answer takes eight seconds, so the first ones are all still in hand when the rest arrive, however
    // slowly a loaded machine claims them.
    app.telegram.set_delay("sendMessage", Duration::from_secs(8));
    for person in &people {
        app.telegram.push_update(app.message_json(*person, "Sub", "/help"));
    }
    let in_hand = async || {
        let unhandled = app.db.unhandled_updates(1000).await.unwrap();
        unhandled.iter().filter(|update| update.claimed_by.is_some()).count()
    };
    wait_until("as many as may be are in hand", async || in_hand().await >= MOST_IN_HAND).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(in_hand().await, MOST_IN_HAND, "no more are taken while those are handled");
    app.telegram.set_delay("sendMessage", Duration::ZERO);
    wait_until("every update is handled", async || app.db.unhandled_updates(1000).await.unwrap().is_empty()).await;
    let answered: std::collections::HashSet<i64> =
        app.telegram.calls("sendMessage").iter().filter_map(|message| message.int("chat_id")).collect();
    assert!(people.iter().all(|person| answered.contains(person)), "everyone was answered");
}

on_every_engine!(
    a_burst_beyond_what_is_kept_in_hand_waits_in_the_inbox_and_is_all_answered,
    a_handler_run_again_after_a_crash_before_its_mark_repeats_its_answer_and_nothing_else,
    a_kill_with_twenty_updates_in_flight_loses_none_and_redeems_each_code_once,
    updates_are_stored_before_they_are_confirmed_and_marked_once_handled,
);

/// A database fault as a handler finishes (its mark fails) holds its chat up for seconds after the fault
/// clears, not for as long as the claim could be renewed. SQLite only: there the fault is a table that went
/// away, which fails every statement at once; PostgreSQL's cached plans would not notice it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mark_that_fails_as_a_handler_finishes_holds_its_chat_up_only_until_the_fault_clears() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let user = FIRST_SUBSCRIBER;
    app.telegram.set_delay_matching("sendMessage", "This bot lets subscribers", Duration::from_secs(1));
    let sent = app.telegram.attempts("sendMessage").len();
    app.telegram.push_update(app.message_json(user, "Sub", "/help"));
    wait_until("the handler waits on its answer", async || app.telegram.attempts("sendMessage").len() > sent).await;
    let raw = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    let execute = async |sql: &str| sea_orm::ConnectionTrait::execute_unprepared(&raw, sql).await.unwrap();
    execute("ALTER TABLE update_inbox RENAME TO update_inbox_away").await;
    app.next_message_to(user, 0).await;
    wait_until("the mark has failed for good", async || {
        app.logs().iter().filter(|line| line.contains("marking an update handled")).count() >= MARK_TRIES
    })
    .await;
    execute("ALTER TABLE update_inbox_away RENAME TO update_inbox").await;
    raw.close().await.unwrap();

    let before = app.telegram.requests().len();
    app.telegram.push_update(app.message_json(user, "Sub", "/my"));
    let answer = app.next_message_to(user, before).await;
    assert!(answer.str("text").unwrap().contains("no subscriptions yet"), "the chat's next update is answered");
    assert!(app.logs().iter().any(|line| line.contains("is marked handled after all")), "the mark went through later");
}
