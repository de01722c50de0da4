//! The one error type shared by both clients.

use std::sync::Arc;
use std::time::Duration;

/// Everything that can go wrong when talking to the Plaspy API.
///
/// The variants are stable enough to `match` on; the `Display` text is one line meant for a
/// human and never contains the API key or a token.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The token endpoint refused the user name / API key.
    #[error("bad credentials: {message} (check the user name and API key)")]
    #[non_exhaustive]
    BadCredentials {
        /// The server's message.
        message: String,
    },
    /// The token was missing, malformed or expired (HTTP 401), even after one renewal.
    #[error("unauthorized: {}", or_default(message, "the token was refused"))]
    #[non_exhaustive]
    Unauthorized {
        /// The server's message, when it sent one.
        message: Option<String>,
    },
    /// The token is valid but lacks permission (HTTP 403).
    #[error(
        "forbidden: {}",
        or_default(message, "the account lacks permission for this request")
    )]
    #[non_exhaustive]
    Forbidden {
        /// The server's message, when it sent one.
        message: Option<String>,
    },
    /// The resource does not exist (HTTP 404).
    #[error("not found: {}", or_default(message, "no such resource"))]
    #[non_exhaustive]
    NotFound {
        /// The server's message, when it sent one.
        message: Option<String>,
    },
    /// The request conflicts with the current state, e.g. a duplicate e-mail (HTTP 409).
    #[error(
        "conflict: {}",
        or_default(message, "the request conflicts with existing data")
    )]
    #[non_exhaustive]
    Conflict {
        /// The server's message, when it sent one.
        message: Option<String>,
    },
    /// Too many requests (HTTP 429).
    #[error("rate limited{}", retry_hint(retry_after))]
    #[non_exhaustive]
    RateLimited {
        /// How long the server asked to wait, when it said.
        retry_after: Option<Duration>,
        /// The server's message, when it sent one.
        message: Option<String>,
    },
    /// The API answered `success: false` (or an error status) with a message. Never a
    /// 404: that is [`Error::NotFound`], whatever the body.
    #[error("API error (HTTP {status}): {message}")]
    #[non_exhaustive]
    Api {
        /// The HTTP status code.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// An HTTP error whose body was not an API envelope (a proxy page, an empty 502, ...).
    #[error("HTTP {status} from the server{}", excerpt_hint(excerpt))]
    #[non_exhaustive]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The first characters of the body, whitespace folded.
        excerpt: String,
    },
    /// A response could not be decoded.
    #[error("could not decode the response at `{path}`: {message}")]
    #[non_exhaustive]
    Decode {
        /// The JSON path of the offending field (`devices[3].expires`), or `.` for the body.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The connection failed or broke (DNS, refused, reset, TLS).
    #[error("transport error: {message}")]
    #[non_exhaustive]
    Transport {
        /// What failed.
        message: String,
        /// Whether the request certainly never reached the server (connection not established).
        not_sent: bool,
        /// The underlying error.
        #[source]
        source: Option<Arc<dyn std::error::Error + Send + Sync>>,
    },
    /// The call did not complete in time: its attempts timed out, or the deadline for the
    /// whole call passed. The text says how many attempts were made over how long.
    #[error("timed out{}", timeout_hint(after, *attempts, elapsed, deadline))]
    #[non_exhaustive]
    Timeout {
        /// The limit of one attempt that was exceeded, when known.
        after: Option<Duration>,
        /// How many attempts were made (1 for a single request).
        attempts: u32,
        /// How long the whole call took, retries and waits included, when known.
        elapsed: Option<Duration>,
        /// The deadline of the whole call, when that is what ran out.
        deadline: Option<Duration>,
    },
    /// The client configuration is invalid (bad base URL, http to a remote host, ...).
    #[error("invalid configuration: {message}")]
    #[non_exhaustive]
    InvalidConfig {
        /// What is wrong.
        message: String,
    },
    /// An argument given to the SDK is invalid (bad hex payload, empty name, ...).
    #[error("invalid input: {message}")]
    #[non_exhaustive]
    InvalidInput {
        /// What is wrong.
        message: String,
    },
    /// The response body is larger than the client reads (`max_response_bytes`). Never
    /// retried: asking again would download the same body again.
    #[error(
        "the response body exceeds the {} limit (not retried; narrow the request or raise max_response_bytes)",
        byte_size(*limit)
    )]
    #[non_exhaustive]
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
}

