//! `plaspy`: check a Plaspy GPS fleet in seconds and script it in shell pipelines.
//!
//! Built on `plaspy-blocking`; this crate holds no HTTP logic and no fleet rule of its own
//! (those are the SDK's and `plaspy-fleet`'s). One file per command in [`commands`], its
//! arguments next to the code that runs it. See `plaspy --help` for the commands and the
//! exit codes ([`exit::ExitCode`]).

mod args;
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

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;
use crate::context::{Ctx, FromCommandLine};
use crate::exit::{CliError, ExitCode};

fn main() -> std::process::ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => return clap_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    logging::init(cli.global.verbose);
    let mut ctx = Ctx::new(cli.global, FromCommandLine::from_matches(&matches));
    let result = cli.command.run(&mut ctx);
    report_usage(&ctx);
    match result {
        Ok(()) => ExitCode::Success.into(),
        Err(e) if e.silent => e.code.into(),
        Err(e) => {
            print_error(&e.message);
            e.code.into()
        }
    }
}

/// One line on stderr: `error: ` (red on a colour terminal) and the message, made safe for
/// the terminal (server text and echoed arguments may hold escape sequences).
fn print_error(message: &str) {
    let message = output::terminal::sanitize(message);
    // anstream: ANSI, console calls on a legacy Windows console, or plain.
    anstream::eprintln!("{} {message}", style::red("error:", style::stderr_color()));
}

/// A value that did not parse is one line naming the option (exit 2), like every other
/// usage error; help, version and clap's other usage errors are clap's own.
fn clap_error(e: clap::Error) -> std::process::ExitCode {
    if e.kind() != ErrorKind::ValueValidation {
        e.exit();
    }
    let option = match e.get(ContextKind::InvalidArg) {
        // `--tz <ZONE>` → `--tz`; a positional `[DEVICE]...` stays as it is.
        Some(ContextValue::String(arg)) if arg.starts_with('-') => {
            arg.split(' ').next().unwrap_or(arg).to_owned()
        }
        Some(ContextValue::String(arg)) => arg.clone(),
        _ => "a value".to_owned(),
    };
    let why = std::error::Error::source(&e).map_or_else(|| e.kind().to_string(), |s| s.to_string());
    let error = CliError::usage(format!("{option}: {why}"));
    print_error(&error.message);
    error.code.into()
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
