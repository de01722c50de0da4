//! The cases both flavours run, written once as async code. Each test is
//! `#[maybe] #[case] async fn`: the including binary decides what `maybe` and `case` are.
//!
//! Rule for these files: never put `.await` inside a macro call (`assert!`, `json!`, ...),
//! since `must_be_sync` cannot see into macro arguments; bind the value first.

mod auth;
mod config;
mod connect_timeout;
mod devices;
mod env;
mod errors;
mod faults;
mod feed;
mod fleet;
mod fleet_transport;
mod groups;
mod hardening;
mod history;
mod no_repeat;
mod retry;
mod sandbox_concurrency;
mod sandbox_contract;
mod sandbox_errors;
mod sandbox_faults;
mod sandbox_tokens;
mod secrets;
mod time_zones;
mod usage;
mod users;
