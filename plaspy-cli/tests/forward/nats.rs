//! NATS JetStream: a throwaway `nats-server -js`; a watcher killed with -9 and restarted
//! 30 sandbox minutes later leaves every fix of the span in the stream exactly once.

use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::servers::free_port;
use crate::watcher::{DEVICES, Env, wait_for};

/// A running server; killed when dropped.
struct Nats {
    port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Nats {
    fn start() -> Nats {
        let bin = ["/usr/sbin/nats-server", "/usr/bin/nats-server"]
            .into_iter()
            .find(|p| std::path::Path::new(p).is_file())
            .unwrap_or_else(|| {
                panic!(
                    "nats-server is not installed: this test starts a real nats-server. \
                     Install the `nats-server` package (or run .ci/install-servers)"
                )
            });
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Command::new(bin)
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(dir.path().join("store"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting nats-server");
        wait_for("nats-server listening", || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        Nats {
            port,
            child,
            _dir: dir,
        }
    }

    /// Every message in the stream `PLASPY_fleet`, parsed.
    fn messages(&self) -> Vec<Value> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let Ok(client) = async_nats::connect(format!("127.0.0.1:{}", self.port)).await else {
                return Vec::new();
            };
            let js = async_nats::jetstream::new(client);
            let Ok(mut stream) = js.get_stream("PLASPY_fleet").await else {
                return Vec::new();
            };
            let last = stream.info().await.map_or(0, |i| i.state.last_sequence);
            let mut out = Vec::new();
            for seq in 1..=last {
                if let Ok(message) = stream.get_raw_message(seq).await {
                    out.push(serde_json::from_slice(&message.payload).unwrap());
                }
            }
            out
        })
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ids(records: &[Value]) -> Vec<(String, String)> {
    let mut ids: Vec<_> = records
        .iter()
        .map(|r| {
            (
                r["deviceId"].as_str().unwrap_or_default().to_owned(),
                r["dateTime"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_watcher_killed_and_restarted_publishes_every_fix_exactly_once() {
    let nats = Nats::start();
    let env = Env::at_t0();
    env.advance(3600);
    let url = format!("nats://127.0.0.1:{}/fleet", nats.port);

    let first = env.watch(&["--to", &url]);
    wait_for("the first fixes in the stream", || {
        !nats.messages().is_empty()
    });
    first.kill9();

    env.advance(1800);
    let want: Vec<(String, String)> = {
        let mut want: Vec<_> = DEVICES
            .iter()
            .flat_map(|id| {
                env.fixes(id).into_iter().map(move |f| {
                    (
                        (*id).to_owned(),
                        f["dateTime"].as_str().unwrap_or_default().to_owned(),
                    )
                })
            })
            .collect();
        want.sort();
        want
    };
    let second = env.watch(&["--to", &url]);
    wait_for("every fix of the span in the stream", || {
        nats.messages().len() >= want.len()
    });
    let (ok, stderr) = second.terminate();
    assert!(ok, "SIGTERM ends the watch with exit 0: {stderr}");
    let got = nats.messages();
    assert_eq!(ids(&got), want, "every fix exactly once");
}
