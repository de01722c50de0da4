//! Sending bytes and reading bytes with ureq: the only code this crate owns.

use std::sync::Arc;
use std::time::Duration;

use plaspy_core::blocking::Transport;
use plaspy_core::{Outgoing, ResponseHead, TransportConfig};
use plaspy_types::{Error, HttpResponse, Result};

/// Largest response body read (256 MiB): a long track query can be large.
const BODY_LIMIT: u64 = 256 * 1024 * 1024;

/// The ureq transport behind [`Client`](crate::Client). Clones share the connection pool.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    connect_timeout: Duration,
}

impl Transport for UreqTransport {
    fn new(config: &TransportConfig) -> Result<Self> {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(config.timeout))
            .timeout_connect(Some(config.connect_timeout))
            .user_agent(config.user_agent.as_str())
            .build()
            .new_agent();
        Ok(UreqTransport {
            agent,
            connect_timeout: config.connect_timeout,
        })
    }

    fn send(&self, request: &Outgoing<'_>) -> Result<HttpResponse> {
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        let built = builder.body(request.body.unwrap_or_default().to_vec());
        let http_request =
            built.map_err(|e| Error::invalid_config(format!("cannot build the request: {e}")))?;
        // The attempt's own limit: the client shortens it to what the call's deadline leaves.
        let http_request = self
            .agent
            .configure_request(http_request)
            .timeout_global(Some(request.timeout))
            .build();
        let mut response = self
            .agent
            .run(http_request)
            .map_err(|e| self.error(e, request.timeout))?;
        let head = ResponseHead::new(response.status().as_u16(), response.headers());
        let body = response
            .body_mut()
            .with_config()
            .limit(BODY_LIMIT)
            .read_to_vec()
            .map_err(|e| self.error(e, request.timeout))?;
        Ok(head.with_body(body))
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

impl UreqTransport {
    fn error(&self, err: ureq::Error, timeout: Duration) -> Error {
        use std::io::ErrorKind;
        let not_sent = match &err {
            ureq::Error::Timeout(ureq::Timeout::Connect) => {
                return Error::timeout(self.connect_timeout.min(timeout));
            }
            ureq::Error::Timeout(_) => return Error::timeout(timeout),
            ureq::Error::Io(io) if io.kind() == ErrorKind::TimedOut => {
                return Error::timeout(timeout);
            }
            ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => true,
            ureq::Error::Io(io) => matches!(
                io.kind(),
                ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable | ErrorKind::NotFound
            ),
            _ => false,
        };
        Error::transport(err.to_string(), not_sent, Some(Arc::new(err)))
    }
}
