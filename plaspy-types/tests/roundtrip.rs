//! Unknown fields survive a decode → serialize round trip with identical values, at every
//! level: the envelope of a flattened group or user, inside a device, a location, an alert,
//! a token response; and through the read-modify-write path (`to_input`).

use chrono::{DateTime, Utc};
use plaspy_types::endpoints::{
    GetGroup, GetUser, LastLocation, ListDevices, QueryAlerts, RequestToken, UpdateGroup,
    UpdateUser,
};
use plaspy_types::{AlertsQuery, Credentials, Endpoint, HttpResponse};
use serde::Serialize;
use serde_json::{Map, Value, json};

const ENVELOPE: [&str; 4] = ["success", "error", "apiUsage", "apiDailyUsage"];

fn ok(body: &str) -> HttpResponse {
    HttpResponse::new(200, body)
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn object(value: &Value) -> &Map<String, Value> {
    value.as_object().expect("a JSON object")
}

/// Checks that every field of `original` outside `known` is in `written` with the same
/// value, and returns how many there were (so a test can insist there were some).
#[track_caller]
fn assert_unknowns_kept(original: &Value, written: &impl Serialize, known: &[&str]) -> usize {
    let written = serde_json::to_value(written).unwrap();
    let written = object(&written);
    let mut unknown = 0;
    for (key, value) in object(original) {
        if known.contains(&key.as_str()) || ENVELOPE.contains(&key.as_str()) {
            continue;
        }
        unknown += 1;
        assert_eq!(written.get(key), Some(value), "unknown field `{key}`");
    }
    for key in ENVELOPE {
        assert!(!written.contains_key(key), "envelope field `{key}` leaked");
    }
    unknown
}

const GROUP_FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "devices",
    "creation",
    "lastModified",
];
const USER_FIELDS: &[&str] = &[
    "id",
    "name",
    "email",
    "country",
    "timeZone",
    "description",
    "message",
    "disabled",
    "disabledMessage",
    "tags",
    "privileges",
    "group",
    "deviceId",
    "adminDevices",
    "from",
    "expires",
    "password",
    "creation",
    "modification",
    "lastLogin",
];
const DEVICE_FIELDS: &[&str] = &["id", "name", "description", "min", "tags", "expires"];
const LOCATION_FIELDS: &[&str] = &["dateTime", "latitude", "longitude", "milleage"];
const ALERT_FIELDS: &[&str] = &[
    "dateTime",
    "latitude",
    "longitude",
    "text",
    "notifications",
    "alerts",
];

#[test]
fn group_keeps_unknown_fields_from_the_envelope_level() {
    let text = include_str!("fixtures/roundtrip_group.json");
    let original: Value = serde_json::from_str(text).unwrap();
    let group = GetGroup::new("grp-rt").decode(&ok(text)).unwrap().value;

    let unknown = assert_unknowns_kept(&original, &group, GROUP_FIELDS);
    assert_eq!(unknown, 8);
    // Byte-level: floats stay floats, huge integers stay exact, nulls stay null.
    let written = serde_json::to_string(&group).unwrap();
    for fragment in [
        r#""priority":2.0"#,
        r#""bigCounter":18446744073709551615"#,
        r#""parentGroupId":null"#,
        r#""ratio":0.1"#,
        r#""labels":["norte",7,null,true]"#,
        r#""traceId":"b1d7e3c2-8f0a-4e55-9d1b-0c6a2f3e4d5c""#,
    ] {
        assert!(written.contains(fragment), "{fragment} not in {written}");
    }
    // The known fields are written back too, dates in canonical form.
    let written: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(written["name"], json!("Round trip"));
    assert_eq!(written["devices"], json!(["d-1", "d-2"]));
    assert_eq!(written["creation"], json!("2024-01-01T00:00:00Z"));

    // Decoding what was written gives the same group: the round trip is stable.
    let mut again = written.clone();
    again["success"] = json!(true);
    let group2 = GetGroup::new("grp-rt")
        .decode(&ok(&again.to_string()))
        .unwrap()
        .value;
    assert_eq!(group2, group);
}

#[test]
fn group_read_modify_write_sends_unknown_fields_back() {
    let text = include_str!("fixtures/roundtrip_group.json");
    let original: Value = serde_json::from_str(text).unwrap();
    let group = GetGroup::new("grp-rt").decode(&ok(text)).unwrap().value;
    let mut input = group.to_input();
    input.name = "Renamed".into();
    let body = UpdateGroup::new("grp-rt", &input)
        .request()
        .unwrap()
        .body
        .unwrap();
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["name"], json!("Renamed"));
    assert_eq!(body["geofence"], original["geofence"]);
    assert_eq!(body["bigCounter"], original["bigCounter"]);
    // Server-set fields are not part of the input.
    assert!(body.get("id").is_none() && body.get("creation").is_none());
}

