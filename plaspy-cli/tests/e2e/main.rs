//! End-to-end tests: the built `plaspy` binary against an in-process sandbox.
//!
//! Every child process runs without the caller's `PLASPY_*` variables and with
//! `PLASPY_CONFIG` pointing into a temporary directory, so the real user config is never
//! read or written.

mod common;
mod devices;
mod formats;
mod misc;
mod profiles;
mod resources;
mod safety;
mod timeouts;
