//! The response envelope (`success`, `error`, `apiUsage`, `apiDailyUsage`), handled once for
//! every endpoint, and the mapping of error responses onto [`Error`].

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, Result, excerpt};
use crate::http::HttpResponse;
use crate::policy::retry::parse_retry_after;

pub(crate) mod budget;
mod checked;
mod flattened;

pub(crate) use budget::charge;

pub use checked::{Checked, Positioned, Skipped, decode_checked_list};
pub use flattened::decode_flattened;

/// The usage counters the server reports with every response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiUsage {
    /// API usage counter at the time of the request.
    #[serde(
        default,
        deserialize_with = "crate::de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub api_usage: Option<i64>,
    /// Daily API usage counter.
    #[serde(
        default,
        deserialize_with = "crate::de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub api_daily_usage: Option<i64>,
}

impl ApiUsage {
    /// Whether the server reported neither counter.
    pub fn is_empty(&self) -> bool {
        self.api_usage.is_none() && self.api_daily_usage.is_none()
    }
}

/// A decoded response: the typed payload and the usage counters that came with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<T> {
    /// The payload.
    pub value: T,
    /// The usage counters.
    pub usage: ApiUsage,
}

impl<T: DeserializeOwned> Reply<Option<T>> {
    /// Decodes a response whose payload sits under the field `name`, for a custom
    /// [`Endpoint::decode`](crate::Endpoint::decode): an error status or `success: false`
    /// becomes the matching [`Error`], the usage counters are read, and a missing or `null`
    /// payload gives `None`.
    ///
    /// ```
    /// use plaspy_types::{Error, HttpResponse, Reply};
    /// let ok = HttpResponse::new(200, r#"{"success":true,"answer":42,"apiUsage":7}"#);
    /// let reply = Reply::<Option<u32>>::from_field(&ok, "answer").unwrap();
    /// assert_eq!((reply.value, reply.usage.api_usage), (Some(42), Some(7)));
    ///
    /// let gone = HttpResponse::new(404, r#"{"success":false,"error":"no such thing"}"#);
    /// let err = Reply::<Option<u32>>::from_field(&gone, "answer").unwrap_err();
    /// assert!(matches!(err, Error::NotFound { .. }));
    /// ```
    pub fn from_field(response: &HttpResponse, name: &str) -> Result<Self> {
        decode_named(response, name)
    }
}

impl Reply<()> {
    /// Decodes a response that carries only the envelope, for a custom
    /// [`Endpoint::decode`](crate::Endpoint::decode): an error status or `success: false`
    /// becomes the matching [`Error`].
    pub fn from_empty(response: &HttpResponse) -> Result<Self> {
        decode_empty(response)
    }
}

impl<T> Reply<T> {
    /// Maps the payload, keeping the usage counters.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Reply<U> {
        Reply {
            value: f(self.value),
            usage: self.usage,
        }
    }
}

#[doc(hidden)] // decoding internals (endpoints, tests, fuzz targets); not API
/// The envelope fields of a response body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Envelope {
    /// `success`; a missing value on a 2xx is read as success.
    pub success: Option<bool>,
    /// `error`: the server's message when `success` is false.
    pub error: Option<String>,
    /// The usage counters.
    pub usage: ApiUsage,
}

#[doc(hidden)] // decoding internals (endpoints, tests, fuzz targets); not API
/// The names of the envelope's fields on the wire.
pub const ENVELOPE_FIELDS: [&str; 4] = ["success", "error", "apiUsage", "apiDailyUsage"];

