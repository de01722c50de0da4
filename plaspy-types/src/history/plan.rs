use chrono::{DateTime, TimeDelta, Utc};

use crate::Error;

/// The per-query limits of the history endpoints (`locations`, `alerts`).
///
/// The real API does not publish them; the defaults are those it is known to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HistoryLimits {
    /// The longest span one query may cover. Default 31 days.
    pub max_window: TimeDelta,
    /// A reply with this many items (or more) may have been cut: its window is split and
    /// fetched again. Default 100,000. A lower cap the server applies without saying so is
    /// learnt from its replies (see [`ReplyCap`](super::ReplyCap)).
    pub reply_cap: usize,
    /// The longest range accepted at all, so that a typo in a year does not turn into
    /// thousands of requests. Default 365 days.
    pub max_range: TimeDelta,
    /// Windows are not split below this span. Default 1 second.
    pub min_window: TimeDelta,
}

impl Default for HistoryLimits {
    fn default() -> Self {
        HistoryLimits {
            max_window: TimeDelta::days(31),
            reply_cap: 100_000,
            max_range: TimeDelta::days(365),
            min_window: TimeDelta::seconds(1),
        }
    }
}

/// One query's range, both bounds inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// First instant (inclusive).
    pub from: DateTime<Utc>,
    /// Last instant (inclusive).
    pub to: DateTime<Utc>,
}

impl Window {
    /// The span of the window.
    ///
    /// ```
    /// use plaspy_types::history::{HistoryLimits, plan};
    ///
    /// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
    /// let window = plan(t0, t0 + chrono::Duration::days(3), &HistoryLimits::default())?.next().unwrap();
    /// assert_eq!(window.span(), chrono::Duration::days(3));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn span(&self) -> TimeDelta {
        self.to - self.from
    }

    /// The two halves of the window (sharing their middle instant), or `None` when a half
    /// would be shorter than `min_window`.
    ///
    /// ```
    /// use chrono::Duration;
    /// use plaspy_types::history::{HistoryLimits, plan};
    ///
    /// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
    /// let window = plan(t0, t0 + Duration::days(2), &HistoryLimits::default())?.next().unwrap();
    /// let (a, b) = window.halves(Duration::seconds(1)).unwrap();
    /// assert_eq!((a.to, b.from), (t0 + Duration::days(1), t0 + Duration::days(1)));
    /// assert!(window.halves(Duration::days(5)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn halves(&self, min_window: TimeDelta) -> Option<(Window, Window)> {
        let half = self.span() / 2;
        if half < min_window.max(TimeDelta::milliseconds(1)) {
            return None;
        }
        let mid = self.from + half;
        Some((
            Window {
                from: self.from,
                to: mid,
            },
            Window {
                from: mid,
                to: self.to,
            },
        ))
    }
}

/// What to do after a window's reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The reply is the whole window: deliver it.
    Complete,
    /// The reply hit the cap or the query was refused as too large: fetch these two
    /// halves instead, in this order.
    Split(Window, Window),
}

impl HistoryLimits {
    /// These limits with `max_window` set to `value` (see the field).
    #[must_use]
    pub fn with_max_window(mut self, value: TimeDelta) -> Self {
        self.max_window = value;
        self
    }

    /// These limits with `reply_cap` set to `value` (see the field).
    #[must_use]
    pub fn with_reply_cap(mut self, value: usize) -> Self {
        self.reply_cap = value;
        self
    }

    /// These limits with `max_range` set to `value` (see the field).
    #[must_use]
    pub fn with_max_range(mut self, value: TimeDelta) -> Self {
        self.max_range = value;
        self
    }

    /// These limits with `min_window` set to `value` (see the field).
    #[must_use]
    pub fn with_min_window(mut self, value: TimeDelta) -> Self {
        self.min_window = value;
        self
    }

