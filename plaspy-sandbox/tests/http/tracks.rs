//! Tracks and alerts for date ranges.

use std::collections::BTreeSet;

use plaspy_types::endpoints::{LastLocation, QueryAlerts};
use plaspy_types::{AlertsQuery, Endpoint, Location};
use serde_json::json;

use crate::common::{Client, clock, sandbox_at, t0};
use crate::devices::{device_ids, range, track};

#[test]
fn tracks_are_dense_while_moving_sparse_while_parked() {
    let clock = clock();
    let sandbox = sandbox_at(&clock);
    let client = Client::demo(&sandbox);
    let (from, to) = (t0() - chrono::Duration::hours(24), t0());
    let raw = client.post("/api/devices/dev-01/locations", &range(from, to));
    assert_eq!(raw.status, 200);
    let first = &raw.json()["locations"][0];
    for field in [
        "dateTime",
        "latitude",
        "longitude",
        "speed",
        "course",
        "battery",
        "fuel",
        "milleage",
        "inputs",
    ] {
        assert!(!first[field].is_null(), "{field} missing in {first}");
    }
    assert!(
        first.get("mileage").is_none(),
        "the wire name is `milleage`"
    );

    let fixes = track(&client, "dev-01", from, to);
    assert!(fixes.windows(2).all(|w| w[0].date_time < w[1].date_time));
    assert!(
        fixes
            .iter()
            .all(|f| from <= f.date_time && f.date_time <= to)
    );
    let ignition = |f: &Location| f.inputs.as_ref().unwrap()[0];
    let (mut moving_gaps, mut parked_gaps) = (Vec::new(), Vec::new());
    for w in fixes.windows(2) {
        let gap = (w[1].date_time - w[0].date_time).num_seconds();
        if ignition(&w[0]) && ignition(&w[1]) {
            moving_gaps.push(gap);
        } else if !ignition(&w[0]) && !ignition(&w[1]) {
            parked_gaps.push(gap);
        }
    }
    assert!(moving_gaps.len() > 50, "{}", moving_gaps.len());
    assert!(moving_gaps.iter().all(|&g| g <= 30), "{moving_gaps:?}");
    assert!(parked_gaps.len() > 20);
    assert!(parked_gaps.iter().all(|&g| g <= 600), "{parked_gaps:?}");
    // A heartbeat every few minutes, always the same for one tracker.
    let heartbeat = *parked_gaps.iter().max().unwrap();
    assert!((180..=600).contains(&heartbeat), "{heartbeat}");
    assert!(parked_gaps.iter().filter(|&&g| g == heartbeat).count() > 10);
    // It parks and drives again, several times.
    let starts = fixes
        .windows(2)
        .filter(|w| !ignition(&w[0]) && ignition(&w[1]))
        .count();
    assert!(starts >= 3, "{starts}");
    // Plausible readings.
    for f in &fixes {
        assert!((0.0..=95.0).contains(&f.speed.unwrap()));
        assert!((0.0..360.0).contains(&f.course.unwrap()));
        assert!((0..=100).contains(&f.battery.unwrap()));
        assert!((0..=100).contains(&f.fuel.unwrap()));
        assert!((f.latitude - 4.65).abs() < 0.2 && (f.longitude + 74.09).abs() < 0.2);
        if !ignition(f) {
            assert_eq!(f.speed, Some(0.0));
        }
    }
    let odometer: Vec<f64> = fixes.iter().map(|f| f.mileage.unwrap()).collect();
    assert!(odometer.windows(2).all(|w| w[0] <= w[1]));
    assert!(odometer.last().unwrap() - odometer[0] > 10.0);

    // Any sub-range is the same track.
    let part = track(
        &client,
        "dev-01",
        from + chrono::Duration::hours(6),
        to - chrono::Duration::hours(6),
    );
    assert!(!part.is_empty());
    assert!(part.iter().all(|p| fixes.contains(p)));

    // The last location at a fix's time is that fix.
    let moving_fix = fixes
        .iter()
        .rev()
        .find(|f| ignition(f) && f.speed.unwrap() > 0.0)
        .unwrap();
    clock.set(moving_fix.date_time);
    let reply = client.get("/api/devices/dev-01/lastLocation");
    let last = LastLocation { id: "dev-01" }
        .decode(&reply.http())
        .unwrap()
        .value
        .unwrap();
    assert_eq!(
        (last.latitude, last.longitude),
        (moving_fix.latitude, moving_fix.longitude)
    );
}

#[test]
fn locations_ranges_are_checked_and_capped() {
    let clock = clock();
    let sandbox = sandbox_at(&clock);
    let client = Client::demo(&sandbox);
    let too_long = client.post(
        "/api/devices/dev-01/locations",
        &range(t0() - chrono::Duration::days(32), t0()),
    );
    assert_eq!(too_long.status, 400);
    assert!(too_long.error().contains("31 days"));
    let reversed = client.post(
        "/api/devices/dev-01/alerts",
        &range(t0(), t0() - chrono::Duration::hours(1)),
    );
    assert_eq!(reversed.status, 400);
    let no_to = client.post(
        "/api/devices/dev-01/locations",
        &json!({"from": "2025-03-01T00:00:00Z"}),
    );
    assert_eq!(no_to.status, 400);
    assert!(no_to.error().contains("to"), "{}", no_to.body);
    let bad_date = client.post(
        "/api/devices/dev-01/locations",
        &json!({"from": "yesterday", "to": "2025-03-01T00:00:00Z"}),
    );
    assert_eq!(bad_date.status, 400);

    // No data from the future.
    let ahead = track(
        &client,
        "dev-01",
        t0() - chrono::Duration::hours(1),
        t0() + chrono::Duration::days(3),
    );
    assert!(!ahead.is_empty());
    assert!(ahead.iter().all(|f| f.date_time <= t0()));
    assert!(
        track(
            &client,
            "dev-01",
            t0() + chrono::Duration::hours(1),
            t0() + chrono::Duration::hours(2)
        )
        .is_empty()
    );

    // A full month is allowed and bounded.
    let month = track(&client, "dev-02", t0() - chrono::Duration::days(31), t0());
    assert!(
        month.len() > 1000 && month.len() < 100_000,
        "{}",
        month.len()
    );
    // Silent devices have no track.
    assert!(track(&client, "dev-27", t0() - chrono::Duration::days(1), t0()).is_empty());
}

