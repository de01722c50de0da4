//! `plaspy sandbox`: serve the local demo sandbox in the foreground.

use std::io::Write;

use crate::cli::SandboxArgs;
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};

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
