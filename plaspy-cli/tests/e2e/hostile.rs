//! The CLI against a hostile local server (httpmock) and a careless user: escape sequences
//! in server data, a spoofed confirmation, secrets in `-vvv` logs, CSV formulas, careless
//! input that must send nothing, and config hygiene.

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use httpmock::{Method, Mock, MockServer};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::common::{assert_success, code, plaspy, text};

/// The API key the hostile server is called with.
pub const KEY: &str = "hostile-apikey-Q7w3-SECRET";
/// The token it hands out (JWT-shaped, as real servers send).
pub const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJob3N0aWxlIn0.SECRET-TOKEN-sig";

/// Escape sequences a server may plant, and the harm each does.
pub const ESCAPES: &[&str] = &[
    "\x1b]0;pwned\x07",                                   // retitle the window
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",                     // write the clipboard (OSC 52)
    "\x1b[2J\x1b[H",                                      // clear the screen
    "\x1b]8;;https://evil.example/\x1b\\x\x1b]8;;\x1b\\", // plant a hyperlink
    "\r\x1b[2K",                                          // redraw the line
    "\u{9b}2J",                                           // 8-bit CSI
    "\u{202e}fdp.exe",                                    // right-to-left override
];

/// All of [`ESCAPES`] in one string.
pub fn all_escapes() -> String {
    ESCAPES.concat()
}

/// Panics if `stream` holds a character that can drive a terminal.
pub fn assert_inert(what: &str, stream: &[u8]) {
    let shown = text(stream);
    for (i, c) in shown.char_indices() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(
            !bad,
            "{what}: {c:?} at byte {i} reaches the terminal:\n{shown:?}"
        );
    }
}

/// A hostile server with a token endpoint, and a private config directory.
pub struct Hostile {
    /// The mock server (leaked so that mocks of it live as long as the test).
    pub server: &'static MockServer,
    /// The token endpoint's mock.
    pub token: Mock<'static>,
    dir: TempDir,
}

impl Hostile {
    /// A server that hands out [`TOKEN`] to [`KEY`].
    pub fn new() -> Self {
        // Leaked so mocks can borrow it for 'static: one small server per test.
        let server: &'static MockServer = Box::leak(Box::new(MockServer::start()));
        let token = server.mock(|when, then| {
            when.method(Method::POST).path("/api/Auth/Token");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({
                    "success": true,
                    "token": TOKEN,
                    "expires": (chrono::Utc::now() + chrono::Duration::minutes(30)).to_rfc3339(),
                }));
        });
        Hostile {
            server,
            token,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// Answers `method path` with `status` and `body`.
    pub fn reply(&self, method: Method, path: &str, status: u16, body: Value) -> Mock<'static> {
        self.server.mock(|when, then| {
            when.method(method).path(path);
            then.status(status)
                .header("content-type", "application/json")
                .json_body(body);
        })
    }

    /// The config file the CLI is pointed at.
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("plaspy").join("config.toml")
    }

    /// `plaspy` with the credentials and the server's URL in the environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = plaspy(&self.config_path());
        cmd.env("PLASPY_BASE_URL", self.server.base_url())
            .env("PLASPY_USERNAME", "someone")
            .env("PLASPY_API_KEY", KEY)
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs `plaspy ARGS`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("plaspy runs")
    }
}

