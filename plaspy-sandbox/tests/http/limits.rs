//! Usage counters, the rate limit, control routes, unknown routes.

use std::sync::Arc;
use std::time::Duration;

use plaspy_sandbox::SandboxConfig;
use plaspy_types::endpoints::ListDevices;
use plaspy_types::{Endpoint, Error};
use serde_json::json;

use crate::common::{Client, clock, sandbox_at, start, t0};

#[test]
fn usage_counters_count_every_request_and_reset_daily() {
    let clock = clock();
    let sandbox = start(SandboxConfig {
        clock: Arc::new(clock.clone()),
        token_lifetime: Duration::from_secs(86_400),
        ..SandboxConfig::default()
    });
    let client = Client::demo(&sandbox);
    let usage = |path: &str| {
        let json = client.get(path).json();
        (
            json["apiUsage"].as_i64().unwrap(),
            json["apiDailyUsage"].as_i64().unwrap(),
        )
    };
    assert_eq!(usage("/api/devices"), (2, 2));
    assert_eq!(usage("/api/groups"), (3, 3));
    assert_eq!(usage("/api/groups/none"), (4, 4), "errors are counted too");
    let decoded = ListDevices
        .decode(&client.get("/api/devices").http())
        .unwrap();
    assert_eq!(decoded.usage.api_usage, Some(5));
    // Midnight UTC: the daily counter starts again.
    clock.advance(Duration::from_secs(9 * 3600 + 1));
    assert_eq!(usage("/api/users"), (6, 1));
    assert_eq!(
        Client::new(&sandbox).get("/_sandbox").json()["accounts"][0]["apiUsage"],
        6
    );
}

#[test]
fn rate_limit_answers_429_with_retry_after() {
    let clock = clock();
    clock.set(t0() + chrono::Duration::seconds(15));
    let sandbox = start(SandboxConfig {
        rate_limit: Some(3),
        clock: Arc::new(clock.clone()),
        ..SandboxConfig::default()
    });
    let client = Client::demo(&sandbox); // request 1
    assert_eq!(client.get("/api/devices").status, 200);
    assert_eq!(client.get("/api/devices").status, 200);
    let limited = client.get("/api/devices");
    assert_eq!(limited.status, 429);
    assert_eq!(limited.retry_after.as_deref(), Some("45"));
    assert!(limited.error().contains("3 per minute"));
    assert_eq!(
        limited.json()["apiUsage"],
        3,
        "refused requests are not counted"
    );
    match ListDevices.decode(&limited.http()).unwrap_err() {
        Error::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Some(Duration::from_secs(45)))
        }
        other => panic!("{other:?}"),
    }
    // The token endpoint is limited too.
    assert_eq!(Client::new(&sandbox).login("demo", "demo-key").status, 429);

    clock.advance(Duration::from_secs(45));
    assert_eq!(client.get("/api/devices").status, 200);

    // At runtime: lift it, set it again.
    let control = Client::new(&sandbox);
    let lifted = control.post("/_sandbox/rate-limit", &json!({"requestsPerMinute": null}));
    assert_eq!(lifted.json()["requestsPerMinute"], serde_json::Value::Null);
    for _ in 0..5 {
        assert_eq!(client.get("/api/devices").status, 200);
    }
    control.post("/_sandbox/rate-limit", &json!({"requestsPerMinute": 1}));
    assert_eq!(client.get("/api/devices").status, 429);
    assert_eq!(sandbox.control().rate_limit(), Some(1));
}

#[test]
fn control_routes_and_unknown_routes() {
    let clock = clock();
    let sandbox = sandbox_at(&clock);
    let control = Client::new(&sandbox);
    let status = control.get("/_sandbox").json();
    assert_eq!(status["seed"], 42);
    assert_eq!(status["now"], "2025-03-04T15:00:00Z");
    assert_eq!(status["accounts"][0]["username"], "demo");
    assert!(status["accounts"][0]["devices"].as_i64().unwrap() >= 25);

    let moved = control.post("/_sandbox/time", &json!({"advanceSeconds": 3600}));
    assert_eq!(moved.json()["now"], "2025-03-04T16:00:00Z");
    assert_eq!(sandbox.control().now(), t0() + chrono::Duration::hours(1));
    assert_eq!(
        control
            .post("/_sandbox/time", &json!({"seconds": 1}))
            .status,
        400
    );

    let api = Client::demo(&sandbox);
    api.post("/api/groups", &json!({"name": "Temporary"}));
    assert_eq!(
        api.get("/api/groups").json()["groups"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(control.send("POST", "/_sandbox/reset", None).status, 200);
    assert_eq!(
        api.get("/api/groups").json()["groups"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    let unknown = api.get("/api/vehicles");
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["success"], false);
    let wrong_method = api.send("DELETE", "/api/devices", None);
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.json()["success"], false);
    // Routes match in any case and with a trailing slash, as ASP.NET Core routes do.
    assert_eq!(api.get("/api/devices/dev-01/lastlocation").status, 200);
    assert_eq!(api.get("/API/Devices/").status, 200);
    // Ids keep their case: a device id is not a route literal.
    assert_eq!(api.get("/api/devices/DEV-01").status, 404);
}

#[test]
fn start_shutdown_and_serve_in_a_runtime() {
    let sandbox = start(SandboxConfig::default());
    let addr = sandbox.addr();
    assert_eq!(sandbox.base_url(), format!("http://{addr}"));
    assert_eq!(Client::new(&sandbox).get("/_sandbox").status, 200);
    sandbox.shutdown().unwrap();
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "nothing listens any more"
    );

    // The async variant, inside a runtime the caller owns.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = runtime.spawn(plaspy_sandbox::serve(
        SandboxConfig::default(),
        listener,
        async {
            let _ = stopped.await;
        },
    ));
    let agent = ureq::Agent::new_with_config(
        ureq::config::Config::builder()
            .http_status_as_error(false)
            .build(),
    );
    let status = agent
        .get(format!("{url}/api/devices"))
        .call()
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 401);
    stop.send(()).unwrap();
    runtime.block_on(server).unwrap().unwrap();
}
