//! The state `/metrics` reports, counted in the database.
use chrono::Utc;
use sea_orm::{ConnectionTrait, Statement};

use super::{Db, DbError};

/// One gauge sample.
pub struct Gauge {
    pub name: &'static str,
    pub help: &'static str,
    pub labels: Vec<(&'static str, String)>,
    pub value: f64,
}

/// Tables whose rows are counted by their state: (metric, help, table, state column).
const BY_STATE: &[(&str, &str, &str, &str)] = &[
    ("accessbot_jobs", "Generation jobs by state.", "generation_jobs", "status"),
    ("accessbot_usage_records", "Overage usage records by state at Stripe.", "usage_records", "status"),
    ("accessbot_webhook_deliveries", "Webhook deliveries by state.", "webhook_deliveries", "status"),
    ("accessbot_memberships", "Members the bot let in, by state (removals pending and done).", "memberships", "status"),
];

impl Db {
    pub async fn metric_gauges(&self) -> Result<Vec<Gauge>, DbError> {
        let backend = self.conn().get_database_backend();
        let mut gauges = Vec::new();
        for (name, help, table, column) in BY_STATE {
            let sql =
                format!("SELECT {column} AS state, COUNT(*) AS n FROM {table} GROUP BY {column} ORDER BY {column}");
            for row in self.conn().query_all_raw(Statement::from_string(backend, sql)).await? {
                let state: String = row.try_get("", "state")?;
                let count: i64 = row.try_get("", "n")?;
                gauges.push(Gauge { name, help, labels: vec![("state", state)], value: count as f64 });
            }
        }
        let reminders = "SELECT COUNT(*) AS n FROM reminders";
        let sent: i64 = match self.conn().query_one_raw(Statement::from_string(backend, reminders)).await? {
            Some(row) => row.try_get("", "n")?,
            None => 0,
        };
        gauges.push(Gauge {
            name: "accessbot_reminders_sent",
            help: "Reminders sent before access ends.",
            labels: Vec::new(),
            value: sent as f64,
        });
        let unhandled = "SELECT COUNT(*) AS n FROM update_inbox WHERE handled_at IS NULL";
        let unhandled: i64 = match self.conn().query_one_raw(Statement::from_string(backend, unhandled)).await? {
            Some(row) => row.try_get("", "n")?,
            None => 0,
        };
        let oldest = self.oldest_unhandled_update().await?.map(|update| update.received_at);
        gauges.push(Gauge {
            name: "accessbot_inbox_unhandled",
            help: "Telegram updates received and not handled yet.",
            labels: Vec::new(),
            value: unhandled as f64,
        });
        gauges.push(Gauge {
            name: "accessbot_inbox_oldest_unhandled_seconds",
            help: "Age of the oldest unhandled update.",
            labels: Vec::new(),
            value: oldest.map_or(0.0, |at| (Utc::now() - at).num_milliseconds().max(0) as f64 / 1000.0),
        });
        Ok(gauges)
    }
}
