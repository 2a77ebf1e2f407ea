//! The creator's conversation: the guided /generate, plans, /status, /codes, menus and languages.
use accessbot::domain::clock::now;
use accessbot::domain::ids;
use serde_json::json;

use crate::on_every_engine;
use crate::support::app::{WAIT, file_request};
use crate::support::fake_telegram::{BOT_ID, Recorded, Scripted};
use crate::support::{Engine, TestApp};

const ANN: i64 = 6001;
const BOB: i64 = 6002;
const CHANNEL: i64 = -100_600;

const EXPIRED: &str = "This menu has expired.";

/// Ann's `/generate` menu, at the plan step.
async fn wizard(app: &TestApp) -> Recorded {
    let menu = app.send_text(ANN, "Ann", "/generate").await;
    assert!(menu.str("text").unwrap().contains("Which plan"), "{menu:?}");
    menu
}

/// Sends `text` to the bot as Ann and returns the menu the bot answers with.
async fn type_text(app: &TestApp, text: &str) -> Recorded {
    app.send_text(ANN, "Ann", text).await
}

fn text(shown: &Recorded) -> &str {
    shown.str("text").unwrap_or_default()
}

async fn the_wizard_leads_to_a_delivered_csv_and_rejects_bad_numbers(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let menu = wizard(&app).await;
    let quantity = app.tap_edit(ANN, &menu, &TestApp::button_labeled(&menu, "VIP")).await;
    assert!(text(&quantity).contains("How many codes for “VIP”"), "{quantity:?}");
    assert_eq!(
        TestApp::buttons(&quantity).iter().take(5).map(|(label, _)| label.as_str()).collect::<Vec<_>>(),
        ["10", "50", "100", "500", "1000"]
    );

    let wrong = type_text(&app, "lots").await;
    assert!(text(&wrong).contains("Send a whole number from 1 to 1,000") && text(&wrong).contains("How many codes"));
    let too_many = type_text(&app, "5000").await;
    assert!(text(&too_many).contains("Send a number from 1 to 1,000"), "{too_many:?}");
    let delivery = type_text(&app, "7").await;
    assert!(text(&delivery).contains("CSV file") && text(&delivery).contains("7 messages in this chat, which takes"));

    let expiry = app.tap_edit(ANN, &delivery, &TestApp::button_labeled(&delivery, "CSV file")).await;
    assert!(text(&expiry).contains("When should unused codes expire?"));
    let unit = app.tap_edit(ANN, &expiry, &TestApp::button_labeled(&expiry, "Custom")).await;
    let amount = app.tap_edit(ANN, &unit, &TestApp::button_labeled(&unit, "weeks")).await;
    assert!(text(&amount).contains("How many weeks?"));
    let zero = type_text(&app, "0").await;
    assert!(text(&zero).contains("Send a number greater than zero"), "{zero:?}");
    let card = type_text(&app, "2").await;
    assert!(text(&card).contains("7 codes for VIP") && text(&card).contains("one CSV file"), "{card:?}");
    let expected = (now() + chrono::Duration::weeks(2)).format("%-d %b %Y").to_string();
    assert!(text(&card).contains(&expected), "custom expiry of two weeks: {card:?}");

    app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    let job = app.finished_job(ANN).await;
    assert_eq!((job.status.as_str(), job.quantity), ("completed", 7));
    let document = app.telegram.calls("sendDocument").pop().expect("the CSV arrived");
    assert_eq!(String::from_utf8(document.files[0].2.clone()).unwrap().lines().count(), 8, "a header and 7 codes");
    let summary = app.edit_of_containing(&card, "7 VIP codes are ready").await;
    let job_id = ids::public_id(ids::JOB, job.id);
    assert_eq!(TestApp::button_labeled(&summary, "Details"), format!("st:j:{}", &job_id[4..]));
    assert_eq!(TestApp::button_labeled(&summary, "Generate more"), "menu:generate");
    let before_more = app.telegram.requests().len();
    app.tap(ANN, &summary, "menu:generate").await;
    let more = app.next_message_to(ANN, before_more).await;
    assert!(text(&more).contains("Which plan"), "Generate more opens the wizard again: {more:?}");
    let again = app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    assert!(text(&again).contains("Already queued"), "confirming twice makes one job");
    assert_eq!(app.jobs_of(ANN).await.len(), 1);
    app.assert_no_violations();
}

