//! Profiles: `config set/show/list/use/path`, the file's mode, and the precedence
//! flags > environment > profile.

use plaspy_blocking::Device;
use serde_json::Value;

use crate::common::{Env, assert_success, code, text};

const KEY: &str = "demo-key";

#[test]
fn set_show_list_and_use_profiles() {
    let env = Env::new();
    let path = env.config_path();

    let out = env.bare().args(["config", "path"]).output().unwrap();
    assert_success(&out, &["config", "path"]);
    assert_eq!(text(&out.stdout).trim(), path.to_str().unwrap());

    let out = env
        .bare()
        .args([
            "config",
            "set",
            "--username",
            "demo",
            "--api-key",
            KEY,
            "--base-url",
            env.url(),
        ])
        .output()
        .unwrap();
    assert_success(&out, &["config", "set"]);
    assert!(!text(&out.stderr).contains(KEY));
    assert!(path.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let file = std::fs::read_to_string(&path).unwrap();
    let parsed: toml::Table = toml::from_str(&file).unwrap();
    assert_eq!(parsed["profiles"]["default"]["api_key"].as_str(), Some(KEY));

    // The stored profile is enough to talk to the API.
    let out = env.bare().args(["devices", "list"]).output().unwrap();
    assert_success(&out, &["devices", "list", "(profile)"]);
    let devices: Vec<Device> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(devices.len() >= 25);

    for format in ["table", "json"] {
        let out = env
            .bare()
            .args(["config", "show", "--output", format])
            .output()
            .unwrap();
        assert_success(&out, &["config", "show"]);
        let shown = text(&out.stdout);
        assert!(!shown.contains(KEY), "the key is masked: {shown}");
        assert!(shown.contains("********"), "{shown}");
        assert!(shown.contains(env.url()));
    }

    // A second profile, read from stdin, becomes the default.
    let out = env
        .bare()
        .args([
            "config",
            "set",
            "--profile",
            "brand2",
            "--username",
            "other",
            "--api-key",
            "-",
            "--default",
        ])
        .write_stdin("0123456789abcdef-brand2-key\n")
        .output()
        .unwrap();
    assert_success(&out, &["config", "set", "--profile", "brand2"]);
    let list: Vec<Value> = serde_json::from_slice(
        &env.bare()
            .args(["config", "list", "--output", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(list.len(), 2);
    let brand2 = list.iter().find(|p| p["profile"] == "brand2").unwrap();
    assert_eq!(brand2["default"], true);
    assert_eq!(brand2["apiKey"], "********-key");
    assert!(!serde_json::to_string(&list).unwrap().contains("brand2-key"));

    let out = env
        .bare()
        .args(["config", "use", "default"])
        .output()
        .unwrap();
    assert_success(&out, &["config", "use"]);
    let shown: Value = serde_json::from_slice(
        &env.bare()
            .args(["config", "show", "-o", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(shown["profile"], "default");

    // Naming a profile that does not exist is a usage error.
    let out = env
        .bare()
        .args(["--profile", "nope", "devices", "list"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    let out = env
        .bare()
        .env("PLASPY_PROFILE", "nope")
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
}

#[test]
fn flags_beat_environment_beat_profile() {
    let env = Env::new();
    let out = env
        .bare()
        .args([
            "config",
            "set",
            "--username",
            "demo",
            "--api-key",
            KEY,
            "--base-url",
            env.url(),
        ])
        .output()
        .unwrap();
    assert_success(&out, &["config", "set"]);

    // The environment overrides the profile...
    let out = env
        .bare()
        .env("PLASPY_API_KEY", "wrong-from-env")
        .args(["devices", "list"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    // ...and a flag overrides the environment.
    let out = env
        .bare()
        .env("PLASPY_API_KEY", "wrong-from-env")
        .args(["devices", "list", "--api-key", KEY])
        .output()
        .unwrap();
    assert_success(&out, &["devices", "list", "--api-key"]);

    // `config set` writes what was typed, never what the environment holds.
    let out = env
        .bare()
        .env("PLASPY_API_KEY", "wrong-from-env")
        .args(["config", "set", "--username", "demo"])
        .output()
        .unwrap();
    assert_success(&out, &["config", "set", "--username"]);
    let file = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(!file.contains("wrong-from-env"));
    assert!(file.contains(KEY));
}

#[test]
fn bad_settings_are_reported() {
    let env = Env::new();
    let out = env
        .bare()
        .args(["config", "set", "--base-url", "http://example.com"])
        .output()
        .unwrap();
    assert_eq!(
        code(&out),
        2,
        "plain http to a remote host is refused: {}",
        text(&out.stderr)
    );
    let out = env.bare().args(["config", "set"]).output().unwrap();
    assert_eq!(code(&out), 2);

    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    std::fs::write(
        env.config_path(),
        "[profiles.default]\napi_key = \"half-written-secret\n",
    )
    .unwrap();
    let out = env.bare().args(["devices", "list"]).output().unwrap();
    assert_eq!(code(&out), 1);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("config file") && !stderr.contains("half-written-secret"),
        "{stderr}"
    );
}
