//! The sandbox against the exact requests of an independent client (not our SDK): a
//! plain HTTP client sending capitalised keys, offset-less local-day ranges and
//! `Accept: application/json`, as deployed third-party code does; and what an ASP.NET
//! Core server refuses, refused the same way. Then the quirks mode: the same data as the
//! tidy mode, only spelt differently.

use std::sync::Arc;
use std::time::Duration;

use plaspy_sandbox::{SandboxConfig, SandboxHandle};
use plaspy_types::policy::clock::ManualClock;
use plaspy_types::{AlertEvent, Device, Group, Location, User};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::common::start;

/// 2026-12-02, 12:00 UTC: the day before, 2026-12-01, is in the past.
fn clock() -> ManualClock {
    ManualClock::new("2026-12-02T12:00:00Z".parse().unwrap())
}

fn sandbox(quirks: bool) -> SandboxHandle {
    start(
        SandboxConfig {
            clock: Arc::new(clock()),
            ..SandboxConfig::default()
        }
        .quirks(quirks),
    )
}

/// A bare HTTP client: the exact bytes and headers an independent client sends.
struct Raw {
    base: String,
    agent: ureq::Agent,
    token: Option<String>,
}

impl Raw {
    fn new(sandbox: &SandboxHandle) -> Self {
        let config = ureq::config::Config::builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build();
        Raw {
            base: sandbox.base_url().to_owned(),
            agent: ureq::Agent::new_with_config(config),
            token: None,
        }
    }

    /// Sends `body` (raw JSON text) or nothing; answers (status, body as JSON).
    fn send(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("Accept", "application/json");
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        if body.is_some() {
            request = request.header("Content-Type", "application/json; charset=utf-8");
        }
        let request = request
            .body(body.unwrap_or_default().as_bytes().to_vec())
            .unwrap();
        let mut response = self.agent.run(request).expect("answered");
        let text = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .unwrap();
        let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (response.status().as_u16(), json)
    }

    fn get(&self, path: &str) -> (u16, Value) {
        self.send("GET", path, None)
    }

    fn post(&self, path: &str, body: &str) -> (u16, Value) {
        self.send("POST", path, Some(body))
    }

    /// Logs in with this exact body at this exact path.
    fn login(&mut self, path: &str, body: &str) -> (u16, Value) {
        let (status, json) = self.post(path, body);
        if status == 200 {
            self.token = json["token"].as_str().map(str::to_owned);
        }
        (status, json)
    }

    fn demo(sandbox: &SandboxHandle) -> Self {
        let mut raw = Raw::new(sandbox);
        let (status, json) = raw.login(
            "/api/Auth/Token",
            r#"{"UserName":"demo","ApiKey":"demo-key"}"#,
        );
        assert_eq!(status, 200, "{json}");
        raw
    }
}

#[test]
fn token_requests_in_any_case_get_a_token() {
    let sandbox = sandbox(false);
    for (path, body) in [
        (
            "/api/Auth/Token",
            r#"{"UserName":"demo","ApiKey":"demo-key"}"#,
        ),
        (
            "/api/auth/token",
            r#"{"username":"demo","apikey":"demo-key"}"#,
        ),
        (
            "/api/AUTH/TOKEN/",
            r#"{"USERNAME":"demo","APIKEY":"demo-key","clientVersion":"3.1"}"#,
        ),
        // A repeated property takes its last value.
        (
            "/api/Auth/Token",
            r#"{"userName":"nobody","UserName":"demo","apiKey":"demo-key"}"#,
        ),
    ] {
        let mut raw = Raw::new(&sandbox);
        let (status, json) = raw.login(path, body);
        assert_eq!(status, 200, "{path} {body}: {json}");
        assert_eq!(json["success"], true);
        assert_eq!(json["token"].as_str().unwrap().split('.').count(), 3);
    }
    let mut raw = Raw::new(&sandbox);
    let (status, _) = raw.login(
        "/api/Auth/Token",
        r#"{"UserName":"demo","userName":"x","ApiKey":"demo-key"}"#,
    );
    assert_eq!(status, 401, "the last of a repeated property wins");
}

