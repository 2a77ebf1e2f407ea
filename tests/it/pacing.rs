//! Delivery at Telegram's pace for many creators at once, against a fake that enforces Telegram's limits:
//! no 429, nothing skipped, replies and files ahead of bulk code messages, outages ridden out.
use std::collections::{HashMap, HashSet};
use std::time::Duration;

use accessbot::config::Settings;
use accessbot::domain::access_code::AccessCode;
use accessbot::domain::clock::now;

use crate::on_every_engine;
use crate::support::app::{WAIT, file_request, messages_request};
use crate::support::fake_telegram::{MessageLimits, Recorded};
use crate::support::{Engine, TestApp};

const FIRST_CREATOR: i64 = 8100;
const SUBSCRIBER: i64 = 8900;

/// The app paces itself by the same limits the fake enforces.
fn limited(per_chat: u32, overall: u32) -> impl FnOnce(&mut Settings) {
    move |settings| {
        settings.throttle.messages_per_sec_chat = per_chat;
        settings.throttle.messages_per_min_chat = per_chat * 60;
        settings.throttle.messages_per_sec_overall = overall;
        settings.worker.lease = Duration::from_secs(10);
    }
}

fn is_code_message(request: &Recorded) -> bool {
    request.method == "sendMessage" && request.params.contains_key("entities")
}

fn code_in(message: &Recorded) -> AccessCode {
    message.str("text").unwrap().split_whitespace().find_map(AccessCode::parse).expect("a code in the message")
}

/// The distinct codes each chat received, after checking that none came twice.
fn codes_by_chat(app: &TestApp) -> HashMap<i64, HashSet<String>> {
    let mut by_chat: HashMap<i64, HashSet<String>> = HashMap::new();
    for message in app.telegram.requests().iter().filter(|r| is_code_message(r)) {
        let fresh = by_chat
            .entry(message.int("chat_id").unwrap())
            .or_default()
            .insert(code_in(message).normalised().to_owned());
        assert!(fresh, "a code was sent twice");
    }
    by_chat
}

async fn spawn_limited(engine: Engine, per_chat: u32, overall: u32) -> TestApp {
    let app = TestApp::spawn_with(engine, limited(per_chat, overall)).await;
    app.telegram.enforce_limits(MessageLimits {
        per_chat: per_chat as usize,
        overall: overall as usize,
        ..MessageLimits::TELEGRAM
    });
    app
}

async fn message_jobs_of_many_creators_run_side_by_side_and_a_file_does_not_wait_for_them(engine: Engine) {
    let app = spawn_limited(engine, 10, 40).await;
    let creators = app.make_creators_with_plan(FIRST_CREATOR, 8, "VIP").await;
    let queue = app.queue();
    for user_id in &creators {
        queue.enqueue(&app.creator(*user_id).await, &messages_request("VIP", 20), "test", now()).await.unwrap();
    }
    app.telegram
        .wait_for(WAIT, |requests| (requests.iter().filter(|r| is_code_message(r)).count() >= 20).then_some(()))
        .await;
    let late = app.make_creators_with_plan(FIRST_CREATOR + 50, 1, "Late").await[0];
    queue.enqueue(&app.creator(late).await, &file_request("Late", 10), "test", now()).await.unwrap();
    app.wait_for_finished_jobs(9, WAIT).await;

    let requests = app.telegram.requests();
    let first_codes: Vec<&Recorded> = requests.iter().filter(|r| is_code_message(r)).take(16).collect();
    let chats: HashSet<i64> = first_codes.iter().map(|m| m.int("chat_id").unwrap()).collect();
    assert!(chats.len() >= 6, "message jobs did not wait for each other's slot: the first codes went to {chats:?}");
    let document_at = requests.iter().position(|r| r.method == "sendDocument").expect("the file was delivered");
    let codes_after_document = requests[document_at..].iter().filter(|r| is_code_message(r)).count();
    assert!(codes_after_document > 0, "the file came while code messages were still going out, not after them");

    let by_chat = codes_by_chat(&app);
    for user_id in &creators {
        assert_eq!(by_chat[user_id].len(), 20, "creator {user_id} got every code once");
    }
    assert!(app.telegram.over_limit().is_empty(), "Telegram refused {:?}", app.telegram.over_limit());
    assert_eq!(app.db.count_jobs_with_status(accessbot::domain::jobs::JobStatus::Completed).await.unwrap(), 9);
    let first = first_codes[0];
    let copy = &first.json("reply_markup").unwrap()["inline_keyboard"][0][0];
    assert_eq!(copy["copy_text"]["text"].as_str(), Some(code_in(first).display().as_str()), "{copy}");
    app.assert_no_violations();
}

