//! Captures the log records of each application under test apart, to check what it logged (and that no
//! secret was ever logged) without seeing another test's records.
//!
//! An application runs in runtimes of its own; each of their threads is tagged with the application's log
//! id when it starts, so a record is filed under the application whose thread wrote it.
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// Records of threads that belong to no application under test.
const UNTAGGED: u64 = 0;

static RECORDS: OnceLock<Mutex<HashMap<u64, Vec<String>>>> = OnceLock::new();
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static LOG_ID: Cell<u64> = const { Cell::new(UNTAGGED) };
}

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }

    fn log(&self, record: &log::Record) {
        let id = LOG_ID.with(Cell::get);
        if id == UNTAGGED {
            return;
        }
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        records().lock().unwrap().entry(id).or_default().push(line);
    }

    fn flush(&self) {}
}

fn records() -> &'static Mutex<HashMap<u64, Vec<String>>> {
    RECORDS.get_or_init(Default::default)
}

/// Installs the capturing logger at trace level, once per process.
pub fn capture() {
    if log::set_boxed_logger(Box::new(Capture)).is_ok() {
        log::set_max_level(log::LevelFilter::Trace);
    }
}

/// A new id to file one application's records under.
pub fn new_log_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Files what this thread logs from now on under `id`.
pub fn tag_thread(id: u64) {
    LOG_ID.with(|tagged| tagged.set(id));
}

/// What the application with log id `id` logged so far.
pub fn captured(id: u64) -> Vec<String> {
    records().lock().unwrap().get(&id).cloned().unwrap_or_default()
}
