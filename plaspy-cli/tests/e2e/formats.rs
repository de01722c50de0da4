//! Every output format, parsed back: JSON into the models, NDJSON, CSV, GeoJSON and GPX.

use std::collections::BTreeMap;

use plaspy_blocking::{AlertEvent, Device, Group, Location, User};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::common::{Env, code, text};

fn ndjson<T: DeserializeOwned>(env: &Env, args: &[&str]) -> Vec<T> {
    let args = [args, &["--output", "ndjson"]].concat();
    env.stdout(&args)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{args:?}: {e}: {line}")))
        .collect()
}

/// The header and the records of a CSV output.
fn csv(env: &Env, args: &[&str]) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let args = [args, &["--output", "csv"]].concat();
    let out = env.stdout(&args);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{args:?}: bad CSV: {e}"));
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (headers, rows)
}

#[test]
fn json_is_the_default_when_piped() {
    let env = Env::new();
    let piped: Vec<Device> = env.json(&["devices", "list"]);
    let explicit: Vec<Device> = env.json(&["devices", "list", "--output", "json"]);
    assert_eq!(piped, explicit);
    // Global options go before or after the subcommand.
    let before: Vec<Device> = env.json(&["-o", "json", "devices", "list"]);
    assert_eq!(before, piped);
}

#[test]
fn devices_in_every_format() {
    let env = Env::new();
    let devices: Vec<Device> = env.json(&["devices", "list"]);
    assert_eq!(ndjson::<Device>(&env, &["devices", "list"]), devices);

    let (headers, rows) = csv(&env, &["devices", "list"]);
    assert_eq!(headers[..2], ["id", "name"]);
    assert_eq!(rows.len(), devices.len());
    for (row, device) in rows.iter().zip(&devices) {
        assert_eq!(row["id"], device.id());
        assert_eq!(row["name"], device.name.clone().unwrap_or_default());
    }

    let table = env.stdout(&["devices", "list", "--output", "table"]);
    assert_eq!(table.lines().count(), devices.len() + 1);
    assert!(
        table.lines().all(|l| l == l.trim_end()),
        "no trailing blanks"
    );
    let detail = env.stdout(&["devices", "get", devices[0].id(), "--output", "table"]);
    assert!(
        detail
            .lines()
            .any(|l| l.starts_with("ID") && l.ends_with(devices[0].id())),
        "{detail}"
    );
}

#[test]
fn locations_in_every_format() {
    let env = Env::new();
    let (from, to) = window(6);
    let base = [
        "devices",
        "locations",
        "dev-05",
        "--from",
        from.as_str(),
        "--to",
        to.as_str(),
    ];
    let track: Vec<Location> = env.json(&base);
    assert!(track.len() >= 2, "a track of {} fixes", track.len());
    assert_eq!(ndjson::<Location>(&env, &base), track);

    let (headers, rows) = csv(&env, &base);
    assert_eq!(headers[..3], ["dateTime", "latitude", "longitude"]);
    assert!(headers.contains(&"milleage".to_owned()));
    assert_eq!(rows.len(), track.len());
    for (row, fix) in rows.iter().zip(&track) {
        assert_eq!(
            row["dateTime"],
            plaspy_types::de::format_datetime(&fix.date_time)
        );
        assert_eq!(row["latitude"].parse::<f64>().unwrap(), fix.latitude);
        assert_eq!(row["longitude"].parse::<f64>().unwrap(), fix.longitude);
    }
}

/// An absolute range ending now, so that repeated runs ask for the same data.
fn window(hours: i64) -> (String, String) {
    let now = chrono::Utc::now();
    (
        (now - chrono::Duration::hours(hours)).to_rfc3339(),
        now.to_rfc3339(),
    )
}

#[test]
fn geojson_is_a_feature_collection() {
    let env = Env::new();
    let (from, to) = window(6);
    let args = [
        "devices",
        "locations",
        "dev-05",
        "--from",
        from.as_str(),
        "--to",
        to.as_str(),
    ];
    let track: Vec<Location> = env.json(&args);
    let doc: Value = env.json(&[&args[..], &["--output", "geojson"]].concat());
    assert_eq!(doc["type"], "FeatureCollection");
    let features = doc["features"].as_array().unwrap();
    assert_eq!(features.len(), track.len() + 1);
    let line = &features[0];
    assert_eq!(line["type"], "Feature");
    assert_eq!(line["geometry"]["type"], "LineString");
    let coords = line["geometry"]["coordinates"].as_array().unwrap();
    assert_eq!(coords.len(), track.len());
    assert_eq!(coords[0][0].as_f64().unwrap(), track[0].longitude);
    assert_eq!(coords[0][1].as_f64().unwrap(), track[0].latitude);
    for (feature, fix) in features[1..].iter().zip(&track) {
        assert_eq!(feature["geometry"]["type"], "Point");
        let back: Location = serde_json::from_value(feature["properties"].clone()).unwrap();
        assert_eq!(&back, fix);
    }
}

