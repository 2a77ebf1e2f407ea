//! `/status`, and the operator's command line.
use std::process::Command;

use accessbot::domain::ids;

use crate::on_every_engine;
use crate::support::app::WAIT;
use crate::support::fake_telegram::{BOT_USERNAME, FakeTelegram, Scripted};
use crate::support::{Bounded, Engine, TestApp, accessbot_command, temp_dir};

const ANN: i64 = 5001;
const BOB: i64 = 5002;

async fn status_lists_recent_jobs_and_shows_one_only_to_its_creator(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.make_creator(ANN, "Ann").await;
    app.make_creator(BOB, "Bob").await;
    let empty = app.send_text(ANN, "Ann", "/status").await;
    assert!(empty.str("text").unwrap().contains("You have not generated any codes yet"));
    app.send_text(ANN, "Ann", "/newplan VIP 30d").await;
    let card = app.card(ANN, "/generate VIP 3 file 1_day").await;
    app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    let job = app.finished_job(ANN).await;
    let job_id = ids::public_id(ids::JOB, job.id);

    let list = app.send_text(ANN, "Ann", "/status").await;
    assert!(list.str("text").unwrap().contains("recent jobs"));
    let button = TestApp::button_labeled(&list, "✅📄 VIP · 3 · today");
    assert_eq!(button, format!("st:j:{}", &job_id[4..]));
    let tapped = app.tap_edit(ANN, &list, &button).await;
    assert!(tapped.str("text").unwrap().contains("Status: completed (3 of 3 delivered)"));
    let refresh = TestApp::button_labeled(&tapped, "Refresh");
    assert!(TestApp::buttons(&tapped).iter().all(|(label, _)| !label.contains("Try delivery again")));
    let before = app.telegram.requests().len();
    app.tap(ANN, &tapped, &refresh).await;
    let edits = app.telegram.requests().into_iter().skip(before).filter(|r| r.method == "editMessageText").count();
    assert_eq!(edits, 0, "a refresh with nothing new leaves the message as it is, as Telegram requires");
    assert!(tapped.str("text").unwrap().contains(&job_id));
    let bob_taps = app.tap(BOB, &list, &button).await;
    assert_eq!(bob_taps.str("text"), Some("This menu has expired."), "another creator's job is not shown");

    let one = app.send_text(ANN, "Ann", &format!("/status {job_id}")).await;
    let text = one.str("text").unwrap();
    let batch_id = ids::public_id(ids::BATCH, job.batch_id.unwrap());
    assert!(text.contains("3 VIP codes") && text.contains("Status: completed (3 of 3 delivered)"), "{text}");
    assert!(text.contains(&format!("Reference: {job_id}")) && !text.contains(&batch_id), "{text}");
    let by_uuid = app.send_text(ANN, "Ann", &format!("/status {}", job.id)).await;
    assert!(by_uuid.str("text").unwrap().contains(&job_id), "the UUID spelling is accepted too");

    let foreign = app.send_text(BOB, "Bob", &format!("/status {job_id}")).await;
    assert!(foreign.str("text").unwrap().contains("There is no such job among yours"), "{foreign:?}");
    let nonsense = app.send_text(ANN, "Ann", "/status mjb_nonsense").await;
    assert!(nonsense.str("text").unwrap().contains("There is no such job among yours"));
    app.assert_no_violations();
}

async fn a_failed_job_shows_its_error_in_status(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.make_creator(ANN, "Ann").await;
    app.send_text(ANN, "Ann", "/newplan VIP 30d").await;
    let card = app.card(ANN, "/generate VIP 2 file no_expiry").await;
    // Longer than the outage tolerance of the test settings.
    app.telegram.outage("sendDocument", std::time::Duration::from_secs(60));
    app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "failed");
    assert!(app.telegram.attempts("sendDocument").len() >= 3, "network-level errors are retried for the tolerance");
    let rows = app.db.codes_of_batch(job.batch_id.unwrap()).await.unwrap();
    assert!(rows.len() == 2 && rows.iter().all(|r| r.sealed_code.is_some()), "the codes are kept for /resend");
    let one = app.send_text(ANN, "Ann", &format!("/status {}", ids::public_id(ids::JOB, job.id))).await;
    let text = one.str("text").unwrap();
    assert!(text.contains("Telegram did not answer for about 1 second. Nothing is lost"), "{one:?}");
    assert!(!text.contains("Gateway") && !text.contains("error:"), "no library error reaches the creator: {text}");
    let shown = app.edit_of_containing(&card, "did not answer").await;
    assert!(TestApp::buttons(&shown).iter().any(|(label, _)| label.contains("Try delivery again")), "{shown:?}");
}

