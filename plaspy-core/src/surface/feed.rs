//! `client.feed()`: a lossless, resumable feed of new positions (and alert events).
//!
//! Written once as async code; `must_be_sync` turns it into the blocking flavour. The pure
//! decisions (cursors, boundaries, which devices to ask, backoff) are in
//! [`plaspy_types::feed`]; this file only does the calls.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use plaspy_types::feed::{
    FeedCursor, FeedEvent, Idle, Mark, Start, more_pages, narrower, needs_range, window_end,
};
use plaspy_types::{Error, Result};

use super::client::Client;
use super::{Transport, maybe};
use crate::FleetOptions;

/// The default time between polls.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);
/// The default longest wait before a parked or silent device is checked again.
const DEFAULT_MAX_IDLE: Duration = Duration::from_secs(300);
/// The default most fixes read for one device in one poll (beyond, the next poll goes on).
const DEFAULT_MAX_PER_POLL: usize = 10_000;
/// The longest range asked in one query (the API caps ranges; a day keeps replies small).
const WINDOW: Duration = Duration::from_secs(86_400);

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
/// past their cursor, fetches every fix since the cursor with the date-range
/// endpoint ("the present" being the server's clock, read from its `Date` header). Items
/// are handed out in time order; [`cursor`](Self::cursor) always covers exactly what was
/// handed out, so saving it and [resuming](FeedBuilder::resume) neither loses nor repeats.
///
/// A poll that fails for a device leaves its cursor where it was: the next poll fetches
/// the same fixes again. Such failures come out as `Err` items; the feed goes on.
#[derive(Debug)]
pub struct Feed<T> {
    client: Client<T>,
    selection: Selection,
    interval: Duration,
    start: Start,
    alerts: bool,
    max_idle: Duration,
    max_per_poll: usize,
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
}

/// A device to read with the date-range endpoint.
struct Job {
    id: String,
    marks: (Mark, Option<Mark>),
    hint: Option<DateTime<Utc>>,
    to: DateTime<Utc>,
}

/// What the date-range endpoint gave for one device.
struct Fetched {
    locations: Vec<FeedEvent>,
    alerts: Vec<FeedEvent>,
    /// Both streams reached the end of the range.
    complete: bool,
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
        let event = self.pending.pop_front()?;
        self.lock_cursor().advance(&event);
        Some(event)
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
                Err(err) => {
                    report.failed.push((id, err));
                    continue;
                }
            };
            let marks = {
                let cursor = self.lock_cursor();
                (
                    cursor.positions(&id).unwrap_or(Mark::new(start)),
                    cursor.alerts(&id),
                )
            };
            if needs_range(&marks.0, hint) {
                let to = hint.map_or(now, |h| h.max(now));
                jobs.push(Job {
                    id,
                    marks,
                    hint,
                    to,
                });
            } else {
                self.quiet(&id, now, false);
            }
        }
        report.fetched = jobs.len();
        let client = &self.client;
        let jobs_ref = &jobs;
        let cap = self.max_per_poll;
        let fetched = super::fan_out(
            jobs.len(),
            &FleetOptions::default(),
            &client.inner.pacer,
            move |i| async move {
                let job = &jobs_ref[i];
                client
                    .feed_fetch(&job.id, job.marks, job.hint, job.to, cap)
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
    /// The new fixes (and alerts) of one device since its marks, up to `to` (its last fix
    /// is `hint`); all or nothing, so a failure leaves the cursor where it was.
    async fn feed_fetch(
        &self,
        id: &str,
        marks: (Mark, Option<Mark>),
        hint: Option<DateTime<Utc>>,
        to: DateTime<Utc>,
        cap: usize,
    ) -> Result<Fetched> {
        let (locations, all_locations) = self.feed_range(id, false, marks.0, hint, to, cap).await?;
        let (alerts, all_alerts) = match marks.1 {
            Some(mark) => self.feed_range(id, true, mark, None, to, cap).await?,
            None => (Vec::new(), true),
        };
        Ok(Fetched {
            locations,
            alerts,
            complete: all_locations && all_alerts,
        })
    }

    /// Every item of one stream (positions, or `alerts`) of a device after `mark` up to
    /// `to`, oldest first: a day per query, narrower when the server refuses a reply as too
    /// large, asked again from the advanced mark when a reply was cut at the server's cap.
    /// Stops after the window that brings it to `cap` items; `true` when it reached `to`.
    async fn feed_range(
        &self,
        id: &str,
        alerts: bool,
        mut mark: Mark,
        last: Option<DateTime<Utc>>,
        to: DateTime<Utc>,
        cap: usize,
    ) -> Result<(Vec<FeedEvent>, bool)> {
        let mut out = Vec::new();
        let mut span = WINDOW;
        let mut from = mark.time;
        'windows: while from <= to {
            let until = window_end(from, span, to);
            let target = last.map_or(until, |h| h.min(until));
            loop {
                let start = from.max(mark.time);
                let page = if alerts {
                    self.devices().alerts(id, start, until).await.map(|page| {
                        let tag = |alert| FeedEvent::Alert {
                            device_id: id.to_owned(),
                            alert,
                        };
                        page.into_iter().map(tag).collect::<Vec<_>>()
                    })
                } else {
                    self.devices()
                        .locations(id, start, until)
                        .await
                        .map(|page| {
                            let tag = |location| FeedEvent::Location {
                                device_id: id.to_owned(),
                                location,
                            };
                            page.into_iter().map(tag).collect::<Vec<_>>()
                        })
                };
                let page = match page {
                    Ok(page) => page,
                    Err(err) if err.status() == Some(400) => match narrower(span) {
                        // Refused (too many records, too long a range): a narrower window.
                        Some(narrow) => {
                            span = narrow;
                            from = start;
                            continue 'windows;
                        }
                        None => return Err(err),
                    },
                    Err(err) => return Err(err),
                };
                let new = mark.select(page, FeedEvent::time);
                let count = new.len();
                for item in new {
                    mark.advance(item.time());
                    out.push(item);
                }
                if !more_pages(&mark, count, target) {
                    break;
                }
            }
            if until >= to {
                break;
            }
            if out.len() >= cap {
                return Ok((out, false));
            }
            from = until;
        }
        Ok((out, true))
    }
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
