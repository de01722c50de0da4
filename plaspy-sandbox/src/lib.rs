//! A stateful local server of the [Plaspy](https://plaspy.com) GPS fleet-tracking REST API,
//! for demos, development and tests.
//!
//! It answers the 21 endpoints of the API with the same paths, envelopes and status codes,
//! using the models of [`plaspy_types`]:
//!
//! - a demo account ([`DEMO_USERNAME`] / [`DEMO_API_KEY`]) with JWT-shaped bearer tokens;
//! - a simulated fleet, deterministic for a seed: 27 devices in Bogotá and Medellín (or
//!   any number up to 100,000, see [`SandboxConfig::devices`]) that drive road-like routes,
//!   park and drive again as time passes (2 have no position yet), with tracks, sensor
//!   readings and alerts for any date range. A device's last location is its last report:
//!   every 30 s while moving, every 3 to 10 minutes while parked, none while it is out of
//!   coverage (some devices are silent for hours or days);
//! - groups and users with full CRUD and JSON Patch; commands recorded per device;
//! - usage counters, an optional rate limit, and fault injection (latency, 500/503,
//!   truncated bodies, HTML 502 pages, expired tokens) to exercise clients;
//! - limits that keep it up against careless or hostile clients: a range limit and a reply
//!   cap on history queries, a read timeout and a connection limit, caps on stored objects,
//!   their sizes and JSON Patch operations.
//!
//! Control routes outside `/api` steer it at runtime: see [`SandboxControl`] for the same
//! switches from code.
//!
//! ```
//! use plaspy_sandbox::{DEMO_API_KEY, DEMO_USERNAME, SandboxConfig};
//!
//! // From synchronous code: a background thread runs the server on an ephemeral port.
//! let sandbox = plaspy_sandbox::start(SandboxConfig::default()).unwrap();
//! println!("{} ({DEMO_USERNAME} / {DEMO_API_KEY})", sandbox.base_url());
//! drop(sandbox); // stops it
//! ```

mod auth;
mod commands;
mod config;
mod control;
mod demo;
mod faults;
mod fleet;
mod listen;
mod prng;
mod quirks;
mod reference;
mod reply;
mod request;
mod routes;
mod server;
mod state;
mod target;

pub use commands::CommandRecord;
pub use config::{Account, DEMO_API_KEY, DEMO_USERNAME, SandboxConfig};
pub use control::SandboxControl;
pub use faults::{FAULT_HEADER, FaultConfig};
pub use server::{SandboxHandle, serve, start};
pub use target::DemoTarget;
