//! The `plaspy-sandbox` binary.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::json;

#[test]
fn binary_prints_its_url_and_serves_the_given_accounts() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plaspy-sandbox"))
        .args([
            "--port",
            "0",
            "--seed",
            "7",
            "--account",
            "fleet:fleet-key",
            "--rate-limit",
            "100",
            "--devices",
            "40",
            "--max-range-days",
            "7",
        ])
        .args(["--token-lifetime", "120"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_owned();
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .unwrap();
    assert_ne!(port, 0);

    let agent = ureq::Agent::new_with_config(
        ureq::config::Config::builder()
            .http_status_as_error(false)
            .build(),
    );
    let token = |user: &str, key: &str| {
        let body = json!({"userName": user, "apiKey": key}).to_string();
        let mut response = agent
            .post(format!("{url}/api/Auth/Token"))
            .header("Content-Type", "application/json")
            .send(body)
            .unwrap();
        let status = response.status().as_u16();
        (status, response.body_mut().read_to_string().unwrap())
    };
    let (status, body) = token("fleet", "fleet-key");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"token\""));
    assert_eq!(
        token("demo", "demo-key").0,
        401,
        "--account replaces the demo account"
    );
    let status = agent
        .get(format!("{url}/_sandbox"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["seed"], 7);
    assert_eq!(status["rateLimit"], 100);
    assert_eq!(status["tokenLifetimeSeconds"], 120);
    assert_eq!(status["accounts"][0]["devices"], 40);
    assert_eq!(status["maxRangeDays"], 7);

    stop(&mut child);
}

#[cfg(unix)]
fn stop(child: &mut std::process::Child) {
    // Ctrl-C: a clean shutdown and a zero exit code.
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(child.wait().unwrap().success());
}

#[cfg(not(unix))]
fn stop(child: &mut std::process::Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn binary_rejects_bad_flags() {
    let output = Command::new(env!("CARGO_BIN_EXE_plaspy-sandbox"))
        .args(["--account", "no-colon"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("USER:KEY"));
}
