//! What the CLI puts on the wire, and what it reads from the sandbox's quirks mode.

use std::sync::Arc;

use httpmock::Method::POST;
use httpmock::MockServer;
use plaspy_blocking::Location;
use plaspy_blocking::policy::ManualClock;
use plaspy_sandbox::SandboxConfig;
use serde_json::json;

use crate::common::{Env, assert_success, plaspy, text};

/// A date-time with 8 or more fractional-second digits, inside a JSON string.
const TOO_PRECISE: &str = r#""\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{8,}"#;

#[test]
fn no_request_time_has_more_than_seven_fractional_digits() {
    let server = MockServer::start();
    // Created first, so it is the one that answers a matching request.
    let too_precise = server.mock(|when, then| {
        when.method(POST).body_matches(TOO_PRECISE);
        then.status(400)
            .json_body(json!({"success": false, "error": "more than 7 fractional digits"}));
    });
    let token = server.mock(|when, then| {
        when.method(POST).path("/api/Auth/Token");
        let expires = (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
        then.status(200)
            .json_body(json!({"success": true, "token": "eyJhbGciOi.e30.sig", "expires": expires}));
    });
    let locations = server.mock(|when, then| {
        when.method(POST).path_matches("/locations$");
        then.status(200)
            .json_body(json!({"success": true, "locations": []}));
    });
    let alerts = server.mock(|when, then| {
        when.method(POST).path_matches("/alerts$");
        then.status(200)
            .json_body(json!({"success": true, "alerts": []}));
    });
    // The guard itself catches a 9-digit time (so its silence below means something).
    let probe = ureq::post(format!("{}/api/devices/x/locations", server.base_url()))
        .config()
        .http_status_as_error(false)
        .build()
        .header("Content-Type", "application/json")
        .send(r#"{"from":"2026-12-01T10:00:00.123456789Z","to":"2026-12-01T11:00:00Z"}"#)
        .unwrap();
    assert_eq!(probe.status(), 400);
    assert_eq!(too_precise.calls(), 1);

    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["devices", "locations", "dev-01", "--since", "2h"][..],
        &["devices", "alerts", "dev-01", "--since", "2h"],
        &[
            "devices",
            "locations",
            "dev-01",
            "--from",
            "2h ago",
            "--to",
            "1h ago",
        ],
        &[
            "devices", "alerts", "dev-01", "--from", "3h ago", "--to", "now",
        ],
    ] {
        let out = plaspy(&dir.path().join("config.toml"))
            .env("PLASPY_BASE_URL", server.base_url())
            .env("PLASPY_USERNAME", "demo")
            .env("PLASPY_API_KEY", "demo-key")
            .args(args)
            .args(["--output", "json"])
            .output()
            .unwrap();
        assert_success(&out, args);
    }
    assert_eq!(
        too_precise.calls(),
        1,
        "a request time had more than 7 digits"
    );
    assert!(token.calls() >= 1);
    assert!(locations.calls() >= 2 && alerts.calls() >= 2);
}

/// The same sandbox twice (seed 42, a stopped clock), tidy and in the quirks mode.
fn tidy_and_quirky() -> (Env, Env) {
    let config = || SandboxConfig {
        clock: Arc::new(ManualClock::new("2026-12-02T12:00:00Z".parse().unwrap())),
        ..SandboxConfig::default()
    };
    (Env::with(config()), Env::with(config().quirks(true)))
}

#[test]
fn quirks_mode_gives_the_same_fixes_as_the_tidy_mode() {
    let (tidy, quirky) = tidy_and_quirky();
    let args = [
        "devices",
        "locations",
        "dev-01",
        "--from",
        "2026-12-01T06:00:00Z",
        "--to",
        "2026-12-01T18:00:00Z",
        "--output",
        "json",
    ];
    let fixes = |env: &Env| -> Vec<(String, f64, f64)> {
        let track: Vec<Location> = env.json(&args);
        track
            .iter()
            .map(|f| (f.date_time.to_rfc3339(), f.latitude, f.longitude))
            .collect()
    };
    let (a, b) = (fixes(&tidy), fixes(&quirky));
    assert!(a.len() > 100, "{} fixes", a.len());
    assert_eq!(a, b);
    // The table, too, reads the same.
    let table = |env: &Env| {
        env.stdout(&[
            "devices",
            "locations",
            "dev-01",
            "--from",
            "2026-12-01T06:00:00Z",
            "--to",
            "2026-12-01T07:00:00Z",
            "--output",
            "csv",
        ])
    };
    assert_eq!(table(&tidy), table(&quirky));
}

#[test]
fn the_embedded_sandbox_has_a_quirks_switch() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let out = plaspy(&dir.path().join("config.toml"))
            .args(["--sandbox"])
            .args(extra)
            .args(["devices", "list", "--output", "json"])
            .output()
            .unwrap();
        assert_success(&out, extra);
        let devices: Vec<plaspy_blocking::Device> = serde_json::from_slice(&out.stdout).unwrap();
        devices
            .into_iter()
            .map(|d| (d.id().to_owned(), d.name, d.description))
            .collect::<Vec<_>>()
    };
    let tidy = run(&[]);
    assert_eq!(tidy.len(), 27);
    assert_eq!(tidy, run(&["--sandbox-quirks"]));
    let out = plaspy(&dir.path().join("config.toml"))
        .args(["--sandbox-quirks", "devices", "list"])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "--sandbox-quirks needs --sandbox: {}",
        text(&out.stdout)
    );
}
