//! Client settings and their validation.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use plaspy_types::envelope::DecodeLimits;
use plaspy_types::policy::clock::{Clock, SystemClock};
use plaspy_types::policy::retry::RetryPolicy;
use plaspy_types::policy::token::TokenPolicy;
use plaspy_types::{Credentials, DEFAULT_BASE_URL, Error, Result};

/// Default limit for one attempt of a request (connect, send, wait, read): 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit for establishing a connection: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default largest response body read, after decompression: 256 MiB (a long track query
/// can be large).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;

/// What a transport needs to build its HTTP client.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportConfig {
    /// Limit for one attempt of a request (each request carries its own, possibly shorter,
    /// limit in [`Outgoing::timeout`](crate::Outgoing::timeout)).
    pub timeout: Duration,
    /// Limit for establishing a connection.
    pub connect_timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// The largest response body read, after decompression; a larger one fails with
    /// [`Error::ResponseTooLarge`].
    pub max_response_bytes: u64,
}

/// Validated client settings.
#[derive(Clone)]
#[non_exhaustive]
pub struct Config {
    /// The account credentials.
    pub credentials: Credentials,
    /// The base URL, without a trailing slash.
    pub base_url: String,
    /// Settings for the transport.
    pub transport: TransportConfig,
    /// Retry and backoff.
    pub retry: RetryPolicy,
    /// Limit for a whole call, token request, retries and waits included (`None`: only the
    /// per-attempt timeout and the retry policy bound it).
    pub deadline: Option<Duration>,
    /// Limits on what one reply may hold (records per reply).
    pub limits: DecodeLimits,
    /// Token renewal.
    pub token: TokenPolicy,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
    /// The most requests per minute the client sends, across all clones (`None`: no limit).
    pub rate_limit: Option<u32>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("transport", &self.transport)
            .field("retry", &self.retry)
            .field("deadline", &self.deadline)
            .field("limits", &self.limits)
            .field("token", &self.token)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

/// Settings gathered by a builder, before validation.
#[derive(Clone, Default)]
pub(crate) struct Draft {
    /// The key is a [`Secret`](plaspy_types::Secret) from the moment it enters the builder.
    pub credentials: Option<Credentials>,
    pub base_url: Option<String>,
    pub timeout: Option<Duration>,
    pub deadline: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    pub user_agent: Option<String>,
    pub max_records: Option<usize>,
    pub max_expansion: Option<usize>,
    pub retry: Option<RetryPolicy>,
    pub token: Option<TokenPolicy>,
    pub clock: Option<Arc<dyn Clock>>,
    pub rate_limit: Option<u32>,
    pub max_response_bytes: Option<u64>,
    pub allow_insecure_http: bool,
}

impl Draft {
    /// The builder's `Debug`: the settings, never the API key.
    pub(crate) fn debug(&self, f: &mut fmt::Formatter<'_>, custom_agent: bool) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("rate_limit", &self.rate_limit)
            .field("max_records", &self.max_records)
            .field("max_expansion", &self.max_expansion)
            .field("custom_agent", &custom_agent)
            .finish_non_exhaustive()
    }
}

impl Draft {
    /// Checks everything and fills in the defaults.
    pub(crate) fn finish(self) -> Result<Config> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::invalid_config(
                "no credentials: call .credentials(username, api_key) or use Client::from_env()",
            )
        })?;
        credentials.validate()?;
        let base_url = check_base_url(
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            self.allow_insecure_http,
        )?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        if timeout.is_zero() || connect_timeout.is_zero() || self.deadline == Some(Duration::ZERO) {
            return Err(Error::invalid_config("timeouts must be greater than zero"));
        }
        let retry = self.retry.unwrap_or_default();
        if self.max_records == Some(0) {
            return Err(Error::invalid_config("max_records must be at least 1"));
        }
        if self.max_expansion == Some(0) {
            return Err(Error::invalid_config("max_expansion must be at least 1"));
        }
        if retry.max_attempts == 0 {
            return Err(Error::invalid_config("max_attempts must be at least 1"));
        }
        if self.rate_limit == Some(0) {
            return Err(Error::invalid_config(
                "the rate limit must be at least 1 request per minute",
            ));
        }
        Ok(Config {
            credentials,
            base_url,
            transport: TransportConfig {
                timeout,
                connect_timeout,
                user_agent: self.user_agent.unwrap_or_else(default_user_agent),
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            },
            retry,
            deadline: self.deadline,
            limits: {
                let limits = self
                    .max_records
                    .map_or_else(DecodeLimits::default, DecodeLimits::max_records);
                match self.max_expansion {
                    Some(factor) => limits.with_max_expansion(factor),
                    None => limits,
                }
            },
            token: self.token.unwrap_or_default(),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            rate_limit: self.rate_limit,
        })
    }
}

