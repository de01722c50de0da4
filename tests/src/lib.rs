//! Flavour-independent pieces of the workspace integration tests: credentials, fixtures,
//! request matchers and canned responses for [httpmock].
//!
//! The tests themselves live in `tests/cases/` (written once, run against both clients),
//! `tests/cases_blocking/` and `tests/cases_async/` (one flavour only), and are compiled by
//! the test binaries `tests/tests/blocking.rs`, `tests/tests/async.rs` and
//! `tests/tests/mixed.rs`. Nothing here depends on a client flavour; only [`hostile`] does
//! I/O (a small misbehaving server for the feed and history cases).

pub mod hostile;

use std::time::Duration;

use chrono::{DateTime, Utc};
use httpmock::{HttpMockRequest, Method, Then, When};
use plaspy_types::policy::retry::RetryPolicy;
use serde_json::{Value, json};

/// The user name every test client uses.
pub const USER: &str = "fleet-admin";
/// The API key every test client uses; it must never show in `Debug` or error text.
pub const API_KEY: &str = "apikey-7Hq2-SECRET-KEY";
/// The bearer token the token endpoint hands out by default; it must never show either.
pub const TOKEN: &str = "eyJhbGciOi.first-SECRET-TOKEN.sig";
/// A second token, for renewals.
pub const TOKEN_2: &str = "eyJhbGciOi.second-SECRET-TOKEN.sig";
/// An id that needs percent-encoding in a path segment.
pub const ODD_ID: &str = "truck 7/a";
/// [`ODD_ID`] as it must appear on the wire.
pub const ODD_ID_ENCODED: &str = "truck%207%2Fa";
/// The token endpoint's path.
pub const TOKEN_PATH: &str = "/api/Auth/Token";

/// The client timeout of the timeout cases.
pub const SHORT_TIMEOUT: Duration = Duration::from_millis(500);
/// How long the slow mocks take to answer: far beyond [`SHORT_TIMEOUT`]. No test waits for
/// it: the client gives up first.
pub const SLOW_REPLY: Duration = Duration::from_secs(5);

/// `Bearer <token>`.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// A date-time from RFC 3339 text.
pub fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a valid RFC 3339 date-time")
}

/// Retries as the default policy does, but with millisecond backoff so tests stay fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(4))
        .with_max_total_wait(Duration::from_secs(30))
}

/// Asserts that `text` shows neither the API key nor any token.
pub fn assert_no_secrets(what: &str, text: &str) {
    for secret in [API_KEY, TOKEN, TOKEN_2, "SECRET"] {
        assert!(
            !text.contains(secret),
            "{what} shows a secret ({secret}): {text}"
        );
    }
}

// ---- request matchers -------------------------------------------------------------------

/// How many headers named `name` (any case) the request carries.
fn header_count(req: &HttpMockRequest, name: &str) -> usize {
    req.headers_vec()
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case(name))
        .count()
}

/// Requires exactly one `name` header, equal to `value`.
pub fn single_header(when: When, name: &'static str, value: impl Into<String>) -> When {
    when.header(name, value)
        .is_true(move |req| header_count(req, name) == 1)
}

/// What every request of the SDK carries: one `Accept: application/json` and a user agent.
fn common_headers(when: When) -> When {
    single_header(when, "accept", "application/json")
        .is_true(|req| header_count(req, "user-agent") == 1)
        .header_prefix("user-agent", "plaspy-rs/")
}

/// Requires a JSON body equal to `body`, sent once with `Content-Type: application/json`.
pub fn json_request(when: When, body: Value) -> When {
    single_header(when, "content-type", "application/json").json_body(body)
}

/// The token request: `POST /api/Auth/Token` with the test credentials, no `Authorization`.
pub fn token_request(when: When) -> When {
    token_request_at(when, TOKEN_PATH)
}

/// The token request at another path (behind a base URL with a path prefix).
pub fn token_request_at(when: When, path: &str) -> When {
    let when = common_headers(when.method(Method::POST).path(path)).header_missing("authorization");
    json_request(when, json!({"userName": USER, "apiKey": API_KEY}))
}

