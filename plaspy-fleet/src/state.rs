//! A device's state — moving, parked, silent, no position, unknown — defined once, from one
//! [`Thresholds`], for the SDK, the CLI (`fleet`, `watch`, reports) and the dashboard alike.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use plaspy_types::Location;
use serde::{Deserialize, Serialize};

/// When a device (or a fix) counts as moving, and when a device counts as silent.
///
/// ```
/// use chrono::TimeDelta;
/// use plaspy_fleet::Thresholds;
///
/// let t = Thresholds::default();
/// assert_eq!(t.moving_speed_kmh, 3.0);
/// assert_eq!(t.silent_after, TimeDelta::hours(1));
/// assert!(t.is_moving(3.0) && !t.is_moving(2.9));
/// let t = Thresholds::new(5.0, TimeDelta::minutes(30));
/// assert!(!t.is_moving(4.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Thresholds {
    /// At or above this speed (km/h) a fix is moving. Default 3 km/h.
    pub moving_speed_kmh: f64,
    /// A last report older than this (on the server's clock) makes a device silent.
    /// Default 1 hour.
    pub silent_after: TimeDelta,
}

/// The default moving speed, in km/h.
pub const DEFAULT_MOVING_SPEED_KMH: f64 = 3.0;

/// The default silence threshold: one hour.
pub const DEFAULT_SILENT_AFTER: TimeDelta = TimeDelta::hours(1);

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            moving_speed_kmh: DEFAULT_MOVING_SPEED_KMH,
            silent_after: DEFAULT_SILENT_AFTER,
        }
    }
}

impl Thresholds {
    /// Thresholds from a moving speed (km/h) and a silence threshold.
    pub fn new(moving_speed_kmh: f64, silent_after: TimeDelta) -> Self {
        Thresholds {
            moving_speed_kmh,
            silent_after,
        }
    }

    /// Sets the moving speed (km/h).
    pub fn with_moving_speed_kmh(mut self, kmh: f64) -> Self {
        self.moving_speed_kmh = kmh;
        self
    }

    /// Sets the silence threshold.
    pub fn with_silent_after(mut self, silent_after: TimeDelta) -> Self {
        self.silent_after = silent_after;
        self
    }

    /// Whether a speed (km/h) is moving: at or above [`moving_speed_kmh`](Self::moving_speed_kmh).
    /// The one definition of "moving" in plaspy-rs.
    pub fn is_moving(&self, speed_kmh: f64) -> bool {
        speed_kmh >= self.moving_speed_kmh
    }

    /// Whether a fix reported a moving speed (a fix without a speed is not moving).
    pub fn is_moving_fix(&self, fix: &Location) -> bool {
        fix.speed.is_some_and(|s| self.is_moving(s))
    }

    /// Whether a report at `last` is silent at `now`.
    pub fn is_silent(&self, last: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now.signed_duration_since(last) > self.silent_after
    }

    /// The state of a device by its last report, at `now` (the server's time, when known).
    ///
    /// ```
    /// use chrono::{TimeDelta, Utc};
    /// use plaspy_fleet::{DeviceState, Thresholds};
    /// use plaspy_types::Location;
    ///
    /// let now = Utc::now();
    /// let t = Thresholds::default();
    /// let mut fix = Location::new(now - TimeDelta::minutes(5), 4.6, -74.1);
    /// fix.speed = Some(42.0);
    /// assert_eq!(t.state(Some(&fix), now), DeviceState::Moving);
    /// fix.date_time = now - TimeDelta::hours(3);
    /// assert_eq!(t.state(Some(&fix), now), DeviceState::Silent);
    /// assert_eq!(t.state(None, now), DeviceState::NoPosition);
    /// ```
    pub fn state(&self, last: Option<&Location>, now: DateTime<Utc>) -> DeviceState {
        match last {
            None => DeviceState::NoPosition,
            Some(fix) if self.is_silent(fix.date_time, now) => DeviceState::Silent,
            Some(fix) if self.is_moving_fix(fix) => DeviceState::Moving,
            Some(_) => DeviceState::Parked,
        }
    }
}

/// What a device is doing, as far as its last report tells. Serialised in camelCase
/// (`moving`, `parked`, `silent`, `noPosition`, `unknown`), the vocabulary of the CLI's JSON
/// and of the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeviceState {
    /// A recent report at speed.
    Moving,
    /// A recent report, standing still.
    Parked,
    /// The last report is older than the silence threshold.
    Silent,
    /// The device has never reported a position.
    NoPosition,
    /// Its last position could not be fetched.
    Unknown,
}

impl DeviceState {
    /// The state's name as the JSON outputs write it.
    ///
    /// ```
    /// assert_eq!(plaspy_fleet::DeviceState::NoPosition.as_str(), "noPosition");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceState::Moving => "moving",
            DeviceState::Parked => "parked",
            DeviceState::Silent => "silent",
            DeviceState::NoPosition => "noPosition",
            DeviceState::Unknown => "unknown",
        }
    }
}

impl fmt::Display for DeviceState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(age_min: i64, speed: Option<f64>, now: DateTime<Utc>) -> Location {
        let mut l = Location::new(now - TimeDelta::minutes(age_min), 4.6, -74.1);
        l.speed = speed;
        l
    }

    #[test]
    fn moving_is_at_or_above_the_threshold() {
        let t = Thresholds::default();
        assert!(t.is_moving(3.0));
        assert!(!t.is_moving(2.99));
        assert!(!t.is_moving_fix(&fix(0, None, Utc::now())));
    }

    #[test]
    fn every_state() {
        let now = Utc::now();
        let t = Thresholds::default();
        assert_eq!(t.state(None, now), DeviceState::NoPosition);
        assert_eq!(
            t.state(Some(&fix(5, Some(40.0), now)), now),
            DeviceState::Moving
        );
        assert_eq!(
            t.state(Some(&fix(5, Some(0.0), now)), now),
            DeviceState::Parked
        );
        assert_eq!(t.state(Some(&fix(5, None, now)), now), DeviceState::Parked);
        assert_eq!(
            t.state(Some(&fix(61, Some(40.0), now)), now),
            DeviceState::Silent
        );
        // Exactly at the threshold is not yet silent.
        assert_eq!(
            t.state(Some(&fix(60, Some(0.0), now)), now),
            DeviceState::Parked
        );
    }

    #[test]
    fn a_fix_from_the_future_is_not_silent() {
        let now = Utc::now();
        let t = Thresholds::default();
        assert_eq!(
            t.state(Some(&fix(-30, Some(0.0), now)), now),
            DeviceState::Parked
        );
    }

    #[test]
    fn json_names() {
        for (s, name) in [
            (DeviceState::Moving, "moving"),
            (DeviceState::Parked, "parked"),
            (DeviceState::Silent, "silent"),
            (DeviceState::NoPosition, "noPosition"),
            (DeviceState::Unknown, "unknown"),
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(name));
            assert_eq!(s.to_string(), name);
        }
    }
}
