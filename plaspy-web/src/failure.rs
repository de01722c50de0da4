//! A failed request as the pages read it: a status and `{"error": "..."}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plaspy_async::Error;
use serde::Serialize;

/// A failed request: the status and a message for the page (never a secret: the SDK's
/// errors hold neither the API key nor a token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The status to answer with.
    pub status: StatusCode,
    /// What went wrong, in one line.
    pub message: String,
}

/// The JSON body of a failure.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorBody<'a> {
    /// What went wrong.
    pub error: &'a str,
}

impl Failure {
    /// A failure with this status and message.
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Failure {
            status,
            message: message.into(),
        }
    }

    /// A `400 Bad Request`: the request itself is wrong.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Failure::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: &self.message,
            }),
        )
            .into_response()
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let status = match &e {
            Error::NotFound { .. } => StatusCode::NOT_FOUND,
            Error::InvalidInput { .. } => StatusCode::BAD_REQUEST,
            _ if e.status() == Some(404) => StatusCode::NOT_FOUND,
            _ => StatusCode::BAD_GATEWAY,
        };
        Failure::new(status, e.to_string())
    }
}
