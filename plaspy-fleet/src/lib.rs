//! The fleet domain of plaspy-rs, defined once and free of I/O: what a device's state is,
//! which devices a command covers, and the trip, stop and daily-summary reports computed
//! locally from position fixes, with their exports. The SDK, the CLI and the dashboard all
//! use it, so the same device at the same instant has the same state everywhere.
//!
//! - **State.** [`Thresholds`] (moving speed, silence threshold) and [`DeviceState`]
//!   (`moving`, `parked`, `silent`, `noPosition`, `unknown`); [`FleetEntry`] is a device with
//!   its last position; [`DeviceSelection`] is ids, a group or every device.
//!
//! - **Geofences.** [`Zones`] read from GeoJSON (polygons and circles), the [`visits`] a
//!   device's fixes make to them, and the zones it is in now ([`current_zones`]); see
//!   [`geofence`].
//! - **Events.** [`EventEngine`]: `geofenceEnter`, `geofenceExit`, `overspeed`, `silent` and
//!   `backOnline`, streaming, with a serialisable state per device; see [`events`].
//!
//! The reports turn fixes (from `client.devices().locations(..)` or any other source) into
//! trips, stops and days, by these definitions:
//!
//! - **Cleaning.** Fixes are sorted by time; a fix with the same time as an earlier one is a
//!   duplicate and only the first is kept; a *GPS jump* (a fix that could only be reached,
//!   and left, faster than [`ReportOptions::max_plausible_speed_kmh`]) is set aside. What was
//!   set aside is counted in [`Cleaning`], never silently lost.
//! - **Moving.** A fix is moving when its speed is at or above the moving speed of
//!   [`ReportOptions::thresholds`] ([`Thresholds::is_moving`], default 3 km/h). A fix without a speed (or with an
//!   implausible one) gets the speed implied by the distance from the previous fix.
//! - **Trips.** Runs of moving fixes separated by a stationary stretch shorter than
//!   [`ReportOptions::min_stop`] (default 5 min) are one trip. A trip runs from its
//!   *departure fix* (the last fix before its first moving fix) to its *arrival fix* (the
//!   first fix after its last moving one). Its distance is the sum of great-circle distances
//!   between consecutive fixes of the trip, departure and arrival included; its duration is
//!   arrival time minus departure time; its average speed is distance over duration; its
//!   odometer delta is the last minus the first `milleage` reading within the trip, when the
//!   tracker reports one. A trip cut by the start or end of the data is flagged
//!   (`startsMidTrip` / `endsMidTrip`).
//! - **Stops.** The stretches between trips: from one trip's arrival fix to the next trip's
//!   departure fix, at the arrival position; also the stretch before the first trip and
//!   after the last one (flagged as open), or the whole data when there is no trip.
//! - **Daily summary.** Per calendar day in the time zone given (UTC or any
//!   [`chrono::TimeZone`]): the trip distance and driving time of the segments that start
//!   that day (so the days add up exactly to the trips), the trips that depart that day, the
//!   maximum speed of that day's fixes, and the first and last fix of the day.
//!
//! The [`export`] module writes a track as GPX or GeoJSON and guards CSV text cells
//! against spreadsheet formulas, for the CLI and the dashboard alike.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use plaspy_fleet::{ReportOptions, analyze};
//! use plaspy_types::Location;
//!
//! let t0 = Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
//! let fix = |min: i64, lat: f64, speed: f64| {
//!     let mut l = Location::new(t0 + chrono::Duration::minutes(min), lat, -74.0);
//!     l.speed = Some(speed);
//!     l
//! };
//! let fixes = vec![fix(0, 4.60, 0.0), fix(1, 4.61, 40.0), fix(2, 4.62, 40.0), fix(3, 4.62, 0.0)];
//! let report = analyze("dev-01", &fixes, &ReportOptions::default());
//! assert_eq!(report.trips.len(), 1);
//! assert!((report.trips[0].distance_km - 2.22).abs() < 0.01);
//! ```

mod clean;
mod entry;
pub mod events;
pub mod export;
mod fix;
pub mod geofence;
mod options;
mod search;
mod selection;
mod state;
mod summary;
mod trips;

pub use clean::Cleaning;
pub use entry::FleetEntry;
pub use events::{DeviceEvents, Event, EventEngine, EventRules, EventState};
pub use fix::{Fix, great_circle_km};
pub use geofence::{
    Visit, VisitOptions, Zone, ZoneShape, Zones, ZonesError, current_zones, visits,
};
pub use options::ReportOptions;
pub use search::{DeviceMatcher, fold};
pub use selection::DeviceSelection;
pub use state::{DEFAULT_MOVING_SPEED_KMH, DEFAULT_SILENT_AFTER, DeviceState, Thresholds};
pub use summary::{DaySummary, daily_summary, daily_summary_of};
pub use trips::{Analysis, Stop, Trip, analyze, analyze_fixes};

#[cfg(test)]
mod glitch_tests;
#[cfg(test)]
mod tests;
