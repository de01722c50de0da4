//! The contract against the real thing: all 21 endpoints through the client surface, each
//! against a fresh `plaspy-sandbox` over loopback HTTP (no mocks).

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use plaspy_types::{
    AlertsQuery, Command, CommandFormat, Device, GroupInput, Location, PatchOperation, Secret,
    UserInput,
};

use crate::support::*;
use crate::{case, maybe};
use plaspy_types::endpoints::QueryAlerts;

/// A day the sandbox's own tests show every alert kind on (seed 42): a fixed past range,
/// so what it holds does not depend on when the test runs.
fn alert_day() -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    let from = at("2025-03-04T05:00:00Z");
    (from, from + Duration::days(1))
}

/// Whether a position is in Colombia (the fleet drives in Bogotá and Medellín).
fn in_colombia(latitude: f64, longitude: f64) -> bool {
    (0.0..13.0).contains(&latitude) && (-80.0..-66.0).contains(&longitude)
}

/// Asserts the positions are in strictly increasing time order, within `[from, to]`.
fn assert_track(
    track: &[Location],
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) {
    for pair in track.windows(2) {
        assert!(
            pair[0].date_time < pair[1].date_time,
            "out of order: {pair:?}"
        );
    }
    for fix in track {
        assert!(
            from <= fix.date_time && fix.date_time <= to,
            "{} is outside {from}..{to}",
            fix.date_time
        );
        assert!(in_colombia(fix.latitude, fix.longitude), "{fix:?}");
    }
}

#[maybe]
#[case]
async fn sandbox_lists_and_gets_devices() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);

    let devices = client.devices().list().await.unwrap();
    assert!(devices.len() >= 25, "{} devices", devices.len());
    let ids: BTreeSet<&str> = devices.iter().map(Device::id).collect();
    assert_eq!(ids.len(), devices.len(), "device ids are unique");
    for device in &devices {
        assert!(!device.id().is_empty());
        assert!(
            device.name.as_deref().is_some_and(|n| !n.is_empty()),
            "{device:?}"
        );
        let one = client.devices().get(device.id()).await.unwrap();
        assert_eq!(&one, device);
    }
    // Some trackers have no SIM number (they cannot receive SMS commands).
    assert!(devices.iter().any(|d| d.min.is_none()));
    assert!(devices.iter().any(|d| d.min.is_some()));
}

#[maybe]
#[case]
async fn sandbox_last_locations() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let devices = client.devices().list().await.unwrap();

    let (mut located, mut silent, mut recent) = (0, 0, 0);
    for device in &devices {
        let last = client.devices().last_location(device.id()).await.unwrap();
        let now = sandbox.control().now();
        match last {
            Some(fix) => {
                located += 1;
                assert!(in_colombia(fix.latitude, fix.longitude), "{fix:?}");
                assert!(fix.date_time <= now, "{} is in the future", fix.date_time);
                // The last report: recent for most, hours or days old for a few.
                if now - fix.date_time < Duration::hours(1) {
                    recent += 1;
                }
            }
            None => silent += 1,
        }
    }
    assert!(located >= 25, "{located} devices have a position");
    assert!(
        recent >= 15,
        "only {recent} devices reported in the last hour"
    );
    assert!(silent >= 1, "some devices have no position yet");
}

#[maybe]
#[case]
async fn sandbox_locations_of_the_last_two_hours() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let devices = client.devices().list().await.unwrap();
    let to = sandbox.control().now();
    let from = to - Duration::hours(2);

    let mut tracked = 0;
    for device in &devices {
        let last = client.devices().last_location(device.id()).await.unwrap();
        let track = client
            .devices()
            .locations(device.id(), from, to)
            .await
            .unwrap();
        assert_track(&track, from, to);
        match last {
            // A parked vehicle still reports every few minutes, unless it is out of
            // coverage; the last location is the track's last fix.
            Some(last) if last.date_time >= from => {
                // (The clock runs: a report after `to` is not in the track.)
                if last.date_time <= to {
                    assert_eq!(track.last(), Some(&last), "{}", device.id());
                }
                tracked += 1;
            }
            Some(_) => assert!(track.is_empty(), "{} is silent", device.id()),
            None => assert!(track.is_empty(), "{} has no position yet", device.id()),
        }
    }
    assert!(tracked >= 15, "{tracked}");
}

