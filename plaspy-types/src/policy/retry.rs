//! Which failures are worth another attempt, and how long to wait before it.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with this status (and maybe a parsed `Retry-After`).
    Status {
        /// The HTTP status.
        status: u16,
        /// The wait the server asked for.
        retry_after: Option<Duration>,
    },
    /// The connection could not be established: the request never left.
    NotSent,
    /// The connection broke or timed out after the request may have reached the server.
    MaybeSent,
}

/// The decision after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    RetryAfter(Duration),
    /// Give the failure to the caller.
    GiveUp,
}

/// Statuses worth retrying: request timeout, rate limited and the transient server errors.
pub const RETRYABLE_STATUSES: [u16; 7] = [408, 429, 500, 502, 503, 504, 599];

/// Bounded exponential backoff with jitter, honouring `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (default 3; 1 disables retries).
    pub max_attempts: u32,
    /// The first backoff step (default 250 ms); it doubles at each attempt.
    pub base_delay: Duration,
    /// The longest single computed backoff (default 8 s).
    pub max_delay: Duration,
    /// The most time spent waiting across all retries of one call (default 30 s). A
    /// `Retry-After` longer than what is left makes the call give up at once.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_total_wait: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// This policy with `max_attempts` set to `value` (see the field).
    #[must_use]
    pub fn with_max_attempts(mut self, value: u32) -> Self {
        self.max_attempts = value;
        self
    }

    /// This policy with `base_delay` set to `value` (see the field).
    #[must_use]
    pub fn with_base_delay(mut self, value: Duration) -> Self {
        self.base_delay = value;
        self
    }

    /// This policy with `max_delay` set to `value` (see the field).
    #[must_use]
    pub fn with_max_delay(mut self, value: Duration) -> Self {
        self.max_delay = value;
        self
    }

    /// This policy with `max_total_wait` set to `value` (see the field).
    #[must_use]
    pub fn with_max_total_wait(mut self, value: Duration) -> Self {
        self.max_total_wait = value;
        self
    }

    /// No retries at all.
    ///
    /// ```
    /// assert_eq!(plaspy_types::policy::retry::RetryPolicy::none().max_attempts, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Default::default()
        }
    }

    /// Decides what to do after attempt number `attempt` (1-based) failed with `outcome`.
    ///
    /// `retry_safe` says whether the request may be sent twice; `waited` is the time
    /// already spent waiting in this call; `jitter` is a number in `[0, 1)`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use plaspy_types::policy::retry::{Decision, Outcome, RetryPolicy};
    ///
    /// let policy = RetryPolicy::default();
    /// let busy = Outcome::Status { status: 503, retry_after: Some(Duration::from_secs(2)) };
    /// assert_eq!(policy.decide(1, busy, true, Duration::ZERO, 0.5), Decision::RetryAfter(Duration::from_secs(2)));
    /// assert_eq!(policy.decide(3, busy, true, Duration::ZERO, 0.5), Decision::GiveUp); // 3 attempts made
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(
        &self,
        attempt: u32,
        outcome: Outcome,
        retry_safe: bool,
        waited: Duration,
        jitter: f64,
    ) -> Decision {
        if attempt >= self.max_attempts {
            return Decision::GiveUp;
        }
        let retry_after = match outcome {
            // Nothing reached the server: even a create or a command may go again.
            Outcome::NotSent => None,
            Outcome::MaybeSent if retry_safe => None,
            Outcome::Status {
                status,
                retry_after,
            } if retry_safe && RETRYABLE_STATUSES.contains(&status) => retry_after,
            _ => return Decision::GiveUp,
        };
        let delay = retry_after.unwrap_or_else(|| self.backoff(attempt, jitter));
        let left = self.max_total_wait.saturating_sub(waited);
        if delay > left {
            return Decision::GiveUp;
        }
        Decision::RetryAfter(delay)
    }

    /// The backoff before attempt `attempt + 1`: `base * 2^(attempt-1)`, capped at
    /// `max_delay`, scaled by a jitter factor between 0.5 and 1.
    ///
    /// ```
    /// use std::time::Duration;
    /// use plaspy_types::policy::retry::RetryPolicy;
    ///
    /// let policy = RetryPolicy::default(); // 250 ms, doubling
    /// assert_eq!(policy.backoff(1, 1.0), Duration::from_millis(250));
    /// assert_eq!(policy.backoff(3, 1.0), Duration::from_secs(1));
    /// assert_eq!(policy.backoff(3, 0.0), Duration::from_millis(500)); // jitter halves it at most
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        let raw = self.base_delay.saturating_mul(1 << exp).min(self.max_delay);
        raw.mul_f64(0.5 + jitter.clamp(0.0, 1.0) / 2.0)
    }
}

