//! JSON Patch (RFC 6902) applied to a stored model's JSON.

use serde::Serialize;
use serde_json::Value;

use crate::reply::{ApiError, JsonBody};
use crate::request::PatchRequest;

/// Reads the patch in `body` (400 if it is not a JSON Patch array, or has more than
/// `max_operations` operations). `fields` are the patched model's property names, which
/// paths may spell in any letter case.
pub(super) fn parse(
    body: &JsonBody,
    max_operations: usize,
    fields: &[&str],
) -> Result<json_patch::Patch, ApiError> {
    let json = body.json()?;
    if let crate::request::Json::Array(items) = &json
        && items.len() > max_operations
    {
        return Err(ApiError::bad_request(format!(
            "The JSON Patch has {} operations: the limit is {max_operations} per request",
            items.len()
        )));
    }
    let request = PatchRequest::read(&json, fields)?;
    serde_json::from_value(Value::Array(request.operations))
        .map_err(|e| ApiError::bad_request(format!("Invalid JSON Patch: {e}")))
}

/// Applies `patch` to the JSON of `current`, one operation at a time, checking after each
/// that the document stays within `max_bytes` (400 naming the limit and the operation:
/// a few `copy` operations could otherwise double it again and again). A failed `test` is
/// 409 Conflict; any other failure (a path that does not exist, ...) is 400. Nothing is
/// applied on failure.
pub(super) fn apply(
    current: &impl Serialize,
    patch: &json_patch::Patch,
    max_bytes: usize,
    noun: &str,
) -> Result<Value, ApiError> {
    let mut doc = serde_json::to_value(current)
        .map_err(|e| ApiError::bad_request(format!("Cannot patch this item: {e}")))?;
    for (i, operation) in patch.0.iter().enumerate() {
        let number = i + 1;
        json_patch::patch(&mut doc, std::slice::from_ref(operation)).map_err(|e| match e.kind {
            json_patch::PatchErrorKind::TestFailed => ApiError::conflict(format!(
                "JSON Patch `test` failed: the value at `{}` differs (operation #{number})",
                e.path
            )),
            _ => ApiError::bad_request(format!(
                "JSON Patch operation #{number} failed at `{}`: {}",
                e.path, e.kind
            )),
        })?;
        if larger_than(&doc, max_bytes) {
            return Err(ApiError::bad_request(format!(
                "JSON Patch operation #{number} makes the {noun} larger than the size limit of {max_bytes} bytes"
            )));
        }
    }
    Ok(doc)
}

/// 400 if `value` is larger than `max_bytes` as JSON.
pub(super) fn check_size(
    value: &impl Serialize,
    max_bytes: usize,
    noun: &str,
) -> Result<(), ApiError> {
    if larger_than(value, max_bytes) {
        return Err(ApiError::bad_request(format!(
            "The {noun} is too large: the size limit is {max_bytes} bytes of JSON"
        )));
    }
    Ok(())
}

/// 400 if an account already holds `count` items of a kind and the limit is `max`.
pub(super) fn check_room(count: usize, max: usize, nouns: &str) -> Result<(), ApiError> {
    if count >= max {
        return Err(ApiError::bad_request(format!(
            "The account already holds {count} {nouns}: the limit is {max}; delete some first"
        )));
    }
    Ok(())
}

/// Whether `value` serializes to more than `limit` bytes; stops writing past the limit.
pub(crate) fn larger_than(value: &impl Serialize, limit: usize) -> bool {
    struct Budget(usize);
    impl std::io::Write for Budget {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 = self
                .0
                .checked_sub(buf.len())
                .ok_or_else(|| std::io::Error::other("over the limit"))?;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    serde_json::to_writer(&mut Budget(limit), value).is_err()
}

/// Checks a patched document is still an object whose `id` is `id` (400 otherwise), and
/// returns it as the server reads a request body.
pub(super) fn read_back(
    doc: &Value,
    id: Option<&str>,
    noun: &str,
) -> Result<crate::request::Json, ApiError> {
    if !doc.is_object() {
        return Err(ApiError::bad_request(format!(
            "The patched {noun} must be a JSON object"
        )));
    }
    if doc.get("id").and_then(Value::as_str) != id {
        return Err(ApiError::bad_request(format!(
            "A {noun}'s `id` cannot be changed"
        )));
    }
    Ok(crate::request::Json::from(doc))
}
