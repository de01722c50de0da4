//! How a sandbox is set up: address, seed, accounts, token lifetime, limits, faults, clock.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use plaspy_types::policy::clock::{Clock, SystemClock};

use crate::faults::FaultConfig;
use crate::fleet::{DEMO_DEVICES, MAX_DEVICES};

/// The user name of the demo account.
pub const DEMO_USERNAME: &str = "demo";
/// The API key of the demo account.
pub const DEMO_API_KEY: &str = "demo-key";

/// An account the token endpoint accepts; each account has its own fleet, groups and users.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// The user name (matched case-insensitively).
    pub username: String,
    /// The API key (matched exactly).
    pub api_key: String,
}

impl Account {
    /// An account with this user name and API key.
    ///
    /// ```
    /// let account = plaspy_sandbox::Account::new("acme", "acme-key");
    /// assert!(!format!("{account:?}").contains("acme-key"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(username: impl Into<String>, api_key: impl Into<String>) -> Self {
        Account {
            username: username.into(),
            api_key: api_key.into(),
        }
    }

    /// The demo account, [`DEMO_USERNAME`] / [`DEMO_API_KEY`].
    ///
    /// ```
    /// let demo = plaspy_sandbox::Account::demo();
    /// assert_eq!(demo.username, plaspy_sandbox::DEMO_USERNAME);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn demo() -> Self {
        Account::new(DEMO_USERNAME, DEMO_API_KEY)
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("username", &self.username)
            .field("api_key", &"[redacted]")
            .finish()
    }
}

impl FromStr for Account {
    type Err = String;

    /// Parses `USER:KEY` (the key may itself contain `:`).
    fn from_str(s: &str) -> Result<Self, String> {
        match s.split_once(':') {
            Some((user, key)) if !user.trim().is_empty() && !key.is_empty() => {
                Ok(Account::new(user.trim(), key))
            }
            _ => Err(format!("`{s}` is not USER:KEY")),
        }
    }
}

/// Everything a sandbox is started with. `SandboxConfig::default()` is the demo account on
/// `127.0.0.1` with an ephemeral port, seed 42, the 27-device demo fleet, one-hour tokens,
/// no rate limit, no faults, the system clock, a 31-day range limit and a reply cap of
/// 100,000 records.
///
/// ```
/// use std::sync::Arc;
/// use plaspy_sandbox::{Account, SandboxConfig};
/// use plaspy_types::policy::clock::ManualClock;
///
/// let clock = ManualClock::new("2030-01-01T12:00:00Z".parse().unwrap());
/// let config = SandboxConfig {
///     seed: 7,
///     accounts: vec![Account::demo(), Account::new("acme", "acme-key")],
///     rate_limit: Some(120),
///     clock: Arc::new(clock),
///     devices: 1_000,
///     max_range_days: 7,
///     ..SandboxConfig::default()
/// };
/// assert!(config.validate().is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// The seed of the simulated data: the same seed gives the same fleet, groups and users.
    pub seed: u64,
    /// How long a token lives.
    pub token_lifetime: Duration,
    /// At most this many requests per minute per account (429 beyond); `None`: no limit.
    pub rate_limit: Option<u32>,
    /// The accounts; at least one.
    pub accounts: Vec<Account>,
    /// Faults injected from the start (none by default).
    pub faults: FaultConfig,
    /// Where the sandbox reads the time: positions, token expiry, counters, `Date` headers.
    pub clock: Arc<dyn Clock>,
    /// How many devices each account's fleet has (default 27, the demo fleet; at most
    /// 100,000). The first 27 are always the demo devices; more are drawn under the same
    /// rules, deterministically for the seed.
    pub devices: usize,
    /// The longest date range a locations or alerts query may span, in days (default 31,
    /// as the real API). A longer range is refused with 400, naming this limit.
    pub max_range_days: u32,
    /// The reply cap: the most fixes (or alerts) one locations (or alerts) query returns
    /// (default 100,000). Beyond it the reply is cut at the cap, or refused with 400 naming
    /// the cap when [`SandboxConfig::refuse_over_cap`] is set.
    pub max_records: usize,
    /// Refuse (400) a query whose reply would exceed [`SandboxConfig::max_records`] instead
    /// of truncating it (default `false`: truncate).
    pub refuse_over_cap: bool,
    /// The most connections served at once (default 512); a connection over the limit is
    /// answered 503 and closed at once.
    pub max_connections: usize,
    /// The longest wait for a request's headers, an idle keep-alive connection's next
    /// request included, and between two pieces of a request body (default 30 s); then
    /// the connection is closed.
    pub read_timeout: Duration,
    /// The most groups, and the most users, one account stores (default 1,000 each); a
    /// create beyond it is refused with 400 naming the limit.
    pub max_objects: usize,
    /// The largest group or user stored, as JSON (default 64 KiB), checked on create,
    /// replace and after each JSON Patch operation; also the longest command text.
    pub max_object_bytes: usize,
    /// The most operations in one JSON Patch (default 100).
    pub max_patch_operations: usize,
    /// The quirks mode (default `false`: tidy answers): every successful answer spelt in
    /// the shapes the contract's robustness notes list (date-times without offset or with
    /// 7 fractional digits, numeric ids, `null` for absent fields, integers as `12.0`,
    /// unknown extra fields, empty lists as `null`), deterministically from the seed and
    /// spread over the data. The values are those of the tidy mode. See
    /// [`SandboxConfig::quirks`].
    pub quirks: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            seed: 42,
            token_lifetime: Duration::from_secs(3600),
            rate_limit: None,
            accounts: vec![Account::demo()],
            faults: FaultConfig::default(),
            clock: Arc::new(SystemClock),
            devices: DEMO_DEVICES,
            max_range_days: 31,
            max_records: 100_000,
            refuse_over_cap: false,
            max_connections: 512,
            read_timeout: Duration::from_secs(30),
            max_objects: 1_000,
            max_object_bytes: 64 * 1024,
            max_patch_operations: 100,
            quirks: false,
        }
    }
}

