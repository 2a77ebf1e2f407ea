//! Subscribers redeem codes; quotas, usage records and Stripe meter events.

use accessbot::config::Secret;
use accessbot::domain::billing::UsageStatus;
use accessbot::domain::clock::now;
use accessbot::domain::events::EventEnvelope;
use accessbot::domain::{plans, teams};
use serde_json::json;

use crate::on_every_engine;
use crate::support::app::{WAIT, generated_codes, wait_until};
use crate::support::fake_stripe::{FakeStripe, STRIPE_KEY};
use crate::support::fake_telegram::{Recorded, user_json};
use crate::support::{Engine, TestApp};

pub(crate) const ANN: i64 = 5001;
const SAM: i64 = 5101;

pub(crate) async fn app_with_plan(engine: Engine, stripe: Option<&FakeStripe>) -> TestApp {
    let url = stripe.map(|s| s.url.clone());
    let app = TestApp::spawn_with(engine, |settings| {
        if let Some(url) = url {
            settings.usage_report.stripe_api_key = Some(Secret::new(STRIPE_KEY));
            settings.usage_report.stripe_api_base = url;
        }
    })
    .await;
    app.make_creator(ANN, "Ann").await;
    app.send_text(ANN, "Ann", "/newplan VIP 30d").await;
    app
}

/// Generates `count` codes of VIP for Ann and returns them as delivered.
async fn codes(app: &TestApp, count: i64) -> Vec<String> {
    generated_codes(app, ANN, "VIP", count).await
}

async fn plan(app: &TestApp) -> accessbot::db::plans::Plan {
    app.db.list_plans(app.creator(ANN).await.team_id).await.unwrap().remove(0)
}

async fn team(app: &TestApp) -> accessbot::db::teams::Team {
    app.db.find_team(app.creator(ANN).await.team_id).await.unwrap().unwrap()
}

/// The next message the bot sends Ann after `after` requests.
async fn creator_notice(app: &TestApp, after: usize) -> String {
    app.next_message_to(ANN, after).await.str("text").unwrap().to_owned()
}

async fn each_way_of_redeeming_grants_and_extends_access_and_tells_the_creator(engine: Engine) {
    let app = app_with_plan(engine, None).await;
    let codes = codes(&app, 3).await;
    let messy = format!("  {} ", codes[0].to_lowercase().replace('-', " "));
    let ways = [messy, format!("/redeem {}", codes[1]), format!("/start {}", codes[2].replace('-', ""))];
    for (n, way) in ways.iter().enumerate() {
        let before = app.telegram.requests().len();
        let reply = app.send_text(SAM, "Sam", way).await;
        let text = reply.str("text").unwrap();
        assert!(text.contains("Code accepted") && text.contains("VIP"), "{way}: {text}");
        let notice = creator_notice(&app, before).await;
        assert!(notice.contains(&format!("****-****-{}", &codes[n][10..])), "{notice}");
        assert!(notice.contains("Sam") && notice.contains(&SAM.to_string()) && notice.contains("VIP"), "{notice}");
        assert!(notice.contains(&format!("Free redemptions left this cycle: {} of 5", 4 - n)), "{notice}");
        assert!(!notice.contains(&codes[n]), "the creator sees the code masked");
    }
    let subscriptions = app.db.subscriptions_of(SAM).await.unwrap();
    assert_eq!(subscriptions.len(), 1, "one subscription per plan, extended");
    let ends_at = subscriptions[0].0.ends_at.unwrap();
    let expected = now() + chrono::Duration::days(90);
    assert!((ends_at - expected).num_minutes().abs() < 5, "three 30-day codes give 90 days: {ends_at}");

    let events = app.db.events_of_type("access_code.redeemed").await.unwrap();
    assert_eq!(events.len(), 3);
    let data = EventEnvelope::of(&events[0]).data;
    assert!(data["subscription_id"].as_str().unwrap().starts_with("sub_"));
    assert!(data["plan_id"].as_str().unwrap().starts_with("pln_"));
    assert_eq!(data["subscriber_id"], json!(SAM));
    assert_eq!(data["access_code"], json!(format!("****-****-{}", &codes[0][10..])));
    let my = app.send_text(SAM, "Sam", "/my").await;
    assert!(my.str("text").unwrap().contains("VIP — until"), "{:?}", my.str("text"));
    app.assert_no_violations();
}