#[derive(Deserialize)]
struct Flag(#[serde(deserialize_with = "crate::de::opt_bool")] Option<bool>);
#[derive(Deserialize)]
struct Text(#[serde(deserialize_with = "crate::de::opt_text")] Option<String>);
#[derive(Deserialize)]
struct Int(#[serde(deserialize_with = "crate::de::opt_int")] Option<i64>);

impl Envelope {
    /// Reads one envelope field, if `key` names one. Returns `false` for other keys.
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match key {
            "success" => self.success = map.next_value::<Flag>()?.0,
            "error" => self.error = map.next_value::<Text>()?.0,
            "apiUsage" => self.usage.api_usage = map.next_value::<Int>()?.0,
            "apiDailyUsage" => self.usage.api_daily_usage = map.next_value::<Int>()?.0,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn failed(&self) -> bool {
        self.success == Some(false)
    }
}

/// Deserializes the envelope plus the payload under one named field, in one pass; the
/// payload is read with the seed `S` (`null` gives `None`).
struct NamedSeed<'n, S> {
    name: &'n str,
    payload: S,
}

impl<'n, T> NamedSeed<'n, PhantomData<T>> {
    fn typed(name: &'n str) -> Self {
        NamedSeed {
            name,
            payload: PhantomData,
        }
    }
}

impl<'de, S: DeserializeSeed<'de> + Clone> DeserializeSeed<'de> for NamedSeed<'_, S> {
    type Value = (Envelope, Option<S::Value>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Clone> Visitor<'de> for NamedSeed<'_, S> {
    type Value = (Envelope, Option<S::Value>);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut envelope = Envelope::default();
        let mut payload = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.name {
                payload = map.next_value_seed(OptSeed(self.payload.clone()))?;
            } else if !envelope.read_field(&key, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok((envelope, payload))
    }
}

/// `null` as `None`, anything else through the seed.
struct OptSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for OptSeed<S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for OptSeed<S> {
    type Value = Option<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

/// The default of [`DecodeLimits::max_records`]: one million records per reply.
pub const DEFAULT_MAX_RECORDS: usize = 1_000_000;

/// The default of [`DecodeLimits::max_expansion`]: the texts in a reply's lists and maps
/// may take up to 4 times the size of its body.
pub const DEFAULT_MAX_EXPANSION: usize = 4;

/// Limits applied while decoding a reply, so a hostile or broken server cannot make the
/// client hold more than it meant to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeLimits {
    /// The most records (devices, positions, alerts, groups, users) one reply may hold;
    /// a reply with more fails with [`Error::Decode`] naming the limit.
    pub max_records: usize,
    /// How many times the size of the body the texts kept in a reply's lists and maps
    /// (`warningTexts`, `attributes`, `tags`, ...) may take once decoded, and at least 1 MiB.
    ///
    /// A text costs 24 bytes plus its length where the body may have spent 3 bytes on it
    /// (`"",`), so a body of tiny values would decode to 8 to 14 times its size; past this
    /// budget the reply fails with [`Error::Decode`] instead. Real replies stay far below
    /// it. Unknown fields are kept as compact JSON text, about their size on the wire.
    pub max_expansion: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_records: DEFAULT_MAX_RECORDS,
            max_expansion: DEFAULT_MAX_EXPANSION,
        }
    }
}

impl DecodeLimits {
    /// Limits allowing at most `max_records` records per reply (and the default
    /// [`max_expansion`](Self::max_expansion)).
    pub fn max_records(max_records: usize) -> Self {
        DecodeLimits {
            max_records,
            ..DecodeLimits::default()
        }
    }

    /// These limits with another [`max_expansion`](Self::max_expansion).
    ///
    /// ```
    /// let limits = plaspy_types::DecodeLimits::default().with_max_expansion(8);
    /// assert_eq!(limits.max_expansion, 8);
    /// ```
    pub fn with_max_expansion(mut self, max_expansion: usize) -> Self {
        self.max_expansion = max_expansion;
        self
    }

    /// The budget of a body of `body_len` bytes.
    pub(crate) fn budget(&self, body_len: usize) -> usize {
        budget::for_body(body_len, self.max_expansion)
    }
}

/// A list of records, allocated once at its exact size and refused past a limit.
struct ListSeed<T> {
    capacity: usize,
    max: usize,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for ListSeed<T> {
    fn clone(&self) -> Self {
        ListSeed {
            capacity: self.capacity,
            max: self.max,
            _t: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ListSeed<T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListSeed<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(self.capacity.min(self.max));
        while out.len() < self.max {
            match seq.next_element::<T>()? {
                Some(item) => out.push(item),
                None => return Ok(out),
            }
        }
        match seq.next_element::<IgnoredAny>()? {
            None => Ok(out),
            Some(_) => Err(serde::de::Error::custom(too_many(self.max))),
        }
    }
}

fn too_many(max: usize) -> String {
    format!(
        "the reply holds more than {max} records, the limit of one reply (raise it with ClientBuilder::max_records, or ask for less, e.g. a shorter date range)"
    )
}

/// Counts the elements of the list under `name` without keeping any of them. `None` when the body is not what [`decode_list`] expects (it then reports
/// the problem itself).
fn count_records(body: &[u8], name: &str) -> Option<usize> {
    #[derive(Clone)]
    struct Count;
    impl<'de> DeserializeSeed<'de> for Count {
        type Value = usize;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for Count {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
            // Every element is read (the parser must reach the end of the list), none kept.
            let mut n: usize = 0;
            while seq.next_element::<IgnoredAny>()?.is_some() {
                n = n.saturating_add(1);
            }
            Ok(n)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let seed = NamedSeed {
        name,
        payload: Count,
    };
    seed.deserialize(&mut de).ok()?.1
}

/// Deserializes the envelope only, ignoring everything else.
struct EnvelopeOnly;

impl<'de> Visitor<'de> for EnvelopeOnly {
    type Value = Envelope;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
        let mut envelope = Envelope::default();
        while let Some(key) = map.next_key::<String>()? {
            if !envelope.read_field(&key, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(envelope)
    }
}

#[doc(hidden)] // decoding internals (endpoints, tests, fuzz targets); not API
/// Reads just the envelope of a body, if it is a JSON object.
pub fn read_envelope(body: &[u8]) -> Option<Envelope> {
    let mut de = serde_json::Deserializer::from_slice(body);
    de.deserialize_map(EnvelopeOnly).ok()
}

fn not_json(body: &[u8], err: &serde_json::Error) -> Error {
    let shown = excerpt(body, 120);
    Error::Decode {
        path: ".".into(),
        message: if shown.is_empty() {
            "the body is empty, expected a JSON object".into()
        } else {
            format!("the body is not a JSON object ({err}): {shown}")
        },
    }
}

fn decode_error(err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = err.path().to_string();
    let inner = err.into_inner();
    let message = inner.to_string();
    // serde_json appends " at line L column C"; the path already says where.
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    };
    Error::Decode { path, message }
}

/// Turns `success:false` into an error, unless the body said nothing about it.
fn check_success(envelope: &Envelope, status: u16) -> Result<()> {
    if envelope.failed() {
        return Err(Error::api(
            status,
            envelope
                .error
                .clone()
                .unwrap_or_else(|| "the request failed".into()),
        ));
    }
    Ok(())
}

#[doc(hidden)] // decoding internals (endpoints, tests, fuzz targets); not API
/// Decodes a 2xx body whose payload sits under `name` (`devices`, `lastLocation`, ...).
///
/// A missing or `null` payload gives `None` ("nothing there"), not an error.
pub fn decode_named<T: DeserializeOwned>(
    response: &HttpResponse,
    name: &str,
) -> Result<Reply<Option<T>>> {
    decode_named_with(
        response,
        NamedSeed::<PhantomData<T>>::typed(name),
        &DecodeLimits::default(),
    )
}

#[doc(hidden)] // decoding internals (endpoints, tests, fuzz targets); not API
/// Decodes a 2xx body whose payload under `name` is a list of records, allocated once at
/// its size and refused past `limits.max_records`. A missing or `null` list is empty.
pub fn decode_list<T: DeserializeOwned>(
    response: &HttpResponse,
    name: &str,
    limits: &DecodeLimits,
) -> Result<Reply<Vec<T>>> {
    ensure_success(response)?;
    let max = limits.max_records;
    // A first pass that keeps nothing: the list is then allocated once, not doubled.
    let capacity = count_records(&response.body, name).unwrap_or(0);
    if capacity > max {
        // Say so unless the body refused the request anyway.
        return match read_envelope(&response.body) {
            Some(envelope) if envelope.failed() => {
                check_success(&envelope, response.status).map(|()| unreachable_reply())
            }
            _ => Err(Error::Decode {
                path: name.to_owned(),
                message: too_many(max),
            }),
        };
    }
    let seed = NamedSeed {
        name,
        payload: ListSeed::<T> {
            capacity,
            max,
            _t: PhantomData,
        },
    };
    Ok(decode_named_with(response, seed, limits)?.map(Option::unwrap_or_default))
}

/// Never built: `check_success` of a failed envelope is always an error.
fn unreachable_reply<T>() -> Reply<Vec<T>> {
    Reply {
        value: Vec::new(),
        usage: ApiUsage::default(),
    }
}

fn decode_named_with<S, V>(
    response: &HttpResponse,
    seed: NamedSeed<'_, S>,
    limits: &DecodeLimits,
) -> Result<Reply<Option<V>>>
where
    S: for<'de> DeserializeSeed<'de, Value = V> + Clone,
{
    ensure_success(response)?;
    match parse_whole(&response.body, limits, |de| seed.deserialize(de)) {
        Ok((envelope, payload)) => {
            check_success(&envelope, response.status)?;
            Ok(Reply {
                value: payload,
                usage: envelope.usage,
            })
        }
        Err((err, path)) => Err(fail(response, err, path)),
    }
}

/// The JSON deserializer of a body, tracking the path of what it reads.
type Tracked<'t, 'de> = serde_path_to_error::Deserializer<
    't,
    't,
    &'t mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
>;

/// Reads the whole of `body` with `read`, within the budget of `limits`; a failure comes
/// with the JSON path where it happened.
fn parse_whole<'de, V>(
    body: &'de [u8],
    limits: &DecodeLimits,
    read: impl FnOnce(Tracked<'_, 'de>) -> std::result::Result<V, serde_json::Error>,
) -> std::result::Result<V, (serde_json::Error, serde_path_to_error::Path)> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut track = serde_path_to_error::Track::new();
    let parsed = budget::within(limits.budget(body.len()), || {
        read(serde_path_to_error::Deserializer::new(&mut de, &mut track))
    });
    parsed
        .and_then(|v| de.end().map(|()| v))
        .map_err(|err| (err, track.path()))
}

/// Explains a failed parse: a refusal in the envelope wins over the decode error.
fn fail(response: &HttpResponse, err: serde_json::Error, path: serde_path_to_error::Path) -> Error {
    match read_envelope(&response.body) {
        Some(envelope) if envelope.failed() => check_success(&envelope, response.status)
            .err()
            .unwrap_or_else(|| not_json(&response.body, &err)),
        Some(_) => decode_error(serde_path_to_error::Error::new(path, err)),
        None => not_json(&response.body, &err),
    }
}

#[doc(hidden)] // decoding internals (endpoints, tests, fuzz targets); not API
/// Decodes a 2xx body that carries only the envelope (delete).
pub fn decode_empty(response: &HttpResponse) -> Result<Reply<()>> {
    ensure_success(response)?;
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Reply {
            value: (),
            usage: ApiUsage::default(),
        });
    }
    match read_envelope(&response.body) {
        Some(envelope) => {
            check_success(&envelope, response.status)?;
            Ok(Reply {
                value: (),
                usage: envelope.usage,
            })
        }
        None => {
            let err = serde_json::from_slice::<IgnoredAny>(&response.body).err();
            Err(match err {
                Some(err) => not_json(&response.body, &err),
                None => Error::Decode {
                    path: ".".into(),
                    message: "expected a JSON object".into(),
                },
            })
        }
    }
}

#[doc(hidden)] // decoding internals (endpoints, tests, fuzz targets); not API
/// Returns the error a non-2xx response stands for; `Ok` for a 2xx.
pub fn ensure_success(response: &HttpResponse) -> Result<()> {
    if response.is_success() {
        Ok(())
    } else {
        Err(error_from_response(response))
    }
}

#[doc(hidden)] // decoding internals (endpoints, tests, fuzz targets); not API
/// Maps a non-2xx response of a resource endpoint onto [`Error`].
pub fn error_from_response(response: &HttpResponse) -> Error {
    let message = server_message(&response.body);
    match response.status {
        401 => Error::Unauthorized { message },
        403 => Error::Forbidden { message },
        404 => Error::NotFound { message },
        409 => Error::Conflict { message },
        429 => Error::RateLimited {
            retry_after: response
                .retry_after
                .as_deref()
                .and_then(|v| parse_retry_after(v, chrono::Utc::now())),
            message,
        },
        status => match message {
            Some(message) => Error::api(status, message),
            None => Error::Http {
                status,
                excerpt: excerpt(&response.body, 160),
            },
        },
    }
}

#[doc(hidden)] // decoding internals (endpoints, tests, fuzz targets); not API
/// The human message of an error body: the envelope's `error`, or the `message`, `title` or
/// `detail` that other layers (ASP.NET problem details, gateways) write.
pub fn server_message(body: &[u8]) -> Option<String> {
    use serde_json::Value;
    fn text(value: Option<&Value>) -> Option<String> {
        match value? {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            // `{"error": {"message": "..."}}`, as some gateways write it.
            Value::Object(inner) => text(inner.get("message")).or_else(|| text(inner.get("error"))),
            _ => None,
        }
    }
    // Only an object names its fields.
    let object: serde_json::Map<String, Value> = serde_json::from_slice(body).ok()?;
    ["error", "message", "detail", "title"]
        .into_iter()
        .filter_map(|key| text(object.get(key)))
        .find(|m| !m.is_empty())
}

#[doc(hidden)] // decoding internals (endpoints, tests, fuzz targets); not API
/// The decode error for a payload the response should have carried but did not.
pub fn missing(field: &str) -> Error {
    Error::Decode {
        path: field.to_owned(),
        message: format!("the response has no `{field}`"),
    }
}

#[cfg(test)]
mod list_tests {
    use super::*;
    use serde_json::json;

    fn body(value: serde_json::Value) -> HttpResponse {
        HttpResponse::new(200, serde_json::to_vec(&value).unwrap())
    }

    #[test]
    fn lists_are_limited_and_allocated_once() {
        let three = body(json!({"success": true, "apiUsage": 4, "items": [1, 2, 3]}));
        let reply = decode_list::<i64>(&three, "items", &DecodeLimits::max_records(3)).unwrap();
        assert_eq!(reply.value, [1, 2, 3]);
        assert_eq!(reply.value.capacity(), 3);
        assert_eq!(reply.usage.api_usage, Some(4));

        let err = decode_list::<i64>(&three, "items", &DecodeLimits::max_records(2)).unwrap_err();
        match &err {
            Error::Decode { path, message } => {
                assert_eq!(path, "items");
                assert!(message.contains("more than 2 records"), "{message}");
                assert!(message.contains("max_records"), "{message}");
            }
            other => panic!("expected Decode, got {other:?}"),
        }

        // A refusal still wins over the limit.
        let refused = body(json!({"items": [1, 2, 3], "success": false, "error": "nope"}));
        let err = decode_list::<i64>(&refused, "items", &DecodeLimits::max_records(1));
        assert!(matches!(err, Err(Error::Api { .. })), "{err:?}");

        for empty in [
            json!({"success": true}),
            json!({"success": true, "items": null}),
        ] {
            let reply = decode_list::<i64>(&body(empty), "items", &DecodeLimits::default());
            assert!(reply.unwrap().value.is_empty());
        }
        // A bad element is still named by its path.
        let bad = body(json!({"success": true, "items": [1, "x"]}));
        let err = decode_list::<i64>(&bad, "items", &DecodeLimits::default()).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { path, .. } if path == "items[1]"),
            "{err:?}"
        );
    }
}
