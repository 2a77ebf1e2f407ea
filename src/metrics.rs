//! `/metrics` in the Prometheus text format: counters of what this process did, and gauges read from the
//! database at each scrape (so every instance reports the same state).
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::db::Db;
use crate::db::metrics::Gauge;

/// A metric's name and labels.
type Series = (&'static str, Vec<(&'static str, String)>);

/// The counters of this process; they start at zero with it.
#[derive(Default)]
struct Counters {
    values: Mutex<BTreeMap<Series, f64>>,
}

fn counters() -> &'static Counters {
    static COUNTERS: OnceLock<Counters> = OnceLock::new();
    COUNTERS.get_or_init(Counters::default)
}

/// Every counter: its name, help, and whether it has labels (a labelled counter shows no sample until its
/// first count; an unlabelled one shows 0).
const COUNTERS: &[(&str, &str, bool)] = &[
    ("accessbot_telegram_requests_total", "Messages sent to Telegram, by method and outcome.", true),
    ("accessbot_rate_limit_wait_seconds_total", "Time messages waited for their turn within Telegram's limits.", false),
    ("accessbot_codes_generated_total", "Access codes drawn and stored.", false),
    ("accessbot_codes_delivered_total", "Access codes delivered into creators' chats.", false),
    ("accessbot_redemptions_total", "Codes sent to the bot, by outcome.", true),
];

/// Adds `by` to a counter with these labels.
pub fn add(name: &'static str, labels: &[(&'static str, &str)], by: f64) {
    let labels = labels.iter().map(|(key, value)| (*key, (*value).to_owned())).collect();
    let mut values = counters().values.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    *values.entry((name, labels)).or_default() += by;
}

/// What a message sent to Telegram came to, for `accessbot_telegram_requests_total`.
pub fn telegram_request(method: &str, outcome: &str) {
    add("accessbot_telegram_requests_total", &[("method", method), ("outcome", outcome)], 1.0);
}

pub fn waited_for_turn(waited: Duration) {
    if !waited.is_zero() {
        add("accessbot_rate_limit_wait_seconds_total", &[], waited.as_secs_f64());
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

/// Every metric, as a scrape gets it.
pub async fn render(db: &Db) -> Result<String, crate::db::DbError> {
    let mut out = String::new();
    let _ = writeln!(out, "# HELP accessbot_build_info The running version.\n# TYPE accessbot_build_info gauge");
    let _ = writeln!(out, "accessbot_build_info{{version=\"{}\"}} 1", env!("CARGO_PKG_VERSION"));
    let values = counters().values.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
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
