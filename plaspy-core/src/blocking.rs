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

/// Runs `f` on every item at once, one scoped thread each, and returns the results in
/// order (the blocking half of the history fan-out; callers bound the batch).
fn fan_out<I: Send, O: Send, F: Fn(I) -> O + Sync>(items: Vec<I>, f: F) -> Vec<O> {
    if items.len() <= 1 {
        return items.into_iter().map(f).collect();
    }
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items
            .into_iter()
            .map(|item| scope.spawn(move || f(item)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

crate::surface_modules!();

impl<T: Transport, Q: plaspy_types::history::HistoryQuery> Iterator for Pager<T, Q> {
    type Item = Result<Vec<Q::Item>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_page()
    }
}
