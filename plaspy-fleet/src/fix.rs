use chrono::{DateTime, Utc};
use plaspy_types::Location;

/// Mean Earth radius (km), as used for great-circle distances.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The part of a [`Location`] the reports use: small enough to hold a year of fixes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fix {
    /// When the fix was taken.
    pub time: DateTime<Utc>,
    /// Latitude in decimal degrees.
    pub latitude: f64,
    /// Longitude in decimal degrees.
    pub longitude: f64,
    /// Reported speed (km/h), if any.
    pub speed_kmh: Option<f64>,
    /// Odometer reading (`milleage`), if any.
    pub mileage: Option<f64>,
}

impl Fix {
    /// A fix with a time (in any time zone), a position and an optional speed.
    ///
    /// ```
    /// use chrono::Utc;
    ///
    /// let fix = plaspy_fleet::Fix::new(Utc::now(), 4.65, -74.05, Some(32.0));
    /// assert_eq!(fix.mileage, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        time: impl Into<DateTime<Utc>>,
        latitude: f64,
        longitude: f64,
        speed_kmh: Option<f64>,
    ) -> Self {
        Fix {
            time: time.into(),
            latitude,
            longitude,
            speed_kmh,
            mileage: None,
        }
    }

    /// Whether the position is a real coordinate (finite, within range).
    pub(crate) fn has_valid_position(&self) -> bool {
        self.latitude.is_finite()
            && self.longitude.is_finite()
            && self.latitude.abs() <= 90.0
            && self.longitude.abs() <= 180.0
    }

    /// Whether the position is exactly (0, 0), where trackers without a fix report.
    pub(crate) fn is_null_island(&self) -> bool {
        self.latitude == 0.0 && self.longitude == 0.0
    }

    /// Great-circle distance to another fix (km).
    ///
    /// ```
    /// use chrono::Utc;
    /// use plaspy_fleet::Fix;
    ///
    /// let a = Fix::new(Utc::now(), 4.60, -74.0, None);
    /// let b = Fix::new(Utc::now(), 4.61, -74.0, None);
    /// assert!((a.distance_km(&b) - 1.11).abs() < 0.01);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn distance_km(&self, other: &Fix) -> f64 {
        great_circle_km(
            self.latitude,
            self.longitude,
            other.latitude,
            other.longitude,
        )
    }

    /// The speed implied by moving from `previous` to this fix (km/h); `None` when no time
    /// passed.
    pub(crate) fn implied_speed_from(&self, previous: &Fix) -> Option<f64> {
        let seconds = (self.time - previous.time).num_milliseconds() as f64 / 1000.0;
        (seconds > 0.0).then(|| self.distance_km(previous) / seconds * 3600.0)
    }
}

impl From<&Location> for Fix {
    fn from(l: &Location) -> Self {
        Fix {
            time: l.date_time,
            latitude: l.latitude,
            longitude: l.longitude,
            speed_kmh: l.speed,
            mileage: l.mileage,
        }
    }
}

/// Great-circle (haversine) distance between two points given in decimal degrees (km).
///
/// ```
/// // One degree of latitude is about 111.2 km.
/// let d = plaspy_fleet::great_circle_km(0.0, 0.0, 1.0, 0.0);
/// assert!((d - 111.195).abs() < 0.01);
/// ```
pub fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_is_symmetric_and_zero_on_the_spot() {
        let d1 = great_circle_km(4.6, -74.08, 6.25, -75.56);
        let d2 = great_circle_km(6.25, -75.56, 4.6, -74.08);
        assert!((d1 - d2).abs() < 1e-9);
        // Bogotá to Medellín, as the crow flies: about 240 km.
        assert!((230.0..250.0).contains(&d1), "{d1}");
        assert_eq!(great_circle_km(4.6, -74.08, 4.6, -74.08), 0.0);
    }

    #[test]
    fn antipodes_do_not_produce_nan() {
        let d = great_circle_km(0.0, 0.0, 0.0, 180.0);
        assert!((d - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6);
    }
}
