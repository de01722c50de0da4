use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

/// One RFC 6902 JSON Patch operation (body of the PATCH endpoints is a list of these).
///
/// ```
/// use plaspy_types::PatchOperation;
/// use serde_json::json;
/// let ops = [PatchOperation::replace("/name", json!("Night shift")), PatchOperation::remove("/description")];
/// assert_eq!(
///     serde_json::to_value(&ops).unwrap(),
///     json!([{"op": "replace", "path": "/name", "value": "Night shift"}, {"op": "remove", "path": "/description"}])
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum PatchOperation {
    /// Adds `value` at `path`.
    Add {
        /// A JSON Pointer.
        path: String,
        /// The value to add.
        value: Value,
    },
    /// Removes the value at `path`.
    Remove {
        /// A JSON Pointer.
        path: String,
    },
    /// Replaces the value at `path`.
    Replace {
        /// A JSON Pointer.
        path: String,
        /// The new value.
        value: Value,
    },
    /// Moves the value at `from` to `path`.
    Move {
        /// Where the value is now.
        from: String,
        /// Where it goes.
        path: String,
    },
    /// Copies the value at `from` to `path`.
    Copy {
        /// Where the value is.
        from: String,
        /// Where the copy goes.
        path: String,
    },
    /// Fails the whole patch unless the value at `path` equals `value`.
    Test {
        /// A JSON Pointer.
        path: String,
        /// The expected value.
        value: Value,
    },
}

impl PatchOperation {
    /// `add` operation.
    ///
    /// ```
    /// use plaspy_types::PatchOperation;
    ///
    /// let op = PatchOperation::add("/devices/-", serde_json::json!("dev-07"));
    /// assert_eq!(op.op(), "add");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add(path: impl Into<String>, value: Value) -> Self {
        PatchOperation::Add {
            path: path.into(),
            value,
        }
    }
    /// `remove` operation.
    ///
    /// ```
    /// let op = plaspy_types::PatchOperation::remove("/description");
    /// assert_eq!(op.op(), "remove");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(path: impl Into<String>) -> Self {
        PatchOperation::Remove { path: path.into() }
    }
    /// `replace` operation.
    ///
    /// ```
    /// let op = plaspy_types::PatchOperation::replace("/name", serde_json::json!("North"));
    /// assert_eq!(serde_json::to_value(&op)?, serde_json::json!({"op": "replace", "path": "/name", "value": "North"}));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replace(path: impl Into<String>, value: Value) -> Self {
        PatchOperation::Replace {
            path: path.into(),
            value,
        }
    }
    /// `move` operation.
    ///
    /// ```
    /// let op = plaspy_types::PatchOperation::move_("/devices/0", "/devices/-");
    /// assert_eq!(op.op(), "move");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn move_(from: impl Into<String>, path: impl Into<String>) -> Self {
        PatchOperation::Move {
            from: from.into(),
            path: path.into(),
        }
    }
    /// `copy` operation.
    ///
    /// ```
    /// let op = plaspy_types::PatchOperation::copy("/name", "/description");
    /// assert_eq!(op.op(), "copy");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn copy(from: impl Into<String>, path: impl Into<String>) -> Self {
        PatchOperation::Copy {
            from: from.into(),
            path: path.into(),
        }
    }
    /// `test` operation.
    ///
    /// ```
    /// // Fails the whole patch unless the name is still "North".
    /// let op = plaspy_types::PatchOperation::test("/name", serde_json::json!("North"));
    /// assert_eq!(op.op(), "test");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn test(path: impl Into<String>, value: Value) -> Self {
        PatchOperation::Test {
            path: path.into(),
            value,
        }
    }

    /// The operation's name (`add`, `remove`, ...).
    ///
    /// ```
    /// assert_eq!(plaspy_types::PatchOperation::remove("/tags").op(), "remove");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn op(&self) -> &'static str {
        match self {
            PatchOperation::Add { .. } => "add",
            PatchOperation::Remove { .. } => "remove",
            PatchOperation::Replace { .. } => "replace",
            PatchOperation::Move { .. } => "move",
            PatchOperation::Copy { .. } => "copy",
            PatchOperation::Test { .. } => "test",
        }
    }

    /// Checks that `path` (and `from`) are JSON Pointers (RFC 6901) naming a field.
    ///
    /// Refused: a pointer not starting with `/`, the empty pointer (the whole document,
    /// which no operation on a group or user may replace or remove), a top-level field with
    /// an empty name (`/`), a `~` not followed by `0` or `1`, and control characters.
    ///
    /// ```
    /// use plaspy_types::PatchOperation;
    /// assert!(PatchOperation::remove("/description").validate().is_ok());
    /// assert!(PatchOperation::remove("").validate().is_err());
    /// assert!(PatchOperation::remove("/a~2b").validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<()> {
        let (path, from) = match self {
            PatchOperation::Add { path, .. }
            | PatchOperation::Remove { path }
            | PatchOperation::Replace { path, .. }
            | PatchOperation::Test { path, .. } => (path, None),
            PatchOperation::Move { from, path } | PatchOperation::Copy { from, path } => {
                (path, Some(from))
            }
        };
        for pointer in std::iter::once(path).chain(from) {
            if let Err(problem) = check_pointer(pointer) {
                return Err(Error::invalid_input(format!(
                    "{} in a `{}` operation is not a JSON Pointer to a field: {problem}",
                    shown(pointer),
                    self.op()
                )));
            }
        }
        Ok(())
    }
}

/// A pointer as shown in an error: quoted, control characters escaped, long ones cut.
fn shown(pointer: &str) -> String {
    let mut out: String = pointer
        .chars()
        .take(80)
        .flat_map(char::escape_debug)
        .collect();
    if pointer.chars().count() > 80 {
        out.push('…');
    }
    format!("`{out}`")
}

/// Why `pointer` is not a JSON Pointer to a field, if it is not.
fn check_pointer(pointer: &str) -> std::result::Result<(), &'static str> {
    if pointer.is_empty() {
        return Err("it is empty, which means the whole document (name a field, like `/name`)");
    }
    if !pointer.starts_with('/') {
        return Err("it must start with `/` (like `/name`)");
    }
    if pointer == "/" {
        return Err("`/` names a field with an empty name (name a field, like `/name`)");
    }
    if pointer.chars().any(char::is_control) {
        return Err("it contains a control character");
    }
    let mut chars = pointer.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return Err("`~` must be followed by `0` (for `~`) or `1` (for `/`)");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_are_checked() {
        for good in ["/name", "/tags/a~1b", "/devices/0", "/tags/~0x", "/tags/"] {
            assert!(PatchOperation::remove(good).validate().is_ok(), "{good}");
        }
        for (bad, why) in [
            ("", "whole document"),
            ("/", "empty name"),
            ("name", "start with `/`"),
            ("/a~2", "`~` must be followed"),
            ("/a~", "`~` must be followed"),
            ("/a\r\nb", "control character"),
        ] {
            let err = PatchOperation::remove(bad).validate().unwrap_err();
            assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
            assert!(err.to_string().contains(why), "{bad:?}: {err}");
        }
        let err = PatchOperation::move_("", "/name").validate().unwrap_err();
        assert!(err.to_string().contains("`move` operation"), "{err}");
        let err = PatchOperation::replace("/a\nb", json!(1))
            .validate()
            .unwrap_err();
        assert!(err.to_string().contains("`/a\\nb`"), "{err}");
    }
}
