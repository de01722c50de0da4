//! The pure logic of the live feed: cursors, boundaries, which devices to ask, backoff.
//!
//! The feed (`client.feed()` in both clients) polls the API on an interval and hands out
//! every new fix exactly once. Everything it decides without I/O lives here, so it can be
//! tested without a server:
//!
//! - a [`Mark`] per device and stream (positions, alerts): the time of the last delivered
//!   item and how many items at exactly that time were delivered;
//! - a [`Delivered`] per device and stream: the [`identity`] (a hash of the whole item) of
//!   each item delivered within the trailing window (`lookback`) behind the mark, and the
//!   earliest time delivered at all. Each read starts `lookback` before the mark, and an
//!   item is new when its identity is not recorded: late uploads (times before the mark)
//!   are delivered once, items the server repeats (shared boundary instants, ranges it
//!   ignores) are not, and two distinct items at one instant are both delivered, in
//!   whatever order they come;
//! - a [`FeedCursor`]: the marks of every device, serializable with serde, to save and pass
//!   back so a restarted feed neither loses nor repeats a fix; pruned to the lookback, so
//!   its size stays bounded;
//! - [`needs_range`]: whether a device's last fix (a hint) moved past its mark, the only
//!   case in which the date-range endpoint is asked;
//! - [`window_end`] and [`narrower`]: a long gap read in ranges the API accepts;
//! - [`Idle`]: backoff for devices that stay parked or silent.
//!
//! ```
//! use plaspy_types::feed::Mark;
//! let t = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
//! let mut mark = Mark::new(t("2030-01-01T00:00:00Z"));
//! let times = [t("2030-01-01T00:00:00Z"), t("2030-01-01T00:00:30Z")];
//! // First poll: both are new (the start point itself is included).
//! assert_eq!(mark.select(times.to_vec(), |x| *x).len(), 2);
//! mark.advance(times[0]);
//! mark.advance(times[1]);
//! // The next range starts at the mark and sees the 00:00:30 fix again: it is dropped.
//! assert!(mark.select(vec![times[1]], |x| *x).is_empty());
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::models::{AlertEvent, Location};

/// How far a feed has got in one stream of one device.
///
/// Every item up to `time` has been delivered, and of the items at exactly `time`, the
/// first `seen` (in the server's order). A fresh mark at a start point has `seen == 0`, so
/// an item at the start point itself is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// The time of the last delivered item (or the start point).
    pub time: DateTime<Utc>,
    /// How many items at exactly `time` were delivered.
    #[serde(default)]
    pub seen: u32,
}

impl Mark {
    /// A mark at a start point: items at `time` and after are new.
    ///
    /// ```
    /// use plaspy_types::feed::Mark;
    ///
    /// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
    /// let mark = Mark::new(t0);
    /// assert_eq!(mark.seen, 0); // items at t0 are new
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(time: DateTime<Utc>) -> Self {
        Mark { time, seen: 0 }
    }

    /// Records that an item at `time` was delivered. Items must be delivered in time order;
    /// an item older than the mark leaves it as it is.
    ///
    /// ```
    /// use plaspy_types::feed::Mark;
    ///
    /// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
    /// let mut mark = Mark::new(t0);
    /// mark.advance(t0);
    /// mark.advance(t0);
    /// assert_eq!((mark.time, mark.seen), (t0, 2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn advance(&mut self, time: DateTime<Utc>) {
        if time == self.time {
            self.seen = self.seen.saturating_add(1);
        } else if time > self.time {
            self.time = time;
            self.seen = 1;
        }
    }

    /// The items of a range that starts at this mark which are new, oldest first: those
    /// after the mark, and those at the mark beyond the `seen` already delivered. The sort
    /// is stable, so items at the same time keep the server's order.
    ///
    /// ```
    /// use chrono::Duration;
    /// use plaspy_types::feed::Mark;
    ///
    /// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
    /// let mut mark = Mark::new(t0);
    /// mark.advance(t0); // one item at t0 already delivered
    /// let page = vec![t0 - Duration::seconds(1), t0, t0, t0 + Duration::seconds(30)];
    /// let new = mark.select(page, |t| *t);
    /// assert_eq!(new, vec![t0, t0 + Duration::seconds(30)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn select<T>(&self, mut items: Vec<T>, time_of: impl Fn(&T) -> DateTime<Utc>) -> Vec<T> {
        items.sort_by_key(|item| time_of(item));
        let mut at_mark = 0u32;
        items.retain(|item| {
            let t = time_of(item);
            if t < self.time {
                false
            } else if t == self.time {
                at_mark += 1;
                at_mark > self.seen
            } else {
                true
            }
        });
        items
    }
}

