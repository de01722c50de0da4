//! Track and table exports shared by the `plaspy` CLI and the web dashboard: GPX 1.1 and
//! GeoJSON (RFC 7946) documents of a track, GeoJSON of the reports' trips and stops
//! ([`trips_geojson`], [`stops_geojson`]), and the spreadsheet-formula guard for CSV text
//! cells. Pure functions, no I/O: they return the document and the caller writes it.
//!
//! GPX is hand-written: the document is a fixed shape of four elements with numbers, times
//! and escaped text; the `gpx` crate would bring `geo-types` and an XML stack for that, and
//! the end-to-end tests parse the output with a real XML parser. Every text value in it
//! goes through [`xml_escape`]. Times are RFC 3339 in UTC with `Z`, to the precision of the
//! fix (so they parse back to the same instant).

mod reports;

pub use reports::{stops_geojson, trips_geojson};

use std::borrow::Cow;
use std::fmt::Write as _;

use plaspy_types::Location;
use plaspy_types::de::format_datetime;
use serde_json::{Map, Value, json};

/// Escapes text for XML content and attributes. Characters XML 1.0 cannot hold (C0
/// controls other than tab, line feed and carriage return, U+FFFE, U+FFFF) become U+FFFD,
/// so the attempt stays visible.
///
/// ```
/// use plaspy_fleet::export::xml_escape;
///
/// assert_eq!(xml_escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}");
/// ```
pub fn xml_escape(text: &str) -> String {
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

/// A GPX 1.1 document with one track named `name`, written by `creator`: one segment with
/// one `trkpt` per fix, in the order given, with its time (no elevation: the API has none).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use plaspy_fleet::export::gpx_track;
/// use plaspy_types::Location;
///
/// let t = Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
/// let gpx = gpx_track("truck <7>", "plaspy", &[Location::new(t, 4.5, -74.25)]);
/// assert!(gpx.contains("<name>truck &lt;7&gt;</name>"));
/// assert!(gpx.contains(r#"<trkpt lat="4.5" lon="-74.25"><time>2024-06-01T08:00:00Z</time></trkpt>"#));
/// ```
pub fn gpx_track(name: &str, creator: &str, fixes: &[Location]) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<gpx version=\"1.1\" creator=\"{}\" xmlns=\"http://www.topografix.com/GPX/1/1\">",
        xml_escape(creator)
    );
    let _ = writeln!(
        out,
        "  <trk>\n    <name>{}</name>\n    <trkseg>",
        xml_escape(name)
    );
    for fix in fixes {
        let _ = writeln!(
            out,
            "      <trkpt lat=\"{}\" lon=\"{}\"><time>{}</time></trkpt>",
            fix.latitude,
            fix.longitude,
            format_datetime(&fix.date_time)
        );
    }
    out.push_str("    </trkseg>\n  </trk>\n</gpx>\n");
    out
}

/// The features of a GeoJSON track ([`geojson_track`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackFeatures {
    /// A LineString of the whole track (only when it has at least two fixes, as RFC 7946
    /// requires), then one Point per fix whose properties are the fix itself (the
    /// [`Location`] model, so they parse back into it). The line's properties are the
    /// caller's.
    LineAndPoints,
    /// Only a LineString of the whole track, always present (whatever the number of
    /// fixes), whose properties are the caller's followed by `times` (each fix's time)
    /// and `speeds` (each fix's speed or `null`), in the order of the coordinates.
    Line,
}

/// A GeoJSON FeatureCollection of a track. Coordinates are `[longitude, latitude]`,
/// GeoJSON's order; `properties` go on the LineString feature (see [`TrackFeatures`]).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use plaspy_fleet::export::{TrackFeatures, geojson_track};
/// use plaspy_types::Location;
/// use serde_json::{Map, json};
///
/// let t = Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
/// let fixes = [Location::new(t, 4.6, -74.1), Location::new(t, 4.7, -74.2)];
/// let mut properties = Map::new();
/// properties.insert("deviceId".into(), json!("d1"));
/// let doc = geojson_track(&fixes, properties, TrackFeatures::Line);
/// assert_eq!(doc["features"][0]["geometry"]["coordinates"][1], json!([-74.2, 4.7]));
/// assert_eq!(doc["features"][0]["properties"]["deviceId"], "d1");
/// assert_eq!(doc["features"][0]["properties"]["times"][0], "2024-06-01T08:00:00Z");
/// ```
pub fn geojson_track(
    fixes: &[Location],
    mut properties: Map<String, Value>,
    features: TrackFeatures,
) -> Value {
    let line: Vec<Value> = fixes.iter().map(position).collect();
    let mut out = Vec::with_capacity(fixes.len() + 1);
    match features {
        TrackFeatures::LineAndPoints => {
            if fixes.len() >= 2 {
                out.push(feature(
                    json!({"type": "LineString", "coordinates": line}),
                    properties,
                ));
            }
            for fix in fixes {
                let properties = serde_json::to_value(fix).unwrap_or(Value::Null);
                out.push(json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": position(fix)},
                    "properties": properties,
                }));
            }
        }
        TrackFeatures::Line => {
            let times: Vec<String> = fixes
                .iter()
                .map(|f| format_datetime(&f.date_time))
                .collect();
            let speeds: Vec<Option<f64>> = fixes.iter().map(|f| f.speed).collect();
            properties.insert("times".to_owned(), json!(times));
            properties.insert("speeds".to_owned(), json!(speeds));
            out.push(feature(
                json!({"type": "LineString", "coordinates": line}),
                properties,
            ));
        }
    }
    json!({"type": "FeatureCollection", "features": out})
}

