//! Creators revoke codes nobody has redeemed: one code, a batch's or a plan's; through the bot and over MCP.
use std::time::Duration;

use accessbot::db::codes::CodeScope;
use accessbot::domain::clock::now;
use accessbot::domain::events::EventEnvelope;
use accessbot::domain::ids;
use accessbot::domain::redemption::{self, RedeemOutcome, Subscriber};
use accessbot::domain::revocation;
use serde_json::{Value, json};

use crate::on_every_engine;
use crate::support::app::{WAIT, file_request, generated_codes};
use crate::support::fake_telegram::{Recorded, Scripted};
use crate::support::mcp::{call_err, call_ok};
use crate::support::{Engine, TestApp};

const ANN: i64 = 7001;
const SAM: i64 = 7101;

async fn ann_with_codes(engine: Engine, count: i64) -> (TestApp, Vec<String>) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let codes = generated_codes(&app, ANN, "VIP", count).await;
    (app, codes)
}

fn masked(code: &str) -> String {
    format!("****-****-{}", &code[code.len() - 4..])
}

async fn revoked_events(app: &TestApp) -> Vec<Value> {
    let events = app.db.events_of_type("access_code.revoked").await.unwrap();
    events.iter().map(|event| EventEnvelope::of(event).data).collect()
}

fn subscriber(user: i64) -> Subscriber {
    Subscriber { telegram_user_id: user, display_name: "Sub".to_owned(), username: None, language_code: None }
}

async fn a_revoked_code_is_answered_as_expired_and_the_creator_hears_nothing(engine: Engine) {
    let (app, codes) = ann_with_codes(engine, 3).await;
    let card = app.send_text(ANN, "Ann", &format!("/revoke {}", codes[0].to_lowercase())).await;
    let text = card.str("text").unwrap();
    assert!(text.contains(&masked(&codes[0])) && !text.contains(&codes[0]), "masked, never in full: {text}");
    assert!(TestApp::button_labeled(&card, "Revoke 1 code").starts_with("rv:ok:c:"));
    let done = app.tap_edit(ANN, &card, &TestApp::button(&card, "rv:ok:")).await;
    assert!(done.str("text").unwrap().contains("is revoked"), "{done:?}");

    let before = app.telegram.requests().len();
    let reply = app.send_text(SAM, "Sam", &codes[0]).await;
    assert!(reply.str("text").unwrap().starts_with("❌ This code has expired."), "{reply:?}");
    let to_ann = |requests: &[Recorded]| {
        requests[before..].iter().filter(|r| r.method == "sendMessage" && r.int("chat_id") == Some(ANN)).count()
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(to_ann(&app.telegram.requests()), 0, "no notice of a refused code");
    assert!(app.db.subscriptions_of(SAM).await.unwrap().is_empty());

    let events = revoked_events(&app).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["count"], 1);
    assert_eq!(events[0]["access_codes"], json!([masked(&codes[0])]));
    assert!(events[0]["access_code_id"].as_str().unwrap().starts_with("acc_"));

    let again = app.send_text(ANN, "Ann", &format!("/revoke {}", codes[0])).await;
    assert!(again.str("text").unwrap().contains("was revoked"), "{again:?}");
    assert!(!TestApp::buttons(&again).iter().any(|(_, data)| data.starts_with("rv:ok:")), "nothing to confirm");
    let page = app.send_text(ANN, "Ann", "/codes VIP").await;
    assert!(page.str("text").unwrap().contains("Revoked 1"), "{page:?}");
    let unknown = app.send_text(ANN, "Ann", "/revoke ABCD-EFGH-JKMN").await;
    assert_eq!(unknown.str("text"), Some("⚠️ There is no such code among yours."));
    assert!(TestApp::buttons(&unknown).iter().any(|(_, data)| data == "menu:codes"), "a way on: {unknown:?}");
}

