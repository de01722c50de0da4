//! A JSON document as an ASP.NET Core API binds it: object properties kept in the order
//! they were sent, looked up without regard to case, the last of a repeated property
//! winning; values converted as System.Text.Json converts them with the web defaults
//! (numbers may be quoted, nothing else is coerced).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::datetime;
use crate::reply::ApiError;

/// A JSON value whose objects keep their properties in document order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as written.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object: every property as sent, repeats included.
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        Json::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        serde_json::Number::from_f64(v)
            .map(Json::Number)
            .ok_or_else(|| E::custom("a number out of range"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut fields = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            fields.push((key, value));
        }
        Ok(Json::Object(fields))
    }
}

impl From<&Value> for Json {
    fn from(value: &Value) -> Self {
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(s.clone()),
            Value::Array(items) => Json::Array(items.iter().map(Json::from).collect()),
            Value::Object(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Json::from(v)))
                    .collect(),
            ),
        }
    }
}

impl Json {
    /// The value as `serde_json` holds it (a repeated property: the last one).
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::String(s) => Value::String(s.clone()),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// What .NET calls this kind of token, for error messages.
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

/// A JSON object being bound to a request type, with the path of the object (`$`,
/// `$[0]`, ...) for error messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Object<'a> {
    fields: &'a [(String, Json)],
    path: &'a str,
}

/// A 400 naming where the body could not be bound, as ASP.NET Core reports it.
pub(crate) fn invalid(path: &str, message: impl fmt::Display) -> ApiError {
    ApiError::bad_request(format!("Invalid request body at `{path}`: {message}"))
}

impl<'a> Object<'a> {
    /// `value` as the object a request type is bound from (400 for an array or any other
    /// token: ASP.NET Core does not bind an array to an object).
    pub(crate) fn new(value: &'a Json, path: &'a str, type_name: &str) -> Result<Self, ApiError> {
        match value {
            Json::Object(fields) => Ok(Object { fields, path }),
            other => Err(invalid(
                path,
                format!(
                    "{} cannot be converted to {type_name}: a JSON object is expected",
                    other.kind()
                ),
            )),
        }
    }

    /// The value of property `name` in any letter case; the last one if sent twice.
    pub(crate) fn get(&self, name: &str) -> Option<&'a Json> {
        self.fields
            .iter()
            .rev()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    fn path_of(&self, name: &str) -> String {
        format!("{}.{name}", self.path)
    }

    fn mismatch(&self, name: &str, value: &Json, expected: &str) -> ApiError {
        invalid(
            &self.path_of(name),
            format!("{} cannot be converted to {expected}", describe(value)),
        )
    }

    /// A string property: absent or `null` is `None`.
    pub(crate) fn string(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.mismatch(name, other, "System.String")),
        }
    }

    /// A required string property: absent or `null` is refused.
    pub(crate) fn required_string(&self, name: &str) -> Result<String, ApiError> {
        self.string(name)?.ok_or_else(|| required(name))
    }

    /// A required string property that must hold more than blanks.
    pub(crate) fn non_empty_string(&self, name: &str) -> Result<String, ApiError> {
        match self.string(name)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(required(name)),
        }
    }

    /// A `bool?` property.
    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.mismatch(name, other, "System.Boolean")),
        }
    }

    /// An `int?` property: a JSON integer, or a string holding one (the web defaults read
    /// numbers from strings); `12.0` is refused as .NET refuses it for an integer.
    pub(crate) fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        let text = match self.get(name) {
            None | Some(Json::Null) => return Ok(None),
            Some(Json::Number(n)) => n.to_string(),
            Some(Json::String(s)) => s.clone(),
            Some(other) => return Err(self.mismatch(name, other, "System.Int32")),
        };
        text.parse::<i32>()
            .map(|n| Some(i64::from(n)))
            .map_err(|_| self.mismatch(name, &Json::String(text.clone()), "System.Int32"))
    }

    /// A `DateTime?` property, read as System.Text.Json reads it (see [`datetime::parse`]).
    pub(crate) fn datetime(&self, name: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
        match self.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => datetime::parse(s)
                .map(Some)
                .map_err(|why| invalid(&self.path_of(name), why)),
            Some(other) => Err(self.mismatch(name, other, "System.DateTime")),
        }
    }

    /// A required `DateTime` property.
    pub(crate) fn required_datetime(&self, name: &str) -> Result<DateTime<Utc>, ApiError> {
        self.datetime(name)?.ok_or_else(|| required(name))
    }

    /// A `List<string>` property (`null` items are kept as empty strings are not: refused).
    pub(crate) fn string_list(&self, name: &str) -> Result<Option<Vec<String>>, ApiError> {
        match self.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Json::String(s) => Ok(s.clone()),
                    other => Err(invalid(
                        &format!("{}[{i}]", self.path_of(name)),
                        format!("{} cannot be converted to System.String", describe(other)),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(self.mismatch(name, other, "List<System.String>")),
        }
    }

    /// A `Dictionary<string, string>` property (a repeated key: the last value).
    pub(crate) fn string_map(
        &self,
        name: &str,
    ) -> Result<Option<BTreeMap<String, String>>, ApiError> {
        match self.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Object(fields)) => {
                let mut map = BTreeMap::new();
                for (key, value) in fields {
                    match value {
                        Json::String(s) => {
                            map.insert(key.clone(), s.clone());
                        }
                        other => {
                            return Err(invalid(
                                &format!("{}.{key}", self.path_of(name)),
                                format!("{} cannot be converted to System.String", describe(other)),
                            ));
                        }
                    }
                }
                Ok(Some(map))
            }
            Some(other) => {
                Err(self.mismatch(name, other, "Dictionary<System.String, System.String>"))
            }
        }
    }
}

/// A token described for an error message: strings quoted (cut short), others by kind.
fn describe(value: &Json) -> String {
    match value {
        Json::String(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            format!("the string {:?}", format!("{short}{more}"))
        }
        Json::Number(n) => format!("the number {n}"),
        Json::Bool(b) => format!("the value {b}"),
        other => other.kind().to_owned(),
    }
}

/// 400 for a required property that is missing, `null` or empty.
pub(crate) fn required(name: &str) -> ApiError {
    ApiError::bad_request(format!("The {name} field is required."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn properties_match_in_any_case_and_the_last_one_wins() {
        let json = parse(r#"{"userName":"a","UserName":"b","APIKEY":"k","extra":1}"#);
        let object = Object::new(&json, "$", "TokenRequest").unwrap();
        assert_eq!(object.string("username").unwrap().as_deref(), Some("b"));
        assert_eq!(object.string("apiKey").unwrap().as_deref(), Some("k"));
        assert_eq!(object.string("missing").unwrap(), None);
        let arr = parse(r#"["demo","demo-key"]"#);
        let err = Object::new(&arr, "$", "TokenRequest").unwrap_err();
        assert!(
            format!("{err:?}").contains("an array cannot be converted"),
            "{err:?}"
        );
    }

    #[test]
    fn values_convert_as_system_text_json_does() {
        let json =
            parse(r#"{"n":"12","f":12.0,"b":"true","s":5,"l":["a",1],"m":{"k":"v","k":"w"}}"#);
        let o = Object::new(&json, "$", "T").unwrap();
        assert_eq!(o.int("n").unwrap(), Some(12));
        assert!(o.int("f").is_err());
        assert!(o.bool("b").is_err());
        assert!(o.string("s").is_err());
        assert!(o.string_list("l").is_err());
        assert_eq!(o.string_map("m").unwrap().unwrap()["k"], "w");
        assert!(o.required_string("nope").is_err());
    }
}