async fn each_refusal_has_its_own_message_and_reveals_nothing(engine: Engine) {
    let app = app_with_plan(engine, None).await;
    let codes = codes(&app, 3).await;
    let refused = |text: &str| text.to_owned();
    let reply = app.send_text(SAM, "Sam", "ZZZZ-ZZZZ-ZZZZ").await;
    assert_eq!(refused(reply.str("text").unwrap()), "❌ This code is not valid. Check it and send it again.");

    app.send_text(SAM, "Sam", &codes[0]).await;
    let again = app.send_text(SAM + 1, "Tom", &codes[0]).await;
    assert!(again.str("text").unwrap().starts_with("❌ This code has already been used. If it was you"), "{again:?}");
    assert_eq!(TestApp::button_labeled(&again, "My subscriptions"), "my:", "one tap from the person's subscriptions");

    use accessbot::db::entities::access_code;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    let hash = app.secret.hash_code(&codes[1].replace('-', ""));
    access_code::Entity::update_many()
        .col_expr(access_code::Column::ExpiresAt, Expr::value(now() - chrono::Duration::minutes(1)))
        .filter(access_code::Column::CodeHash.eq(hash))
        .exec(&conn)
        .await
        .unwrap();
    conn.close().await.ok();
    let expired = app.send_text(SAM + 2, "Uma", &codes[1]).await;
    assert_eq!(expired.str("text"), Some("❌ This code has expired. Ask the seller for a new one."));

    let team_id = app.creator(ANN).await.team_id;
    plans::set_plan_status(&app.db, team_id, &plan(&app).await, plans::PlanStatus::Archived).await.unwrap();
    let archived = app.send_text(SAM + 3, "Val", &codes[2]).await;
    assert_eq!(
        archived.str("text"),
        Some("❌ This code's plan is no longer offered. Ask the seller what to do instead.")
    );
    for reply in [&reply, &again, &expired, &archived] {
        assert!(!reply.str("text").unwrap().contains("VIP"), "a refusal never names the plan");
    }
    assert_eq!(app.db.subscriptions_of(SAM + 3).await.unwrap().len(), 0);
}

async fn twenty_concurrent_redemptions_of_one_code_give_one_success(engine: Engine) {
    let app = app_with_plan(engine, None).await;
    let code = codes(&app, 1).await.remove(0);
    let before = app.telegram.requests().len();
    let racers: Vec<i64> = (0..20).map(|n| 6000 + n).collect();
    for user in &racers {
        app.telegram.push_update(json!({"message": {
            "message_id": 1, "date": now().timestamp(),
            "chat": {"id": user, "type": "private", "first_name": "Racer"},
            "from": user_json(*user, "Racer", "en"), "text": code,
        }}));
    }
    let replies: Vec<Recorded> = app
        .telegram
        .wait_for(WAIT, |requests| {
            let replies: Vec<Recorded> = requests
                .iter()
                .skip(before)
                .filter(|r| r.method == "sendMessage" && r.int("chat_id").is_some_and(|c| racers.contains(&c)))
                .cloned()
                .collect();
            (replies.len() == 20).then_some(replies)
        })
        .await;
    let winners = replies.iter().filter(|r| r.str("text").unwrap().contains("Code accepted")).count();
    let losers = replies
        .iter()
        .filter(|r| r.str("text").is_some_and(|t| t.starts_with("❌ This code has already been used.")))
        .count();
    assert_eq!((winners, losers), (1, 19));
    assert_eq!(app.db.events_of_type("access_code.redeemed").await.unwrap().len(), 1);
    let mut subscriptions = 0;
    for user in &racers {
        subscriptions += app.db.subscriptions_of(*user).await.unwrap().len();
    }
    assert_eq!(subscriptions, 1);
}

