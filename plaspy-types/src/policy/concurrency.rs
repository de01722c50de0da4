//! Adaptive concurrency for fan-out calls: halve on `429`, grow by one after a full round
//! of calls without one (additive increase, multiplicative decrease).

/// How many calls a fan-out keeps in flight, adjusted as it goes.
///
/// ```
/// use plaspy_types::policy::concurrency::AdaptiveConcurrency;
/// let mut c = AdaptiveConcurrency::new(32);
/// c.on_throttled();
/// assert_eq!(c.limit(), 16);
/// for _ in 0..16 { c.on_success(); }
/// assert_eq!(c.limit(), 17);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdaptiveConcurrency {
    limit: usize,
    max: usize,
    /// Successes since the limit last changed.
    successes: usize,
    /// Calls finished since the last decrease: the calls in flight when a 429 arrives
    /// likely meet the same 429, and count as one signal, not many.
    since_decrease: usize,
}

impl AdaptiveConcurrency {
    /// Starts at `max` (at least 1) and never goes above it.
    pub fn new(max: usize) -> Self {
        let max = max.max(1);
        AdaptiveConcurrency {
            limit: max,
            max,
            successes: 0,
            since_decrease: usize::MAX,
        }
    }

    /// The current number of calls allowed in flight.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// A call finished without the server throttling anyone meanwhile.
    pub fn on_success(&mut self) {
        self.since_decrease = self.since_decrease.saturating_add(1);
        self.successes += 1;
        if self.successes >= self.limit && self.limit < self.max {
            self.limit += 1;
            self.successes = 0;
        }
    }

    /// A call finished and the server answered 429 since the previous one finished.
    pub fn on_throttled(&mut self) {
        // The calls that were in flight with the one that met the 429 are one signal.
        if self.since_decrease >= self.limit {
            self.limit = (self.limit / 2).max(1);
            self.since_decrease = 0;
        } else {
            self.since_decrease += 1;
        }
        self.successes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_and_floors_at_one() {
        let mut c = AdaptiveConcurrency::new(8);
        c.on_throttled();
        assert_eq!(c.limit(), 4);
        // The next round of calls, in flight with it, do not halve it again.
        for _ in 0..4 {
            c.on_throttled();
        }
        assert_eq!(c.limit(), 4);
        // A throttle after a full round does.
        c.on_throttled();
        assert_eq!(c.limit(), 2);
        for _ in 0..10 {
            for _ in 0..c.limit() {
                c.on_throttled();
            }
        }
        assert_eq!(c.limit(), 1);
        assert_eq!(AdaptiveConcurrency::new(0).limit(), 1);
    }

    #[test]
    fn grows_back_one_round_at_a_time_up_to_the_max() {
        let mut c = AdaptiveConcurrency::new(4);
        c.on_throttled();
        assert_eq!(c.limit(), 2);
        c.on_success();
        assert_eq!(c.limit(), 2);
        c.on_success();
        assert_eq!(c.limit(), 3);
        for _ in 0..3 {
            c.on_success();
        }
        assert_eq!(c.limit(), 4);
        for _ in 0..100 {
            c.on_success();
        }
        assert_eq!(c.limit(), 4);
    }

    #[test]
    fn a_throttle_resets_the_growth_count() {
        let mut c = AdaptiveConcurrency::new(16);
        c.on_throttled();
        assert_eq!(c.limit(), 8);
        for _ in 0..7 {
            c.on_success();
        }
        c.on_throttled(); // within the round after the decrease: no new halving
        assert_eq!(c.limit(), 8);
        for _ in 0..7 {
            c.on_success();
        }
        assert_eq!(c.limit(), 8, "the count restarted at the throttle");
        c.on_success();
        assert_eq!(c.limit(), 9);
    }
}
