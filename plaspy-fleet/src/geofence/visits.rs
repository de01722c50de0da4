//! Visits: when a device entered and left each zone, from its fixes; and the zones it is in
//! now, from its last fix.

use chrono::{DateTime, Utc};
use plaspy_types::Location;
use serde::{Deserialize, Serialize};

use super::track::{changes, in_order, zones_of};
use super::zones::Zones;
use crate::Fix;

/// One visit of a device to a zone (see the [module docs](crate::geofence) for the rules).
/// Serialised in camelCase: `deviceId`, `geofence`, `enter`, `exit`, `durationSeconds`,
/// `startsInside`, `crossing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Visit {
    /// The device.
    pub device_id: String,
    /// The zone's name.
    pub geofence: String,
    /// Time of the first fix inside after a fix outside (or of the first fix, when
    /// `startsInside`; or of the outside fix before the zone, when `crossing`).
    pub enter: DateTime<Utc>,
    /// Time of the first fix outside after `enter`; `null` while the device is still inside
    /// at the last fix.
    pub exit: Option<DateTime<Utc>>,
    /// `exit` minus `enter` in seconds; `null` when `exit` is.
    pub duration_seconds: Option<i64>,
    /// The first fix was already inside: the visit began earlier.
    pub starts_inside: bool,
    /// A pass-through between two fixes outside the zone ([`VisitOptions::crossing`]).
    pub crossing: bool,
}

impl Visit {
    /// A visit that begins at `enter`.
    fn open(device_id: &str, geofence: &str, enter: DateTime<Utc>, starts_inside: bool) -> Self {
        Visit {
            device_id: device_id.to_owned(),
            geofence: geofence.to_owned(),
            enter,
            exit: None,
            duration_seconds: None,
            starts_inside,
            crossing: false,
        }
    }

    /// Ends the visit at `exit`.
    fn close(&mut self, exit: DateTime<Utc>) {
        self.exit = Some(exit);
        self.duration_seconds = Some((exit - self.enter).num_seconds());
    }
}

/// How visits are computed.
///
/// ```
/// let options = plaspy_fleet::VisitOptions::default().with_crossing(true);
/// assert!(options.crossing);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct VisitOptions {
    /// Also count a path between two fixes outside a zone that cuts it as a (pass-through)
    /// visit, flagged `crossing`, from the time of the first fix to the time of the second.
    /// Off by default.
    pub crossing: bool,
}

impl VisitOptions {
    /// Sets [`crossing`](Self::crossing).
    pub fn with_crossing(mut self, crossing: bool) -> Self {
        self.crossing = crossing;
        self
    }
}