/// Where each device of a feed has got: what to save, and pass back to resume.
///
/// ```
/// use plaspy_types::feed::{FeedCursor, Mark};
/// let mut cursor = FeedCursor::default();
/// cursor.devices.entry("dev-01".into()).or_default().positions =
///     Some(Mark::new("2030-01-01T08:00:00Z".parse().unwrap()));
/// let saved = serde_json::to_string(&cursor).unwrap();
/// assert_eq!(serde_json::from_str::<FeedCursor>(&saved).unwrap(), cursor);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedCursor {
    /// The marks, by device id.
    #[serde(default)]
    pub devices: BTreeMap<String, DeviceCursor>,
}

/// The marks of one device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceCursor {
    /// How far its positions have been delivered; `None` until the feed first sees it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub positions: Option<Mark>,
    /// How far its alert events have been delivered (feeds with alerts only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerts: Option<Mark>,
    /// Which positions of the trailing window were delivered (see [`Delivered`]).
    #[serde(default, skip_serializing_if = "Delivered::is_empty")]
    pub delivered: Delivered,
    /// Which alert events of the trailing window were delivered.
    #[serde(default, skip_serializing_if = "Delivered::is_empty")]
    pub delivered_alerts: Delivered,
}

/// The default trailing window a feed re-reads behind each device's mark, for fixes
/// uploaded late (a tracker out of coverage buffers them): three hours.
pub const DEFAULT_LOOKBACK: Duration = Duration::from_secs(3 * 3600);

/// The most identities a [`Delivered`] keeps: beyond, the oldest are forgotten, and the
/// trailing window re-read shrinks to what they still cover.
pub const MAX_DELIVERED: usize = 20_000;

/// What one stream of one device delivered in the trailing window behind its mark: the
/// identity ([`identity`]) and time of each item, and the earliest time the feed may
/// deliver at all (its start point). Items are new when their identity is not here, so a
/// late upload is delivered once, and so are two distinct fixes at one instant, in
/// whatever order the server returns them.
///
/// Bounded: entries older than the lookback behind the mark are dropped at each poll, and
/// at most [`MAX_DELIVERED`] are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivered {
    /// Nothing before this instant is delivered (the feed's start point for the device);
    /// `None` in a cursor saved before this field existed: then the mark is the floor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<DateTime<Utc>>,
    /// `[unix milliseconds, identity]` of each item delivered in the trailing window.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<(i64, u64)>,
}

impl Delivered {
    /// Whether it holds nothing (not serialized then).
    pub fn is_empty(&self) -> bool {
        self.floor.is_none() && self.items.is_empty()
    }

    /// Records an item delivered at `time` with this identity.
    pub fn record(&mut self, time: DateTime<Utc>, id: u64) {
        self.items.push((time.timestamp_millis(), id));
    }