async fn redeem_all(app: &TestApp, codes: &[String], first_user: i64) {
    for (n, code) in codes.iter().enumerate() {
        let reply = app.send_text(first_user + n as i64, "Sub", code).await;
        assert!(reply.str("text").unwrap().contains("Code accepted"));
    }
}

async fn the_sixth_redemption_on_free_is_billed_once_at_stripe(engine: Engine) {
    let stripe = FakeStripe::start().await;
    let app = app_with_plan(engine, Some(&stripe)).await;
    teams::set_stripe_customer(&app.db, &team(&app).await, "cus_ann123").await.unwrap();
    let codes = codes(&app, 6).await;
    redeem_all(&app, &codes[..5], 7000).await;
    let team_id = app.creator(ANN).await.team_id;
    assert!(app.db.usage_records_of_team(team_id).await.unwrap().is_empty(), "five redemptions are free");

    redeem_all(&app, &codes[5..], 7100).await;
    let notice = app
        .telegram
        .wait_for(WAIT, |r| {
            r.iter()
                .filter(|r| r.method == "sendMessage" && r.int("chat_id") == Some(ANN))
                .filter_map(|r| r.str("text"))
                .find(|text| text.contains("billed as overage"))
                .map(str::to_owned)
        })
        .await;
    assert!(notice.contains("left this cycle: 0 of 5") && notice.contains("billed as overage"), "{notice}");
    let records = app.db.usage_records_of_team(team_id).await.unwrap();
    assert_eq!(records.len(), 1);
    wait_until("the record is reported", async || {
        app.db.usage_records_of_team(team_id).await.unwrap()[0].status == UsageStatus::Reported
    })
    .await;
    let events = stripe.accepted();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].customer, "cus_ann123");
    assert_eq!(events[0].identifier, accessbot::domain::ids::public_id("ur_", records[0].id));
    assert_eq!(events[0].timestamp, records[0].redeemed_at.timestamp());
    assert_eq!(stripe.refusals(), Vec::<String>::new());
}

async fn stripe_failing_then_recovering_bills_every_record_exactly_once(engine: Engine) {
    let stripe = FakeStripe::start().await;
    let app = app_with_plan(engine, Some(&stripe)).await;
    let team = team(&app).await;
    teams::set_tier(&app.db, &team, "free").await.unwrap();
    let codes = codes(&app, 9).await;
    redeem_all(&app, &codes[..5], 8000).await;

    stripe.fail_next(&[500, 429]);
    redeem_all(&app, &codes[5..6], 8100).await;
    teams::set_stripe_customer(&app.db, &team, "cus_ann456").await.unwrap();
    wait_until("the first record arrives", async || stripe.accepted().len() == 1).await;
    assert_eq!(stripe.attempts(), 3, "500, then 429, then accepted");
    wait_until("the first record is marked reported", async || {
        app.db.usage_records_of_team(team.id).await.unwrap().iter().any(|r| r.status == UsageStatus::Reported)
    })
    .await;

    stripe.set_down(true);
    redeem_all(&app, &codes[6..], 8200).await;
    wait_until("Stripe is found unreachable", async || {
        let records = app.db.usage_records_of_team(team.id).await.unwrap();
        records.iter().any(|r| r.attempts > 0 && r.last_error.as_deref().is_some_and(|e| e.contains("network")))
    })
    .await;
    app.wait_for_full_pass(accessbot::metrics::BackgroundLoop::UsageReport).await;
    let records = app.db.usage_records_of_team(team.id).await.unwrap();
    assert_eq!(records.iter().filter(|r| r.status == UsageStatus::Pending).count(), 3, "unreachable: still pending");
    assert!(records.iter().any(|r| r.attempts > 0 && r.last_error.as_deref().is_some_and(|e| e.contains("network"))));
    stripe.set_down(false);
    wait_until("every record is reported", async || {
        app.db.usage_records_of_team(team.id).await.unwrap().iter().all(|r| r.status == UsageStatus::Reported)
    })
    .await;
    let mut identifiers: Vec<String> = stripe.accepted().into_iter().map(|e| e.identifier).collect();
    identifiers.sort();
    identifiers.dedup();
    assert_eq!(identifiers.len(), 4, "four overage redemptions, four meter events, none twice");
}

