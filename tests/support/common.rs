//! Helpers written once for both flavours (compiled with the flavour's `maybe`), and the
//! imports every case uses.

pub use httpmock::Method::{DELETE, GET, PATCH, POST, PUT};
pub use httpmock::{Mock, MockServer};
pub use plaspy_tests::*;
pub use plaspy_types::Error;
pub use serde_json::json;

pub use crate::flavour::*;
use crate::maybe;

/// A builder with the test credentials, the server's base URL and millisecond retries.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .credentials(USER, API_KEY)
        .base_url(server.base_url())
        .retry_policy(fast_retries())
}

/// A client for `server` with the test settings.
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("a valid test configuration")
}

/// The token endpoint, answering [`TOKEN`] to the test credentials.
#[maybe]
pub async fn token_mock(server: &MockServer) -> Mock<'_> {
    token_mock_with(server, TOKEN, None).await
}

/// The token endpoint, answering `token` (to the first `limit` requests only, when given).
#[maybe]
pub async fn token_mock_with<'a>(
    server: &'a MockServer,
    token: &str,
    limit: Option<usize>,
) -> Mock<'a> {
    let token = token.to_owned();
    mock(server, move |when, then| {
        token_request(when);
        let then = token_reply(then, &token);
        if let Some(n) = limit {
            then.up_to_n_times(n);
        }
    })
    .await
}

// ---- the sandbox ----------------------------------------------------------------------

pub use plaspy_sandbox::{DEMO_API_KEY, DEMO_USERNAME, FaultConfig, SandboxConfig, SandboxHandle};

/// A fresh sandbox (its own server on a loopback port) with the default configuration:
/// the demo account, seed 42, one-hour tokens, no rate limit, no faults, the system clock.
pub fn sandbox() -> SandboxHandle {
    sandbox_with(SandboxConfig::default())
}

/// A fresh sandbox with this configuration; in the quirks mode when the test binary runs
/// its cases against it (`crate::SANDBOX_QUIRKS`, see `tests/quirks/`).
pub fn sandbox_with(config: SandboxConfig) -> SandboxHandle {
    let quirks = config.quirks || crate::SANDBOX_QUIRKS;
    plaspy_sandbox::start(config.quirks(quirks)).expect("the sandbox starts")
}

/// A builder for the sandbox's demo account, with millisecond retries.
pub fn sandbox_builder(sandbox: &SandboxHandle) -> ClientBuilder {
    Client::builder()
        .credentials(DEMO_USERNAME, DEMO_API_KEY)
        .base_url(sandbox.base_url())
        .retry_policy(fast_retries())
}

/// A client for the sandbox's demo account, with millisecond retries.
pub fn sandbox_client(sandbox: &SandboxHandle) -> Client {
    sandbox_builder(sandbox)
        .build()
        .expect("a valid test configuration")
}
