//! Webhook mode: Telegram posts updates to the bot's URL. Posts without the shared secret are refused and
//! not stored, a stored update is answered at once, and several instances behind a load balancer handle
//! each update once, each chat's in order, even when one of them dies.
use std::collections::HashMap;
use std::time::Duration;

use accessbot::config::{Secret, TelegramWebhook};
use serde_json::json;

use crate::on_every_engine;
use crate::support::app::{WAIT, wait_until};
use crate::support::fake_telegram::FakeTelegram;
use crate::support::proxy::RoundRobin;
use crate::support::{Bounded, Engine, TestApp};

const WEBHOOK_SECRET: &str = "test-webhook-secret_1";
const FIRST_USER: i64 = 6100;

/// A bot in webhook mode behind `proxy`, with `instances` instances on one database.
async fn webhook_bot(engine: Engine, proxy: &RoundRobin, instances: usize) -> TestApp {
    let url = url::Url::parse(&format!("{}/telegram/updates", proxy.url)).unwrap();
    let mut app = TestApp::spawn_with(engine, |settings| {
        settings.telegram_webhook = Some(TelegramWebhook { url, secret: Secret::new(WEBHOOK_SECRET) });
        settings.throttle.instances = instances as u32;
    })
    .await;
    for _ in 1..instances {
        app.start_instance().await;
    }
    proxy.set_backends(app.instance_addrs());
    app
}

/// The commands a user sends, and the words that tell their answers apart; no two in a row are alike,
/// so an answer repeated after a crash shows as a repeat, not as a different order.
const COMMANDS: [(&str, &str); 3] =
    [("/help", "This bot lets subscribers"), ("/my", "no subscriptions yet"), ("/cancel", "nothing to cancel")];

fn command_of(user: usize, step: usize) -> usize {
    (user + step) % COMMANDS.len()
}

/// Each user's answers so far, as indexes into `COMMANDS`.
fn answers(telegram: &FakeTelegram, users: &[i64]) -> HashMap<i64, Vec<usize>> {
    let mut answers: HashMap<i64, Vec<usize>> = users.iter().map(|user| (*user, Vec::new())).collect();
    for message in telegram.calls("sendMessage") {
        let (Some(chat), Some(text)) = (message.int("chat_id"), message.str("text")) else { continue };
        if let (Some(seen), Some(kind)) =
            (answers.get_mut(&chat), COMMANDS.iter().position(|(_, words)| text.contains(words)))
        {
            seen.push(kind);
        }
    }
    answers
}

fn expected(users: &[i64], steps: usize) -> HashMap<i64, Vec<usize>> {
    users.iter().enumerate().map(|(n, user)| (*user, (0..steps).map(|step| command_of(n, step)).collect())).collect()
}

fn send_commands(app: &TestApp, users: &[i64], steps: std::ops::Range<usize>) {
    for step in steps {
        for (n, user) in users.iter().enumerate() {
            app.telegram.push_update(app.message_json(*user, "User", COMMANDS[command_of(n, step)].0));
        }
    }
}

async fn webhook_mode_registers_the_url_with_its_secret_and_refuses_posts_without_it(engine: Engine) {
    let proxy = RoundRobin::start().await;
    let app = webhook_bot(engine, &proxy, 1).await;
    let url = format!("{}/telegram/updates", proxy.url);
    app.telegram.wait_for(WAIT, |r| r.iter().find(|r| r.method == "setWebhook").cloned()).await;
    let registered = app.telegram.calls("setWebhook");
    assert_eq!(registered.len(), 1, "setWebhook once at start");
    assert_eq!(registered[0].str("url"), Some(url.as_str()));
    assert_eq!(registered[0].str("secret_token"), Some(WEBHOOK_SECRET));
    let allowed = registered[0].json("allowed_updates").expect("allowed_updates");
    assert!(allowed.as_array().unwrap().contains(&json!("chat_member")), "{allowed}");

    let update = |id: i64| {
        let mut update = app.message_json(FIRST_USER, "User", "/help");
        update["update_id"] = json!(id);
        update
    };
    assert_eq!(FakeTelegram::post_update(&url, None, &update(1)).await, 401, "no secret");
    assert_eq!(FakeTelegram::post_update(&url, Some("not-the-secret"), &update(2)).await, 401, "a wrong secret");
    assert_eq!(FakeTelegram::post_update(&url, Some(&WEBHOOK_SECRET[..5]), &update(3)).await, 401, "a prefix");
    for refused in 1..=3 {
        assert!(app.db.find_inbox_update(refused).await.unwrap().is_none(), "a refused post is not stored");
    }

    assert_eq!(FakeTelegram::post_update(&url, Some(WEBHOOK_SECRET), &update(4)).await, 200);
    let answer = app.next_message_to(FIRST_USER, 0).await;
    assert!(answer.str("text").unwrap().contains(COMMANDS[0].1));
    assert_eq!(app.telegram.calls("sendMessage").len(), 1, "nothing refused was answered, the accepted post was");
    assert!(app.db.find_inbox_update(4).await.unwrap().is_some());
    assert_eq!(FakeTelegram::post_update(&url, Some(WEBHOOK_SECRET), &update(4)).await, 200, "a retry is fine");
    // The chat's next update is handled only after any earlier one, so its answer shows the retry's effect.
    let mut next = app.message_json(FIRST_USER, "User", COMMANDS[1].0);
    next["update_id"] = json!(5);
    assert_eq!(FakeTelegram::post_update(&url, Some(WEBHOOK_SECRET), &next).await, 200);
    wait_until("the next update is answered", async || app.telegram.calls("sendMessage").len() >= 2).await;
    let texts: Vec<String> =
        app.telegram.calls("sendMessage").iter().map(|m| m.str("text").unwrap().to_owned()).collect();
    assert_eq!(texts.len(), 2, "the retry changed nothing: {texts:?}");
    assert!(texts[1].contains(COMMANDS[1].1), "{texts:?}");

    // What Telegram itself posts arrives the same way; the bot never long-polls meanwhile.
    app.telegram.push_update(app.message_json(FIRST_USER + 1, "Other", "/my"));
    let answer = app.next_message_to(FIRST_USER + 1, 0).await;
    assert!(answer.str("text").unwrap().contains(COMMANDS[1].1));
    assert!(app.telegram.calls("getUpdates").is_empty(), "no getUpdates in webhook mode");
    assert!(app.telegram.violations().is_empty(), "{:?}", app.telegram.violations());
}