#[test]
fn routes_match_in_any_case_and_with_a_trailing_slash() {
    let sandbox = sandbox(false);
    let raw = Raw::demo(&sandbox);
    let (status, json) = raw.get("/api/Devices/");
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["devices"].as_array().unwrap().len(), 27);
    let (status, json) = raw.get("/api/devices/dev-01/lastlocation");
    assert_eq!(status, 200, "{json}");
    assert!(json["lastLocation"]["dateTime"].is_string(), "{json}");
    for path in [
        "/api/Groups/grp-1/",
        "/api/USERS/timezones",
        "/api/users/Countries/",
    ] {
        assert_eq!(raw.get(path).0, 200, "{path}");
    }
    assert_eq!(raw.get("/api/groups/GRP-1").0, 404, "ids keep their case");
}

#[test]
fn an_independent_clients_local_day_queries_succeed() {
    let sandbox = sandbox(false);
    let raw = Raw::demo(&sandbox);
    let day = r#"{"from":"2026-12-01T00:00:00","to":"2026-12-01T23:59:59"}"#;
    let (status, json) = raw.post("/api/devices/dev-01/locations", day);
    assert_eq!(status, 200, "{json}");
    let fixes: Vec<Location> = serde_json::from_value(json["locations"].clone()).unwrap();
    assert!(fixes.len() > 100, "{} fixes", fixes.len());
    let (from, to): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) = (
        "2026-12-01T00:00:00Z".parse().unwrap(),
        "2026-12-01T23:59:59Z".parse().unwrap(),
    );
    assert!(
        fixes.iter().all(|f| (from..=to).contains(&f.date_time)),
        "offset-less = UTC"
    );
    // The same range in other spellings .NET reads, capitalised keys included.
    for body in [
        r#"{"From":"2026-12-01","To":"2026-12-01T23:59:59.0000000"}"#,
        r#"{"FROM":"2026-12-01T00:00Z","to":"2026-12-01T23:59:59+00:00"}"#,
        r#"{"from":"2026-11-30T19:00:00-05:00","to":"2026-12-01T18:59:59-05","Location":null}"#,
    ] {
        let (status, json) = raw.post("/api/Devices/dev-01/Locations", body);
        assert_eq!(status, 200, "{body}: {json}");
        let again: Vec<Location> = serde_json::from_value(json["locations"].clone()).unwrap();
        assert_eq!(again, fixes, "{body}");
    }
    let (status, json) = raw.post(
        "/api/devices/dev-01/alerts",
        r#"{"From":"2026-12-01T00:00:00","To":"2026-12-01T23:59:59","AlertName":""}"#,
    );
    assert_eq!(status, 200, "{json}");
    assert!(json["alerts"].is_array());
}

#[test]
fn what_dotnet_refuses_is_refused_with_400_and_a_message() {
    let sandbox = sandbox(false);
    let raw = Raw::demo(&sandbox);
    for (path, body, expected) in [
        (
            "/api/devices/dev-01/locations",
            r#"{"from":"2026-12-01 00:00:00","to":"2026-12-01T23:59:59"}"#,
            "a space instead of `T`",
        ),
        (
            "/api/devices/dev-01/locations",
            r#"{"from":"2026-12-01T00:00:00+0500","to":"2026-12-01T23:59:59"}"#,
            "without its colon",
        ),
        (
            "/api/devices/dev-01/locations",
            r#"{"from":"2026-12-01T00:00:00.123456789Z","to":"2026-12-01T23:59:59"}"#,
            "more than 7 fractional",
        ),
        (
            "/api/devices/dev-01/locations",
            r#"{"from":"2026-12-01T00:00:00.12345678","to":"2026-12-01T23:59:59"}"#,
            "more than 7 fractional",
        ),
        (
            "/api/devices/dev-01/locations",
            r#"["2026-12-01T00:00:00","2026-12-01T23:59:59"]"#,
            "an array cannot be converted",
        ),
        (
            "/api/devices/dev-01/locations",
            r#"{"from":1764547200,"to":"2026-12-01T23:59:59"}"#,
            "cannot be converted to System.DateTime",
        ),
        (
            "/api/devices/dev-01/locations",
            r#"{"to":"2026-12-01T23:59:59"}"#,
            "The from field is required.",
        ),
        (
            "/api/devices/dev-01/alerts",
            r#"{"from":"2026-12-01","to":"2026-12-01T23:59:59","alertName":["Speeding"]}"#,
            "cannot be converted to System.String",
        ),
        (
            "/api/groups",
            r#"{"Name":"x","Devices":{"0":"dev-01"}}"#,
            "cannot be converted to List",
        ),
        (
            "/api/Auth/Token",
            r#"["demo","demo-key"]"#,
            "an array cannot be converted",
        ),
    ] {
        let (status, json) = raw.post(path, body);
        assert_eq!(status, 400, "{body}: {json}");
        assert_eq!(json["success"], false);
        let error = json["error"].as_str().unwrap();
        assert!(error.contains(expected), "{body}: {error}");
    }
}

