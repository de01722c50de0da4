//! `client.feed()`: a lossless, resumable feed of new positions (and alert events).
//!
//! Written once as async code; `must_be_sync` turns it into the blocking flavour. The pure
//! decisions (cursors, boundaries, which devices to ask, backoff) are in
//! [`plaspy_types::feed`]; this file only does the calls.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use plaspy_types::endpoints::{QueryAlertsChecked, QueryLocationsChecked};
use plaspy_types::envelope::Skipped;
use plaspy_types::feed::{
    DEFAULT_LOOKBACK, Delivered, FeedCursor, FeedEvent, Idle, Mark, Start, identity, needs_range,
    window_end,
};
use plaspy_types::history::{ReplyCap, Verdict, Window, found_more, unreached};
use plaspy_types::{AlertsQuery, Error, LocationsQuery, Result};

use super::client::Client;
use super::{Transport, maybe};
use crate::FleetOptions;

/// The default time between polls.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);
/// The default longest wait before a parked or silent device is checked again.
const DEFAULT_MAX_IDLE: Duration = Duration::from_secs(300);
/// The default most fixes read for one device in one poll (beyond, the next poll goes on).
const DEFAULT_MAX_PER_POLL: usize = 10_000;
/// The first range asked in one query (the API caps ranges; a day keeps replies small).
const WINDOW: Duration = Duration::from_secs(86_400);
/// The longest range asked in one query: empty windows double up to it (the API's limit).
const MAX_WINDOW: Duration = Duration::from_secs(31 * 86_400);
/// The most date-range requests for one stream of one device in one poll: a device far
/// behind (a wild clock, an old cursor) catches up over the next polls.
const MAX_REQUESTS_PER_POLL: usize = 32;
/// The shortest window a cut reply is narrowed to.
const MIN_WINDOW: chrono::Duration = chrono::Duration::seconds(1);

/// Which devices a feed follows.
#[derive(Debug, Clone)]
enum Selection {
    All,
    Ids(Vec<String>),
    Group(String),
}

/// Settings of a [`Feed`], from [`Client::feed`].
#[derive(Debug)]
pub struct FeedBuilder<T> {
    client: Client<T>,
    selection: Selection,
    interval: Duration,
    start: Start,
    cursor: FeedCursor,
    alerts: bool,
    max_idle: Duration,
    max_per_poll: usize,
    lookback: Duration,
}

impl<T: Transport> Client<T> {
    /// A live feed of new positions: every fix the devices report from now on, exactly once,
    /// in time order per device. Set it up with the returned [`FeedBuilder`].
    ///
    /// ```no_run
    /// # fn run(client: plaspy_core::blocking::Client<impl plaspy_core::blocking::Transport>) {
    /// let mut feed = client.feed().devices(["dev-01"]).build();
    /// for event in feed.by_ref().take(10) {
    ///     println!("{:?}", event);
    /// }
    /// let saved = feed.cursor(); // serde: save it, pass it to `resume` later
    /// # }
    /// ```
    pub fn feed(&self) -> FeedBuilder<T> {
        FeedBuilder {
            client: self.clone(),
            selection: Selection::All,
            interval: DEFAULT_INTERVAL,
            start: Start::default(),
            cursor: FeedCursor::default(),
            alerts: false,
            max_idle: DEFAULT_MAX_IDLE,
            max_per_poll: DEFAULT_MAX_PER_POLL,
            lookback: DEFAULT_LOOKBACK,
        }
    }
}

