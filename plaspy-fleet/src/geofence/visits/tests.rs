//! The visit rules, one test each.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use plaspy_types::Location;
use serde_json::json;

use super::*;

/// Two zones side by side on the equator and one polygon that covers the first:
/// - `a`: circle of 1 km around (0, 0);
/// - `b`: circle of 1 km around (0, 0.1) (11 km east);
/// - `box`: the square lon [-0.05, 0.05] × lat [-0.05, 0.05].
fn zones() -> Zones {
    Zones::from_geojson(
        "t.geojson",
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"a","radius":1000},
           "geometry":{"type":"Point","coordinates":[0,0]}},
          {"type":"Feature","properties":{"name":"b","radius":1000},
           "geometry":{"type":"Point","coordinates":[0.1,0]}},
          {"type":"Feature","properties":{"name":"box"},"geometry":{"type":"Polygon",
           "coordinates":[[[-0.05,-0.05],[0.05,-0.05],[0.05,0.05],[-0.05,0.05],[-0.05,-0.05]]]}}]}"#,
    )
    .unwrap()
}

fn t(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap() + TimeDelta::minutes(min)
}

/// A fix at minute `min` at longitude `lon` on the equator.
fn at(min: i64, lon: f64) -> Fix {
    Fix::new(t(min), 0.0, lon, None)
}

/// (zone, enter minute, exit minute, starts inside, crossing) of each visit.
fn summary(visits: &[Visit]) -> Vec<(&str, i64, Option<i64>, bool, bool)> {
    let minute = |time: DateTime<Utc>| (time - t(0)).num_minutes();
    visits
        .iter()
        .map(|v| {
            (
                v.geofence.as_str(),
                minute(v.enter),
                v.exit.map(minute),
                v.starts_inside,
                v.crossing,
            )
        })
        .collect()
}

fn plain(fixes: &[Fix]) -> Vec<Visit> {
    visits(
        "dev-01",
        fixes.iter().copied(),
        &zones(),
        &VisitOptions::default(),
    )
}

fn crossing(fixes: &[Fix]) -> Vec<Visit> {
    let options = VisitOptions::default().with_crossing(true);
    visits("dev-01", fixes.iter().copied(), &zones(), &options)
}

#[test]
fn a_visit_runs_from_the_first_fix_inside_to_the_first_fix_outside() {
    let found = plain(&[at(0, 0.2), at(10, 0.1), at(20, 0.1001), at(30, 0.2)]);
    assert_eq!(summary(&found), [("b", 10, Some(30), false, false)]);
    assert_eq!(found[0].duration_seconds, Some(20 * 60));
    assert_eq!(found[0].device_id, "dev-01");
}

#[test]
fn leaving_and_coming_back_is_two_visits() {
    let found = plain(&[at(0, 0.2), at(1, 0.1), at(2, 0.2), at(3, 0.1), at(4, 0.2)]);
    assert_eq!(
        summary(&found),
        [
            ("b", 1, Some(2), false, false),
            ("b", 3, Some(4), false, false)
        ]
    );
}

#[test]
fn a_visit_open_at_either_end_is_flagged() {
    let found = plain(&[at(0, 0.1), at(5, 0.2), at(10, 0.1)]);
    assert_eq!(
        summary(&found),
        [
            ("b", 0, Some(5), true, false),
            ("b", 10, None, false, false)
        ]
    );
    assert_eq!(found[1].duration_seconds, None);
    // One fix inside: a visit open at both ends.
    assert_eq!(
        summary(&plain(&[at(0, 0.1)])),
        [("b", 0, None, true, false)]
    );
    assert!(plain(&[]).is_empty());
}

#[test]
fn overlapping_zones_have_their_own_visits_in_file_order_on_ties() {
    // 0.0 is in `a` and `box`; 0.03 in `box` only; 0.2 in none.
    let found = plain(&[at(0, 0.2), at(1, 0.0), at(2, 0.03), at(3, 0.2)]);
    assert_eq!(
        summary(&found),
        [
            ("a", 1, Some(2), false, false),
            ("box", 1, Some(3), false, false)
        ]
    );
}