#[test]
fn bodies_bind_in_any_case_and_ignore_unknown_properties() {
    let sandbox = sandbox(false);
    let raw = Raw::demo(&sandbox);
    let (status, group) = raw.post(
        "/api/Groups",
        r#"{"NAME":"Night crew","Description":"x","devices":["dev-01"],"color":"blue","name":"Night shift"}"#,
    );
    assert_eq!(status, 201, "{group}");
    assert_eq!(group["name"], "Night shift");
    assert_eq!(group["description"], "x");
    assert!(group.get("color").is_none(), "{group}");
    let id = group["id"].as_str().unwrap();
    let (status, patched) = raw.send(
        "PATCH",
        &format!("/api/groups/{id}"),
        Some(r#"[{"Op":"Replace","Path":"/Description","Value":"y"}]"#),
    );
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["description"], "y");
    let (status, user) = raw.post(
        "/api/users",
        r#"{"Name":"Ana","Email":"ana@example.com","Country":"CO","TimeZone":"America/Bogota","AdminDevices":"3","Expires":"2027-01-01"}"#,
    );
    assert_eq!(status, 201, "{user}");
    assert_eq!(user["adminDevices"], 3, "numbers may be quoted");
    assert_eq!(user["expires"], "2027-01-01T00:00:00Z");
    let (status, result) = raw.post(
        "/api/devices/dev-01/SendCommand",
        r#"{"Command":"0A FF","Format":"hex","Sms":false}"#,
    );
    assert_eq!(status, 200, "{result}");
}

/// What the SDK reads from a reply's payload `name` (a `null` list: empty).
fn read<T: DeserializeOwned>(reply: &Value, name: &str) -> Vec<T> {
    match &reply[name] {
        Value::Null => Vec::new(),
        Value::Array(_) => serde_json::from_value(reply[name].clone()).unwrap(),
        one => vec![serde_json::from_value(one.clone()).unwrap()],
    }
}

/// A model's JSON with unknown fields, `null`s and empty lists and maps left out: what
/// the values are, whatever the spelling.
fn values<T: serde::Serialize>(items: &[T], clear: impl Fn(&mut Value)) -> Vec<Value> {
    items
        .iter()
        .map(|item| {
            let mut json = serde_json::to_value(item).unwrap();
            clear(&mut json);
            if let Some(map) = json.as_object_mut() {
                map.retain(|_, v| {
                    !(v.is_null()
                        || v.as_array().is_some_and(Vec::is_empty)
                        || v.as_object().is_some_and(serde_json::Map::is_empty))
                });
            }
            json
        })
        .collect()
}

fn without(keys: &'static [&'static str]) -> impl Fn(&mut Value) {
    move |json| {
        if let Some(map) = json.as_object_mut() {
            for key in keys {
                map.remove(*key);
            }
        }
    }
}

const QUIRK_FIELDS: &[&str] = &["externalRef", "syncInfo"];