    /// The earliest instant worth asking for: `lookback` before `mark`, not before the
    /// floor (for a cursor without a floor: the mark itself).
    ///
    /// ```
    /// use std::time::Duration;
    /// use plaspy_types::feed::{Delivered, Mark};
    ///
    /// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
    /// let mut delivered = Delivered::default();
    /// delivered.floor = Some(t0);
    /// let mark = Mark::new(t0 + chrono::Duration::hours(5));
    /// let from = delivered.read_from(&mark, Duration::from_secs(3600));
    /// assert_eq!(from, t0 + chrono::Duration::hours(4));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_from(&self, mark: &Mark, lookback: Duration) -> DateTime<Utc> {
        let floor = self.floor.unwrap_or(mark.time);
        let back = chrono::Duration::from_std(lookback)
            .ok()
            .and_then(|d| mark.time.checked_sub_signed(d))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        floor.max(back).min(mark.time)
    }

    /// Whether an item at `time` with identity `id` is new: not before the floor (for a
    /// cursor without one: after the mark, or at it beyond the `seen` count) and not
    /// recorded. `known` is the set of recorded identities (build it once per poll).
    pub fn is_new(
        &self,
        mark: &Mark,
        time: DateTime<Utc>,
        id: u64,
        known: &std::collections::HashSet<u64>,
    ) -> bool {
        let after_floor = match self.floor {
            Some(floor) => time >= floor,
            None => time > mark.time || (time == mark.time && mark.seen == 0),
        };
        after_floor && !known.contains(&id)
    }

    /// The recorded identities, as a set.
    pub fn known(&self) -> std::collections::HashSet<u64> {
        self.items.iter().map(|(_, id)| *id).collect()
    }

    /// Forgets the items older than `lookback` behind `mark` (they are never asked for
    /// again), keeps at most [`MAX_DELIVERED`], and sets a floor where none was.
    pub fn prune(&mut self, mark: &Mark, lookback: Duration) {
        let from = self.read_from(mark, lookback).timestamp_millis();
        self.items.retain(|(t, _)| *t >= from);
        if self.items.len() > MAX_DELIVERED {
            self.items.sort_unstable();
            let excess = self.items.len() - MAX_DELIVERED;
            let last_dropped = self.items[excess - 1].0;
            self.items.drain(..excess);
            // What is forgotten must never come again: the floor moves past it.
            let past = DateTime::<Utc>::from_timestamp_millis(last_dropped.saturating_add(1));
            self.floor = self.floor.max(past);
        }
        if self.floor.is_none() {
            // A cursor from before identities were kept: its mark is where delivery
            // stands; beyond a `seen` count at it, the items at the mark are unknown.
            self.floor = Some(if mark.seen > 0 {
                mark.time + chrono::Duration::nanoseconds(1)
            } else {
                mark.time
            });
        }
    }
}

/// The identity of an item: a 64-bit FNV-1a hash of its canonical JSON (every field,
/// unknown ones included). Two distinct fixes at one instant have distinct identities;
/// the same fix returned twice, in any order, has one.
///
/// ```
/// use plaspy_types::{Location, feed::identity};
///
/// let t: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
/// let a = Location::new(t, 4.6, -74.0);
/// let b = Location::new(t, 4.7, -74.0);
/// assert_eq!(identity(&a), identity(&a.clone()));
/// assert_ne!(identity(&a), identity(&b));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn identity<T: Serialize>(item: &T) -> u64 {
    let bytes = serde_json::to_vec(item).unwrap_or_default();
    fnv1a(&bytes)
}

/// 64-bit FNV-1a: stable across Rust versions, so saved cursors stay valid.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

impl FeedCursor {
    /// The positions mark of `device`, if the feed has seen it.
    ///
    /// ```
    /// use plaspy_types::feed::FeedCursor;
    ///
    /// let mut cursor = FeedCursor::default();
    /// cursor.enrol(["dev-01"], "2024-06-01T08:00:00Z".parse()?, false);
    /// assert!(cursor.positions("dev-01").is_some());
    /// assert!(cursor.positions("dev-02").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn positions(&self, device: &str) -> Option<Mark> {
        self.devices.get(device).and_then(|d| d.positions)
    }

    /// The alerts mark of `device`, if the feed has seen it.
    ///
    /// ```
    /// use plaspy_types::feed::FeedCursor;
    ///
    /// let mut cursor = FeedCursor::default();
    /// cursor.enrol(["dev-01"], "2024-06-01T08:00:00Z".parse()?, true);
    /// assert!(cursor.alerts("dev-01").is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn alerts(&self, device: &str) -> Option<Mark> {
        self.devices.get(device).and_then(|d| d.alerts)
    }

    /// Gives every device of `ids` without a mark one at `start` (alerts too when
    /// `alerts`), so a device is tracked from the feed's start point.
    ///
    /// ```
    /// use plaspy_types::feed::FeedCursor;
    ///
    /// let mut cursor = FeedCursor::default();
    /// cursor.enrol(["dev-01", "dev-02"], "2024-06-01T08:00:00Z".parse()?, false);
    /// assert_eq!(cursor.devices.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn enrol<'a>(
        &mut self,
        ids: impl IntoIterator<Item = &'a str>,
        start: DateTime<Utc>,
        alerts: bool,
    ) {
        for id in ids {
            let entry = self.devices.entry(id.to_owned()).or_default();
            if entry.positions.is_none() {
                entry.positions = Some(Mark::new(start));
                entry.delivered.floor = Some(start);
            }
            if alerts && entry.alerts.is_none() {
                entry.alerts = Some(Mark::new(start));
                entry.delivered_alerts.floor = Some(start);
            }
        }
    }

    /// Records a delivered event.
    ///
    /// ```
    /// use plaspy_types::{Location, feed::FeedEvent};
    ///
    /// let fix = Location::new("2024-06-01T08:00:00Z".parse::<chrono::DateTime<chrono::Utc>>()?, 4.6, -74.0);
    /// let event = FeedEvent::Location { device_id: "dev-01".into(), location: fix };
    /// let mut cursor = plaspy_types::feed::FeedCursor::default();
    /// cursor.advance(&event);
    /// assert_eq!(cursor.positions("dev-01").map(|m| m.time), Some(event.time()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn advance(&mut self, event: &FeedEvent) {
        let entry = self
            .devices
            .entry(event.device_id().to_owned())
            .or_default();
        let (mark, delivered, time, id) = match event {
            FeedEvent::Location { location, .. } => (
                &mut entry.positions,
                &mut entry.delivered,
                location.date_time,
                identity(location),
            ),
            FeedEvent::Alert { alert, .. } => (
                &mut entry.alerts,
                &mut entry.delivered_alerts,
                alert.date_time,
                identity(alert),
            ),
        };
        match mark {
            Some(mark) => mark.advance(time),
            None => *mark = Some(Mark { time, seen: 1 }),
        }
        delivered.record(time, id);
    }

    /// Records a position set aside (unusable) at `time` with identity `id`: never
    /// reported again, and the mark moves past it.
    pub fn skip(&mut self, device: &str, time: Option<DateTime<Utc>>, id: u64) {
        let entry = self.devices.entry(device.to_owned()).or_default();
        let time = time.or(entry.positions.map(|m| m.time));
        if let Some(time) = time {
            match &mut entry.positions {
                Some(mark) => mark.advance(time),
                None => entry.positions = Some(Mark { time, seen: 1 }),
            }
            entry.delivered.record(time, id);
        }
    }

    /// Forgets, for every device, what is older than `lookback` behind its marks.
    pub fn prune(&mut self, lookback: Duration) {
        for entry in self.devices.values_mut() {
            if let Some(mark) = entry.positions {
                entry.delivered.prune(&mark, lookback);
            }
            if let Some(mark) = entry.alerts {
                entry.delivered_alerts.prune(&mark, lookback);
            }
        }
    }
}

