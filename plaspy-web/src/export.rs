//! Downloads: the fleet table as CSV, a track as GPX or GeoJSON, all written by the fleet
//! domain's exports ([`plaspy_fleet::export`]).

use chrono::SecondsFormat;
use plaspy_async::Location;
use plaspy_fleet::export::{self, TrackFeatures};

use crate::view::{FleetRow, FleetView};

/// The columns of the fleet CSV.
const FLEET_COLUMNS: [&str; 11] = [
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
];

/// The fleet table as CSV (the `csv` crate's RFC 4180 quoting, `\r\n` line ends): a header
/// and one line per device, every device included. Text from the API goes through the
/// formula guard ([`export::formula_safe`]); numbers and states are written as they are.
pub(crate) fn fleet_csv(view: &FleetView) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = out.write_record(FLEET_COLUMNS);
    for row in &view.devices {
        let _ = out.write_record(fleet_record(row));
    }
    out.into_inner().unwrap_or_default()
}

/// One device's cells, in the order of [`FLEET_COLUMNS`].
fn fleet_record(row: &FleetRow) -> [String; 11] {
    let text = |t: Option<&str>| export::formula_safe(t.unwrap_or_default()).into_owned();
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    [
        text(Some(&row.id)),
        text(Some(&row.name)),
        text(row.description.as_deref()),
        text(row.plate.as_deref()),
        row.state.as_str().to_owned(),
        row.last_report
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
            .unwrap_or_default(),
        row.age_seconds.map(|a| a.to_string()).unwrap_or_default(),
        num(row.speed),
        num(row.latitude),
        num(row.longitude),
        text(row.error.as_deref()),
    ]
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
    use chrono::{DateTime, Utc};
    use plaspy_async::Error;
    use plaspy_fleet::{FleetEntry, Thresholds};
    use serde_json::json;

    use super::*;
    use crate::view::fleet_view;

    fn device(id: &str, name: &str, description: &str) -> plaspy_async::Device {
        let mut device = plaspy_async::Device::default();
        device.id = Some(id.into());
        device.name = Some(name.into());
        device.description = Some(description.into());
        device
    }

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        let now: DateTime<Utc> = "2030-01-01T00:00:00Z".parse().unwrap();
        let mut fix = Location::new(now, -4.5, -74.1);
        fix.speed = Some(-0.0);
        let view = fleet_view(
            &[
                FleetEntry::new(
                    device("d1", "=HYPERLINK(\"x\")", "a,b\r\nsay \"hi\""),
                    Ok(Some(fix)),
                ),
                FleetEntry::new(device("d2", "@SUM(A1)", " pad"), Ok(None)),
                FleetEntry::new(device("-1", "+cmd", ""), Err(Error::invalid_input("=1"))),
            ],
            now,
            &Thresholds::default(),
        );
        let bytes = fleet_csv(&view);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("id,name,description,plate,state,"));
        assert!(text.contains("\r\n"));
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[0][1], "'=HYPERLINK(\"x\")");
        assert_eq!(&rows[0][2], "a,b\r\nsay \"hi\"");
        assert_eq!(&rows[0][4], "parked");
        assert_eq!(&rows[0][8], "-4.5");
        assert_eq!(&rows[1][1], "'@SUM(A1)");
        assert_eq!(&rows[1][2], " pad");
        assert_eq!(&rows[1][4], "noPosition");
        assert_eq!(&rows[2][0], "-1", "a plain number is not a formula");
        assert_eq!(&rows[2][1], "'+cmd");
        assert_eq!(&rows[2][4], "unknown");
        assert!(rows[2][10].contains("=1") && !rows[2][10].starts_with('='));
    }

    #[test]
    fn track_downloads_name_the_dashboard_and_the_device() {
        let fixes = [Location::new(
            "2030-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap(),
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
