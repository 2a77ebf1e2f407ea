//! Multi-use codes and rolling redemptions back: the N + 10 race, access taken back through the removal path,
//! the code revoked or opened again, and billing undone exactly, against the fake Stripe; through the bot and
//! over MCP.
use accessbot::domain::billing::UsageStatus;
use accessbot::domain::clock::now;
use accessbot::domain::{events, ids, plans};
use serde_json::{Value, json};

use crate::access::{
    ANN, CHANNEL, EVE, SAM, app_with_chats, ask_ann, ask_to_join, events_of, eventually, join_links, messages_to,
    redeem,
};
use crate::on_every_engine;
use crate::support::app::{WAIT, generate_by_card, generated_codes, wait_until};
use crate::support::fake_stripe::FakeStripe;
use crate::support::fake_telegram::Recorded;
use crate::support::mcp::{call_err, call_ok};
use crate::support::{Engine, TestApp};

/// The first message to Ann after her command whose text contains `needle`: a card to tap.
async fn ann_card(app: &TestApp, command: &str, needle: &str) -> Recorded {
    let before = app.telegram.requests().len();
    app.telegram.push_update(app.message_json(ANN, "Ann", command));
    app.message_containing(ANN, needle, before).await
}

async fn a_code_for_five_admits_exactly_five_of_fifteen_racers_once_each(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL]).await;
    let (card, codes) = generate_by_card(&app, ANN, "/generate VIP 2 file no_expiry uses=5 label=Launch").await;
    let text = card.str("text").unwrap();
    assert!(text.contains("Each code lets up to 5 people in, once each."), "{text}");
    assert!(text.contains("If all are redeemed: 5 free, 5 paid"), "the preview prices quantity × uses: {text}");

    let racers: Vec<i64> = (0..15).map(|n| 9100 + n).collect();
    let before = app.telegram.requests().len();
    for racer in &racers {
        app.telegram.push_update(app.message_json(*racer, "Racer", &codes[0]));
    }
    let replies: Vec<String> = app
        .telegram
        .wait_for(WAIT, |requests| {
            let replies: Vec<String> = requests[before..]
                .iter()
                .filter(|r| r.method == "sendMessage" && r.int("chat_id").is_some_and(|c| racers.contains(&c)))
                .filter_map(|r| r.str("text").map(str::to_owned))
                .collect();
            (replies.len() == racers.len()).then_some(replies)
        })
        .await;
    let won = replies.iter().filter(|text| text.starts_with("✅ Code accepted")).count();
    let lost = replies.iter().filter(|text| text.starts_with("❌ This code has already been used.")).count();
    assert_eq!((won, lost), (5, 10), "{replies:?}");
    assert_eq!(events_of(&app.db, events::ACCESS_CODE_REDEEMED).await.len(), 5);
    let mut holders = Vec::new();
    for racer in &racers {
        if !app.db.subscriptions_of(*racer).await.unwrap().is_empty() {
            holders.push(*racer);
        }
    }
    assert_eq!(holders.len(), 5, "one subscription per use");
    let again = redeem(&app, holders[0], "Racer", &codes[0]).await;
    assert!(again.str("text").unwrap().starts_with("✅ Code accepted"), "a winner hears success again: {again:?}");
    assert_eq!(events_of(&app.db, events::ACCESS_CODE_REDEEMED).await.len(), 5, "and nothing is redeemed twice");

    assert!(redeem(&app, SAM, "Sam", &codes[1]).await.str("text").unwrap().starts_with("✅"));
    let twice = redeem(&app, SAM, "Sam", &codes[1]).await;
    assert!(
        twice.str("text").unwrap().starts_with("✅ Code accepted"),
        "once per person, answered as before: {twice:?}"
    );
    // Past the free redemptions, each use of the same code is billed on its own.
    assert!(redeem(&app, EVE, "Eve", &codes[1]).await.str("text").unwrap().starts_with("✅"));
    let team = app.creator(ANN).await.team_id;
    assert_eq!(app.db.usage_records_of_team(team).await.unwrap().len(), 2, "Sam's use and Eve's");
    let page = ask_ann(&app, "/codes VIP", "Codes of").await;
    assert!(page.contains("2/5 used"), "{page}");

    // Agents ask for the same with max_redemptions, and see the uses of each code.
    let client =
        app.mcp(&app.token(ANN, "mcp:full,project-access-code:create,project-access-code:view-any").await).await;
    let plan = plans::find_team_plan(&app.db, app.creator(ANN).await.team_id, "VIP").await.unwrap();
    let plan_id = ids::public_id(ids::PLAN, plan.id);
    let request = |uses: Value| json!({"plan_id": plan_id, "quantity": 1, "export_type": "file", "expiry_preset": "no_expiry", "max_redemptions": uses});
    let refused = call_err(&client, "bulk_generate_access_codes", request(json!(100_001))).await;
    assert_eq!(refused["field"], "max_redemptions", "{refused}");
    let queued = call_ok(&client, "bulk_generate_access_codes", request(json!(3))).await;
    assert_eq!(queued["data"]["preview"]["free_remaining"], 0, "{queued}");
    assert_eq!(queued["data"]["preview"]["chargeable_quantity"], 3, "three uses priced: {queued}");
    let listed = call_ok(&client, "list_access_codes", json!({"plan_id": plan_id, "status": "redeemed"})).await;
    let full = &listed["data"][0];
    assert_eq!((full["max_redemptions"].as_i64(), full["redemptions"].as_i64()), (Some(5), Some(5)), "{listed}");
    app.assert_no_violations();
}

