//! Batches: named when generated, listed newest first with their counts, and each one's funnel; in the bot
//! and over MCP.
use accessbot::db::codes::CodeScope;
use accessbot::domain::clock::now;
use accessbot::domain::{plans, revocation};
use serde_json::json;

use crate::on_every_engine;
use crate::support::app::{WAIT, wait_until};
use crate::support::fake_telegram::{BOT_ID, Recorded};
use crate::support::mcp::{call_err, call_ok};
use crate::support::{Engine, TestApp};

const ANN: i64 = 7501;
const SAM: i64 = 7601;
const SUE: i64 = 7602;
const CHANNEL: i64 = -100_750;

async fn ann_with_linked_plan(engine: Engine) -> TestApp {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let plan = plans::find_team_plan(&app.db, app.creator(ANN).await.team_id, "VIP").await.unwrap();
    app.telegram.set_admin(CHANNEL, BOT_ID, true, true);
    plans::link_chat(&app.db, &plan, CHANNEL, "VIP channel", None, now()).await.unwrap();
    app
}

/// Confirms a `/generate` card of Ann's and returns the codes of the CSV it brings.
pub(crate) async fn generate(app: &TestApp, command: &str) -> (Recorded, Vec<String>) {
    crate::support::app::generate_by_card(app, ANN, command).await
}

/// The first message to Ann after `before` requests whose text contains `needle`.
pub(crate) async fn to_ann(app: &TestApp, command: &str, needle: &str) -> Recorded {
    let before = app.telegram.requests().len();
    app.telegram.push_update(app.message_json(ANN, "Ann", command));
    app.message_containing(ANN, needle, before).await
}

