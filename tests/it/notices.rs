//! What creators are told, through the notifier: after the subscriber's answer, merged while redemptions come
//! faster than the chat may show them, never lost across a crash, and as the creator chose with `/notify`.
use std::collections::HashSet;
use std::time::Duration;

use accessbot::domain::clock::now;
use accessbot::metrics::BackgroundLoop;

use crate::on_every_engine;
use crate::support::app::{generated_codes, wait_until};
use crate::support::fake_telegram::Recorded;
use crate::support::{Engine, TestApp};

const ANN: i64 = 9101;
const BOB: i64 = 9102;
const FIRST_SUBSCRIBER: i64 = 9200;

/// The bot's messages to Ann that tell of redemptions.
fn redemption_notices(app: &TestApp) -> Vec<Recorded> {
    app.telegram
        .calls("sendMessage")
        .into_iter()
        .filter(|r| r.int("chat_id") == Some(ANN))
        .filter(|r| r.str("text").is_some_and(|t| t.contains("redeemed")))
        .collect()
}

/// How many redemptions a notice tells of: one for "Code … was redeemed", N for "🎟 N codes redeemed".
fn told_of(notice: &Recorded) -> usize {
    let text = notice.str("text").unwrap();
    match text.strip_prefix("🎟 ").and_then(|rest| rest.split_once(" code")) {
        Some((count, _)) if count.chars().all(|c| c.is_ascii_digit()) => count.parse().unwrap(),
        _ if text.starts_with("🎟 Code ") => 1,
        _ => panic!("not a redemption notice: {text}"),
    }
}

fn accepted(app: &TestApp, users: &[i64]) -> usize {
    let users: HashSet<i64> = users.iter().copied().collect();
    app.telegram
        .calls("sendMessage")
        .iter()
        .filter(|r| r.int("chat_id").is_some_and(|chat| users.contains(&chat)))
        .filter(|r| r.str("text").is_some_and(|t| t.contains("Code accepted")))
        .count()
}

async fn every_notice_sent(app: &TestApp) -> bool {
    app.db.notices_of_chat(ANN).await.unwrap().iter().all(|notice| notice.sent_at.is_some())
}

async fn a_burst_of_200_redemptions_reaches_the_creator_in_at_most_10_messages_that_add_up(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let codes = generated_codes(&app, ANN, "VIP", 200).await;
    let users: Vec<i64> = (0..200).map(|n| FIRST_SUBSCRIBER + n).collect();
    for (user, code) in users.iter().zip(&codes) {
        app.telegram.push_update(app.message_json(*user, "Sub", code));
    }
    wait_until("every subscriber is answered", async || accepted(&app, &users) == 200).await;
    wait_until("every notice is sent", async || every_notice_sent(&app).await).await;
    let notices = redemption_notices(&app);
    assert!(
        notices.len() <= 10,
        "{} messages: {:?}",
        notices.len(),
        notices.iter().map(|n| n.str("text")).collect::<Vec<_>>()
    );
    assert_eq!(notices.iter().map(told_of).sum::<usize>(), 200, "the counts add up to every redemption");
}

async fn a_subscribers_answer_never_waits_for_the_creators_notice(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let codes = generated_codes(&app, ANN, "VIP", 2).await;
    // Ann's chat is slow to take her notices.
    app.telegram.set_delay_matching("sendMessage", "was redeemed", Duration::from_secs(3));
    let sam = app.send_text(FIRST_SUBSCRIBER, "Sam", &codes[0]).await;
    assert!(sam.str("text").unwrap().contains("Code accepted"));
    wait_until("Sam's notice is on its way to Ann", async || {
        app.telegram.attempts("sendMessage").len() > app.telegram.calls("sendMessage").len()
    })
    .await;
    let tom = app.send_text(FIRST_SUBSCRIBER + 1, "Tom", &codes[1]).await;
    assert!(tom.str("text").unwrap().contains("Code accepted"), "Tom is answered while Ann's notice hangs");
    assert!(redemption_notices(&app).is_empty(), "and before it arrives");
    wait_until("both updates are marked handled", async || app.db.unhandled_updates(10).await.unwrap().is_empty())
        .await;
    wait_until("every notice is sent", async || every_notice_sent(&app).await).await;
    // Sam's notice took longer than a claim's lease: it was not claimed again and sent twice meanwhile.
    app.telegram.wait_until_nothing_in_flight().await;
    assert_eq!(redemption_notices(&app).iter().map(told_of).sum::<usize>(), 2, "each redemption told once");
}

async fn a_crash_loses_no_notice_and_repeats_at_most_the_one_in_flight(engine: Engine) {
    let mut app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let codes = generated_codes(&app, ANN, "VIP", 3).await;
    app.telegram.set_delay_matching("sendMessage", "was redeemed", Duration::from_secs(30));
    app.telegram.set_delay_matching("sendMessage", "codes redeemed", Duration::from_secs(30));
    for (n, code) in codes.iter().enumerate() {
        let answer = app.send_text(FIRST_SUBSCRIBER + n as i64, "Sub", code).await;
        assert!(answer.str("text").unwrap().contains("Code accepted"));
    }
    wait_until("a notice is on its way to Ann", async || {
        app.telegram.attempts("sendMessage").len() > app.telegram.calls("sendMessage").len()
    })
    .await;
    app.kill();
    app.telegram.wait_until_nothing_in_flight().await;
    assert!(redemption_notices(&app).is_empty(), "the notice in flight died with its connection");
    assert!(!every_notice_sent(&app).await, "and nothing was marked sent");

    app.telegram.set_delay("sendMessage", Duration::ZERO);
    app.telegram.clear_delays_matching();
    app.start_instance().await;
    wait_until("every notice is sent after the restart", async || every_notice_sent(&app).await).await;
    let told: usize = redemption_notices(&app).iter().map(told_of).sum();
    assert_eq!(told, 3, "each redemption told once");
}

