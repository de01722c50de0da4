//! PostgreSQL: rows and cursor in one transaction, `ON CONFLICT DO NOTHING`, so a replay
//! after a crash neither loses nor doubles a record (exactly once).
//!
//! Tables (created if missing, under an advisory lock so concurrent watchers don't race):
//!
//! ```sql
//! plaspy_positions  (device_id text, date_time timestamptz, seq integer,
//!                    latitude, longitude, speed, course double precision, fix jsonb,
//!                    received_at timestamptz, PRIMARY KEY (device_id, date_time, seq))
//! plaspy_events     (device_id text, date_time timestamptz, seq integer, event jsonb,
//!                    received_at timestamptz, PRIMARY KEY (device_id, date_time, seq))
//! plaspy_feed_cursor (feed_name text PRIMARY KEY, cursor jsonb, updated_at timestamptz)
//! ```
//!
//! The connection is plain TCP (no TLS in this build): use it on loopback or through a
//! tunnel. The password travels only in the SCRAM/MD5 exchange when the server asks so.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls};

use crate::connect::SinkOptions;
use crate::error::{ErrorKind, SinkError, chain};
use crate::record::{Batch, Kind};
use crate::sink::{Ack, BoxFuture, CursorHome, Sink};
use crate::spec::{PostgresSpec, SinkSpec};

/// The tables, created if missing.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS plaspy_positions (
    device_id   text             NOT NULL,
    date_time   timestamptz      NOT NULL,
    seq         integer          NOT NULL DEFAULT 0,
    latitude    double precision,
    longitude   double precision,
    speed       double precision,
    course      double precision,
    fix         jsonb            NOT NULL,
    received_at timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, date_time, seq)
);
CREATE TABLE IF NOT EXISTS plaspy_events (
    device_id   text        NOT NULL,
    date_time   timestamptz NOT NULL,
    seq         integer     NOT NULL DEFAULT 0,
    event       jsonb       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, date_time, seq)
);
CREATE TABLE IF NOT EXISTS plaspy_feed_cursor (
    feed_name  text        PRIMARY KEY,
    cursor     jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
";

/// An arbitrary key for the advisory lock taken while creating the tables.
const SCHEMA_LOCK: i64 = 0x706c_6173_7079; // "plaspy"

/// Whether the three tables exist already.
const TABLES_PRESENT: &str = "
SELECT to_regclass('plaspy_positions') IS NOT NULL
   AND to_regclass('plaspy_events') IS NOT NULL
   AND to_regclass('plaspy_feed_cursor') IS NOT NULL";

const INSERT_POSITIONS: &str = "
INSERT INTO plaspy_positions (device_id, date_time, seq, latitude, longitude, speed, course, fix)
SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::int4[], $4::float8[], $5::float8[],
                     $6::float8[], $7::float8[], $8::jsonb[])
ON CONFLICT DO NOTHING";

const INSERT_EVENTS: &str = "
INSERT INTO plaspy_events (device_id, date_time, seq, event)
SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::int4[], $4::jsonb[])
ON CONFLICT DO NOTHING";

const STORE_CURSOR: &str = "
INSERT INTO plaspy_feed_cursor (feed_name, cursor, updated_at) VALUES ($1, $2, now())
ON CONFLICT (feed_name) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()";

const LOAD_CURSOR: &str = "SELECT cursor FROM plaspy_feed_cursor WHERE feed_name = $1";

/// A PostgreSQL database that holds positions, events and the feed cursor.
pub struct PostgresSink {
    spec: PostgresSpec,
    name: String,
    timeout: Duration,
    client: Client,
}

impl PostgresSink {
    /// Connects and creates the tables if missing.
    pub async fn connect(spec: &PostgresSpec, options: &SinkOptions) -> Result<Self, SinkError> {
        let name = SinkSpec::Postgres(spec.clone()).to_string();
        let client = open(spec, &name, options.timeout).await?;
        Ok(PostgresSink {
            spec: spec.clone(),
            name,
            timeout: options.timeout,
            client,
        })
    }

