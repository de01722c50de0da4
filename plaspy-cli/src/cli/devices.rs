//! `plaspy devices ...` and `plaspy fleet`.

use clap::{ArgGroup, Args, Subcommand, ValueEnum};

/// `plaspy devices ...`
#[derive(Debug, Subcommand)]
pub enum DevicesCommand {
    /// List the account's active devices
    #[command(after_help = "\
Examples:
  plaspy devices list
  plaspy devices list --output json | jq -r '.[].id'")]
    List,
    /// Show one device
    #[command(after_help = "Examples:\n  plaspy devices get dev-1")]
    Get {
        /// Device id
        id: String,
    },
    /// Show the last known position of one or more devices
    #[command(after_help = "\
With one id, JSON output is the position itself (null when the device has none yet);
with several, an array of {\"deviceId\": ..., \"lastLocation\": ...}.

Examples:
  plaspy devices last-location dev-1
  plaspy devices last-location dev-1 dev-2 dev-3 --output csv")]
    LastLocation {
        /// Device ids
        #[arg(required = true, num_args = 1..)]
        ids: Vec<String>,
    },
    /// List a device's positions in a time range (track)
    #[command(after_help = LOCATIONS_AFTER_HELP)]
    Locations {
        /// Device id
        id: String,
        /// The time range
        #[command(flatten)]
        range: RangeArgs,
    },
    /// List the alerts a device raised in a time range
    #[command(after_help = ALERTS_AFTER_HELP)]
    Alerts {
        /// Device id
        id: String,
        /// The time range
        #[command(flatten)]
        range: RangeArgs,
        /// Only alerts with this name
        #[arg(long, value_name = "ALERT")]
        name: Option<String>,
    },
    /// Send a command to a device's tracker (acts on a real vehicle: asks first)
    #[command(after_help = "\
The command is validated locally first (hex digits, Base64). On a terminal you are asked
to confirm; when stdin is not a terminal, --yes is required (without it: exit code 2).
--dry-run prints the request (method, path, JSON body) and sends nothing.

Examples:
  plaspy devices send-command dev-1 engineStop
  plaspy devices send-command dev-1 '01 A0 FF' --format hex --yes
  plaspy devices send-command dev-1 'SETPARAM 1' --sms --dry-run")]
    SendCommand(SendCommandArgs),
}

const LOCATIONS_AFTER_HELP: &str = concat!(
    "Output formats: table, json, ndjson, csv, geojson (a FeatureCollection: a LineString of\n",
    "the track plus one Point per fix carrying its attributes), gpx (GPX 1.1, one track).\n\n",
    "Examples:\n",
    "  plaspy devices locations dev-1 --since 24h\n",
    "  plaspy devices locations dev-1 --from 2024-06-01 --to 2024-06-02 --output geojson\n",
    "  plaspy devices locations dev-1 --since 2d --output gpx > track.gpx\n\n",
    time_help!()
);

const ALERTS_AFTER_HELP: &str = concat!(
    "Examples:\n",
    "  plaspy devices alerts dev-1 --since 7d\n",
    "  plaspy devices alerts dev-1 --from 2024-06-01 --to 2024-06-30 --name Speeding\n\n",
    time_help!()
);

/// A time range: `--from T [--to T]` or `--since D`.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("range").required(true).args(["from", "since"])))]
pub struct RangeArgs {
    /// Start of the range (see the time formats below)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub from: Option<String>,
    /// End of the range [default: now]
    #[arg(
        long,
        value_name = "TIME",
        requires = "from",
        allow_hyphen_values = true
    )]
    pub to: Option<String>,
    /// From this long ago (24h, 2d, 30m, 1w) or this time, until now
    #[arg(long, value_name = "DURATION", conflicts_with_all = ["from", "to"])]
    pub since: Option<String>,
}

/// How a command's text is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CommandFormatArg {
    /// Plain text
    Text,
    /// Hex digits (spaces and hyphens ignored)
    Hex,
    /// Standard Base64
    Base64,
}

/// `plaspy devices send-command ...`
#[derive(Debug, Clone, Args)]
pub struct SendCommandArgs {
    /// Device id
    pub id: String,
    /// The command, in --format
    #[arg(allow_hyphen_values = true)]
    pub command: String,
    /// How COMMAND is encoded
    #[arg(long, value_enum, default_value = "text")]
    pub format: CommandFormatArg,
    /// Deliver by SMS to the device's SIM instead of the data link (GPRS)
    #[arg(long)]
    pub sms: bool,
    /// Send without asking for confirmation
    #[arg(short, long)]
    pub yes: bool,
    /// Print the request that would be sent, and send nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `plaspy fleet ...`
#[derive(Debug, Clone, Args)]
pub struct FleetArgs {
    /// Only the devices of this group
    #[arg(long, value_name = "GROUP_ID")]
    pub group: Option<String>,
    /// How many positions to fetch at once (fewer while the server answers 429)
    #[arg(
        long,
        alias = "workers",
        default_value_t = plaspy_blocking::DEFAULT_CONCURRENCY as u16,
        value_parser = clap::value_parser!(u16).range(1..=256)
    )]
    pub concurrency: u16,
    /// Only devices silent for longer than this (30m, 1h, 2d, ...): no fix since then, no
    /// fix ever, or a position that could not be read
    #[arg(long, value_name = "DURATION")]
    pub stale: Option<String>,
}
