//! Background tasks of redemption: reporting overage usage records to Stripe, and sweeping
//! codes whose expiry has passed.
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::config::BillingSettings;
use crate::db::Db;
use crate::db::redemption::UsageRecord;
use crate::domain::clock::now;
use crate::domain::ids;
use crate::domain::redemption::sweep_expired_codes;
use crate::domain::stripe::{MeterOutcome, StripeClient};

/// Stripe refuses meter events older than this.
const STRIPE_MAX_AGE_DAYS: i64 = 35;
const CLAIM_BATCH: u64 = 20;
const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);

async fn pause(every: Duration, shutdown: &mut watch::Receiver<bool>) {
    tokio::select! {
        _ = tokio::time::sleep(every) => {}
        _ = shutdown.changed() => {}
    }
}

/// Says at start-up why usage records would stay pending, so the operator can fix it.
pub async fn warn_about_unbillable_usage(db: &Db, settings: &BillingSettings) {
    if settings.stripe_api_key.is_none() {
        log::warn!(
            "accessbot::worker::billing STRIPE_API_KEY is not set: overage usage records stay pending until it is"
        );
        return;
    }
    match db.teams_pending_without_customer().await {
        Ok(teams) => {
            for team in teams {
                log::warn!(
                    "accessbot::worker::billing team {} has pending usage records but no Stripe customer: set one with `accessbot team set-stripe-customer`",
                    ids::public_id(ids::TEAM, team)
                );
            }
        }
        Err(error) => log::error!("accessbot::worker::billing cannot check pending usage records: {error}"),
    }
}

/// Sends due usage records to Stripe until `shutdown` turns true; without a key it only waits.
pub async fn report_usage(db: Db, settings: BillingSettings, worker_id: String, mut shutdown: watch::Receiver<bool>) {
    let Some(key) = settings.stripe_api_key.clone() else { return };
    let stripe = StripeClient::new(&settings.stripe_api_base, key, &settings.meter_event_name);
    while !*shutdown.borrow() {
        let at = now();
        let hold = chrono::Duration::seconds(60);
        let claimed = db.claim_due_usage_records(&worker_id, at, at + hold, CLAIM_BATCH).await;
        match claimed {
            Ok(records) if !records.is_empty() => {
                for record in records {
                    if let Err(error) = report_one(&db, &stripe, &settings, &record).await {
                        log::error!("accessbot::worker::billing cannot store a usage record's outcome: {error}");
                    }
                }
            }
            Ok(_) => pause(settings.report_interval, &mut shutdown).await,
            Err(error) => {
                log::error!("accessbot::worker::billing cannot claim usage records: {error}");
                pause(settings.report_interval, &mut shutdown).await;
            }
        }
    }
}

fn retry_delay(settings: &BillingSettings, attempts: i32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.clamp(0, 20) as u32);
    settings.retry_base_delay.saturating_mul(factor).min(MAX_RETRY_DELAY)
}

async fn report_one(
    db: &Db,
    stripe: &StripeClient,
    settings: &BillingSettings,
    record: &UsageRecord,
) -> Result<(), crate::db::DbError> {
    let at = now();
    let identifier = ids::public_id(ids::USAGE_RECORD, record.id);
    if at - record.redeemed_at > chrono::Duration::days(STRIPE_MAX_AGE_DAYS) {
        let reason = format!("the redemption is older than {STRIPE_MAX_AGE_DAYS} days, which Stripe no longer accepts");
        log::error!("accessbot::worker::billing usage record {identifier} failed: {reason}");
        return db.mark_usage_failed(record.id, &reason).await;
    }
    let Some(customer) = db.find_team(record.team_id).await?.and_then(|team| team.stripe_customer_id) else {
        return db
            .retry_usage_later(record.id, at + chrono::Duration::seconds(60), "the team has no Stripe customer")
            .await;
    };
    match stripe.send_meter_event(&customer, &identifier, record.redeemed_at).await {
        MeterOutcome::Accepted => db.mark_usage_reported(record.id, now()).await,
        MeterOutcome::Rejected(reason) => {
            log::error!("accessbot::worker::billing Stripe refused usage record {identifier}: {reason}");
            db.mark_usage_failed(record.id, &reason).await
        }
        MeterOutcome::Retry(reason) => {
            let delay = retry_delay(settings, record.attempts);
            log::warn!(
                "accessbot::worker::billing usage record {identifier} will be sent again in {delay:?}: {reason}"
            );
            let next: DateTime<Utc> = at + chrono::Duration::from_std(delay).unwrap_or_default();
            db.retry_usage_later(record.id, next, &reason).await
        }
    }
}

/// Marks expired codes every `sweep_interval` until `shutdown` turns true.
pub async fn sweep_expired(db: Db, settings: BillingSettings, mut shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        match sweep_expired_codes(&db, now()).await {
            Ok(0) => {}
            Ok(count) => log::info!("accessbot::worker::billing marked {count} codes expired"),
            Err(error) => log::error!("accessbot::worker::billing cannot sweep expired codes: {error}"),
        }
        pause(settings.sweep_interval, &mut shutdown).await;
    }
}
