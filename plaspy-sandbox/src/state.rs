//! The state shared by all requests: accounts with their data and counters, tokens,
//! faults, the rate limit, the command log and the clock.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Datelike, Utc};
use plaspy_types::policy::clock::Clock;
use plaspy_types::{Group, User};

use crate::auth::Tokens;
use crate::commands::CommandLog;
use crate::config::SandboxConfig;
use crate::demo;
use crate::faults::FaultState;
use crate::fleet::Fleet;
use crate::listen::ConnLimits;
use crate::prng::{hash, hash_str};
use crate::reply::{ApiError, Usage};

/// The most the clock may be moved away from its source, either way: 100 years.
pub(crate) const MAX_OFFSET_SECS: i64 = 100 * 36_525 * 864;

/// The state, as handlers receive it.
pub(crate) type Shared = Arc<SandboxState>;

/// Locks a mutex, carrying on if a panicking thread poisoned it (the data stays usable:
/// every critical section leaves it consistent).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The whole sandbox.
pub(crate) struct SandboxState {
    /// The configured seed.
    pub(crate) seed: u64,
    /// How long a token lives.
    pub(crate) token_lifetime: chrono::Duration,
    /// The longest range of a locations or alerts query, days.
    pub(crate) max_range_days: u32,
    /// The most records one locations or alerts reply holds.
    pub(crate) max_records: usize,
    /// Refuse a reply over `max_records` instead of truncating it.
    pub(crate) refuse_over_cap: bool,
    /// Connection limit and read timeout.
    pub(crate) conn_limits: ConnLimits,
    /// The most groups (and users) per account.
    pub(crate) max_objects: usize,
    /// The largest stored object, JSON bytes.
    pub(crate) max_object_bytes: usize,
    /// The most operations of a JSON Patch.
    pub(crate) max_patch_operations: usize,
    /// Answers in the quirks mode.
    pub(crate) quirks: bool,
    clock: Arc<dyn Clock>,
    /// Seconds added to the clock by `POST /_sandbox/time`.
    offset_secs: AtomicI64,
    /// The accounts, in configuration order.
    pub(crate) accounts: Vec<Arc<AccountState>>,
    tokens: Mutex<Tokens>,
    faults: Mutex<FaultState>,
    rate_limit: Mutex<Option<u32>>,
    commands: Mutex<CommandLog>,
}

impl SandboxState {
    /// The state a configuration describes.
    pub(crate) fn new(config: &SandboxConfig) -> io::Result<Self> {
        config.validate()?;
        let accounts = config
            .accounts
            .iter()
            .map(|a| {
                let seed = hash(&[config.seed, hash_str(&a.username.to_lowercase())]);
                let fleet = Fleet::generate(seed, config.devices);
                let data = AccountData::seeded(seed, &fleet);
                Arc::new(AccountState {
                    username: a.username.clone(),
                    api_key: a.api_key.clone(),
                    seed,
                    fleet,
                    data: Mutex::new(data),
                    counters: Mutex::new(Counters::default()),
                })
            })
            .collect();
        let lifetime =
            chrono::Duration::from_std(config.token_lifetime).unwrap_or(chrono::Duration::MAX);
        Ok(SandboxState {
            seed: config.seed,
            token_lifetime: lifetime,
            max_range_days: config.max_range_days,
            max_records: config.max_records,
            refuse_over_cap: config.refuse_over_cap,
            conn_limits: ConnLimits {
                max_connections: config.max_connections,
                read_timeout: config.read_timeout,
            },
            max_objects: config.max_objects,
            max_object_bytes: config.max_object_bytes,
            max_patch_operations: config.max_patch_operations,
            quirks: config.quirks,
            clock: config.clock.clone(),
            offset_secs: AtomicI64::new(0),
            accounts,
            tokens: Mutex::new(Tokens::new()),
            faults: Mutex::new(FaultState::new(config.faults.clone(), config.seed)),
            rate_limit: Mutex::new(config.rate_limit),
            commands: Mutex::new(CommandLog::default()),
        })
    }

