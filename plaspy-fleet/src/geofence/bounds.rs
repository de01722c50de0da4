//! Longitude / latitude boxes for the R*-tree: the box of a spherical cap (a circle zone, or
//! the half of a path between two fixes) and of a path between two fixes.

use rstar::{AABB, Envelope as _};

/// The mean Earth radius (m) the haversine distances use (geo's `Haversine`).
pub(crate) const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Slack added to every box (degrees, about 1 cm), so rounding never leaves out a point
/// the exact test would take in. A box only preselects; the exact test decides.
const SLACK_DEG: f64 = 1e-7;

/// A box `[longitude, latitude]` corners.
pub(crate) type Envelope = AABB<[f64; 2]>;

/// The box of every point within `radius_rad` (an angle at the Earth's centre) of
/// (`latitude`, `longitude`). When the cap reaches a pole or crosses the ±180° meridian the
/// box takes every longitude (never wrong, only less selective).
pub(crate) fn cap_envelope(latitude: f64, longitude: f64, radius_rad: f64) -> Envelope {
    let dlat = radius_rad.to_degrees() + SLACK_DEG;
    let (south, north) = (latitude - dlat, latitude + dlat);
    if south <= -90.0 || north >= 90.0 {
        return AABB::from_corners([-180.0, south.max(-90.0)], [180.0, north.min(90.0)]);
    }
    // The widest longitude a point within the cap reaches (the cap does not hold a pole, so
    // sin(radius) < cos(latitude)).
    let ratio = (radius_rad.sin() / latitude.to_radians().cos()).min(1.0);
    let dlon = ratio.asin().to_degrees() + SLACK_DEG;
    let (west, east) = (longitude - dlon, longitude + dlon);
    if west < -180.0 || east > 180.0 {
        return AABB::from_corners([-180.0, south], [180.0, north]);
    }
    AABB::from_corners([west, south], [east, north])
}

/// A box holding the path between two positions, whether the path is the great-circle arc
/// or the straight line in longitude / latitude (split at the ±180° meridian): every point
/// of the arc is within half its length of one end, so the boxes of the two caps of that
/// radius hold it, and they hold the ends' own box.
pub(crate) fn path_envelope(from: (f64, f64), to: (f64, f64)) -> Envelope {
    let half = angular_distance(from, to) / 2.0;
    let mut envelope = cap_envelope(from.0, from.1, half);
    envelope.merge(&cap_envelope(to.0, to.1, half));
    if (to.1 - from.1).abs() > 180.0 {
        // The straight line goes the short way, across the ±180° meridian.
        envelope.merge(&AABB::from_corners(
            [-180.0, envelope.lower()[1]],
            [180.0, envelope.upper()[1]],
        ));
    }
    envelope
}

/// The angle at the Earth's centre between two (latitude, longitude) positions (haversine).
pub(crate) fn angular_distance(from: (f64, f64), to: (f64, f64)) -> f64 {
    let (p1, p2) = (from.0.to_radians(), to.0.to_radians());
    let dl = (to.1 - from.1).to_radians();
    let a = ((p2 - p1) / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Points on the cap's edge (every 5° of bearing) are in its box, at the equator, at
    /// mid latitudes and near a pole.
    #[test]
    fn a_cap_box_holds_the_cap() {
        for (lat, lon) in [(0.0, 0.0), (4.6, -74.0), (60.0, 10.0), (-85.0, 100.0)] {
            for radius_m in [50.0, 5_000.0, 500_000.0] {
                let r = radius_m / EARTH_RADIUS_M;
                let envelope = cap_envelope(lat, lon, r);
                for step in 0..72 {
                    let bearing = f64::from(step * 5).to_radians();
                    let (p, l) = destination(lat, lon, bearing, r);
                    assert!(
                        envelope.contains_point(&[l, p]),
                        "{lat},{lon} r={radius_m}: ({p},{l}) outside {envelope:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn caps_over_a_pole_or_the_antimeridian_take_every_longitude() {
        let polar = cap_envelope(89.9, 0.0, 50_000.0 / EARTH_RADIUS_M);
        assert_eq!((polar.lower()[0], polar.upper()[0]), (-180.0, 180.0));
        assert_eq!(polar.upper()[1], 90.0);
        let dateline = cap_envelope(0.0, 179.99, 5_000.0 / EARTH_RADIUS_M);
        assert_eq!((dateline.lower()[0], dateline.upper()[0]), (-180.0, 180.0));
    }

    #[test]
    fn a_path_box_holds_its_arc() {
        // Two points at 80°N, 100° of longitude apart: the arc bulges to 83.5°N at 50°E.
        let (a, b) = ((80.0, 0.0), (80.0, 100.0));
        let envelope = path_envelope(a, b);
        assert!(envelope.contains_point(&[50.0, 83.4]), "{envelope:?}");
        let wrap = path_envelope((0.0, 179.5), (0.0, -179.5));
        assert_eq!((wrap.lower()[0], wrap.upper()[0]), (-180.0, 180.0));
    }

    /// The point at `distance_rad` from (lat, lon) along `bearing` (radians).
    fn destination(lat: f64, lon: f64, bearing: f64, distance_rad: f64) -> (f64, f64) {
        let (p1, l1) = (lat.to_radians(), lon.to_radians());
        let p2 =
            (p1.sin() * distance_rad.cos() + p1.cos() * distance_rad.sin() * bearing.cos()).asin();
        let l2 = l1
            + (bearing.sin() * distance_rad.sin() * p1.cos())
                .atan2(distance_rad.cos() - p1.sin() * p2.sin());
        (p2.to_degrees(), l2.to_degrees())
    }
}