impl SandboxConfig {
    /// This configuration with the quirks mode on or off: answers spelt in every shape the
    /// API contract lists, with the same data as the tidy mode (see the crate docs).
    ///
    /// ```
    /// let sandbox = plaspy_sandbox::start(plaspy_sandbox::SandboxConfig::default().quirks(true))?;
    /// # drop(sandbox);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn quirks(mut self, on: bool) -> Self {
        self.quirks = on;
        self
    }

    /// Checks the configuration: at least one account, distinct non-empty user names,
    /// non-empty keys, a positive token lifetime and rate limit, and valid faults.
    ///
    /// ```
    /// use plaspy_sandbox::SandboxConfig;
    ///
    /// assert!(SandboxConfig::default().validate().is_ok());
    /// assert!(SandboxConfig { accounts: vec![], ..SandboxConfig::default() }.validate().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> io::Result<()> {
        let invalid = |msg: String| Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
        if self.accounts.is_empty() {
            return invalid("the sandbox needs at least one account".into());
        }
        for (i, account) in self.accounts.iter().enumerate() {
            if account.username.trim().is_empty() || account.api_key.is_empty() {
                return invalid(format!("account #{} has an empty user name or key", i + 1));
            }
            let twice = self.accounts[..i]
                .iter()
                .any(|a| a.username.eq_ignore_ascii_case(&account.username));
            if twice {
                return invalid(format!("account `{}` is listed twice", account.username));
            }
        }
        if self.token_lifetime.is_zero() {
            return invalid("the token lifetime must be positive".into());
        }
        if self.rate_limit == Some(0) {
            return invalid("the rate limit must be positive (or none)".into());
        }
        if self.devices > MAX_DEVICES {
            return invalid(format!(
                "at most {MAX_DEVICES} devices per fleet (asked for {})",
                self.devices
            ));
        }
        if self.max_range_days == 0 {
            return invalid("the range limit (max_range_days) must be at least 1 day".into());
        }
        if self.max_records == 0 {
            return invalid("the reply cap (max_records) must be at least 1".into());
        }
        let positive = [
            ("max_connections", self.max_connections),
            ("max_objects", self.max_objects),
            ("max_object_bytes", self.max_object_bytes),
            ("max_patch_operations", self.max_patch_operations),
        ];
        if let Some((name, _)) = positive.iter().find(|(_, value)| *value == 0) {
            return invalid(format!("{name} must be at least 1"));
        }
        if self.read_timeout.is_zero() {
            return invalid("the read timeout must be positive".into());
        }
        self.faults
            .validate()
            .map_err(|msg| io::Error::new(io::ErrorKind::InvalidInput, msg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_parse_and_validate() {
        let a: Account = "acme:k:ey".parse().unwrap();
        assert_eq!((a.username.as_str(), a.api_key.as_str()), ("acme", "k:ey"));
        assert!("acme".parse::<Account>().is_err());
        assert!(":key".parse::<Account>().is_err());
        assert!(!format!("{a:?}").contains("k:ey"));
        let twice = SandboxConfig {
            accounts: vec![Account::demo(), Account::new("DEMO", "x")],
            ..Default::default()
        };
        assert!(twice.validate().is_err());
        assert!(SandboxConfig::default().validate().is_ok());
    }
}
