//! The async flavour's primitives: the client type, and httpmock's async calls under the
//! names the shared cases use (the blocking twin is `blocking.rs`).

use httpmock::{Mock, MockServer, Then, When};

/// The client crate itself, for its re-exports (`sdk::chrono`, `sdk::time`).
pub use plaspy_async as sdk;
pub use plaspy_async::{Client, ClientBuilder, Feed};

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

/// Runs `job(clone of client, i)` for every `i` in `0..n` as concurrent tokio tasks, which
/// all start together; returns the results in `i` order.
pub async fn concurrently<F, Fut, R>(client: &Client, n: usize, job: F) -> Vec<R>
where
    F: Fn(Client, usize) -> Fut,
    Fut: std::future::Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let work = job(client.clone(), i);
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                work.await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(n);
    for task in tasks {
        results.push(task.await.expect("the task did not panic"));
    }
    results
}
