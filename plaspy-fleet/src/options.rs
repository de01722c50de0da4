use chrono::TimeDelta;

use crate::state::Thresholds;

/// Thresholds of the reports. `Default` gives the documented defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportOptions {
    /// When a fix is moving ([`Thresholds::is_moving`]: at or above 3 km/h by default), the
    /// same definition as the fleet's states.
    pub thresholds: Thresholds,
    /// Moving runs separated by a stationary stretch shorter than this are one trip; every
    /// stop between two trips lasts at least this long. Default 5 minutes.
    pub min_stop: TimeDelta,
    /// A fix that implies a faster move than this (km/h) both from the fix before it and to
    /// the fix after it is a GPS jump and is set aside; a reported speed above it is treated
    /// as missing. Default 300.
    pub max_plausible_speed_kmh: f64,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            thresholds: Thresholds::default(),
            min_stop: TimeDelta::minutes(5),
            max_plausible_speed_kmh: 300.0,
        }
    }
}
