//! The async flavour's primitives: the client type, and httpmock's async calls under the
//! names the shared cases use (the blocking twin is `blocking.rs`).

use httpmock::{Mock, MockServer, Then, When};

pub use plaspy_async::{Client, ClientBuilder};

/// A mock server from httpmock's pool.
pub async fn start_server() -> MockServer {
    MockServer::start_async().await
}

/// Registers a mock.
pub async fn mock<'a>(server: &'a MockServer, spec: impl FnOnce(When, Then)) -> Mock<'a> {
    server.mock_async(spec).await
}

/// How many requests the mock has served.
pub async fn calls(mock: &Mock<'_>) -> usize {
    mock.calls_async().await
}

/// Asserts the mock served exactly `n` requests, explaining near misses when it did not.
pub async fn assert_calls(mock: &Mock<'_>, n: usize) {
    mock.assert_calls_async(n).await;
}
