use chrono::{DateTime, TimeZone, Utc};
use plaspy_types::Location;
use serde::Serialize;

use crate::clean::{Clean, clean};
use crate::summary::{DaySummary, summarize};
use crate::{Cleaning, Fix, ReportOptions, Thresholds};

/// One trip: from a departure fix to an arrival fix (see the crate docs).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Trip {
    /// The device.
    pub device_id: String,
    /// Time of the departure fix.
    pub start: DateTime<Utc>,
    /// Time of the arrival fix.
    pub end: DateTime<Utc>,
    /// Latitude of the departure fix.
    pub start_latitude: f64,
    /// Longitude of the departure fix.
    pub start_longitude: f64,
    /// Latitude of the arrival fix.
    pub end_latitude: f64,
    /// Longitude of the arrival fix.
    pub end_longitude: f64,
    /// Sum of great-circle distances between consecutive fixes, departure and arrival
    /// included (km).
    pub distance_km: f64,
    /// Arrival time minus departure time (s).
    pub duration_seconds: i64,
    /// Highest speed among the trip's fixes (km/h).
    pub max_speed_kmh: f64,
    /// Distance over duration (km/h); 0 for a trip of no duration.
    pub avg_speed_kmh: f64,
    /// Last minus first odometer (`milleage`) reading within the trip, when the tracker
    /// reports one (and it did not go backwards).
    pub mileage_delta: Option<f64>,
    /// Number of fixes in the trip, departure and arrival included.
    pub fixes: usize,
    /// The data start while the device is already moving: the trip began earlier.
    pub starts_mid_trip: bool,
    /// The data end while the device is still moving: the trip goes on.
    pub ends_mid_trip: bool,
}

/// One stop: a stretch between trips.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stop {
    /// The device.
    pub device_id: String,
    /// Time of the fix that starts the stop (the previous trip's arrival fix).
    pub start: DateTime<Utc>,
    /// Time of the fix that ends it (the next trip's departure fix).
    pub end: DateTime<Utc>,
    /// End minus start (s).
    pub duration_seconds: i64,
    /// Latitude where the stop starts.
    pub latitude: f64,
    /// Longitude where the stop starts.
    pub longitude: f64,
    /// The data start during this stop: it began earlier.
    pub starts_mid_stop: bool,
    /// The data end during this stop: it goes on.
    pub ends_mid_stop: bool,
}

/// Trips and stops of one device, with what cleaning set aside.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// The device.
    pub device_id: String,
    /// Trips in time order.
    pub trips: Vec<Trip>,
    /// Stops in time order.
    pub stops: Vec<Stop>,
    /// What cleaning did to the fixes.
    pub cleaning: Cleaning,
    #[serde(skip)]
    fixes: Vec<Clean>,
    #[serde(skip)]
    spans: Vec<Span>,
    #[serde(skip)]
    plain: Vec<Fix>,
    #[serde(skip)]
    tracks: Vec<std::ops::Range<usize>>,
    #[serde(skip)]
    thresholds: Thresholds,
}

impl Analysis {
    /// The daily summaries of the same fixes, days taken in `tz` (e.g. `chrono::Utc`, a
    /// `FixedOffset`, or a `chrono_tz::Tz`).
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use plaspy_fleet::{Fix, ReportOptions, analyze_fixes};
    ///
    /// let t0 = Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
    /// let fix = |min: i64, lat: f64, kmh: f64| Fix::new(t0 + Duration::minutes(min), lat, -74.0, Some(kmh));
    /// let fixes = vec![fix(0, 4.60, 0.0), fix(1, 4.61, 40.0), fix(2, 4.62, 40.0), fix(3, 4.62, 0.0)];
    /// let analysis = analyze_fixes("dev-01", fixes, &ReportOptions::default());
    /// let days = analysis.daily(&chrono::FixedOffset::west_opt(5 * 3600).unwrap());
    /// assert_eq!(days[0].date.to_string(), "2024-06-01");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn daily<Tz: TimeZone>(&self, tz: &Tz) -> Vec<DaySummary> {
        summarize(
            &self.device_id,
            &self.fixes,
            &self.spans,
            &self.thresholds,
            tz,
        )
    }

    /// The fixes of trip `index` (as in [`trips`](Self::trips)), departure to arrival: its
    /// track, e.g. for a map. Empty for an index out of range.
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use plaspy_fleet::{Fix, ReportOptions, analyze_fixes};
    ///
    /// let t0 = Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
    /// let fix = |min: i64, lat: f64, kmh: f64| Fix::new(t0 + Duration::minutes(min), lat, -74.0, Some(kmh));
    /// let fixes = vec![fix(0, 4.60, 0.0), fix(1, 4.61, 40.0), fix(2, 4.62, 40.0), fix(3, 4.62, 0.0)];
    /// let analysis = analyze_fixes("dev-01", fixes, &ReportOptions::default());
    /// assert_eq!(analysis.trip_track(0).len(), 4); // departure to arrival
    /// assert!(analysis.trip_track(1).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn trip_track(&self, index: usize) -> &[Fix] {
        self.tracks
            .get(index)
            .map_or(&[], |range| &self.plain[range.clone()])
    }
}

/// A trip as indexes into the cleaned fixes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    pub departure: usize,
    pub arrival: usize,
    pub starts_mid: bool,
    pub ends_mid: bool,
}

/// Trips and stops of a device from its fixes (any order; see the crate docs).
///
/// ```
/// use chrono::{Duration, Utc};
/// use plaspy_fleet::{ReportOptions, analyze};
/// use plaspy_types::Location;
///
/// let t0 = Utc::now();
/// let fixes: Vec<Location> = (0..10).map(|i| Location::new(t0 + Duration::minutes(i), 4.6, -74.0)).collect();
/// let analysis = analyze("dev-01", &fixes, &ReportOptions::default());
/// assert!(analysis.trips.is_empty()); // parked all along
/// assert_eq!(analysis.stops.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn analyze(device_id: &str, fixes: &[Location], options: &ReportOptions) -> Analysis {
    analyze_fixes(device_id, fixes.iter().map(Fix::from).collect(), options)
}

