//! `plaspy report trips|stops|summary`: reports computed locally (by `plaspy-fleet`) from
//! the positions of the selected devices (ids, a group, or every device), over any range.

use chrono::{DateTime, TimeDelta, Utc};
use clap::{Args, Subcommand};
use plaspy_blocking::Client;
use plaspy_blocking::history::HistoryLimits;
use plaspy_fleet::export::{stops_geojson, trips_geojson};
use plaspy_fleet::{Analysis, DaySummary, ReportOptions, Stop, Thresholds, Trip};

use crate::args::value::{self, Zone};
use crate::args::{RangeArgs, SelectionArgs, selected_ids};
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult, Context, ErrorSubject};
use crate::output::{self, Cell, Column, Format, Record};

/// The reports.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Trips: departure to arrival, distance, duration, max and average speed
    #[command(after_help = TRIPS_AFTER_HELP)]
    Trips(ReportArgs),
    /// Stops: the stretches between trips, with their place and duration
    #[command(after_help = STOPS_AFTER_HELP)]
    Stops(ReportArgs),
    /// One line per device and day: distance, driving time, trips, max speed
    #[command(after_help = SUMMARY_AFTER_HELP)]
    Summary(ReportArgs),
}

const DEFINITIONS: &str = "\
Devices: the ids given, or --group's devices, or with neither every device of the account.
A fix is moving when its speed is at or above --moving-speed (default 3 km/h, the moving
speed of `plaspy fleet`, `watch` and the dashboard). Runs of moving fixes separated by less
than --min-stop (default 5m) are one trip, from the last fix before it moves (departure) to
the first fix after it stops (arrival). Distance is the sum of great-circle distances
between the trip's fixes. Stops are the stretches between trips.
Days are UTC unless --tz names a zone (America/Bogota) or an offset (-05:00). Fixes are
sorted, duplicates and GPS jumps set aside. Ranges over 31 days are fetched in windows; see
--max-range.
Output: table, json, ndjson, csv, geojson (trips as LineStrings, stops as Points).";

const TRIPS_AFTER_HELP: &str = concat!(
    "Examples:\n",
    "  plaspy report trips dev-1 --since 7d\n",
    "  plaspy report trips dev-1 dev-2 --from 2024-06-01 --to 2024-06-30 -o csv\n",
    "  plaspy report trips --group grp-1 --since 1d -o geojson > trips.geojson\n\n",
);
const STOPS_AFTER_HELP: &str = concat!(
    "Examples:\n",
    "  plaspy report stops dev-1 --since 2d --min-stop 10m\n",
    "  plaspy report stops dev-1 --since 1d -o geojson > stops.geojson\n\n",
);
const SUMMARY_AFTER_HELP: &str = concat!(
    "Examples:\n",
    "  plaspy report summary --since 1d                 every device of the account\n",
    "  plaspy report summary dev-1 --since 30d\n",
    "  plaspy report summary --group grp-1 --from 2024-10-01 --to 2024-10-31 --tz -05:00 -o csv\n\n",
);

/// Which devices, which range, which thresholds.
#[derive(Debug, Clone, Args)]
#[command(after_long_help = DEFINITIONS)]
pub struct ReportArgs {
    /// Which devices
    #[command(flatten)]
    pub devices: SelectionArgs,
    /// The time range
    #[command(flatten)]
    pub range: RangeArgs,
    /// A fix is moving at or above this speed (km/h)
    #[arg(
        long,
        value_name = "KMH",
        default_value = "3",
        allow_negative_numbers = true,
        value_parser = value::speed_kmh
    )]
    pub moving_speed: f64,
    /// Moving runs separated by less than this are one trip
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = value::duration)]
    pub min_stop: TimeDelta,
    /// Time zone of the days (summary): UTC, an IANA name such as America/Bogota, or an
    /// offset such as -05:00
    #[arg(
        long,
        value_name = "ZONE",
        default_value = "UTC",
        allow_hyphen_values = true,
        value_parser = value::zone
    )]
    pub tz: Zone,
}

