//! Tokens, credentials, accounts.

use std::sync::Arc;
use std::time::Duration;

use plaspy_sandbox::{Account, DEMO_API_KEY, DEMO_USERNAME, SandboxConfig};
use plaspy_types::endpoints::{ListDevices, RequestToken};
use plaspy_types::{Credentials, Endpoint, Error};
use serde_json::json;

use crate::common::{Client, clock, sandbox_at, start, t0};

#[test]
fn token_response_is_flattened_and_jwt_shaped() {
    let clock = clock();
    let sandbox = sandbox_at(&clock);
    let mut client = Client::new(&sandbox);
    let reply = client.login(DEMO_USERNAME, DEMO_API_KEY);
    assert_eq!(reply.status, 200);
    let json = reply.json();
    assert_eq!(json["success"], true);
    assert_eq!(json["apiUsage"], 1);
    assert_eq!(json["apiDailyUsage"], 1);
    let token = json["token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3);
    assert!(token.split('.').all(|p| !p.is_empty() && !p.contains('=')));

    let credentials = Credentials::new(DEMO_USERNAME, DEMO_API_KEY);
    let decoded = RequestToken {
        credentials: &credentials,
    }
    .decode(&reply.http())
    .unwrap();
    assert_eq!(
        decoded.value.expires,
        Some(t0() + Duration::from_secs(3600))
    );
    assert_eq!(decoded.value.token.expose(), token);

    // The `Date` header follows the sandbox's clock.
    let date = reply.date.unwrap();
    assert_eq!(httpdate::parse_http_date(&date).unwrap(), t0().into());

    let devices = client.get("/api/devices");
    assert_eq!(devices.status, 200);
    assert_eq!(devices.json()["apiUsage"], 2);
}

#[test]
fn bad_credentials_are_refused_with_401() {
    let sandbox = start(SandboxConfig::default());
    let mut client = Client::new(&sandbox);
    for (user, key) in [("demo", "wrong"), ("nobody", DEMO_API_KEY), ("demo", "")] {
        let reply = client.login(user, key);
        assert_eq!(reply.status, 401, "{user}/{key}");
        assert_eq!(reply.error(), "Invalid API key or username.");
    }
    let credentials = Credentials::new("demo", "wrong");
    let err = RequestToken {
        credentials: &credentials,
    }
    .decode(&client.login("demo", "wrong").http())
    .unwrap_err();
    assert!(matches!(err, Error::BadCredentials { .. }), "{err:?}");

    // User names are matched case-insensitively, keys exactly.
    assert_eq!(client.login("DEMO", DEMO_API_KEY).status, 200);
    assert_eq!(client.login("demo", "DEMO-KEY").status, 401);

    let missing = client.post("/api/Auth/Token", &json!({"userName": "demo"}));
    assert_eq!(missing.status, 400);
    assert!(missing.error().contains("apiKey"), "{}", missing.body);
    let text = client.send(
        "POST",
        "/api/Auth/Token",
        Some(("text/plain", b"demo".to_vec())),
    );
    assert_eq!(text.status, 415);
    let broken = client.send(
        "POST",
        "/api/Auth/Token",
        Some(("application/json", b"{\"userName\":".to_vec())),
    );
    assert_eq!(broken.status, 400);
}

#[test]
fn missing_malformed_unknown_and_expired_tokens_get_401() {
    let clock = clock();
    let sandbox = start(SandboxConfig {
        clock: Arc::new(clock.clone()),
        token_lifetime: Duration::from_secs(60),
        ..SandboxConfig::default()
    });
    let mut client = Client::new(&sandbox);

    let none = client.get("/api/devices");
    assert_eq!(none.status, 401);
    assert!(none.error().contains("Missing Authorization"));
    assert!(
        none.www_authenticate
            .as_deref()
            .unwrap()
            .starts_with("Bearer")
    );
    let err = ListDevices.decode(&none.http()).unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");

    for bad in ["abc", "a.b", "a.b.c", "e30.e30.", "...", "x.y.z.w"] {
        client.token = Some(bad.into());
        let reply = client.get("/api/devices");
        assert_eq!(reply.status, 401, "{bad}");
        assert!(reply.error().contains("Malformed"), "{bad}: {}", reply.body);
    }
    // Well-formed, but never issued.
    client.token = Some("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2ln".into());
    let forged = client.get("/api/devices");
    assert_eq!(forged.status, 401);
    assert_eq!(forged.error(), "Invalid token");

    client.login(DEMO_USERNAME, DEMO_API_KEY);
    assert_eq!(client.get("/api/devices").status, 200);
    clock.advance(Duration::from_secs(59));
    assert_eq!(client.get("/api/devices").status, 200);
    clock.advance(Duration::from_secs(1));
    let expired = client.get("/api/devices");
    assert_eq!(expired.status, 401);
    assert_eq!(expired.error(), "The token has expired");
    assert_eq!(client.login(DEMO_USERNAME, DEMO_API_KEY).status, 200);
    assert_eq!(client.get("/api/devices").status, 200);
}

#[test]
fn every_account_has_its_own_data() {
    let sandbox = start(SandboxConfig {
        accounts: vec![Account::demo(), Account::new("acme", "acme-key")],
        ..SandboxConfig::default()
    });
    let demo = Client::demo(&sandbox);
    let mut acme = Client::new(&sandbox);
    assert_eq!(acme.login("acme", "acme-key").status, 200);
    assert_eq!(acme.login("acme", DEMO_API_KEY).status, 401);
    acme.login("acme", "acme-key");

    let created = acme.post("/api/groups", &json!({"name": "Acme only"}));
    assert_eq!(created.status, 201);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(demo.get(&format!("/api/groups/{id}")).status, 404);
    assert_eq!(acme.get(&format!("/api/groups/{id}")).status, 200);

    let names = |c: &Client| c.get("/api/devices").json()["devices"].clone();
    assert_ne!(names(&demo), names(&acme));
    // Counters are per account.
    assert_eq!(acme.get("/api/devices").json()["apiUsage"], 6);
    assert_eq!(demo.get("/api/devices").json()["apiUsage"], 4);
}