#[test]
fn fixes_out_of_order_or_without_a_position_are_skipped() {
    let found = plain(&[
        at(0, 0.2),
        at(10, 0.1),
        at(5, 0.2),                           // earlier than the fix before: skipped
        Fix::new(t(15), f64::NAN, 0.0, None), // no position: tells nothing
        Fix::new(t(16), 0.0, 190.0, None),    // out of range: same
        at(20, 0.1),
        at(30, 0.2),
    ]);
    assert_eq!(summary(&found), [("b", 10, Some(30), false, false)]);
    // The first fix with a position is the start of the data for zones.
    let found = plain(&[Fix::new(t(0), f64::NAN, 0.0, None), at(1, 0.1), at(2, 0.2)]);
    assert_eq!(summary(&found), [("b", 1, Some(2), true, false)]);
}

#[test]
fn fixes_at_the_same_time_are_taken_in_order() {
    let found = plain(&[at(0, 0.2), at(1, 0.1), at(1, 0.2)]);
    assert_eq!(summary(&found), [("b", 1, Some(1), false, false)]);
    assert_eq!(found[0].duration_seconds, Some(0));
}

#[test]
fn a_path_through_a_zone_between_two_outside_fixes_is_a_crossing() {
    // From 0.2 to -0.2 the path goes through `b`, `box` and `a`.
    let fixes = [at(0, 0.2), at(10, -0.2), at(20, -0.3)];
    assert!(plain(&fixes).is_empty());
    assert_eq!(
        summary(&crossing(&fixes)),
        [
            ("a", 0, Some(10), false, true),
            ("b", 0, Some(10), false, true),
            ("box", 0, Some(10), false, true),
        ]
    );
    assert_eq!(crossing(&fixes)[0].duration_seconds, Some(600));
}

#[test]
fn no_crossing_when_either_fix_is_inside_that_zone() {
    // 0.2 → 0.0 enters `a` and `box` (real visits) and crosses `b` on the way.
    let found = crossing(&[at(0, 0.2), at(10, 0.0), at(20, 0.0)]);
    assert_eq!(
        summary(&found),
        [
            ("b", 0, Some(10), false, true),
            ("a", 10, None, false, false),
            ("box", 10, None, false, false),
        ]
    );
    // Inside `box` all along, from 0.04 to -0.04 through `a`: a crossing of `a` only.
    let found = crossing(&[at(0, 0.04), at(10, -0.04)]);
    assert_eq!(
        summary(&found),
        [
            ("a", 0, Some(10), false, true),
            ("box", 0, None, true, false)
        ]
    );
}

#[test]
fn a_path_that_misses_the_zone_is_no_crossing() {
    // North of everything: latitude 0.1 (11 km) from 0.2 to -0.2.
    let found = crossing(&[
        Fix::new(t(0), 0.1, 0.2, None),
        Fix::new(t(10), 0.1, -0.2, None),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn locations_are_accepted_as_they_come() {
    let fixes = [
        Location::new(t(0), 0.0, 0.2),
        Location::new(t(1), 0.0, 0.1),
        Location::new(t(2), 0.0, 0.2),
    ];
    let found = visits("dev-02", &fixes, &zones(), &VisitOptions::default());
    assert_eq!(summary(&found), [("b", 1, Some(2), false, false)]);
}

#[test]
fn serialised_in_camel_case() {
    let found = crossing(&[at(0, 0.2), at(10, 0.1), at(20, 0.2), at(30, 0.1)]);
    assert_eq!(
        serde_json::to_value(&found).unwrap(),
        json!([
            {"deviceId": "dev-01", "geofence": "b", "enter": "2024-06-01T08:10:00Z",
             "exit": "2024-06-01T08:20:00Z", "durationSeconds": 600,
             "startsInside": false, "crossing": false},
            {"deviceId": "dev-01", "geofence": "b", "enter": "2024-06-01T08:30:00Z",
             "exit": null, "durationSeconds": null, "startsInside": false, "crossing": false},
        ])
    );
    let back: Vec<Visit> = serde_json::from_value(serde_json::to_value(&found).unwrap()).unwrap();
    assert_eq!(back, found);
}

#[test]
fn current_zones_of_a_last_fix() {
    let zones = zones();
    let last = Location::new(t(0), 0.0, 0.0);
    assert_eq!(current_zones(&zones, Some(&last)), ["a", "box"]);
    let nowhere = Location::new(t(0), 0.0, 0.5);
    assert!(current_zones(&zones, Some(&nowhere)).is_empty());
    let bad = Location::new(t(0), f64::NAN, 0.0);
    assert!(current_zones(&zones, Some(&bad)).is_empty());
}
