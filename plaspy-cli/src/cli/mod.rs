//! The command line, as clap structures: every subcommand, flag and help text.
//!
//! One file per area: [`devices`] (devices and fleet), [`resources`] (groups and users),
//! [`account`] (auth and config), [`local`] (sandbox and completions).

/// How times are read: the text shown in the help of commands that take a range.
macro_rules! time_help {
    () => {
        "Times (--from, --to, --since) accept:
  RFC 3339        2024-06-01T08:00:00Z, 2024-06-01T10:00:00+02:00
  no offset       2024-06-01T08:00, 2024-06-01 08:00:00   read as UTC
  plain date      2024-06-01   as --from: 00:00:00 UTC that day;
                               as --to: the end of that day (23:59:59.999 UTC)
  relative        30m, 24h, 2d, 1w, 1h30m (also \"2d ago\"): that long before now
                  units: s seconds, m minutes, h hours, d days, w weeks
  keywords        now, today, yesterday (today/yesterday behave like plain dates)
  Unix time       @1717228800
--since X is --from X --to now; --to defaults to now. Times are shown in UTC."
    };
}

pub mod account;
pub mod dashboard;
pub mod devices;
pub mod local;
pub mod report;
pub mod resources;
pub mod watch;

use clap::{Args, Parser, Subcommand};

pub use account::{AuthCommand, ConfigCommand};
pub use dashboard::DashboardArgs;
pub use devices::{CommandFormatArg, DevicesCommand, FleetArgs, RangeArgs, SendCommandArgs};
pub use local::{CompletionsArgs, SandboxArgs};
pub use report::{ReportArgs, ReportCommand};
pub use resources::{GroupFields, GroupsCommand, PatchArgs, UserFields, UsersCommand};
pub use watch::WatchArgs;

use crate::output::Format;

/// Text shown after the top-level `--help`: examples and exit codes.
const TOP_AFTER_HELP: &str = "\
Examples:
  plaspy --sandbox fleet                    try it on a local demo fleet, no account needed
  plaspy config set --username me --api-key KEY
  plaspy fleet                              every device with its last position
  plaspy devices locations dev-1 --since 24h --output gpx > track.gpx
  plaspy devices list --output json | jq -r '.[].id'

Credentials and base URL come from, in this order: flags, environment (PLASPY_USERNAME,
PLASPY_API_KEY, PLASPY_BASE_URL), the profile (--profile / PLASPY_PROFILE, default
\"default\") in the config file (`plaspy config path`; PLASPY_CONFIG overrides it).

Output: a table on a terminal, JSON when stdout is piped; --output chooses.

Exit codes:
  0  success
  1  other failure (network, server error, conflict, ...)
  2  usage error (bad arguments, invalid input, unconfirmed command)
  3  authentication failed (bad or missing credentials, token refused, forbidden)
  4  not found (no such device, group or user)
  5  rate limited (too many requests; retry later)";

/// `plaspy`: check and script a Plaspy GPS fleet from the shell.
#[derive(Debug, Parser)]
#[command(
    name = "plaspy",
    version,
    about = "Check and script a Plaspy GPS fleet from the shell",
    after_help = TOP_AFTER_HELP,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Options accepted before or after any subcommand.
    #[command(flatten, next_help_heading = "Global options")]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted before or after any subcommand.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// API base URL, one per brand or account [default: https://api.plaspy.com]
    // This doc comment is the `--help` text: angle brackets would show there.
    #[allow(rustdoc::bare_urls)]
    #[arg(long, global = true, env = "PLASPY_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// Account user name
    #[arg(long, global = true, env = "PLASPY_USERNAME", value_name = "NAME")]
    pub username: Option<String>,
    /// Account API key (prefer the environment or a profile: flags end up in shell history)
    #[arg(
        long,
        global = true,
        env = "PLASPY_API_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub api_key: Option<String>,
    /// Profile of the config file to use [default: "default"]
    #[arg(long, global = true, env = "PLASPY_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
    /// Output format [default: table on a terminal, json when piped]
    #[arg(short, long, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<Format>,
    /// Run against an embedded demo sandbox (no account needed)
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// With --sandbox: the embedded sandbox answers in every shape the API contract lists
    /// (offset-less date-times, numeric ids, nulls, ...), with the same data
    #[arg(long, global = true, requires = "sandbox")]
    pub sandbox_quirks: bool,
    /// Longest wait on one request, retries included, in seconds [default: 30]
    #[arg(long, global = true, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: Option<u64>,
    /// Retries of a failed request that is safe to repeat [default: 2]
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: Option<u32>,
    /// More detail on stderr: -v requests and API usage, -vv debug, -vvv trace
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Print nothing on stderr but errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// The subcommands.
// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Authentication: get a bearer token
    #[command(
        subcommand,
        after_help = "Examples:\n  plaspy auth token --output json\n  TOKEN=$(plaspy auth token)"
    )]
    Auth(AuthCommand),
    /// Devices: list, details, positions, alerts, commands
    #[command(
        subcommand,
        after_help = "Examples:\n  plaspy devices list\n  plaspy devices last-location dev-1 dev-2\n  \
                      plaspy devices locations dev-1 --since 24h --output geojson"
    )]
    Devices(DevicesCommand),
    /// Every device with its last position, in one table
    #[command(after_help = "\