impl<T: Transport> FeedBuilder<T> {
    /// Follows these devices (default: every device of the account, re-listed each poll).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let feed = client.feed().devices(["dev-01", "dev-02"]).build();
    /// # drop(feed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn devices<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.selection = Selection::Ids(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Follows the members of a group, re-read each poll.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let feed = client.feed().group("grp-1").build(); // members re-read each poll
    /// # drop(feed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn group(mut self, group_id: impl Into<String>) -> Self {
        self.selection = Selection::Group(group_id.into());
        self
    }

    /// Time between polls (default 30 s).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use std::time::Duration;
    ///
    /// let feed = client.feed().interval(Duration::from_secs(10)).build();
    /// assert_eq!(feed.interval(), Duration::from_secs(10));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Starts at this instant: fixes at or after it are delivered (default: the server's
    /// present). Devices with a mark in a [`resume`](Self::resume)d cursor keep their mark.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let start = chrono::Utc::now() - chrono::Duration::minutes(30);
    /// let mut feed = client.feed().devices(["dev-01"]).since(start).build();
    /// feed.poll_once()?;
    /// assert!(feed.peek().is_none_or(|event| event.time() >= start));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn since(mut self, at: impl Into<DateTime<Utc>>) -> Self {
        self.start = Start::At(at.into());
        self
    }

    /// Starts this long before the server's present at the first poll.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use std::time::Duration;
    ///
    /// let mut feed = client.feed().devices(["dev-01"]).since_ago(Duration::from_secs(3600)).build();
    /// let report = feed.poll_once()?; // the last hour, at once
    /// println!("{} new items", report.queued);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn since_ago(mut self, ago: Duration) -> Self {
        self.start = Start::Ago(ago);
        self
    }

    /// Resumes from a cursor saved with [`Feed::cursor`]: nothing it covers is delivered
    /// again, nothing after it is skipped.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use std::time::Duration;
    ///
    /// let mut feed = client.feed().devices(["dev-01"]).since_ago(Duration::from_secs(600)).build();
    /// feed.poll_once()?;
    /// while let Some(event) = feed.pop() {
    ///     println!("{} {}", event.device_id(), event.time());
    /// }
    /// let saved = serde_json::to_string(&feed.cursor())?; // to a file, a database, ...
    ///
    /// // Later, maybe in another process: nothing lost, nothing repeated.
    /// let mut feed = client.feed().devices(["dev-01"]).resume(serde_json::from_str(&saved)?).build();
    /// feed.poll_once()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resume(mut self, cursor: FeedCursor) -> Self {
        self.cursor = cursor;
        self
    }

    /// Also delivers alert events (`FeedEvent::Alert`), read with the date-range alerts
    /// endpoint for the devices whose positions moved, with their own cursor.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let feed = client.feed().devices(["dev-01"]).alerts(true).build();
    /// # drop(feed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn alerts(mut self, alerts: bool) -> Self {
        self.alerts = alerts;
        self
    }

    /// The longest a parked or silent device waits between checks (default 5 min; zero
    /// checks every device at every poll). Waiting loses nothing, it only delays.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use std::time::Duration;
    ///
    /// let feed = client.feed().max_idle(Duration::from_secs(60)).build();
    /// # drop(feed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_idle(mut self, max_idle: Duration) -> Self {
        self.max_idle = max_idle;
        self
    }

    /// About the most items read for one device in one poll (default 10,000; whole query
    /// windows, so a little more). A device further behind, e.g. resumed from an old
    /// cursor, catches up over the next polls, which then follow at once: memory stays
    /// bounded and nothing is skipped.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// let feed = client.feed().max_per_poll(1_000).build();
    /// # drop(feed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_per_poll(mut self, items: usize) -> Self {
        self.max_per_poll = items.max(1);
        self
    }

    /// How far behind each device's cursor the feed reads again, for fixes uploaded late
    /// (a tracker out of coverage buffers them and uploads them later, with times before
    /// fixes already delivered). Default 3 hours; zero reads nothing twice.
    ///
    /// Fixes uploaded late are delivered, once, when the device's last fix next moves, if
    /// they are no older than this behind its cursor; older ones are not. The cost: each
    /// date-range read of a device asks for this much more, so the fixes of the last
    /// `lookback` are downloaded again at each read (about 360 fixes for a tracker
    /// reporting every 30 s, at 3 hours), and the cursor keeps a 12-byte identity for each
    /// fix delivered within it (at most 20,000 per device).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use std::time::Duration;
    ///
    /// let feed = client.feed().lookback(Duration::from_secs(6 * 3600)).build();
    /// # drop(feed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lookback(mut self, lookback: Duration) -> Self {
        self.lookback = lookback;
        self
    }

    /// The feed. It makes no request until polled.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use std::time::Duration;
    ///
    /// let feed = client.feed().interval(Duration::from_secs(15)).build(); // no request yet
    /// assert_eq!(feed.pending(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Feed<T> {
        Feed {
            client: self.client,
            selection: self.selection,
            interval: self.interval,
            start: self.start,
            alerts: self.alerts,
            max_idle: self.max_idle,
            max_per_poll: self.max_per_poll,
            lookback: self.lookback,
            cap: ReplyCap::default(),
            skips: VecDeque::new(),
            behind: false,
            cursor: Arc::new(Mutex::new(self.cursor)),
            idle: BTreeMap::new(),
            pending: VecDeque::new(),
            errors: VecDeque::new(),
            started: None,
            last_poll: None,
        }
    }
}

