//! Options and results of the whole-fleet calls (`client.devices().last_locations(..)`,
//! `client.fleet().snapshot()`), shared by both flavours.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use plaspy_types::policy::concurrency::AdaptiveConcurrency;

/// Calls a fleet fetch keeps in flight by default: 32, so that 1,000 devices at 20 ms per
/// request take about 0.7 s when the server does not throttle.
pub const DEFAULT_CONCURRENCY: usize = 32;

/// How long one call of a fleet fetch may wait in all for the pauses `429` answers ask for
/// (default 10 minutes): long enough for a fleet larger than the per-minute quota.
pub const DEFAULT_FLEET_THROTTLE_BUDGET: Duration = Duration::from_secs(600);

/// A progress callback: `(done, total)`.
pub type ProgressFn = dyn Fn(usize, usize) + Send + Sync;

/// How a fleet fetch runs: concurrency, patience with `429`, progress reports.
///
/// ```
/// use plaspy_core::FleetOptions;
/// let options = FleetOptions::new()
///     .with_concurrency(8)
///     .on_progress(|done, total| eprint!("\r{done}/{total}"));
/// assert_eq!(options.concurrency(), 8);
/// ```
#[derive(Clone)]
pub struct FleetOptions {
    concurrency: usize,
    throttle_budget: Duration,
    progress: Option<Arc<ProgressFn>>,
}

impl Default for FleetOptions {
    fn default() -> Self {
        FleetOptions {
            concurrency: DEFAULT_CONCURRENCY,
            throttle_budget: DEFAULT_FLEET_THROTTLE_BUDGET,
            progress: None,
        }
    }
}

impl fmt::Debug for FleetOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FleetOptions")
            .field("concurrency", &self.concurrency)
            .field("throttle_budget", &self.throttle_budget)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl FleetOptions {
    /// The defaults: [`DEFAULT_CONCURRENCY`], [`DEFAULT_FLEET_THROTTLE_BUDGET`], no progress.
    ///
    /// ```
    /// let options = plaspy_core::FleetOptions::new();
    /// assert_eq!(options.concurrency(), plaspy_core::DEFAULT_CONCURRENCY);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The most calls in flight at once (at least 1). The fetch starts there, halves on
    /// each wave of `429` answers and grows back by one per round of calls that succeed.
    ///
    /// ```
    /// assert_eq!(plaspy_core::FleetOptions::new().with_concurrency(4).concurrency(), 4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// How long one call may wait in all for the pauses `429` answers ask for, before it
    /// fails with [`Error::RateLimited`](plaspy_types::Error::RateLimited).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let options = plaspy_core::FleetOptions::new().with_throttle_budget(Duration::from_secs(60));
    /// assert_eq!(options.throttle_budget(), Duration::from_secs(60));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_throttle_budget(mut self, budget: Duration) -> Self {
        self.throttle_budget = budget;
        self
    }

    /// Called with `(done, total)` after each device's call finishes, from the thread or
    /// task running the fetch: keep it quick.
    ///
    /// ```
    /// let options = plaspy_core::FleetOptions::new().on_progress(|done, total| eprint!("\r{done}/{total}"));
    /// # drop(options);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_progress(mut self, progress: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// The most calls in flight at once.
    ///
    /// ```
    /// assert_eq!(plaspy_core::FleetOptions::new().with_concurrency(8).concurrency(), 8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// How long one call may wait in all for `429` pauses.
    ///
    /// ```
    /// assert_eq!(plaspy_core::FleetOptions::new().throttle_budget(), plaspy_core::DEFAULT_FLEET_THROTTLE_BUDGET);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn throttle_budget(&self) -> Duration {
        self.throttle_budget
    }
}

pub use plaspy_fleet::FleetEntry;

/// The bookkeeping of one fan-out, the same in both flavours: adapts the concurrency to
/// the `429` answers the client met and reports progress.
pub(crate) struct FanOutState<'a> {
    adaptive: AdaptiveConcurrency,
    throttles_seen: u64,
    done: usize,
    total: usize,
    progress: Option<&'a ProgressFn>,
}

impl<'a> FanOutState<'a> {
    pub(crate) fn new(total: usize, options: &'a FleetOptions, throttles: u64) -> Self {
        FanOutState {
            adaptive: AdaptiveConcurrency::new(options.concurrency),
            throttles_seen: throttles,
            done: 0,
            total,
            progress: options.progress.as_deref(),
        }
    }

    /// How many calls may be in flight now.
    pub(crate) fn limit(&self) -> usize {
        self.adaptive.limit()
    }

    /// One call finished; `throttles` is the client's count of 429 answers now.
    pub(crate) fn finished(&mut self, throttles: u64) {
        if throttles != self.throttles_seen {
            self.throttles_seen = throttles;
            self.adaptive.on_throttled();
            tracing::debug!(
                limit = self.adaptive.limit(),
                "throttled: fewer calls in flight"
            );
        } else {
            self.adaptive.on_success();
        }
        self.done += 1;
        if let Some(progress) = self.progress {
            progress(self.done, self.total);
        }
    }
}
