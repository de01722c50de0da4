//! The 21 endpoints of the API, one test each: the request it builds (method, path with
//! percent-encoded ids, JSON body, retry safety, authentication) and how it decodes a
//! success body and an error body, always through the `Endpoint` trait.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use plaspy_types::endpoints::{
    CreateGroup, CreateUser, DeleteGroup, DeleteUser, GetDevice, GetGroup, GetUser, LastLocation,
    ListCountries, ListDevices, ListGroups, ListTimeZones, ListUsers, PatchGroup, PatchUser,
    QueryAlerts, QueryLocations, RequestToken, SendCommand, UpdateGroup, UpdateUser,
};
use plaspy_types::{
    AlertsQuery, Command, Credentials, Endpoint, Error, GroupInput, HttpResponse, Location,
    LocationsQuery, Method, PatchOperation, Secret, UserInput,
};
use serde_json::{Value, json};

/// An id that needs percent-encoding, and how it must appear in a path.
const ODD_ID: &str = "a/b c";
const ODD_ID_ENCODED: &str = "a%2Fb%20c";

fn response(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body)
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a valid RFC 3339 date in the test")
}

#[track_caller]
fn assert_request<E: Endpoint>(
    endpoint: &E,
    method: Method,
    path: &str,
    body: Option<Value>,
    retry_safe: bool,
    authenticated: bool,
) {
    let request = endpoint.request().expect("the request builds");
    assert_eq!(request.method, method, "method");
    assert_eq!(request.path, path, "path");
    let sent = request
        .body
        .as_deref()
        .map(|b| serde_json::from_slice::<Value>(b).expect("the body is JSON"));
    assert_eq!(sent, body, "body");
    assert_eq!(request.retry_safe, retry_safe, "retry_safe");
    assert_eq!(request.authenticated, authenticated, "authenticated");
    // The request agrees with the trait's own answers.
    assert_eq!(endpoint.method(), method);
    assert_eq!(endpoint.path().unwrap(), path);
    assert_eq!(endpoint.retry_safe(), retry_safe);
    assert_eq!(endpoint.authenticated(), authenticated);
}

#[track_caller]
fn assert_invalid_input<T: std::fmt::Debug>(result: Result<T, Error>, needle: &str) {
    match result {
        Err(Error::InvalidInput { message, .. }) => {
            assert!(message.contains(needle), "`{message}` lacks `{needle}`")
        }
        other => panic!("expected InvalidInput containing `{needle}`, got {other:?}"),
    }
}

fn group_input() -> GroupInput {
    GroupInput::new("Ruta Costa")
        .description("Barranquilla – Cartagena – Santa Marta")
        .device("867730059876543")
}

fn user_input() -> UserInput {
    let mut input = UserInput::new(
        "María Gómez",
        "maria.gomez@transportesandinos.co",
        "EC",
        "America/Guayaquil",
    );
    input.description = Some("Supervisora Quito".into());
    input.privileges = Some(vec!["Devices".into()]);
    input.group = Some("grp-8d41".into());
    input.admin_devices = Some(3);
    input.tags = Some(BTreeMap::from([("turno".into(), "noche".into())]).into());
    input.password = Some(Secret::new("Temporal-2024*"));
    input
}

// 1. POST /api/Auth/Token
#[test]
fn e01_request_token() {
    let credentials = Credentials::new("flota-andina", "k3y-Zr9!");
    let endpoint = RequestToken {
        credentials: &credentials,
    };
    assert_request(
        &endpoint,
        Method::Post,
        "/api/Auth/Token",
        Some(json!({"userName": "flota-andina", "apiKey": "k3y-Zr9!"})),
        true,
        false,
    );

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/token_ok.json")))
        .unwrap();
    assert_eq!(
        reply.value.token.expose(),
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJmbG90YS1hbmRpbmEiLCJleHAiOjE3NDE5Njk2MDB9.Qm9ndXNTaWduYXR1cmVGb3JUZXN0c09ubHk"
    );
    assert_eq!(reply.value.extra.get("tokenType").unwrap(), json!("Bearer"));
    assert_eq!(
        reply.value.expires,
        Some(at("2025-03-14T16:20:00.1234567Z"))
    );
    assert_eq!(reply.usage.api_usage, Some(3));

    let err = endpoint
        .decode(&response(
            401,
            include_str!("fixtures/token_refused_401.json"),
        ))
        .unwrap_err();
    match err {
        Error::BadCredentials { message, .. } => {
            assert_eq!(message, "Usuario o clave de API incorrectos")
        }
        other => panic!("expected BadCredentials, got {other:?}"),
    }

    // Missing credentials never leave the machine.
    let blank = Credentials::new("  ", "k");
    assert!(matches!(
        RequestToken {
            credentials: &blank
        }
        .request(),
        Err(Error::InvalidConfig { .. })
    ));
    let keyless = Credentials::new("flota-andina", "");
    assert!(matches!(
        RequestToken {
            credentials: &keyless
        }
        .request(),
        Err(Error::InvalidConfig { .. })
    ));
}

