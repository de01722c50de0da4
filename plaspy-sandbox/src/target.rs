//! Where a demo program connects: a real account from the environment, or a fresh sandbox.

use std::fmt;
use std::io;

use crate::{DEMO_API_KEY, DEMO_USERNAME, SandboxConfig, SandboxHandle};

/// Connection settings for examples and quick scripts.
///
/// [`DemoTarget::from_env_or_sandbox`] uses `PLASPY_USERNAME`, `PLASPY_API_KEY` and
/// `PLASPY_BASE_URL` when the user name is set, and otherwise starts a sandbox and uses its
/// demo account. Keep the value alive while connecting: dropping it stops the sandbox.
///
/// ```
/// let target = plaspy_sandbox::DemoTarget::from_env_or_sandbox().unwrap();
/// assert!(target.base_url.starts_with("http"));
/// ```
pub struct DemoTarget {
    /// The account's user name.
    pub username: String,
    /// The account's API key.
    pub api_key: String,
    /// The base URL to connect to.
    pub base_url: String,
    /// The sandbox started for the demo, if any.
    pub sandbox: Option<SandboxHandle>,
}

impl DemoTarget {
    /// The account in the environment, or a freshly started sandbox's demo account.
    ///
    /// ```
    /// let target = plaspy_sandbox::DemoTarget::from_env_or_sandbox()?;
    /// println!("{} at {}", target.username, target.base_url);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_env_or_sandbox() -> io::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if let Some(username) = var("PLASPY_USERNAME") {
            return Ok(DemoTarget {
                username,
                api_key: var("PLASPY_API_KEY").unwrap_or_default(),
                base_url: var("PLASPY_BASE_URL")
                    .unwrap_or_else(|| plaspy_types::DEFAULT_BASE_URL.to_owned()),
                sandbox: None,
            });
        }
        let sandbox = crate::start(SandboxConfig::default())?;
        eprintln!(
            "(PLASPY_USERNAME is not set: using a local sandbox at {})",
            sandbox.base_url()
        );
        Ok(DemoTarget {
            username: DEMO_USERNAME.to_owned(),
            api_key: DEMO_API_KEY.to_owned(),
            base_url: sandbox.base_url().to_owned(),
            sandbox: Some(sandbox),
        })
    }
}

impl fmt::Debug for DemoTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DemoTarget")
            .field("username", &self.username)
            .field("api_key", &"[redacted]")
            .field("base_url", &self.base_url)
            .field("sandbox", &self.sandbox.is_some())
            .finish()
    }
}
