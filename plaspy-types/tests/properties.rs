//! Property tests (issue 9): whatever a server sends, every response decoder answers `Ok`
//! or a clean error and never panics; a valid model survives decode → encode → decode; and
//! whatever a caller passes, the request encoders (commands, patches, ids) answer `Ok` or a
//! clean error.

use chrono::{DateTime, Utc};
use plaspy_types::endpoints::*;
use plaspy_types::{
    Command, CommandFormat, Credentials, Endpoint, HttpResponse, LocationsQuery, PatchOperation,
};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// `cases` cases, and no regression files written next to the sources.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- arbitrary JSON -------------------------------------------------------------------

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        date_text().prop_map(Value::String),
    ]
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((field_name(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Field names a decoder cares about, mixed with random ones.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "success",
            "error",
            "apiUsage",
            "apiDailyUsage",
            "devices",
            "device",
            "lastLocation",
            "locations",
            "alerts",
            "groups",
            "users",
            "result",
            "token",
            "expires",
            "countries",
            "timeZones",
            "id",
            "name",
            "dateTime",
            "latitude",
            "longitude",
            "tags",
            "message",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z]{1,8}",
    ]
}

/// A body as a hostile server may send it: JSON built around the envelope, or raw bytes.
fn hostile_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => arbitrary_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        3 => (field_name(), arbitrary_json(), any::<Option<bool>>()).prop_map(|(name, payload, ok)| {
            let mut body = Map::new();
            if let Some(ok) = ok {
                body.insert("success".into(), Value::Bool(ok));
            }
            body.insert(name, payload);
            serde_json::to_vec(&body).unwrap()
        }),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![4 => Just(200u16), 1 => 100u16..600]
}

fn decode_all(response: &HttpResponse) {
    let query = LocationsQuery::new(DateTime::UNIX_EPOCH, Utc::now());
    let alerts = plaspy_types::AlertsQuery::new(DateTime::UNIX_EPOCH, Utc::now());
    let command = Command::text("x");
    let credentials = Credentials::new("u", "k");
    // Only "no panic" is asserted: each returns Ok or an error.
    let _ = ListDevices.decode(response);
    let _ = GetDevice { id: "d" }.decode(response);
    let _ = LastLocation { id: "d" }.decode(response);
    let _ = QueryLocations {
        id: "d",
        query: &query,
    }
    .decode(response);
    let _ = QueryAlerts {
        id: "d",
        query: &alerts,
    }
    .decode(response);
    let _ = SendCommand {
        id: "d",
        command: &command,
    }
    .decode(response);
    let _ = RequestToken {
        credentials: &credentials,
    }
    .decode(response);
    let _ = ListGroups::default().decode(response);
    let _ = GetGroup::new("g").decode(response);
    let _ = DeleteGroup::new("g").decode(response);
    let _ = ListUsers::default().decode(response);
    let _ = GetUser::new("u").decode(response);
    let _ = ListCountries.decode(response);
    let _ = ListTimeZones.decode(response);
    let _ = plaspy_types::envelope::server_message(&response.body);
    let _ = plaspy_types::envelope::read_envelope(&response.body);
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn no_decoder_panics_on_hostile_bodies(status in status(), body in hostile_body()) {
        decode_all(&HttpResponse::new(status, body));
    }
}

// ---- valid models round-trip ------------------------------------------------------------

/// Date-times as servers write them: 0 to 7 fractional digits, with or without offset.
fn date_text() -> impl Strategy<Value = String> {
    (0i64..4_102_444_800, 0u32..10_000_000, 0usize..4).prop_map(|(secs, ticks, style)| {
        let dt = DateTime::from_timestamp(secs, ticks * 100).unwrap();
        match style {
            0 => dt.format("%Y-%m-%dT%H:%M:%S").to_string(),
            1 => format!("{}.{ticks:07}", dt.format("%Y-%m-%dT%H:%M:%S")),
            2 => dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            _ => dt.to_rfc3339(),
        }
    })
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Int,
    Num,
    Bool,
    Date,
    TextList,
    TextMap,
    MapList,
    BoolList,
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 éñ_-]{1,10}"
}

fn value_of(kind: Kind) -> BoxedStrategy<Value> {
    match kind {
        Kind::Text => text().prop_map(Value::String).boxed(),
        Kind::Int => (-1_000_000i64..1_000_000).prop_map(Value::from).boxed(),
        Kind::Num => (-18_000_000i64..18_000_000)
            .prop_map(|n| json!(n as f64 / 100_000.0))
            .boxed(),
        Kind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Kind::Date => date_text().prop_map(Value::String).boxed(),
        Kind::TextList => prop::collection::vec(text(), 0..4)
            .prop_map(|v| json!(v))
            .boxed(),
        Kind::TextMap => prop::collection::btree_map("[a-z]{1,6}", text(), 0..4)
            .prop_map(|m| json!(m))
            .boxed(),
        Kind::MapList => prop::collection::vec(
            prop::collection::btree_map("[a-z]{1,6}", text(), 0..3),
            0..3,
        )
        .prop_map(|v| json!(v))
        .boxed(),
        Kind::BoolList => prop::collection::vec(any::<bool>(), 0..5)
            .prop_map(|v| json!(v))
            .boxed(),
    }
}

