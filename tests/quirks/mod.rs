//! The cases that read data from the sandbox, run again against its quirks mode
//! (`SandboxConfig::quirks(true)`): every answer spelt in the shapes the API contract
//! lists, with the same data. The cases are those of `tests/cases/`, unchanged: they
//! must see the same values as against the tidy mode.

#[path = "../cases/feed.rs"]
mod feed;
#[path = "../cases/history.rs"]
mod history;
#[path = "../cases/sandbox_contract.rs"]
mod sandbox_contract;
#[path = "../cases/sandbox_errors.rs"]
mod sandbox_errors;
#[path = "../cases/sandbox_tokens.rs"]
mod sandbox_tokens;
#[path = "../cases/time_zones.rs"]
mod time_zones;
