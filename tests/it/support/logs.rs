//! Captures every log record of the test process, to check that no secret is ever logged.
use std::sync::{Mutex, OnceLock};

static RECORDS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }

    fn log(&self, record: &log::Record) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        RECORDS.get_or_init(Default::default).lock().unwrap().push(line);
    }

    fn flush(&self) {}
}

/// Installs the capturing logger at trace level, once per process.
pub fn capture() {
    if log::set_boxed_logger(Box::new(Capture)).is_ok() {
        log::set_max_level(log::LevelFilter::Trace);
    }
}

pub fn captured() -> Vec<String> {
    RECORDS.get_or_init(Default::default).lock().unwrap().clone()
}
