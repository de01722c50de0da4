//! Tolerant (de)serializers for the shapes real Plaspy servers send.
//!
//! Each function is used through `#[serde(with = "...")]` or
//! `#[serde(deserialize_with = "...")]` on model fields. They accept the variants listed in
//! the robustness notes of the API contract: date-times with or without an offset and with
//! 0–7 fractional digits, ids sent as numbers, integers written as `12.0`, and `null` for
//! anything optional.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serializer};

/// Parses an ISO 8601 / RFC 3339 date-time as Plaspy servers write them.
///
/// Accepts `Z`, a numeric offset (`+02:00`, `+0200`), or no offset at all (read as UTC),
/// a `T` or a space between date and time, seconds or not, and 0 to 9 fractional-second
/// digits.
pub fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%:z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(text, fmt) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    // No offset means UTC; so does a `Z` on a time without seconds (`2024-06-01T08:00Z`).
    let naive = text.strip_suffix(['Z', 'z']).unwrap_or(text);
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(naive, fmt) {
            return Some(naive.and_utc());
        }
    }
    None
}

/// Writes a date-time as RFC 3339 in UTC with a `Z` suffix and at most 7 fractional
/// digits (100 ns, .NET's tick): none for a whole second, 3 for whole milliseconds, 6 for
/// whole microseconds, else 7. Every
/// time read from a server (0–7 digits) is written back exactly, and nothing goes out that
/// a .NET server (System.Text.Json) refuses. Request ranges are rounded to the millisecond
/// where they are built ([`LocationsQuery::new`](crate::LocationsQuery::new),
/// [`AlertsQuery::new`](crate::AlertsQuery::new)).
///
/// ```
/// let t: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00.123456789Z".parse().unwrap();
/// assert_eq!(plaspy_types::de::format_datetime(&t), "2024-06-01T08:00:00.1234567Z");
/// let t: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00.009Z".parse().unwrap();
/// assert_eq!(plaspy_types::de::format_datetime(&t), "2024-06-01T08:00:00.009Z");
/// let t: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse().unwrap();
/// assert_eq!(plaspy_types::de::format_datetime(&t), "2024-06-01T08:00:00Z");
/// ```
pub fn format_datetime(dt: &DateTime<Utc>) -> String {
    let whole = dt.format("%Y-%m-%dT%H:%M:%S");
    // A leap second carries 1_000_000_000.. nanoseconds; its fraction is the rest.
    let ticks = (dt.timestamp_subsec_nanos() % 1_000_000_000) / 100;
    if ticks == 0 {
        return format!("{whole}Z");
    }
    let fraction = if ticks.is_multiple_of(10_000) {
        format!("{:03}", ticks / 10_000)
    } else if ticks.is_multiple_of(10) {
        format!("{:06}", ticks / 10)
    } else {
        format!("{ticks:07}")
    };
    format!("{whole}.{fraction}Z")
}

/// `#[serde(with = "plaspy_types::de::datetime")]` for required date-times.
pub mod datetime {
    use super::*;

    /// Serializes as RFC 3339 with `Z`.
    pub fn serialize<S: Serializer>(dt: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_datetime(dt))
    }

    /// Deserializes any of the accepted date-time forms.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        parse_datetime(&text).ok_or_else(|| {
            de::Error::custom(format_args!(
                "invalid date-time `{text}` (expected ISO 8601)"
            ))
        })
    }
}

/// `#[serde(with = "plaspy_types::de::opt_datetime")]` for optional date-times (`null` allowed).
pub mod opt_datetime {
    use super::*;

    /// Serializes `Some` as RFC 3339 with `Z` (use with `skip_serializing_if`).
    pub fn serialize<S: Serializer>(dt: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match dt {
            Some(dt) => s.serialize_str(&format_datetime(dt)),
            None => s.serialize_none(),
        }
    }

    /// Deserializes `null`, an empty string, or any accepted date-time form.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) if text.trim().is_empty() => Ok(None),
            Some(text) => parse_datetime(&text).map(Some).ok_or_else(|| {
                de::Error::custom(format_args!(
                    "invalid date-time `{text}` (expected ISO 8601)"
                ))
            }),
        }
    }
}

