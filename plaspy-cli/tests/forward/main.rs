//! `plaspy watch --to URL` end to end: the built binary against an in-process sandbox
//! whose clock moves only when told, forwarding into real servers started by the tests
//! (PostgreSQL from the OS packages; a webhook receiver written here). A missing server
//! fails its test with the server's name and the package to install
//! (`.ci/install-servers`).

#![cfg(unix)]

mod down;
mod mqtt;
mod nats;
mod postgres;
mod servers;
mod watcher;
mod webhook;
