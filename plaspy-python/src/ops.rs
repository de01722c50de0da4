//! The calls Python makes, as one JSON object each (`{"op": "devices_get", "id": "dev-01"}`),
//! and the argument types they carry.
//!
//! Python checks and converts its arguments (aware datetimes to microseconds since the
//! epoch, timedeltas to milliseconds, keyword arguments to the API's JSON) and sends one of
//! these; [`crate::dispatch`] runs it on either client and answers JSON.

use std::time::Duration;

use chrono::{DateTime, Utc};
use plaspy_types::feed::FeedCursor;
use plaspy_types::{Command, GroupInput, PatchOperation, UserInput};
use serde::Deserialize;

use crate::error::{ErrorInfo, Failure};

/// An instant as microseconds since the Unix epoch (Python: `(dt - EPOCH) // 1µs`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(transparent)]
pub struct Micros(pub i64);

impl Micros {
    /// The instant in UTC; out of chrono's range is an `invalid_input` error.
    pub fn utc(self) -> Result<DateTime<Utc>, Failure> {
        DateTime::from_timestamp_micros(self.0)
            .ok_or_else(|| Failure(ErrorInfo::invalid_input("date-time out of range")))
    }
}

/// A time zone for daily summaries: an IANA name, or a fixed offset from UTC.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// `"America/Bogota"`, `"UTC"`.
    Name(String),
    /// Seconds east of UTC.
    Offset(i32),
}

/// One call on a client (the same set for both flavours).
#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
#[allow(missing_docs)] // each variant is the Python method of the same name
pub enum Op {
    DevicesList,
    DevicesGet {
        id: String,
    },
    DevicesLastLocation {
        id: String,
    },
    DevicesLocations {
        id: String,
        start: Micros,
        end: Micros,
    },
    DevicesAlerts {
        id: String,
        start: Micros,
        end: Micros,
        name: Option<String>,
    },
    DevicesSendCommand {
        id: String,
        command: Command,
    },
    DevicesTrips {
        id: String,
        start: Micros,
        end: Micros,
    },
    DevicesStops {
        id: String,
        start: Micros,
        end: Micros,
    },
    DevicesSummary {
        id: String,
        start: Micros,
        end: Micros,
        tz: Option<Zone>,
    },
    GroupsList,
    GroupsGet {
        id: String,
    },
    GroupsCreate {
        input: GroupInput,
    },
    GroupsUpdate {
        id: String,
        input: GroupInput,
    },
    GroupsPatch {
        id: String,
        operations: Vec<PatchOperation>,
    },
    GroupsDelete {
        id: String,
    },
    UsersList,
    UsersGet {
        id: String,
    },
    UsersCreate {
        input: UserInput,
    },
    UsersUpdate {
        id: String,
        input: UserInput,
    },
    UsersPatch {
        id: String,
        operations: Vec<PatchOperation>,
    },
    UsersDelete {
        id: String,
    },
    UsersCountries,
    UsersTimeZones,
    FleetSnapshot {
        concurrency: Option<usize>,
        group: Option<String>,
    },
}

impl Op {
    /// Reads a call from its JSON text.
    pub fn parse(json: &str) -> Result<Self, Failure> {
        Ok(serde_json::from_str(json)?)
    }
}

/// Which feed to build: `client.feed(devices=, group=, since=, cursor=, interval=)`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedSpec {
    /// Only these devices.
    pub devices: Option<Vec<String>>,
    /// Only the devices of this group.
    pub group: Option<String>,
    /// Start at this instant.
    pub since: Option<Micros>,
    /// Start this many milliseconds before the server's present.
    pub since_ago_ms: Option<u64>,
    /// Resume from a saved cursor.
    pub cursor: Option<FeedCursor>,
    /// Time between polls, in milliseconds.
    pub interval_ms: Option<u64>,
}

impl FeedSpec {
    /// Reads a spec from its JSON text.
    pub fn parse(json: &str) -> Result<Self, Failure> {
        Ok(serde_json::from_str(json)?)
    }
}

/// A date-range history: `devices.location_history(id, start, end)`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistorySpec {
    /// The device.
    pub id: String,
    /// From (inclusive).
    pub start: Micros,
    /// To.
    pub end: Micros,
}

impl HistorySpec {
    /// Reads a spec from its JSON text.
    pub fn parse(json: &str) -> Result<Self, Failure> {
        Ok(serde_json::from_str(json)?)
    }
}

/// Milliseconds as a [`Duration`].
pub fn millis(ms: u64) -> Duration {
    Duration::from_millis(ms)
}
