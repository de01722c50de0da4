//! The client surface, written once as async code and compiled in each flavour module
//! ([`blocking`](crate::blocking) with `must_be_sync`, [`nonblocking`](crate::nonblocking)
//! with `must_be_async`). The flavour provides `maybe`, `Transport`, `RefreshLock` and
//! `fan_out`; everything else is here.

use super::{RefreshLock, Transport, fan_out, maybe};

mod builder;
mod client;
mod collection;
mod devices;
mod execute;
mod feed;
mod fleet;
mod history;

pub use builder::ClientBuilder;
pub use client::Client;
pub use collection::{Groups, Resource, Users};
pub use devices::Devices;
pub use feed::{Feed, FeedBuilder, PollReport};
pub use fleet::Fleet;
pub use history::{DEFAULT_WINDOW_CONCURRENCY, History, Pager, Report};
