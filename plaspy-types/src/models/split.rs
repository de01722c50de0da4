//! How a model keeps its unknown fields without `#[serde(flatten)]`.
//!
//! `flatten` makes serde buffer every unknown value as a tree of its own before the model
//! sees it, and the `serde_json::Value` it was then turned into costs 72 bytes per JSON
//! value: a body of many small unknown values took 35 times its size in memory. Here a
//! model's known fields are decoded by a derived deserializer that only ever sees its own
//! keys, and every other entry is written, as it is read, into the compact JSON text of
//! [`Extra`](super::Extra): an unknown field costs about what it took on the wire.
//!
//! The [`model!`](crate::models::split::model) macro declares a model once: the public
//! struct (without serde attributes), and a private twin deriving serde as a "remote"
//! definition of it, whose derived code reads the known fields.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{self, Impossible, SerializeMap, SerializeStruct, Serializer};

use super::Extra;
use super::extra::ExtraWriter;

/// A model with unknown fields in `extra`; implemented by [`model!`].
pub(crate) trait Model: Sized {
    /// The model's name, for error messages.
    const NAME: &'static str;
    /// The derived deserializer of the known fields (`extra` left empty).
    fn known<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
    /// Where the unknown fields go.
    fn extra_mut(&mut self) -> &mut Extra;
}

/// Deserializes a model: known fields through its derived code, unknown ones into `extra`.
pub(crate) fn deserialize<'de, T: Model, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(ModelVisitor::<T>(PhantomData))
}

struct ModelVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Model> Visitor<'de> for ModelVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let mut extra = ExtraWriter::default();
        let mut value = T::known(Split {
            map,
            extra: &mut extra,
        })?;
        *value.extra_mut() = extra.finish();
        Ok(value)
    }
}

/// The map of one model, seen by its derived deserializer.
struct Split<'x, A> {
    map: A,
    extra: &'x mut ExtraWriter,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Split<'_, A> {
    type Error = A::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(SplitMap {
            map: self.map,
            fields,
            extra: self.extra,
        })
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        // The derived code of a struct always asks for a struct; anything else sees the
        // whole map, nothing split off.
        visitor.visit_map(self.map)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// Hands the derived code its own keys; writes every other entry into `extra`.
struct SplitMap<'x, A> {
    map: A,
    fields: &'static [&'static str],
    extra: &'x mut ExtraWriter,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for SplitMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.map.next_key_seed(KeySeed)? else {
                return Ok(None);
            };
            if self.fields.contains(&key.as_str()) {
                return key.deserialize_with(seed).map(Some);
            }
            self.map.next_value_seed(self.extra.entry(key.as_str()))?;
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// A map key, borrowed from the body when it holds no escapes.
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(k) => k,
            Key::Owned(k) => k,
        }
    }
}

impl<'de> Key<'de> {
    /// Hands the key to a seed that wants a field name.
    pub(crate) fn deserialize_with<K: DeserializeSeed<'de>, E: serde::de::Error>(
        self,
        seed: K,
    ) -> Result<K::Value, E> {
        match self {
            Key::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k)),
            Key::Owned(k) => seed.deserialize(StringDeserializer::new(k)),
        }
    }
}

/// Reads a map key as a [`Key`].
pub(crate) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }
}

/// A serializer that turns the derived code's struct into a map and appends `extra`: a
/// model's known fields, then its unknown ones, in one map.
pub(crate) struct AppendExtra<'x, S> {
    inner: S,
    extra: &'x Extra,
}

impl<'x, S> AppendExtra<'x, S> {
    pub(crate) fn new(inner: S, extra: &'x Extra) -> Self {
        AppendExtra { inner, extra }
    }
}

/// The struct being written, as a map.
pub(crate) struct AppendStruct<'x, M> {
    map: M,
    extra: &'x Extra,
}

impl<M: SerializeMap> SerializeStruct for AppendStruct<'_, M> {
    type Ok = M::Ok;
    type Error = M::Error;
    fn serialize_field<T: ?Sized + serde::Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.map.serialize_entry(key, value)
    }
    fn end(mut self) -> Result<M::Ok, M::Error> {
        self.extra.write_entries(&mut self.map)?;
        self.map.end()
    }
}

fn not_a_struct<E: ser::Error>() -> E {
    E::custom("a model serializes as a struct")
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret, S::Error> {
            Err(not_a_struct())
        })*
    };
}

impl<'x, S: Serializer> Serializer for AppendExtra<'x, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = AppendStruct<'x, S::SerializeMap>;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    fn serialize_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        let map = self
            .inner
            .serialize_map(Some(len + self.extra.entry_count()))?;
        Ok(AppendStruct {
            map,
            extra: self.extra,
        })
    }

    refuse! {
        serialize_bool(bool) -> S::Ok;
        serialize_i8(i8) -> S::Ok;
        serialize_i16(i16) -> S::Ok;
        serialize_i32(i32) -> S::Ok;
        serialize_i64(i64) -> S::Ok;
        serialize_u8(u8) -> S::Ok;
        serialize_u16(u16) -> S::Ok;
        serialize_u32(u32) -> S::Ok;
        serialize_u64(u64) -> S::Ok;
        serialize_f32(f32) -> S::Ok;
        serialize_f64(f64) -> S::Ok;
        serialize_char(char) -> S::Ok;
        serialize_str(&str) -> S::Ok;
        serialize_bytes(&[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit() -> S::Ok;
        serialize_unit_struct(&'static str) -> S::Ok;
        serialize_unit_variant(&'static str, u32, &'static str) -> S::Ok;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: ?Sized + serde::Serialize>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(not_a_struct())
    }
    fn serialize_newtype_struct<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_a_struct())
    }
    fn serialize_newtype_variant<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_a_struct())
    }
}

/// Declares a model that keeps its unknown fields in a last field `extra: Extra`.
///
/// ```ignore
/// model! {
///     serde(rename_all = "camelCase");
///     /// Docs of the model.
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct Thing {
///         /// Docs of the field.
///         #[serde(default)]
///         pub name: Option<String>,
///         /// Fields this SDK does not know yet, kept verbatim.
///         #[serde(skip)]
///         pub extra: Extra,
///     }
/// }
/// ```
///
/// Field attributes are the doc comments, then the serde attributes; the public struct gets
/// the docs, a private twin the serde attributes.
macro_rules! model {
    (
        serde($($container:tt)*);
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $(#[serde($($attr:tt)*)])*
                pub $field:ident : $ty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                $(#[doc = $doc])*
                pub $field: $ty,
            )*
        }

        const _: () = {
            type Target = $name;

            #[derive(serde::Serialize, serde::Deserialize)]
            #[serde(remote = "Target", $($container)*)]
            #[allow(dead_code)]
            struct Known {
                $(
                    $(#[serde($($attr)*)])*
                    $field: $ty,
                )*
            }

            impl $crate::models::split::Model for $name {
                const NAME: &'static str = stringify!($name);
                fn known<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    Known::deserialize(d)
                }
                fn extra_mut(&mut self) -> &mut $crate::models::Extra {
                    &mut self.extra
                }
            }

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    $crate::models::split::deserialize(d)
                }
            }

            impl serde::Serialize for $name {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    Known::serialize(self, $crate::models::split::AppendExtra::new(s, &self.extra))
                }
            }
        };
    };
}

pub(crate) use model;
