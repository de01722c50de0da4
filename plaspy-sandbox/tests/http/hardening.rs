//! Hostile and careless clients: patch bombs, clock abuse, slow and numerous connections,
//! unbounded state.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use plaspy_sandbox::SandboxConfig;
use serde_json::json;

use crate::common::{Client, clock, sandbox_at, start, t0};

#[test]
fn patch_bombs_and_long_patches_are_refused() {
    let sandbox = start(SandboxConfig::default());
    let client = Client::demo(&sandbox);
    let before = client.get("/api/groups/grp-1").json();
    // An `add` then `copy` after `copy`: each doubles the document.
    let mut bomb = vec![json!({"op": "add", "path": "/x", "value": ["a".repeat(1_300)]})];
    for _ in 0..26 {
        bomb.push(json!({"op": "copy", "from": "/x", "path": "/x/-"}));
    }
    let bomb: Vec<_> = bomb
        .into_iter()
        .enumerate()
        .map(|(i, mut op)| {
            if i > 0 {
                // Copy the whole array into itself: /x/- appends.
                op["from"] = json!("/x");
            }
            op
        })
        .collect();
    let refused = client.patch("/api/groups/grp-1", &json!(bomb));
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.error().contains("size limit of 65536 bytes"),
        "{}",
        refused.body
    );
    let too_many: Vec<_> = (0..101)
        .map(|i| json!({"op": "replace", "path": "/description", "value": format!("v{i}")}))
        .collect();
    let refused = client.patch("/api/groups/grp-1", &json!(too_many));
    assert_eq!(refused.status, 400);
    assert!(
        refused.error().contains("101 operations: the limit is 100"),
        "{}",
        refused.body
    );
    let refused = client.patch("/api/users/usr-1", &json!(too_many));
    assert_eq!(refused.status, 400);
    // Nothing was applied, and the sandbox still answers.
    assert_eq!(
        client.get("/api/groups/grp-1").json()["description"],
        before["description"]
    );
    let fine = client.patch(
        "/api/groups/grp-1",
        &json!([{"op": "replace", "path": "/description", "value": "ok"}]),
    );
    assert_eq!(fine.status, 200, "{}", fine.body);
}

#[test]
fn clock_moves_are_validated_and_reset_restores_the_clock() {
    let clock = clock();
    let sandbox = sandbox_at(&clock);
    let control = Client::new(&sandbox);
    for seconds in [253_402_300_800_i64, i64::MAX, i64::MIN, -2_000_000_000] {
        let refused = control.post("/_sandbox/time", &json!({"advanceSeconds": seconds}));
        assert_eq!(refused.status, 400, "{seconds}: {}", refused.body);
        assert!(
            refused.error().contains("Cannot move the clock"),
            "{}",
            refused.body
        );
    }
    assert!(sandbox.control().try_advance_clock(i64::MAX).is_err());
    sandbox.control().advance_clock(i64::MAX); // ignored, no panic
    assert_eq!(sandbox.control().now(), t0());
    let api = Client::demo(&sandbox);
    assert_eq!(api.get("/api/devices").status, 200);
    let moved = control.post("/_sandbox/time", &json!({"advanceSeconds": 86_400}));
    assert_eq!(moved.json()["offsetSeconds"], 86_400);
    assert_eq!(control.send("POST", "/_sandbox/reset", None).status, 200);
    let time = control.get("/_sandbox/time").json();
    assert_eq!(
        (time["now"].as_str(), time["offsetSeconds"].as_i64()),
        (Some("2025-03-04T15:00:00Z"), Some(0))
    );
    assert_eq!(api.get("/api/devices").status, 200);
}