async fn a_reply_goes_out_before_queued_code_messages(engine: Engine) {
    let app = spawn_limited(engine, 10, 4).await;
    let creators = app.make_creators_with_plan(FIRST_CREATOR, 6, "VIP").await;
    let queue = app.queue();
    for user_id in &creators {
        queue.enqueue(&app.creator(*user_id).await, &messages_request("VIP", 6), "test", now()).await.unwrap();
    }
    app.telegram
        .wait_for(WAIT, |requests| (requests.iter().filter(|r| is_code_message(r)).count() >= 4).then_some(()))
        .await;
    let before = app.telegram.requests().len();
    let reply = app.send_text(SUBSCRIBER, "Sue", "/help").await;
    let requests = app.telegram.requests();
    let reply_at = requests.iter().position(|r| r.message_id == reply.message_id && r.method == "sendMessage").unwrap();
    let bulk_first = requests[before..reply_at].iter().filter(|r| is_code_message(r)).count();
    // Six chats wait in line for the overall budget; in line with them, the reply would come after five or six.
    // One code message may have been on its way, and one taken its turn before the update was handled.
    assert!(bulk_first <= 2, "{bulk_first} queued code messages went before the reply");

    app.wait_for_finished_jobs(6, WAIT).await;
    assert!(codes_by_chat(&app).values().all(|codes| codes.len() == 6), "nothing was skipped");
    assert!(app.telegram.over_limit().is_empty(), "Telegram refused {:?}", app.telegram.over_limit());
    app.assert_no_violations();
}

async fn two_instances_together_keep_within_the_bots_overall_limit(engine: Engine) {
    let mut app = TestApp::spawn_with(engine, |settings| {
        limited(10, 10)(settings);
        settings.throttle.instances = 2;
    })
    .await;
    // Telegram counts on arrival: on a loaded machine a send held up on its way arrives bunched with the next,
    // so one message of jitter is let through. Instances that did not share the limit would send 20 a second.
    app.telegram.enforce_limits(MessageLimits { per_chat: 10, overall: 11, ..MessageLimits::TELEGRAM });
    app.settings.receive_updates = false;
    app.start_instance().await;
    let creators = app.make_creators_with_plan(FIRST_CREATOR, 10, "VIP").await;
    let queue = app.queue();
    let mut job_ids = Vec::new();
    for user_id in creators.iter().chain(&creators) {
        let queued = queue.enqueue(&app.creator(*user_id).await, &messages_request("VIP", 3), "test", now()).await;
        job_ids.push(
            accessbot::domain::ids::parse_public_id(accessbot::domain::ids::JOB, &queued.unwrap().job_id).unwrap(),
        );
    }
    app.wait_for_finished_jobs(20, Duration::from_secs(60)).await;

    assert!(app.telegram.over_limit().is_empty(), "together they went over: {:?}", app.telegram.over_limit());
    let by_chat = codes_by_chat(&app);
    assert!(creators.iter().all(|user_id| by_chat[user_id].len() == 6), "every code of both jobs once: {by_chat:?}");
    let holders: HashSet<String> = app
        .logs()
        .iter()
        .filter(|line| job_ids.iter().any(|id| line.contains(&format!("took job {id}"))))
        .filter_map(|line| {
            line.split_whitespace().find(|word| word.contains('/')).map(|w| w.split('/').next().unwrap().to_owned())
        })
        .collect();
    assert_eq!(holders.len(), 2, "both instances delivered: {holders:?}");
}

async fn a_telegram_outage_within_the_tolerance_is_ridden_out_and_shown(engine: Engine) {
    let app = TestApp::spawn_with(engine, |settings| {
        limited(20, 100)(settings);
        settings.worker.outage_tolerance = Duration::from_secs(20);
    })
    .await;
    let user_id = app.make_creators_with_plan(FIRST_CREATOR, 1, "VIP").await[0];
    app.queue().enqueue(&app.creator(user_id).await, &messages_request("VIP", 12), "test", now()).await.unwrap();
    app.telegram
        .wait_for(WAIT, |requests| (requests.iter().filter(|r| is_code_message(r)).count() >= 3).then_some(()))
        .await;
    app.telegram.outage("sendMessage", Duration::from_millis(1500));

    let job = app.finished_job(user_id).await;
    assert_eq!(job.status, "completed", "{job:?}");
    assert_eq!(codes_by_chat(&app)[&user_id].len(), 12, "nothing skipped");
    // The job is marked completed before its status message says so.
    app.telegram
        .wait_for(WAIT, |requests| {
            requests.iter().any(|r| r.str("text").is_some_and(|t| t.contains("codes are ready"))).then_some(())
        })
        .await;
    let statuses: Vec<String> = app
        .telegram
        .requests()
        .iter()
        .filter(|r| r.method == "editMessageText" || r.method == "sendMessage")
        .filter_map(|r| r.str("text").map(str::to_owned))
        .collect();
    let paused = statuses.iter().rposition(|t| t.contains("Telegram is not answering, retrying"));
    let paused = paused.expect("the status said why delivery paused");
    assert!(
        statuses[paused..].iter().any(|t| t.contains("codes are ready")),
        "and then that it finished: {statuses:?}"
    );
}

on_every_engine!(
    message_jobs_of_many_creators_run_side_by_side_and_a_file_does_not_wait_for_them,
    a_reply_goes_out_before_queued_code_messages,
    two_instances_together_keep_within_the_bots_overall_limit,
    a_telegram_outage_within_the_tolerance_is_ridden_out_and_shown,
);
