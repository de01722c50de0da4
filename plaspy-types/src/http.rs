//! Transport-neutral request and response values.
//!
//! An [`Endpoint`](crate::Endpoint) turns into an [`HttpRequest`]; a transport sends it and
//! hands back an [`HttpResponse`], which the endpoint decodes. Transports never look inside.

use std::fmt;

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name, upper case.
    ///
    /// ```
    /// assert_eq!(plaspy_types::Method::Patch.as_str(), "PATCH");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request ready to be sent: method, path below the base URL, and optional JSON body.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The path, starting with `/`, ids already percent-encoded.
    pub path: String,
    /// The JSON body, if any (sent with `Content-Type: application/json`).
    pub body: Option<Vec<u8>>,
    /// Whether sending it twice is harmless (see [`Endpoint::retry_safe`](crate::Endpoint::retry_safe)).
    pub retry_safe: bool,
    /// Whether it needs a bearer token.
    pub authenticated: bool,
}

impl fmt::Debug for HttpRequest {
    // The body may carry the API key (token request): show only its size.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field("retry_safe", &self.retry_safe)
            .field("authenticated", &self.authenticated)
            .finish()
    }
}

/// What a transport read back: the status, the few headers the SDK uses, and the body.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The `Retry-After` header, verbatim.
    pub retry_after: Option<String>,
    /// The `Date` header, verbatim (used to measure token lifetimes in server time).
    pub date: Option<String>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with a status and a body and no headers.
    ///
    /// ```
    /// let response = plaspy_types::HttpResponse::new(200, r#"{"success":true}"#);
    /// assert!(response.is_success());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            body: body.into(),
            ..Default::default()
        }
    }

    /// Whether the status is 2xx.
    ///
    /// ```
    /// assert!(!plaspy_types::HttpResponse::new(503, "busy").is_success());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

impl fmt::Debug for HttpResponse {
    // The body may carry a token (token response): show only its size.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("retry_after", &self.retry_after)
            .field("date", &self.date)
            .field("body_len", &self.body.len())
            .finish()
    }
}
