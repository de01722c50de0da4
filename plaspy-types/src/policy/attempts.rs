//! One call's attempts, sans I/O: given each attempt's result and the time, what to do
//! next — send again after a delay, pause the client for the server's quota, renew the
//! token and send again, fail with an error, or hand the response over.
//!
//! The client drives it with a thin loop (reserve a slot, send, ask [`Attempts::next`]),
//! so every rule about retries, quotas, deadlines and token renewal lives here and is
//! tested with plain numbers. Times are monotonic "now"s, given as the time elapsed since
//! an origin the caller picks.
//!
//! Waits the quota imposes — the client's own pacing ([`rate_limit`]) and the pauses a
//! `429` asks every caller to take — count against the throttle budget, never against
//! the call's deadline: a call that waited its turn for a minute and then answered in
//! 50 ms did not take too long.
//!
//! [`rate_limit`]: super::pacing::Pacing

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::clock::Clock;
use super::pacing::throttle_pause;
use super::retry::{Decision, Outcome, RetryPolicy, parse_retry_after};
use crate::{Error, HttpResponse, Result};

/// What bounds one call: its retry policy, the limits on its time, and what it may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallLimits {
    /// Retries and backoff.
    pub retry: RetryPolicy,
    /// Whether the request may be sent twice.
    pub retry_safe: bool,
    /// Whether a `401` may be answered by renewing the token and sending once more.
    pub renew_token: bool,
    /// The limit of one attempt.
    pub attempt_timeout: Duration,
    /// The limit of the whole call, quota waits excluded (`None`: none).
    pub deadline: Option<Duration>,
    /// How long the call may wait in all for the pauses `429` answers ask for.
    pub throttle_budget: Duration,
    /// The client's spacing between requests, when it paces them: no `429` pause is
    /// shorter.
    pub pacing_interval: Option<Duration>,
}

impl CallLimits {
    /// Limits for a request under `retry`, with `attempt_timeout` per attempt, no deadline,
    /// the retry policy's `max_total_wait` as throttle budget, no token renewal and no
    /// pacing.
    ///
    /// ```
    /// use std::time::Duration;
    /// use plaspy_types::policy::attempts::CallLimits;
    /// use plaspy_types::policy::retry::RetryPolicy;
    ///
    /// let limits = CallLimits::new(RetryPolicy::default(), true, Duration::from_secs(30))
    ///     .with_deadline(Some(Duration::from_secs(60)));
    /// assert_eq!(limits.throttle_budget, Duration::from_secs(30));
    /// ```
    pub fn new(retry: RetryPolicy, retry_safe: bool, attempt_timeout: Duration) -> Self {
        CallLimits {
            retry,
            retry_safe,
            renew_token: false,
            attempt_timeout,
            deadline: None,
            throttle_budget: retry.max_total_wait,
            pacing_interval: None,
        }
    }

    /// These limits with `renew_token` set (see the field).
    #[must_use]
    pub fn with_renew_token(mut self, renew: bool) -> Self {
        self.renew_token = renew;
        self
    }

    /// These limits with `deadline` set (see the field).
    #[must_use]
    pub fn with_deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// These limits with `throttle_budget` set (see the field).
    #[must_use]
    pub fn with_throttle_budget(mut self, budget: Duration) -> Self {
        self.throttle_budget = budget;
        self
    }

