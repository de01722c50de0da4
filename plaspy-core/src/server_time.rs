//! The server's clock, as its `Date` headers tell it.

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, Utc};

/// The latest `Date` header the server sent and when it arrived (monotonic), shared by all
/// clones of a client.
#[derive(Debug, Default)]
pub(crate) struct ServerTime(Mutex<Option<(DateTime<Utc>, Instant)>>);

impl ServerTime {
    /// Records a response's `Date` header (an HTTP date); anything else is ignored.
    pub(crate) fn observe(&self, date: Option<&str>) {
        let Some(at) = date.and_then(|d| httpdate::parse_http_date(d).ok()) else {
            return;
        };
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((DateTime::<Utc>::from(at), Instant::now()));
    }

    /// The server's present: the latest `Date` plus the time elapsed since it arrived;
    /// `None` before any response carried one.
    pub(crate) fn now(&self) -> Option<DateTime<Utc>> {
        let (date, seen) = (*self.0.lock().unwrap_or_else(|p| p.into_inner()))?;
        let elapsed = chrono::Duration::from_std(seen.elapsed()).unwrap_or_default();
        date.checked_add_signed(elapsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_latest_date_header() {
        let time = ServerTime::default();
        assert_eq!(time.now(), None);
        time.observe(Some("not a date"));
        time.observe(None);
        assert_eq!(time.now(), None);
        time.observe(Some("Tue, 01 Jan 2030 08:00:00 GMT"));
        let now = time.now().unwrap();
        let expected: DateTime<Utc> = "2030-01-01T08:00:00Z".parse().unwrap();
        assert!(
            now >= expected && now < expected + chrono::Duration::minutes(1),
            "{now}"
        );
    }
}