#[maybe]
#[case]
async fn sandbox_alerts_with_and_without_a_name_filter() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let devices = client.devices().list().await.unwrap();
    let (from, to) = alert_day();

    // Every alert of the day, by device.
    let mut all = BTreeMap::new();
    for device in &devices {
        let alerts = client
            .devices()
            .alerts(device.id(), from, to)
            .await
            .unwrap();
        for pair in alerts.windows(2) {
            assert!(
                pair[0].date_time <= pair[1].date_time,
                "out of order: {pair:?}"
            );
        }
        for alert in &alerts {
            assert!(
                from <= alert.date_time && alert.date_time <= to,
                "{alert:?}"
            );
            assert!(in_colombia(alert.latitude, alert.longitude), "{alert:?}");
            let names = alert.alerts.as_deref().unwrap_or_default();
            assert!(!names.is_empty(), "{alert:?}");
        }
        all.insert(device.id().to_owned(), alerts);
    }
    let names: BTreeSet<String> = all
        .values()
        .flatten()
        .flat_map(|a| a.alerts.clone().unwrap_or_default())
        .collect();
    assert!(names.len() >= 2, "{names:?}");

    // Filtered by each name on the device with the most alerts: exactly the matching ones.
    let (busiest, alerts) = all.iter().max_by_key(|(_, a)| a.len()).unwrap();
    let mut filtered_total = 0;
    for name in &names {
        let filtered = client
            .execute(&QueryAlerts {
                id: busiest,
                query: &AlertsQuery::new(from, to).name(name),
            })
            .await
            .unwrap();
        let named =
            |a: &plaspy_types::AlertEvent| a.alerts.as_ref().is_some_and(|n| n.contains(name));
        assert!(filtered.iter().all(named), "{name}: {filtered:?}");
        let expected: Vec<_> = alerts.iter().filter(|a| named(a)).cloned().collect();
        assert_eq!(filtered, expected, "{name}");
        filtered_total += filtered.len();
    }
    assert!(filtered_total > 0);
    assert!(filtered_total >= alerts.len(), "every alert has a name");

    // A name no alert has gives nothing.
    let none = client
        .execute(&QueryAlerts {
            id: busiest,
            query: &AlertsQuery::new(from, to).name("No such alert"),
        })
        .await
        .unwrap();
    assert!(none.is_empty(), "{none:?}");
}

#[maybe]
#[case]
async fn sandbox_send_command_in_every_format() {
    let sandbox = sandbox();
    let control = sandbox.control();
    let client = sandbox_client(&sandbox);
    let devices = client.devices().list().await.unwrap();
    let with_sim = devices.iter().find(|d| d.min.is_some()).unwrap();
    let without_sim = devices.iter().find(|d| d.min.is_none()).unwrap();
    let id = with_sim.id();

    let sent = [
        (Command::text("engineStop"), "656e67696e6553746f70"),
        (Command::hex("0A-0b 0c"), "0a0b0c"),
        (Command::base64("aGk="), "6869"),
        (
            Command::text("SETPARAM 1").sms(true),
            "534554504152414d2031",
        ),
    ];
    for (command, _) in &sent {
        let result = client.devices().send_command(id, command).await.unwrap();
        assert!(!result.trim().is_empty());
    }

    let log = control.device_commands(id);
    assert_eq!(log.len(), sent.len(), "{log:?}");
    for (record, (command, payload_hex)) in log.iter().zip(&sent) {
        assert_eq!(record.device_id, id);
        assert_eq!(record.account, DEMO_USERNAME);
        assert_eq!(record.command, command.command);
        assert_eq!(record.format, command.format);
        assert_eq!(record.sms, command.sms == Some(true));
        assert_eq!(&record.payload_hex, payload_hex);
        assert!(!record.result.is_empty());
    }
    assert_eq!(log[1].format, CommandFormat::Hex);
    // The SMS went to the device's SIM number.
    let min = with_sim.min.as_deref().unwrap();
    assert!(log[3].result.contains(min), "{:?}", log[3]);

    // SMS to a device without a SIM number: refused by the server, not recorded.
    let result = client
        .devices()
        .send_command(without_sim.id(), &Command::text("engineStop").sms(true))
        .await;
    assert!(
        matches!(&result, Err(Error::Api { status: 400, message, .. }) if message.contains("SIM")),
        "{result:?}"
    );
    assert!(control.device_commands(without_sim.id()).is_empty());

    // Malformed payloads are refused by the SDK before any request: nothing recorded.
    let usage = client.usage();
    for bad in [
        Command::hex("zz"),
        Command::hex("abc"),
        Command::base64("a?b"),
        Command::text(" "),
    ] {
        let result = client.devices().send_command(id, &bad).await;
        assert!(
            matches!(result, Err(Error::InvalidInput { .. })),
            "{bad:?}: {result:?}"
        );
    }
    assert_eq!(control.device_commands(id).len(), sent.len());
    assert_eq!(control.commands().len(), sent.len());
    assert_eq!(client.usage(), usage, "no request was made");
}

