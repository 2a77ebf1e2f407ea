//! Entities, one per table, in the shape sea-orm's code generator writes.
pub mod access_code;
pub mod access_code_batch;
pub mod api_token;
pub mod chat_invite;
pub mod creator;
pub mod creator_invite;
pub mod cycle_usage;
pub mod event;
pub mod generation_draft;
pub mod generation_job;
pub mod plan;
pub mod redeem_attempt;
pub mod subscription;
pub mod team;
pub mod tier;
pub mod token_draft;
pub mod usage_record;
