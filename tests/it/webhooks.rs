//! Events reach the creator's systems: signed webhooks, retried on failure, paused when the receiver is
//! gone, never sent to a private address unless allowed, and shared by several instances.
use std::collections::HashMap;

use accessbot::db::webhooks::WebhookEndpoint;
use accessbot::domain::clock::now;
use accessbot::domain::webhooks::{self, EndpointStatus, TargetPolicy, WebhookDeliveryStatus};
use accessbot::domain::{DomainError, ValidationReason, ids};
use accessbot::metrics::BackgroundLoop;

use crate::on_every_engine;
use crate::support::app::{WAIT, generated_codes, wait_until};
use crate::support::mcp::{call_err, call_ok};
use crate::support::receiver::{Answer, Receiver};
use crate::support::{Engine, TestApp};
use serde_json::{Value, json};

const ANN: i64 = 6101;
const SUE: i64 = 6201;
const ALLOW_LOCAL: TargetPolicy = TargetPolicy { allow_http: true, allow_private_networks: true };

/// Ann with a plan, and an endpoint of her team at a receiver that trusts its secret.
async fn app_with_endpoint(engine: Engine, events: &str) -> (TestApp, Receiver, WebhookEndpoint) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let receiver = Receiver::start().await;
    let endpoint = add_endpoint(&app, &receiver, events).await;
    (app, receiver, endpoint)
}

async fn add_endpoint(app: &TestApp, receiver: &Receiver, events: &str) -> WebhookEndpoint {
    let team_id = app.creator(ANN).await.team_id;
    let url = format!("{}/hooks/shop", receiver.url);
    let created =
        webhooks::add_endpoint(&app.db, &app.secret, team_id, &url, events, ALLOW_LOCAL, now()).await.unwrap();
    receiver.trust(&created.secret);
    created.endpoint
}

async fn deliveries(app: &TestApp, endpoint: &WebhookEndpoint) -> Vec<accessbot::db::webhooks::WebhookDelivery> {
    app.db.recent_deliveries(endpoint.id, 1000).await.unwrap().into_iter().map(|(delivery, _)| delivery).collect()
}

async fn each_event_arrives_once_signed_with_its_envelope_after_what_causes_it(engine: Engine) {
    let (app, receiver, _) = app_with_endpoint(engine, "all").await;
    let codes = generated_codes(&app, ANN, "VIP", 1000).await;
    receiver.wait_for(WAIT, |r| r.iter().find(|r| r.event_type() == "access_code.generated").cloned()).await;
    let reply = app.send_text(SUE, "Sue", &codes[0]).await;
    assert!(reply.str("text").unwrap().contains("Code accepted"));
    app.send_text(SUE, "Sue", &codes[1]).await;
    receiver.wait_for(WAIT, |r| r.iter().find(|r| r.event_type() == "subscription.extended").cloned()).await;

    let received = receiver.received();
    let mut by_type: HashMap<&str, usize> = HashMap::new();
    for request in &received {
        *by_type.entry(request.event_type()).or_default() += 1;
        assert_eq!(request.verified_by.len(), 1, "the README's recipe verifies the signature: {request:?}");
        assert_eq!(request.path, "/hooks/shop");
        assert_eq!(request.header("content-type"), "application/json");
        assert!(request.header("user-agent").starts_with("accessbot/"));
        assert_eq!(request.header("accessbot-event-id"), request.event_id());
        assert_eq!(request.header("accessbot-event-type"), request.event_type());
        assert!(request.event_id().starts_with("evt_"));
        let fields: Vec<&str> = request.body.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(fields, ["created_at", "data", "id", "type"], "the envelope");
    }
    assert_eq!(by_type["access_code.generated"], 1, "a 1000-code batch is one event");
    assert_eq!(by_type["access_code.redeemed"], 2);
    assert_eq!(by_type["subscription.started"], 1);
    assert_eq!(by_type["subscription.extended"], 1);
    let generated = received.iter().find(|r| r.event_type() == "access_code.generated").unwrap();
    assert_eq!(generated.body["data"]["count"], 1000, "{}", generated.body);
    let mut ids: Vec<&str> = received.iter().map(|r| r.event_id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), received.len(), "each event once");
}

