//! Settings, read from the environment and `bot.env` (the environment wins).
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://accessbot.db?mode=rwc";
pub const DEFAULT_HTTP_ADDR: &str = "127.0.0.1:8080";
const DEFAULT_ALLOWED_HOSTS: &str = "localhost,127.0.0.1,::1";
const SECRET_FILE_NAME: &str = "accessbot.secret";

/// A value that never appears in logs or debug output.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// How fast messages may go out, per Telegram's published guidance.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleSettings {
    pub messages_per_sec_chat: u32,
    pub messages_per_min_chat: u32,
    pub messages_per_min_group: u32,
    pub messages_per_sec_overall: u32,
    /// How many instances send for this bot; each paces itself to this share of the overall limit.
    pub instances: u32,
}

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Jobs drawing and storing their codes at once; delivering holds no such slot.
    pub concurrency: usize,
    /// Jobs delivering at once (each paced by its own chat).
    pub max_deliveries: usize,
    /// A job whose holder has not heartbeated for this long is taken over.
    pub lease: Duration,
    /// How long Telegram may fail to answer before a job fails.
    pub outage_tolerance: Duration,
    pub retry_base_delay: Duration,
    pub retry_max_delay: Duration,
    pub progress_edit_interval: Duration,
}

/// How this instance takes part in Telegram's updates, from `RECEIVE_UPDATES` and `TELEGRAM_WEBHOOK_URL`.
#[derive(Debug, Clone, Copy)]
pub enum Receiving<'a> {
    /// Another instance long-polls.
    Elsewhere,
    LongPolling,
    Webhook(&'a TelegramWebhook),
}

/// Where Telegram posts updates in webhook mode, and the secret it proves itself with.
#[derive(Debug, Clone)]
pub struct TelegramWebhook {
    pub url: Url,
    pub secret: Secret,
}

impl TelegramWebhook {
    /// From `TELEGRAM_WEBHOOK_URL` and `TELEGRAM_WEBHOOK_SECRET`; none without the URL.
    fn from_env() -> Result<Option<Self>, ConfigError> {
        let Some(url) = var("TELEGRAM_WEBHOOK_URL") else { return Ok(None) };
        let url = Url::parse(&url).map_err(|e| ConfigError(format!("TELEGRAM_WEBHOOK_URL is not a URL: {e}")))?;
        let local = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        if !(url.scheme() == "https" || (url.scheme() == "http" && local)) {
            return Err(ConfigError(
                "TELEGRAM_WEBHOOK_URL must be https:// (Telegram posts only to HTTPS); plain http:// only to 127.0.0.1 or localhost".to_owned(),
            ));
        }
        if ["/mcp", "/healthz", "/metrics"].contains(&url.path()) {
            return Err(ConfigError(format!(
                "TELEGRAM_WEBHOOK_URL's path {} is taken by the HTTP server; use one of its own, such as /telegram",
                url.path()
            )));
        }
        let secret = var("TELEGRAM_WEBHOOK_SECRET").ok_or_else(|| {
            ConfigError(
                "TELEGRAM_WEBHOOK_SECRET must be set with TELEGRAM_WEBHOOK_URL: without it anyone could post updates to the bot. Use 1-256 letters, digits, _ or -, the same on every instance.".to_owned(),
            )
        })?;
        let well_formed = (1..=256).contains(&secret.len())
            && secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !well_formed {
            return Err(ConfigError(
                "TELEGRAM_WEBHOOK_SECRET takes 1-256 letters, digits, _ or - (what Telegram allows)".to_owned(),
            ));
        }
        Ok(Some(Self { url, secret: Secret::new(secret) }))
    }
}

/// Where the MCP server listens and what it accepts.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub addr: String,
    /// `Host` headers the MCP endpoint answers; others get 403 (DNS-rebinding protection).
    pub allowed_hosts: Vec<String>,
    pub mcp_calls_per_minute: u32,
    /// When set, `/metrics` answers only `Authorization: Bearer <this>`.
    pub metrics_token: Option<Secret>,
}

/// The usage reporter: overage redemptions sent to Stripe as meter events.
#[derive(Debug, Clone)]
pub struct UsageReportSettings {
    pub stripe_api_key: Option<Secret>,
    pub stripe_api_base: String,
    pub meter_event_name: String,
    /// How often the reporter looks for usage records to send.
    pub report_interval: Duration,
    /// The first wait before a usage record is sent again, doubled per try, at most an hour.
    pub retry_base_delay: Duration,
}

/// The access sweep: members removed when their access ends, and reminders before the end.
#[derive(Debug, Clone)]
pub struct AccessSweepSettings {
    pub interval: Duration,
    /// How long before the end each reminder goes out; empty turns reminders off.
    pub reminders_before_end: Vec<Duration>,
}

