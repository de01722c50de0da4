//! End-to-end tests: the built `plaspy` binary against an in-process sandbox.
//!
//! Every child process runs without the caller's `PLASPY_*` variables and with
//! `PLASPY_CONFIG` pointing into a temporary directory, so the real user config is never
//! read or written.

/// Whether the sandbox of every test answers in its quirks mode (see `tests/e2e_quirks.rs`,
/// which runs the suites that read data again with it on).
const SANDBOX_QUIRKS: bool = false;

mod common;
mod devices;
mod fleet;
mod formats;
mod history;
mod hostile;
mod layout;
mod misc;
mod profiles;
#[cfg(unix)]
mod pty;
mod resources;
mod safety;
mod timeouts;
#[cfg(unix)]
mod watch;
#[cfg(unix)]
mod watch_faults;
mod wire;