#[test]
fn server_text_cannot_drive_the_terminal() {
    let env = Hostile::new();
    let evil = all_escapes();
    let named = |id: &str| json!({"id": format!("{id}{evil}"), "name": format!("Truck{evil}"), "description": evil});
    env.reply(
        Method::GET,
        "/api/devices/d1",
        200,
        json!({"success": true, "device": named("d1")}),
    );
    let mut group = json!({"success": true, "devices": [format!("dev{evil}")]});
    group
        .as_object_mut()
        .unwrap()
        .extend(named("g1").as_object().unwrap().clone());
    env.reply(Method::GET, "/api/groups/g1", 200, group);
    let mut user =
        json!({"success": true, "email": format!("a@b{evil}"), "country": "CO", "timeZone": evil});
    user.as_object_mut()
        .unwrap()
        .extend(named("u1").as_object().unwrap().clone());
    env.reply(Method::GET, "/api/users/u1", 200, user);
    env.reply(
        Method::GET,
        "/api/devices/d1/lastLocation",
        200,
        json!({"success": true, "lastLocation": {
            "dateTime": "2024-06-01T08:00:00Z", "latitude": 4.7, "longitude": -74.1,
            "alerts": [evil], "alertTexts": [evil]
        }}),
    );
    env.reply(
        Method::POST,
        "/api/devices/d1/sendCommand",
        200,
        json!({"success": true, "result": format!("queued{evil}")}),
    );
    env.reply(
        Method::GET,
        "/api/devices/gone",
        404,
        json!({"success": false, "error": format!("no device{evil}")}),
    );
    env.reply(
        Method::GET,
        "/api/devices/broken",
        500,
        json!({"success": false, "error": format!("boom{evil}")}),
    );

    let runs: &[&[&str]] = &[
        &["devices", "get", "d1"],
        &["groups", "get", "g1"],
        &["users", "get", "u1"],
        &["devices", "last-location", "d1"],
        &["devices", "send-command", "d1", "reboot", "--yes"],
    ];
    for args in runs {
        let out = env
            .cmd()
            .args(*args)
            .args(["--output", "table"])
            .output()
            .unwrap();
        assert_success(&out, args);
        assert!(
            text(&out.stdout).contains("\u{FFFD}"),
            "{args:?}: the attempt stays visible"
        );
        assert_inert(&format!("{args:?} stdout"), &out.stdout);
        assert_inert(&format!("{args:?} stderr"), &out.stderr);
    }
    // Error lines: the server's `error` text, and ids typed or echoed.
    for (args, exit) in [
        (vec!["devices", "get", "gone"], 4),
        (vec!["--retries", "0", "devices", "get", "broken"], 1),
        (vec!["devices", "get", "\x1b]0;typed\x07"], 4),
    ] {
        let out = env.run(&args);
        assert_eq!(code(&out), exit, "{args:?}: {}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with("error: ") && stderr.lines().count() == 1,
            "{stderr:?}"
        );
        assert_inert(&format!("{args:?} stderr"), &out.stderr);
    }
    // JSON stays the same value, spelled without raw C1 or bidi controls.
    let out = env.run(&["devices", "get", "d1", "--output", "json"]);
    assert_success(&out, &["devices", "get", "--output", "json"]);
    assert_inert("json", &out.stdout);
    let device: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(device["name"], format!("Truck{evil}"));
}

#[test]
fn csv_cells_cannot_run_formulas() {
    let env = Hostile::new();
    let names = [
        "=HYPERLINK(\"http://evil\",\"x\")",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "\tx",
        "\r=1",
    ];
    let devices: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| json!({"id": format!("d{i}"), "name": name, "min": "-12.5"}))
        .collect();
    env.reply(
        Method::GET,
        "/api/devices",
        200,
        json!({"success": true, "devices": devices}),
    );
    env.reply(
        Method::POST,
        "/api/devices/d0/locations",
        200,
        json!({"success": true, "locations": [
            {"dateTime": "2024-06-01T08:00:00Z", "latitude": -33.45, "longitude": -70.66, "speed": -1.0, "alerts": ["=1+1"]}
        ]}),
    );
    let out = env.run(&["devices", "list", "--output", "csv"]);
    assert_success(&out, &["devices", "list", "csv"]);
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let headers = reader.headers().unwrap().clone();
    let name_at = headers.iter().position(|h| h == "name").unwrap();
    let min_at = headers.iter().position(|h| h == "min").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), names.len());
    for (row, name) in rows.iter().zip(names) {
        assert_eq!(
            row[name_at],
            format!("'{name}"),
            "the formula is neutralised"
        );
        assert_eq!(&row[min_at], "-12.5", "a plain number stays a number");
    }

    let out = env.run(&[
        "devices",
        "locations",
        "d0",
        // The fix's own time: replies are clipped to the range asked.
        "--from",
        "2024-06-01T07:00:00Z",
        "--to",
        "2024-06-01T09:00:00Z",
        "--output",
        "csv",
    ]);
    assert_success(&out, &["devices", "locations", "csv"]);
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let field = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_owned();
    assert_eq!(field("latitude").parse::<f64>().unwrap(), -33.45);
    assert_eq!(field("longitude").parse::<f64>().unwrap(), -70.66);
    assert_eq!(field("speed").parse::<f64>().unwrap(), -1.0);
    assert_eq!(field("alerts"), "'=1+1");
}

#[test]
fn no_verbosity_prints_a_secret() {
    let env = Hostile::new();
    env.reply(
        Method::GET,
        "/api/devices",
        200,
        json!({"success": true, "devices": [{"id": "d1"}]}),
    );
    // A server that quotes the credentials back in a failure.
    env.reply(
        Method::GET,
        "/api/devices/echo",
        404,
        json!({"success": false, "error": "not found", "token": TOKEN, "apiKey": KEY}),
    );
    let runs: &[(&[&str], Option<&str>)] = &[
        (&["-vvv", "devices", "list"], None),
        (&["-vvv", "devices", "list"], Some("trace")),
        (
            &["-vv", "devices", "list"],
            Some("ureq=trace,ureq_proto=trace,plaspy=trace"),
        ),
        (&["-vvv", "devices", "get", "echo"], None),
    ];
    for (args, rust_log) in runs {
        let mut cmd = env.cmd();
        if let Some(filter) = rust_log {
            cmd.env("RUST_LOG", filter);
        }
        let out = cmd.args(*args).output().unwrap();
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("/api/devices"),
            "{args:?}: the log is on:\n{stderr}"
        );
        for secret in [KEY, TOKEN, "SECRET", "eyJ"] {
            assert!(
                !stderr.contains(secret),
                "{args:?} {rust_log:?} logged {secret}:\n{stderr}"
            );
            assert!(
                !text(&out.stdout).contains(secret),
                "{args:?}: stdout shows {secret}"
            );
        }
        // The byte dumps of the HTTP library, where the key and the token would be hex.
        assert!(
            !stderr.contains("ureq_proto::util"),
            "{args:?}: raw dumps:\n{stderr}"
        );
    }
    assert!(env.token.calls() >= 1);
}

