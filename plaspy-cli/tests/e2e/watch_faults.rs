//! `plaspy watch` under faults: a device gone among many, signals during waits that do
//! not look at the stop flag (a request that never answers, a long `Retry-After`), starts
//! further back than the history limit, and state files that are hostile or in use.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use plaspy_blocking::policy::ManualClock;
use plaspy_sandbox::{DEMO_API_KEY, DEMO_USERNAME, SandboxConfig};
use serde_json::Value;

use crate::common::{Env, INHERITED, code, text};

const T0: &str = "2030-01-08T13:00:00Z";
/// The most a test waits for output or an exit before failing (a guard, not a timing).
const GUARD: Duration = Duration::from_secs(120);
/// The generous bound for a signalled watch to exit.
const EXIT_BOUND: Duration = Duration::from_secs(10);

fn env_at_t0() -> Env {
    let t0: DateTime<Utc> = T0.parse().unwrap();
    let env = Env::with(SandboxConfig {
        clock: Arc::new(ManualClock::new(t0)),
        ..SandboxConfig::default()
    });
    env.sandbox.control().advance_clock(1800);
    env
}

/// A running `plaspy watch`: stdout lines on a channel, stderr in a file.
struct Running {
    child: Child,
    lines: Receiver<String>,
    stderr: tempfile::NamedTempFile,
}

impl Running {
    fn start(base_url: &str, config: &Path, args: &[&str]) -> Running {
        let stderr = tempfile::NamedTempFile::new().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_plaspy"));
        for var in INHERITED {
            cmd.env_remove(var);
        }
        let mut child = cmd
            .env("PLASPY_CONFIG", config)
            .env("PLASPY_BASE_URL", base_url)
            .env("PLASPY_USERNAME", DEMO_USERNAME)
            .env("PLASPY_API_KEY", DEMO_API_KEY)
            .arg("watch")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(stderr.reopen().unwrap())
            .spawn()
            .expect("plaspy watch starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            stderr,
        }
    }

