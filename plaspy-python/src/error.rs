//! SDK errors as Python exceptions.
//!
//! The exception classes live in Python (`plaspy/_errors.py`); Rust hands over what they
//! hold — a kind, the one-line message (which never holds a secret: the SDK's `Display`
//! guarantees it), the HTTP status and the `Retry-After` wait — as an [`ErrorInfo`].

use plaspy_types::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use serde::Serialize;

/// What a Python exception is built from; also how a fleet entry's error travels in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorInfo {
    /// Which exception class: `not_found`, `rate_limited`, ... (see `plaspy/_errors.py`).
    pub kind: &'static str,
    /// The SDK's one-line message.
    pub message: String,
    /// The HTTP status, when there was one.
    pub status: Option<u16>,
    /// For `rate_limited`: how long the server asked to wait, in seconds.
    pub retry_after: Option<f64>,
}

impl ErrorInfo {
    /// The info of an SDK error.
    pub fn of(err: &Error) -> Self {
        let kind = match err {
            Error::BadCredentials { .. } => "bad_credentials",
            Error::Unauthorized { .. } => "unauthorized",
            Error::Forbidden { .. } => "forbidden",
            Error::NotFound { .. } => "not_found",
            Error::Conflict { .. } => "conflict",
            Error::RateLimited { .. } => "rate_limited",
            Error::Api { .. } => "api",
            Error::Http { .. } => "http",
            Error::Decode { .. } | Error::ResponseTooLarge { .. } => "decode",
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::InvalidInput { .. } | Error::InvalidConfig { .. } => "invalid_input",
            _ => "error",
        };
        let retry_after = match err {
            Error::RateLimited { retry_after, .. } => retry_after.map(|d| d.as_secs_f64()),
            _ => None,
        };
        ErrorInfo {
            kind,
            message: err.to_string(),
            status: err.status(),
            retry_after,
        }
    }

    /// An `invalid_input` error with this message.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        ErrorInfo {
            kind: "invalid_input",
            message: message.into(),
            status: None,
            retry_after: None,
        }
    }

    /// The Python exception (`plaspy._errors.from_native(...)`).
    pub fn to_pyerr(&self, py: Python<'_>) -> PyErr {
        let built = py
            .import("plaspy._errors")
            .and_then(|module| module.getattr("from_native"))
            .and_then(|make| make.call1((self.kind, &self.message, self.status, self.retry_after)));
        match built {
            Ok(exception) => PyErr::from_value(exception),
            Err(_) => PyRuntimeError::new_err(self.message.clone()),
        }
    }
}

/// A failure of a native call: an SDK error, or arguments that could not be read.
#[derive(Debug)]
pub struct Failure(pub ErrorInfo);

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure(ErrorInfo::of(&err))
    }
}

impl From<serde_json::Error> for Failure {
    fn from(err: serde_json::Error) -> Self {
        Failure(ErrorInfo::invalid_input(describe_json_error(&err)))
    }
}

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> Self {
        Python::attach(|py| failure.0.to_pyerr(py))
    }
}

/// A serde error without the offending value (it may be a password): `invalid type:
/// string "…", expected u32` becomes `invalid type, expected u32`.
fn describe_json_error(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let text = text.split(" at line ").next().unwrap_or(&text);
    for head in ["invalid type", "invalid value", "invalid length"] {
        if text.starts_with(head) {
            return match text.rsplit_once(", expected ") {
                Some((_, expected)) => format!("invalid argument: {head}, expected {expected}"),
                None => format!("invalid argument: {head}"),
            };
        }
    }
    format!("invalid argument: {text}")
}
