//! The one error of every sink: which sink (its redacted URL), what failed, and whether
//! trying again may help.

use std::fmt;

/// What kind of failure a [`SinkError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The sink URL or an option is not usable (never retryable).
    Config,
    /// The sink could not be reached or the connection broke (retryable).
    Unavailable,
    /// The sink did not answer in time (retryable).
    Timeout,
    /// The sink refused the credentials (not retryable).
    Auth,
    /// The sink answered with a refusal (retryable or not, as the answer says).
    Rejected,
    /// The data could not be encoded for the sink (not retryable).
    Data,
}

/// A failure of a sink, naming it by its redacted URL; never holds a secret.
#[derive(Clone, PartialEq, Eq)]
pub struct SinkError {
    sink: String,
    kind: ErrorKind,
    retryable: bool,
    message: String,
}

impl SinkError {
    /// A failure of `sink` (a redacted name) of `kind`; retryable as the kind says.
    ///
    /// ```
    /// use plaspy_sinks::{ErrorKind, SinkError};
    /// let err = SinkError::new("nats://127.0.0.1:4222/fleet", ErrorKind::Unavailable, "connection refused");
    /// assert!(err.is_retryable());
    /// assert_eq!(err.to_string(), "sink nats://127.0.0.1:4222/fleet: connection refused");
    /// ```
    pub fn new(sink: impl Into<String>, kind: ErrorKind, message: impl Into<String>) -> Self {
        let retryable = matches!(kind, ErrorKind::Unavailable | ErrorKind::Timeout);
        SinkError {
            sink: sink.into(),
            kind,
            retryable,
            message: message.into(),
        }
    }

    /// A config error for a URL that could not even be named.
    pub(crate) fn config(sink: impl Into<String>, message: impl Into<String>) -> Self {
        SinkError::new(sink, ErrorKind::Config, message)
    }

    /// This error, retryable or not as `retryable` says.
    #[must_use]
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// The sink, by its redacted URL.
    pub fn sink(&self) -> &str {
        &self.sink
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Whether the same batch may succeed if sent again later.
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// What failed, without the sink's name.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// This error with every occurrence of the `secrets` masked (belt and braces over
    /// messages that come from a driver).
    #[must_use]
    #[cfg_attr(
        not(any(
            feature = "postgres",
            feature = "nats",
            feature = "mqtt",
            feature = "webhook"
        )),
        allow(dead_code)
    )]
    pub(crate) fn scrubbed(mut self, secrets: &[&str]) -> Self {
        self.message = crate::redact::scrub(&self.message, secrets);
        self.sink = crate::redact::scrub(&self.sink, secrets);
        self
    }
}

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sink {}: {}", self.sink, self.message)
    }
}

impl fmt::Debug for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SinkError")
            .field("sink", &self.sink)
            .field("kind", &self.kind)
            .field("retryable", &self.retryable)
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for SinkError {}

/// An error and its causes on one line.
#[cfg_attr(
    not(any(feature = "postgres", feature = "nats", feature = "webhook")),
    allow(dead_code)
)]
pub(crate) fn chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message = format!("{message}: {text}");
        }
        source = cause.source();
    }
    message
}
