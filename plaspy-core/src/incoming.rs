//! What a transport reads back, assembled the same way for every transport.

use plaspy_types::HttpResponse;

/// The status and the headers the SDK uses, taken before the body is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    status: u16,
    retry_after: Option<String>,
    date: Option<String>,
}

impl ResponseHead {
    /// Reads the status and the `Retry-After` and `Date` headers.
    pub fn new(status: u16, headers: &http::HeaderMap) -> Self {
        let text = |name: http::header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        ResponseHead {
            status,
            retry_after: text(http::header::RETRY_AFTER),
            date: text(http::header::DATE),
        }
    }

    /// The whole response, once the body is read.
    pub fn with_body(self, body: Vec<u8>) -> HttpResponse {
        HttpResponse {
            status: self.status,
            retry_after: self.retry_after,
            date: self.date,
            body,
        }
    }
}
