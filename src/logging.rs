//! How log lines look: human-readable by default, or one JSON object per line with `LOG_FORMAT=json`.
//! Lines written while an update, a job or an HTTP request is handled carry its id.
use std::future::Future;
use std::io::Write;

/// What a log line is about, where it is about one thing.
#[derive(Debug, Clone)]
pub enum LogContext {
    Update(i64),
    Job(uuid::Uuid),
    Request(String),
}

impl LogContext {
    fn field(&self) -> (&'static str, serde_json::Value) {
        match self {
            Self::Update(id) => ("update_id", serde_json::json!(id)),
            Self::Job(id) => ("job_id", serde_json::json!(id.to_string())),
            Self::Request(id) => ("request_id", serde_json::json!(id)),
        }
    }
}

tokio::task_local! {
    static CONTEXT: LogContext;
}

/// Runs `work` with its log lines carrying `context`.
pub async fn within<F: Future>(context: LogContext, work: F) -> F::Output {
    CONTEXT.scope(context, work).await
}

fn current_context() -> Option<LogContext> {
    CONTEXT.try_with(LogContext::clone).ok()
}

/// A log message with the secrets libraries may put in it taken out: passwords in database URLs and in
/// connection options (sea-orm's trace spans print the pool's options), and bot tokens in API paths.
pub fn redact(message: &str) -> String {
    let mut text = message.to_owned();
    // postgres://user:password@host → postgres://user:[redacted]@host
    redact_after(&mut text, "://", |rest| {
        let authority =
            rest.find(|c: char| c == '/' || c == '?' || c.is_whitespace() || c == '"').unwrap_or(rest.len());
        let at = rest[..authority].rfind('@')?;
        Some(rest[..at].find(':')? + 1..at)
    });
    // password: Some("…") in a Debug print of connection options.
    redact_after(&mut text, "password: Some(\"", |rest| rest.find("\")").map(|end| 0..end));
    // /bot123456:ABC…/getMe → /bot[redacted]/getMe
    redact_after(&mut text, "/bot", |rest| {
        let end = rest.find(|c: char| c == '/' || c.is_whitespace()).unwrap_or(rest.len());
        let (id, _) = rest[..end].split_once(':')?;
        (!id.is_empty() && id.chars().all(|c| c.is_ascii_digit())).then_some(0..end)
    });
    text
}

/// After each `marker` in `text`, replaces the part of what follows that `secret` finds.
fn redact_after(text: &mut String, marker: &str, secret: impl Fn(&str) -> Option<std::ops::Range<usize>>) {
    let mut from = 0;
    while let Some(found) = text[from..].find(marker) {
        let start = from + found + marker.len();
        if let Some(range) = secret(&text[start..]) {
            text.replace_range(start + range.start..start + range.end, "[redacted]");
        }
        from = start;
    }
}

/// One log record as a JSON line: time, level, target, message, and the id of what it is about.
pub fn json_line(record: &log::Record, at: chrono::DateTime<chrono::Utc>, context: Option<&LogContext>) -> String {
    let mut line = serde_json::json!({
        "time": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "level": record.level().as_str(),
        "target": record.target(),
        "message": redact(&record.args().to_string()),
    });
    if let Some((name, value)) = context.map(LogContext::field) {
        line[name] = value;
    }
    line.to_string()
}

/// Installs the logger: `RUST_LOG` filters (default `info`), `LOG_FORMAT=json` picks JSON lines.
pub fn init() {
    let mut builder = pretty_env_logger::formatted_timed_builder();
    builder.parse_filters(&std::env::var("RUST_LOG").unwrap_or_else(|_| "info".to_owned()));
    if std::env::var("LOG_FORMAT").is_ok_and(|format| format.trim().eq_ignore_ascii_case("json")) {
        builder.format(|out, record| {
            writeln!(out, "{}", json_line(record, chrono::Utc::now(), current_context().as_ref()))
        });
    } else {
        builder.format(|out, record| {
            let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            let message = redact(&record.args().to_string());
            writeln!(out, "{at} {:<5} {} > {message}", record.level(), record.target())
        });
    }
    builder.init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_line_is_one_object_with_time_level_target_and_message() {
        let at = chrono::DateTime::from_timestamp(1_764_547_200, 0).unwrap();
        let line = json_line(
            &log::Record::builder()
                .args(format_args!("job {} took \"quotes\"\nand a newline", 7))
                .level(log::Level::Warn)
                .target("accessbot::worker")
                .build(),
            at,
            None,
        );
        assert!(!line.contains('\n'), "one line: {line}");
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["time"], "2025-12-01T00:00:00.000Z");
        assert_eq!(parsed["level"], "WARN");
        assert_eq!(parsed["target"], "accessbot::worker");
        assert_eq!(parsed["message"], "job 7 took \"quotes\"\nand a newline");
        assert!(parsed.get("update_id").is_none() && parsed.get("job_id").is_none());
    }

    #[test]
    fn a_line_about_an_update_a_job_or_a_request_carries_its_id() {
        let at = chrono::DateTime::from_timestamp(1_764_547_200, 0).unwrap();
        let record = |context: LogContext| {
            let line = json_line(
                &log::Record::builder().args(format_args!("x")).level(log::Level::Info).target("t").build(),
                at,
                Some(&context),
            );
            serde_json::from_str::<serde_json::Value>(&line).unwrap()
        };
        assert_eq!(record(LogContext::Update(42))["update_id"], 42);
        let job = uuid::Uuid::now_v7();
        assert_eq!(record(LogContext::Job(job))["job_id"], job.to_string());
        assert_eq!(record(LogContext::Request("01J".to_owned()))["request_id"], "01J");
    }

    #[test]
    fn passwords_and_bot_tokens_are_taken_out_of_log_messages() {
        let url = "connecting to postgres://bot:s3cr%40t@db.internal:5432/accessbot?sslmode=require";
        assert_eq!(redact(url), "connecting to postgres://bot:[redacted]@db.internal:5432/accessbot?sslmode=require");
        let options = r#"begin; self=Pool { connect_options: PgConnectOptions { host: "db", username: "bot", password: Some("s3cret"), database: Some("a") } }"#;
        let redacted = redact(options);
        assert!(!redacted.contains("s3cret") && redacted.contains(r#"password: Some("[redacted]")"#), "{redacted}");
        let path = "POST https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe failed";
        assert_eq!(redact(path), "POST https://api.telegram.org/bot[redacted]/getMe failed");
        let plain = "sqlite://accessbot.db?mode=rwc and a /bot without a token, user@example.com";
        assert_eq!(redact(plain), plain, "nothing else changes");
    }

    #[tokio::test]
    async fn the_context_holds_within_its_scope_only() {
        assert!(current_context().is_none());
        let inside = within(LogContext::Update(7), async { current_context() }).await;
        assert!(matches!(inside, Some(LogContext::Update(7))));
        assert!(current_context().is_none());
    }
}