#[test]
fn quirks_mode_spells_the_same_data_differently() {
    let (tidy, quirky) = (sandbox(false), sandbox(true));
    let (tidy, quirky) = (Raw::demo(&tidy), Raw::demo(&quirky));
    let mut texts = String::new();
    let both = |method: &str, path: &str, body: Option<&str>| {
        let (s1, a) = tidy.send(method, path, body);
        let (s2, b) = quirky.send(method, path, body);
        assert_eq!((s1, s2), (200, 200), "{path}");
        (a, b)
    };

    let (a, b) = both("GET", "/api/devices", None);
    texts.push_str(&b.to_string());
    let (da, db): (Vec<Device>, Vec<Device>) = (read(&a, "devices"), read(&b, "devices"));
    assert_eq!(
        values(&da, without(QUIRK_FIELDS)),
        values(&db, without(QUIRK_FIELDS))
    );
    assert_eq!(da.len(), 27);
    for device in &da {
        let id = device.id();
        let (a, b) = both("GET", &format!("/api/devices/{id}"), None);
        let (one_a, one_b): (Vec<Device>, Vec<Device>) = (read(&a, "device"), read(&b, "device"));
        assert_eq!(
            values(&one_a, without(QUIRK_FIELDS)),
            values(&one_b, without(QUIRK_FIELDS))
        );
        let listed = db.iter().find(|d| d.id() == id).unwrap();
        assert_eq!(
            &one_b[0], listed,
            "a device looks the same listed and alone"
        );

        let (a, b) = both("GET", &format!("/api/devices/{id}/lastLocation"), None);
        texts.push_str(&b.to_string());
        let (la, lb): (Vec<Location>, Vec<Location>) =
            (read(&a, "lastLocation"), read(&b, "lastLocation"));
        assert_eq!(
            values(&la, without(QUIRK_FIELDS)),
            values(&lb, without(QUIRK_FIELDS)),
            "{id}"
        );

        let day = Some(r#"{"from":"2026-12-01T06:00:00Z","to":"2026-12-01T09:00:00Z"}"#);
        let (a, b) = both("POST", &format!("/api/devices/{id}/locations"), day);
        texts.push_str(&b.to_string());
        let (ta, tb): (Vec<Location>, Vec<Location>) =
            (read(&a, "locations"), read(&b, "locations"));
        assert_eq!(ta.len(), tb.len(), "{id}");
        assert_eq!(
            values(&ta, without(QUIRK_FIELDS)),
            values(&tb, without(QUIRK_FIELDS)),
            "{id}"
        );
        let (a, b) = both("POST", &format!("/api/devices/{id}/alerts"), day);
        texts.push_str(&b.to_string());
        let (aa, ab): (Vec<AlertEvent>, Vec<AlertEvent>) = (read(&a, "alerts"), read(&b, "alerts"));
        assert_eq!(
            values(&aa, without(QUIRK_FIELDS)),
            values(&ab, without(QUIRK_FIELDS)),
            "{id}"
        );
    }
    let (a, b) = both("GET", "/api/groups", None);
    texts.push_str(&b.to_string());
    let (ga, gb): (Vec<Group>, Vec<Group>) = (read(&a, "groups"), read(&b, "groups"));
    assert_eq!(
        values(&ga, without(QUIRK_FIELDS)),
        values(&gb, without(QUIRK_FIELDS))
    );
    let (a, b) = both("GET", "/api/users", None);
    texts.push_str(&b.to_string());
    let (ua, ub): (Vec<User>, Vec<User>) = (read(&a, "users"), read(&b, "users"));
    assert_eq!(
        values(&ua, without(QUIRK_FIELDS)),
        values(&ub, without(QUIRK_FIELDS))
    );

    // Every shape of the contract's robustness notes is there.
    for shape in [
        r#"0000000Z""#,        // 7 fractional digits
        r#"0000000""#,         // ... and no offset
        r#"-05:00""#,          // a numeric offset
        r#"":null"#,           // nulls for absent fields
        r#".0,""#,             // integers as floats
        r#""externalRef""#,    // unknown fields
        r#""locations":null"#, // an empty list as null
    ] {
        assert!(texts.contains(shape), "no {shape} in the quirks replies");
    }
    let offsetless = regex_like_offsetless(&texts);
    assert!(offsetless, "no date-time without an offset");
}

/// Whether some `"dateTime":"…"` value has neither `Z` nor an offset.
fn regex_like_offsetless(text: &str) -> bool {
    text.split("\"dateTime\":\"").skip(1).any(|rest| {
        let value = rest.split('"').next().unwrap_or_default();
        !value.ends_with('Z') && !value[value.len().saturating_sub(6)..].contains(['+', '-'])
    })
}

#[test]
fn quirks_mode_sends_numeric_ids_as_numbers_and_the_sdk_keeps_their_text() {
    let sandbox = sandbox(true);
    let raw = Raw::demo(&sandbox);
    let mut numeric = 0;
    for i in 0..12 {
        let body = format!(
            r#"{{"name":"Driver {i}","email":"d{i}@example.com","country":"CO","timeZone":"America/Bogota","deviceId":"12345","group":"77"}}"#
        );
        let (status, user) = raw.post("/api/users", &body);
        assert_eq!(status, 201, "{user}");
        if user["deviceId"] == 12345 {
            numeric += 1;
            assert_eq!(user["group"], 77, "{user}");
        } else {
            assert_eq!(user["deviceId"], "12345", "{user}");
        }
        let read: User = serde_json::from_value(user).unwrap();
        assert_eq!(read.device_id.as_deref(), Some("12345"));
        assert_eq!(read.group.as_deref(), Some("77"));
    }
    assert!(
        (1..12).contains(&numeric),
        "{numeric} of 12 users had numeric ids"
    );
}
