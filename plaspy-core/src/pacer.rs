//! The pacing state shared by every clone of a client: the requests-per-minute schedule and
//! the pauses 429 answers impose, over the pure [`Pacing`] policy.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use plaspy_types::policy::pacing::Pacing;

/// The client-wide pacer. Callers reserve a slot under a short lock, then sleep outside it
/// with the flavour's own sleep: no busy loop, no lock held while waiting.
#[derive(Debug)]
pub(crate) struct Pacer {
    origin: Instant,
    state: Mutex<Pacing>,
}

impl Pacer {
    pub(crate) fn new(requests_per_minute: Option<u32>) -> Self {
        Pacer {
            origin: Instant::now(),
            state: Mutex::new(Pacing::new(requests_per_minute)),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Pacing> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long to wait before sending, or `Err(time left)` when a server pause would
    /// exceed `max_pause`.
    pub(crate) fn reserve(&self, max_pause: Duration) -> Result<Duration, Duration> {
        let now = self.origin.elapsed();
        self.state().reserve(now, max_pause)
    }

    /// Records a 429: nobody sends for `pause`.
    pub(crate) fn throttled(&self, pause: Duration) {
        let now = self.origin.elapsed();
        self.state().throttled(now, pause);
    }

    /// The client's monotonic "now": the time elapsed since it was built.
    pub(crate) fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    /// How many 429 answers this client has met.
    pub(crate) fn throttles(&self) -> u64 {
        self.state().throttles()
    }

    /// The spacing between requests, when a rate is set.
    pub(crate) fn interval(&self) -> Option<Duration> {
        self.state().interval()
    }
}
