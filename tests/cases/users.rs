//! The eight user endpoints (#14–#21): the six CRUD ones, countries and time zones.

use plaspy_types::{PatchOperation, Secret, User, UserInput};

use crate::support::*;
use crate::{case, maybe};

fn assert_ana(user: &User, id: &str) {
    assert_eq!(user.id(), id);
    assert_eq!(user.name, "Ana Gómez");
    assert_eq!(user.email, "ana@example.com");
    assert_eq!(user.country, "CO");
    assert_eq!(user.time_zone, "America/Bogota");
    assert_eq!(user.disabled, Some(false));
    assert_eq!(user.privileges, Some(vec!["devices.read".to_owned()]));
    assert_eq!(user.password, None);
    assert_eq!(user.creation, Some(at("2024-01-01T00:00:00Z")));
    assert_eq!(user.last_login, Some(at("2024-06-01T12:00:00Z")));
}

fn input() -> UserInput {
    let mut input = UserInput::new("Ana Gómez", "ana@example.com", "CO", "America/Bogota");
    input.privileges = Some(vec!["devices.read".to_owned()]);
    input.password = Some(Secret::new("initial-pass"));
    input
}

fn input_json() -> serde_json::Value {
    json!({
        "name": "Ana Gómez",
        "email": "ana@example.com",
        "country": "CO",
        "timeZone": "America/Bogota",
        "privileges": ["devices.read"],
        "password": "initial-pass"
    })
}

#[maybe]
#[case]
async fn list_users() {
    let server = start_server().await;
    token_mock(&server).await;
    let list = mock(&server, |when, then| {
        api(when, GET, "/api/users");
        ok(
            then,
            json!({"success": true, "users": [user_json("usr-1")]}),
        );
    })
    .await;

    let result = client(&server).users().list().await;
    assert_calls(&list, 1).await;
    let users = result.unwrap();
    assert_eq!(users.len(), 1);
    assert_ana(&users[0], "usr-1");
}

#[maybe]
#[case]
async fn get_user() {
    let server = start_server().await;
    token_mock(&server).await;
    let get = mock(&server, |when, then| {
        api(when, GET, &format!("/api/users/{ODD_ID_ENCODED}"));
        ok(then, flattened(user_json(ODD_ID)));
    })
    .await;

    let result = client(&server).users().get(ODD_ID).await;
    assert_calls(&get, 1).await;
    assert_ana(&result.unwrap(), ODD_ID);
}

#[maybe]
#[case]
async fn create_user() {
    let server = start_server().await;
    token_mock(&server).await;
    let create = mock(&server, |when, then| {
        api_json(when, POST, "/api/users", input_json());
        reply(then, 201, flattened(user_json("usr-2")));
    })
    .await;

    let result = client(&server).users().create(&input()).await;
    assert_calls(&create, 1).await;
    assert_ana(&result.unwrap(), "usr-2");
}

#[maybe]
#[case]
async fn update_user() {
    let server = start_server().await;
    token_mock(&server).await;
    let update = mock(&server, |when, then| {
        api_json(
            when,
            PUT,
            &format!("/api/users/{ODD_ID_ENCODED}"),
            input_json(),
        );
        ok(then, flattened(user_json(ODD_ID)));
    })
    .await;

    let result = client(&server).users().update(ODD_ID, &input()).await;
    assert_calls(&update, 1).await;
    assert_ana(&result.unwrap(), ODD_ID);
}

#[maybe]
#[case]
async fn patch_user() {
    let server = start_server().await;
    token_mock(&server).await;
    let patch = mock(&server, |when, then| {
        let body = json!([
            {"op": "test", "path": "/disabled", "value": false},
            {"op": "replace", "path": "/disabled", "value": true},
            {"op": "copy", "from": "/email", "path": "/description"},
            {"op": "move", "from": "/message", "path": "/disabledMessage"}
        ]);
        api_json(when, PATCH, &format!("/api/users/{ODD_ID_ENCODED}"), body);
        let mut user = user_json(ODD_ID);
        user["disabled"] = json!(true);
        ok(then, flattened(user));
    })
    .await;

    let operations = [
        PatchOperation::test("/disabled", json!(false)),
        PatchOperation::replace("/disabled", json!(true)),
        PatchOperation::copy("/email", "/description"),
        PatchOperation::move_("/message", "/disabledMessage"),
    ];
    let result = client(&server).users().patch(ODD_ID, &operations).await;
    assert_calls(&patch, 1).await;
    let user = result.unwrap();
    assert_eq!((user.id(), user.disabled), (ODD_ID, Some(true)));
}

#[maybe]
#[case]
async fn delete_user() {
    let server = start_server().await;
    token_mock(&server).await;
    let delete = mock(&server, |when, then| {
        api(when, DELETE, "/api/users/usr-1");
        ok(then, json!({"success": true, "apiUsage": 5}));
    })
    .await;

    let result = client(&server).users().delete("usr-1").await;
    assert_calls(&delete, 1).await;
    result.unwrap();
}

#[maybe]
#[case]
async fn countries() {
    let server = start_server().await;
    token_mock(&server).await;
    let countries = mock(&server, |when, then| {
        api(when, GET, "/api/users/countries");
        ok(
            then,
            json!({"success": true, "countries": {"CO": "Colombia", "MX": "México"}}),
        );
    })
    .await;

    let result = client(&server).users().countries().await;
    assert_calls(&countries, 1).await;
    let countries = result.unwrap();
    assert_eq!(countries.len(), 2);
    assert_eq!(countries["CO"], "Colombia");
    assert_eq!(countries["MX"], "México");
}

#[maybe]
#[case]
async fn time_zones() {
    let server = start_server().await;
    token_mock(&server).await;
    let zones = mock(&server, |when, then| {
        api(when, GET, "/api/users/timeZones");
        let body = json!({"success": true, "timeZones": {"America/Bogota": "(UTC-05:00) Bogota"}});
        ok(then, body);
    })
    .await;

    let result = client(&server).users().time_zones().await;
    assert_calls(&zones, 1).await;
    let zones = result.unwrap();
    assert_eq!(zones.len(), 1);
    assert_eq!(zones["America/Bogota"], "(UTC-05:00) Bogota");
}