async fn every_back_and_cancel_goes_where_it_says(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let menu = wizard(&app).await;
    let quantity = app.tap_edit(ANN, &menu, &TestApp::button_labeled(&menu, "VIP")).await;
    let back_to_plans = app.tap_edit(ANN, &quantity, &TestApp::button_labeled(&quantity, "Back")).await;
    assert!(text(&back_to_plans).contains("Which plan"));
    let quantity = app.tap_edit(ANN, &back_to_plans, &TestApp::button_labeled(&back_to_plans, "VIP")).await;
    let delivery = app.tap_edit(ANN, &quantity, &TestApp::button_labeled(&quantity, "50")).await;
    let back = app.tap_edit(ANN, &delivery, &TestApp::button_labeled(&delivery, "Back")).await;
    assert!(text(&back).contains("How many codes"));
    let delivery = app.tap_edit(ANN, &back, &TestApp::button_labeled(&back, "50")).await;
    let expiry = app.tap_edit(ANN, &delivery, &TestApp::button_labeled(&delivery, "One message per code")).await;
    let back = app.tap_edit(ANN, &expiry, &TestApp::button_labeled(&expiry, "Back")).await;
    assert!(text(&back).contains("How should the bot deliver them?"));
    let expiry = app.tap_edit(ANN, &back, &TestApp::button_labeled(&back, "One message per code")).await;
    let unit = app.tap_edit(ANN, &expiry, &TestApp::button_labeled(&expiry, "Custom")).await;
    let back = app.tap_edit(ANN, &unit, &TestApp::button_labeled(&unit, "Back")).await;
    assert!(text(&back).contains("When should unused codes expire?"));
    let card = app.tap_edit(ANN, &back, &TestApp::button_labeled(&back, "1 month")).await;
    assert!(text(&card).contains("50 codes for VIP"), "{card:?}");
    let consent = TestApp::button(&card, "gen:agree:");
    let back = app.tap_edit(ANN, &card, &TestApp::button_labeled(&card, "Back")).await;
    assert!(text(&back).contains("When should unused codes expire?"));
    let stale = app.tap(ANN, &card, &consent).await;
    assert_eq!(text(&stale), EXPIRED, "Back withdrew the card's draft");

    let cancelled = app.tap_edit(ANN, &back, &TestApp::button_labeled(&back, "Cancel")).await;
    assert!(text(&cancelled).contains("Cancelled"));
    let after_cancel = app.tap(ANN, &back, &TestApp::button_labeled(&back, "1 week")).await;
    assert_eq!(text(&after_cancel), EXPIRED);

    let menu = wizard(&app).await;
    let quantity = app.tap_edit(ANN, &menu, &TestApp::button_labeled(&menu, "VIP")).await;
    let left = type_text(&app, "/cancel").await;
    assert!(text(&left).contains("Cancelled"));
    let not_a_quantity = type_text(&app, "12").await;
    assert!(text(&not_a_quantity).contains("not something the bot can act on"), "the flow is over: {not_a_quantity:?}");
    assert_eq!(text(&app.tap(ANN, &quantity, &TestApp::button_labeled(&quantity, "10")).await), EXPIRED);
    assert!(app.jobs_of(ANN).await.is_empty(), "nothing was generated");
    app.assert_no_violations();
}

async fn a_restart_between_two_steps_loses_nothing(engine: Engine) {
    let mut app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let menu = wizard(&app).await;
    let quantity = app.tap_edit(ANN, &menu, &TestApp::button_labeled(&menu, "VIP")).await;
    app.stop().await;
    app.start_instance().await;
    let delivery = app.tap_edit(ANN, &quantity, &TestApp::button_labeled(&quantity, "10")).await;
    assert!(text(&delivery).contains("How should the bot deliver them?"), "{delivery:?}");
    let expiry = app.tap_edit(ANN, &delivery, &TestApp::button_labeled(&delivery, "CSV file")).await;
    let card = app.tap_edit(ANN, &expiry, &TestApp::button_labeled(&expiry, "Never")).await;
    assert!(text(&card).contains("10 codes for VIP") && text(&card).contains("never expire"), "{card:?}");
}