/// [`analyze`] on compact [`Fix`]es (e.g. collected window by window from a stream).
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use plaspy_fleet::{Fix, ReportOptions, analyze_fixes};
///
/// let t0 = Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
/// let fix = |min: i64, lat: f64, kmh: f64| Fix::new(t0 + Duration::minutes(min), lat, -74.0, Some(kmh));
/// let fixes = vec![fix(0, 4.60, 0.0), fix(1, 4.61, 40.0), fix(2, 4.62, 40.0), fix(3, 4.62, 0.0)];
/// let analysis = analyze_fixes("dev-01", fixes, &ReportOptions::default());
/// assert_eq!(analysis.trips.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn analyze_fixes(device_id: &str, fixes: Vec<Fix>, options: &ReportOptions) -> Analysis {
    let (fixes, cleaning) = clean(fixes, options);
    let spans = detect(&fixes, options);
    let trips = spans.iter().map(|s| trip(device_id, &fixes, s)).collect();
    let stops = stops(device_id, &fixes, &spans, &options.thresholds);
    let plain = fixes.iter().map(|c| c.fix).collect();
    let tracks = spans.iter().map(|s| s.departure..s.arrival + 1).collect();
    Analysis {
        device_id: device_id.to_owned(),
        trips,
        stops,
        cleaning,
        fixes,
        spans,
        plain,
        tracks,
        thresholds: options.thresholds,
    }
}

fn detect(fixes: &[Clean], options: &ReportOptions) -> Vec<Span> {
    let n = fixes.len();
    if n < 2 {
        return Vec::new();
    }
    let moving = |i: usize| options.thresholds.is_moving(fixes[i].speed);
    let mut spans: Vec<Span> = Vec::new();
    let mut i = 0;
    while i < n {
        if !moving(i) {
            i += 1;
            continue;
        }
        let first = i;
        while i + 1 < n && moving(i + 1) {
            i += 1;
        }
        let last = i;
        i += 1;
        let span = Span {
            departure: first.saturating_sub(1),
            arrival: (last + 1).min(n - 1),
            starts_mid: first == 0,
            ends_mid: last == n - 1,
        };
        match spans.last_mut() {
            // The stationary stretch between the two runs is shorter than a stop: one trip.
            Some(prev)
                if fixes[span.departure].fix.time - fixes[prev.arrival].fix.time
                    < options.min_stop =>
            {
                prev.arrival = span.arrival;
                prev.ends_mid = span.ends_mid;
            }
            _ => spans.push(span),
        }
    }
    spans
}

fn trip(device_id: &str, fixes: &[Clean], span: &Span) -> Trip {
    let part = &fixes[span.departure..=span.arrival];
    let (dep, arr) = (&part[0].fix, &part[part.len() - 1].fix);
    let distance_km: f64 = part
        .windows(2)
        .map(|w| w[0].fix.distance_km(&w[1].fix))
        .sum();
    let duration = arr.time - dep.time;
    let hours = duration.num_milliseconds() as f64 / 3_600_000.0;
    let max_speed_kmh = part.iter().map(|c| c.speed).fold(0.0, f64::max);
    let first_odo = part.iter().find_map(|c| c.fix.mileage);
    let last_odo = part.iter().rev().find_map(|c| c.fix.mileage);
    let mileage_delta = match (first_odo, last_odo) {
        (Some(a), Some(b)) if b >= a && (b - a).is_finite() => Some(b - a),
        _ => None,
    };
    Trip {
        device_id: device_id.to_owned(),
        start: dep.time,
        end: arr.time,
        start_latitude: dep.latitude,
        start_longitude: dep.longitude,
        end_latitude: arr.latitude,
        end_longitude: arr.longitude,
        distance_km,
        duration_seconds: duration.num_seconds(),
        max_speed_kmh,
        avg_speed_kmh: if hours > 0.0 {
            distance_km / hours
        } else {
            0.0
        },
        mileage_delta,
        fixes: part.len(),
        starts_mid_trip: span.starts_mid,
        ends_mid_trip: span.ends_mid,
    }
}

fn stops(device_id: &str, fixes: &[Clean], spans: &[Span], thresholds: &Thresholds) -> Vec<Stop> {
    let stop = |from: usize, to: usize, starts_mid: bool, ends_mid: bool| {
        let (a, b) = (&fixes[from].fix, &fixes[to].fix);
        Stop {
            device_id: device_id.to_owned(),
            start: a.time,
            end: b.time,
            duration_seconds: (b.time - a.time).num_seconds(),
            latitude: a.latitude,
            longitude: a.longitude,
            starts_mid_stop: starts_mid,
            ends_mid_stop: ends_mid,
        }
    };
    let n = fixes.len();
    let mut out = Vec::new();
    let Some(first) = spans.first() else {
        // No trip: the device stood still over the data. A lone moving fix is neither.
        let lone_moving = n == 1 && thresholds.is_moving(fixes[0].speed);
        if n > 0 && !lone_moving {
            out.push(stop(0, n - 1, true, true));
        }
        return out;
    };
    if first.departure > 0 {
        out.push(stop(0, first.departure, true, false));
    }
    for pair in spans.windows(2) {
        out.push(stop(pair[0].arrival, pair[1].departure, false, false));
    }
    let last = spans[spans.len() - 1];
    if last.arrival < n - 1 {
        out.push(stop(last.arrival, n - 1, false, true));
    }
    out
}
