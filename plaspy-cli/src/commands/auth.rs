//! `plaspy auth token`: the only command whose output holds a secret.

use chrono::{DateTime, Utc};
use clap::Subcommand;
use serde::Serialize;

use crate::context::Ctx;
use crate::exit::{CliResult, Context, ErrorSubject};
use crate::output::{self, Format};

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

/// The token as `--output json` shows it.
#[derive(Serialize)]
struct TokenView<'a> {
    token: &'a str,
    #[serde(with = "plaspy_types::de::opt_datetime")]
    expires: Option<DateTime<Utc>>,
}

/// Runs `plaspy auth ...`.
pub fn run(ctx: &mut Ctx, command: AuthCommand) -> CliResult {
    match command {
        AuthCommand::Token => token(ctx),
    }
}

fn token(ctx: &mut Ctx) -> CliResult {
    // Plain text unless JSON is asked for explicitly: `TOKEN=$(plaspy auth token)` must work.
    let format = ctx.global.output.unwrap_or(Format::Table);
    let printer = ctx.printer(&[Format::Table, Format::Json, Format::Ndjson])?;
    let client = ctx.client()?;
    let access = client
        .token()
        .context(ErrorSubject::Credentials, "getting a token")?;
    let view = TokenView {
        token: access.token.expose(),
        expires: access.expires,
    };
    printer.emit(|w| match format {
        Format::Json => output::json(w, &view),
        Format::Ndjson => output::ndjson(w, &view),
        _ => writeln!(w, "{}", view.token),
    })
}