#[test]
fn careless_input_exits_2_and_sends_nothing() {
    let env = Hostile::new();
    let locations = env.reply(
        Method::POST,
        "/api/devices/d1/locations",
        200,
        json!({"success": true, "locations": []}),
    );
    let patch = env.reply(
        Method::PATCH,
        "/api/groups/g1",
        200,
        json!({"success": true, "id": "g1"}),
    );
    let cases: &[&[&str]] = &[
        &["devices", "locations", "d1", "--from", "-0001-01-01"],
        &[
            "devices",
            "locations",
            "d1",
            "--from",
            "0000-06-01",
            "--to",
            "2024-01-01",
        ],
        &[
            "devices",
            "alerts",
            "d1",
            "--from",
            "2024-01-01",
            "--to",
            "+10000-01-01",
        ],
        &["devices", "locations", "d1", "--since", "4000000d"],
        &["groups", "patch", "g1", "--remove", ""],
        &["groups", "patch", "g1", "--remove", "/"],
        &["groups", "patch", "g1", "--set", "/=x"],
        &["groups", "patch", "g1", "--set", "tags//a=1"],
        &["groups", "patch", "g1", "--set", "/a~2=1"],
        &["users", "patch", "u1", "--remove", "name", "--remove", " "],
    ];
    for args in cases {
        let out = env.run(args);
        assert_eq!(code(&out), 2, "{args:?}: {}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with("error: ") && stderr.lines().count() == 1,
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(locations.calls() + patch.calls(), 0, "nothing was sent");
    assert_eq!(env.token.calls(), 0, "not even a token was asked for");
}

#[test]
fn profile_names_cannot_be_blank() {
    let env = Hostile::new();
    let path = env.config_path();
    let out = env
        .cmd()
        .args([
            "config",
            "set",
            "--username",
            "keep",
            "--api-key",
            "kept-key-1",
        ])
        .output()
        .unwrap();
    assert_success(&out, &["config", "set"]);
    let before = std::fs::read_to_string(&path).unwrap();
    for (env_value, args) in [
        (
            None,
            vec!["config", "set", "--profile", "", "--username", "x"],
        ),
        (
            None,
            vec!["config", "set", "--profile", "  ", "--username", "x"],
        ),
        (Some(""), vec!["config", "set", "--username", "x"]),
        (Some(" "), vec!["config", "set", "--username", "x"]),
        (Some(""), vec!["config", "show"]),
        (Some(""), vec!["devices", "list"]),
        (None, vec!["config", "use", ""]),
    ] {
        let mut cmd = env.cmd();
        if let Some(value) = env_value {
            cmd.env("PLASPY_PROFILE", value);
        }
        let out = cmd.args(&args).output().unwrap();
        assert_eq!(
            code(&out),
            2,
            "{env_value:?} {args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("profile"),
            "{}",
            text(&out.stderr)
        );
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        before,
        "the default profile is intact"
    );
}

#[test]
fn config_files_are_checked_without_quoting_them() {
    let env = Hostile::new();
    let path = env.config_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        "[profiles.default]\nusername = \"me\"\napi_key = 12345678901234\n",
    )
    .unwrap();
    let out = env.run(&["config", "show"]);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("invalid") && stderr.contains("line 3"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("12345678901234"),
        "the value is quoted: {stderr}"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(
            &path,
            "[profiles.default]\nusername = \"me\"\napi_key = \"readable-key\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = env.bare_run(&["config", "show"]);
        assert_success(&out, &["config", "show"]);
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("warning:") && stderr.contains("chmod 600"),
            "{stderr}"
        );
        assert!(!stderr.contains("readable-key"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let out = env.bare_run(&["config", "show"]);
        assert!(
            !text(&out.stderr).contains("warning"),
            "{}",
            text(&out.stderr)
        );
    }
}

impl Hostile {
    /// Runs `plaspy ARGS` without credentials in the environment.
    pub fn bare_run(&self, args: &[&str]) -> Output {
        plaspy(&self.config_path())
            .args(args)
            .output()
            .expect("plaspy runs")
    }
}