/// Whether the date-range endpoint must be asked for a device: its last fix (the hint
/// from `lastLocation`) is past its mark, or at a start point nothing was delivered at.
/// A device without a fix has nothing to fetch.
///
/// ```
/// use chrono::Duration;
/// use plaspy_types::feed::{Mark, needs_range};
///
/// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
/// let mark = Mark::new(t0);
/// assert!(needs_range(&mark, Some(t0 + Duration::minutes(1))));
/// assert!(!needs_range(&mark, None)); // no fix at all
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn needs_range(mark: &Mark, last_fix: Option<DateTime<Utc>>) -> bool {
    match last_fix {
        Some(t) => t > mark.time || (t == mark.time && mark.seen == 0),
        None => false,
    }
}

/// Whether to ask the same range again, from the advanced mark: the last reply gave `new`
/// new items and the mark is still short of `target` (the device's last fix, or the end of
/// the range). A reply cut at the server's reply cap looks like this; a complete one either
/// reaches the target or, asked again, gives nothing new.
///
/// ```
/// use chrono::Duration;
/// use plaspy_types::feed::{Mark, more_pages};
///
/// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
/// let mark = Mark::new(t0);
/// assert!(more_pages(&mark, 1000, t0 + Duration::hours(1))); // cut short: ask again
/// assert!(!more_pages(&mark, 0, t0 + Duration::hours(1)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn more_pages(mark: &Mark, new: usize, target: DateTime<Utc>) -> bool {
    new > 0 && mark.time < target
}

/// The end of the query window that starts at `from`: `span` later, but not past `to`.
/// Consecutive windows share their boundary instant (the ranges are inclusive; a [`Mark`]
/// drops what the previous window already gave).
///
/// ```
/// use std::time::Duration;
/// use plaspy_types::feed::window_end;
///
/// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
/// let to = t0 + chrono::Duration::hours(2);
/// assert_eq!(window_end(t0, Duration::from_secs(3600), to), t0 + chrono::Duration::hours(1));
/// assert_eq!(window_end(t0, Duration::from_secs(86_400), to), to);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn window_end(from: DateTime<Utc>, span: Duration, to: DateTime<Utc>) -> DateTime<Utc> {
    chrono::Duration::from_std(span)
        .ok()
        .and_then(|span| from.checked_add_signed(span))
        .map_or(to, |end| end.min(to))
}