impl ReportArgs {
    /// The report options: the moving speed as [`Thresholds`], and the shortest stop.
    fn options(&self) -> ReportOptions {
        ReportOptions {
            thresholds: Thresholds::default().with_moving_speed_kmh(self.moving_speed),
            min_stop: self.min_stop,
            ..ReportOptions::default()
        }
    }
}

/// Runs `plaspy report ...`.
pub fn run(ctx: &mut Ctx, command: ReportCommand) -> CliResult {
    let (kind, args) = match command {
        ReportCommand::Trips(args) => (Kind::Trips, args),
        ReportCommand::Stops(args) => (Kind::Stops, args),
        ReportCommand::Summary(args) => (Kind::Summary, args),
    };
    let formats = [TABULAR, &[Format::Geojson]].concat();
    let printer = ctx.printer(&formats)?;
    if kind == Kind::Summary && printer.format == Format::Geojson {
        return Err(CliError::usage(
            "the summary has no geometry: use table, json, ndjson or csv",
        ));
    }
    let selection = args.devices.selection()?;
    let (from, to) = args.range.resolve()?;
    let limits = args.range.limits();
    // Refuse a range past the maximum before any request.
    limits
        .request_count(from, to)
        .context(ErrorSubject::Account, "checking the range")?;
    let options = args.options();
    let client = ctx.client()?;
    let ids = selected_ids(&client, &selection)?;
    let analyses = per_device(&client, &ids, (from, to), limits, options)?;
    match kind {
        Kind::Trips if printer.format == Format::Geojson => {
            printer.emit(|w| output::json(w, &trips_geojson(&analyses)))
        }
        Kind::Trips => {
            let trips: Vec<Trip> = analyses.into_iter().flat_map(|a| a.trips).collect();
            printer.list(&trips)
        }
        Kind::Stops => {
            let stops: Vec<Stop> = analyses.into_iter().flat_map(|a| a.stops).collect();
            if printer.format == Format::Geojson {
                return printer.emit(|w| output::json(w, &stops_geojson(&stops)));
            }
            printer.list(&stops)
        }
        Kind::Summary => {
            let days: Vec<DaySummary> = match args.tz {
                Zone::Offset(tz) => analyses.iter().flat_map(|a| a.daily(&tz)).collect(),
                Zone::Named(tz) => analyses.iter().flat_map(|a| a.daily(&tz)).collect(),
            };
            printer.list(&days)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Trips,
    Stops,
    Summary,
}

/// Devices whose positions are fetched at once.
const DEVICE_CONCURRENCY: usize = 4;

/// The analysis of each device's positions over `range`, a few devices at a time through
/// the SDK's fan-out (429-aware: it backs off while the server throttles, and quota waits
/// count against its throttle budget, not the call's timeout), in id order (the first
/// failure, naming its device, if any).
fn per_device(
    client: &Client,
    ids: &[String],
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    limits: HistoryLimits,
    options: ReportOptions,
) -> CliResult<Vec<Analysis>> {
    let fan_out = plaspy_blocking::FleetOptions::new().with_concurrency(DEVICE_CONCURRENCY);
    let results = client.fan_out(ids, &fan_out, |client, id| {
        client
            .devices()
            .report(id, from, to)
            .limits(limits)
            .options(options)
            .analyze()
    });
    ids.iter()
        .zip(results)
        .map(|(id, result)| {
            result.context(
                ErrorSubject::Device(id.clone()),
                &format!("getting the positions of device {id}"),
            )
        })
        .collect()
}

fn km(v: f64) -> Cell {
    Cell::Num(v)
}

fn duration(seconds: i64) -> Cell {
    Cell::Int(seconds)
}

impl Record for Trip {
    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::new("deviceId", "DEVICE", |t: &Trip| {
                Cell::Text(t.device_id.clone())
            }),
            Column::new("start", "START (UTC)", |t: &Trip| Cell::Time(t.start)),
            Column::new("end", "END (UTC)", |t: &Trip| Cell::Time(t.end)),
            Column::new("distanceKm", "KM", |t: &Trip| km(t.distance_km)),
            Column::new("durationSeconds", "SECONDS", |t: &Trip| {
                duration(t.duration_seconds)
            }),
            Column::new("maxSpeedKmh", "MAX KM/H", |t: &Trip| {
                Cell::Num(t.max_speed_kmh)
            }),
            Column::new("avgSpeedKmh", "AVG KM/H", |t: &Trip| {
                Cell::Num(t.avg_speed_kmh)
            }),
            Column::detail("startLatitude", "START LAT", |t: &Trip| {
                Cell::Coord(t.start_latitude)
            }),
            Column::detail("startLongitude", "START LON", |t: &Trip| {
                Cell::Coord(t.start_longitude)
            }),
            Column::detail("endLatitude", "END LAT", |t: &Trip| {
                Cell::Coord(t.end_latitude)
            }),
            Column::detail("endLongitude", "END LON", |t: &Trip| {
                Cell::Coord(t.end_longitude)
            }),
            Column::detail("mileageDelta", "ODOMETER", |t: &Trip| {
                t.mileage_delta.map_or(Cell::Empty, Cell::Num)
            }),
            Column::detail("fixes", "FIXES", |t: &Trip| Cell::Int(t.fixes as i64)),
            Column::detail("startsMidTrip", "STARTS MID-TRIP", |t: &Trip| {
                Cell::Bool(t.starts_mid_trip)
            }),
            Column::detail("endsMidTrip", "ENDS MID-TRIP", |t: &Trip| {
                Cell::Bool(t.ends_mid_trip)
            }),
        ]
    }
}