async fn a_rollback_ends_access_removes_the_member_and_the_code_is_revoked_or_opened_again(engine: Engine) {
    let app = app_with_chats(engine, "VIP", "30d", &[CHANNEL]).await;
    let codes = generated_codes(&app, ANN, "VIP", 3).await;
    let links = join_links(&redeem(&app, SAM, "Sam", &codes[0]).await);
    assert!(ask_to_join(&app, SAM, CHANNEL, &links[0]).await);
    let nothing = ask_ann(&app, &format!("/rollback {}", codes[1]), "⚠️").await;
    assert!(nothing.contains("Nobody has redeemed that code"), "{nothing}");

    let card = ann_card(&app, &format!("/rollback {}", codes[0].to_lowercase()), "Roll back").await;
    let text = card.str("text").unwrap();
    assert!(text.starts_with("↩️ Roll back Sam's redemption of ****-****-"), "{text}");
    assert!(!text.contains(&codes[0]), "the code is masked: {text}");
    assert!(text.contains("Their access ends now") && text.contains("a free redemption this cycle"), "{text}");
    let done = app.tap_edit(ANN, &card, &TestApp::button(&card, "rb:r:")).await;
    assert!(done.str("text").unwrap().contains("The code is revoked."), "{done:?}");
    eventually(&app, || async { app.telegram.member_status(CHANNEL, SAM) == "left" }).await;
    eventually(&app, || async { messages_to(&app, SAM, "has ended") == 1 }).await;
    let rolled_back = events_of(&app.db, events::REDEMPTION_ROLLED_BACK).await;
    assert_eq!(rolled_back.len(), 1);
    assert_eq!(rolled_back[0]["code_revoked"], true);
    assert_eq!(rolled_back[0]["allotment_returned"], true);
    assert!(rolled_back[0]["redemption_id"].as_str().unwrap().starts_with("rdm_"));
    let ended = events_of(&app.db, events::SUBSCRIPTION_ENDED).await;
    assert!(ended.iter().any(|event| event["reason"] == "rolled_back" && event["subscriber_id"] == SAM), "{ended:?}");
    eventually(&app, || async {
        events_of(&app.db, events::MEMBER_REMOVED).await.iter().any(|event| event["reason"] == "rolled_back")
    })
    .await;
    let team = app.creator(ANN).await.team_id;
    assert_eq!(app.db.count_redemptions_since(team, now() - chrono::Duration::days(1)).await.unwrap(), 0);
    let eve = redeem(&app, EVE, "Eve", &codes[0]).await;
    assert!(eve.str("text").unwrap().starts_with("❌ This code has expired."), "a revoked code: {eve:?}");

    // An extension rolled back from /check shortens the subscription, and its code opens for someone else.
    redeem(&app, SAM, "Sam", &codes[1]).await;
    redeem(&app, SAM, "Sam", &codes[2]).await;
    let check = ann_card(&app, &format!("/check {SAM}"), "User").await;
    let preview = app.tap_edit(ANN, &check, &TestApp::button_labeled(&check, "Roll back: VIP")).await;
    let text = preview.str("text").unwrap();
    assert!(text.contains("Their access is shortened by what the code added"), "{text}");
    let done = app.tap_edit(ANN, &preview, &TestApp::button(&preview, "rb:o:")).await;
    assert!(done.str("text").unwrap().contains("The code can be redeemed again."), "{done:?}");
    let subscription = app.db.subscriptions_of(SAM).await.unwrap().remove(0).0;
    let left = subscription.ends_at.unwrap() - now();
    assert!(left > chrono::Duration::days(29) && left <= chrono::Duration::days(30), "one month left: {left}");
    let eve = redeem(&app, EVE, "Eve", &codes[2]).await;
    assert!(eve.str("text").unwrap().starts_with("✅ Code accepted"), "{eve:?}");

    // The export reads back each redemption with where it stands.
    let plan = plans::find_team_plan(&app.db, team, "VIP").await.unwrap();
    let before = app.telegram.calls("sendDocument").len();
    app.tap(ANN, &done, &format!("ex:p:{}", ulid::Ulid::from(plan.id))).await;
    let document =
        app.telegram.wait_for(WAIT, |r| r.iter().filter(|r| r.method == "sendDocument").nth(before).cloned()).await;
    let mut reader = csv::Reader::from_reader(document.files[0].2.as_slice());
    let statuses: Vec<(String, String)> =
        reader.records().map(|row| row.unwrap()).map(|row| (row[3].to_owned(), row[8].to_owned())).collect();
    let sam = SAM.to_string();
    let eve = EVE.to_string();
    assert_eq!(
        statuses,
        [
            (sam.clone(), "rolled back".to_owned()),
            (sam.clone(), "active".to_owned()),
            (sam, "rolled back".to_owned()),
            (eve, "active".to_owned()),
        ]
    );
    let several = generate_by_card(&app, ANN, "/generate VIP 1 file no_expiry uses=3").await.1.remove(0);
    redeem(&app, 9201, "Kim", &several).await;
    redeem(&app, 9202, "Lee", &several).await;
    let pick = ann_card(&app, &format!("/rollback {several}"), "Whose redemption").await;
    let labels: Vec<String> = TestApp::buttons(&pick).into_iter().map(|(label, _)| label).collect();
    assert!(labels[0].starts_with("Lee · ") && labels[1].starts_with("Kim · "), "newest first: {labels:?}");
    app.assert_no_violations();
}

