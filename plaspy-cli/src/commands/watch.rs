//! `plaspy watch`: prints every new fix once, as it comes, from the SDK's feed.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use clap::Args;
use plaspy_blocking::feed::{FeedCursor, FeedEvent};
use plaspy_blocking::history::HistoryLimits;
use plaspy_blocking::{Error, Feed, Location};
use plaspy_fleet::{DeviceSelection, Thresholds};

use crate::args::{SelectionArgs, value};
use crate::commands::forward::{ForwardArgs, Forwarder};
use crate::context::Ctx;
use crate::exit::{CliError, CliResult, ErrorSubject, ExitCode};
use crate::output::terminal::sanitize_within;
use crate::output::{Format, table};
use crate::time::{age, parse_duration};

#[path = "watch_gone.rs"]
mod gone;
#[path = "watch_state.rs"]
mod state;
#[path = "watch_stop.rs"]
mod stop;

use gone::Gone;
use state::StateFile;
use stop::Watchdog;

/// Text shown after `plaspy watch --help`.
pub const AFTER_HELP: &str = "\
Examples:
  plaspy watch                                   every device, from now on
  plaspy watch dev-01 dev-02 --since 2h          two devices, from two hours ago
  plaspy watch --group grp-1 --interval 1m
  plaspy watch --state feed.json >> fixes.ndjson  stop and start again: nothing lost or repeated
  plaspy watch --alerts -o ndjson | jq -c 'select(.alert)'

Each new fix is printed once, in time order per device: with -o ndjson (the default when
piped) one JSON object a line, `deviceId` plus the fix's own fields, flushed as it comes;
alert events (--alerts) are `{\"deviceId\": ..., \"alert\": {...}}`. On a terminal, a table
redraws with one row per device. Devices that moved are read with the date-range query,
so fixes between polls are not lost; \"now\" is the server's clock.

With --state FILE the cursor (per device, the last fix printed) is read at start and
written atomically after each batch and on exit; --since then applies only to devices the
file does not hold. Ctrl-C or SIGTERM finishes the line being written, saves the state and
exits 0.

With --to URL (repeatable) the records go to sinks instead of stdout: postgres://,
nats://, mqtt://, http(s)://. The cursor moves only once every sink has acknowledged; it
lives in the sink (PostgreSQL, NATS: under --feed-name) or in --state (MQTT, webhooks:
required). A sink that is down is named on stderr and retried; the cursor stays.
  plaspy watch --to postgres://fleet@127.0.0.1/tracking
  plaspy watch --to https://hooks.example.com/in --to-header 'Authorization: Bearer …' --state f.json

STATE in the table is moving, parked or silent by the same rules as `plaspy fleet`.";

/// `plaspy watch`.
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Which devices (a group's members are re-read every poll)
    #[command(flatten)]
    pub devices: SelectionArgs,
    /// Start here: a duration before the server's present (30m, 2h, 1d) or a time
    /// (2024-06-01T08:00:00Z) [default: now]
    #[arg(long, value_name = "TIME", value_parser = start)]
    pub since: Option<Start>,
    /// Time between polls (500ms, 30s, 2m)
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = interval)]
    pub interval: Duration,
    /// Cursor file: read at start, written atomically after each batch and on exit
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Also print alert events
    #[arg(long)]
    pub alerts: bool,
    /// Forwarding to sinks (--to)
    #[command(flatten)]
    pub forward: ForwardArgs,
    /// Refuse a start (--since, or a cursor in --state) further back than this, like
    /// `devices locations` [default: 365d]
    #[arg(long, value_name = "DURATION", value_parser = value::duration)]
    pub max_range: Option<TimeDelta>,
}

/// Where `--since` starts the watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// This long before the server's present (measured on its clock, not this machine's).
    Ago(Duration),
    /// At this time.
    At(DateTime<Utc>),
}

