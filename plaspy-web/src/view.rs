//! The fleet as the pages show it: each device's state and report age, and the counts.
//! Pure functions of (devices with their last positions, now, thresholds); the state is the
//! fleet domain's ([`FleetEntry::state`]).

use chrono::{DateTime, Utc};
use plaspy_async::{Device, Location};
use plaspy_fleet::FleetEntry;
use serde::Serialize;

pub use plaspy_fleet::{DeviceState, Thresholds};

/// One device as the fleet page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetRow {
    /// The device id.
    pub id: String,
    /// The display name (the id when the device has no name).
    pub name: String,
    /// The description, if any.
    pub description: Option<String>,
    /// The plate (the `plate` tag), if any.
    pub plate: Option<String>,
    /// Its state.
    pub state: DeviceState,
    /// When it last reported a position.
    pub last_report: Option<DateTime<Utc>>,
    /// Seconds since then (never negative, even if the server's clock runs ahead).
    pub age_seconds: Option<i64>,
    /// Speed at the last report (km/h).
    pub speed: Option<f64>,
    /// Latitude of the last report.
    pub latitude: Option<f64>,
    /// Longitude of the last report.
    pub longitude: Option<f64>,
    /// Heading at the last report (degrees).
    pub course: Option<f64>,
    /// Why its last position is unknown, when fetching it failed.
    pub error: Option<String>,
}

/// How many devices are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Every device.
    pub vehicles: usize,
    /// Moving.
    pub moving: usize,
    /// Parked.
    pub parked: usize,
    /// Silent: no recent report, or none at all (includes `no_position`).
    pub silent: usize,
    /// Never reported a position (also counted in `silent`).
    pub no_position: usize,
    /// Last position unknown because fetching it failed.
    pub unknown: usize,
}

/// The whole fleet page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetView {
    /// When the snapshot was taken.
    pub generated_at: DateTime<Utc>,
    /// The silence threshold, in seconds.
    pub silent_after_seconds: i64,
    /// The counts.
    pub counts: Counts,
    /// Every device, in the API's order.
    pub devices: Vec<FleetRow>,
}

/// Builds the fleet page from each device with its last position (or the error fetching
/// it), in the order given.
pub fn fleet_view(entries: &[FleetEntry], now: DateTime<Utc>, limits: &Thresholds) -> FleetView {
    let mut counts = Counts::default();
    let devices: Vec<FleetRow> = entries
        .iter()
        .map(|entry| {
            let row = fleet_row(entry, now, limits);
            counts.add(row.state);
            row
        })
        .collect();
    FleetView {
        generated_at: now,
        silent_after_seconds: limits.silent_after.num_seconds(),
        counts,
        devices,
    }
}

impl Counts {
    /// Counts one more device in `state`.
    fn add(&mut self, state: DeviceState) {
        self.vehicles += 1;
        match state {
            DeviceState::Moving => self.moving += 1,
            DeviceState::Parked => self.parked += 1,
            DeviceState::Silent => self.silent += 1,
            DeviceState::NoPosition => {
                self.silent += 1;
                self.no_position += 1;
            }
            DeviceState::Unknown => self.unknown += 1,
        }
    }
}

/// One device's row: its state at `now` ([`FleetEntry::state`]) and its last report.
pub fn fleet_row(entry: &FleetEntry, now: DateTime<Utc>, limits: &Thresholds) -> FleetRow {
    let device = &entry.device;
    let fix: Option<&Location> = entry.last_fix();
    FleetRow {
        id: device.id().to_owned(),
        name: device.display_name().to_owned(),
        description: device.description.clone().filter(|d| !d.is_empty()),
        plate: plate(device),
        state: entry.state(now, limits),
        last_report: fix.map(|f| f.date_time),
        age_seconds: fix.map(|f| now.signed_duration_since(f.date_time).num_seconds().max(0)),
        speed: fix.and_then(|f| f.speed),
        latitude: fix.map(|f| f.latitude).filter(|v| v.is_finite()),
        longitude: fix.map(|f| f.longitude).filter(|v| v.is_finite()),
        course: fix.and_then(|f| f.course),
        error: entry.error().map(ToString::to_string),
    }
}

/// The device's plate: its `plate` tag, in any letter case.
pub(crate) fn plate(device: &Device) -> Option<String> {
    device
        .tags
        .as_ref()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("plate"))
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use plaspy_async::Error;
    use std::collections::BTreeMap;

    fn limits() -> Thresholds {
        Thresholds::new(3.0, Duration::hours(1))
    }

    fn device(id: &str, plate: Option<&str>) -> Device {
        let mut device = Device::default();
        device.id = Some(id.into());
        device.name = Some(format!("<b>{id}</b>"));
        device.tags = plate.map(|p| BTreeMap::from([("Plate".to_owned(), p.to_owned())]).into());
        device
    }

    fn fix(now: DateTime<Utc>, age: Duration, speed: f64) -> Location {
        let mut fix = Location::new(now - age, 4.6, -74.1);
        fix.speed = Some(speed);
        fix
    }

    #[test]
    fn states_and_counts() {
        let now: DateTime<Utc> = "2030-01-01T12:00:00Z".parse().unwrap();
        let entry = FleetEntry::new;
        let view = fleet_view(
            &[
                entry(
                    device("a", Some("ABC123")),
                    Ok(Some(fix(now, Duration::minutes(1), 50.0))),
                ),
                entry(
                    device("b", None),
                    Ok(Some(fix(now, Duration::minutes(59), 0.0))),
                ),
                entry(
                    device("c", None),
                    Ok(Some(fix(now, Duration::minutes(61), 80.0))),
                ),
                entry(device("d", None), Ok(None)),
                entry(device("e", None), Err(Error::invalid_input("boom"))),
                // A clock ahead of ours: a fresh report, age 0, never negative.
                entry(
                    device("f", None),
                    Ok(Some(fix(now, Duration::minutes(-5), 1.0))),
                ),
            ],
            now,
            &limits(),
        );
        let states: Vec<DeviceState> = view.devices.iter().map(|r| r.state).collect();
        use DeviceState::*;
        assert_eq!(
            states,
            [Moving, Parked, Silent, NoPosition, Unknown, Parked]
        );
        assert_eq!(
            view.counts,
            Counts {
                vehicles: 6,
                moving: 1,
                parked: 2,
                silent: 2,
                no_position: 1,
                unknown: 1
            }
        );
        assert_eq!(view.devices[0].plate.as_deref(), Some("ABC123"));
        assert_eq!(view.devices[0].age_seconds, Some(60));
        assert_eq!(view.devices[5].age_seconds, Some(0));
        assert!(view.devices[4].error.as_deref().unwrap().contains("boom"));
        assert_eq!(view.devices[3].latitude, None);
        // Names are data, kept verbatim: the page writes them as text.
        assert_eq!(view.devices[0].name, "<b>a</b>");
    }

    #[test]
    fn a_missing_speed_is_parked() {
        let now = Utc::now();
        let fix = Location::new(now, 1.0, 2.0);
        assert_eq!(limits().state(Some(&fix), now), DeviceState::Parked);
    }
}
