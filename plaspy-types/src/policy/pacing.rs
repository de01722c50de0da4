//! Client-side pacing: a requests-per-minute schedule shared by every caller, pauses the
//! server asks for with `429 Too Many Requests`, and how long a call may wait for them.
//!
//! Pure decisions over a monotonic "now" given as the time elapsed since an origin the
//! caller picks, so tests drive it with plain numbers instead of real minutes.

use std::time::Duration;

/// The shared schedule: when the next request may leave.
///
/// Reservations are handed out in order (a generic cell rate algorithm with no burst): each
/// caller is given its own slot and sleeps until it once, so concurrent callers never spin
/// and never exceed the rate, whatever their number.
///
/// ```
/// use std::time::Duration;
/// use plaspy_types::policy::pacing::Pacing;
/// let mut pacing = Pacing::new(Some(60)); // one request per second
/// let t0 = Duration::ZERO;
/// assert_eq!(pacing.reserve(t0, Duration::MAX), Ok(Duration::ZERO));
/// assert_eq!(pacing.reserve(t0, Duration::MAX), Ok(Duration::from_secs(1)));
/// assert_eq!(pacing.reserve(t0, Duration::MAX), Ok(Duration::from_secs(2)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pacing {
    /// The spacing between two requests, when a rate is set.
    interval: Option<Duration>,
    /// The earliest time the next request may leave under the rate.
    next_slot: Duration,
    /// No request leaves before this (a server-requested pause).
    paused_until: Duration,
    /// 429 answers seen so far.
    throttles: u64,
}

impl Pacing {
    /// A schedule for `requests_per_minute` (none: only server pauses apply).
    pub fn new(requests_per_minute: Option<u32>) -> Self {
        let interval = requests_per_minute
            .filter(|&rpm| rpm > 0)
            .map(|rpm| Duration::from_secs(60) / rpm);
        Pacing {
            interval,
            next_slot: Duration::ZERO,
            paused_until: Duration::ZERO,
            throttles: 0,
        }
    }

    /// The spacing between requests, when a rate is set.
    pub fn interval(&self) -> Option<Duration> {
        self.interval
    }

    /// Reserves the next slot at `now` and returns how long to wait for it.
    ///
    /// When a server pause would make the caller wait more than `max_pause`, nothing is
    /// reserved and `Err(time left in the pause)` is returned: the call gives up at once.
    /// The wait the rate itself imposes is not limited by `max_pause`: it is the
    /// caller's own setting.
    pub fn reserve(&mut self, now: Duration, max_pause: Duration) -> Result<Duration, Duration> {
        let pause_left = self.paused_until.saturating_sub(now);
        if pause_left > max_pause {
            return Err(pause_left);
        }
        let slot = now.max(self.paused_until).max(self.next_slot);
        if let Some(interval) = self.interval {
            self.next_slot = slot + interval;
        }
        Ok(slot - now)
    }

    /// Records a 429 at `now`: nobody sends before `now + pause`.
    pub fn throttled(&mut self, now: Duration, pause: Duration) {
        self.throttles += 1;
        self.paused_until = self.paused_until.max(now.saturating_add(pause));
    }

    /// How many 429 answers were recorded.
    pub fn throttles(&self) -> u64 {
        self.throttles
    }
}

/// The pause after a 429: what the server asked for, else a backoff that grows with each
/// 429 in a row of the same call (1 s, 2 s, 4 s ... up to 60 s), never shorter than the
/// pacing interval.
pub fn throttle_pause(
    retry_after: Option<Duration>,
    in_a_row: u32,
    interval: Option<Duration>,
) -> Duration {
    let pause = retry_after.unwrap_or_else(|| {
        let exp = in_a_row.saturating_sub(1).min(6);
        Duration::from_secs(1 << exp).min(Duration::from_secs(60))
    });
    pause.max(interval.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;
    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn without_a_rate_nothing_waits() {
        let mut p = Pacing::new(None);
        for _ in 0..100 {
            assert_eq!(p.reserve(S(5), Duration::ZERO), Ok(Duration::ZERO));
        }
        assert_eq!(Pacing::new(Some(0)).interval(), None);
    }

    #[test]
    fn concurrent_callers_get_successive_slots() {
        // 120 per minute: one every 500 ms. Five callers arriving together.
        let mut p = Pacing::new(Some(120));
        let waits: Vec<_> = (0..5).map(|_| p.reserve(S(10), S(0)).unwrap()).collect();
        assert_eq!(waits, [MS(0), MS(500), MS(1000), MS(1500), MS(2000)]);
        // Later, once the schedule has drained, a caller goes at once.
        assert_eq!(p.reserve(S(20), S(0)), Ok(MS(0)));
        // And the next one waits a full interval from that slot.
        assert_eq!(p.reserve(MS(20_100), S(0)), Ok(MS(400)));
    }

    #[test]
    fn idle_time_is_not_banked_into_a_burst() {
        let mut p = Pacing::new(Some(60));
        assert_eq!(p.reserve(S(0), S(0)), Ok(S(0)));
        // An hour of silence does not allow 60 requests at once.
        assert_eq!(p.reserve(S(3600), S(0)), Ok(S(0)));
        assert_eq!(p.reserve(S(3600), S(0)), Ok(S(1)));
    }

    #[test]
    fn a_server_pause_holds_everyone() {
        let mut p = Pacing::new(None);
        p.throttled(S(100), S(7));
        assert_eq!(p.throttles(), 1);
        assert_eq!(p.reserve(S(101), S(60)), Ok(S(6)));
        assert_eq!(p.reserve(S(107), S(60)), Ok(S(0)));
        // A shorter pause recorded later does not cut a longer one short.
        p.throttled(S(200), S(30));
        p.throttled(S(201), S(1));
        assert_eq!(p.reserve(S(210), S(60)), Ok(S(20)));
    }

    #[test]
    fn a_pause_beyond_the_budget_fails_without_reserving() {
        let mut p = Pacing::new(Some(60));
        p.throttled(S(0), S(3600));
        assert_eq!(p.reserve(S(0), S(30)), Err(S(3600)));
        assert_eq!(p.reserve(S(1800), S(30)), Err(S(1800)));
        // Nothing was reserved: the first caller after the pause goes at once.
        assert_eq!(p.reserve(S(3600), S(30)), Ok(S(0)));
    }

    #[test]
    fn pause_and_rate_combine() {
        let mut p = Pacing::new(Some(60));
        p.throttled(S(0), S(10));
        assert_eq!(p.reserve(S(0), S(60)), Ok(S(10)));
        assert_eq!(p.reserve(S(0), S(60)), Ok(S(11)));
    }

    #[test]
    fn throttle_pauses() {
        assert_eq!(throttle_pause(Some(S(3)), 1, None), S(3));
        assert_eq!(throttle_pause(None, 1, None), S(1));
        assert_eq!(throttle_pause(None, 3, None), S(4));
        assert_eq!(throttle_pause(None, 50, None), S(60));
        assert_eq!(throttle_pause(Some(S(0)), 1, Some(MS(500))), MS(500));
    }
}
