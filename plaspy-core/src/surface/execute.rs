//! How one call runs: token, send, retry, re-authenticate, decode.
//!
//! Written once as async code; `must_be_sync` turns it into the blocking flavour.

use std::time::Duration;

use plaspy_types::endpoints::RequestToken;
use plaspy_types::policy::attempts::{Attempts, CallLimits, Step};
use plaspy_types::policy::token::CachedToken;
use plaspy_types::{Endpoint, HttpRequest, HttpResponse, Redactor, Result, Secret};

use super::client::Client;
use super::{Transport, maybe};
use crate::Outgoing;

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
        let options = CallOptions {
            throttle_budget: options.throttle_budget.or(self.defaults.throttle_budget),
            timeout: options.timeout.or(self.defaults.timeout),
        };
        let mut used = Vec::new();
        let result = self.run_within(endpoint, options, &mut used).await;
        // A server may echo the key or the token in any message: scrub them here, once.
        result.map_err(|err| err.redact(&self.redactor(&used)))
    }

    /// The secrets to scrub from what a server sent: the API key and these tokens.
    fn redactor<'a>(&self, tokens: impl IntoIterator<Item = &'a Secret>) -> Redactor {
        let mut redactor = Redactor::new(tokens);
        redactor.add(&self.inner.config.credentials.api_key);
        redactor
    }

    /// The limits of a call of `request` under the client's settings and `options`.
    fn limits(&self, request: &HttpRequest, options: CallOptions) -> CallLimits {
        let config = &self.inner.config;
        let limits = CallLimits::new(
            config.retry,
            request.retry_safe,
            options.timeout.unwrap_or(config.transport.timeout),
        )
        .with_renew_token(request.authenticated)
        .with_deadline(config.deadline)
        .with_pacing_interval(self.inner.pacer.interval());
        match options.throttle_budget {
            Some(budget) => limits.with_throttle_budget(budget),
            None => limits,
        }
    }

    /// Runs the call: a thin loop over [`Attempts`], which decides every step.
    async fn run_within<E: Endpoint + Sync>(
        &self,
        endpoint: &E,
        options: CallOptions,
        used: &mut Vec<Secret>,
    ) -> Result<E::Output> {
        let request = endpoint.request()?;
        let mut call = Attempts::new(self.limits(&request, options), self.inner.pacer.now());
        let mut refused: Option<Secret> = None;
        let response = loop {
            let token = if request.authenticated {
                Some(self.bearer_within(refused.as_ref(), &mut call).await?.token)
            } else {
                None
            };
            used.extend(token.clone());
            let (response, step) = self.attempt(&request, token.as_ref(), &mut call).await?;
            match step {
                Step::RenewToken => {
                    // The token died early (revoked, server restarted, skewed clock).
                    tracing::debug!(path = %request.path, "token refused, renewing it once");
                    if let Some(token) = token {
                        self.inner.auth.discard(&token);
                        refused = Some(token);
                    }
                }
                _ => break response?,
            }
        };
        let reply = endpoint.decode_within(&response, &self.inner.config.limits)?;
        self.inner.usage.record(reply.usage);
        Ok(reply.value)
    }

    /// A fresh token: the cached one, or one refresh shared by all concurrent callers.
    pub(super) async fn bearer(&self, refused: Option<&Secret>) -> Result<CachedToken> {
        let limits = CallLimits::new(
            self.inner.config.retry,
            true,
            self.inner.config.transport.timeout,
        )
        .with_deadline(self.inner.config.deadline);
        let mut call = Attempts::new(limits, self.inner.pacer.now());
        self.bearer_within(refused, &mut call).await
    }

    async fn bearer_within(
        &self,
        refused: Option<&Secret>,
        call: &mut Attempts,
    ) -> Result<CachedToken> {
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

    /// Requests a token on behalf of `call`: within what its deadline leaves, and with its
    /// quota waits excused from that deadline.
    async fn fetch_token(&self, call: &mut Attempts) -> Result<CachedToken> {
        let config = &self.inner.config;
        let endpoint = RequestToken {
            credentials: &config.credentials,
        };
        let request = endpoint.request()?;
        let now = self.inner.pacer.now();
        let mut own = Attempts::new(
            call.nested(self.limits(&request, CallOptions::default()), now),
            now,
        );
        let sent = self.attempt(&request, None, &mut own).await;
        call.absorb(&own);
        let response = sent?.0?;
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

    /// Sends a request at the pace the client allows, as many times as `call` decides,
    /// until it hands a result over ([`Step::Done`]) or asks for a new token
    /// ([`Step::RenewToken`]). A `429` pauses the whole client ([`Step::Throttle`]); the
    /// waits that imposes, like the client's own pacing, are quota waits, not held against
    /// the call's deadline.
    async fn attempt(
        &self,
        request: &HttpRequest,
        token: Option<&Secret>,
        call: &mut Attempts,
    ) -> Result<(Result<HttpResponse>, Step)> {
        let (config, pacer) = (&self.inner.config, &self.inner.pacer);
        let mut outgoing = Outgoing::new(config, request, token)?;
        loop {
            let wait = pacer
                .reserve(call.throttle_left())
                .map_err(Attempts::pause_too_long)?;
            if !wait.is_zero() {
                tracing::trace!(path = %request.path, wait_ms = wait.as_millis() as u64, "pacing");
                self.inner.transport.sleep(wait).await;
                call.waited_for_quota(wait);
            }
            outgoing.timeout = call.attempt_timeout(pacer.now())?;
            let started = pacer.now();
            let result = self.inner.transport.send(&outgoing).await;
            self.trace(request, token, &result, call.sent(), pacer.now() - started);
            match call.next(pacer.now(), &result, &*config.clock, fastrand::f64()) {
                Step::Throttle(pause) => {
                    tracing::info!(
                        method = %request.method, path = %request.path,
                        pause_ms = pause.as_millis() as u64, "rate limited: pausing the client"
                    );
                    pacer.throttled(pause);
                }
                Step::RetryAfter(delay) => {
                    tracing::info!(
                        method = %request.method, path = %request.path, attempt = call.sent(),
                        delay_ms = delay.as_millis() as u64, "retrying plaspy request"
                    );
                    self.inner.transport.sleep(delay).await;
                }
                Step::Fail(err) => return Err(err),
                step => return Ok((result, step)),
            }
        }
    }

    /// Notes the server's `Date` and logs one attempt.
    fn trace(
        &self,
        request: &HttpRequest,
        token: Option<&Secret>,
        result: &Result<HttpResponse>,
        attempt: u32,
        took: Duration,
    ) {
        let elapsed_ms = took.as_millis() as u64;
        match result {
            Ok(response) => {
                self.inner.server_time.observe(response.date.as_deref());
                tracing::debug!(
                    method = %request.method, path = %request.path, status = response.status, attempt, elapsed_ms,
                    "plaspy request"
                );
            }
            Err(err) => tracing::debug!(
                method = %request.method, path = %request.path, attempt, elapsed_ms,
                error = %err.clone().redact(&self.redactor(token)),
                "plaspy request failed"
            ),
        }
    }
}
