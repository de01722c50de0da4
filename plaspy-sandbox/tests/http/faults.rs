//! Fault injection: each switch, set at start, by the control routes, or from code.

use std::time::{Duration, Instant};

use plaspy_sandbox::{FaultConfig, SandboxConfig};
use plaspy_types::endpoints::ListDevices;
use plaspy_types::{Endpoint, Error};
use serde_json::json;

use crate::common::{Client, start};

fn sandbox_and_clients() -> (plaspy_sandbox::SandboxHandle, Client, Client) {
    let sandbox = start(SandboxConfig::default());
    let api = Client::demo(&sandbox);
    let control = Client::new(&sandbox);
    (sandbox, api, control)
}

#[test]
fn fail_next_n_with_a_status() {
    let (_sandbox, api, control) = sandbox_and_clients();
    let set = control.post(
        "/_sandbox/faults",
        &json!({"failNext": 2, "failStatus": 500}),
    );
    assert_eq!(set.status, 200);
    assert_eq!(set.json()["failNext"], 2);
    for _ in 0..2 {
        let reply = api.get("/api/devices");
        assert_eq!(reply.status, 500);
        assert_eq!(reply.json()["success"], false);
        assert_eq!(reply.fault.as_deref(), Some("status=500"));
        let err = ListDevices.decode(&reply.http()).unwrap_err();
        assert_eq!(err.status(), Some(500));
    }
    assert_eq!(api.get("/api/devices").status, 200);
    assert_eq!(control.get("/_sandbox/faults").json()["failNext"], 0);

    // 503 by default, with Retry-After.
    control.post(
        "/_sandbox/faults",
        &json!({"failNext": 1, "failStatus": 503}),
    );
    let unavailable = api.get("/api/groups");
    assert_eq!(unavailable.status, 503);
    assert_eq!(unavailable.retry_after.as_deref(), Some("1"));
    // Control routes are never faulted.
    control.post("/_sandbox/faults", &json!({"failNext": 5}));
    assert_eq!(control.get("/_sandbox/faults").status, 200);
    assert_eq!(control.delete("/_sandbox/faults").json()["failNext"], 0);
    assert_eq!(api.get("/api/devices").status, 200);
}

#[test]
fn html_502_pages() {
    let (_sandbox, api, control) = sandbox_and_clients();
    control.post("/_sandbox/faults", &json!({"html502Next": 1}));
    let reply = api.get("/api/devices");
    assert_eq!(reply.status, 502);
    assert_eq!(reply.content_type.as_deref(), Some("text/html"));
    assert!(reply.body.contains("502 Bad Gateway"));
    assert_eq!(reply.fault.as_deref(), Some("html-502"));
    match ListDevices.decode(&reply.http()).unwrap_err() {
        Error::Http {
            status, excerpt, ..
        } => {
            assert_eq!(status, 502);
            assert!(excerpt.contains("Bad Gateway"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(api.get("/api/devices").status, 200);
}

#[test]
fn truncated_bodies() {
    let (_sandbox, api, control) = sandbox_and_clients();
    let whole = api.get("/api/devices");
    control.post("/_sandbox/faults", &json!({"truncateNext": 1}));
    let cut = api.get("/api/devices");
    assert_eq!(cut.status, 200);
    assert_eq!(cut.fault.as_deref(), Some("truncated"));
    assert!(cut.body.len() < whole.body.len());
    assert!(serde_json::from_str::<serde_json::Value>(&cut.body).is_err());
    assert!(matches!(
        ListDevices.decode(&cut.http()),
        Err(Error::Decode { .. })
    ));
    assert_eq!(
        api.get("/api/devices").json()["devices"],
        whole.json()["devices"],
        "only one answer is cut"
    );
}

#[test]
fn random_rates_and_latency() {
    let (_sandbox, api, control) = sandbox_and_clients();
    control.post("/_sandbox/faults", &json!({"errorRate": 1.0}));
    for _ in 0..6 {
        let status = api.get("/api/devices").status;
        assert!(status == 500 || status == 503, "{status}");
    }
    control.post(
        "/_sandbox/faults",
        &json!({"errorRate": 0.0, "html502Rate": 1.0}),
    );
    assert_eq!(api.get("/api/devices").status, 502);
    control.post(
        "/_sandbox/faults",
        &json!({"html502Rate": 0.0, "truncateRate": 1.0}),
    );
    assert_eq!(api.get("/api/devices").fault.as_deref(), Some("truncated"));
    control.delete("/_sandbox/faults");

    control.post("/_sandbox/faults", &json!({"latencyMs": 150}));
    let started = Instant::now();
    let slow = api.get("/api/devices");
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(slow.status, 200);
    assert_eq!(slow.fault.as_deref(), Some("latency=150ms"));
    control.delete("/_sandbox/faults");
    assert_eq!(api.get("/api/devices").fault, None);

    for bad in [
        json!({"errorRate": 1.5}),
        json!({"failStatus": 200}),
        json!({"latency": 5}),
    ] {
        assert_eq!(control.post("/_sandbox/faults", &bad).status, 400, "{bad}");
    }
}

#[test]
fn expire_every_token_now() {
    let (_sandbox, mut api, control) = sandbox_and_clients();
    assert_eq!(api.get("/api/devices").status, 200);
    let expired = control.send("POST", "/_sandbox/expire-tokens", None);
    assert_eq!(expired.status, 200);
    assert_eq!(expired.json()["expiredTokens"], 1);
    let refused = api.get("/api/devices");
    assert_eq!(refused.status, 401);
    assert_eq!(refused.error(), "The token has expired");
    api.login("demo", "demo-key");
    assert_eq!(api.get("/api/devices").status, 200);
    // The same one-shot through the faults route.
    let set = control.post("/_sandbox/faults", &json!({"expireTokens": true}));
    assert_eq!(set.json()["expiredTokens"], 1);
    assert_eq!(api.get("/api/devices").status, 401);
}

#[test]
fn faults_from_the_config_and_from_code() {
    let sandbox = start(SandboxConfig {
        faults: FaultConfig {
            fail_next: 1,
            fail_status: 503,
            ..FaultConfig::none()
        },
        ..SandboxConfig::default()
    });
    let mut api = Client::new(&sandbox);
    assert_eq!(api.login("demo", "demo-key").status, 503);
    assert_eq!(api.login("demo", "demo-key").status, 200);

    sandbox
        .control()
        .set_faults(FaultConfig {
            html_502_next: 1,
            ..FaultConfig::none()
        })
        .unwrap();
    assert_eq!(api.get("/api/devices").status, 502);
    assert!(sandbox.control().faults().is_off());
    assert_eq!(sandbox.control().expire_tokens(), 1);
    assert_eq!(api.get("/api/devices").status, 401);
    let invalid = FaultConfig {
        truncate_rate: -1.0,
        ..FaultConfig::none()
    };
    assert!(sandbox.control().set_faults(invalid).is_err());
}