async fn an_endpoint_gets_only_the_event_types_it_asked_for(engine: Engine) {
    let (app, receiver, endpoint) = app_with_endpoint(engine, "access_code.redeemed").await;
    let codes = generated_codes(&app, ANN, "VIP", 2).await;
    app.send_text(SUE, "Sue", &codes[0]).await;
    receiver.wait_for(WAIT, |r| r.iter().find(|r| r.event_type() == "access_code.redeemed").cloned()).await;
    app.wait_for_full_pass(BackgroundLoop::WebhookSend).await;
    let types: Vec<String> = receiver.received().iter().map(|r| r.event_type().to_owned()).collect();
    assert_eq!(types, ["access_code.redeemed"]);
    for other in ["access_code.generated", "subscription.started"] {
        assert_eq!(app.db.events_of_type(other).await.unwrap().len(), 1, "a {other} event was there to send");
    }
    assert_eq!(deliveries(&app, &endpoint).await.len(), 1, "no delivery rows for the other types");
}

async fn a_failing_receiver_gets_the_same_event_again_until_it_answers(engine: Engine) {
    let (app, receiver, endpoint) = app_with_endpoint(engine, "all").await;
    receiver.answer_next(&[Answer::Status(500), Answer::Hang, Answer::Status(200)]);
    webhooks::send_test_event(&app.db, &endpoint, now()).await.unwrap();
    wait_until("the third attempt delivers", async || {
        deliveries(&app, &endpoint).await.first().is_some_and(|d| d.status == WebhookDeliveryStatus::Delivered)
    })
    .await;
    let delivery = deliveries(&app, &endpoint).await.remove(0);
    assert_eq!(delivery.attempts, 3);
    let log = app.db.attempts_of_delivery(delivery.id).await.unwrap();
    let codes: Vec<Option<i32>> = log.iter().map(|a| a.status_code).collect();
    assert_eq!(codes, [Some(500), None, Some(200)]);
    assert!(log[1].error.as_deref().unwrap().contains("time limit"), "{:?}", log[1]);
    let received = receiver.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| r.event_id() == received[0].event_id()), "the same event id each time");

    receiver.answer_next(&[Answer::RetryAfter(429, 1)]);
    webhooks::send_test_event(&app.db, &endpoint, now()).await.unwrap();
    wait_until("the retried test event is delivered", async || {
        deliveries(&app, &endpoint).await.iter().all(|d| d.status == WebhookDeliveryStatus::Delivered)
    })
    .await;
    let newest = deliveries(&app, &endpoint).await.remove(0);
    let log = app.db.attempts_of_delivery(newest.id).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(log[1].attempted_at - log[0].attempted_at >= chrono::Duration::milliseconds(950), "Retry-After: 1");
}

