//! Help, completions, and `plaspy sandbox` in the foreground.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use plaspy_blocking::Device;

use crate::common::{Env, INHERITED, assert_success, text};

#[test]
fn help_has_examples_and_exit_codes() {
    let env = Env::new();
    let top = env.stdout(&["--help"]);
    assert!(
        top.contains("Exit codes:") && top.contains("5  rate limited"),
        "{top}"
    );
    for args in [
        &["auth", "token", "--help"][..],
        &["devices", "list", "--help"],
        &["devices", "locations", "--help"],
        &["devices", "send-command", "--help"],
        &["fleet", "--help"],
        &["groups", "patch", "--help"],
        &["users", "create", "--help"],
        &["config", "set", "--help"],
        &["sandbox", "--help"],
        &["completions", "--help"],
    ] {
        let help = env.stdout(args);
        assert!(help.contains("Examples:"), "{args:?}:\n{help}");
    }
    let locations = env.stdout(&["devices", "locations", "--help"]);
    assert!(
        locations.contains("read as UTC") && locations.contains("end of that day"),
        "{locations}"
    );
}

#[test]
fn completions_for_bash() {
    let env = Env::new();
    let script = env.stdout(&["completions", "bash"]);
    assert!(
        script.contains("_plaspy()") || script.contains("_plaspy "),
        "{script}"
    );
    assert!(script.contains("complete") && script.contains("send-command"));
    for shell in ["zsh", "fish"] {
        assert!(!env.stdout(&["completions", shell]).is_empty());
    }
}

#[test]
fn sandbox_serves_in_the_foreground() {
    let env = Env::new();
    let mut command = Command::new(env!("CARGO_BIN_EXE_plaspy"));
    for var in INHERITED {
        command.env_remove(var);
    }
    let mut child = command
        .args(["sandbox", "--port", "0"])
        .env("PLASPY_CONFIG", env.config_path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("a URL in {first:?}"))
        .to_owned();
    let out = env
        .cmd()
        .env("PLASPY_BASE_URL", &url)
        .args(["devices", "list"])
        .output()
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_success(&out, &["devices", "list", "(foreground sandbox)"]);
    let devices: Vec<Device> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)));
    assert!(devices.len() >= 25);
}