impl Record for Stop {
    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::new("deviceId", "DEVICE", |s: &Stop| {
                Cell::Text(s.device_id.clone())
            }),
            Column::new("start", "START (UTC)", |s: &Stop| Cell::Time(s.start)),
            Column::new("end", "END (UTC)", |s: &Stop| Cell::Time(s.end)),
            Column::new("durationSeconds", "SECONDS", |s: &Stop| {
                duration(s.duration_seconds)
            }),
            Column::new("latitude", "LAT", |s: &Stop| Cell::Coord(s.latitude)),
            Column::new("longitude", "LON", |s: &Stop| Cell::Coord(s.longitude)),
            Column::detail("startsMidStop", "STARTS MID-STOP", |s: &Stop| {
                Cell::Bool(s.starts_mid_stop)
            }),
            Column::detail("endsMidStop", "ENDS MID-STOP", |s: &Stop| {
                Cell::Bool(s.ends_mid_stop)
            }),
        ]
    }
}

impl Record for DaySummary {
    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::new("deviceId", "DEVICE", |d: &DaySummary| {
                Cell::Text(d.device_id.clone())
            }),
            Column::new("date", "DATE", |d: &DaySummary| {
                Cell::Text(d.date.to_string())
            }),
            Column::new("distanceKm", "KM", |d: &DaySummary| km(d.distance_km)),
            Column::new("drivingSeconds", "DRIVING S", |d: &DaySummary| {
                duration(d.driving_seconds)
            }),
            Column::new("trips", "TRIPS", |d: &DaySummary| Cell::Int(d.trips as i64)),
            Column::new("maxSpeedKmh", "MAX KM/H", |d: &DaySummary| {
                Cell::Num(d.max_speed_kmh)
            }),
            Column::new("firstFix", "FIRST FIX (UTC)", |d: &DaySummary| {
                Cell::Time(d.first_fix)
            }),
            Column::new("lastFix", "LAST FIX (UTC)", |d: &DaySummary| {
                Cell::Time(d.last_fix)
            }),
            Column::new("odometerKm", "ODOMETER KM", |d: &DaySummary| {
                d.odometer_km.map_or(Cell::Empty, km)
            }),
            Column::detail("firstMovement", "FIRST MOVE (UTC)", |d: &DaySummary| {
                d.first_movement.map_or(Cell::Empty, Cell::Time)
            }),
            Column::detail("lastMovement", "LAST MOVE (UTC)", |d: &DaySummary| {
                d.last_movement.map_or(Cell::Empty, Cell::Time)
            }),
            Column::detail("avgMovingSpeedKmh", "AVG MOVING KM/H", |d: &DaySummary| {
                d.avg_moving_speed_kmh.map_or(Cell::Empty, Cell::Num)
            }),
            Column::detail("fixes", "FIXES", |d: &DaySummary| Cell::Int(d.fixes as i64)),
        ]
    }
}
