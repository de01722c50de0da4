//! What `create`, `update` and `patch` of groups and users share: applying flags to an
//! input model, and building JSON Patch operations.

use std::collections::BTreeMap;

use chrono::Utc;
use plaspy_blocking::{GroupInput, PatchOperation, Secret, UserInput};
use serde_json::Value;

use crate::cli::{GroupFields, PatchArgs, UserFields};
use crate::exit::{CliError, CliResult};
use crate::input;
use crate::time::{self, Bound};

/// Whether any group field was given as a flag.
pub fn group_fields_given(fields: &GroupFields) -> bool {
    fields.name.is_some() || fields.description.is_some() || !fields.devices.is_empty()
}

/// Sets the fields given as flags; the others stay as they are.
pub fn apply_group_fields(input: &mut GroupInput, fields: &GroupFields) {
    if let Some(name) = &fields.name {
        input.name = name.clone();
    }
    if let Some(description) = &fields.description {
        input.description = Some(description.clone());
    }
    if !fields.devices.is_empty() {
        input.devices = Some(fields.devices.clone());
    }
}

/// Whether any user field was given as a flag.
pub fn user_fields_given(f: &UserFields) -> bool {
    f.name.is_some()
        || f.email.is_some()
        || f.country.is_some()
        || f.time_zone.is_some()
        || f.description.is_some()
        || f.message.is_some()
        || f.disabled.is_some()
        || f.disabled_message.is_some()
        || !f.tags.is_empty()
        || !f.privileges.is_empty()
        || f.group.is_some()
        || f.device_id.is_some()
        || f.admin_devices.is_some()
        || f.from.is_some()
        || f.expires.is_some()
        || f.password.is_some()
}

/// Sets the fields given as flags; the others stay as they are. `--password -` reads the
/// password from stdin.
pub fn apply_user_fields(input: &mut UserInput, f: &UserFields) -> CliResult {
    let set = |target: &mut String, value: &Option<String>| {
        if let Some(v) = value {
            *target = v.clone();
        }
    };
    set(&mut input.name, &f.name);
    set(&mut input.email, &f.email);
    set(&mut input.country, &f.country);
    set(&mut input.time_zone, &f.time_zone);
    let set_opt = |target: &mut Option<String>, value: &Option<String>| {
        if value.is_some() {
            target.clone_from(value);
        }
    };
    set_opt(&mut input.description, &f.description);
    set_opt(&mut input.message, &f.message);
    set_opt(&mut input.disabled_message, &f.disabled_message);
    set_opt(&mut input.group, &f.group);
    set_opt(&mut input.device_id, &f.device_id);
    if f.disabled.is_some() {
        input.disabled = f.disabled;
    }
    if f.admin_devices.is_some() {
        input.admin_devices = f.admin_devices;
    }
    if !f.tags.is_empty() {
        let mut tags = BTreeMap::new();
        for tag in &f.tags {
            let (key, value) = input::key_value(tag, "--tag")?;
            tags.insert(key.to_owned(), value.to_owned());
        }
        input.tags = Some(tags.into());
    }
    if !f.privileges.is_empty() {
        input.privileges = Some(f.privileges.clone());
    }
    let now = Utc::now();
    if let Some(from) = &f.from {
        input.from = Some(
            time::parse_time(from, now, Bound::Start)
                .map_err(|e| CliError::usage(format!("--from: {e}")))?,
        );
    }
    if let Some(expires) = &f.expires {
        input.expires = Some(
            time::parse_time(expires, now, Bound::Start)
                .map_err(|e| CliError::usage(format!("--expires: {e}")))?,
        );
    }
    match f.password.as_deref() {
        Some("-") => input.password = Some(Secret::new(input::stdin_line("--password")?)),
        Some(password) => input.password = Some(Secret::new(password)),
        None => {}
    }
    Ok(())
}

/// The operations of `patch`: those of `--json`, then one `add` per `--set`, then one
/// `remove` per `--remove`.
pub fn patch_operations(args: &PatchArgs) -> CliResult<Vec<PatchOperation>> {
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
        let ops = patch_operations(&args).unwrap();
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
        assert!(patch_operations(&bad).is_err());
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
            let e = patch_operations(&args).unwrap_err();
            assert_eq!(e.code, crate::exit::USAGE, "{set:?} {remove:?}");
            let flag = if set.is_empty() { "--remove" } else { "--set" };
            assert!(e.message.starts_with(flag), "{}", e.message);
        }
        assert_eq!(pointer("tags/a~1b").unwrap(), "/tags/a~1b");
        assert_eq!(pointer(" /name ").unwrap(), "/name");
        assert!(check_pointer("name").is_err());
    }

    #[test]
    fn flags_change_only_what_they_name() {
        let mut input = GroupInput::new("North").description("keep").device("d1");
        apply_group_fields(
            &mut input,
            &GroupFields {
                name: Some("South".into()),
                ..Default::default()
            },
        );
        assert_eq!(input.name, "South");
        assert_eq!(input.description.as_deref(), Some("keep"));
        assert_eq!(input.devices, Some(vec!["d1".to_owned()]));

        let mut user = UserInput::new("Ana", "ana@example.com", "CO", "America/Bogota");
        let fields = UserFields {
            time_zone: Some("Europe/Madrid".into()),
            tags: vec!["team=north".into()],
            expires: Some("2030-01-01".into()),
            ..Default::default()
        };
        apply_user_fields(&mut user, &fields).unwrap();
        assert_eq!(user.time_zone, "Europe/Madrid");
        assert_eq!(user.name, "Ana");
        assert_eq!(user.tags.unwrap()["team"], "north");
        assert_eq!(
            user.expires.unwrap().to_rfc3339(),
            "2030-01-01T00:00:00+00:00"
        );
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
                match patch_operations(&args) {
                    Ok(ops) => {
                        prop_assert_eq!(ops.len(), args.set.len() + args.remove.len());
                        for op in &ops {
                            for path in operation_paths(op) {
                                prop_assert!(check_pointer(path).is_ok(), "{}", path);
                            }
                        }
                    }
                    Err(e) => {
                        prop_assert_eq!(e.code, crate::exit::USAGE);
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
