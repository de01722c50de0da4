//! The quirks mode: every successful `/api` answer rewritten, in one pass over its JSON
//! value just before it is written (in [`crate::reply::Success::into_response`]),
//! into the shapes the robustness notes of the API contract list, deterministically from
//! the seed and spread over the data. The values stay those of the tidy mode; only their
//! spelling changes:
//!
//! - date-times in one of six spellings per object: tidy (`…T10:00:00.250Z`), without an
//!   offset (read as UTC), with 7 fractional digits (with `Z` or without an offset), with
//!   `+00:00`, or in Bogotá time with `-05:00`;
//! - ids whose text is an integer written as JSON numbers (ids, a user's `group` and
//!   `deviceId`, a group's `devices`);
//! - `null` for every optional field an object does not have;
//! - integer fields written as floats (`12.0`);
//! - unknown extra fields (`externalRef`, `syncInfo`);
//! - empty lists as `null` (always for the payload list of a reply, per object inside).
//!
//! The choice for an object depends on the seed and on the object (its `id`, or its time
//! and place for a position or an alert), never on where it appears: a device looks the same
//! in the list and alone, a last location the same as in its track.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde_json::{Map, Value};

use crate::prng::{hash, hash_str};

/// The fields of one model that quirks touch.
struct Model {
    dates: &'static [&'static str],
    ints: &'static [&'static str],
    ids: &'static [&'static str],
    id_lists: &'static [&'static str],
    optional: &'static [&'static str],
}

const DEVICE: Model = Model {
    dates: &["expires"],
    ints: &[],
    ids: &["id"],
    id_lists: &[],
    optional: &["name", "description", "min", "tags", "expires"],
};

const LOCATION: Model = Model {
    dates: &["dateTime"],
    ints: &[
        "battery",
        "fuel",
        "fuel2",
        "sensorTime1",
        "sensorTime2",
        "sensorTime3",
        "sensorTime4",
        "inactiveSeconds",
        "rpm",
    ],
    ids: &[],
    id_lists: &[],
    optional: &[
        "speed",
        "course",
        "battery",
        "fuel",
        "fuel2",
        "temperature",
        "temperature2",
        "sensorTime1",
        "sensorTime2",
        "sensorTime3",
        "sensorTime4",
        "inactiveSeconds",
        "rpm",
        "milleage",
        "warningTexts",
        "alertTexts",
        "alerts",
        "warnings",
        "hasCriticalAlert",
        "attributes",
        "accessoriesAttributes",
        "inputs",
        "outputs",
    ],
};

const ALERT: Model = Model {
    dates: &["dateTime"],
    ints: &[],
    ids: &[],
    id_lists: &[],
    optional: &["text", "notifications", "alerts"],
};

const GROUP: Model = Model {
    dates: &["creation", "lastModified"],
    ints: &[],
    ids: &["id"],
    id_lists: &["devices"],
    optional: &["description", "devices", "creation", "lastModified"],
};

const USER: Model = Model {
    dates: &["from", "expires", "creation", "modification", "lastLogin"],
    ints: &["adminDevices"],
    ids: &["id", "group", "deviceId"],
    id_lists: &[],
    optional: &[
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
    ],
};

const TOKEN: Model = Model {
    dates: &["expires"],
    ints: &[],
    ids: &[],
    id_lists: &[],
    optional: &[],
};

/// Rewrites a whole reply envelope.
pub(crate) fn reply(body: &mut Value, seed: u64) {
    let Some(envelope) = body.as_object_mut() else {
        return;
    };
    // A flattened payload first (a group's `devices` is not a payload list): the token,
    // a user or a group.
    let flat = if envelope.contains_key("token") {
        Some(&TOKEN)
    } else if envelope.contains_key("email") {
        Some(&USER)
    } else if envelope.contains_key("id") {
        Some(&GROUP)
    } else {
        None
    };
    if let Some(model) = flat {
        object(envelope, model, seed);
        return;
    }
    let named: [(&str, &Model); 7] = [
        ("devices", &DEVICE),
        ("device", &DEVICE),
        ("lastLocation", &LOCATION),
        ("locations", &LOCATION),
        ("alerts", &ALERT),
        ("groups", &GROUP),
        ("users", &USER),
    ];
    for (name, model) in named {
        let Some(payload) = envelope.get_mut(name) else {
            continue;
        };
        match payload {
            Value::Array(items) if items.is_empty() => *payload = Value::Null,
            Value::Array(items) => {
                for item in items {
                    if let Some(map) = item.as_object_mut() {
                        object(map, model, seed);
                    }
                }
            }
            Value::Object(map) => object(map, model, seed),
            _ => {}
        }
    }
}

