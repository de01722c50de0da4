//! [`Extra`]: the fields of a model this SDK does not know yet, kept as compact JSON text.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{self, SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::split::KeySeed;

/// The fields of a model that this SDK does not know yet, kept verbatim so they survive a
/// read-modify-write and can be read by name.
///
/// They are held as one compact JSON object, written as the reply is read: an unknown field
/// costs about the bytes it took on the wire, however many small values it holds. Read them
/// with [`get`](Extra::get) or [`to_map`](Extra::to_map), which parse on demand.
///
/// A key sent twice keeps its last value when read, as with `serde_json`; two `Extra` are
/// equal when they read the same, whatever the order or repeats of their keys.
///
/// ```
/// use plaspy_types::{Device, Extra};
/// use serde_json::json;
///
/// let device: Device = serde_json::from_str(r#"{"id": "dev-01", "firmware": "03.28", "can": {"dtc": ["P0420"]}}"#)?;
/// assert_eq!(device.extra.get("firmware"), Some(json!("03.28")));
/// assert_eq!(device.extra.get("can"), Some(json!({"dtc": ["P0420"]})));
/// assert_eq!(device.extra.as_json(), r#"{"firmware":"03.28","can":{"dtc":["P0420"]}}"#);
///
/// let mut extra = Extra::new();
/// extra.insert("color", json!("red"));
/// assert_eq!(extra.len(), 1);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Extra {
    /// A JSON object with at least one entry, or `None` when there is none.
    json: Option<Box<str>>,
}

impl Extra {
    /// No unknown fields.
    pub fn new() -> Self {
        Extra::default()
    }

    /// Whether there are no unknown fields.
    pub fn is_empty(&self) -> bool {
        self.json.is_none()
    }

    /// The unknown fields as one compact JSON object (`{}` when there are none).
    pub fn as_json(&self) -> &str {
        self.json.as_deref().unwrap_or("{}")
    }

    /// How many distinct keys there are.
    pub fn len(&self) -> usize {
        let mut keys = HashSet::new();
        self.scan(
            |key| {
                keys.insert(key.to_owned());
                false
            },
            drop,
        );
        keys.len()
    }

    /// Whether `key` is one of the unknown fields.
    pub fn contains_key(&self, key: &str) -> bool {
        let mut found = false;
        self.scan(
            |k| {
                found |= k == key;
                false
            },
            drop,
        );
        found
    }

    /// The value of `key`, parsed; `None` when there is no such field.
    pub fn get(&self, key: &str) -> Option<Value> {
        let mut found = None;
        self.scan(|k| k == key, |v| found = Some(v));
        found
    }

    /// The names of the fields, in the order they first came.
    pub fn keys(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        let mut keys = Vec::new();
        self.scan(
            |k| {
                if seen.insert(k.to_owned()) {
                    keys.push(k.to_owned());
                }
                false
            },
            drop,
        );
        keys
    }

    /// All the fields, parsed into a JSON map.
    pub fn to_map(&self) -> Map<String, Value> {
        match &self.json {
            // The text was written by serde_json as an object: it parses back.
            Some(json) => serde_json::from_str(json).unwrap_or_default(),
            None => Map::new(),
        }
    }

