//! Delivers the records of a plaspy feed (fixes and alert events) into the systems
//! integrators run — PostgreSQL, NATS JetStream, MQTT and webhooks — so that the feed's
//! cursor moves only after the sink has acknowledged the data.
//!
//! - A [`Batch`] is a list of [`Record`]s (device id, fix time, a sequence number for
//!   records sharing an instant, the JSON line `plaspy watch` prints, fix or event) plus
//!   the feed cursor to store once they are acknowledged.
//! - A [`Sink`] delivers a batch and returns an [`Ack`]; [`SinkSpec::parse`] reads a sink
//!   URL and [`connect`] opens the sink behind it (each kind behind its cargo feature:
//!   `postgres`, `nats`, `mqtt`, `webhook`; `all` enables the four).
//! - Sinks that can hold the cursor (PostgreSQL: in the same transaction as the rows;
//!   NATS: a JetStream key-value bucket) report [`CursorHome::Sink`] and give it back with
//!   [`Sink::load_cursor`]; the others report [`CursorHome::State`]: the caller saves the
//!   cursor in its state file after the acknowledgement.
//! - [`BlockingSink`] wraps a sink for synchronous callers (the CLI) on a small runtime.
//! - [`deliver_with_retry`] retries a retryable failure with backoff; the cursor given to
//!   the caller never moves before an acknowledgement.
//!
//! Passwords and header values never appear in a sink's `Display`/`Debug` nor in an error.

mod blocking;
mod connect;
mod cursor;
mod error;
mod record;
mod redact;
mod retry;
mod sink;
mod spec;
mod subject;

#[cfg(feature = "mqtt")]
pub mod mqtt;
#[cfg(feature = "nats")]
pub mod nats;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "webhook")]
pub mod webhook;

pub use blocking::BlockingSink;
pub use connect::{SinkOptions, connect};
pub use cursor::earliest;
pub use error::{ErrorKind, SinkError};
pub use record::{Batch, Kind, Record, Sequencer};
pub use retry::deliver_with_retry;
pub use sink::{Ack, BoxFuture, CursorHome, Sink};
pub use spec::{MqttSpec, NatsSpec, PostgresSpec, SinkSpec, WebhookSpec, parse_header};

/// The feed name used when none is given (`--feed-name`).
pub const DEFAULT_FEED_NAME: &str = "default";