/// Rewrites one object of `model`.
fn object(map: &mut Map<String, Value>, model: &Model, seed: u64) {
    let key = match map.get("id").and_then(Value::as_str) {
        Some(id) => hash_str(id),
        // A position or an alert: its time and place say which one it is.
        None => {
            let number = |name: &str| {
                map.get(name)
                    .and_then(Value::as_f64)
                    .unwrap_or(0.0)
                    .to_bits()
            };
            let time = map
                .get("dateTime")
                .and_then(Value::as_str)
                .map_or(0, hash_str);
            hash(&[time, number("latitude"), number("longitude")])
        }
    };
    let h = hash(&[seed, 0x7175_6972_6b73, key]);
    let bit = |n: u32| (h >> n) & 1 == 1;
    let style = (h % 6) as u8;
    for name in model.dates {
        if let Some(value) = map.get_mut(*name)
            && let Some(text) = value.as_str()
            && let Ok(dt) = DateTime::parse_from_rfc3339(text)
        {
            *value = Value::String(spell_date(dt.with_timezone(&Utc), style));
        }
    }
    if bit(9) {
        for name in model.ints {
            if let Some(value) = map.get_mut(*name)
                && let Some(n) = value.as_i64()
            {
                *value = Value::from(n as f64);
            }
        }
    }
    if bit(12) {
        for name in model.ids {
            if let Some(value) = map.get_mut(*name) {
                numeric_id(value);
            }
        }
        for name in model.id_lists {
            if let Some(Value::Array(items)) = map.get_mut(*name) {
                items.iter_mut().for_each(numeric_id);
            }
        }
    }
    if bit(11) {
        for value in map.values_mut() {
            if value.as_array().is_some_and(Vec::is_empty) {
                *value = Value::Null;
            }
        }
    }
    if bit(8) {
        for name in model.optional {
            map.entry(*name).or_insert(Value::Null);
        }
    }
    if bit(10) {
        map.insert("externalRef".into(), format!("X{:08X}", h >> 32).into());
        map.insert(
            "syncInfo".into(),
            serde_json::json!({"source": "gateway", "revision": (h >> 40) % 50 + 1}),
        );
    }
}

/// A date-time in one of the six spellings.
pub(crate) fn spell_date(dt: DateTime<Utc>, style: u8) -> String {
    let seven = || {
        format!(
            "{}.{:07}",
            dt.format("%Y-%m-%dT%H:%M:%S"),
            dt.timestamp_subsec_nanos() / 100
        )
    };
    match style {
        1 => dt.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(),
        2 => format!("{}Z", seven()),
        3 => seven(),
        4 => dt.to_rfc3339_opts(SecondsFormat::Millis, false),
        5 => match FixedOffset::west_opt(5 * 3600) {
            Some(bogota) => dt
                .with_timezone(&bogota)
                .to_rfc3339_opts(SecondsFormat::Millis, false),
            None => dt.to_rfc3339_opts(SecondsFormat::Millis, false),
        },
        _ => dt.to_rfc3339_opts(SecondsFormat::AutoSi, true),
    }
}

/// An id whose text is a plain integer, as a JSON number.
fn numeric_id(value: &mut Value) {
    if let Some(text) = value.as_str()
        && let Ok(n) = text.parse::<u64>()
        && n.to_string() == text
    {
        *value = Value::from(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_keep_their_instant_in_every_spelling() {
        let dt: DateTime<Utc> = "2026-12-01T10:00:00.250Z".parse().unwrap();
        let spelt: Vec<String> = (0..6).map(|s| spell_date(dt, s)).collect();
        assert_eq!(
            spelt,
            [
                "2026-12-01T10:00:00.250Z",
                "2026-12-01T10:00:00.250",
                "2026-12-01T10:00:00.2500000Z",
                "2026-12-01T10:00:00.2500000",
                "2026-12-01T10:00:00.250+00:00",
                "2026-12-01T05:00:00.250-05:00",
            ]
        );
        for text in &spelt {
            let back = crate::request::datetime::parse(text).unwrap();
            assert_eq!(back, dt, "{text}");
        }
    }

    #[test]
    fn every_shape_appears_over_a_fleet_and_the_same_object_looks_the_same() {
        let devices: Vec<Value> = (1..=40)
            .map(|i| json!({"id": format!("{i}"), "name": format!("CARRO {i}"), "expires": "2027-01-01T05:00:00Z", "tags": {}}))
            .collect();
        let mut body = json!({"success": true, "devices": devices, "apiUsage": 3});
        reply(&mut body, 42);
        let text = body.to_string();
        let listed = body["devices"].as_array().unwrap();
        assert!(
            listed.iter().any(|d| d["id"].is_u64()) && listed.iter().any(|d| d["id"].is_string())
        );
        for needle in [
            "\"description\":null",
            "externalRef",
            "2027-01-01T05:00:00.0000000\"",
            "2027-01-01T00:00:00.000-05:00",
        ] {
            assert!(text.contains(needle), "no {needle} in {text}");
        }
        let mut again = json!({"success": true, "device": {"id": "7", "name": "CARRO 7", "expires": "2027-01-01T05:00:00Z", "tags": {}}});
        reply(&mut again, 42);
        let listed = body["devices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == 7 || d["id"] == "7")
            .unwrap();
        assert_eq!(&again["device"], listed);

        // A flattened group looks as it does in the list.
        let group = json!({"id": "grp-1", "name": "North", "devices": ["dev-01"], "creation": "2025-01-01T00:00:00Z"});
        let mut listed = json!({"success": true, "groups": [group.clone()]});
        reply(&mut listed, 42);
        let mut alone = group.clone();
        alone["success"] = json!(true);
        reply(&mut alone, 42);
        alone.as_object_mut().unwrap().remove("success");
        assert_eq!(alone, listed["groups"][0]);
        assert_ne!(alone, group, "the flattened group is rewritten too");

        let mut empty = json!({"success": true, "locations": []});
        reply(&mut empty, 42);
        assert_eq!(empty["locations"], Value::Null);

        let mut fix = json!({"success": true, "lastLocation": {"dateTime": "2026-12-01T10:00:00Z", "latitude": 4.6, "longitude": -74.0, "battery": 80, "alerts": []}});
        let mut floats = 0;
        for seed in 0..64 {
            let mut copy = fix.clone();
            reply(&mut copy, seed);
            if copy["lastLocation"]["battery"].is_f64() {
                floats += 1;
                assert_eq!(copy["lastLocation"]["battery"].to_string(), "80.0");
            }
        }
        assert!((10..54).contains(&floats), "{floats}");
        reply(&mut fix, 1);
        assert_eq!(fix["lastLocation"]["latitude"], 4.6);
    }
}
