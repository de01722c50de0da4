//! When to renew a token.
//!
//! The server states `expires` in its own clock. The client's clock may be hours off, so the
//! lifetime is measured against the server's `Date` header when there is one, and the
//! renewal deadline is then placed on the client's clock. Without a `Date` header an
//! `expires` already in the past (client clock ahead) falls back to a short lifetime rather
//! than looping, and an `expires` far ahead (client clock behind) is capped; the 401 →
//! renew → retry path covers what is left.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::secret::Secret;

/// A token in the cache, with the client-clock instant after which it must be renewed.
#[derive(Clone, PartialEq, Eq)]
pub struct CachedToken {
    /// The bearer token.
    pub token: Secret,
    /// `expires` as the server sent it.
    pub expires: Option<DateTime<Utc>>,
    /// When to renew it, on the client's clock.
    pub renew_at: DateTime<Utc>,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("token", &self.token)
            .field("expires", &self.expires)
            .field("renew_at", &self.renew_at)
            .finish()
    }
}

impl CachedToken {
    /// Whether the token can still be used at `now` (client clock).
    pub fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        now < self.renew_at
    }
}

/// How early to renew, and the bounds that keep a skewed clock from hurting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenPolicy {
    /// Renew this long before the token expires (default 60 s).
    pub margin: Duration,
    /// Lifetime assumed when `expires` is missing or already past by the client's reckoning
    /// (default 5 min).
    pub fallback_lifetime: Duration,
    /// Longest lifetime believed, whatever `expires` says (default 24 h).
    pub max_lifetime: Duration,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        TokenPolicy {
            margin: Duration::from_secs(60),
            fallback_lifetime: Duration::from_secs(300),
            max_lifetime: Duration::from_secs(24 * 3600),
        }
    }
}

impl TokenPolicy {
    /// This policy with `margin` set to `value` (see the field).
    #[must_use]
    pub fn with_margin(mut self, value: Duration) -> Self {
        self.margin = value;
        self
    }

    /// This policy with `fallback_lifetime` set to `value` (see the field).
    #[must_use]
    pub fn with_fallback_lifetime(mut self, value: Duration) -> Self {
        self.fallback_lifetime = value;
        self
    }

    /// This policy with `max_lifetime` set to `value` (see the field).
    #[must_use]
    pub fn with_max_lifetime(mut self, value: Duration) -> Self {
        self.max_lifetime = value;
        self
    }

    /// Places a freshly received token on the client's clock.
    ///
    /// `server_now` is the response's `Date` header when present; `local_now` is the
    /// client's clock when the response arrived.
    pub fn cache(
        &self,
        token: Secret,
        expires: Option<DateTime<Utc>>,
        server_now: Option<DateTime<Utc>>,
        local_now: DateTime<Utc>,
    ) -> CachedToken {
        let lifetime = self.lifetime(expires, server_now, local_now);
        let usable = if lifetime > self.margin * 2 {
            lifetime - self.margin
        } else {
            lifetime / 2
        };
        let renew_at =
            local_now + chrono::Duration::from_std(usable).unwrap_or(chrono::Duration::zero());
        CachedToken {
            token,
            expires,
            renew_at,
        }
    }

    /// The token's remaining lifetime, in real time.
    pub fn lifetime(
        &self,
        expires: Option<DateTime<Utc>>,
        server_now: Option<DateTime<Utc>>,
        local_now: DateTime<Utc>,
    ) -> Duration {
        let Some(expires) = expires else {
            return self.fallback_lifetime;
        };
        let reference = server_now.unwrap_or(local_now);
        match (expires - reference).to_std() {
            Ok(left) if !left.is_zero() => left.min(self.max_lifetime),
            // Already past: with a server date the token is short-lived indeed; without one
            // the client clock is probably ahead.
            _ if server_now.is_some() => Duration::ZERO,
            _ => self.fallback_lifetime,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn renews_a_margin_before_expiry() {
        let p = TokenPolicy::default();
        let now = t("2030-01-01T00:00:00Z");
        let c = p.cache("x".into(), Some(t("2030-01-01T01:00:00Z")), None, now);
        assert_eq!(c.renew_at, t("2030-01-01T00:59:00Z"));
        assert!(c.is_fresh(t("2030-01-01T00:58:59Z")));
        assert!(!c.is_fresh(t("2030-01-01T00:59:00Z")));
    }

    #[test]
    fn short_tokens_renew_at_half_life() {
        let p = TokenPolicy::default();
        let now = t("2030-01-01T00:00:00Z");
        let c = p.cache("x".into(), Some(t("2030-01-01T00:01:00Z")), None, now);
        assert_eq!(c.renew_at, t("2030-01-01T00:00:30Z"));
    }

    #[test]
    fn client_clock_ahead_uses_server_date() {
        // Server says 10:00, token expires 11:00; client clock reads 14:00 (4 h ahead).
        let p = TokenPolicy::default();
        let local = t("2030-01-01T14:00:00Z");
        let c = p.cache(
            "x".into(),
            Some(t("2030-01-01T11:00:00Z")),
            Some(t("2030-01-01T10:00:00Z")),
            local,
        );
        assert_eq!(c.renew_at, t("2030-01-01T14:59:00Z"));
        assert!(c.is_fresh(local));
    }

    #[test]
    fn client_clock_behind_uses_server_date() {
        // Server says 10:00, token expires 11:00; client clock reads 06:00 (4 h behind).
        let p = TokenPolicy::default();
        let local = t("2030-01-01T06:00:00Z");
        let c = p.cache(
            "x".into(),
            Some(t("2030-01-01T11:00:00Z")),
            Some(t("2030-01-01T10:00:00Z")),
            local,
        );
        // Renewed after 59 real minutes, not 4 h 59 min: no dead token is used.
        assert_eq!(c.renew_at, t("2030-01-01T06:59:00Z"));
    }

    #[test]
    fn client_clock_ahead_without_date_does_not_loop() {
        let p = TokenPolicy::default();
        let local = t("2030-01-01T14:00:00Z");
        let c = p.cache("x".into(), Some(t("2030-01-01T11:00:00Z")), None, local);
        assert!(c.is_fresh(local), "a new token must be usable at once");
        assert_eq!(c.renew_at, t("2030-01-01T14:04:00Z"));
    }

    #[test]
    fn client_clock_behind_without_date_is_capped() {
        let p = TokenPolicy::default();
        let local = t("2030-01-01T00:00:00Z");
        let c = p.cache("x".into(), Some(t("2031-01-01T00:00:00Z")), None, local);
        assert_eq!(c.renew_at, t("2030-01-01T23:59:00Z"));
    }

    #[test]
    fn missing_expiry_uses_fallback() {
        let p = TokenPolicy::default();
        let local = t("2030-01-01T00:00:00Z");
        let c = p.cache("x".into(), None, None, local);
        assert_eq!(c.renew_at, t("2030-01-01T00:04:00Z"));
    }

    #[test]
    fn debug_redacts_token() {
        let p = TokenPolicy::default();
        let c = p.cache(
            "eyJ.secret.sig".into(),
            None,
            None,
            t("2030-01-01T00:00:00Z"),
        );
        assert!(!format!("{c:?}").contains("eyJ"));
    }
}