async fn forged_foreign_and_stale_taps_change_nothing(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    app.make_creator(BOB, "Bob").await;
    let menu = wizard(&app).await;
    let pick = TestApp::button_labeled(&menu, "VIP");
    let before = app.telegram.calls("editMessageText").len();
    assert_eq!(text(&app.tap(BOB, &menu, &pick).await), EXPIRED, "another creator's tap");
    let forged = format!("w:{}:0:q:10", ulid::Ulid::generate());
    assert_eq!(text(&app.tap(ANN, &menu, &forged).await), EXPIRED, "a forged conversation");
    let wrong_step = pick.rsplit_once(":p:").unwrap().0.to_owned() + ":q:10";
    assert_eq!(text(&app.tap(ANN, &menu, &wrong_step).await), EXPIRED, "a button of another step");
    assert_eq!(text(&app.tap(ANN, &menu, "gen:go:not-a-draft").await), EXPIRED);
    assert_eq!(app.telegram.calls("editMessageText").len(), before, "nothing was edited");

    let quantity = app.tap_edit(ANN, &menu, &pick).await;
    assert_eq!(text(&app.tap(ANN, &menu, &pick).await), EXPIRED, "the same button twice");
    let delivery = app.tap_edit(ANN, &quantity, &TestApp::button_labeled(&quantity, "10")).await;
    assert!(text(&delivery).contains("How should the bot deliver them?"), "Ann's flow went on untouched");

    let plans = app.send_text(ANN, "Ann", "/plans").await;
    let archive = TestApp::button_labeled(&plans, "Archive");
    assert_eq!(text(&app.tap(BOB, &plans, &archive).await), EXPIRED, "Bob cannot archive Ann's plan");
    let plan = app.db.list_plans(app.creator(ANN).await.team_id).await.unwrap().remove(0);
    assert_eq!(plan.status, "active");
    let status = format!("st:j:{}", ulid::Ulid::generate());
    assert_eq!(text(&app.tap(ANN, &plans, &status).await), EXPIRED);
    let codes = format!("cd:{}:a:1", ulid::Ulid::from(plan.id));
    assert_eq!(text(&app.tap(BOB, &plans, &codes).await), EXPIRED, "Bob cannot list Ann's codes");
    app.assert_no_violations();
}

async fn more_than_eight_plans_are_paged_and_archived_ones_are_not_offered(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "Plan 01").await;
    for n in 2..=10 {
        app.send_text(ANN, "Ann", &format!("/newplan Plan {n:02} 30d")).await;
    }
    let plans = app.send_text(ANN, "Ann", "/plans").await;
    let archive_first = TestApp::buttons(&plans).into_iter().find(|(label, _)| label.contains("Archive")).unwrap().1;
    let archived = app.tap_edit(ANN, &plans, &archive_first).await;
    assert!(text(&archived).contains("Plan 01 — 30 days (archived"), "{archived:?}");
    assert!(TestApp::button_labeled(&archived, "Re-activate").starts_with("pl:re:"));

    let menu = wizard(&app).await;
    let labels: Vec<String> = TestApp::buttons(&menu).into_iter().map(|(label, _)| label).collect();
    assert_eq!(&labels[..8], ["Plan 02", "Plan 03", "Plan 04", "Plan 05", "Plan 06", "Plan 07", "Plan 08", "Plan 09"]);
    assert!(text(&menu).contains("page 1 of 2"));
    assert!(!labels.iter().any(|label| label == "Plan 01"), "archived plans are not offered");
    let second = app.tap_edit(ANN, &menu, &TestApp::button_labeled(&menu, "Next")).await;
    let labels: Vec<String> = TestApp::buttons(&second).into_iter().map(|(label, _)| label).collect();
    assert_eq!(labels[0], "Plan 10");
    assert!(labels.iter().any(|label| label.contains("Previous")) && labels.iter().any(|l| l.contains("New plan")));
    let ask = app.tap_edit(ANN, &second, &TestApp::button_labeled(&second, "New plan")).await;
    assert!(text(&ask).contains("What should the new plan be called?"), "the same message asks: {ask:?}");
    let durations = type_text(&app, "Plan 11").await;
    assert!(text(&durations).contains("How long does a redemption of “Plan 11” give access?"));
}

