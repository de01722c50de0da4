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

// The client surface, written once in `src/surface/` and compiled in this flavour: a plain
// out-of-line module, so that rustfmt and every other tool reach its files.
#[path = "surface/mod.rs"]
#[allow(clippy::duplicate_mod)] // compiled once per flavour, on purpose
mod surface;

pub use surface::*;

impl<T: Transport + crate::CustomHttpClient> ClientBuilder<T> {
    /// Runs the client on your own [`ureq::Agent`](https://docs.rs/ureq/3/ureq/struct.Agent.html)
    /// — for a proxy, custom root certificates or client certificates.
    ///
    /// Per request, the client still sets what its behaviour depends on: no redirects,
    /// HTTP error statuses returned as responses, the attempt's timeout and the connect
    /// timeout, the `User-Agent`, and the response size limit. Everything else (proxy,
    /// TLS, pool, resolver) is the agent's.
    ///
    /// What a custom agent gives up: the default agent's caching resolver (a pooled
    /// request then pays ureq's per-request host lookup) and its steady socket timeouts,
    /// and each request carries its own copy of the settings. The difference is a few
    /// microseconds per request; it matters only in tight loops on loopback.
    ///
    /// In `plaspy-blocking` / `plaspy-async` (this crate does not depend on the HTTP
    /// clients, so the example is compiled by `tests/tests/user_program*.rs` instead):
    ///
    /// ```ignore
    /// # fn main() -> Result<(), plaspy_blocking::Error> {
    /// let agent: ureq::Agent = ureq::Agent::config_builder()
    ///     .proxy(ureq::Proxy::new("http://proxy.example:3128").ok())
    ///     .build()
    ///     .into();
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .http_client(agent)
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn http_client(self, agent: T::HttpClient) -> Self {
        self.with_http_client(agent)
    }
}

/// A blocking feed is an endless iterator: `next()` waits (polling every interval) for the
/// next new item. `Err` items report failed polls; the iteration goes on after them.
impl<T: Transport> Iterator for Feed<T> {
    type Item = Result<plaspy_types::feed::FeedEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.next_event())
    }
}

impl<T: Transport> Client<T> {
    /// Runs `task(client, item)` for every item on scoped threads, at most
    /// [`options.concurrency()`](crate::FleetOptions::concurrency) at once, and
    /// returns the outputs in the order of `items`: the adaptive fan-out of the fleet
    /// calls, for any per-device work.
    ///
    /// It keeps the server's quota in mind: while the server answers `429`, fewer tasks run
    /// at once (halved on each wave of `429`s, grown back by one per round of calls
    /// without), and the calls the task makes through `client` wait out the client-wide
    /// pause for up to [`FleetOptions::throttle_budget`](crate::FleetOptions::throttle_budget)
    /// (10 minutes by default), so a fleet larger than the per-minute quota completes.
    /// Those waits do not count against a call's [`deadline`](ClientBuilder::deadline).
    /// The progress callback, if any, is called after each item.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    /// use plaspy_blocking::FleetOptions;
    ///
    /// let to = Utc::now();
    /// let ids = ["dev-01", "dev-02", "dev-03"];
    /// let counts = client.fan_out(ids, &FleetOptions::new().with_concurrency(2), |client, id| {
    ///     client.devices().locations(id, to - Duration::hours(6), to).map(|fixes| fixes.len())
    /// });
    /// for (id, count) in ids.iter().zip(counts) {
    ///     println!("{id}: {} fixes in the last 6 hours", count?);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fan_out<I, O, F>(
        &self,
        items: impl IntoIterator<Item = I>,
        options: &crate::FleetOptions,
        task: F,
    ) -> Vec<O>
    where
        I: Send,
        O: Send,
        F: Fn(&Client<T>, I) -> O + Sync,
    {
        use std::sync::{Mutex, PoisonError};

        let client = self.for_fan_out(options);
        let items: Vec<Mutex<Option<I>>> = items
            .into_iter()
            .map(|item| Mutex::new(Some(item)))
            .collect();
        fan_out(items.len(), options, &self.inner.pacer, |i| {
            let item = items[i]
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
                .expect("every index runs once");
            task(&client, item)
        })
    }
}

/// Runs `task(i)` for every `i` in `0..total` on scoped threads, at most
/// `options.concurrency()` at once (fewer while the server throttles), and returns the
/// results in `i` order.
fn fan_out<O: Send>(
    total: usize,
    options: &crate::FleetOptions,
    pacer: &crate::pacer::Pacer,
    task: impl Fn(usize) -> O + Sync,
) -> Vec<O> {
    use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

    struct Shared<'a> {
        state: crate::fleet::FanOutState<'a>,
        next: usize,
        in_flight: usize,
    }
    struct Gate<'a> {
        shared: Mutex<Shared<'a>>,
        wake: Condvar,
        pacer: &'a crate::pacer::Pacer,
    }
    impl<'a> Gate<'a> {
        fn lock(&self) -> MutexGuard<'_, Shared<'a>> {
            self.shared.lock().unwrap_or_else(PoisonError::into_inner)
        }
        /// The next index to run, once the current limit allows one more call.
        fn enter(&self, total: usize) -> Option<usize> {
            let mut shared = self.lock();
            loop {
                if shared.next >= total {
                    return None;
                }
                if shared.in_flight < shared.state.limit() {
                    shared.in_flight += 1;
                    shared.next += 1;
                    return Some(shared.next - 1);
                }
                shared = self
                    .wake
                    .wait(shared)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
    }
    /// Leaves the gate even if the task panics, so no worker waits forever.
    struct Leave<'g, 'a>(&'g Gate<'a>);
    impl Drop for Leave<'_, '_> {
        fn drop(&mut self) {
            let mut shared = self.0.lock();
            shared.in_flight -= 1;
            shared.state.finished(self.0.pacer.throttles());
            drop(shared);
            self.0.wake.notify_all();
        }
    }

    if total == 0 {
        return Vec::new();
    }
    let gate = Gate {
        shared: Mutex::new(Shared {
            state: crate::fleet::FanOutState::new(total, options, pacer.throttles()),
            next: 0,
            in_flight: 0,
        }),
        wake: Condvar::new(),
        pacer,
    };
    let workers = options.concurrency().clamp(1, total);
    let mut slots: Vec<Option<O>> = std::iter::repeat_with(|| None).take(total).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (gate, task) = (&gate, &task);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    while let Some(i) = gate.enter(total) {
                        let _leave = Leave(gate);
                        done.push((i, task(i)));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(done) => done.into_iter().for_each(|(i, out)| slots[i] = Some(out)),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    slots
        .into_iter()
        .map(|slot| slot.expect("every index ran once"))
        .collect()
}

impl<T: Transport, Q: plaspy_types::history::HistoryQuery> Iterator for Pager<T, Q> {
    type Item = Result<Vec<Q::Item>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_page()
    }
}

/// The windows as pages, one by one: `for page in history { .. }` is
/// `for page in history.pages() { .. }`.
///
/// ```
/// # let sandbox = plaspy_sandbox::start(Default::default())?;
/// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
/// use chrono::{Duration, Utc};
///
/// let to = Utc::now();
/// for page in client.devices().location_history("dev-01", to - Duration::days(2), to) {
///     println!("{} fixes", page?.len());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<T: Transport, Q: plaspy_types::history::HistoryQuery> IntoIterator for History<T, Q> {
    type Item = Result<Vec<Q::Item>>;
    type IntoIter = Pager<T, Q>;

    fn into_iter(self) -> Pager<T, Q> {
        self.pages()
    }
}