/// The visits of one device's fixes (in time order: a fix earlier than the one before is
/// skipped) to the zones, sorted by `enter`, then by the zones' order in the file. Fixes may
/// be [`Fix`]es or `&`[`Location`]s.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use plaspy_fleet::{VisitOptions, Zones, visits};
/// use plaspy_types::Location;
///
/// let zones = Zones::from_geojson("z.geojson", r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","properties":{"name":"client","radius":100},
///    "geometry":{"type":"Point","coordinates":[0.0,0.0]}}]}"#)?;
/// let t = |h| Utc.with_ymd_and_hms(2024, 6, 1, h, 0, 0).unwrap();
/// let fixes = [
///     Location::new(t(8), 0.0, 0.0),  // already inside
///     Location::new(t(9), 0.0, 0.01), // out (1.1 km east)
///     Location::new(t(10), 0.0, 0.02), // out: the path from 0.01 did not cut it
///     Location::new(t(11), 0.0, -0.01), // out, but the path went through it
///     Location::new(t(12), 0.0, 0.0), // in, and still in at the end
/// ];
/// let plain = visits("dev-01", &fixes, &zones, &VisitOptions::default());
/// assert_eq!(plain.len(), 2);
/// assert!(plain[0].starts_inside && plain[0].exit == Some(t(9)));
/// assert_eq!((plain[1].enter, plain[1].exit), (t(12), None));
///
/// let with = visits("dev-01", &fixes, &zones, &VisitOptions::default().with_crossing(true));
/// assert_eq!(with.len(), 3);
/// assert!(with[1].crossing);
/// assert_eq!((with[1].enter, with[1].exit, with[1].duration_seconds), (t(10), Some(t(11)), Some(3600)));
/// # Ok::<(), plaspy_fleet::ZonesError>(())
/// ```
pub fn visits<F: Into<Fix>>(
    device_id: &str,
    fixes: impl IntoIterator<Item = F>,
    zones: &Zones,
    options: &VisitOptions,
) -> Vec<Visit> {
    // Each visit with its zone's index, to sort ties by file order at the end.
    let mut found: Vec<(usize, Visit)> = Vec::new();
    // The open visit of each zone the device is in: (zone, index in `found`), by zone.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut last_time = None;
    let mut previous: Option<Fix> = None;
    let (mut inside, mut now, mut on_path) = (Vec::new(), Vec::new(), Vec::new());
    for fix in fixes {
        let fix: Fix = fix.into();
        if !in_order(last_time, fix.time) {
            continue;
        }
        last_time = Some(fix.time);
        if !zones_of(zones, &fix, &mut now) {
            continue;
        }
        let Some(before) = previous else {
            for &z in &now {
                open.push((z, found.len()));
                found.push((
                    z,
                    Visit::open(device_id, zones.at(z).name(), fix.time, true),
                ));
            }
            previous = Some(fix);
            std::mem::swap(&mut inside, &mut now);
            continue;
        };
        let (exited, entered) = changes(&inside, &now);
        for z in exited {
            if let Ok(k) = open.binary_search_by_key(&z, |&(zone, _)| zone) {
                let (_, at) = open.remove(k);
                found[at].1.close(fix.time);
            }
        }
        for z in entered {
            let k = open.partition_point(|&(zone, _)| zone < z);
            open.insert(k, (z, found.len()));
            found.push((
                z,
                Visit::open(device_id, zones.at(z).name(), fix.time, false),
            ));
        }
        if options.crossing {
            let (from, to) = (
                (before.latitude, before.longitude),
                (fix.latitude, fix.longitude),
            );
            zones.indices_on_path(from, to, &mut on_path);
            for &z in &on_path {
                if inside.binary_search(&z).is_err() && now.binary_search(&z).is_err() {
                    let mut visit = Visit::open(device_id, zones.at(z).name(), before.time, false);
                    visit.crossing = true;
                    visit.close(fix.time);
                    found.push((z, visit));
                }
            }
        }
        previous = Some(fix);
        std::mem::swap(&mut inside, &mut now);
    }
    found.sort_by(|(za, a), (zb, b)| a.enter.cmp(&b.enter).then(za.cmp(zb)));
    found.into_iter().map(|(_, visit)| visit).collect()
}

/// The names of the zones a device is in by its last fix, in the zones' file order (none
/// without a fix, or for a fix without a valid position).
///
/// ```
/// use chrono::Utc;
/// use plaspy_fleet::{Zones, current_zones};
/// use plaspy_types::Location;
///
/// let zones = Zones::from_geojson("z.geojson", r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","properties":{"name":"depot","radius":100},
///    "geometry":{"type":"Point","coordinates":[-74.0,4.6]}}]}"#)?;
/// let last = Location::new(Utc::now(), 4.6, -74.0);
/// assert_eq!(current_zones(&zones, Some(&last)), ["depot"]);
/// assert!(current_zones(&zones, None).is_empty());
/// # Ok::<(), plaspy_fleet::ZonesError>(())
/// ```
pub fn current_zones<'z>(zones: &'z Zones, last: Option<&Location>) -> Vec<&'z str> {
    last.map(|fix| {
        zones
            .containing(fix.latitude, fix.longitude)
            .into_iter()
            .map(|zone| zone.name())
            .collect()
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests;