async fn a_plan_is_made_step_by_step_and_linked_only_where_the_bot_may_invite(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.make_creator(ANN, "Ann").await;
    let ask = app.send_text(ANN, "Ann", "/newplan").await;
    assert!(text(&ask).contains("What should the new plan be called?"));
    let durations = type_text(&app, "Gold").await;
    assert!(text(&durations).contains("How long does a redemption of “Gold” give access?"));
    let labels: Vec<String> = TestApp::buttons(&durations).into_iter().map(|(label, _)| label).collect();
    for expected in ["1 week", "1 month", "3 months", "1 year", "Lifetime", "Custom number of days…"] {
        assert!(labels.iter().any(|label| label == expected), "{expected} in {labels:?}");
    }
    let custom = app.tap_edit(ANN, &durations, &TestApp::button_labeled(&durations, "Custom")).await;
    assert!(text(&custom).contains("How many days"));
    let bad = type_text(&app, "zero").await;
    assert!(text(&bad).contains("How many days"), "{bad:?}");
    let before = app.telegram.requests().len();
    app.send_text(ANN, "Ann", "45").await;
    let picker = app
        .telegram
        .wait_for(WAIT, |r| {
            r.iter().skip(before).find(|r| r.str("text").is_some_and(|t| t.contains("Which channel"))).cloned()
        })
        .await;
    let plan = app.db.list_plans(app.creator(ANN).await.team_id).await.unwrap().remove(0);
    assert_eq!((plan.name.as_str(), plan.duration_unit.as_str(), plan.duration_amount), ("Gold", "days", 45));
    let keyboard = picker.json("reply_markup").unwrap()["keyboard"].clone();
    let channel = &keyboard[0][0]["request_chat"];
    assert_eq!(channel["chat_is_channel"], json!(true));
    assert_eq!(channel["bot_administrator_rights"]["can_invite_users"], json!(true));
    assert_eq!(keyboard[0][1]["request_chat"]["chat_is_channel"], json!(false));
    assert_eq!(keyboard[1][0]["text"], json!("Skip"));

    let refused = app.share_chat(ANN, 1, CHANNEL, "Gold room").await;
    assert!(text(&refused).contains("is not an administrator of “Gold room”"), "{refused:?}");
    let asked = app.telegram.calls("getChatMember").pop().unwrap();
    assert_eq!((asked.int("chat_id"), asked.int("user_id")), (Some(CHANNEL), Some(BOT_ID)));
    app.telegram.set_member(CHANNEL, BOT_ID, "administrator", false);
    let no_right = app.share_chat(ANN, 1, CHANNEL, "Gold room").await;
    assert!(text(&no_right).contains("may not invite users"), "{no_right:?}");
    assert!(app.db.plan_chats(plan.id).await.unwrap().is_empty());
    app.telegram.set_member(CHANNEL, BOT_ID, "administrator", true);
    let linked = app.share_chat(ANN, 1, CHANNEL, "Gold room").await;
    assert!(text(&linked).contains("“Gold room” is linked to “Gold”"), "{linked:?}");
    assert_eq!(linked.json("reply_markup").unwrap()["remove_keyboard"], json!(true));
    let chats: Vec<i64> = app.db.plan_chats(plan.id).await.unwrap().iter().map(|chat| chat.chat_id).collect();
    assert_eq!(chats, [CHANNEL]);

    let ask = app.send_text(ANN, "Ann", "/newplan").await;
    assert!(text(&ask).contains("called"));
    let taken = type_text(&app, "gold").await;
    assert!(text(&taken).contains("You already have a plan with that name"), "{taken:?}");
    let durations = type_text(&app, "Silver").await;
    let before = app.telegram.requests().len();
    app.tap(ANN, &durations, &TestApp::button_labeled(&durations, "Lifetime")).await;
    app.telegram
        .wait_for(WAIT, |r| {
            r.iter().skip(before).find(|r| r.str("text").is_some_and(|t| t.contains("Which channel"))).cloned()
        })
        .await;
    let skipped = type_text(&app, "Skip").await;
    assert!(text(&skipped).contains("No chat linked yet"));
    app.assert_no_violations();
}

