//! Devices: listing, determinism, movement.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use plaspy_sandbox::SandboxConfig;
use plaspy_types::endpoints::{GetDevice, LastLocation, ListDevices, QueryLocations};
use plaspy_types::{Endpoint, Error, Location, LocationsQuery};
use serde_json::{Value, json};

use crate::common::{Client, clock, sandbox_at, start, t0};

pub fn range(from: DateTime<Utc>, to: DateTime<Utc>) -> Value {
    json!({"from": from.to_rfc3339(), "to": to.to_rfc3339()})
}

pub fn track(client: &Client, id: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Location> {
    let query = LocationsQuery::new(from, to);
    let reply = client.post(&format!("/api/devices/{id}/locations"), &range(from, to));
    QueryLocations { id, query: &query }
        .decode(&reply.http())
        .unwrap()
        .value
}

pub fn device_ids(client: &Client) -> Vec<String> {
    let reply = client.get("/api/devices");
    let devices = ListDevices.decode(&reply.http()).unwrap().value;
    devices.iter().map(|d| d.id().to_owned()).collect()
}

#[test]
fn lists_and_gets_devices() {
    let sandbox = start(SandboxConfig::default());
    let client = Client::demo(&sandbox);
    let reply = client.get("/api/devices");
    assert_eq!(reply.status, 200);
    let usage = reply.json()["apiUsage"].clone();
    assert_eq!(usage, 2);
    let devices = ListDevices.decode(&reply.http()).unwrap().value;
    assert!(devices.len() >= 25);
    let ids: HashSet<_> = devices.iter().map(|d| d.id()).collect();
    assert_eq!(ids.len(), devices.len(), "ids are unique");
    assert!(devices.iter().all(|d| d.name.is_some() && d.tags.is_some()));
    assert!(devices.iter().any(|d| d.min.is_none()));

    let one = client.get("/api/devices/dev-03");
    let device = GetDevice { id: "dev-03" }
        .decode(&one.http())
        .unwrap()
        .value;
    assert_eq!(
        &device,
        devices.iter().find(|d| d.id() == "dev-03").unwrap()
    );
    assert_eq!(one.json()["device"]["id"], "dev-03");

    let missing = client.get("/api/devices/nope");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error(), "Device not found");
    let err = GetDevice { id: "nope" }
        .decode(&missing.http())
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }));
    for path in ["lastLocation", "locations", "alerts", "sendCommand"] {
        let method = if path == "lastLocation" {
            "GET"
        } else {
            "POST"
        };
        let reply = client.json(method, &format!("/api/devices/nope/{path}"), &json!({}));
        assert_eq!(reply.status, 404, "{path}");
    }
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    let clock = clock();
    let config = |seed| SandboxConfig {
        seed,
        clock: Arc::new(clock.clone()),
        ..SandboxConfig::default()
    };
    let (a, b, c) = (start(config(9)), start(config(9)), start(config(10)));
    let (a, b, c) = (Client::demo(&a), Client::demo(&b), Client::demo(&c));
    let payload = |client: &Client, path: &str, field: &str| client.get(path).json()[field].clone();
    for (path, field) in [
        ("/api/devices", "devices"),
        ("/api/groups", "groups"),
        ("/api/users", "users"),
        ("/api/devices/dev-01/lastLocation", "lastLocation"),
    ] {
        assert_eq!(payload(&a, path, field), payload(&b, path, field), "{path}");
        assert_ne!(payload(&a, path, field), payload(&c, path, field), "{path}");
    }
    let (from, to) = (t0() - chrono::Duration::days(2), t0());
    for id in ["dev-01", "dev-14"] {
        assert_eq!(track(&a, id, from, to), track(&b, id, from, to));
        assert_ne!(track(&a, id, from, to), track(&c, id, from, to));
    }
}

