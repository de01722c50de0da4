//! Sending bytes and reading bytes with ureq: the only code this crate owns.

use std::sync::Arc;
use std::time::Duration;

use plaspy_core::blocking::Transport;
use plaspy_core::{CustomHttpClient, Outgoing, ResponseHead, TransportConfig};
use plaspy_types::{Error, HttpResponse, Result};
use ureq::http::Uri;

use crate::resolver::CachingResolver;
use crate::steady_timeouts::SteadyTimeoutConnector;

/// The ureq transport behind [`Client`](crate::Client). Clones share the connection pool.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    timeout: Duration,
    connect_timeout: Duration,
    max_body: u64,
    /// The user's own agent: its settings are not ours, so every request carries them
    /// (`Some`: the `User-Agent` to send).
    custom: Option<Arc<str>>,
}

/// A user's own [`ureq::Agent`] (`ClientBuilder::http_client`): proxy, TLS, pool and resolver
/// are the agent's; the settings the client's behaviour depends on are applied per request.
impl CustomHttpClient for UreqTransport {
    type HttpClient = ureq::Agent;

    fn with_http_client(config: &TransportConfig, agent: ureq::Agent) -> Result<Self> {
        Ok(UreqTransport {
            agent,
            timeout: config.timeout,
            connect_timeout: config.connect_timeout,
            max_body: config.max_response_bytes,
            custom: Some(config.user_agent.as_str().into()),
        })
    }
}

impl Transport for UreqTransport {
    fn new(config: &TransportConfig) -> Result<Self> {
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(config.timeout))
            // A first lookup of the host is part of connecting: the same limit bounds it.
            .timeout_resolve(Some(config.connect_timeout))
            .timeout_connect(Some(config.connect_timeout))
            .user_agent(config.user_agent.as_str())
            .build();
        // ureq resolves the host before it looks in its pool; the caching resolver keeps
        // that from costing a thread and a DNS query on every pooled request. The steady
        // timeouts keep the whole-request limit from costing two `setsockopt` per request.
        let agent = ureq::Agent::with_parts(
            agent_config,
            SteadyTimeoutConnector::default(),
            CachingResolver::default(),
        );
        Ok(UreqTransport {
            agent,
            timeout: config.timeout,
            connect_timeout: config.connect_timeout,
            max_body: config.max_response_bytes,
            custom: None,
        })
    }

    fn send(&self, request: &Outgoing<'_>) -> Result<HttpResponse> {
        let uri: Uri = request
            .url
            .parse()
            .map_err(|e| Error::invalid_config(format!("cannot build the request: {e}")))?;
        // The body is borrowed, not copied; without one, no `Content-Length: 0` either.
        let sent = match request.body {
            Some(body) => self.run(http_request(request, uri, body), request.timeout),
            None => self.run(http_request(request, uri, ()), request.timeout),
        };
        let mut response = sent.map_err(|e| self.error(e, request.timeout))?;
        let head = ResponseHead::new(response.status().as_u16(), response.headers());
        if response
            .body()
            .content_length()
            .is_some_and(|n| n > self.max_body)
        {
            return Err(Error::response_too_large(self.max_body));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(self.max_body)
            .read_to_vec()
            .map_err(|e| self.error(e, request.timeout))?;
        Ok(head.with_body(body))
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

/// The `http` request ureq runs: the prepared headers are cloned, nothing is parsed again.
fn http_request<B>(request: &Outgoing<'_>, uri: Uri, body: B) -> ureq::http::Request<B> {
    let mut http_request = ureq::http::Request::new(body);
    *http_request.method_mut() = request.http_method();
    *http_request.uri_mut() = uri;
    *http_request.headers_mut() = request.headers.clone();
    http_request
}

impl UreqTransport {
    /// Runs a request; one whose attempt limit differs from the agent's (the call's
    /// deadline is near) gets its own, the common case costs nothing extra.
    fn run(
        &self,
        request: ureq::http::Request<impl ureq::AsSendBody>,
        timeout: Duration,
    ) -> std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        if let Some(user_agent) = &self.custom {
            // Not our agent: nothing of its configuration is assumed.
            let request = self
                .agent
                .configure_request(request)
                .http_status_as_error(false)
                .max_redirects(0)
                .timeout_global(Some(timeout))
                .timeout_resolve(Some(self.connect_timeout))
                .timeout_connect(Some(self.connect_timeout))
                .user_agent(&**user_agent)
                .build();
            return self.agent.run(request);
        }
        if timeout == self.timeout {
            return self.agent.run(request);
        }
        let request = self
            .agent
            .configure_request(request)
            .timeout_global(Some(timeout))
            .build();
        self.agent.run(request)
    }

    fn error(&self, err: ureq::Error, timeout: Duration) -> Error {
        use std::io::ErrorKind;
        let not_sent = match &err {
            ureq::Error::BodyExceedsLimit(limit) => {
                return Error::response_too_large(*limit);
            }
            ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
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