/// A visitor that turns a JSON string, number or bool into its text.
struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

/// Optional text that may arrive as a JSON string, number or bool (ids sent as numbers).
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(TextVisitor)
}

/// Required text that may arrive as a string or a number; `null` reads as an empty string.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(d.deserialize_any(TextVisitor)?.unwrap_or_default())
}

/// An optional list of texts (ids may be numbers); `null` reads as `None`.
pub fn opt_text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    struct ListVisitor;
    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Option<Vec<String>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of strings")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(ListVisitor)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(item) = seq.next_element::<TextItem>()? {
                out.push(item.0);
            }
            Ok(Some(out))
        }
    }
    d.deserialize_any(ListVisitor)
}

/// One element of a text list or map: a string, number or bool; `null` becomes `""`.
pub(crate) struct TextItem(pub(crate) String);

impl<'de> Deserialize<'de> for TextItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = d.deserialize_any(TextVisitor)?.unwrap_or_default();
        crate::envelope::charge::<D::Error>(std::mem::size_of::<String>() + text.len())?;
        Ok(TextItem(text))
    }
}

/// An optional object of string values (`tags`, `attributes`); scalar values are kept as
/// their text and `null` values as `""`.
pub fn opt_text_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<crate::models::TextMap>, D::Error> {
    Option::<crate::models::TextMap>::deserialize(d)
}

/// An optional list of string maps (`accessoriesAttributes`); a `null` element is an empty
/// map.
pub fn opt_text_map_list<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<crate::models::TextMap>>, D::Error> {
    Ok(
        Option::<Vec<Option<crate::models::TextMap>>>::deserialize(d)?
            .map(|list| list.into_iter().map(Option::unwrap_or_default).collect()),
    )
}

/// Writes the value `d` holds, of any shape, as compact JSON at the end of `out`, as it is
/// read: no `serde_json::Value` tree on the way.
pub(crate) fn write_json<'de, D: Deserializer<'de>>(
    d: D,
    out: &mut Vec<u8>,
) -> Result<(), D::Error> {
    serde_transcode::transcode(d, &mut serde_json::Serializer::new(out)).map_err(de::Error::custom)
}

/// JSON text written by [`write_json`] as a `String` (serde_json writes UTF-8 only).
pub(crate) fn json_text(json: Vec<u8>) -> String {
    String::from_utf8(json).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Any value as text: a string as itself, `null` as `""`, anything else as its compact JSON
/// text.
pub(crate) struct TextOrJson(pub(crate) String);

impl<'de> Deserialize<'de> for TextOrJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut json = Vec::new();
        write_json(d, &mut json)?;
        let text = match json.first() {
            Some(b'"') => serde_json::from_slice::<String>(&json).map_err(de::Error::custom)?,
            _ if json == b"null" => String::new(),
            _ => json_text(json),
        };
        Ok(TextOrJson(text))
    }
}

/// An optional integer that may be written as `12`, `12.0` or `"12"`.
///
/// A value with a fractional part (`87.5`) is rounded to the nearest integer: these fields
/// are documented as integers and the fraction carries no meaning for them.
pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct IntVisitor;
    impl<'de> Visitor<'de> for IntVisitor {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an integer")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v)
                .map(Some)
                .map_err(|_| E::custom(format_args!("integer {v} is too large")))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            if v.is_finite() && v.abs() < 9.0e15 {
                // The range check above keeps the cast exact.
                Ok(Some(v.round() as i64))
            } else {
                Err(E::custom(format_args!(
                    "number {v} is not a usable integer"
                )))
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let t = v.trim();
            if t.is_empty() {
                return Ok(None);
            }
            if let Ok(i) = t.parse::<i64>() {
                return Ok(Some(i));
            }
            match t.parse::<f64>() {
                Ok(f) => self.visit_f64(f),
                Err(_) => Err(E::custom(format_args!("`{v}` is not an integer"))),
            }
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(IntVisitor)
        }
    }
    d.deserialize_any(IntVisitor)
}

