//! History over any range: a date-range query cut into windows the API accepts, fetched
//! with bounded concurrency, merged in time order without boundary duplicates, and
//! delivered window by window; plus the trip / stop / daily-summary reports on top.
//!
//! Written once as async code; `must_be_sync` turns it into the blocking flavour. Only
//! the fan-out and the iterator / `Stream` adapters differ per flavour.

use std::collections::VecDeque;

use chrono::{DateTime, TimeZone, Utc};
use plaspy_fleet::{Analysis, DaySummary, Fix, ReportOptions, Stop, Trip, analyze_fixes};
use plaspy_types::envelope::Skipped;
use plaspy_types::history::{
    BoundaryMerge, HistoryLimits, HistoryQuery, Outcome, ReplyCap, Timed, Verdict, Window, Windows,
    clip, found_more, plan, unreached,
};
use plaspy_types::{AlertsQuery, Error, Result};

use super::client::Client;
use super::{Transport, fan_out, maybe};
use crate::FleetOptions;

/// Default number of windows fetched at once.
pub const DEFAULT_WINDOW_CONCURRENCY: usize = 4;

/// A date-range query over any range, from
/// [`Devices::location_history`](super::Devices::location_history) or
/// [`Devices::alert_history`](super::Devices::alert_history).
///
/// The range is cut into windows of at most [`HistoryLimits::max_window`] (31 days); a
/// window whose reply reaches [`HistoryLimits::reply_cap`] or is refused as too large is
/// cut in half and fetched again; a range longer than [`HistoryLimits::max_range`] (one
/// year) is refused before any request.
///
/// A server may also cut replies at a lower cap without saying so, keeping the oldest or
/// the newest items: a reply that does not reach both ends of its window is probed there
/// (see [`ReplyCap`]); a reply found cut teaches the cap, and its window is halved. When
/// a window cannot be narrowed any more, the history fails with an error naming the
/// device and the range, never with fixes silently missing. Items outside the window
/// asked (a server that ignores the range) are dropped, and items that do not decode or
/// have no usable position are set aside, logged (`tracing` warning) and counted
/// ([`Pager::skipped`]). Windows are fetched a few at a time
/// ([`concurrency`](Self::concurrency)) through the client, so its retries (and pacing)
/// apply to each.
#[derive(Debug, Clone)]
pub struct History<T, Q> {
    client: Client<T>,
    id: String,
    query: Q,
    limits: HistoryLimits,
    concurrency: usize,
    timeout: Option<std::time::Duration>,
}

impl<T: Transport, Q: HistoryQuery> History<T, Q> {
    pub(super) fn new(client: &Client<T>, id: &str, query: Q) -> Self {
        History {
            client: client.clone(),
            id: id.to_owned(),
            query,
            limits: HistoryLimits::default(),
            concurrency: DEFAULT_WINDOW_CONCURRENCY,
            timeout: None,
        }
    }

