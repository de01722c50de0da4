//! How error responses map onto `Error`, for every endpoint: each documented status,
//! `Retry-After` in both forms, non-JSON bodies (HTML, empty), `success:false` on a 200,
//! the token endpoint's bad-credentials mapping, and decode errors that name the JSON path
//! of the offending field.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use plaspy_types::endpoints::{
    CreateGroup, CreateUser, DeleteGroup, DeleteUser, GetDevice, GetGroup, GetUser, LastLocation,
    ListCountries, ListDevices, ListGroups, ListTimeZones, ListUsers, PatchGroup, PatchUser,
    QueryAlerts, QueryAlertsChecked, QueryLocations, QueryLocationsChecked, RequestToken,
    SendCommand, UpdateGroup, UpdateUser,
};
use plaspy_types::{
    AlertsQuery, Command, Credentials, Endpoint, Error, GroupInput, HttpResponse, LocationsQuery,
    PatchOperation, UserInput,
};

const HTML_502: &str = include_str!("fixtures/error_html_502.html");
const HTML_503: &str = include_str!("fixtures/error_html_503.html");
const EMPTY_504: &[u8] = include_bytes!("fixtures/error_empty_504.txt");
const ENVELOPE_500: &str = include_str!("fixtures/error_500_envelope.json");
const ENVELOPE_401: &str = include_str!("fixtures/error_401_envelope.json");
const PROBLEM_415: &str = include_str!("fixtures/group_patch_error_415.json");
const PROBLEM_400: &str = include_str!("fixtures/locations_error_400.json");

fn response(status: u16, body: impl Into<Vec<u8>>) -> HttpResponse {
    HttpResponse::new(status, body)
}

fn with_retry_after(status: u16, body: &str, retry_after: &str) -> HttpResponse {
    HttpResponse {
        retry_after: Some(retry_after.into()),
        ..response(status, body)
    }
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

type Decoder = Box<dyn Fn(&HttpResponse) -> Result<(), Error>>;

fn erase<E: Endpoint + 'static>(endpoint: E) -> Decoder {
    Box::new(move |r| endpoint.decode(r).map(|_| ()))
}

/// The 20 resource endpoints (all but the token endpoint), each as "decode this response".
fn resource_endpoints() -> Vec<(&'static str, Decoder)> {
    let query: &'static LocationsQuery = Box::leak(Box::new(LocationsQuery::new(
        at("2024-10-31T00:00:00Z"),
        at("2024-10-31T23:59:59Z"),
    )));
    let alerts: &'static AlertsQuery = Box::leak(Box::new(AlertsQuery::new(query.from, query.to)));
    let command: &'static Command = Box::leak(Box::new(Command::text("getinfo")));
    let group: &'static GroupInput = Box::leak(Box::new(GroupInput::new("G")));
    let user: &'static UserInput = Box::leak(Box::new(UserInput::new(
        "U",
        "u@example.co",
        "CO",
        "America/Bogota",
    )));
    let ops: &'static [PatchOperation] =
        Box::leak(Box::new([PatchOperation::remove("/description")]));
    vec![
        ("ListDevices", erase(ListDevices)),
        ("GetDevice", erase(GetDevice { id: "d" })),
        ("LastLocation", erase(LastLocation { id: "d" })),
        ("QueryLocations", erase(QueryLocations { id: "d", query })),
        (
            "QueryAlerts",
            erase(QueryAlerts {
                id: "d",
                query: alerts,
            }),
        ),
        ("SendCommand", erase(SendCommand { id: "d", command })),
        ("ListGroups", erase(ListGroups::default())),
        ("CreateGroup", erase(CreateGroup::new(group))),
        ("GetGroup", erase(GetGroup::new("g"))),
        ("UpdateGroup", erase(UpdateGroup::new("g", group))),
        ("PatchGroup", erase(PatchGroup::new("g", ops))),
        ("DeleteGroup", erase(DeleteGroup::new("g"))),
        ("ListUsers", erase(ListUsers::default())),
        ("CreateUser", erase(CreateUser::new(user))),
        ("GetUser", erase(GetUser::new("u"))),
        ("UpdateUser", erase(UpdateUser::new("u", user))),
        ("PatchUser", erase(PatchUser::new("u", ops))),
        ("DeleteUser", erase(DeleteUser::new("u"))),
        ("ListCountries", erase(ListCountries)),
        ("ListTimeZones", erase(ListTimeZones)),
    ]
}

fn token_endpoint() -> Decoder {
    let credentials: &'static Credentials =
        Box::leak(Box::new(Credentials::new("flota-andina", "k3y")));
    erase(RequestToken { credentials })
}