/// From `/codes`, a plan's unredeemed codes are revoked after a confirmation naming their exact count; the
/// redeemed ones keep their access.
async fn a_plan_is_revoked_from_its_codes_with_the_exact_count_and_redeemed_access_stays(engine: Engine) {
    let (app, codes) = ann_with_codes(engine, 5).await;
    let before = app.telegram.requests().len();
    for (n, code) in codes[..2].iter().enumerate() {
        app.send_text(SAM + n as i64, "Sam", code).await;
    }
    // Ann hears of the two redemptions first: the page is the message that shows her codes.
    app.telegram.push_update(app.message_json(ANN, "Ann", "/codes VIP"));
    let page = app.message_containing(ANN, "Codes of “VIP”", before).await;
    let confirmation = app.tap_edit(ANN, &page, &TestApp::button_labeled(&page, "Revoke unredeemed")).await;
    let text = confirmation.str("text").unwrap();
    assert!(text.contains("Revoke the 3 unredeemed codes of “VIP”"), "{text}");
    let done = app.tap_edit(ANN, &confirmation, &TestApp::button_labeled(&confirmation, "Revoke 3 codes")).await;
    assert!(done.str("text").unwrap().contains("3 codes of “VIP” are revoked"), "{done:?}");
    for (n, _) in codes[..2].iter().enumerate() {
        let subscriptions = app.db.subscriptions_of(SAM + n as i64).await.unwrap();
        assert!(subscriptions[0].0.ends_at.is_some_and(|end| end > now()), "redeemed access stays");
    }
    for code in &codes[2..] {
        let reply = app.send_text(SAM + 10, "Late", code).await;
        assert!(reply.str("text").unwrap().starts_with("❌ This code has expired."));
    }
    let events = revoked_events(&app).await;
    assert_eq!(events.len(), 1, "one event for the revocation");
    assert_eq!(events[0]["count"], 3);
    assert_eq!(events[0]["access_codes"].as_array().unwrap().len(), 3);

    let cancel = app.send_text(ANN, "Ann", "/revoke VIP").await;
    assert!(cancel.str("text").unwrap().starts_with("Nothing to revoke"), "{cancel:?}");
    let usage = app.send_text(ANN, "Ann", "/revoke").await;
    assert!(usage.str("text").unwrap().contains("/revoke ABCD-EFGH-JKMN"));
}

/// Redemptions racing a revocation of the whole plan: every code ends up redeemed or revoked, never both.
async fn redemptions_racing_a_revocation_leave_each_code_redeemed_or_revoked(engine: Engine) {
    let (app, codes) = ann_with_codes(engine, 20).await;
    let team = app.creator(ANN).await.team_id;
    let plan = app.db.list_plans(team).await.unwrap().remove(0);
    let mut racers = tokio::task::JoinSet::new();
    for (n, code) in codes.iter().enumerate() {
        let (db, secret, code) = (app.db.clone(), app.secret.clone(), code.clone());
        racers.spawn(async move {
            let (metrics, person) = (Default::default(), subscriber(SAM + n as i64));
            let outcome = redemption::redeem(&db, &secret, &metrics, &person, &code, now()).await.unwrap();
            matches!(outcome, RedeemOutcome::Redeemed(_))
        });
        if n == 10 {
            let (db, at) = (app.db.clone(), now());
            racers.spawn(async move {
                let target = revocation::target_of(&db, team, CodeScope::Plan(plan.id), at).await.unwrap();
                revocation::revoke(&db, team, target, at).await.unwrap();
                false
            });
        }
    }
    let redeemed = racers.join_all().await.into_iter().filter(|won| *won).count();
    let events = revoked_events(&app).await;
    let revoked = events.first().map_or(0, |event| event["count"].as_u64().unwrap() as usize);
    assert_eq!(redeemed + revoked, 20, "{redeemed} redeemed, {revoked} revoked");
    let batch = app.jobs_of(ANN).await[0].batch_id.unwrap();
    let rows = app.db.codes_of_batch(batch).await.unwrap();
    assert!(rows.iter().all(|row| row.redeemed_at.is_some() != row.revoked_at.is_some()), "never both, never neither");
    assert_eq!(rows.iter().filter(|row| row.redeemed_at.is_some()).count(), redeemed);
}

/// A batch revoked while its messages job runs: the codes not yet sent are never sent, and the summary
/// says how many were left out.
async fn codes_revoked_during_a_messages_job_are_never_delivered(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let card = app.card(ANN, "/generate VIP 10 messages no_expiry").await;
    app.telegram.set_delay("sendMessage", Duration::from_millis(200));
    app.tap(ANN, &card, &TestApp::button(&card, "gen:agree:")).await;
    let code_messages = |requests: &[Recorded]| {
        requests.iter().filter(|r| r.method == "sendMessage" && r.params.contains_key("entities")).count()
    };
    app.telegram.wait_for(WAIT, |requests| (code_messages(requests) >= 2).then_some(())).await;
    let team = app.creator(ANN).await.team_id;
    let batch = app.jobs_of(ANN).await[0].batch_id.unwrap();
    let target = revocation::target_of(&app.db, team, CodeScope::Batch(batch), now()).await.unwrap();
    let revocation = revocation::revoke(&app.db, team, target, now()).await.unwrap();
    assert_eq!(revocation.revoked.count, 10, "delivered or not, none was redeemed");
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "completed");
    let sent = code_messages(&app.telegram.requests());
    assert!(sent < 10, "the codes after the revocation stayed back: {sent} sent");
    assert_eq!(job.delivered_count as usize, sent);
    // The job is completed in the database a moment before its status message says so.
    let summary = app
        .telegram
        .wait_for(WAIT, |requests| {
            requests
                .iter()
                .rev()
                .filter(|r| r.method == "editMessageText" && r.int("chat_id") == Some(ANN))
                .find(|r| r.str("text").is_some_and(|text| text.contains("before their turn")))
                .cloned()
        })
        .await;
    let left_out = format!("{} codes were revoked before their turn and were not sent", 10 - sent);
    assert!(summary.str("text").unwrap().contains(&left_out), "{summary:?}");
}

