//! State shared by all clones of a client: the token cache and the usage counters.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use plaspy_types::policy::token::CachedToken;
use plaspy_types::{ApiUsage, Error, Result, Secret};

/// A bearer token and when it expires (server time). `Debug` redacts the token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessToken {
    /// The token, for `Authorization: Bearer ...`.
    pub token: Secret,
    /// When it expires, as the server said.
    pub expires: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
struct AuthInner {
    token: Option<CachedToken>,
    /// Bumped at the end of every refresh attempt, successful or not.
    generation: u64,
    /// The error of the latest refresh attempt, if it failed.
    failure: Option<Error>,
}

/// The token cache. Refreshes are serialized by the flavour's refresh lock; this only holds
/// the result, behind a short-lived std mutex.
#[derive(Debug, Default)]
pub(crate) struct Auth(Mutex<AuthInner>);

impl Auth {
    fn inner(&self) -> std::sync::MutexGuard<'_, AuthInner> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A token usable at `now`, unless it is `stale` (one the server just refused).
    pub(crate) fn fresh(&self, now: DateTime<Utc>, stale: Option<&Secret>) -> Option<CachedToken> {
        let inner = self.inner();
        inner
            .token
            .clone()
            .filter(|t| t.is_fresh(now) && Some(&t.token) != stale)
    }

    /// The refresh generation, read before waiting for the refresh lock.
    pub(crate) fn generation(&self) -> u64 {
        self.inner().generation
    }

    /// If a refresh attempt finished after `since` and failed, its error: the caller waited
    /// for that very attempt and shares its outcome instead of asking again.
    pub(crate) fn failure_since(&self, since: u64) -> Option<Error> {
        let inner = self.inner();
        if inner.generation != since {
            inner.failure.clone()
        } else {
            None
        }
    }

    /// Records the outcome of a refresh attempt.
    pub(crate) fn record(&self, outcome: &Result<CachedToken>) {
        let mut inner = self.inner();
        inner.generation += 1;
        match outcome {
            Ok(token) => {
                inner.token = Some(token.clone());
                inner.failure = None;
            }
            Err(err) => inner.failure = Some(err.clone()),
        }
    }

    /// Forgets `token` if it is the cached one (the server refused it).
    pub(crate) fn discard(&self, token: &Secret) {
        let mut inner = self.inner();
        if inner.token.as_ref().is_some_and(|t| &t.token == token) {
            inner.token = None;
        }
    }
}

/// The latest usage counters the server reported.
#[derive(Debug, Default)]
pub(crate) struct Usage(Mutex<ApiUsage>);

impl Usage {
    pub(crate) fn get(&self) -> ApiUsage {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn record(&self, usage: ApiUsage) {
        if usage.is_empty() {
            return;
        }
        let mut current = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if usage.api_usage.is_some() {
            current.api_usage = usage.api_usage;
        }
        if usage.api_daily_usage.is_some() {
            current.api_daily_usage = usage.api_daily_usage;
        }
    }
}