/// Parses a `Retry-After` value: delay seconds (`"120"`) or an HTTP date, relative to `now`.
/// A date in the past gives zero.
///
/// ```
/// use std::time::Duration;
/// use plaspy_types::policy::retry::parse_retry_after;
///
/// let now = "2015-10-21T07:28:00Z".parse()?;
/// assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:29:00 GMT", now), Some(Duration::from_secs(60)));
/// assert_eq!(parse_retry_after("soon", now), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e9)));
    }
    let when: DateTime<Utc> = httpdate::parse_http_date(value).ok()?.into();
    Some((when - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn retryable_statuses_on_safe_requests() {
        let p = RetryPolicy::default();
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(
                matches!(
                    p.decide(1, status(code), true, S(0), 0.5),
                    Decision::RetryAfter(_)
                ),
                "{code}"
            );
            assert_eq!(
                p.decide(1, status(code), false, S(0), 0.5),
                Decision::GiveUp,
                "{code} unsafe"
            );
        }
        for code in [400, 401, 403, 404, 409, 415, 501] {
            assert_eq!(
                p.decide(1, status(code), true, S(0), 0.5),
                Decision::GiveUp,
                "{code}"
            );
        }
    }

    #[test]
    fn connection_failures() {
        let p = RetryPolicy::default();
        assert!(matches!(
            p.decide(1, Outcome::NotSent, false, S(0), 0.0),
            Decision::RetryAfter(_)
        ));
        assert!(matches!(
            p.decide(1, Outcome::MaybeSent, true, S(0), 0.0),
            Decision::RetryAfter(_)
        ));
        assert_eq!(
            p.decide(1, Outcome::MaybeSent, false, S(0), 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn attempts_are_bounded() {
        let p = RetryPolicy::default();
        assert!(matches!(
            p.decide(2, status(503), true, S(0), 0.0),
            Decision::RetryAfter(_)
        ));
        assert_eq!(p.decide(3, status(503), true, S(0), 0.0), Decision::GiveUp);
        assert_eq!(
            RetryPolicy::none().decide(1, status(503), true, S(0), 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn backoff_grows_with_jitter_and_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1, 1.0), Duration::from_millis(250));
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(125));
        assert_eq!(p.backoff(2, 1.0), Duration::from_millis(500));
        assert_eq!(p.backoff(3, 1.0), Duration::from_secs(1));
        assert_eq!(p.backoff(30, 1.0), S(8));
        assert_eq!(p.backoff(30, 0.0), S(4));
    }

    #[test]
    fn retry_after_is_honoured_within_the_budget() {
        let p = RetryPolicy::default();
        let asked = Outcome::Status {
            status: 429,
            retry_after: Some(S(7)),
        };
        assert_eq!(
            p.decide(1, asked, true, S(0), 0.9),
            Decision::RetryAfter(S(7))
        );
        assert_eq!(p.decide(1, asked, true, S(25), 0.9), Decision::GiveUp);
        let too_long = Outcome::Status {
            status: 503,
            retry_after: Some(S(3600)),
        };
        assert_eq!(p.decide(1, too_long, true, S(0), 0.9), Decision::GiveUp);
    }

    #[test]
    fn retry_after_forms() {
        let now: DateTime<Utc> = "2015-10-21T07:28:00Z".parse().unwrap();
        assert_eq!(parse_retry_after("120", now), Some(S(120)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(S(0)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT", now),
            Some(S(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(S(0))
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
