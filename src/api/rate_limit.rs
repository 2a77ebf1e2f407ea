//! At most N tool calls per token in any sliding minute, counted in this process.
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;
use uuid::Uuid;

use crate::domain::DomainError;

const WINDOW: Duration = Duration::from_secs(60);

pub struct RateLimiter {
    per_minute: usize,
    calls: Mutex<HashMap<Uuid, VecDeque<Instant>>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute: per_minute.max(1) as usize, calls: Mutex::new(HashMap::new()) }
    }

    /// Counts a call of `token_id`, or says how many seconds to wait when the minute is full.
    pub fn check(&self, token_id: Uuid, now: Instant) -> Result<(), DomainError> {
        let mut calls = self.calls.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let recent = calls.entry(token_id).or_default();
        while recent.front().is_some_and(|at| now.duration_since(*at) >= WINDOW) {
            recent.pop_front();
        }
        if recent.len() >= self.per_minute {
            let oldest = *recent.front().expect("a full window has calls");
            let wait = (oldest + WINDOW).saturating_duration_since(now);
            return Err(DomainError::RateLimited { retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64 });
        }
        recent.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_call_after_the_limit_waits_until_the_oldest_leaves_the_minute() {
        let limiter = RateLimiter::new(3);
        let token = Uuid::now_v7();
        let start = Instant::now();
        for second in 0..3 {
            assert!(limiter.check(token, start + Duration::from_secs(second)).is_ok());
        }
        assert_eq!(
            limiter.check(token, start + Duration::from_secs(10)),
            Err(DomainError::RateLimited { retry_after_secs: 50 })
        );
        assert!(limiter.check(Uuid::now_v7(), start + Duration::from_secs(10)).is_ok());
        assert!(limiter.check(token, start + Duration::from_secs(60)).is_ok());
    }
}
