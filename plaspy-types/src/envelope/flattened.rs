//! Bodies whose payload is flattened into the envelope (one group, one user, a token).

use std::fmt;

use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::{
    DecodeLimits, ENVELOPE_FIELDS, Envelope, Flag, Int, Reply, Text, check_success, decode_error,
};
use super::{ensure_success, not_json, parse_whole};
use crate::error::Result;
use crate::http::HttpResponse;
use crate::models::split::KeySeed;

#[doc(hidden)] // decoding internals (endpoints, tests, fuzz targets); not API
/// Decodes a 2xx body whose payload is flattened into the envelope (single group or user).
///
/// A body holding nothing but envelope fields gives `None`. The payload is decoded straight
/// from the body, its envelope fields skipped: no copy of the body is made on the way.
pub fn decode_flattened<T: DeserializeOwned>(response: &HttpResponse) -> Result<Reply<Option<T>>> {
    ensure_success(response)?;
    let body = &response.body;
    let (envelope, others) =
        match serde_json::Deserializer::from_slice(body).deserialize_map(EnvelopeScan) {
            Ok(found) => found,
            Err(err) => return Err(not_json(body, &err)),
        };
    check_success(&envelope, response.status)?;
    if others == 0 {
        return Ok(Reply {
            value: None,
            usage: envelope.usage,
        });
    }
    match parse_whole(body, &DecodeLimits::default(), |de| {
        T::deserialize(WithoutEnvelope(de))
    }) {
        Ok(value) => Ok(Reply {
            value: Some(value),
            usage: envelope.usage,
        }),
        Err((err, path)) => Err(decode_error(serde_path_to_error::Error::new(path, err))),
    }
}

/// Reads the envelope leniently (a value of the wrong type reads as absent) and counts the
/// other fields, keeping none of them.
struct EnvelopeScan;

impl<'de> Visitor<'de> for EnvelopeScan {
    type Value = (Envelope, usize);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut envelope = Envelope::default();
        let mut others = 0usize;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let key = key.as_str();
            if !ENVELOPE_FIELDS.contains(&key) {
                others += 1;
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value = map.next_value::<Scalar>()?.0;
            match key {
                "success" => {
                    envelope.success = serde_json::from_value::<Flag>(value).map_or(None, |f| f.0)
                }
                "error" => {
                    envelope.error = serde_json::from_value::<Text>(value).map_or(None, |t| t.0)
                }
                "apiUsage" => {
                    envelope.usage.api_usage =
                        serde_json::from_value::<Int>(value).map_or(None, |i| i.0)
                }
                _ => {
                    envelope.usage.api_daily_usage =
                        serde_json::from_value::<Int>(value).map_or(None, |i| i.0)
                }
            }
        }
        Ok((envelope, others))
    }
}

/// A scalar JSON value; a list or an object is skipped and reads as `null`.
struct Scalar(Value);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.into()))
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar(Value::Null))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Scalar, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar(Value::Null))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar(Value::Null))
            }
        }
        d.deserialize_any(V)
    }
}

/// A deserializer of the body object that hides its envelope fields from the payload.
struct WithoutEnvelope<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for WithoutEnvelope<D> {
    type Error = D::Error;
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Strip(visitor))
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// Hands the payload's visitor the body's map without the envelope fields.
struct Strip<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Strip<V> {
    type Value = V::Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(StripMap(map))
    }
}

struct StripMap<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for StripMap<A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.0.next_key_seed(KeySeed)? else {
                return Ok(None);
            };
            if ENVELOPE_FIELDS.contains(&key.as_str()) {
                self.0.next_value::<IgnoredAny>()?;
                continue;
            }
            return key.deserialize_with(seed).map(Some);
        }
    }
    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.0.next_value_seed(seed)
    }
}
