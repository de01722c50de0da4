//! MQTT: each record published with QoS 1 to `TOPIC/<deviceId>` (events to
//! `TOPIC/<deviceId>/events`); a batch is acknowledged once the broker has sent a PUBACK
//! for every record (at least once). The payload is the record's JSON object with its id
//! as `"recordId"`, so a repeat after a restart is recognisable. The cursor lives in the
//! caller's state file ([`CursorHome::State`]).
//!
//! The device id is one topic level: characters other than letters, digits, `-` and `_`
//! are percent-encoded (`a/b` → `a%2Fb`).

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use rumqttc::{AsyncClient, ConnectionError, Event, MqttOptions, Outgoing, Packet, QoS};
use tokio::sync::mpsc;

use crate::connect::SinkOptions;
use crate::error::{ErrorKind, SinkError};
use crate::record::{Batch, Kind, Record};
use crate::sink::{Ack, BoxFuture, CursorHome, Sink};
use crate::spec::{MqttSpec, SinkSpec};
use crate::subject::token;

/// The pause before the event loop reconnects after a connection error.
const RECONNECT_DELAY: Duration = Duration::from_millis(250);
/// Publishes in flight at once (MQTT allows up to 65535).
const INFLIGHT: u16 = 1000;

/// What the event loop task reports.
enum Report {
    Event(Event),
    Failed(ErrorKind, String),
}

/// An MQTT broker.
pub struct MqttSink {
    name: String,
    secrets: Vec<String>,
    topic: String,
    timeout: Duration,
    client: AsyncClient,
    events: mpsc::UnboundedReceiver<Report>,
}

impl MqttSink {
    /// Connects and waits for the broker's CONNACK.
    pub async fn connect(spec: &MqttSpec, options: &SinkOptions) -> Result<Self, SinkError> {
        let name = SinkSpec::Mqtt(spec.clone()).to_string();
        let client_id = spec
            .client_id
            .clone()
            .unwrap_or_else(|| format!("plaspy-{:016x}", fastrand::u64(..)));
        let mut mqtt = MqttOptions::new(client_id, spec.host.clone(), spec.port);
        mqtt.set_keep_alive(Duration::from_secs(30))
            .set_clean_session(true)
            .set_inflight(INFLIGHT)
            .set_max_packet_size(1 << 20, 1 << 20);
        if let Some(user) = &spec.user {
            let pass = spec.password.as_ref().map(|p| p.expose().to_owned());
            mqtt.set_credentials(user.clone(), pass.unwrap_or_default());
        }
        let (client, mut eventloop) = AsyncClient::new(mqtt, usize::from(INFLIGHT));
        let (tx, events) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                let report = match eventloop.poll().await {
                    Ok(event) => Report::Event(event),
                    Err(err) => {
                        let kind = match &err {
                            ConnectionError::ConnectionRefused(_) => ErrorKind::Auth,
                            ConnectionError::NetworkTimeout | ConnectionError::FlushTimeout => {
                                ErrorKind::Timeout
                            }
                            _ => ErrorKind::Unavailable,
                        };
                        let done = matches!(err, ConnectionError::RequestsDone);
                        if tx.send(Report::Failed(kind, err.to_string())).is_err() || done {
                            return;
                        }
                        tokio::time::sleep(RECONNECT_DELAY).await;
                        continue;
                    }
                };
                if tx.send(report).is_err() {
                    return; // the sink is gone
                }
            }
        });
        let mut sink = MqttSink {
            name,
            secrets: spec
                .password
                .iter()
                .map(|p| p.expose().to_owned())
                .collect(),
            topic: spec.topic.clone(),
            timeout: options.timeout,
            client,
            events,
        };
        sink.await_connack().await?;
        Ok(sink)
    }

    /// The topic a record is published to.
    pub fn topic_of(&self, record: &Record) -> String {
        match record.kind {
            Kind::Fix => format!("{}/{}", self.topic, token(&record.device_id)),
            Kind::Event => format!("{}/{}/events", self.topic, token(&record.device_id)),
        }
    }

    fn error(&self, kind: ErrorKind, message: String) -> SinkError {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        let retryable = kind != ErrorKind::Auth;
        SinkError::new(&self.name, kind, message)
            .with_retryable(retryable)
            .scrubbed(&secrets)
    }

    async fn await_connack(&mut self) -> Result<(), SinkError> {
        let wait = async {
            while let Some(report) = self.events.recv().await {
                match report {
                    Report::Event(Event::Incoming(Packet::ConnAck(_))) => return Ok(()),
                    Report::Event(_) => {}
                    Report::Failed(kind, message) => {
                        return Err((kind, format!("connecting: {message}")));
                    }
                }
            }
            Err((ErrorKind::Unavailable, "the connection task ended".into()))
        };
        match tokio::time::timeout(self.timeout, wait).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err((kind, message))) => Err(self.error(kind, message)),
            Err(_) => Err(self.error(
                ErrorKind::Timeout,
                format!("no CONNACK within {:?}", self.timeout),
            )),
        }
    }

    async fn publish(&mut self, batch: &Batch) -> Result<Ack, SinkError> {
        // Reports left from an earlier, failed attempt say nothing about this one.
        while self.events.try_recv().is_ok() {}
        let total = batch.records.len();
        for record in &batch.records {
            let topic = self.topic_of(record);
            self.client
                .publish(topic, QoS::AtLeastOnce, false, record.tagged_payload())
                .await
                .map_err(|e| self.error(ErrorKind::Unavailable, format!("publishing: {e}")))?;
        }
        // Packet ids are reused only once acknowledged, so the set stays exact.
        let mut waiting: HashSet<u16> = HashSet::new();
        let (mut sent, mut acked) = (0usize, 0usize);
        while acked < total {
            let report = self.events.recv().await.ok_or_else(|| {
                self.error(ErrorKind::Unavailable, "the connection task ended".into())
            })?;
            match report {
                Report::Event(Event::Outgoing(Outgoing::Publish(pkid))) if sent < total => {
                    sent += 1;
                    waiting.insert(pkid);
                }
                Report::Event(Event::Incoming(Packet::PubAck(ack))) => {
                    if waiting.remove(&ack.pkid) {
                        acked += 1;
                    }
                }
                Report::Event(_) => {}
                Report::Failed(kind, message) => {
                    return Err(self.error(
                        kind,
                        format!("{message} ({acked} of {total} records acknowledged)"),
                    ));
                }
            }
        }
        Ok(Ack {
            records: total,
            duplicates: 0,
            cursor_stored: false,
        })
    }
}

impl Sink for MqttSink {
    fn deliver<'a>(&'a mut self, batch: &'a Batch) -> BoxFuture<'a, Result<Ack, SinkError>> {
        Box::pin(async move {
            let limit = self.timeout;
            match tokio::time::timeout(limit, self.publish(batch)).await {
                Ok(result) => result,
                Err(_) => Err(self.error(
                    ErrorKind::Timeout,
                    format!("the broker did not acknowledge the batch within {limit:?}"),
                )),
            }
        })
    }

    fn cursor_home(&self) -> CursorHome {
        CursorHome::State
    }

    fn close(self: Box<Self>) -> BoxFuture<'static, Result<(), SinkError>> {
        Box::pin(async move {
            // Everything delivered was acknowledged already: a disconnect loses nothing.
            let _ = self.client.disconnect().await;
            Ok(())
        })
    }
}

impl fmt::Display for MqttSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl fmt::Debug for MqttSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MqttSink({})", self.name)
    }
}
