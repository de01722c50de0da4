//! NATS JetStream: each record published to `SUBJECT.<deviceId>` (events to
//! `SUBJECT.<deviceId>.events`) with `Nats-Msg-Id: <record id>` and awaited until the
//! stream acknowledges it; the stream drops a republished id within its duplicate window
//! ([`DUPLICATE_WINDOW`] for a stream this sink creates). The cursor then goes to a
//! key-value bucket under the feed's name, so a replacement watcher anywhere resumes.
//!
//! The device id is one subject token: characters other than letters, digits, `-` and
//! `_` are percent-encoded (`a.b` → `a%2Eb`).

use std::fmt;
use std::time::Duration;

use async_nats::jetstream::{self, context::Publish, kv, stream};
use bytes::Bytes;
use serde_json::Value;

use crate::connect::SinkOptions;
use crate::error::{ErrorKind, SinkError, chain};
use crate::record::{Batch, Kind, Record};
use crate::sink::{Ack, BoxFuture, CursorHome, Sink};
use crate::spec::{NatsSpec, SinkSpec};
use crate::subject::token;

/// How long a stream created by this sink remembers message ids to drop republished
/// records: long enough to cover a watcher's restart.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(3600);

/// A JetStream stream covering `SUBJECT.>`, and the cursor bucket.
pub struct NatsSink {
    name: String,
    secrets: Vec<String>,
    subject: String,
    timeout: Duration,
    client: async_nats::Client,
    js: jetstream::Context,
    cursors: kv::Store,
}

impl NatsSink {
    /// Connects, creates the stream if no stream covers `SUBJECT.>`, and opens (or
    /// creates) the cursor bucket.
    pub async fn connect(spec: &NatsSpec, options: &SinkOptions) -> Result<Self, SinkError> {
        let name = SinkSpec::Nats(spec.clone()).to_string();
        let secrets: Vec<String> = spec
            .password
            .iter()
            .map(|p| p.expose().to_owned())
            .collect();
        let fail = |kind: ErrorKind, what: &str, err: &dyn std::error::Error| {
            let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
            SinkError::new(&name, kind, format!("{what}: {}", chain(err))).scrubbed(&secrets)
        };
        let mut connect = async_nats::ConnectOptions::new()
            .connection_timeout(options.timeout)
            .request_timeout(Some(options.timeout))
            .name("plaspy-sinks");
        if let Some(user) = &spec.user {
            let pass = spec.password.as_ref().map(|p| p.expose().to_owned());
            connect = connect.user_and_password(user.clone(), pass.unwrap_or_default());
        }
        let address = if spec.host.contains(':') {
            format!("nats://[{}]:{}", spec.host, spec.port)
        } else {
            format!("nats://{}:{}", spec.host, spec.port)
        };
        let client = match tokio::time::timeout(options.timeout, connect.connect(address)).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => {
                use async_nats::ConnectErrorKind as K;
                let kind = match e.kind() {
                    K::Authentication | K::AuthorizationViolation => ErrorKind::Auth,
                    K::ServerParse | K::Tls => ErrorKind::Config,
                    K::TimedOut => ErrorKind::Timeout,
                    K::Dns | K::Io | K::MaxReconnects => ErrorKind::Unavailable,
                };
                return Err(fail(kind, "connecting", &e));
            }
            Err(_) => {
                return Err(SinkError::new(
                    &name,
                    ErrorKind::Timeout,
                    format!("connecting took longer than {:?}", options.timeout),
                ));
            }
        };
        let mut js = jetstream::new(client.clone());
        js.set_timeout(options.timeout);
        let wildcard = format!("{}.>", spec.subject);
        match js.stream_by_subject(wildcard.clone()).await {
            Ok(_) => {}
            Err(e) if e.kind() == jetstream::context::GetStreamByNameErrorKind::NotFound => {
                js.get_or_create_stream(stream::Config {
                    name: spec.stream.clone(),
                    subjects: vec![wildcard],
                    duplicate_window: DUPLICATE_WINDOW,
                    ..Default::default()
                })
                .await
                .map_err(|e| fail(ErrorKind::Rejected, "creating the stream", &e))?;
            }
            Err(e) => {
                return Err(fail(
                    ErrorKind::Unavailable,
                    "looking up the stream (is JetStream enabled?)",
                    &e,
                ));
            }
        }
        let cursors = match js.get_key_value(spec.bucket.clone()).await {
            Ok(store) => store,
            Err(_) => {
                // The bucket's stream, as `create_key_value` makes it, created directly:
                // that helper first reads the account info, which servers before 2.10
                // answer in a shape this client does not parse.
                js.get_or_create_stream(stream::Config {
                    name: format!("KV_{}", spec.bucket),
                    description: Some("plaspy feed cursors, by feed name".into()),
                    subjects: vec![format!("$KV.{}.>", spec.bucket)],
                    max_messages_per_subject: 1,
                    allow_rollup: true,
                    deny_delete: true,
                    allow_direct: true,
                    discard: stream::DiscardPolicy::New,
                    ..Default::default()
                })
                .await
                .map_err(|e| fail(ErrorKind::Rejected, "creating the cursor bucket", &e))?;
                js.get_key_value(spec.bucket.clone())
                    .await
                    .map_err(|e| fail(ErrorKind::Rejected, "opening the cursor bucket", &e))?
            }
        };
        Ok(NatsSink {
            name,
            secrets,
            subject: spec.subject.clone(),
            timeout: options.timeout,
            client,
            js,
            cursors,
        })
    }

    /// The subject a record is published to.
    pub fn subject_of(&self, record: &Record) -> String {
        match record.kind {
            Kind::Fix => format!("{}.{}", self.subject, token(&record.device_id)),
            Kind::Event => format!("{}.{}.events", self.subject, token(&record.device_id)),
        }
    }

    fn error(&self, what: &str, err: &dyn std::error::Error) -> SinkError {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        SinkError::new(
            &self.name,
            ErrorKind::Unavailable,
            format!("{what}: {}", chain(err)),
        )
        .scrubbed(&secrets)
    }

    async fn publish(&self, batch: &Batch) -> Result<Ack, SinkError> {
        // Send every record first, then await the acknowledgements: one round trip's
        // latency per batch rather than per record.
        let mut pending = Vec::with_capacity(batch.records.len());
        for record in &batch.records {
            let publish = Publish::build()
                .payload(Bytes::from(record.payload.clone()))
                .message_id(record.id());
            let ack = self
                .js
                .send_publish(self.subject_of(record), publish)
                .await
                .map_err(|e| self.error(&format!("publishing {}", record.id()), &e))?;
            pending.push((record, ack));
        }
        let mut duplicates = 0;
        for (record, ack) in pending {
            let ack = ack
                .await
                .map_err(|e| self.error(&format!("awaiting the ack of {}", record.id()), &e))?;
            duplicates += usize::from(ack.duplicate);
        }
        let cursor = serde_json::to_vec(&batch.cursor)
            .map_err(|e| SinkError::new(&self.name, ErrorKind::Data, e.to_string()))?;
        self.cursors
            .put(kv_key(&batch.feed_name), cursor.into())
            .await
            .map_err(|e| self.error("storing the cursor", &e))?;
        Ok(Ack {
            records: batch.records.len(),
            duplicates,
            cursor_stored: true,
        })
    }
}

