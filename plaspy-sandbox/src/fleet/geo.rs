//! Flat-earth geometry, accurate enough at city scale.

const EARTH_RADIUS_KM: f64 = 6371.0;

/// A WGS 84 position in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub(crate) lat: f64,
    pub(crate) lon: f64,
}

impl Point {
    /// A point at `lat`, `lon`.
    pub(crate) const fn new(lat: f64, lon: f64) -> Self {
        Point { lat, lon }
    }

    /// `(north, east)` kilometres from `self` to `other`.
    fn delta_km(self, other: Point) -> (f64, f64) {
        let mean_lat = ((self.lat + other.lat) / 2.0).to_radians();
        let north = (other.lat - self.lat).to_radians() * EARTH_RADIUS_KM;
        let east = (other.lon - self.lon).to_radians() * EARTH_RADIUS_KM * mean_lat.cos();
        (north, east)
    }

    /// The distance to `other`, in kilometres.
    pub(crate) fn distance_km(self, other: Point) -> f64 {
        let (north, east) = self.delta_km(other);
        north.hypot(east)
    }

    /// The heading from `self` to `other`, degrees clockwise from north, in `[0, 360)`.
    pub(crate) fn bearing_to(self, other: Point) -> f64 {
        let (north, east) = self.delta_km(other);
        east.atan2(north).to_degrees().rem_euclid(360.0)
    }

    /// The point `north_km` kilometres north and `east_km` east of `self`.
    pub(crate) fn offset_km(self, north_km: f64, east_km: f64) -> Point {
        let lat = self.lat + (north_km / EARTH_RADIUS_KM).to_degrees();
        let lon =
            self.lon + (east_km / (EARTH_RADIUS_KM * self.lat.to_radians().cos())).to_degrees();
        Point { lat, lon }
    }

    /// The point a fraction `f` of the way from `self` to `other`.
    pub(crate) fn lerp(self, other: Point, f: f64) -> Point {
        Point {
            lat: self.lat + (other.lat - self.lat) * f,
            lon: self.lon + (other.lon - self.lon) * f,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_bearings_agree() {
        let a = Point::new(4.65, -74.08);
        let b = a.offset_km(3.0, 4.0);
        assert!((a.distance_km(b) - 5.0).abs() < 0.01);
        assert!((a.bearing_to(a.offset_km(1.0, 0.0)) - 0.0).abs() < 0.01);
        assert!((a.bearing_to(a.offset_km(0.0, 1.0)) - 90.0).abs() < 0.01);
        assert!((a.bearing_to(a.offset_km(-1.0, 0.0)) - 180.0).abs() < 0.01);
        assert!((a.bearing_to(a.offset_km(0.0, -1.0)) - 270.0).abs() < 0.01);
        let mid = a.lerp(b, 0.5);
        assert!((a.distance_km(mid) - 2.5).abs() < 0.01);
    }
}