/// A live feed of new positions (and, if asked, alert events), from [`Client::feed`].
///
/// Each poll lists the devices, asks each due device for its last fix (concurrently, with
/// the client's pacing: `devices().last_locations`), and, for those whose last fix moved
/// past their cursor, fetches every fix from [`lookback`](FeedBuilder::lookback) before
/// the cursor up to that last fix with the date-range endpoint ("the present" being the
/// server's clock, judged from its recent `Date` headers). A fix is new when its identity
/// (a hash of its content) was not delivered: late uploads come once, repeats never, and
/// distinct fixes at one instant all come. Items are handed out in time order per poll
/// (a late upload after the fixes already delivered); [`cursor`](Self::cursor) always
/// covers exactly what was handed out, so saving it and [resuming](FeedBuilder::resume)
/// neither loses nor repeats.
///
/// Replies cut at a cap the server does not announce are noticed (the stretches of the
/// window a reply did not reach are probed) and their windows halved; items outside the
/// range asked are dropped; a fix without a usable position is set aside and reported in
/// [`PollReport::skipped`]. A poll that fails for a device leaves its cursor where it
/// was: the next poll fetches the same fixes again. Such failures come out as `Err`
/// items; the feed goes on.
#[derive(Debug)]
pub struct Feed<T> {
    client: Client<T>,
    selection: Selection,
    interval: Duration,
    start: Start,
    alerts: bool,
    max_idle: Duration,
    max_per_poll: usize,
    lookback: Duration,
    /// What is known of the server's reply cap.
    cap: ReplyCap,
    /// Positions set aside, to record in the cursor once the items before them are out.
    skips: VecDeque<(String, Option<DateTime<Utc>>, u64)>,
    /// The last poll left a device short of the present: poll again without waiting.
    behind: bool,
    pub(crate) cursor: Arc<Mutex<FeedCursor>>,
    idle: BTreeMap<String, Idle>,
    pending: VecDeque<FeedEvent>,
    errors: VecDeque<Error>,
    started: Option<DateTime<Utc>>,
    last_poll: Option<Instant>,
}

/// What one [`Feed::poll_once`] did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct PollReport {
    /// Devices asked for their last fix.
    pub checked: usize,
    /// Devices whose fixes were fetched with the date-range endpoint.
    pub fetched: usize,
    /// New items queued for [`Feed::pop`].
    pub queued: usize,
    /// Devices read only part of the way (see [`FeedBuilder::max_per_poll`]); the next
    /// poll goes on from there.
    pub behind: usize,
    /// Devices that failed, with the error; their cursors did not move.
    pub failed: Vec<(String, Error)>,
    /// Positions (or alert events) set aside, each reported once: they did not decode or
    /// had no usable position. The cursor moves past them once the items before them are
    /// handed out; a `tracing` warning names them too.
    pub skipped: Vec<SkippedItem>,
}