    /// These limits with `pacing_interval` set (see the field).
    #[must_use]
    pub fn with_pacing_interval(mut self, interval: Option<Duration>) -> Self {
        self.pacing_interval = interval;
        self
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Step {
    /// The result is final (a success, or an answer to decode into its error): hand it over.
    Done,
    /// Wait this long (a backoff, counted against the deadline), then send again.
    RetryAfter(Duration),
    /// The server throttled: pause every caller of the client this long, then send again
    /// once the pacer allows (a quota wait, not counted against the deadline).
    Throttle(Duration),
    /// The token was refused: renew it, then send again (once per call).
    RenewToken,
    /// Fail with this error.
    Fail(Error),
}

/// The state of one call's attempts. See the [module documentation](self).
///
/// ```
/// use std::time::Duration;
/// use plaspy_types::{Error, HttpResponse};
/// use plaspy_types::policy::attempts::{Attempts, CallLimits, Step};
/// use plaspy_types::policy::clock::SystemClock;
/// use plaspy_types::policy::retry::RetryPolicy;
///
/// let s = Duration::from_secs;
/// let limits = CallLimits::new(RetryPolicy::default(), true, s(30)).with_deadline(Some(s(30)));
/// let mut call = Attempts::new(limits, s(0));
/// // The pacer made the call wait 50 s for its turn: a quota wait, not held against it.
/// call.waited_for_quota(s(50));
/// assert_eq!(call.attempt_timeout(s(50))?, s(30));
/// let busy = HttpResponse::new(503, Vec::new());
/// assert!(matches!(call.next(s(51), &Ok(busy), &SystemClock, 1.0), Step::RetryAfter(_)));
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Attempts {
    limits: CallLimits,
    started: Duration,
    /// Attempts sent, in all.
    sent: u32,
    /// Attempts sent since the token was last renewed: the retry policy counts these.
    in_round: u32,
    /// Backoff waited, against the retry policy's `max_total_wait`.
    backoff: Duration,
    /// Quota waits in all: excluded from the deadline.
    quota: Duration,
    /// Waits counted against the throttle budget.
    throttled: Duration,
    /// `429` answers in a row.
    throttles_in_a_row: u32,
    renewed: bool,
    /// The limit given to the latest attempt.
    last_timeout: Duration,
}

impl Attempts {
    /// A call starting at `now`.
    pub fn new(limits: CallLimits, now: Duration) -> Self {
        Attempts {
            limits,
            started: now,
            sent: 0,
            in_round: 0,
            backoff: Duration::ZERO,
            quota: Duration::ZERO,
            throttled: Duration::ZERO,
            throttles_in_a_row: 0,
            renewed: false,
            last_timeout: limits.attempt_timeout,
        }
    }

    /// The limits of a call made on behalf of this one at `now` (the token request): the
    /// same deadline, less what this call has used of it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use plaspy_types::policy::attempts::{Attempts, CallLimits};
    /// use plaspy_types::policy::retry::RetryPolicy;
    ///
    /// let s = Duration::from_secs;
    /// let limits = CallLimits::new(RetryPolicy::default(), true, s(10)).with_deadline(Some(s(30)));
    /// let call = Attempts::new(limits, s(100));
    /// let token = call.nested(CallLimits::new(RetryPolicy::default(), true, s(10)), s(112));
    /// assert_eq!(token.deadline, Some(s(18)));
    /// ```
    pub fn nested(&self, limits: CallLimits, now: Duration) -> CallLimits {
        limits.with_deadline(self.deadline_left(now))
    }

    /// Time spent so far that counts against the deadline: quota waits excluded.
    pub fn counted(&self, now: Duration) -> Duration {
        now.saturating_sub(self.started).saturating_sub(self.quota)
    }

    /// What the deadline leaves at `now`, if there is one.
    pub fn deadline_left(&self, now: Duration) -> Option<Duration> {
        self.limits
            .deadline
            .map(|d| d.saturating_sub(self.counted(now)))
    }

    /// What the throttle budget leaves: the longest server pause the pacer may make this
    /// call wait before it fails with [`Error::RateLimited`].
    pub fn throttle_left(&self) -> Duration {
        self.limits.throttle_budget.saturating_sub(self.throttled)
    }

    /// The error when the pacer refuses: a server pause of `left` exceeds the throttle
    /// budget.
    pub fn pause_too_long(left: Duration) -> Error {
        Error::RateLimited {
            retry_after: Some(left),
            message: None,
        }
    }

    /// Records a wait the quota imposed (the pacer's slot or a server pause): excluded
    /// from the deadline; counted against the throttle budget while the call is being
    /// throttled.
    pub fn waited_for_quota(&mut self, wait: Duration) {
        self.quota += wait;
        if self.throttles_in_a_row > 0 {
            self.throttled += wait;
        }
    }

    /// Adds the quota waits of a call made on behalf of this one (its token request).
    pub fn absorb(&mut self, nested: &Attempts) {
        self.quota += nested.quota;
    }

    /// Quota waits so far.
    pub fn quota_waited(&self) -> Duration {
        self.quota
    }

    /// Attempts sent so far.
    pub fn sent(&self) -> u32 {
        self.sent
    }

    /// The limit for the next attempt, sent at `now`: what the deadline leaves, at most the
    /// attempt timeout; an [`Error::Timeout`] naming the deadline when nothing is left.
    pub fn attempt_timeout(&mut self, now: Duration) -> Result<Duration> {
        let each = self.limits.attempt_timeout;
        let timeout = match self.deadline_left(now) {
            Some(left) if left.is_zero() => return Err(self.timed_out(now, each, true)),
            Some(left) => left.min(each),
            None => each,
        };
        self.sent += 1;
        self.in_round += 1;
        self.last_timeout = timeout;
        Ok(timeout)
    }

    /// What to do after the latest attempt ended at `now` with `result`. `clock` is read
    /// only for a `Retry-After` date; `jitter` is a number in `[0, 1)`.
    pub fn next(
        &mut self,
        now: Duration,
        result: &Result<HttpResponse>,
        clock: &dyn Clock,
        jitter: f64,
    ) -> Step {
        let Some(outcome) = outcome(result, || clock.now()) else {
            return Step::Done;
        };
        let limits = self.limits;
        if let Outcome::Status {
            status: 401,
            retry_after: _,
        } = outcome
            && limits.renew_token
            && !self.renewed
        {
            // A 401 means the request was not acted on: a new token, and once more.
            self.renewed = true;
            self.in_round = 0;
            self.backoff = Duration::ZERO;
            self.throttles_in_a_row = 0;
            return Step::RenewToken;
        }
        if let Outcome::Status {
            status: 429,
            retry_after,
        } = outcome
            && limits.retry_safe
            && limits.retry.max_attempts > 1
        {
            // Not a failed attempt: the whole client pauses and the call goes on, as long
            // as its throttle waits stay within the budget.
            self.throttles_in_a_row += 1;
            self.in_round = self.in_round.saturating_sub(1);
            let pause =
                throttle_pause(retry_after, self.throttles_in_a_row, limits.pacing_interval);
            if pause > self.throttle_left() {
                return Step::Done;
            }
            return Step::Throttle(pause);
        }
        self.throttles_in_a_row = 0;
        let each = limits.attempt_timeout;
        // The attempt was cut short by the deadline when it got less than its own limit.
        let cut_by_deadline = self.last_timeout < each;
        match limits.retry.decide(
            self.in_round,
            outcome,
            limits.retry_safe,
            self.backoff,
            jitter,
        ) {
            Decision::GiveUp => self.give_up(now, result, cut_by_deadline),
            Decision::RetryAfter(delay)
                if self.deadline_left(now).is_some_and(|left| left <= delay) =>
            {
                self.give_up(now, result, true)
            }
            Decision::RetryAfter(delay) => {
                self.backoff += delay;
                Step::RetryAfter(delay)
            }
        }
    }

    /// The final step for a failed attempt: a timeout says how many attempts were made
    /// over how long, and names the deadline only when the deadline is what ran out.
    fn give_up(&self, now: Duration, result: &Result<HttpResponse>, deadline_hit: bool) -> Step {
        match result {
            Err(Error::Timeout { after, .. }) => {
                // The attempt limit, or the connect limit when that shorter one ran out.
                let limit = after
                    .filter(|a| *a < self.last_timeout)
                    .unwrap_or(self.limits.attempt_timeout);
                let deadline_hit = deadline_hit && after.is_none_or(|a| a >= self.last_timeout);
                Step::Fail(self.timed_out(now, limit, deadline_hit))
            }
            _ => Step::Done,
        }
    }

    fn timed_out(&self, now: Duration, each: Duration, deadline_hit: bool) -> Error {
        Error::Timeout {
            after: Some(each),
            attempts: self.sent,
            elapsed: Some(self.counted(now)),
            deadline: self.limits.deadline.filter(|_| deadline_hit),
        }
    }
}

/// How a transport result counts for the retry policy; `None` when it is final. `now` is
/// read only for a `Retry-After` date, not on every success.
fn outcome(result: &Result<HttpResponse>, now: impl FnOnce() -> DateTime<Utc>) -> Option<Outcome> {
    match result {
        Ok(response) if response.is_success() => None,
        Ok(response) => Some(Outcome::Status {
            status: response.status,
            retry_after: response
                .retry_after
                .as_deref()
                .and_then(|v| parse_retry_after(v, now())),
        }),
        Err(Error::Transport { not_sent: true, .. }) => Some(Outcome::NotSent),
        Err(Error::Transport { .. } | Error::Timeout { .. }) => Some(Outcome::MaybeSent),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::clock::ManualClock;

    const S: fn(u64) -> Duration = Duration::from_secs;
    const MS: fn(u64) -> Duration = Duration::from_millis;

    fn clock() -> ManualClock {
        ManualClock::new("2030-01-01T00:00:00Z".parse().unwrap())
    }

    fn status(code: u16) -> Result<HttpResponse> {
        Ok(HttpResponse::new(code, b"{}".to_vec()))
    }

    fn throttled(retry_after: &str) -> Result<HttpResponse> {
        let mut response = HttpResponse::new(429, b"{}".to_vec());
        response.retry_after = Some(retry_after.into());
        Ok(response)
    }

    fn limits() -> CallLimits {
        CallLimits::new(RetryPolicy::default(), true, S(30))
    }

    #[test]
    fn a_success_is_done() {
        let mut call = Attempts::new(limits(), S(0));
        assert_eq!(call.attempt_timeout(S(0)).unwrap(), S(30));
        assert!(matches!(
            call.next(S(1), &status(200), &clock(), 0.5),
            Step::Done
        ));
        assert_eq!(call.sent(), 1);
    }

    #[test]
    fn transient_failures_are_retried_then_handed_over() {
        let mut call = Attempts::new(limits(), S(0));
        for _ in 0..2 {
            call.attempt_timeout(S(0)).unwrap();
            assert!(matches!(
                call.next(S(0), &status(503), &clock(), 0.5),
                Step::RetryAfter(_)
            ));
        }
        call.attempt_timeout(S(0)).unwrap();
        assert!(matches!(
            call.next(S(0), &status(503), &clock(), 0.5),
            Step::Done
        ));
        // Not safe to repeat: handed over at once.
        let mut call = Attempts::new(
            CallLimits {
                retry_safe: false,
                ..limits()
            },
            S(0),
        );
        call.attempt_timeout(S(0)).unwrap();
        assert!(matches!(
            call.next(S(0), &status(503), &clock(), 0.5),
            Step::Done
        ));
    }

    #[test]
    fn a_refused_token_is_renewed_once_without_using_a_retry() {
        let one = CallLimits::new(RetryPolicy::none(), true, S(30)).with_renew_token(true);
        let mut call = Attempts::new(one, S(0));
        call.attempt_timeout(S(0)).unwrap();
        assert!(matches!(
            call.next(S(0), &status(401), &clock(), 0.5),
            Step::RenewToken
        ));
        call.attempt_timeout(S(0)).unwrap();
        assert!(matches!(
            call.next(S(0), &status(401), &clock(), 0.5),
            Step::Done
        ));
        assert_eq!(call.sent(), 2);
        // Without a token to renew, a 401 is final.
        let mut call = Attempts::new(limits(), S(0));
        call.attempt_timeout(S(0)).unwrap();
        assert!(matches!(
            call.next(S(0), &status(401), &clock(), 0.5),
            Step::Done
        ));
    }

    #[test]
    fn a_429_pauses_the_client_within_the_throttle_budget() {
        let mut call = Attempts::new(limits().with_throttle_budget(S(100)), S(0));
        for _ in 0..5 {
            call.attempt_timeout(S(0)).unwrap();
            assert!(matches!(
                call.next(S(0), &throttled("40"), &clock(), 0.5),
                Step::Throttle(p) if p == S(40)
            ));
            call.waited_for_quota(S(40));
            if call.throttle_left() < S(40) {
                break;
            }
        }
        assert_eq!(call.throttle_left(), S(20));
        call.attempt_timeout(S(0)).unwrap();
        // The next pause would exceed the budget: the 429 is handed over.
        assert!(matches!(
            call.next(S(0), &throttled("40"), &clock(), 0.5),
            Step::Done
        ));
        // A Retry-After date is read against the clock.
        let mut call = Attempts::new(limits(), S(0));
        call.attempt_timeout(S(0)).unwrap();
        assert!(matches!(
            call.next(S(0), &throttled("Tue, 01 Jan 2030 00:00:07 GMT"), &clock(), 0.5),
            Step::Throttle(p) if p == S(7)
        ));
    }

    #[test]
    fn a_429_is_never_repeated_for_a_request_that_is_not_safe() {
        let unsafe_call = CallLimits {
            retry_safe: false,
            ..limits()
        };
        let mut call = Attempts::new(unsafe_call, S(0));
        call.attempt_timeout(S(0)).unwrap();
        assert!(matches!(
            call.next(S(0), &throttled("1"), &clock(), 0.5),
            Step::Done
        ));
    }

    #[test]
    fn quota_waits_do_not_count_against_the_deadline() {
        // The 18.6 case: a fleet behind a quota waits 53 s for its turn, then answers.
        let limits = limits()
            .with_deadline(Some(S(30)))
            .with_throttle_budget(S(600));
        let mut call = Attempts::new(limits, S(0));
        call.waited_for_quota(S(53));
        assert_eq!(call.counted(S(53)), S(0));
        assert_eq!(call.attempt_timeout(S(53)).unwrap(), S(30));
        assert!(matches!(
            call.next(S(54), &throttled("60"), &clock(), 0.5),
            Step::Throttle(_)
        ));
        call.waited_for_quota(S(60));
        assert_eq!(call.deadline_left(S(114)), Some(S(29)));
        assert_eq!(call.attempt_timeout(S(114)).unwrap(), S(29));
        assert!(matches!(
            call.next(S(115), &status(200), &clock(), 0.5),
            Step::Done
        ));
    }

    #[test]
    fn the_deadline_bounds_the_work_and_backoff_of_a_call() {
        let limits = limits().with_deadline(Some(S(10)));
        let mut call = Attempts::new(limits, S(0));
        assert_eq!(call.attempt_timeout(S(0)).unwrap(), S(10));
        assert!(matches!(
            call.next(S(4), &status(503), &clock(), 0.5),
            Step::RetryAfter(_)
        ));
        assert_eq!(call.attempt_timeout(S(4)).unwrap(), S(6));
        let timeout = Err(Error::timeout(S(6)));
        match call.next(S(10), &timeout, &clock(), 0.5) {
            Step::Fail(Error::Timeout {
                attempts: 2,
                deadline: Some(d),
                elapsed: Some(e),
                ..
            }) => {
                assert_eq!((d, e), (S(10), S(10)));
            }
            other => panic!("{other:?}"),
        }
        // Nothing left: the next attempt is refused, naming the deadline.
        let mut call = Attempts::new(limits, S(0));
        let err = call.attempt_timeout(S(10)).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Timeout {
                    deadline: Some(_),
                    attempts: 0,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_timeout_names_no_deadline_it_did_not_apply() {
        // Attempts that time out on their own limit, well within the deadline.
        let limits = limits().with_deadline(Some(S(600)));
        let mut call = Attempts::new(limits, S(0));
        let timeout = Err(Error::timeout(S(30)));
        for at in [30, 60] {
            call.attempt_timeout(S(at - 30)).unwrap();
            assert!(matches!(
                call.next(S(at), &timeout, &clock(), 0.0),
                Step::RetryAfter(_)
            ));
        }
        call.attempt_timeout(S(61)).unwrap();
        match call.next(S(91), &timeout, &clock(), 0.0) {
            Step::Fail(
                err @ Error::Timeout {
                    deadline: None,
                    attempts: 3,
                    ..
                },
            ) => {
                assert!(!err.to_string().contains("deadline"), "{err}");
            }
            other => panic!("{other:?}"),
        }
        // A connect timeout shorter than the attempt's limit is named as such.
        let mut call = Attempts::new(limits.with_deadline(Some(S(20))), S(0));
        call.attempt_timeout(S(0)).unwrap();
        let connect = Err(Error::timeout(MS(500)));
        let mut step = call.next(S(1), &connect, &clock(), 0.0);
        while let Step::RetryAfter(_) = step {
            call.attempt_timeout(S(1)).unwrap();
            step = call.next(S(2), &connect, &clock(), 0.0);
        }
        assert!(
            matches!(step, Step::Fail(Error::Timeout { after: Some(a), deadline: None, .. }) if a == MS(500)),
            "{step:?}"
        );
    }

    #[test]
    fn a_nested_call_shares_the_deadline_and_its_quota_waits_are_excused() {
        let limits = limits().with_deadline(Some(S(30)));
        let mut call = Attempts::new(limits, S(0));
        let token_limits = call.nested(CallLimits::new(RetryPolicy::default(), true, S(30)), S(5));
        assert_eq!(token_limits.deadline, Some(S(25)));
        let mut token = Attempts::new(token_limits, S(5));
        token.waited_for_quota(S(40));
        call.absorb(&token);
        assert_eq!(call.deadline_left(S(46)), Some(S(24)));
    }

    #[test]
    fn pacing_waits_outside_a_throttle_run_leave_the_throttle_budget_alone() {
        let mut call = Attempts::new(limits().with_throttle_budget(S(10)), S(0));
        call.waited_for_quota(S(100));
        assert_eq!(call.throttle_left(), S(10));
        assert!(matches!(
            Attempts::pause_too_long(S(3)),
            Error::RateLimited { retry_after: Some(d), .. } if d == S(3)
        ));
    }
}
