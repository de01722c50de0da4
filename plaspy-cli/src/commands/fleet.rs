//! `plaspy fleet`: devices with their last position and state, fetched by the SDK's fleet
//! call; the state is the fleet domain's ([`plaspy_fleet::Thresholds`]).

use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use clap::Args;
use plaspy_blocking::{Client, FleetOptions, Location};
use plaspy_fleet::Thresholds;

use crate::args::{MatchArgs, SelectionArgs, selected_devices, value};
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult, Context, ErrorSubject};
use crate::output::columns::FleetEntry;
use crate::output::progress::Progress;

/// Text shown after `plaspy fleet --help`.
pub const AFTER_HELP: &str = "\
Examples:
  plaspy fleet                              every device of the account
  plaspy fleet dev-1 dev-2
  plaspy fleet --group grp-1
  plaspy fleet --match fxs493               find a vehicle by its plate (any case, no accents)
  plaspy fleet --stale 1h                   devices silent for more than an hour
  plaspy fleet --output csv > fleet.csv
  plaspy fleet --output json | jq '.[] | select(.lastLocation == null) | .device.id'

STATE is moving (last report at 3 km/h or more), parked, silent (no report for an hour),
noPosition (never reported) or unknown (the position could not be read): the same words,
by the same rules, as `plaspy watch`, the reports and the dashboard.";

/// `plaspy fleet ...`
#[derive(Debug, Clone, Args)]
pub struct FleetArgs {
    /// Which devices
    #[command(flatten)]
    pub devices: SelectionArgs,
    /// Which of them, by what they are called
    #[command(flatten)]
    pub matching: MatchArgs,
    /// How many positions to fetch at once (fewer while the server answers 429)
    #[arg(
        long,
        alias = "workers",
        default_value_t = plaspy_blocking::DEFAULT_CONCURRENCY as u16,
        value_parser = clap::value_parser!(u16).range(1..=256)
    )]
    pub concurrency: u16,
    /// Only devices silent for longer than this (30m, 1h, 2d, ...): no fix since then, no
    /// fix ever, or a position that could not be read
    #[arg(long, value_name = "DURATION", value_parser = value::duration)]
    pub stale: Option<TimeDelta>,
}

/// Runs `plaspy fleet`.
pub fn run(ctx: &mut Ctx, args: FleetArgs) -> CliResult {
    let selection = args.devices.selection()?;
    let printer = ctx.printer(TABULAR)?;
    let client = ctx.client()?;
    let devices = args.matching.keep(selected_devices(&client, &selection)?);
    let ids: Vec<&str> = devices.iter().map(|d| d.id()).collect();
    let options = options(
        ids.len(),
        usize::from(args.concurrency),
        ctx.progress_enabled(),
    );
    let results = client.devices().last_locations_with(&ids, &options);
    drop(options); // the progress bar clears its line when the last handle goes
    // "Now" is the server's clock when it told us, as for `watch` and the dashboard.
    let now = client.server_time().unwrap_or_else(Utc::now);
    let thresholds = Thresholds::default();
    let mut failed = Vec::new();
    let mut entries: Vec<FleetEntry> = Vec::with_capacity(devices.len());
    for (device, result) in devices.into_iter().zip(results) {
        let entry = plaspy_fleet::FleetEntry::new(device, result);
        let state = entry.state(now, &thresholds);
        let (device, result) = (entry.device, entry.location);
        let (last_location, error) = match result {
            Ok(location) => (location, None),
            Err(e) => {
                failed.push(device.id().to_owned());
                (None, Some(e.to_string()))
            }
        };
        entries.push(FleetEntry {
            device,
            state,
            last_location,
            error,
        });
    }
    if let Some(silence) = args.stale {
        let stale = thresholds.with_silent_after(silence);
        entries.retain(|e| {
            e.last_location
                .as_ref()
                .is_none_or(|l| stale.is_silent(l.date_time, now))
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

/// The SDK options: concurrency, and a progress bar on stderr when it is a terminal
/// ([`Progress`]: shown after a second, cleared when the last handle to it goes).
fn options(ids: usize, concurrency: usize, progress: bool) -> FleetOptions {
    let options = FleetOptions::new().with_concurrency(concurrency);
    if !progress {
        return options;
    }
    let bar = Arc::new(Progress::new(true, ids, "fetching last positions"));
    options.on_progress(move |_done, _total| bar.inc())
}

/// The last position of each device, in the order of `ids`, fetched concurrently by the
/// SDK. Fails with the first device's error, if any (for `devices last-location`).
pub fn fetch_positions(
    client: &Client,
    ids: &[String],
    concurrency: usize,
    progress: bool,
) -> CliResult<Vec<Option<Location>>> {
    let options = options(ids.len(), concurrency, progress);
    let results = client.devices().last_locations_with(ids, &options);
    drop(options);
    ids.iter()
        .zip(results)
        .map(|(id, result)| {
            result.context(
                ErrorSubject::Device(id.clone()),
                &format!("getting the last position of device {id}"),
            )
        })
        .collect()
}