    /// Sets `key` to `value`, returning the value it replaces.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        let mut map = self.to_map();
        let old = map.insert(key.into(), value.into());
        *self = Extra::from(map);
        old
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        if !self.contains_key(key) {
            return None;
        }
        let mut map = self.to_map();
        let old = map.shift_remove(key);
        *self = Extra::from(map);
        old
    }

    /// How many entries the text holds (a key sent twice counts twice).
    pub(crate) fn entry_count(&self) -> usize {
        let mut n = 0;
        self.scan(
            |_| {
                n += 1;
                false
            },
            drop,
        );
        n
    }

    /// Calls `want` with each key; the value of a key it wants is parsed and handed to
    /// `take`, the others are skipped.
    fn scan(&self, mut want: impl FnMut(&str) -> bool, mut take: impl FnMut(Value)) {
        struct Scan<'f, W, T>(&'f mut W, &'f mut T);
        impl<'de, W: FnMut(&str) -> bool, T: FnMut(Value)> Visitor<'de> for Scan<'_, W, T> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    if (self.0)(key.as_str()) {
                        (self.1)(map.next_value()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(())
            }
        }
        if let Some(json) = &self.json {
            let mut de = serde_json::Deserializer::from_str(json);
            // Written by serde_json as an object: it scans.
            let _ = de.deserialize_map(Scan(&mut want, &mut take));
        }
    }

    /// Writes the fields as entries of a map being serialized, values streamed from the text.
    pub(crate) fn write_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let Some(json) = &self.json else {
            return Ok(());
        };
        struct Entries<'m, M: SerializeMap> {
            map: &'m mut M,
            failed: &'m mut Option<M::Error>,
        }
        impl<'de, M: SerializeMap> Visitor<'de> for Entries<'_, M> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
                while let Some(key) = access.next_key_seed(KeySeed)? {
                    if let Err(err) = self.map.serialize_key(key.as_str()) {
                        *self.failed = Some(err);
                        return Err(de::Error::custom("serializer failed"));
                    }
                    access.next_value_seed(EmitValue {
                        map: &mut *self.map,
                        failed: &mut *self.failed,
                    })?;
                }
                Ok(())
            }
        }
        struct EmitValue<'m, M: SerializeMap> {
            map: &'m mut M,
            failed: &'m mut Option<M::Error>,
        }
        impl<'de, M: SerializeMap> DeserializeSeed<'de> for EmitValue<'_, M> {
            type Value = ();
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                match self
                    .map
                    .serialize_value(&serde_transcode::Transcoder::new(d))
                {
                    Ok(()) => Ok(()),
                    Err(err) => {
                        *self.failed = Some(err);
                        Err(de::Error::custom("serializer failed"))
                    }
                }
            }
        }
        let mut failed = None;
        let mut de = serde_json::Deserializer::from_str(json);
        let read = de.deserialize_map(Entries {
            map,
            failed: &mut failed,
        });
        match (failed, read) {
            (Some(err), _) => Err(err),
            (None, Ok(())) => Ok(()),
            (None, Err(err)) => Err(ser::Error::custom(err)),
        }
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.json == other.json || self.to_map() == other.to_map()
    }
}

impl Eq for Extra {}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Extra").field(&self.as_json()).finish()
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        if map.is_empty() {
            return Extra::default();
        }
        Extra {
            // A map of values always serializes.
            json: serde_json::to_string(&map).ok().map(String::into_boxed_str),
        }
    }
}

impl From<Extra> for Map<String, Value> {
    fn from(extra: Extra) -> Self {
        extra.to_map()
    }
}

impl FromIterator<(String, Value)> for Extra {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Extra::from(iter.into_iter().collect::<Map<_, _>>())
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entry_count()))?;
        self.write_entries(&mut map)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct All;
        impl<'de> Visitor<'de> for All {
            type Value = Extra;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Extra, A::Error> {
                let mut writer = ExtraWriter::default();
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    map.next_value_seed(writer.entry(key.as_str()))?;
                }
                Ok(writer.finish())
            }
        }
        d.deserialize_map(All)
    }
}

/// Builds an [`Extra`] entry by entry, each value transcoded to JSON text as it is read.
#[derive(Default)]
pub(crate) struct ExtraWriter {
    buf: Vec<u8>,
}

impl ExtraWriter {
    /// The seed that reads the value of `key` into the text.
    pub(crate) fn entry<'w>(&'w mut self, key: &str) -> EntrySeed<'w> {
        self.buf.push(if self.buf.is_empty() { b'{' } else { b',' });
        // Writing a string into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.buf, key);
        self.buf.push(b':');
        EntrySeed { buf: &mut self.buf }
    }

    pub(crate) fn finish(mut self) -> Extra {
        if self.buf.is_empty() {
            return Extra::default();
        }
        self.buf.push(b'}');
        Extra {
            json: Some(crate::de::json_text(self.buf).into_boxed_str()),
        }
    }
}

