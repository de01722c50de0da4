//! Fixtures the benchmarks share: a local sandbox, clients on it, and bare transports
//! doing the same requests. Run the benchmarks with `cargo bench -p plaspy-bench`.

use std::time::Duration;

use plaspy_sandbox::{DEMO_API_KEY, DEMO_USERNAME, FaultConfig, SandboxConfig, SandboxHandle};
use plaspy_types::endpoints::LastLocation;
use plaspy_types::{Endpoint, HttpResponse, Location};

/// The device every per-call benchmark asks for.
pub const DEVICE: &str = "dev-01";

/// A sandbox with `devices` devices (the first 27 are the demo fleet) answering after
/// `latency`.
pub fn sandbox(devices: usize, latency: Duration) -> SandboxHandle {
    plaspy_sandbox::start(SandboxConfig {
        devices,
        faults: FaultConfig {
            latency_ms: latency.as_millis() as u64,
            ..FaultConfig::default()
        },
        ..SandboxConfig::default()
    })
    .expect("the sandbox starts")
}

/// A blocking client on the sandbox, with its token already fetched.
pub fn blocking_client(sandbox: &SandboxHandle) -> plaspy_blocking::Client {
    blocking_client_at(sandbox.base_url())
}

/// A blocking client on the sandbox at `base_url`, with its token already fetched.
pub fn blocking_client_at(base_url: &str) -> plaspy_blocking::Client {
    let client = plaspy_blocking::Client::builder()
        .credentials(DEMO_USERNAME, DEMO_API_KEY)
        .base_url(base_url)
        .build()
        .expect("a valid configuration");
    client.token().expect("a token");
    client
}

/// An async client on the sandbox, with its token already fetched.
pub fn async_client(
    sandbox: &SandboxHandle,
    runtime: &tokio::runtime::Runtime,
) -> plaspy_async::Client {
    async_client_at(sandbox.base_url(), runtime)
}

/// An async client on the sandbox at `base_url`, with its token already fetched.
pub fn async_client_at(base_url: &str, runtime: &tokio::runtime::Runtime) -> plaspy_async::Client {
    let client = plaspy_async::Client::builder()
        .credentials(DEMO_USERNAME, DEMO_API_KEY)
        .base_url(base_url)
        .build()
        .expect("a valid configuration");
    runtime.block_on(client.token()).expect("a token");
    client
}

/// The URL and `Authorization` value of `lastLocation` for [`DEVICE`].
pub fn last_location_request(base_url: &str, token: &str) -> (String, String) {
    (
        format!("{base_url}/api/devices/{DEVICE}/lastLocation"),
        format!("Bearer {token}"),
    )
}

/// Decodes a `lastLocation` body the way the SDK does, so bare transports do the same work.
pub fn decode_last_location(status: u16, body: Vec<u8>) -> Option<Location> {
    LastLocation { id: DEVICE }
        .decode(&HttpResponse::new(status, body))
        .expect("a valid reply")
        .value
}

/// A bare ureq agent: keep-alive pool, and no timeouts, so that ureq's own resolver does
/// not spawn a thread per request (the fastest baseline ureq offers).
pub fn bare_ureq() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// A bare ureq agent with the limits the blocking client configures by default (30 s for
/// the whole request, 10 s to resolve and connect). With a timeout set, ureq's default
/// resolver runs every lookup on a new thread, so this agent spawns one per request.
pub fn bare_ureq_with_timeouts() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .timeout_resolve(Some(Duration::from_secs(10)))
        .timeout_connect(Some(Duration::from_secs(10)))
        .build()
        .new_agent()
}

/// A current-thread tokio runtime, the one the async benchmarks drive their calls on.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// One `lastLocation` call with a bare ureq agent, decoded like the SDK does.
pub fn bare_ureq_call(agent: &ureq::Agent, url: &str, auth: &str) -> Option<Location> {
    let mut response = agent
        .get(url)
        .header("Accept", "application/json")
        .header("Authorization", auth)
        .call()
        .expect("a response");
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_vec().expect("a body");
    decode_last_location(status, body)
}

/// A bare reqwest client as a user would build it (same timeouts, rustls with ring, no
/// roots: the benchmarks speak plain http on loopback).
pub fn bare_reqwest() -> reqwest::Client {
    let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_root_certificates(rustls::RootCertStore::empty())
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("a client")
}

/// One `lastLocation` call with a bare reqwest client, decoded like the SDK does.
pub async fn bare_reqwest_call(
    client: &reqwest::Client,
    url: &str,
    auth: &str,
) -> Option<Location> {
    let response = client
        .get(url)
        .header("Accept", "application/json")
        .header("Authorization", auth)
        .send()
        .await
        .expect("a response");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("a body");
    decode_last_location(status, body.to_vec())
}
