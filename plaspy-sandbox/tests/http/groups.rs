//! Groups: CRUD, JSON Patch, validation.

use std::time::Duration;

use plaspy_sandbox::SandboxConfig;
use plaspy_types::endpoints::{CreateGroup, DeleteGroup, GetGroup, ListGroups};
use plaspy_types::{Endpoint, Error, GroupInput, PatchOperation};
use serde_json::json;

use crate::common::{Client, clock, sandbox_at, start, t0};

#[test]
fn groups_crud() {
    let clock = clock();
    let sandbox = sandbox_at(&clock);
    let client = Client::demo(&sandbox);

    let seeded = ListGroups::default()
        .decode(&client.get("/api/groups").http())
        .unwrap()
        .value;
    assert!(seeded.len() >= 3);
    assert!(
        seeded
            .iter()
            .all(|g| !g.devices.as_ref().unwrap().is_empty())
    );

    let input = GroupInput::new("Night shift")
        .description("After 22:00")
        .device("dev-01");
    let created = client.post("/api/groups", &serde_json::to_value(&input).unwrap());
    assert_eq!(created.status, 201);
    let json = created.json();
    assert_eq!(json["success"], true);
    assert!(json["apiUsage"].is_i64());
    let group = CreateGroup::new(&input)
        .decode(&created.http())
        .unwrap()
        .value;
    let id = group.id().to_owned();
    assert_eq!(group.name, "Night shift");
    assert_eq!(group.devices, Some(vec!["dev-01".to_owned()]));
    assert_eq!(group.creation, Some(t0()));
    assert_eq!(group.last_modified, Some(t0()));

    let path = format!("/api/groups/{id}");
    let fetched = GetGroup::new(&id)
        .decode(&client.get(&path).http())
        .unwrap()
        .value;
    assert_eq!(fetched, group);
    let listed = ListGroups::default()
        .decode(&client.get("/api/groups").http())
        .unwrap()
        .value;
    assert_eq!(listed.len(), seeded.len() + 1);

    clock.advance(Duration::from_secs(90));
    let replaced = client.put(
        &path,
        &json!({"name": "Night crew", "devices": ["dev-02"], "color": "blue"}),
    );
    assert_eq!(replaced.status, 200);
    let json = replaced.json();
    assert_eq!(json["id"], id.as_str());
    assert_eq!(json["name"], "Night crew");
    assert!(
        json.get("description").is_none(),
        "PUT replaces the whole group"
    );
    assert!(
        json.get("color").is_none(),
        "unknown properties are ignored, as ASP.NET Core binding ignores them"
    );
    assert_eq!(json["creation"], "2025-03-04T15:00:00Z");
    assert_eq!(json["lastModified"], "2025-03-04T15:01:30Z");

    // Server-set fields cannot be forced.
    let forced = client.put(
        &path,
        &json!({"name": "X", "id": "grp-999", "creation": "2000-01-01T00:00:00Z"}),
    );
    assert_eq!(forced.json()["id"], id.as_str());
    assert_eq!(forced.json()["creation"], "2025-03-04T15:00:00Z");

    let deleted = client.delete(&path);
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.json()["success"], true);
    DeleteGroup::new(&id).decode(&deleted.http()).unwrap();
    let gone = client.get(&path);
    assert_eq!(gone.status, 404);
    assert_eq!(gone.error(), "Group not found");
    assert!(matches!(
        GetGroup::new(&id).decode(&gone.http()),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn groups_validation() {
    let sandbox = start(SandboxConfig::default());
    let client = Client::demo(&sandbox);
    for body in [
        json!({"name": ""}),
        json!({"name": "   "}),
        json!({"description": "no name"}),
        json!({"name": null}),
    ] {
        let reply = client.post("/api/groups", &body);
        assert_eq!(reply.status, 400, "{body}");
        assert!(reply.json()["apiUsage"].is_i64());
    }
    assert_eq!(
        client.put("/api/groups/grp-1", &json!({"name": ""})).status,
        400
    );
    assert_eq!(
        client
            .post("/api/groups", &json!(["not", "an", "object"]))
            .status,
        400
    );
    let broken = client.send(
        "POST",
        "/api/groups",
        Some(("application/json", b"{\"name\": ".to_vec())),
    );
    assert_eq!(broken.status, 400);
    let xml = client.send(
        "POST",
        "/api/groups",
        Some(("application/xml", b"<group/>".to_vec())),
    );
    assert_eq!(xml.status, 415);
    let none = client.send(
        "PUT",
        "/api/groups/grp-1",
        Some(("", b"{\"name\":\"x\"}".to_vec())),
    );
    assert_eq!(none.status, 415);

    for (method, body) in [
        ("GET", None),
        ("PUT", Some(json!({"name": "x"}))),
        ("PATCH", Some(json!([]))),
        ("DELETE", None),
    ] {
        let reply = match body {
            Some(body) => client.json(method, "/api/groups/grp-404", &body),
            None => client.send(method, "/api/groups/grp-404", None),
        };
        assert_eq!(reply.status, 404, "{method}");
        assert_eq!(reply.error(), "Group not found");
    }
}

#[test]
fn groups_json_patch_all_six_ops() {
    let clock = clock();
    let sandbox = sandbox_at(&clock);
    let client = Client::demo(&sandbox);
    let created = client.post(
        "/api/groups",
        &json!({"name": "Patch me", "devices": ["dev-01", "dev-02"]}),
    );
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/groups/{id}");
    clock.advance(Duration::from_secs(60));

    let ops = vec![
        PatchOperation::test("/name", json!("Patch me")),
        PatchOperation::add("/description", json!("added")),
        PatchOperation::replace("/name", json!("Patched")),
        PatchOperation::copy("/devices/0", "/devices/-"),
        PatchOperation::move_("/devices/1", "/devices/0"),
        PatchOperation::remove("/devices/2"),
    ];
    let reply = client.patch(&path, &serde_json::to_value(&ops).unwrap());
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["name"], "Patched");
    assert_eq!(json["description"], "added");
    assert_eq!(json["devices"], json!(["dev-02", "dev-01"]));
    assert_eq!(json["creation"], "2025-03-04T15:00:00Z");
    assert_eq!(json["lastModified"], "2025-03-04T15:01:00Z");
    assert_eq!(client.get(&path).json()["name"], "Patched");

    // A failed test changes nothing: 409.
    let failed = client.patch(&path, &json!([{"op": "replace", "path": "/name", "value": "Nope"}, {"op": "test", "path": "/name", "value": "Other"}]));
    assert_eq!(failed.status, 409, "{}", failed.body);
    assert_eq!(client.get(&path).json()["name"], "Patched");
    // Invalid patches: 400.
    for bad in [
        json!([{"op": "remove", "path": "/missing"}]),
        json!([{"op": "replace", "path": "/name", "value": ""}]),
        json!([{"op": "remove", "path": "/name"}]),
        json!([{"op": "replace", "path": "/id", "value": "grp-1"}]),
        json!([{"op": "jump", "path": "/name"}]),
        json!([{"op": "add", "path": "name", "value": "x"}]),
        json!({"op": "add", "path": "/name", "value": "x"}),
        json!([{"op": "replace", "path": "", "value": 5}]),
    ] {
        let reply = client.patch(&path, &bad);
        assert_eq!(reply.status, 400, "{bad}: {}", reply.body);
    }
    assert_eq!(client.get(&path).json()["name"], "Patched");
    // application/json-patch+json is JSON too.
    let typed = client.send(
        "PATCH",
        &path,
        Some((
            "application/json-patch+json",
            br#"[{"op":"add","path":"/devices/-","value":"dev-09"}]"#.to_vec(),
        )),
    );
    assert_eq!(typed.status, 200, "{}", typed.body);
    assert_eq!(
        typed.json()["devices"],
        json!(["dev-02", "dev-01", "dev-09"])
    );
}