#[test]
fn stored_objects_are_capped_in_number_and_size() {
    let sandbox = start(SandboxConfig {
        max_objects: 6,
        max_object_bytes: 2_000,
        ..SandboxConfig::default()
    });
    let client = Client::demo(&sandbox);
    let big = json!({"name": "Big", "description": "x".repeat(5_000)});
    let refused = client.post("/api/groups", &big);
    assert_eq!(refused.status, 400);
    assert!(
        refused.error().contains("size limit is 2000 bytes"),
        "{}",
        refused.body
    );
    assert_eq!(client.put("/api/groups/grp-1", &big).status, 400);
    let user = |n: usize, tag: &str| {
        json!({"name": format!("U{n}"), "email": format!("u{n}@example.com"), "country": "CO",
               "timeZone": "America/Bogota", "tags": {"t": tag}})
    };
    assert_eq!(
        client
            .post("/api/users", &user(0, &"y".repeat(3_000)))
            .status,
        400
    );
    let grow = json!([{"op": "add", "path": "/description", "value": "z".repeat(3_000)}]);
    let refused = client.patch("/api/groups/grp-2", &grow);
    assert_eq!(refused.status, 400);
    assert!(refused.error().contains("size limit"), "{}", refused.body);

    // 4 seeded groups: two more fit, then the limit.
    for i in 0..2 {
        assert_eq!(
            client
                .post("/api/groups", &json!({"name": format!("G{i}")}))
                .status,
            201
        );
    }
    let full = client.post("/api/groups", &json!({"name": "One too many"}));
    assert_eq!(full.status, 400);
    assert!(full.error().contains("the limit is 6"), "{}", full.body);
    assert_eq!(
        client.get("/api/groups").json()["groups"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(client.delete("/api/groups/grp-1").status, 200);
    assert_eq!(
        client
            .post("/api/groups", &json!({"name": "Fits again"}))
            .status,
        201
    );
    // Users too (4 seeded).
    for i in 1..=2 {
        assert_eq!(client.post("/api/users", &user(i, "ok")).status, 201);
    }
    assert_eq!(client.post("/api/users", &user(3, "ok")).status, 400);
}

#[test]
fn a_silent_connection_is_closed_after_the_read_timeout() {
    let sandbox = start(SandboxConfig {
        read_timeout: Duration::from_millis(300),
        ..SandboxConfig::default()
    });
    let mut half_open = TcpStream::connect(sandbox.addr()).unwrap();
    half_open
        .write_all(b"GET /api/devices HTTP/1.1\r\nHost: sandbox\r\n")
        .unwrap();
    // A safety net only: the server closes it well before.
    half_open
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut rest = Vec::new();
    let read = half_open.read_to_end(&mut rest);
    assert!(
        read.is_ok(),
        "the server kept the half-open request: {read:?}"
    );
    // The sandbox still serves others.
    assert_eq!(Client::new(&sandbox).get("/_sandbox").status, 200);
}

#[test]
fn connections_over_the_limit_get_503() {
    let sandbox = start(SandboxConfig {
        max_connections: 2,
        ..SandboxConfig::default()
    });
    let first = TcpStream::connect(sandbox.addr()).unwrap();
    let _second = TcpStream::connect(sandbox.addr()).unwrap();
    let busy = Client::new(&sandbox).get("/_sandbox");
    assert_eq!(busy.status, 503, "{}", busy.body);
    assert!(busy.error().contains("Too many open connections"));
    assert_eq!(busy.retry_after.as_deref(), Some("1"));
    drop(first);
    // Once the server has seen the close, a slot is free again.
    let served = (0..200).find_map(|_| {
        let reply = Client::new(&sandbox).get("/_sandbox");
        if reply.status == 200 {
            return Some(reply);
        }
        std::thread::sleep(Duration::from_millis(25));
        None
    });
    assert!(served.is_some(), "no slot freed");
}

#[test]
fn config_limits_are_validated() {
    let zero = |config: SandboxConfig| plaspy_sandbox::SandboxControl::new(config).unwrap_err();
    let err = zero(SandboxConfig {
        max_connections: 0,
        ..Default::default()
    });
    assert!(err.to_string().contains("max_connections"), "{err}");
    let err = zero(SandboxConfig {
        devices: 1_000_000,
        ..Default::default()
    });
    assert!(err.to_string().contains("100000 devices"), "{err}");
    let err = zero(SandboxConfig {
        max_range_days: 0,
        ..Default::default()
    });
    assert!(err.to_string().contains("range limit"), "{err}");
}