fn byte_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const KIB: u64 = 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes}-byte")
    }
}

fn or_default<'a>(message: &'a Option<String>, default: &'a str) -> &'a str {
    match message {
        Some(m) if !m.trim().is_empty() => m,
        _ => default,
    }
}

fn retry_hint(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(": retry after {}s", d.as_secs_f64().ceil() as u64),
        None => ": slow down and retry later".to_owned(),
    }
}

fn excerpt_hint(excerpt: &str) -> String {
    if excerpt.is_empty() {
        " (empty body)".to_owned()
    } else {
        format!(": {excerpt}")
    }
}

fn timeout_hint(
    after: &Option<Duration>,
    attempts: u32,
    elapsed: &Option<Duration>,
    deadline: &Option<Duration>,
) -> String {
    let secs = |d: &Duration| format!("{:.1}s", d.as_secs_f64());
    let tries = match attempts {
        0 | 1 => "1 attempt".to_owned(),
        n => format!("{n} attempts"),
    };
    match (deadline, elapsed, after) {
        (Some(limit), Some(took), _) => format!(
            ": the {} deadline for the call passed after {tries} over {}",
            secs(limit),
            secs(took)
        ),
        (Some(limit), None, _) => format!(": the {} deadline for the call passed", secs(limit)),
        (None, Some(took), Some(each)) if attempts > 1 => {
            format!(" after {tries} over {} ({} each)", secs(took), secs(each))
        }
        (None, Some(took), _) if attempts > 1 => format!(" after {tries} over {}", secs(took)),
        (None, _, Some(each)) => format!(" after {}", secs(each)),
        (None, Some(took), None) => format!(" after {}", secs(took)),
        (None, None, None) => String::new(),
    }
}

