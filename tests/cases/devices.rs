//! The six device endpoints (#2–#7): method, path, headers and body on the wire, and the
//! decoded response.

use plaspy_types::{AlertsQuery, Command, CommandFormat};

use crate::support::*;
use crate::{case, maybe};
use plaspy_types::endpoints::QueryAlerts;

#[maybe]
#[case]
async fn list_devices() {
    let server = start_server().await;
    let token = token_mock(&server).await;
    let devices = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        let body =
            json!({"success": true, "devices": [device_json("dev-1"), {"id": 42, "name": null}]});
        ok(then, body);
    })
    .await;

    let result = client(&server).devices().list().await;
    assert_calls(&token, 1).await;
    assert_calls(&devices, 1).await;
    let devices = result.unwrap();
    assert_eq!(devices.len(), 2);
    let first = &devices[0];
    assert_eq!(first.id(), "dev-1");
    assert_eq!(first.name.as_deref(), Some("Truck 7"));
    assert_eq!(first.description.as_deref(), Some("Refrigerated"));
    assert_eq!(first.min.as_deref(), Some("3001234567"));
    assert_eq!(first.tags.as_ref().unwrap()["plate"], "ABC-123");
    assert_eq!(first.expires, Some(at("2030-01-01T00:00:00Z")));
    assert_eq!(first.extra.get("fleetColor").unwrap(), "red");
    // A numeric id keeps its text; a null name falls back to the id.
    assert_eq!(devices[1].id(), "42");
    assert_eq!(devices[1].display_name(), "42");
}

#[maybe]
#[case]
async fn get_device_with_an_id_needing_encoding() {
    let server = start_server().await;
    let token = token_mock(&server).await;
    let device = mock(&server, |when, then| {
        api(when, GET, &format!("/api/devices/{ODD_ID_ENCODED}"));
        ok(
            then,
            json!({"success": true, "device": device_json(ODD_ID)}),
        );
    })
    .await;

    let result = client(&server).devices().get(ODD_ID).await;
    assert_calls(&token, 1).await;
    assert_calls(&device, 1).await;
    let device = result.unwrap();
    assert_eq!(device.id(), ODD_ID);
    assert_eq!(device.display_name(), "Truck 7");
}

#[maybe]
#[case]
async fn last_location() {
    let server = start_server().await;
    token_mock(&server).await;
    let last = mock(&server, |when, then| {
        api(when, GET, "/api/devices/dev-1/lastLocation");
        ok(
            then,
            json!({"success": true, "lastLocation": location_json()}),
        );
    })
    .await;

    let result = client(&server).devices().last_location("dev-1").await;
    assert_calls(&last, 1).await;
    let fix = result.unwrap().expect("a position");
    assert_eq!(fix.date_time, at("2024-06-02T08:48:25.009Z"));
    assert_eq!((fix.latitude, fix.longitude), (4.711, -74.0721));
    assert_eq!(fix.speed, Some(42.5));
    assert_eq!(fix.course, Some(180.0));
    assert_eq!(fix.battery, Some(87));
    assert_eq!(fix.mileage, Some(12345.6));
    assert_eq!(fix.inputs, Some(vec![true, false]));
    assert_eq!(fix.alerts, Some(vec!["Speeding".to_owned()]));
}

#[maybe]
#[case]
async fn last_location_of_a_device_with_no_position_yet_is_none() {
    let server = start_server().await;
    token_mock(&server).await;
    let last = mock(&server, |when, then| {
        api(
            when,
            GET,
            &format!("/api/devices/{ODD_ID_ENCODED}/lastLocation"),
        );
        ok(then, json!({"success": true}));
    })
    .await;

    let result = client(&server).devices().last_location(ODD_ID).await;
    assert_calls(&last, 1).await;
    assert_eq!(result.unwrap(), None);
}

