//! MQTT: a throwaway `mosquitto` broker and a QoS 1 subscriber; a watcher killed with -9
//! and restarted 30 sandbox minutes later leaves every fix of the span at the subscriber.

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use serde_json::Value;

use crate::servers::free_port;
use crate::watcher::{DEVICES, Env, GUARD, wait_for};

/// A running broker; killed when dropped.
struct Mosquitto {
    port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Mosquitto {
    fn start() -> Mosquitto {
        let bin = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"]
            .into_iter()
            .find(|p| std::path::Path::new(p).is_file())
            .unwrap_or_else(|| {
                panic!(
                    "mosquitto is not installed: this test starts a real mosquitto. Install \
                     the `mosquitto` package (or run .ci/install-servers)"
                )
            });
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let config = dir.path().join("mosquitto.conf");
        std::fs::write(
            &config,
            format!("listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"),
        )
        .unwrap();
        let child = Command::new(bin)
            .arg("-c")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting mosquitto");
        wait_for("mosquitto listening", || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        Mosquitto {
            port,
            child,
            _dir: dir,
        }
    }

    /// Subscribes to `filter` with QoS 1 on a thread of its own; what arrives goes to
    /// the returned list.
    fn subscribe(&self, filter: &str) -> Arc<Mutex<Vec<Value>>> {
        let received = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&received);
        let (ready_tx, ready) = std::sync::mpsc::channel();
        let (port, filter) = (self.port, filter.to_owned());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let mut options = MqttOptions::new("forward-test", "127.0.0.1", port);
                options.set_keep_alive(Duration::from_secs(30));
                let (client, mut events): (AsyncClient, _) = AsyncClient::new(options, 100);
                client.subscribe(filter, QoS::AtLeastOnce).await.unwrap();
                while let Ok(event) = events.poll().await {
                    match event {
                        Event::Incoming(Packet::SubAck(_)) => {
                            let _ = ready_tx.send(());
                        }
                        Event::Incoming(Packet::Publish(p)) => {
                            if let Ok(v) = serde_json::from_slice(&p.payload) {
                                keep.lock().unwrap().push(v);
                            }
                        }
                        _ => {}
                    }
                }
            });
        });
        ready.recv_timeout(GUARD).expect("a SUBACK from mosquitto");
        received
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ids(records: &[Value]) -> BTreeSet<(String, String)> {
    records
        .iter()
        .map(|r| {
            (
                r["deviceId"].as_str().unwrap_or_default().to_owned(),
                r["dateTime"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn an_mqtt_subscriber_receives_every_fix_across_a_kill() {
    let broker = Mosquitto::start();
    let received = broker.subscribe("fleet/#");
    let env = Env::at_t0();
    env.advance(3600);
    let state = env.path("mqtt.json");
    let url = format!("mqtt://127.0.0.1:{}/fleet", broker.port);
    let args = ["--to", url.as_str(), "--state", state.as_str()];

    let first = env.watch(&args);
    wait_for("the first fixes at the subscriber", || {
        !received.lock().unwrap().is_empty()
    });
    first.kill9();

    env.advance(1800);
    let fixes: usize = DEVICES.iter().map(|id| env.fixes(id).len()).sum();
    let want: BTreeSet<(String, String)> = DEVICES
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
    let second = env.watch(&args);
    wait_for("every fix of the span at the subscriber", || {
        ids(&received.lock().unwrap()).is_superset(&want)
    });
    let (ok, stderr) = second.terminate();
    assert!(ok, "SIGTERM ends the watch with exit 0: {stderr}");
    let got = received.lock().unwrap().clone();
    assert_eq!(ids(&got), want, "every fix, nothing else");
    // A repeat (the batch in flight at the kill) carries the same record id.
    let record_ids: BTreeSet<&str> = got.iter().filter_map(|r| r["recordId"].as_str()).collect();
    assert_eq!(record_ids.len(), fixes, "one record id per fix");
}
