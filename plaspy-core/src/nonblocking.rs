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

crate::surface_modules!();

/// Runs `task(i)` for every `i` in `0..total` as concurrent futures of the calling task, at
/// most `options.max_concurrency()` at once (fewer while the server throttles), and returns
/// the results in `i` order. The future is `Send` when the task's futures are.
async fn fan_out<O, F, Fut>(
    total: usize,
    options: &crate::FleetOptions,
    pacer: &crate::pacer::Pacer,
    task: F,
) -> Vec<O>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = O>,
{
    use futures_util::StreamExt;
    use futures_util::stream::FuturesUnordered;

    let mut state = crate::fleet::FanOutState::new(total, options, pacer.throttles());
    let mut slots: Vec<Option<O>> = std::iter::repeat_with(|| None).take(total).collect();
    let mut running = FuturesUnordered::new();
    let mut next = 0;
    loop {
        while next < total && running.len() < state.limit() {
            let (i, call) = (next, task(next));
            running.push(async move { (i, call.await) });
            next += 1;
        }
        let Some((i, out)) = running.next().await else {
            break;
        };
        slots[i] = Some(out);
        state.finished(pacer.throttles());
    }
    slots
        .into_iter()
        .map(|slot| slot.expect("every index ran once"))
        .collect()
}

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
