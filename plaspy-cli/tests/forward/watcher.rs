//! A sandbox whose clock stands still until told, and `plaspy watch` children against it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use plaspy_blocking::policy::ManualClock;
use plaspy_sandbox::{DEMO_API_KEY, DEMO_USERNAME, SandboxConfig, SandboxHandle};
use serde_json::Value;

/// Where the watches start.
pub const T0: &str = "2030-01-08T13:00:00Z";
/// The devices watched.
pub const DEVICES: [&str; 3] = ["dev-02", "dev-03", "dev-05"];
/// The most a test waits for something to happen before failing (a guard, not a timing).
pub const GUARD: Duration = Duration::from_secs(120);

/// Variables of the caller that would change the CLI's behaviour.
const INHERITED: &[&str] = &[
    "PLASPY_BASE_URL",
    "PLASPY_USERNAME",
    "PLASPY_API_KEY",
    "PLASPY_PROFILE",
    "PLASPY_CONFIG",
    "RUST_LOG",
    "NO_COLOR",
    "PGPASSWORD",
];

/// A sandbox at [`T0`] and a private config directory.
pub struct Env {
    /// The sandbox.
    pub sandbox: SandboxHandle,
    /// Temporary files (config, state).
    pub dir: tempfile::TempDir,
}

impl Env {
    /// A sandbox whose clock stands at [`T0`].
    pub fn at_t0() -> Env {
        let sandbox = plaspy_sandbox::start(SandboxConfig {
            clock: Arc::new(ManualClock::new(T0.parse().unwrap())),
            ..SandboxConfig::default()
        })
        .expect("the sandbox starts");
        Env {
            sandbox,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// Moves the sandbox's clock.
    pub fn advance(&self, seconds: i64) {
        self.sandbox.control().advance_clock(seconds);
    }

    /// A path in the temporary directory.
    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_owned()
    }

    /// `plaspy watch DEVICES --since T0 --interval 20ms` plus `args`, as a child.
    pub fn watch(&self, args: &[&str]) -> Watch {
        self.watch_devices(&DEVICES, args)
    }

    /// `plaspy watch DEVICES --since T0 --interval 20ms` plus `args` for these devices.
    pub fn watch_devices(&self, devices: &[&str], args: &[&str]) -> Watch {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_plaspy"));
        for var in INHERITED {
            cmd.env_remove(var);
        }
        let mut child = cmd
            .env("PLASPY_CONFIG", self.dir.path().join("config.toml"))
            .env("PLASPY_BASE_URL", self.sandbox.base_url())
            .env("PLASPY_USERNAME", DEMO_USERNAME)
            .env("PLASPY_API_KEY", DEMO_API_KEY)
            .arg("watch")
            .args(devices)
            .args(["--since", T0, "--interval", "20ms"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("plaspy watch starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        let all = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&all);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                keep.lock().unwrap().push(line.clone());
                let _ = tx.send(line);
            }
        });
        Watch {
            child,
            lines,
            stderr: all,
        }
    }

    /// Every fix the server holds for `id` from [`T0`] to the sandbox's present, as
    /// `plaspy watch` prints it, without `deviceId`.
    pub fn fixes(&self, id: &str) -> Vec<Value> {
        let end: DateTime<Utc> = self.sandbox.control().now();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_plaspy"));
        for var in INHERITED {
            cmd.env_remove(var);
        }
        let out = cmd
            .env("PLASPY_CONFIG", self.dir.path().join("config.toml"))
            .env("PLASPY_BASE_URL", self.sandbox.base_url())
            .env("PLASPY_USERNAME", DEMO_USERNAME)
            .env("PLASPY_API_KEY", DEMO_API_KEY)
            .args(["devices", "locations", id, "--from", T0, "--to"])
            .arg(end.to_rfc3339())
            .args(["-o", "ndjson"])
            .output()
            .expect("plaspy devices locations runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

/// A running `plaspy watch`.
pub struct Watch {
    child: Child,
    /// Its stderr lines as they come.
    pub lines: Receiver<String>,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Watch {
    /// Kills it with SIGKILL: nothing flushed, nothing saved on the way out.
    pub fn kill9(mut self) {
        self.signal("-KILL");
        let _ = self.child.wait();
    }

    /// Sends SIGTERM; returns whether it exited 0, and its stderr.
    pub fn terminate(mut self) -> (bool, String) {
        self.signal("-TERM");
        let deadline = Instant::now() + GUARD;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the watch did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        std::thread::sleep(Duration::from_millis(50)); // the reader drains the pipe
        (status.success(), self.stderr())
    }

    /// What it wrote on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    fn signal(&mut self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits, polling `probe`, until it holds; fails after [`GUARD`] with `what`.
pub fn wait_for(what: &str, mut probe: impl FnMut() -> bool) {
    let deadline = Instant::now() + GUARD;
    while !probe() {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `value` without the members the sinks add or the receiver knows: `deviceId`, `recordId`.
pub fn bare(mut value: Value) -> Value {
    if let Some(object) = value.as_object_mut() {
        object.remove("deviceId");
        object.remove("recordId");
    }
    value
}
