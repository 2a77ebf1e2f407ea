//! From `/generate` to the codes in the creator's chat.
use std::collections::HashSet;

use accessbot::db::generation::BatchStore;
use accessbot::domain::access_code::AccessCode;
use accessbot::domain::clock::now;
use accessbot::domain::events::EventEnvelope;
use accessbot::domain::generation::GenerationRequest;
use accessbot::domain::generation::draw_batch;
use accessbot::domain::ids;
use accessbot::domain::jobs::JobStatus;

use crate::on_every_engine;
use crate::support::app::file_request;
use crate::support::fake_telegram::BOT_USERNAME;
use crate::support::{Engine, TestApp};

const ANN: i64 = 2001;
const BOB: i64 = 2002;

async fn creator_with_plan(engine: Engine) -> TestApp {
    TestApp::with_creator_and_plan(engine, ANN, "VIP Club").await
}

async fn a_one_liner_confirmed_delivers_a_csv_of_unique_codes_kept_only_as_hashes(engine: Engine) {
    let app = creator_with_plan(engine).await;
    let card = app.card(ANN, "/generate VIP Club 25 file 1_month").await;
    let text = card.str("text").unwrap();
    assert!(text.contains("25 codes for VIP Club"), "{text}");
    assert!(text.contains("expire on") && text.contains("one CSV file"), "{text}");
    assert!(text.contains("If all are redeemed: 5 free, 20 paid, $0.60 in all."), "{text}");

    let answer = app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    assert_eq!(answer.str("text"), Some("Queued: 25 VIP Club codes."), "named as the creator does: {answer:?}");

    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "completed", "{job:?}");
    assert!(job.started_at.is_some() && job.completed_at.is_some());

    let documents = app.telegram.calls("sendDocument");
    assert_eq!(documents.len(), 1);
    let document = &documents[0];
    assert_eq!(document.int("chat_id"), Some(ANN));
    let (_, file_name, bytes) = &document.files[0];
    let batch_id = ids::public_id(ids::BATCH, job.batch_id.unwrap());
    assert_eq!(file_name, &format!("vip-club-{batch_id}.csv"));
    assert!(document.str("caption").unwrap().starts_with("25 codes for VIP Club. They expire on"));

    let csv_text = String::from_utf8(bytes.clone()).unwrap();
    assert!(csv_text.starts_with("code,plan,expires_at,batch_id,redeem_link\r\n"));
    assert_eq!(csv_text.matches("\r\n").count(), 26, "CRLF line ends");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let mut seen = HashSet::new();
    let expires = job.expires_at.unwrap().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for record in reader.records() {
        let record = record.unwrap();
        let code = AccessCode::parse(&record[0]).expect("a well-formed code");
        assert_eq!(&record[0], code.display());
        assert_eq!(&record[1], "VIP Club");
        assert_eq!(&record[2], expires);
        assert_eq!(&record[3], batch_id);
        assert_eq!(&record[4], format!("https://t.me/{BOT_USERNAME}?start={}", code.normalised()));
        assert!(seen.insert(code.normalised().to_owned()), "codes are unique");
    }
    assert_eq!(seen.len(), 25);
    let logs = app.logs();
    assert!(!logs.is_empty(), "the application logs");
    for line in &logs {
        assert!(!line.contains("TEST-TOKEN"), "the bot token was logged: {line}");
        assert!(!line.contains("test-instance-secret"), "the instance secret was logged: {line}");
        for code in &seen {
            let shown = AccessCode::parse(code).unwrap().display();
            assert!(!line.contains(code.as_str()) && !line.contains(&shown), "a code was logged: {line}");
        }
    }

    let rows = app.db.codes_of_batch(job.batch_id.unwrap()).await.unwrap();
    assert_eq!(rows.len(), 25);
    for row in &rows {
        assert!(row.sealed_code.is_none(), "the plaintext is erased once delivered");
        assert_eq!(row.expires_at, job.expires_at);
        assert_eq!(row.status, "unredeemed");
    }
    let stored: HashSet<String> = rows.iter().map(|r| r.code_hash.clone()).collect();
    let expected: HashSet<String> = seen.iter().map(|c| app.secret.hash_code(c)).collect();
    assert_eq!(stored, expected, "codes are stored as keyed hashes");
    let masked: HashSet<String> = rows.iter().map(|r| r.code_masked.clone()).collect();
    assert!(masked.iter().all(|m| m.starts_with("****-****-")));

    let events = app.db.events_of_type("access_code.generated").await.unwrap();
    assert_eq!(events.len(), 1);
    let envelope = serde_json::to_value(EventEnvelope::of(&events[0])).unwrap();
    assert!(envelope["id"].as_str().unwrap().starts_with("evt_"));
    assert_eq!(envelope["type"], "access_code.generated");
    assert!(envelope["created_at"].is_string());
    assert_eq!(envelope["data"]["expires_at"], serde_json::to_value(job.expires_at).unwrap());
    let data = &envelope["data"];
    assert_eq!(data["batch_id"], batch_id.as_str());
    assert_eq!(data["count"], 25);
    assert_eq!(data["plan_id"], ids::public_id(ids::PLAN, job.plan_id).as_str());

    // The job is recorded as completed just before its status message says so.
    app.telegram
        .wait_for(crate::support::app::WAIT, |requests| {
            requests
                .iter()
                .find(|r| r.method == "editMessageText" && r.str("text").is_some_and(|t| t.contains("codes are ready")))
                .map(|_| ())
        })
        .await;
    let edits = app.telegram.calls("editMessageText");
    let texts: Vec<&str> =
        edits.iter().filter(|e| e.int("message_id") == Some(card.message_id)).filter_map(|e| e.str("text")).collect();
    assert!(texts.first().unwrap().contains("25 VIP Club codes: queued"), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("generating")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("delivering")), "{texts:?}");
    assert!(texts.last().unwrap().contains("25 VIP Club codes are ready"), "{texts:?}");
    app.assert_no_violations();
}

