//! The command line: `serve` (the default), `migrate`, `creator invite`, `team list`, `token create`,
//! `webhook add|list|delete`, `backup`, `restore`.
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use teloxide::prelude::*;

use crate::config::Settings;
use crate::db::Db;
use crate::domain::clock::now;
use crate::domain::creators::{self, INVITE_PREFIX};
use crate::domain::secret::InstanceSecret;
use crate::domain::tokens::{self, Abilities};
use crate::domain::{DomainError, ids, teams, webhooks};
use crate::i18n::Lang;
use crate::startup::{self, Application, StartupError};
use crate::views::errors;

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
    /// Inspect teams.
    Team {
        #[command(subcommand)]
        action: TeamAction,
    },
    /// Manage API tokens for agents.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Copy the SQLite database, while the bot runs, with the instance secret beside it as <FILE>.secret.
    Backup { file: std::path::PathBuf },
    /// Put a backup (and its <FILE>.secret) back where DATABASE_URL points; both must not exist yet.
    Restore { file: std::path::PathBuf },
    /// Manage the webhook endpoints that receive a team's events.
    Webhook {
        #[command(subcommand)]
        action: WebhookAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum WebhookAction {
    /// Add an endpoint and print its id and signing secret (shown only this once).
    Add {
        /// The team's id (team_…), as `accessbot team list` shows it.
        #[arg(long)]
        team: String,
        /// Where events are posted; https:// only (see WEBHOOK_ALLOW_HTTP).
        #[arg(long)]
        url: String,
        /// Comma-separated event types, or "all" (the default).
        #[arg(long, default_value = "all")]
        events: String,
    },
    /// List the endpoints of every team, or of one.
    List {
        #[arg(long)]
        team: Option<String>,
    },
    /// Delete an endpoint (whe_…) with its delivery log.
    Delete { endpoint: String },
}

#[derive(Subcommand, Debug)]
pub enum TeamAction {
    /// List every team with its tier and creators.
    List,
    /// Move a team to another tier: free (5 free redemptions a month), starter (200) or growth (500).
    SetTier { team: String, tier: String },
    /// Set the Stripe customer (cus_…) that the team's overage redemptions are billed to.
    SetStripeCustomer { team: String, customer: String },
}

#[derive(Subcommand, Debug)]
pub enum TokenAction {
    /// Create an API token for a creator of a team and print it (it is shown only this once).
    Create {
        /// The team's id (team_…), as `accessbot team list` shows it.
        #[arg(long)]
        team: String,
        /// Comma-separated: mcp:full, project-access-code:create, project-access-code:view-any,
        /// project-webhook:view, project-webhook:manage.
        #[arg(long)]
        abilities: String,
        /// What the token is for, as the creator will see it in /tokens.
        #[arg(long, default_value = "operator token")]
        name: String,
        /// The Telegram user id of the creator the token acts for; needed when the team has several.
        #[arg(long)]
        creator: Option<i64>,
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
    let bot = startup::build_bot(settings, Default::default())?;
    let me = bot.counted("getMe", bot.api().get_me()).await.map_err(StartupError::Telegram)?;
    let token = creators::create_invite(&db, &secret, now()).await.map_err(|e| StartupError::Config(e.to_string()))?;
    let username = me.username.clone().unwrap_or_default();
    Ok(format!("https://t.me/{username}?start={INVITE_PREFIX}{token}"))
}

async fn open_database(settings: &Settings) -> Result<(Db, InstanceSecret), StartupError> {
    let secret = startup::load_instance_secret(settings)?;
    let db = Db::connect(&settings.database_url, 2).await.map_err(StartupError::Database)?;
    Ok((db, secret))
}

async fn team_list(settings: &Settings) -> Result<String, CliError> {
    let (db, _) = open_database(settings).await?;
    let teams = teams::list_teams(&db).await?;
    if teams.is_empty() {
        return Ok("No teams yet: make a creator with `accessbot creator invite`.".to_owned());
    }
    let lines: Vec<String> = teams
        .iter()
        .map(|overview| {
            let creators: Vec<String> = overview
                .creators
                .iter()
                .map(|c| format!("{} (telegram {})", c.display_name, c.telegram_user_id))
                .collect();
            format!(
                "{}  {}  tier={}  stripe_customer={}  creators: {}",
                ids::public_id(ids::TEAM, overview.team.id),
                overview.team.name,
                overview.team.tier_id,
                overview.team.stripe_customer_id.as_deref().unwrap_or("-"),
                creators.join(", ")
            )
        })
        .collect();
    Ok(lines.join("\n"))
}

enum TeamChange {
    Tier(String),
    StripeCustomer(String),
}

async fn team_change(settings: &Settings, team: &str, change: TeamChange) -> Result<String, CliError> {
    let (db, _) = open_database(settings).await?;
    let team = teams::find_team(&db, team).await?;
    let id = ids::public_id(ids::TEAM, team.id);
    match change {
        TeamChange::Tier(tier) => {
            teams::set_tier(&db, &team, &tier).await?;
            Ok(format!("Team {id} is now on tier {}.", tier.trim().to_ascii_lowercase()))
        }
        TeamChange::StripeCustomer(customer) => {
            teams::set_stripe_customer(&db, &team, &customer).await?;
            Ok(format!("Team {id} is billed to Stripe customer {}; pending usage records go out now.", customer.trim()))
        }
    }
}

async fn token_create(
    settings: &Settings,
    team: &str,
    abilities: &str,
    name: &str,
    creator: Option<i64>,
) -> Result<String, CliError> {
    let (db, secret) = open_database(settings).await?;
    let abilities = Abilities::parse_list(abilities)?;
    let team = teams::find_team(&db, team).await?;
    let creator = teams::acting_creator(&db, &team, creator).await?;
    let issued = tokens::create_token(&db, &secret, &creator, name, abilities, now()).await?;
    Ok(format!(
        "Token \"{}\" for {} ({}). It is shown only this once:\n{}",
        issued.summary.name,
        creator.display_name,
        abilities.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", "),
        issued.plaintext
    ))
}

async fn webhook_add(settings: &Settings, team: &str, url: &str, events: &str) -> Result<String, CliError> {
    let (db, secret) = open_database(settings).await?;
    let team = teams::find_team(&db, team).await?;
    let created = webhooks::add_endpoint(&db, &secret, team.id, url, events, settings.webhooks.policy, now()).await?;
    Ok(format!(
        "Endpoint {} posts {} events to {}.\nIts signing secret is shown only this once:\n{}",
        ids::public_id(ids::WEBHOOK_ENDPOINT, created.endpoint.id),
        created.endpoint.event_types,
        created.endpoint.url,
        created.secret
    ))
}

async fn webhook_list(settings: &Settings, team: Option<&str>) -> Result<String, CliError> {
    let (db, _) = open_database(settings).await?;
    let endpoints = match team {
        Some(team) => db.endpoints_of_team(teams::find_team(&db, team).await?.id).await.map_err(DomainError::from)?,
        None => db.all_endpoints().await.map_err(DomainError::from)?,
    };
    if endpoints.is_empty() {
        return Ok("No webhook endpoints yet: add one with `accessbot webhook add`.".to_owned());
    }
    let lines: Vec<String> = endpoints
        .iter()
        .map(|endpoint| {
            format!(
                "{}  team={}  {}  events={}  {}{}  failures={}  last={}",
                ids::public_id(ids::WEBHOOK_ENDPOINT, endpoint.id),
                ids::public_id(ids::TEAM, endpoint.team_id),
                endpoint.url,
                endpoint.event_types,
                endpoint.status.as_str(),
                endpoint.paused_reason.map(|r| format!(" ({})", r.as_str())).unwrap_or_default(),
                endpoint.consecutive_failures,
                endpoint.last_status_code.map(|c| c.to_string()).unwrap_or_else(|| "-".to_owned()),
            )
        })
        .collect();
    Ok(lines.join("\n"))
}

async fn webhook_delete(settings: &Settings, endpoint: &str) -> Result<String, CliError> {
    let (db, _) = open_database(settings).await?;
    let id = ids::parse_public_id(ids::WEBHOOK_ENDPOINT, endpoint).ok_or(DomainError::not_found("webhook endpoint"))?;
    if !db.delete_endpoint(id).await.map_err(DomainError::from)? {
        return Err(DomainError::not_found("webhook endpoint").into());
    }
    Ok(format!("Endpoint {endpoint} is deleted, with its delivery log."))
}

/// Why an operator's command failed.
enum CliError {
    Startup(StartupError),
    Domain(DomainError),
}

impl From<StartupError> for CliError {
    fn from(error: StartupError) -> Self {
        Self::Startup(error)
    }
}

impl From<DomainError> for CliError {
    fn from(error: DomainError) -> Self {
        Self::Domain(error)
    }
}

fn print_outcome(outcome: Result<String, CliError>) -> ExitCode {
    match outcome {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(CliError::Startup(error)) => exit_with(error),
        Err(CliError::Domain(error)) => {
            eprintln!("accessbot: {}", errors::plain(&Lang::default(), &error));
            match error {
                DomainError::Internal { .. } => ExitCode::FAILURE,
                _ => ExitCode::from(2),
            }
        }
    }
}

fn backup_outcome(outcome: Result<String, crate::backup::BackupError>) -> ExitCode {
    match outcome {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("accessbot: {error}");
            ExitCode::FAILURE
        }
    }
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
        CliCommand::Team { action: TeamAction::List } => print_outcome(team_list(&settings).await),
        CliCommand::Team { action: TeamAction::SetTier { team, tier } } => {
            print_outcome(team_change(&settings, &team, TeamChange::Tier(tier)).await)
        }
        CliCommand::Team { action: TeamAction::SetStripeCustomer { team, customer } } => {
            print_outcome(team_change(&settings, &team, TeamChange::StripeCustomer(customer)).await)
        }
        CliCommand::Token { action: TokenAction::Create { team, abilities, name, creator } } => {
            print_outcome(token_create(&settings, &team, &abilities, &name, creator).await)
        }
        CliCommand::Backup { file } => backup_outcome(crate::backup::backup(&settings, &file).await),
        CliCommand::Restore { file } => backup_outcome(crate::backup::restore(&settings, &file)),
        CliCommand::Webhook { action: WebhookAction::Add { team, url, events } } => {
            print_outcome(webhook_add(&settings, &team, &url, &events).await)
        }
        CliCommand::Webhook { action: WebhookAction::List { team } } => {
            print_outcome(webhook_list(&settings, team.as_deref()).await)
        }
        CliCommand::Webhook { action: WebhookAction::Delete { endpoint } } => {
            print_outcome(webhook_delete(&settings, &endpoint).await)
        }
    }
}
