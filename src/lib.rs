//! accessbot: sell access to private Telegram channels with single-use codes.
pub mod api;
pub mod backup;
pub mod bot;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod i18n;
pub mod logging;
pub mod metrics;
pub mod startup;
pub mod stripe;
pub mod telegram;
pub mod views;
pub mod worker;