async fn notify_lets_the_creator_hear_of_each_redemption_a_daily_summary_or_nothing(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let codes = generated_codes(&app, ANN, "VIP", 3).await;
    let card = app.send_text(ANN, "Ann", "/notify").await;
    assert!(card.str("text").unwrap().contains("Now: “Each redemption”"), "{card:?}");
    let off = TestApp::button_labeled(&card, "Not at all");
    assert_eq!(app.tap(ANN, &card, &off).await.str("text"), Some("Redemptions: Not at all."));

    app.send_text(FIRST_SUBSCRIBER, "Sam", &codes[0]).await;
    wait_until("Sam's notice is done", async || every_notice_sent(&app).await).await;
    app.wait_for_full_pass(BackgroundLoop::Notify).await;
    assert!(redemption_notices(&app).is_empty(), "nothing told with notices off");

    let card = app.send_text(ANN, "Ann", "/notify").await;
    assert!(card.str("text").unwrap().contains("Now: “Not at all”"));
    app.tap(ANN, &card, &TestApp::button_labeled(&card, "A daily summary")).await;
    app.send_text(FIRST_SUBSCRIBER + 1, "Tom", &codes[1]).await;
    app.wait_for_full_pass(BackgroundLoop::Notify).await;
    assert!(redemption_notices(&app).is_empty(), "a daily summary waits for its day");
    assert!(!every_notice_sent(&app).await);
    // A day passes.
    move_unsent_notices_to(&app, now() - chrono::Duration::hours(25)).await;
    wait_until("the daily summary is sent", async || !redemption_notices(&app).is_empty()).await;
    let summary = redemption_notices(&app).remove(0);
    assert!(
        summary.str("text").unwrap().starts_with("🗓 In the last day, 1 code was redeemed (VIP): Tom."),
        "{summary:?}"
    );

    let card = app.send_text(ANN, "Ann", "/notify").await;
    app.tap(ANN, &card, &TestApp::button_labeled(&card, "Each redemption")).await;
    app.send_text(FIRST_SUBSCRIBER + 2, "Eve", &codes[2]).await;
    wait_until("Eve's redemption is told", async || redemption_notices(&app).len() == 2).await;

    app.db.choose_language(ANN, "ru", now()).await.unwrap();
    let russian = app.send_text(ANN, "Ann", "/notify").await;
    assert!(russian.str("text").unwrap().contains("Сейчас выбрано: «О каждой»"), "{russian:?}");
}

async fn a_forged_tap_on_another_persons_message_changes_nothing(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    app.make_creator(BOB, "Bob").await;
    let card = app.send_text(ANN, "Ann", "/notify").await;
    let off = TestApp::button_labeled(&card, "Not at all");
    let before = app.telegram.requests().len();
    let answer = app.tap(BOB, &card, &off).await;
    assert_eq!(answer.str("text"), Some("This menu has expired."), "a tap from someone else's chat is refused");
    assert!(
        app.telegram.requests().iter().skip(before).all(|r| r.method != "editMessageText"),
        "Ann's card is untouched"
    );
    assert_eq!(app.creator(BOB).await.notify_redemptions.as_str(), "each", "and Bob's choice unchanged");
    // The same tap from Ann's own chat goes through.
    assert_eq!(app.tap(ANN, &card, &off).await.str("text"), Some("Redemptions: Not at all."));
}

async fn an_unreadable_notice_is_set_aside_and_holds_up_no_other(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let codes = generated_codes(&app, ANN, "VIP", 1).await;
    let team_id = app.creator(ANN).await.team_id;
    let kind = accessbot::domain::notices::NoticeKind::Prepared;
    app.db.record_notice(team_id, kind, |_| "not a screen".to_owned(), now()).await.unwrap();
    app.send_text(FIRST_SUBSCRIBER, "Sam", &codes[0]).await;
    wait_until("Sam's redemption is told", async || redemption_notices(&app).len() == 1).await;
    wait_until("every notice is done", async || every_notice_sent(&app).await).await;
    assert!(app.logs().iter().any(|line| line.contains("reading a prepared notice")), "the bad one is logged");
}

/// Makes the notices not sent yet look written at `at`, as time passing would.
async fn move_unsent_notices_to(app: &TestApp, at: chrono::DateTime<chrono::Utc>) {
    use accessbot::db::entities::creator_notice;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    creator_notice::Entity::update_many()
        .col_expr(creator_notice::Column::CreatedAt, Expr::value(at))
        .col_expr(creator_notice::Column::NotBefore, Expr::value(at))
        .filter(creator_notice::Column::SentAt.is_null())
        .exec(&conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

on_every_engine!(
    a_burst_of_200_redemptions_reaches_the_creator_in_at_most_10_messages_that_add_up,
    a_subscribers_answer_never_waits_for_the_creators_notice,
    a_crash_loses_no_notice_and_repeats_at_most_the_one_in_flight,
    notify_lets_the_creator_hear_of_each_redemption_a_daily_summary_or_nothing,
    a_forged_tap_on_another_persons_message_changes_nothing,
    an_unreadable_notice_is_set_aside_and_holds_up_no_other,
);