/// Reads one value of any shape into the JSON text of an [`ExtraWriter`].
pub(crate) struct EntrySeed<'w> {
    buf: &'w mut Vec<u8>,
}

impl<'de> DeserializeSeed<'de> for EntrySeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        crate::de::write_json(d, self.buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{Device, Location};
    use serde_json::json;

    #[test]
    fn unknown_fields_are_kept_as_compact_text_and_written_back_in_place() {
        let body = r#"{"id": 7, "firmware": "03.28", "name": "Truck", "can": {"dtc": ["P0420"], "n": 1.5}}"#;
        let device: Device = serde_json::from_str(body).unwrap();
        assert_eq!(device.id(), "7");
        assert_eq!(
            device.extra.as_json(),
            r#"{"firmware":"03.28","can":{"dtc":["P0420"],"n":1.5}}"#
        );
        assert_eq!(device.extra.len(), 2);
        assert_eq!(device.extra.keys(), ["firmware", "can"]);
        assert!(device.extra.contains_key("can") && !device.extra.contains_key("name"));
        let written = serde_json::to_value(&device).unwrap();
        assert_eq!(
            written,
            json!({"id": "7", "name": "Truck", "firmware": "03.28", "can": {"dtc": ["P0420"], "n": 1.5}})
        );
        // The known fields then the unknown ones, each once.
        let text = serde_json::to_string(&device).unwrap();
        assert_eq!(text.matches("firmware").count(), 1, "{text}");
    }

    #[test]
    fn a_repeated_key_reads_as_its_last_value() {
        let fix: Location = serde_json::from_str(
            r#"{"dateTime":"2024-06-01T08:00:00Z","latitude":1,"longitude":2,"x":1,"x":2}"#,
        )
        .unwrap();
        assert_eq!(fix.extra.get("x"), Some(json!(2)));
        // Written back and read again through a map, it reads the same.
        let again: Location = serde_json::from_value(serde_json::to_value(&fix).unwrap()).unwrap();
        assert_eq!(again.extra.as_json(), r#"{"x":2}"#);
        assert_eq!(again, fix);
        assert_eq!(fix.extra.len(), 1);
        assert_eq!(
            fix.extra.to_map(),
            json!({"x": 2}).as_object().unwrap().clone()
        );
    }

    #[test]
    fn insert_and_remove_edit_the_text() {
        let mut extra = Extra::new();
        assert!(extra.is_empty());
        assert_eq!(extra.as_json(), "{}");
        assert_eq!(extra.insert("zone", "north"), None);
        assert_eq!(extra.insert("n", json!([1, 2])), None);
        assert_eq!(extra.insert("zone", "south"), Some(json!("north")));
        assert_eq!(extra.as_json(), r#"{"zone":"south","n":[1,2]}"#);
        assert_eq!(extra.remove("zone"), Some(json!("south")));
        assert_eq!(extra.remove("zone"), None);
        assert_eq!(extra.remove("n"), Some(json!([1, 2])));
        assert!(extra.is_empty());
        assert_eq!(extra, Extra::new());
        assert_eq!(format!("{extra:?}"), r#"Extra("{}")"#);
    }

    #[test]
    fn extra_alone_round_trips() {
        let extra: Extra =
            serde_json::from_str(r#"{"a": null, "b": "\u00e9\n", "c": -1e3}"#).unwrap();
        assert_eq!(extra.get("b"), Some(json!("é\n")));
        let again: Extra = serde_json::from_str(&serde_json::to_string(&extra).unwrap()).unwrap();
        assert_eq!(again, extra);
        let from_map = Extra::from(extra.to_map());
        assert_eq!(from_map.to_map(), extra.to_map());
        assert!(serde_json::from_str::<Extra>("[1]").is_err());
    }
}
