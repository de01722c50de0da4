//! The response envelope (`success`, `error`, `apiUsage`, `apiDailyUsage` around the
//! payload), API errors, and the JSON body extractor that answers 415 and 400 in envelopes.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::request::Json;

/// The usage counters of an account after a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Usage {
    /// `apiUsage`: requests since the sandbox started.
    pub(crate) total: i64,
    /// `apiDailyUsage`: requests since midnight UTC.
    pub(crate) daily: i64,
}

/// Where the payload goes in the envelope.
#[derive(Debug)]
enum Payload {
    /// Under one field (`devices`, `lastLocation`, ...).
    Named(&'static str, Value),
    /// Flattened into the envelope (a single group or user, the token).
    Flat(Map<String, Value>),
    /// Envelope only.
    Empty,
}

/// A successful answer.
#[derive(Debug)]
pub(crate) struct Success {
    status: StatusCode,
    payload: Payload,
}

impl Success {
    /// The payload under `name`.
    pub(crate) fn named(name: &'static str, value: impl Serialize) -> Self {
        Success {
            status: StatusCode::OK,
            payload: Payload::Named(name, to_value(value)),
        }
    }

    /// The payload's fields flattened into the envelope.
    pub(crate) fn flat(value: impl Serialize) -> Self {
        let payload = match to_value(value) {
            Value::Object(map) => Payload::Flat(map),
            other => Payload::Named("result", other),
        };
        Success {
            status: StatusCode::OK,
            payload,
        }
    }

    /// The envelope alone.
    pub(crate) fn empty() -> Self {
        Success {
            status: StatusCode::OK,
            payload: Payload::Empty,
        }
    }

    /// Answers 201 Created instead of 200.
    pub(crate) fn created(mut self) -> Self {
        self.status = StatusCode::CREATED;
        self
    }

    /// The response, with the usage counters; spelt by the quirks mode when `quirks` holds
    /// the sandbox's seed (see [`crate::quirks`]).
    pub(crate) fn into_response(self, usage: Option<Usage>, quirks: Option<u64>) -> Response {
        let mut body = Map::new();
        body.insert("success".into(), Value::Bool(true));
        match self.payload {
            Payload::Named(name, value) => {
                body.insert(name.into(), value);
            }
            Payload::Flat(map) => body.extend(map),
            Payload::Empty => {}
        }
        add_usage(&mut body, usage);
        let mut body = Value::Object(body);
        if let Some(seed) = quirks {
            crate::quirks::reply(&mut body, seed);
        }
        json_response(self.status, &body)
    }
}

fn to_value(value: impl Serialize) -> Value {
    // The models always serialize: their maps have string keys.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn add_usage(body: &mut Map<String, Value>, usage: Option<Usage>) {
    if let Some(usage) = usage {
        body.insert("apiUsage".into(), usage.total.into());
        body.insert("apiDailyUsage".into(), usage.daily.into());
    }
}

/// A JSON response.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        bytes,
    )
        .into_response()
}

/// What an API handler returns.
pub(crate) type ApiResult = Result<Success, ApiError>;

/// An error answer: `{"success":false,"error":"..."}` with a status code.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
    retry_after: Option<u64>,
    challenge: bool,
    usage: Option<Usage>,
}

impl ApiError {
    /// An error with this status and message.
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            retry_after: None,
            challenge: false,
            usage: None,
        }
    }

    /// 400 Bad Request.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401 Unauthorized, with a `WWW-Authenticate: Bearer` challenge.
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        ApiError {
            challenge: true,
            ..Self::new(StatusCode::UNAUTHORIZED, message)
        }
    }

    /// 404 Not Found.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 409 Conflict.
    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// Adds a `Retry-After` header (seconds).
    pub(crate) fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Adds the usage counters to the envelope.
    pub(crate) fn with_usage(mut self, usage: Usage) -> Self {
        self.usage = Some(usage);
        self
    }
}

impl From<plaspy_types::Error> for ApiError {
    /// A validation failure of a plaspy-types model: 400 with its message.
    fn from(err: plaspy_types::Error) -> Self {
        let message = match err {
            plaspy_types::Error::InvalidInput { message, .. } => message,
            other => other.to_string(),
        };
        ApiError::bad_request(message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = Map::new();
        body.insert("success".into(), Value::Bool(false));
        body.insert("error".into(), Value::String(self.message));
        add_usage(&mut body, self.usage);
        let mut response = json_response(self.status, &Value::Object(body));
        let headers = response.headers_mut();
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.challenge {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
        }
        response
    }
}

/// A request body, read as bytes; [`JsonBody::parse`] checks the content type and decodes.
/// Parsing is left to the handler so that body errors come after authentication and carry
/// the usage counters.
#[derive(Debug)]
pub(crate) struct JsonBody {
    content_type: Option<String>,
    bytes: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("The request body cannot be read: {e}")))?;
        Ok(JsonBody {
            content_type,
            bytes,
        })
    }
}

impl JsonBody {
    /// 415 unless the content type is JSON, 400 if the body is empty.
    fn check(&self) -> Result<(), ApiError> {
        let essence = self
            .content_type
            .as_deref()
            .and_then(|ct| ct.split(';').next())
            .map(|ct| ct.trim().to_ascii_lowercase());
        let is_json = essence
            .as_deref()
            .is_some_and(|e| e == "application/json" || e.ends_with("+json"));
        if !is_json {
            let got = self.content_type.as_deref().unwrap_or("none");
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("Unsupported content type `{got}`: the body must be application/json"),
            ));
        }
        if self.bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_request("The request body is empty"));
        }
        Ok(())
    }

    /// Reads an API request body as JSON (415, or 400 if it is not JSON). Binding it to a
    /// request type is left to the server-like types of [`crate::request`].
    pub(crate) fn json(&self) -> Result<Json, ApiError> {
        self.check()?;
        let mut de = serde_json::Deserializer::from_slice(&self.bytes);
        let value = Json::deserialize(&mut de)
            .and_then(|value| de.end().map(|()| value))
            .map_err(|e| {
                ApiError::bad_request(format!("The request body is not valid JSON: {e}"))
            })?;
        Ok(value)
    }

    /// Decodes a control route's body into one of the sandbox's own control types.
    pub(crate) fn parse<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        self.check()?;
        let mut de = serde_json::Deserializer::from_slice(&self.bytes);
        let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            ApiError::bad_request(if path == "." {
                format!("Invalid request body: {inner}")
            } else {
                format!("Invalid request body at `{path}`: {inner}")
            })
        })?;
        de.end()
            .map_err(|e| ApiError::bad_request(format!("Invalid request body: {e}")))?;
        Ok(value)
    }
}