fn default_user_agent() -> String {
    format!("plaspy-rs/{}", env!("CARGO_PKG_VERSION"))
}

/// Checks a base URL and returns it without a trailing slash.
///
/// `https` is required, except for loopback hosts (`localhost`, `127.0.0.1`, `[::1]`),
/// where `http` is allowed for local sandboxes. Query strings and fragments are refused.
///
/// ```
/// use plaspy_core::validate_base_url;
/// assert_eq!(validate_base_url("https://api.plaspy.com/").unwrap(), "https://api.plaspy.com");
/// assert!(validate_base_url("http://127.0.0.1:8080").is_ok());
/// assert!(validate_base_url("http://api.plaspy.com").is_err());
/// ```
pub fn validate_base_url(raw: &str) -> Result<String> {
    check_base_url(raw, false)
}

/// [`validate_base_url`], with plain `http` to any host allowed (and warned about) when
/// `allow_insecure_http` is set.
pub(crate) fn check_base_url(raw: &str, allow_insecure_http: bool) -> Result<String> {
    let raw = raw.trim();
    let url = url::Url::parse(raw)
        .map_err(|e| Error::invalid_config(format!("`{raw}` is not a valid base URL ({e})")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid_config(format!(
            "the base URL `{raw}` must not have a query or fragment"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_config(
            "the base URL must not carry credentials",
        ));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => {
            return Err(Error::invalid_config(format!(
                "the base URL `{raw}` has no host"
            )));
        }
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" if allow_insecure_http => {
            tracing::warn!(
                host = url.host_str().unwrap_or_default(),
                "plain http to a host that is not loopback (allow_insecure_http): \
                 the API key and the tokens travel unencrypted"
            );
        }
        "http" => {
            return Err(Error::invalid_config(format!(
                "refusing plain http to `{}`: use https (http is only allowed for localhost, 127.0.0.1 and [::1], or with allow_insecure_http(true))",
                url.host_str().unwrap_or_default()
            )));
        }
        other => {
            return Err(Error::invalid_config(format!(
                "unsupported URL scheme `{other}` (use https)"
            )));
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            validate_base_url("https://example.com/plaspy/").unwrap(),
            "https://example.com/plaspy"
        );
        assert_eq!(
            validate_base_url("http://localhost:3000").unwrap(),
            "http://localhost:3000"
        );
        assert!(validate_base_url("http://[::1]:3000").is_ok());
        assert!(validate_base_url("http://127.0.0.2").is_ok());
        let e = validate_base_url("http://10.0.0.1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("use https"), "{e}");
        assert!(validate_base_url("ftp://example.com").is_err());
        assert!(validate_base_url("not a url").is_err());
        assert!(validate_base_url("https://u:p@example.com").is_err());
        assert!(validate_base_url("https://example.com?x=1").is_err());
    }

    #[test]
    fn insecure_http_only_when_allowed() {
        assert!(check_base_url("http://sandbox:8080", false).is_err());
        assert_eq!(
            check_base_url("http://sandbox:8080/", true).unwrap(),
            "http://sandbox:8080"
        );
        // Allowing http does not allow anything else.
        assert!(check_base_url("ftp://sandbox", true).is_err());
        assert!(check_base_url("http://u:p@sandbox", true).is_err());
    }
}
