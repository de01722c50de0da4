//! The command line: the global options and the subcommands. Each subcommand's arguments
//! live with the code that runs it, in [`crate::commands`].

use clap::{Args, Parser, Subcommand};

use crate::commands::{
    auth, completions, config, dashboard, devices, fleet, groups, report, sandbox, users, watch,
};
use crate::context::Ctx;
use crate::exit::{CliResult, ExitCode};
use crate::output::Format;

/// Text shown after the top-level `--help`: examples, then the exit codes of [`ExitCode`].
fn top_after_help() -> String {
    let mut help = String::from(
        "\
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

Exit codes:",
    );
    for code in ExitCode::ALL {
        help.push_str(&format!("\n  {}  {}", code.code(), code.meaning()));
    }
    help
}

/// `plaspy`: check and script a Plaspy GPS fleet from the shell.
#[derive(Debug, Parser)]
#[command(
    name = "plaspy",
    version,
    about = "Check and script a Plaspy GPS fleet from the shell",
    after_help = top_after_help(),
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
    Auth(auth::AuthCommand),
    /// Devices: list, details, positions, alerts, commands
    #[command(
        subcommand,
        after_help = "Examples:\n  plaspy devices list\n  plaspy devices last-location dev-1 dev-2\n  \
                      plaspy devices locations dev-1 --since 24h --output geojson"
    )]
    Devices(devices::DevicesCommand),
    /// Devices with their last position and state, in one table
    #[command(after_help = fleet::AFTER_HELP)]
    Fleet(fleet::FleetArgs),
    /// Follow new positions live: every fix once, resumable with --state
    #[command(after_help = watch::AFTER_HELP)]
    Watch(watch::WatchArgs),
    /// Groups of devices: list, get, create, update, patch, delete
    #[command(
        subcommand,
        after_help = "Examples:\n  plaspy groups list\n  plaspy groups create --name 'North depot' --device dev-1"
    )]
    Groups(groups::GroupsCommand),
    /// Reports computed from positions: trips, stops, daily summaries
    #[command(
        subcommand,
        after_help = "Examples:\n  plaspy report trips dev-1 --since 7d\n  plaspy report summary --group grp-1 --since 30d -o csv"
    )]
    Report(report::ReportCommand),
    /// Users: list, get, create, update, patch, delete, countries, time zones
    #[command(
        subcommand,
        after_help = "Examples:\n  plaspy users list\n  plaspy users update usr-1 --time-zone Europe/Madrid"
    )]
    Users(users::UsersCommand),
    /// Profiles in the config file: set, show, list, use, path
    #[command(
        subcommand,
        after_help = "Examples:\n  plaspy config set --username me --api-key KEY\n  plaspy config show --profile altagama"
    )]
    Config(config::ConfigCommand),
    /// Serve the local demo sandbox in the foreground (Ctrl-C stops it)
    #[command(after_help = sandbox::AFTER_HELP)]
    Sandbox(sandbox::SandboxArgs),
    /// Serve a local web dashboard: the fleet on a map, device tracks (Ctrl-C stops it)
    #[command(after_help = dashboard::AFTER_HELP)]
    Dashboard(dashboard::DashboardArgs),
    /// Print a shell completion script
    #[command(after_help = completions::AFTER_HELP)]
    Completions(completions::CompletionsArgs),
}

impl Command {
    /// Runs the command.
    pub fn run(self, ctx: &mut Ctx) -> CliResult {
        match self {
            Command::Auth(cmd) => auth::run(ctx, cmd),
            Command::Devices(cmd) => devices::run(ctx, cmd),
            Command::Fleet(args) => fleet::run(ctx, args),
            Command::Watch(args) => watch::run(ctx, args),
            Command::Groups(cmd) => groups::run(ctx, cmd),
            Command::Report(cmd) => report::run(ctx, cmd),
            Command::Users(cmd) => users::run(ctx, cmd),
            Command::Config(cmd) => config::run(ctx, cmd),
            Command::Sandbox(args) => sandbox::run(ctx, args),
            Command::Dashboard(args) => dashboard::run(ctx, args),
            Command::Completions(args) => completions::run(args),
        }
    }
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
    fn the_help_lists_every_exit_code() {
        let help = Cli::command().render_long_help().to_string();
        for code in ExitCode::ALL {
            let line = format!("{}  {}", code.code(), code.meaning());
            assert!(help.contains(&line), "{line}");
        }
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
        assert!(parse(&["--since", "soon"]).is_err());
        assert!(parse(&["--since", "1d", "--max-range", "soon"]).is_err());
    }

    #[test]
    fn values_are_typed_by_clap() {
        let bad: &[&[&str]] = &[
            &["fleet", "--stale", "soon"],
            &["report", "trips", "--since", "1d", "--moving-speed", "-3"],
            &["report", "trips", "--since", "1d", "--min-stop", "long"],
            &["report", "summary", "--since", "1d", "--tz", "Mars/Olympus"],
            &["watch", "--interval", "1ms"],
            &["watch", "--since", "whenever"],
            &["users", "update", "u1", "--expires", "someday"],
        ];
        for args in bad {
            let e = Cli::try_parse_from(["plaspy"].iter().chain(args.iter())).unwrap_err();
            assert_eq!(
                e.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{args:?}"
            );
        }
    }

    #[test]
    fn one_device_selection_ids_or_a_group() {
        let parse = |args: &[&str]| {
            Cli::try_parse_from(["plaspy"].iter().chain(args.iter())).map(|cli| cli.command)
        };
        for command in ["fleet", "watch"] {
            assert!(
                parse(&[command, "d1", "--group", "g1"]).is_err(),
                "{command}"
            );
        }
        assert!(parse(&["report", "trips", "d1", "--group", "g", "--since", "1d"]).is_err());
        let Ok(Command::Fleet(args)) = parse(&["fleet"]) else {
            panic!("fleet parses")
        };
        assert_eq!(
            args.devices.selection().unwrap(),
            plaspy_fleet::DeviceSelection::All
        );
    }

    #[test]
    fn patch_needs_an_operation() {
        assert!(Cli::try_parse_from(["plaspy", "groups", "patch", "g1"]).is_err());
        assert!(Cli::try_parse_from(["plaspy", "groups", "patch", "g1", "--remove", "x"]).is_ok());
    }
}
