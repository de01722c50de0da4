//! [`SandboxControl`]: a sandbox's state, for building its router and steering it from
//! code (the same switches as the `/_sandbox` routes).

use std::future::Future;
use std::io;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::commands::CommandRecord;
use crate::config::SandboxConfig;
use crate::faults::FaultConfig;
use crate::routes;
use crate::state::{SandboxState, Shared};

/// A sandbox's shared state. Cheap to clone; every clone steers the same sandbox.
///
/// ```
/// use plaspy_sandbox::{FaultConfig, SandboxConfig, SandboxControl};
///
/// let control = SandboxControl::new(SandboxConfig::default()).unwrap();
/// control.set_faults(FaultConfig { fail_next: 2, ..FaultConfig::none() }).unwrap();
/// assert_eq!(control.faults().fail_next, 2);
/// let app: axum::Router = control.router(); // mount it, or serve it with `control.serve(..)`
/// # drop(app);
/// ```
#[derive(Debug, Clone)]
pub struct SandboxControl {
    state: Shared,
}

impl SandboxControl {
    /// A sandbox built from `config` (its `bind` and `port` are not used here).
    ///
    /// Fails with [`io::ErrorKind::InvalidInput`] if the configuration is invalid.
    ///
    /// ```
    /// use plaspy_sandbox::{SandboxConfig, SandboxControl};
    ///
    /// let control = SandboxControl::new(SandboxConfig { seed: 7, ..SandboxConfig::default() })?;
    /// # drop(control);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(config: SandboxConfig) -> io::Result<Self> {
        Ok(SandboxControl {
            state: Arc::new(SandboxState::new(&config)?),
        })
    }

    /// The HTTP application: the `/api` endpoints and the `/_sandbox` control routes.
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// let app: axum::Router = control.router(); // nest it in your own axum app
    /// # drop(app);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn router(&self) -> axum::Router {
        routes::router(self.state.clone())
    }

    /// Serves the sandbox on `listener` until `shutdown` completes, then stops gracefully.
    /// HTTP/1.1, with the connection limit and read timeout of the configuration.
    ///
    /// ```no_run
    /// use plaspy_sandbox::{SandboxConfig, SandboxControl};
    ///
    /// # async fn run() -> std::io::Result<()> {
    /// let control = SandboxControl::new(SandboxConfig::default())?;
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
    /// control.clone().serve(listener, async { let _ = tokio::signal::ctrl_c().await; }).await?;
    /// # Ok(())
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        let limits = self.state.conn_limits;
        crate::listen::serve(self.router(), listener, limits, shutdown).await
    }

    /// The current fault switches.
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// assert!(control.faults().is_off());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn faults(&self) -> FaultConfig {
        self.state.lock_faults().config.clone()
    }

    /// Replaces the fault switches (fails if a rate is outside 0..=1 or the status is not
    /// a 4xx/5xx).
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// use plaspy_sandbox::FaultConfig;
    ///
    /// control.set_faults(FaultConfig { latency_ms: 200, error_rate: 0.1, ..FaultConfig::none() })?;
    /// assert!(control.set_faults(FaultConfig { error_rate: 2.0, ..FaultConfig::none() }).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_faults(&self, faults: FaultConfig) -> io::Result<()> {
        faults
            .validate()
            .map_err(|msg| io::Error::new(io::ErrorKind::InvalidInput, msg))?;
        self.state.lock_faults().config = faults;
        Ok(())
    }

    /// Expires every token issued so far (new ones work); returns how many were live.
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// assert_eq!(control.expire_tokens(), 0); // none issued yet
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expire_tokens(&self) -> usize {
        self.state.lock_tokens().expire_all(self.state.now())
    }

    /// Every command received so far, oldest first.
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// assert!(control.commands().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn commands(&self) -> Vec<CommandRecord> {
        self.state.lock_commands().list(None, None)
    }

    /// The commands received for one device, oldest first.
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// for record in control.device_commands("dev-03") {
    ///     println!("#{} {} ({:?})", record.seq, record.command, record.format);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn device_commands(&self, device_id: &str) -> Vec<CommandRecord> {
        self.state.lock_commands().list(Some(device_id), None)
    }

    /// Forgets the commands received; returns how many there were.
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// assert_eq!(control.clear_commands(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn clear_commands(&self) -> usize {
        self.state.lock_commands().clear()
    }

    /// The requests-per-minute limit per account.
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// assert_eq!(control.rate_limit(), None); // the default
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rate_limit(&self) -> Option<u32> {
        self.state.rate_limit()
    }

    /// Sets (or, with `None` or 0, lifts) the requests-per-minute limit per account.
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// control.set_rate_limit(Some(60)); // then 429 beyond 60 requests a minute
    /// assert_eq!(control.rate_limit(), Some(60));
    /// control.set_rate_limit(None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_rate_limit(&self, requests_per_minute: Option<u32>) {
        self.state.set_rate_limit(requests_per_minute);
    }

    /// The sandbox's time (its clock plus any offset).
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// let before = control.now();
    /// control.advance_clock(60);
    /// assert!(control.now() >= before + chrono::Duration::seconds(60));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn now(&self) -> DateTime<Utc> {
        self.state.now()
    }

    /// Moves the sandbox's time by `seconds` (negative goes back), on top of its clock.
    /// A move that would take the offset beyond 100 years either way, or the time outside
    /// the years 1970 to 9999, is not made: see [`SandboxControl::try_advance_clock`] to
    /// learn about it.
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// control.advance_clock(86_400); // tomorrow, for the sandbox
    /// control.advance_clock(-86_400); // and back
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn advance_clock(&self, seconds: i64) {
        let _ = self.try_advance_clock(seconds);
    }

    /// Moves the sandbox's time by `seconds` (negative goes back) and returns the new time;
    /// fails with [`io::ErrorKind::InvalidInput`], moving nothing, if the offset would go
    /// beyond 100 years either way or the time outside the years 1970 to 9999.
    ///
    /// ```
    /// use plaspy_sandbox::{SandboxConfig, SandboxControl};
    ///
    /// let control = SandboxControl::new(SandboxConfig::default()).unwrap();
    /// let later = control.try_advance_clock(3_600).unwrap();
    /// assert!(later > chrono::Utc::now());
    /// assert!(control.try_advance_clock(i64::MAX).is_err());
    /// control.reset(); // the clock is back on time
    /// ```
    pub fn try_advance_clock(&self, seconds: i64) -> io::Result<DateTime<Utc>> {
        self.state
            .advance(seconds)
            .map_err(|msg| io::Error::new(io::ErrorKind::InvalidInput, msg))?;
        Ok(self.state.now())
    }

    /// Puts the groups, users and usage counters back as seeded, the clock back on its
    /// source (no offset) and clears the command log. Tokens, faults and the rate limit
    /// are kept.
    ///
    /// ```
    /// # use plaspy_sandbox::{SandboxConfig, SandboxControl};
    /// # let control = SandboxControl::new(SandboxConfig::default())?;
    /// control.advance_clock(3_600);
    /// control.reset();
    /// assert!(control.now() <= chrono::Utc::now());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reset(&self) {
        self.state.reset();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Account, DEMO_API_KEY};

    #[test]
    fn debug_shows_neither_keys_nor_the_fleet() {
        let control = SandboxControl::new(SandboxConfig {
            accounts: vec![Account::demo(), Account::new("acme", "top-secret")],
            ..SandboxConfig::default()
        })
        .unwrap();
        let shown = format!("{control:?}");
        assert!(
            shown.contains("acme") && shown.contains("devices: 27"),
            "{shown}"
        );
        assert!(!shown.contains("top-secret") && !shown.contains(DEMO_API_KEY));
        assert!(shown.len() < 400, "{shown}");
    }
}