/// The narrower window to try after the server refused one (a reply over its cap): half
/// as long, or `None` once below a minute, when the refusal is final.
///
/// ```
/// use std::time::Duration;
/// use plaspy_types::feed::narrower;
///
/// assert_eq!(narrower(Duration::from_secs(86_400)), Some(Duration::from_secs(43_200)));
/// assert_eq!(narrower(Duration::from_secs(30)), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn narrower(span: Duration) -> Option<Duration> {
    let half = span / 2;
    (half >= Duration::from_secs(60)).then_some(half)
}

/// Backoff for a device that stays parked or silent: after `n` polls in a row that found
/// nothing new, it is checked again only after `base × 2ⁿ` (at most `max`) of server time.
/// Skipping a check loses nothing: the next range starts at the device's mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Idle {
    quiet_polls: u32,
    next_check: Option<DateTime<Utc>>,
    checked_at: Option<DateTime<Utc>>,
}

impl Idle {
    /// Whether the device is due for a check at `now`: its wait is over, or the clock
    /// reads earlier than the last check (a server clock that jumped ahead and came back
    /// must not hold a device back for the length of the jump).
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        self.next_check.is_none_or(|at| now >= at) || self.checked_at.is_some_and(|c| now < c)
    }

    /// Records a check at `now` that found something new (`moved`) or not.
    pub fn record(&mut self, now: DateTime<Utc>, moved: bool, base: Duration, max: Duration) {
        if moved {
            *self = Idle::default();
            return;
        }
        self.quiet_polls = self.quiet_polls.saturating_add(1);
        self.checked_at = Some(now);
        let factor = 1u32 << self.quiet_polls.min(16);
        let wait = base.saturating_mul(factor).min(max);
        self.next_check = if wait <= base {
            None // no longer than the poll interval: check at the next poll
        } else {
            chrono::Duration::from_std(wait)
                .ok()
                .and_then(|w| now.checked_add_signed(w))
        };
    }

    /// How many checks in a row found nothing new.
    pub fn quiet_polls(&self) -> u32 {
        self.quiet_polls
    }
}

/// One item of a feed: a new fix or a new alert event, tagged with its device.
///
/// Serialized as one flat object: `{"deviceId": …, <the fix's own fields>}` for a fix, and
/// `{"deviceId": …, "alert": {…}}` for an alert event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
// Nearly every item is a fix: boxing it would only add an allocation per item.
#[allow(clippy::large_enum_variant)]
pub enum FeedEvent {
    /// A new position.
    Location {
        /// The device that reported it.
        #[serde(rename = "deviceId")]
        device_id: String,
        /// The fix, as the API returned it.
        #[serde(flatten)]
        location: Location,
    },
    /// A new alert event.
    Alert {
        /// The device it fired for.
        #[serde(rename = "deviceId")]
        device_id: String,
        /// The event, as the API returned it.
        alert: AlertEvent,
    },
}

impl FeedEvent {
    /// The device's id.
    ///
    /// ```
    /// use plaspy_types::{Location, feed::FeedEvent};
    ///
    /// let fix = Location::new("2024-06-01T08:00:00Z".parse::<chrono::DateTime<chrono::Utc>>()?, 4.6, -74.0);
    /// let event = FeedEvent::Location { device_id: "dev-01".into(), location: fix };
    /// assert_eq!(event.device_id(), "dev-01");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn device_id(&self) -> &str {
        match self {
            FeedEvent::Location { device_id, .. } | FeedEvent::Alert { device_id, .. } => device_id,
        }
    }

    /// When the fix was taken or the alert fired.
    ///
    /// ```
    /// use plaspy_types::{Location, feed::FeedEvent};
    ///
    /// let fix = Location::new("2024-06-01T08:00:00Z".parse::<chrono::DateTime<chrono::Utc>>()?, 4.6, -74.0);
    /// let event = FeedEvent::Location { device_id: "dev-01".into(), location: fix };
    /// assert_eq!(event.time().to_rfc3339(), "2024-06-01T08:00:00+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn time(&self) -> DateTime<Utc> {
        match self {
            FeedEvent::Location { location, .. } => location.date_time,
            FeedEvent::Alert { alert, .. } => alert.date_time,
        }
    }

    /// The fix, for a position event.
    ///
    /// ```
    /// use plaspy_types::{Location, feed::FeedEvent};
    ///
    /// let fix = Location::new("2024-06-01T08:00:00Z".parse::<chrono::DateTime<chrono::Utc>>()?, 4.6, -74.0);
    /// let event = FeedEvent::Location { device_id: "dev-01".into(), location: fix };
    /// assert_eq!(event.location().map(|l| l.latitude), Some(4.6));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn location(&self) -> Option<&Location> {
        match self {
            FeedEvent::Location { location, .. } => Some(location),
            FeedEvent::Alert { .. } => None,
        }
    }
}

