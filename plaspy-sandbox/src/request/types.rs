//! The request bodies of the API, as the server's own types: each reads itself from a
//! [`Json`] document by the binding rules of [`super::json`].

use std::collections::BTreeMap;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use plaspy_types::CommandFormat;
use serde_json::Value;

use super::json::{Json, Object, invalid};
use crate::reply::ApiError;

/// `POST /api/Auth/Token`: `{userName, apiKey}`.
#[derive(Debug)]
pub(crate) struct TokenRequest {
    /// The account's user name.
    pub(crate) user_name: String,
    /// Its API key.
    pub(crate) api_key: String,
}

impl TokenRequest {
    /// Binds the body.
    pub(crate) fn read(json: &Json) -> Result<Self, ApiError> {
        let o = Object::new(json, "$", "TokenRequest")?;
        Ok(TokenRequest {
            user_name: o.required_string("userName")?,
            api_key: o.required_string("apiKey")?,
        })
    }
}

/// The body of the locations and alerts queries: `{from, to, alertName?, location?}`
/// (the `location` filter is read and otherwise ignored, as the real API documents no
/// effect for it).
#[derive(Debug)]
pub(crate) struct RangeRequest {
    /// Start of the range.
    pub(crate) from: DateTime<Utc>,
    /// End of the range.
    pub(crate) to: DateTime<Utc>,
    /// The alerts query's name filter.
    pub(crate) alert_name: Option<String>,
}

impl RangeRequest {
    /// Binds the body.
    pub(crate) fn read(json: &Json) -> Result<Self, ApiError> {
        let o = Object::new(json, "$", "DateRangeQuery")?;
        if let Some(location) = o.get("location").filter(|l| **l != Json::Null) {
            Object::new(location, "$.location", "Location")?;
        }
        Ok(RangeRequest {
            from: o.required_datetime("from")?,
            to: o.required_datetime("to")?,
            alert_name: o.string("alertName")?,
        })
    }
}

/// `POST /api/devices/{id}/sendCommand`: `{command, format?, sms?}`.
#[derive(Debug)]
pub(crate) struct CommandRequest {
    /// The command text.
    pub(crate) command: String,
    /// How to read it.
    pub(crate) format: CommandFormat,
    /// Deliver by SMS.
    pub(crate) sms: bool,
}

impl CommandRequest {
    /// Binds the body.
    pub(crate) fn read(json: &Json) -> Result<Self, ApiError> {
        let o = Object::new(json, "$", "CommandRequest")?;
        let format = match o.get("format") {
            None | Some(Json::Null) => CommandFormat::Text,
            Some(Json::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "text" => CommandFormat::Text,
                "hex" => CommandFormat::Hex,
                "base64" => CommandFormat::Base64,
                _ => {
                    return Err(invalid(
                        "$.format",
                        format!("{s:?} is not a command format (Text, Hex or Base64)"),
                    ));
                }
            },
            // An enum also binds from its number.
            Some(Json::Number(n)) => match n.as_u64() {
                Some(0) => CommandFormat::Text,
                Some(1) => CommandFormat::Hex,
                Some(2) => CommandFormat::Base64,
                _ => {
                    return Err(invalid(
                        "$.format",
                        format!("{n} is not a command format (0, 1 or 2)"),
                    ));
                }
            },
            Some(_) => return Err(invalid("$.format", "expected Text, Hex or Base64")),
        };
        Ok(CommandRequest {
            command: o.non_empty_string("command")?,
            format,
            sms: o.bool("sms")?.unwrap_or(false),
        })
    }

    /// The bytes the tracker gets (400 if hex or Base64 text does not decode).
    pub(crate) fn payload(&self) -> Result<Vec<u8>, ApiError> {
        match self.format {
            CommandFormat::Text => Ok(self.command.as_bytes().to_vec()),
            CommandFormat::Hex => decode_hex(&self.command),
            CommandFormat::Base64 => base64::engine::general_purpose::STANDARD
                .decode(self.command.trim())
                .map_err(|e| {
                    ApiError::bad_request(format!("The command is not valid Base64: {e}"))
                }),
        }
    }
}

