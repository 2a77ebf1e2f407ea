//! API tokens made in the bot and on the operator's command line.
use std::process::Command;

use accessbot::db::Db;
use accessbot::domain::clock::now;
use accessbot::domain::creators::{self, Joiner};
use accessbot::domain::secret::InstanceSecret;
use accessbot::domain::tokens::{self, Ability};
use serde_json::json;

use crate::on_every_engine;
use crate::support::fake_telegram::Recorded;
use crate::support::mcp::{call_ok, try_call};
use crate::support::{Bounded, Engine, TestApp};

const ANN: i64 = 4001;
const BOB: i64 = 4002;

/// The newest edit of `card`.
fn last_edit(app: &TestApp, card: &Recorded) -> Recorded {
    app.telegram
        .calls("editMessageText")
        .into_iter()
        .rev()
        .find(|r| r.int("message_id") == Some(card.message_id))
        .expect("the card was edited")
}

async fn a_creator_ticks_abilities_gets_the_token_once_and_an_agent_can_use_it(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    app.make_creator(BOB, "Bob").await;
    let card = app.send_text(ANN, "Ann", "/newtoken Claude Desktop").await;
    assert!(card.str("text").unwrap().contains("Claude Desktop"));
    let create = TestApp::button(&card, "tok:mk:");

    let toggles: Vec<String> = card.json("reply_markup").unwrap()["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| row[0]["callback_data"].as_str())
        .filter(|data| data.starts_with("tok:ab:"))
        .map(str::to_owned)
        .collect();
    assert_eq!(toggles.len(), accessbot::domain::tokens::Ability::ALL.len(), "one toggle per ability");
    let mcp_full_row = &card.json("reply_markup").unwrap()["inline_keyboard"][0][0];
    assert!(
        mcp_full_row["text"].as_str().unwrap().starts_with("✅ Connect an AI assistant"),
        "connecting is ticked to start"
    );
    for toggle in &toggles[1..] {
        app.tap(ANN, &card, toggle).await;
    }
    let ticked = last_edit(&app, &card);
    let labels: Vec<String> = ticked.json("reply_markup").unwrap()["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row[0]["text"].as_str().unwrap().to_owned())
        .collect();
    assert!(labels[..toggles.len()].iter().all(|label| label.starts_with('✅')), "{labels:?}");

    let foreign = app.tap(BOB, &card, &create).await;
    assert_eq!(foreign.str("text"), Some("This menu has expired."), "another creator's tap changes nothing");
    let forged = app.tap(ANN, &card, "tok:mk:01J00000000000000000000000").await;
    assert_eq!(forged.str("text"), Some("This menu has expired."));
    let ann = app.creator(ANN).await;
    assert!(tokens::list_tokens(&app.db, &ann).await.unwrap().is_empty());

    let created = app.tap(ANN, &card, &create).await;
    assert_eq!(created.str("text"), Some("Token created."));
    let shown = last_edit(&app, &card);
    let text = shown.str("text").unwrap();
    let token = text.split_whitespace().find(|word| word.starts_with("abt_")).expect("the token is shown").to_owned();
    assert!(text.contains("shown only this once"), "{text}");
    let entity = &shown.json("entities").unwrap()[0];
    assert_eq!(entity["type"], "code", "the token is monospace, so one tap copies it");
    let again = app.tap(ANN, &card, &create).await;
    assert_eq!(again.str("text"), Some("This menu has expired."), "a draft makes one token however often it is tapped");
    let listed = tokens::list_tokens(&app.db, &ann).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(Ability::ALL.iter().all(|a| listed[0].abilities.contains(*a)));

    let plan_id = accessbot::domain::ids::public_id(
        accessbot::domain::ids::PLAN,
        app.db.list_plans(ann.team_id).await.unwrap()[0].id,
    );
    let client = app.mcp(&token).await;
    call_ok(&client, "list_access_codes", json!({"plan_id": plan_id})).await;

    let list = app.send_text(ANN, "Ann", "/tokens").await;
    let list_text = list.str("text").unwrap();
    assert!(list_text.contains("Claude Desktop") && list_text.contains("See codes"), "{list_text}");
    assert!(!list_text.contains("last used never"), "the agent's call shows as last use: {list_text}");
    assert!(!list_text.contains(&token[token.len() - 12..]), "the secret is never shown again");
    let revoke = TestApp::button(&list, "tok:rv:");
    assert_eq!(app.tap(BOB, &list, &revoke).await.str("text"), Some("This menu has expired."));
    assert!(call_ok(&client, "list_access_codes", json!({"plan_id": plan_id})).await.is_object());
    assert_eq!(app.tap(ANN, &list, &revoke).await.str("text"), Some("Token revoked."));
    assert!(last_edit(&app, &list).str("text").unwrap().contains("No API tokens yet"));
    let refused = try_call(&client, "list_access_codes", json!({"plan_id": plan_id})).await;
    assert!(refused.is_err_and(|e| e.contains("AuthRequired")));

    let logs = app.logs().join("\n");
    assert!(!logs.contains(&token[token.len() - 12..]), "the token never reaches the log");
    app.assert_no_violations();
}

async fn a_token_without_abilities_is_refused_and_cancel_creates_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.make_creator(ANN, "Ann").await;
    let card = app.send_text(ANN, "Ann", "/tokens").await;
    assert!(card.str("text").unwrap().contains("No API tokens yet"));
    app.tap(ANN, &card, &TestApp::button(&card, "tok:new")).await;
    let draft = last_edit(&app, &card);
    let mcp_full = TestApp::button(&draft, "tok:ab:");
    app.tap(ANN, &card, &mcp_full).await;
    let refused = app.tap(ANN, &card, &TestApp::button(&draft, "tok:mk:")).await;
    assert_eq!(refused.str("text"), Some("⚠️ Tick at least one thing the token may do."));
    let cancelled = app.tap(ANN, &card, &TestApp::button(&draft, "tok:cx:")).await;
    assert_eq!(cancelled.str("text"), Some("No token was created."));
    let after = app.tap(ANN, &card, &TestApp::button(&draft, "tok:mk:")).await;
    assert_eq!(after.str("text"), Some("This menu has expired."));
    assert!(tokens::list_tokens(&app.db, &app.creator(ANN).await).await.unwrap().is_empty());
}

on_every_engine!(
    a_creator_ticks_abilities_gets_the_token_once_and_an_agent_can_use_it,
    a_token_without_abilities_is_refused_and_cancel_creates_nothing,
);

const OPERATOR_SECRET: &str = "operator-secret-0123456789abcdefghijkl";

/// A SQLite database in a fresh directory with one creator, as the operator's commands find it.
async fn operator_database(user_id: i64, name: &str) -> (std::path::PathBuf, String, Db, InstanceSecret) {
    let dir = std::env::temp_dir().join(format!("accessbot-cli-{}", ulid::Ulid::generate()));
    std::fs::create_dir_all(&dir).unwrap();
    let database_url = format!("sqlite://{}?mode=rwc", dir.join("accessbot.db").display());
    let db = Db::connect(&database_url, 2).await.unwrap();
    let secret = InstanceSecret::from_value(OPERATOR_SECRET).unwrap();
    let invite = creators::create_invite(&db, &secret, now()).await.unwrap();
    let joiner =
        Joiner { telegram_user_id: user_id, display_name: name.to_owned(), language_code: None, chat_id: user_id };
    creators::accept_invite(&db, &secret, &invite, joiner, now()).await.unwrap();
    (dir, database_url, db, secret)
}

fn accessbot(dir: &std::path::Path, database_url: &str, secret: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_accessbot"));
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("ACCESSBOT_SECRET", secret);
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_lists_teams_and_creates_a_token_on_the_command_line() {
    let (dir, database_url, db, secret) = operator_database(ANN, "Ann").await;

    let listed = accessbot(&dir, &database_url, OPERATOR_SECRET).args(["team", "list"]).output_within().await;
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let listing = String::from_utf8_lossy(&listed.stdout).into_owned();
    let team = listing.split_whitespace().find(|w| w.starts_with("team_")).expect("a team id").to_owned();
    assert!(listing.contains("tier=free") && listing.contains(&format!("telegram {ANN}")), "{listing}");

    let refused = accessbot(&dir, &database_url, OPERATOR_SECRET)
        .args(["token", "create", "--team", &team, "--abilities", "mcp:full,admin"])
        .output_within()
        .await;
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("abilities: must be one of"));

    let created = accessbot(&dir, &database_url, OPERATOR_SECRET)
        .args(["token", "create", "--team", &team, "--abilities", "mcp:full,project-access-code:view-any"])
        .args(["--name", "nightly report"])
        .output_within()
        .await;
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let stdout = String::from_utf8_lossy(&created.stdout);
    let token = stdout.split_whitespace().find(|w| w.starts_with("abt_")).expect("the token is printed");
    let caller = tokens::authenticate(&db, &secret, token, now()).await.expect("the printed token works");
    assert_eq!(caller.creator.telegram_user_id, ANN);
    assert!(caller.abilities.contains(Ability::ViewCodes) && !caller.abilities.contains(Ability::CreateCodes));
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_sets_a_teams_tier_and_stripe_customer_on_the_command_line() {
    let (dir, database_url, db, _) = operator_database(BOB, "Bob").await;
    let team = db.list_teams().await.unwrap().remove(0);
    let team_id = accessbot::domain::ids::public_id(accessbot::domain::ids::TEAM, team.id);
    let run = async |args: &[&str]| accessbot(&dir, &database_url, OPERATOR_SECRET).args(args).output_within().await;

    assert!(run(&["team", "set-tier", &team_id, "growth"]).await.status.success());
    assert!(run(&["team", "set-stripe-customer", &team_id, "cus_Bob42"]).await.status.success());
    let changed = db.find_team(team.id).await.unwrap().unwrap();
    assert_eq!((changed.tier_id.as_str(), changed.stripe_customer_id.as_deref()), ("growth", Some("cus_Bob42")));

    let wrong_tier = run(&["team", "set-tier", &team_id, "platinum"]).await;
    assert_eq!(wrong_tier.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong_tier.stderr).contains("tier: must be one of: free, starter, growth"));
    assert_eq!(run(&["team", "set-stripe-customer", &team_id, "acct_1"]).await.status.code(), Some(2));
    assert_eq!(run(&["team", "set-tier", "team_01J00000000000000000000000", "free"]).await.status.code(), Some(2));
    std::fs::remove_dir_all(dir).ok();
}