async fn usage_record(app: &TestApp, team: uuid::Uuid, redeemed_by: i64) -> accessbot::db::redemption::UsageRecord {
    let redemptions = app.db.redemptions_of_subscriber(team, redeemed_by).await.unwrap();
    let id = redemptions.iter().find_map(|r| r.usage_record_id).expect("an overage redemption");
    app.db.find_usage_record(id).await.unwrap().unwrap()
}

async fn wait_for_status(app: &TestApp, team: uuid::Uuid, redeemed_by: i64, status: UsageStatus) {
    wait_until("the usage record settles", async || usage_record(app, team, redeemed_by).await.status == status).await;
}

/// Backdates a reported record's report, as a day passing would.
async fn report_a_day_earlier(app: &TestApp, stripe: &FakeStripe, record: &accessbot::db::redemption::UsageRecord) {
    use accessbot::db::entities::usage_record;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    let earlier = record.reported_at.unwrap() - chrono::Duration::hours(25);
    usage_record::Entity::update_many()
        .col_expr(usage_record::Column::ReportedAt, Expr::value(earlier))
        .filter(usage_record::Column::Id.eq(record.id))
        .exec(&conn)
        .await
        .unwrap();
    conn.close().await.ok();
    stripe.age_event(&ids::public_id(ids::USAGE_RECORD, record.id), 25);
}

