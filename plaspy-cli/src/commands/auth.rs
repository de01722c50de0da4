//! `plaspy auth token`: the only command whose output holds a secret.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cli::AuthCommand;
use crate::context::Ctx;
use crate::exit::{CliResult, Context};
use crate::output::{self, Format};

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
    let access = client.token().context("getting a token")?;
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