/// An item of a device set aside by the feed (see [`PollReport::skipped`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SkippedItem {
    /// The device.
    pub device_id: String,
    /// Its time, when readable.
    pub time: Option<DateTime<Utc>>,
    /// What is wrong with it.
    pub reason: String,
}

/// A device to read with the date-range endpoint.
struct Job {
    id: String,
    marks: (Mark, Option<Mark>),
    delivered: (Delivered, Delivered),
    to: DateTime<Utc>,
}

/// What the date-range endpoint gave for one device.
struct Fetched {
    locations: Vec<FeedEvent>,
    alerts: Vec<FeedEvent>,
    skipped: Vec<Skipped>,
    /// Both streams reached the end of the range.
    complete: bool,
    cap: ReplyCap,
}

/// What one stream of one device gave.
struct Stream {
    items: Vec<FeedEvent>,
    skipped: Vec<Skipped>,
    complete: bool,
}

/// How a device's stream is read: from where, up to where, what is already out.
struct Reading<'a> {
    id: &'a str,
    alerts: bool,
    mark: Mark,
    delivered: &'a Delivered,
    lookback: Duration,
    to: DateTime<Utc>,
    max_items: usize,
    queued: &'a HashSet<u64>,
}

impl<T> Feed<T> {
    fn lock_cursor(&self) -> MutexGuard<'_, FeedCursor> {
        self.cursor.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where the feed has got: covers exactly the items handed out so far. Save it
    /// (serde) and pass it to [`FeedBuilder::resume`] to go on later.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// # use std::time::Duration;
    /// # let mut feed = client.feed().devices(["dev-01", "dev-02"]).since_ago(Duration::from_secs(3600)).build();
    /// feed.poll_once()?;
    /// feed.pop();
    /// let cursor = feed.cursor(); // covers the item popped, not the others
    /// let saved = serde_json::to_string(&cursor)?;
    /// # drop(saved);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cursor(&self) -> FeedCursor {
        self.lock_cursor().clone()
    }

    /// The next item already fetched, if any, without waiting or asking the server. The
    /// cursor moves past it.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// # use std::time::Duration;
    /// # let mut feed = client.feed().devices(["dev-01", "dev-02"]).since_ago(Duration::from_secs(3600)).build();
    /// feed.poll_once()?;
    /// while let Some(event) = feed.pop() {
    ///     println!("{} {}", event.device_id(), event.time());
    /// }
    /// assert_eq!(feed.pending(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pop(&mut self) -> Option<FeedEvent> {
        let event = self.pending.pop_front();
        let until = match &event {
            Some(event) => Some(event.time()),
            None if self.skips.is_empty() => return None,
            None => None,
        };
        let mut cursor = self.cursor.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(event) = &event {
            cursor.advance(event);
        }
        // The positions set aside before this item (all of them once nothing is left).
        let all = self.pending.is_empty();
        self.skips.retain(|(device, time, id)| {
            let due = all || time.zip(until).is_some_and(|(t, u)| t <= u);
            if due {
                cursor.skip(device, *time, *id);
            }
            !due
        });
        event
    }

    /// The next item already fetched, without handing it out (the cursor stays): write it,
    /// then [`pop`](Self::pop) it.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// # use std::time::Duration;
    /// # let mut feed = client.feed().devices(["dev-01", "dev-02"]).since_ago(Duration::from_secs(3600)).build();
    /// feed.poll_once()?;
    /// if let Some(event) = feed.peek() {
    ///     println!("{event:?}"); // write it somewhere safe first,
    ///     feed.pop(); // then hand it out
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn peek(&self) -> Option<&FeedEvent> {
        self.pending.front()
    }

    /// A failure or an item already at hand, without waiting.
    pub(crate) fn pop_ready(&mut self) -> Option<Result<FeedEvent>> {
        if let Some(err) = self.errors.pop_front() {
            return Some(Err(err));
        }
        self.pop().map(Ok)
    }

    /// How many items are fetched and not handed out yet.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// # use std::time::Duration;
    /// # let mut feed = client.feed().devices(["dev-01", "dev-02"]).since_ago(Duration::from_secs(3600)).build();
    /// let report = feed.poll_once()?;
    /// assert_eq!(feed.pending(), report.queued);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// The time between polls.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// # use std::time::Duration;
    /// # let mut feed = client.feed().devices(["dev-01", "dev-02"]).since_ago(Duration::from_secs(3600)).build();
    /// assert_eq!(feed.interval(), Duration::from_secs(30)); // the default
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

