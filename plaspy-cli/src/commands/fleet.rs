//! `plaspy fleet`: every device with its last position, fetched with bounded parallelism.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use plaspy_blocking::{Client, Location};

use crate::cli::FleetArgs;
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult, Context};
use crate::output::columns::FleetEntry;
use crate::output::progress::Progress;

/// Runs `plaspy fleet`.
pub fn run(ctx: &mut Ctx, args: FleetArgs) -> CliResult {
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
    let ids: Vec<String> = devices.iter().map(|d| d.id().to_owned()).collect();
    let positions = fetch_positions(
        &client,
        &ids,
        usize::from(args.workers),
        ctx.progress_enabled(),
    )?;
    let entries: Vec<FleetEntry> = devices
        .into_iter()
        .zip(positions)
        .map(|(device, last_location)| FleetEntry {
            device,
            last_location,
        })
        .collect();
    printer.list(&entries)
}

/// The last position of each device, in the order of `ids`, fetched by up to `workers`
/// threads sharing clones of the client. Stops at the first failure and returns it.
///
/// With `progress`, a bar shows on stderr once the fetch has run for a second
/// ([`Progress`]).
pub fn fetch_positions(
    client: &Client,
    ids: &[String],
    workers: usize,
    progress: bool,
) -> CliResult<Vec<Option<Location>>> {
    let slots: Vec<Mutex<Option<Option<Location>>>> =
        ids.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let first_error: Mutex<Option<CliError>> = Mutex::new(None);
    let bar = Progress::new(progress, ids.len(), "fetching last positions");
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, ids.len().max(1)) {
            let client = client.clone();
            let (slots, next, failed, first_error, bar) =
                (&slots, &next, &failed, &first_error, &bar);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= ids.len() || failed.load(Ordering::Relaxed) {
                        break;
                    }
                    let id = &ids[i];
                    let result = if id.is_empty() {
                        Ok(None)
                    } else {
                        client
                            .devices()
                            .last_location(id)
                            .context(&format!("getting the last position of device {id}"))
                    };
                    match result {
                        Ok(position) => *lock(&slots[i]) = Some(position),
                        Err(e) => {
                            failed.store(true, Ordering::Relaxed);
                            lock(first_error).get_or_insert(e);
                            break;
                        }
                    }
                    bar.inc();
                }
            });
        }
    });
    bar.finish();
    if let Some(e) = first_error
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        return Err(e);
    }
    Ok(slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(PoisonError::into_inner)
                .flatten()
        })
        .collect())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
