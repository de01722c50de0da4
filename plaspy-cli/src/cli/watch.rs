//! `plaspy watch`: the live feed of new positions.

use std::path::PathBuf;

use clap::Args;

/// Text shown after `plaspy watch --help`.
pub const WATCH_AFTER_HELP: &str = "\
Examples:
  plaspy watch                                   every device, from now on
  plaspy watch dev-01 dev-02 --since 2h          two devices, from two hours ago
  plaspy watch --group grp-1 --interval 1m
  plaspy watch --state feed.json >> fixes.ndjson  stop and start again: nothing lost or repeated
  plaspy watch --alerts -o ndjson | jq -c 'select(.alert)'

Each new fix is printed once, in time order per device: with -o ndjson (the default when
piped) one JSON object a line, `deviceId` plus the fix's own fields, flushed as it comes;
alert events (--alerts) are `{\"deviceId\": ..., \"alert\": {...}}`. On a terminal, a table
redraws with one row per device. Devices that moved are read with the date-range query,
so fixes between polls are not lost; \"now\" is the server's clock.

With --state FILE the cursor (per device, the last fix printed) is read at start and
written atomically after each batch and on exit; --since then applies only to devices the
file does not hold. Ctrl-C or SIGTERM finishes the line being written, saves the state and
exits 0.";

/// `plaspy watch`.
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Devices to watch [default: every device of the account]
    #[arg(value_name = "DEVICE")]
    pub devices: Vec<String>,
    /// Watch the members of this group (re-read every poll)
    #[arg(long, value_name = "GROUP_ID", conflicts_with = "devices")]
    pub group: Option<String>,
    /// Start here: a duration before the server's present (30m, 2h, 1d) or a time
    /// (2024-06-01T08:00:00Z) [default: now]
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Time between polls (500ms, 30s, 2m)
    #[arg(long, value_name = "DURATION", default_value = "30s")]
    pub interval: String,
    /// Cursor file: read at start, written atomically after each batch and on exit
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Also print alert events
    #[arg(long)]
    pub alerts: bool,
}
