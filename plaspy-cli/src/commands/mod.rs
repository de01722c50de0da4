//! One module per command, cargo's way: each holds the command's clap arguments and the
//! `run` that carries it out, side by side. [`crud`] and [`patch`] are what `groups` and
//! `users` share.

pub mod auth;
pub mod completions;
pub mod config;
pub mod crud;
pub mod dashboard;
pub mod devices;
pub mod fleet;
pub mod forward;
pub mod groups;
pub mod patch;
pub mod report;
pub mod sandbox;
pub mod users;
pub mod watch;