/// Reads `--since`: `now`, a duration (`2h`, `2h ago`), or a time.
fn start(text: &str) -> Result<Start, String> {
    let relative = text.trim().trim_end_matches("ago").trim();
    if relative.eq_ignore_ascii_case("now") {
        return Ok(Start::Ago(Duration::ZERO));
    }
    match parse_duration(relative) {
        Ok(ago) => Ok(Start::Ago(ago.to_std().unwrap_or_default())),
        Err(_) => value::time_start(text).map(Start::At),
    }
}

/// The shortest interval accepted.
const MIN_INTERVAL: Duration = Duration::from_millis(10);
/// How often a wait between polls looks at the stop flag.
const STOP_CHECK: Duration = Duration::from_millis(50);

/// Runs `plaspy watch`.
pub fn run(ctx: &mut Ctx, args: WatchArgs) -> CliResult {
    let format = match ctx.global.output {
        None if io::stdout().is_terminal() => Format::Table,
        None | Some(Format::Ndjson) => Format::Ndjson,
        Some(Format::Table) => Format::Table,
        Some(other) => {
            return Err(CliError::usage(format!(
                "--output {} is not available for watch: use ndjson or table",
                other.name()
            )));
        }
    };
    let selection = args.devices.selection()?;
    let max_range = args
        .max_range
        .unwrap_or_else(|| HistoryLimits::default().max_range);
    check_since(args.since, max_range, Utc::now())?;
    let stop = stop_on_signals()?;
    // Read, checked, locked and proved writable before anything is printed.
    let (state, cursor) = match &args.state {
        Some(path) => {
            let (state, cursor) =
                StateFile::open(path, |cursor| check_cursor(cursor, max_range, Utc::now()))?;
            (Some(Arc::new(state)), cursor)
        }
        None => (None, FeedCursor::default()),
    };
    let ids = match &selection {
        DeviceSelection::Ids(ids) => ids.clone(),
        _ => Vec::new(),
    };
    let watchdog = Watchdog::start(Arc::clone(&stop), state.clone());
    let mut forwarder = Forwarder::open(ctx, &args.forward, args.state.as_deref(), &stop)?;
    let cursor = match forwarder.as_mut() {
        Some(forwarder) => forwarder.resume(args.state.is_some().then_some(cursor))?,
        None if args.forward.to.is_empty() => cursor,
        None => return Ok(()), // stopped while waiting for a sink
    };

    let client = ctx.client()?;
    let mut builder = client
        .feed()
        .interval(args.interval)
        .alerts(args.alerts)
        .resume(cursor);
    builder = match selection {
        DeviceSelection::All => builder,
        DeviceSelection::Ids(ids) => builder.devices(ids),
        DeviceSelection::Group(group) => builder.group(group),
    };
    builder = match args.since {
        None => builder,
        Some(Start::Ago(ago)) => builder.since_ago(ago),
        Some(Start::At(at)) => builder.since(at),
    };
    let mut feed = builder.build();
    let mut gone = Gone::new(ids);
    let result = watch(
        ctx,
        &mut feed,
        format,
        state.as_deref(),
        &stop,
        &client,
        forwarder.as_mut(),
        &mut gone,
    );
    // Whatever ended the watch, the state covers exactly the lines written (or, with
    // --to, what every sink acknowledged).
    let saved = match &state {
        Some(state) => state.save(&saved_cursor(&feed, forwarder.as_ref())),
        None => Ok(()),
    };
    if let Some(forwarder) = forwarder {
        forwarder.close(ctx);
    }
    watchdog.finish();
    result.and(saved)
}

