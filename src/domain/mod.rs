//! The business rules: plans, codes, generation jobs, billing previews, creators.
pub mod access;
pub mod access_code;
pub mod batches;
pub mod billing;
pub mod clock;
pub mod code_listing;
pub mod conversations;
pub mod creators;
pub mod error;
pub mod events;
pub mod expiry;
pub mod generation;
pub mod ids;
pub mod jobs;
pub mod notices;
pub mod plans;
pub mod redemption;
pub mod redemption_export;
pub mod revocation;
pub mod rollback;
pub mod secret;
pub mod stored;
pub mod subscriptions;
pub mod teams;
pub mod tokens;
pub mod webhooks;

pub use error::{DomainError, ValidationReason};
