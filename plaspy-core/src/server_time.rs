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
        let date = DateTime::<Utc>::from(at);
        let mut latest = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // A `Date` has whole seconds: one in the same second as the estimate reads earlier
        // than it. Keep the estimate then, so it never runs backwards; a server clock set
        // back further than that is taken as it is.
        if let Some(estimate) = estimate(*latest)
            && date <= estimate
            && estimate - date < chrono::Duration::seconds(2)
        {
            return;
        }
        *latest = Some((date, Instant::now()));
    }

    /// The server's present: the latest `Date` plus the time elapsed since it arrived;
    /// `None` before any response carried one.
    pub(crate) fn now(&self) -> Option<DateTime<Utc>> {
        estimate(*self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A `Date` plus the time elapsed since it arrived.
fn estimate(latest: Option<(DateTime<Utc>, Instant)>) -> Option<DateTime<Utc>> {
    let (date, seen) = latest?;
    let elapsed = chrono::Duration::from_std(seen.elapsed()).unwrap_or_default();
    date.checked_add_signed(elapsed)
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
        // The same second again does not move the estimate back.
        time.observe(Some("Tue, 01 Jan 2030 08:00:00 GMT"));
        assert!(time.now().unwrap() >= now);
        // A clock set back by an hour is believed.
        time.observe(Some("Tue, 01 Jan 2030 07:00:00 GMT"));
        assert!(time.now().unwrap() < expected);
    }
}