/// Polls, prints and saves until a signal (Ok) or a fatal error.
// What one watch reads (feed, client), writes (state, sinks) and is told (stop, gone
// devices): each is a distinct resource, named at the call rather than bundled.
#[allow(clippy::too_many_arguments)]
fn watch(
    ctx: &Ctx,
    feed: &mut Feed,
    format: Format,
    state: Option<&StateFile>,
    stop: &AtomicBool,
    client: &plaspy_blocking::Client,
    mut forwarder: Option<&mut Forwarder>,
    gone: &mut Gone,
) -> CliResult {
    let stdout = io::stdout();
    let mut screen = Screen::default();
    let mut refusals = Refusals::default();
    while !stop.load(Ordering::SeqCst) {
        let started = Instant::now();
        // A device left behind (a long catch-up) goes on at once, not after the interval.
        let mut behind = false;
        match feed.poll_once() {
            Ok(report) => {
                for (device, err) in &report.failed {
                    if gone.record(ctx, device, err)? {
                        continue;
                    }
                    let subject = ErrorSubject::Device(device.clone());
                    let what = format!("reading device {device}");
                    check(ctx, &mut refusals, subject, &what, err)?;
                }
                behind = report.behind > 0;
            }
            Err(err) => check(
                ctx,
                &mut refusals,
                ErrorSubject::Account,
                "listing the devices to watch",
                &err,
            )?,
        }
        refusals.next_poll();
        if let Some(forwarder) = forwarder.as_deref_mut() {
            let before = feed.cursor();
            let events: Vec<FeedEvent> = std::iter::from_fn(|| feed.pop()).collect();
            let delivered = forwarder.deliver(ctx, &before, &events, stop)?;
            events.into_iter().for_each(|e| screen.record(e));
            if !delivered {
                break; // stopped: what is acknowledged is saved on the way out
            }
        } else {
            let mut out = stdout.lock();
            // Write, then hand out: a line that could not be written is not in the cursor.
            while let Some(event) = feed.peek() {
                if format == Format::Ndjson {
                    write_line(&mut out, event)
                        .map_err(|e| CliError::io("writing the output", &e))?;
                }
                if let Some(event) = feed.pop() {
                    screen.record(event);
                }
                if stop.load(Ordering::SeqCst) {
                    break;
                }
            }
        }
        if let Some(state) = state {
            state.save(&saved_cursor(feed, forwarder.as_deref()))?;
        }
        if format == Format::Table {
            let now = client.server_time().unwrap_or_else(Utc::now);
            screen
                .draw(&mut stdout.lock(), now)
                .map_err(|e| CliError::io("writing the output", &e))?;
        }
        if !behind {
            wait(feed.interval().saturating_sub(started.elapsed()), stop);
        }
    }
    Ok(())
}

/// The cursor to save: the feed's, or with --to what every sink acknowledged.
fn saved_cursor(feed: &Feed, forwarder: Option<&Forwarder>) -> FeedCursor {
    forwarder.map_or_else(|| feed.cursor(), |f| f.acknowledged().clone())
}

/// Warns about a passing failure (network, server error, rate limit, a token refused
/// once: the next poll retries, the cursor did not move); stops on one that will not pass
/// by itself.
fn check(
    ctx: &Ctx,
    refusals: &mut Refusals,
    subject: ErrorSubject,
    what: &str,
    err: &Error,
) -> CliResult {
    match ExitCode::of(err) {
        _ if refusals.passes(err) => {
            let message =
                format!("warning: {what} failed: {err}; signing in again at the next poll");
            ctx.note(&sanitize_within(&message, 300));
            Ok(())
        }
        ExitCode::Auth | ExitCode::NotFound | ExitCode::Usage => {
            Err(CliError::api(subject, what, err))
        }
        _ => {
            let message = format!("warning: {what} failed: {err}; retrying at the next poll");
            ctx.note(&sanitize_within(&message, 300));
            Ok(())
        }
    }
}

/// Tokens the API refused. The SDK renews a refused token once per call; a token refused
/// again (revoked while the call renewed it) passes for one poll, which signs in afresh.
/// Refused at two polls in a row, the credentials are what is wrong: the watch stops. Bad
/// credentials (the sign-in itself refused) and missing permissions never pass.
#[derive(Debug, Default)]
struct Refusals {
    /// A token was refused at the previous poll.
    last_poll: bool,
    /// A token was refused at this poll.
    this_poll: bool,
}