Examples:
  plaspy fleet
  plaspy fleet --group grp-1
  plaspy fleet --stale 1h                   devices silent for more than an hour
  plaspy fleet --output csv > fleet.csv
  plaspy fleet --output json | jq '.[] | select(.lastLocation == null) | .device.id'")]
    Fleet(FleetArgs),
    /// Follow new positions live: every fix once, resumable with --state
    #[command(after_help = watch::WATCH_AFTER_HELP)]
    Watch(WatchArgs),
    /// Groups of devices: list, get, create, update, patch, delete
    #[command(
        subcommand,
        after_help = "Examples:\n  plaspy groups list\n  plaspy groups create --name 'North depot' --device dev-1"
    )]
    Groups(GroupsCommand),
    /// Reports computed from positions: trips, stops, daily summaries
    #[command(
        subcommand,
        after_help = "Examples:\n  plaspy report trips dev-1 --since 7d\n  plaspy report summary --group grp-1 --since 30d -o csv"
    )]
    Report(ReportCommand),
    /// Users: list, get, create, update, patch, delete, countries, time zones
    #[command(
        subcommand,
        after_help = "Examples:\n  plaspy users list\n  plaspy users update usr-1 --time-zone Europe/Madrid"
    )]
    Users(UsersCommand),
    /// Profiles in the config file: set, show, list, use, path
    #[command(
        subcommand,
        after_help = "Examples:\n  plaspy config set --username me --api-key KEY\n  plaspy config show --profile altagama"
    )]
    Config(ConfigCommand),
    /// Serve the local demo sandbox in the foreground (Ctrl-C stops it)
    #[command(after_help = "\
Examples:
  plaspy sandbox --port 8080
  # in another shell:
  PLASPY_BASE_URL=http://127.0.0.1:8080 PLASPY_USERNAME=demo PLASPY_API_KEY=demo-key plaspy fleet")]
    Sandbox(SandboxArgs),
    /// Serve a local web dashboard: the fleet on a map, device tracks (Ctrl-C stops it)
    #[command(after_help = "\
Examples:
  plaspy --sandbox dashboard --open           the demo fleet in your browser
  plaspy dashboard --port 0                   any free port; the URL is the first line printed
  plaspy dashboard --tile-url none            no map tiles (offline)

The API key and token stay in this process: the browser only sees the dashboard's own JSON.
It listens on 127.0.0.1 unless --bind says otherwise, and has no login of its own.")]
    Dashboard(DashboardArgs),
    /// Print a shell completion script
    #[command(after_help = "\
Examples:
  plaspy completions bash > ~/.local/share/bash-completion/completions/plaspy
  plaspy completions zsh > \"${fpath[1]}/_plaspy\"
  plaspy completions fish > ~/.config/fish/completions/plaspy.fish")]
    Completions(CompletionsArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_has_an_example() {
        fn walk(command: &clap::Command, path: &str) {
            for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
                let path = format!("{path} {}", sub.get_name());
                let help = sub
                    .get_after_help()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                assert!(
                    help.contains("Examples:\n  plaspy"),
                    "`{path} --help` has no example"
                );
                walk(sub, &path);
            }
        }
        walk(&Cli::command(), "plaspy");
    }

    #[test]
    fn global_flags_go_anywhere() {
        let cli =
            Cli::try_parse_from(["plaspy", "devices", "list", "--output", "csv", "-q"]).unwrap();
        assert_eq!(cli.global.output, Some(Format::Csv));
        assert!(cli.global.quiet);
        let cli = Cli::try_parse_from(["plaspy", "--sandbox", "fleet"]).unwrap();
        assert!(cli.global.sandbox);
    }

    #[test]
    fn a_range_is_required_and_exclusive() {
        let base = ["plaspy", "devices", "locations", "d1"];
        let parse = |extra: &[&str]| Cli::try_parse_from(base.iter().chain(extra)).map(|_| ());
        assert!(parse(&[]).is_err());
        assert!(parse(&["--since", "24h"]).is_ok());
        assert!(parse(&["--from", "2024-06-01"]).is_ok());
        assert!(parse(&["--from", "2024-06-01", "--to", "2024-06-02"]).is_ok());
        assert!(parse(&["--to", "2024-06-02"]).is_err());
        assert!(parse(&["--since", "2d", "--from", "2024-06-01"]).is_err());
    }

    #[test]
    fn patch_needs_an_operation() {
        assert!(Cli::try_parse_from(["plaspy", "groups", "patch", "g1"]).is_err());
        assert!(Cli::try_parse_from(["plaspy", "groups", "patch", "g1", "--remove", "x"]).is_ok());
    }
}
