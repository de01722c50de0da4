//! `plaspy report trips|stops|summary`: reports computed locally (by `plaspy-reports`) from
//! the positions of one or more devices, fetched concurrently over any range.

use chrono::{FixedOffset, TimeDelta};
use plaspy_blocking::{Client, FleetOptions};
use plaspy_reports::{Analysis, DaySummary, ReportOptions, Stop, Trip};
use serde_json::{Value, json};

use crate::cli::{ReportArgs, ReportCommand};
use crate::commands::devices;
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult, Context};
use crate::output::{self, Cell, Column, Format, Record};
use crate::time;

/// Devices whose positions are fetched at once.
const DEVICE_CONCURRENCY: usize = 4;

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
    let (from, to) = devices::range(&args.range)?;
    let limits = devices::limits(&args.range)?;
    let options = options(&args)?;
    let tz = zone(&args.tz)?;
    let client = ctx.client()?;
    let ids = device_ids(&client, &args)?;
    // Refuse a range past the maximum before any request.
    limits
        .request_count(from, to)
        .context("checking the range")?;

    let analyses = fetch_all(&client, &ids, |client, id| {
        client
            .devices()
            .report(id, from, to)
            .limits(limits)
            .options(options)
            .analyze()
    })?;
    match kind {
        Kind::Trips => {
            let trips: Vec<Trip> = analyses
                .iter()
                .flat_map(|a| a.trips.iter().cloned())
                .collect();
            if printer.format == Format::Geojson {
                return printer.emit(|w| output::json(w, &trips_geojson(&analyses)));
            }
            printer.list(&trips)
        }
        Kind::Stops => {
            let stops: Vec<Stop> = analyses
                .iter()
                .flat_map(|a| a.stops.iter().cloned())
                .collect();
            if printer.format == Format::Geojson {
                return printer.emit(|w| output::json(w, &stops_geojson(&stops)));
            }
            printer.list(&stops)
        }
        Kind::Summary => {
            let days: Vec<DaySummary> = match tz {
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

fn options(args: &ReportArgs) -> CliResult<ReportOptions> {
    if !args.moving_speed.is_finite() || args.moving_speed < 0.0 {
        return Err(CliError::usage(
            "--moving-speed must be a speed of 0 km/h or more",
        ));
    }
    let min_stop = time::parse_duration(&args.min_stop)
        .map_err(|e| CliError::usage(format!("--min-stop: {e}")))?;
    Ok(ReportOptions {
        moving_speed_kmh: args.moving_speed,
        min_stop: TimeDelta::milliseconds(min_stop.num_milliseconds()),
        ..ReportOptions::default()
    })
}

/// The zone whose days a summary counts.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Zone {
    /// A fixed offset (UTC included).
    Offset(FixedOffset),
    /// An IANA zone, daylight saving time included.
    Named(chrono_tz::Tz),
}

/// `UTC`/`Z`, an IANA name such as `America/Bogota`, or a fixed offset such as `-05:00` /
/// `+0530`.
fn zone(text: &str) -> CliResult<Zone> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") {
        return Ok(Zone::Offset(FixedOffset::east_opt(0).expect("zero offset")));
    }
    if let Ok(offset) = t.parse::<FixedOffset>() {
        return Ok(Zone::Offset(offset));
    }
    t.parse::<chrono_tz::Tz>()
        .or_else(|_| chrono_tz::Tz::from_str_insensitive(t))
        .map(Zone::Named)
        .map_err(|_| {
            CliError::usage(format!(
                "--tz: `{t}` is not a time zone: use UTC, an IANA name such as America/Bogota, or an offset such as -05:00"
            ))
        })
}

/// The ids given, then the group's devices (each once, in order).
fn device_ids(client: &Client, args: &ReportArgs) -> CliResult<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    let mut add = |id: String| {
        if !ids.contains(&id) {
            ids.push(id);
        }
    };
    args.ids.iter().cloned().for_each(&mut add);
    if let Some(group_id) = &args.group {
        let group = client
            .groups()
            .get(group_id)
            .context(&format!("getting group {group_id}"))?;
        group
            .devices
            .unwrap_or_default()
            .into_iter()
            .for_each(&mut add);
    }
    if ids.is_empty() {
        return Err(CliError::usage(
            "no device: give device ids, or --group with devices in it",
        ));
    }
    Ok(ids)
}

/// Runs `fetch` for every id, a few devices at a time through the SDK's fan-out (which
/// backs off while the server throttles), and returns the results in id order (the first
/// failure, naming its device, if any).
fn fetch_all<T: Send>(
    client: &Client,
    ids: &[String],
    fetch: impl Fn(&Client, &str) -> plaspy_blocking::Result<T> + Sync,
) -> CliResult<Vec<T>> {
    let options = FleetOptions::new().with_concurrency(DEVICE_CONCURRENCY);
    let results = client.fan_out(ids, &options, |client, id| fetch(client, id));
    ids.iter()
        .zip(results)
        .map(|(id, result)| result.context(&format!("getting the positions of device {id}")))
        .collect()
}

fn trips_geojson(analyses: &[Analysis]) -> Value {
    let features: Vec<Value> = analyses
        .iter()
        .flat_map(|a| {
            a.trips.iter().enumerate().map(move |(i, trip)| {
                let line: Vec<[f64; 2]> = a
                    .trip_track(i)
                    .iter()
                    .map(|f| [f.longitude, f.latitude])
                    .collect();
                json!({
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": line},
                    "properties": trip,
                })
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

fn stops_geojson(stops: &[Stop]) -> Value {
    let features: Vec<Value> = stops
        .iter()
        .map(|stop| {
            json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [stop.longitude, stop.latitude]},
                "properties": stop,
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
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
            Column::detail("fixes", "FIXES", |d: &DaySummary| Cell::Int(d.fixes as i64)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones() {
        let offset = |text: &str| match zone(text).unwrap() {
            Zone::Offset(offset) => offset.local_minus_utc(),
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(offset("UTC"), 0);
        assert_eq!(offset("-05:00"), -5 * 3600);
        assert_eq!(offset("+0530"), 5 * 3600 + 1800);
        assert_eq!(
            zone("America/Bogota").unwrap(),
            Zone::Named(chrono_tz::America::Bogota)
        );
        assert_eq!(
            zone(" europe/madrid ").unwrap(),
            Zone::Named(chrono_tz::Europe::Madrid)
        );
        let err = zone("Mars/Olympus").unwrap_err().to_string();
        assert!(
            err.contains("IANA") && err.contains("Mars/Olympus"),
            "{err}"
        );
    }
}