    /// Checks the limits themselves.
    ///
    /// ```
    /// use plaspy_types::history::HistoryLimits;
    ///
    /// assert!(HistoryLimits::default().validate().is_ok());
    /// let mut limits = HistoryLimits::default();
    /// limits.reply_cap = 0;
    /// assert!(limits.validate().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let invalid = |message: String| Err(Error::InvalidConfig { message });
        if self.max_window < TimeDelta::seconds(1) {
            return invalid(format!(
                "the maximum window must be at least one second, not {}",
                self.max_window
            ));
        }
        if self.min_window < TimeDelta::zero() || self.min_window > self.max_window {
            return invalid(format!(
                "the minimum window ({}) must lie between zero and the maximum window ({})",
                self.min_window, self.max_window
            ));
        }
        if self.reply_cap == 0 {
            return invalid("the reply cap must be at least 1".to_owned());
        }
        if self.max_range < TimeDelta::zero() {
            return invalid("the maximum range must not be negative".to_owned());
        }
        Ok(())
    }

    /// How many requests the range will take at least (more if windows come back at the
    /// reply cap). Refuses a reversed range and one longer than [`max_range`](Self::max_range).
    ///
    /// ```
    /// use chrono::Duration;
    /// use plaspy_types::history::HistoryLimits;
    ///
    /// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
    /// let limits = HistoryLimits::default(); // 31-day windows, one year at most
    /// assert_eq!(limits.request_count(t0, t0 + Duration::days(62))?, 2);
    /// assert!(limits.request_count(t0, t0 + Duration::days(400)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request_count(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<u64, Error> {
        self.validate()?;
        if from > to {
            return Err(Error::InvalidInput {
                message: format!("the range starts ({from}) after it ends ({to})"),
            });
        }
        let count = window_count(to - from, self.max_window);
        if to - from > self.max_range {
            return Err(Error::InvalidInput {
                message: format!(
                    "the range from {} to {} spans {}, more than the maximum range of {} \
                     ({count} requests); raise the maximum range (plaspy: --max-range) to fetch it",
                    from.format("%Y-%m-%dT%H:%M:%SZ"),
                    to.format("%Y-%m-%dT%H:%M:%SZ"),
                    days(to - from),
                    days(self.max_range),
                ),
            });
        }
        Ok(count)
    }

    /// Judges a window's reply: its number of items, or the error it got. A reply at the
    /// cap, or a refusal of the range as too large ([`is_range_refusal`]), splits the window;
    /// any other error is returned.
    ///
    /// ```
    /// use plaspy_types::history::{HistoryLimits, Outcome, plan};
    ///
    /// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
    /// let limits = HistoryLimits::default();
    /// let window = plan(t0, t0 + chrono::Duration::days(2), &limits)?.next().unwrap();
    /// assert!(matches!(limits.judge(&window, Ok(10)), Ok(Outcome::Complete)));
    /// assert!(matches!(limits.judge(&window, Ok(limits.reply_cap)), Ok(Outcome::Split(..))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn judge(&self, window: &Window, reply: Result<usize, &Error>) -> Result<Outcome, Error> {
        let reason = match reply {
            Ok(n) if n < self.reply_cap => return Ok(Outcome::Complete),
            Ok(n) => format!("it returned {n} items, the reply cap of {}", self.reply_cap),
            Err(e) if is_range_refusal(e) => format!("the server refused it: {e}"),
            Err(e) => return Err(e.clone()),
        };
        match window.halves(self.min_window) {
            Some((a, b)) => Ok(Outcome::Split(a, b)),
            None => Err(Error::InvalidInput {
                message: format!(
                    "the window from {} to {} cannot be split further, yet {reason}",
                    window.from, window.to
                ),
            }),
        }
    }
}

fn window_count(span: TimeDelta, max_window: TimeDelta) -> u64 {
    let (span, max) = (
        span.num_milliseconds(),
        max_window.num_milliseconds().max(1),
    );
    (span.div_euclid(max) + i64::from(span.rem_euclid(max) > 0)).max(1) as u64
}

fn days(d: TimeDelta) -> String {
    let secs = d.num_seconds();
    if secs % 86_400 == 0 {
        format!("{} days", secs / 86_400)
    } else {
        format!("{:.1} days", secs as f64 / 86_400.0)
    }
}

