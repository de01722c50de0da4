//! The async flavour of the client surface.
//!
//! The items here come from `src/surface/`, compiled with `must_be_async`; only the
//! [`Transport`] trait and the refresh lock are specific to this flavour.

use std::future::Future;
use std::time::Duration;

use maybe_async::must_be_async as maybe;
use plaspy_types::{HttpResponse, Result};

use plaspy_types::feed::{FeedCursor, FeedEvent};

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

// The client surface, written once in `src/surface/` and compiled in this flavour: a plain
// out-of-line module, so that rustfmt and every other tool reach its files.
#[path = "surface/mod.rs"]
#[allow(clippy::duplicate_mod)] // compiled once per flavour, on purpose
mod surface;

pub use surface::*;

impl<T: Transport + crate::CustomHttpClient> ClientBuilder<T> {
    /// Runs the client on your own
    /// [`reqwest::Client`](https://docs.rs/reqwest/0.13/reqwest/struct.Client.html) — for a
    /// proxy, custom root certificates or client certificates.
    ///
    /// Per request, the client still sets the attempt's timeout and the `User-Agent`, and
    /// it still bounds the response size. What
    /// `reqwest` only allows on its builder is yours: the proxy, TLS, pool, connect
    /// timeout and **redirect policy** — build it with
    /// `.redirect(reqwest::redirect::Policy::none())`, as the default client does, so a
    /// redirect reaches you as an error instead of being followed.
    ///
    /// `plaspy-async` builds reqwest with rustls but without a process-wide crypto
    /// provider: install one first (`rustls::crypto::ring::default_provider()
    /// .install_default()`) or give the builder a TLS config
    /// (`tls_backend_preconfigured`), or `build()` of your `reqwest::Client` panics.
    ///
    /// In `plaspy-blocking` / `plaspy-async` (this crate does not depend on the HTTP
    /// clients, so the example is compiled by `tests/tests/user_program*.rs` instead):
    ///
    /// ```ignore
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let http = reqwest::Client::builder()
    ///     .proxy(reqwest::Proxy::all("http://proxy.example:3128")?)
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()?;
    /// let client = plaspy_async::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .http_client(http)
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn http_client(self, client: T::HttpClient) -> Self {
        self.with_http_client(client)
    }
}

type Pending<T> = std::pin::Pin<Box<dyn Future<Output = (Feed<T>, Result<FeedEvent>)> + Send>>;

/// A [`Feed`] as an endless, `Send` [`futures_core::Stream`] of new items, from
/// [`Feed::into_stream`]. `Err` items report failed polls; the stream goes on after them.
pub struct FeedStream<T> {
    cursor: std::sync::Arc<std::sync::Mutex<FeedCursor>>,
    feed: Option<Feed<T>>,
    busy: Option<Pending<T>>,
}

