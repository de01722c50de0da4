//! Webhooks: each batch POSTed as one JSON array of the records' payloads (each with its
//! `"recordId"`), with an `Idempotency-Key` header that is the same whenever the same
//! records are sent again, and the user's headers (`--to-header`). A 2xx acknowledges the
//! batch; errors, timeouts, 408, 429 and 5xx are retried with backoff (honouring
//! `Retry-After`), other statuses are a refusal. The cursor lives in the caller's state
//! file ([`CursorHome::State`]).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use plaspy_types::policy::retry::{Decision, Outcome, RetryPolicy, parse_retry_after};
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};

use crate::connect::SinkOptions;
use crate::error::{ErrorKind, SinkError, chain};
use crate::record::Batch;
use crate::sink::{Ack, BoxFuture, CursorHome, Sink};
use crate::spec::{SinkSpec, WebhookSpec};

/// The header carrying the batch's idempotency key.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// The most of a refusal's body quoted in an error.
const QUOTED_BODY: usize = 200;

/// An HTTP endpoint that receives batches.
pub struct WebhookSink {
    name: String,
    secrets: Vec<String>,
    url: reqwest::Url,
    headers: HeaderMap,
    client: reqwest::Client,
    retry: RetryPolicy,
}

/// What one POST came to.
enum Attempt {
    Done,
    Failed(Outcome, SinkError),
}

impl WebhookSink {
    /// A webhook sink (no connection is made until the first batch).
    pub fn new(spec: &WebhookSpec, options: &SinkOptions) -> Result<Self, SinkError> {
        let name = SinkSpec::Webhook(spec.clone()).to_string();
        let config = |message: String| SinkError::new(&name, ErrorKind::Config, message);
        let mut headers = HeaderMap::new();
        for (key, value) in &spec.headers {
            let key = HeaderName::try_from(key.as_str())
                .map_err(|_| config(format!("`{key}` is not a header name")))?;
            let mut value = HeaderValue::try_from(value.expose())
                .map_err(|_| config(format!("the value of header {key} is not valid")))?;
            value.set_sensitive(true);
            headers.insert(key, value);
        }
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config().map_err(&config)?)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .user_agent(concat!("plaspy-sinks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| config(format!("cannot build the HTTP client: {}", e.without_url())))?;
        Ok(WebhookSink {
            name,
            secrets: spec
                .headers
                .iter()
                .map(|(_, v)| v.expose().to_owned())
                .collect(),
            url: spec.url.clone(),
            headers,
            client,
            retry: options.retry,
        })
    }

    fn error(&self, kind: ErrorKind, message: String) -> SinkError {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        SinkError::new(&self.name, kind, message).scrubbed(&secrets)
    }

    async fn post(&self, body: &str, key: &str) -> Attempt {
        let request = self
            .client
            .post(self.url.clone())
            .headers(self.headers.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(IDEMPOTENCY_KEY, key)
            .body(body.to_owned());
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => {
                let (outcome, kind) = if e.is_connect() {
                    (Outcome::NotSent, ErrorKind::Unavailable)
                } else if e.is_timeout() {
                    (Outcome::MaybeSent, ErrorKind::Timeout)
                } else {
                    (Outcome::MaybeSent, ErrorKind::Unavailable)
                };
                let message = format!("POST failed: {}", chain(&e.without_url()));
                return Attempt::Failed(outcome, self.error(kind, message));
            }
        };
        let status = response.status();
        if status.is_success() {
            return Attempt::Done;
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, Utc::now()));
        let text = response.text().await.unwrap_or_default();
        let quoted: String = text
            .chars()
            .filter(|c| !c.is_control())
            .take(QUOTED_BODY)
            .collect();
        let outcome = Outcome::Status {
            status: status.as_u16(),
            retry_after,
        };
        let retryable = plaspy_types::policy::retry::RETRYABLE_STATUSES.contains(&status.as_u16());
        let kind = match status.as_u16() {
            401 | 403 => ErrorKind::Auth,
            _ if retryable => ErrorKind::Unavailable,
            _ => ErrorKind::Rejected,
        };
        let message = if quoted.is_empty() {
            format!("answered {status}")
        } else {
            format!("answered {status}: {quoted}")
        };
        Attempt::Failed(outcome, self.error(kind, message).with_retryable(retryable))
    }

    async fn send(&self, batch: &Batch) -> Result<Ack, SinkError> {
        let body = batch.json_array();
        let key = batch.idempotency_key();
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        loop {
            let (outcome, err) = match self.post(&body, &key).await {
                Attempt::Done => {
                    return Ok(Ack {
                        records: batch.records.len(),
                        duplicates: 0,
                        cursor_stored: false,
                    });
                }
                Attempt::Failed(outcome, err) => (outcome, err),
            };
            // The key makes a repeat harmless: every request may go again.
            match self
                .retry
                .decide(attempt, outcome, true, waited, fastrand::f64())
            {
                Decision::RetryAfter(delay) => {
                    tokio::time::sleep(delay).await;
                    waited += delay;
                    attempt += 1;
                }
                Decision::GiveUp if attempt > 1 => {
                    let message = format!("{} (after {attempt} attempts)", err.message());
                    let retryable = err.is_retryable();
                    return Err(
                        SinkError::new(&self.name, err.kind(), message).with_retryable(retryable)
                    );
                }
                Decision::GiveUp => return Err(err),
            }
        }
    }
}

/// rustls with the ring provider and the Mozilla roots: no OpenSSL.
fn tls_config() -> Result<rustls::ClientConfig, String> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("TLS setup failed: {e}"))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

impl Sink for WebhookSink {
    fn deliver<'a>(&'a mut self, batch: &'a Batch) -> BoxFuture<'a, Result<Ack, SinkError>> {
        Box::pin(self.send(batch))
    }

    fn cursor_home(&self) -> CursorHome {
        CursorHome::State
    }

    fn close(self: Box<Self>) -> BoxFuture<'static, Result<(), SinkError>> {
        Box::pin(async { Ok(()) })
    }
}

impl fmt::Display for WebhookSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl fmt::Debug for WebhookSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookSink({})", self.name)
    }
}