async fn going_back_to_long_polling_deletes_the_webhook(engine: Engine) {
    let proxy = RoundRobin::start().await;
    let mut app = webhook_bot(engine, &proxy, 1).await;
    app.telegram.wait_for(WAIT, |r| r.iter().find(|r| r.method == "setWebhook").cloned()).await;
    app.stop().await;
    app.settings.telegram_webhook = None;
    app.start_instance().await;
    // The fake, as Telegram, refuses getUpdates while a webhook is set: this answer needs the webhook gone.
    app.telegram.push_update(app.message_json(FIRST_USER, "User", "/help"));
    let answer = app.next_message_to(FIRST_USER, 0).await;
    assert!(answer.str("text").unwrap().contains(COMMANDS[0].1));
    assert_eq!(app.telegram.webhook_url(), None, "the webhook is deleted");
}

async fn a_webhook_post_is_answered_before_its_handling_finishes(engine: Engine) {
    let proxy = RoundRobin::start().await;
    let app = webhook_bot(engine, &proxy, 1).await;
    app.telegram.set_delay("sendMessage", Duration::from_secs(2));
    let update_id = app.telegram.push_update(app.message_json(FIRST_USER, "User", "/help"));
    let deadline = tokio::time::Instant::now() + WAIT;
    let post = loop {
        if let Some(post) = app.telegram.webhook_posts().into_iter().find(|p| p.update_id == update_id) {
            break post;
        }
        assert!(tokio::time::Instant::now() < deadline, "the update was posted");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    assert_eq!(post.status, 200);
    assert!(app.telegram.calls("sendMessage").is_empty(), "answered 200 while the handler still waits on its reply");
    let answer = app.next_message_to(FIRST_USER, 0).await;
    assert!(answer.at > post.answered_at);
    wait_until("the update is marked handled", async || {
        app.db.find_inbox_update(update_id).await.unwrap().is_some_and(|u| u.handled_at.is_some())
    })
    .await;
}

async fn two_instances_behind_a_load_balancer_handle_each_update_once_in_order(engine: Engine) {
    let proxy = RoundRobin::start().await;
    let app = webhook_bot(engine, &proxy, 2).await;
    // One answer is slow, so an update handled before the one ahead of it in its chat would overtake it.
    app.telegram.set_delay_matching("sendMessage", COMMANDS[0].1, Duration::from_millis(100));
    let users: Vec<i64> = (0..10).map(|n| FIRST_USER + n).collect();
    send_commands(&app, &users, 0..10);
    let want = expected(&users, 10);
    wait_until("every update is answered", async || {
        answers(&app.telegram, &users).values().map(Vec::len).sum::<usize>() >= 100
    })
    .await;
    // An update is marked once its answer is sent: with every update marked, no answer is still to come.
    wait_until("every update is marked handled", async || app.db.unhandled_updates(1000).await.unwrap().is_empty())
        .await;
    assert_eq!(answers(&app.telegram, &users), want, "each update answered once, each chat's in order");

    let posts = app.telegram.webhook_posts();
    assert!(posts.iter().all(|p| p.status == 200), "no post was refused or timed out under load");
    assert!(app.db.unhandled_updates(1000).await.unwrap().is_empty(), "nothing left unhandled");
    let mut handled_by = std::collections::HashSet::new();
    for post in &posts {
        let stored = app.db.find_inbox_update(post.update_id).await.unwrap().expect("stored");
        handled_by.insert(stored.claimed_by.expect("claimed by the instance that handled it"));
    }
    assert_eq!(handled_by.len(), 2, "both instances handled updates: {handled_by:?}");
    assert!(app.telegram.violations().is_empty(), "{:?}", app.telegram.violations());
}

async fn an_instance_killed_mid_way_loses_no_update(engine: Engine) {
    let proxy = RoundRobin::start().await;
    let mut app = webhook_bot(engine, &proxy, 2).await;
    let users: Vec<i64> = (0..10).map(|n| FIRST_USER + n).collect();
    send_commands(&app, &users, 0..5);
    wait_until("some updates are answered", async || {
        answers(&app.telegram, &users).values().map(Vec::len).sum::<usize>() >= 20
    })
    .await;
    // Answers hang, so both instances hold updates they have claimed and not handled when one is killed.
    app.telegram.set_delay("sendMessage", Duration::from_secs(2));
    let mut in_flight = Vec::new();
    wait_until("both instances hold updates in flight", async || {
        in_flight =
            app.db.unhandled_updates(1000).await.unwrap().into_iter().filter(|u| u.claimed_by.is_some()).collect();
        let holders: std::collections::HashSet<_> = in_flight.iter().map(|u| u.claimed_by.clone()).collect();
        holders.len() == 2
    })
    .await;
    app.kill_instance(0);
    app.telegram.set_delay("sendMessage", Duration::ZERO);
    send_commands(&app, &users, 5..10);
    let want = expected(&users, 10);
    // An answer sent just before the crash and not yet marked is sent again: a repeat, never a gap.
    let collapsed = |answers: HashMap<i64, Vec<usize>>| -> HashMap<i64, Vec<usize>> {
        answers
            .into_iter()
            .map(|(user, mut seen)| {
                seen.dedup();
                (user, seen)
            })
            .collect()
    };
    wait_until("every update is answered after the crash", async || collapsed(answers(&app.telegram, &users)) == want)
        .await;
    wait_until("every update is marked handled", async || app.db.unhandled_updates(1000).await.unwrap().is_empty())
        .await;
    let mut taken_over = 0;
    for held in &in_flight {
        let now_held = app.db.find_inbox_update(held.update_id).await.unwrap().expect("stored");
        taken_over += usize::from(now_held.claimed_by != held.claimed_by);
    }
    assert!(taken_over >= 1, "the survivor handled what the killed instance held at the crash");
    let repeats: usize = answers(&app.telegram, &users).values().map(Vec::len).sum::<usize>() - 100;
    assert!(repeats <= 10, "at most the updates in flight at the crash are answered twice: {repeats}");
}

on_every_engine!(
    webhook_mode_registers_the_url_with_its_secret_and_refuses_posts_without_it,
    going_back_to_long_polling_deletes_the_webhook,
    a_webhook_post_is_answered_before_its_handling_finishes,
    two_instances_behind_a_load_balancer_handle_each_update_once_in_order,
    an_instance_killed_mid_way_loses_no_update,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_does_not_start_without_its_secret_or_with_a_plain_http_url() {
    let refusals = [
        (vec![("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/telegram")], "TELEGRAM_WEBHOOK_SECRET must be set"),
        (
            vec![
                ("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/telegram"),
                ("TELEGRAM_WEBHOOK_SECRET", "no spaces"),
            ],
            "1-256 letters",
        ),
        (
            vec![("TELEGRAM_WEBHOOK_URL", "http://bot.example.com/telegram"), ("TELEGRAM_WEBHOOK_SECRET", "s3cret")],
            "must be https://",
        ),
        (
            vec![("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/mcp"), ("TELEGRAM_WEBHOOK_SECRET", "s3cret")],
            "taken by the HTTP server",
        ),
    ];
    for (settings, says) in refusals {
        let dir = crate::support::temp_dir();
        let mut command = crate::support::accessbot_command(&dir);
        command.env("TELOXIDE_TOKEN", "123456:TEST-TOKEN-not-a-real-one").env("TELOXIDE_API_URL", "http://127.0.0.1:9");
        for (name, value) in &settings {
            command.env(name, value);
        }
        let output = command.output_within().await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{settings:?} must not start");
        assert!(stderr.contains(says), "{settings:?}: {stderr}");
        assert!(!stderr.contains("TEST-TOKEN"), "the token stays out of the output: {stderr}");
        std::fs::remove_dir_all(dir).ok();
    }
}