/// An optional number that may also arrive as a numeric string.
pub fn opt_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    struct NumVisitor;
    impl<'de> Visitor<'de> for NumVisitor {
        type Value = Option<f64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a number")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let t = v.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<f64>()
                .map(Some)
                .map_err(|_| E::custom(format_args!("`{v}` is not a number")))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(NumVisitor)
        }
    }
    d.deserialize_any(NumVisitor)
}

/// A required number (also accepted as a numeric string).
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    opt_number(d)?.ok_or_else(|| de::Error::custom("expected a number, found null"))
}

/// An optional bool that may also arrive as `0`/`1` or `"true"`/`"false"`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    struct BoolVisitor;
    impl<'de> Visitor<'de> for BoolVisitor {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a bool")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v != 0))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v != 0))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            match v.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(Some(true)),
                "false" | "0" => Ok(Some(false)),
                "" => Ok(None),
                _ => Err(E::custom(format_args!("`{v}` is not a bool"))),
            }
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(BoolVisitor)
        }
    }
    d.deserialize_any(BoolVisitor)
}

/// An optional list of bools (`inputs`, `outputs`); elements may be `0`/`1`, `null` is `false`.
pub fn opt_bool_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<bool>>, D::Error> {
    struct Item(bool);
    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Ok(Item(opt_bool(d)?.unwrap_or(false)))
        }
    }
    Ok(Option::<Vec<Item>>::deserialize(d)?.map(|v| v.into_iter().map(|i| i.0).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_variants() {
        let z = parse_datetime("2024-06-02T08:48:25Z").unwrap();
        assert_eq!(format_datetime(&z), "2024-06-02T08:48:25Z");
        let off = parse_datetime("2024-06-02T10:48:25+02:00").unwrap();
        assert_eq!(off, z);
        let compact = parse_datetime("2024-06-02T10:48:25+0200").unwrap();
        assert_eq!(compact, z);
        let naive = parse_datetime("2024-06-02T08:48:25").unwrap();
        assert_eq!(naive, z);
        for digits in 0..=7 {
            let frac = if digits == 0 {
                String::new()
            } else {
                format!(".{}", "0".repeat(digits))
            };
            let text = format!("2024-06-02T08:48:25{frac}Z");
            assert_eq!(parse_datetime(&text), Some(z), "{text}");
            let text = format!("2024-06-02T08:48:25{frac}");
            assert_eq!(parse_datetime(&text), Some(z), "{text}");
        }
        let seven = parse_datetime("2024-06-02T08:48:25.0090000Z").unwrap();
        assert_eq!(format_datetime(&seven), "2024-06-02T08:48:25.009Z");
        // Written with at most 7 fractional digits (100 ns ticks): 3, 6 or 7.
        for (text, written) in [
            (
                "2024-06-02T08:48:25.123456789Z",
                "2024-06-02T08:48:25.1234567Z",
            ),
            ("2024-06-02T08:48:25.1235Z", "2024-06-02T08:48:25.123500Z"),
            ("2024-06-02T08:48:25.9996Z", "2024-06-02T08:48:25.999600Z"),
            ("2024-06-02T08:48:25.000400Z", "2024-06-02T08:48:25.000400Z"),
            ("2024-06-02T08:48:25.5Z", "2024-06-02T08:48:25.500Z"),
            ("2024-06-02T08:48:25.00000001Z", "2024-06-02T08:48:25Z"),
        ] {
            let dt: DateTime<Utc> = text.parse().unwrap();
            assert_eq!(format_datetime(&dt), written, "{text}");
        }
        let minutes = parse_datetime("2024-06-02T08:48:00Z").unwrap();
        for text in [
            "2024-06-02 08:48",
            "2024-06-02T08:48",
            "2024-06-02T08:48Z",
            "2024-06-02T10:48+02:00",
        ] {
            assert_eq!(parse_datetime(text), Some(minutes), "{text}");
        }
        assert_eq!(parse_datetime("yesterday"), None);
    }
}