/// A JSON object with the `required` fields, any of the `optional` ones, and a few unknown
/// fields holding arbitrary JSON.
fn model(
    required: &[(&'static str, Kind)],
    optional: &[(&'static str, Kind)],
) -> BoxedStrategy<Value> {
    let required: Vec<_> = required
        .iter()
        .map(|&(k, kind)| value_of(kind).prop_map(move |v| (k, v)))
        .collect();
    let optional: Vec<_> = optional
        .iter()
        .map(|&(k, kind)| prop::option::of(value_of(kind)).prop_map(move |v| (k, v)))
        .collect();
    let unknown = prop::collection::vec(("x[A-Z][a-z]{0,6}", arbitrary_json()), 0..3);
    (required, optional, unknown)
        .prop_map(|(required, optional, unknown)| {
            let mut object = Map::new();
            for (k, v) in required {
                object.insert(k.into(), v);
            }
            for (k, v) in optional {
                if let Some(v) = v {
                    object.insert(k.into(), v);
                }
            }
            for (k, v) in unknown {
                object.insert(k, v);
            }
            Value::Object(object)
        })
        .boxed()
}

use Kind::*;

fn device() -> BoxedStrategy<Value> {
    model(
        &[],
        &[
            ("id", Text),
            ("name", Text),
            ("description", Text),
            ("min", Text),
            ("tags", TextMap),
            ("expires", Date),
        ],
    )
}

fn location() -> BoxedStrategy<Value> {
    model(
        &[("dateTime", Date), ("latitude", Num), ("longitude", Num)],
        &[
            ("speed", Num),
            ("course", Num),
            ("battery", Int),
            ("fuel", Int),
            ("fuel2", Int),
            ("temperature", Num),
            ("temperature2", Num),
            ("sensorTime1", Int),
            ("sensorTime4", Int),
            ("inactiveSeconds", Int),
            ("rpm", Int),
            ("milleage", Num),
            ("warningTexts", TextList),
            ("alertTexts", TextList),
            ("alerts", TextList),
            ("warnings", TextList),
            ("hasCriticalAlert", Bool),
            ("attributes", TextMap),
            ("accessoriesAttributes", MapList),
            ("inputs", BoolList),
            ("outputs", BoolList),
        ],
    )
}

fn alert() -> BoxedStrategy<Value> {
    model(
        &[("dateTime", Date), ("latitude", Num), ("longitude", Num)],
        &[
            ("text", Text),
            ("notifications", TextList),
            ("alerts", TextList),
        ],
    )
}

fn group() -> BoxedStrategy<Value> {
    model(
        &[("id", Text), ("name", Text)],
        &[
            ("description", Text),
            ("devices", TextList),
            ("creation", Date),
            ("lastModified", Date),
        ],
    )
}

fn user() -> BoxedStrategy<Value> {
    model(
        &[("id", Text), ("name", Text), ("email", Text)],
        &[
            ("country", Text),
            ("timeZone", Text),
            ("description", Text),
            ("message", Text),
            ("disabled", Bool),
            ("disabledMessage", Text),
            ("tags", TextMap),
            ("privileges", TextList),
            ("group", Text),
            ("deviceId", Text),
            ("adminDevices", Int),
            ("from", Date),
            ("expires", Date),
            ("creation", Date),
            ("modification", Date),
            ("lastLogin", Date),
        ],
    )
}

fn body(fields: Value) -> HttpResponse {
    HttpResponse::new(200, serde_json::to_vec(&fields).unwrap())
}

/// Decodes `wire` with `endpoint`, writes the model back, decodes that again: same model.
fn round_trips<E>(
    endpoint: &E,
    wrap: impl Fn(Value) -> Value,
    wire: Value,
) -> Result<(), TestCaseError>
where
    E: Endpoint,
    E::Output: serde::Serialize + PartialEq + std::fmt::Debug,
{
    let first = endpoint.decode(&body(wrap(wire.clone())));
    let first = first
        .map_err(|e| TestCaseError::fail(format!("a valid model was refused: {e}\n{wire}")))?
        .value;
    let written = serde_json::to_value(&first).unwrap();
    let second = endpoint.decode(&body(wrap(written.clone()))).map_err(|e| {
        TestCaseError::fail(format!("the SDK's own output was refused: {e}\n{written}"))
    })?;
    prop_assert_eq!(first, second.value, "written as {}", written);
    Ok(())
}

fn flat(fields: Value) -> Value {
    let mut object = fields.as_object().cloned().unwrap_or_default();
    object.insert("success".into(), Value::Bool(true));
    Value::Object(object)
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn devices_round_trip(list in prop::collection::vec(device(), 0..4), one in device()) {
        round_trips(&ListDevices, |v| json!({"success": true, "devices": v}), json!(list))?;
        round_trips(&GetDevice { id: "d" }, |v| json!({"success": true, "device": v}), one)?;
    }

    #[test]
    fn locations_round_trip(list in prop::collection::vec(location(), 0..4), one in location()) {
        let query = LocationsQuery::new(DateTime::UNIX_EPOCH, Utc::now());
        let endpoint = QueryLocations { id: "d", query: &query };
        round_trips(&endpoint, |v| json!({"success": true, "locations": v}), json!(list))?;
        round_trips(&LastLocation { id: "d" }, |v| json!({"success": true, "lastLocation": v}), one)?;
    }

    #[test]
    fn alerts_round_trip(list in prop::collection::vec(alert(), 0..4)) {
        let query = plaspy_types::AlertsQuery::new(DateTime::UNIX_EPOCH, Utc::now());
        let endpoint = QueryAlerts { id: "d", query: &query };
        round_trips(&endpoint, |v| json!({"success": true, "alerts": v}), json!(list))?;
    }

    #[test]
    fn groups_round_trip(list in prop::collection::vec(group(), 0..4), one in group()) {
        round_trips(&ListGroups::default(), |v| json!({"success": true, "groups": v}), json!(list))?;
        round_trips(&GetGroup::new("g"), flat, one)?;
    }

    #[test]
    fn users_round_trip(list in prop::collection::vec(user(), 0..4), one in user()) {
        round_trips(&ListUsers::default(), |v| json!({"success": true, "users": v}), json!(list))?;
        round_trips(&GetUser::new("u"), flat, one)?;
    }
}

// ---- request encoders ---------------------------------------------------------------------

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[0-9a-fA-F \\-]{0,40}",
        "[A-Za-z0-9+/=\\s]{0,40}",
        "[/~01a-z\\r\\n]{0,20}",
    ]
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn command_encoders_answer_ok_or_a_clean_error(text in any_text(), sms in any::<Option<bool>>()) {
        for format in [CommandFormat::Text, CommandFormat::Hex, CommandFormat::Base64] {
            let mut command = Command::new(text.clone(), format);
            command.sms = sms;
            let sent = SendCommand { id: "dev-1", command: &command }.request();
            match (command.payload_bytes(), sent) {
                (Ok(bytes), Ok(request)) => {
                    prop_assert!(!bytes.is_empty() || format == CommandFormat::Base64);
                    let body: Value = serde_json::from_slice(request.body.as_deref().unwrap()).unwrap();
                    prop_assert_eq!(&body["command"], &json!(text));
                    if format == CommandFormat::Hex {
                        let digits: String = text.chars().filter(char::is_ascii_hexdigit).collect();
                        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                        prop_assert_eq!(hex, digits.to_ascii_lowercase());
                    }
                }
                (Err(e), Err(_)) => prop_assert!(!e.to_string().is_empty()),
                (a, b) => prop_assert!(false, "validate and request disagree: {a:?} / {b:?}"),
            }
        }
        let _ = text.parse::<CommandFormat>();
    }

    #[test]
    fn patch_pointers_answer_ok_or_a_clean_error(path in any_text(), from in any_text()) {
        for op in [
            PatchOperation::remove(path.clone()),
            PatchOperation::replace(path.clone(), json!(1)),
            PatchOperation::move_(from.clone(), path.clone()),
        ] {
            let ops = [op];
            match PatchGroup::new("g", &ops).request() {
                Ok(request) => {
                    // Whatever is sent is a list of operations with pointers to fields.
                    let sent: Vec<PatchOperation> = serde_json::from_slice(request.body.as_deref().unwrap()).unwrap();
                    prop_assert_eq!(&sent[..], &ops[..]);
                    prop_assert!(path.starts_with('/') && path.len() > 1);
                }
                Err(e) => prop_assert!(e.to_string().contains("JSON Pointer"), "{e}"),
            }
        }
    }

    #[test]
    fn pointers_built_from_any_field_names_are_accepted(names in prop::collection::vec("[^\\p{Cc}]{1,8}", 1..4)) {
        let pointer: String = names.iter().map(|n| format!("/{}", n.replace('~', "~0").replace('/', "~1"))).collect();
        prop_assert!(PatchOperation::remove(pointer.clone()).validate().is_ok(), "{pointer}");
    }

    #[test]
    fn ids_answer_ok_or_a_clean_error(id in prop_oneof![".{0,20}", "[./]{0,3}"]) {
        match (GetDevice { id: &id }).request() {
            Ok(request) => {
                let segment = request.path.trim_start_matches("/api/devices/");
                prop_assert!(!segment.is_empty() && !segment.contains('/') && segment.is_ascii());
            }
            Err(e) => prop_assert!(e.to_string().contains("id"), "{e}"),
        }
    }
}
