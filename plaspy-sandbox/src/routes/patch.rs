//! JSON Patch (RFC 6902) applied to a stored model's JSON.

use plaspy_types::PatchOperation;
use serde::Serialize;
use serde_json::Value;

use crate::reply::{ApiError, JsonBody};

/// Reads the patch in `body` (400 if it is not a JSON Patch array).
pub(super) fn parse(body: &JsonBody) -> Result<json_patch::Patch, ApiError> {
    let operations: Vec<PatchOperation> = body.parse()?;
    for op in &operations {
        op.validate()?;
    }
    serde_json::to_value(&operations)
        .and_then(serde_json::from_value)
        .map_err(|e| ApiError::bad_request(format!("Invalid JSON Patch: {e}")))
}

/// Applies `patch` to the JSON of `current`. A failed `test` is 409 Conflict; any other
/// failure (a path that does not exist, ...) is 400. Nothing is applied on failure.
pub(super) fn apply(
    current: &impl Serialize,
    patch: &json_patch::Patch,
) -> Result<Value, ApiError> {
    let mut doc = serde_json::to_value(current)
        .map_err(|e| ApiError::bad_request(format!("Cannot patch this item: {e}")))?;
    json_patch::patch(&mut doc, &patch.0).map_err(|e| match e.kind {
        json_patch::PatchErrorKind::TestFailed => ApiError::conflict(format!(
            "JSON Patch `test` failed: the value at `{}` differs (operation #{})",
            e.path,
            e.operation + 1
        )),
        _ => ApiError::bad_request(format!(
            "JSON Patch operation #{} failed at `{}`: {}",
            e.operation + 1,
            e.path,
            e.kind
        )),
    })?;
    Ok(doc)
}

/// Reads a patched document back as a model (400 if it no longer fits).
pub(super) fn read_back<T: serde::de::DeserializeOwned>(
    doc: Value,
    noun: &str,
) -> Result<T, ApiError> {
    if !doc.is_object() {
        return Err(ApiError::bad_request(format!(
            "The patched {noun} must be a JSON object"
        )));
    }
    serde_json::from_value(doc)
        .map_err(|e| ApiError::bad_request(format!("The patched {noun} is invalid: {e}")))
}

/// Removes from a model's unknown fields those the server owns or that would clash with
/// the envelope.
pub(super) fn strip_reserved(extra: &mut plaspy_types::Extra, reserved: &[&str]) {
    for key in reserved
        .iter()
        .chain(&["success", "error", "apiUsage", "apiDailyUsage"])
    {
        extra.remove(*key);
    }
}
