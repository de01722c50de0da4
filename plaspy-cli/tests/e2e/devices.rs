//! `devices ...` and `fleet` against the demo fleet.

use plaspy_blocking::{AlertEvent, Device, Location};
use serde::Deserialize;

use crate::common::{Env, code, text};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FleetEntry {
    device: Device,
    last_location: Option<Location>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PositionEntry {
    device_id: String,
    last_location: Option<Location>,
}

#[test]
fn list_and_get() {
    let env = Env::new();
    let devices: Vec<Device> = env.json(&["devices", "list"]);
    assert!(devices.len() >= 25, "{} devices", devices.len());
    let first = &devices[0];
    let one: Device = env.json(&["devices", "get", first.id()]);
    assert_eq!(&one, first);
}

#[test]
fn last_location_of_one_and_several() {
    let env = Env::new();
    let devices: Vec<Device> = env.json(&["devices", "list"]);
    let one: Option<Location> = env.json(&["devices", "last-location", devices[0].id()]);
    assert!(one.is_some());

    let fleet: Vec<FleetEntry> = env.json(&["fleet"]);
    let silent = fleet
        .iter()
        .find(|e| e.last_location.is_none())
        .expect("a device without a position");
    let none: Option<Location> = env.json(&["devices", "last-location", silent.device.id()]);
    assert!(none.is_none());

    let ids = [devices[0].id(), silent.device.id(), devices[1].id()];
    let args = [&["devices", "last-location"][..], &ids].concat();
    let several: Vec<PositionEntry> = env.json(&args);
    assert_eq!(
        several
            .iter()
            .map(|e| e.device_id.as_str())
            .collect::<Vec<_>>(),
        ids
    );
    assert!(several[0].last_location.is_some());
    assert!(several[1].last_location.is_none());
}

#[test]
fn locations_and_alerts_in_ranges() {
    let env = Env::new();
    let track: Vec<Location> = env.json(&["devices", "locations", "dev-05", "--since", "6h"]);
    assert!(!track.is_empty());
    assert!(track.windows(2).all(|w| w[0].date_time <= w[1].date_time));

    let now = chrono::Utc::now();
    let from = (now - chrono::Duration::hours(6)).to_rfc3339();
    let to = now.to_rfc3339();
    let same: Vec<Location> = env.json(&[
        "devices",
        "locations",
        "dev-05",
        "--from",
        &from,
        "--to",
        &to,
    ]);
    assert!(!same.is_empty());
    assert!(
        same.iter()
            .all(|l| l.date_time >= now - chrono::Duration::hours(6))
    );

    let alerts: Vec<AlertEvent> = env.json(&["devices", "alerts", "dev-05", "--since", "2d"]);
    assert!(
        !alerts.is_empty(),
        "the demo fleet raises alerts over two days"
    );
    let name = alerts[0]
        .alerts
        .as_ref()
        .and_then(|a| a.first())
        .expect("an alert name")
        .clone();
    let filtered: Vec<AlertEvent> = env.json(&[
        "devices", "alerts", "dev-05", "--since", "2d", "--name", &name,
    ]);
    assert!(!filtered.is_empty());
    assert!(
        filtered
            .iter()
            .all(|a| a.alerts.as_ref().is_some_and(|n| n.contains(&name)))
    );
}

#[test]
fn bad_ranges_are_usage_errors() {
    let env = Env::new();
    for args in [
        &["devices", "locations", "dev-05", "--since", "24"][..],
        &[
            "devices",
            "locations",
            "dev-05",
            "--from",
            "2024-06-02",
            "--to",
            "2024-06-01",
        ],
        &["devices", "alerts", "dev-05", "--from", "tomorrow-ish"],
        &["devices", "locations", "dev-05"],
    ] {
        let out = env.run(args);
        assert_eq!(code(&out), 2, "{args:?}: {}", text(&out.stderr));
    }
}

#[test]
fn fleet_lists_every_device_with_its_position() {
    let env = Env::new();
    let devices: Vec<Device> = env.json(&["devices", "list"]);
    let fleet: Vec<FleetEntry> = env.json(&["fleet"]);
    assert_eq!(fleet.len(), devices.len());
    for (entry, device) in fleet.iter().zip(&devices) {
        assert_eq!(&entry.device, device);
    }
    assert!(fleet.iter().filter(|e| e.last_location.is_some()).count() >= 20);
    assert!(fleet.iter().any(|e| e.last_location.is_none()));

    let table = env.stdout(&["fleet", "--output", "table", "--workers", "3"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("ID"), "{table}");
    assert!(lines[0].contains("LAST FIX (UTC)"));
    assert_eq!(lines.len(), devices.len() + 1);
    assert!(table.contains("no position yet"));

    let group: plaspy_blocking::Group = env.json(&["groups", "get", "grp-1"]);
    let members: Vec<FleetEntry> = env.json(&["fleet", "--group", "grp-1"]);
    assert_eq!(members.len(), group.devices.unwrap_or_default().len());
}

#[test]
fn sandbox_flag_needs_no_account() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::common::plaspy(&dir.path().join("config.toml"))
        .args(["--sandbox", "fleet", "--output", "table"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.starts_with("ID"), "{table}");
    assert!(table.lines().count() > 25);
    assert!(!dir.path().join("config.toml").exists());
}

/// `--match` finds a vehicle by its plate typed in lower case, wherever the account put the
/// plate (name, description or tags only).
#[test]
fn match_finds_a_vehicle_by_its_plate_in_any_case() {
    let env = Env::new();
    let devices: Vec<Device> = env.json(&["devices", "list"]);
    let with_plate: Vec<(&Device, String)> = devices
        .iter()
        .filter_map(|d| {
            let plate = d.tags.as_ref()?.get("plate")?.to_owned();
            Some((d, plate))
        })
        .collect();
    assert!(
        with_plate.len() >= 3,
        "the demo fleet has plates in its tags"
    );
    // One whose plate is in the name, and one whose plate is only in its tags.
    let in_name = with_plate
        .iter()
        .find(|(d, p)| d.name.as_deref().is_some_and(|n| n.contains(p.as_str())))
        .expect("a device named with its plate");
    let tags_only = with_plate
        .iter()
        .find(|(d, p)| {
            !d.name.as_deref().unwrap_or("").contains(p.as_str())
                && !d.description.as_deref().unwrap_or("").contains(p.as_str())
        })
        .expect("a device with its plate in the tags only");
    for (device, plate) in [in_name, tags_only] {
        let lower = plate.to_lowercase();
        let fleet: Vec<FleetEntry> = env.json(&["fleet", "--match", &lower]);
        let ids: Vec<&str> = fleet.iter().map(|e| e.device.id()).collect();
        assert_eq!(ids, [device.id()], "fleet --match {lower}");
        let listed: Vec<Device> = env.json(&["devices", "list", "--match", &lower]);
        assert_eq!(listed.len(), 1, "devices list --match {lower}");
        assert_eq!(listed[0].id(), device.id());
    }
    let none: Vec<FleetEntry> = env.json(&["fleet", "--match", "no such vehicle"]);
    assert!(none.is_empty());
}