async fn a_receiver_down_gets_everything_when_back_and_twenty_failures_pause_it(engine: Engine) {
    let (app, receiver, endpoint) = app_with_endpoint(engine, "all").await;
    receiver.set_down(true);
    for _ in 0..3 {
        webhooks::send_test_event(&app.db, &endpoint, now()).await.unwrap();
    }
    wait_until("the first tries failed", async || {
        deliveries(&app, &endpoint).await.iter().any(|d| d.last_error.is_some())
    })
    .await;
    receiver.set_down(false);
    wait_until("every event arrives once the receiver is back", async || {
        deliveries(&app, &endpoint).await.iter().all(|d| d.status == WebhookDeliveryStatus::Delivered)
    })
    .await;
    let mut arrived: Vec<String> = receiver.received().iter().map(|r| r.event_id().to_owned()).collect();
    arrived.sort();
    arrived.dedup();
    assert_eq!(arrived.len(), 3, "each of the three arrived");

    receiver.set_down(true);
    for _ in 0..3 {
        webhooks::send_test_event(&app.db, &endpoint, now()).await.unwrap();
    }
    let told = app
        .telegram
        .wait_for(WAIT, |r| {
            r.iter()
                .find(|r| {
                    r.int("chat_id") == Some(ANN) && r.str("text").is_some_and(|t| t.contains("20 times in a row"))
                })
                .cloned()
        })
        .await;
    assert!(told.str("text").unwrap().contains(&endpoint.url), "{told:?}");
    let paused = app.db.find_endpoint(endpoint.id).await.unwrap().unwrap();
    assert_eq!(paused.status, EndpointStatus::Paused);
    assert_eq!(paused.consecutive_failures, webhooks::PAUSE_AFTER_FAILURES);

    // Resumed while the receiver is still down: the three run out of tries (8 each) and are kept, dead.
    app.db.set_endpoint_status(endpoint.id, EndpointStatus::Active, None).await.unwrap();
    wait_until("every delivery ran out of tries", async || {
        deliveries(&app, &endpoint).await.iter().all(|d| d.status != WebhookDeliveryStatus::Pending)
    })
    .await;
    let dead: Vec<_> =
        deliveries(&app, &endpoint).await.into_iter().filter(|d| d.status == WebhookDeliveryStatus::Dead).collect();
    assert_eq!(dead.len(), 3);
    assert!(dead.iter().all(|d| d.attempts == 8), "the whole schedule was tried: {dead:?}");

    receiver.set_down(false);
    let team_id = app.creator(ANN).await.team_id;
    let dead_id = ids::public_id(ids::WEBHOOK_DELIVERY, dead[0].id);
    webhooks::redeliver(&app.db, team_id, &dead_id, now()).await.unwrap();
    wait_until("the redelivered one arrives", async || {
        app.db.find_delivery(dead[0].id).await.unwrap().is_some_and(|d| d.status == WebhookDeliveryStatus::Delivered)
    })
    .await;
    assert_eq!(app.db.find_endpoint(endpoint.id).await.unwrap().unwrap().consecutive_failures, 0);
    assert_eq!(app.db.attempts_of_delivery(dead[0].id).await.unwrap().len(), 9, "its log kept every try");
    let redelivered = webhooks::redeliver(&app.db, uuid::Uuid::now_v7(), &dead_id, now()).await;
    assert_eq!(redelivered, Err(DomainError::not_found("webhook delivery")), "another team's delivery is not found");
}

async fn an_endpoint_gets_its_events_one_at_a_time_in_the_order_they_happened(engine: Engine) {
    let (app, receiver, endpoint) = app_with_endpoint(engine, "all").await;
    for _ in 0..10 {
        webhooks::send_test_event(&app.db, &endpoint, now()).await.unwrap();
    }
    receiver.wait_for(WAIT, |r| (r.len() >= 10).then_some(())).await;
    let arrived: Vec<String> = receiver.received().iter().map(|r| r.event_id().to_owned()).collect();
    let mut sorted = arrived.clone();
    sorted.sort();
    assert_eq!(arrived, sorted, "in the order they happened (event ids are time-ordered)");
}

async fn a_410_pauses_the_endpoint_at_once(engine: Engine) {
    let (app, receiver, endpoint) = app_with_endpoint(engine, "all").await;
    receiver.answer_next(&[Answer::Status(410)]);
    webhooks::send_test_event(&app.db, &endpoint, now()).await.unwrap();
    app.telegram
        .wait_for(WAIT, |r| r.iter().find(|r| r.str("text").is_some_and(|t| t.contains("410 Gone"))).cloned())
        .await;
    let paused = app.db.find_endpoint(endpoint.id).await.unwrap().unwrap();
    assert_eq!((paused.status, paused.consecutive_failures), (EndpointStatus::Paused, 1));
}