impl crate::history::Timed for FeedEvent {
    fn time(&self) -> DateTime<Utc> {
        FeedEvent::time(self)
    }
}

/// Where a new feed starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// At this instant.
    At(DateTime<Utc>),
    /// This long before the server's present (zero: the present).
    Ago(Duration),
}

impl Default for Start {
    fn default() -> Self {
        Start::Ago(Duration::ZERO)
    }
}

impl Start {
    /// The start instant, given the server's present.
    ///
    /// ```
    /// use std::time::Duration;
    /// use plaspy_types::feed::Start;
    ///
    /// let now = "2024-06-01T08:00:00Z".parse()?;
    /// assert_eq!(Start::Ago(Duration::from_secs(3600)).resolve(now).to_rfc3339(), "2024-06-01T07:00:00+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve(self, server_now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Start::At(at) => at,
            Start::Ago(ago) => chrono::Duration::from_std(ago)
                .ok()
                .and_then(|d| server_now.checked_sub_signed(d))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        format!("2030-01-01T{s}Z").parse().unwrap()
    }

    fn fix(s: &str) -> Location {
        Location::new(t(s), 4.6, -74.0)
    }

    /// A server: the fixes at these times, queried with inclusive ranges.
    fn range(all: &[Location], from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Location> {
        all.iter()
            .filter(|f| from <= f.date_time && f.date_time <= to)
            .cloned()
            .collect()
    }

    #[test]
    fn boundary_fixes_are_neither_repeated_nor_skipped() {
        let all: Vec<_> = [
            "08:00:00", "08:00:30", "08:01:00", "08:01:00", "08:01:30", "08:02:00",
        ]
        .iter()
        .map(|s| fix(s))
        .collect();
        let mut mark = Mark::new(t("08:00:00"));
        let mut delivered = Vec::new();
        // Polls ending exactly on fixes, including on the two fixes sharing 08:01:00.
        for to in [
            "08:00:30", "08:01:00", "08:01:00", "08:01:30", "08:02:00", "08:02:00",
        ] {
            for f in mark.select(range(&all, mark.time, t(to)), |f| f.date_time) {
                mark.advance(f.date_time);
                delivered.push(f);
            }
        }
        assert_eq!(delivered, all);
        assert_eq!(
            mark,
            Mark {
                time: t("08:02:00"),
                seen: 1
            }
        );
    }

    #[test]
    fn a_late_second_fix_at_the_mark_is_delivered() {
        let mut mark = Mark::new(t("08:00:00"));
        mark.advance(t("08:01:00"));
        let again = mark.select(vec![fix("08:01:00"), fix("08:01:00")], |f| f.date_time);
        assert_eq!(again.len(), 1, "the second fix at the mark is new");
    }

    #[test]
    fn select_sorts_and_drops_older_items() {
        let mark = Mark {
            time: t("08:00:00"),
            seen: 1,
        };
        let got = mark.select(
            vec![
                fix("08:02:00"),
                fix("07:59:00"),
                fix("08:00:00"),
                fix("08:01:00"),
            ],
            |f| f.date_time,
        );
        let times: Vec<_> = got.iter().map(|f| f.date_time).collect();
        assert_eq!(times, [t("08:01:00"), t("08:02:00")]);
    }

    #[test]
    fn advance_ignores_older_items() {
        let mut mark = Mark {
            time: t("08:00:00"),
            seen: 2,
        };
        mark.advance(t("07:00:00"));
        assert_eq!(
            mark,
            Mark {
                time: t("08:00:00"),
                seen: 2
            }
        );
    }

    #[test]
    fn the_range_endpoint_is_asked_only_when_the_last_fix_moved_past_the_mark() {
        let start = Mark::new(t("08:00:00"));
        assert!(
            needs_range(&start, Some(t("08:00:00"))),
            "a fix at the start point"
        );
        assert!(!needs_range(&start, Some(t("07:00:00"))));
        assert!(!needs_range(&start, None));
        let delivered = Mark {
            time: t("08:00:00"),
            seen: 1,
        };
        assert!(!needs_range(&delivered, Some(t("08:00:00"))));
        assert!(needs_range(&delivered, Some(t("08:00:01"))));
    }

    #[test]
    fn a_capped_reply_is_asked_again_from_the_mark() {
        let all: Vec<_> = (0..10).map(|i| fix(&format!("08:0{i}:00"))).collect();
        let cap = 3;
        let target = t("08:09:00");
        let mut mark = Mark::new(t("08:00:00"));
        let mut delivered = Vec::new();
        let mut queries = 0;
        loop {
            let mut page = range(&all, mark.time, target);
            page.truncate(cap);
            queries += 1;
            let new = mark.select(page, |f| f.date_time);
            let n = new.len();
            for f in new {
                mark.advance(f.date_time);
                delivered.push(f);
            }
            if !more_pages(&mark, n, target) {
                break;
            }
        }
        assert_eq!(delivered, all);
        assert_eq!(queries, 5, "3 new, then 2 + the boundary fix each time");
        assert!(
            !more_pages(&Mark::new(t("08:00:00")), 0, target),
            "nothing new: complete"
        );
    }

    #[test]
    fn windows_end_a_span_later_but_not_past_the_end() {
        let day = Duration::from_secs(86_400);
        let from: DateTime<Utc> = "2030-01-01T00:00:00Z".parse().unwrap();
        let to: DateTime<Utc> = "2030-01-03T12:00:00Z".parse().unwrap();
        assert_eq!(
            window_end(from, day, to),
            "2030-01-02T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(window_end(from, day * 10, to), to);
        assert_eq!(window_end(from, Duration::MAX, to), to);
    }

    #[test]
    fn refused_windows_halve_down_to_a_minute() {
        assert_eq!(
            narrower(Duration::from_secs(86_400)),
            Some(Duration::from_secs(43_200))
        );
        assert_eq!(
            narrower(Duration::from_secs(120)),
            Some(Duration::from_secs(60))
        );
        assert_eq!(narrower(Duration::from_secs(119)), None);
    }

    #[test]
    fn quiet_devices_back_off_and_movement_resets() {
        let (base, max) = (Duration::from_secs(30), Duration::from_secs(300));
        let mut idle = Idle::default();
        let now = t("08:00:00");
        assert!(idle.due(now));
        idle.record(now, false, base, max);
        assert!(!idle.due(t("08:00:59")));
        assert!(idle.due(t("08:01:00")), "2 × 30 s");
        idle.record(t("08:01:00"), false, base, max);
        assert!(!idle.due(t("08:02:59")));
        assert!(idle.due(t("08:03:00")), "4 × 30 s");
        for _ in 0..10 {
            idle.record(t("08:03:00"), false, base, max);
        }
        assert!(idle.due(t("08:08:00")), "capped at 5 min");
        assert_eq!(idle.quiet_polls(), 12);
        idle.record(t("08:08:00"), true, base, max);
        assert_eq!(idle, Idle::default());
        // No backoff allowed: due at every poll, even if the clock reads a little earlier.
        idle.record(t("08:08:00"), false, base, Duration::ZERO);
        assert!(idle.due(t("08:07:59")));
    }

    #[test]
    fn cursor_enrols_new_devices_only_and_advances() {
        let mut cursor = FeedCursor::default();
        cursor.enrol(["a", "b"], t("08:00:00"), true);
        cursor.advance(&FeedEvent::Location {
            device_id: "a".into(),
            location: fix("08:05:00"),
        });
        cursor.enrol(["a", "c"], t("09:00:00"), false);
        assert_eq!(
            cursor.positions("a"),
            Some(Mark {
                time: t("08:05:00"),
                seen: 1
            })
        );
        assert_eq!(cursor.alerts("a"), Some(Mark::new(t("08:00:00"))));
        assert_eq!(cursor.positions("c"), Some(Mark::new(t("09:00:00"))));
        assert_eq!(cursor.alerts("c"), None);
        let json = serde_json::to_value(&cursor).unwrap();
        assert_eq!(json["devices"]["a"]["positions"]["seen"], 1);
        assert_eq!(serde_json::from_value::<FeedCursor>(json).unwrap(), cursor);
    }

    #[test]
    fn delivered_identities_are_pruned_to_the_lookback_and_bounded() {
        let mark = Mark {
            time: t("10:00:00"),
            seen: 1,
        };
        let mut delivered = Delivered {
            floor: Some(t("08:00:00")),
            items: Vec::new(),
        };
        for minute in 0..120 {
            delivered.record(
                t("08:00:00") + chrono::Duration::minutes(minute),
                minute as u64,
            );
        }
        delivered.prune(&mark, Duration::from_secs(1800));
        assert_eq!(delivered.items.len(), 30, "the last half hour");
        assert_eq!(
            delivered.read_from(&mark, Duration::from_secs(1800)),
            t("09:30:00")
        );
        // Past the bound, the oldest are forgotten and the floor moves past them.
        let mut many = Delivered {
            floor: Some(t("08:00:00")),
            items: Vec::new(),
        };
        for i in 0..(MAX_DELIVERED as i64 + 10) {
            many.record(t("09:00:00") + chrono::Duration::milliseconds(i), i as u64);
        }
        many.prune(&mark, Duration::from_secs(7200));
        assert_eq!(many.items.len(), MAX_DELIVERED);
        let floor = many.floor.unwrap();
        assert_eq!(floor, t("09:00:00") + chrono::Duration::milliseconds(10));
        assert!(!many.is_new(&mark, t("09:00:00"), 999_999, &many.known()));
    }

    #[test]
    fn identities_tell_twins_apart_and_a_legacy_cursor_gets_a_floor() {
        let a = fix("08:00:00");
        let mut b = fix("08:00:00");
        b.latitude = 5.0;
        assert_ne!(identity(&a), identity(&b));
        assert_eq!(identity(&a), identity(&a.clone()));
        let mark = Mark {
            time: t("08:00:00"),
            seen: 1,
        };
        let mut legacy = Delivered::default();
        legacy.prune(&mark, Duration::from_secs(3600));
        assert!(legacy.floor.unwrap() > t("08:00:00"));
        assert!(!legacy.is_new(&mark, t("08:00:00"), identity(&b), &legacy.known()));
        assert!(legacy.is_new(&mark, t("08:00:01"), identity(&b), &legacy.known()));
    }

    #[test]
    fn a_device_is_due_again_when_the_clock_reads_earlier_than_its_last_check() {
        let (base, max) = (Duration::from_secs(30), Duration::from_secs(300));
        let mut idle = Idle::default();
        // A check under a clock a year ahead.
        let wild = t("08:00:00") + chrono::Duration::days(365);
        idle.record(wild, false, base, max);
        idle.record(wild, false, base, max);
        assert!(!idle.due(wild + chrono::Duration::seconds(10)));
        assert!(idle.due(t("08:00:30")), "the clock came back: due");
    }

    #[test]
    fn a_cursor_keeps_sub_second_times() {
        let mut cursor = FeedCursor::default();
        let precise: DateTime<Utc> = "2030-01-01T08:00:00.123456789Z".parse().unwrap();
        cursor.enrol(["a"], precise, false);
        let back: FeedCursor =
            serde_json::from_str(&serde_json::to_string(&cursor).unwrap()).unwrap();
        assert_eq!(back.positions("a").unwrap().time, precise);
    }

    #[test]
    fn events_serialize_flat_with_the_device_id() {
        let event = FeedEvent::Location {
            device_id: "dev-1".into(),
            location: fix("08:00:00"),
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["deviceId"], "dev-1");
        assert_eq!(json["latitude"], 4.6);
        assert_eq!(serde_json::from_value::<FeedEvent>(json).unwrap(), event);
        let alert: AlertEvent = serde_json::from_value(serde_json::json!({
            "dateTime": "2030-01-01T08:00:00Z", "latitude": 1.0, "longitude": 2.0, "alerts": ["Speeding"]
        }))
        .unwrap();
        let event = FeedEvent::Alert {
            device_id: "dev-1".into(),
            alert,
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["alert"]["alerts"][0], "Speeding");
        assert_eq!(serde_json::from_value::<FeedEvent>(json).unwrap(), event);
        assert_eq!(event.time(), t("08:00:00"));
    }

    #[test]
    fn start_resolves_against_the_server_clock() {
        let now = t("10:00:00");
        assert_eq!(Start::default().resolve(now), now);
        assert_eq!(
            Start::Ago(Duration::from_secs(7200)).resolve(now),
            t("08:00:00")
        );
        assert_eq!(Start::At(t("09:00:00")).resolve(now), t("09:00:00"));
    }
}