#[test]
fn user_keeps_unknown_fields() {
    let text = include_str!("fixtures/roundtrip_user.json");
    let original: Value = serde_json::from_str(text).unwrap();
    let user = GetUser::new("usr-rt").decode(&ok(text)).unwrap().value;
    assert_eq!(assert_unknowns_kept(&original, &user, USER_FIELDS), 5);
    assert_eq!(
        user.extra.get("notificationSettings").unwrap()["sms"]["quietHours"],
        json!([22, 6])
    );

    // And through `to_input` into an update body.
    let input = user.to_input();
    let body = UpdateUser::new("usr-rt", &input)
        .request()
        .unwrap()
        .body
        .unwrap();
    let body: Value = serde_json::from_slice(&body).unwrap();
    for key in [
        "language",
        "notificationSettings",
        "loginCount",
        "score",
        "sso",
    ] {
        assert_eq!(body[key], original[key], "{key}");
    }
    assert!(body.as_object().unwrap().contains_key("sso"), "null kept");
}

#[test]
fn user_update_body_leaves_out_server_set_dates_and_password() {
    let text = include_str!("fixtures/users_list.json");
    let original: Value = serde_json::from_str(text).unwrap();
    let users = plaspy_types::endpoints::ListUsers::default()
        .decode(&ok(text))
        .unwrap()
        .value;
    let input = users[0].to_input();
    let body: Value = serde_json::to_value(&input).unwrap();
    for key in ["creation", "modification", "lastLogin", "password", "id"] {
        assert!(body.get(key).is_none(), "{key} must not be sent");
    }
    assert_eq!(body["language"], original["users"][0]["language"]);
    assert_eq!(body["expires"], json!("2026-01-01T04:59:59.9999999Z"));
    assert_eq!(
        body["expires"].as_str().map(at),
        Some(at("2025-12-31T23:59:59.9999999-05:00"))
    );
}

#[test]
fn devices_keep_unknown_fields() {
    let text = include_str!("fixtures/roundtrip_devices.json");
    let original: Value = serde_json::from_str(text).unwrap();
    let devices = ListDevices.decode(&ok(text)).unwrap().value;
    assert_eq!(devices.len(), 2);
    let counts: Vec<usize> = devices
        .iter()
        .enumerate()
        .map(|(i, d)| assert_unknowns_kept(&original["devices"][i], d, DEVICE_FIELDS))
        .collect();
    assert_eq!(counts, [4, 3]);
    let written = serde_json::to_string(&devices[0]).unwrap();
    assert!(written.contains(r#""speedLimit":80.0"#), "{written}");
    assert!(
        written.contains(r#""iccid":"8957101234567890123""#),
        "{written}"
    );
    let written = serde_json::to_string(&devices[1]).unwrap();
    assert!(written.contains(r#""customFields":[]"#), "{written}");
    assert!(written.contains(r#""notes":"""#), "{written}");
    assert!(written.contains(r#""lastIgnition":null"#), "{written}");
}

#[test]
fn location_keeps_unknown_fields() {
    let text = include_str!("fixtures/roundtrip_location.json");
    let original: Value = serde_json::from_str(text).unwrap();
    let fix = LastLocation { id: "d" }
        .decode(&ok(text))
        .unwrap()
        .value
        .unwrap();
    let unknown = assert_unknowns_kept(&original["lastLocation"], &fix, LOCATION_FIELDS);
    assert_eq!(unknown, 6);
    let written = serde_json::to_value(&fix).unwrap();
    // Known fields: same values, canonical date form.
    assert_eq!(written["milleage"], original["lastLocation"]["milleage"]);
    assert_eq!(written["latitude"], original["lastLocation"]["latitude"]);
    assert_eq!(written["dateTime"], json!("2024-11-02T13:41:07.009Z"));
    assert_eq!(
        written["can"],
        json!({"engineHours": 12034.5, "dtc": ["P0420", "P0171"], "raw": null})
    );
}

#[test]
fn alerts_and_token_keep_unknown_fields() {
    let text = include_str!("fixtures/roundtrip_alerts.json");
    let original: Value = serde_json::from_str(text).unwrap();
    let query = AlertsQuery::new(at("2024-10-31T00:00:00Z"), at("2024-11-01T00:00:00Z"));
    let alerts = QueryAlerts {
        id: "d",
        query: &query,
    }
    .decode(&ok(text))
    .unwrap()
    .value;
    assert_eq!(
        assert_unknowns_kept(&original["alerts"][0], &alerts[0], ALERT_FIELDS),
        3
    );

    let text = include_str!("fixtures/token_ok.json");
    let original: Value = serde_json::from_str(text).unwrap();
    let credentials = Credentials::new("flota-andina", "k");
    let token = RequestToken {
        credentials: &credentials,
    }
    .decode(&ok(text))
    .unwrap()
    .value;
    assert_eq!(
        assert_unknowns_kept(&original, &token, &["token", "expires"]),
        1
    );
}
