//! Downloads: the fleet table as CSV, a track as GPX or GeoJSON.

use chrono::SecondsFormat;
use plaspy_blocking::Location;
use serde_json::json;

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

/// One CSV field: formula-looking text defused with `'`, quoted when needed.
fn csv_field(text: &str) -> String {
    let defused =
        if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.parse::<f64>().is_err() {
            format!("'{text}")
        } else {
            text.to_owned()
        };
    if defused.contains([',', '"', '\n', '\r']) || defused.trim() != defused {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// A track as a GeoJSON FeatureCollection: one LineString with the fix times.
pub(crate) fn track_geojson(id: &str, name: &str, fixes: &[Location]) -> String {
    let coordinates: Vec<[f64; 2]> = fixes.iter().map(|f| [f.longitude, f.latitude]).collect();
    let times: Vec<String> = fixes
        .iter()
        .map(|f| f.date_time.to_rfc3339_opts(SecondsFormat::Secs, true))
        .collect();
    let speeds: Vec<Option<f64>> = fixes.iter().map(|f| f.speed).collect();
    let value = json!({
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "properties": {"deviceId": id, "name": name, "times": times, "speeds": speeds},
            "geometry": {"type": "LineString", "coordinates": coordinates},
        }],
    });
    value.to_string()
}

/// A track as GPX 1.1: one `trk` with one segment.
pub(crate) fn track_gpx(name: &str, fixes: &[Location]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"plaspy dashboard\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\">\n<trk><name>",
    );
    out.push_str(&xml_escape(name));
    out.push_str("</name><trkseg>\n");
    for fix in fixes {
        out.push_str(&format!(
            "<trkpt lat=\"{}\" lon=\"{}\"><time>{}</time></trkpt>\n",
            fix.latitude,
            fix.longitude,
            fix.date_time.to_rfc3339_opts(SecondsFormat::Secs, true)
        ));
    }
    out.push_str("</trkseg></trk>\n</gpx>\n");
    out
}

/// Escapes text for XML content and attributes; drops characters XML 1.0 forbids.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
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
    fn gpx_escapes_names() {
        let fixes = [Location::new(
            "2030-01-01T00:00:00Z"
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap(),
            4.5,
            -74.0,
        )];
        let gpx = track_gpx("<script>&\u{1}", &fixes);
        assert!(gpx.contains("<name>&lt;script&gt;&amp;\u{FFFD}</name>"));
        assert!(gpx.contains("<trkpt lat=\"4.5\" lon=\"-74\"><time>2030-01-01T00:00:00Z</time>"));
        let geojson: serde_json::Value =
            serde_json::from_str(&track_geojson("d1", "<b>", &fixes)).unwrap();
        assert_eq!(
            geojson["features"][0]["geometry"]["coordinates"][0],
            json!([-74.0, 4.5])
        );
        assert_eq!(geojson["features"][0]["properties"]["name"], "<b>");
    }
}