async fn rollback_voids_cancels_or_keeps_each_overage_charge_as_stripe_allows(engine: Engine) {
    use crate::redemption::{ANN as CREATOR, app_with_plan};
    let stripe = FakeStripe::start().await;
    let app = app_with_plan(engine, Some(&stripe)).await;
    let team = app.creator(CREATOR).await.team_id;
    let codes = generated_codes(&app, CREATOR, "VIP", 10).await;
    for (n, code) in codes[..6].iter().enumerate() {
        assert!(redeem(&app, 9300 + n as i64, "Sub", code).await.str("text").unwrap().starts_with("✅"));
    }
    let client =
        app.mcp(&app.token(CREATOR, "mcp:full,project-access-code:view-any,project-access-code:revoke").await).await;
    let viewer = app.mcp(&app.token(CREATOR, "mcp:full,project-access-code:view-any").await).await;

    // Pages of redemptions, masked, with rdm_ ids.
    let first = call_ok(&client, "list_redemptions", json!({"plan_id": "VIP", "limit": 4})).await;
    assert_eq!(first["data"].as_array().unwrap().len(), 4, "{first}");
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = call_ok(&client, "list_redemptions", json!({"plan_id": "VIP", "cursor": cursor})).await;
    assert_eq!(rest["data"].as_array().unwrap().len(), 2);
    assert_eq!(rest["next_cursor"], Value::Null);
    let later = (now() + chrono::Duration::hours(1)).to_rfc3339();
    let none = call_ok(&client, "list_redemptions", json!({"plan_id": "VIP", "since": later})).await;
    assert_eq!(none["data"], json!([]));
    let both = call_err(&client, "list_redemptions", json!({"plan_id": "VIP", "batch_id": "btc_x"})).await;
    assert_eq!(both["field"], "batch_id", "{both}");
    let sixth = &rest["data"][1];
    assert_eq!(sixth["subscriber_id"], 9305);
    assert!(sixth["access_code"].as_str().unwrap().starts_with("****-****-"), "{sixth}");
    let sixth_id = sixth["id"].as_str().unwrap().to_owned();
    assert!(sixth_id.starts_with("rdm_"));
    let args = |id: &str, dry_run: bool| json!({"redemption_id": id, "revoke_code": true, "dry_run": dry_run});
    let refused = call_err(&viewer, "rollback_redemption", args(&sixth_id, false)).await;
    assert_eq!(refused["required_ability"], "project-access-code:revoke", "{refused}");

    // Not reported yet (no Stripe customer): voided, and Stripe never hears of it.
    assert_eq!(usage_record(&app, team, 9305).await.status, UsageStatus::Pending);
    let dry = call_ok(&client, "rollback_redemption", args(&sixth_id, true)).await;
    assert_eq!((dry["data"]["usage_record"].as_str(), dry["data"]["dry_run"].as_bool()), (Some("voided"), Some(true)));
    assert_eq!(usage_record(&app, team, 9305).await.status, UsageStatus::Pending, "a dry run changes nothing");
    let done = call_ok(&client, "rollback_redemption", args(&sixth_id, false)).await;
    assert_eq!(done["data"]["code_revoked"], true, "{done}");
    assert_eq!(usage_record(&app, team, 9305).await.status, UsageStatus::Voided);
    let again = call_err(&client, "rollback_redemption", args(&sixth_id, false)).await;
    assert_eq!(again["field"], "redemption_id", "{again}");
    let listed = call_ok(&client, "list_redemptions", json!({"plan_id": "VIP", "cursor": cursor})).await;
    assert_eq!(listed["data"][1]["status"], "rolled_back");

    // Reported less than a day ago: cancelled with a meter event adjustment.
    accessbot::domain::teams::set_stripe_customer(
        &app.db,
        &app.db.find_team(team).await.unwrap().unwrap(),
        "cus_roll1",
    )
    .await
    .unwrap();
    redeem(&app, 9306, "Sub", &codes[6]).await;
    wait_for_status(&app, team, 9306, UsageStatus::Reported).await;
    let before = app.telegram.requests().len();
    app.telegram.push_update(app.message_json(CREATOR, "Ann", &format!("/rollback {}", codes[6])));
    let card = app.message_containing(CREATOR, "Roll back", before).await;
    assert!(card.str("text").unwrap().contains("sent to Stripe less than a day ago, is cancelled there"), "{card:?}");
    app.tap_edit(CREATOR, &card, &TestApp::button(&card, "rb:o:")).await;
    wait_for_status(&app, team, 9306, UsageStatus::Cancelled).await;
    let cancelled_one = ids::public_id(ids::USAGE_RECORD, usage_record(&app, team, 9306).await.id);
    assert_eq!(stripe.cancelled(), std::slice::from_ref(&cancelled_one));

    // Reported more than a day ago: it stays billed, and the creator is told so.
    redeem(&app, 9307, "Sub", &codes[7]).await;
    wait_for_status(&app, team, 9307, UsageStatus::Reported).await;
    report_a_day_earlier(&app, &stripe, &usage_record(&app, team, 9307).await).await;
    let before = app.telegram.requests().len();
    app.telegram.push_update(app.message_json(CREATOR, "Ann", &format!("/rollback {}", codes[7])));
    let card = app.message_containing(CREATOR, "Roll back", before).await;
    let done = app.tap_edit(CREATOR, &card, &TestApp::button(&card, "rb:r:")).await;
    assert!(done.str("text").unwrap().contains("it stays billed"), "{done:?}");
    assert_eq!(usage_record(&app, team, 9307).await.status, UsageStatus::Reported);

    // A free redemption rolled back while a later one was overage: that one's charge is cancelled instead.
    redeem(&app, 9308, "Sub", &codes[8]).await;
    wait_for_status(&app, team, 9308, UsageStatus::Reported).await;
    let free = app.db.redemptions_of_subscriber(team, 9300).await.unwrap().remove(0);
    let free_id = ids::public_id(ids::REDEMPTION, free.id);
    let done = call_ok(&client, "rollback_redemption", json!({"redemption_id": free_id, "revoke_code": false})).await;
    assert_eq!(
        (done["data"]["usage_record"].as_str(), done["data"]["allotment_returned"].as_bool()),
        (Some("cancelled"), Some(true))
    );
    wait_for_status(&app, team, 9308, UsageStatus::Cancelled).await;
    let cancelled_two = ids::public_id(ids::USAGE_RECORD, usage_record(&app, team, 9308).await.id);
    assert_eq!(stripe.cancelled(), [cancelled_one, cancelled_two]);
    assert_eq!(stripe.refusals(), Vec::<String>::new());
    let overview = accessbot::domain::billing::overview(&app.db, team, now()).await.unwrap();
    assert_eq!((overview.free_used, overview.overage), (5, 0), "five stand, none beyond the allotment");
}