#[test]
fn devices_move_as_time_passes() {
    let clock = clock();
    let sandbox = sandbox_at(&clock);
    let client = Client::demo(&sandbox);
    let ids = device_ids(&client);
    let positions = |client: &Client| -> Vec<Option<Location>> {
        ids.iter()
            .map(|id| {
                let reply = client.get(&format!("/api/devices/{id}/lastLocation"));
                assert_eq!(reply.status, 200);
                LastLocation { id }.decode(&reply.http()).unwrap().value
            })
            .collect()
    };
    let before = positions(&client);
    assert_eq!(
        before.iter().filter(|p| p.is_none()).count(),
        2,
        "two never reported"
    );
    clock.advance(Duration::from_secs(60));
    let after = positions(&client);

    let mut moved = 0;
    for (b, a) in before.iter().zip(&after) {
        let (Some(b), Some(a)) = (b, a) else {
            assert!(b.is_none() && a.is_none());
            continue;
        };
        // The last location is the last report, not a heartbeat at "now".
        assert!(b.date_time <= t0() && a.date_time <= t0() + chrono::Duration::seconds(60));
        assert!(a.date_time >= b.date_time);
        if (a.latitude, a.longitude) != (b.latitude, b.longitude) {
            moved += 1;
            assert!(a.date_time > b.date_time);
            assert!(a.inputs.as_ref().unwrap()[0], "moving with ignition on");
            assert!(a.speed.unwrap() >= 5.0);
        }
    }
    assert!(moved >= 2, "only {moved} devices moved");
    // Report ages spread like a real fleet's: all different, most recent, a few silent
    // for hours.
    let ages: Vec<i64> = before
        .iter()
        .flatten()
        .map(|l| (t0() - l.date_time).num_seconds())
        .collect();
    let distinct: HashSet<_> = ages.iter().collect();
    assert_eq!(distinct.len(), ages.len(), "{ages:?}");
    assert!(
        ages.iter().filter(|&&a| a <= 15 * 60).count() >= 15,
        "{ages:?}"
    );
    assert!(ages.iter().filter(|&&a| a > 3_600).count() >= 2, "{ages:?}");

    // The last location at a time is the last fix of the track up to that time.
    for id in &ids {
        let last = client
            .get(&format!("/api/devices/{id}/lastLocation"))
            .json()
            .get("lastLocation")
            .cloned();
        let now = t0() + chrono::Duration::seconds(60);
        let reply = client.post(
            &format!("/api/devices/{id}/locations"),
            &range(now - chrono::Duration::days(8), now),
        );
        let track = reply.json()["locations"].as_array().unwrap().clone();
        assert_eq!(last.as_ref(), track.last(), "{id}");
    }

    // A device with no position: the envelope alone.
    let silent = client.get(&format!(
        "/api/devices/{}/lastLocation",
        ids.last().unwrap()
    ));
    let json = silent.json();
    assert_eq!(json["success"], true);
    assert!(json.get("lastLocation").is_none());
    assert!(json["apiUsage"].as_i64().unwrap() > 0);
}

#[test]
fn ten_thousand_devices_list_and_report() {
    let clock = clock();
    let sandbox = start(SandboxConfig {
        devices: 10_000,
        clock: Arc::new(clock.clone()),
        ..SandboxConfig::default()
    });
    let client = Client::demo(&sandbox);
    let ids = device_ids(&client);
    assert_eq!(ids.len(), 10_000);
    assert_eq!(ids[26], "dev-27");
    assert_eq!(ids[9_999], "dev-10000");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 10_000);
    // The demo fleet stays the first 27 devices.
    let small = sandbox_at(&clock);
    let demo = Client::demo(&small);
    let demo_devices = demo.get("/api/devices").json()["devices"].clone();
    let big = client.get("/api/devices").json()["devices"].clone();
    assert_eq!(
        demo_devices.as_array().unwrap()[..],
        big.as_array().unwrap()[..27]
    );
    let mut reported = 0;
    for id in ["dev-28", "dev-500", "dev-9999", "dev-10000"] {
        let reply = client.get(&format!("/api/devices/{id}/lastLocation"));
        assert_eq!(reply.status, 200, "{id}");
        let last = LastLocation { id }.decode(&reply.http()).unwrap().value;
        if let Some(last) = last {
            assert!(last.date_time <= t0());
            reported += 1;
        }
    }
    assert!(reported >= 3);
    assert_eq!(client.get("/api/devices/dev-10001").status, 404);
}
