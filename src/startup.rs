//! Building the application from its settings, and running the bot and the worker together.
use std::future::Future;
use std::sync::Arc;

use teloxide::dispatching::Dispatcher;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::types::UserId;
use tokio::sync::{Notify, watch};

use crate::api::{self, ApiContext, RateLimiter};
use crate::bot::{self, BotContext};
use crate::config::{Receiving, Settings};
use crate::db::Db;
use crate::domain::generation::GenerationQueue;
use crate::domain::secret::InstanceSecret;
use crate::metrics::Metrics;
use crate::telegram::TgBot;
use crate::worker::{self, WorkerContext};

#[derive(Debug)]
pub enum StartupError {
    MissingToken,
    Config(String),
    Database(crate::db::DbError),
    Telegram(teloxide::RequestError),
    Http(std::io::Error),
}

impl std::fmt::Display for StartupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MissingToken => f.write_str(
                "TELOXIDE_TOKEN is not set. Create a bot with @BotFather in Telegram (/newbot), then put its token in bot.env as TELOXIDE_TOKEN=… or export it.",
            ),
            Self::Config(message) => f.write_str(message),
            Self::Database(error) => write!(f, "cannot open the database: {error}"),
            Self::Telegram(error) => write!(f, "cannot reach the Telegram Bot API with this token: {error}"),
            Self::Http(error) => write!(f, "cannot listen on HTTP_ADDR: {error}"),
        }
    }
}

impl std::error::Error for StartupError {}

/// The instance secret: `ACCESSBOT_SECRET`, or a file beside the SQLite database.
pub fn load_instance_secret(settings: &Settings) -> Result<InstanceSecret, StartupError> {
    if let Some(secret) = &settings.instance_secret {
        return InstanceSecret::from_value(secret.expose()).map_err(|e| StartupError::Config(e.to_string()));
    }
    let path = settings.secret_file().ok_or_else(|| {
        StartupError::Config("ACCESSBOT_SECRET must be set when the database is not a SQLite file (every instance needs the same secret)".to_owned())
    })?;
    InstanceSecret::load_or_create(&path).map_err(|e| StartupError::Config(e.to_string()))
}

/// The Telegram bot for these settings, with its pacer, counting its requests into `metrics`.
pub fn build_bot(settings: &Settings, metrics: Arc<Metrics>) -> Result<TgBot, StartupError> {
    crate::telegram::build_bot(settings, metrics).ok_or(StartupError::MissingToken)
}