    /// The limit for one attempt of each window's request, instead of the client's
    /// [`timeout`](super::ClientBuilder::timeout): a window of a busy device can take the
    /// server a while. A client [`deadline`](super::ClientBuilder::deadline) still bounds
    /// each call. Zero is ignored.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = Some(timeout).filter(|t| !t.is_zero());
        self
    }

    /// Sets the per-query limits (window span, reply cap, maximum range).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// use plaspy_types::history::HistoryLimits;
    ///
    /// let mut limits = HistoryLimits::default();
    /// limits.max_window = Duration::days(7); // smaller replies
    /// let to = Utc::now();
    /// let history = client.devices().location_history("dev-01", to - Duration::days(30), to).limits(limits);
    /// assert_eq!(history.request_count()?, 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn limits(mut self, limits: HistoryLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets how many windows are fetched at once (at least 1; default 4).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// let fixes = client.devices().location_history("dev-01", to - Duration::days(2), to).concurrency(1).all()?;
    /// println!("{} fixes", fixes.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn concurrency(mut self, windows: usize) -> Self {
        self.concurrency = windows.max(1);
        self
    }

    /// How many requests the range takes at least (more if windows come back at the reply
    /// cap); an error if the range is reversed or longer than the maximum range.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// let history = client.devices().location_history("dev-01", to - Duration::days(90), to);
    /// assert_eq!(history.request_count()?, 3);
    /// let too_long = client.devices().location_history("dev-01", to - Duration::days(800), to);
    /// assert!(too_long.request_count().is_err()); // more than a year: refused before any request
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request_count(&self) -> Result<u64> {
        let range = self.query.range();
        self.limits.request_count(range.from, range.to)
    }

    /// The windows one by one, each as the items it adds in time order (see [`Pager`]).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// for page in client.devices().location_history("dev-01", to - Duration::days(2), to).pages() {
    ///     let page = page?;
    ///     println!("{} fixes", page.len());
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pages(self) -> Pager<T, Q> {
        let range = self.query.range();
        let (windows, error) = match plan(range.from, range.to, &self.limits) {
            Ok(windows) => (Some(windows), None),
            Err(e) => (None, Some(e)),
        };
        Pager {
            history: self,
            windows,
            queue: VecDeque::new(),
            merge: BoundaryMerge::new(),
            error,
            cap: ReplyCap::default(),
            skipped: Vec::new(),
        }
    }
}

impl<T> History<T, AlertsQuery> {
    /// Only the alerts named `name` (as the server names them, e.g. `"Speeding"`); an empty
    /// name means every alert. See [`AlertsQuery::name`].
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.query = self.query.name(name);
        self
    }
}

#[maybe(AFIT)]
impl<T: Transport, Q: HistoryQuery> History<T, Q> {
    /// Every item of the range in time order, none twice.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// let fixes = client.devices().location_history("dev-01", to - Duration::days(2), to).all()?;
    /// assert!(fixes.windows(2).all(|w| w[0].date_time <= w[1].date_time));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn all(self) -> Result<Vec<Q::Item>> {
        let mut pages = self.pages();
        let mut out = Vec::new();
        while let Some(page) = pages.next_page().await {
            out.extend(page?);
        }
        Ok(out)
    }
}

/// One window's place in the delivery queue.
#[derive(Debug)]
enum Slot<I> {
    Pending(Window),
    Done(Window, Vec<I>),
    Failed(Error),
}

/// Delivers a [`History`] window by window: each page holds the items a window adds, in
/// time order, none repeated from the previous page. At most about twice the concurrency
/// of windows are held in memory at once.
///
/// The blocking flavour's `Pager` is an `Iterator`; the async one has `into_stream()`.
#[derive(Debug)]
pub struct Pager<T, Q: HistoryQuery> {
    history: History<T, Q>,
    windows: Option<Windows>,
    queue: VecDeque<Slot<Q::Item>>,
    merge: BoundaryMerge<Q::Item>,
    error: Option<Error>,
    cap: ReplyCap,
    skipped: Vec<Skipped>,
}

impl<T, Q: HistoryQuery> Pager<T, Q> {
    /// The items set aside so far (they did not decode, or had no usable position), each
    /// with its time when readable; the pages hold every other item.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// The reply cap learnt from the server so far, if a reply was found cut.
    pub fn learnt_cap(&self) -> Option<usize> {
        self.cap.learnt()
    }
}

/// One window's reply, judged.
#[derive(Debug)]
pub(super) struct WindowReply<I> {
    /// The items inside the window.
    items: Vec<I>,
    /// How many items the server sent (before clipping to the window).
    sent: usize,
    /// Set aside.
    skipped: Vec<Skipped>,
    /// Found (or known) to be cut at the server's cap.
    cut: bool,
    /// Probed and found complete.
    proven: bool,
}

