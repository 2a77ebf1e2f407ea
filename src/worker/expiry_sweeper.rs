//! The expiry sweeper: marks codes past their expiry as expired and forgets rows nobody needs any more.
use std::sync::Arc;

use tokio::sync::watch;

use super::pause;
use crate::config::ExpirySweepSettings;
use crate::db::Db;
use crate::domain::clock::now;
use crate::domain::redemption::sweep_expired_codes;
use crate::metrics::{BackgroundLoop, Metrics};

/// Sweeps every `interval` until `shutdown` turns true.
pub async fn run(db: Db, settings: ExpirySweepSettings, metrics: Arc<Metrics>, mut shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        match sweep_expired_codes(&db, now()).await {
            Ok(0) => {}
            Ok(count) => log::info!("marked {count} codes expired"),
            Err(error) => log::warn!("the expiry sweep stopped, the next one goes on: {error}"),
        }
        metrics.finished_pass(BackgroundLoop::ExpirySweep);
        pause(settings.interval, &mut shutdown).await;
    }
}
