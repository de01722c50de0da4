//! Where the SDK reads the time from, so tests can move it by hand.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// A source of the current UTC time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told to; clones share the same time.
///
/// ```
/// use std::time::Duration;
/// use plaspy_types::policy::clock::{Clock, ManualClock};
/// let clock = ManualClock::new("2030-01-01T00:00:00Z".parse().unwrap());
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(clock.now().to_rfc3339(), "2030-01-01T00:01:30+00:00");
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    /// A clock showing `start`.
    ///
    /// ```
    /// use plaspy_types::policy::clock::{Clock, ManualClock};
    ///
    /// let clock = ManualClock::new("2030-01-01T00:00:00Z".parse()?);
    /// assert_eq!(clock.now().to_rfc3339(), "2030-01-01T00:00:00+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    /// Moves the clock forward.
    ///
    /// ```
    /// use plaspy_types::policy::clock::{Clock, ManualClock};
    ///
    /// let clock = ManualClock::new("2030-01-01T00:00:00Z".parse()?);
    /// let shared = clock.clone();
    /// shared.advance(std::time::Duration::from_secs(60));
    /// assert_eq!(clock.now().to_rfc3339(), "2030-01-01T00:01:00+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *now += chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX);
    }

    /// Sets the clock.
    ///
    /// ```
    /// use plaspy_types::policy::clock::{Clock, ManualClock};
    ///
    /// let clock = ManualClock::new("2030-01-01T00:00:00Z".parse()?);
    /// clock.set("2031-06-01T12:00:00Z".parse()?);
    /// assert_eq!(clock.now().to_rfc3339(), "2031-06-01T12:00:00+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set(&self, to: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