// 2. GET /api/devices
#[test]
fn e02_list_devices() {
    let endpoint = ListDevices;
    assert_request(&endpoint, Method::Get, "/api/devices", None, true, true);

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/devices_list.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(1482));
    assert_eq!(reply.usage.api_daily_usage, Some(57));
    let devices = reply.value;
    assert_eq!(devices.len(), 4);

    let truck = &devices[0];
    assert_eq!(truck.id(), "867730051234567");
    assert_eq!(truck.name.as_deref(), Some("Camión 12 – Ruta Norte"));
    assert_eq!(
        truck.description.as_deref(),
        Some("Kenworth T800, placa WGK-482")
    );
    assert_eq!(truck.min.as_deref(), Some("+573001112233"));
    let tags = truck.tags.as_ref().unwrap();
    assert_eq!(tags["depot"], "Bogotá");
    assert_eq!(tags["axles"], "3");
    assert_eq!(truck.expires, Some(at("2026-01-31T23:59:59Z")));
    assert_eq!(truck.extra.get("protocol").unwrap(), json!("teltonika"));

    let van = &devices[1];
    assert_eq!(van.id(), "40417");
    assert_eq!(van.min.as_deref(), Some("3159876543"));
    assert_eq!(van.description, None);
    assert_eq!(van.tags, None);
    assert_eq!(van.expires, Some(at("2025-07-01T05:00:00Z")));

    let moto = &devices[2];
    assert_eq!(moto.id(), "moto/07 norte");
    assert_eq!(
        moto.display_name(),
        "moto/07 norte",
        "empty name falls back"
    );
    assert_eq!(moto.tags, Some(plaspy_types::TextMap::new()));
    assert_eq!(moto.expires, Some(at("2025-12-15T08:30:00Z")));

    let trailer = &devices[3];
    assert_eq!(trailer.display_name(), "Remolque 9");
    assert_eq!(trailer.expires, None);
    assert_eq!(
        trailer.tags,
        Some(
            BTreeMap::from([
                ("note".to_owned(), String::new()),
                ("refrigerated".to_owned(), "true".to_owned()),
            ])
            .into()
        )
    );

    let err = endpoint
        .decode(&response(
            403,
            include_str!("fixtures/devices_list_error_403.json"),
        ))
        .unwrap_err();
    match err {
        Error::Forbidden { message, .. } => assert_eq!(
            message.as_deref(),
            Some("This account has no access to the devices of sub-account 'andina-sur'")
        ),
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

// 3. GET /api/devices/{deviceId}
#[test]
fn e03_get_device() {
    let endpoint = GetDevice { id: ODD_ID };
    assert_request(
        &endpoint,
        Method::Get,
        &format!("/api/devices/{ODD_ID_ENCODED}"),
        None,
        true,
        true,
    );

    let reply = GetDevice {
        id: "867730059876543",
    }
    .decode(&response(200, include_str!("fixtures/device_get.json")))
    .unwrap();
    assert_eq!(reply.usage.api_usage, Some(88));
    let device = reply.value;
    assert_eq!(device.id(), "867730059876543");
    assert_eq!(device.name.as_deref(), Some("Bus escolar 4"));
    assert_eq!(
        device.description.as_deref(),
        Some("Mercedes-Benz LO 916 · 32 puestos")
    );
    assert_eq!(device.min.as_deref(), Some("573124455667"));
    assert_eq!(device.tags.as_ref().unwrap()["capacity"], "32");
    assert_eq!(device.expires, Some(at("2025-02-28T05:00:00.250Z")));
    assert_eq!(device.extra.get("firmware").unwrap(), json!("03.28.07"));

    let err = endpoint
        .decode(&response(
            404,
            include_str!("fixtures/device_get_error_404.json"),
        ))
        .unwrap_err();
    match err {
        Error::NotFound { message, .. } => assert_eq!(
            message.as_deref(),
            Some("Device 'bogus-1' does not exist or is not active")
        ),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

// 4. GET /api/devices/{deviceId}/lastLocation
#[test]
fn e04_last_location() {
    let endpoint = LastLocation { id: ODD_ID };
    assert_request(
        &endpoint,
        Method::Get,
        &format!("/api/devices/{ODD_ID_ENCODED}/lastLocation"),
        None,
        true,
        true,
    );

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/last_location.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(77));
    let fix = reply.value.expect("a position");
    assert_eq!(fix.date_time, at("2024-11-02T13:41:07.512Z"));
    assert_eq!(fix.latitude, 4.6482837);
    assert_eq!(fix.longitude, -74.0478519);
    assert_eq!(fix.speed, Some(47.3));
    assert_eq!(fix.course, Some(271.0));
    assert_eq!(fix.battery, Some(87));
    assert_eq!(fix.fuel, Some(54));
    assert_eq!(fix.fuel2, None);
    assert_eq!(fix.temperature, Some(-2.5));
    assert_eq!(fix.temperature2, Some(4.0));
    assert_eq!(fix.sensor_time1, Some(3600));
    assert_eq!(fix.sensor_time2, Some(0));
    assert_eq!(fix.sensor_time3, None);
    assert_eq!(fix.sensor_time4, Some(12));
    assert_eq!(fix.inactive_seconds, Some(0));
    assert_eq!(fix.rpm, Some(1850));
    assert_eq!(fix.mileage, Some(183422.7));
    assert_eq!(
        fix.warning_texts,
        Some(vec!["Batería baja en accesorio".to_owned()])
    );
    assert_eq!(fix.alert_texts, Some(vec![]));
    assert_eq!(fix.alerts, Some(vec!["Exceso de velocidad".to_owned()]));
    assert_eq!(fix.warnings, None);
    assert_eq!(fix.has_critical_alert, Some(false));
    let attributes = fix.attributes.as_ref().unwrap();
    assert_eq!(attributes["ignition"], "true");
    assert_eq!(attributes["hdop"], "0.9");
    assert_eq!(attributes["sat"], "11");
    let accessories = fix.accessories_attributes.as_ref().unwrap();
    assert_eq!(accessories.len(), 2);
    assert_eq!(accessories[0]["serial"], "TP-0091");
    assert_eq!(accessories[1]["state"], "closed");
    assert_eq!(fix.inputs, Some(vec![true, false, true, false]));
    assert_eq!(fix.outputs, Some(vec![false]));
    assert_eq!(
        fix.extra.get("address").unwrap(),
        json!("Cra. 7 #72-41, Bogotá")
    );

    let err = endpoint
        .decode(&response(
            401,
            include_str!("fixtures/last_location_error_401.json"),
        ))
        .unwrap_err();
    match err {
        Error::Unauthorized { message, .. } => assert_eq!(
            message.as_deref(),
            Some("The bearer token has expired (exp 2024-11-02T13:00:00Z)")
        ),
        other => panic!("expected Unauthorized, got {other:?}"),
    }
}

// 5. POST /api/devices/{deviceId}/locations
#[test]
fn e05_query_locations() {
    let query = LocationsQuery::new(at("2024-10-31T05:00:00Z"), at("2024-11-01T04:59:59Z"));
    let endpoint = QueryLocations {
        id: ODD_ID,
        query: &query,
    };
    assert_request(
        &endpoint,
        Method::Post,
        &format!("/api/devices/{ODD_ID_ENCODED}/locations"),
        Some(json!({"from": "2024-10-31T05:00:00Z", "to": "2024-11-01T04:59:59Z"})),
        true,
        true,
    );

    // The optional filter is sent only when given.
    let mut filtered = query.clone();
    filtered.location = Some(Location::new(
        at("2024-10-31T12:00:00.5Z"),
        6.2442,
        -75.5812,
    ));
    assert_request(
        &QueryLocations {
            id: "867730051234567",
            query: &filtered,
        },
        Method::Post,
        "/api/devices/867730051234567/locations",
        Some(json!({
            "from": "2024-10-31T05:00:00Z",
            "to": "2024-11-01T04:59:59Z",
            "location": {"dateTime": "2024-10-31T12:00:00.500Z", "latitude": 6.2442, "longitude": -75.5812}
        })),
        true,
        true,
    );

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/locations.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(120));
    let fixes = reply.value;
    assert_eq!(fixes.len(), 3);
    assert_eq!(fixes[0].date_time, at("2024-10-31T06:00:03Z"));
    assert_eq!(fixes[0].inactive_seconds, Some(28800));
    assert_eq!(fixes[0].mileage, Some(90211.0));
    assert_eq!(fixes[0].inputs, Some(vec![false, false]));
    assert_eq!(fixes[0].extra.get("satellites").unwrap(), json!(9));
    assert_eq!(fixes[1].date_time, at("2024-10-31T06:15:41Z"));
    assert_eq!(fixes[1].course, Some(92.5));
    assert_eq!(fixes[1].battery, None);
    assert_eq!(fixes[2].date_time, at("2024-10-31T06:31:09.1234567Z"));
    assert_eq!(fixes[2].latitude, 6.2701);
    assert_eq!(fixes[2].longitude, -75.5555);
    assert_eq!(fixes[2].rpm, Some(2210));
    assert_eq!(fixes[2].has_critical_alert, Some(true));
    assert_eq!(fixes[2].alerts.as_ref().unwrap().len(), 2);
    assert_eq!(fixes[2].attributes, None);
    assert_eq!(fixes[2].accessories_attributes, None);

    let err = endpoint
        .decode(&response(
            400,
            include_str!("fixtures/locations_error_400.json"),
        ))
        .unwrap_err();
    match err {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(status, 400);
            assert_eq!(message, "One or more validation errors occurred.");
        }
        other => panic!("expected Api 400, got {other:?}"),
    }

    // A reversed range is refused before anything is sent.
    let reversed = LocationsQuery::new(query.to, query.from);
    assert_invalid_input(
        QueryLocations {
            id: "x",
            query: &reversed,
        }
        .request(),
        "starts after it ends",
    );
}