#[maybe(AFIT)]
impl<T: Transport> Feed<T> {
    /// The next new item, polling (every interval) until there is one.
    ///
    /// An `Err` reports a failed poll or a device that failed in a poll (use
    /// [`poll_once`](Self::poll_once) to know which); the feed stays usable and the next
    /// call goes on.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// # use std::time::Duration;
    /// # let mut feed = client.feed().devices(["dev-01", "dev-02"]).since_ago(Duration::from_secs(3600)).build();
    /// // Returns at once if an item is at hand, else polls (every interval) until one comes.
    /// let event = feed.next_event()?;
    /// println!("{} {}", event.device_id(), event.time());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn next_event(&mut self) -> Result<FeedEvent> {
        loop {
            if let Some(item) = self.pop_ready() {
                return item;
            }
            if let Some(last) = self.last_poll.filter(|_| !self.behind) {
                let wait = self.interval.saturating_sub(last.elapsed());
                if !wait.is_zero() {
                    self.client.inner.transport.sleep(wait).await;
                }
            }
            let report = self.poll_once().await?;
            self.errors
                .extend(report.failed.into_iter().map(|(_, err)| err));
        }
    }

    /// Polls once, now: queues every new item for [`pop`](Self::pop) and returns what it
    /// did. An `Err` means the device list (or group) could not be read.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// # use std::time::Duration;
    /// # let mut feed = client.feed().devices(["dev-01", "dev-02"]).since_ago(Duration::from_secs(3600)).build();
    /// let report = feed.poll_once()?;
    /// println!("{} devices checked, {} fetched, {} new items", report.checked, report.fetched, report.queued);
    /// for (id, err) in &report.failed {
    ///     eprintln!("{id}: {err}");
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn poll_once(&mut self) -> Result<PollReport> {
        self.last_poll = Some(Instant::now());
        let lookback = self.lookback;
        self.lock_cursor().prune(lookback);
        let ids = self.device_ids().await?;
        let now = self.server_now();
        let due: Vec<String> = ids
            .iter()
            .filter(|id| self.idle.get(*id).is_none_or(|idle| idle.due(now)))
            .cloned()
            .collect();
        let hints = self.client.devices().last_locations(&due).await;
        let now = self.server_now();
        let start = match self.started {
            Some(start) => start,
            None => *self.started.insert(self.start.resolve(now)),
        };
        let alerts = self.alerts;
        self.lock_cursor()
            .enrol(ids.iter().map(String::as_str), start, alerts);

        let mut report = PollReport {
            checked: due.len(),
            ..PollReport::default()
        };
        // The devices whose last fix moved past their mark, with what to fetch.
        let mut jobs: Vec<Job> = Vec::new();
        for (id, hint) in due.into_iter().zip(hints) {
            let hint = match hint {
                Ok(hint) => hint.map(|fix| fix.date_time),
                // A last fix that does not decode (no usable position): read the range up
                // to the present, where the fix is set aside and the others delivered.
                Err(Error::Decode { .. }) => Some(now),
                Err(err) => {
                    report.failed.push((id, err));
                    continue;
                }
            };
            let (marks, delivered) = {
                let cursor = self.lock_cursor();
                let device = cursor.devices.get(&id);
                (
                    (
                        cursor.positions(&id).unwrap_or(Mark::new(start)),
                        cursor.alerts(&id),
                    ),
                    (
                        device.map(|d| d.delivered.clone()).unwrap_or_default(),
                        device
                            .map(|d| d.delivered_alerts.clone())
                            .unwrap_or_default(),
                    ),
                )
            };
            if let Some(to) = hint.filter(|_| needs_range(&marks.0, hint)) {
                // Up to the last fix: the data end there, whatever the server's clock says.
                jobs.push(Job {
                    id,
                    marks,
                    delivered,
                    to,
                });
            } else {
                self.quiet(&id, now, false);
            }
        }
        report.fetched = jobs.len();
        // What is fetched and not handed out yet is not fetched again.
        let queued: HashSet<u64> = self
            .pending
            .iter()
            .map(|event| match event {
                FeedEvent::Location { location, .. } => identity(location),
                FeedEvent::Alert { alert, .. } => identity(alert),
            })
            .collect();
        let client = &self.client;
        let jobs_ref = &jobs;
        let queued = &queued;
        let (max_items, reply_cap) = (self.max_per_poll, self.cap);
        let fetched = super::fan_out(
            jobs.len(),
            &FleetOptions::default(),
            &client.inner.pacer,
            move |i| async move {
                let job = &jobs_ref[i];
                client
                    .feed_fetch(job, lookback, max_items, queued, reply_cap)
                    .await
            },
        )
        .await;
        let mut batch = Vec::new();
        for (job, fetched) in jobs.into_iter().zip(fetched) {
            let fetched = match fetched {
                Ok(fetched) => fetched,
                Err(err) => {
                    report.failed.push((job.id, err));
                    continue;
                }
            };
            self.quiet(&job.id, now, !fetched.locations.is_empty());
            if !fetched.complete {
                report.behind += 1;
            }
            self.cap.merge(fetched.cap);
            super::history::warn_skipped(&job.id, &fetched.skipped);
            for skipped in fetched.skipped {
                self.skips
                    .push_back((job.id.clone(), skipped.time, skipped.identity));
                report.skipped.push(SkippedItem {
                    device_id: job.id.clone(),
                    time: skipped.time,
                    reason: skipped.reason,
                });
            }
            batch.extend(fetched.locations);
            batch.extend(fetched.alerts);
        }
        // Time order across devices; stable, so each device keeps its own order.
        batch.sort_by_key(FeedEvent::time);
        report.queued = batch.len();
        self.behind = report.behind > 0;
        self.pending.extend(batch);
        Ok(report)
    }

    /// The ids of the devices followed.
    async fn device_ids(&self) -> Result<Vec<String>> {
        match &self.selection {
            Selection::Ids(ids) => Ok(ids.clone()),
            Selection::Group(group) => {
                let group = self.client.groups().get(group).await?;
                Ok(group.devices.unwrap_or_default())
            }
            Selection::All => {
                let devices = self.client.devices().list().await?;
                Ok(devices.iter().map(|d| d.id().to_owned()).collect())
            }
        }
    }
}

