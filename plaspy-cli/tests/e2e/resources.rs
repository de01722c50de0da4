//! `groups` and `users`: create, update (read-modify-write and --json), patch, delete.

use std::io::Write;

use plaspy_blocking::{Group, User};

use crate::common::{Env, assert_success, code, text};

#[test]
fn groups_from_create_to_delete() {
    let env = Env::new();
    let created: Group = env.json(&[
        "groups",
        "create",
        "--name",
        "Night shift",
        "--description",
        "Trucks at night",
        "--device",
        "dev-01",
        "--device",
        "dev-02",
    ]);
    let id = created.id().to_owned();
    assert!(!id.is_empty());
    assert_eq!(created.name, "Night shift");
    assert_eq!(
        created.devices.as_deref(),
        Some(&["dev-01".to_owned(), "dev-02".to_owned()][..])
    );
    let fetched: Group = env.json(&["groups", "get", &id]);
    assert_eq!(fetched.name, "Night shift");

    // Read-modify-write: only the description changes.
    let updated: Group = env.json(&["groups", "update", &id, "--description", "Renamed shift"]);
    assert_eq!(updated.name, "Night shift");
    assert_eq!(updated.description.as_deref(), Some("Renamed shift"));
    assert_eq!(updated.devices, created.devices);

    let updated: Group = env.json(&[
        "groups",
        "update",
        &id,
        "--add-device",
        "dev-03",
        "--remove-device",
        "dev-01",
    ]);
    assert_eq!(
        updated.devices.as_deref(),
        Some(&["dev-02".to_owned(), "dev-03".to_owned()][..])
    );

    // --json from stdin replaces the group; flags override its fields.
    let replaced: Group = {
        let out = env
            .cmd()
            .args([
                "groups",
                "update",
                &id,
                "--json",
                "-",
                "--description",
                "From flags",
            ])
            .write_stdin(r#"{"name": "From JSON", "description": "x", "devices": ["dev-04"]}"#)
            .output()
            .unwrap();
        assert_success(&out, &["groups", "update", "--json", "-"]);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(replaced.name, "From JSON");
    assert_eq!(replaced.description.as_deref(), Some("From flags"));
    assert_eq!(
        replaced.devices.as_deref(),
        Some(&["dev-04".to_owned()][..])
    );

    let patched: Group = env.json(&[
        "groups",
        "patch",
        &id,
        "--set",
        "name=Patched",
        "--remove",
        "description",
    ]);
    assert_eq!(patched.name, "Patched");
    assert_eq!(patched.description, None);

    let dir = tempfile::tempdir().unwrap();
    let ops = dir.path().join("ops.json");
    std::fs::File::create(&ops)
        .unwrap()
        .write_all(br#"[{"op": "replace", "path": "/name", "value": "From a file"}]"#)
        .unwrap();
    let patched: Group = env.json(&["groups", "patch", &id, "--json", ops.to_str().unwrap()]);
    assert_eq!(patched.name, "From a file");

    let out = env.run(&["groups", "delete", &id]);
    assert_success(&out, &["groups", "delete"]);
    assert!(out.stdout.is_empty());
    let out = env.run(&["groups", "get", &id]);
    assert_eq!(code(&out), 4, "{}", text(&out.stderr));
}

#[test]
fn group_input_is_checked_locally() {
    let env = Env::new();
    let out = env.run(&["groups", "create", "--description", "no name"]);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("--name"),
        "{}",
        text(&out.stderr)
    );
    let out = env.run(&["groups", "update", "grp-1"]);
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("nothing to change"));
    let out = env.run(&["groups", "patch", "grp-1", "--set", "novalue"]);
    assert_eq!(code(&out), 2);
    let out = env
        .cmd()
        .args(["groups", "create", "--json", "-"])
        .write_stdin("{not json")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("--json"));
}

#[test]
fn users_from_create_to_delete() {
    let env = Env::new();
    let created: User = {
        let out = env
            .cmd()
            .args([
                "users",
                "create",
                "--name",
                "Ana Ruiz",
                "--email",
                "ana.ruiz@example.com",
                "--country",
                "CO",
                "--time-zone",
                "America/Bogota",
                "--tag",
                "team=north",
                "--password",
                "-",
            ])
            .write_stdin("correct horse battery staple\n")
            .output()
            .unwrap();
        assert_success(&out, &["users", "create"]);
        assert!(
            !text(&out.stdout).contains("correct horse"),
            "the password is never printed"
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let id = created.id().to_owned();
    assert_eq!(created.email, "ana.ruiz@example.com");
    assert_eq!(created.password, None);
    assert_eq!(created.tags.as_ref().unwrap()["team"], "north");

    let updated: User = env.json(&[
        "users",
        "update",
        &id,
        "--time-zone",
        "Europe/Madrid",
        "--disabled",
        "true",
    ]);
    assert_eq!(updated.time_zone, "Europe/Madrid");
    assert_eq!(updated.name, "Ana Ruiz");
    assert_eq!(updated.disabled, Some(true));
    assert_eq!(updated.tags, created.tags);

    let patched: User = env.json(&[
        "users",
        "patch",
        &id,
        "--set",
        "disabled=false",
        "--set",
        "description=Dispatcher",
    ]);
    assert_eq!(patched.disabled, Some(false));
    assert_eq!(patched.description.as_deref(), Some("Dispatcher"));

    let got: User = env.json(&["users", "get", &id]);
    assert_eq!(got.description.as_deref(), Some("Dispatcher"));
    assert_success(&env.run(&["users", "delete", &id]), &["users", "delete"]);
    assert_eq!(code(&env.run(&["users", "get", &id])), 4);

    let out = env.run(&["users", "create", "--name", "No mail"]);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
}