/// Whether an error is the server refusing a query's range or size as too large (so a
/// smaller window may succeed), as opposed to any other failure.
///
/// ```
/// use plaspy_types::{Error, history::is_range_refusal};
///
/// assert!(!is_range_refusal(&Error::not_found(None)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn is_range_refusal(error: &Error) -> bool {
    let message = match error {
        Error::Api { status, message } if (400..500).contains(status) => message,
        Error::Http { status: 413, .. } => return true,
        _ => return false,
    };
    let m = message.to_ascii_lowercase();
    (m.contains("range") || m.contains("result") || m.contains("days") || m.contains("limit"))
        && (m.contains("too long")
            || m.contains("too large")
            || m.contains("too many")
            || m.contains("too big")
            || m.contains("exceed")
            || m.contains("at most"))
}

/// The windows of a range, in time order; consecutive windows share their boundary instant
/// (both bounds are inclusive), so [`BoundaryMerge`](super::BoundaryMerge) drops the fixes
/// seen twice there.
///
/// ```
/// use chrono::Duration;
/// use plaspy_types::history::{HistoryLimits, plan};
///
/// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
/// let windows: Vec<_> = plan(t0, t0 + Duration::days(40), &HistoryLimits::default())?.collect();
/// assert_eq!(windows.len(), 2);
/// assert_eq!(windows[0].to, windows[1].from); // a shared boundary instant
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limits: &HistoryLimits,
) -> Result<Windows, Error> {
    let count = limits.request_count(from, to)?;
    Ok(Windows {
        next: from,
        to,
        step: limits.max_window,
        left: count,
    })
}

/// Iterator over the windows of a range (see [`plan`]).
#[derive(Debug, Clone)]
pub struct Windows {
    next: DateTime<Utc>,
    to: DateTime<Utc>,
    step: TimeDelta,
    left: u64,
}

impl Iterator for Windows {
    type Item = Window;

