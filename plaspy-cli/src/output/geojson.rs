//! GeoJSON (RFC 7946) for a device's track.

use chrono::{DateTime, Utc};
use plaspy_blocking::Location;
use plaspy_types::de::format_datetime;
use serde_json::{Value, json};

/// A FeatureCollection: first a LineString of the whole track (when it has at least two
/// fixes), then one Point per fix whose properties are the fix itself (the `Location`
/// model, so they parse back into it).
pub fn track(device_id: &str, from: DateTime<Utc>, to: DateTime<Utc>, fixes: &[Location]) -> Value {
    let mut features = Vec::with_capacity(fixes.len() + 1);
    if fixes.len() >= 2 {
        let line: Vec<Value> = fixes.iter().map(position).collect();
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": line},
            "properties": {
                "deviceId": device_id,
                "from": format_datetime(&from),
                "to": format_datetime(&to),
                "fixes": fixes.len(),
            },
        }));
    }
    for fix in fixes {
        let properties = serde_json::to_value(fix).unwrap_or(Value::Null);
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": position(fix)},
            "properties": properties,
        }));
    }
    json!({"type": "FeatureCollection", "features": features})
}

/// `[longitude, latitude]`, GeoJSON's order.
fn position(fix: &Location) -> Value {
    json!([fix.longitude, fix.latitude])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_then_points() {
        let t: DateTime<Utc> = "2024-06-01T08:00:00Z".parse().unwrap();
        let fixes = vec![Location::new(t, 4.6, -74.1), Location::new(t, 4.7, -74.2)];
        let doc = track("d1", t, t, &fixes);
        let features = doc["features"].as_array().unwrap();
        assert_eq!(features.len(), 3);
        assert_eq!(
            features[0]["geometry"]["coordinates"][1],
            json!([-74.2, 4.7])
        );
        assert_eq!(features[1]["geometry"]["type"], "Point");
        let back: Location = serde_json::from_value(features[2]["properties"].clone()).unwrap();
        assert_eq!(back, fixes[1]);
        assert_eq!(
            track("d1", t, t, &fixes[..1])["features"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}
