//! Real servers for the sink tests, each started by the test on a free loopback port in
//! its own temporary directory, and stopped when dropped. A missing server binary fails
//! the test with the server's name and the package that provides it (`.ci/install-servers`
//! installs them): these tests are never skipped.

#![allow(dead_code)]

pub mod mqtt;
pub mod nats;
pub mod postgres;
pub mod records;
pub mod webhook;

use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to start listening.
pub const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding an ephemeral port");
    listener.local_addr().expect("its address").port()
}

/// The first of `candidates` that exists, or a failure naming the server and package.
pub fn find_binary(server: &str, package: &str, candidates: &[PathBuf]) -> PathBuf {
    for candidate in candidates {
        if candidate.is_absolute() && candidate.is_file() {
            return candidate.clone();
        }
        if let Some(found) = on_path(candidate) {
            return found;
        }
    }
    panic!(
        "{server} is not installed: these tests start a real {server}. Install the `{package}` \
         package (`apt-get install -y {package}`, or run .ci/install-servers)"
    );
}

fn on_path(name: &Path) -> Option<PathBuf> {
    if name.components().count() != 1 {
        return None;
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// A running server process; killed (and reaped) when dropped.
pub struct Process {
    pub name: &'static str,
    child: Child,
    log: PathBuf,
}

impl Process {
    /// Spawns `command` with its output going to `log`.
    pub fn spawn(name: &'static str, mut command: Command, log: PathBuf) -> Process {
        let out = File::create(&log).expect("creating the server log");
        let err = out.try_clone().expect("cloning the log handle");
        command
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err));
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name} failed: {e}"));
        Process { name, child, log }
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until `port` on 127.0.0.1 accepts connections; fails with the log if the
    /// server exits or takes too long.
    pub fn wait_listening(&mut self, port: u16) {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "{} exited ({status}) before listening:\n{}",
                    self.name,
                    self.log()
                );
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "{} did not listen on port {port} within {START_TIMEOUT:?}:\n{}",
                self.name,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server: `signal` first, SIGKILL if it lingers.
    pub fn stop(&mut self, signal: rustix::process::Signal) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let pid = i32::try_from(self.child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw);
        if let Some(pid) = pid {
            let _ = rustix::process::kill_process(pid, signal);
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether this process runs as root (CI does): PostgreSQL then runs as `nobody`.
pub fn running_as_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// The uid and gid of `user`.
pub fn ids_of(user: &str) -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, user])
            .output()
            .unwrap_or_else(|e| panic!("running id {flag} {user}: {e}"));
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("no user {user} on this machine"))
    };
    (id("-u"), id("-g"))
}
