//! The blocking flavour of the client surface.
//!
//! The items here come from `src/surface/`, compiled with `must_be_sync`; only the
//! [`Transport`] trait and the refresh lock are specific to this flavour.

use std::time::Duration;

use maybe_async::must_be_sync as maybe;
use plaspy_types::{HttpResponse, Result};

use crate::{Outgoing, TransportConfig};

/// Sends requests and reads responses, blocking the calling thread.
pub trait Transport: Send + Sync + Sized + 'static {
    /// Builds the transport.
    fn new(config: &TransportConfig) -> Result<Self>;
    /// Sends one request and reads the whole response, whatever its status.
    fn send(&self, request: &Outgoing<'_>) -> Result<HttpResponse>;
    /// Waits before a retry.
    fn sleep(&self, duration: Duration);
}

/// Serializes token refreshes so concurrent callers share one.
#[derive(Debug, Default)]
struct RefreshLock(std::sync::Mutex<()>);

impl RefreshLock {
    fn acquire(&self) -> std::sync::MutexGuard<'_, ()> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

crate::surface_modules!();

/// A blocking feed is an endless iterator: `next()` waits (polling every interval) for the
/// next new item. `Err` items report failed polls; the iteration goes on after them.
impl<T: Transport> Iterator for Feed<T> {
    type Item = Result<plaspy_types::feed::FeedEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.next_event())
    }
}
