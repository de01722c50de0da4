//! Bring your own HTTP agent: the hook a transport implements so a client can be built on
//! an HTTP client the user configured (proxies, custom root certificates, ...).

use plaspy_types::Result;

use crate::TransportConfig;

/// A transport that can run on an HTTP client the user built: `ClientBuilder::agent`
/// (blocking, a `ureq::Agent`) and `ClientBuilder::http_client` (async, a
/// `reqwest::Client`) are offered for transports that implement it.
pub trait CustomAgent: Sized {
    /// The user's HTTP client (`ureq::Agent`, `reqwest::Client`): cloned into the
    /// transport, so clones must share their connection pool.
    type Agent: Clone + Send + Sync + 'static;

    /// The transport over `agent`, applying what it can of `config` per request.
    fn with_agent(config: &TransportConfig, agent: Self::Agent) -> Result<Self>;
}