#[maybe(AFIT)]
impl<T: Transport, Q: HistoryQuery> Pager<T, Q> {
    /// The next window's items, `None` when the range is done. After an error, `None`.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// let mut pages = client.devices().location_history("dev-01", to - Duration::days(2), to).pages();
    /// while let Some(page) = pages.next_page() {
    ///     println!("{} fixes", page?.len());
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn next_page(&mut self) -> Option<Result<Vec<Q::Item>>> {
        loop {
            if let Some(e) = self.error.take() {
                self.windows = None;
                self.queue.clear();
                return Some(Err(e));
            }
            match self.queue.pop_front() {
                Some(Slot::Done(window, items)) => {
                    return Some(Ok(self.merge.accept(&window, items)));
                }
                Some(Slot::Failed(e)) => {
                    self.error = Some(e);
                    continue;
                }
                Some(pending) => self.queue.push_front(pending),
                None => {}
            }
            let width = self.history.concurrency;
            while self.queue.len() < 2 * width {
                match self.windows.as_mut().and_then(Iterator::next) {
                    Some(window) => self.queue.push_back(Slot::Pending(window)),
                    None => break,
                }
            }
            if self.queue.is_empty() {
                return None;
            }
            let batch: Vec<(usize, Window)> = self
                .queue
                .iter()
                .enumerate()
                .filter_map(|(i, slot)| match slot {
                    Slot::Pending(w) => Some((i, *w)),
                    _ => None,
                })
                .take(width)
                .collect();
            let (client, id, query) = (
                &self.history.client,
                self.history.id.as_str(),
                &self.history.query,
            );
            let windows: Vec<Window> = batch.iter().map(|(_, w)| *w).collect();
            let options = FleetOptions::new().with_concurrency(width);
            let call = super::execute::CallOptions {
                throttle_budget: Some(options.throttle_budget()),
                timeout: self.history.timeout,
            };
            let cap = self.cap;
            let replies = fan_out(windows.len(), &options, &client.inner.pacer, |i| {
                let window = windows[i];
                async move { client.history_window(id, query, window, call, cap).await }
            })
            .await;
            // Back to front, so that splitting a window does not move the ones before it.
            for ((index, window), reply) in batch.into_iter().zip(replies).rev() {
                let slot = self.judge(window, reply);
                if let Slot::Pending(_) = slot {
                    tracing::debug!(from = %window.from, to = %window.to, "history window split");
                    let (_, b) = self.halves_of(&window);
                    self.queue.insert(index + 1, Slot::Pending(b));
                }
                self.queue[index] = slot;
            }
        }
    }
}

impl<T, Q: HistoryQuery> Pager<T, Q> {
    /// The halves a split window is fetched as.
    fn halves_of(&self, window: &Window) -> (Window, Window) {
        window
            .halves(self.history.limits.min_window)
            .unwrap_or((*window, *window))
    }

    /// What to do with a window's reply: deliver it (`Done`), fetch its first half
    /// (`Pending`, the caller queues the second), or fail naming the device and range.
    fn judge(&mut self, window: Window, reply: Result<WindowReply<Q::Item>>) -> Slot<Q::Item> {
        let id = self.history.id.as_str();
        let reply = match reply {
            Ok(reply) => reply,
            Err(e) => {
                return match self.history.limits.judge(&window, Err(&e)) {
                    Ok(Outcome::Split(a, _)) => Slot::Pending(a),
                    Ok(Outcome::Complete) => Slot::Failed(e),
                    Err(e) => Slot::Failed(in_range(id, &window, e)),
                };
            }
        };
        if reply.cut {
            self.cap.cut(reply.sent);
        } else if reply.proven {
            self.cap.complete(reply.sent);
        }
        if reply.cut {
            return match window.halves(self.history.limits.min_window) {
                Some((a, _)) => Slot::Pending(a),
                None => Slot::Failed(Error::invalid_input(format!(
                    "device {id}: the server cut its reply for {} to {} at {} items, and \
                         that range cannot be narrowed further: some of its items could not be read",
                    format_time(window.from),
                    format_time(window.to),
                    reply.sent
                ))),
            };
        }
        match self.history.limits.judge(&window, Ok(reply.sent)) {
            Ok(Outcome::Complete) => {
                warn_skipped(id, &reply.skipped);
                self.skipped.extend(reply.skipped);
                Slot::Done(window, reply.items)
            }
            Ok(Outcome::Split(a, _)) => Slot::Pending(a),
            Err(e) => Slot::Failed(in_range(id, &window, e)),
        }
    }
}

