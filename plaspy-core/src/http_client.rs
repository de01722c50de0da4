//! Bring your own HTTP client: the hook a transport implements so a client can be built on
//! an HTTP client the user configured (proxies, custom root certificates, ...).

use plaspy_types::Result;

use crate::TransportConfig;

/// A transport that can run on an HTTP client the user built: `ClientBuilder::http_client`
/// (a `ureq::Agent` in the blocking flavour, a `reqwest::Client` in the async one) is
/// offered for transports that implement it.
pub trait CustomHttpClient: Sized {
    /// The user's HTTP client (`ureq::Agent`, `reqwest::Client`): cloned into the
    /// transport, so clones must share their connection pool.
    type HttpClient: Clone + Send + Sync + 'static;

    /// The transport over `client`, applying what it can of `config` per request.
    fn with_http_client(config: &TransportConfig, client: Self::HttpClient) -> Result<Self>;
}