async fn private_targets_redirects_and_huge_answers_are_kept_in_check(engine: Engine) {
    let no_private = TargetPolicy { allow_http: true, allow_private_networks: false };
    let app = TestApp::spawn_with(engine, |settings| settings.webhooks.policy = no_private).await;
    app.make_creator(ANN, "Ann").await;
    let team_id = app.creator(ANN).await.team_id;
    let receiver = Receiver::start().await;
    let strict = TargetPolicy::default();
    let local = format!("{}/hooks", receiver.url);
    let refused = webhooks::add_endpoint(&app.db, &app.secret, team_id, &local, "all", strict, now()).await;
    assert_eq!(refused.err(), Some(DomainError::validation("url", ValidationReason::NotHttps)));
    let https_local = local.replace("http://", "https://");
    let refused = webhooks::add_endpoint(&app.db, &app.secret, team_id, &https_local, "all", strict, now()).await;
    assert_eq!(refused.err(), Some(DomainError::validation("url", ValidationReason::PrivateTarget)));

    // Added while allowed (or before its name moved to a private address): refused again at delivery.
    let allowed =
        webhooks::add_endpoint(&app.db, &app.secret, team_id, &local, "all", ALLOW_LOCAL, now()).await.unwrap();
    webhooks::send_test_event(&app.db, &allowed.endpoint, now()).await.unwrap();
    wait_until("the attempt is refused", async || {
        deliveries(&app, &allowed.endpoint).await.first().is_some_and(|d| d.last_error.is_some())
    })
    .await;
    let delivery = deliveries(&app, &allowed.endpoint).await.remove(0);
    assert!(delivery.last_error.as_deref().is_some_and(|e| e.contains("private")), "{delivery:?}");
    assert!(receiver.received().is_empty(), "nothing reached the private address");
    app.db.delete_endpoint(allowed.endpoint.id).await.unwrap();
}

async fn a_redirect_is_not_followed_and_a_huge_answer_is_cut_off(engine: Engine) {
    let (app, receiver, endpoint) = app_with_endpoint(engine, "all").await;
    let elsewhere = Receiver::start().await;
    receiver.answer_next(&[Answer::RedirectTo(format!("{}/stolen", elsewhere.url)), Answer::HugeBody(10 << 20)]);
    webhooks::send_test_event(&app.db, &endpoint, now()).await.unwrap();
    wait_until("the second attempt is delivered", async || {
        deliveries(&app, &endpoint).await.first().is_some_and(|d| d.status == WebhookDeliveryStatus::Delivered)
    })
    .await;
    let delivery = deliveries(&app, &endpoint).await.remove(0);
    let log = app.db.attempts_of_delivery(delivery.id).await.unwrap();
    assert_eq!(log[0].status_code, Some(302), "a redirect is a failed attempt");
    assert!(elsewhere.received().is_empty(), "and is not followed");
    let sent = receiver.huge_body_sent.load(std::sync::atomic::Ordering::SeqCst);
    // Socket buffers take a few MB; the rest of the 10 MB was never asked for.
    assert!(sent < 10 << 20, "the 10 MB answer was read to its end");
}

async fn a_rotated_secret_signs_beside_the_old_one_for_a_day(engine: Engine) {
    let (app, receiver, endpoint) = app_with_endpoint(engine, "all").await;
    let old = receiver.received().len();
    let rotated = webhooks::rotate_secret(&app.db, &app.secret, &endpoint, now()).await.unwrap();
    assert!(rotated.starts_with("whsec_"));
    receiver.trust(&rotated);
    webhooks::send_test_event(&app.db, &endpoint, now()).await.unwrap();
    let during = receiver.wait_for(WAIT, |r| r.get(old).cloned()).await;
    assert_eq!(during.signatures, 2);
    assert_eq!(during.verified_by.len(), 2, "both the new and the old secret verify during the overlap");

    let conn = sea_orm::Database::connect(app.settings.database_url.as_str()).await.unwrap();
    let past = (now() - chrono::Duration::minutes(1)).to_rfc3339();
    let sql = format!("UPDATE webhook_endpoints SET previous_secret_until = '{past}'");
    sea_orm::ConnectionTrait::execute_unprepared(&conn, &sql).await.unwrap();
    conn.close().await.unwrap();
    webhooks::send_test_event(&app.db, &endpoint, now()).await.unwrap();
    let after = receiver.wait_for(WAIT, |r| r.get(old + 1).cloned()).await;
    assert_eq!(after.signatures, 1);
    assert_eq!(after.verified_by, [rotated], "only the new secret after the overlap");
}

