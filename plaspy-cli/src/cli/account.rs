//! `plaspy auth ...` and `plaspy config ...`.

use clap::Subcommand;

/// `plaspy auth ...`
#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Print a bearer token for the account (the only command that prints a secret)
    #[command(after_help = "\
Prints the token alone on stdout, for `$(plaspy auth token)`; --output json prints
{\"token\": ..., \"expires\": ...}.

Examples:
  plaspy auth token --output json | jq -r .expires
  TOKEN=$(plaspy auth token)")]
    Token,
}

/// `plaspy config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Create or change a profile (the global --profile, --username, --api-key, --base-url)
    #[command(after_help = "\
Only the flags given on the command line are written (not the environment). --api-key -
reads the key from the first line of stdin. The file is written with mode 0600.

Examples:
  plaspy config set --username me --api-key KEY
  printf '%s\\n' \"$KEY\" | plaspy config set --profile altagama --username me --api-key - --base-url https://api.example.com
  plaspy config set --profile altagama --default")]
    Set {
        /// Also make it the profile used when none is named
        #[arg(long)]
        default: bool,
    },
    /// Show a profile (the API key masked)
    #[command(
        after_help = "Examples:\n  plaspy config show\n  plaspy config show --profile altagama"
    )]
    Show,
    /// List the profiles
    #[command(after_help = "Examples:\n  plaspy config list")]
    List,
    /// Make a profile the one used when none is named
    #[command(after_help = "Examples:\n  plaspy config use altagama")]
    Use {
        /// Profile name
        name: String,
    },
    /// Print the config file's path
    #[command(
        after_help = "Examples:\n  plaspy config path\n  PLASPY_CONFIG=./plaspy.toml plaspy config path"
    )]
    Path,
}
