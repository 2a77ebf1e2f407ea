//! The test harness: the whole application against a fake Bot API and a fresh database.
pub mod app;
pub mod door;
pub mod fake_stripe;
pub mod fake_telegram;
pub mod logs;
pub mod mcp;
pub mod proxy;
pub mod receiver;

pub use app::{Engine, TestApp};

/// The `accessbot` binary, run in `dir` with nothing of this process's environment but `PATH`.
pub fn accessbot_command(dir: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_accessbot"));
    command.current_dir(dir).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    command
}

/// A new empty directory for one test.
pub fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("accessbot-cli-{}", ulid::Ulid::generate()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs each scenario on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.
#[macro_export]
macro_rules! on_every_engine {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::support::Engine::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::support::Engine::postgres() {
                    Some(engine) => super::$name(engine).await,
                    None => eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set"),
                }
            }
        }
    )* };
}