#[maybe(AFIT)]
impl<T: Transport> Client<T> {
    /// The new fixes (and alerts) of one device since its marks (and the trailing window
    /// behind them), up to its last fix; all or nothing, so a failure leaves the cursor
    /// where it was.
    async fn feed_fetch(
        &self,
        job: &Job,
        lookback: Duration,
        max_items: usize,
        queued: &HashSet<u64>,
        cap: ReplyCap,
    ) -> Result<Fetched> {
        let mut cap = cap;
        let reading = Reading {
            id: &job.id,
            alerts: false,
            mark: job.marks.0,
            delivered: &job.delivered.0,
            lookback,
            to: job.to,
            max_items,
            queued,
        };
        let locations = self.feed_range(&reading, &mut cap).await?;
        let alerts = match job.marks.1 {
            Some(mark) => {
                let reading = Reading {
                    alerts: true,
                    mark,
                    delivered: &job.delivered.1,
                    ..reading
                };
                self.feed_range(&reading, &mut cap).await?
            }
            None => Stream {
                items: Vec::new(),
                skipped: Vec::new(),
                complete: true,
            },
        };
        let mut skipped = locations.skipped;
        skipped.extend(alerts.skipped);
        Ok(Fetched {
            locations: locations.items,
            alerts: alerts.items,
            skipped,
            complete: locations.complete && alerts.complete,
            cap,
        })
    }

