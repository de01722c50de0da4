//! `plaspy watch` against a sandbox whose clock moves only when told (years ahead of this
//! machine's, then jumped hours at a time): the fixes it prints equal those of `plaspy
//! devices locations` for the span, across a SIGTERM and a restart with `--state`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use chrono::{DateTime, Utc};
use plaspy_blocking::feed::FeedCursor;
use plaspy_blocking::policy::ManualClock;
use plaspy_sandbox::{DEMO_API_KEY, DEMO_USERNAME, FaultConfig, SandboxConfig};
use serde_json::Value;

use crate::common::{Env, INHERITED};

const T0: &str = "2030-01-08T13:00:00Z";
const DEVICES: [&str; 4] = ["dev-02", "dev-03", "dev-05", "dev-07"];
/// The most a test waits for the watch to catch up before failing (a guard, not a timing).
const GUARD: Duration = Duration::from_secs(120);

fn t0() -> DateTime<Utc> {
    T0.parse().unwrap()
}

fn env_at_t0() -> Env {
    Env::with(SandboxConfig {
        clock: Arc::new(ManualClock::new(t0())),
        ..SandboxConfig::default()
    })
}

/// A running `plaspy watch` and the lines it printed so far.
struct Watch {
    child: Child,
    lines: Receiver<String>,
    printed: Vec<Value>,
}

impl Watch {
    fn start(env: &Env, args: &[&str]) -> Watch {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_plaspy"));
        for var in INHERITED {
            cmd.env_remove(var);
        }
        let mut child = cmd
            .env("PLASPY_CONFIG", env.config_path())
            .env("PLASPY_BASE_URL", env.url())
            .env("PLASPY_USERNAME", DEMO_USERNAME)
            .env("PLASPY_API_KEY", DEMO_API_KEY)
            .arg("watch")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
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
        Watch {
            child,
            lines,
            printed: Vec::new(),
        }
    }

    fn take(&mut self, line: String) {
        let value: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        self.printed.push(value);
    }

    /// Reads lines until `done(printed)` holds.
    fn wait_until(&mut self, done: impl Fn(&[Value]) -> bool) {
        while !done(&self.printed) {
            let line = self
                .lines
                .recv_timeout(GUARD)
                .expect("the watch printed the fixes it was waiting for");
            self.take(line);
        }
    }

    /// Sends SIGTERM; returns the exit status's success and every line printed.
    fn terminate(mut self) -> (bool, Vec<Value>) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let exit = self.child.wait().expect("the watch exits");
        while let Ok(line) = self.lines.recv_timeout(GUARD) {
            self.take(line);
        }
        (exit.success(), self.printed)
    }
}

fn client(env: &Env) -> plaspy_blocking::Client {
    plaspy_blocking::Client::builder()
        .credentials(DEMO_USERNAME, DEMO_API_KEY)
        .base_url(env.url())
        .build()
        .unwrap()
}

/// Whether `printed` holds each device's latest fix (if it has one since T0).
fn caught_up(latest: &BTreeMap<String, DateTime<Utc>>, printed: &[Value]) -> bool {
    latest.iter().all(|(id, last)| {
        printed.iter().any(|v| {
            v["deviceId"] == id.as_str()
                && v["dateTime"]
                    .as_str()
                    .and_then(|t| t.parse::<DateTime<Utc>>().ok())
                    .is_some_and(|t| t == *last)
        })
    })
}

fn latest_fixes(client: &plaspy_blocking::Client) -> BTreeMap<String, DateTime<Utc>> {
    DEVICES
        .iter()
        .filter_map(|id| {
            let last = client.devices().last_location(id).unwrap()?;
            (last.date_time >= t0()).then(|| ((*id).to_owned(), last.date_time))
        })
        .collect()
}

/// Moves the sandbox clock in steps and waits after each for the watch to print up to it.
/// With `faults`, tokens are expired at every other step and 503 bursts hit the API, one
/// short enough for the retries and one that outlasts them.
fn drive(env: &Env, watch: &mut Watch, steps: usize, seconds: i64, faults: bool) {
    let client = client(env);
    for step in 0..steps {
        env.sandbox.control().advance_clock(seconds);
        let latest = latest_fixes(&client);
        if faults {
            let control = env.sandbox.control();
            if step % 2 == 0 {
                control.expire_tokens();
            }
            let burst = [2, 12, 0, 0][step % 4];
            control
                .set_faults(FaultConfig {
                    fail_next: burst,
                    fail_status: 503,
                    ..FaultConfig::none()
                })
                .unwrap();
        }
        watch.wait_until(|printed| caught_up(&latest, printed));
    }
}