/// A CSV that could not be sent leaves out the codes revoked before it is sent again.
async fn a_csv_sent_again_leaves_out_the_codes_revoked_meanwhile(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    app.telegram.script("sendDocument", Scripted::ChatNotFound);
    let creator = app.creator(ANN).await;
    app.queue().enqueue(&creator, &file_request("VIP", 8), "test", now()).await.unwrap();
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "failed", "{job:?}");
    let rows = app.db.codes_of_batch(job.batch_id.unwrap()).await.unwrap();
    for row in &rows[..3] {
        let target = revocation::target_of(&app.db, creator.team_id, CodeScope::Code(row.id), now()).await.unwrap();
        assert_eq!(revocation::revoke(&app.db, creator.team_id, target, now()).await.unwrap().revoked.count, 1);
    }
    let before = app.telegram.calls("sendDocument").len();
    let reply = app.send_text(ANN, "Ann", &format!("/resend {}", ids::public_id(ids::JOB, job.id))).await;
    assert!(!reply.str("text").unwrap().contains("⚠️"), "{reply:?}");
    let document =
        app.telegram.wait_for(WAIT, |r| r.iter().filter(|r| r.method == "sendDocument").nth(before).cloned()).await;
    let csv = String::from_utf8(document.files[0].2.clone()).unwrap();
    let sent: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(sent.len(), 5, "{csv}");
    for row in &rows[..3] {
        assert!(!sent.iter().any(|line| line.contains(&row.code_masked[10..])), "{} left out", row.code_masked);
    }
    assert!(document.str("caption").unwrap().starts_with("5 "), "{document:?}");
}

/// Agents revoke over MCP with the same rules: a dry run counts and changes nothing.
async fn an_agent_revokes_a_batch_after_a_dry_run(engine: Engine) {
    let (app, codes) = ann_with_codes(engine, 6).await;
    app.send_text(SAM, "Sam", &codes[0]).await;
    let client = app.mcp(&app.token(ANN, "mcp:full,project-access-code:revoke").await).await;
    let batch_id = ids::public_id(ids::BATCH, app.jobs_of(ANN).await[0].batch_id.unwrap());
    let dry = call_ok(&client, "revoke_access_codes", json!({"batch_id": batch_id, "dry_run": true})).await;
    assert_eq!(dry["data"]["count"], 5);
    assert_eq!(dry["data"]["dry_run"], true);
    assert!(revoked_events(&app).await.is_empty(), "a dry run changes nothing");
    let reply = app.send_text(SAM + 1, "Sue", &codes[1]).await;
    assert!(reply.str("text").unwrap().contains("Code accepted"));

    let done = call_ok(&client, "revoke_access_codes", json!({"batch_id": batch_id})).await;
    assert_eq!(done["data"]["count"], 4);
    assert_eq!(done["data"]["batch_id"], batch_id);
    assert_eq!(done["data"]["access_codes"].as_array().unwrap().len(), 4);
    let one = call_ok(&client, "revoke_access_codes", json!({"code": codes[0]})).await;
    assert_eq!(one["data"]["count"], 0, "a redeemed code is not revoked");

    let both = call_err(&client, "revoke_access_codes", json!({"batch_id": batch_id, "code": codes[0]})).await;
    assert_eq!(both["code"], "VALIDATION_FAILED");
    assert!(both["message"].as_str().unwrap().contains("exactly one of"), "{both}");
    let foreign = call_err(&client, "revoke_access_codes", json!({"code": "ABCD-EFGH-JKMN"})).await;
    assert_eq!(foreign["code"], "RESOURCE_NOT_FOUND");
    client.cancel().await.ok();
}

on_every_engine!(
    a_revoked_code_is_answered_as_expired_and_the_creator_hears_nothing,
    a_plan_is_revoked_from_its_codes_with_the_exact_count_and_redeemed_access_stays,
    redemptions_racing_a_revocation_leave_each_code_redeemed_or_revoked,
    codes_revoked_during_a_messages_job_are_never_delivered,
    a_csv_sent_again_leaves_out_the_codes_revoked_meanwhile,
    an_agent_revokes_a_batch_after_a_dry_run,
);