    fn on(env: &Env, args: &[&str]) -> Running {
        Running::start(env.url(), &env.config_path(), args)
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.stderr.path()).unwrap()
    }

    /// Sends SIGTERM and waits (up to the bound) for the exit; returns its code.
    fn terminate(mut self) -> (Option<i32>, String) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let until = Instant::now() + EXIT_BOUND;
        loop {
            if let Some(exit) = self.child.try_wait().unwrap() {
                return (exit.code(), self.stderr());
            }
            if Instant::now() > until {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "the watch did not exit within {EXIT_BOUND:?} of SIGTERM; stderr:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Waits (up to the guard) until `path` exists.
fn wait_for_file(path: &Path) {
    let until = Instant::now() + GUARD;
    while !path.exists() {
        assert!(
            Instant::now() < until,
            "{} was never written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn cursor_at(path: &Path) -> Value {
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(value["devices"].is_object(), "a watch state: {value}");
    value
}

#[test]
fn a_device_gone_is_warned_about_once_and_the_others_go_on() {
    let env = env_at_t0();
    let gone = "gone-\u{1b}[2J-device";
    let mut args = vec![gone, "dev-02", "dev-03"];
    args.extend(["--since", T0, "--interval", "20ms", "-o", "ndjson"]);
    let watch = Running::on(&env, &args);
    // The others are printed.
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < 2 {
        let line = watch.lines.recv_timeout(GUARD).unwrap_or_else(|_| {
            panic!(
                "the other devices were printed; stderr:\n{}",
                watch.stderr()
            )
        });
        let value: Value = serde_json::from_str(&line).unwrap();
        seen.insert(value["deviceId"].as_str().unwrap().to_owned());
    }
    assert!(!seen.iter().any(|id| id.starts_with("gone")), "{seen:?}");
    // Several polls later, the watch goes on and the device was named once.
    std::thread::sleep(Duration::from_millis(300));
    let (exit, stderr) = watch.terminate();
    assert_eq!(exit, Some(0), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("gone-")).collect();
    assert_eq!(
        warnings.len(),
        1,
        "one warning for the device gone: {stderr}"
    );
    assert!(warnings[0].starts_with("warning:"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "sanitised: {stderr:?}");
}

#[test]
fn a_deleted_group_still_ends_the_watch_with_exit_4() {
    let env = Env::new();
    let out = env.run(&["watch", "--group", "no-such-group", "--interval", "20ms"]);
    assert_eq!(code(&out), 4, "{}", text(&out.stderr));
    let out = env.run(&["watch", "no-such-device", "--interval", "20ms"]);
    assert_eq!(
        code(&out),
        4,
        "every device named gone: {}",
        text(&out.stderr)
    );
}

/// A server that accepts connections and then answers them with `reply` (never, if
/// `None`). Each accepted connection is announced on the channel.
fn hostile_server(reply: Option<&'static str>) -> (String, Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, accepted) = mpsc::channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let _ = tx.send(());
            if let Some(reply) = reply {
                let _ = stream.write_all(reply.as_bytes());
            }
            held.push(stream);
        }
    });
    (url, accepted)
}

#[test]
fn sigterm_ends_a_watch_stuck_in_a_request_or_a_retry_after_pause_with_the_state_saved() {
    let retry_after =
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 90\r\nContent-Length: 0\r\n\r\n";
    for reply in [None, Some(retry_after)] {
        let (url, accepted) = hostile_server(reply);
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state.json");
        let config = dir.path().join("config.toml");
        let watch = Running::start(
            &url,
            &config,
            &[
                "dev-02",
                "--interval",
                "20ms",
                "--state",
                state.to_str().unwrap(),
                "-o",
                "ndjson",
            ],
        );
        accepted
            .recv_timeout(GUARD)
            .expect("the watch called the server");
        std::thread::sleep(Duration::from_millis(200));
        let (exit, stderr) = watch.terminate();
        assert_eq!(exit, Some(0), "{reply:?}: {stderr}");
        cursor_at(&state);
    }
}

#[test]
fn a_start_older_than_the_history_limit_is_refused() {
    let env = Env::new();
    for since in ["400d", "2000-01-01T00:00:00Z"] {
        let out = env.run(&["watch", "dev-02", "--since", since]);
        assert_eq!(code(&out), 2, "--since {since}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("history limit"));
        assert!(out.stdout.is_empty());
    }
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let old = r#"{"devices": {"dev-02": {"positions": {"time": "2000-01-01T00:00:00Z"}}}}"#;
    std::fs::write(&state, old).unwrap();
    let out = env.run(&["watch", "dev-02", "--state", state.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("history limit"));
    assert_eq!(std::fs::read_to_string(&state).unwrap(), old);
}

#[test]
fn a_second_watcher_on_the_same_state_file_is_refused() {
    let env = env_at_t0();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let args = [
        "dev-02",
        "--since",
        T0,
        "--interval",
        "20ms",
        "--state",
        state.to_str().unwrap(),
        "-o",
        "ndjson",
    ];
    let first = Running::on(&env, &args);
    wait_for_file(&state);
    let mut second = vec!["watch"];
    second.extend(args);
    let out = env.run(&second);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("in use"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let (exit, stderr) = first.terminate();
    assert_eq!(exit, Some(0), "{stderr}");
}

#[test]
fn a_hostile_state_file_is_refused_untouched_before_anything_is_printed() {
    let env = env_at_t0();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let run = |path: &Path| {
        env.run(&[
            "watch",
            "dev-02",
            "--since",
            T0,
            "--state",
            path.to_str().unwrap(),
            "-o",
            "ndjson",
        ])
    };
    let bad: [&[u8]; 5] = [
        b"garbage",
        b"[1, 2]",
        b"{\"devices\": []}",
        b"\"text\"",
        b"\xff\xfe{}",
    ];
    for bytes in bad {
        std::fs::write(&state, bytes).unwrap();
        let out = run(&state);
        assert_eq!(code(&out), 2, "{bytes:?}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{bytes:?}");
        assert_eq!(std::fs::read(&state).unwrap(), bytes, "untouched");
    }
    // Larger than the bound (a sparse file costs nothing).
    let file = std::fs::File::create(&state).unwrap();
    file.set_len(65 * 1024 * 1024).unwrap();
    let out = run(&state);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::metadata(&state).unwrap().len(), 65 * 1024 * 1024);
    // Not a regular file.
    let out = run(dir.path());
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    // An unwritable location.
    let out = run(&dir.path().join("no-such-dir").join("state.json"));
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(
        out.stdout.is_empty(),
        "nothing printed: {}",
        text(&out.stdout)
    );
}

#[test]
fn a_symlinked_state_file_writes_its_target() {
    let env = env_at_t0();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real-state.json");
    let link = dir.path().join("state.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let watch = Running::on(
        &env,
        &[
            "dev-02",
            "--since",
            T0,
            "--interval",
            "20ms",
            "--state",
            link.to_str().unwrap(),
            "-o",
            "ndjson",
        ],
    );
    watch.lines.recv_timeout(GUARD).expect("a fix is printed");
    let (exit, stderr) = watch.terminate();
    assert_eq!(exit, Some(0), "{stderr}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is kept"
    );
    assert!(cursor_at(&target)["devices"]["dev-02"].is_object());
}
