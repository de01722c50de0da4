//! What real servers send beyond the tidy examples, each case with its own test: date-time
//! variants, ids as numbers, `null` everywhere, integers written as `12.0`, unknown fields,
//! envelopes without payload, and the misspelt `milleage`.

use chrono::{DateTime, Duration, Utc};
use plaspy_types::endpoints::{
    GetDevice, GetGroup, GetUser, LastLocation, ListCountries, ListDevices, ListGroups,
    ListTimeZones, ListUsers, QueryAlerts, QueryLocations, RequestToken, SendCommand,
};
use plaspy_types::{
    AlertsQuery, Command, Credentials, Device, Endpoint, HttpResponse, Location, LocationsQuery,
};
use serde_json::{Value, json};

fn ok(body: &str) -> HttpResponse {
    HttpResponse::new(200, body)
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn locations(body: &str) -> Vec<Location> {
    let query = LocationsQuery::new(at("2024-01-01T00:00:00Z"), at("2024-12-31T00:00:00Z"));
    QueryLocations {
        id: "d",
        query: &query,
    }
    .decode(&ok(body))
    .unwrap()
    .value
}

fn last_location(body: &str) -> Option<Location> {
    LastLocation { id: "d" }.decode(&ok(body)).unwrap().value
}

fn device(body: &str) -> Device {
    GetDevice { id: "d" }.decode(&ok(body)).unwrap().value
}

#[test]
fn datetimes_with_z_offsets_no_offset_and_0_to_7_fraction_digits() {
    let fixes = locations(include_str!("fixtures/datetimes_locations.json"));
    let base = at("2024-06-02T08:48:25Z");
    let ms = Duration::milliseconds;
    let us = Duration::microseconds;
    let ns = Duration::nanoseconds;
    let expected = [
        ("Z", base),
        ("+02:00", base),
        ("-05:00", base),
        ("+0530 (no colon)", base),
        ("no offset = UTC", base),
        ("1 digit", base + ms(500)),
        ("2 digits", base + ms(510)),
        ("3 digits", base + ms(512)),
        ("4 digits, no offset", base + us(512_300)),
        ("5 digits, -03:00", base + Duration::hours(3) + us(512_340)),
        ("6 digits, no offset", base + us(512_345)),
        ("7 digits, Z", base + ns(512_345_600)),
        ("7 digits with zeros", base + ms(9)),
        ("7 digits, no offset", base + ns(123_456_700)),
        ("7 digits, +02:00", base + ns(123_456_700)),
        ("space separator", base),
    ];
    assert_eq!(fixes.len(), expected.len());
    for (i, (fix, (what, want))) in fixes.iter().zip(expected).enumerate() {
        assert_eq!(fix.date_time, want, "#{i}: {what}");
        assert_eq!(fix.latitude, (i + 1) as f64, "#{i} kept its order");
    }
    // Written back in one canonical form: UTC, `Z`, fraction only when there is one.
    let written: Vec<Value> = fixes
        .iter()
        .map(|f| serde_json::to_value(f).unwrap()["dateTime"].clone())
        .collect();
    assert_eq!(written[1], json!("2024-06-02T08:48:25Z"));
    assert_eq!(written[11], json!("2024-06-02T08:48:25.5123456Z"));
    assert_eq!(written[12], json!("2024-06-02T08:48:25.009Z"));
}

#[test]
fn datetimes_in_every_dated_model() {
    let d = device(r#"{"device":{"id":"d","expires":"2025-07-01T00:00:00.1234567-05:00"}}"#);
    assert_eq!(d.expires, Some(at("2025-07-01T05:00:00.1234567Z")));

    let g = GetGroup::new("g")
        .decode(&ok(
            r#"{"name":"G","creation":"2023-02-14T05:00:00","lastModified":"2023-02-14T05:00:00.5+01:00"}"#,
        ))
        .unwrap()
        .value;
    assert_eq!(g.creation, Some(at("2023-02-14T05:00:00Z")));
    assert_eq!(g.last_modified, Some(at("2023-02-14T04:00:00.5Z")));

    let u = GetUser::new("u")
        .decode(&ok(
            r#"{"name":"U","email":"u@x.co","country":"CO","timeZone":"America/Bogota",
            "from":"2024-01-01T00:00:00Z","expires":"2024-12-31T23:59:59.9999999",
            "creation":"2023-12-20T10:30:00-05:00","modification":"2024-09-03T11:12:13.12Z",
            "lastLogin":"2024-11-02T12:58:31+00:00"}"#,
        ))
        .unwrap()
        .value;
    assert_eq!(u.from, Some(at("2024-01-01T00:00:00Z")));
    assert_eq!(u.expires, Some(at("2024-12-31T23:59:59.9999999Z")));
    assert_eq!(u.creation, Some(at("2023-12-20T15:30:00Z")));
    assert_eq!(u.modification, Some(at("2024-09-03T11:12:13.12Z")));
    assert_eq!(u.last_login, Some(at("2024-11-02T12:58:31Z")));

    let credentials = Credentials::new("u", "k");
    let token = RequestToken {
        credentials: &credentials,
    }
    .decode(&ok(
        r#"{"token":"t","expires":"2025-03-14T17:20:00.5+01:00"}"#,
    ))
    .unwrap()
    .value;
    assert_eq!(token.expires, Some(at("2025-03-14T16:20:00.5Z")));
}

#[test]
fn null_and_empty_datetimes_are_absent() {
    assert_eq!(
        device(include_str!("fixtures/nulls_device.json")).expires,
        None
    );
    assert_eq!(
        device(r#"{"device":{"id":"d","expires":""}}"#).expires,
        None
    );
    assert_eq!(
        device(r#"{"device":{"id":"d","expires":"  "}}"#).expires,
        None
    );
    let credentials = Credentials::new("u", "k");
    let token = RequestToken {
        credentials: &credentials,
    }
    .decode(&ok(r#"{"token":"t","expires":null}"#))
    .unwrap()
    .value;
    assert_eq!(token.expires, None);
}

#[test]
fn ids_sent_as_json_numbers_keep_their_text() {
    let devices = ListDevices
        .decode(&ok(include_str!("fixtures/numeric_ids_devices.json")))
        .unwrap()
        .value;
    let ids: Vec<&str> = devices.iter().map(Device::id).collect();
    // Beyond 2^53: exact, not rounded through a float.
    assert_eq!(ids, ["40417", "9007199254740993", "0042"]);
    assert_eq!(devices[0].min.as_deref(), Some("3159876543"));

    let group = GetGroup::new("311")
        .decode(&ok(include_str!("fixtures/numeric_ids_group.json")))
        .unwrap()
        .value;
    assert_eq!(group.id.as_deref(), Some("311"));
    assert_eq!(
        group.devices,
        Some(vec![
            "40417".to_owned(),
            "867730051234567".to_owned(),
            "9007199254740993".to_owned()
        ])
    );

    let user = GetUser::new("1042")
        .decode(&ok(include_str!("fixtures/numeric_ids_user.json")))
        .unwrap()
        .value;
    assert_eq!(user.id.as_deref(), Some("1042"));
    assert_eq!(user.group.as_deref(), Some("311"));
    assert_eq!(user.device_id.as_deref(), Some("40417"));

    // Written back as text: the SDK's ids are strings.
    assert_eq!(serde_json::to_value(&group).unwrap()["id"], json!("311"));
}

#[test]
fn null_for_every_optional_device_field() {
    let reply = GetDevice { id: "dev-null" }
        .decode(&ok(include_str!("fixtures/nulls_device.json")))
        .unwrap();
    assert!(reply.usage.is_empty(), "null counters are absent");
    let d = reply.value;
    assert_eq!(d.id(), "dev-null");
    assert_eq!(
        (&d.name, &d.description, &d.min, &d.tags, &d.expires),
        (&None, &None, &None, &None, &None)
    );
    assert!(d.extra.is_empty(), "known nulls do not leak into extra");
    assert_eq!(d.display_name(), "dev-null");
}

#[test]
fn null_for_every_optional_location_field() {
    let fix = last_location(include_str!("fixtures/nulls_location.json")).unwrap();
    let bare = Location::new(at("2024-11-02T00:00:00Z"), -0.1806532, -78.4678382);
    assert_eq!(
        fix, bare,
        "every optional field, arrays and maps included, is None"
    );
    // Null elements inside lists and maps do not fail either.
    let fix = last_location(
        r#"{"lastLocation":{"dateTime":"2024-11-02T00:00:00Z","latitude":1,"longitude":2,
            "alerts":[null,"Pánico"],"inputs":[null,true],"attributes":{"k":null},
            "accessoriesAttributes":[null,{"a":"b"}]}}"#,
    )
    .unwrap();
    assert_eq!(fix.alerts, Some(vec![String::new(), "Pánico".to_owned()]));
    assert_eq!(fix.inputs, Some(vec![false, true]));
    assert_eq!(fix.attributes.unwrap()["k"], "");
    let accessories = fix.accessories_attributes.unwrap();
    assert!(accessories[0].is_empty());
    assert_eq!(accessories[1]["a"], "b");
}

#[test]
fn null_for_every_optional_alert_group_and_user_field() {
    let query = AlertsQuery::new(at("2024-11-01T00:00:00Z"), at("2024-11-02T00:00:00Z"));
    let alerts = QueryAlerts {
        id: "d",
        query: &query,
    }
    .decode(&ok(include_str!("fixtures/nulls_alerts.json")))
    .unwrap()
    .value;
    assert_eq!(alerts.len(), 1);
    assert_eq!(
        (&alerts[0].text, &alerts[0].notifications, &alerts[0].alerts),
        (&None, &None, &None)
    );

    let group = GetGroup::new("g")
        .decode(&ok(include_str!("fixtures/nulls_group.json")))
        .unwrap()
        .value;
    assert_eq!(group.name, "Grupo nulo");
    assert_eq!(group.id, None);
    assert_eq!(group.description, None);
    assert_eq!(group.devices, None);
    assert_eq!(group.creation, None);
    assert_eq!(group.last_modified, None);
    assert!(group.extra.is_empty());

    let user = GetUser::new("usr-nulls")
        .decode(&ok(include_str!("fixtures/nulls_user.json")))
        .unwrap()
        .value;
    assert_eq!(user.name, "Usuario Sin Datos");
    assert_eq!(user.time_zone, "America/Lima");
    assert!(user.description.is_none() && user.message.is_none());
    assert!(user.disabled.is_none() && user.disabled_message.is_none());
    assert!(user.tags.is_none() && user.privileges.is_none());
    assert!(user.group.is_none() && user.device_id.is_none());
    assert!(user.admin_devices.is_none() && user.password.is_none());
    assert!(user.from.is_none() && user.expires.is_none());
    assert!(user.creation.is_none() && user.modification.is_none());
    assert!(user.last_login.is_none());
    assert!(user.extra.is_empty());
}

#[test]
fn null_payloads_and_lists() {
    assert!(
        ListDevices
            .decode(&ok(r#"{"success":true,"devices":null}"#))
            .unwrap()
            .value
            .is_empty()
    );
    assert!(
        ListGroups::default()
            .decode(&ok(r#"{"groups":null,"apiUsage":null}"#))
            .unwrap()
            .value
            .is_empty()
    );
    assert!(
        ListCountries
            .decode(&ok(r#"{"success":true,"countries":null}"#))
            .unwrap()
            .value
            .is_empty()
    );
    assert!(
        ListTimeZones
            .decode(&ok(r#"{"success":true,"timeZones":null}"#))
            .unwrap()
            .value
            .is_empty()
    );
    // `null` for the envelope's own fields.
    let reply = ListUsers::default()
        .decode(&ok(
            r#"{"success":null,"error":null,"apiUsage":null,"apiDailyUsage":null,"users":[]}"#,
        ))
        .unwrap();
    assert!(reply.value.is_empty());
    assert!(reply.usage.is_empty());
}

#[test]
fn integers_written_as_floats() {
    let reply = LastLocation { id: "d" }
        .decode(&ok(include_str!("fixtures/float_ints_location.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(12));
    assert_eq!(reply.usage.api_daily_usage, Some(3));
    let fix = reply.value.unwrap();
    assert_eq!(fix.battery, Some(12));
    assert_eq!(fix.fuel, Some(40));
    assert_eq!(fix.fuel2, Some(0));
    assert_eq!(fix.sensor_time1, Some(60));
    assert_eq!(fix.sensor_time2, Some(120));
    assert_eq!(fix.sensor_time3, Some(1));
    assert_eq!(fix.sensor_time4, Some(3600));
    assert_eq!(fix.inactive_seconds, Some(86400));
    assert_eq!(fix.rpm, Some(900));
    // And numbers documented as numbers may come as integers.
    assert_eq!(fix.latitude, 4.0);
    assert_eq!(fix.speed, Some(12.0));
    assert_eq!(fix.mileage, Some(1200.0));
    // Written back as integers.
    let written = serde_json::to_string(&fix).unwrap();
    assert!(written.contains(r#""battery":12,"#), "{written}");

    let user = GetUser::new("u")
        .decode(&ok(
            r#"{"name":"U","email":"u@x.co","country":"CO","timeZone":"UTC","adminDevices":25.0}"#,
        ))
        .unwrap()
        .value;
    assert_eq!(user.admin_devices, Some(25));
}

#[test]
fn numbers_and_bools_in_looser_shapes() {
    let fix = last_location(
        r#"{"lastLocation":{"dateTime":"2024-11-02T00:00:00Z","latitude":"6.2442","longitude":" -75.58 ",
            "speed":"0","battery":"87","hasCriticalAlert":"TRUE","inputs":[1,0,"true","0"],"outputs":[0]}}"#,
    )
    .unwrap();
    assert_eq!(fix.latitude, 6.2442);
    assert_eq!(fix.longitude, -75.58);
    assert_eq!(fix.speed, Some(0.0));
    assert_eq!(fix.battery, Some(87));
    assert_eq!(fix.has_critical_alert, Some(true));
    assert_eq!(fix.inputs, Some(vec![true, false, true, false]));
    assert_eq!(fix.outputs, Some(vec![false]));

    // Envelope flags and counters in string form.
    let reply = ListDevices
        .decode(&ok(r#"{"success":"true","apiUsage":"41","devices":[]}"#))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(41));
    assert!(
        ListDevices
            .decode(&ok(r#"{"success":"false","error":"no","devices":[]}"#))
            .is_err()
    );
}

#[test]
fn unknown_fields_at_every_level_do_not_break_decoding() {
    let body = r#"{
        "success": true, "apiVersion": "2.3", "links": {"self": "/api/devices"},
        "devices": [{"id": "d1", "vehicle": {"plate": "ABC-123"}, "flags": [1, 2]}],
        "paging": {"page": 1, "pageSize": 500, "total": 1}
    }"#;
    let devices = ListDevices.decode(&ok(body)).unwrap().value;
    assert_eq!(devices[0].id(), "d1");
    assert_eq!(
        devices[0].extra.get("vehicle").unwrap(),
        json!({"plate": "ABC-123"})
    );

    let fix = last_location(
        r#"{"trace":{"ms":4},"lastLocation":{"dateTime":"2024-11-02T00:00:00Z","latitude":1,"longitude":2,
            "can":{"dtc":["P0420"]}}}"#,
    )
    .unwrap();
    assert_eq!(fix.extra.get("can").unwrap(), json!({"dtc": ["P0420"]}));
}

#[test]
fn success_without_payload_is_nothing_not_an_error() {
    // The device has not reported a position yet.
    let reply = LastLocation { id: "d" }
        .decode(&ok(include_str!("fixtures/last_location_none.json")))
        .unwrap();
    assert_eq!(reply.value, None);
    assert_eq!(reply.usage.api_usage, Some(78));
    assert_eq!(reply.usage.api_daily_usage, Some(9));
    assert_eq!(
        last_location(include_str!("fixtures/last_location_null.json")),
        None
    );
    assert_eq!(last_location("{}"), None, "no `success` at all on a 2xx");

    // Lists and maps: empty.
    let empty = r#"{"success":true}"#;
    assert!(ListDevices.decode(&ok(empty)).unwrap().value.is_empty());
    assert!(locations(empty).is_empty());
    let query = AlertsQuery::new(at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"));
    assert!(
        QueryAlerts {
            id: "d",
            query: &query
        }
        .decode(&ok(empty))
        .unwrap()
        .value
        .is_empty()
    );
    assert!(
        ListGroups::default()
            .decode(&ok(empty))
            .unwrap()
            .value
            .is_empty()
    );
    assert!(
        ListUsers::default()
            .decode(&ok(empty))
            .unwrap()
            .value
            .is_empty()
    );
    assert!(ListCountries.decode(&ok(empty)).unwrap().value.is_empty());
    assert!(ListTimeZones.decode(&ok(empty)).unwrap().value.is_empty());
    // A command accepted without a result text.
    let command = Command::text("getinfo");
    assert_eq!(
        SendCommand {
            id: "d",
            command: &command
        }
        .decode(&ok(empty))
        .unwrap()
        .value,
        ""
    );
}

#[test]
fn milleage_on_the_wire_is_mileage_in_rust() {
    let fix = last_location(include_str!("fixtures/last_location.json")).unwrap();
    assert_eq!(fix.mileage, Some(183422.7));
    assert!(!fix.extra.contains_key("milleage"), "a known field");

    // Serialized back under the wire name, not the Rust one.
    let written = serde_json::to_value(&fix).unwrap();
    assert_eq!(written["milleage"], json!(183422.7));
    assert!(written.get("mileage").is_none(), "{written}");

    // A server that also sends a correctly spelt field does not break decoding: the
    // contract's `milleage` fills `mileage`, the other is kept verbatim as an unknown field.
    let both = last_location(
        r#"{"lastLocation":{"dateTime":"2024-11-02T00:00:00Z","latitude":1,"longitude":2,"milleage":42.5,"mileage":43}}"#,
    )
    .unwrap();
    assert_eq!(both.mileage, Some(42.5));
    assert_eq!(both.extra.get("mileage").unwrap(), json!(43));

    // The query filter sends it with the wire spelling too.
    let mut query = LocationsQuery::new(at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"));
    let mut filter = Location::new(at("2024-01-01T12:00:00Z"), 1.0, 2.0);
    filter.mileage = Some(10.0);
    query.location = Some(filter);
    let body = QueryLocations {
        id: "d",
        query: &query,
    }
    .request()
    .unwrap()
    .body
    .unwrap();
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["location"]["milleage"], json!(10.0));
}

#[test]
fn scalar_values_in_string_maps_keep_their_text() {
    let d = device(
        r#"{"device":{"id":"d","tags":{"axles":3,"weight":12.5,"hazmat":false,"label":"Ñandú"}}}"#,
    );
    let tags = d.tags.unwrap();
    assert_eq!(tags["axles"], "3");
    assert_eq!(tags["weight"], "12.5");
    assert_eq!(tags["hazmat"], "false");
    assert_eq!(tags["label"], "Ñandú");
}