async fn a_labelled_batch_shows_its_counts_and_where_its_redemptions_led(engine: Engine) {
    let app = ann_with_linked_plan(engine).await;
    let (card, codes) = generate(&app, "/generate VIP 4 file 1_month label=Reseller   Anna").await;
    assert!(card.str("text").unwrap().contains("🏷 Batch: Reseller Anna"), "{card:?}");
    let sam = app.send_text(SAM, "Sam", &codes[0]).await;
    app.send_text(SUE, "=cmd|' /C calc'!A0", &codes[1]).await;
    let link = TestApp::buttons(&sam).into_iter().find(|(label, _)| label.contains("Join")).unwrap().1;
    app.telegram.push_join_request(CHANNEL, SAM, "Sam", &link);
    wait_until("Sam is let in", async || app.telegram.member_status(CHANNEL, SAM) == "member").await;
    let team = app.creator(ANN).await.team_id;
    let batch = app.jobs_of(ANN).await[0].batch_id.unwrap();
    let fourth = app.db.codes_of_batch(batch).await.unwrap()[3].id;
    let target = revocation::target_of(&app.db, team, CodeScope::Code(fourth), now()).await.unwrap();
    revocation::revoke(&app.db, team, target, now()).await.unwrap();
    generate(&app, "/generate VIP 2 file no_expiry").await;

    let list = to_ann(&app, "/batches", "Your batches").await;
    let text = list.str("text").unwrap();
    let (newest, labelled) = (text.find("2 codes of").unwrap(), text.find("Reseller Anna — VIP").unwrap());
    assert!(newest < labelled, "newest first: {text}");
    assert!(text.contains("unredeemed 1 · redeemed 2 · expired 0 · revoked 1"), "{text}");
    let batch_card = app.tap_edit(ANN, &list, &TestApp::button_labeled(&list, "Reseller Anna")).await;
    let shown = batch_card.str("text").unwrap();
    assert!(shown.contains("4 “VIP” codes"), "{shown}");
    assert!(shown.contains("Redeemed by 2 → joined a chat 1 → still active 2"), "{shown}");
    let preview = app.tap_edit(ANN, &batch_card, &TestApp::button_labeled(&batch_card, "Revoke unredeemed")).await;
    assert!(preview.str("text").unwrap().contains("Revoke the 1 unredeemed code of the batch of 4 “VIP” codes"));
    let back = app.tap_edit(ANN, &preview, &TestApp::button(&preview, "rv:no")).await;
    assert_eq!(back.str("text"), Some("Nothing was revoked."));
    let batch_codes = app.tap_edit(ANN, &batch_card, &TestApp::button_labeled(&batch_card, "Codes")).await;
    let listed = batch_codes.str("text").unwrap();
    assert!(listed.contains("🏷 Batch: Reseller Anna"), "{listed}");
    assert!(listed.contains("Unredeemed 1 · Redeemed 2 · Expired 0 · Revoked 1 · All 4"), "only the batch: {listed}");
    assert!(TestApp::buttons(&batch_codes).iter().any(|(label, _)| label == "⬅ Batch"));

    let before = app.telegram.calls("sendDocument").len();
    app.tap(ANN, &batch_card, &TestApp::button_labeled(&batch_card, "Export redemptions")).await;
    let document =
        app.telegram.wait_for(WAIT, |r| r.iter().filter(|r| r.method == "sendDocument").nth(before).cloned()).await;
    assert_eq!(document.str("caption"), Some("2 redemptions of the batch “Reseller Anna”."));
    let mut reader = csv::Reader::from_reader(document.files[0].2.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "code",
            "batch",
            "redeemed_at",
            "subscriber_id",
            "username",
            "name",
            "subscription_ends_at",
            "chats_joined",
            "status"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let row_of = |person: i64| rows.iter().find(|row| row[3] == person.to_string()).expect("a row each").clone();
    let (sam, sue) = (row_of(SAM), row_of(SUE));
    assert_eq!(&sam[0], format!("****-****-{}", &codes[0][10..]));
    assert_eq!((&sam[1], &sam[5], &sam[7], &sam[8]), ("Reseller Anna", "Sam", "VIP channel", "active"));
    assert!(
        chrono::DateTime::parse_from_rfc3339(&sam[2]).is_ok() && chrono::DateTime::parse_from_rfc3339(&sam[6]).is_ok()
    );
    assert_eq!((&sue[5], &sue[7]), ("'=cmd|' /C calc'!A0", ""), "a formula is neutralised");
    let newest = app.jobs_of(ANN).await[0].batch_id.unwrap();
    let empty = app.tap(ANN, &batch_card, &format!("ex:b:{}", ulid::Ulid::from(newest))).await;
    assert_eq!(empty.str("text"), Some("Nothing to export: no code here has been redeemed yet."));

    let codes_page = to_ann(&app, "/codes VIP", "Codes of “VIP”").await;
    let before = app.telegram.calls("sendDocument").len();
    app.tap(ANN, &codes_page, &TestApp::button_labeled(&codes_page, "Export redemptions")).await;
    let plan_export =
        app.telegram.wait_for(WAIT, |r| r.iter().filter(|r| r.method == "sendDocument").nth(before).cloned()).await;
    assert_eq!(plan_export.str("caption"), Some("2 redemptions of “VIP”."));

    let plan_page = to_ann(&app, "/batches VIP", "Batches of “VIP”").await;
    assert_eq!(TestApp::buttons(&plan_page).iter().filter(|(label, _)| label.starts_with("🏷")).count(), 2);
    let missing = to_ann(&app, "/batches Gold", "no plan").await;
    assert!(TestApp::buttons(&missing).iter().any(|(_, data)| data == "menu:plans"));
    let long = format!("/generate VIP 1 file no_expiry label={}", "x".repeat(65));
    let refused = app.send_text(ANN, "Ann", &long).await;
    assert_eq!(refused.str("text"), Some("⚠️ Make the batch label shorter: at most 64 characters."));
}

async fn an_agent_pages_through_batches_newest_first(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    app.send_text(ANN, "Ann", "/newplan Gold 30d").await;
    let client =
        app.mcp(&app.token(ANN, "mcp:full,project-access-code:create,project-access-code:view-any").await).await;
    // One after another: batches are ordered by when they were drawn.
    for (n, label) in ["first", "second", "third"].into_iter().enumerate() {
        let job = json!({"plan_id": "VIP", "quantity": 2, "export_type": "file", "expiry_preset": "no_expiry", "label": label});
        call_ok(&client, "bulk_generate_access_codes", job).await;
        wait_until("the batch is stored", async || {
            app.jobs_of(ANN).await.iter().filter(|job| job.batch_id.is_some()).count() == n + 1
        })
        .await;
    }
    let page = call_ok(&client, "list_batches", json!({"limit": 2})).await;
    let labels: Vec<&str> = page["data"].as_array().unwrap().iter().map(|b| b["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["third", "second"]);
    assert_eq!(page["data"][0]["codes"]["unredeemed"], 2);
    assert!(page["data"][0]["id"].as_str().unwrap().starts_with("btc_"));
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = call_ok(&client, "list_batches", json!({"limit": 2, "cursor": cursor})).await;
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
    assert_eq!(rest["data"][0]["label"], "first");
    assert!(rest["next_cursor"].is_null());
    let first = rest["data"][0]["id"].as_str().unwrap().to_owned();
    let codes = call_ok(&client, "list_access_codes", json!({"plan_id": "VIP", "batch_id": first})).await;
    assert_eq!(codes["meta"]["total"], 2, "only that batch's codes");
    let elsewhere = call_err(&client, "list_access_codes", json!({"plan_id": "Gold", "batch_id": first})).await;
    assert_eq!(elsewhere["code"], "RESOURCE_NOT_FOUND", "a batch of another plan");
    let gold = call_ok(&client, "list_batches", json!({"plan_id": "Gold"})).await;
    assert!(gold["data"].as_array().unwrap().is_empty());
    let long = json!({"plan_id": "VIP", "quantity": 1, "export_type": "file", "expiry_preset": "no_expiry", "label": "x".repeat(65)});
    let refused = call_err(&client, "bulk_generate_access_codes", long).await;
    assert_eq!(refused["field"], "label");
    client.cancel().await.ok();
}

async fn codes_with_a_prefix_are_read_in_any_case_with_or_without_dashes(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let (card, codes) = generate(&app, "/generate VIP 3 file no_expiry prefix=vip label=Promo").await;
    let text = card.str("text").unwrap();
    assert!(text.contains("Codes look like VIP-XXXX-XXXX-XXXX") && text.contains("Batch: Promo"), "{text}");
    assert!(codes.iter().all(|code| code.starts_with("VIP-") && code.len() == 18), "{codes:?}");
    let accepted = |reply: Recorded| reply.str("text").unwrap().contains("Code accepted");
    assert!(accepted(app.send_text(SAM, "Sam", &codes[0].to_lowercase().replace('-', "")).await));
    assert!(accepted(app.send_text(SUE, "Sue", &format!("/start {}", codes[1].replace('-', ""))).await));
    let events = app.db.events_of_type("access_code.redeemed").await.unwrap();
    assert!(events.iter().all(|event| event.data.contains("VIP-****-****-")), "masked after the prefix");

    let short = to_ann(&app, "/generate VIP 3 file no_expiry prefix=V", "⚠️").await;
    assert_eq!(short.str("text"), Some("⚠️ A prefix is 2 to 6 letters A–Z or digits, such as prefix=VIP."));
    let unknown = to_ann(&app, "/generate VIP 3 file no_expiry colour=red", "⚠️").await;
    assert!(unknown.str("text").unwrap().contains("takes uses="), "{unknown:?}");
    let client = app.mcp(&app.token(ANN, "mcp:full,project-access-code:create").await).await;
    let job =
        json!({"plan_id": "VIP", "quantity": 1, "export_type": "file", "expiry_preset": "no_expiry", "prefix": "V-P"});
    assert_eq!(call_err(&client, "bulk_generate_access_codes", job).await["field"], "prefix");
    client.cancel().await.ok();
}

/// A batch for new people refuses someone who subscribed before, and one for returning people refuses someone
/// whose subscription has not ended; neither refusal uses the code up or counts as a wrong guess.
async fn a_batch_for_new_or_returning_people_refuses_others_without_using_the_code(engine: Engine) {
    use crate::support::app::move_subscription_end;
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let (_, open) = generate(&app, "/generate VIP 1 file no_expiry").await;
    app.send_text(SAM, "Sam", &open[0]).await;
    let (card, welcome) = generate(&app, "/generate VIP 2 file no_expiry for=new label=Welcome").await;
    assert!(card.str("text").unwrap().contains("Only people who never subscribed to you"), "{card:?}");
    let refused = app.send_text(SAM, "Sam", &welcome[0]).await;
    assert!(refused.str("text").unwrap().starts_with("❌ This code is for new subscribers only"), "{refused:?}");
    assert!(app.db.failed_attempts_since(SAM, now() - chrono::Duration::hours(1)).await.unwrap().is_empty());
    let sue = app.send_text(SUE, "Sue", &welcome[0]).await;
    assert!(sue.str("text").unwrap().contains("Code accepted"), "the refusal left the code unused: {sue:?}");

    let (_, comeback) = generate(&app, "/generate VIP 1 file no_expiry for=returning").await;
    let active = app.send_text(SUE, "Sue", &comeback[0]).await;
    assert!(active.str("text").unwrap().starts_with("❌ This code renews a subscription"), "{active:?}");
    move_subscription_end(&app, SAM, now() - chrono::Duration::days(1)).await;
    // The sweep tells Sam his access ended meanwhile: the answer is the message that accepts the code.
    let before = app.telegram.requests().len();
    app.telegram.push_update(app.message_json(SAM, "Sam", &comeback[0]));
    app.message_containing(SAM, "Code accepted", before).await;

    let wrong = to_ann(&app, "/generate VIP 1 file no_expiry for=friends", "⚠️").await;
    assert!(wrong.str("text").unwrap().contains("for=new, for=returning or for=anyone"), "{wrong:?}");
}

/// A plan name, a label and a subscriber name shaped like spreadsheet formulas reach the CSVs as text.
async fn formula_shaped_names_reach_every_csv_as_text(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "@Gold").await;
    let (_, codes) = generate(&app, "/generate @Gold 2 file no_expiry label=-Black Friday").await;
    let batch = app.jobs_of(ANN).await[0].batch_id.unwrap();
    let sent = app.telegram.calls("sendDocument");
    let mut reader = csv::Reader::from_reader(sent.last().unwrap().files[0].2.as_slice());
    assert!(reader.records().map(Result::unwrap).all(|row| &row[1] == "'@Gold"), "the plan's cell");
    app.send_text(SAM, "+SUM(A1:A9)", &codes[0]).await;
    let before = app.telegram.calls("sendDocument").len();
    app.telegram.push_update(app.callback_json(ANN, &sent[0], &format!("ex:b:{}", ulid::Ulid::from(batch))));
    let export =
        app.telegram.wait_for(WAIT, |r| r.iter().filter(|r| r.method == "sendDocument").nth(before).cloned()).await;
    let mut reader = csv::Reader::from_reader(export.files[0].2.as_slice());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!((&row[1], &row[5]), ("'-Black Friday", "'+SUM(A1:A9)"), "{row:?}");
}

/// Sends `text` as Ann and returns the first message to her after it that carries buttons.
async fn ann_answer_with_buttons(app: &TestApp, text: &str) -> Recorded {
    let before = app.telegram.requests().len();
    app.telegram.push_update(app.message_json(ANN, "Ann", text));
    app.telegram
        .wait_for(WAIT, |requests| {
            requests[before..]
                .iter()
                .find(|r| {
                    r.method == "sendMessage" && r.int("chat_id") == Some(ANN) && r.params.contains_key("reply_markup")
                })
                .cloned()
        })
        .await
}

async fn the_cards_options_set_uses_prefix_who_and_label_by_buttons_and_prompts(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let card = app.card(ANN, "/generate VIP 2 file no_expiry").await;
    let options = app.tap_edit(ANN, &card, &TestApp::button(&card, "gen:opt:")).await;
    let text = options.str("text").unwrap();
    for line in ["People per code: 1", "No prefix", "Anyone may redeem", "No label"] {
        assert!(text.contains(line), "{line}: {text}");
    }
    let question = app.tap_edit(ANN, &options, &TestApp::button(&options, "gen:asku:")).await;
    assert!(question.str("text").unwrap().contains("Send how many people each code lets in"), "{question:?}");
    let wrong = ann_answer_with_buttons(&app, "0").await;
    assert!(wrong.str("text").unwrap().starts_with("⚠️ Each code lets in from 1 to 100,000 people"), "{wrong:?}");
    let shown = ann_answer_with_buttons(&app, "25").await;
    assert!(shown.str("text").unwrap().contains("People per code: 25"), "{shown:?}");
    let question = app.tap_edit(ANN, &shown, &TestApp::button(&shown, "gen:askp:")).await;
    app.tap_edit(ANN, &question, &TestApp::button(&question, "gen:opt:")).await;
    let ignored = app.send_text(ANN, "Ann", "vip").await;
    assert!(
        !ignored.str("text").unwrap_or_default().contains("Codes look like"),
        "Back closed the question: {ignored:?}"
    );
    let question = app.tap_edit(ANN, &shown, &TestApp::button(&shown, "gen:askp:")).await;
    assert!(question.str("text").unwrap().contains("2 to 6 letters"), "{question:?}");
    let shown = ann_answer_with_buttons(&app, "vip").await;
    assert!(shown.str("text").unwrap().contains("Codes look like VIP-XXXX-XXXX-XXXX"), "{shown:?}");
    app.tap_edit(ANN, &shown, &TestApp::button(&shown, "gen:askl:")).await;
    let shown = ann_answer_with_buttons(&app, "Black Friday").await;
    assert!(shown.str("text").unwrap().contains("Batch: Black Friday"), "{shown:?}");
    let who = app.tap_edit(ANN, &shown, &TestApp::button(&shown, "gen:whon:")).await;
    assert!(who.str("text").unwrap().contains("Only people who never subscribed to you"), "{who:?}");
    assert_eq!(TestApp::button_labeled(&who, "✓ New people"), TestApp::button(&who, "gen:whon:"));
    let question = app.tap_edit(ANN, &who, &TestApp::button(&who, "gen:askl:")).await;
    let cleared = app.tap_edit(ANN, &question, &TestApp::button(&question, "gen:clrl:")).await;
    assert!(cleared.str("text").unwrap().contains("No label"), "{cleared:?}");

    let back = app.tap_edit(ANN, &cleared, &TestApp::button(&cleared, "gen:back:")).await;
    let text = back.str("text").unwrap();
    assert!(text.contains("Each code lets up to 25 people in, once each."), "{text}");
    assert!(text.contains("Codes look like VIP-XXXX-XXXX-XXXX") && text.contains("never subscribed"), "{text}");
    assert!(text.contains("If all are redeemed: 5 free, 45 paid"), "{text}");
    app.tap(ANN, &back, &TestApp::button(&back, "gen:go:")).await;
    let job = app.finished_job(ANN).await;
    let batch = app.db.find_batch(job.batch_id.unwrap()).await.unwrap().unwrap();
    assert_eq!(
        (batch.max_redemptions, batch.prefix.as_deref(), batch.eligibility.as_deref(), batch.label),
        (25, Some("VIP"), Some("new"), None)
    );
    let late = app.tap(ANN, &back, &TestApp::button(&back, "gen:opt:")).await;
    assert!(late.str("text").unwrap().contains("This menu has expired"), "a confirmed card's options: {late:?}");
    app.assert_no_violations();
}

on_every_engine!(
    the_cards_options_set_uses_prefix_who_and_label_by_buttons_and_prompts,
    formula_shaped_names_reach_every_csv_as_text,
    a_batch_for_new_or_returning_people_refuses_others_without_using_the_code,
    codes_with_a_prefix_are_read_in_any_case_with_or_without_dashes,
    a_labelled_batch_shows_its_counts_and_where_its_redemptions_led,
    an_agent_pages_through_batches_newest_first,
);
