//! Users: CRUD, JSON Patch, validation; the reference lists.

use std::time::Duration;

use plaspy_sandbox::SandboxConfig;
use plaspy_types::endpoints::{CreateUser, ListCountries, ListTimeZones, ListUsers, PatchUser};
use plaspy_types::{Endpoint, Error, PatchOperation, UserInput};
use serde_json::{Value, json};

use crate::common::{Client, clock, sandbox_at, start};

pub fn user_body(name: &str, email: &str) -> Value {
    json!({"name": name, "email": email, "country": "CO", "timeZone": "America/Bogota", "password": "s3cret!"})
}

#[test]
fn users_crud_and_validation() {
    let clock = clock();
    let sandbox = sandbox_at(&clock);
    let client = Client::demo(&sandbox);
    let seeded = ListUsers::default()
        .decode(&client.get("/api/users").http())
        .unwrap()
        .value;
    assert!(seeded.len() >= 3);
    let listed = client.get("/api/users").json();
    assert!(
        listed["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["password"].is_null())
    );

    let created = client.post("/api/users", &user_body("Nina Díaz", "nina@example.com"));
    assert_eq!(created.status, 201, "{}", created.body);
    assert!(!created.body.contains("s3cret"));
    let json = created.json();
    assert!(json["password"].is_null());
    assert_eq!(json["creation"], "2025-03-04T15:00:00Z");
    assert_eq!(json["modification"], "2025-03-04T15:00:00Z");
    let input = UserInput::new("Nina Díaz", "nina@example.com", "CO", "America/Bogota");
    let user = CreateUser::new(&input)
        .decode(&created.http())
        .unwrap()
        .value;
    let path = format!("/api/users/{}", user.id());
    assert_eq!(client.get(&path).json()["email"], "nina@example.com");

    // Duplicate e-mail (any case): 409, on create, replace and patch.
    let dup = client.post("/api/users", &user_body("Other", "NINA@example.com"));
    assert_eq!(dup.status, 409);
    assert!(matches!(
        CreateUser::new(&input).decode(&dup.http()),
        Err(Error::Conflict { .. })
    ));
    let seeded_email = seeded[0].email.clone();
    assert_eq!(
        client.put(&path, &user_body("Nina", &seeded_email)).status,
        409
    );
    let patch_dup = client.patch(
        &path,
        &json!([{"op": "replace", "path": "/email", "value": seeded_email}]),
    );
    assert_eq!(patch_dup.status, 409);
    // Re-saving one's own address is fine.
    clock.advance(Duration::from_secs(30));
    let own = client.put(&path, &user_body("Nina D.", "nina@example.com"));
    assert_eq!(own.status, 200, "{}", own.body);
    assert_eq!(own.json()["name"], "Nina D.");
    assert_eq!(own.json()["creation"], "2025-03-04T15:00:00Z");
    assert_eq!(own.json()["modification"], "2025-03-04T15:00:30Z");

    for (field, bad) in [
        ("name", ""),
        ("email", "not-an-email"),
        ("country", ""),
        ("timeZone", " "),
    ] {
        let mut body = user_body("Valid", "valid@example.com");
        body[field] = json!(bad);
        let reply = client.post("/api/users", &body);
        assert_eq!(reply.status, 400, "{field}");
    }
    let missing = client.post("/api/users", &json!({"name": "No email"}));
    assert_eq!(missing.status, 400);
    let text = client.send("POST", "/api/users", Some(("text/plain", b"hi".to_vec())));
    assert_eq!(text.status, 415);
    for method in ["GET", "DELETE"] {
        assert_eq!(client.send(method, "/api/users/usr-404", None).status, 404);
    }
    assert_eq!(
        client
            .put("/api/users/usr-404", &user_body("A", "a@example.com"))
            .status,
        404
    );
    assert_eq!(client.patch("/api/users/usr-404", &json!([])).status, 404);

    assert_eq!(client.delete(&path).status, 200);
    assert_eq!(client.get(&path).error(), "User not found");
    // The address is free again.
    assert_eq!(
        client
            .post("/api/users", &user_body("Nina", "nina@example.com"))
            .status,
        201
    );
}

#[test]
fn users_json_patch_all_six_ops() {
    let sandbox = start(SandboxConfig::default());
    let client = Client::demo(&sandbox);
    let mut body = user_body("Patch User", "patch@example.com");
    body["tags"] = json!({"shift": "day"});
    body["privileges"] = json!(["devices.read"]);
    let id = client.post("/api/users", &body).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ops = vec![
        PatchOperation::test("/email", json!("patch@example.com")),
        PatchOperation::add("/tags/team", json!("north")),
        PatchOperation::replace("/country", json!("MX")),
        PatchOperation::copy("/tags/shift", "/description"),
        PatchOperation::move_("/tags/team", "/tags/crew"),
        PatchOperation::remove("/privileges/0"),
        PatchOperation::add("/password", json!("new-secret")),
    ];
    let reply = client.patch(
        &format!("/api/users/{id}"),
        &serde_json::to_value(&ops).unwrap(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(!reply.body.contains("secret"));
    let user = PatchUser::new(&id, &ops)
        .decode(&reply.http())
        .unwrap()
        .value;
    assert_eq!(user.country, "MX");
    assert_eq!(user.description.as_deref(), Some("day"));
    let tags = user.tags.unwrap();
    assert_eq!(tags.get("crew"), Some("north"));
    assert!(!tags.contains_key("team"));
    assert_eq!(user.privileges, Some(vec![]));
    assert!(user.password.is_none());

    let failed = client.patch(
        &format!("/api/users/{id}"),
        &json!([{"op": "test", "path": "/country", "value": "CO"}]),
    );
    assert_eq!(failed.status, 409);
    let invalid = client.patch(
        &format!("/api/users/{id}"),
        &json!([{"op": "remove", "path": "/email"}]),
    );
    assert_eq!(invalid.status, 400);
}

#[test]
fn reference_lists() {
    let sandbox = start(SandboxConfig::default());
    let client = Client::demo(&sandbox);
    let countries = ListCountries
        .decode(&client.get("/api/users/countries").http())
        .unwrap()
        .value;
    assert_eq!(countries.get("CO").map(String::as_str), Some("Colombia"));
    assert!(countries.len() > 10);
    let zones = ListTimeZones
        .decode(&client.get("/api/users/timeZones").http())
        .unwrap()
        .value;
    assert!(zones.contains_key("America/Bogota"));
    assert!(client.get("/api/users/timeZones").json()["apiUsage"].is_i64());
}
