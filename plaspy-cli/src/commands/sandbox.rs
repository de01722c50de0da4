//! `plaspy sandbox`: serve the local demo sandbox in the foreground.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::exit::{CliError, CliResult};

/// Text shown after `plaspy sandbox --help`.
pub const AFTER_HELP: &str = "\
Examples:
  plaspy sandbox --port 8080
  # in another shell:
  PLASPY_BASE_URL=http://127.0.0.1:8080 PLASPY_USERNAME=demo PLASPY_API_KEY=demo-key plaspy fleet";

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

/// Starts the sandbox and serves until the process is stopped (Ctrl-C).
pub fn run(ctx: &mut Ctx, args: SandboxArgs) -> CliResult {
    let config = plaspy_sandbox::SandboxConfig {
        port: args.port,
        seed: args.seed,
        rate_limit: args.rate_limit,
        quirks: args.quirks,
        ..Default::default()
    };
    let handle = plaspy_sandbox::start(config).map_err(|e| {
        CliError::failure(format!(
            "starting the sandbox on port {} failed: {e}: try another --port",
            args.port
        ))
    })?;
    let url = handle.base_url().to_owned();
    let mut out = std::io::stdout().lock();
    // The demo credentials are public constants, not an account's secret.
    let banner = format!(
        "Plaspy sandbox listening on {url} (Ctrl-C stops it)\n\
         export PLASPY_BASE_URL={url}\n\
         export PLASPY_USERNAME={}\n\
         export PLASPY_API_KEY={}\n",
        plaspy_sandbox::DEMO_USERNAME,
        plaspy_sandbox::DEMO_API_KEY
    );
    out.write_all(banner.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| CliError::io("writing", &e))?;
    drop(out);
    if ctx.global.verbose > 0 {
        eprintln!(
            "control routes under {url}/_sandbox (faults, commands, rate limit, time, reset)"
        );
    }
    // The server runs on the sandbox's own runtime; this thread only keeps the process alive.
    let _handle = handle;
    loop {
        std::thread::park();
    }
}
