//! The usage reporter: sends overage usage records to Stripe, retrying what Stripe could not take yet, and
//! cancels the meter events of records rolled back after they were sent.
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::pause;
use crate::config::UsageReportSettings;
use crate::db::Db;
use crate::db::redemption::UsageRecord;
use crate::domain::billing::{STRIPE_MAX_AGE_DAYS, UsageStatus, too_old_for_stripe};
use crate::domain::clock::now;
use crate::domain::{DomainError, ids};
use crate::metrics::{BackgroundLoop, Metrics};
use crate::stripe::{MeterOutcome, StripeClient};

const CLAIM_BATCH: u64 = 20;
const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);
/// How long a claimed record is held before another instance may take it.
const HOLD: chrono::Duration = chrono::Duration::seconds(60);

/// Says at start-up why usage records would stay pending, so the operator can fix it.
pub async fn warn_about_unbillable_usage(db: &Db, settings: &UsageReportSettings) {
    if settings.stripe_api_key.is_none() {
        log::warn!("STRIPE_API_KEY is not set: overage usage records stay pending until it is");
        return;
    }
    match db.teams_pending_without_customer().await {
        Ok(teams) => {
            for team in teams {
                log::warn!(
                    "team {} has pending usage records but no Stripe customer: set one with `accessbot team set-stripe-customer`",
                    ids::public_id(ids::TEAM, team)
                );
            }
        }
        Err(error) => {
            DomainError::internal("checking pending usage records", error);
        }
    }
}

/// Sends due usage records to Stripe until `shutdown` turns true; without a key it only waits.
pub async fn run(
    db: Db,
    settings: UsageReportSettings,
    worker_id: String,
    metrics: Arc<Metrics>,
    mut shutdown: watch::Receiver<bool>,
) {
    let Some(key) = settings.stripe_api_key.clone() else { return };
    let stripe = StripeClient::new(&settings.stripe_api_base, key, &settings.meter_event_name);
    while !*shutdown.borrow() {
        let at = now();
        match db.claim_due_usage_records(&worker_id, at, at + HOLD, CLAIM_BATCH).await {
            Ok(records) if !records.is_empty() => {
                for record in records {
                    if let Err(error) = report_one(&db, &stripe, &settings, &record).await {
                        DomainError::internal("storing a usage record's outcome", error);
                    }
                }
            }
            Ok(_) => pause(settings.report_interval, &mut shutdown).await,
            Err(error) => {
                DomainError::internal("claiming usage records", error);
                pause(settings.report_interval, &mut shutdown).await;
            }
        }
        metrics.finished_pass(BackgroundLoop::UsageReport);
    }
}

fn retry_delay(settings: &UsageReportSettings, attempts: i32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.clamp(0, 20) as u32);
    settings.retry_base_delay.saturating_mul(factor).min(MAX_RETRY_DELAY)
}

async fn report_one(
    db: &Db,
    stripe: &StripeClient,
    settings: &UsageReportSettings,
    record: &UsageRecord,
) -> Result<(), crate::db::DbError> {
    let at = now();
    let identifier = ids::public_id(ids::USAGE_RECORD, record.id);
    if record.status == UsageStatus::Cancelling {
        return match stripe.cancel_meter_event(&identifier).await {
            MeterOutcome::Accepted => db.mark_usage_cancelled(record.id).await,
            MeterOutcome::Rejected(reason) => {
                log::error!("Stripe refused to cancel usage record {identifier}, which stays billed: {reason}");
                db.mark_cancel_refused(record.id, &reason).await
            }
            MeterOutcome::Retry(reason) => {
                let delay = retry_delay(settings, record.attempts);
                log::warn!("cancelling usage record {identifier} is tried again in {delay:?}: {reason}");
                let next: DateTime<Utc> = at + chrono::Duration::from_std(delay).unwrap_or(HOLD);
                db.retry_usage_later(record.id, next, &reason).await
            }
        };
    }
    if too_old_for_stripe(record.redeemed_at, at) {
        let reason = format!("the redemption is older than {STRIPE_MAX_AGE_DAYS} days, which Stripe no longer accepts");
        log::error!("usage record {identifier} failed: {reason}");
        return db.mark_usage_failed(record.id, &reason).await;
    }
    let Some(customer) = db.find_team(record.team_id).await?.and_then(|team| team.stripe_customer_id) else {
        return db.retry_usage_later(record.id, at + HOLD, "the team has no Stripe customer").await;
    };
    match stripe.send_meter_event(&customer, &identifier, record.redeemed_at).await {
        MeterOutcome::Accepted => db.mark_usage_reported(record.id, now()).await,
        MeterOutcome::Rejected(reason) => {
            log::error!("Stripe refused usage record {identifier}: {reason}");
            db.mark_usage_failed(record.id, &reason).await
        }
        MeterOutcome::Retry(reason) => {
            let delay = retry_delay(settings, record.attempts);
            log::warn!("usage record {identifier} will be sent again in {delay:?}: {reason}");
            let next: DateTime<Utc> = at + chrono::Duration::from_std(delay).unwrap_or(HOLD);
            db.retry_usage_later(record.id, next, &reason).await
        }
    }
}