// 6. POST /api/devices/{deviceId}/alerts
#[test]
fn e06_query_alerts() {
    let query = AlertsQuery::new(at("2024-10-31T00:00:00Z"), at("2024-10-31T23:59:59.999Z"))
        .name("Exceso de velocidad");
    let endpoint = QueryAlerts {
        id: ODD_ID,
        query: &query,
    };
    assert_request(
        &endpoint,
        Method::Post,
        &format!("/api/devices/{ODD_ID_ENCODED}/alerts"),
        Some(json!({
            "from": "2024-10-31T00:00:00Z",
            "to": "2024-10-31T23:59:59.999Z",
            "alertName": "Exceso de velocidad"
        })),
        true,
        true,
    );
    // An empty alert name is no filter at all.
    let unfiltered = AlertsQuery::new(query.from, query.to).name("");
    assert_request(
        &QueryAlerts {
            id: "40417",
            query: &unfiltered,
        },
        Method::Post,
        "/api/devices/40417/alerts",
        Some(json!({"from": "2024-10-31T00:00:00Z", "to": "2024-10-31T23:59:59.999Z"})),
        true,
        true,
    );

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/alerts.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, None);
    assert_eq!(reply.usage.api_daily_usage, Some(31));
    let alerts = reply.value;
    assert_eq!(alerts.len(), 2);
    assert_eq!(alerts[0].date_time, at("2024-10-31T07:02:11.040Z"));
    assert_eq!(
        alerts[0].text.as_deref(),
        Some("Camión 12 superó 60 km/h (61 km/h)")
    );
    assert_eq!(
        alerts[0].notifications,
        Some(vec!["Email".to_owned(), "SMS".to_owned()])
    );
    assert_eq!(alerts[0].extra.get("severity").unwrap(), json!("high"));
    assert_eq!(alerts[1].date_time, at("2024-10-31T08:40:00Z"));
    assert_eq!(alerts[1].latitude, 6.25);
    assert_eq!(alerts[1].text, None);
    assert_eq!(alerts[1].notifications, None);
    assert_eq!(
        alerts[1].alerts,
        Some(vec!["Ignición apagada".to_owned(), String::new()])
    );

    let mut limited = response(429, include_str!("fixtures/alerts_error_429.json"));
    limited.retry_after = Some("30".into());
    match endpoint.decode(&limited).unwrap_err() {
        Error::RateLimited {
            retry_after,
            message,
            ..
        } => {
            assert_eq!(retry_after, Some(Duration::from_secs(30)));
            assert_eq!(
                message.as_deref(),
                Some("Too many requests: limit is 60 per minute for this account")
            );
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

// 7. POST /api/devices/{deviceId}/sendCommand
#[test]
fn e07_send_command() {
    let command = Command::text("setdigout 1");
    let endpoint = SendCommand {
        id: ODD_ID,
        command: &command,
    };
    assert_request(
        &endpoint,
        Method::Post,
        &format!("/api/devices/{ODD_ID_ENCODED}/sendCommand"),
        Some(json!({"command": "setdigout 1", "format": "Text"})),
        false,
        true,
    );
    let hex = Command::hex("01 a0-FF").sms(true);
    assert_request(
        &SendCommand {
            id: "40417",
            command: &hex,
        },
        Method::Post,
        "/api/devices/40417/sendCommand",
        Some(json!({"command": "01 a0-FF", "format": "Hex", "sms": true})),
        false,
        true,
    );
    let b64 = Command::base64("U1RPUA==").sms(false);
    assert_request(
        &SendCommand {
            id: "40417",
            command: &b64,
        },
        Method::Post,
        "/api/devices/40417/sendCommand",
        Some(json!({"command": "U1RPUA==", "format": "Base64", "sms": false})),
        false,
        true,
    );

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/send_command.json")))
        .unwrap();
    assert_eq!(
        reply.value,
        "Comando enviado al equipo por GPRS. Respuesta: STOP OK"
    );
    assert_eq!(reply.usage.api_usage, Some(12));

    match endpoint
        .decode(&response(
            200,
            include_str!("fixtures/send_command_refused_200.json"),
        ))
        .unwrap_err()
    {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(status, 200);
            assert_eq!(
                message,
                "The device is offline: the command could not be delivered"
            );
        }
        other => panic!("expected Api, got {other:?}"),
    }

    // Malformed payloads are refused before anything is sent.
    let bad = Command::hex("0x1F");
    assert_invalid_input(
        SendCommand {
            id: "40417",
            command: &bad,
        }
        .request(),
        "not valid hex",
    );
}

// 8. GET /api/groups
#[test]
fn e08_list_groups() {
    let endpoint = ListGroups::default();
    assert_request(&endpoint, Method::Get, "/api/groups", None, true, true);

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/groups_list.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(201));
    let groups = reply.value;
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[0].id(), "grp-2f9c");
    assert_eq!(groups[0].name, "Flota Medellín");
    assert_eq!(
        groups[0].devices,
        Some(vec![
            "867730051234567".to_owned(),
            "40417".to_owned(),
            "moto/07 norte".to_owned()
        ])
    );
    assert_eq!(groups[0].creation, Some(at("2023-02-14T10:00:00Z")));
    assert_eq!(groups[0].last_modified, Some(at("2024-10-30T22:17:45.33Z")));
    assert_eq!(groups[0].extra.get("color").unwrap(), json!("#1E88E5"));
    assert_eq!(groups[1].id(), "311");
    assert_eq!(groups[1].description, None);
    assert_eq!(groups[1].devices, None);
    assert_eq!(groups[1].creation, Some(at("2023-06-01T08:00:00Z")));
    assert_eq!(groups[1].last_modified, None);
    assert_eq!(groups[2].devices, Some(vec![]));

    match endpoint
        .decode(&response(
            500,
            include_str!("fixtures/groups_list_error_500.json"),
        ))
        .unwrap_err()
    {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(status, 500);
            assert_eq!(
                message,
                "An unexpected error occurred. Reference: 7F3A-22C1"
            );
        }
        other => panic!("expected Api 500, got {other:?}"),
    }
}

