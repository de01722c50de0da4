//! The end-to-end suites that read data, run again against the sandbox's quirks mode
//! (`SandboxConfig::quirks(true)`): answers spelt in every shape the API contract lists,
//! with the same data. The tests are those of `tests/e2e/`, unchanged: they must see the
//! same values as against the tidy mode.

/// Every sandbox these tests start answers in the quirks mode.
const SANDBOX_QUIRKS: bool = true;

#[allow(dead_code, unused_imports)]
#[path = "e2e/common.rs"]
mod common;
#[path = "e2e/devices.rs"]
mod devices;
#[path = "e2e/fleet.rs"]
mod fleet;
#[path = "e2e/formats.rs"]
mod formats;
#[path = "e2e/history.rs"]
mod history;
#[path = "e2e/resources.rs"]
mod resources;
