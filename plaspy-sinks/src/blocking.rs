//! Sinks for synchronous callers (the `plaspy` CLI runs on the blocking client): the
//! sink's async work runs on a small runtime this wrapper owns.

use std::fmt;
use std::time::Duration;

use plaspy_types::policy::retry::RetryPolicy;
use serde_json::Value;

use crate::connect::{SinkOptions, connect};
use crate::error::{ErrorKind, SinkError};
use crate::record::Batch;
use crate::sink::{Ack, CursorHome, Sink};
use crate::spec::SinkSpec;

/// A connected sink driven from synchronous code. Its runtime has one worker thread, so
/// background work (MQTT keep-alives, NATS pings, reconnects) goes on between batches.
pub struct BlockingSink {
    // Dropped before the runtime (fields drop in order).
    sink: Option<Box<dyn Sink>>,
    runtime: tokio::runtime::Runtime,
}

impl BlockingSink {
    /// Connects to the sink `spec` names (see [`connect`]).
    pub fn connect(spec: &SinkSpec, options: &SinkOptions) -> Result<Self, SinkError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("plaspy-sink")
            .enable_all()
            .build()
            .map_err(|e| {
                SinkError::new(
                    spec.to_string(),
                    ErrorKind::Config,
                    format!("cannot start the sink's runtime: {e}"),
                )
            })?;
        let sink = runtime.block_on(connect(spec, options))?;
        Ok(BlockingSink {
            sink: Some(sink),
            runtime,
        })
    }

    /// Delivers `batch` once (see [`Sink::deliver`]).
    pub fn deliver(&mut self, batch: &Batch) -> Result<Ack, SinkError> {
        let sink = self.sink.as_mut().expect("the sink is open until close");
        self.runtime.block_on(sink.deliver(batch))
    }

    /// Delivers `batch` with retries (see [`crate::deliver_with_retry`]).
    pub fn deliver_with_retry(
        &mut self,
        batch: &Batch,
        policy: &RetryPolicy,
        on_retry: impl FnMut(&SinkError, Duration) -> bool,
    ) -> Result<Ack, SinkError> {
        let sink = self.sink.as_mut().expect("the sink is open until close");
        self.runtime.block_on(crate::deliver_with_retry(
            &mut **sink,
            batch,
            policy,
            on_retry,
        ))
    }

    /// Where this sink's cursor lives.
    pub fn cursor_home(&self) -> CursorHome {
        self.sink
            .as_ref()
            .map_or(CursorHome::State, |s| s.cursor_home())
    }

    /// The cursor stored for `feed_name` (see [`Sink::load_cursor`]).
    pub fn load_cursor(&mut self, feed_name: &str) -> Result<Option<Value>, SinkError> {
        let sink = self.sink.as_mut().expect("the sink is open until close");
        self.runtime.block_on(sink.load_cursor(feed_name))
    }

    /// Closes the connection.
    pub fn close(mut self) -> Result<(), SinkError> {
        match self.sink.take() {
            Some(sink) => self.runtime.block_on(sink.close()),
            None => Ok(()),
        }
    }
}

impl fmt::Display for BlockingSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sink {
            Some(sink) => fmt::Display::fmt(sink, f),
            None => f.write_str("(closed sink)"),
        }
    }
}

impl fmt::Debug for BlockingSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlockingSink({self})")
    }
}