    fn error(&self, err: &tokio_postgres::Error) -> SinkError {
        classify(&self.name, err, &self.spec)
    }

    /// A fresh connection if the current one broke (the server restarted, say).
    async fn ensure_open(&mut self) -> Result<(), SinkError> {
        if self.client.is_closed() {
            self.client = open(&self.spec, &self.name, self.timeout).await?;
        }
        Ok(())
    }

    async fn write(&mut self, batch: &Batch) -> Result<Ack, SinkError> {
        self.ensure_open().await?;
        let rows = Rows::of(batch).map_err(|e| SinkError::new(&self.name, ErrorKind::Data, e))?;
        let tx = match self.client.transaction().await {
            Ok(tx) => tx,
            Err(e) => return Err(classify(&self.name, &e, &self.spec)),
        };
        let run = async {
            let mut inserted = 0u64;
            if !rows.fix_devices.is_empty() {
                inserted += tx
                    .execute(
                        INSERT_POSITIONS,
                        &[
                            &rows.fix_devices,
                            &rows.fix_times,
                            &rows.fix_seqs,
                            &rows.latitudes,
                            &rows.longitudes,
                            &rows.speeds,
                            &rows.courses,
                            &rows.fixes,
                        ],
                    )
                    .await?;
            }
            if !rows.event_devices.is_empty() {
                inserted += tx
                    .execute(
                        INSERT_EVENTS,
                        &[
                            &rows.event_devices,
                            &rows.event_times,
                            &rows.event_seqs,
                            &rows.events,
                        ],
                    )
                    .await?;
            }
            tx.execute(STORE_CURSOR, &[&batch.feed_name, &batch.cursor])
                .await?;
            tx.commit().await?;
            Ok::<u64, tokio_postgres::Error>(inserted)
        };
        let inserted = run
            .await
            .map_err(|e| classify(&self.name, &e, &self.spec))?;
        let records = batch.records.len();
        Ok(Ack {
            records,
            duplicates: records.saturating_sub(usize::try_from(inserted).unwrap_or(usize::MAX)),
            cursor_stored: true,
        })
    }

    fn timed_out(&self, what: &str) -> SinkError {
        SinkError::new(
            &self.name,
            ErrorKind::Timeout,
            format!("{what} took longer than {:?}", self.timeout),
        )
    }
}

/// The columns of a batch, as arrays for `unnest`.
#[derive(Default)]
struct Rows {
    fix_devices: Vec<String>,
    fix_times: Vec<DateTime<Utc>>,
    fix_seqs: Vec<i32>,
    latitudes: Vec<Option<f64>>,
    longitudes: Vec<Option<f64>>,
    speeds: Vec<Option<f64>>,
    courses: Vec<Option<f64>>,
    fixes: Vec<Value>,
    event_devices: Vec<String>,
    event_times: Vec<DateTime<Utc>>,
    event_seqs: Vec<i32>,
    events: Vec<Value>,
}

impl Rows {
    fn of(batch: &Batch) -> Result<Rows, String> {
        let mut rows = Rows::default();
        for record in &batch.records {
            let json = record
                .payload_json()
                .map_err(|e| format!("record {} is not JSON: {e}", record.id()))?;
            let seq = i32::try_from(record.seq)
                .map_err(|_| format!("record {}: sequence number too large", record.id()))?;
            match record.kind {
                Kind::Fix => {
                    let num = |key: &str| json.get(key).and_then(Value::as_f64);
                    rows.fix_devices.push(record.device_id.clone());
                    rows.fix_times.push(record.date_time);
                    rows.fix_seqs.push(seq);
                    rows.latitudes.push(num("latitude"));
                    rows.longitudes.push(num("longitude"));
                    rows.speeds.push(num("speed"));
                    rows.courses.push(num("course"));
                    rows.fixes.push(json);
                }
                Kind::Event => {
                    rows.event_devices.push(record.device_id.clone());
                    rows.event_times.push(record.date_time);
                    rows.event_seqs.push(seq);
                    rows.events.push(json);
                }
            }
        }
        Ok(rows)
    }
}

