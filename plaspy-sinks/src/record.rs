//! What a sink receives: records of the feed and the cursor that covers them.

use chrono::{DateTime, SecondsFormat, Utc};
use plaspy_types::feed::{FeedCursor, FeedEvent};

/// Whether a record is a position fix or an alert event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A position fix (`plaspy_positions`, `SUBJECT.<deviceId>`, `TOPIC/<deviceId>`).
    Fix,
    /// An alert event (`plaspy_events`, `SUBJECT.<deviceId>.events`, `TOPIC/<deviceId>/events`).
    Event,
}

impl Kind {
    /// `"fix"` or `"event"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Fix => "fix",
            Kind::Event => "event",
        }
    }
}

/// One item of the feed, as a sink stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The device it belongs to.
    pub device_id: String,
    /// When the fix was taken or the event fired (UTC).
    pub date_time: DateTime<Utc>,
    /// Its rank among the records of the same device, kind and instant (0 for the first):
    /// the same record always gets the same number, so a replay is recognised.
    pub seq: u32,
    /// Fix or event.
    pub kind: Kind,
    /// The JSON object `plaspy watch` prints for it (`deviceId` plus the fix's fields, or
    /// `deviceId` and `alert`), without a trailing newline.
    pub payload: String,
}

impl Record {
    /// The record of a feed event, ranked `seq` among those at its instant.
    ///
    /// ```
    /// use plaspy_sinks::{Kind, Record};
    /// use plaspy_types::{Location, feed::FeedEvent};
    ///
    /// let fix = Location::new("2024-06-01T08:00:00Z".parse::<chrono::DateTime<chrono::Utc>>()?, 4.6, -74.0);
    /// let event = FeedEvent::Location { device_id: "dev-01".into(), location: fix };
    /// let record = Record::from_event(&event, 0)?;
    /// assert_eq!(record.kind, Kind::Fix);
    /// assert!(record.payload.starts_with(r#"{"deviceId":"dev-01","#));
    /// assert_eq!(record.id(), "dev-01/2024-06-01T08:00:00Z/0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_event(event: &FeedEvent, seq: u32) -> Result<Record, serde_json::Error> {
        let kind = match event {
            FeedEvent::Location { .. } => Kind::Fix,
            FeedEvent::Alert { .. } => Kind::Event,
        };
        Ok(Record {
            device_id: event.device_id().to_owned(),
            date_time: event.time(),
            seq,
            kind,
            payload: serde_json::to_string(event)?,
        })
    }

    /// The record's stable id: `<deviceId>/<dateTime>/<seq>` for a fix (the NATS
    /// `Nats-Msg-Id`), with `/event` appended for an event. The time is RFC 3339 UTC with
    /// as many fractional digits as it has.
    pub fn id(&self) -> String {
        let time = self.date_time.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        match self.kind {
            Kind::Fix => format!("{}/{}/{}", self.device_id, time, self.seq),
            Kind::Event => format!("{}/{}/{}/event", self.device_id, time, self.seq),
        }
    }

    /// The payload with the record's id added as a last member `"recordId"` (what MQTT
    /// and webhook receivers see, so that a repeat is recognisable). A payload that is
    /// not a JSON object is left as it is.
    ///
    /// ```
    /// use plaspy_sinks::{Kind, Record};
    /// let record = Record {
    ///     device_id: "d".into(),
    ///     date_time: "2024-06-01T08:00:00Z".parse()?,
    ///     seq: 1,
    ///     kind: Kind::Fix,
    ///     payload: r#"{"deviceId":"d"}"#.into(),
    /// };
    /// assert_eq!(record.tagged_payload(), r#"{"deviceId":"d","recordId":"d/2024-06-01T08:00:00Z/1"}"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tagged_payload(&self) -> String {
        let trimmed = self.payload.trim_end();
        let Some(body) = trimmed.strip_suffix('}') else {
            return self.payload.clone();
        };
        let id = serde_json::Value::String(self.id()).to_string();
        let empty = body.trim_end().ends_with('{');
        let sep = if empty { "" } else { "," };
        format!("{body}{sep}\"recordId\":{id}}}")
    }

    /// The payload as a JSON value (a record built by [`Record::from_event`] always parses).
    pub fn payload_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }
}

/// Records to deliver together and the feed cursor that covers them.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// The feed's name (`--feed-name`, [`crate::DEFAULT_FEED_NAME`] by default): the key of
    /// the cursor in a sink that holds it.
    pub feed_name: String,
    /// The records, oldest first per device.
    pub records: Vec<Record>,
    /// The feed cursor once these records are delivered ([`FeedCursor`] as JSON).
    pub cursor: serde_json::Value,
}

impl Batch {
    /// A batch of `records` for `feed_name`, covered by `cursor`.
    pub fn new(
        feed_name: impl Into<String>,
        records: Vec<Record>,
        cursor: &FeedCursor,
    ) -> Result<Batch, serde_json::Error> {
        Ok(Batch {
            feed_name: feed_name.into(),
            records,
            cursor: serde_json::to_value(cursor)?,
        })
    }

