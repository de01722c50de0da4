//! The event rules, one test each, and the property that the events agree with the visits.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::{VisitOptions, visits};

/// `a`: circle of 1 km around (0, 0); `b`: circle of 1 km around (0, 0.1); `box`: the square
/// ±0.05° around (0, 0).
fn zones() -> Arc<Zones> {
    Arc::new(
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
        .unwrap(),
    )
}

fn t(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap() + TimeDelta::minutes(min)
}

fn at(min: i64, lon: f64) -> Fix {
    Fix::new(t(min), 0.0, lon, None)
}

fn moving(min: i64, speed: Option<f64>) -> Fix {
    Fix::new(t(min), 4.6, -74.0, speed)
}

fn zone_engine() -> EventEngine {
    EventEngine::new(EventRules::default().with_zones(zones()))
}

fn speed_engine() -> EventEngine {
    EventEngine::new(EventRules::default().with_overspeed_kmh(80.0))
}

/// "name zone minute" of each event, for short assertions.
fn names(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            let minute = (e.time() - t(0)).num_minutes();
            match e {
                Event::GeofenceEnter { geofence, .. } | Event::GeofenceExit { geofence, .. } => {
                    format!("{} {geofence} {minute}", e.name())
                }
                _ => format!("{} {minute}", e.name()),
            }
        })
        .collect()
}

#[test]
fn the_first_fix_is_the_initial_state_even_inside_a_zone() {
    let mut engine = zone_engine();
    assert!(engine.fix("d", at(0, 0.0)).is_empty());
    assert_eq!(engine.state().device("d").unwrap().zones(), ["a", "box"]);
    assert_eq!(
        names(&engine.fix("d", at(5, 0.2))),
        ["geofenceExit a 5", "geofenceExit box 5"]
    );
}

#[test]
fn enter_and_exit_at_the_fix_time_exits_first() {
    let mut engine = zone_engine();
    engine.fix("d", at(0, 0.2));
    assert_eq!(names(&engine.fix("d", at(1, 0.1))), ["geofenceEnter b 1"]);
    assert!(engine.fix("d", at(2, 0.1001)).is_empty(), "still inside");
    // Straight from `b` into `a` and `box`.
    assert_eq!(
        names(&engine.fix("d", at(3, 0.0))),
        [
            "geofenceExit b 3",
            "geofenceEnter a 3",
            "geofenceEnter box 3"
        ]
    );
}

#[test]
fn devices_are_independent() {
    let mut engine = zone_engine();
    engine.fix("d1", at(0, 0.2));
    assert!(engine.fix("d2", at(1, 0.1)).is_empty(), "d2's first fix");
    assert_eq!(engine.fix("d1", at(2, 0.1))[0].device_id(), "d1");
}

#[test]
fn a_fix_out_of_order_or_without_a_position_changes_nothing() {
    let mut engine = zone_engine();
    engine.fix("d", at(10, 0.2));
    assert!(engine.fix("d", at(5, 0.1)).is_empty(), "earlier: skipped");
    assert!(
        engine
            .fix("d", Fix::new(t(11), f64::NAN, 0.0, None))
            .is_empty()
    );
    assert_eq!(names(&engine.fix("d", at(12, 0.1))), ["geofenceEnter b 12"]);
    assert_eq!(
        engine.state().device("d").unwrap().last_report(),
        Some(t(12))
    );
}

#[test]
fn overspeed_once_per_excursion() {
    let mut engine = speed_engine();
    let speeds = [90.0, 70.0, 80.0, 85.0, 120.0, 80.0, 81.0];
    let events: Vec<Event> = speeds
        .iter()
        .enumerate()
        .flat_map(|(i, &s)| engine.fix("d", moving(i as i64, Some(s))))
        .collect();
    // 90 first (initial state), 85 after 80 (at the limit), 81 after 80.
    assert_eq!(names(&events), ["overspeed 3", "overspeed 6"]);
    assert!(matches!(events[0], Event::Overspeed { speed, .. } if speed == 85.0));
}

#[test]
fn a_fix_without_a_speed_makes_the_speed_unknown() {
    let mut engine = speed_engine();
    engine.fix("d", moving(0, Some(50.0)));
    assert!(engine.fix("d", moving(1, None)).is_empty());
    assert!(
        engine.fix("d", moving(2, Some(100.0))).is_empty(),
        "follows no speed"
    );
    engine.fix("d", moving(3, Some(f64::NAN)));
    engine.fix("d", moving(4, Some(60.0)));
    assert_eq!(
        names(&engine.fix("d", moving(5, Some(100.0)))),
        ["overspeed 5"]
    );
}