/// Waits for Ctrl-C, or on Unix SIGTERM too. The handlers are installed when this is called, not when the
/// wait starts, so a signal that comes while the bot is starting up stops it gracefully as well.
fn stop_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        match (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) {
            (Ok(interrupt), Ok(terminate)) => Some((interrupt, terminate)),
            (Err(error), _) | (_, Err(error)) => {
                log::warn!("cannot listen for SIGINT and SIGTERM, only Ctrl-C stops the bot: {error}");
                None
            }
        }
    };
    async move {
        #[cfg(unix)]
        if let Some((mut interrupt, mut terminate)) = signals {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        if let Err(error) = tokio::signal::ctrl_c().await {
            log::error!("cannot listen for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    }
}

pub struct Application {
    settings: Settings,
    db: Db,
    bot: TgBot,
    bot_username: String,
    bot_user_id: UserId,
    secret: InstanceSecret,
    http_listener: tokio::net::TcpListener,
}

impl Application {
    /// Opens and migrates the database, loads the secret and asks Telegram who the bot is.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let bot = build_bot(&settings, Arc::new(Metrics::default()))?;
        let secret = load_instance_secret(&settings)?;
        let db = Db::connect(&settings.database_url, settings.database_max_connections)
            .await
            .map_err(StartupError::Database)?;
        let me = bot.counted("getMe", bot.api().get_me()).await.map_err(StartupError::Telegram)?;
        let bot_username = me.username.clone().unwrap_or_default();
        let bot_user_id = me.id;
        let http_listener =
            tokio::net::TcpListener::bind(settings.http.addr.as_str()).await.map_err(StartupError::Http)?;
        Ok(Self { settings, db, bot, bot_username, bot_user_id, secret, http_listener })
    }

    /// The counters of this application, as `/metrics` shows them.
    pub fn metrics(&self) -> Arc<Metrics> {
        self.bot.metrics().clone()
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn secret(&self) -> &InstanceSecret {
        &self.secret
    }

    pub fn bot_username(&self) -> &str {
        &self.bot_username
    }

    /// Where the MCP server listens (useful when `HTTP_ADDR` asked for port 0).
    pub fn http_addr(&self) -> std::net::SocketAddr {
        self.http_listener.local_addr().expect("a bound listener has an address")
    }

    /// Runs until Ctrl-C or SIGTERM (what systemd, Docker and Kubernetes send), which stop alike.
    pub async fn run_until_stopped(self) -> Result<(), StartupError> {
        let stop = stop_signal();
        self.run_until(async {
            stop.await;
            log::info!("stopping: finishing the send in flight");
        })
        .await
    }

    /// Runs the bot, the worker and the MCP server until `stop` completes, then lets the in-flight send finish.
    pub async fn run_until(self, stop: impl Future<Output = ()>) -> Result<(), StartupError> {
        if let Receiving::Webhook(webhook) = self.settings.receiving() {
            // Every instance registers the same URL; Telegram keeps one.
            let register = self
                .bot
                .api()
                .set_webhook(webhook.url.clone())
                .secret_token(webhook.secret.expose())
                .allowed_updates(crate::telegram::inbox::ALLOWED_UPDATES);
            self.bot.counted("setWebhook", register).await.map_err(StartupError::Telegram)?;
            log::info!("webhook mode: Telegram posts updates to {}", webhook.url.path());
        }
        if self.settings.receive_updates {
            if let Err(error) = bot::register_commands(&self.bot).await {
                log::warn!("cannot register the command menu: {error}");
            }
            tokio::spawn(bot::register_all_creator_commands(self.bot.clone(), self.db.clone()));
        }
        let wake = Arc::new(Notify::new());
        let (stop_sender, stop_receiver) = watch::channel(false);
        let instance_id = format!("{}-{}", std::process::id(), &ulid::Ulid::generate().to_string()[20..]);
        worker::usage_reporter::warn_about_unbillable_usage(&self.db, &self.settings.usage_report).await;
        let reporter = tokio::spawn(worker::usage_reporter::run(
            self.db.clone(),
            self.settings.usage_report.clone(),
            format!("{instance_id}/usage"),
            self.metrics(),
            stop_receiver.clone(),
        ));
        let access_wake = Arc::new(Notify::new());
        let access_sweep = worker::access_sweeper::AccessSweep {
            db: self.db.clone(),
            bot: self.bot.clone(),
            settings: self.settings.access_sweep.clone(),
            lease: self.settings.worker.lease,
            wake: access_wake.clone(),
        };
        let access_sweeper = tokio::spawn(access_sweep.run(stop_receiver.clone()));
        let webhook_sender = worker::webhook_sender::WebhookSender {
            db: self.db.clone(),
            secret: self.secret.clone(),
            settings: self.settings.webhooks.clone(),
            metrics: self.metrics(),
        };
        let webhooks = tokio::spawn(webhook_sender.run(format!("{instance_id}/webhooks"), stop_receiver.clone()));
        let notices_wake = Arc::new(Notify::new());
        let notifier = worker::notifier::Notifier {
            db: self.db.clone(),
            bot: self.bot.clone(),
            wake: notices_wake.clone(),
            lease: self.settings.worker.lease,
        };
        let notifier = tokio::spawn(notifier.run(format!("{instance_id}/notices"), stop_receiver.clone()));
        let sweeper = tokio::spawn(worker::expiry_sweeper::run(
            self.db.clone(),
            self.settings.expiry_sweep.clone(),
            self.metrics(),
            stop_receiver.clone(),
        ));
        let worker = tokio::spawn(worker::run(
            WorkerContext {
                db: self.db.clone(),
                bot: self.bot.clone(),
                secret: self.secret.clone(),
                bot_username: self.bot_username.clone(),
                settings: self.settings.worker.clone(),
                wake: wake.clone(),
            },
            instance_id.clone(),
            stop_receiver,
        ));
        let queue = GenerationQueue::new(self.db.clone(), wake);
        let inbox = crate::telegram::inbox::Inbox::new(self.db.clone(), format!("{instance_id}/updates"));
        let telegram_updates = match self.settings.receiving() {
            Receiving::Webhook(webhook) => Some(Arc::new(api::telegram_updates::TelegramUpdates {
                path: webhook.url.path().to_owned(),
                secret: webhook.secret.clone(),
                inbox: inbox.clone(),
            })),
            Receiving::LongPolling | Receiving::Elsewhere => None,
        };
        let api_context = Arc::new(ApiContext {
            db: self.db.clone(),
            secret: self.secret.clone(),
            queue: queue.clone(),
            limiter: RateLimiter::new(self.settings.http.mcp_calls_per_minute),
            metrics_token: self.settings.http.metrics_token.clone(),
            metrics: self.metrics(),
            telegram_updates,
        });
        let http_stop = tokio_util::sync::CancellationToken::new();
        let router = api::router(api_context, self.settings.http.allowed_hosts.clone(), http_stop.clone());
        let http_addr = self.http_addr();
        let http = tokio::spawn({
            let stopped = http_stop.clone();
            async move {
                let serving = axum::serve(self.http_listener, router)
                    .with_graceful_shutdown(async move { stopped.cancelled().await });
                if let Err(error) = serving.await {
                    log::error!("the HTTP server stopped: {error}");
                }
            }
        });
        let context = Arc::new(BotContext {
            bot: self.bot.clone(),
            db: self.db.clone(),
            secret: self.secret.clone(),
            queue,
            bot_username: self.bot_username.clone(),
            bot_user_id: self.bot_user_id,
            throttle: self.settings.throttle,
            access_wake,
            notices_wake,
            webhook_policy: self.settings.webhooks.policy,
            inbox: inbox.clone(),
        });
        let source = match self.settings.receiving() {
            Receiving::Elsewhere => None,
            Receiving::LongPolling => Some(crate::telegram::inbox::Source::LongPolling(self.bot.clone())),
            Receiving::Webhook(_) => Some(crate::telegram::inbox::Source::Webhook),
        };
        let (shutdown, dispatching) = if let Some(source) = source {
            let mut dispatcher = Dispatcher::builder(self.bot.api().clone(), bot::schema())
                .dependencies(dptree::deps![context])
                .default_handler(|_| async {})
                .error_handler(LoggingErrorHandler::with_custom_text("a handler failed"))
                .build();
            let shutdown = dispatcher.shutdown_token();
            let listener = crate::telegram::inbox::inbox_listener(inbox.clone(), source);
            let listener_errors = LoggingErrorHandler::with_custom_text("receiving updates failed");
            let dispatching =
                tokio::spawn(async move { dispatcher.dispatch_with_listener(listener, listener_errors).await });
            (Some(shutdown), Some(dispatching))
        } else {
            log::info!("RECEIVE_UPDATES=false: another instance takes Telegram's updates");
            (None, None)
        };
        log::info!("running as @{}; MCP at http://{http_addr}/mcp", self.bot_username);

        stop.await;
        let _ = stop_sender.send(true);
        http_stop.cancel();
        if let (Some(token), Some(dispatching)) = (shutdown, dispatching) {
            // A stop that comes before the dispatcher runs finds it idle; it is asked again once it runs.
            // The end is awaited on the task, not on the future `shutdown` returns: that future starts
            // listening only when first polled and misses a dispatcher that finishes before then.
            while !dispatching.is_finished() {
                match token.shutdown() {
                    Ok(_asked) => break,
                    Err(_idle) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
                }
            }
            if let Err(error) = dispatching.await {
                log::error!("the dispatcher ended abnormally: {error}");
            }
            inbox.release().await;
        }
        for (name, task) in [
            ("the worker", worker),
            ("the HTTP server", http),
            ("the usage reporter", reporter),
            ("the sweeper", sweeper),
            ("the access sweeper", access_sweeper),
            ("the webhook sender", webhooks),
            ("the notifier", notifier),
        ] {
            if let Err(error) = task.await {
                log::error!("{name} ended abnormally: {error}");
            }
        }
        Ok(())
    }
}
