//! Shared helpers: a sandbox per test and a `plaspy` command wired to it.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use plaspy_sandbox::{DEMO_API_KEY, DEMO_USERNAME, SandboxConfig, SandboxHandle};
use serde::de::DeserializeOwned;
use tempfile::TempDir;

/// Variables the caller may have set that would change the CLI's behaviour.
pub const INHERITED: &[&str] = &[
    "PLASPY_BASE_URL",
    "PLASPY_USERNAME",
    "PLASPY_API_KEY",
    "PLASPY_PROFILE",
    "PLASPY_CONFIG",
    "RUST_LOG",
    "NO_COLOR",
];

/// `plaspy` with a clean environment and `PLASPY_CONFIG` set to `config`.
pub fn plaspy(config: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plaspy"));
    for var in INHERITED {
        cmd.env_remove(var);
    }
    cmd.env("PLASPY_CONFIG", config);
    cmd
}

/// A sandbox and a private config directory for one test.
pub struct Env {
    /// The running sandbox.
    pub sandbox: SandboxHandle,
    dir: TempDir,
}

impl Env {
    /// A default sandbox (demo account, no rate limit).
    pub fn new() -> Self {
        Self::with(SandboxConfig::default())
    }

    /// A sandbox with this configuration; in the quirks mode when the test binary runs
    /// its suites against it ([`crate::SANDBOX_QUIRKS`]).
    pub fn with(config: SandboxConfig) -> Self {
        let quirks = config.quirks || crate::SANDBOX_QUIRKS;
        let sandbox = plaspy_sandbox::start(config.quirks(quirks)).expect("the sandbox starts");
        Env {
            sandbox,
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    /// The config file the CLI is pointed at (absent until written).
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("plaspy").join("config.toml")
    }

    /// The sandbox's base URL.
    pub fn url(&self) -> &str {
        self.sandbox.base_url()
    }

    /// `plaspy` without credentials.
    pub fn bare(&self) -> Command {
        plaspy(&self.config_path())
    }

    /// `plaspy` with the demo credentials in the environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = self.bare();
        cmd.env("PLASPY_BASE_URL", self.url())
            .env("PLASPY_USERNAME", DEMO_USERNAME)
            .env("PLASPY_API_KEY", DEMO_API_KEY);
        cmd
    }

    /// Runs `plaspy ARGS` with the demo credentials.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("plaspy runs")
    }

    /// Runs `plaspy ARGS`, expects success, and parses stdout as JSON.
    pub fn json<T: DeserializeOwned>(&self, args: &[&str]) -> T {
        let out = self.run(args);
        assert_success(&out, args);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: stdout is not the expected JSON ({e}):\n{}",
                text(&out.stdout)
            )
        })
    }

    /// Runs `plaspy ARGS`, expects success, and returns stdout.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_success(&out, args);
        text(&out.stdout)
    }
}

/// Panics with both streams unless the command succeeded.
pub fn assert_success(out: &Output, args: &[&str]) {
    assert!(
        out.status.success(),
        "{args:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// Bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The exit code.
pub fn code(out: &Output) -> i32 {
    out.status.code().expect("an exit code")
}
