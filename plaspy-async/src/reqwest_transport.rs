//! Sending bytes and reading bytes with reqwest: the only code this crate owns.

use std::sync::Arc;
use std::time::Duration;

use plaspy_core::nonblocking::Transport;
use plaspy_core::{CustomHttpClient, Outgoing, ResponseHead, TransportConfig};
use plaspy_types::{Error, HttpResponse, Result};

/// The reqwest transport behind [`Client`](crate::Client). Clones share the connection pool.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    timeout: Duration,
    connect_timeout: Duration,
    max_body: u64,
    /// The user's own client: its settings are not ours (`Some`: the `User-Agent` to send).
    custom: Option<reqwest::header::HeaderValue>,
}

/// rustls with the ring provider and the Mozilla roots: no OpenSSL, no process-wide state.
fn tls_config() -> Result<rustls::ClientConfig> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| Error::invalid_config(format!("TLS setup failed: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// A user's own [`reqwest::Client`] (`ClientBuilder::http_client`): proxy, TLS, pool,
/// connect timeout and redirect policy are the client's; the attempt's timeout, the
/// `User-Agent` and the response size limit are applied per request.
impl CustomHttpClient for ReqwestTransport {
    type HttpClient = reqwest::Client;

    fn with_http_client(config: &TransportConfig, client: reqwest::Client) -> Result<Self> {
        let user_agent = reqwest::header::HeaderValue::try_from(config.user_agent.as_str())
            .map_err(|_| {
                Error::invalid_config("the User-Agent holds characters a header cannot carry")
            })?;
        Ok(ReqwestTransport {
            client,
            timeout: config.timeout,
            connect_timeout: config.connect_timeout,
            max_body: config.max_response_bytes,
            custom: Some(user_agent),
        })
    }
}

impl Transport for ReqwestTransport {
    fn new(config: &TransportConfig) -> Result<Self> {
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.as_str())
            .build()
            .map_err(|e| Error::invalid_config(format!("cannot build the HTTP client: {e}")))?;
        Ok(ReqwestTransport {
            client,
            timeout: config.timeout,
            connect_timeout: config.connect_timeout,
            max_body: config.max_response_bytes,
            custom: None,
        })
    }

    async fn send(&self, request: &Outgoing<'_>) -> Result<HttpResponse> {
        let url = reqwest::Url::parse(&request.url)
            .map_err(|e| Error::invalid_config(format!("cannot build the request: {e}")))?;
        // The prepared headers are moved in whole: a builder would merge them one by one.
        let mut http_request = reqwest::Request::new(request.http_method(), url);
        *http_request.headers_mut() = request.headers.clone();
        if let Some(user_agent) = &self.custom {
            // Not our client: its timeout is not assumed, and the request's own User-Agent
            // wins over the client's default headers.
            *http_request.timeout_mut() = Some(request.timeout);
            http_request
                .headers_mut()
                .insert(reqwest::header::USER_AGENT, user_agent.clone());
        } else if request.timeout != self.timeout {
            // The attempt's own limit: the client shortens it to what the call's deadline leaves.
            *http_request.timeout_mut() = Some(request.timeout);
        }
        if let Some(body) = request.body {
            *http_request.body_mut() = Some(body.to_vec().into());
        }
        let sent = self.client.execute(http_request).await;
        let mut response = sent.map_err(|e| self.error(e, request.timeout))?;
        let head = ResponseHead::new(response.status().as_u16(), response.headers());
        let too_large = Error::response_too_large(self.max_body);
        // Read chunk by chunk (decompressed) into one buffer: bounded like the blocking
        // transport's read, and without copying the whole body once more at the end.
        let expected = response.content_length().unwrap_or(0);
        if expected > self.max_body {
            return Err(too_large);
        }
        let mut body = Vec::with_capacity(expected.min(1 << 20) as usize);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.error(e, request.timeout))?
        {
            if (body.len() + chunk.len()) as u64 > self.max_body {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(head.with_body(body))
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

impl ReqwestTransport {
    fn error(&self, err: reqwest::Error, timeout: Duration) -> Error {
        if err.is_timeout() {
            // Reported as the limit that ran out, as the blocking transport does.
            let after = if err.is_connect() {
                self.connect_timeout.min(timeout)
            } else {
                timeout
            };
            return Error::timeout(after);
        }
        // Strip the URL: it is harmless, but the message reads better without it.
        let not_sent = err.is_connect();
        let message = std::error::Error::source(&err)
            .map_or_else(|| err.to_string(), |source| format!("{err}: {source}"));
        Error::transport(message, not_sent, Some(Arc::new(err)))
    }
}
