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
    pub fn add(path: impl Into<String>, value: Value) -> Self {
        PatchOperation::Add {
            path: path.into(),
            value,
        }
    }
    /// `remove` operation.
    pub fn remove(path: impl Into<String>) -> Self {
        PatchOperation::Remove { path: path.into() }
    }
    /// `replace` operation.
    pub fn replace(path: impl Into<String>, value: Value) -> Self {
        PatchOperation::Replace {
            path: path.into(),
            value,
        }
    }
    /// `move` operation.
    pub fn move_(from: impl Into<String>, path: impl Into<String>) -> Self {
        PatchOperation::Move {
            from: from.into(),
            path: path.into(),
        }
    }
    /// `copy` operation.
    pub fn copy(from: impl Into<String>, path: impl Into<String>) -> Self {
        PatchOperation::Copy {
            from: from.into(),
            path: path.into(),
        }
    }
    /// `test` operation.
    pub fn test(path: impl Into<String>, value: Value) -> Self {
        PatchOperation::Test {
            path: path.into(),
            value,
        }
    }

    /// The operation's name (`add`, `remove`, ...).
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

    /// Checks that `path` (and `from`) are JSON Pointers.
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
            if !pointer.is_empty() && !pointer.starts_with('/') {
                return Err(Error::invalid_input(format!(
                    "`{pointer}` in a `{}` operation is not a JSON Pointer (it must start with `/`)",
                    self.op()
                )));
            }
        }
        Ok(())
    }
}
