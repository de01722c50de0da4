//! GeoJSON documents of the reports: trips as LineStrings, stops as Points, each feature's
//! properties the trip or stop itself, as its JSON.

use serde_json::{Value, json};

use crate::trips::{Analysis, Stop};

/// A FeatureCollection of every trip of `analyses`, in order: one LineString feature per
/// trip, through the trip's fixes (departure to arrival, `[longitude, latitude]`), whose
/// properties are the [`Trip`](crate::Trip).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use plaspy_fleet::{ReportOptions, analyze, export::trips_geojson};
/// use plaspy_types::Location;
///
/// let t0 = Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
/// let fix = |min: i64, lat: f64, speed: f64| {
///     let mut l = Location::new(t0 + chrono::Duration::minutes(min), lat, -74.0);
///     l.speed = Some(speed);
///     l
/// };
/// let fixes = [fix(0, 4.60, 0.0), fix(1, 4.61, 40.0), fix(2, 4.62, 40.0), fix(3, 4.62, 0.0)];
/// let doc = trips_geojson(&[analyze("dev-01", &fixes, &ReportOptions::default())]);
/// assert_eq!(doc["features"][0]["geometry"]["type"], "LineString");
/// assert_eq!(doc["features"][0]["properties"]["deviceId"], "dev-01");
/// ```
pub fn trips_geojson(analyses: &[Analysis]) -> Value {
    let features: Vec<Value> = analyses
        .iter()
        .flat_map(|a| {
            a.trips.iter().enumerate().map(move |(i, trip)| {
                let line: Vec<[f64; 2]> = a
                    .trip_track(i)
                    .iter()
                    .map(|f| [f.longitude, f.latitude])
                    .collect();
                json!({
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": line},
                    "properties": trip,
                })
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// A FeatureCollection of `stops`, in order: one Point feature per stop, at its place,
/// whose properties are the [`Stop`].
pub fn stops_geojson(stops: &[Stop]) -> Value {
    let features: Vec<Value> = stops
        .iter()
        .map(|stop| {
            json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [stop.longitude, stop.latitude]},
                "properties": stop,
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use plaspy_types::Location;

    use super::*;
    use crate::{ReportOptions, analyze};

    fn fixes() -> Vec<Location> {
        let t0 = Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
        let fix = |min: i64, lat: f64, speed: f64| {
            let mut l = Location::new(t0 + chrono::Duration::minutes(min), lat, -74.0);
            l.speed = Some(speed);
            l
        };
        vec![
            fix(0, 4.60, 0.0),
            fix(10, 4.60, 0.0),
            fix(11, 4.61, 40.0),
            fix(12, 4.62, 40.0),
            fix(13, 4.62, 0.0),
            fix(30, 4.62, 0.0),
        ]
    }

    #[test]
    fn trips_are_lines_through_their_fixes_with_the_trip_as_properties() {
        let analysis = analyze("dev-01", &fixes(), &ReportOptions::default());
        assert_eq!(analysis.trips.len(), 1);
        let doc = trips_geojson(std::slice::from_ref(&analysis));
        assert_eq!(doc["type"], "FeatureCollection");
        let features = doc["features"].as_array().unwrap();
        assert_eq!(features.len(), 1);
        let line = features[0]["geometry"]["coordinates"].as_array().unwrap();
        assert_eq!(line.len(), analysis.trip_track(0).len());
        assert_eq!(line[0], json!([-74.0, 4.60]));
        assert_eq!(
            features[0]["properties"],
            serde_json::to_value(&analysis.trips[0]).unwrap()
        );
        let empty = trips_geojson(&[]);
        assert_eq!(empty["features"], json!([]));
    }

    #[test]
    fn stops_are_points_at_their_place_with_the_stop_as_properties() {
        let analysis = analyze("dev-01", &fixes(), &ReportOptions::default());
        assert!(!analysis.stops.is_empty());
        let doc = stops_geojson(&analysis.stops);
        let features = doc["features"].as_array().unwrap();
        assert_eq!(features.len(), analysis.stops.len());
        for (feature, stop) in features.iter().zip(&analysis.stops) {
            assert_eq!(feature["geometry"]["type"], "Point");
            assert_eq!(
                feature["geometry"]["coordinates"],
                json!([stop.longitude, stop.latitude])
            );
            assert_eq!(feature["properties"], serde_json::to_value(stop).unwrap());
        }
    }
}
