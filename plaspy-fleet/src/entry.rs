//! One device with its last position: the row of every fleet view.

use chrono::{DateTime, Utc};
use plaspy_types::{Device, Error, Location};

use crate::state::{DeviceState, Thresholds};

/// One device with its last position, or the error that kept it from being fetched. What
/// `client.fleet().snapshot()` returns, and what `plaspy fleet`, `watch` and the dashboard
/// show.
///
/// ```
/// use chrono::Utc;
/// use plaspy_fleet::{DeviceState, FleetEntry, Thresholds};
/// use plaspy_types::Device;
///
/// let mut device = Device::default();
/// device.id = Some("dev-01".into());
/// let entry = FleetEntry::new(device, Ok(None));
/// assert_eq!(entry.state(Utc::now(), &Thresholds::default()), DeviceState::NoPosition);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FleetEntry {
    /// The device, as `GET /api/devices` listed it.
    pub device: Device,
    /// Its last position (`None`: it has never reported one), or why it could not be read.
    pub location: Result<Option<Location>, Error>,
}

impl FleetEntry {
    /// A device with its last position (or the error reading it).
    pub fn new(device: Device, location: Result<Option<Location>, Error>) -> Self {
        FleetEntry { device, location }
    }

    /// The last fix, when it was read and there is one.
    pub fn last_fix(&self) -> Option<&Location> {
        self.location.as_ref().ok().and_then(Option::as_ref)
    }

    /// The error that kept the last position from being read, if any.
    pub fn error(&self) -> Option<&Error> {
        self.location.as_ref().err()
    }

    /// The device's state at `now`: [`DeviceState::Unknown`] when its position could not
    /// be read, otherwise as [`Thresholds::state`] says.
    pub fn state(&self, now: DateTime<Utc>, thresholds: &Thresholds) -> DeviceState {
        match &self.location {
            Err(_) => DeviceState::Unknown,
            Ok(last) => thresholds.state(last.as_ref(), now),
        }
    }
}
