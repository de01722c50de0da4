//! Every refusal of a zones file names the file and the feature.

use crate::{ZoneShape, Zones, ZonesError};

const FILE: &str = "fleet/zones.geojson";

fn collection(features: &str) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
}

fn feature(properties: &str, geometry: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{properties},"geometry":{geometry}}}"#)
}

fn square(name: &str) -> String {
    feature(
        &format!(r#"{{"name":"{name}"}}"#),
        r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#,
    )
}

fn refused(text: &str) -> ZonesError {
    Zones::from_geojson(FILE, text).expect_err("the file is refused")
}

/// A file-level refusal: names the file, no feature, says `what`.
fn assert_file_error(text: &str, what: &str) {
    let err = refused(text);
    let message = err.to_string();
    assert!(
        message.starts_with(r#"zones file "fleet/zones.geojson": "#),
        "{message}"
    );
    assert_eq!(err.feature(), None, "{message}");
    assert!(message.contains(what), "{message:?} should say {what:?}");
}

/// A feature-level refusal: names the file, the feature's index and name, and says `what`.
fn assert_feature_error(text: &str, index: usize, name: Option<&str>, what: &str) {
    let err = refused(text);
    let message = err.to_string();
    let expected = match name {
        Some(name) => format!(r#"zones file "{FILE}": feature {index} ("{name}"): "#),
        None => format!(r#"zones file "{FILE}": feature {index}: "#),
    };
    assert!(
        message.starts_with(&expected),
        "{message:?} should start with {expected:?}"
    );
    assert_eq!(err.file(), FILE);
    assert_eq!(err.feature(), Some(index));
    assert_eq!(err.feature_name(), name);
    assert!(message.contains(what), "{message:?} should say {what:?}");
}

#[test]
fn a_good_file_reads_every_kind_of_zone_and_keeps_properties() {
    let text = collection(&[
        square("square"),
        feature(
            r#"{"name":"depot","radius":250.5,"colour":"red"}"#,
            r#"{"type":"Point","coordinates":[-74.05,4.65,2600]}"#,
        ),
        feature(
            r#"{"name":"islands"}"#,
            r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}"#,
        ),
    ]
    .join(","));
    // A byte order mark is allowed.
    let zones = Zones::from_geojson(FILE, &format!("\u{feff}{text}")).unwrap();
    assert_eq!(zones.len(), 3);
    let depot = zones.get("depot").unwrap();
    assert_eq!(
        depot.shape(),
        &ZoneShape::Circle {
            latitude: 4.65,
            longitude: -74.05,
            radius_m: 250.5
        }
    );
    assert_eq!(depot.properties()["colour"], "red");
    let ZoneShape::Area(islands) = zones.get("islands").unwrap().shape() else {
        panic!("an area");
    };
    assert_eq!(islands.0.len(), 2);
    assert!(Zones::from_geojson_bytes(FILE, text.as_bytes()).is_ok());
}

#[test]
fn not_json() {
    assert_file_error("{\"type\": ", "not JSON");
    assert_file_error("", "not JSON");
    // A number beyond f64 is not JSON serde can read: no infinite radius gets through.
    assert_file_error(
        &collection(&feature(
            r#"{"name":"huge","radius":1e999}"#,
            r#"{"type":"Point","coordinates":[0,0]}"#,
        )),
        "not JSON",
    );
    let err = Zones::from_geojson_bytes(FILE, b"{\"type\":\"\xff\"}").unwrap_err();
    assert!(err.to_string().contains("not UTF-8"), "{err}");
    assert!(err.to_string().contains(FILE), "{err}");
}

#[test]
fn not_geojson() {
    assert_file_error("[1, 2]", "not GeoJSON");
    assert_file_error(r#"{"features": []}"#, "not GeoJSON: no \"type\"");
    assert_file_error(
        r#"{"type": "Topology"}"#,
        "not GeoJSON: unknown \"type\" \"Topology\"",
    );
}

#[test]
fn not_a_feature_collection() {
    assert_file_error(
        &square("one"),
        "not a FeatureCollection: the file is a GeoJSON Feature",
    );
    assert_file_error(
        r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
        "GeoJSON Polygon",
    );
    assert_file_error(r#"{"type":"FeatureCollection"}"#, "no \"features\" array");
    assert_file_error(
        r#"{"type":"FeatureCollection","features":{}}"#,
        "no \"features\" array",
    );
    assert_file_error(&collection(""), "has no features");
}

#[test]
fn a_feature_that_is_not_a_feature() {
    let text = collection(&format!("{},42", square("a")));
    assert_feature_error(&text, 1, None, "not a GeoJSON Feature");
    let text = collection(r#"{"type":"Point","coordinates":[0,0],"properties":{"name":"p"}}"#);
    assert_feature_error(&text, 0, Some("p"), "not a GeoJSON Feature");
    // A malformed geometry is the feature's fault, and the message still names it.
    let text = collection(&feature(
        r#"{"name":"bent"}"#,
        r#"{"type":"Polygon","coordinates":"x"}"#,
    ));
    assert_feature_error(&text, 0, Some("bent"), "not a GeoJSON Feature");
}

#[test]
fn another_geometry_type() {
    for (geometry, kind) in [
        (
            r#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#,
            "a LineString",
        ),
        (
            r#"{"type":"MultiPoint","coordinates":[[0,0]]}"#,
            "a MultiPoint",
        ),
        (
            r#"{"type":"GeometryCollection","geometries":[]}"#,
            "a GeometryCollection",
        ),
    ] {
        let text = collection(&feature(r#"{"name":"odd"}"#, geometry));
        assert_feature_error(&text, 0, Some("odd"), &format!("{kind} cannot be a zone"));
    }
    let text = collection(&feature(r#"{"name":"void"}"#, "null"));
    assert_feature_error(&text, 0, Some("void"), "no geometry");
}

#[test]
fn a_missing_bad_or_duplicate_name() {
    let geometry = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#;
    let text = collection(&format!("{},{}", square("a"), feature("{}", geometry)));
    assert_feature_error(&text, 1, None, "no \"name\" property");
    let text = collection(&feature("null", geometry));
    assert_feature_error(&text, 0, None, "no \"name\" property");
    let text = collection(&feature(r#"{"name":7}"#, geometry));
    assert_feature_error(&text, 0, None, "\"name\" property must be a string");
    let text = collection(&feature(r#"{"name":"  "}"#, geometry));
    assert_feature_error(&text, 0, Some("  "), "\"name\" property is empty");
    let text = collection(&[square("a"), square("b"), square("a")].join(","));
    assert_feature_error(&text, 2, Some("a"), "already used by feature 0");
}

#[test]
fn a_bad_radius() {
    let point = r#"{"type":"Point","coordinates":[-74,4.6]}"#;
    let text = collection(&feature(r#"{"name":"c"}"#, point));
    assert_feature_error(
        &text,
        0,
        Some("c"),
        "needs a \"radius\" property, in metres",
    );
    for (radius, shown) in [
        ("0", "0"),
        ("-5", "-5"),
        ("\"100\"", "\"100\""),
        ("true", "true"),
    ] {
        let text = collection(&feature(
            &format!(r#"{{"name":"c","radius":{radius}}}"#),
            point,
        ));
        assert_feature_error(
            &text,
            0,
            Some("c"),
            &format!("\"radius\" must be a positive number of metres, not {shown}"),
        );
    }
}

#[test]
fn short_or_open_rings() {
    let text = collection(&feature(
        r#"{"name":"tri"}"#,
        r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#,
    ));
    assert_feature_error(
        &text,
        0,
        Some("tri"),
        "the outer ring has 3 positions; a ring needs at least 4",
    );
    let text = collection(&feature(
        r#"{"name":"open"}"#,
        r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#,
    ));
    assert_feature_error(&text, 0, Some("open"), "the outer ring is not closed");
    let text = collection(&feature(
        r#"{"name":"holed"}"#,
        r#"{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,1],[1,1]]]}"#,
    ));
    assert_feature_error(&text, 0, Some("holed"), "hole 0 has 3 positions");
    let text = collection(&feature(
        r#"{"name":"multi"}"#,
        r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,6]]]]}"#,
    ));
    assert_feature_error(
        &text,
        0,
        Some("multi"),
        "the outer ring of polygon 1 is not closed",
    );
    let text = collection(&feature(
        r#"{"name":"none"}"#,
        r#"{"type":"Polygon","coordinates":[]}"#,
    ));
    assert_feature_error(&text, 0, Some("none"), "the polygon has no rings");
    let text = collection(&feature(
        r#"{"name":"none"}"#,
        r#"{"type":"MultiPolygon","coordinates":[]}"#,
    ));
    assert_feature_error(&text, 0, Some("none"), "the MultiPolygon has no polygons");
}

#[test]
fn coordinates_out_of_range() {
    let text = collection(&feature(
        r#"{"name":"east"}"#,
        r#"{"type":"Polygon","coordinates":[[[0,0],[181,0],[1,1],[0,0]]]}"#,
    ));
    assert_feature_error(
        &text,
        0,
        Some("east"),
        "position 1 of the outer ring [181, 0] is out of range",
    );
    let text = collection(&feature(
        r#"{"name":"south","radius":10}"#,
        r#"{"type":"Point","coordinates":[0,-91]}"#,
    ));
    assert_feature_error(
        &text,
        0,
        Some("south"),
        "the point [0, -91] is out of range",
    );
    let text = collection(&feature(
        r#"{"name":"flat","radius":10}"#,
        r#"{"type":"Point","coordinates":[]}"#,
    ));
    assert_feature_error(&text, 0, Some("flat"), "two or more elements");
}

#[test]
fn a_refusal_converts_to_an_invalid_input_error() {
    let err: plaspy_types::Error = refused("nope").into();
    assert!(matches!(err, plaspy_types::Error::InvalidInput { .. }));
    assert!(err.to_string().contains(FILE), "{err}");
}

#[test]
fn control_characters_in_a_name_are_escaped_in_the_message() {
    let text = collection(&[square(r"a\u001b[2J"), square(r"a\u001b[2J")].join(","));
    let message = refused(&text).to_string();
    assert!(!message.contains('\u{1b}'), "{message:?}");
    assert!(message.contains(r"a\u{1b}[2J"), "{message:?}");
}