async fn the_sixth_wrong_code_in_ten_minutes_is_not_even_looked_up(engine: Engine) {
    let app = app_with_plan(engine, None).await;
    let code = codes(&app, 1).await.remove(0);
    for _ in 0..5 {
        let reply = app.send_text(SAM, "Sam", "WRNG-WRNG-WRNG").await;
        assert!(reply.str("text").unwrap().contains("not valid"));
    }
    let blocked = app.send_text(SAM, "Sam", &code).await;
    let text = blocked.str("text").unwrap();
    assert!(text.starts_with("⏳ Too many wrong codes. Try again in 10 minutes"), "{text}");
    assert!(app.db.subscriptions_of(SAM).await.unwrap().is_empty(), "the valid code was not redeemed");
    let other = app.send_text(SAM + 1, "Tom", &code).await;
    assert!(other.str("text").unwrap().contains("Code accepted"), "the limit is per user");
}

async fn expired_codes_are_swept_with_one_event_each_and_redeemed_ones_never_expire(engine: Engine) {
    let app = app_with_plan(engine, None).await;
    let codes = codes(&app, 3).await;
    app.send_text(SAM, "Sam", &codes[0]).await;
    use accessbot::db::entities::access_code;
    use sea_orm::{EntityTrait, sea_query::Expr};
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    access_code::Entity::update_many()
        .col_expr(access_code::Column::ExpiresAt, Expr::value(now() - chrono::Duration::seconds(1)))
        .exec(&conn)
        .await
        .unwrap();
    conn.close().await.ok();
    wait_until("two codes are marked expired", async || {
        app.db.events_of_type("access_code.expired").await.unwrap().len() == 2
    })
    .await;
    app.wait_for_full_pass(accessbot::metrics::BackgroundLoop::ExpirySweep).await;
    let events = app.db.events_of_type("access_code.expired").await.unwrap();
    assert_eq!(events.len(), 2, "one event per code, never repeated");
    let data = EventEnvelope::of(&events[0]).data;
    assert!(data["plan_id"].as_str().unwrap().starts_with("pln_"));
    assert!(data["access_code"].as_str().unwrap().starts_with("****-****-"));
    assert!(data["expires_at"].as_str().is_some());
    let batch = app.finished_job(ANN).await.batch_id.unwrap();
    let statuses: Vec<String> =
        app.db.codes_of_batch(batch).await.unwrap().into_iter().map(|c| c.status.to_string()).collect();
    assert_eq!(statuses.iter().filter(|s| *s == "expired").count(), 2);
    assert_eq!(statuses.iter().filter(|s| *s == "redeemed").count(), 1);
}

async fn backdate_pending_records(app: &TestApp, days: i64) {
    use accessbot::db::entities::usage_record;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    usage_record::Entity::update_many()
        .col_expr(usage_record::Column::RedeemedAt, Expr::value(now() - chrono::Duration::days(days)))
        .filter(usage_record::Column::Status.eq(UsageStatus::Pending))
        .exec(&conn)
        .await
        .unwrap();
    conn.close().await.ok();
}