#[test]
fn silent_once_after_the_threshold_then_back_online() {
    let rules = EventRules::default()
        .with_thresholds(Thresholds::default().with_silent_after(TimeDelta::minutes(30)));
    let mut engine = EventEngine::new(rules);
    assert!(engine.tick(t(0)).is_empty(), "no device yet");
    engine.fix("d", moving(0, None));
    assert!(engine.tick(t(1)).is_empty(), "the initial state");
    assert!(
        engine.tick(t(30)).is_empty(),
        "exactly at the threshold: not yet"
    );
    let events = engine.tick(t(31));
    assert_eq!(
        events,
        [Event::Silent {
            device_id: "d".into(),
            time: t(31),
            last_report: t(0)
        }]
    );
    assert!(engine.state().device("d").unwrap().is_silent());
    assert!(engine.tick(t(60)).is_empty(), "once");
    assert_eq!(names(&engine.fix("d", moving(61, None))), ["backOnline 61"]);
    assert!(engine.fix("d", moving(62, None)).is_empty(), "once");
    assert!(engine.tick(t(63)).is_empty());
}

#[test]
fn a_device_silent_from_the_start_raises_no_silent_event_but_comes_back() {
    let mut engine = EventEngine::new(EventRules::default());
    engine.fix("d", moving(0, None));
    assert!(
        engine.tick(t(0) + TimeDelta::days(3)).is_empty(),
        "the initial state"
    );
    assert_eq!(names(&engine.fix("d", moving(5, None))), ["backOnline 5"]);
}

#[test]
fn back_online_comes_first_on_a_fix() {
    let rules = EventRules::default()
        .with_zones(zones())
        .with_overspeed_kmh(80.0);
    let mut engine = EventEngine::new(rules);
    engine.fix("d", Fix::new(t(0), 0.0, 0.2, Some(10.0)));
    engine.tick(t(1));
    engine.tick(t(120));
    let events = engine.fix("d", Fix::new(t(121), 0.0, 0.1, Some(100.0)));
    assert_eq!(
        names(&events),
        ["backOnline 121", "geofenceEnter b 121", "overspeed 121"]
    );
}

#[test]
fn no_rules_no_events() {
    let mut engine = EventEngine::new(EventRules::default());
    engine.fix("d", at(0, 0.2));
    assert!(
        engine
            .fix("d", Fix::new(t(1), 0.0, 0.1, Some(300.0)))
            .is_empty()
    );
}

#[test]
fn events_serialise_with_their_tag_in_camel_case() {
    let events = [
        Event::GeofenceEnter {
            device_id: "d".into(),
            geofence: "a".into(),
            time: t(1),
        },
        Event::GeofenceExit {
            device_id: "d".into(),
            geofence: "a".into(),
            time: t(2),
        },
        Event::Overspeed {
            device_id: "d".into(),
            time: t(3),
            speed: 95.5,
        },
        Event::Silent {
            device_id: "d".into(),
            time: t(4),
            last_report: t(0),
        },
        Event::BackOnline {
            device_id: "d".into(),
            time: t(5),
        },
    ];
    let value = serde_json::to_value(&events).unwrap();
    assert_eq!(
        value,
        json!([
            {"event": "geofenceEnter", "deviceId": "d", "geofence": "a", "time": "2024-06-01T08:01:00Z"},
            {"event": "geofenceExit", "deviceId": "d", "geofence": "a", "time": "2024-06-01T08:02:00Z"},
            {"event": "overspeed", "deviceId": "d", "time": "2024-06-01T08:03:00Z", "speed": 95.5},
            {"event": "silent", "deviceId": "d", "time": "2024-06-01T08:04:00Z", "lastReport": "2024-06-01T08:00:00Z"},
            {"event": "backOnline", "deviceId": "d", "time": "2024-06-01T08:05:00Z"},
        ])
    );
    // The JSON starts with the tag, as `watch` prints it.
    assert!(
        serde_json::to_string(&events[0])
            .unwrap()
            .starts_with(r#"{"event":"geofenceEnter","#)
    );
    let back: Vec<Event> = serde_json::from_value(value).unwrap();
    assert_eq!(back, events);
    for e in &events {
        assert_eq!(e.device_id(), "d");
        assert_eq!(serde_json::to_value(e).unwrap()["event"], e.name());
    }
}

#[test]
fn a_saved_state_goes_on_as_if_never_interrupted() {
    let rules = EventRules::default()
        .with_zones(zones())
        .with_overspeed_kmh(80.0);
    let fixes = [
        Fix::new(t(0), 0.0, 0.2, Some(50.0)),
        Fix::new(t(1), 0.0, 0.1, Some(90.0)),
        Fix::new(t(2), 0.0, 0.2, Some(70.0)),
        Fix::new(t(3), 0.0, 0.0, Some(95.0)),
    ];
    let mut whole = EventEngine::new(rules.clone());
    let expected: Vec<Event> = fixes.iter().flat_map(|f| whole.fix("d", *f)).collect();
    assert_eq!(expected.len(), 6);

    let mut first = EventEngine::new(rules.clone());
    let mut got: Vec<Event> = fixes[..2].iter().flat_map(|f| first.fix("d", *f)).collect();
    let cursor = serde_json::to_value(first.state()).unwrap();
    assert_eq!(
        cursor,
        json!({"d": {"lastReport": "2024-06-01T08:01:00Z", "zones": ["b"], "overLimit": true, "silent": null}})
    );
    let mut second = EventEngine::resume(rules, serde_json::from_value(cursor).unwrap());
    got.extend(fixes[2..].iter().flat_map(|f| second.fix("d", *f)));
    assert_eq!(got, expected);
    assert_eq!(second.into_state(), whole.state().clone());
}

#[test]
fn a_zone_gone_from_the_file_is_forgotten_without_an_event() {
    let state: DeviceEvents = serde_json::from_value(
        json!({"zones": ["b", "old depot"], "lastReport": "2024-06-01T08:00:00Z"}),
    )
    .unwrap();
    let mut engine = EventEngine::resume(
        EventRules::default().with_zones(zones()),
        EventState {
            devices: [("d".to_owned(), state)].into(),
        },
    );
    assert_eq!(names(&engine.fix("d", at(1, 0.2))), ["geofenceExit b 1"]);
    // An empty or partial saved state is accepted (every field defaults).
    let empty: DeviceEvents = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, DeviceEvents::default());
}