/// The webhook sender: events to the creators' endpoints.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    pub policy: crate::domain::webhooks::TargetPolicy,
    /// Deliveries in flight at once per instance (one per endpoint).
    pub concurrency: usize,
    pub poll_interval: Duration,
    /// How long a receiver has to answer.
    pub timeout: Duration,
    /// The wait before each try: the first entry before the first try (none), then one per retry.
    pub schedule: Vec<Duration>,
}

/// The expiry sweeper: codes past their expiry marked expired, and old rows forgotten.
#[derive(Debug, Clone)]
pub struct ExpirySweepSettings {
    pub interval: Duration,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub telegram_token: Option<Secret>,
    pub telegram_api_url: Option<Url>,
    pub database_url: String,
    pub database_max_connections: u32,
    pub instance_secret: Option<Secret>,
    /// Whether this instance takes updates from Telegram. Telegram hands updates to one poller per bot,
    /// so among several instances exactly one receives them; the others run the worker, the MCP
    /// server and the background tasks.
    pub receive_updates: bool,
    /// Webhook mode: Telegram posts updates to this instance (and any others behind the same URL).
    pub telegram_webhook: Option<TelegramWebhook>,
    pub worker: WorkerSettings,
    pub throttle: ThrottleSettings,
    pub http: HttpSettings,
    pub usage_report: UsageReportSettings,
    pub expiry_sweep: ExpirySweepSettings,
    pub access_sweep: AccessSweepSettings,
    pub webhooks: WebhookSettings,
}

#[derive(Debug)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn flag(name: &str, default: bool) -> Result<bool, ConfigError> {
    match var(name).map(|v| v.to_ascii_lowercase()).as_deref() {
        None => Ok(default),
        Some("true" | "1" | "yes") => Ok(true),
        Some("false" | "0" | "no") => Ok(false),
        Some(other) => Err(ConfigError(format!("{name} must be true or false, got {other:?}"))),
    }
}

fn number<T: std::str::FromStr>(name: &str, default: T) -> Result<T, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(value) => value.parse().map_err(|_| ConfigError(format!("{name} must be a number, got {value:?}"))),
    }
}

/// A comma-separated list of durations such as `3d,12h,30m`; set but empty is none.
fn durations(name: &str, default: &str) -> Result<Vec<Duration>, ConfigError> {
    let value = match std::env::var(name) {
        Ok(value) => value,
        Err(_) => default.to_owned(),
    };
    value
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let digits = part.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let unit = &part[digits.len()..];
            let amount: u64 = digits.parse().map_err(|_| bad_duration(name, part))?;
            let seconds = match unit {
                "d" => 86_400,
                "h" => 3_600,
                "m" => 60,
                "s" => 1,
                _ => return Err(bad_duration(name, part)),
            };
            Ok(Duration::from_secs(amount * seconds))
        })
        .collect()
}

fn bad_duration(name: &str, part: &str) -> ConfigError {
    ConfigError(format!("{name} takes durations like 3d, 12h, 30m or 45s separated by commas, got {part:?}"))
}

