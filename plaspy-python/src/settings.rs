//! The settings `Client(...)` and `AsyncClient(...)` take besides the credentials.

use std::time::Duration;

/// `base_url=`, `timeout=` (milliseconds here) and `rate_limit=` (requests per minute).
#[derive(Debug, Default)]
pub struct Settings {
    /// Where requests go; the SDK's default when `None`.
    pub base_url: Option<String>,
    /// The limit of one attempt.
    pub timeout_ms: Option<u64>,
    /// At most this many requests per minute.
    pub rate_limit: Option<u32>,
}

/// Applies [`Settings`] to either flavour's builder (they have the same methods).
macro_rules! apply {
    ($settings:expr, $builder:expr) => {{
        let settings = $settings;
        let mut builder = $builder;
        if let Some(url) = settings.base_url {
            builder = builder.base_url(url);
        }
        if let Some(ms) = settings.timeout_ms {
            builder = builder.timeout(Duration::from_millis(ms));
        }
        if let Some(rpm) = settings.rate_limit {
            builder = builder.rate_limit(rpm);
        }
        builder
    }};
}

impl Settings {
    /// The blocking builder with these settings.
    pub fn apply_blocking(
        self,
        builder: plaspy_blocking::ClientBuilder,
    ) -> plaspy_blocking::ClientBuilder {
        apply!(self, builder)
    }

    /// The async builder with these settings.
    pub fn apply_async(self, builder: plaspy_async::ClientBuilder) -> plaspy_async::ClientBuilder {
        apply!(self, builder)
    }
}
