//! A throwaway `nats-server -js` with a user and password, its JetStream store in a
//! temporary directory (kept across `stop`/`run`, like a real restart).

use std::path::PathBuf;
use std::process::Command;

use super::{Process, find_binary, free_port};

/// The user the server accepts.
pub const USER: &str = "plaspy";
/// Its password.
pub const PASSWORD: &str = "nats-s3cret-pw";

/// A running server.
pub struct Nats {
    pub port: u16,
    dir: tempfile::TempDir,
    bin: PathBuf,
    process: Option<Process>,
}

impl Nats {
    /// Starts a server on a free port.
    pub fn start() -> Nats {
        let bin = find_binary(
            "nats-server",
            "nats-server",
            &[PathBuf::from("nats-server")],
        );
        let dir = tempfile::Builder::new()
            .prefix("plaspy-nats-")
            .tempdir()
            .expect("a temporary directory");
        let mut nats = Nats {
            port: free_port(),
            dir,
            bin,
            process: None,
        };
        nats.run();
        nats
    }

    /// Starts (again) on the same port and store.
    pub fn run(&mut self) {
        let mut command = Command::new(&self.bin);
        command
            .args(["-js", "-a", "127.0.0.1", "-p", &self.port.to_string()])
            .arg("-sd")
            .arg(self.dir.path().join("store"))
            .args(["--user", USER, "--pass", PASSWORD]);
        let log = self.dir.path().join(format!("nats-{}.log", self.port));
        let mut process = Process::spawn("nats-server", command, log);
        process.wait_listening(self.port);
        self.process = Some(process);
    }

    /// Stops the server.
    pub fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            process.stop(rustix::process::Signal::TERM);
        }
    }

    /// The sink URL for `subject`, credentials included.
    pub fn url(&self, subject: &str) -> String {
        format!("nats://{USER}:{PASSWORD}@127.0.0.1:{}/{subject}", self.port)
    }

    /// A JetStream context for the test's own checks.
    pub async fn jetstream(&self) -> async_nats::jetstream::Context {
        let client = async_nats::ConnectOptions::new()
            .user_and_password(USER.into(), PASSWORD.into())
            .connect(format!("nats://127.0.0.1:{}", self.port))
            .await
            .expect("connecting to the test server");
        async_nats::jetstream::new(client)
    }
}