fn decode_hex(text: &str) -> Result<Vec<u8>, ApiError> {
    let mut digits = Vec::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match c {
            ' ' | '-' => {}
            c => match c.to_digit(16) {
                Some(d) => digits.push(d as u8),
                None => {
                    return Err(ApiError::bad_request(format!(
                        "The command is not valid hex: `{c}` at position {} (allowed: 0-9, a-f, spaces, hyphens)",
                        i + 1
                    )));
                }
            },
        }
    }
    if digits.is_empty() || digits.len() % 2 != 0 {
        return Err(ApiError::bad_request(format!(
            "The command is not valid hex: {} digits, expected a positive even number (two per byte)",
            digits.len()
        )));
    }
    Ok(digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect())
}

/// A group as created or replaced: `{name, description?, devices?}`.
#[derive(Debug)]
pub(crate) struct GroupRequest {
    /// Required, non-empty.
    pub(crate) name: String,
    /// Free text.
    pub(crate) description: Option<String>,
    /// Device ids.
    pub(crate) devices: Option<Vec<String>>,
}

impl GroupRequest {
    /// Binds the body (or a patched group's JSON).
    pub(crate) fn read(json: &Json) -> Result<Self, ApiError> {
        let o = Object::new(json, "$", "GroupInput")?;
        Ok(GroupRequest {
            name: o.non_empty_string("name")?,
            description: o.string("description")?,
            devices: o.string_list("devices")?,
        })
    }
}

/// A user as created or replaced. The server-generated fields (`id`, `creation`,
/// `modification`, `lastLogin`) are not part of it: sent, they are ignored.
#[derive(Debug)]
pub(crate) struct UserRequest {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) country: String,
    pub(crate) time_zone: String,
    pub(crate) description: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) disabled: Option<bool>,
    pub(crate) disabled_message: Option<String>,
    pub(crate) tags: Option<BTreeMap<String, String>>,
    pub(crate) privileges: Option<Vec<String>>,
    pub(crate) group: Option<String>,
    pub(crate) device_id: Option<String>,
    pub(crate) admin_devices: Option<i64>,
    pub(crate) from: Option<DateTime<Utc>>,
    pub(crate) expires: Option<DateTime<Utc>>,
    /// Write-only: stored apart, never answered.
    pub(crate) password: Option<String>,
}

impl UserRequest {
    /// Binds the body (or a patched user's JSON).
    pub(crate) fn read(json: &Json) -> Result<Self, ApiError> {
        let o = Object::new(json, "$", "UserInput")?;
        let user = UserRequest {
            name: o.non_empty_string("name")?,
            email: o.non_empty_string("email")?,
            country: o.non_empty_string("country")?,
            time_zone: o.non_empty_string("timeZone")?,
            description: o.string("description")?,
            message: o.string("message")?,
            disabled: o.bool("disabled")?,
            disabled_message: o.string("disabledMessage")?,
            tags: o.string_map("tags")?,
            privileges: o.string_list("privileges")?,
            group: o.string("group")?,
            device_id: o.string("deviceId")?,
            admin_devices: o.int("adminDevices")?,
            from: o.datetime("from")?,
            expires: o.datetime("expires")?,
            password: o.string("password")?,
        };
        if !user.email.contains('@') {
            return Err(ApiError::bad_request(format!(
                "The email field is not a valid e-mail address: `{}`",
                user.email
            )));
        }
        Ok(user)
    }
}

/// The operations of a JSON Patch body, checked and in the form `json_patch` applies.
#[derive(Debug)]
pub(crate) struct PatchRequest {
    /// The operations, in order.
    pub(crate) operations: Vec<Value>,
}

const OPS: [&str; 6] = ["add", "remove", "replace", "move", "copy", "test"];

