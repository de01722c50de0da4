//! The Plaspy client surface, written once and compiled twice.
//!
//! `plaspy-blocking` and `plaspy-async` offer the same API. Instead of writing it twice,
//! the files in `src/surface/` are written as `async` code and compiled into two modules
//! with [maybe-async](https://docs.rs/maybe-async)'s `must_be_sync` / `must_be_async`
//! attributes (which, unlike its `is_sync` feature, let both flavours live in one build):
//!
//! - [`blocking`]: the surface with plain functions, over a [`blocking::Transport`];
//! - [`nonblocking`]: the same surface with `async fn`s, over a [`nonblocking::Transport`].
//!
//! A transport only sends bytes and reads bytes. Everything else — endpoints, auth
//! lifecycle, retries, usage counters, tracing — lives here or in `plaspy-types`.
//! Applications depend on `plaspy-blocking` or `plaspy-async`, not on this crate.

/// Declares a client crate's public type names over its transport:
/// `client_types!(blocking, UreqTransport)` gives `Client`, `ClientBuilder`, `Devices`,
/// `Groups` and `Users`.
#[macro_export]
macro_rules! client_types {
    ($flavour:ident, $transport:ty) => {
        /// The Plaspy client. See the [crate documentation](crate) for an example.
        pub type Client = $crate::$flavour::Client<$transport>;
        /// Builder for [`Client`].
        pub type ClientBuilder = $crate::$flavour::ClientBuilder<$transport>;
        /// `client.devices()`: list, details, positions, alerts and commands.
        pub type Devices<'c> = $crate::$flavour::Devices<'c, $transport>;
        /// `client.groups()`: list, get, create, update, patch and delete groups.
        pub type Groups<'c> = $crate::$flavour::Groups<'c, $transport>;
        /// `client.users()`: the same six for users, plus countries and time zones.
        pub type Users<'c> = $crate::$flavour::Users<'c, $transport>;
        /// `client.feed()`: a lossless, resumable feed of new positions.
        pub type Feed = $crate::$flavour::Feed<$transport>;
        /// Builder for [`Feed`].
        pub type FeedBuilder = $crate::$flavour::FeedBuilder<$transport>;
        /// `client.fleet()`: every device with its last position, fetched concurrently.
        pub type Fleet<'c> = $crate::$flavour::Fleet<'c, $transport>;
        /// A date-range query over any range, cut into windows (`devices().location_history(..)`).
        pub type History<Q> = $crate::$flavour::History<$transport, Q>;
        /// Trip, stop and daily-summary reports over any range (`devices().report(..)`).
        pub type Report = $crate::$flavour::Report<$transport>;
    };
}

mod http_client;
/// Declares a client crate's public API, curated: the client types of
/// [`client_types!`], the models, the error, and small modules for what a user names less
/// often (`endpoints`, `feed`, `history`, `policy`, `transport`). One path per item.
///
/// `client_api!(blocking, crate::http::UreqTransport)`: the flavour and the crate's
/// transport (a path to it, for the `transport` module).
#[macro_export]
macro_rules! client_api {
    ($flavour:ident, $($transport:ident)::+) => {
        $crate::client_types!($flavour, $($transport)::+);

        pub use $crate::__types::{Error, Result};
        pub use $crate::__types::{
            AlertEvent, AlertsQuery, Command, CommandFormat, Countries, Device, Extra, Group,
            GroupInput, Location, LocationsQuery, PatchOperation, TextMap, TimeZones, User,
            UserInput,
        };
        pub use $crate::__types::{ApiUsage, Credentials, DEFAULT_BASE_URL, Secret};
        pub use $crate::{AccessToken, Config, DEFAULT_CONCURRENCY, FleetEntry, FleetOptions};

        /// Endpoint definitions: the built-in ones, and what a custom [`Endpoint`] needs.
        /// Run any endpoint with `Client::execute`.
        ///
        /// [`Endpoint`]: endpoints::Endpoint
        pub mod endpoints {
            pub use $crate::__types::endpoints::*;
            pub use $crate::__types::{
                DecodeLimits, HttpRequest, HttpResponse, Method, Reply, TokenRequest,
                TokenResponse,
            };
        }

        /// The position and alert feed (`client.feed()`): events and resumable cursors.
        pub mod feed {
            pub use $crate::$flavour::PollReport;
            pub use $crate::__types::feed::{DeviceCursor, FeedCursor, FeedEvent, Mark, Start};
        }

        /// Date-range queries over any range (`devices().location_history(..)`).
        pub mod history {
            pub use $crate::$flavour::DEFAULT_WINDOW_CONCURRENCY;
            pub use $crate::__types::history::{HistoryLimits, HistoryQuery};
            /// The windows of a [`History`](crate::History) one page at a time
            /// (`history.pages()`).
            pub type Pager<Q> = $crate::$flavour::Pager<$($transport)::+, Q>;
        }

        /// Retry, token and clock policies (`ClientBuilder::retry_policy`, `token_policy`,
        /// `clock`).
        pub mod policy {
            pub use $crate::__types::policy::clock::{Clock, ManualClock, SystemClock};
            pub use $crate::__types::policy::retry::RetryPolicy;
            pub use $crate::__types::policy::token::TokenPolicy;
        }

        /// The HTTP layer: the default transport, bringing your own, and the client over
        /// any transport (a fake one in tests, for instance).
        pub mod transport {
            pub use $($transport)::+;
            pub use $crate::$flavour::Transport;
            pub use $crate::{
                CustomHttpClient, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
                Outgoing, ResponseHead, TransportConfig,
            };
            /// The client over any [`Transport`] `T`; [`crate::Client`] is this over the
            /// default transport.
            pub type Client<T> = $crate::$flavour::Client<T>;
            /// Builder for [`Client<T>`](Client).
            pub type ClientBuilder<T> = $crate::$flavour::ClientBuilder<T>;
        }
    };
}

#[doc(hidden)]
pub use plaspy_types as __types;

pub mod blocking;
mod config;
mod env;
mod fleet;
mod incoming;
pub mod nonblocking;
mod outgoing;
mod pacer;
mod server_time;
mod state;

pub use config::{
    Config, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, TransportConfig,
    validate_base_url,
};
pub use fleet::{
    DEFAULT_CONCURRENCY, DEFAULT_FLEET_THROTTLE_BUDGET, FleetEntry, FleetOptions, ProgressFn,
};
pub use http_client::CustomHttpClient;
pub use incoming::ResponseHead;
pub use outgoing::Outgoing;
pub use state::AccessToken;