impl Error {
    /// A transport error.
    ///
    /// ```
    /// let err = plaspy_types::Error::transport("connection refused", true, None);
    /// assert!(err.to_string().contains("connection refused"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn transport(
        message: impl Into<String>,
        not_sent: bool,
        source: Option<Arc<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Transport {
            message: message.into(),
            not_sent,
            source,
        }
    }

    /// A timeout of one attempt after `after`, before any retry (what a transport reports).
    ///
    /// ```
    /// let err = plaspy_types::Error::timeout(std::time::Duration::from_secs(30));
    /// assert!(matches!(err, plaspy_types::Error::Timeout { attempts: 1, .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn timeout(after: Duration) -> Self {
        Error::Timeout {
            after: Some(after),
            attempts: 1,
            elapsed: None,
            deadline: None,
        }
    }

    /// The error for an API failure with `status` and the server's `message`: a 404 is
    /// [`Error::NotFound`], anything else [`Error::Api`].
    ///
    /// ```
    /// use plaspy_types::Error;
    /// assert!(matches!(Error::api(404, "Device not found"), Error::NotFound { message: Some(_), .. }));
    /// assert!(matches!(Error::api(400, "Bad range"), Error::Api { status: 400, .. }));
    /// ```
    pub fn api(status: u16, message: impl Into<String>) -> Self {
        let message = message.into();
        match status {
            404 => Error::NotFound {
                message: Some(message),
            },
            status => Error::Api { status, message },
        }
    }

    /// A bad-credentials error with the token endpoint's message.
    ///
    /// ```
    /// let err = plaspy_types::Error::bad_credentials("unknown user");
    /// assert!(err.is_auth());
    /// ```
    pub fn bad_credentials(message: impl Into<String>) -> Self {
        Error::BadCredentials {
            message: message.into(),
        }
    }

    /// An unauthorized error (401), with the server's message when it sent one.
    ///
    /// ```
    /// assert_eq!(plaspy_types::Error::unauthorized(None).status(), Some(401));
    /// ```
    pub fn unauthorized(message: Option<String>) -> Self {
        Error::Unauthorized { message }
    }

    /// A forbidden error (403), with the server's message when it sent one.
    ///
    /// ```
    /// assert_eq!(plaspy_types::Error::forbidden(None).status(), Some(403));
    /// ```
    pub fn forbidden(message: Option<String>) -> Self {
        Error::Forbidden { message }
    }

    /// A conflict error (409), with the server's message when it sent one.
    ///
    /// ```
    /// assert_eq!(plaspy_types::Error::conflict(None).status(), Some(409));
    /// ```
    pub fn conflict(message: Option<String>) -> Self {
        Error::Conflict { message }
    }

    /// A not-found error, with the server's message when it sent one.
    ///
    /// ```
    /// let err = plaspy_types::Error::not_found(Some("Device not found".into()));
    /// assert_eq!(err.to_string(), "not found: Device not found");
    /// ```
    pub fn not_found(message: Option<String>) -> Self {
        Error::NotFound { message }
    }

    /// A rate-limited error: the server asked to wait `retry_after`, when it said.
    ///
    /// ```
    /// let err = plaspy_types::Error::rate_limited(Some(std::time::Duration::from_secs(3)), None);
    /// assert!(err.to_string().contains("retry after 3s"));
    /// ```
    pub fn rate_limited(retry_after: Option<Duration>, message: Option<String>) -> Self {
        Error::RateLimited {
            retry_after,
            message,
        }
    }

    /// An HTTP error whose body was not an API envelope; `excerpt` is the start of the body.
    ///
    /// ```
    /// let err = plaspy_types::Error::http(502, "Bad Gateway");
    /// assert_eq!(err.status(), Some(502));
    /// ```
    pub fn http(status: u16, excerpt: impl Into<String>) -> Self {
        Error::Http {
            status,
            excerpt: excerpt.into(),
        }
    }

    /// A decoding error at the JSON `path` (`.` for the body).
    ///
    /// ```
    /// let err = plaspy_types::Error::decode("devices[3].expires", "not a date");
    /// assert!(err.to_string().contains("devices[3].expires"));
    /// ```
    pub fn decode(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Decode {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The response body exceeds `limit` bytes (`max_response_bytes`).
    ///
    /// ```
    /// let err = plaspy_types::Error::response_too_large(1024);
    /// assert!(err.to_string().contains("1 KiB"));
    /// ```
    pub fn response_too_large(limit: u64) -> Self {
        Error::ResponseTooLarge { limit }
    }

    /// An invalid-input error.
    ///
    /// ```
    /// let err = plaspy_types::Error::invalid_input("the device id is empty");
    /// assert_eq!(err.to_string(), "invalid input: the device id is empty");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::InvalidInput {
            message: message.into(),
        }
    }

    /// An invalid-configuration error.
    ///
    /// ```
    /// let err = plaspy_types::Error::invalid_config("no credentials");
    /// assert_eq!(err.to_string(), "invalid configuration: no credentials");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn invalid_config(message: impl Into<String>) -> Self {
        Error::InvalidConfig {
            message: message.into(),
        }
    }

    /// The HTTP status this error came with, if it came from a response.
    ///
    /// ```
    /// use plaspy_types::Error;
    ///
    /// assert_eq!(Error::not_found(None).status(), Some(404));
    /// assert_eq!(Error::invalid_input("x").status(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Unauthorized { .. } => Some(401),
            Error::Forbidden { .. } => Some(403),
            Error::NotFound { .. } => Some(404),
            Error::Conflict { .. } => Some(409),
            Error::RateLimited { .. } => Some(429),
            Error::Api { status, .. } | Error::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// This error with every secret `redactor` knows scrubbed from its text (server
    /// messages, body excerpts, paths): the server may have echoed the API key or the token.
    ///
    /// ```
    /// use plaspy_types::{Error, Redactor, Secret};
    /// let token = Secret::new("eyJ.secret.token");
    /// let err = Error::unauthorized(Some("token eyJ.secret.token expired".into()));
    /// let err = err.redact(&Redactor::new([&token]));
    /// assert_eq!(err.to_string(), "unauthorized: token [redacted] expired");
    /// ```
    pub fn redact(self, redactor: &crate::Redactor) -> Self {
        if redactor.is_empty() {
            return self;
        }
        let r = |text: String| redactor.redact(&text);
        let o = |text: Option<String>| text.map(|t| redactor.redact(&t));
        match self {
            Error::BadCredentials { message } => Error::BadCredentials {
                message: r(message),
            },
            Error::Unauthorized { message } => Error::Unauthorized {
                message: o(message),
            },
            Error::Forbidden { message } => Error::Forbidden {
                message: o(message),
            },
            Error::NotFound { message } => Error::NotFound {
                message: o(message),
            },
            Error::Conflict { message } => Error::Conflict {
                message: o(message),
            },
            Error::RateLimited {
                retry_after,
                message,
            } => Error::RateLimited {
                retry_after,
                message: o(message),
            },
            Error::Api { status, message } => Error::Api {
                status,
                message: r(message),
            },
            Error::Http { status, excerpt } => Error::Http {
                status,
                excerpt: r(excerpt),
            },
            Error::Decode { path, message } => Error::Decode {
                path: r(path),
                message: r(message),
            },
            Error::Transport {
                message,
                not_sent,
                source,
            } => {
                let redacted = r(message.clone());
                // The source's own text is not ours to rewrite: drop it if it leaks.
                let source = source.filter(|s| redactor.redact(&s.to_string()) == s.to_string());
                Error::Transport {
                    message: redacted,
                    not_sent,
                    source,
                }
            }
            Error::InvalidConfig { message } => Error::InvalidConfig {
                message: r(message),
            },
            Error::InvalidInput { message } => Error::InvalidInput {
                message: r(message),
            },
            other => other,
        }
    }

    /// Whether this is an authentication failure (bad credentials or a refused token).
    ///
    /// ```
    /// use plaspy_types::Error;
    ///
    /// assert!(Error::unauthorized(None).is_auth());
    /// assert!(!Error::not_found(None).is_auth());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_auth(&self) -> bool {
        matches!(
            self,
            Error::BadCredentials { .. } | Error::Unauthorized { .. }
        )
    }
}