impl Settings {
    /// Loads `bot.env` if present, then reads every setting.
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::from_filename("bot.env");
        let telegram_api_url = match var("TELOXIDE_API_URL") {
            None => None,
            Some(value) => Some(
                Url::parse(value.trim_end_matches('/'))
                    .map_err(|e| ConfigError(format!("TELOXIDE_API_URL is not a URL: {e}")))?,
            ),
        };
        Ok(Self {
            telegram_token: var("TELOXIDE_TOKEN").map(Secret::new),
            telegram_api_url,
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            database_max_connections: number("DATABASE_MAX_CONNECTIONS", 10)?,
            instance_secret: var("ACCESSBOT_SECRET").map(Secret::new),
            receive_updates: flag("RECEIVE_UPDATES", true)?,
            telegram_webhook: TelegramWebhook::from_env()?,
            worker: WorkerSettings {
                concurrency: number("WORKER_CONCURRENCY", 2usize)?.max(1),
                max_deliveries: number("WORKER_MAX_DELIVERIES", 200usize)?.max(1),
                lease: Duration::from_secs(number("WORKER_LEASE_SECONDS", 30)?),
                outage_tolerance: Duration::from_secs(number("TELEGRAM_OUTAGE_TOLERANCE_SECONDS", 900)?),
                retry_base_delay: Duration::from_millis(number("DELIVERY_RETRY_BASE_MS", 1000)?),
                retry_max_delay: Duration::from_millis(number("DELIVERY_RETRY_MAX_MS", 30_000)?),
                progress_edit_interval: Duration::from_millis(number("PROGRESS_EDIT_INTERVAL_MS", 3000)?),
            },
            throttle: ThrottleSettings {
                messages_per_sec_chat: number("THROTTLE_MESSAGES_PER_SEC_CHAT", 1)?,
                messages_per_min_chat: number("THROTTLE_MESSAGES_PER_MIN_CHAT", 60)?,
                messages_per_min_group: number("THROTTLE_MESSAGES_PER_MIN_GROUP", 20)?,
                messages_per_sec_overall: number("THROTTLE_MESSAGES_PER_SEC_OVERALL", 30)?,
                instances: number("THROTTLE_INSTANCES", 1u32)?.max(1),
            },
            http: HttpSettings {
                addr: var("HTTP_ADDR").unwrap_or_else(|| DEFAULT_HTTP_ADDR.to_owned()),
                allowed_hosts: var("HTTP_ALLOWED_HOSTS")
                    .unwrap_or_else(|| DEFAULT_ALLOWED_HOSTS.to_owned())
                    .split(',')
                    .map(|host| host.trim().to_owned())
                    .filter(|host| !host.is_empty())
                    .collect(),
                mcp_calls_per_minute: number("MCP_CALLS_PER_MINUTE", 120)?,
                metrics_token: var("METRICS_TOKEN").map(Secret::new),
            },
            usage_report: UsageReportSettings {
                stripe_api_key: var("STRIPE_API_KEY").map(Secret::new),
                stripe_api_base: var("STRIPE_API_BASE").unwrap_or_else(|| "https://api.stripe.com".to_owned()),
                meter_event_name: var("STRIPE_METER_EVENT_NAME").unwrap_or_else(|| "access_code_overage".to_owned()),
                report_interval: Duration::from_millis(number("USAGE_REPORT_INTERVAL_MS", 5000)?),
                retry_base_delay: Duration::from_millis(number("USAGE_RETRY_BASE_MS", 5000)?),
            },
            expiry_sweep: ExpirySweepSettings {
                interval: Duration::from_secs(number("EXPIRY_SWEEP_INTERVAL_SECONDS", 60)?),
            },
            access_sweep: AccessSweepSettings {
                interval: Duration::from_secs(number("ACCESS_SWEEP_INTERVAL_SECONDS", 60)?),
                reminders_before_end: durations("REMINDERS_BEFORE_END", "3d,1d")?,
            },
            webhooks: WebhookSettings {
                policy: crate::domain::webhooks::TargetPolicy {
                    allow_http: flag("WEBHOOK_ALLOW_HTTP", false)?,
                    allow_private_networks: flag("WEBHOOK_ALLOW_PRIVATE_NETWORKS", false)?,
                },
                concurrency: number("WEBHOOK_CONCURRENCY", 16usize)?.max(1),
                poll_interval: Duration::from_millis(number("WEBHOOK_POLL_INTERVAL_MS", 1000)?),
                timeout: Duration::from_secs(number("WEBHOOK_TIMEOUT_SECONDS", 10)?),
                schedule: durations("WEBHOOK_RETRY_SCHEDULE", crate::domain::webhooks::DEFAULT_SCHEDULE)?,
            },
        })
    }

    pub fn receiving(&self) -> Receiving<'_> {
        match (self.receive_updates, &self.telegram_webhook) {
            (false, _) => Receiving::Elsewhere,
            (true, None) => Receiving::LongPolling,
            (true, Some(webhook)) => Receiving::Webhook(webhook),
        }
    }

    /// Where the generated instance secret lives: beside the SQLite database file.
    pub fn secret_file(&self) -> Option<PathBuf> {
        let path = crate::db::sqlite_path(&self.database_url)?;
        let dir = path.parent().map(PathBuf::from).unwrap_or_default();
        Some(dir.join(SECRET_FILE_NAME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_file_sits_beside_the_sqlite_database() {
        let mut settings = Settings::from_env().unwrap();
        settings.database_url = "sqlite:///var/lib/accessbot/data.db?mode=rwc".to_owned();
        assert_eq!(settings.secret_file(), Some(PathBuf::from("/var/lib/accessbot/accessbot.secret")));
        settings.database_url = DEFAULT_DATABASE_URL.to_owned();
        assert_eq!(settings.secret_file(), Some(PathBuf::from("accessbot.secret")));
        settings.database_url = "postgres://localhost/accessbot".to_owned();
        assert_eq!(settings.secret_file(), None);
    }

    #[test]
    fn reminder_offsets_read_days_hours_and_minutes() {
        // SAFETY: the variable is this test's own; no other test reads it.
        unsafe { std::env::set_var("TEST_REMINDER_OFFSETS", "3d, 12h,30m") };
        let read = durations("TEST_REMINDER_OFFSETS", "1d").unwrap();
        assert_eq!(read, [Duration::from_secs(259_200), Duration::from_secs(43_200), Duration::from_secs(1_800)]);
        unsafe { std::env::set_var("TEST_REMINDER_OFFSETS", "") };
        assert!(durations("TEST_REMINDER_OFFSETS", "1d").unwrap().is_empty(), "empty turns reminders off");
        unsafe { std::env::set_var("TEST_REMINDER_OFFSETS", "3 days") };
        assert!(durations("TEST_REMINDER_OFFSETS", "1d").is_err());
        assert_eq!(durations("TEST_REMINDER_OFFSETS_UNSET", "3d,1d").unwrap().len(), 2);
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        assert_eq!(format!("{:?}", Secret::new("123456:ABC")), "[redacted]");
    }
}