#[maybe]
#[case]
async fn locations_in_a_range() {
    let server = start_server().await;
    token_mock(&server).await;
    let locations = mock(&server, |when, then| {
        let body = json!({"from": "2024-06-01T00:00:00Z", "to": "2024-06-02T23:59:59Z"});
        api_json(when, POST, "/api/devices/dev-1/locations", body);
        let second =
            json!({"dateTime": "2024-06-02T09:00:00+02:00", "latitude": "4.8", "longitude": -74});
        ok(
            then,
            json!({"success": true, "locations": [location_json(), second]}),
        );
    })
    .await;

    let (from, to) = (at("2024-06-01T00:00:00Z"), at("2024-06-02T23:59:59Z"));
    let result = client(&server).devices().locations("dev-1", from, to).await;
    assert_calls(&locations, 1).await;
    let fixes = result.unwrap();
    assert_eq!(fixes.len(), 2);
    assert_eq!(fixes[0].latitude, 4.711);
    assert_eq!(fixes[1].date_time, at("2024-06-02T07:00:00Z"));
    assert_eq!((fixes[1].latitude, fixes[1].longitude), (4.8, -74.0));
}

#[maybe]
#[case]
async fn alerts_in_a_range_with_a_name_filter() {
    let server = start_server().await;
    token_mock(&server).await;
    let alerts = mock(&server, |when, then| {
        let path = format!("/api/devices/{ODD_ID_ENCODED}/alerts");
        let body = json!({
            "from": "2024-06-01T00:00:00Z",
            "to": "2024-06-03T00:00:00Z",
            "alertName": "Speeding"
        });
        api_json(when, POST, &path, body);
        ok(then, json!({"success": true, "alerts": [alert_json()]}));
    })
    .await;

    let (from, to) = (at("2024-06-01T00:00:00Z"), at("2024-06-03T00:00:00Z"));
    let result = client(&server)
        .execute(&QueryAlerts {
            id: ODD_ID,
            query: &AlertsQuery::new(from, to).name("Speeding"),
        })
        .await;
    assert_calls(&alerts, 1).await;
    let events = result.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].date_time, at("2024-06-02T09:00:00Z"));
    assert_eq!((events[0].latitude, events[0].longitude), (4.7, -74.05));
    assert_eq!(events[0].text.as_deref(), Some("Speed over 80 km/h"));
    assert_eq!(
        events[0].notifications,
        Some(vec!["Email".to_owned(), "SMS".to_owned()])
    );
    assert_eq!(events[0].alerts, Some(vec!["Speeding".to_owned()]));
}

#[maybe]
#[case]
async fn alerts_without_a_filter_send_no_alert_name() {
    let server = start_server().await;
    token_mock(&server).await;
    let alerts = mock(&server, |when, then| {
        let body = json!({"from": "2024-06-01T00:00:00Z", "to": "2024-06-03T00:00:00Z"});
        api_json(when, POST, "/api/devices/dev-1/alerts", body);
        ok(then, json!({"success": true, "alerts": null}));
    })
    .await;

    let (from, to) = (at("2024-06-01T00:00:00Z"), at("2024-06-03T00:00:00Z"));
    let result = client(&server).devices().alerts("dev-1", from, to).await;
    assert_calls(&alerts, 1).await;
    assert!(result.unwrap().is_empty());
}

#[maybe]
#[case]
async fn send_command() {
    let server = start_server().await;
    token_mock(&server).await;
    let command = mock(&server, |when, then| {
        let path = format!("/api/devices/{ODD_ID_ENCODED}/sendCommand");
        let body = json!({"command": "01 A0-FF", "format": "Hex", "sms": true});
        api_json(when, POST, &path, body);
        ok(then, json!({"success": true, "result": "Command queued"}));
    })
    .await;

    let hex = Command::hex("01 A0-FF").sms(true);
    assert_eq!(hex.format, CommandFormat::Hex);
    let result = client(&server).devices().send_command(ODD_ID, &hex).await;
    assert_calls(&command, 1).await;
    assert_eq!(result.unwrap(), "Command queued");
}

#[maybe]
#[case]
async fn send_text_command_over_gprs() {
    let server = start_server().await;
    token_mock(&server).await;
    let command = mock(&server, |when, then| {
        let body = json!({"command": "engineStop", "format": "Text"});
        api_json(when, POST, "/api/devices/dev-1/sendCommand", body);
        ok(then, json!({"success": true, "result": "OK"}));
    })
    .await;

    let result = client(&server)
        .devices()
        .send_command("dev-1", &Command::text("engineStop"))
        .await;
    assert_calls(&command, 1).await;
    assert_eq!(result.unwrap(), "OK");
}