/// The result type of the SDK.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Folds whitespace and cuts a body down to a short, printable excerpt.
pub(crate) fn excerpt(body: &[u8], max_chars: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count >= max_chars {
                out.push('…');
                return out;
            }
            out.push(if c.is_control() { '?' } else { c });
            count += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_reads_well() {
        let e = Error::RateLimited {
            retry_after: Some(Duration::from_secs(7)),
            message: None,
        };
        assert_eq!(e.to_string(), "rate limited: retry after 7s");
        let e = Error::NotFound {
            message: Some("Group not found".into()),
        };
        assert_eq!(e.to_string(), "not found: Group not found");
        let e = Error::Http {
            status: 502,
            excerpt: String::new(),
        };
        assert_eq!(e.to_string(), "HTTP 502 from the server (empty body)");
        let e = Error::ResponseTooLarge {
            limit: 256 * 1024 * 1024,
        };
        assert!(e.to_string().contains("exceeds the 256 MiB limit"), "{e}");
        let e = Error::ResponseTooLarge { limit: 1000 };
        assert!(e.to_string().contains("the 1000-byte limit"), "{e}");
        let e = Error::Decode {
            path: "devices[3].expires".into(),
            message: "bad".into(),
        };
        assert_eq!(
            e.to_string(),
            "could not decode the response at `devices[3].expires`: bad"
        );
    }

    #[test]
    fn timeouts_say_how_many_attempts_over_how_long() {
        let s = Duration::from_secs;
        assert_eq!(Error::timeout(s(30)).to_string(), "timed out after 30.0s");
        let retried = Error::Timeout {
            after: Some(s(30)),
            attempts: 3,
            elapsed: Some(Duration::from_millis(91_250)),
            deadline: None,
        };
        assert_eq!(
            retried.to_string(),
            "timed out after 3 attempts over 91.2s (30.0s each)"
        );
        let deadline = Error::Timeout {
            after: Some(s(30)),
            attempts: 2,
            elapsed: Some(s(45)),
            deadline: Some(s(45)),
        };
        assert_eq!(
            deadline.to_string(),
            "timed out: the 45.0s deadline for the call passed after 2 attempts over 45.0s"
        );
    }

    #[test]
    fn excerpt_folds_and_cuts() {
        assert_eq!(
            excerpt(b"<html>\n  <h1>Bad   Gateway</h1>", 100),
            "<html> <h1>Bad Gateway</h1>"
        );
        assert_eq!(excerpt(b"abcdef", 3), "abc…");
    }
}
