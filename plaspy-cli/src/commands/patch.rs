//! `patch` of groups and users: JSON Patch operations from `--json` or the `--set` /
//! `--remove` shorthands, checked before anything is sent.

use clap::{ArgGroup, Args};
use plaspy_blocking::PatchOperation;
use serde_json::Value;

use crate::exit::{CliError, CliResult};
use crate::input;

/// Text shown after `patch --help`.
pub const AFTER_HELP: &str = "\
Operations come from --json (an RFC 6902 array) or from the shorthands, applied in this
order: the --json operations, then every --set (an `add`, which sets a member whether or
not it exists), then every --remove. A path without a leading / gets one. A --set value is
read as JSON when it parses (true, 12, [\"a\"], {\"k\":\"v\"}, \"12\"), else as a string.

Examples:
  plaspy groups patch grp-1 --set name='Night shift' --remove description
  plaspy users patch usr-1 --set disabled=true --set tags='{\"team\":\"north\"}'
  echo '[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"X\"}]' | plaspy groups patch grp-1 --json -";

/// JSON Patch operations: a document or shorthands.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("operations").required(true).multiple(true).args(["json", "set", "remove"])))]
pub struct PatchArgs {
    /// The operations as a JSON array (a file, or - for stdin)
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// Set PATH to VALUE (repeatable)
    #[arg(long, value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Remove PATH (repeatable)
    #[arg(long, value_name = "PATH")]
    pub remove: Vec<String>,
}

/// The operations of `patch`: those of `--json`, then one `add` per `--set`, then one
/// `remove` per `--remove`.
pub fn operations(args: &PatchArgs) -> CliResult<Vec<PatchOperation>> {
    let mut operations: Vec<PatchOperation> = match &args.json {
        Some(source) => input::json_document(source, "--json")?,
        None => Vec::new(),
    };
    for (i, operation) in operations.iter().enumerate() {
        for path in operation_paths(operation) {
            check_pointer(path).map_err(|why| {
                CliError::usage(format!("--json: operation {}: path `{path}`: {why}", i + 1))
            })?;
        }
    }
    for set in &args.set {
        let (path, value) = input::key_value(set, "--set")?;
        let path = pointer(path).map_err(|why| CliError::usage(format!("--set `{set}`: {why}")))?;
        operations.push(PatchOperation::add(path, parse_value(value)));
    }
    for path in &args.remove {
        let pointer =
            pointer(path).map_err(|why| CliError::usage(format!("--remove `{path}`: {why}")))?;
        operations.push(PatchOperation::remove(pointer));
    }
    if operations.is_empty() {
        return Err(CliError::usage(
            "no operations: give --set PATH=VALUE, --remove PATH or --json FILE",
        ));
    }
    for operation in &operations {
        operation
            .validate()
            .map_err(|e| CliError::usage(e.to_string()))?;
    }
    Ok(operations)
}

/// A JSON Pointer (RFC 6901) from a path on the command line: `name` becomes `/name`.
pub fn pointer(path: &str) -> Result<String, String> {
    let path = path.trim();
    let pointer = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    check_pointer(&pointer)?;
    Ok(pointer)
}

/// Checks a JSON Pointer for a field of a group or user: `/` then one or more non-empty
/// segments, `~` only as `~0` or `~1`, no control characters. (The empty pointer, the whole
/// document, and empty segments are valid RFC 6901 but never name a field: they are
/// mistakes such as `--remove ''`.)
pub fn check_pointer(pointer: &str) -> Result<(), String> {
    if pointer.trim_matches('/').trim().is_empty() {
        return Err("an empty path: name a field, e.g. /name or description".to_owned());
    }
    let Some(segments) = pointer.strip_prefix('/') else {
        return Err("a JSON Pointer starts with `/`, e.g. /name".to_owned());
    };
    if pointer.chars().any(char::is_control) {
        return Err("a path cannot hold control characters".to_owned());
    }
    for segment in segments.split('/') {
        if segment.is_empty() {
            return Err("a path cannot have an empty segment (`//` or a trailing `/`)".to_owned());
        }
        let mut chars = segment.chars();
        while let Some(c) = chars.next() {
            if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
                return Err("`~` must be written `~0`, and `/` inside a name `~1`".to_owned());
            }
        }
    }
    Ok(())
}

/// The JSON Pointers an operation names.
fn operation_paths(operation: &PatchOperation) -> Vec<&str> {
    match operation {
        PatchOperation::Add { path, .. }
        | PatchOperation::Remove { path }
        | PatchOperation::Replace { path, .. }
        | PatchOperation::Test { path, .. } => vec![path],
        PatchOperation::Move { from, path } | PatchOperation::Copy { from, path } => {
            vec![from, path]
        }
    }
}

/// The value as JSON when it parses, else as a string.
fn parse_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shorthands_build_operations() {
        let args = PatchArgs {
            json: None,
            set: vec![
                "name=Night shift".into(),
                "/disabled=true".into(),
                "tags={\"a\":\"b\"}".into(),
                "n=\"12\"".into(),
            ],
            remove: vec!["description".into()],
        };
        let ops = operations(&args).unwrap();
        assert_eq!(
            serde_json::to_value(&ops).unwrap(),
            json!([
                {"op": "add", "path": "/name", "value": "Night shift"},
                {"op": "add", "path": "/disabled", "value": true},
                {"op": "add", "path": "/tags", "value": {"a": "b"}},
                {"op": "add", "path": "/n", "value": "12"},
                {"op": "remove", "path": "/description"},
            ])
        );
        let bad = PatchArgs {
            json: None,
            set: vec!["novalue".into()],
            remove: vec![],
        };
        assert!(operations(&bad).is_err());
    }

    #[test]
    fn bad_pointers_are_refused() {
        for (set, remove) in [
            (vec![], vec![""]),
            (vec![], vec!["  "]),
            (vec![], vec!["/"]),
            (vec![], vec!["a//b"]),
            (vec![], vec!["tags/"]),
            (vec![], vec!["/a~2b"]),
            (vec![], vec!["/a~"]),
            (vec!["/=x"], vec![]),
            (vec!["/a\u{1b}b=x"], vec![]),
            (vec!["tags//x=1"], vec![]),
        ] {
            let args = PatchArgs {
                json: None,
                set: set.iter().map(|s| s.to_string()).collect(),
                remove: remove.iter().map(|s| s.to_string()).collect(),
            };
            let e = operations(&args).unwrap_err();
            assert_eq!(e.code, crate::exit::ExitCode::Usage, "{set:?} {remove:?}");
            let flag = if set.is_empty() { "--remove" } else { "--set" };
            assert!(e.message.starts_with(flag), "{}", e.message);
        }
        assert_eq!(pointer("tags/a~1b").unwrap(), "/tags/a~1b");
        assert_eq!(pointer(" /name ").unwrap(), "/name");
        assert!(check_pointer("name").is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn path_like() -> impl Strategy<Value = String> {
            prop_oneof![
                any::<String>(),
                "[/ ~a-z01]{0,12}",
                "(/?[a-zA-Z_]{1,8}(~[01])?){1,4}",
            ]
        }

        proptest! {
            #[test]
            fn any_set_or_remove_gives_checked_operations_or_a_usage_error(
                set in proptest::collection::vec((path_like(), any::<String>()), 0..3),
                remove in proptest::collection::vec(path_like(), 0..3),
            ) {
                let args = PatchArgs {
                    json: None,
                    set: set.iter().map(|(p, v)| format!("{p}={v}")).collect(),
                    remove,
                };
                match operations(&args) {
                    Ok(ops) => {
                        prop_assert_eq!(ops.len(), args.set.len() + args.remove.len());
                        for op in &ops {
                            for path in operation_paths(op) {
                                prop_assert!(check_pointer(path).is_ok(), "{}", path);
                            }
                        }
                    }
                    Err(e) => {
                        prop_assert_eq!(e.code, crate::exit::ExitCode::Usage);
                        prop_assert!(!e.message.is_empty());
                    }
                }
            }

            #[test]
            fn plain_field_paths_are_accepted(segments in proptest::collection::vec("[a-zA-Z_][a-zA-Z0-9_]{0,10}", 1..4)) {
                let path = segments.join("/");
                prop_assert_eq!(pointer(&path), Ok(format!("/{path}")));
            }
        }
    }
}