/// A feed name as a key-value key (`[-/_=.a-zA-Z0-9]`): other bytes become `=XX`.
fn kv_key(feed_name: &str) -> String {
    let mut out = String::with_capacity(feed_name.len());
    for b in feed_name.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("={b:02X}"));
        }
    }
    if out.is_empty() {
        out.push_str("=00");
    }
    out
}

impl Sink for NatsSink {
    fn deliver<'a>(&'a mut self, batch: &'a Batch) -> BoxFuture<'a, Result<Ack, SinkError>> {
        Box::pin(async move {
            // Each request has its own timeout; this bounds the whole batch as well.
            let limit = self.timeout.saturating_mul(2);
            match tokio::time::timeout(limit, self.publish(batch)).await {
                Ok(result) => result,
                Err(_) => Err(SinkError::new(
                    &self.name,
                    ErrorKind::Timeout,
                    format!("the batch was not acknowledged within {limit:?}"),
                )),
            }
        })
    }

    fn cursor_home(&self) -> CursorHome {
        CursorHome::Sink
    }

    fn load_cursor<'a>(
        &'a mut self,
        feed_name: &'a str,
    ) -> BoxFuture<'a, Result<Option<Value>, SinkError>> {
        Box::pin(async move {
            let Some(bytes) = self
                .cursors
                .get(kv_key(feed_name))
                .await
                .map_err(|e| self.error("reading the cursor", &e))?
            else {
                return Ok(None);
            };
            serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                SinkError::new(
                    &self.name,
                    ErrorKind::Data,
                    format!("the stored cursor of feed {feed_name} is not JSON: {e}"),
                )
            })
        })
    }

    fn close(self: Box<Self>) -> BoxFuture<'static, Result<(), SinkError>> {
        Box::pin(async move {
            self.client
                .flush()
                .await
                .map_err(|e| self.error("flushing", &e))
        })
    }
}

impl fmt::Display for NatsSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl fmt::Debug for NatsSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NatsSink({})", self.name)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn kv_keys_keep_safe_characters() {
        assert_eq!(super::kv_key("default"), "default");
        assert_eq!(super::kv_key("group a.b"), "group=20a=2Eb");
    }
}