async fn plans_are_renamed_archived_and_reactivated_with_buttons(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let code = {
        app.queue().enqueue(&app.creator(ANN).await, &file_request("VIP", 1), "test", now()).await.unwrap();
        let document = app.telegram.wait_for(WAIT, |r| r.iter().find(|r| r.method == "sendDocument").cloned()).await;
        let csv = String::from_utf8(document.files[0].2.clone()).unwrap();
        csv.lines().nth(1).unwrap().split(',').next().unwrap().to_owned()
    };
    let plans = app.send_text(ANN, "Ann", "/plans").await;
    let archived = app.tap_edit(ANN, &plans, &TestApp::button_labeled(&plans, "Archive")).await;
    assert!(text(&archived).contains("(archived"));
    let refused = app.send_text(BOB, "Bob", &code).await;
    assert!(text(&refused).contains("no longer offered"), "{refused:?}");
    let active = app.tap_edit(ANN, &archived, &TestApp::button_labeled(&archived, "Re-activate")).await;
    assert!(text(&active).contains("(active"));

    let ask = {
        let before = app.telegram.requests().len();
        app.tap(ANN, &active, &TestApp::button_labeled(&active, "✏️ VIP")).await;
        app.next_message_to(ANN, before).await
    };
    assert!(text(&ask).contains("new name for “VIP”"));
    let renamed = type_text(&app, "VIP Club").await;
    assert!(text(&renamed).contains("“VIP” is now called “VIP Club”"), "{renamed:?}");
    let accepted = app.send_text(BOB, "Bob", &code).await;
    assert!(text(&accepted).contains("Code accepted") && text(&accepted).contains("VIP Club"), "{accepted:?}");
}

async fn codes_are_listed_masked_ten_per_page_by_state(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    app.queue().enqueue(&app.creator(ANN).await, &file_request("VIP", 23), "test", now()).await.unwrap();
    let document = app.telegram.wait_for(WAIT, |r| r.iter().find(|r| r.method == "sendDocument").cloned()).await;
    let csv = String::from_utf8(document.files[0].2.clone()).unwrap();
    let codes: Vec<String> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap().to_owned()).collect();
    for (n, code) in codes.iter().take(2).enumerate() {
        app.send_text(BOB + n as i64, "Sub", code).await;
    }
    let before = app.telegram.requests().len();
    app.send_text(ANN, "Ann", "/codes").await;
    let picker =
        app.telegram.wait_for(WAIT, |r| r.iter().skip(before).find(|r| text(r).contains("Whose codes")).cloned()).await;
    let page = app.tap_edit(ANN, &picker, &TestApp::button_labeled(&picker, "VIP")).await;
    let shown = text(&page);
    assert!(shown.contains("Unredeemed, page 1 of 3"), "{shown}");
    assert!(shown.contains("Unredeemed 21 · Redeemed 2 · Expired 0 · Revoked 0 · All 23"), "{shown}");
    assert_eq!(shown.lines().filter(|l| l.starts_with("• ****-****-")).count(), 10);
    let second = app.tap_edit(ANN, &page, &TestApp::button_labeled(&page, "Next")).await;
    assert!(text(&second).contains("page 2 of 3"));
    let third = app.tap_edit(ANN, &second, &TestApp::button_labeled(&second, "Next")).await;
    assert_eq!(text(&third).lines().filter(|l| l.starts_with("• ****-****-")).count(), 1);
    let redeemed = app.tap_edit(ANN, &third, &TestApp::button_labeled(&third, "Redeemed (2)")).await;
    let lines: Vec<&str> = text(&redeemed).lines().filter(|l| l.starts_with("• ")).collect();
    assert_eq!(lines.len(), 2);
    let today = now().format("redeemed %-d %b %Y").to_string();
    assert!(lines.iter().all(|l| l.contains(&today)), "{lines:?}");
    let expired = app.tap_edit(ANN, &redeemed, &TestApp::button_labeled(&redeemed, "Expired (0)")).await;
    assert!(text(&expired).contains("No codes in this state."));
    for shown in [&page, &second, &third, &redeemed] {
        assert!(codes.iter().all(|code| !text(shown).contains(code.as_str())), "codes are shown masked only");
    }
}

