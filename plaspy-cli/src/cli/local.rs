//! `plaspy sandbox` and `plaspy completions`.

use clap::Args;

/// `plaspy sandbox ...`
#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// Port to listen on, on 127.0.0.1 (0: any free port)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Seed of the simulated fleet, groups and users (same seed, same data)
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// At most this many requests per minute per account (429 beyond) [default: no limit]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit: Option<u32>,
    /// Answer in every shape the API contract lists (offset-less date-times, 7 fractional
    /// digits, numeric ids, nulls, integers as 12.0, unknown fields), with the same data
    #[arg(long)]
    pub quirks: bool,
}

/// `plaspy completions ...`
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