/// Fixes along the equator around the three zones, at increasing (sometimes equal) times,
/// with a few without a position and a few out of order.
fn track() -> impl Strategy<Value = Vec<Fix>> {
    let step = (
        0i64..3,
        prop_oneof![8 => -0.12f64..0.12, 1 => Just(f64::NAN)],
        0u8..10,
    );
    proptest::collection::vec(step, 0..60).prop_map(|steps| {
        let mut minute = 0;
        steps
            .into_iter()
            .map(|(gap, lon, back)| {
                minute += gap;
                // One fix in ten is stamped before the one before it.
                let time = if back == 0 { minute - 5 } else { minute };
                Fix::new(t(time), 0.0, lon, Some((lon.abs() * 1000.0).min(200.0)))
            })
            .collect()
    })
}

proptest! {
    /// Over the same fixes, the enter events are the visits' enters (those not flagged
    /// `startsInside`) and the exit events are the visits' exits.
    #[test]
    fn enter_and_exit_events_are_the_visits_enters_and_exits(fixes in track()) {
        let zones = zones();
        let mut engine = EventEngine::new(EventRules::default().with_zones(zones.clone()));
        let events: Vec<Event> = fixes.iter().flat_map(|f| engine.fix("d", *f)).collect();
        let mut enters: Vec<(String, DateTime<Utc>)> = Vec::new();
        let mut exits = Vec::new();
        for e in events {
            match e {
                Event::GeofenceEnter { geofence, time, .. } => enters.push((geofence, time)),
                Event::GeofenceExit { geofence, time, .. } => exits.push((geofence, time)),
                other => prop_assert!(false, "unexpected {other:?}"),
            }
        }
        let found = visits("d", fixes.iter().copied(), &zones, &VisitOptions::default());
        let mut visit_enters: Vec<_> = found
            .iter()
            .filter(|v| !v.starts_inside)
            .map(|v| (v.geofence.clone(), v.enter))
            .collect();
        let mut visit_exits: Vec<_> = found
            .iter()
            .filter_map(|v| v.exit.map(|exit| (v.geofence.clone(), exit)))
            .collect();
        enters.sort();
        exits.sort();
        visit_enters.sort();
        visit_exits.sort();
        prop_assert_eq!(enters, visit_enters);
        prop_assert_eq!(exits, visit_exits);
    }

    /// Every overspeed event has a speed above the limit and follows a fix at or below it.
    #[test]
    fn every_overspeed_follows_a_fix_at_or_below_the_limit(
        speeds in proptest::collection::vec(proptest::option::of(60.0f64..100.0), 0..80),
    ) {
        let mut engine = speed_engine();
        let mut previous: Option<f64> = None;
        for (i, speed) in speeds.iter().enumerate() {
            for e in engine.fix("d", moving(i as i64, *speed)) {
                let Event::Overspeed { speed, .. } = e else {
                    return Err(TestCaseError::fail(format!("unexpected {e:?}")));
                };
                prop_assert!(speed > 80.0);
                prop_assert!(previous.is_some_and(|p| p <= 80.0), "after {previous:?}");
            }
            previous = *speed;
        }
    }
}
