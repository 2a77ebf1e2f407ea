//! The command line: `serve` (the default), `migrate`, `creator invite`.
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use teloxide::prelude::*;

use crate::config::Settings;
use crate::db::Db;
use crate::domain::clock::now;
use crate::domain::creators::{self, INVITE_PREFIX};
use crate::startup::{self, Application, StartupError};

#[derive(Parser, Debug)]
#[command(name = "accessbot", version, about = "Sell access to private Telegram channels with single-use codes")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

#[derive(Subcommand, Debug)]
pub enum CliCommand {
    /// Migrate the database, then run the bot and the worker until Ctrl-C (the default).
    Serve,
    /// Create or update the database schema, then exit.
    Migrate,
    /// Manage creators.
    Creator {
        #[command(subcommand)]
        action: CreatorAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum CreatorAction {
    /// Print a single-use link (valid 7 days) that makes whoever opens it a creator of a new team.
    Invite,
}

/// Creates an invite and returns its deep link.
pub async fn creator_invite_link(settings: &Settings) -> Result<String, StartupError> {
    let secret = startup::load_instance_secret(settings)?;
    let db = Db::connect(&settings.database_url, 2).await.map_err(StartupError::Database)?;
    let bot = startup::build_bot(settings)?;
    let me = bot.get_me().await.map_err(StartupError::Telegram)?;
    let token = creators::create_invite(&db, &secret, now()).await.map_err(|e| StartupError::Config(e.to_string()))?;
    let username = me.username.clone().unwrap_or_default();
    Ok(format!("https://t.me/{username}?start={INVITE_PREFIX}{token}"))
}

fn exit_with(error: StartupError) -> ExitCode {
    eprintln!("accessbot: {error}");
    match error {
        StartupError::MissingToken | StartupError::Config(_) => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}

pub async fn run(cli: Cli) -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => return exit_with(StartupError::Config(error.to_string())),
    };
    match cli.command.unwrap_or(CliCommand::Serve) {
        CliCommand::Serve => match Application::build(settings).await {
            Ok(app) => match app.run_until_stopped().await {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => exit_with(error),
            },
            Err(error) => exit_with(error),
        },
        CliCommand::Migrate => match Db::connect(&settings.database_url, 1).await {
            Ok(_) => {
                println!("The database is up to date.");
                ExitCode::SUCCESS
            }
            Err(error) => exit_with(StartupError::Database(error)),
        },
        CliCommand::Creator { action: CreatorAction::Invite } => match creator_invite_link(&settings).await {
            Ok(link) => {
                println!("Send this link to the creator (it works once, for 7 days):\n{link}");
                ExitCode::SUCCESS
            }
            Err(error) => exit_with(error),
        },
    }
}