/// A Feature of `geometry` with `properties`.
fn feature(geometry: Value, properties: Map<String, Value>) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}

/// `[longitude, latitude]`, GeoJSON's order.
fn position(fix: &Location) -> Value {
    json!([fix.longitude, fix.latitude])
}

/// A CSV text cell that no spreadsheet runs as a formula (CSV injection): `'` in front of
/// text starting with `=`, `+`, `-`, `@`, a tab or a carriage return, unless the text is a
/// plain decimal number (`[+-]digits[.digits]`, in which no formula can hide). Spreadsheets
/// show the `'` cell as text; strip the leading `'` to get the text back. Quoting the cell
/// is the CSV writer's job.
///
/// ```
/// use plaspy_fleet::export::formula_safe;
///
/// assert_eq!(formula_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(formula_safe("-12.5"), "-12.5");
/// assert_eq!(formula_safe("plain"), "plain");
/// ```
pub fn formula_safe(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !plain_number(text) => {
            Cow::Owned(format!("'{text}"))
        }
        _ => Cow::Borrowed(text),
    }
}

/// Whether `text` is `[+-]digits[.digits]`.
fn plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn escapes() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1}\u{FFFE}\t"),
            "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}\u{FFFD}\t"
        );
    }

    #[test]
    fn gpx_points_in_order() {
        let t = at("2024-06-01T08:00:00Z");
        let fixes = [
            Location::new(t, 4.5, -74.25),
            Location::new(at("2024-06-01T08:00:01.250Z"), 4.6, -74.0),
        ];
        let gpx = gpx_track("<script>&\u{1}", "plaspy \"x\"", &fixes);
        assert!(gpx.contains("<name>&lt;script&gt;&amp;\u{FFFD}</name>"));
        assert!(gpx.contains("creator=\"plaspy &quot;x&quot;\""));
        let first = gpx
            .find("<trkpt lat=\"4.5\" lon=\"-74.25\"><time>2024-06-01T08:00:00Z</time></trkpt>")
            .unwrap();
        let second = gpx
            .find("<trkpt lat=\"4.6\" lon=\"-74\"><time>2024-06-01T08:00:01.250Z</time></trkpt>")
            .unwrap();
        assert!(first < second);
        assert!(!gpx.contains("<ele>"));
    }

    #[test]
    fn geojson_line_then_points() {
        let t = at("2024-06-01T08:00:00Z");
        let fixes = vec![Location::new(t, 4.6, -74.1), Location::new(t, 4.7, -74.2)];
        let mut properties = Map::new();
        properties.insert("deviceId".into(), json!("d1"));
        let doc = geojson_track(&fixes, properties.clone(), TrackFeatures::LineAndPoints);
        let features = doc["features"].as_array().unwrap();
        assert_eq!(features.len(), 3);
        assert_eq!(features[0]["geometry"]["type"], "LineString");
        assert_eq!(
            features[0]["geometry"]["coordinates"][1],
            json!([-74.2, 4.7])
        );
        assert_eq!(features[0]["properties"], json!({"deviceId": "d1"}));
        assert_eq!(features[1]["geometry"]["type"], "Point");
        let back: Location = serde_json::from_value(features[2]["properties"].clone()).unwrap();
        assert_eq!(back, fixes[1]);
        let one = geojson_track(&fixes[..1], properties, TrackFeatures::LineAndPoints);
        assert_eq!(one["features"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn geojson_line_only() {
        let t = at("2030-01-01T00:00:00Z");
        let mut fix = Location::new(t, 4.5, -74.0);
        fix.speed = Some(12.5);
        let mut properties = Map::new();
        properties.insert("deviceId".into(), json!("d1"));
        properties.insert("name".into(), json!("<b>"));
        let doc = geojson_track(&[fix], properties, TrackFeatures::Line);
        let features = doc["features"].as_array().unwrap();
        assert_eq!(features.len(), 1);
        assert_eq!(
            features[0]["geometry"]["coordinates"],
            json!([[-74.0, 4.5]])
        );
        assert_eq!(
            features[0]["properties"],
            json!({"deviceId": "d1", "name": "<b>", "times": ["2030-01-01T00:00:00Z"], "speeds": [12.5]})
        );
        let empty = geojson_track(&[], Map::new(), TrackFeatures::Line);
        assert_eq!(empty["features"][0]["geometry"]["coordinates"], json!([]));
    }

    #[test]
    fn formulas_are_neutralised() {
        for text in [
            "=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\r=1", "-", "+", "=-1", "-inf", "+1e5",
        ] {
            assert_eq!(formula_safe(text), format!("'{text}"), "{text:?}");
        }
        for text in ["plain", "", "12", "-12.5", "+57", "a=b", " =1", "'=1"] {
            assert_eq!(formula_safe(text), text, "{text:?}");
        }
    }
}
