//! Integration tests: the whole application driven through Telegram's door.
mod support;

mod access;
mod backup;
mod batches;
mod conversation;
mod creators;
mod delivery;
mod failures;
mod found;
mod generation;
mod harness;
mod inbox;
mod jobs;
mod mcp;
mod metrics;
mod notices;
mod pacing;
mod redemption;
mod revocation;
mod rollback;
mod screens;
mod telegram_webhook;
mod tokens;
mod webhooks;
