//! The six group endpoints (#8–#13): list, get, create, update, patch, delete.

use plaspy_types::{Group, GroupInput, PatchOperation};

use crate::support::*;
use crate::{case, maybe};

fn assert_north_depot(group: &Group, id: &str) {
    assert_eq!(group.id(), id);
    assert_eq!(group.name, "North depot");
    assert_eq!(group.description.as_deref(), Some("Trucks based north"));
    assert_eq!(
        group.devices,
        Some(vec!["dev-1".to_owned(), "dev-2".to_owned()])
    );
    assert_eq!(group.creation, Some(at("2024-01-01T00:00:00Z")));
    assert_eq!(group.last_modified, Some(at("2024-02-01T10:30:00Z")));
}

fn input() -> GroupInput {
    GroupInput::new("North depot")
        .description("Trucks based north")
        .device("dev-1")
        .device("dev-2")
}

fn input_json() -> serde_json::Value {
    json!({
        "name": "North depot",
        "description": "Trucks based north",
        "devices": ["dev-1", "dev-2"]
    })
}

#[maybe]
#[case]
async fn list_groups() {
    let server = start_server().await;
    token_mock(&server).await;
    let list = mock(&server, |when, then| {
        api(when, GET, "/api/groups");
        let groups = [
            group_json("grp-1", "North depot"),
            json!({"id": 7, "name": "South"}),
        ];
        let body = json!({"success": true, "groups": groups});
        ok(then, body);
    })
    .await;

    let result = client(&server).groups().list().await;
    assert_calls(&list, 1).await;
    let groups = result.unwrap();
    assert_eq!(groups.len(), 2);
    assert_north_depot(&groups[0], "grp-1");
    assert_eq!((groups[1].id(), groups[1].name.as_str()), ("7", "South"));
}

#[maybe]
#[case]
async fn get_group() {
    let server = start_server().await;
    token_mock(&server).await;
    let get = mock(&server, |when, then| {
        api(when, GET, &format!("/api/groups/{ODD_ID_ENCODED}"));
        ok(then, flattened(group_json(ODD_ID, "North depot")));
    })
    .await;

    let result = client(&server).groups().get(ODD_ID).await;
    assert_calls(&get, 1).await;
    assert_north_depot(&result.unwrap(), ODD_ID);
}

#[maybe]
#[case]
async fn create_group() {
    let server = start_server().await;
    token_mock(&server).await;
    let create = mock(&server, |when, then| {
        api_json(when, POST, "/api/groups", input_json());
        reply(then, 201, flattened(group_json("grp-9", "North depot")));
    })
    .await;

    let result = client(&server).groups().create(&input()).await;
    assert_calls(&create, 1).await;
    assert_north_depot(&result.unwrap(), "grp-9");
}

#[maybe]
#[case]
async fn update_group() {
    let server = start_server().await;
    token_mock(&server).await;
    let update = mock(&server, |when, then| {
        api_json(
            when,
            PUT,
            &format!("/api/groups/{ODD_ID_ENCODED}"),
            input_json(),
        );
        ok(then, flattened(group_json(ODD_ID, "North depot")));
    })
    .await;

    let result = client(&server).groups().update(ODD_ID, &input()).await;
    assert_calls(&update, 1).await;
    assert_north_depot(&result.unwrap(), ODD_ID);
}

#[maybe]
#[case]
async fn patch_group() {
    let server = start_server().await;
    token_mock(&server).await;
    let patch = mock(&server, |when, then| {
        let body = json!([
            {"op": "replace", "path": "/name", "value": "Night shift"},
            {"op": "remove", "path": "/description"},
            {"op": "add", "path": "/devices/-", "value": "dev-3"}
        ]);
        api_json(when, PATCH, "/api/groups/grp-1", body);
        ok(
            then,
            json!({"success": true, "id": "grp-1", "name": "Night shift", "devices": ["dev-3"]}),
        );
    })
    .await;

    let operations = [
        PatchOperation::replace("/name", json!("Night shift")),
        PatchOperation::remove("/description"),
        PatchOperation::add("/devices/-", json!("dev-3")),
    ];
    let result = client(&server).groups().patch("grp-1", &operations).await;
    assert_calls(&patch, 1).await;
    let group = result.unwrap();
    assert_eq!((group.id(), group.name.as_str()), ("grp-1", "Night shift"));
    assert_eq!(group.description, None);
    assert_eq!(group.devices, Some(vec!["dev-3".to_owned()]));
}

#[maybe]
#[case]
async fn delete_group() {
    let server = start_server().await;
    token_mock(&server).await;
    let delete = mock(&server, |when, then| {
        api(when, DELETE, &format!("/api/groups/{ODD_ID_ENCODED}"));
        ok(then, json!({"success": true}));
    })
    .await;

    let result = client(&server).groups().delete(ODD_ID).await;
    assert_calls(&delete, 1).await;
    result.unwrap();
}