    /// A key that is the same whenever the same records are sent again (a SHA-256 of the
    /// record ids, in hex): the webhook's `Idempotency-Key`.
    ///
    /// ```
    /// use plaspy_sinks::{Batch, Kind, Record};
    /// let record = Record {
    ///     device_id: "dev-01".into(),
    ///     date_time: "2024-06-01T08:00:00Z".parse()?,
    ///     seq: 0,
    ///     kind: Kind::Fix,
    ///     payload: "{}".into(),
    /// };
    /// let a = Batch { feed_name: "default".into(), records: vec![record.clone()], cursor: serde_json::json!({}) };
    /// let b = Batch { cursor: serde_json::json!({"devices": {}}), ..a.clone() };
    /// assert_eq!(a.idempotency_key(), b.idempotency_key());
    /// assert_eq!(a.idempotency_key().len(), 64);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn idempotency_key(&self) -> String {
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        for record in &self.records {
            ctx.update(record.id().as_bytes());
            ctx.update(b"\n");
        }
        ctx.finish()
            .as_ref()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The tagged payloads ([`Record::tagged_payload`]) as one JSON array: what a webhook
    /// receives.
    pub fn json_array(&self) -> String {
        let mut out = String::with_capacity(
            2 + self
                .records
                .iter()
                .map(|r| r.payload.len() + 1)
                .sum::<usize>(),
        );
        out.push('[');
        for (i, record) in self.records.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&record.tagged_payload());
        }
        out.push(']');
        out
    }
}

/// Gives each feed event its [`Record::seq`]: its rank among the device's items at the
/// same instant, counted on from the cursor the feed resumed from, so a replay after a
/// restart gives every record the number it had the first time.
///
/// Build it from the feed's cursor *before* popping the events, then call
/// [`Sequencer::record`] for each popped event in order.
///
/// ```
/// use plaspy_sinks::Sequencer;
/// use plaspy_types::{Location, feed::{FeedCursor, FeedEvent}};
///
/// let t0 = "2024-06-01T08:00:00Z".parse::<chrono::DateTime<chrono::Utc>>()?;
/// let event = FeedEvent::Location { device_id: "dev-01".into(), location: Location::new(t0, 4.6, -74.0) };
/// let mut seq = Sequencer::new(&FeedCursor::default());
/// assert_eq!(seq.record(&event)?.seq, 0);
/// assert_eq!(seq.record(&event)?.seq, 1); // a second fix at the same instant
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Sequencer {
    cursor: FeedCursor,
}

impl Sequencer {
    /// Counts on from `cursor` (the feed's cursor before the events to number).
    pub fn new(cursor: &FeedCursor) -> Self {
        Sequencer {
            cursor: cursor.clone(),
        }
    }

    /// The rank `event` gets, recording it as delivered.
    pub fn next_seq(&mut self, event: &FeedEvent) -> u32 {
        let device = self.cursor.devices.get(event.device_id());
        let mark = match event {
            FeedEvent::Location { .. } => device.and_then(|d| d.positions),
            FeedEvent::Alert { .. } => device.and_then(|d| d.alerts),
        };
        let seq = match mark {
            Some(mark) if mark.time == event.time() => mark.seen,
            _ => 0,
        };
        self.cursor.advance(event);
        seq
    }

    /// The record of `event`, numbered.
    pub fn record(&mut self, event: &FeedEvent) -> Result<Record, serde_json::Error> {
        let seq = self.next_seq(event);
        Record::from_event(event, seq)
    }

    /// The cursor after every event numbered so far.
    pub fn cursor(&self) -> &FeedCursor {
        &self.cursor
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plaspy_types::Location;
    use plaspy_types::feed::Mark;

    fn fix(device: &str, time: &str) -> FeedEvent {
        FeedEvent::Location {
            device_id: device.into(),
            location: Location::new(time.parse::<DateTime<Utc>>().unwrap(), 1.0, 2.0),
        }
    }

    #[test]
    fn sequence_resumes_from_the_cursor_seen_count() {
        let t0: DateTime<Utc> = "2024-06-01T08:00:00Z".parse().unwrap();
        let mut cursor = FeedCursor::default();
        cursor.devices.entry("a".into()).or_default().positions = Some(Mark { time: t0, seen: 2 });
        let mut seq = Sequencer::new(&cursor);
        assert_eq!(seq.next_seq(&fix("a", "2024-06-01T08:00:00Z")), 2);
        assert_eq!(seq.next_seq(&fix("a", "2024-06-01T08:00:01Z")), 0);
        assert_eq!(seq.next_seq(&fix("b", "2024-06-01T08:00:00Z")), 0);
        assert_eq!(seq.next_seq(&fix("b", "2024-06-01T08:00:00Z")), 1);
    }

    #[test]
    fn ids_differ_by_kind_and_keep_fractions() {
        let mut r = Record::from_event(&fix("a", "2024-06-01T08:00:00.250Z"), 3).unwrap();
        assert_eq!(r.id(), "a/2024-06-01T08:00:00.250Z/3");
        r.kind = Kind::Event;
        assert_eq!(r.id(), "a/2024-06-01T08:00:00.250Z/3/event");
    }

    #[test]
    fn json_array_joins_payloads() {
        let a = Record::from_event(&fix("a", "2024-06-01T08:00:00Z"), 0).unwrap();
        let batch = Batch::new("f", vec![a.clone(), a], &FeedCursor::default()).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&batch.json_array()).unwrap();
        assert_eq!(parsed.as_array().map(Vec::len), Some(2));
        assert_eq!(parsed[0]["deviceId"], "a");
    }
}
