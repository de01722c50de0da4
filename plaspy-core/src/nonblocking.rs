//! The async flavour of the client surface.
//!
//! The items here come from `src/surface/`, compiled with `must_be_async`; only the
//! [`Transport`] trait and the refresh lock are specific to this flavour.

use std::future::Future;
use std::time::Duration;

use maybe_async::must_be_async as maybe;
use plaspy_types::{HttpResponse, Result};

use crate::{Outgoing, TransportConfig};

/// Sends requests and reads responses asynchronously.
pub trait Transport: Send + Sync + Sized + 'static {
    /// Builds the transport.
    fn new(config: &TransportConfig) -> Result<Self>;
    /// Sends one request and reads the whole response, whatever its status.
    fn send(&self, request: &Outgoing<'_>) -> impl Future<Output = Result<HttpResponse>> + Send;
    /// Waits before a retry.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

/// Serializes token refreshes so concurrent callers share one.
#[derive(Debug, Default)]
struct RefreshLock(tokio::sync::Mutex<()>);

impl RefreshLock {
    async fn acquire(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.0.lock().await
    }
}

/// Runs `f` on every item concurrently (in the calling task) and returns the results in
/// order (the async half of the history fan-out; callers bound the batch).
async fn fan_out<I, O, Fut: Future<Output = O>, F: Fn(I) -> Fut>(items: Vec<I>, f: F) -> Vec<O> {
    futures_util::future::join_all(items.into_iter().map(f)).await
}

crate::surface_modules!();

impl<T: Transport, Q: plaspy_types::history::HistoryQuery> Pager<T, Q> {
    /// The pages as a `Stream` (`Send`, so it can be spawned).
    pub fn into_stream(self) -> impl futures_core::Stream<Item = Result<Vec<Q::Item>>> + Send {
        futures_util::stream::unfold(self, |mut pager| async move {
            let page = pager.next_page().await?;
            Some((page, pager))
        })
    }
}

impl<T: Transport, Q: plaspy_types::history::HistoryQuery> History<T, Q> {
    /// The windows as a `Stream` of pages: `self.pages().into_stream()`.
    pub fn stream(self) -> impl futures_core::Stream<Item = Result<Vec<Q::Item>>> + Send {
        self.pages().into_stream()
    }
}
