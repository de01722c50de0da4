//! `plaspy fleet`: every device with its last position, fetched by the SDK's fleet call.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Utc;
use plaspy_blocking::{Client, FleetOptions, Location};

use crate::cli::FleetArgs;
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult, Context};
use crate::output::columns::FleetEntry;
use crate::output::progress::Progress;
use crate::time::parse_duration;

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
    let options = options(
        ids.len(),
        usize::from(args.concurrency),
        ctx.progress_enabled(),
    );
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
        .map(|(id, result)| result.context(&format!("getting the last position of device {id}")))
        .collect()
}