#[maybe]
#[case]
async fn sandbox_group_lifecycle() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let groups = client.groups();

    let seeded = groups.list().await.unwrap();
    assert!(!seeded.is_empty());
    let first = groups.get(seeded[0].id()).await.unwrap();
    assert_eq!(first, seeded[0]);

    // Create.
    let input = GroupInput::new("Night shift")
        .description("Vans on the night routes")
        .device("dev-01")
        .device("dev-02");
    let created = groups.create(&input).await.unwrap();
    let id = created.id().to_owned();
    assert!(!id.is_empty());
    assert!(seeded.iter().all(|g| g.id() != id), "a fresh id");
    assert_eq!(created.to_input(), input);
    assert!(created.creation.is_some() && created.last_modified.is_some());
    let got = groups.get(&id).await.unwrap();
    assert_eq!(got, created);
    let listed = groups.list().await.unwrap();
    assert_eq!(listed.len(), seeded.len() + 1);
    assert!(listed.contains(&created));

    // Update (PUT replaces every field).
    let replacement = GroupInput::new("Day shift").device("dev-03");
    let updated = groups.update(&id, &replacement).await.unwrap();
    assert_eq!(updated.to_input(), replacement);
    assert_eq!(updated.description, None);
    assert_eq!(updated.creation, created.creation);
    let got = groups.get(&id).await.unwrap();
    assert_eq!(got, updated);

    // Patch: test, replace, add, copy.
    let operations = [
        PatchOperation::test("/name", json!("Day shift")),
        PatchOperation::replace("/name", json!("Morning shift")),
        PatchOperation::add("/devices/-", json!("dev-04")),
        PatchOperation::copy("/name", "/description"),
    ];
    let patched = groups.patch(&id, &operations).await.unwrap();
    assert_eq!(patched.name, "Morning shift");
    assert_eq!(patched.description.as_deref(), Some("Morning shift"));
    assert_eq!(
        patched.devices,
        Some(vec!["dev-03".to_owned(), "dev-04".to_owned()])
    );
    // Patch: move, remove.
    let operations = [
        PatchOperation::replace("/description", json!("Early vans")),
        PatchOperation::move_("/description", "/name"),
        PatchOperation::remove("/devices/0"),
    ];
    let patched = groups.patch(&id, &operations).await.unwrap();
    assert_eq!(patched.name, "Early vans");
    assert_eq!(patched.description, None);
    assert_eq!(patched.devices, Some(vec!["dev-04".to_owned()]));
    let got = groups.get(&id).await.unwrap();
    assert_eq!(got, patched);

    // Delete.
    groups.delete(&id).await.unwrap();
    let gone = groups.get(&id).await;
    assert!(matches!(gone, Err(Error::NotFound { .. })), "{gone:?}");
    let listed = groups.list().await.unwrap();
    assert_eq!(listed, seeded);
}

