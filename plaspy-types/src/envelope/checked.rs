//! Lists decoded item by item: an item that does not decode, or whose position is not a
//! real coordinate, is set aside and reported, and the others are kept.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use serde::Deserializer;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::{DecodeLimits, NamedSeed, Reply, decode_named_with, too_many};
use crate::error::Result;
use crate::http::HttpResponse;
use crate::models::{AlertEvent, Location};

/// The items of a list reply, less those set aside.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<T> {
    /// The usable items, in the server's order.
    pub items: Vec<T>,
    /// The items set aside.
    pub skipped: Vec<Skipped>,
}

impl<T> Default for Checked<T> {
    fn default() -> Self {
        Checked {
            items: Vec::new(),
            skipped: Vec::new(),
        }
    }
}

/// An item of a list reply set aside: it did not decode, or its position is unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its `dateTime`, when that could be read.
    pub time: Option<DateTime<Utc>>,
    /// What is wrong with it.
    pub reason: String,
    /// A hash of its JSON (see [`crate::feed::identity`]): the same item, seen again, has
    /// the same one.
    pub identity: u64,
}

/// An item with a position that must be a real coordinate to be usable.
pub trait Positioned {
    /// What is wrong with the position, if anything: not finite, or out of range.
    fn position_problem(&self) -> Option<String>;
}

fn problem(latitude: f64, longitude: f64) -> Option<String> {
    if !latitude.is_finite() || !longitude.is_finite() {
        Some(format!(
            "the position ({latitude}, {longitude}) is not a number"
        ))
    } else if latitude.abs() > 90.0 || longitude.abs() > 180.0 {
        Some(format!(
            "the position ({latitude}, {longitude}) is out of range"
        ))
    } else {
        None
    }
}

impl Positioned for Location {
    fn position_problem(&self) -> Option<String> {
        problem(self.latitude, self.longitude)
    }
}

impl Positioned for AlertEvent {
    fn position_problem(&self) -> Option<String> {
        problem(self.latitude, self.longitude)
    }
}

/// The `dateTime` of a record set aside, read on its own.
#[derive(serde::Deserialize)]
struct TimeOnly {
    #[serde(rename = "dateTime", default)]
    date_time: Option<Value>,
}

impl<T: DeserializeOwned + Positioned> Checked<T> {
    /// Decodes one record (its JSON text) of the list `name`, or sets it aside; the reason
    /// names the record's path (`locations[2].latitude: ...`). The record is decoded from
    /// its text under the running decode's memory budget, like the list itself.
    fn take(&mut self, name: &str, raw: &RawValue) -> std::result::Result<(), String> {
        let index = self.items.len() + self.skipped.len();
        let mut de = serde_json::Deserializer::from_str(raw.get());
        let reason = match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(item) => match item.position_problem() {
                None => {
                    self.items.push(item);
                    return Ok(());
                }
                Some(problem) => format!("{name}[{index}]: {problem}"),
            },
            // Past the memory budget the whole reply is refused.
            Err(err) if super::budget::spent() => return Err(err.into_inner().to_string()),
            Err(err) => {
                let path = err.path().to_string();
                let message = err.into_inner().to_string();
                if path.is_empty() || path == "." {
                    format!("{name}[{index}]: {message}")
                } else {
                    format!("{name}[{index}].{path}: {message}")
                }
            }
        };
        let time = serde_json::from_str::<TimeOnly>(raw.get())
            .ok()
            .and_then(|t| t.date_time)
            .and_then(|t| crate::de::datetime::deserialize(t).ok());
        self.skipped.push(Skipped {
            time,
            reason,
            identity: crate::feed::fnv1a(raw.get().as_bytes()),
        });
        Ok(())
    }
}

#[doc(hidden)] // decoding internals (endpoints, tests); not API
/// Decodes a 2xx body whose payload under `name` is a list of positioned records, one by
/// one: a record that does not decode or has an unusable position is set aside. The list
/// is refused past `limits.max_records`, like [`decode_list`](super::decode_list).
pub fn decode_checked_list<T: DeserializeOwned + Positioned>(
    response: &HttpResponse,
    name: &str,
    limits: &DecodeLimits,
) -> Result<Reply<Checked<T>>> {
    let seed = NamedSeed {
        name,
        payload: CheckedSeed::<T> {
            name,
            max: limits.max_records,
            _t: PhantomData,
        },
    };
    Ok(decode_named_with(response, seed, limits)?.map(Option::unwrap_or_default))
}

struct CheckedSeed<'n, T> {
    name: &'n str,
    max: usize,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for CheckedSeed<'_, T> {
    fn clone(&self) -> Self {
        CheckedSeed {
            name: self.name,
            max: self.max,
            _t: PhantomData,
        }
    }
}

impl<'de, T: DeserializeOwned + Positioned> DeserializeSeed<'de> for CheckedSeed<'_, T> {
    type Value = Checked<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Checked<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned + Positioned> Visitor<'de> for CheckedSeed<'_, T> {
    type Value = Checked<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Checked<T>, A::Error> {
        let mut out = Checked::default();
        while out.items.len() + out.skipped.len() < self.max {
            // Borrowed from the body: the record's text is not copied.
            match seq.next_element::<&'de RawValue>()? {
                Some(raw) => out.take(self.name, raw).map_err(serde::de::Error::custom)?,
                None => return Ok(out),
            }
        }
        match seq.next_element::<IgnoredAny>()? {
            None => Ok(out),
            Some(_) => Err(serde::de::Error::custom(too_many(self.max))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: serde_json::Value) -> HttpResponse {
        HttpResponse::new(200, body.to_string().into_bytes())
    }

    #[test]
    fn a_fix_without_a_usable_position_is_set_aside_and_the_others_kept() {
        let body = serde_json::json!({"success": true, "locations": [
            {"dateTime": "2030-01-01T08:00:00Z", "latitude": 4.6, "longitude": -74.0},
            {"dateTime": "2030-01-01T08:01:00Z", "latitude": null, "longitude": -74.0},
            {"dateTime": "2030-01-01T08:02:00Z", "latitude": 95.0, "longitude": -74.0},
            {"dateTime": "2030-01-01T08:03:00Z", "latitude": "NaN", "longitude": -74.0},
            {"dateTime": "2030-01-01T08:04:00Z", "latitude": 4.7, "longitude": -74.0}
        ]});
        let reply: Reply<Checked<Location>> =
            decode_checked_list(&response(body), "locations", &DecodeLimits::default()).unwrap();
        assert_eq!(reply.value.items.len(), 2);
        assert_eq!(reply.value.skipped.len(), 3, "{:?}", reply.value.skipped);
        let t: DateTime<Utc> = "2030-01-01T08:01:00Z".parse().unwrap();
        assert_eq!(reply.value.skipped[0].time, Some(t));
        let reason = &reply.value.skipped[0].reason;
        assert!(reason.starts_with("locations[1].latitude: "), "{reason}");
        let reason = &reply.value.skipped[1].reason;
        assert!(
            reason.starts_with("locations[2]: ") && reason.contains("out of range"),
            "{reason}"
        );
    }
}
