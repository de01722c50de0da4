//! A throwaway PostgreSQL cluster: `initdb` into a temporary directory, then `postgres`
//! on a free loopback port, password (SCRAM) authentication over TCP.
//!
//! PostgreSQL refuses to run as root, and CI runs as root: there, the directory is handed
//! to the `nobody` user and both programs are started through `setpriv` (util-linux) with
//! nobody's uid and gid, so the postmaster is our direct child and dies with the test.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use super::{Process, find_binary, free_port, ids_of, running_as_root};

/// The role the cluster is created with.
pub const USER: &str = "plaspy";
/// Its password.
pub const PASSWORD: &str = "pg-s3cret-pw";

/// A running cluster.
pub struct Postgres {
    pub port: u16,
    dir: tempfile::TempDir,
    bin: PathBuf,
    owner: Option<(u32, u32)>,
    process: Option<Process>,
}

/// The directory holding `initdb` and `postgres`: `PLASPY_PG_BIN`, the newest
/// /usr/lib/postgresql/*/bin, or the PATH.
fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PLASPY_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return bin;
    }
    let initdb = find_binary("PostgreSQL", "postgresql", &[PathBuf::from("initdb")]);
    initdb.parent().map(PathBuf::from).unwrap_or_default()
}

impl Postgres {
    /// Creates and starts a cluster.
    pub fn start() -> Postgres {
        let bin = bin_dir();
        find_binary("PostgreSQL", "postgresql", &[bin.join("initdb")]);
        find_binary("PostgreSQL", "postgresql", &[bin.join("postgres")]);
        let dir = tempfile::Builder::new()
            .prefix("plaspy-pg-")
            .tempdir()
            .expect("a temporary directory");
        let owner = running_as_root().then(|| ids_of("nobody"));
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, PASSWORD).expect("writing the password file");
        if let Some((uid, gid)) = owner {
            for path in [dir.path(), pwfile.as_path()] {
                std::os::unix::fs::chown(path, Some(uid), Some(gid)).expect("chown to nobody");
            }
        }
        let mut pg = Postgres {
            port: free_port(),
            dir,
            bin,
            owner,
            process: None,
        };
        let data = pg.data();
        let status = pg
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                USER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ])
            .arg(format!("--pwfile={}", pwfile.display()))
            .args(["-E", "UTF8", "--no-sync", "--no-instructions"])
            .output()
            .expect("running initdb");
        assert!(
            status.status.success(),
            "initdb failed:\n{}{}",
            String::from_utf8_lossy(&status.stdout),
            String::from_utf8_lossy(&status.stderr)
        );
        pg.run();
        pg
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A command for one of the PostgreSQL programs, as nobody when we are root.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut command = match self.owner {
            Some((uid, gid)) => {
                let mut c = Command::new("setpriv");
                c.arg(format!("--reuid={uid}"))
                    .arg(format!("--regid={gid}"))
                    .arg("--clear-groups")
                    .arg("--")
                    .arg(path);
                c
            }
            None => Command::new(path),
        };
        command.current_dir(self.dir.path());
        command
    }

    /// Starts the postmaster on the cluster's port and waits until it accepts logins.
    pub fn run(&mut self) {
        let mut command = self.command("postgres");
        command
            .arg("-D")
            .arg(self.data())
            .args(["-p", &self.port.to_string(), "-h", "127.0.0.1", "-k"])
            .arg(self.dir.path())
            .args(["-c", "fsync=off", "-c", "synchronous_commit=off"]);
        let log = self.dir.path().join(format!("postgres-{}.log", self.port));
        let mut process = Process::spawn("PostgreSQL", command, log);
        process.wait_listening(self.port);
        self.process = Some(process);
        self.wait_ready();
    }

    /// Waits until a login succeeds (the server listens before it accepts logins).
    fn wait_ready(&self) {
        let conn = self.conn_string();
        // On its own thread: the tests call this from inside their runtime.
        let ready = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            let started = Instant::now();
            while started.elapsed() < super::START_TIMEOUT {
                let ok = runtime.block_on(async {
                    tokio_postgres::connect(&conn, tokio_postgres::NoTls)
                        .await
                        .is_ok()
                });
                if ok {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            false
        })
        .join()
        .unwrap_or(false);
        assert!(
            ready,
            "PostgreSQL accepted no login within {:?}:\n{}",
            super::START_TIMEOUT,
            self.process.as_ref().map(Process::log).unwrap_or_default()
        );
    }

    /// Stops the server (fast shutdown); `run` starts it again on the same port and data.
    pub fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            process.stop(rustix::process::Signal::INT);
        }
    }

    /// The sink URL, password included.
    pub fn url(&self) -> String {
        format!(
            "postgres://{USER}:{PASSWORD}@127.0.0.1:{}/postgres",
            self.port
        )
    }

    /// A libpq-style connection string for the test's own queries.
    pub fn conn_string(&self) -> String {
        format!(
            "host=127.0.0.1 port={} user={USER} password={PASSWORD} dbname=postgres",
            self.port
        )
    }

    /// A client for the test's own queries.
    pub async fn client(&self) -> tokio_postgres::Client {
        let (client, connection) =
            tokio_postgres::connect(&self.conn_string(), tokio_postgres::NoTls)
                .await
                .expect("connecting to the test cluster");
        tokio::spawn(connection);
        client
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(mut process) = self.process.take() {
            // Immediate shutdown: the backends go with the postmaster.
            process.stop(rustix::process::Signal::QUIT);
        }
    }
}