/// Ann's `/billing`, skipping redemption notices that may arrive in between.
async fn billing(app: &TestApp) -> String {
    let before = app.telegram.requests().len();
    app.send_text(ANN, "Ann", "/billing").await;
    app.telegram
        .wait_for(WAIT, |r| {
            r.iter()
                .skip(before)
                .filter(|r| r.method == "sendMessage" && r.int("chat_id") == Some(ANN))
                .filter_map(|r| r.str("text"))
                .find(|text| text.starts_with("💳"))
                .map(str::to_owned)
        })
        .await
}

async fn refused_and_too_old_records_fail_and_billing_shows_the_cycle(engine: Engine) {
    let stripe = FakeStripe::start().await;
    let app = app_with_plan(engine, Some(&stripe)).await;
    let team = team(&app).await;
    teams::set_stripe_customer(&app.db, &team, "cus_ann789").await.unwrap();
    let codes = codes(&app, 8).await;
    redeem_all(&app, &codes[..5], 9000).await;

    stripe.fail_next(&[400]);
    redeem_all(&app, &codes[5..6], 9100).await;
    wait_until("Stripe's refusal fails the record", async || {
        app.db.usage_records_of_team(team.id).await.unwrap().iter().any(|r| r.status == UsageStatus::Failed)
    })
    .await;
    let records = app.db.usage_records_of_team(team.id).await.unwrap();
    let error = records[0].last_error.clone().unwrap_or_default();
    assert!(error.contains("400") && error.contains("scripted failure"), "Stripe's own message is kept: {error}");
    assert_eq!(stripe.attempts(), 1, "a 400 is not retried");

    stripe.set_down(true);
    redeem_all(&app, &codes[6..7], 9200).await;
    wait_until("a send was tried", async || {
        app.db
            .usage_records_of_team(team.id)
            .await
            .unwrap()
            .iter()
            .any(|r| r.attempts > 0 && r.status == UsageStatus::Pending)
    })
    .await;
    backdate_pending_records(&app, 36).await;
    stripe.set_down(false);
    wait_until("the too old record fails", async || {
        app.db.usage_records_of_team(team.id).await.unwrap().iter().all(|r| r.status == UsageStatus::Failed)
    })
    .await;
    let records = app.db.usage_records_of_team(team.id).await.unwrap();
    assert!(records.iter().any(|r| r.last_error.as_deref().is_some_and(|e| e.contains("older than 35 days"))));

    redeem_all(&app, &codes[7..], 9300).await;
    wait_until("the last record is reported", async || stripe.accepted().len() == 1).await;
    assert_eq!(stripe.refusals(), Vec::<String>::new(), "nothing older than 35 days reached Stripe");

    let text = billing(&app).await;
    let cycle = accessbot::domain::billing::cycle_start(team.billing_anchor_at, now());
    let cycle_end = accessbot::domain::billing::cycle_end(team.billing_anchor_at, cycle);
    let until = accessbot::views::format::day(&accessbot::i18n::Lang::default(), cycle_end);
    for expected in [
        format!("Free tier: 0 of 5 free redemptions left until {until}. After that $0.03 each."),
        "This cycle so far: 3 paid redemptions, $0.09.".to_owned(),
        "Creating codes is always free".to_owned(),
        "Stripe refused some charges".to_owned(),
    ] {
        assert!(text.contains(&expected), "{expected:?} in {text}");
    }
    assert!(!text.contains("usage record") && !text.contains("Usage record"), "no internal words: {text}");
    let sam = app.send_text(SAM, "Sam", "/billing").await;
    assert!(sam.str("text").unwrap().contains("This is for sellers"), "subscribers have no billing");
}

async fn billing_says_when_overage_waits_for_a_stripe_customer(engine: Engine) {
    let app = app_with_plan(engine, None).await;
    let text = billing(&app).await;
    assert!(text.contains("5 of 5 free redemptions left") && !text.contains("Stripe"), "{text}");
    let codes = codes(&app, 6).await;
    redeem_all(&app, &codes, 9400).await;
    let text = billing(&app).await;
    assert!(text.contains("This cycle so far: 1 paid redemption, $0.03."), "{text}");
    assert!(text.contains("not connected your team to Stripe"), "{text}");
}