async fn a_messages_export_sends_one_message_per_code_after_consent(engine: Engine) {
    let app = creator_with_plan(engine).await;
    let card = app.card(ANN, "/generate VIP Club 3 messages no_expiry").await;
    let agree = TestApp::button(&card, "gen:agree:");
    let markup = card.json("reply_markup").unwrap().to_string();
    assert!(markup.contains("Agree and send"), "{markup}");
    assert!(card.str("text").unwrap().contains("Sending 3 messages into this chat takes"));
    assert!(card.str("text").unwrap().contains("never expire"));

    app.tap(ANN, &card, &agree).await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "completed", "{job:?}");
    let messages: Vec<_> =
        app.telegram.calls("sendMessage").into_iter().filter(|m| m.params.contains_key("entities")).collect();
    assert_eq!(messages.len(), 3);
    let mut seen = HashSet::new();
    for message in &messages {
        let text = message.str("text").unwrap();
        let entities = message.json("entities").unwrap();
        let entity = &entities[0];
        assert_eq!(entity["type"], "code");
        let (offset, length) =
            (entity["offset"].as_u64().unwrap() as usize, entity["length"].as_u64().unwrap() as usize);
        let code_text: String = text.encode_utf16().skip(offset).take(length).map(|u| u as u8 as char).collect();
        let code = AccessCode::parse(&code_text).expect("the entity holds a code");
        assert!(text.contains(&format!("https://t.me/{BOT_USERNAME}?start={}", code.normalised())));
        seen.insert(code);
    }
    assert_eq!(seen.len(), 3);
    assert_eq!(job.delivered_count, 3);
    app.assert_no_violations();
}

async fn a_messages_export_is_not_queued_without_consent(engine: Engine) {
    let app = creator_with_plan(engine).await;
    let card = app.card(ANN, "/generate VIP Club 3 messages no_expiry").await;
    let agree = TestApp::button(&card, "gen:agree:");
    let forged = agree.replace("gen:agree:", "gen:go:");
    let answer = app.tap(ANN, &card, &forged).await;
    assert!(answer.str("text").unwrap().contains("Tap Agree and send to confirm one message per code"), "{answer:?}");
    assert!(app.jobs_of(ANN).await.is_empty());
    app.tap(ANN, &card, &agree).await;
    assert_eq!(app.finished_job(ANN).await.status, "completed");
}