/// A bodiless resource request with `Authorization: Bearer <token>`.
pub fn api_with(when: When, token: &str, method: Method, path: &str) -> When {
    common_headers(when.method(method).path(path))
        .header_missing("content-type")
        .is_true(|req| req.body_ref().is_empty())
        .and(|when| single_header(when, "authorization", bearer(token)))
}

/// A bodiless resource request with the default [`TOKEN`].
pub fn api(when: When, method: Method, path: &str) -> When {
    api_with(when, TOKEN, method, path)
}

/// A resource request with a JSON body and the default [`TOKEN`].
pub fn api_json(when: When, method: Method, path: &str, body: Value) -> When {
    let when = common_headers(when.method(method).path(path))
        .and(|when| single_header(when, "authorization", bearer(TOKEN)));
    json_request(when, body)
}

// ---- canned responses ---------------------------------------------------------------------

/// A JSON response with this status.
pub fn reply(then: Then, status: u16, body: Value) -> Then {
    then.status(status)
        .header("content-type", "application/json; charset=utf-8")
        .json_body(body)
}

/// A 200 JSON response.
pub fn ok(then: Then, body: Value) -> Then {
    reply(then, 200, body)
}

/// The token response, expiring ten minutes from now (real time: the SDK measures the
/// lifetime against the `Date` header the mock server writes).
pub fn token_reply(then: Then, token: &str) -> Then {
    let expires = Utc::now() + chrono::Duration::minutes(10);
    ok(then, token_body(token, expires))
}

/// The token endpoint's body.
pub fn token_body(token: &str, expires: DateTime<Utc>) -> Value {
    json!({"success": true, "token": token, "expires": expires.to_rfc3339()})
}

/// A failed envelope with this message.
pub fn failure(message: &str) -> Value {
    json!({"success": false, "error": message})
}

// ---- fixtures -----------------------------------------------------------------------------

/// A device as the server sends it, with a field the SDK does not know.
pub fn device_json(id: &str) -> Value {
    json!({
        "id": id,
        "name": "Truck 7",
        "description": "Refrigerated",
        "min": "3001234567",
        "tags": {"plate": "ABC-123"},
        "expires": "2030-01-01T00:00:00Z",
        "fleetColor": "red"
    })
}

/// A position, with the wire's misspelt `milleage` and a seven-digit fraction.
pub fn location_json() -> Value {
    json!({
        "dateTime": "2024-06-02T08:48:25.0090000Z",
        "latitude": 4.711,
        "longitude": -74.0721,
        "speed": 42.5,
        "course": 180,
        "battery": 87,
        "milleage": 12345.6,
        "inputs": [true, false],
        "alerts": ["Speeding"]
    })
}

/// An alert event.
pub fn alert_json() -> Value {
    json!({
        "dateTime": "2024-06-02T09:00:00Z",
        "latitude": 4.7,
        "longitude": -74.05,
        "text": "Speed over 80 km/h",
        "notifications": ["Email", "SMS"],
        "alerts": ["Speeding"]
    })
}

/// A group's fields (to be flattened into an envelope or listed).
pub fn group_json(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "description": "Trucks based north",
        "devices": ["dev-1", "dev-2"],
        "creation": "2024-01-01T00:00:00Z",
        "lastModified": "2024-02-01T10:30:00Z"
    })
}

/// A user's fields (to be flattened into an envelope or listed).
pub fn user_json(id: &str) -> Value {
    json!({
        "id": id,
        "name": "Ana Gómez",
        "email": "ana@example.com",
        "country": "CO",
        "timeZone": "America/Bogota",
        "disabled": false,
        "privileges": ["devices.read"],
        "password": null,
        "creation": "2024-01-01T00:00:00Z",
        "lastLogin": "2024-06-01T12:00:00Z"
    })
}

/// `fields` flattened into a successful envelope, as single groups and users come.
pub fn flattened(fields: Value) -> Value {
    let mut body = json!({"success": true});
    if let (Some(body), Value::Object(fields)) = (body.as_object_mut(), fields) {
        body.extend(fields);
    }
    body
}