#[test]
fn gpx_is_gpx_1_1() {
    let env = Env::new();
    let (from, to) = window(6);
    let args = [
        "devices",
        "locations",
        "dev-05",
        "--from",
        from.as_str(),
        "--to",
        to.as_str(),
    ];
    let track: Vec<Location> = env.json(&args);
    let gpx = env.stdout(&[&args[..], &["--output", "gpx"]].concat());
    let doc = roxmltree::Document::parse(&gpx).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "gpx");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.topografix.com/GPX/1/1")
    );
    assert_eq!(root.attribute("version"), Some("1.1"));
    let tracks: Vec<_> = root.children().filter(|n| n.has_tag_name("trk")).collect();
    assert_eq!(tracks.len(), 1);
    let points: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("trkpt"))
        .collect();
    assert_eq!(points.len(), track.len());
    for (point, fix) in points.iter().zip(&track) {
        assert_eq!(
            point.attribute("lat").unwrap().parse::<f64>().unwrap(),
            fix.latitude
        );
        assert_eq!(
            point.attribute("lon").unwrap().parse::<f64>().unwrap(),
            fix.longitude
        );
        let time = point
            .children()
            .find(|n| n.has_tag_name("time"))
            .unwrap()
            .text()
            .unwrap();
        assert_eq!(
            time.parse::<chrono::DateTime<chrono::Utc>>().unwrap(),
            fix.date_time
        );
        assert!(point.children().all(|n| !n.has_tag_name("ele")));
    }
}

#[test]
fn track_formats_only_for_tracks() {
    let env = Env::new();
    for format in ["geojson", "gpx"] {
        let out = env.run(&["devices", "list", "--output", format]);
        assert_eq!(code(&out), 2, "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("not available"));
    }
}

#[test]
fn alerts_fleet_and_positions_in_csv_and_ndjson() {
    let env = Env::new();
    let (from, to) = window(48);
    let args = [
        "devices",
        "alerts",
        "dev-05",
        "--from",
        from.as_str(),
        "--to",
        to.as_str(),
    ];
    let alerts: Vec<AlertEvent> = env.json(&args);
    assert_eq!(ndjson::<AlertEvent>(&env, &args), alerts);
    let (headers, rows) = csv(&env, &args);
    assert_eq!(
        headers,
        [
            "dateTime",
            "latitude",
            "longitude",
            "alerts",
            "text",
            "notifications"
        ]
    );
    assert_eq!(rows.len(), alerts.len());

    let (headers, rows) = csv(&env, &["fleet"]);
    assert_eq!(headers[..3], ["id", "name", "dateTime"]);
    assert!(
        !headers.contains(&"age".to_owned()),
        "the age is for tables only"
    );
    let devices: Vec<Device> = env.json(&["devices", "list"]);
    assert_eq!(rows.len(), devices.len());
    assert!(
        rows.iter().any(|r| r["dateTime"].is_empty()),
        "devices without a position have empty cells"
    );
    let fleet: Vec<Value> = ndjson(&env, &["fleet"]);
    assert_eq!(fleet.len(), devices.len());
    let _: Device = serde_json::from_value(fleet[0]["device"].clone()).unwrap();

    let (headers, rows) = csv(&env, &["devices", "last-location", "dev-01", "dev-02"]);
    assert_eq!(headers[..2], ["deviceId", "dateTime"]);
    assert_eq!(
        rows.iter()
            .map(|r| r["deviceId"].as_str())
            .collect::<Vec<_>>(),
        ["dev-01", "dev-02"]
    );
}

#[test]
fn groups_users_and_references_in_every_format() {
    let env = Env::new();
    let groups: Vec<Group> = env.json(&["groups", "list"]);
    assert!(groups.len() >= 3);
    assert_eq!(ndjson::<Group>(&env, &["groups", "list"]), groups);
    let (_, rows) = csv(&env, &["groups", "list"]);
    assert_eq!(rows.len(), groups.len());
    assert_eq!(
        rows[0]["devices"],
        groups[0].devices.clone().unwrap_or_default().join("; ")
    );

    let users: Vec<User> = env.json(&["users", "list"]);
    assert!(!users.is_empty());
    assert_eq!(ndjson::<User>(&env, &["users", "list"]), users);
    let (headers, rows) = csv(&env, &["users", "list"]);
    assert!(headers.contains(&"email".to_owned()) && !headers.contains(&"password".to_owned()));
    assert_eq!(rows.len(), users.len());

    let countries: BTreeMap<String, String> = env.json(&["users", "countries"]);
    assert!(countries.contains_key("CO"));
    let (headers, rows) = csv(&env, &["users", "countries"]);
    assert_eq!(headers, ["code", "name"]);
    assert_eq!(rows.len(), countries.len());
    let zones: BTreeMap<String, String> = env.json(&["users", "time-zones"]);
    assert!(zones.contains_key("America/Bogota"));
    let lines: Vec<Value> = ndjson(&env, &["users", "time-zones"]);
    assert_eq!(lines.len(), zones.len());
    assert!(lines.iter().any(|l| l["code"] == "America/Bogota"));
}