async fn every_invalid_field_is_answered_with_what_to_send(engine: Engine) {
    let app = creator_with_plan(engine).await;
    let cases = [
        ("/generate VIP Club 0 file no_expiry", "Send a number from 1 to 1,000."),
        ("/generate VIP Club 1001 file no_expiry", "Send a number from 1 to 1,000."),
        ("/generate VIP Club many file no_expiry", "Send a whole number from 1 to 1,000."),
        ("/generate VIP Club 10 fax no_expiry", "deliver them: file or messages"),
        ("/generate VIP Club 10 file someday", "no_expiry, 1_day, 1_week, 1_month, 1_year"),
        ("/generate VIP Club 10 file 0_days", "Send a number greater than zero."),
        ("/generate VIP Club 10 file 11_years", "at most 10 years ahead"),
        ("/generate VIP Club 10 file 5_fortnights", "days, weeks, months or years"),
        ("/generate Gold 10 file no_expiry", "There is no plan by that name."),
        ("/generate VIP", "Tap Generate to be asked step by step"),
    ];
    for (command, expected) in cases {
        let reply = app.send_text(ANN, "Ann", command).await;
        assert!(reply.str("text").unwrap().contains(expected), "{command}: {reply:?}");
        let offers_a_card = TestApp::buttons(&reply).iter().any(|(_, data)| data.starts_with("gen:"));
        assert!(!offers_a_card, "{command} must not offer a card");
    }
    assert!(app.jobs_of(ANN).await.is_empty());
    app.assert_no_violations();
}

async fn another_teams_plan_is_not_found(engine: Engine) {
    let app = creator_with_plan(engine).await;
    app.make_creator(BOB, "Bob").await;
    let team_id = app.creator(ANN).await.team_id;
    let plan = accessbot::domain::plans::list_plans(&app.db, team_id).await.unwrap().remove(0);
    let plan_id = ids::public_id(ids::PLAN, plan.id);
    let reply = app.send_text(BOB, "Bob", &format!("/generate {plan_id} 10 file no_expiry")).await;
    assert!(reply.str("text").unwrap().contains("There is no plan by that name"), "{reply:?}");
    let by_id = app.send_text(ANN, "Ann", &format!("/generate {plan_id} 10 file no_expiry")).await;
    assert!(by_id.params.contains_key("reply_markup"), "the owner may name the plan by id");
}

async fn a_double_tap_on_generate_queues_one_job_and_every_tap_is_answered(engine: Engine) {
    let app = creator_with_plan(engine).await;
    let card = app.card(ANN, "/generate VIP Club 5 file no_expiry").await;
    let go = TestApp::button(&card, "gen:go:");
    // Each tap is a callback query of its own, as a client sends two for a double tap.
    let (first, second) = (app.callback_json(ANN, &card, &go), app.callback_json(ANN, &card, &go));
    let before = app.telegram.requests().len();
    app.telegram.push_update(first);
    app.telegram.push_update(second);
    app.telegram
        .wait_for(crate::support::app::WAIT, |requests| {
            (requests.iter().skip(before).filter(|r| r.method == "answerCallbackQuery").count() == 2).then_some(())
        })
        .await;
    let second = app.tap(ANN, &card, &go).await;
    assert!(second.str("text").unwrap().contains("Already queued."), "{second:?}");
    app.finished_job(ANN).await;
    assert_eq!(app.jobs_of(ANN).await.len(), 1);
    assert_eq!(app.telegram.calls("sendDocument").len(), 1);
    let answers = app.telegram.requests().iter().skip(before).filter(|r| r.method == "answerCallbackQuery").count();
    assert_eq!(answers, 3, "every callback query is answered");
}

async fn a_cancelled_card_queues_nothing(engine: Engine) {
    let app = creator_with_plan(engine).await;
    let card = app.card(ANN, "/generate VIP Club 5 file no_expiry").await;
    let cancelled = app.tap(ANN, &card, &TestApp::button(&card, "gen:cancel:")).await;
    assert!(cancelled.str("text").unwrap().contains("Cancelled"));
    let late = app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    assert!(late.str("text").unwrap().contains("This menu has expired"));
    assert!(app.jobs_of(ANN).await.is_empty());
}

async fn foreign_and_forged_taps_change_nothing(engine: Engine) {
    let app = creator_with_plan(engine).await;
    app.make_creator(BOB, "Bob").await;
    let card = app.card(ANN, "/generate VIP Club 5 file no_expiry").await;
    let go = TestApp::button(&card, "gen:go:");
    for (user, data) in [
        (BOB, go.as_str()),
        (3003, go.as_str()),
        (ANN, "gen:go:01JZZZZZZZZZZZZZZZZZZZZZZZ"),
        (ANN, "gen:explode:x"),
        (ANN, "something else"),
    ] {
        let answer = app.tap(user, &card, data).await;
        assert!(answer.str("text").unwrap().contains("This menu has expired"), "{user} {data}: {answer:?}");
    }
    assert!(app.jobs_of(ANN).await.is_empty());
    assert!(app.jobs_of(BOB).await.is_empty());
    app.assert_no_violations();
}

