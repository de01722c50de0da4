//! The client builder.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use plaspy_types::policy::clock::Clock;
use plaspy_types::policy::retry::RetryPolicy;
use plaspy_types::policy::token::TokenPolicy;
use plaspy_types::{Credentials, Result, Secret};

use super::Transport;
use super::client::Client;
use crate::TransportConfig;
use crate::config::Draft;

/// Builds the transport from the settings: a user's own HTTP agent goes in here.
type MakeTransport<T> = Arc<dyn Fn(&TransportConfig) -> Result<T> + Send + Sync>;

/// Builds a [`Client`] with non-default settings.
///
/// Every setting has a default except the credentials.
pub struct ClientBuilder<T> {
    pub(super) draft: Draft,
    /// `None`: the transport's own default HTTP client.
    pub(super) make: Option<MakeTransport<T>>,
    _transport: PhantomData<fn() -> T>,
}

impl<T> Clone for ClientBuilder<T> {
    fn clone(&self) -> Self {
        ClientBuilder {
            draft: self.draft.clone(),
            make: self.make.clone(),
            _transport: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for ClientBuilder<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.draft.debug(f, self.make.is_some())
    }
}

impl<T> Default for ClientBuilder<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> ClientBuilder<T> {
    /// A builder with every setting at its default.
    ///
    /// ```
    /// let builder = plaspy_blocking::ClientBuilder::new().credentials("me", "my-api-key");
    /// let client = builder.build()?; // the same as `Client::builder()`
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Self {
        ClientBuilder {
            draft: Draft::default(),
            make: None,
            _transport: PhantomData,
        }
    }

    /// The account's user name and API key (required).
    ///
    /// ```
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .build()?;
    /// assert_eq!(client.credentials().username, "me");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn credentials(mut self, username: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        self.draft.credentials = Some(Credentials::new(username, api_key));
        self
    }

    /// The API's base URL (default `https://api.plaspy.com`). Must be `https`, except for
    /// `localhost`, `127.0.0.1` and `[::1]`.
    ///
    /// ```
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .base_url("https://gps.example.com")
    ///     .build()?;
    /// assert_eq!(client.base_url(), "https://gps.example.com");
    /// // Plain http only to loopback (a local sandbox):
    /// assert!(plaspy_blocking::Client::builder().credentials("me", "key").base_url("http://example.com").build().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.draft.base_url = Some(url.into());
        self
    }

    /// Limit for one attempt of a request, connection and body included (default 30 s).
    /// A call that is retried makes several attempts: bound the whole call with
    /// [`deadline`](Self::deadline).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .timeout(Duration::from_secs(10))
    ///     .build()?;
    /// assert_eq!(client.config().transport.timeout, Duration::from_secs(10));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.draft.timeout = Some(timeout);
        self
    }

    /// Limit for a whole call — token request, every attempt and the waits between them
    /// (default: none, so only [`timeout`](Self::timeout) per attempt and the retry policy
    /// bound it). An attempt is cut short to what the deadline leaves, and no retry starts
    /// once it has passed. The [`Timeout`](plaspy_types::Error::Timeout) error says how many
    /// attempts were made over how long.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .timeout(Duration::from_secs(10)) // each attempt
    ///     .deadline(Duration::from_secs(25)) // the whole call, retries included
    ///     .build()?;
    /// assert_eq!(client.config().deadline, Some(Duration::from_secs(25)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.draft.deadline = Some(deadline);
        self
    }

    /// Limit for establishing a connection (default 10 s).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .connect_timeout(Duration::from_secs(3))
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.draft.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `plaspy-rs/VERSION`).
    ///
    /// ```
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .user_agent("fleet-report/1.2")
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.draft.user_agent = Some(user_agent.into());
        self
    }

    /// How many times a failed request that is safe to repeat is retried (default 2,
    /// i.e. 3 attempts in all; 0 disables retries).
    ///
    /// This and [`retry_policy`](Self::retry_policy) set the same policy: the later call
    /// wins for the number of attempts (`retry_policy` after `max_retries` replaces it,
    /// `max_retries` after `retry_policy` changes only that policy's attempts).
    ///
    /// ```
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .max_retries(5) // 6 attempts at most
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        let mut policy = self.draft.retry.unwrap_or_default();
        policy.max_attempts = retries.saturating_add(1);
        self.draft.retry = Some(policy);
        self
    }

    /// The most records (devices, positions, alerts, groups, users) one reply may hold
    /// (default 1,000,000). A reply with more fails with
    /// [`Error::Decode`](plaspy_types::Error::Decode) naming the limit instead of filling
    /// memory: split a long date range instead of raising it without need.
    ///
    /// ```
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .max_records(200_000)
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_records(mut self, max_records: usize) -> Self {
        self.draft.max_records = Some(max_records);
        self
    }

    /// How many times the size of a reply's body the texts in its lists and maps may take
    /// once decoded (default 4, and at least 1 MiB). A body of many tiny values (`"",` is
    /// 3 bytes on the wire and 24 in memory) then fails with
    /// [`Error::Decode`](plaspy_types::Error::Decode) instead of taking 8 to 14 times its
    /// size; real replies stay far below the default.
    ///
    /// ```
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .max_expansion(8)
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_expansion(mut self, factor: usize) -> Self {
        self.draft.max_expansion = Some(factor);
        self
    }

    /// The full retry and backoff policy. It replaces whatever
    /// [`max_retries`](Self::max_retries) set before; a later `max_retries` changes its
    /// number of attempts.
    ///
    /// ```
    /// use std::time::Duration;
    /// use plaspy_types::policy::retry::RetryPolicy;
    ///
    /// let mut policy = RetryPolicy::default();
    /// policy.base_delay = Duration::from_millis(500);
    /// policy.max_total_wait = Duration::from_secs(60);
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .retry_policy(policy)
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.draft.retry = Some(policy);
        self
    }

    /// When tokens are renewed (default: 60 s before they expire).
    ///
    /// ```
    /// use plaspy_types::policy::token::TokenPolicy;
    ///
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .token_policy(TokenPolicy::default())
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn token_policy(mut self, policy: TokenPolicy) -> Self {
        self.draft.token = Some(policy);
        self
    }

    /// The largest response body read, after decompression (default 256 MiB). A larger
    /// body fails with [`Error::ResponseTooLarge`](plaspy_types::Error::ResponseTooLarge),
    /// never retried.
    ///
    /// ```
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .max_response_bytes(64 * 1024 * 1024)
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.draft.max_response_bytes = Some(bytes);
        self
    }

    /// The most requests per minute to send (off by default), shared by every clone of the
    /// client and every concurrent caller: each request waits for its own slot, spaced
    /// `60 s / requests_per_minute` apart, without a busy loop. `0` is refused by `build`.
    ///
    /// Whatever this says, a `429` answer to a request that is safe to repeat pauses the
    /// whole client for as long as the server asks, and the call goes on.
    ///
    /// ```
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .rate_limit(60) // one request a second at most
    ///     .build()?;
    /// assert_eq!(client.config().rate_limit, Some(60));
    /// assert!(plaspy_blocking::Client::builder().credentials("me", "key").rate_limit(0).build().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rate_limit(mut self, requests_per_minute: u32) -> Self {
        self.draft.rate_limit = Some(requests_per_minute);
        self
    }

    /// The clock token freshness is judged by (default: the system clock). Tests use a
    /// [`ManualClock`](plaspy_types::policy::clock::ManualClock).
    ///
    /// ```
    /// use plaspy_types::policy::clock::ManualClock;
    ///
    /// let clock = ManualClock::new("2030-01-01T00:00:00Z".parse()?);
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .clock(clock.clone()) // keep a clone to move it
    ///     .build()?;
    /// clock.advance(std::time::Duration::from_secs(3600));
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.draft.clock = Some(Arc::new(clock));
        self
    }
}