    /// One window of one stream, tagged, with the items set aside; clipped to the window
    /// (a server may ignore the range).
    async fn feed_window(
        &self,
        id: &str,
        alerts: bool,
        window: Window,
    ) -> Result<(Vec<FeedEvent>, Vec<Skipped>, usize)> {
        let (items, skipped): (Vec<FeedEvent>, Vec<Skipped>) = if alerts {
            let query = AlertsQuery::new(window.from, window.to);
            let endpoint = plaspy_types::endpoints::QueryAlerts { id, query: &query };
            let reply = self.run(&QueryAlertsChecked(endpoint)).await?;
            let tag = |alert| FeedEvent::Alert {
                device_id: id.to_owned(),
                alert,
            };
            (reply.items.into_iter().map(tag).collect(), reply.skipped)
        } else {
            let query = LocationsQuery::new(window.from, window.to);
            let endpoint = plaspy_types::endpoints::QueryLocations { id, query: &query };
            let reply = self.run(&QueryLocationsChecked(endpoint)).await?;
            let tag = |location| FeedEvent::Location {
                device_id: id.to_owned(),
                location,
            };
            (reply.items.into_iter().map(tag).collect(), reply.skipped)
        };
        let sent = items.len();
        let in_window =
            |t: Option<DateTime<Utc>>| t.is_none_or(|t| window.from <= t && t <= window.to);
        let skipped = skipped.into_iter().filter(|s| in_window(s.time)).collect();
        Ok((clip_events(items, &window), skipped, sent))
    }

    /// Whether a reply of `sent` items for `window` was cut at the server's cap: known
    /// from its length, or found by probing the stretches it did not reach.
    async fn feed_cut(
        &self,
        id: &str,
        alerts: bool,
        window: Window,
        items: &[FeedEvent],
        sent: usize,
        cap: &mut ReplyCap,
    ) -> Result<bool> {
        match cap.verdict(sent) {
            Verdict::Complete => return Ok(false),
            Verdict::Cut => return Ok(true),
            Verdict::Probe => {}
        }
        let first = items.iter().map(FeedEvent::time).min();
        let last = items.iter().map(FeedEvent::time).max();
        let (before, after) = unreached(&window, first.zip(last));
        for (stretch, edge) in [(before, first), (after, last)] {
            let (Some(stretch), Some(edge)) = (stretch, edge) else {
                continue;
            };
            let (probe, _, _) = self.feed_window(id, alerts, stretch).await?;
            if found_more(items, &probe, &stretch, edge) {
                cap.cut(sent);
                return Ok(true);
            }
        }
        cap.complete(sent);
        Ok(false)
    }

