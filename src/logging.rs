//! How log lines look: human-readable by default, or one JSON object per line with `LOG_FORMAT=json`.
use std::io::Write;

/// One log record as a JSON line: time, level, target and message.
pub fn json_line(record: &log::Record, at: chrono::DateTime<chrono::Utc>) -> String {
    serde_json::json!({
        "time": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "level": record.level().as_str(),
        "target": record.target(),
        "message": record.args().to_string(),
    })
    .to_string()
}

/// Installs the logger: `RUST_LOG` filters (default `info`), `LOG_FORMAT=json` picks JSON lines.
pub fn init() {
    let mut builder = pretty_env_logger::formatted_timed_builder();
    builder.parse_filters(&std::env::var("RUST_LOG").unwrap_or_else(|_| "info".to_owned()));
    if std::env::var("LOG_FORMAT").is_ok_and(|format| format.trim().eq_ignore_ascii_case("json")) {
        builder.format(|out, record| writeln!(out, "{}", json_line(record, chrono::Utc::now())));
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
        );
        assert!(!line.contains('\n'), "one line: {line}");
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["time"], "2025-12-01T00:00:00.000Z");
        assert_eq!(parsed["level"], "WARN");
        assert_eq!(parsed["target"], "accessbot::worker");
        assert_eq!(parsed["message"], "job 7 took \"quotes\"\nand a newline");
    }
}
