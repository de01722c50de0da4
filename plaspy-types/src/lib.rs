//! The I/O-free core of the [Plaspy](https://plaspy.com) GPS fleet-tracking REST API.
//!
//! This crate holds everything about the API that does not touch a socket:
//!
//! - [`models`]: every request and response of the contract, tolerant of what real servers
//!   send (date-time variants, numeric ids, `null`s, `12.0` integers) and keeping unknown
//!   fields so they round-trip;
//! - [`envelope`]: the `success` / `error` / `apiUsage` envelope, decoded once for all;
//! - [`endpoints`]: one [`Endpoint`] definition per API endpoint (method, path, body,
//!   retry safety, decoding), so a transport can execute any of them blindly;
//! - [`Error`]: the one error type of both clients;
//! - [`policy`]: token freshness, retry/backoff and the clock, pure and unit-tested.
//!
//! Use it through `plaspy-blocking` or `plaspy-async`, which re-export it.
//!
//! ```
//! use plaspy_types::{Endpoint, HttpResponse, endpoints::LastLocation};
//!
//! let endpoint = LastLocation { id: "truck 7" };
//! let request = endpoint.request().unwrap();
//! assert_eq!(request.path, "/api/devices/truck%207/lastLocation");
//!
//! // A device that has not reported yet: "nothing there", not an error.
//! let reply = endpoint.decode(&HttpResponse::new(200, r#"{"success":true}"#)).unwrap();
//! assert!(reply.value.is_none());
//! ```

#[doc(hidden)] // serde helpers for our crates (sandbox, CLI); not API
pub mod de;
pub mod endpoints;
pub mod envelope;
pub mod error;
pub mod feed;
pub mod history;
pub mod http;
pub mod models;
pub mod policy;
mod secret;
pub mod time;

/// The date-time crate of the SDK's signatures, so users need not pin a matching version.
pub use chrono;
pub use endpoints::Endpoint;
pub use envelope::{ApiUsage, DecodeLimits, Reply};
pub use error::{Error, Result};
pub use http::{HttpRequest, HttpResponse, Method};
pub use models::*;
pub use secret::{Credentials, REDACTED, Redactor, Secret};

/// The default base URL of the Plaspy API.
pub const DEFAULT_BASE_URL: &str = "https://api.plaspy.com";