impl PatchRequest {
    /// Binds the body: an array of `{op, path, value?, from?}` with the property names
    /// and `op` in any letter case. `fields` are the patched model's property names: a
    /// path's first segment matching one of them in another case is read as it.
    pub(crate) fn read(json: &Json, fields: &[&str]) -> Result<Self, ApiError> {
        let Json::Array(items) = json else {
            return Err(invalid(
                "$",
                "a JSON Patch document is an array of operations",
            ));
        };
        let mut operations = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let path = format!("$[{i}]");
            let o = Object::new(item, &path, "Operation")?;
            let op = o
                .string("op")?
                .map(|op| op.to_ascii_lowercase())
                .filter(|op| OPS.contains(&op.as_str()))
                .ok_or_else(|| {
                    invalid(
                        &path,
                        "`op` must be one of add, remove, replace, move, copy, test",
                    )
                })?;
            let mut operation = serde_json::Map::new();
            let pointer = o
                .string("path")?
                .ok_or_else(|| invalid(&path, "the operation has no `path`"))?;
            operation.insert("path".into(), canonical_pointer(&pointer, fields).into());
            if matches!(op.as_str(), "move" | "copy") {
                let from = o
                    .string("from")?
                    .ok_or_else(|| invalid(&path, format!("a `{op}` operation needs `from`")))?;
                operation.insert("from".into(), canonical_pointer(&from, fields).into());
            }
            if matches!(op.as_str(), "add" | "replace" | "test") {
                let value = o
                    .get("value")
                    .ok_or_else(|| invalid(&path, format!("a `{op}` operation needs `value`")))?;
                operation.insert("value".into(), value.to_value());
            }
            operation.insert("op".into(), op.into());
            operations.push(Value::Object(operation));
        }
        Ok(PatchRequest { operations })
    }
}

/// `pointer` with its first segment spelt as the model's property it names in any case.
fn canonical_pointer(pointer: &str, fields: &[&str]) -> String {
    let Some(rest) = pointer.strip_prefix('/') else {
        return pointer.to_owned();
    };
    let (first, tail) = rest
        .split_once('/')
        .map_or((rest, None), |(f, t)| (f, Some(t)));
    let first = fields
        .iter()
        .find(|f| f.eq_ignore_ascii_case(first))
        .map_or(first, |f| f);
    match tail {
        Some(tail) => format!("/{first}/{tail}"),
        None => format!("/{first}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn token_requests_bind_in_any_case() {
        for body in [
            r#"{"userName":"demo","apiKey":"k"}"#,
            r#"{"UserName":"demo","ApiKey":"k"}"#,
            r#"{"username":"x","apikey":"k","USERNAME":"demo","other":[1]}"#,
        ] {
            let t = TokenRequest::read(&json(body)).unwrap();
            assert_eq!(
                (t.user_name.as_str(), t.api_key.as_str()),
                ("demo", "k"),
                "{body}"
            );
        }
        assert!(TokenRequest::read(&json(r#"["demo","k"]"#)).is_err());
        assert!(TokenRequest::read(&json(r#"{"userName":"demo"}"#)).is_err());
    }

    #[test]
    fn patches_name_fields_in_any_case() {
        let p = PatchRequest::read(
            &json(r#"[{"OP":"Replace","Path":"/Name","Value":"x"},{"op":"move","from":"/TAGS/a","path":"/tags/b"}]"#),
            &["name", "tags"],
        )
        .unwrap();
        assert_eq!(
            p.operations[0],
            serde_json::json!({"op":"replace","path":"/name","value":"x"})
        );
        assert_eq!(p.operations[1]["from"], "/tags/a");
        assert!(PatchRequest::read(&json(r#"{"op":"add"}"#), &[]).is_err());
        assert!(PatchRequest::read(&json(r#"[{"op":"jump","path":"/a"}]"#), &[]).is_err());
    }

    #[test]
    fn commands_decode() {
        let c = CommandRequest::read(&json(r#"{"Command":"0A-ff","Format":"HEX","Sms":true}"#))
            .unwrap();
        assert_eq!(c.payload().unwrap(), vec![0x0a, 0xff]);
        assert!(c.sms);
        let c = CommandRequest::read(&json(r#"{"command":"abc","format":1}"#)).unwrap();
        assert!(c.payload().is_err());
    }
}