    fn next(&mut self) -> Option<Window> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let end = if self.left == 0 {
            self.to
        } else {
            (self.next + self.step).min(self.to)
        };
        let window = Window {
            from: self.next,
            to: end,
        };
        self.next = end;
        Some(window)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.left).unwrap_or(usize::MAX);
        (n, Some(n))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + TimeDelta::days(day)
    }

    #[test]
    fn windows_cover_the_range_exactly_and_share_boundaries() {
        let limits = HistoryLimits::default();
        let w: Vec<Window> = plan(at(0), at(75), &limits).unwrap().collect();
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].from, at(0));
        assert_eq!(w[2].to, at(75));
        for pair in w.windows(2) {
            assert_eq!(pair[0].to, pair[1].from);
        }
        assert!(
            w.iter()
                .all(|w| w.span() <= limits.max_window && w.span() > TimeDelta::zero())
        );
        assert_eq!(w[0].span(), TimeDelta::days(31));
        assert_eq!(w[2].span(), TimeDelta::days(13));
    }

    #[test]
    fn request_count_matches_the_plan() {
        let limits = HistoryLimits::default();
        for (days, expected) in [
            (0, 1),
            (1, 1),
            (31, 1),
            (32, 2),
            (62, 2),
            (63, 3),
            (365, 12),
        ] {
            let n = limits.request_count(at(0), at(days)).unwrap();
            assert_eq!(n, expected, "{days} days");
            assert_eq!(plan(at(0), at(days), &limits).unwrap().count() as u64, n);
        }
        // A millisecond past a window is one more request.
        let n = limits
            .request_count(at(0), at(31) + TimeDelta::milliseconds(1))
            .unwrap();
        assert_eq!(n, 2);
    }

    #[test]
    fn an_empty_range_is_one_window() {
        let w: Vec<Window> = plan(at(3), at(3), &HistoryLimits::default())
            .unwrap()
            .collect();
        assert_eq!(
            w,
            vec![Window {
                from: at(3),
                to: at(3)
            }]
        );
    }

    #[test]
    fn window_span_is_configurable() {
        let limits = HistoryLimits {
            max_window: TimeDelta::days(7),
            ..HistoryLimits::default()
        };
        assert_eq!(limits.request_count(at(0), at(30)).unwrap(), 5);
    }

    #[test]
    fn a_range_past_the_maximum_is_refused_with_a_clear_error() {
        let limits = HistoryLimits::default();
        let err = limits.request_count(at(0), at(3650)).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::InvalidInput { .. }));
        assert!(text.contains("3650 days"), "{text}");
        assert!(text.contains("maximum range of 365 days"), "{text}");
        assert!(text.contains("118 requests"), "{text}");
        assert!(plan(at(0), at(3650), &limits).is_err());
        // Exactly the maximum is fine, and the maximum can be raised.
        assert!(limits.request_count(at(0), at(365)).is_ok());
        let wide = HistoryLimits {
            max_range: TimeDelta::days(4000),
            ..limits
        };
        assert_eq!(wide.request_count(at(0), at(3650)).unwrap(), 118);
    }

    #[test]
    fn a_reversed_range_is_refused() {
        let err = HistoryLimits::default()
            .request_count(at(2), at(1))
            .unwrap_err();
        assert!(err.to_string().contains("after it ends"), "{err}");
    }

    #[test]
    fn bad_limits_are_refused() {
        for limits in [
            HistoryLimits {
                max_window: TimeDelta::zero(),
                ..HistoryLimits::default()
            },
            HistoryLimits {
                reply_cap: 0,
                ..HistoryLimits::default()
            },
            HistoryLimits {
                min_window: TimeDelta::days(40),
                ..HistoryLimits::default()
            },
        ] {
            assert!(matches!(
                limits.request_count(at(0), at(1)),
                Err(Error::InvalidConfig { .. })
            ));
        }
    }

    #[test]
    fn a_reply_at_the_cap_splits_the_window_in_halves() {
        let limits = HistoryLimits {
            reply_cap: 10,
            ..HistoryLimits::default()
        };
        let w = Window {
            from: at(0),
            to: at(10),
        };
        assert_eq!(limits.judge(&w, Ok(9)).unwrap(), Outcome::Complete);
        let Outcome::Split(a, b) = limits.judge(&w, Ok(10)).unwrap() else {
            panic!("not split")
        };
        assert_eq!((a.from, a.to, b.from, b.to), (at(0), at(5), at(5), at(10)));
    }

    #[test]
    fn a_refusal_as_too_large_splits_other_errors_do_not() {
        let limits = HistoryLimits::default();
        let w = Window {
            from: at(0),
            to: at(40),
        };
        let refusal = Error::Api {
            status: 400,
            message: "The date range is too long: at most 31 days per query".into(),
        };
        assert!(matches!(
            limits.judge(&w, Err(&refusal)),
            Ok(Outcome::Split(..))
        ));
        let too_many = Error::Api {
            status: 400,
            message: "Too many results: the reply limit is 100000".into(),
        };
        assert!(matches!(
            limits.judge(&w, Err(&too_many)),
            Ok(Outcome::Split(..))
        ));
        for message in [
            "The date range is too long: the range limit is 31 days per query",
            "The reply is too large: the reply cap is 100000 fixes per query; ask for a shorter range",
        ] {
            let refusal = Error::Api {
                status: 400,
                message: message.into(),
            };
            assert!(is_range_refusal(&refusal), "{message}");
        }
        let other = Error::Api {
            status: 400,
            message: "`from` must not be after `to`".into(),
        };
        assert!(matches!(
            limits.judge(&w, Err(&other)),
            Err(Error::Api { .. })
        ));
        let down = Error::Http {
            status: 503,
            excerpt: String::new(),
        };
        assert!(matches!(
            limits.judge(&w, Err(&down)),
            Err(Error::Http { .. })
        ));
    }

    #[test]
    fn a_window_too_small_to_split_is_an_error_not_a_loop() {
        let limits = HistoryLimits {
            reply_cap: 1,
            ..HistoryLimits::default()
        };
        let mut w = Window {
            from: at(0),
            to: at(1),
        };
        let mut splits = 0;
        let err = loop {
            match limits.judge(&w, Ok(5)) {
                Ok(Outcome::Split(a, _)) => {
                    w = a;
                    splits += 1;
                }
                Ok(Outcome::Complete) => panic!("complete"),
                Err(e) => break e,
            }
        };
        assert!(splits <= 17, "{splits}");
        assert!(err.to_string().contains("cannot be split further"), "{err}");
        assert!(err.to_string().contains("reply cap of 1"), "{err}");
    }
}