async fn a_blocked_delivery_is_sent_again_after_the_bot_is_unblocked(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    app.telegram.script("sendDocument", Scripted::Blocked);
    let card = app.card(ANN, "/generate VIP 4 file no_expiry").await;
    app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "failed");
    let failed = app.edit_of_containing(&card, "blocked").await;
    let job_id = ids::public_id(ids::JOB, job.id);
    assert_eq!(TestApp::button_labeled(&failed, "Try delivery again"), format!("st:r:{}", &job_id[4..]));

    let resent = app.send_text(ANN, "Ann", &format!("/resend {job_id}")).await;
    assert!(text(&resent).contains("Trying the delivery again"), "{resent:?}");
    app.edit_of_containing(&resent, "4 VIP codes are ready").await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "completed");
    let documents = app.telegram.calls("sendDocument");
    assert_eq!(documents.len(), 1, "the blocked attempt was refused, the retry delivered");
    assert_eq!(documents[0].int("chat_id"), Some(ANN), "only into the creator's linked chat");
    assert_eq!(String::from_utf8(documents[0].files[0].2.clone()).unwrap().lines().count(), 5);
    let before = app.telegram.requests().len();
    let again = app.send_text(ANN, "Ann", &format!("/resend {job_id}")).await;
    let refused = app.next_edit_of(&again, before).await;
    assert!(text(&refused).contains("Only a job whose delivery failed can be delivered again"), "{refused:?}");
}

async fn the_status_button_tries_a_failed_delivery_again(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let card = app.card(ANN, "/generate VIP 3 messages no_expiry").await;
    app.telegram.script("sendMessage", Scripted::Blocked);
    app.tap(ANN, &card, &TestApp::button(&card, "gen:agree:")).await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "failed");
    let status = app.send_text(ANN, "Ann", &format!("/status {}", ids::public_id(ids::JOB, job.id))).await;
    let answer = app.tap(ANN, &status, &TestApp::button_labeled(&status, "Try delivery again")).await;
    assert!(text(&answer).contains("Trying the delivery again"), "{answer:?}");
    app.edit_of_containing(&status, "3 VIP codes are ready").await;
    let job = app.finished_job(ANN).await;
    assert_eq!((job.status.as_str(), job.delivered_count), ("completed", 3));
    let progress: Vec<String> = app
        .telegram
        .calls("editMessageText")
        .iter()
        .skip_while(|r| r.message_id < status.message_id)
        .filter_map(|r| r.str("text").map(str::to_owned))
        .filter(|t| t.contains("delivering"))
        .collect();
    assert!(progress.iter().any(|t| t.contains("▓▓▓░░░░░░░ 33%") && t.contains("1 of 3 delivered")), "{progress:?}");
    assert!(
        progress.iter().any(|t| t.contains("Time left: about ") && t.contains("second")),
        "the time left: {progress:?}"
    );
}

async fn russian_speakers_get_russian_with_plural_forms_and_can_switch(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.make_creator(ANN, "Ann").await;
    app.send_text(ANN, "Ann", "/newplan VIP 30d").await;
    for (count, word) in [(1, "1 код"), (2, "2 кода"), (5, "5 кодов"), (21, "21 код"), (1000, "1\u{a0}000 кодов")]
    {
        let card = app.send_text_in(ANN, "Ann", "ru", &format!("/generate VIP {count} file no_expiry")).await;
        assert!(text(&card).contains(&format!("🎟 {word} для плана «VIP»")), "{count}: {card:?}");
    }
    let usage = app.send_text_in(BOB, "Bob", "ru", "/redeem").await;
    assert!(text(&usage).contains("Отправьте полученный код"), "{usage:?}");
    let error = app.send_text_in(ANN, "Ann", "ru", "/generate VIP 0 file no_expiry").await;
    assert!(text(&error).contains("Отправьте число от 1 до 1\u{a0}000"), "{error:?}");

    let picker = app.send_text_in(ANN, "Ann", "ru", "/language").await;
    assert_eq!(
        TestApp::buttons(&picker),
        [("English".to_owned(), "lang:en".to_owned()), ("Русский".to_owned(), "lang:ru".to_owned())]
    );
    let before = app.telegram.requests().len();
    app.tap(ANN, &picker, "lang:en").await;
    let menu = app
        .telegram
        .wait_for(WAIT, |r| {
            r.iter().skip(before).find(|r| r.method == "setMyCommands" && r.json("scope").is_some()).cloned()
        })
        .await;
    assert_eq!(menu.json("commands").unwrap()[1]["description"], json!("Generate access codes for a plan"));
    let removed =
        app.telegram.wait_for(WAIT, |r| r.iter().skip(before).find(|r| r.method == "deleteMyCommands").cloned()).await;
    assert_eq!(removed.str("language_code"), Some("ru"), "the Russian menu no longer overrides the choice");
    assert_eq!(removed.json("scope").unwrap(), json!({"type": "chat", "chat_id": ANN}));
    let card = app.send_text_in(ANN, "Ann", "ru", "/generate VIP 2 file no_expiry").await;
    assert!(text(&card).contains("2 codes for VIP"), "the chosen language wins: {card:?}");
}

