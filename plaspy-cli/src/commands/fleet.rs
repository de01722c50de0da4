//! `plaspy fleet`: every device with its last position, fetched by the SDK's fleet call.

use std::collections::HashSet;
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Utc;
use plaspy_blocking::{Client, FleetOptions, Location};

use crate::cli::FleetArgs;
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult, Context};
use crate::output::columns::FleetEntry;
use crate::time::parse_duration;

/// How long a fetch runs before the progress bar appears.
const PROGRESS_AFTER: Duration = Duration::from_millis(500);
/// Width of the progress bar, in cells.
const BAR_WIDTH: usize = 30;

/// Runs `plaspy fleet`.
pub fn run(ctx: &mut Ctx, args: FleetArgs) -> CliResult {
    let stale = args
        .stale
        .as_deref()
        .map(|text| parse_duration(text).map_err(|e| CliError::usage(format!("--stale: {e}"))))
        .transpose()?;
    let printer = ctx.printer(TABULAR)?;
    let client = ctx.client()?;
    let mut devices = client.devices().list().context("listing devices")?;
    if let Some(group_id) = &args.group {
        let group = client
            .groups()
            .get(group_id)
            .context(&format!("getting group {group_id}"))?;
        let members: HashSet<String> = group.devices.unwrap_or_default().into_iter().collect();
        devices.retain(|d| members.contains(d.id()));
    }
    let ids: Vec<&str> = devices.iter().map(|d| d.id()).collect();
    let options = options(usize::from(args.concurrency), ctx.progress_enabled());
    let results = client.devices().last_locations_with(&ids, &options);
    drop(options); // the progress bar clears its line when the last handle goes
    let mut failed = Vec::new();
    let mut entries: Vec<FleetEntry> = Vec::with_capacity(devices.len());
    for (device, result) in devices.into_iter().zip(results) {
        let (last_location, error) = match result {
            Ok(location) => (location, None),
            Err(e) => {
                failed.push(device.id().to_owned());
                (None, Some(e.to_string()))
            }
        };
        entries.push(FleetEntry {
            device,
            last_location,
            error,
        });
    }
    if let Some(silence) = stale {
        let cutoff = Utc::now() - silence;
        entries.retain(|e| {
            e.last_location
                .as_ref()
                .is_none_or(|l| l.date_time < cutoff)
        });
    }
    printer.list(&entries)?;
    match failed.as_slice() {
        [] => Ok(()),
        [one] => Err(CliError::failure(format!(
            "the last position of device {one} could not be read (see its error)"
        ))),
        many => Err(CliError::failure(format!(
            "the last positions of {} devices could not be read (see their errors)",
            many.len()
        ))),
    }
}

/// The SDK options: concurrency, and a progress bar on stderr when it is a terminal.
fn options(concurrency: usize, progress: bool) -> FleetOptions {
    let options = FleetOptions::new().concurrency(concurrency);
    if !progress {
        return options;
    }
    let bar = ProgressBar {
        started: Instant::now(),
        shown: Mutex::new(None),
    };
    options.on_progress(move |done, total| bar.update(done, total))
}

/// A one-line progress bar on stderr, drawn once a fetch has run for [`PROGRESS_AFTER`],
/// redrawn when its text changes, and erased when dropped.
struct ProgressBar {
    started: Instant,
    /// The cells last drawn, once the bar is showing.
    shown: Mutex<Option<(usize, usize)>>,
}

impl ProgressBar {
    fn update(&self, done: usize, total: usize) {
        if self.started.elapsed() < PROGRESS_AFTER || total == 0 {
            return;
        }
        let filled = done * BAR_WIDTH / total;
        let percent = done * 100 / total;
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        if *shown == Some((filled, percent)) && done != total {
            return;
        }
        *shown = Some((filled, percent));
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r[{}{}] {done}/{total} last positions",
            "#".repeat(filled),
            ".".repeat(BAR_WIDTH - filled)
        );
        let _ = err.flush();
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        if self.shown.get_mut().is_ok_and(|s| s.is_some()) {
            eprint!("\r\x1b[2K");
        }
    }
}

/// The last position of each device, in the order of `ids`, fetched concurrently by the
/// SDK. Fails with the first device's error, if any (for `devices last-location`).
pub fn fetch_positions(
    client: &Client,
    ids: &[String],
    concurrency: usize,
    progress: bool,
) -> CliResult<Vec<Option<Location>>> {
    let options = options(concurrency, progress);
    let results = client.devices().last_locations_with(ids, &options);
    drop(options);
    ids.iter()
        .zip(results)
        .map(|(id, result)| result.context(&format!("getting the last position of device {id}")))
        .collect()
}
