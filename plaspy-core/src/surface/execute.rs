//! How one call runs: token, send, retry, re-authenticate, decode.
//!
//! Written once as async code; `must_be_sync` turns it into the blocking flavour.

use std::time::{Duration, Instant};

use plaspy_types::endpoints::RequestToken;
use plaspy_types::policy::clock::Clock;
use plaspy_types::policy::pacing::throttle_pause;
use plaspy_types::policy::retry::{Decision, Outcome, parse_retry_after};
use plaspy_types::policy::token::CachedToken;
use plaspy_types::{Endpoint, Error, HttpRequest, HttpResponse, Redactor, Result, Secret};

use super::client::Client;
use super::{Transport, maybe};
use crate::Outgoing;

/// How a transport result counts for the retry policy; `None` when it is final. The clock
/// is read only for a `Retry-After` date, not on every success.
fn outcome(result: &Result<HttpResponse>, clock: &dyn Clock) -> Option<Outcome> {
    match result {
        Ok(response) if response.is_success() => None,
        Ok(response) => Some(Outcome::Status {
            status: response.status,
            retry_after: response
                .retry_after
                .as_deref()
                .and_then(|v| parse_retry_after(v, clock.now())),
        }),
        Err(Error::Transport { not_sent: true, .. }) => Some(Outcome::NotSent),
        Err(Error::Transport { .. } | Error::Timeout { .. }) => Some(Outcome::MaybeSent),
        Err(_) => None,
    }
}

/// When a call started and when it must be over: the deadline covers the token request,
/// every attempt and the waits between them.
#[derive(Debug, Clone, Copy)]
struct Call {
    started: Instant,
    deadline: Option<Duration>,
}

impl Call {
    fn start(deadline: Option<Duration>) -> Self {
        Call {
            started: Instant::now(),
            deadline,
        }
    }

    /// What the deadline leaves, if there is one.
    fn left(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_sub(self.started.elapsed()))
    }

    /// A timeout after `attempts` attempts of `each`, naming the deadline if it ran out.
    fn timed_out(&self, attempts: u32, each: Duration, deadline_hit: bool) -> Error {
        Error::Timeout {
            after: Some(each),
            attempts,
            elapsed: Some(self.started.elapsed()),
            deadline: self.deadline.filter(|_| deadline_hit),
        }
    }
}

/// What one call may change of the client's settings.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct CallOptions {
    /// The budget for the waits `429` answers ask for (default: the retry policy's
    /// `max_total_wait`): a long fan-out raises it.
    pub(super) throttle_budget: Option<Duration>,
    /// The limit for one attempt (default: the client's timeout): a long history query
    /// may need more.
    pub(super) timeout: Option<Duration>,
}

#[maybe(AFIT)]
impl<T: Transport> Client<T> {
    /// Runs an endpoint: authenticate, send (with retries), renew the token once on a 401,
    /// decode, record the usage counters.
    pub(super) async fn run<E: Endpoint + Sync>(&self, endpoint: &E) -> Result<E::Output> {
        self.run_with(endpoint, CallOptions::default()).await
    }

    /// [`run`](Self::run) with its own budget for `429` waits and its own attempt timeout.
    pub(super) async fn run_with<E: Endpoint + Sync>(
        &self,
        endpoint: &E,
        options: CallOptions,
    ) -> Result<E::Output> {
        let mut used = Vec::new();
        let call = Call::start(self.inner.config.deadline);
        let result = self.run_within(endpoint, options, &mut used, call).await;
        // A server may echo the key or the token in any message: scrub them here, once.
        result.map_err(|err| err.redact(&self.redactor(&used)))
    }