fn watch_args<'a>(state: &'a str, since: &'a str) -> Vec<&'a str> {
    let mut args: Vec<&str> = DEVICES.to_vec();
    args.extend([
        "--since",
        since,
        "--interval",
        "20ms",
        "--state",
        state,
        "-o",
        "ndjson",
    ]);
    args
}

fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).map(|m| m.ino()).unwrap_or(0)
}

fn read_cursor(path: &Path) -> FeedCursor {
    serde_json::from_str(&std::fs::read_to_string(path).expect("the state was saved"))
        .expect("a cursor")
}

#[test]
fn watch_prints_every_fix_once_across_a_restart_and_clock_jumps() {
    let env = env_at_t0();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("watch-state.json");
    let state_arg = state.to_str().unwrap();

    // First run: an hour and a half of sandbox time, then SIGTERM.
    let mut first = Watch::start(&env, &watch_args(state_arg, T0));
    drive(&env, &mut first, 3, 1800, false);
    let (ok, mut printed) = first.terminate();
    assert!(ok, "SIGTERM ends the watch with exit 0");
    let saved = read_cursor(&state);
    for id in DEVICES {
        let last = printed.iter().rev().find(|v| v["deviceId"] == id);
        let mark = saved.positions(id).expect("every device is in the state");
        match last {
            Some(v) => assert_eq!(
                mark.time.to_rfc3339(),
                v["dateTime"]
                    .as_str()
                    .unwrap()
                    .parse::<DateTime<Utc>>()
                    .unwrap()
                    .to_rfc3339(),
                "{id}"
            ),
            None => assert_eq!(mark.time, t0(), "{id}"),
        }
    }

    // Stopped for two hours of sandbox time (the client sees the server's clock years
    // ahead of this machine's and jumping); the restart's --since is later, but the
    // state wins.
    env.sandbox.control().advance_clock(7200);
    let mut second = Watch::start(&env, &watch_args(state_arg, "now"));
    // Through expired tokens and 503 bursts.
    drive(&env, &mut second, 4, 2700, true);
    let (ok, more) = second.terminate();
    assert!(ok);
    printed.extend(more);
    let end = env.sandbox.control().now();

    let mut total = 0;
    for id in DEVICES {
        let out = env.run(&[
            "devices",
            "locations",
            id,
            "--from",
            T0,
            "--to",
            &end.to_rfc3339(),
            "-o",
            "ndjson",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let got: Vec<Value> = printed
            .iter()
            .filter(|v| v["deviceId"] == id)
            .map(|v| {
                let mut v = v.clone();
                v.as_object_mut().unwrap().remove("deviceId");
                v
            })
            .collect();
        assert_eq!(
            got.len(),
            expected.len(),
            "device {id}: printed vs in the range"
        );
        assert_eq!(got, expected, "device {id}");
        total += expected.len();
    }
    assert!(total > 200, "hours of driving: {total} fixes");
}

#[test]
fn sigterm_saves_the_state_of_what_was_printed() {
    let env = env_at_t0();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("s.json");
    env.sandbox.control().advance_clock(3600);
    let mut watch = Watch::start(
        &env,
        &[
            "dev-02",
            "--since",
            T0,
            "--interval",
            "20ms",
            "--state",
            state.to_str().unwrap(),
        ],
    );
    watch.wait_until(|printed| !printed.is_empty());
    let (ok, printed) = watch.terminate();
    assert!(ok, "exit 0 on SIGTERM");
    let last: DateTime<Utc> = printed.last().unwrap()["dateTime"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let mark = read_cursor(&state).positions("dev-02").unwrap();
    assert_eq!(mark.time, last);
    // A restart prints what the first run had not (it may have stopped mid-batch), and
    // nothing twice.
    let latest = client(&env)
        .devices()
        .last_location("dev-02")
        .unwrap()
        .unwrap()
        .date_time;
    let before = inode(&state);
    let mut again = Watch::start(
        &env,
        &[
            "dev-02",
            "--interval",
            "20ms",
            "--state",
            state.to_str().unwrap(),
        ],
    );
    if last < latest {
        let latest = BTreeMap::from([("dev-02".to_owned(), latest)]);
        again.wait_until(|printed| caught_up(&latest, printed));
    } else {
        // Nothing to print: wait for the state file to be replaced after the first poll.
        let started = std::time::Instant::now();
        while inode(&state) == before {
            assert!(
                started.elapsed() < GUARD,
                "the watch saved its state after a poll"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let (ok, more) = again.terminate();
    assert!(ok);
    let mut all = printed;
    all.extend(more);
    let out = env.run(&[
        "devices",
        "locations",
        "dev-02",
        "--from",
        T0,
        "--to",
        &latest.to_rfc3339(),
        "-o",
        "ndjson",
    ]);
    let expected: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<Value> = all
        .into_iter()
        .map(|mut v| {
            v.as_object_mut().unwrap().remove("deviceId");
            v
        })
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        read_cursor(&state).positions("dev-02").unwrap().time,
        latest
    );
}

#[test]
fn watch_refuses_formats_that_cannot_stream() {
    let env = Env::new();
    let out = env.run(&["watch", "-o", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ndjson or table"));
    let out = env.run(&["watch", "--interval", "1ms"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn watch_of_an_unknown_device_fails_with_not_found() {
    let env = Env::new();
    let out = env.run(&["watch", "no-such-device", "--interval", "20ms"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn watch_draws_a_table_with_one_row_per_device() {
    let env = env_at_t0();
    env.sandbox.control().advance_clock(1800);
    let mut watch = Watch::start(
        &env,
        &[
            "dev-02",
            "dev-03",
            "--since",
            T0,
            "--interval",
            "20ms",
            "-o",
            "table",
        ],
    );
    let line = watch.lines.recv_timeout(GUARD).expect("the table is drawn");
    assert!(
        line.starts_with("\u{1b}[H\u{1b}[2J"),
        "the screen is cleared: {line:?}"
    );
    let mut table = Vec::new();
    while table.len() < 4 {
        table.push(watch.lines.recv_timeout(GUARD).expect("the table rows"));
    }
    assert!(table[0].starts_with("DEVICE"), "{table:?}");
    assert!(
        table[1].starts_with("dev-02") && table[2].starts_with("dev-03"),
        "{table:?}"
    );
    assert!(table[1].contains("moving") || table[1].contains("parked"));

    // Once caught up (the sandbox's clock stands still), each row's STATE is the word
    // `plaspy fleet` gives the same device: one definition of a state.
    let mut frames = 0;
    let mut rows: BTreeMap<String, String> = BTreeMap::new();
    while frames < 5 {
        let line = watch.lines.recv_timeout(GUARD).expect("the table redraws");
        if line.starts_with("\u{1b}[H") {
            frames += 1;
        }
        let cells: Vec<&str> = line.split_whitespace().collect();
        // DEVICE, LAST REPORT (a date and a time), AGE, STATE, ...
        if let [device @ ("dev-02" | "dev-03"), _, _, _, state, ..] = cells[..] {
            rows.insert(device.to_owned(), state.to_owned());
        }
    }
    let status = Command::new("kill")
        .args(["-TERM", &watch.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(watch.child.wait().unwrap().success());
    let fleet: Vec<Value> = env.json(&["fleet", "dev-02", "dev-03", "-o", "json"]);
    assert_eq!(fleet.len(), 2);
    for entry in &fleet {
        let id = entry["device"]["id"].as_str().unwrap();
        assert_eq!(
            rows.get(id).map(String::as_str),
            entry["state"].as_str(),
            "{id}: watch {rows:?}, fleet {entry}"
        );
    }
}

#[test]
fn watch_works_with_the_embedded_sandbox() {
    let env = Env::new();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plaspy"));
    for var in INHERITED {
        cmd.env_remove(var);
    }
    let mut child = cmd
        .env("PLASPY_CONFIG", env.config_path())
        .args([
            "--sandbox",
            "watch",
            "dev-02",
            "--since",
            "3h",
            "--interval",
            "20ms",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        if let Some(Ok(line)) = BufReader::new(stdout).lines().next() {
            let _ = tx.send(line);
        }
    });
    let line = rx.recv_timeout(GUARD).expect("a fix within two days");
    let first: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(first["deviceId"], "dev-02");
    assert!(first["latitude"].is_number());
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
}
