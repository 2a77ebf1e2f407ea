//! `/metrics` in the Prometheus text format: counters of what this process did, and gauges read from the
//! database at each scrape (so every instance reports the same state).
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use crate::db::Db;
use crate::db::metrics::Gauge;

/// A metric's name and labels.
type Series = (&'static str, Vec<(&'static str, String)>);

/// The counters of one running application; they start at zero with it. Every part of the application
/// counts into the one it was built with, so two applications in one process never mix their figures.
#[derive(Default)]
pub struct Metrics {
    values: Mutex<BTreeMap<Series, f64>>,
}

/// Every counter: its name, help, and whether it has labels (a labelled counter shows no sample until its
/// first count; an unlabelled one shows 0).
const COUNTERS: &[(&str, &str, bool)] = &[
    ("accessbot_telegram_requests_total", "Messages sent to Telegram, by method and outcome.", true),
    ("accessbot_rate_limit_wait_seconds_total", "Time messages waited for their turn within Telegram's limits.", false),
    ("accessbot_codes_generated_total", "Access codes drawn and stored.", false),
    ("accessbot_codes_delivered_total", "Access codes delivered into creators' chats.", false),
    ("accessbot_redemptions_total", "Codes sent to the bot, by outcome.", true),
    (
        "accessbot_background_passes_total",
        "Passes of each background loop, finished; a stalled loop stops counting.",
        true,
    ),
];

/// A background loop, as `accessbot_background_passes_total` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackgroundLoop {
    AccessSweep,
    ExpirySweep,
    UsageReport,
    WebhookSend,
    Notify,
}

impl BackgroundLoop {
    fn label(self) -> &'static str {
        match self {
            Self::AccessSweep => "access_sweep",
            Self::ExpirySweep => "expiry_sweep",
            Self::UsageReport => "usage_report",
            Self::WebhookSend => "webhook_send",
            Self::Notify => "notify",
        }
    }
}

impl Metrics {
    fn values(&self) -> std::sync::MutexGuard<'_, BTreeMap<Series, f64>> {
        // Each statement leaves the map consistent, so a panic elsewhere leaves it usable.
        self.values.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds `by` to a counter with these labels.
    pub fn add(&self, name: &'static str, labels: &[(&'static str, &str)], by: f64) {
        let labels = labels.iter().map(|(key, value)| (*key, (*value).to_owned())).collect();
        *self.values().entry((name, labels)).or_default() += by;
    }

    /// A counter's value now, for checks and tests.
    pub fn value(&self, name: &'static str, labels: &[(&'static str, &str)]) -> f64 {
        let labels: Vec<(&'static str, String)> =
            labels.iter().map(|(key, value)| (*key, (*value).to_owned())).collect();
        self.values().get(&(name, labels)).copied().unwrap_or(0.0)
    }

    /// What a request to Telegram came to, for `accessbot_telegram_requests_total`.
    pub fn telegram_request(&self, method: &str, outcome: &str) {
        self.add("accessbot_telegram_requests_total", &[("method", method), ("outcome", outcome)], 1.0);
    }

    pub fn waited_for_turn(&self, waited: Duration) {
        if !waited.is_zero() {
            self.add("accessbot_rate_limit_wait_seconds_total", &[], waited.as_secs_f64());
        }
    }

    /// A background loop finished a pass.
    pub fn finished_pass(&self, background_loop: BackgroundLoop) {
        self.add("accessbot_background_passes_total", &[("loop", background_loop.label())], 1.0);
    }

    /// How many passes a background loop has finished.
    pub fn passes(&self, background_loop: BackgroundLoop) -> u64 {
        self.value("accessbot_background_passes_total", &[("loop", background_loop.label())]) as u64
    }

    /// Every metric, as a scrape gets it.
    pub async fn render(&self, db: &Db) -> Result<String, crate::db::DbError> {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP accessbot_build_info The running version.\n# TYPE accessbot_build_info gauge");
        let _ = writeln!(out, "accessbot_build_info{{version=\"{}\"}} 1", env!("CARGO_PKG_VERSION"));
        let values = self.values().clone();
        for (name, help, labelled) in COUNTERS {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            let mut any = false;
            for ((_, labels), value) in values.iter().filter(|((n, _), _)| n == name) {
                let _ = writeln!(out, "{name}{} {value}", labels_text(labels));
                any = true;
            }
            if !any && !labelled {
                let _ = writeln!(out, "{name} 0");
            }
        }
        let mut described = Vec::new();
        for Gauge { name, help, labels, value } in db.metric_gauges().await? {
            if !described.contains(&name) {
                let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
                described.push(name);
            }
            let labels: Vec<(&str, String)> = labels.into_iter().collect();
            let _ = writeln!(out, "{name}{} {value}", labels_text(&labels));
        }
        Ok(out)
    }
}

fn labels_text(labels: &[(&str, String)]) -> String {
    if labels.is_empty() {
        return String::new();
    }
    let pairs: Vec<String> = labels
        .iter()
        .map(|(key, value)| {
            format!("{key}=\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
        })
        .collect();
    format!("{{{}}}", pairs.join(","))
}
