//! Sending bytes and reading bytes with reqwest: the only code this crate owns.

use std::sync::Arc;
use std::time::Duration;

use plaspy_core::nonblocking::Transport;
use plaspy_core::{Outgoing, ResponseHead, TransportConfig};
use plaspy_types::{Error, HttpResponse, Method, Result};

/// The reqwest transport behind [`Client`](crate::Client). Clones share the connection pool.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
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

fn method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
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
        Ok(ReqwestTransport { client })
    }

    async fn send(&self, request: &Outgoing<'_>) -> Result<HttpResponse> {
        // The attempt's own limit: the client shortens it to what the call's deadline leaves.
        let mut builder = self
            .client
            .request(method(request.method), &request.url)
            .timeout(request.timeout);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = request.body {
            builder = builder.body(body.to_vec());
        }
        let response = builder
            .send()
            .await
            .map_err(|e| self.error(e, request.timeout))?;
        let head = ResponseHead::new(response.status().as_u16(), response.headers());
        let body = response
            .bytes()
            .await
            .map_err(|e| self.error(e, request.timeout))?;
        Ok(head.with_body(body.to_vec()))
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

impl ReqwestTransport {
    fn error(&self, err: reqwest::Error, timeout: Duration) -> Error {
        if err.is_timeout() {
            return Error::timeout(timeout);
        }
        // Strip the URL: it is harmless, but the message reads better without it.
        let not_sent = err.is_connect();
        let message = std::error::Error::source(&err)
            .map_or_else(|| err.to_string(), |source| format!("{err}: {source}"));
        Error::transport(message, not_sent, Some(Arc::new(err)))
    }
}
