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
//! - Reach the API through `client.devices()`, `client.groups()`, `client.users()`,
//!   `client.fleet()` and `client.feed()`; every call is an `async fn` whose future is
//!   `Send`, so it can be spawned.
//! - Tokens are fetched on first use, cached, shared by clones, and renewed before they
//!   expire; concurrent callers on a cold client share a single token request; a 401
//!   triggers one renewal and one retry.
//! - `Client` is cheap to clone: clones share the connection pool, the token and the pacing.
//!
//! The blocking twin with the same surface is `plaspy-blocking`. The method examples are
//! written once for both, with `plaspy_blocking`: with this crate, add `.await` to each
//! call.
//!
//! # Errors
//!
//! Every failure is one [`Error`] (defined in `plaspy-types`). Its variants say what went
//! wrong; its `Display` text is one line for a human and never holds the API key or a
//! token. The enum may gain variants: match the ones you handle and end with a wildcard
//! arm. [`Error::status`] gives the HTTP status when there was one.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = plaspy_sandbox::start(Default::default())?;
//! # let client = plaspy_async::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
//! use plaspy_async::Error;
//!
//! match client.devices().get("no-such-device").await {
//!     Ok(device) => println!("{}", device.display_name()),
//!     Err(Error::NotFound { .. }) => println!("no such device"),
//!     Err(Error::BadCredentials { .. } | Error::Unauthorized { .. }) => println!("check the API key"),
//!     Err(Error::RateLimited { retry_after, .. }) => println!("slow down ({retry_after:?})"),
//!     Err(Error::Timeout { .. } | Error::Transport { .. }) => println!("network trouble"),
//!     Err(other) => println!("{other}"),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Retries, timeouts and deadlines
//!
//! Requests that are safe to repeat (reads, updates, deletes) are retried on connection
//! errors, 408, 429 and 5xx, with exponential backoff and jitter, honouring `Retry-After`:
//! 2 retries by default ([`ClientBuilder::max_retries`], [`ClientBuilder::retry_policy`]).
//! Creations, patches and commands are never repeated once they may have reached the server.
//! [`ClientBuilder::timeout`] bounds one attempt (30 s); [`ClientBuilder::deadline`] bounds
//! a whole call, its token request, retries and waits included, and then fails with
//! [`Error::Timeout`] saying how many attempts were made. Dropping a call's future
//! cancels it.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = plaspy_sandbox::start(Default::default())?;
//! use std::time::Duration;
//! use plaspy_async::Client;
//! use plaspy_sandbox::FaultConfig;
//!
//! let client = Client::builder()
//!     .credentials("demo", "demo-key")
//!     .base_url(sandbox.base_url())
//!     .timeout(Duration::from_secs(10)) // each attempt
//!     .deadline(Duration::from_secs(20)) // the whole call
//!     .max_retries(2)
//!     .build()?;
//! client.token().await?; // authenticate first, so the fault below hits the next call
//! // The sandbox answers the next request with a 503: the retry absorbs it.
//! sandbox.control().set_faults(FaultConfig { fail_next: 1, ..FaultConfig::none() })?;
//! assert_eq!(client.devices().list().await?.len(), 27);
//! # Ok(())
//! # }
//! ```
//!
//! # Pacing and `429`
//!
//! [`ClientBuilder::rate_limit`] spaces requests out to at most so many per minute, for
//! every clone of the client and every task together (a waiting call sleeps on tokio's
//! timer). Whatever it says, a `429` answer to a request that is safe to repeat pauses the
//! whole client for as long as the server asks (`Retry-After`), and the call goes on; only
//! when the wait would exceed the retry policy's `max_total_wait` (30 s; for fleet calls,
//! [`FleetOptions::throttle_budget`]) does the call fail with [`Error::RateLimited`].
//! [`Client::usage`] shows the server's usage counters.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = plaspy_sandbox::start(Default::default())?;
//! let client = plaspy_async::Client::builder()
//!     .credentials("demo", "demo-key")
//!     .base_url(sandbox.base_url())
//!     .rate_limit(600) // at most one request every 100 ms
//!     .build()?;
//! let devices = client.devices().list().await?;
//! println!("{} devices; usage: {:?}", devices.len(), client.usage());
//! # Ok(())
//! # }
//! ```
//!
//! # The whole fleet
//!
//! `client.fleet().snapshot()` lists every device with its last position, fetched
//! concurrently (32 at a time by default, fewer while the server throttles); one device's
//! failure stays in its own entry. `client.devices().last_locations(&ids)` does the same
//! for chosen devices; the `_with` variants take [`FleetOptions`] (concurrency, patience
//! with `429`, a progress callback).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = plaspy_sandbox::start(Default::default())?;
//! # let client = plaspy_async::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
//! for entry in client.fleet().snapshot().await? {
//!     match entry.location {
//!         Ok(Some(fix)) => println!("{} at {}", entry.device.display_name(), fix.date_time),
//!         Ok(None) => println!("{}: no position yet", entry.device.display_name()),
//!         Err(err) => println!("{}: {err}", entry.device.display_name()),
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The same fan-out runs any per-device work: [`Client::fan_out`] takes the items, the
//! [`FleetOptions`] and a task, and returns one output per item in order, with fewer
//! tasks in flight while the server answers `429` and the calls of each task waiting out
//! the server's pauses within the options' throttle budget. Waits the quota imposes (the
//! client's own pacing, a shared `429` pause) never count against a call's deadline: a
//! fleet larger than the per-minute quota completes with the default options.
//! `client.devices().reports(&ids, from, to, &report_options, &fleet_options)` is the
//! fan-out of the trip / stop / summary reports.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = plaspy_sandbox::start(Default::default())?;
//! # let client = plaspy_async::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
//! use chrono::{Duration, Utc};
//! use plaspy_async::FleetOptions;
//!
//! let to = Utc::now();
//! let ids: Vec<String> = client.devices().list().await?.iter().map(|d| d.id().to_owned()).collect();
//! let options = FleetOptions::new().with_concurrency(8);
//! let alerts = client
//!     .fan_out(ids.clone(), &options, |client, id| async move {
//!         client.devices().alerts(&id, to - Duration::days(1), to).await
//!     })
//!     .await;
//! for (id, alerts) in ids.iter().zip(alerts) {
//!     println!("{id}: {} alerts today", alerts?.len());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # The live feed
//!
//! `client.feed()` follows new positions (and, if asked, alert events) as they arrive:
//! every fix exactly once, in time order per device, however long the gap between polls.
//! Await [`Feed::next_event`], turn the feed into a [`FeedStream`] with
//! [`Feed::into_stream`], or drive it with [`Feed::poll_once`] and [`Feed::pop`]. Save
//! [`Feed::cursor`] (serde) and pass it to [`FeedBuilder::resume`] to go on later without
//! losing or repeating anything.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = plaspy_sandbox::start(Default::default())?;
//! # let client = plaspy_async::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
//! use std::time::Duration;
//!
//! let mut feed = client
//!     .feed()
//!     .devices(["dev-01", "dev-02"])
//!     .since_ago(Duration::from_secs(3600))
//!     .interval(Duration::from_secs(30))
//!     .build();
//! let report = feed.poll_once().await?; // or `feed.next_event().await`, which waits for more
//! while let Some(event) = feed.pop() {
//!     println!("{} {}", event.device_id(), event.time());
//! }
//! let saved = feed.cursor(); // store it; `.resume(saved)` goes on from here
//! # let _ = (report, saved);
//! # Ok(())
//! # }
//! ```
//!
//! # History and reports
//!
//! `devices().locations(..)` is one request, bounded by the API (31 days, a reply cap).
//! `devices().location_history(..)` takes any range up to a year: it is cut into windows
//! the API accepts, fetched a few at a time and merged in time order, as one `Vec`
//! (`.all().await`) or window by window (`.into_stream()`). `devices().report(..)` turns the
//! positions into trips, stops and daily summaries (see `plaspy-fleet` for the
//! definitions); `trips`, `stops` and `summary` are the short forms.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = plaspy_sandbox::start(Default::default())?;
//! # let client = plaspy_async::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
//! use chrono::{Duration, Utc};
//!
//! let to = Utc::now();
//! let fixes = client.devices().location_history("dev-01", to - Duration::days(2), to).all().await?;
//! let trips = client.devices().trips("dev-01", to - Duration::days(2), to).await?;
//! println!("{} fixes, {} trips", fixes.len(), trips.len());
//! for trip in &trips {
//!     println!("{} -> {}: {:.1} km", trip.start, trip.end, trip.distance_km);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Testing your code with the sandbox
//!
//! `plaspy-sandbox` is a local, stateful Plaspy API: a demo account (`demo` /
//! `demo-key`), 27 simulated devices whose data are a pure function of the seed and the
//! time, groups and users with full CRUD. Add it as a dev-dependency and point your client
//! at `plaspy_sandbox::start`'s URL (it runs on its own thread, so it works inside
//! `#[tokio::test]`): no network, no mocks to maintain. Its
//! `SandboxControl` injects faults, sets a rate limit,
//! expires tokens, records the commands sent and moves its clock; give it a
//! `ManualClock` for data that do not depend on when the test runs.
//!
//! ```
//! use std::sync::Arc;
//! use plaspy_async::{Client, Command};
//! use plaspy_sandbox::SandboxConfig;
//! use plaspy_types::policy::clock::ManualClock;
//!
//! // The code under test.
//! async fn stop_engine(client: &Client, id: &str) -> plaspy_async::Result<String> {
//!     client.devices().send_command(id, &Command::text("engine stop")).await
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let clock = ManualClock::new("2030-01-01T08:00:00Z".parse()?);
//! let sandbox = plaspy_sandbox::start(SandboxConfig { clock: Arc::new(clock), ..SandboxConfig::default() })?;
//! let client = Client::builder()
//!     .credentials(plaspy_sandbox::DEMO_USERNAME, plaspy_sandbox::DEMO_API_KEY)
//!     .base_url(sandbox.base_url())
//!     .build()?;
//!
//! stop_engine(&client, "dev-03").await?;
//! let sent = sandbox.control().device_commands("dev-03");
//! assert_eq!(sent.len(), 1);
//! assert_eq!(sent[0].command, "engine stop");
//!
//! sandbox.control().advance_clock(3_600); // an hour later, for the sandbox
//! assert_eq!(sandbox.control().now().to_rfc3339(), "2030-01-01T09:00:00+00:00");
//! # Ok(())
//! # }
//! ```

mod reqwest_transport;

plaspy_core::client_api!(nonblocking, crate::reqwest_transport::ReqwestTransport);
pub use plaspy_types::{chrono, time};

/// A [`Feed`] as a `Send` `futures::Stream`, from `Feed::into_stream`.
pub type FeedStream = plaspy_core::nonblocking::FeedStream<reqwest_transport::ReqwestTransport>;
