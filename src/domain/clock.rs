//! The current time, truncated to what both databases store exactly.
use chrono::{DateTime, SubsecRound, Utc};

/// Now, at microsecond precision so a value read back equals the value written.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