#[test]
fn every_resource_endpoint_maps_every_status() {
    let endpoints = resource_endpoints();
    assert_eq!(endpoints.len(), 20);
    for (name, decode) in &endpoints {
        let err = |r: HttpResponse| decode(&r).expect_err(name);

        match err(response(
            400,
            r#"{"success":false,"error":"'to' is required"}"#,
        )) {
            Error::Api {
                status: 400,
                message,
                ..
            } => assert_eq!(message, "'to' is required"),
            other => panic!("{name} 400: {other:?}"),
        }
        match err(response(400, PROBLEM_400)) {
            Error::Api {
                status: 400,
                message,
                ..
            } => {
                assert_eq!(message, "One or more validation errors occurred.")
            }
            other => panic!("{name} 400 problem: {other:?}"),
        }
        match err(response(401, ENVELOPE_401)) {
            Error::Unauthorized { message, .. } => {
                assert_eq!(message.as_deref(), Some("Invalid or expired token"))
            }
            other => panic!("{name} 401: {other:?}"),
        }
        match err(response(401, "")) {
            Error::Unauthorized { message: None, .. } => {}
            other => panic!("{name} 401 empty: {other:?}"),
        }
        match err(response(
            403,
            r#"{"success":false,"error":"No permission"}"#,
        )) {
            Error::Forbidden { message, .. } => {
                assert_eq!(message.as_deref(), Some("No permission"))
            }
            other => panic!("{name} 403: {other:?}"),
        }
        match err(response(404, r#"{"success":false,"error":"Not here"}"#)) {
            Error::NotFound { message, .. } => assert_eq!(message.as_deref(), Some("Not here")),
            other => panic!("{name} 404: {other:?}"),
        }
        match err(response(404, "")) {
            Error::NotFound { message: None, .. } => {}
            other => panic!("{name} 404 empty: {other:?}"),
        }
        match err(response(409, r#"{"success":false,"error":"Duplicate"}"#)) {
            Error::Conflict { message, .. } => assert_eq!(message.as_deref(), Some("Duplicate")),
            other => panic!("{name} 409: {other:?}"),
        }
        match err(response(415, PROBLEM_415)) {
            Error::Api {
                status: 415,
                message,
                ..
            } => assert_eq!(message, "Unsupported Media Type"),
            other => panic!("{name} 415: {other:?}"),
        }
        match err(with_retry_after(429, "", "17")) {
            Error::RateLimited {
                retry_after,
                message: None,
                ..
            } => assert_eq!(retry_after, Some(Duration::from_secs(17))),
            other => panic!("{name} 429: {other:?}"),
        }
        match err(response(500, ENVELOPE_500)) {
            Error::Api {
                status: 500,
                message,
                ..
            } => {
                assert_eq!(
                    message,
                    "Object reference not set to an instance of an object."
                )
            }
            other => panic!("{name} 500: {other:?}"),
        }
        match err(response(502, HTML_502)) {
            Error::Http {
                status: 502,
                excerpt,
                ..
            } => {
                assert!(excerpt.starts_with("<html> <head><title>502 Bad Gateway"))
            }
            other => panic!("{name} 502: {other:?}"),
        }
        match err(response(503, HTML_503)) {
            Error::Http {
                status: 503,
                excerpt,
                ..
            } => {
                assert!(excerpt.contains("Mantenimiento"), "{excerpt}")
            }
            other => panic!("{name} 503: {other:?}"),
        }
        match err(response(504, EMPTY_504)) {
            Error::Http {
                status: 504,
                excerpt,
                ..
            } => assert_eq!(excerpt, ""),
            other => panic!("{name} 504: {other:?}"),
        }
        match err(response(
            200,
            r#"{"success":false,"error":"Cuenta suspendida por falta de pago","apiUsage":4}"#,
        )) {
            Error::Api {
                status: 200,
                message,
                ..
            } => {
                assert_eq!(message, "Cuenta suspendida por falta de pago")
            }
            other => panic!("{name} 200 success:false: {other:?}"),
        }
        match err(response(200, r#"{"success":false}"#)) {
            Error::Api {
                status: 200,
                message,
                ..
            } => assert_eq!(message, "the request failed"),
            other => panic!("{name} 200 success:false, no message: {other:?}"),
        }
    }
}

#[test]
fn statuses_and_auth_flags_of_errors() {
    let decode = &resource_endpoints()[0].1;
    for (status, body, is_auth) in [
        (400, "", false),
        (401, "", true),
        (403, "", false),
        (404, "", false),
        (409, "", false),
        (415, "", false),
        (429, "", false),
        (500, ENVELOPE_500, false),
        (502, HTML_502, false),
        (504, "", false),
    ] {
        let err = decode(&response(status, body)).unwrap_err();
        assert_eq!(err.status(), Some(status), "{err:?}");
        assert_eq!(err.is_auth(), is_auth, "{err:?}");
    }
}

#[test]
fn retry_after_in_seconds_and_as_an_http_date() {
    let decode = &resource_endpoints()[2].1;
    let retry_after_of = |value: Option<&str>| -> Option<Duration> {
        let mut r = response(429, r#"{"success":false,"error":"Slow down"}"#);
        r.retry_after = value.map(str::to_owned);
        match decode(&r).unwrap_err() {
            Error::RateLimited {
                retry_after,
                message,
                ..
            } => {
                assert_eq!(message.as_deref(), Some("Slow down"));
                retry_after
            }
            other => panic!("expected RateLimited, got {other:?}"),
        }
    };

    assert_eq!(retry_after_of(Some("30")), Some(Duration::from_secs(30)));
    assert_eq!(
        retry_after_of(Some(" 120 ")),
        Some(Duration::from_secs(120))
    );
    assert_eq!(retry_after_of(Some("0")), Some(Duration::ZERO));

    // An HTTP date 90 s ahead: the wait is measured from now (whole seconds on the wire).
    let ahead = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(90));
    let wait = retry_after_of(Some(&ahead)).expect("an HTTP date is understood");
    assert!(
        wait <= Duration::from_secs(90) && wait >= Duration::from_secs(80),
        "{wait:?} for {ahead}"
    );
    // A date already past means "now".
    assert_eq!(
        retry_after_of(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
        Some(Duration::ZERO)
    );
    // Garbage or no header: rate limited, with no wait known.
    assert_eq!(retry_after_of(Some("tomorrow-ish")), None);
    assert_eq!(retry_after_of(None), None);

    let display = decode(&with_retry_after(429, "", "30"))
        .unwrap_err()
        .to_string();
    assert_eq!(display, "rate limited: retry after 30s");
}

#[test]
fn html_and_empty_bodies_become_clear_http_errors() {
    let decode = &resource_endpoints()[0].1;

    let err = decode(&response(502, HTML_502)).unwrap_err();
    let Error::Http {
        status, excerpt, ..
    } = &err
    else {
        panic!("expected Http, got {err:?}")
    };
    assert_eq!(*status, 502);
    assert!(!excerpt.contains('\n'), "whitespace is folded: {excerpt:?}");
    assert!(
        excerpt.chars().count() <= 161,
        "a short excerpt, not the page"
    );
    assert!(excerpt.ends_with('…'), "a long page is cut: {excerpt}");
    let display = err.to_string();
    assert!(
        display.starts_with("HTTP 502 from the server: <html>"),
        "{display}"
    );
    assert!(!display.contains('\n'), "one line: {display:?}");

    let err = decode(&response(504, EMPTY_504)).unwrap_err();
    assert_eq!(err.to_string(), "HTTP 504 from the server (empty body)");
    let err = decode(&response(504, " \r\n\t ")).unwrap_err();
    assert!(matches!(&err, Error::Http { status: 504, excerpt, .. } if excerpt.is_empty()));

    // An error status with an unexpected JSON shape is still an HTTP error with an excerpt.
    let err = decode(&response(500, r#"[1,2,3]"#)).unwrap_err();
    assert!(
        matches!(&err, Error::Http { status: 500, excerpt, .. } if excerpt == "[1,2,3]"),
        "{err:?}"
    );
    // A 500 HTML page, unlike a 500 envelope, is an Http error.
    let err = decode(&response(500, "<h1>Internal Server Error</h1>")).unwrap_err();
    assert!(matches!(err, Error::Http { status: 500, .. }), "{err:?}");
    // Bytes that are not UTF-8 do not panic.
    let err = decode(&response(502, vec![0xff, 0xfe, b'<', b'h', 0x00])).unwrap_err();
    assert!(matches!(err, Error::Http { status: 502, .. }), "{err:?}");
}

#[test]
fn non_json_success_bodies_are_decode_errors_at_the_root() {
    for (name, decode) in resource_endpoints() {
        if name.starts_with("Delete") {
            // Delete accepts an empty 2xx body; an HTML one is still refused.
            assert!(decode(&response(204, "")).is_ok(), "{name}");
        } else {
            match decode(&response(200, "")).unwrap_err() {
                Error::Decode { path, message, .. } => {
                    assert_eq!(path, ".", "{name}");
                    assert!(message.contains("empty"), "{name}: {message}");
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        match decode(&response(
            200,
            "<html><body>Captive portal: please log in</body></html>",
        ))
        .unwrap_err()
        {
            Error::Decode { path, message, .. } => {
                assert_eq!(path, ".", "{name}");
                assert!(message.contains("not a JSON object"), "{name}: {message}");
                assert!(message.contains("Captive portal"), "{name}: {message}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn token_endpoint_maps_refusals_to_bad_credentials() {
    let decode = token_endpoint();

    for status in [400, 401, 403] {
        match decode(&response(
            status,
            include_str!("fixtures/token_refused_401.json"),
        ))
        .unwrap_err()
        {
            Error::BadCredentials { message, .. } => {
                assert_eq!(message, "Usuario o clave de API incorrectos")
            }
            other => panic!("{status}: {other:?}"),
        }
        // A refusal without a usable body still says what went wrong.
        match decode(&response(status, HTML_502)).unwrap_err() {
            Error::BadCredentials { message, .. } => {
                assert!(message.contains("refused"), "{message}")
            }
            other => panic!("{status} html: {other:?}"),
        }
    }
    match decode(&response(
        200,
        include_str!("fixtures/token_refused_200.json"),
    ))
    .unwrap_err()
    {
        Error::BadCredentials { message, .. } => assert_eq!(
            message,
            "The API key for user 'flota-andina' was revoked on 2024-10-30"
        ),
        other => panic!("200 success:false: {other:?}"),
    }
    let err = decode(&response(401, "")).unwrap_err();
    assert!(err.is_auth());
    assert!(
        err.to_string().contains("check the user name and API key"),
        "{err}"
    );

    // Other failures of the token endpoint are not credential problems.
    assert!(matches!(
        decode(&with_retry_after(429, "", "5")).unwrap_err(),
        Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(5)
    ));
    assert!(matches!(
        decode(&response(500, ENVELOPE_500)).unwrap_err(),
        Error::Api { status: 500, .. }
    ));
    assert!(matches!(
        decode(&response(502, HTML_502)).unwrap_err(),
        Error::Http { status: 502, .. }
    ));
    assert!(matches!(
        decode(&response(404, "")).unwrap_err(),
        Error::NotFound { .. }
    ));

    // A 200 that carries no token is a decode error naming `token`, not a success.
    for body in [
        r#"{"success":true}"#,
        r#"{"success":true,"token":null,"expires":"2025-01-01T00:00:00Z"}"#,
        r#"{"success":true,"token":""}"#,
    ] {
        match decode(&response(200, body)).unwrap_err() {
            Error::Decode { path, .. } => assert_eq!(path, "token", "{body}"),
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn decode_errors_name_the_json_path() {
    let err = ListDevices
        .decode(&response(
            200,
            include_str!("fixtures/devices_bad_expires.json"),
        ))
        .unwrap_err();
    match &err {
        Error::Decode { path, message, .. } => {
            assert_eq!(path, "devices[1].expires");
            assert!(message.contains("next tuesday"), "{message}");
            assert!(!message.contains(" at line "), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("could not decode the response at `devices[1].expires`:"),
        "{err}"
    );

    // A record of a positions list that does not decode is set aside, named by its path;
    // the others are kept (one bad fix must not poison the rest).
    let query = LocationsQuery::new(at("2024-10-31T00:00:00Z"), at("2024-10-31T23:59:59Z"));
    let checked = QueryLocationsChecked(QueryLocations {
        id: "d",
        query: &query,
    })
    .decode(&response(
        200,
        include_str!("fixtures/locations_bad_latitude.json"),
    ))
    .unwrap()
    .value;
    assert_eq!(checked.items.len(), 2);
    assert_eq!(checked.skipped.len(), 1);
    let reason = &checked.skipped[0].reason;
    assert!(reason.starts_with("locations[2].latitude: "), "{reason}");
    assert!(reason.contains("north"), "{reason}");

    // A flattened payload: the path is the field of the user itself.
    match GetUser::new("usr-19")
        .decode(&response(
            200,
            include_str!("fixtures/user_bad_expires.json"),
        ))
        .unwrap_err()
    {
        Error::Decode { path, message, .. } => {
            assert_eq!(path, "expires");
            assert!(message.contains("31/12/2025"), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }

    // Required fields missing or null, and wrong shapes deeper down.
    let alerts = AlertsQuery::new(query.from, query.to);
    let alerts = QueryAlerts {
        id: "d",
        query: &alerts,
    };
    let checked = QueryAlertsChecked(alerts);
    for (body, want) in [
        (
            r#"{"success":true,"alerts":[{"dateTime":"2024-01-01T00:00:00Z","latitude":1,"longitude":2},{"latitude":1,"longitude":2}]}"#,
            "alerts[1]",
        ),
        (
            r#"{"success":true,"alerts":[{"dateTime":null,"latitude":1,"longitude":2}]}"#,
            "alerts[0].dateTime",
        ),
        (
            r#"{"success":true,"alerts":[{"dateTime":"2024-01-01T00:00:00Z","latitude":null,"longitude":2}]}"#,
            "alerts[0].latitude",
        ),
        (
            r#"{"success":true,"alerts":[{"dateTime":"2024-01-01T00:00:00Z","latitude":1,"longitude":2,"notifications":["Email",{"x":1}]}]}"#,
            "alerts[0].notifications[1]",
        ),
    ] {
        let reply = checked.decode(&response(200, body)).unwrap().value;
        assert_eq!(reply.skipped.len(), 1, "{body}");
        let reason = &reply.skipped[0].reason;
        assert!(reason.starts_with(&format!("{want}:")), "{body}: {reason}");
        let plain = alerts.decode(&response(200, body)).unwrap().value;
        assert_eq!(plain.len(), reply.items.len(), "{body}");
    }
    match alerts
        .decode(&response(200, r#"{"success":true,"alerts":{"oops":1}}"#))
        .unwrap_err()
    {
        Error::Decode { path, .. } => assert_eq!(path, "alerts"),
        other => panic!("{other:?}"),
    }
    match ListGroups::default()
        .decode(&response(
            200,
            r#"{"groups":[{"id":"g1","name":"A","devices":["d1",{"id":"d2"}]}]}"#,
        ))
        .unwrap_err()
    {
        Error::Decode { path, .. } => assert_eq!(path, "groups[0].devices[1]"),
        other => panic!("expected Decode, got {other:?}"),
    }
    match (GetDevice { id: "d" })
        .decode(&response(
            200,
            r#"{"success":true,"device":{"id":"d","tags":{"a":"b","c":[1]}}}"#,
        ))
        .unwrap_err()
    {
        Error::Decode { path, .. } => assert_eq!(path, "device.tags.c"),
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[test]
fn a_refusal_wins_over_an_undecodable_payload() {
    // `success:false` with a payload that would not decode: the server's message is what
    // the caller needs, not a decode error about the payload.
    match ListDevices
        .decode(&response(
            200,
            r#"{"devices":"unavailable","success":false,"error":"Servicio suspendido"}"#,
        ))
        .unwrap_err()
    {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(status, 200);
            assert_eq!(message, "Servicio suspendido");
        }
        other => panic!("expected Api, got {other:?}"),
    }
}

#[test]
fn single_resources_missing_from_a_success_are_decode_errors() {
    for (decode, body, want) in [
        (
            erase(GetDevice { id: "d" }),
            r#"{"success":true,"apiUsage":3}"#,
            "device",
        ),
        (
            erase(GetDevice { id: "d" }),
            r#"{"success":true,"device":null}"#,
            "device",
        ),
        (erase(GetGroup::new("g")), r#"{"success":true}"#, "group"),
        (
            erase(GetUser::new("u")),
            r#"{"success":true,"apiUsage":1,"apiDailyUsage":2}"#,
            "user",
        ),
    ] {
        match decode(&response(200, body)).unwrap_err() {
            Error::Decode { path, message, .. } => {
                assert_eq!(path, want);
                assert!(message.contains(want), "{message}");
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn server_messages_from_other_layers() {
    let decode = &resource_endpoints()[1].1;
    // `error` first, then `message`, `detail`, `title`; blank ones are skipped.
    for (body, want) in [
        (
            r#"{"message":"An error has occurred.","title":"ignored"}"#,
            "An error has occurred.",
        ),
        (
            r#"{"title":"Not Found","detail":"Device 'd' not found"}"#,
            "Device 'd' not found",
        ),
        (
            r#"{"error":"  ","message":"","title":"Not Found"}"#,
            "Not Found",
        ),
        (r#"{"error":"  padded  "}"#, "padded"),
    ] {
        match decode(&response(404, body)).unwrap_err() {
            Error::NotFound { message, .. } => assert_eq!(message.as_deref(), Some(want), "{body}"),
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn nested_error_objects_give_their_message() {
    let body = br#"{"error":{"code":"E404","message":"Device not found"}}"#;
    assert_eq!(
        plaspy_types::envelope::server_message(body).as_deref(),
        Some("Device not found")
    );
}