impl Refusals {
    /// Whether `err` is a refused token that may pass at this poll.
    fn passes(&mut self, err: &Error) -> bool {
        if !matches!(err, Error::Unauthorized { .. }) || self.last_poll {
            return false;
        }
        self.this_poll = true;
        true
    }

    /// Ends a poll.
    fn next_poll(&mut self) {
        self.last_poll = std::mem::take(&mut self.this_poll);
    }
}

/// One JSON object and a newline, flushed so a pipe sees it at once.
fn write_line(out: &mut impl Write, event: &FeedEvent) -> io::Result<()> {
    let mut line = serde_json::to_vec(event).map_err(io::Error::other)?;
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()
}

/// Sleeps `total`, waking early when `stop` is set.
fn wait(total: Duration, stop: &AtomicBool) {
    let until = Instant::now() + total;
    while !stop.load(Ordering::SeqCst) {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        std::thread::sleep(left.min(STOP_CHECK));
    }
}

/// A flag set by SIGINT or SIGTERM (Ctrl-C on Windows); a second Ctrl-C exits at once.
fn stop_on_signals() -> CliResult<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    let setup = || -> io::Result<()> {
        // The second signal ends the process (exit 1) if the first did not get it out.
        signal_hook::flag::register_conditional_shutdown(SIGINT, 1, Arc::clone(&stop))?;
        signal_hook::flag::register(SIGINT, Arc::clone(&stop))?;
        signal_hook::flag::register(SIGTERM, Arc::clone(&stop))?;
        Ok(())
    };
    setup().map_err(|e| CliError::io("setting up the signal handlers", &e))?;
    Ok(stop)
}

/// Refuses a `--since` further back than `max_range` (a time is judged on this machine's
/// clock: the server's is not known yet).
fn check_since(since: Option<Start>, max_range: TimeDelta, now: DateTime<Utc>) -> CliResult {
    let too_old = match since {
        None => false,
        Some(Start::Ago(ago)) => TimeDelta::from_std(ago).map_or(true, |ago| ago > max_range),
        Some(Start::At(at)) => now.signed_duration_since(at) > max_range,
    };
    if too_old {
        return Err(CliError::usage(format!(
            "--since is more than {} days back, the history limit; raise --max-range to go further",
            max_range.num_days()
        )));
    }
    Ok(())
}

/// Refuses a cursor whose marks lie further back than `max_range`: catching up would read
/// more history than `devices locations` would.
fn check_cursor(cursor: &FeedCursor, max_range: TimeDelta, now: DateTime<Utc>) -> CliResult {
    let oldest = cursor
        .devices
        .iter()
        .flat_map(|(id, device)| {
            [device.positions, device.alerts]
                .into_iter()
                .flatten()
                .map(move |mark| (id, mark.time))
        })
        .min_by_key(|(_, time)| *time);
    match oldest {
        Some((id, time)) if now.signed_duration_since(time) > max_range => {
            Err(CliError::usage(format!(
                "the state's cursor for device {} is at {}, more than {} days back, the history limit; raise --max-range or move the state file away",
                sanitize_within(id, 64),
                time.format("%Y-%m-%dT%H:%M:%SZ"),
                max_range.num_days()
            )))
        }
        _ => Ok(()),
    }
}

/// Reads `--interval`: a duration (`30s`, `2m`) or milliseconds (`500ms`).
fn interval(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let interval = match text.strip_suffix("ms") {
        Some(ms) => ms
            .trim()
            .parse::<u64>()
            .map(Duration::from_millis)
            .map_err(|_| format!("`{text}` is not a duration: use e.g. 500ms, 30s, 2m"))?,
        None => parse_duration(text)?
            .to_std()
            .map_err(|_| format!("`{text}` is negative"))?,
    };
    if interval < MIN_INTERVAL {
        return Err(format!("`{text}` is too short: at least 10ms"));
    }
    Ok(interval)
}

