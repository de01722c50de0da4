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
//! It reads requests as the real ASP.NET Core server reads them, with its own request types
//! rather than the SDK's, so that it catches a client sending what the server would refuse:
//!
//! - JSON property names in any case (`userName`, `UserName`, `username`), unknown
//!   properties ignored, a repeated property taking its last value;
//! - routes matched in any case and with a trailing slash (`/api/auth/token`,
//!   `/api/Devices/`); path parameters (ids) keep their case;
//! - date-times as System.Text.Json reads them: a date alone (its midnight), hours and
//!   minutes, seconds with 0 to 7 fractional digits, then `Z`, `±hh`, `±hh:mm` or nothing.
//!   **Assumption: a date-time without an offset is UTC** (the real server's handling of it
//!   is not documented); one with an offset is converted to UTC;
//! - what .NET refuses is answered 400 with a message naming the property: a space instead
//!   of `T`, an offset without its colon, a number where a date-time is expected, an array
//!   where an object is expected. More than 7 fractional digits are refused too, on purpose
//!   stricter than System.Text.Json (which reads up to 16 and drops those past the 7th, as a
//!   `DateTime` counts 100 ns ticks).
//!
//! With [`SandboxConfig::quirks`] (`--quirks`) it answers in every shape the robustness
//! notes of the API contract list, deterministically from the seed and spread over the data:
//! date-times without an offset, with 7 fractional digits or with `-05:00`; ids whose text
//! is an integer as JSON numbers; `null` for every absent optional field; integers written
//! `12.0`; unknown extra fields; empty lists as `null`. The data are those of the tidy mode,
//! only spelt differently, and an object always looks the same wherever it appears. One pass
//! over each reply's JSON does it, after the handlers.
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
