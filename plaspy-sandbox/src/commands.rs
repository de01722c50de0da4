//! The log of commands sent to devices, readable through `/_sandbox/commands`.

use chrono::{DateTime, Utc};
use plaspy_types::CommandFormat;
use serde::{Deserialize, Serialize};

/// One command accepted by `POST /api/devices/{id}/sendCommand`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandRecord {
    /// Order of arrival, from 1, across all accounts.
    pub seq: u64,
    /// The account that sent it.
    pub account: String,
    /// The device it was sent to.
    pub device_id: String,
    /// The command text as sent.
    pub command: String,
    /// How the text is to be read.
    pub format: CommandFormat,
    /// Whether it was to go by SMS.
    pub sms: bool,
    /// The bytes the tracker receives, lower-case hex.
    pub payload_hex: String,
    /// When the sandbox accepted it (sandbox clock).
    #[serde(with = "plaspy_types::de::datetime")]
    pub received: DateTime<Utc>,
    /// The `result` string answered to the client.
    pub result: String,
}

/// The most commands the log keeps; beyond, the oldest are forgotten.
pub(crate) const MAX_COMMANDS: usize = 10_000;

/// Every command received (the last [`MAX_COMMANDS`]), oldest first.
#[derive(Debug, Default)]
pub(crate) struct CommandLog {
    records: std::collections::VecDeque<CommandRecord>,
    next_seq: u64,
}

impl CommandLog {
    /// Appends a record, numbering it.
    pub(crate) fn push(&mut self, mut record: CommandRecord) -> CommandRecord {
        self.next_seq += 1;
        record.seq = self.next_seq;
        if self.records.len() >= MAX_COMMANDS {
            self.records.pop_front();
        }
        self.records.push_back(record.clone());
        record
    }

    /// The records, only those for `device_id` (and `account`) when given.
    pub(crate) fn list(
        &self,
        device_id: Option<&str>,
        account: Option<&str>,
    ) -> Vec<CommandRecord> {
        self.records
            .iter()
            .filter(|r| device_id.is_none_or(|d| r.device_id == d))
            .filter(|r| account.is_none_or(|a| r.account.eq_ignore_ascii_case(a)))
            .cloned()
            .collect()
    }

    /// Forgets every record; returns how many there were.
    pub(crate) fn clear(&mut self) -> usize {
        std::mem::take(&mut self.records).len()
    }
}
