//! The blocking flavour's primitives: the client type, and httpmock's blocking calls under
//! the names the shared cases use (the async twin is `nonblocking.rs`).

use httpmock::{Mock, MockServer, Then, When};

/// The client crate itself, for its re-exports (`sdk::chrono`, `sdk::time`).
pub use plaspy_blocking as sdk;
pub use plaspy_blocking::{Client, ClientBuilder, Feed};

/// A mock server from httpmock's pool.
pub fn start_server() -> MockServer {
    MockServer::start()
}

/// Registers a mock.
pub fn mock<'a>(server: &'a MockServer, spec: impl FnOnce(When, Then)) -> Mock<'a> {
    server.mock(spec)
}

/// How many requests the mock has served.
pub fn calls(mock: &Mock<'_>) -> usize {
    mock.calls()
}

/// Asserts the mock served exactly `n` requests, explaining near misses when it did not.
pub fn assert_calls(mock: &Mock<'_>, n: usize) {
    mock.assert_calls(n);
}

/// Runs `job(clone of client, i)` for every `i` in `0..n` on its own thread, all threads
/// starting together; returns the results in `i` order.
pub fn concurrently<F, R>(client: &Client, n: usize, job: F) -> Vec<R>
where
    F: Fn(Client, usize) -> R + Sync,
    R: Send,
{
    let start = std::sync::Barrier::new(n);
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..n)
            .map(|i| {
                let (client, job, start) = (client.clone(), &job, &start);
                scope.spawn(move || {
                    start.wait();
                    job(client, i)
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().expect("the thread did not panic"))
            .collect()
    })
}