async fn the_preview_counts_this_cycles_redemptions_against_the_allotment(engine: Engine) {
    let app = creator_with_plan(engine).await;
    let card = app.card(ANN, "/generate VIP Club 6 file no_expiry").await;
    assert!(card.str("text").unwrap().contains("If all are redeemed: 5 free, 1 paid, $0.03 in all."));
    app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    let job = app.finished_job(ANN).await;
    let expectations =
        [(4, "1 free, 2 paid, $0.06 in all"), (5, "0 free, 3 paid, $0.09 in all"), (6, "0 free, 3 paid, $0.09 in all")];
    for (redeemed, expected) in expectations {
        crate::support::app::mark_redeemed(&app, job.batch_id.unwrap(), redeemed).await;
        let card = app.card(ANN, "/generate VIP Club 3 file no_expiry").await;
        assert!(card.str("text").unwrap().contains(expected), "{redeemed} redeemed: {:?}", card.str("text"));
    }
}

async fn a_code_that_already_exists_is_drawn_again_and_never_stored_twice(engine: Engine) {
    let mut app = creator_with_plan(engine).await;
    app.stop().await;
    let (creator, queue) = (app.creator(ANN).await, app.queue());
    let request = GenerationRequest {
        expiry_preset: "custom".to_owned(),
        custom_expiry_amount: Some(2),
        custom_expiry_type: Some("weeks".to_owned()),
        ..file_request("vip club", 5)
    };
    let queued = serde_json::to_value(queue.enqueue(&creator, &request, "test", now()).await.unwrap()).unwrap();
    assert!(queued["job_id"].as_str().unwrap().starts_with("mjb_"));
    assert_eq!(queued["status"], "queued");
    assert!(queued["plan_id"].as_str().unwrap().starts_with("pln_"));
    assert_eq!(queued["quantity"], 5);
    assert!(queued["enqueued_at"].is_string());
    assert_eq!(queued["preview"], serde_json::json!({"free_remaining": 5, "chargeable_quantity": 0, "cost": "0.00"}));
    queue.enqueue(&creator, &request, "test", now()).await.unwrap();

    let long_ago = now() - chrono::Duration::days(1);
    let first = app.db.claim_next_job("test", now(), long_ago).await.unwrap().unwrap();
    let (batch, codes, event) = draw_batch(&app.secret, &first, now());
    let taken_hash = codes[0].code_hash.clone();
    assert_eq!(app.db.store_batch("test", batch, codes, event).await.unwrap(), BatchStore::Stored);

    let second = app.db.claim_next_job("test", now(), long_ago).await.unwrap().unwrap();
    let (batch, mut codes, event) = draw_batch(&app.secret, &second, now());
    codes[3].code_hash = taken_hash;
    let colliding_batch = batch.id;
    assert_eq!(app.db.store_batch("test", batch, codes, event).await.unwrap(), BatchStore::Collision);
    assert!(app.db.find_batch(colliding_batch).await.unwrap().is_none(), "nothing of the colliding batch was written");
    assert!(app.db.codes_of_batch(colliding_batch).await.unwrap().is_empty());
    assert!(app.db.find_job(second.id).await.unwrap().unwrap().batch_id.is_none());
    assert_eq!(app.db.events_of_type("access_code.generated").await.unwrap().len(), 1);

    // The abandoned jobs are taken over once their lease runs out, and finish with fresh codes.
    app.start_instance().await;
    crate::support::app::wait_until("both jobs complete", async || {
        app.db.count_jobs_with_status(JobStatus::Completed).await.unwrap() >= 2
    })
    .await;
    let job = app.db.find_job(second.id).await.unwrap().unwrap();
    assert_eq!(app.db.codes_of_batch(job.batch_id.unwrap()).await.unwrap().len(), 5);
    assert_eq!(
        job.expires_at,
        Some(accessbot::domain::expiry::CalendarUnit::Weeks.add_to(job.enqueued_at, 2).unwrap())
    );
}

on_every_engine!(
    a_code_that_already_exists_is_drawn_again_and_never_stored_twice,
    a_one_liner_confirmed_delivers_a_csv_of_unique_codes_kept_only_as_hashes,
    a_messages_export_sends_one_message_per_code_after_consent,
    a_messages_export_is_not_queued_without_consent,
    every_invalid_field_is_answered_with_what_to_send,
    another_teams_plan_is_not_found,
    a_double_tap_on_generate_queues_one_job_and_every_tap_is_answered,
    a_cancelled_card_queues_nothing,
    foreign_and_forged_taps_change_nothing,
    the_preview_counts_this_cycles_redemptions_against_the_allotment,
);