/// Connects, spawns the connection task and creates the tables.
async fn open(spec: &PostgresSpec, name: &str, timeout: Duration) -> Result<Client, SinkError> {
    let mut config = tokio_postgres::Config::new();
    config
        .host(&spec.host)
        .port(spec.port)
        .user(&spec.user)
        .dbname(&spec.dbname)
        .application_name("plaspy-sinks")
        .connect_timeout(timeout);
    if let Some(password) = &spec.password {
        config.password(password.expose());
    }
    let connecting = async {
        let (client, connection) = config.connect(NoTls).await?;
        tokio::spawn(async move {
            // Ends when the client is dropped or the server goes away; a broken
            // connection shows as the next query's error.
            let _ = connection.await;
        });
        // A role that may write the tables but not create any still works once they exist.
        let present: bool = client.query_one(TABLES_PRESENT, &[]).await?.get(0);
        if !present {
            client.batch_execute("BEGIN").await?;
            client
                .execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
                .await?;
            client.batch_execute(SCHEMA).await?;
            client.batch_execute("COMMIT").await?;
        }
        Ok::<Client, tokio_postgres::Error>(client)
    };
    match tokio::time::timeout(timeout, connecting).await {
        Ok(Ok(client)) => Ok(client),
        Ok(Err(e)) => Err(classify(name, &e, spec)),
        Err(_) => Err(SinkError::new(
            name,
            ErrorKind::Timeout,
            format!("connecting took longer than {timeout:?}"),
        )),
    }
}

/// A driver error as a sink error: credentials refused and statements the server rejects
/// are final; a connection that failed or broke, or a transient server state, is retryable.
fn classify(name: &str, err: &tokio_postgres::Error, spec: &PostgresSpec) -> SinkError {
    let secrets: Vec<&str> = spec.password.iter().map(|p| p.expose()).collect();
    let Some(db) = err.as_db_error() else {
        let message = chain(err);
        let kind = if message.contains("password missing") {
            ErrorKind::Auth
        } else {
            ErrorKind::Unavailable
        };
        return SinkError::new(name, kind, message).scrubbed(&secrets);
    };
    let code = db.code();
    let message = format!(
        "{}: {} (SQLSTATE {})",
        db.severity(),
        db.message(),
        code.code()
    );
    let (kind, retryable) = if *code == SqlState::INVALID_PASSWORD
        || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
    {
        (ErrorKind::Auth, false)
    } else if code.code().starts_with("08")
        || code.code().starts_with("53")
        || code.code().starts_with("57P")
        || *code == SqlState::T_R_SERIALIZATION_FAILURE
        || *code == SqlState::T_R_DEADLOCK_DETECTED
        || *code == SqlState::CANNOT_CONNECT_NOW
    {
        (ErrorKind::Unavailable, true)
    } else {
        (ErrorKind::Rejected, false)
    };
    SinkError::new(name, kind, message)
        .with_retryable(retryable)
        .scrubbed(&secrets)
}

impl Sink for PostgresSink {
    fn deliver<'a>(&'a mut self, batch: &'a Batch) -> BoxFuture<'a, Result<Ack, SinkError>> {
        Box::pin(async move {
            let timeout = self.timeout;
            match tokio::time::timeout(timeout, self.write(batch)).await {
                Ok(result) => result,
                Err(_) => Err(self.timed_out("writing the batch")),
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
            self.ensure_open().await?;
            let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&feed_name];
            let query = self.client.query_opt(LOAD_CURSOR, &params);
            match tokio::time::timeout(self.timeout, query).await {
                Ok(Ok(row)) => Ok(row.map(|r| r.get::<_, Value>(0))),
                Ok(Err(e)) => Err(self.error(&e)),
                Err(_) => Err(self.timed_out("reading the cursor")),
            }
        })
    }

    fn close(self: Box<Self>) -> BoxFuture<'static, Result<(), SinkError>> {
        Box::pin(async move {
            drop(self.client);
            Ok(())
        })
    }
}

impl fmt::Display for PostgresSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl fmt::Debug for PostgresSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PostgresSink({})", self.name)
    }
}