    /// The sandbox's time: the configured clock plus any offset set at runtime.
    /// Kept to whole milliseconds, so that date-times on the wire stay short.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        let clock = self.clock.now();
        let offset = self.offset_secs.load(Ordering::Relaxed);
        let now = chrono::Duration::try_seconds(offset)
            .and_then(|offset| clock.checked_add_signed(offset))
            .unwrap_or(clock);
        DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
    }

    /// The seed the quirks mode spells answers with; `None` in the tidy mode.
    pub(crate) fn quirks_seed(&self) -> Option<u64> {
        self.quirks.then_some(self.seed)
    }

    /// Moves the sandbox's time by `seconds`; returns the total offset. Refused (nothing
    /// moves) unless the offset stays within [`MAX_OFFSET_SECS`] either way and the time
    /// within the years 1970 to 9999.
    pub(crate) fn advance(&self, seconds: i64) -> Result<i64, String> {
        let clock = self.clock.now();
        let result =
            self.offset_secs
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                    let total = offset.checked_add(seconds)?;
                    let moved = clock.checked_add_signed(chrono::Duration::try_seconds(total)?)?;
                    let ok =
                        total.abs() <= MAX_OFFSET_SECS && (1970..=9999).contains(&moved.year());
                    ok.then_some(total)
                });
        match result {
            Ok(offset) => Ok(offset + seconds),
            Err(offset) => Err(format!(
                "Cannot move the clock by {seconds} s: the offset (now {offset} s) must stay within ±{MAX_OFFSET_SECS} s (100 years) and the time within the years 1970 to 9999"
            )),
        }
    }

    /// The offset added to the clock, seconds.
    pub(crate) fn offset(&self) -> i64 {
        self.offset_secs.load(Ordering::Relaxed)
    }

    /// The account with this user name (case-insensitive).
    pub(crate) fn account(&self, username: &str) -> Option<&Arc<AccountState>> {
        self.accounts
            .iter()
            .find(|a| a.username.eq_ignore_ascii_case(username.trim()))
    }

    /// The token table.
    pub(crate) fn lock_tokens(&self) -> MutexGuard<'_, Tokens> {
        lock(&self.tokens)
    }

    /// The fault switches.
    pub(crate) fn lock_faults(&self) -> MutexGuard<'_, FaultState> {
        lock(&self.faults)
    }

    /// The command log.
    pub(crate) fn lock_commands(&self) -> MutexGuard<'_, CommandLog> {
        lock(&self.commands)
    }

    /// The requests-per-minute limit per account.
    pub(crate) fn rate_limit(&self) -> Option<u32> {
        *lock(&self.rate_limit)
    }

    /// Sets the requests-per-minute limit per account.
    pub(crate) fn set_rate_limit(&self, limit: Option<u32>) {
        *lock(&self.rate_limit) = limit.filter(|&l| l > 0);
    }

    /// Counts one request of `account`: 429 beyond the rate limit, else the new counters.
    pub(crate) fn count_request(&self, account: &AccountState) -> Result<Usage, ApiError> {
        let now = self.now().timestamp();
        let limit = self.rate_limit();
        let mut c = lock(&account.counters);
        let minute = now.div_euclid(60);
        if c.minute != minute {
            c.minute = minute;
            c.in_minute = 0;
        }
        if let Some(limit) = limit
            && c.in_minute >= limit
        {
            let wait = (60 - now.rem_euclid(60)).max(1) as u64;
            return Err(ApiError::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                format!("Too many requests: the limit is {limit} per minute. Retry in {wait} s."),
            )
            .retry_after(wait)
            .with_usage(c.usage()));
        }
        c.in_minute += 1;
        let day = now.div_euclid(86_400);
        if c.day != day {
            c.day = day;
            c.daily = 0;
        }
        c.total += 1;
        c.daily += 1;
        Ok(c.usage())
    }

    /// Puts every account's groups, users and counters back as seeded, the clock back on
    /// its source (offset 0) and clears the command log. Tokens, faults and the rate limit
    /// are kept.
    pub(crate) fn reset(&self) {
        self.offset_secs.store(0, Ordering::Relaxed);
        for account in &self.accounts {
            *lock(&account.data) = AccountData::seeded(account.seed, &account.fleet);
            *lock(&account.counters) = Counters::default();
        }
        self.lock_commands().clear();
    }
}

impl fmt::Debug for SandboxState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxState")
            .field("seed", &self.seed)
            .field("now", &self.now())
            .field("accounts", &self.accounts)
            .finish_non_exhaustive()
    }
}

/// One account: credentials, its fleet, its groups and users, its counters.
pub(crate) struct AccountState {
    /// The user name.
    pub(crate) username: String,
    api_key: String,
    seed: u64,
    /// The simulated devices.
    pub(crate) fleet: Fleet,
    data: Mutex<AccountData>,
    counters: Mutex<Counters>,
}

impl fmt::Debug for AccountState {
    // Neither the key nor the whole fleet: just who it is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountState")
            .field("username", &self.username)
            .field("devices", &self.fleet.vehicles().len())
            .finish_non_exhaustive()
    }
}

impl AccountState {
    /// Whether `key` is this account's API key.
    pub(crate) fn key_matches(&self, key: &str) -> bool {
        // Constant-time enough for a sandbox: compare every byte.
        let (a, b) = (self.api_key.as_bytes(), key.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// The groups and users, locked.
    pub(crate) fn data(&self) -> MutexGuard<'_, AccountData> {
        lock(&self.data)
    }

    /// The counters as they are, without counting a request.
    pub(crate) fn usage(&self) -> Usage {
        lock(&self.counters).usage()
    }
}

/// The mutable data of an account.
#[derive(Debug)]
pub(crate) struct AccountData {
    /// Groups, in creation order.
    pub(crate) groups: Vec<Group>,
    /// Users, in creation order, `password` always `None`.
    pub(crate) users: Vec<User>,
    /// Passwords by user id (write-only: never answered).
    pub(crate) passwords: HashMap<String, String>,
    next_group: u64,
    next_user: u64,
}

impl AccountData {
    fn seeded(seed: u64, fleet: &Fleet) -> Self {
        let groups = demo::groups(seed, fleet);
        let users = demo::users(seed);
        AccountData {
            next_group: groups.len() as u64 + 1,
            next_user: users.len() as u64 + 1,
            groups,
            users,
            passwords: HashMap::new(),
        }
    }

    /// A fresh group id.
    pub(crate) fn next_group_id(&mut self) -> String {
        let id = format!("grp-{}", self.next_group);
        self.next_group += 1;
        id
    }

    /// A fresh user id.
    pub(crate) fn next_user_id(&mut self) -> String {
        let id = format!("usr-{}", self.next_user);
        self.next_user += 1;
        id
    }
}

/// Request counters and the rate-limit window of an account.
#[derive(Debug, Default)]
struct Counters {
    total: i64,
    daily: i64,
    /// The UTC day `daily` counts (days since 1970).
    day: i64,
    /// The minute `in_minute` counts (minutes since 1970).
    minute: i64,
    in_minute: u32,
}

impl Counters {
    fn usage(&self) -> Usage {
        Usage {
            total: self.total,
            daily: self.daily,
        }
    }
}
