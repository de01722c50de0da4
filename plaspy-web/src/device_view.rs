//! A device's day as its page reads it (`/api/devices/{id}`): the device, its last report,
//! the day's track (sampled for the map), trips and stops.

use chrono::{DateTime, NaiveDate, Utc};
use plaspy_async::{Device, Location, TextMap};
use plaspy_fleet::{Cleaning, FleetEntry, ReportOptions, Stop, Thresholds, Trip};
use serde::Serialize;

use crate::day::Day;
use crate::source::DeviceDay;
use crate::view::{FleetRow, fleet_row, plate};

/// At most this many points of a track go to the map; the downloads have them all.
pub(crate) const MAP_POINTS: usize = 5000;

/// The body of `/api/devices/{id}`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeviceDayView<'a> {
    /// The device's details.
    pub device: DeviceInfo<'a>,
    /// Its last report, as the fleet page shows it.
    pub last: FleetRow,
    /// The day shown, in the browser's zone.
    pub date: NaiveDate,
    /// The browser's offset from UTC, in minutes east.
    pub offset_minutes: i32,
    /// The day's first instant.
    pub from: DateTime<Utc>,
    /// The day's last millisecond.
    pub to: DateTime<Utc>,
    /// How many fixes the day has (the track may be a sample of them).
    pub track_points: usize,
    /// The fixes the map draws.
    pub track: Vec<TrackPoint>,
    /// The day's trips.
    pub trips: Vec<Trip>,
    /// The day's stops.
    pub stops: Vec<Stop>,
    /// What cleaning set aside.
    pub cleaning: Cleaning,
}

/// A device's details, as the page shows them (text, never markup).
#[derive(Debug, Serialize)]
pub(crate) struct DeviceInfo<'a> {
    /// The id.
    pub id: &'a str,
    /// The display name.
    pub name: &'a str,
    /// The description.
    pub description: Option<&'a str>,
    /// The `plate` tag.
    pub plate: Option<String>,
    /// The SIM's number.
    pub min: Option<&'a str>,
    /// Every tag.
    pub tags: Option<&'a TextMap>,
    /// When its service line expires.
    pub expires: Option<DateTime<Utc>>,
}

/// One point of the track as the map draws it.
#[derive(Debug, Serialize)]
pub(crate) struct TrackPoint {
    /// When.
    pub t: DateTime<Utc>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Speed (km/h).
    pub speed: Option<f64>,
}

/// The page's view of a device's day at `now`: trips and stops by the fleet domain's
/// definitions, with `thresholds`.
pub(crate) fn device_day_view<'a>(
    data: &'a DeviceDay,
    day: &Day,
    now: DateTime<Utc>,
    thresholds: &Thresholds,
) -> DeviceDayView<'a> {
    let device = &data.device;
    let entry = FleetEntry::new(device.clone(), Ok(data.last.clone()));
    let options = ReportOptions {
        thresholds: *thresholds,
        ..ReportOptions::default()
    };
    let mut analysis = plaspy_fleet::analyze(device.id(), &data.fixes, &options);
    DeviceDayView {
        device: device_info(device),
        last: fleet_row(&entry, now, thresholds),
        date: day.date,
        offset_minutes: day.offset_minutes,
        from: day.from,
        to: day.to,
        track_points: data.fixes.len(),
        track: map_points(&data.fixes),
        trips: std::mem::take(&mut analysis.trips),
        stops: std::mem::take(&mut analysis.stops),
        cleaning: analysis.cleaning,
    }
}

fn device_info(device: &Device) -> DeviceInfo<'_> {
    DeviceInfo {
        id: device.id(),
        name: device.display_name(),
        description: device.description.as_deref(),
        plate: plate(device),
        min: device.min.as_deref(),
        tags: device.tags.as_ref(),
        expires: device.expires,
    }
}

/// The fixes for the map: all of them up to [`MAP_POINTS`], else an even sample that keeps
/// the first and the last.
pub(crate) fn map_points(fixes: &[Location]) -> Vec<TrackPoint> {
    let point = |f: &Location| TrackPoint {
        t: f.date_time,
        lat: f.latitude,
        lon: f.longitude,
        speed: f.speed,
    };
    let usable: Vec<&Location> = fixes
        .iter()
        .filter(|f| f.latitude.is_finite() && f.longitude.is_finite())
        .collect();
    if usable.len() <= MAP_POINTS {
        return usable.into_iter().map(point).collect();
    }
    let last = usable.len() - 1;
    (0..MAP_POINTS)
        .map(|i| point(usable[i * last / (MAP_POINTS - 1)]))
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn map_points_are_bounded() {
        let start: DateTime<Utc> = "2030-01-01T00:00:00Z".parse().unwrap();
        let fixes: Vec<Location> = (0..12_345)
            .map(|i| Location::new(start + TimeDelta::seconds(i), 1.0, i as f64 / 1e4))
            .collect();
        let points = map_points(&fixes);
        assert_eq!(points.len(), MAP_POINTS);
        assert_eq!(points[0].t, fixes[0].date_time);
        assert_eq!(points[MAP_POINTS - 1].t, fixes[12_344].date_time);
        assert_eq!(map_points(&fixes[..10]).len(), 10);
    }
}
