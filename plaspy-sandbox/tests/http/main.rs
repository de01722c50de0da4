//! The sandbox driven over real HTTP on loopback.

mod auth;
mod cli;
mod commands;
mod common;
mod concurrency;
mod contract;
mod devices;
mod faults;
mod groups;
mod hardening;
mod limits;
mod tracks;
mod users;
