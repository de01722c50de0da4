//! The interface every sink implements.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::error::SinkError;
use crate::record::Batch;

/// A boxed, sendable future: what the [`Sink`] methods return, so that sinks of different
/// kinds can sit behind one `Box<dyn Sink>`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where the feed cursor lives for a sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorHome {
    /// The sink stores the batch's cursor with the records, atomically (PostgreSQL: same
    /// transaction) or right after them (NATS: key-value bucket); [`Sink::load_cursor`]
    /// gives it back, so no state file is needed.
    Sink,
    /// The sink cannot hold it: the caller saves the cursor in its state file (`--state`)
    /// once [`Sink::deliver`] has returned `Ok`.
    State,
}

/// What a sink acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ack {
    /// Records acknowledged (all of the batch).
    pub records: usize,
    /// Of them, records the sink had already (a replay), where the sink can tell
    /// (PostgreSQL: conflicting rows; NATS: duplicate message ids); 0 elsewhere.
    pub duplicates: usize,
    /// Whether the batch's cursor was stored in the sink with the records.
    pub cursor_stored: bool,
}

/// A destination for feed records.
///
/// The contract: [`Sink::deliver`] returns `Ok` only once the sink has acknowledged every
/// record of the batch (and, for [`CursorHome::Sink`], stored its cursor); until then the
/// caller must not move its cursor. Delivering the same batch again is safe: PostgreSQL
/// and NATS drop what they already hold, MQTT and webhooks receive it again with the same
/// ids (record ids in the payload, the same `Idempotency-Key`).
pub trait Sink: Send + Sync + fmt::Debug + fmt::Display {
    /// Delivers `batch`, resolving once it is acknowledged.
    fn deliver<'a>(&'a mut self, batch: &'a Batch) -> BoxFuture<'a, Result<Ack, SinkError>>;

    /// Where this sink's cursor lives.
    fn cursor_home(&self) -> CursorHome;

    /// The cursor last stored for `feed_name` ([`crate::record::Batch::cursor`]), or `None`
    /// if none was ever stored — or if the sink cannot hold one ([`CursorHome::State`]).
    fn load_cursor<'a>(
        &'a mut self,
        feed_name: &'a str,
    ) -> BoxFuture<'a, Result<Option<serde_json::Value>, SinkError>> {
        let _ = feed_name;
        Box::pin(async { Ok(None) })
    }

    /// Flushes and closes the connection (what is acknowledged stays acknowledged).
    fn close(self: Box<Self>) -> BoxFuture<'static, Result<(), SinkError>>;
}
