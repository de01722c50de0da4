//! A throwaway `mosquitto` broker on a free port (anonymous, no persistence), and a
//! subscriber to see what it received.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use tokio::sync::mpsc;

use super::{Process, find_binary, free_port};

/// A running broker.
pub struct Mosquitto {
    pub port: u16,
    dir: tempfile::TempDir,
    bin: PathBuf,
    process: Option<Process>,
}

impl Mosquitto {
    /// Starts a broker on a free port.
    pub fn start() -> Mosquitto {
        let bin = find_binary(
            "mosquitto",
            "mosquitto",
            &[
                PathBuf::from("mosquitto"),
                PathBuf::from("/usr/sbin/mosquitto"),
            ],
        );
        let dir = tempfile::Builder::new()
            .prefix("plaspy-mqtt-")
            .tempdir()
            .expect("a temporary directory");
        let mut broker = Mosquitto {
            port: free_port(),
            dir,
            bin,
            process: None,
        };
        broker.run();
        broker
    }

    /// Starts (again) on the same port.
    pub fn run(&mut self) {
        let port = self.port;
        let config = self.dir.path().join("mosquitto.conf");
        std::fs::write(
            &config,
            format!(
                "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n"
            ),
        )
        .expect("writing the broker config");
        let mut command = Command::new(&self.bin);
        command.arg("-c").arg(&config);
        let log = self.dir.path().join(format!("mosquitto-{port}.log"));
        let mut process = Process::spawn("mosquitto", command, log);
        process.wait_listening(port);
        self.process = Some(process);
    }

    /// Stops the broker.
    pub fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            process.stop(rustix::process::Signal::TERM);
        }
    }

    /// The sink URL for `topic`.
    pub fn url(&self, topic: &str) -> String {
        format!("mqtt://127.0.0.1:{}/{topic}", self.port)
    }

    /// Subscribes to `filter` (QoS 1) and returns the (topic, payload) of what arrives.
    pub async fn subscribe(
        &self,
        filter: &str,
    ) -> (AsyncClient, mpsc::UnboundedReceiver<(String, String)>) {
        let mut options = MqttOptions::new(
            format!("test-{}", fastrand::u32(..)),
            "127.0.0.1",
            self.port,
        );
        options.set_keep_alive(Duration::from_secs(30));
        let (client, mut eventloop) = AsyncClient::new(options, 100);
        let (tx, rx) = mpsc::unbounded_channel();
        let (subscribed_tx, mut subscribed) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok(event) = eventloop.poll().await {
                match event {
                    Event::Incoming(Packet::Publish(p)) => {
                        let payload = String::from_utf8_lossy(&p.payload).into_owned();
                        if tx.send((p.topic, payload)).is_err() {
                            return;
                        }
                    }
                    Event::Incoming(Packet::SubAck(_)) => {
                        let _ = subscribed_tx.send(());
                    }
                    _ => {}
                }
            }
        });
        client
            .subscribe(filter, QoS::AtLeastOnce)
            .await
            .expect("subscribing");
        tokio::time::timeout(Duration::from_secs(10), subscribed.recv())
            .await
            .expect("no SUBACK from the broker");
        (client, rx)
    }
}