    /// Every new item of one stream (positions, or alerts) of a device, from `lookback`
    /// before its mark up to `to`: windows of a day (doubling while empty, up to 31 days),
    /// halved when the server refuses one as too large or cuts its reply at its cap. An
    /// item is new when its identity was neither delivered nor queued. Stops after the
    /// window that brings it to `max_items` items, or after a bounded number of requests;
    /// `complete` when it reached `to`.
    async fn feed_range(&self, r: &Reading<'_>, cap: &mut ReplyCap) -> Result<Stream> {
        let known = r.delivered.known();
        let mut taken: HashSet<u64> = HashSet::new();
        let mut out = Stream {
            items: Vec::new(),
            skipped: Vec::new(),
            complete: false,
        };
        let mut span = WINDOW;
        let mut next = r.delivered.read_from(&r.mark, r.lookback).min(r.to);
        let mut done = false;
        // Halves still to read, latest first (popped earliest first).
        let mut stack: Vec<Window> = Vec::new();
        let mut requests = 0;
        loop {
            let window = match stack.pop() {
                Some(window) => window,
                None if done => break,
                None => {
                    let end = window_end(next, span, r.to);
                    let window = Window {
                        from: next,
                        to: end,
                    };
                    done = end >= r.to;
                    next = end;
                    window
                }
            };
            if requests >= MAX_REQUESTS_PER_POLL || out.items.len() >= r.max_items {
                return Ok(out);
            }
            // Re-reading the trailing window behind the mark is bounded by its span; only
            // reading past the mark counts against a poll's budget.
            if window.to > r.mark.time {
                requests += 1;
            }
            let (items, skipped, sent) = match self.feed_window(r.id, r.alerts, window).await {
                Ok(reply) => reply,
                Err(err)
                    if plaspy_types::history::is_range_refusal(&err)
                        || err.status() == Some(400) =>
                {
                    match window.halves(MIN_WINDOW) {
                        Some((a, b)) => {
                            stack.push(b);
                            stack.push(a);
                            span = (span / 2).max(Duration::from_secs(60));
                            continue;
                        }
                        None => return Err(err),
                    }
                }
                Err(err) => return Err(err),
            };
            if self
                .feed_cut(r.id, r.alerts, window, &items, sent, cap)
                .await?
            {
                match window.halves(MIN_WINDOW) {
                    Some((a, b)) => {
                        stack.push(b);
                        stack.push(a);
                        span = (span / 2).max(Duration::from_secs(1));
                        continue;
                    }
                    None => {
                        return Err(Error::invalid_input(format!(
                            "device {}: the server cut its reply for {} to {} at {sent} items, \
                                 and that range cannot be narrowed further: some of its items could not be read",
                            r.id,
                            plaspy_types::de::format_datetime(&window.from),
                            plaspy_types::de::format_datetime(&window.to),
                        )));
                    }
                }
            }
            if sent == 0 && stack.is_empty() {
                span = (span * 2).min(MAX_WINDOW);
            }
            for item in items {
                let id = match &item {
                    FeedEvent::Location { location, .. } => identity(location),
                    FeedEvent::Alert { alert, .. } => identity(alert),
                };
                if r.delivered.is_new(&r.mark, item.time(), id, &known)
                    && !r.queued.contains(&id)
                    && taken.insert(id)
                {
                    out.items.push(item);
                }
            }
            for skipped in skipped {
                let after_floor = skipped
                    .time
                    .is_none_or(|t| r.delivered.floor.is_none_or(|floor| t >= floor));
                if after_floor
                    && !known.contains(&skipped.identity)
                    && taken.insert(skipped.identity)
                {
                    out.skipped.push(skipped);
                }
            }
        }
        out.complete = true;
        Ok(out)
    }
}

/// Keeps the events inside `window`.
fn clip_events(mut items: Vec<FeedEvent>, window: &Window) -> Vec<FeedEvent> {
    items.retain(|item| window.from <= item.time() && item.time() <= window.to);
    items
}

impl<T: Transport> Feed<T> {
    /// The server's present; this machine's clock only until the server has answered.
    fn server_now(&self) -> DateTime<Utc> {
        self.client
            .server_time()
            .unwrap_or_else(|| self.client.config().clock.now())
    }

    /// Records whether a check of a device found something new, for the backoff.
    fn quiet(&mut self, id: &str, now: DateTime<Utc>, moved: bool) {
        let (base, max) = (self.interval, self.max_idle);
        self.idle
            .entry(id.to_owned())
            .or_default()
            .record(now, moved, base, max);
    }
}
