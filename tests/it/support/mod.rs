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
                    None => $crate::support::app::report_skipped_postgres(),
                }
            }
        }
    )* };
}

/// Running a command of the test to its end without waiting for ever.
pub trait Bounded {
    /// Runs the command to its end as `output()` does, within [`app::WAIT`]; past that it is killed and the
    /// test fails, naming the command.
    fn output_within(&mut self) -> impl std::future::Future<Output = std::process::Output>;
}

impl Bounded for std::process::Command {
    async fn output_within(&mut self) -> std::process::Output {
        use std::process::Stdio;
        let args: Vec<String> = self.get_args().map(|arg| arg.to_string_lossy().into_owned()).collect();
        let described = format!("{} {}", self.get_program().to_string_lossy(), args.join(" "));
        let mut command = tokio::process::Command::from(std::mem::replace(self, std::process::Command::new("true")));
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
        let child = command.spawn().unwrap_or_else(|error| panic!("cannot start `{described}`: {error}"));
        match tokio::time::timeout(app::WAIT, child.wait_with_output()).await {
            Ok(output) => output.unwrap_or_else(|error| panic!("cannot read what `{described}` printed: {error}")),
            Err(_) => panic!("`{described}` did not finish within {:?}; it was killed", app::WAIT),
        }
    }
}
