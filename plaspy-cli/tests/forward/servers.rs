//! A throwaway PostgreSQL cluster (`initdb` into a temporary directory, `postgres` on a
//! free loopback port, password login over TCP), queried with `psql`. The minimal start
//! code of plaspy-sinks' test support, without its async client.
//!
//! PostgreSQL refuses to run as root (CI does): there the directory is handed to `nobody`
//! and the programs run through `setpriv`, so the postmaster stays our child.

use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// The role the cluster is created with.
pub const USER: &str = "plaspy";
/// Its password.
pub const PASSWORD: &str = "pg-forward-s3cret";

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding an ephemeral port");
    listener.local_addr().expect("its address").port()
}

fn missing(server: &str, package: &str) -> ! {
    panic!(
        "{server} is not installed: this test starts a real {server}. Install the `{package}` \
         package (`apt-get install -y {package}`, or run .ci/install-servers)"
    )
}

/// The directory holding `initdb` and `postgres`: `PLASPY_PG_BIN` or the newest
/// /usr/lib/postgresql/*/bin.
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
    versions
        .pop()
        .map(|(_, bin)| bin)
        .unwrap_or_else(|| missing("PostgreSQL", "postgresql"))
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn id_of(flag: &str, user: &str) -> u32 {
    let out = Command::new("id")
        .args([flag, user])
        .output()
        .expect("id runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("no user {user} on this machine"))
}

/// A running cluster; stopped (immediate shutdown) when dropped.
pub struct Postgres {
    /// Its port on 127.0.0.1.
    pub port: u16,
    dir: tempfile::TempDir,
    bin: PathBuf,
    owner: Option<(u32, u32)>,
    child: Option<Child>,
}

impl Postgres {
    /// Creates and starts a cluster.
    pub fn start() -> Postgres {
        let bin = bin_dir();
        for program in ["initdb", "postgres", "psql"] {
            if !bin.join(program).is_file() {
                missing("PostgreSQL", "postgresql");
            }
        }
        let dir = tempfile::Builder::new()
            .prefix("plaspy-fwd-pg-")
            .tempdir()
            .expect("a temporary directory");
        let owner = running_as_root().then(|| (id_of("-u", "nobody"), id_of("-g", "nobody")));
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
            child: None,
        };
        let out = pg
            .command("initdb")
            .arg("-D")
            .arg(pg.data())
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
            out.status.success(),
            "initdb failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        pg.run();
        pg
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

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

    fn run(&mut self) {
        let log = File::create(self.dir.path().join("postgres.log")).expect("a log");
        let child = self
            .command("postgres")
            .arg("-D")
            .arg(self.data())
            .args(["-p", &self.port.to_string(), "-h", "127.0.0.1", "-k"])
            .arg(self.dir.path())
            .args(["-c", "fsync=off"])
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("starting PostgreSQL");
        self.child = Some(child);
        let started = Instant::now();
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
                && self.try_query("SELECT 1").is_some()
            {
                return;
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "PostgreSQL did not accept logins within {START_TIMEOUT:?}:\n{}",
                std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The sink URL, password included.
    pub fn url(&self) -> String {
        format!(
            "postgres://{USER}:{PASSWORD}@127.0.0.1:{}/postgres",
            self.port
        )
    }

    fn try_query(&self, sql: &str) -> Option<Vec<String>> {
        let out = Command::new(self.bin.join("psql"))
            .env("PGPASSWORD", PASSWORD)
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", USER])
            .args(["-d", "postgres", "-X", "-A", "-t", "-q", "-c", sql])
            .output()
            .ok()?;
        out.status.success().then(|| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::to_owned)
                .collect()
        })
    }

    /// The rows of `sql`, one column each, as text.
    pub fn query(&self, sql: &str) -> Vec<String> {
        self.try_query(sql)
            .unwrap_or_else(|| panic!("psql failed on: {sql}"))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-QUIT", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