/// A database from before multi-use codes: its redemption is carried over with its subscription and usage
/// record, and the usage record now belongs to the redemption.
async fn a_redemption_made_before_multi_use_codes_is_carried_over(engine: Engine) {
    use migration::MigratorTrait;
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Query};
    let (url, _dir) = engine.fresh_database().await;
    // One connection, so that the rows below may stand without the team, plan and batch they name.
    let conn = sea_orm::Database::connect(sea_orm::ConnectOptions::new(url.as_str()).max_connections(1).to_owned())
        .await
        .unwrap();
    migration::Migrator::up(&conn, Some(14)).await.unwrap();
    let without_foreign_keys = match engine {
        Engine::Sqlite => "PRAGMA foreign_keys = OFF",
        Engine::Postgres { .. } => "SET session_replication_role = replica",
    };
    conn.execute_unprepared(without_foreign_keys).await.unwrap();
    let [team, plan, batch, code, subscription, record] = [(); 6].map(|_| ids::new_id());
    let at = now();
    let rows: [(&str, &[&str], Vec<sea_orm::Value>); 3] = [
        (
            "access_codes",
            &[
                "id",
                "team_id",
                "plan_id",
                "batch_id",
                "position",
                "code_hash",
                "code_masked",
                "status",
                "redeemed_at",
                "redeemed_by",
                "created_at",
            ],
            vec![
                code.into(),
                team.into(),
                plan.into(),
                batch.into(),
                0.into(),
                "h".into(),
                "****-****-ABCD".into(),
                "redeemed".into(),
                at.into(),
                77i64.into(),
                at.into(),
            ],
        ),
        (
            "subscriptions",
            &[
                "id",
                "team_id",
                "plan_id",
                "subscriber_id",
                "subscriber_name",
                "starts_at",
                "ends_at",
                "created_at",
                "updated_at",
            ],
            vec![
                subscription.into(),
                team.into(),
                plan.into(),
                77i64.into(),
                "Old".into(),
                at.into(),
                at.into(),
                at.into(),
                at.into(),
            ],
        ),
        (
            "usage_records",
            &[
                "id",
                "team_id",
                "access_code_id",
                "redeemed_at",
                "status",
                "attempts",
                "next_attempt_at",
                "reported_at",
                "created_at",
            ],
            vec![
                record.into(),
                team.into(),
                code.into(),
                at.into(),
                "reported".into(),
                1.into(),
                at.into(),
                at.into(),
                at.into(),
            ],
        ),
    ];
    for (table, columns, values) in rows {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(table))
            .columns(columns.iter().map(|column| Alias::new(*column)))
            .values_panic(values.into_iter().map(Into::into));
        conn.execute(&insert).await.unwrap();
    }
    migration::Migrator::up(&conn, None).await.unwrap();
    conn.close().await.unwrap();

    let db = accessbot::db::Db::connect(&url, 2).await.unwrap();
    let carried = db.find_redemption(code).await.unwrap().expect("the redemption, under its code's id");
    assert_eq!(
        (carried.subscriber_id, carried.subscription_id, carried.usage_record_id),
        (77, Some(subscription), Some(record))
    );
    assert_eq!(db.find_usage_record(record).await.unwrap().unwrap().redemption_id, Some(code));
    assert_eq!(db.codes_by_id(&[code]).await.unwrap()[0].redemption_count, 1);
    assert_eq!(db.count_redemptions_since(team, at - chrono::Duration::seconds(1)).await.unwrap(), 1);
}

on_every_engine!(
    a_redemption_made_before_multi_use_codes_is_carried_over,
    a_code_for_five_admits_exactly_five_of_fifteen_racers_once_each,
    a_rollback_ends_access_removes_the_member_and_the_code_is_revoked_or_opened_again,
    rollback_voids_cancels_or_keeps_each_overage_charge_as_stripe_allows,
);
