//! Operators invite creators; creators make plans; everyone else is told what the bot is.
use accessbot::domain::clock::now;
use accessbot::domain::creators;

use crate::on_every_engine;
use crate::support::{Engine, TestApp};

const ANN: i64 = 1001;
const BOB: i64 = 1002;

async fn an_invite_link_makes_a_creator_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let token = creators::create_invite(&app.db, &app.secret, now()).await.unwrap();

    let welcome = app.send_text(ANN, "Ann", &format!("/start join_{token}")).await;
    assert!(welcome.str("text").unwrap().contains("Welcome! You can now sell access"));
    let creator = app.db.find_creator_by_telegram_user(ANN).await.unwrap().expect("Ann is a creator");
    assert_eq!(creator.linked_chat_id, Some(ANN));
    let team = app.db.find_team(creator.team_id).await.unwrap().unwrap();
    assert_eq!(team.tier_id, "free");

    let reused = app.send_text(BOB, "Bob", &format!("/start join_{token}")).await;
    assert!(reused.str("text").unwrap().contains("not valid"), "{reused:?}");
    assert!(app.db.find_creator_by_telegram_user(BOB).await.unwrap().is_none());

    let again = app.send_text(ANN, "Ann", &format!("/start join_{token}")).await;
    assert!(again.str("text").unwrap().contains("You are a creator already"));
    app.assert_no_violations();
}

async fn an_expired_or_unknown_invite_makes_nobody_a_creator(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let token = creators::create_invite(&app.db, &app.secret, now() - chrono::Duration::days(8)).await.unwrap();
    let expired = app.send_text(ANN, "Ann", &format!("/start join_{token}")).await;
    assert!(expired.str("text").unwrap().contains("not valid"));
    let unknown = app.send_text(ANN, "Ann", "/start join_nosuchtoken").await;
    assert!(unknown.str("text").unwrap().contains("not valid"));
    assert!(app.db.find_creator_by_telegram_user(ANN).await.unwrap().is_none());
}

async fn someone_who_is_not_a_creator_is_refused_and_nothing_is_created(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for command in ["/newplan VIP 30d", "/plans", "/generate VIP 10 file no_expiry", "/status"] {
        let reply = app.send_text(BOB, "Bob", command).await;
        assert!(reply.str("text").unwrap().contains("This is for sellers"), "{command}: {reply:?}");
    }
    let help = app.send_text(BOB, "Bob", "/help").await;
    assert!(help.str("text").unwrap().contains("access code"));
    let start = app.send_text(BOB, "Bob", "/start").await;
    assert!(start.str("text").unwrap().contains("private Telegram channels"));
    assert!(app.db.find_creator_by_telegram_user(BOB).await.unwrap().is_none());
    app.assert_no_violations();
}

async fn a_creator_makes_and_lists_plans(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.make_creator(ANN, "Ann").await;
    let created = app.send_text(ANN, "Ann", "/newplan VIP Club 30d").await;
    assert!(created.str("text").unwrap().contains("Plan “VIP Club” created: 30 days"), "{created:?}");
    app.send_text(ANN, "Ann", "/newplan Forever lifetime").await;
    let taken = app.send_text(ANN, "Ann", "/newplan vip club 7d").await;
    assert!(taken.str("text").unwrap().contains("You already have a plan with that name"), "{taken:?}");
    let bad = app.send_text(ANN, "Ann", "/newplan Weekly soon").await;
    assert!(bad.str("text").unwrap().contains("Send a duration such as 30d"), "{bad:?}");
    let usage = app.send_text(ANN, "Ann", "/newplan VIP").await;
    assert!(
        usage.str("text").unwrap().contains("What should the new plan be called?"),
        "asked step by step: {usage:?}"
    );

    let plans = app.send_text(ANN, "Ann", "/plans").await;
    let text = plans.str("text").unwrap();
    assert!(text.contains("Your 2 plans"), "{text}");
    assert!(text.contains("VIP Club — 30 days (active, no chat linked)"), "{text}");
    assert!(text.contains("Forever — lifetime access") && !text.contains("pln_"), "{text}");
    app.assert_no_violations();
}

async fn the_command_menu_is_registered_at_start(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let registered = app
        .telegram
        .wait_for(crate::support::app::WAIT, |r| r.iter().find(|r| r.method == "setMyCommands").cloned())
        .await;
    let commands = registered.json("commands").unwrap();
    let names: Vec<&str> = commands.as_array().unwrap().iter().map(|c| c["command"].as_str().unwrap()).collect();
    assert_eq!(names, ["start", "help", "redeem", "my", "language"], "everyone sees the subscriber commands");
    assert!(registered.params.get("scope").is_none() && registered.params.get("language_code").is_none());
    app.assert_no_violations();
}

on_every_engine!(
    an_invite_link_makes_a_creator_once,
    an_expired_or_unknown_invite_makes_nobody_a_creator,
    someone_who_is_not_a_creator_is_refused_and_nothing_is_created,
    a_creator_makes_and_lists_plans,
    the_command_menu_is_registered_at_start,
);