async fn a_meter_event_accepted_just_before_a_crash_is_reported_once_after_the_restart(engine: Engine) {
    let stripe = FakeStripe::start().await;
    let mut app = app_with_plan(engine, Some(&stripe)).await;
    let team = team(&app).await;
    teams::set_stripe_customer(&app.db, &team, "cus_ann321").await.unwrap();
    let codes = codes(&app, 6).await;
    redeem_all(&app, &codes[..5], 9500).await;

    stripe.hold_answers(true);
    redeem_all(&app, &codes[5..], 9600).await;
    wait_until("Stripe accepted the meter event", async || stripe.accepted().len() == 1).await;
    app.kill();
    let records = app.db.usage_records_of_team(team.id).await.unwrap();
    assert_eq!(records[0].status, UsageStatus::Pending, "the crash came before the record was marked");

    stripe.hold_answers(false);
    // As when the dead instance's hold on the record has run out.
    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&conn, "UPDATE usage_records SET locked_until = NULL").await.unwrap();
    conn.close().await.unwrap();
    app.start_instance().await;
    wait_until("the resent event is taken as reported", async || {
        app.db.usage_records_of_team(team.id).await.unwrap()[0].status == UsageStatus::Reported
    })
    .await;
    assert_eq!(stripe.attempts(), 2, "sent, and after the restart sent again");
    assert_eq!(stripe.accepted().len(), 1, "billed exactly once");
    let record = app.db.usage_records_of_team(team.id).await.unwrap().remove(0);
    assert_eq!(record.last_error, None, "{record:?}");
}

/// A redemption remembers the subscriber's app language for the messages sent them later unasked; a language
/// chosen with /language stays.
async fn a_redemption_remembers_the_app_language_but_never_over_a_choice(engine: Engine) {
    use accessbot::domain::redemption::{self, Subscriber};
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let codes = generated_codes(&app, ANN, "VIP", 2).await;
    let redeem = async |user: i64, code: &str| {
        let subscriber = Subscriber {
            telegram_user_id: user,
            display_name: "Sub".to_owned(),
            username: None,
            language_code: Some("ru".to_owned()),
        };
        redemption::redeem(&app.db, &app.secret, &Default::default(), &subscriber, code, now()).await.unwrap();
    };
    redeem(SAM, &codes[0]).await;
    assert_eq!(app.db.known_language(SAM).await.unwrap().as_deref(), Some("ru"));
    assert_eq!(app.db.chosen_language(SAM).await.unwrap(), None, "remembered, not chosen");

    app.db.choose_language(SAM + 1, "en", now()).await.unwrap();
    redeem(SAM + 1, &codes[1]).await;
    assert_eq!(app.db.known_language(SAM + 1).await.unwrap().as_deref(), Some("en"), "the choice stays");
}

on_every_engine!(
    a_redemption_remembers_the_app_language_but_never_over_a_choice,
    each_way_of_redeeming_grants_and_extends_access_and_tells_the_creator,
    each_refusal_has_its_own_message_and_reveals_nothing,
    twenty_concurrent_redemptions_of_one_code_give_one_success,
    the_sixth_redemption_on_free_is_billed_once_at_stripe,
    stripe_failing_then_recovering_bills_every_record_exactly_once,
    the_sixth_wrong_code_in_ten_minutes_is_not_even_looked_up,
    expired_codes_are_swept_with_one_event_each_and_redeemed_ones_never_expire,
    refused_and_too_old_records_fail_and_billing_shows_the_cycle,
    billing_says_when_overage_waits_for_a_stripe_customer,
    a_meter_event_accepted_just_before_a_crash_is_reported_once_after_the_restart,
);