/// An error about a window, with the device named.
fn in_range(id: &str, window: &Window, error: Error) -> Error {
    match error {
        Error::InvalidInput { message, .. } => Error::invalid_input(format!(
            "device {id}, {} to {}: {message}",
            format_time(window.from),
            format_time(window.to)
        )),
        other => other,
    }
}

fn format_time(t: DateTime<Utc>) -> String {
    plaspy_types::de::format_datetime(&t)
}

/// Logs the items of a device set aside in one reply: how many, and their times.
pub(super) fn warn_skipped(id: &str, skipped: &[Skipped]) {
    if skipped.is_empty() {
        return;
    }
    let times: Vec<String> = skipped
        .iter()
        .take(10)
        .map(|s| {
            s.time
                .map_or_else(|| "unknown time".to_owned(), format_time)
        })
        .collect();
    tracing::warn!(
        device = id,
        count = skipped.len(),
        times = %times.join(", "),
        reason = %skipped[0].reason,
        "items without a usable position set aside"
    );
}

#[maybe(AFIT)]
impl<T: Transport> Client<T> {
    /// One window of a history query, clipped to the window; when the reply's length says
    /// nothing of a cut (see [`ReplyCap`]) and it does not reach both ends of the window,
    /// the stretches it did not reach are probed.
    async fn history_window<Q: HistoryQuery>(
        &self,
        id: &str,
        query: &Q,
        window: Window,
        call: super::execute::CallOptions,
        cap: ReplyCap,
    ) -> Result<WindowReply<Q::Item>> {
        let windowed = query.with_window(window);
        let reply = self.run_with(&windowed.endpoint(id), call).await?;
        let sent = reply.items.len();
        let items = clip(reply.items, &window);
        let mut out = WindowReply {
            items,
            sent,
            skipped: reply.skipped,
            cut: false,
            proven: false,
        };
        match cap.verdict(sent) {
            Verdict::Complete => return Ok(out),
            Verdict::Cut => {
                out.cut = true;
                return Ok(out);
            }
            Verdict::Probe => {}
        }
        let first = out.items.iter().map(Timed::time).min();
        let last = out.items.iter().map(Timed::time).max();
        let (before, after) = unreached(&window, first.zip(last));
        for (stretch, edge) in [(before, first), (after, last)] {
            let (Some(stretch), Some(edge)) = (stretch, edge) else {
                continue;
            };
            let probe = query.with_window(stretch);
            let found = self.run_with(&probe.endpoint(id), call).await?;
            if found_more(&out.items, &found.items, &stretch, edge) {
                out.cut = true;
                return Ok(out);
            }
        }
        out.proven = true;
        Ok(out)
    }
}

/// Trip, stop and daily-summary reports of one device over any range, from
/// [`Devices::report`](super::Devices::report): positions fetched with [`History`], kept
/// compactly, and analysed by `plaspy-fleet` (see its docs for the definitions).
#[derive(Debug, Clone)]
pub struct Report<T> {
    history: History<T, plaspy_types::LocationsQuery>,
    options: ReportOptions,
}

impl<T: Transport> Report<T> {
    pub(super) fn new(history: History<T, plaspy_types::LocationsQuery>) -> Self {
        Report {
            history,
            options: ReportOptions::default(),
        }
    }

