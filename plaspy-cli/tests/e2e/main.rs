//! End-to-end tests: the built `plaspy` binary against an in-process sandbox.
//!
//! Every child process runs without the caller's `PLASPY_*` variables and with
//! `PLASPY_CONFIG` pointing into a temporary directory, so the real user config is never
//! read or written.

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
