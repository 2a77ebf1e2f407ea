//! `accessbot backup` while the bot runs, and `accessbot restore` into an empty directory: the restored bot
//! redeems a code generated before the backup.
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use accessbot::domain::clock::now;

use crate::support::app::{TEST_SECRET, generated_codes, messages_request, wait_until};
use crate::support::{Bounded, Engine, TestApp, accessbot_command, temp_dir};

const ANN: i64 = 5301;
const SAM: i64 = 5302;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_into_a_bot_that_redeems_an_older_code() {
    let app = TestApp::with_creator_and_plan(Engine::Sqlite, ANN, "VIP").await;
    let codes = generated_codes(&app, ANN, "VIP", 2).await;
    app.telegram.set_delay("sendMessage", Duration::from_millis(30));
    app.queue().enqueue(&app.creator(ANN).await, &messages_request("VIP", 40), "test", now()).await.unwrap();
    let code_messages =
        || app.telegram.calls("sendMessage").iter().filter(|r| r.params.contains_key("entities")).count();
    wait_until("the job is delivering", async || code_messages() >= 3).await;

    let backups = temp_dir();
    let file = backups.join("accessbot-backup.db");
    let output = accessbot_command(&backups)
        .env("DATABASE_URL", &app.settings.database_url)
        .env("ACCESSBOT_SECRET", TEST_SECRET)
        .args(["backup", file.to_str().unwrap()])
        .output_within()
        .await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(code_messages() < 40, "the backup was taken while the job was still delivering");
    let secret_file = backups.join("accessbot-backup.db.secret");
    assert_eq!((mode(&file), mode(&secret_file)), (0o600, 0o600), "both readable by their owner only");
    assert_eq!(std::fs::read_to_string(&secret_file).unwrap(), TEST_SECRET);
    let again = accessbot_command(&backups)
        .env("DATABASE_URL", &app.settings.database_url)
        .env("ACCESSBOT_SECRET", TEST_SECRET)
        .args(["backup", file.to_str().unwrap()])
        .output_within()
        .await;
    assert!(!again.status.success(), "an existing backup is not overwritten");

    let restored_dir = temp_dir();
    let restored_url = format!("sqlite://{}/accessbot.db?mode=rwc", restored_dir.display());
    let output = accessbot_command(&restored_dir)
        .env("DATABASE_URL", &restored_url)
        .args(["restore", file.to_str().unwrap()])
        .output_within()
        .await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(mode(&restored_dir.join("accessbot.secret")), 0o600);

    let restored = TestApp::spawn_with(Engine::Sqlite, |settings| {
        settings.database_url = restored_url.clone();
        // The secret comes from the restored file beside the database.
        settings.instance_secret = None;
    })
    .await;
    let reply = restored.send_text(SAM, "Sam", &codes[0]).await;
    assert!(reply.str("text").unwrap().contains("Code accepted"), "{reply:?}");
    std::fs::remove_dir_all(backups).ok();
    std::fs::remove_dir_all(restored_dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backing_up_a_postgresql_database_is_refused_with_a_pointer_to_pg_dump() {
    let dir = temp_dir();
    let output = accessbot_command(&dir)
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        .env("ACCESSBOT_SECRET", TEST_SECRET)
        .args(["backup", "copy.db"])
        .output_within()
        .await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("pg_dump"));
    std::fs::remove_dir_all(dir).ok();
}
