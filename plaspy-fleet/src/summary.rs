use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use plaspy_types::Location;
use serde::Serialize;

use crate::clean::Clean;
use crate::trips::Span;
use crate::{Fix, ReportOptions, Thresholds, analyze_fixes};

/// One device's day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaySummary {
    /// The device.
    pub device_id: String,
    /// The calendar day, in the time zone the summary was asked in.
    pub date: NaiveDate,
    /// Trip distance of the trip segments that start this day (km).
    pub distance_km: f64,
    /// Trip time of the trip segments that start this day (s).
    pub driving_seconds: i64,
    /// Trips whose departure fix is on this day.
    pub trips: usize,
    /// Highest speed among the day's fixes (km/h).
    pub max_speed_kmh: f64,
    /// The day's first fix.
    pub first_fix: DateTime<Utc>,
    /// The day's last fix.
    pub last_fix: DateTime<Utc>,
    /// Number of fixes that day (after cleaning).
    pub fixes: usize,
    /// The odometer distance of the day, as Plaspy's own clients count it: the last minus
    /// the first `milleage` reading of the day (km). `None` when the tracker reports no
    /// odometer that day, or its reading went backwards (a reset).
    pub odometer_km: Option<f64>,
    /// The day's first moving fix ([`Thresholds::is_moving`](crate::Thresholds::is_moving)).
    pub first_movement: Option<DateTime<Utc>>,
    /// The day's last moving fix.
    pub last_movement: Option<DateTime<Utc>>,
    /// The mean speed of the day's moving fixes (km/h); `None` when none moved.
    pub avg_moving_speed_kmh: Option<f64>,
}

/// What a day's fixes add up to while they are read, beyond the plain counts.
#[derive(Debug, Clone, Copy, Default)]
struct DayRunning {
    first_odometer: Option<f64>,
    last_odometer: Option<f64>,
    moving_speed_sum: f64,
    moving_fixes: usize,
}

impl DayRunning {
    /// Takes one fix (in time order) of the day into account.
    fn add(&mut self, summary: &mut DaySummary, fix: &Clean, thresholds: &Thresholds) {
        if let Some(km) = fix.fix.mileage.filter(|v| v.is_finite()) {
            self.first_odometer.get_or_insert(km);
            self.last_odometer = Some(km);
        }
        if thresholds.is_moving(fix.speed) {
            let t = fix.fix.time;
            summary.first_movement.get_or_insert(t);
            summary.last_movement = Some(t);
            self.moving_speed_sum += fix.speed;
            self.moving_fixes += 1;
        }
    }

    /// Writes the figures that need the whole day.
    fn finish(self, summary: &mut DaySummary) {
        summary.odometer_km = match (self.first_odometer, self.last_odometer) {
            (Some(first), Some(last)) if last >= first => Some(last - first),
            _ => None,
        };
        summary.avg_moving_speed_kmh =
            (self.moving_fixes > 0).then(|| self.moving_speed_sum / self.moving_fixes as f64);
    }
}

/// Daily summaries of a device from its fixes, days taken in `tz` (see the crate docs).
///
/// ```
/// use chrono::{FixedOffset, TimeZone, Utc};
/// use plaspy_fleet::{ReportOptions, daily_summary};
/// use plaspy_types::Location;
///
/// // 23:30 UTC is already the next day in UTC+2.
/// let fix = Location::new(Utc.with_ymd_and_hms(2024, 6, 1, 23, 30, 0).unwrap(), 4.6, -74.0);
/// let days = daily_summary("dev-01", &[fix], &ReportOptions::default(),
///                          &FixedOffset::east_opt(2 * 3600).unwrap());
/// assert_eq!(days[0].date.to_string(), "2024-06-02");
/// ```
pub fn daily_summary<Tz: TimeZone>(
    device_id: &str,
    fixes: &[Location],
    options: &ReportOptions,
    tz: &Tz,
) -> Vec<DaySummary> {
    daily_summary_of(
        device_id,
        fixes.iter().map(Fix::from).collect(),
        options,
        tz,
    )
}

/// [`daily_summary`] on compact [`Fix`]es.
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use plaspy_fleet::{Fix, ReportOptions, analyze_fixes};
/// use plaspy_fleet::daily_summary_of;
///
/// let t0 = Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
/// let fix = |min: i64, lat: f64, kmh: f64| Fix::new(t0 + Duration::minutes(min), lat, -74.0, Some(kmh));
/// let fixes = vec![fix(0, 4.60, 0.0), fix(1, 4.61, 40.0), fix(2, 4.62, 40.0), fix(3, 4.62, 0.0)];
/// let days = daily_summary_of("dev-01", fixes, &ReportOptions::default(), &Utc);
/// assert_eq!(days.len(), 1);
/// assert_eq!(days[0].date.to_string(), "2024-06-01");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn daily_summary_of<Tz: TimeZone>(
    device_id: &str,
    fixes: Vec<Fix>,
    options: &ReportOptions,
    tz: &Tz,
) -> Vec<DaySummary> {
    analyze_fixes(device_id, fixes, options).daily(tz)
}

pub(crate) fn summarize<Tz: TimeZone>(
    device_id: &str,
    fixes: &[Clean],
    spans: &[Span],
    thresholds: &Thresholds,
    tz: &Tz,
) -> Vec<DaySummary> {
    let day = |t: DateTime<Utc>| t.with_timezone(tz).date_naive();
    let mut days: BTreeMap<NaiveDate, DaySummary> = BTreeMap::new();
    let mut running: BTreeMap<NaiveDate, DayRunning> = BTreeMap::new();
    for c in fixes {
        let t = c.fix.time;
        let entry = days.entry(day(t)).or_insert_with(|| DaySummary {
            device_id: device_id.to_owned(),
            date: day(t),
            distance_km: 0.0,
            driving_seconds: 0,
            trips: 0,
            max_speed_kmh: 0.0,
            first_fix: t,
            last_fix: t,
            fixes: 0,
            odometer_km: None,
            first_movement: None,
            last_movement: None,
            avg_moving_speed_kmh: None,
        });
        running.entry(day(t)).or_default().add(entry, c, thresholds);
        entry.fixes += 1;
        entry.max_speed_kmh = entry.max_speed_kmh.max(c.speed);
        entry.first_fix = entry.first_fix.min(t);
        entry.last_fix = entry.last_fix.max(t);
    }
    let mut driving_ms: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for span in spans {
        if let Some(d) = days.get_mut(&day(fixes[span.departure].fix.time)) {
            d.trips += 1;
        }
        for w in fixes[span.departure..=span.arrival].windows(2) {
            let date = day(w[0].fix.time);
            if let Some(d) = days.get_mut(&date) {
                d.distance_km += w[0].fix.distance_km(&w[1].fix);
            }
            *driving_ms.entry(date).or_default() +=
                (w[1].fix.time - w[0].fix.time).num_milliseconds();
        }
    }
    for (date, ms) in driving_ms {
        if let Some(d) = days.get_mut(&date) {
            d.driving_seconds = ms / 1000;
        }
    }
    for (date, figures) in running {
        if let Some(d) = days.get_mut(&date) {
            figures.finish(d);
        }
    }
    days.into_values().collect()
}
