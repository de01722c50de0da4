//! What every fuzz target shares: turning fuzz bytes into a response, and the checks made
//! on what a decoder returns.

use plaspy_types::{Endpoint, HttpResponse};
use serde::Serialize;

/// The response the fuzz input stands for. The first byte picks the status (mostly 200, so
/// the decoders' success path is explored; otherwise an error status), the rest is the body.
pub fn response(data: &[u8]) -> HttpResponse {
    let (status, body) = match data.split_first() {
        Some((&b, rest)) => {
            let status = match b {
                0..=199 => 200,
                200..=209 => 201,
                210..=219 => 204,
                220..=229 => 400,
                230..=234 => 401,
                235..=239 => 403,
                240..=243 => 404,
                244..=246 => 409,
                247..=249 => 429,
                250..=252 => 500,
                253 => 502,
                254 => 503,
                _ => 504,
            };
            (status, rest)
        }
        None => (200, data),
    };
    HttpResponse::new(status, body.to_vec())
}

/// Decodes `data` with `endpoint`. Any error is fine (it must only not panic); a success
/// must survive being written back and decoded again, unchanged.
pub fn decode_and_round_trip<E>(
    endpoint: &E,
    data: &[u8],
    wrap: impl Fn(serde_json::Value) -> serde_json::Value,
) where
    E: Endpoint,
    E::Output: Serialize + PartialEq + std::fmt::Debug,
{
    decode_and_round_trip_except(endpoint, data, wrap, |_| ());
}

/// [`decode_and_round_trip`], where `unwritten` clears from the first decode what the
/// models never write back (a user's password).
pub fn decode_and_round_trip_except<E>(
    endpoint: &E,
    data: &[u8],
    wrap: impl Fn(serde_json::Value) -> serde_json::Value,
    unwritten: impl Fn(&mut E::Output),
) where
    E: Endpoint,
    E::Output: Serialize + PartialEq + std::fmt::Debug,
{
    let response = response(data);
    let Ok(mut first) = endpoint.decode(&response) else {
        return;
    };
    unwritten(&mut first.value);
    // Error messages must be printable whatever the body held.
    let written = serde_json::to_value(&first.value).expect("a decoded model serializes");
    let again = HttpResponse::new(200, serde_json::to_vec(&wrap(written.clone())).unwrap());
    match endpoint.decode(&again) {
        Ok(second) => assert_eq!(
            first.value, second.value,
            "changed on a round trip: {written}"
        ),
        Err(e) => panic!("the SDK's own output was refused: {e}\n{written}"),
    }
}

/// Decodes `data` with `endpoint`, checking only that it answers (and that an error can be
/// shown).
pub fn decode_only<E: Endpoint>(endpoint: &E, data: &[u8]) {
    if let Err(e) = endpoint.decode(&response(data)) {
        let _ = e.to_string();
    }
}

/// `{"success": true, field: value}`.
pub fn named(field: &'static str) -> impl Fn(serde_json::Value) -> serde_json::Value {
    move |value| serde_json::json!({"success": true, field: value})
}

/// The model's own fields plus `"success": true` (single group or user).
pub fn flattened(value: serde_json::Value) -> serde_json::Value {
    let mut object = value.as_object().cloned().unwrap_or_default();
    object.insert("success".into(), serde_json::Value::Bool(true));
    serde_json::Value::Object(object)
}
