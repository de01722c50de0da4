//! `plaspy devices ...`: list, get, last-location, locations, alerts, send-command.

use std::io::IsTerminal;

use chrono::Utc;
use plaspy_blocking::endpoints::SendCommand;
use plaspy_blocking::{Command, CommandFormat, Endpoint};
use serde::Serialize;
use serde_json::Value;

use crate::cli::{CommandFormatArg, DevicesCommand, RangeArgs, SendCommandArgs};
use crate::commands::fleet;
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult, Context};
use crate::input;
use crate::output::columns::PositionEntry;
use crate::output::{self, Format, geojson, gpx};
use crate::time;

/// Runs `plaspy devices ...`.
pub fn run(ctx: &mut Ctx, command: DevicesCommand) -> CliResult {
    match command {
        DevicesCommand::List => {
            let printer = ctx.printer(TABULAR)?;
            let devices = ctx.client()?.devices().list().context("listing devices")?;
            printer.list(&devices)
        }
        DevicesCommand::Get { id } => {
            let printer = ctx.printer(TABULAR)?;
            let device = ctx
                .client()?
                .devices()
                .get(&id)
                .context(&format!("getting device {id}"))?;
            printer.one(&device)
        }
        DevicesCommand::LastLocation { ids } => last_location(ctx, &ids),
        DevicesCommand::Locations { id, range } => locations(ctx, &id, &range),
        DevicesCommand::Alerts { id, range, name } => alerts(ctx, &id, &range, name.as_deref()),
        DevicesCommand::SendCommand(args) => send_command(ctx, args),
    }
}

fn last_location(ctx: &mut Ctx, ids: &[String]) -> CliResult {
    let printer = ctx.printer(TABULAR)?;
    let client = ctx.client()?;
    let positions = fleet::fetch_positions(&client, ids, 8, ctx.progress_enabled())?;
    let entries: Vec<PositionEntry> = ids
        .iter()
        .zip(positions)
        .map(|(id, last_location)| PositionEntry {
            device_id: id.clone(),
            last_location,
        })
        .collect();
    match (printer.format, entries.as_slice()) {
        // One id: the position itself (or null), as the API returns it.
        (Format::Json, [one]) => printer.emit(|w| output::json(w, &one.last_location)),
        (Format::Ndjson, [one]) => printer.emit(|w| output::ndjson(w, &one.last_location)),
        (Format::Table, [one]) => printer.one(one),
        _ => printer.list(&entries),
    }
}

fn range(args: &RangeArgs) -> CliResult<(chrono::DateTime<Utc>, chrono::DateTime<Utc>)> {
    time::resolve_range(
        args.from.as_deref(),
        args.to.as_deref(),
        args.since.as_deref(),
        Utc::now(),
    )
    .map_err(CliError::usage)
}

fn locations(ctx: &mut Ctx, id: &str, args: &RangeArgs) -> CliResult {
    let all = [TABULAR, &[Format::Geojson, Format::Gpx]].concat();
    let printer = ctx.printer(&all)?;
    let (from, to) = range(args)?;
    let fixes = ctx
        .client()?
        .devices()
        .locations(id, from, to)
        .context(&format!("getting the positions of device {id}"))?;
    match printer.format {
        Format::Geojson => printer.emit(|w| output::json(w, &geojson::track(id, from, to, &fixes))),
        Format::Gpx => printer.emit(|w| w.write_all(gpx::track(id, &fixes).as_bytes())),
        _ => printer.list(&fixes),
    }
}

fn alerts(ctx: &mut Ctx, id: &str, args: &RangeArgs, name: Option<&str>) -> CliResult {
    let printer = ctx.printer(TABULAR)?;
    let (from, to) = range(args)?;
    let alerts = ctx
        .client()?
        .devices()
        .alerts(id, from, to, name)
        .context(&format!("getting the alerts of device {id}"))?;
    printer.list(&alerts)
}

/// What `send-command` prints once the command went out.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Sent<'a> {
    device_id: &'a str,
    command: &'a Command,
    result: &'a str,
}

/// What `send-command --dry-run` prints: the request, never a token.
#[derive(Serialize)]
struct DryRun<'a> {
    method: &'a str,
    path: &'a str,
    body: Value,
}

fn send_command(ctx: &mut Ctx, args: SendCommandArgs) -> CliResult {
    let printer = ctx.printer(TABULAR)?;
    let format = match args.format {
        CommandFormatArg::Text => CommandFormat::Text,
        CommandFormatArg::Hex => CommandFormat::Hex,
        CommandFormatArg::Base64 => CommandFormat::Base64,
    };
    let mut command = Command::new(args.command.clone(), format);
    if args.sms {
        command = command.sms(true);
    }
    let endpoint = SendCommand {
        id: &args.id,
        command: &command,
    };
    let request = endpoint.request().context("checking the command")?;
    if args.dry_run {
        let body: Value = request
            .body
            .as_deref()
            .and_then(|b| serde_json::from_slice(b).ok())
            .unwrap_or(Value::Null);
        let view = DryRun {
            method: request.method.as_str(),
            path: &request.path,
            body,
        };
        printer.emit(|w| match printer.format {
            Format::Json => output::json(w, &view),
            Format::Ndjson => output::ndjson(w, &view),
            _ => {
                writeln!(w, "{} {}", view.method, view.path)?;
                writeln!(w, "Content-Type: application/json")?;
                writeln!(w)?;
                output::json(w, &view.body)
            }
        })?;
        ctx.note("dry run: nothing was sent");
        return Ok(());
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(CliError::usage(
                "not sending the command: it acts on a real vehicle and stdin is not a terminal to \
                 confirm on: pass --yes to send it (or --dry-run to see the request)",
            ));
        }
        let client = ctx.client()?;
        let device = client
            .devices()
            .get(&args.id)
            .context(&format!("getting device {}", args.id))?;
        let route = if args.sms {
            "by SMS"
        } else {
            "over the data link (GPRS)"
        };
        let prompt = format!(
            "Send `{}` ({}) {route} to device {} ({})? It acts on the real vehicle.",
            command.command,
            command.format,
            args.id,
            device.display_name()
        );
        if !input::confirm(&prompt)? {
            return Err(CliError::failure("cancelled: the command was not sent"));
        }
    }
    let client = ctx.client()?;
    let result = client
        .devices()
        .send_command(&args.id, &command)
        .context(&format!("sending the command to device {}", args.id))?;
    let sent = Sent {
        device_id: &args.id,
        command: &command,
        result: &result,
    };
    printer.emit(|w| match printer.format {
        Format::Json => output::json(w, &sent),
        Format::Ndjson => output::ndjson(w, &sent),
        Format::Csv => {
            output::csv::write_record(w, &["deviceId".into(), "command".into(), "result".into()])?;
            let cells = [&args.id, &command.command, &result];
            let row: Vec<String> = cells
                .map(|t| output::Cell::Text(t.clone()).for_csv())
                .into();
            output::csv::write_record(w, &row)
        }
        _ => writeln!(w, "{}", output::terminal::sanitize(&result)),
    })
}