async fn a_crash_mid_delivery_is_taken_over_and_two_instances_share_200_events(engine: Engine) {
    let (mut app, receiver, first) = app_with_endpoint(engine, "all").await;
    receiver.answer_next(&[Answer::Hang]);
    webhooks::send_test_event(&app.db, &first, now()).await.unwrap();
    receiver.wait_for(WAIT, |r| (!r.is_empty()).then_some(())).await;
    app.kill();
    app.start_instance().await;
    wait_until("the new instance delivers what the dead one held", async || {
        deliveries(&app, &first).await.first().is_some_and(|d| d.status == WebhookDeliveryStatus::Delivered)
    })
    .await;
    let taken_over = deliveries(&app, &first).await.remove(0);
    assert_eq!(taken_over.attempts, 2, "the attempt that died with its instance counts too");

    app.settings.receive_updates = false;
    app.start_instance().await;
    let mut endpoints = vec![first];
    for _ in 0..3 {
        endpoints.push(add_endpoint(&app, &receiver, "all").await);
    }
    for n in 0..200 {
        webhooks::send_test_event(&app.db, &endpoints[n % 4], now()).await.unwrap();
    }
    wait_until("all 200 are delivered", async || {
        let mut done = true;
        for endpoint in &endpoints {
            done &= deliveries(&app, endpoint).await.iter().all(|d| d.status == WebhookDeliveryStatus::Delivered);
        }
        done
    })
    .await;
    let received = receiver.received();
    let mut ids: Vec<&str> = received.iter().map(|r| r.event_id()).collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 201, "every event arrived");
    eprintln!("webhook duplicates: {} of {total} requests repeated an event", total - ids.len());
    assert!(total - ids.len() <= 1, "only the one the crash interrupted came twice");
}

