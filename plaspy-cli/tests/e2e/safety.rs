//! Exit codes, command confirmation, dry runs, and secrets kept out of every output.

use plaspy_blocking::policy::ManualClock;
use plaspy_sandbox::{DEMO_API_KEY, SandboxConfig};
use serde_json::Value;

use crate::common::{Env, assert_success, code, text};

#[test]
fn wrong_credentials_exit_3() {
    let env = Env::new();
    let out = env
        .cmd()
        .env("PLASPY_API_KEY", "wrong-key-123")
        .args(["devices", "list"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("wrong-key-123"));
    assert!(out.stdout.is_empty());

    let out = env
        .bare()
        .env("PLASPY_BASE_URL", env.url())
        .args(["devices", "list"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3, "missing credentials: {}", text(&out.stderr));
    assert!(text(&out.stderr).contains("plaspy config set"));
}

#[test]
fn unknown_ids_exit_4() {
    let env = Env::new();
    for args in [
        &["devices", "get", "no-such-device"][..],
        &["devices", "last-location", "dev-01", "no-such-device"],
        &["groups", "get", "no-such-group"],
        &["users", "delete", "no-such-user"],
    ] {
        let out = env.run(args);
        assert_eq!(code(&out), 4, "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).starts_with("error: "));
    }
}

#[test]
fn rate_limiting_exits_5() {
    // A fixed sandbox clock: the per-minute window never rolls over during the test.
    let clock = ManualClock::new("2030-01-01T12:00:30Z".parse().unwrap());
    let env = Env::with(SandboxConfig {
        clock: std::sync::Arc::new(clock),
        ..SandboxConfig::default()
    });
    env.sandbox.control().set_rate_limit(Some(2));
    let mut codes = Vec::new();
    for _ in 0..3 {
        let out = env.run(&["--retries", "0", "devices", "list"]);
        codes.push(code(&out));
        if code(&out) == 5 {
            assert!(
                text(&out.stderr).contains("rate limited"),
                "{}",
                text(&out.stderr)
            );
        }
    }
    assert_eq!(codes.last(), Some(&5), "{codes:?}");
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    assert_eq!(code(&env.run(&["devices", "frobnicate"])), 2);
    assert_eq!(code(&env.run(&["--output", "yaml", "devices", "list"])), 2);
    assert_eq!(
        code(&env.run(&[
            "devices",
            "send-command",
            "dev-01",
            "zz",
            "--format",
            "hex",
            "--yes"
        ])),
        2
    );
}

#[test]
fn commands_need_confirmation_off_a_terminal() {
    let env = Env::new();
    // assert_cmd gives the child a pipe for stdin: not a terminal.
    let out = env.run(&["devices", "send-command", "dev-01", "engineStop"]);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--yes"));
    assert!(
        env.sandbox.control().device_commands("dev-01").is_empty(),
        "nothing was sent"
    );

    let out = env.run(&["devices", "send-command", "dev-01", "engineStop", "--yes"]);
    assert_success(&out, &["send-command", "--yes"]);
    let sent: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sent["deviceId"], "dev-01");
    assert!(sent["result"].is_string());
    let log = env.sandbox.control().device_commands("dev-01");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].command, "engineStop");
    assert!(!log[0].sms);

    let out = env.run(&[
        "devices",
        "send-command",
        "dev-02",
        "01 a0-FF",
        "--format",
        "hex",
        "--sms",
        "-y",
    ]);
    assert_success(&out, &["send-command", "hex"]);
    let log = env.sandbox.control().device_commands("dev-02");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].payload_hex, "01a0ff");
    assert!(log[0].sms);
}

#[test]
fn dry_runs_send_nothing() {
    let env = Env::new();
    let out = env.run(&[
        "devices",
        "send-command",
        "dev-01",
        "engineStop",
        "--dry-run",
        "--output",
        "table",
    ]);
    assert_success(&out, &["send-command", "--dry-run"]);
    let printed = text(&out.stdout);
    assert!(
        printed.starts_with("POST /api/devices/dev-01/sendCommand\n"),
        "{printed}"
    );
    assert!(printed.contains("\"command\": \"engineStop\""), "{printed}");
    assert!(!printed.to_lowercase().contains("bearer"));

    let shown: Value = env.json(&[
        "devices",
        "send-command",
        "dev 9",
        "aGk=",
        "--format",
        "base64",
        "--dry-run",
    ]);
    assert_eq!(shown["method"], "POST");
    assert_eq!(shown["path"], "/api/devices/dev%209/sendCommand");
    assert_eq!(
        shown["body"],
        serde_json::json!({"command": "aGk=", "format": "Base64"})
    );

    let out = env.run(&[
        "devices",
        "send-command",
        "dev-01",
        "0g",
        "--format",
        "hex",
        "--dry-run",
    ]);
    assert_eq!(
        code(&out),
        2,
        "bad hex is refused before anything: {}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("hex"));
    assert!(
        env.sandbox.control().commands().is_empty(),
        "dry runs sent nothing"
    );
}

#[test]
fn secrets_stay_out_of_every_output_but_auth_token() {
    let env = Env::new();
    let out = env.run(&["auth", "token"]);
    assert_success(&out, &["auth", "token"]);
    let token = text(&out.stdout).trim().to_owned();
    assert!(
        token.len() > 20 && !token.contains(char::is_whitespace),
        "{token}"
    );
    let shown: Value = env.json(&["auth", "token", "--output", "json"]);
    assert!(shown["token"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(shown["expires"].as_str().is_some());

    let token_prefix = &token[..token.len().min(12)];
    let runs: &[&[&str]] = &[
        &["devices", "list"],
        &["-vv", "devices", "list", "--output", "csv"],
        &["-v", "fleet", "--output", "table"],
        &["devices", "get", "dev-01", "--output", "table"],
        &["devices", "get", "no-such-device"],
        &[
            "devices",
            "locations",
            "dev-05",
            "--since",
            "1h",
            "--output",
            "gpx",
        ],
        &["groups", "list", "--output", "ndjson"],
        &["users", "list", "--output", "table"],
        &["devices", "send-command", "dev-01", "reboot", "--dry-run"],
        &["--help"],
        &["devices", "list", "--help"],
    ];
    for args in runs {
        let out = env.run(args);
        for stream in [text(&out.stdout), text(&out.stderr)] {
            assert!(
                !stream.contains(DEMO_API_KEY),
                "{args:?} printed the API key:\n{stream}"
            );
            assert!(
                !stream.contains(token_prefix),
                "{args:?} printed a token:\n{stream}"
            );
            assert!(
                !stream.contains("eyJ"),
                "{args:?} printed something like a JWT:\n{stream}"
            );
        }
    }
    // The key given as a flag does not show in errors either.
    let out = env
        .bare()
        .args([
            "--base-url",
            env.url(),
            "--username",
            "demo",
            "--api-key",
            "flag-secret-999",
            "fleet",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
    assert!(!text(&out.stderr).contains("flag-secret-999"));
}
