use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let _ = dotenvy::from_filename("bot.env");
    accessbot::logging::init();
    accessbot::cli::run(accessbot::cli::Cli::parse()).await
}