async fn a_creator_manages_webhooks_in_the_bot(engine: Engine) {
    let app = TestApp::with_creator_and_plan(engine, ANN, "VIP").await;
    let receiver = Receiver::start().await;
    let usage = app.send_text(ANN, "Ann", "/addwebhook").await;
    assert!(usage.str("text").unwrap().contains("Send the address that should receive events"), "{usage:?}");
    let refused = app.send_text(ANN, "Ann", "/addwebhook ftp://shop.example").await;
    assert!(refused.str("text").unwrap().contains("must start with https://"), "{refused:?}");

    let url = format!("{}/hooks/bot", receiver.url);
    let before = app.telegram.requests().len();
    let created = app.send_text(ANN, "Ann", &format!("/addwebhook {url}")).await;
    let text = created.str("text").unwrap();
    let secret = text.split_whitespace().find(|w| w.starts_with("whsec_")).expect("the secret, shown once").to_owned();
    receiver.trust(&secret);
    let card = app
        .telegram
        .wait_for(WAIT, |r| r.iter().skip(before).filter(|r| r.method == "sendMessage").nth(1).cloned())
        .await;
    assert!(card.str("text").unwrap().contains(&url) && card.str("text").unwrap().contains("all events"), "{card:?}");

    let expired_toggle = TestApp::button_labeled(&card, "access_code.expired");
    let toast = app.tap(ANN, &card, &expired_toggle).await;
    assert_eq!(toast.str("text"), Some("Events: 10 of 11 types. The card shows which."), "too many to list");
    let endpoint = app.db.endpoints_of_team(app.creator(ANN).await.team_id).await.unwrap().remove(0);
    assert!(!webhooks::wants(&endpoint.event_types, "access_code.expired"));
    assert!(webhooks::wants(&endpoint.event_types, "access_code.redeemed"));

    let sam_tap = app.tap(SUE, &card, &TestApp::button_labeled(&card, "Send test event")).await;
    assert_eq!(sam_tap.str("text"), Some("This menu has expired."), "someone else's tap changes nothing");
    app.tap(ANN, &card, &TestApp::button_labeled(&card, "Send test event")).await;
    let test = receiver.wait_for(WAIT, |r| r.first().cloned()).await;
    assert_eq!((test.event_type(), test.verified_by.len()), ("webhook.test", 1));

    let paused = app.tap_edit(ANN, &card, &TestApp::button_labeled(&card, "Pause")).await;
    assert_eq!(app.db.find_endpoint(endpoint.id).await.unwrap().unwrap().status, EndpointStatus::Paused);
    assert!(paused.str("text").unwrap().contains("paused"), "{paused:?}");
    app.tap(ANN, &paused, &TestApp::button_labeled(&paused, "Resume")).await;
    assert_eq!(app.db.find_endpoint(endpoint.id).await.unwrap().unwrap().status, EndpointStatus::Active);

    let before = app.telegram.requests().len();
    app.tap(ANN, &card, &TestApp::button_labeled(&card, "Rotate secret")).await;
    let rotated = app.next_message_to(ANN, before).await;
    let new_secret =
        rotated.str("text").unwrap().split_whitespace().find(|w| w.starts_with("whsec_")).unwrap().to_owned();
    assert_ne!(new_secret, secret);

    let list = app.send_text(ANN, "Ann", "/webhooks").await;
    assert!(list.str("text").unwrap().contains(&url), "{list:?}");
    let deliveries = app.tap_edit(ANN, &card, &TestApp::button_labeled(&card, "Deliveries")).await;
    let shown = deliveries.str("text").unwrap();
    assert!(shown.contains("webhook.test — delivered · HTTP 200 · 1 tries"), "{shown}");
    app.tap(ANN, &deliveries, &TestApp::button_labeled(&deliveries, "Redeliver 1")).await;
    let again = receiver.wait_for(WAIT, |r| r.get(1).cloned()).await;
    assert_eq!(again.event_id(), test.event_id(), "the same event, sent again");
    assert_eq!(again.signatures, 2, "signed with the new secret and, for a day, the old one");

    let confirm = app.tap_edit(ANN, &card, &TestApp::button_labeled(&card, "Delete")).await;
    let emptied = app.tap_edit(ANN, &confirm, &TestApp::button_labeled(&confirm, "Yes, delete")).await;
    assert!(emptied.str("text").unwrap().contains("No webhooks yet"), "{emptied:?}");
    assert!(app.db.find_endpoint(endpoint.id).await.unwrap().is_none());
    app.assert_no_violations();
}