/// The live table: the latest fix of each device seen.
#[derive(Debug, Default)]
struct Screen {
    rows: BTreeMap<String, Row>,
}

#[derive(Debug)]
struct Row {
    last: Location,
    fixes: u64,
    alerts: u64,
}

impl Screen {
    fn record(&mut self, event: FeedEvent) {
        match event {
            FeedEvent::Location {
                device_id,
                location,
            } => match self.rows.get_mut(&device_id) {
                Some(row) => {
                    row.fixes += 1;
                    row.last = location;
                }
                None => {
                    self.rows.insert(
                        device_id,
                        Row {
                            last: location,
                            fixes: 1,
                            alerts: 0,
                        },
                    );
                }
            },
            FeedEvent::Alert { device_id, .. } => {
                if let Some(row) = self.rows.get_mut(&device_id) {
                    row.alerts += 1;
                }
            }
        }
    }

    /// Clears the terminal and draws one row per device.
    fn draw(&self, out: &mut impl Write, now: DateTime<Utc>) -> io::Result<()> {
        let headers = [
            "DEVICE",
            "LAST REPORT",
            "AGE",
            "STATE",
            "LATITUDE",
            "LONGITUDE",
            "KM/H",
            "FIXES",
            "ALERTS",
        ];
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|(id, row)| {
                let fix = &row.last;
                let speed = fix.speed.unwrap_or(0.0);
                vec![
                    sanitize_within(id, 32),
                    fix.date_time.format("%Y-%m-%d %H:%M:%S").to_string(),
                    age(fix.date_time, now),
                    Thresholds::default().state(Some(fix), now).to_string(),
                    format!("{:.5}", fix.latitude),
                    format!("{:.5}", fix.longitude),
                    format!("{speed:.0}"),
                    row.fixes.to_string(),
                    row.alerts.to_string(),
                ]
            })
            .collect();
        write!(out, "\x1b[H\x1b[2J")?;
        writeln!(
            out,
            "plaspy watch — {} UTC (server time), Ctrl-C to stop",
            now.format("%Y-%m-%d %H:%M:%S")
        )?;
        if rows.is_empty() {
            writeln!(out, "waiting for new positions…")?;
        } else {
            // Columns left out are not noted: the screen is redrawn at every poll.
            table::write_rows(out, &headers, &rows, false)?;
        }
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_seconds_minutes_and_milliseconds() {
        assert_eq!(interval("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(interval("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(interval("250ms"), Ok(Duration::from_millis(250)));
        assert!(interval("5ms").unwrap_err().contains("too short"));
        assert!(interval("soon").is_err());
    }

    #[test]
    fn a_start_is_a_duration_on_the_server_clock_or_a_time() {
        assert_eq!(start("now"), Ok(Start::Ago(Duration::ZERO)));
        assert_eq!(start("2h"), Ok(Start::Ago(Duration::from_secs(7200))));
        assert_eq!(start("30m ago"), Ok(Start::Ago(Duration::from_secs(1800))));
        assert_eq!(
            start("2024-06-01T08:00:00Z"),
            Ok(Start::At("2024-06-01T08:00:00Z".parse().unwrap()))
        );
        assert!(start("whenever").is_err());
    }

    #[test]
    fn a_refused_token_passes_for_one_poll_only() {
        let refused = Error::unauthorized(Some("The token has expired".into()));
        let mut refusals = Refusals::default();
        assert!(refusals.passes(&refused));
        assert!(refusals.passes(&refused), "every device of the same poll");
        refusals.next_poll();
        assert!(!refusals.passes(&refused), "refused again at the next poll");
        refusals.next_poll();
        refusals.next_poll();
        assert!(refusals.passes(&refused), "after a poll without refusals");
        for never in [
            Error::bad_credentials("no"),
            Error::forbidden(None),
            Error::not_found(None),
        ] {
            assert!(!Refusals::default().passes(&never), "{never:?}");
        }
    }
}