async fn command_menus_are_registered_per_scope_and_language(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let everyone = app
        .telegram
        .wait_for(WAIT, |r| {
            let menus: Vec<Recorded> = r.iter().filter(|r| r.method == "setMyCommands").cloned().collect();
            (menus.len() >= 2).then_some(menus)
        })
        .await;
    let names = |menu: &Recorded| -> Vec<String> {
        menu.json("commands")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["command"].as_str().unwrap().to_owned())
            .collect()
    };
    let english = everyone.iter().find(|m| m.str("language_code").is_none()).unwrap();
    let russian = everyone.iter().find(|m| m.str("language_code") == Some("ru")).unwrap();
    assert_eq!(names(english), ["start", "help", "redeem", "my", "language"]);
    assert_eq!(names(russian), names(english));
    assert_eq!(russian.json("commands").unwrap()[2]["description"], json!("Активировать код доступа"));
    assert!(english.json("scope").is_none(), "the subscriber menu is for everyone");

    let before = app.telegram.requests().len();
    let token = accessbot::domain::creators::create_invite(&app.db, &app.secret, now()).await.unwrap();
    app.send_text_in(ANN, "Ann", "ru", &format!("/start join_{token}")).await;
    let creator_menus = app
        .telegram
        .wait_for(WAIT, |r| {
            let menus: Vec<Recorded> = r.iter().skip(before).filter(|r| r.method == "setMyCommands").cloned().collect();
            (menus.len() == 2).then_some(menus)
        })
        .await;
    for menu in &creator_menus {
        assert_eq!(menu.json("scope").unwrap(), json!({"type": "chat", "chat_id": ANN}), "only in Ann's chat");
    }
    let names = names(&creator_menus[0]);
    for command in
        ["generate", "plans", "newplan", "codes", "status", "resend", "billing", "tokens", "cancel", "redeem"]
    {
        assert!(names.iter().any(|n| n == command), "{command} in {names:?}");
    }
    let english = creator_menus.iter().find(|m| m.str("language_code").is_none()).unwrap();
    let russian = creator_menus.iter().find(|m| m.str("language_code") == Some("ru")).unwrap();
    assert_eq!(english.json("commands").unwrap()[1]["description"], json!("Generate access codes for a plan"));
    assert_eq!(russian.json("commands").unwrap()[1]["description"], json!("Создать коды доступа для плана"));
    let start = app.send_text_in(ANN, "Ann", "ru", "/start").await;
    let labels: Vec<String> = TestApp::buttons(&start).into_iter().map(|(label, _)| label).collect();
    assert_eq!(labels.len(), 7, "{labels:?}");
    assert!(TestApp::buttons(&start).iter().any(|(_, data)| data == "menu:codes"));
    let before = app.telegram.requests().len();
    app.tap(ANN, &start, "menu:plans").await;
    let plans = app.next_message_to(ANN, before).await;
    assert!(text(&plans).contains("You have no plans yet"), "the menu opens the plans: {plans:?}");
    app.assert_no_violations();
}

on_every_engine!(
    the_wizard_leads_to_a_delivered_csv_and_rejects_bad_numbers,
    every_back_and_cancel_goes_where_it_says,
    a_restart_between_two_steps_loses_nothing,
    forged_foreign_and_stale_taps_change_nothing,
    more_than_eight_plans_are_paged_and_archived_ones_are_not_offered,
    a_plan_is_made_step_by_step_and_linked_only_where_the_bot_may_invite,
    plans_are_renamed_archived_and_reactivated_with_buttons,
    codes_are_listed_masked_ten_per_page_by_state,
    a_blocked_delivery_is_sent_again_after_the_bot_is_unblocked,
    the_status_button_tries_a_failed_delivery_again,
    russian_speakers_get_russian_with_plural_forms_and_can_switch,
    command_menus_are_registered_per_scope_and_language,
);