#[maybe]
#[case]
async fn sandbox_user_lifecycle() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    let users = client.users();

    let seeded = users.list().await.unwrap();
    assert!(!seeded.is_empty());
    assert!(seeded.iter().all(|u| u.password.is_none()));
    let first = users.get(seeded[0].id()).await.unwrap();
    assert_eq!(first, seeded[0]);

    // Create: the password is accepted but never answered.
    let mut input = UserInput::new(
        "Rosa Vélez",
        "rosa.velez@example.com",
        "CO",
        "America/Bogota",
    );
    input.description = Some("Night dispatcher".into());
    input.message = Some("Welcome".into());
    input.privileges = Some(vec!["devices.read".into()]);
    input.tags = Some(BTreeMap::from([("employeeId".to_owned(), "E0042".to_owned())]).into());
    input.password = Some(Secret::new("correct horse battery staple"));
    let created = users.create(&input).await.unwrap();
    let id = created.id().to_owned();
    assert!(!id.is_empty());
    assert!(seeded.iter().all(|u| u.id() != id), "a fresh id");
    assert_eq!(created.password, None);
    let mut expected = input.clone();
    expected.password = None;
    assert_eq!(created.to_input(), expected);
    assert!(created.creation.is_some());
    let got = users.get(&id).await.unwrap();
    assert_eq!(got, created);
    let listed = users.list().await.unwrap();
    assert_eq!(listed.len(), seeded.len() + 1);
    assert!(listed.contains(&created));

    // Update (PUT replaces every field).
    let replacement = UserInput::new("Rosa Vélez", "rosa@example.com", "PE", "America/Lima");
    let updated = users.update(&id, &replacement).await.unwrap();
    assert_eq!(updated.to_input(), replacement);
    assert_eq!(updated.description, None);
    assert_eq!(updated.creation, created.creation);
    let got = users.get(&id).await.unwrap();
    assert_eq!(got, updated);

    // Patch: all six operations.
    let operations = [
        PatchOperation::test("/email", json!("rosa@example.com")),
        PatchOperation::replace("/country", json!("CO")),
        PatchOperation::add("/tags", json!({"shift": "night"})),
        PatchOperation::copy("/name", "/description"),
        PatchOperation::move_("/description", "/message"),
        PatchOperation::add("/disabledMessage", json!("temporary")),
        PatchOperation::remove("/disabledMessage"),
    ];
    let patched = users.patch(&id, &operations).await.unwrap();
    assert_eq!(patched.country, "CO");
    assert_eq!(patched.time_zone, "America/Lima");
    assert_eq!(patched.message.as_deref(), Some("Rosa Vélez"));
    assert_eq!(patched.description, None);
    assert_eq!(patched.disabled_message, None);
    assert_eq!(
        patched.tags,
        Some(BTreeMap::from([("shift".to_owned(), "night".to_owned())]).into())
    );
    assert_eq!(patched.password, None);
    let got = users.get(&id).await.unwrap();
    assert_eq!(got, patched);

    // Delete.
    users.delete(&id).await.unwrap();
    let gone = users.get(&id).await;
    assert!(matches!(gone, Err(Error::NotFound { .. })), "{gone:?}");
    let got = users.list().await.unwrap();
    assert_eq!(got, seeded);
}

#[maybe]
#[case]
async fn sandbox_countries_and_time_zones() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);

    let countries = client.users().countries().await.unwrap();
    assert!(countries.len() > 1, "{countries:?}");
    assert_eq!(countries.get("CO").map(String::as_str), Some("Colombia"));
    assert!(
        countries
            .iter()
            .all(|(code, name)| code.len() == 2 && !name.is_empty())
    );

    let zones = client.users().time_zones().await.unwrap();
    assert!(zones.len() > 1, "{zones:?}");
    assert!(zones.contains_key("America/Bogota"), "{zones:?}");
    assert!(zones.values().all(|name| !name.is_empty()));
}

#[maybe]
#[case]
async fn sandbox_token_and_usage_counters() {
    let sandbox = sandbox();
    let client = sandbox_client(&sandbox);
    assert!(client.usage().is_empty());

    let access = client.token().await.unwrap();
    let token = access.token.expose().to_owned();
    assert_eq!(token.split('.').count(), 3, "JWT-shaped");
    let lifetime = access.expires.unwrap() - sandbox.control().now();
    assert!(
        lifetime > Duration::minutes(59) && lifetime <= Duration::hours(1),
        "{lifetime:?}"
    );
    // The token request counts too.
    assert_eq!(client.usage().api_usage, Some(1));
    // Cached: no second request.
    let again = client.token().await.unwrap();
    assert_eq!(again, access);
    assert_eq!(client.usage().api_usage, Some(1));

    // Every request counts one more, on whichever endpoint.
    client.devices().list().await.unwrap();
    assert_eq!(client.usage().api_usage, Some(2));
    client.groups().list().await.unwrap();
    assert_eq!(client.usage().api_usage, Some(3));
    client.users().get("usr-1").await.unwrap();
    let usage = client.usage();
    assert_eq!(usage.api_usage, Some(4));
    let daily = usage.api_daily_usage.unwrap();
    assert!((1..=4).contains(&daily), "{usage:?}");
    // Clones share the counters; a second client has its own token and sees the account's.
    assert_eq!(client.clone().usage(), usage);
    let other = sandbox_client(&sandbox);
    other.devices().list().await.unwrap();
    assert_eq!(other.usage().api_usage, Some(6));
    let other_token = other.token().await.unwrap();
    assert_ne!(other_token.token, access.token);
}
