//! `Client::from_env()`.
//!
//! The environment is process-wide (and `set_var` is `unsafe`), so no test here changes its
//! own: each re-runs this test binary, filtered to the ignored `from_env_child` case, with the
//! variables it wants, and checks that the child passed.

use std::process::Command;

use crate::support::*;
use crate::{case, maybe};

const USERNAME_VAR: &str = "PLASPY_USERNAME";
const API_KEY_VAR: &str = "PLASPY_API_KEY";
const BASE_URL_VAR: &str = "PLASPY_BASE_URL";
/// Tells the child which scenario to check.
const SCENARIO_VAR: &str = "PLASPY_TESTS_FROM_ENV_SCENARIO";

/// Runs `from_env_child` in a child process with `vars` set (or removed, for `None`).
fn run_child(scenario: &str, vars: [(&str, Option<&str>); 3]) {
    let module = module_path!().split_once("::").expect("a module path").1;
    let mut child = Command::new(std::env::current_exe().expect("the test binary"));
    child
        .args([
            &format!("{module}::from_env_child"),
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env(SCENARIO_VAR, scenario);
    for (name, value) in vars {
        match value {
            Some(value) => child.env(name, value),
            None => child.env_remove(name),
        };
    }
    let output = child.output().expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "child `{scenario}` failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("1 passed"),
        "child `{scenario}` ran no test:\n{stdout}"
    );
}

#[maybe]
#[case]
async fn from_env_reads_the_three_variables() {
    let server = start_server().await;
    let token = token_mock(&server).await;
    let devices = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        ok(
            then,
            json!({"success": true, "devices": [device_json("dev-1")]}),
        );
    })
    .await;

    let base_url = server.base_url();
    run_child(
        "configured",
        [
            (USERNAME_VAR, Some(USER)),
            (API_KEY_VAR, Some(API_KEY)),
            (BASE_URL_VAR, Some(&base_url)),
        ],
    );
    assert_calls(&token, 1).await;
    assert_calls(&devices, 1).await;
}

#[maybe]
#[case]
async fn from_env_reports_what_is_missing_or_wrong() {
    run_child(
        "no-username",
        [
            (USERNAME_VAR, None),
            (API_KEY_VAR, Some(API_KEY)),
            (BASE_URL_VAR, None),
        ],
    );
    run_child(
        "no-api-key",
        [
            (USERNAME_VAR, Some(USER)),
            (API_KEY_VAR, Some(" ")),
            (BASE_URL_VAR, None),
        ],
    );
    run_child(
        "remote-http",
        [
            (USERNAME_VAR, Some(USER)),
            (API_KEY_VAR, Some(API_KEY)),
            (BASE_URL_VAR, Some("http://api.plaspy.com")),
        ],
    );
}

fn config_error(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::InvalidConfig { message, .. }) => message,
        other => panic!("expected InvalidConfig, got {other:?}"),
    }
}

#[maybe]
#[case]
#[ignore = "run by the other from_env cases, in a child process with its own environment"]
async fn from_env_child() {
    let scenario =
        std::env::var(SCENARIO_VAR).expect("run by a from_env case, which sets the scenario");
    match scenario.as_str() {
        "configured" => {
            let client = Client::from_env().unwrap();
            let expected = std::env::var(BASE_URL_VAR).unwrap();
            assert_eq!(client.base_url(), expected);
            assert_eq!(client.credentials().username, USER);
            assert_eq!(client.credentials().api_key.expose(), API_KEY);
            let devices = client.devices().list().await.unwrap();
            assert_eq!(devices[0].id(), "dev-1");
        }
        "no-username" => {
            let message = config_error(Client::from_env());
            assert!(message.contains("PLASPY_USERNAME is not set"), "{message}");
        }
        "no-api-key" => {
            let message = config_error(Client::from_env());
            assert!(message.contains("PLASPY_API_KEY is not set"), "{message}");
        }
        "remote-http" => {
            let message = config_error(Client::from_env());
            assert!(message.contains("use https"), "{message}");
        }
        other => panic!("unknown scenario {other}"),
    }
}