// 9. POST /api/groups
#[test]
fn e09_create_group() {
    let input = group_input();
    let endpoint = CreateGroup::new(&input);
    assert_request(
        &endpoint,
        Method::Post,
        "/api/groups",
        Some(json!({
            "name": "Ruta Costa",
            "description": "Barranquilla – Cartagena – Santa Marta",
            "devices": ["867730059876543"]
        })),
        false,
        true,
    );

    let reply = endpoint
        .decode(&response(201, include_str!("fixtures/group_create.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(90));
    let group = reply.value;
    assert_eq!(group.id(), "grp-8d41");
    assert_eq!(group.name, "Ruta Costa");
    assert_eq!(group.devices, Some(vec!["867730059876543".to_owned()]));
    assert_eq!(group.creation, Some(at("2024-11-02T13:50:12.880Z")));
    assert!(group.extra.is_empty(), "envelope fields are not payload");

    match endpoint
        .decode(&response(
            400,
            include_str!("fixtures/group_create_error_400.json"),
        ))
        .unwrap_err()
    {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(status, 400);
            assert_eq!(
                message,
                "The group name is required and must be at most 80 characters"
            );
        }
        other => panic!("expected Api 400, got {other:?}"),
    }

    let nameless = GroupInput::new("   ");
    assert_invalid_input(CreateGroup::new(&nameless).request(), "non-empty name");
}

// 10. GET /api/groups/{groupId}
#[test]
fn e10_get_group() {
    let endpoint = GetGroup::new(ODD_ID);
    assert_request(
        &endpoint,
        Method::Get,
        &format!("/api/groups/{ODD_ID_ENCODED}"),
        None,
        true,
        true,
    );

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/group_get.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(91));
    assert_eq!(reply.usage.api_daily_usage, Some(14));
    let group = reply.value;
    assert_eq!(group.id(), "grp-2f9c");
    assert_eq!(
        group.description.as_deref(),
        Some("Vehículos sede Medellín")
    );
    assert_eq!(group.creation, Some(at("2023-02-14T10:00:00Z")));
    assert_eq!(group.last_modified, Some(at("2024-10-30T22:17:45.123Z")));
    assert_eq!(group.extra.len(), 1, "only ownerId is unknown");
    assert_eq!(group.extra.get("ownerId").unwrap(), json!(7781));

    match endpoint
        .decode(&response(
            404,
            include_str!("fixtures/group_get_error_404.json"),
        ))
        .unwrap_err()
    {
        Error::NotFound { message, .. } => {
            assert_eq!(message.as_deref(), Some("No group with id 'grp-0000'"))
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

// 11. PUT /api/groups/{groupId}
#[test]
fn e11_update_group() {
    let input = GroupInput::new("Flota Medellín (norte)")
        .description("Vehículos sede Medellín, zona norte")
        .device("867730051234567");
    let endpoint = UpdateGroup::new(ODD_ID, &input);
    assert_request(
        &endpoint,
        Method::Put,
        &format!("/api/groups/{ODD_ID_ENCODED}"),
        Some(json!({
            "name": "Flota Medellín (norte)",
            "description": "Vehículos sede Medellín, zona norte",
            "devices": ["867730051234567"]
        })),
        true,
        true,
    );

    // This body has no `success` at all: a 2xx without it is a success.
    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/group_update.json")))
        .unwrap();
    let group = reply.value;
    assert_eq!(group.name, "Flota Medellín (norte)");
    assert_eq!(
        group.last_modified,
        Some(at("2024-11-02T14:03:09.0000001Z"))
    );
    assert_eq!(reply.usage.api_usage, Some(92));

    match endpoint
        .decode(&response(
            409,
            include_str!("fixtures/group_update_error_409.json"),
        ))
        .unwrap_err()
    {
        Error::Conflict { message, .. } => assert_eq!(
            message.as_deref(),
            Some("Another group is already named 'Refrigerados'")
        ),
        other => panic!("expected Conflict, got {other:?}"),
    }

    assert_invalid_input(
        UpdateGroup::new("grp-1", &GroupInput::new("")).request(),
        "non-empty name",
    );
}

// 12. PATCH /api/groups/{groupId}
#[test]
fn e12_patch_group() {
    let operations = [
        PatchOperation::add("/devices/-", json!("trailer-9")),
        PatchOperation::remove("/description"),
        PatchOperation::test("/name", json!("Flota Medellín")),
    ];
    let endpoint = PatchGroup::new(ODD_ID, &operations);
    assert_request(
        &endpoint,
        Method::Patch,
        &format!("/api/groups/{ODD_ID_ENCODED}"),
        Some(json!([
            {"op": "add", "path": "/devices/-", "value": "trailer-9"},
            {"op": "remove", "path": "/description"},
            {"op": "test", "path": "/name", "value": "Flota Medellín"}
        ])),
        false,
        true,
    );

    let group = endpoint
        .decode(&response(200, include_str!("fixtures/group_patch.json")))
        .unwrap()
        .value;
    assert_eq!(group.description, None);
    assert_eq!(group.devices.as_ref().unwrap().last().unwrap(), "trailer-9");

    match endpoint
        .decode(&response(
            415,
            include_str!("fixtures/group_patch_error_415.json"),
        ))
        .unwrap_err()
    {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(status, 415);
            assert_eq!(message, "Unsupported Media Type");
        }
        other => panic!("expected Api 415, got {other:?}"),
    }

    assert_invalid_input(
        PatchGroup::new("grp-1", &[]).request(),
        "at least one operation",
    );
    assert_invalid_input(
        PatchGroup::new("grp-1", &[PatchOperation::replace("name", json!("x"))]).request(),
        "not a JSON Pointer",
    );
}

// 13. DELETE /api/groups/{groupId}
#[test]
fn e13_delete_group() {
    let endpoint = DeleteGroup::new(ODD_ID);
    assert_request(
        &endpoint,
        Method::Delete,
        &format!("/api/groups/{ODD_ID_ENCODED}"),
        None,
        true,
        true,
    );

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/group_delete.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(95));
    assert_eq!(reply.usage.api_daily_usage, Some(12));
    // 204 No Content is a success too.
    assert!(endpoint.decode(&response(204, "")).is_ok());

    match endpoint
        .decode(&response(
            404,
            include_str!("fixtures/group_delete_error_404.json"),
        ))
        .unwrap_err()
    {
        Error::NotFound { message, .. } => assert_eq!(
            message.as_deref(),
            Some("Group 'grp-0000' was already deleted")
        ),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

// 14. GET /api/users
#[test]
fn e14_list_users() {
    let endpoint = ListUsers::default();
    assert_request(&endpoint, Method::Get, "/api/users", None, true, true);

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/users_list.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(300));
    let users = reply.value;
    assert_eq!(users.len(), 3);

    let ana = &users[0];
    assert_eq!(ana.id(), "usr-19");
    assert_eq!(ana.email, "ana.ruiz@transportesandinos.co");
    assert_eq!(ana.country, "CO");
    assert_eq!(ana.time_zone, "America/Bogota");
    assert_eq!(ana.message, None);
    assert_eq!(ana.disabled, Some(false));
    assert_eq!(ana.privileges.as_ref().unwrap().len(), 3);
    assert_eq!(ana.group.as_deref(), Some("grp-2f9c"));
    assert_eq!(ana.device_id, None);
    assert_eq!(ana.admin_devices, Some(25));
    assert_eq!(ana.from, Some(at("2024-01-01T00:00:00Z")));
    assert_eq!(ana.expires, Some(at("2026-01-01T04:59:59.9999999Z")));
    assert_eq!(ana.password, None);
    assert_eq!(ana.modification, Some(at("2024-09-03T11:12:13.1Z")));
    assert_eq!(ana.last_login, Some(at("2024-11-02T12:58:31.44Z")));
    assert_eq!(ana.extra.get("language").unwrap(), json!("es"));

    let driver = &users[1];
    assert_eq!(driver.id(), "1042");
    assert_eq!(driver.disabled, Some(true));
    assert_eq!(
        driver.disabled_message.as_deref(),
        Some("Suspended pending license renewal")
    );
    assert_eq!(driver.group.as_deref(), Some("311"));
    assert_eq!(driver.device_id.as_deref(), Some("40417"));
    assert_eq!(driver.admin_devices, Some(0));
    assert_eq!(driver.tags, None);
    assert_eq!(driver.privileges, None);

    assert_eq!(users[2].privileges, Some(vec![]));
    assert_eq!(users[2].time_zone, "America/Mexico_City");

    match endpoint
        .decode(&response(
            403,
            include_str!("fixtures/users_list_error_403.json"),
        ))
        .unwrap_err()
    {
        Error::Forbidden { message, .. } => assert_eq!(
            message.as_deref(),
            Some("The API user lacks the 'Users' privilege")
        ),
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

// 15. POST /api/users
#[test]
fn e15_create_user() {
    let input = user_input();
    let endpoint = CreateUser::new(&input);
    assert_request(
        &endpoint,
        Method::Post,
        "/api/users",
        Some(json!({
            "name": "María Gómez",
            "email": "maria.gomez@transportesandinos.co",
            "country": "EC",
            "timeZone": "America/Guayaquil",
            "description": "Supervisora Quito",
            "tags": {"turno": "noche"},
            "privileges": ["Devices"],
            "group": "grp-8d41",
            "adminDevices": 3,
            "password": "Temporal-2024*"
        })),
        false,
        true,
    );

    let user = endpoint
        .decode(&response(201, include_str!("fixtures/user_create.json")))
        .unwrap()
        .value;
    assert_eq!(user.id(), "usr-77");
    assert_eq!(user.name, "María Gómez");
    assert_eq!(user.country, "EC");
    assert_eq!(user.password, None);
    assert_eq!(user.creation, Some(at("2024-11-02T14:10:00Z")));
    assert_eq!(user.last_login, None);
    assert!(user.extra.is_empty());

    match endpoint
        .decode(&response(
            409,
            include_str!("fixtures/user_create_error_409.json"),
        ))
        .unwrap_err()
    {
        Error::Conflict { message, .. } => assert_eq!(
            message.as_deref(),
            Some("A user with e-mail maria.gomez@transportesandinos.co already exists")
        ),
        other => panic!("expected Conflict, got {other:?}"),
    }

    let bad_email = UserInput::new("X", "not-an-email", "CO", "America/Bogota");
    assert_invalid_input(
        CreateUser::new(&bad_email).request(),
        "not an e-mail address",
    );
    let no_zone = UserInput::new("X", "x@example.co", "CO", "");
    assert_invalid_input(CreateUser::new(&no_zone).request(), "timeZone");
}

// 16. GET /api/users/{userId}
#[test]
fn e16_get_user() {
    let endpoint = GetUser::new(ODD_ID);
    assert_request(
        &endpoint,
        Method::Get,
        &format!("/api/users/{ODD_ID_ENCODED}"),
        None,
        true,
        true,
    );

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/user_get.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(310));
    let user = reply.value;
    assert_eq!(user.id(), "usr-19");
    assert_eq!(user.device_id.as_deref(), Some("867730051234567"));
    assert_eq!(user.admin_devices, Some(25));
    assert_eq!(user.expires, None);
    assert_eq!(user.from, Some(at("2024-01-01T00:00:00Z")));
    assert_eq!(
        user.extra.get("twoFactor").unwrap(),
        json!({"enabled": true, "method": "totp"})
    );

    match endpoint
        .decode(&response(
            404,
            include_str!("fixtures/user_get_error_404.json"),
        ))
        .unwrap_err()
    {
        // Problem details: the `detail` says more than the `title`.
        Error::NotFound { message, .. } => {
            assert_eq!(message.as_deref(), Some("User 'usr-404' not found"))
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

// 17. PUT /api/users/{userId}
#[test]
fn e17_update_user() {
    // Read-modify-write: the server-set dates are not sent back, unknown fields are.
    let current = GetUser::new("usr-19")
        .decode(&response(200, include_str!("fixtures/user_get.json")))
        .unwrap()
        .value;
    let mut input = current.to_input();
    input.name = "Ana María Ruiz".into();
    let endpoint = UpdateUser::new(ODD_ID, &input);
    assert_request(
        &endpoint,
        Method::Put,
        &format!("/api/users/{ODD_ID_ENCODED}"),
        Some(json!({
            "name": "Ana María Ruiz",
            "email": "ana.ruiz@transportesandinos.co",
            "country": "CO",
            "timeZone": "America/Bogota",
            "disabled": false,
            "privileges": ["Devices", "Reports"],
            "group": "grp-2f9c",
            "deviceId": "867730051234567",
            "adminDevices": 25,
            "from": "2024-01-01T00:00:00Z",
            "twoFactor": {"enabled": true, "method": "totp"}
        })),
        true,
        true,
    );

    let user = endpoint
        .decode(&response(200, include_str!("fixtures/user_update.json")))
        .unwrap()
        .value;
    assert_eq!(user.name, "Ana María Ruiz");
    assert_eq!(user.admin_devices, Some(40));
    assert_eq!(user.modification, Some(at("2024-11-02T14:20:00Z")));

    match endpoint
        .decode(&response(
            400,
            include_str!("fixtures/user_update_error_400.json"),
        ))
        .unwrap_err()
    {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(status, 400);
            assert_eq!(message, "'America/Bogotá' is not a valid time zone id");
        }
        other => panic!("expected Api 400, got {other:?}"),
    }
}

// 18. PATCH /api/users/{userId}
#[test]
fn e18_patch_user() {
    let operations = [
        PatchOperation::replace("/disabled", json!(true)),
        PatchOperation::add("/disabledMessage", json!("Vacaciones hasta el 15/01")),
        PatchOperation::copy("/email", "/tags/contacto"),
        PatchOperation::move_("/tags/old", "/tags/new"),
    ];
    let endpoint = PatchUser::new(ODD_ID, &operations);
    assert_request(
        &endpoint,
        Method::Patch,
        &format!("/api/users/{ODD_ID_ENCODED}"),
        Some(json!([
            {"op": "replace", "path": "/disabled", "value": true},
            {"op": "add", "path": "/disabledMessage", "value": "Vacaciones hasta el 15/01"},
            {"op": "copy", "from": "/email", "path": "/tags/contacto"},
            {"op": "move", "from": "/tags/old", "path": "/tags/new"}
        ])),
        false,
        true,
    );

    let user = endpoint
        .decode(&response(200, include_str!("fixtures/user_patch.json")))
        .unwrap()
        .value;
    assert_eq!(user.disabled, Some(true));
    assert_eq!(
        user.disabled_message.as_deref(),
        Some("Vacaciones hasta el 15/01")
    );
    assert_eq!(user.modification, Some(at("2024-11-02T14:25:31.5Z")));

    match endpoint
        .decode(&response(
            200,
            include_str!("fixtures/user_patch_refused_200.json"),
        ))
        .unwrap_err()
    {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(status, 200);
            assert_eq!(message, "The path '/creation' cannot be modified");
        }
        other => panic!("expected Api, got {other:?}"),
    }
}

// 19. DELETE /api/users/{userId}
#[test]
fn e19_delete_user() {
    let endpoint = DeleteUser::new(ODD_ID);
    assert_request(
        &endpoint,
        Method::Delete,
        &format!("/api/users/{ODD_ID_ENCODED}"),
        None,
        true,
        true,
    );

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/user_delete.json")))
        .unwrap();
    assert!(reply.usage.is_empty());

    match endpoint
        .decode(&response(
            403,
            include_str!("fixtures/user_delete_error_403.json"),
        ))
        .unwrap_err()
    {
        Error::Forbidden { message, .. } => assert_eq!(
            message.as_deref(),
            Some("You cannot delete the account owner")
        ),
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

// 20. GET /api/users/countries
#[test]
fn e20_list_countries() {
    let endpoint = ListCountries;
    assert_request(
        &endpoint,
        Method::Get,
        "/api/users/countries",
        None,
        true,
        true,
    );

    let reply = endpoint
        .decode(&response(200, include_str!("fixtures/countries.json")))
        .unwrap();
    assert_eq!(reply.usage.api_usage, Some(400));
    let countries = reply.value;
    assert_eq!(countries.len(), 6);
    assert_eq!(countries["CO"], "Colombia");
    assert_eq!(countries["MX"], "México");
    assert_eq!(countries["CI"], "Côte d'Ivoire");

    match endpoint
        .decode(&response(503, include_str!("fixtures/error_html_503.html")))
        .unwrap_err()
    {
        Error::Http {
            status, excerpt, ..
        } => {
            assert_eq!(status, 503);
            assert!(excerpt.contains("Mantenimiento programado"), "{excerpt}");
        }
        other => panic!("expected Http 503, got {other:?}"),
    }
}

// 21. GET /api/users/timeZones
#[test]
fn e21_list_time_zones() {
    let endpoint = ListTimeZones;
    assert_request(
        &endpoint,
        Method::Get,
        "/api/users/timeZones",
        None,
        true,
        true,
    );

    let zones = endpoint
        .decode(&response(200, include_str!("fixtures/timezones.json")))
        .unwrap()
        .value;
    assert_eq!(zones.len(), 5);
    assert_eq!(zones["America/Bogota"], "(UTC-05:00) Bogotá, Lima, Quito");
    assert_eq!(
        zones["Asia/Kolkata"],
        "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi"
    );

    match endpoint
        .decode(&response(502, include_str!("fixtures/error_html_502.html")))
        .unwrap_err()
    {
        Error::Http {
            status, excerpt, ..
        } => {
            assert_eq!(status, 502);
            assert!(excerpt.contains("502 Bad Gateway"), "{excerpt}");
        }
        other => panic!("expected Http 502, got {other:?}"),
    }
}

/// Every id-bearing endpoint encodes ids the same way and refuses empty or dot ids.
#[test]
fn ids_are_percent_encoded_and_validated_everywhere() {
    let query = LocationsQuery::new(at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"));
    let alerts = AlertsQuery::new(query.from, query.to);
    let command = Command::text("getinfo");
    let group = group_input();
    let user = user_input();
    let ops = [PatchOperation::remove("/description")];

    type PathOf<'a> = Box<dyn Fn(&'a str) -> plaspy_types::Result<String> + 'a>;
    let endpoints: Vec<(&str, PathOf)> = vec![
        ("/api/devices/{}", Box::new(|id| GetDevice { id }.path())),
        (
            "/api/devices/{}/lastLocation",
            Box::new(|id| LastLocation { id }.path()),
        ),
        (
            "/api/devices/{}/locations",
            Box::new(|id| QueryLocations { id, query: &query }.path()),
        ),
        (
            "/api/devices/{}/alerts",
            Box::new(|id| QueryAlerts { id, query: &alerts }.path()),
        ),
        (
            "/api/devices/{}/sendCommand",
            Box::new(|id| {
                SendCommand {
                    id,
                    command: &command,
                }
                .path()
            }),
        ),
        ("/api/groups/{}", Box::new(|id| GetGroup::new(id).path())),
        (
            "/api/groups/{}",
            Box::new(|id| UpdateGroup::new(id, &group).path()),
        ),
        (
            "/api/groups/{}",
            Box::new(|id| PatchGroup::new(id, &ops).path()),
        ),
        ("/api/groups/{}", Box::new(|id| DeleteGroup::new(id).path())),
        ("/api/users/{}", Box::new(|id| GetUser::new(id).path())),
        (
            "/api/users/{}",
            Box::new(|id| UpdateUser::new(id, &user).path()),
        ),
        (
            "/api/users/{}",
            Box::new(|id| PatchUser::new(id, &ops).path()),
        ),
        ("/api/users/{}", Box::new(|id| DeleteUser::new(id).path())),
    ];
    assert_eq!(endpoints.len(), 13);

    for (template, path_of) in &endpoints {
        for (id, encoded) in [
            ("a/b c", "a%2Fb%20c"),
            ("camión#1?x=1&y", "cami%C3%B3n%231%3Fx%3D1%26y"),
            ("50%", "50%25"),
            ("dev-1_2.3~", "dev-1_2.3~"),
            ("40417", "40417"),
        ] {
            assert_eq!(
                path_of(id).unwrap(),
                template.replace("{}", encoded),
                "{template} with {id:?}"
            );
        }
        for bad in ["", "   ", ".", ".."] {
            assert_invalid_input(path_of(bad), "id");
        }
    }
}