async fn an_agent_lists_deliveries_and_redelivers_a_dead_one_over_mcp(engine: Engine) {
    let (app, receiver, endpoint) = app_with_endpoint(engine, "all").await;
    receiver.set_down(true);
    webhooks::send_test_event(&app.db, &endpoint, now()).await.unwrap();
    wait_until("the delivery is dead", async || {
        deliveries(&app, &endpoint).await.first().is_some_and(|d| d.status == WebhookDeliveryStatus::Dead)
    })
    .await;
    receiver.set_down(false);

    let abilities = "mcp:full,project-webhook:view,project-webhook:manage";
    let client = app.mcp(&app.token(ANN, abilities).await).await;
    let endpoint_id = ids::public_id(ids::WEBHOOK_ENDPOINT, endpoint.id);
    let listed =
        call_ok(&client, "list_webhook_deliveries", json!({"endpoint_id": endpoint_id, "status": "dead"})).await;
    let dead = &listed["data"]["deliveries"][0];
    assert_eq!(dead["event_type"], "webhook.test");
    assert_eq!(dead["status"], "dead");
    assert_eq!(dead["attempts"], 8);
    assert!(dead["last_error"].as_str().is_some_and(|e| e.starts_with("error sending request")), "{dead}");
    assert_eq!(dead["next_attempt_at"], Value::Null);

    let delivery_id = dead["delivery_id"].as_str().unwrap().to_owned();
    let again = call_ok(&client, "redeliver_webhook", json!({"delivery_id": delivery_id})).await;
    assert_eq!(again["data"]["status"], "pending");
    receiver.wait_for(WAIT, |r| r.first().cloned()).await;
    let all = call_ok(&client, "list_webhook_deliveries", json!({})).await;
    wait_until("the redelivered one is delivered", async || {
        deliveries(&app, &endpoint).await[0].status == WebhookDeliveryStatus::Delivered
    })
    .await;
    assert_eq!(all["data"]["deliveries"].as_array().unwrap().len(), 1);

    let wrong = call_err(&client, "list_webhook_deliveries", json!({"status": "lost"})).await;
    assert_eq!((wrong["code"].as_str(), wrong["field"].as_str()), (Some("VALIDATION_FAILED"), Some("status")));
    let unknown =
        call_err(&client, "redeliver_webhook", json!({"delivery_id": "whd_01J00000000000000000000000"})).await;
    assert_eq!(unknown["code"], "RESOURCE_NOT_FOUND");
    client.cancel().await.ok();

    let viewer = app.mcp(&app.token(ANN, "mcp:full,project-webhook:view").await).await;
    let refused = call_err(&viewer, "redeliver_webhook", json!({"delivery_id": delivery_id})).await;
    assert_eq!(
        (refused["code"].as_str(), refused["required_ability"].as_str()),
        (Some("TOKEN_MISSING_ABILITY"), Some("project-webhook:manage"))
    );
    viewer.cancel().await.ok();
    let plain = app.mcp(&app.token(ANN, "mcp:full").await).await;
    let refused = call_err(&plain, "list_webhook_deliveries", json!({})).await;
    assert_eq!(refused["required_ability"], "project-webhook:view");
    plain.cancel().await.ok();
}

async fn a_receiver_that_hangs_holds_up_no_other_endpoint(engine: Engine) {
    let (app, slow, stuck) = app_with_endpoint(engine, "all").await;
    let fast = Receiver::start().await;
    let quick = add_endpoint(&app, &fast, "all").await;
    // It hangs for as long as the test runs, so its delivery is never done.
    slow.answer_next(&vec![Answer::Hang; 100]);
    webhooks::send_test_event(&app.db, &stuck, now()).await.unwrap();
    slow.wait_for(WAIT, |r| (!r.is_empty()).then_some(())).await;
    for _ in 0..5 {
        webhooks::send_test_event(&app.db, &quick, now()).await.unwrap();
    }
    fast.wait_for(WAIT, |r| (r.len() >= 5).then_some(())).await;
    let stuck_delivery = deliveries(&app, &stuck).await.remove(0);
    assert_ne!(stuck_delivery.status, WebhookDeliveryStatus::Delivered, "the hanging one is still being tried");
    let codes = generated_codes(&app, ANN, "VIP", 3).await;
    assert_eq!(codes.len(), 3, "code delivery goes on meanwhile");
}

on_every_engine!(
    each_event_arrives_once_signed_with_its_envelope_after_what_causes_it,
    an_endpoint_gets_only_the_event_types_it_asked_for,
    a_failing_receiver_gets_the_same_event_again_until_it_answers,
    a_receiver_down_gets_everything_when_back_and_twenty_failures_pause_it,
    an_endpoint_gets_its_events_one_at_a_time_in_the_order_they_happened,
    a_410_pauses_the_endpoint_at_once,
    private_targets_redirects_and_huge_answers_are_kept_in_check,
    a_redirect_is_not_followed_and_a_huge_answer_is_cut_off,
    a_rotated_secret_signs_beside_the_old_one_for_a_day,
    a_crash_mid_delivery_is_taken_over_and_two_instances_share_200_events,
    a_creator_manages_webhooks_in_the_bot,
    an_agent_lists_deliveries_and_redelivers_a_dead_one_over_mcp,
    a_receiver_that_hangs_holds_up_no_other_endpoint,
);