    /// The secrets to scrub from what a server sent: the API key and these tokens.
    fn redactor<'a>(&self, tokens: impl IntoIterator<Item = &'a Secret>) -> Redactor {
        let mut redactor = Redactor::new(tokens);
        redactor.add(&self.inner.config.credentials.api_key);
        redactor
    }

    async fn run_within<E: Endpoint + Sync>(
        &self,
        endpoint: &E,
        options: CallOptions,
        used: &mut Vec<Secret>,
        call: Call,
    ) -> Result<E::Output> {
        let request = endpoint.request()?;
        let mut refused: Option<Secret> = None;
        loop {
            let token = if request.authenticated {
                Some(self.bearer_within(refused.as_ref(), call).await?.token)
            } else {
                None
            };
            used.extend(token.clone());
            let response = self.send(&request, token.as_ref(), options, call).await?;
            if response.status == 401
                && refused.is_none()
                && let Some(token) = token
            {
                // The token died early (revoked, server restarted, skewed clock): get a new
                // one and try once more. A 401 means the request was not acted on.
                tracing::debug!(path = %request.path, "token refused, renewing it once");
                self.inner.auth.discard(&token);
                refused = Some(token);
                continue;
            }
            let reply = endpoint.decode_within(&response, &self.inner.config.limits)?;
            self.inner.usage.record(reply.usage);
            return Ok(reply.value);
        }
    }

    /// A fresh token: the cached one, or one refresh shared by all concurrent callers.
    pub(super) async fn bearer(&self, refused: Option<&Secret>) -> Result<CachedToken> {
        self.bearer_within(refused, Call::start(self.inner.config.deadline))
            .await
    }

    async fn bearer_within(&self, refused: Option<&Secret>, call: Call) -> Result<CachedToken> {
        let clock = &self.inner.config.clock;
        if let Some(token) = self.inner.auth.fresh(clock.now(), refused) {
            return Ok(token);
        }
        let generation = self.inner.auth.generation();
        let _refreshing = self.inner.refresh.acquire().await;
        // Another caller may have refreshed while this one waited.
        if let Some(token) = self.inner.auth.fresh(clock.now(), refused) {
            return Ok(token);
        }
        if let Some(err) = self.inner.auth.failure_since(generation) {
            return Err(err);
        }
        let outcome = self
            .fetch_token(call)
            .await
            .map_err(|err| err.redact(&self.redactor(None)));
        self.inner.auth.record(&outcome);
        outcome
    }

    async fn fetch_token(&self, call: Call) -> Result<CachedToken> {
        let config = &self.inner.config;
        let endpoint = RequestToken {
            credentials: &config.credentials,
        };
        let request = endpoint.request()?;
        let response = self
            .send(&request, None, CallOptions::default(), call)
            .await?;
        let reply = endpoint.decode(&response)?;
        self.inner.usage.record(reply.usage);
        let server_now = response
            .date
            .as_deref()
            .and_then(|d| httpdate::parse_http_date(d).ok())
            .map(chrono::DateTime::<chrono::Utc>::from);
        tracing::debug!(expires = ?reply.value.expires, "obtained a new token");
        Ok(config.token.cache(
            reply.value.token,
            reply.value.expires,
            server_now,
            config.clock.now(),
        ))
    }

    /// Sends a request at the pace the client allows, retrying what the retry policy
    /// allows within the call's deadline. A `429` to a request that is safe to repeat is
    /// not a failed attempt: the whole client pauses as long as the server asks and the
    /// call goes on, as long as its waits for `429`s stay within `throttle_budget`.
    async fn send(
        &self,
        request: &HttpRequest,
        token: Option<&Secret>,
        options: CallOptions,
        call: Call,
    ) -> Result<HttpResponse> {
        let config = &self.inner.config;
        let pacer = &self.inner.pacer;
        let each = options.timeout.unwrap_or(config.transport.timeout);
        let mut outgoing = Outgoing::new(config, request, token)?;
        let throttle_budget = options
            .throttle_budget
            .unwrap_or(config.retry.max_total_wait);
        let mut waited = Duration::ZERO;
        let mut throttle_waited = Duration::ZERO;
        let mut throttled_in_a_row = 0;
        let mut attempt = 1;
        loop {
            match pacer.reserve(throttle_budget.saturating_sub(throttle_waited)) {
                Ok(wait) if wait.is_zero() => {}
                Ok(wait) => {
                    tracing::trace!(path = %request.path, wait_ms = wait.as_millis() as u64, "pacing");
                    self.inner.transport.sleep(wait).await;
                    if throttled_in_a_row > 0 {
                        throttle_waited += wait;
                    }
                }
                Err(left) => {
                    return Err(Error::RateLimited {
                        retry_after: Some(left),
                        message: None,
                    });
                }
            }
            // Each attempt gets what the deadline leaves, at most its own limit.
            let left = call.left();
            if left.is_some_and(|left| left.is_zero()) {
                return Err(call.timed_out(attempt - 1, each, true));
            }
            outgoing.timeout = left.map_or(each, |left| left.min(each));
            let started = Instant::now();
            let result = self.inner.transport.send(&outgoing).await;
            if let Ok(response) = &result {
                self.inner.server_time.observe(response.date.as_deref());
            }
            let elapsed_ms = started.elapsed().as_millis() as u64;
            match &result {
                Ok(response) => tracing::debug!(
                    method = %request.method, path = %request.path, status = response.status, attempt, elapsed_ms,
                    "plaspy request"
                ),
                Err(err) => tracing::debug!(
                    method = %request.method, path = %request.path, attempt, elapsed_ms,
                    error = %err.clone().redact(&self.redactor(token)),
                    "plaspy request failed"
                ),
            }
            let Some(outcome) = outcome(&result, &*config.clock) else {
                return result;
            };
            if let Outcome::Status {
                status: 429,
                retry_after,
            } = outcome
                && request.retry_safe
                && config.retry.max_attempts > 1
            {
                throttled_in_a_row += 1;
                let pause = throttle_pause(retry_after, throttled_in_a_row, pacer.interval());
                if pause > throttle_budget.saturating_sub(throttle_waited) {
                    return result;
                }
                tracing::info!(
                    method = %request.method, path = %request.path,
                    pause_ms = pause.as_millis() as u64, "rate limited: pausing the client"
                );
                pacer.throttled(pause);
                continue;
            }
            throttled_in_a_row = 0;
            // A timed-out call says how many attempts it made over how long.
            // It names the attempt limit, or the connect limit when that shorter one ran out.
            let attempt_limit = outgoing.timeout;
            let give_up = |result: Result<HttpResponse>, deadline_hit: bool| match result {
                Err(Error::Timeout { after, .. }) => {
                    let limit = after.filter(|a| *a < attempt_limit).unwrap_or(each);
                    Err(call.timed_out(attempt, limit, deadline_hit))
                }
                other => other,
            };
            match config.retry.decide(
                attempt,
                outcome,
                request.retry_safe,
                waited,
                fastrand::f64(),
            ) {
                Decision::GiveUp => return give_up(result, outgoing.timeout < each),
                Decision::RetryAfter(delay) if call.left().is_some_and(|left| left <= delay) => {
                    return give_up(result, true);
                }
                Decision::RetryAfter(delay) => {
                    tracing::info!(
                        method = %request.method, path = %request.path, attempt,
                        delay_ms = delay.as_millis() as u64, "retrying plaspy request"
                    );
                    self.inner.transport.sleep(delay).await;
                    waited += delay;
                    attempt += 1;
                }
            }
        }
    }
}