    /// Sets the thresholds (moving speed, minimum stop, plausible speed).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// use plaspy_fleet::ReportOptions;
    ///
    /// let mut options = ReportOptions::default();
    /// options.thresholds.moving_speed_kmh = 8.0;
    /// let to = Utc::now();
    /// let trips = client.devices().report("dev-01", to - Duration::days(1), to).options(options).trips()?;
    /// println!("{} trips", trips.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn options(mut self, options: ReportOptions) -> Self {
        self.options = options;
        self
    }

    /// Sets the per-query limits of the position fetch.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// use plaspy_types::history::HistoryLimits;
    ///
    /// let mut limits = HistoryLimits::default();
    /// limits.max_window = Duration::days(1);
    /// let to = Utc::now();
    /// let report = client.devices().report("dev-01", to - Duration::days(2), to).limits(limits);
    /// assert_eq!(report.request_count()?, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn limits(mut self, limits: HistoryLimits) -> Self {
        self.history = self.history.limits(limits);
        self
    }

    /// Sets how many windows are fetched at once.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// let stops = client.devices().report("dev-01", to - Duration::days(2), to).concurrency(1).stops()?;
    /// println!("{} stops", stops.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn concurrency(mut self, windows: usize) -> Self {
        self.history = self.history.concurrency(windows);
        self
    }

    /// The limit for one attempt of each window's request: see [`History::timeout`].
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.history = self.history.timeout(timeout);
        self
    }

    /// How many requests the position fetch takes at least.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// let report = client.devices().report("dev-01", to - Duration::days(62), to);
    /// assert_eq!(report.request_count()?, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request_count(&self) -> Result<u64> {
        self.history.request_count()
    }
}

#[maybe(AFIT)]
impl<T: Transport> Report<T> {
    /// Trips, stops and cleaning counts; [`Analysis::daily`] gives the daily summaries.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// let analysis = client.devices().report("dev-01", to - Duration::days(2), to).analyze()?;
    /// println!("{} trips, {} stops", analysis.trips.len(), analysis.stops.len());
    /// let days = analysis.daily(&Utc);
    /// println!("{} days", days.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn analyze(self) -> Result<Analysis> {
        let id = self.history.id.clone();
        let mut pages = self.history.pages();
        let mut fixes: Vec<Fix> = Vec::new();
        while let Some(page) = pages.next_page().await {
            fixes.extend(page?.iter().map(Fix::from));
        }
        Ok(analyze_fixes(&id, fixes, &self.options))
    }

    /// The trips.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// for trip in client.devices().report("dev-01", to - Duration::days(1), to).trips()? {
    ///     println!("{:.1} km in {} s", trip.distance_km, trip.duration_seconds);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn trips(self) -> Result<Vec<Trip>> {
        Ok(self.analyze().await?.trips)
    }

    /// The stops.
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// for stop in client.devices().report("dev-01", to - Duration::days(1), to).stops()? {
    ///     println!("{} -> {}", stop.start, stop.end);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn stops(self) -> Result<Vec<Stop>> {
        Ok(self.analyze().await?.stops)
    }

    /// The daily summaries, days in `tz` (`chrono::Utc`, a `FixedOffset`, ...).
    ///
    /// ```
    /// # let sandbox = plaspy_sandbox::start(Default::default())?;
    /// # let client = plaspy_blocking::Client::builder().credentials("demo", "demo-key").base_url(sandbox.base_url()).build()?;
    /// use chrono::{Duration, Utc};
    ///
    /// use chrono::FixedOffset;
    ///
    /// let bogota = FixedOffset::west_opt(5 * 3600).unwrap();
    /// let to = Utc::now();
    /// for day in client.devices().report("dev-01", to - Duration::days(2), to).summary(&bogota)? {
    ///     println!("{}: {day:?}", day.date);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn summary<Tz: TimeZone + Sync>(self, tz: &Tz) -> Result<Vec<DaySummary>> {
        Ok(self.analyze().await?.daily(tz))
    }
}

/// The range as UTC instants.
pub(super) fn utc_range(
    from: impl Into<DateTime<Utc>>,
    to: impl Into<DateTime<Utc>>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    (from.into(), to.into())
}
