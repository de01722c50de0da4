//! The client: configuration, shared state, and the entry points to each resource.
//!
//! Written once as async code; `must_be_sync` turns it into the blocking flavour.

use std::fmt;
use std::sync::Arc;

use plaspy_types::{ApiUsage, Credentials, Endpoint, Result, Secret};

use super::builder::ClientBuilder;
use super::collection::{Groups, Users};
use super::devices::Devices;
use super::execute::CallOptions;
use super::fleet::Fleet;
use super::{RefreshLock, Transport, maybe};
use crate::pacer::Pacer;
use crate::state::{Auth, Usage};
use crate::{AccessToken, Config};

/// A Plaspy API client.
///
/// Cheap to clone: clones share the connection pool, the token cache and the usage
/// counters. `Debug` never shows the API key or the token.
pub struct Client<T> {
    pub(crate) inner: Arc<Inner<T>>,
    /// What this handle's calls change of the client's settings (a fan-out's throttle
    /// budget, for instance); the clones a fan-out hands its task carry its own.
    pub(super) defaults: CallOptions,
}

pub(crate) struct Inner<T> {
    pub(super) transport: T,
    pub(super) config: Config,
    pub(super) auth: Auth,
    pub(super) refresh: RefreshLock,
    pub(super) usage: Usage,
    pub(crate) pacer: Pacer,
    pub(super) server_time: crate::server_time::ServerTime,
}

impl<T> Clone for Client<T> {
    fn clone(&self) -> Self {
        Client {
            inner: Arc::clone(&self.inner),
            defaults: self.defaults,
        }
    }
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.config.base_url)
            .field("username", &self.inner.config.credentials.username)
            .field("api_key", &self.inner.config.credentials.api_key)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Client<T> {
    /// A client for `username` / `api_key` on the default base URL
    /// (`https://api.plaspy.com`) with default timeouts and retries.
    ///
    /// ```
    /// let client = plaspy_blocking::Client::new("me", "my-api-key")?; // no request yet
    /// assert_eq!(client.base_url(), "https://api.plaspy.com");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(username: impl Into<String>, api_key: impl Into<Secret>) -> Result<Self> {
        Self::builder().credentials(username, api_key).build()
    }

    /// A client configured from `PLASPY_USERNAME`, `PLASPY_API_KEY` and, if set,
    /// `PLASPY_BASE_URL`.
    ///
    /// ```no_run
    /// // PLASPY_USERNAME=me PLASPY_API_KEY=... [PLASPY_BASE_URL=...]
    /// let client = plaspy_blocking::Client::from_env()?;
    /// println!("{} devices", client.devices().list()?.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_env() -> Result<Self> {
        let (credentials, base_url) = crate::env::from_env()?;
        let mut builder = Self::builder().credentials(credentials.username, credentials.api_key);
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// A builder for every setting.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = plaspy_blocking::Client::builder()
    ///     .credentials("me", "my-api-key")
    ///     .timeout(Duration::from_secs(10))
    ///     .build()?;
    /// # drop(client);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder() -> ClientBuilder<T> {
        ClientBuilder::new()
    }

    pub(super) fn from_parts(config: Config, transport: T) -> Self {
        let pacer = Pacer::new(config.rate_limit);
        Client {
            inner: Arc::new(Inner {
                transport,
                config,
                auth: Auth::default(),
                refresh: RefreshLock::default(),
                usage: Usage::default(),
                pacer,
                server_time: Default::default(),
            }),
            defaults: CallOptions::default(),
        }
    }

    /// A handle on the same client whose calls may wait up to `options`' throttle budget
    /// for `429` pauses: what a fan-out gives its task.
    pub(crate) fn for_fan_out(&self, options: &crate::FleetOptions) -> Self {
        let mut client = self.clone();
        client.defaults.throttle_budget = Some(options.throttle_budget());
        client
    }

    /// Devices: list, details, positions, alerts and commands.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let devices = client.devices().list()?;
    /// let first = client.devices().get(devices[0].id())?;
    /// assert_eq!(first.id(), devices[0].id());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn devices(&self) -> Devices<'_, T> {
        Devices::new(self)
    }

    /// The whole fleet at once: every device with its last position.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let fleet = client.fleet().snapshot()?;
    /// assert_eq!(fleet.len(), 27);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fleet(&self) -> Fleet<'_, T> {
        Fleet::new(self)
    }

    /// Groups of devices: list, get, create, update, patch, delete.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// for group in client.groups().list()? {
    ///     println!("{} ({} devices)", group.name, group.devices.map_or(0, |d| d.len()));
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn groups(&self) -> Groups<'_, T> {
        Groups::new(self)
    }

    /// Users: list, get, create, update, patch, delete, plus the country and time-zone lists.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// for user in client.users().list()? {
    ///     println!("{} <{}>", user.name, user.email);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn users(&self) -> Users<'_, T> {
        Users::new(self)
    }

    /// The base URL requests go to.
    ///
    /// ```
    /// let client = plaspy_blocking::Client::new("me", "my-api-key")?;
    /// assert_eq!(client.base_url(), "https://api.plaspy.com");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn base_url(&self) -> &str {
        &self.inner.config.base_url
    }

    /// The settings in force.
    ///
    /// ```
    /// let client = plaspy_blocking::Client::new("me", "my-api-key")?;
    /// println!("each attempt: {:?}, retries: {}", client.config().transport.timeout, client.config().retry.max_attempts - 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The account's credentials (the API key stays redacted in `Debug`).
    ///
    /// ```
    /// let client = plaspy_blocking::Client::new("me", "my-api-key")?;
    /// assert_eq!(client.credentials().username, "me");
    /// assert!(!format!("{:?}", client.credentials()).contains("my-api-key"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn credentials(&self) -> &Credentials {
        &self.inner.config.credentials
    }

    /// The latest `apiUsage` / `apiDailyUsage` counters the server reported.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// client.devices().list()?;
    /// println!("calls so far: {:?}", client.usage());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn usage(&self) -> ApiUsage {
        self.inner.usage.get()
    }

    /// The server's present, estimated from the latest `Date` header it sent plus the time
    /// elapsed since; `None` before any response. Unlike this machine's clock, it is the
    /// time the server's data are measured against.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// assert!(client.server_time().is_none()); // nothing heard yet
    /// client.devices().list()?;
    /// let now = client.server_time().expect("the server sent a Date header");
    /// println!("the server says it is {now}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn server_time(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.inner.server_time.now()
    }
}

#[maybe(AFIT)]
impl<T: Transport> Client<T> {
    /// The current bearer token and its expiry, fetching one if none is fresh.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let token = client.token()?; // fetched once, then cached
    /// println!("expires {:?}", token.expires);
    /// assert_eq!(client.token()?.token.expose(), token.token.expose());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn token(&self) -> Result<AccessToken> {
        let cached = self.bearer(None).await?;
        Ok(AccessToken {
            token: cached.token,
            expires: cached.expires,
        })
    }

    /// Executes any endpoint with the client's auth, retries and usage tracking.
    ///
    /// The resource handlers ([`devices`](Self::devices), ...) are built on this; call it
    /// directly for an endpoint defined elsewhere.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use plaspy_types::endpoints::LastLocation;
    ///
    /// let fix = client.execute(&LastLocation { id: "dev-01" })?;
    /// println!("{fix:?}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn execute<E: Endpoint + Sync>(&self, endpoint: &E) -> Result<E::Output> {
        self.run(endpoint).await
    }
}