#[test]
fn alerts_are_derived_from_the_track_and_filterable() {
    let clock = clock();
    let sandbox = sandbox_at(&clock);
    let client = Client::demo(&sandbox);
    let (from, to) = (t0() - chrono::Duration::hours(24), t0());
    let alerts = |id: &str, name: Option<&str>| {
        let query = match name {
            Some(name) => AlertsQuery::new(from, to).name(name),
            None => AlertsQuery::new(from, to),
        };
        let reply = client.post(
            &format!("/api/devices/{id}/alerts"),
            &serde_json::to_value(&query).unwrap(),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        QueryAlerts { id, query: &query }
            .decode(&reply.http())
            .unwrap()
            .value
    };
    let mut names = BTreeSet::new();
    for id in device_ids(&client) {
        for alert in alerts(&id, None) {
            assert!(from <= alert.date_time && alert.date_time <= to);
            assert!(alert.text.is_some() && alert.notifications.is_some());
            names.extend(alert.alerts.unwrap());
        }
    }
    let expected = [
        "Ignition off",
        "Ignition on",
        "Low battery",
        "Speeding",
        "Zone entry",
        "Zone exit",
    ];
    assert_eq!(names, expected.iter().map(|s| s.to_string()).collect());

    let all = alerts("dev-01", None);
    let speeding = alerts("dev-01", Some("Speeding"));
    assert!(!speeding.is_empty());
    assert!(
        speeding
            .iter()
            .all(|a| a.alerts.as_deref() == Some(&["Speeding".to_owned()][..]))
    );
    assert!(speeding.len() < all.len());
    let ignition_on = alerts("dev-01", Some("ignitionOn"));
    assert!(!ignition_on.is_empty());
    assert!(
        ignition_on
            .iter()
            .all(|a| a.text.as_deref() == Some("Ignition on"))
    );
    assert!(alerts("dev-01", Some("No such alert")).is_empty());
    assert!(alerts("dev-26", None).is_empty());

    // Each ignition-on alert sits at a fix of the track that carries it.
    let fixes = track(&client, "dev-01", from, to);
    for alert in &ignition_on {
        let fix = fixes
            .iter()
            .find(|f| f.date_time == alert.date_time)
            .unwrap();
        assert_eq!(
            (fix.latitude, fix.longitude),
            (alert.latitude, alert.longitude)
        );
        assert!(
            fix.alerts
                .as_ref()
                .unwrap()
                .contains(&"Ignition on".to_owned())
        );
    }
}

#[test]
fn range_limit_and_reply_cap_are_configurable_and_named() {
    use std::sync::Arc;

    use plaspy_sandbox::SandboxConfig;

    let clock = clock();
    let config = |refuse| SandboxConfig {
        clock: Arc::new(clock.clone()),
        max_range_days: 2,
        max_records: 50,
        refuse_over_cap: refuse,
        ..SandboxConfig::default()
    };
    let truncating = crate::common::start(config(false));
    let client = Client::demo(&truncating);
    let three_days = range(t0() - chrono::Duration::days(3), t0());
    let refused = client.post("/api/devices/dev-01/locations", &three_days);
    assert_eq!(refused.status, 400);
    assert!(
        refused.error().contains("range limit is 2 days"),
        "{}",
        refused.body
    );
    let refused = client.post("/api/devices/dev-01/alerts", &three_days);
    assert!(
        refused.error().contains("range limit is 2 days"),
        "{}",
        refused.body
    );
    let day = (t0() - chrono::Duration::days(1), t0());
    let fixes = track(&client, "dev-01", day.0, day.1);
    assert_eq!(fixes.len(), 50, "cut at the reply cap");
    let alerts = client.post("/api/devices/dev-01/alerts", &range(day.0, day.1));
    assert!(alerts.json()["alerts"].as_array().unwrap().len() <= 50);

    let refusing = crate::common::start(config(true));
    let client = Client::demo(&refusing);
    let over = client.post("/api/devices/dev-01/locations", &range(day.0, day.1));
    assert_eq!(over.status, 400);
    assert!(
        over.error().contains("reply cap is 50 fixes"),
        "{}",
        over.body
    );
    // Under the cap, the same answer as without a cap.
    let short = (t0() - chrono::Duration::minutes(20), t0());
    let under = track(&client, "dev-01", short.0, short.1);
    assert!(!under.is_empty() && under.len() <= 50);
    assert_eq!(
        under,
        track(&Client::demo(&truncating), "dev-01", short.0, short.1)
    );
}
