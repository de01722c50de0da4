//! Bearer tokens: JWT-shaped (`header.payload.signature`, base64url), the signature random
//! and checked against a server-side table; and the extractor that authenticates a request
//! and counts it.

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasher;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::prng::Rng;
use crate::reply::{ApiError, ApiResult, Usage};
use crate::state::{AccountState, Shared};

/// Tokens are pruned of expired entries once the table holds this many.
const PRUNE_AT: usize = 10_000;
/// The most live tokens kept: beyond, the half closest to expiry is forgotten (their
/// holders get 401 and ask again), so that a flood of logins cannot grow memory.
const MAX_TOKENS: usize = 100_000;

/// Issued tokens and whom they belong to.
pub(crate) struct Tokens {
    issued: HashMap<String, Issued>,
    rng: Rng,
    count: u64,
}

struct Issued {
    /// The account's user name.
    username: String,
    expires: DateTime<Utc>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("issued", &self.issued.len())
            .finish()
    }
}

impl Tokens {
    /// An empty table; signatures come from a randomly seeded generator.
    pub(crate) fn new() -> Self {
        let seed = std::collections::hash_map::RandomState::new().hash_one(0x5EED_u64);
        Tokens {
            issued: HashMap::new(),
            rng: Rng::new(seed),
            count: 0,
        }
    }

    /// Issues a token for `username`, valid from `now` for `lifetime`.
    pub(crate) fn issue(
        &mut self,
        username: &str,
        now: DateTime<Utc>,
        lifetime: chrono::Duration,
    ) -> (String, DateTime<Utc>) {
        if self.issued.len() >= PRUNE_AT {
            self.issued.retain(|_, t| t.expires > now);
        }
        if self.issued.len() >= MAX_TOKENS {
            let mut expiries: Vec<DateTime<Utc>> =
                self.issued.values().map(|t| t.expires).collect();
            let (_, &mut median, _) = expiries.select_nth_unstable(MAX_TOKENS / 2);
            self.issued.retain(|_, t| t.expires > median);
        }
        self.count += 1;
        let expires = now
            .checked_add_signed(lifetime)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let header = json!({"alg": "HS256", "typ": "JWT"});
        let claims = json!({
            "iss": "plaspy-sandbox",
            "sub": username,
            "iat": now.timestamp(),
            "exp": expires.timestamp(),
            "jti": format!("{:x}", self.count),
        });
        let signature: Vec<u8> = (0..4)
            .flat_map(|_| self.rng.next_u64().to_le_bytes())
            .collect();
        let token = format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string()),
            URL_SAFE_NO_PAD.encode(signature)
        );
        self.issued.insert(
            token.clone(),
            Issued {
                username: username.to_owned(),
                expires,
            },
        );
        (token, expires)
    }

    /// The user name a token was issued to, or why it is refused.
    pub(crate) fn check(&self, token: &str, now: DateTime<Utc>) -> Result<String, ApiError> {
        if !well_formed(token) {
            return Err(ApiError::unauthorized(
                "Malformed token: expected a JWT (three base64url parts separated by dots)",
            ));
        }
        match self.issued.get(token) {
            None => Err(ApiError::unauthorized("Invalid token")),
            Some(t) if t.expires <= now => Err(ApiError::unauthorized("The token has expired")),
            Some(t) => Ok(t.username.clone()),
        }
    }

    /// Expires every token issued so far; returns how many were still valid.
    pub(crate) fn expire_all(&mut self, now: DateTime<Utc>) -> usize {
        let mut live = 0;
        for t in self.issued.values_mut() {
            if t.expires > now {
                live += 1;
                t.expires = now;
            }
        }
        live
    }
}

fn well_formed(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    let json_object = |part: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .is_some_and(|v| v.is_object())
    };
    json_object(parts[0]) && json_object(parts[1]) && URL_SAFE_NO_PAD.decode(parts[2]).is_ok()
}

/// The bearer token of a request.
fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::unauthorized(
            "Missing Authorization header: send `Authorization: Bearer <token>` \
             with a token from POST /api/Auth/Token",
        ));
    };
    let malformed =
        || ApiError::unauthorized("Malformed Authorization header: expected `Bearer <token>`");
    let value = value.to_str().map_err(|_| malformed())?.trim();
    let (scheme, token) = value.split_once(' ').ok_or_else(malformed)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(malformed());
    }
    Ok(token)
}

/// An authenticated, counted request: who made it and the counters after it.
///
/// Extracting it answers 401 (no, malformed, unknown or expired token) or 429 (rate limit).
pub(crate) struct Ctx {
    /// The sandbox.
    pub(crate) state: Shared,
    /// The caller's account.
    pub(crate) account: Arc<AccountState>,
    /// The account's counters, this request included.
    pub(crate) usage: Usage,
}

impl FromRequestParts<Shared> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Response> {
        let token = bearer(&parts.headers).map_err(IntoResponse::into_response)?;
        let username = state
            .lock_tokens()
            .check(token, state.now())
            .map_err(IntoResponse::into_response)?;
        let account = state
            .account(&username)
            .cloned()
            .ok_or_else(|| ApiError::unauthorized("Invalid token").into_response())?;
        let usage = state
            .count_request(&account)
            .map_err(IntoResponse::into_response)?;
        Ok(Ctx {
            state: state.clone(),
            account,
            usage,
        })
    }
}

impl Ctx {
    /// The response for a handler's result, with this request's counters.
    pub(crate) fn reply(&self, result: ApiResult) -> Response {
        match result {
            Ok(success) => success.into_response(Some(self.usage), self.state.quirks_seed()),
            Err(error) => error.with_usage(self.usage).into_response(),
        }
    }

    /// The sandbox's time.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.state.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_jwt_shaped_and_expire() {
        let mut tokens = Tokens::new();
        let now: DateTime<Utc> = "2030-01-01T00:00:00Z".parse().unwrap();
        let (token, expires) = tokens.issue("demo", now, chrono::Duration::seconds(60));
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(expires.timestamp() - now.timestamp(), 60);
        assert_eq!(tokens.check(&token, now).unwrap(), "demo");
        assert!(tokens.check(&token, expires).is_err());
        assert!(tokens.check("a.b.c", now).is_err());
        let (other, _) = tokens.issue("demo", now, chrono::Duration::seconds(60));
        assert_ne!(token, other);
        assert_eq!(tokens.expire_all(now), 2);
        assert!(tokens.check(&other, now).is_err());
    }
}
