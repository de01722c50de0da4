//! Blocking (synchronous) client for the [Plaspy](https://plaspy.com) GPS fleet-tracking
//! API, over [ureq](https://docs.rs/ureq) with rustls.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default())?;
//! # let base_url = sandbox.base_url().to_owned();
//! use plaspy_blocking::Client;
//!
//! // `Client::new(username, api_key)` talks to https://api.plaspy.com; here, a local sandbox.
//! let client = Client::builder().credentials("demo", "demo-key").base_url(base_url).build()?;
//! for device in client.devices().list()? {
//!     match client.devices().last_location(device.id())? {
//!         Some(fix) => println!("{:<24} {:.5},{:.5}", device.display_name(), fix.latitude, fix.longitude),
//!         None => println!("{:<24} no position yet", device.display_name()),
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! - Build a client with [`Client::new`], [`Client::from_env`] or [`Client::builder`].
//! - Reach the API through `client.devices()`, `client.groups()` and `client.users()`.
//! - Tokens are fetched on first use, cached, shared by clones, and renewed before they
//!   expire; a 401 triggers one renewal and one retry.
//! - Requests that are safe to repeat are retried on connection errors, 408, 429 and 5xx
//!   with exponential backoff and jitter, honouring `Retry-After`. Creations, patches and
//!   commands are never repeated once they may have reached the server.
//! - Every failure is a [`plaspy_types::Error`] (re-exported as [`Error`]).
//!
//! The async twin with the same surface is `plaspy-async`.

#[path = "transport.rs"]
mod http;
mod resolver;
mod steady_timeouts;

plaspy_core::client_api!(blocking, crate::http::UreqTransport);