impl<T> std::fmt::Debug for FeedStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedStream")
            .field("polling", &self.busy.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Feed<T> {
    /// This feed as a `Send` [`futures_core::Stream`] (use it with `StreamExt::next`).
    ///
    /// ```no_run
    /// // With plaspy_async::Client:
    /// # async fn run(client: plaspy_core::nonblocking::Client<impl plaspy_core::nonblocking::Transport>) -> plaspy_types::Result<()> {
    /// use futures_util::StreamExt;
    ///
    /// let mut events = client.feed().devices(["dev-01"]).build().into_stream();
    /// while let Some(event) = events.next().await {
    ///     let event = event?;
    ///     println!("{} {}", event.device_id(), event.time());
    /// }
    /// # Ok(())
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_stream(self) -> FeedStream<T> {
        FeedStream {
            cursor: self.cursor.clone(),
            feed: Some(self),
            busy: None,
        }
    }
}

impl<T> FeedStream<T> {
    /// Where the stream has got: covers exactly the items it yielded. Readable at any time,
    /// even while a poll is under way.
    ///
    /// ```no_run
    /// # async fn run(client: plaspy_core::nonblocking::Client<impl plaspy_core::nonblocking::Transport>) -> plaspy_types::Result<()> {
    /// use futures_util::StreamExt;
    ///
    /// let mut events = client.feed().devices(["dev-01"]).build().into_stream();
    /// if let Some(event) = events.next().await {
    ///     println!("{:?}", event?);
    /// }
    /// let saved = events.cursor(); // covers exactly what was yielded
    /// # drop(saved);
    /// # Ok(())
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cursor(&self) -> FeedCursor {
        self.cursor
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl<T: Transport> futures_core::Stream for FeedStream<T> {
    type Item = Result<FeedEvent>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(busy) = &mut this.busy {
            let (feed, item) = std::task::ready!(busy.as_mut().poll(cx));
            this.busy = None;
            this.feed = Some(feed);
            return std::task::Poll::Ready(Some(item));
        }
        // The feed is always here when no poll is under way.
        let Some(mut feed) = this.feed.take() else {
            return std::task::Poll::Ready(None);
        };
        if let Some(item) = feed.pop_ready() {
            this.feed = Some(feed);
            return std::task::Poll::Ready(Some(item));
        }
        let mut busy: Pending<T> = Box::pin(async move {
            let item = feed.next_event().await;
            (feed, item)
        });
        match busy.as_mut().poll(cx) {
            std::task::Poll::Ready((feed, item)) => {
                this.feed = Some(feed);
                std::task::Poll::Ready(Some(item))
            }
            std::task::Poll::Pending => {
                this.busy = Some(busy);
                std::task::Poll::Pending
            }
        }
    }
}

impl<T: Transport> Client<T> {
    /// Runs `task(client, item)` for every item as concurrent futures of the calling task,
    /// at most [`options.concurrency()`](crate::FleetOptions::concurrency) at
    /// once, and returns the outputs in the order of `items`: the adaptive fan-out of the
    /// fleet calls, for any per-device work. The future is `Send` when the task's futures
    /// are.
    ///
    /// The same adaptive fan-out as the blocking flavour's: fewer futures in flight while
    /// the server throttles, the task's calls patient with `429` pauses for
    /// [`FleetOptions::throttle_budget`](crate::FleetOptions::throttle_budget), and quota
    /// waits kept out of every call's [`deadline`](ClientBuilder::deadline). The task gets
    /// its own clone of the client (cheap: clones share everything), so its future may
    /// own it with `async move`. The progress callback, if any, is called after each item.
    ///
    /// With `plaspy_async::Client` (the crate's documentation runs this against the
    /// sandbox):
    ///
    /// ```no_run
    /// # async fn run(client: plaspy_core::nonblocking::Client<impl plaspy_core::nonblocking::Transport>) -> Result<(), Box<dyn std::error::Error>> {
    /// use chrono::{Duration, Utc};
    /// use plaspy_core::FleetOptions;
    ///
    /// let to = Utc::now();
    /// let ids = ["dev-01", "dev-02", "dev-03"];
    /// let counts = client
    ///     .fan_out(ids, &FleetOptions::new().with_concurrency(2), |client, id| async move {
    ///         let fixes = client.devices().locations(id, to - Duration::hours(6), to).await?;
    ///         Ok::<_, plaspy_types::Error>(fixes.len())
    ///     })
    ///     .await;
    /// for (id, count) in ids.iter().zip(counts) {
    ///     println!("{id}: {} fixes in the last 6 hours", count?);
    /// }
    /// # Ok(())
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn fan_out<I, O, F, Fut>(
        &self,
        items: impl IntoIterator<Item = I>,
        options: &crate::FleetOptions,
        task: F,
    ) -> Vec<O>
    where
        F: Fn(Client<T>, I) -> Fut,
        Fut: Future<Output = O>,
    {
        let client = self.for_fan_out(options);
        let mut items: Vec<Option<I>> = items.into_iter().map(Some).collect();
        fan_out(items.len(), options, &self.inner.pacer, |i| {
            let item = items[i].take().expect("every index runs once");
            task(client.clone(), item)
        })
        .await
    }
}

/// Runs `task(i)` for every `i` in `0..total` as concurrent futures of the calling task, at
/// most `options.concurrency()` at once (fewer while the server throttles), and returns
/// the results in `i` order. The future is `Send` when the task's futures are.
async fn fan_out<O, F, Fut>(
    total: usize,
    options: &crate::FleetOptions,
    pacer: &crate::pacer::Pacer,
    mut task: F,
) -> Vec<O>
where
    F: FnMut(usize) -> Fut,
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
    ///
    /// ```no_run
    /// # async fn run(client: plaspy_core::nonblocking::Client<impl plaspy_core::nonblocking::Transport>) -> plaspy_types::Result<()> {
    /// use futures_util::StreamExt;
    ///
    /// let to = chrono::Utc::now();
    /// let history = client.devices().location_history("dev-01", to - chrono::Duration::days(60), to);
    /// let mut pages = std::pin::pin!(history.pages().into_stream());
    /// while let Some(page) = pages.next().await {
    ///     println!("{} fixes", page?.len());
    /// }
    /// # Ok(())
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_stream(self) -> impl futures_core::Stream<Item = Result<Vec<Q::Item>>> + Send {
        futures_util::stream::unfold(self, |mut pager| async move {
            let page = pager.next_page().await?;
            Some((page, pager))
        })
    }
}

impl<T: Transport, Q: plaspy_types::history::HistoryQuery> History<T, Q> {
    /// The windows as a `Stream` of pages (`Send`): `self.pages().into_stream()`.
    ///
    /// ```no_run
    /// # async fn run(client: plaspy_core::nonblocking::Client<impl plaspy_core::nonblocking::Transport>) -> plaspy_types::Result<()> {
    /// use futures_util::StreamExt;
    ///
    /// let to = chrono::Utc::now();
    /// let pages = client.devices().location_history("dev-01", to - chrono::Duration::days(60), to).into_stream();
    /// let mut pages = std::pin::pin!(pages);
    /// while let Some(page) = pages.next().await {
    ///     println!("{} fixes", page?.len());
    /// }
    /// # Ok(())
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_stream(self) -> impl futures_core::Stream<Item = Result<Vec<Q::Item>>> + Send {
        self.pages().into_stream()
    }
}
