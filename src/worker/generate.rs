//! Drawing a batch of unique codes and the rows that store them.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::db::codes::code_status;
use crate::db::generation::{AccessCodeRow, Batch, Event, Job};
use crate::domain::codes::AccessCode;
use crate::domain::secret::InstanceSecret;
use crate::domain::{events, ids};

/// The batch, its codes (hashed, masked and sealed until delivery) and its `access_code.generated` event.
pub fn draw_batch(secret: &InstanceSecret, job: &Job, now: DateTime<Utc>) -> (Batch, Vec<AccessCodeRow>, Event) {
    let batch = Batch {
        id: ids::new_id(),
        team_id: job.team_id,
        plan_id: job.plan_id,
        job_id: job.id,
        count: job.quantity,
        expires_at: job.expires_at,
        created_at: now,
    };
    let mut seen = HashSet::with_capacity(job.quantity as usize);
    let mut codes = Vec::with_capacity(job.quantity as usize);
    while codes.len() < job.quantity as usize {
        let code = AccessCode::generate();
        if !seen.insert(code.normalised().to_owned()) {
            continue;
        }
        let id = ids::new_id();
        codes.push(AccessCodeRow {
            id,
            team_id: job.team_id,
            plan_id: job.plan_id,
            batch_id: batch.id,
            position: codes.len() as i32,
            code_hash: secret.hash_code(code.normalised()),
            code_masked: code.masked(),
            sealed_code: Some(secret.seal(id.as_bytes(), code.normalised())),
            status: code_status::UNREDEEMED.to_owned(),
            expires_at: job.expires_at,
            redeemed_at: None,
            redeemed_by: None,
            created_at: now,
        });
    }
    let event = Event {
        id: ids::new_id(),
        team_id: job.team_id,
        event_type: events::ACCESS_CODE_GENERATED.to_owned(),
        data: json!({
            "batch_id": ids::public_id(ids::BATCH, batch.id),
            "plan_id": ids::public_id(ids::PLAN, job.plan_id),
            "count": job.quantity,
            "expires_at": job.expires_at,
        })
        .to_string(),
        created_at: now,
        delivered_at: None,
    };
    (batch, codes, event)
}
