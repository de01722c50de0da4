//! `plaspy`: check a Plaspy GPS fleet in seconds and script it in shell pipelines.
//!
//! Built on `plaspy-blocking`; this crate holds no HTTP logic of its own. See
//! `plaspy --help` for the commands and the exit codes.

mod cli;
mod commands;
mod context;
mod exit;
mod input;
mod logging;
mod output;
mod profile;
mod style;
mod time;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;
use crate::context::{Ctx, FromCommandLine};

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    logging::init(cli.global.verbose);
    let mut ctx = Ctx::new(cli.global, FromCommandLine::from_matches(&matches));
    let result = commands::run(&mut ctx, cli.command);
    report_usage(&ctx);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.silent => ExitCode::from(e.code),
        Err(e) => {
            // Server text (messages, ids) may hold escape sequences: one safe line.
            let message = output::terminal::sanitize(&e.message);
            // anstream: ANSI, console calls on a legacy Windows console, or plain.
            anstream::eprintln!("{} {message}", style::red("error:", style::stderr_color()));
            ExitCode::from(e.code)
        }
    }
}

/// With `-v`, the API usage counters the server reported, on stderr.
fn report_usage(ctx: &Ctx) {
    if ctx.global.verbose == 0 {
        return;
    }
    let Some(client) = ctx.built_client() else {
        return;
    };
    let usage = client.usage();
    let part = |v: Option<i64>| v.map_or_else(|| "?".to_owned(), |n| n.to_string());
    if !usage.is_empty() {
        eprintln!(
            "API usage: {} (today: {})",
            part(usage.api_usage),
            part(usage.api_daily_usage)
        );
    }
}
