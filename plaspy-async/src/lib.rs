//! Async client for the [Plaspy](https://plaspy.com) GPS fleet-tracking API, over
//! [reqwest](https://docs.rs/reqwest) and [tokio](https://tokio.rs) with rustls.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default())?;
//! # let base_url = sandbox.base_url().to_owned();
//! use plaspy_async::Client;
//!
//! // `Client::new(username, api_key)` talks to https://api.plaspy.com; here, a local sandbox.
//! let client = Client::builder().credentials("demo", "demo-key").base_url(base_url).build()?;
//! for device in client.devices().list().await? {
//!     match client.devices().last_location(device.id()).await? {
//!         Some(fix) => println!("{:<24} {:.5},{:.5}", device.display_name(), fix.latitude, fix.longitude),
//!         None => println!("{:<24} no position yet", device.display_name()),
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! - Build a client with [`Client::new`], [`Client::from_env`] or [`Client::builder`].
//! - Reach the API through `client.devices()`, `client.groups()` and `client.users()`;
//!   every call is an `async fn` whose future is `Send`, so it can be spawned.
//! - Tokens are fetched on first use, cached, shared by clones, and renewed before they
//!   expire; concurrent callers on a cold client share a single token request; a 401
//!   triggers one renewal and one retry.
//! - Requests that are safe to repeat are retried on connection errors, 408, 429 and 5xx
//!   with exponential backoff and jitter, honouring `Retry-After`. Creations, patches and
//!   commands are never repeated once they may have reached the server.
//! - Every failure is a [`plaspy_types::Error`] (re-exported as [`Error`]).
//!
//! The blocking twin with the same surface is `plaspy-blocking`.

#[path = "transport.rs"]
mod http;

plaspy_core::client_api!(nonblocking, crate::http::ReqwestTransport);

/// A [`Feed`] as a `Send` `futures::Stream`, from `Feed::into_stream`.
pub type FeedStream = plaspy_core::nonblocking::FeedStream<http::ReqwestTransport>;