impl<T> ClientBuilder<T> {
    /// Allows plain `http` to a host that is not loopback (default: refused, so the API key
    /// and tokens never travel unencrypted by mistake). For a sandbox reached by name, such
    /// as `http://sandbox:8080` in a docker-compose network. `build` logs a warning
    /// (`tracing::warn!`) when it is used for such a URL.
    ///
    /// ```
    /// # type ClientBuilder = plaspy_core::blocking::ClientBuilder<()>;
    /// let builder = ClientBuilder::new()
    ///     .credentials("demo", "demo-key")
    ///     .base_url("http://sandbox:8080")
    ///     .allow_insecure_http(true);
    /// ```
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.draft.allow_insecure_http = allow;
        self
    }

    /// Builds the transport from the user's own HTTP agent (`agent` / `http_client` in
    /// the flavour modules).
    pub(crate) fn with_http_client(mut self, agent: T::HttpClient) -> Self
    where
        T: crate::CustomHttpClient,
    {
        self.make = Some(Arc::new(move |config: &TransportConfig| {
            T::with_http_client(config, agent.clone())
        }));
        self
    }
}

impl<T: Transport> ClientBuilder<T> {
    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::InvalidConfig`](plaspy_types::Error::InvalidConfig) on missing
    /// credentials, a malformed base URL, or plain `http` to a host that is not loopback.
    ///
    /// ```
    /// let client = plaspy_blocking::Client::builder().credentials("me", "my-api-key").build()?;
    /// // No credentials: refused before any request.
    /// let err = plaspy_blocking::Client::builder().build().unwrap_err();
    /// assert!(matches!(err, plaspy_blocking::Error::InvalidConfig { .. }));
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Result<Client<T>> {
        let config = self.draft.finish()?;
        let transport = match &self.make {
            Some(make) => make(&config.transport)?,
            None => T::new(&config.transport)?,
        };
        Ok(Client::from_parts(config, transport))
    }
}
