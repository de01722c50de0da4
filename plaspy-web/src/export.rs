//! Downloads: the fleet table as CSV, a track as GPX or GeoJSON.

use chrono::SecondsFormat;
use plaspy_blocking::Location;
use plaspy_fleet::export::{self, TrackFeatures};

use crate::view::{DeviceState, FleetView};

/// The fleet table as CSV: a header and one line per device, every device included.
/// Fields that a spreadsheet would read as a formula are prefixed with `'`.
pub(crate) fn fleet_csv(view: &FleetView) -> String {
    let mut out = String::new();
    line(
        &mut out,
        &[
            "id",
            "name",
            "description",
            "plate",
            "state",
            "last_report",
            "age_seconds",
            "speed_kmh",
            "latitude",
            "longitude",
            "error",
        ],
    );
    for row in &view.devices {
        let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        line(
            &mut out,
            &[
                &row.id,
                &row.name,
                row.description.as_deref().unwrap_or_default(),
                row.plate.as_deref().unwrap_or_default(),
                state_name(row.state),
                &row.last_report
                    .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
                    .unwrap_or_default(),
                &row.age_seconds.map(|a| a.to_string()).unwrap_or_default(),
                &num(row.speed),
                &num(row.latitude),
                &num(row.longitude),
                row.error.as_deref().unwrap_or_default(),
            ],
        );
    }
    out
}

fn state_name(state: DeviceState) -> &'static str {
    match state {
        DeviceState::Moving => "moving",
        DeviceState::Parked => "parked",
        DeviceState::Silent => "silent",
        DeviceState::NoPosition => "no position",
        DeviceState::Unknown => "unknown",
    }
}

fn line(out: &mut String, fields: &[&str]) {
    let cells: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// One CSV field: formula-looking text defused with `'` ([`export::formula_safe`]), quoted
/// when needed.
fn csv_field(text: &str) -> String {
    let defused = export::formula_safe(text);
    if defused.contains([',', '"', '\n', '\r']) || defused.trim() != defused {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused.into_owned()
    }
}

/// A track as a GeoJSON FeatureCollection: one LineString with the fix times and speeds.
pub(crate) fn track_geojson(id: &str, name: &str, fixes: &[Location]) -> String {
    let mut properties = serde_json::Map::new();
    properties.insert("deviceId".into(), id.into());
    properties.insert("name".into(), name.into());
    export::geojson_track(fixes, properties, TrackFeatures::Line).to_string()
}

/// A track as GPX 1.1: one `trk` with one segment.
pub(crate) fn track_gpx(name: &str, fixes: &[Location]) -> String {
    export::gpx_track(name, "plaspy dashboard", fixes)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("-74.1"), "-74.1");
        assert_eq!(csv_field(" pad"), "\" pad\"");
    }

    #[test]
    fn track_downloads_name_the_dashboard_and_the_device() {
        let fixes = [Location::new(
            "2030-01-01T00:00:00Z"
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap(),
            4.5,
            -74.0,
        )];
        let gpx = track_gpx("<script>", &fixes);
        assert!(gpx.contains("creator=\"plaspy dashboard\""));
        assert!(gpx.contains("<name>&lt;script&gt;</name>"));
        let geojson: serde_json::Value =
            serde_json::from_str(&track_geojson("d1", "<b>", &fixes)).unwrap();
        let line = &geojson["features"][0];
        assert_eq!(line["geometry"]["coordinates"], json!([[-74.0, 4.5]]));
        assert_eq!(line["properties"]["deviceId"], "d1");
        assert_eq!(line["properties"]["name"], "<b>");
        assert_eq!(line["properties"]["times"], json!(["2030-01-01T00:00:00Z"]));
    }
}