async fn a_garbled_answer_is_retried_and_the_codes_still_arrive(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.make_creator(ANN, "Ann").await;
    app.send_text(ANN, "Ann", "/newplan VIP 30d").await;
    let card = app.card(ANN, "/generate VIP 2 file no_expiry").await;
    app.telegram.script("sendDocument", Scripted::Garbage);
    app.tap(ANN, &card, &TestApp::button(&card, "gen:go:")).await;
    let job = app.finished_job(ANN).await;
    assert_eq!(job.status, "completed");
    assert_eq!(app.telegram.attempts("sendDocument").len(), 2);
}

on_every_engine!(
    status_lists_recent_jobs_and_shows_one_only_to_its_creator,
    a_failed_job_shows_its_error_in_status,
    a_garbled_answer_is_retried_and_the_codes_still_arrive,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serving_without_a_token_says_where_to_get_one_and_exits_with_2() {
    let dir = temp_dir();
    let output = accessbot_command(&dir).output_within().await;
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("TELOXIDE_TOKEN") && stderr.contains("@BotFather"), "{stderr}");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_bot_as_gracefully_as_ctrl_c() {
    let telegram = FakeTelegram::start().await;
    let dir = temp_dir();
    let mut child = accessbot_command(&dir)
        .env("TELOXIDE_TOKEN", "123456:TEST-TOKEN-not-a-real-one")
        .env("TELOXIDE_API_URL", &telegram.url)
        .env("HTTP_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    telegram.wait_for(WAIT, |r| r.iter().find(|r| r.method == "setMyCommands").cloned()).await;
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() >= deadline {
            child.kill().unwrap();
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
            panic!("the bot did not stop on SIGTERM: {stderr}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "a graceful stop, not death by signal 15: {stderr}");
    assert!(stderr.contains("stopping: finishing the send in flight"), "{stderr}");
    assert_eq!(telegram.violations(), Vec::<String>::new());
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creator_invite_prints_a_link_that_makes_a_creator_and_keeps_a_private_secret() {
    let telegram = FakeTelegram::start().await;
    let dir = temp_dir();
    let output = accessbot_command(&dir)
        .args(["creator", "invite"])
        .env("TELOXIDE_TOKEN", "123456:TEST-TOKEN-not-a-real-one")
        .env("TELOXIDE_API_URL", &telegram.url)
        .output_within()
        .await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let prefix = format!("https://t.me/{BOT_USERNAME}?start=join_");
    let link = stdout.lines().find(|l| l.starts_with(&prefix)).expect("an invite link");
    let token = &link[prefix.len()..];
    assert!(token.len() == 24 && token.chars().all(|c| c.is_ascii_alphanumeric()), "{link}");

    let secret_file = dir.join("accessbot.secret");
    assert!(dir.join("accessbot.db").exists(), "the SQLite database is created in the working directory");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&secret_file).unwrap().permissions().mode() & 0o777, 0o600);

    let database_url = format!("sqlite://{}?mode=rwc", dir.join("accessbot.db").display());
    let secret = std::fs::read_to_string(&secret_file).unwrap();
    let db = accessbot::db::Db::connect(&database_url, 2).await.unwrap();
    let secret = accessbot::domain::secret::InstanceSecret::from_value(&secret).unwrap();
    let joiner = accessbot::domain::creators::Joiner {
        telegram_user_id: ANN,
        display_name: "Ann".to_owned(),
        language_code: None,
        chat_id: ANN,
    };
    let accepted =
        accessbot::domain::creators::accept_invite(&db, &secret, token, joiner, accessbot::domain::clock::now()).await;
    assert!(matches!(accepted, Ok(accessbot::domain::creators::InviteAcceptance::Joined(_))));
    assert!(telegram.violations().is_empty());
    std::fs::remove_dir_all(dir).ok();
}
