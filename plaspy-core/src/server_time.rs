//! The server's clock, as its `Date` headers tell it.

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, Utc};

/// How many recent `Date` headers the estimate is judged from.
const SAMPLES: usize = 7;

/// The recent `Date` headers the server sent and when each arrived (monotonic), shared by
/// all clones of a client. The server's present is the median of what each says now, so
/// one wild header (a year ahead, a day behind) is outvoted; a clock that really moved is
/// believed once most recent answers agree.
#[derive(Debug, Default)]
pub(crate) struct ServerTime(Mutex<Vec<(DateTime<Utc>, Instant)>>);

impl ServerTime {
    /// Records a response's `Date` header (an HTTP date); anything else is ignored.
    pub(crate) fn observe(&self, date: Option<&str>) {
        let Some(at) = date.and_then(|d| httpdate::parse_http_date(d).ok()) else {
            return;
        };
        let date = DateTime::<Utc>::from(at);
        let mut samples = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // A `Date` has whole seconds: one in the same second as the estimate reads earlier
        // than it. Skip it then, so the estimate never runs backwards for that.
        if let Some(estimate) = estimate(&samples)
            && date <= estimate
            && estimate - date < chrono::Duration::seconds(2)
        {
            return;
        }
        if samples.len() == SAMPLES {
            samples.remove(0);
        }
        samples.push((date, Instant::now()));
    }

    /// The server's present: the median of the recent `Date`s, each plus the time elapsed
    /// since it arrived; `None` before any response carried one.
    pub(crate) fn now(&self) -> Option<DateTime<Utc>> {
        estimate(&self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// The median of the samples' estimates of the present (the later middle one of an even
/// count).
fn estimate(samples: &[(DateTime<Utc>, Instant)]) -> Option<DateTime<Utc>> {
    let mut nows: Vec<DateTime<Utc>> = samples
        .iter()
        .filter_map(|(date, seen)| {
            let elapsed = chrono::Duration::from_std(seen.elapsed()).unwrap_or_default();
            date.checked_add_signed(elapsed)
        })
        .collect();
    nows.sort_unstable();
    nows.get(nows.len() / 2).copied()
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
        // A clock set back by an hour is believed once most answers say so.
        for _ in 0..3 {
            time.observe(Some("Tue, 01 Jan 2030 07:00:00 GMT"));
        }
        assert!(time.now().unwrap() < expected);
    }

    #[test]
    fn one_wild_date_header_is_outvoted() {
        let time = ServerTime::default();
        for second in 0..3 {
            time.observe(Some(&format!("Tue, 01 Jan 2030 08:00:0{second} GMT")));
        }
        let sane: DateTime<Utc> = "2030-01-01T08:00:00Z".parse().unwrap();
        time.observe(Some("Wed, 01 Jan 2031 08:00:03 GMT"));
        let now = time.now().unwrap();
        assert!(
            now >= sane && now < sane + chrono::Duration::minutes(1),
            "{now}"
        );
        time.observe(Some("Mon, 31 Dec 2029 08:00:04 GMT"));
        let now = time.now().unwrap();
        assert!(
            now >= sane && now < sane + chrono::Duration::minutes(1),
            "{now}"
        );
    }
}
