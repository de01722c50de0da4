//! `plaspy devices ...`: list, get, last-location, locations, alerts, send-command.

use std::io::{IsTerminal, Write};

use clap::{Args, Subcommand, ValueEnum};
use plaspy_blocking::endpoints::{Endpoint, SendCommand};
use plaspy_blocking::{Command, CommandFormat};
use plaspy_fleet::export::{self, TrackFeatures};
use plaspy_types::de::format_datetime;
use serde::Serialize;
use serde_json::Value;

use crate::args::{MatchArgs, RangeArgs};
use crate::commands::fleet;
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult, Context, ErrorSubject};
use crate::input;
use crate::output::columns::PositionEntry;
use crate::output::{self, Format, Printer, Record};

/// `plaspy devices ...`
#[derive(Debug, Subcommand)]
pub enum DevicesCommand {
    /// List the account's active devices
    #[command(after_help = "\
Examples:
  plaspy devices list
  plaspy devices list --match camion        names, descriptions and plates containing it
  plaspy devices list --output json | jq -r '.[].id'")]
    List {
        /// Which devices, by what they are called
        #[command(flatten)]
        matching: MatchArgs,
    },
    /// Show one device
    #[command(after_help = "Examples:\n  plaspy devices get dev-1")]
    Get {
        /// Device id
        id: String,
    },
    /// Show the last known position of one or more devices
    #[command(after_help = "\
With one id, JSON output is the position itself (null when the device has none yet);
with several, an array of {\"deviceId\": ..., \"lastLocation\": ...}.

Examples:
  plaspy devices last-location dev-1
  plaspy devices last-location dev-1 dev-2 dev-3 --output csv")]
    LastLocation {
        /// Device ids
        #[arg(required = true, num_args = 1..)]
        ids: Vec<String>,
    },
    /// List a device's positions in a time range (track)
    #[command(after_help = LOCATIONS_AFTER_HELP)]
    Locations {
        /// Device id
        id: String,
        /// The time range
        #[command(flatten)]
        range: RangeArgs,
    },
    /// List the alerts a device raised in a time range
    #[command(after_help = ALERTS_AFTER_HELP)]
    Alerts {
        /// Device id
        id: String,
        /// The time range
        #[command(flatten)]
        range: RangeArgs,
        /// Only alerts with this name
        #[arg(long, value_name = "ALERT")]
        name: Option<String>,
    },
    /// Send a command to a device's tracker (acts on a real vehicle: asks first)
    #[command(after_help = "\
The command is validated locally first (hex digits, Base64). On a terminal you are asked
to confirm; when stdin is not a terminal, --yes is required (without it: exit code 2).
--dry-run prints the request (method, path, JSON body) and sends nothing.

Examples:
  plaspy devices send-command dev-1 engineStop
  plaspy devices send-command dev-1 '01 A0 FF' --format hex --yes
  plaspy devices send-command dev-1 'SETPARAM 1' --sms --dry-run")]
    SendCommand(SendCommandArgs),
}

const LOCATIONS_AFTER_HELP: &str = concat!(
    "Output formats: table, json, ndjson, csv, geojson (a FeatureCollection: a LineString of\n",
    "the track plus one Point per fix carrying its attributes), gpx (GPX 1.1, one track).\n\n",
    "Examples:\n",
    "  plaspy devices locations dev-1 --since 24h\n",
    "  plaspy devices locations dev-1 --from 2024-06-01 --to 2024-06-02 --output geojson\n",
    "  plaspy devices locations dev-1 --since 2d --output gpx > track.gpx\n\n",
    crate::args::time_help!()
);

const ALERTS_AFTER_HELP: &str = concat!(
    "Examples:\n",
    "  plaspy devices alerts dev-1 --since 7d\n",
    "  plaspy devices alerts dev-1 --from 2024-06-01 --to 2024-06-30 --name Speeding\n\n",
    crate::args::time_help!()
);

/// How a command's text is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CommandFormatArg {
    /// Plain text
    Text,
    /// Hex digits (spaces and hyphens ignored)
    Hex,
    /// Standard Base64
    Base64,
}

/// `plaspy devices send-command ...`
#[derive(Debug, Clone, Args)]
pub struct SendCommandArgs {
    /// Device id
    pub id: String,
    /// The command, in --format
    #[arg(allow_hyphen_values = true)]
    pub command: String,
    /// How COMMAND is encoded
    #[arg(long, value_enum, default_value = "text")]
    pub format: CommandFormatArg,
    /// Deliver by SMS to the device's SIM instead of the data link (GPRS)
    #[arg(long)]
    pub sms: bool,
    /// Send without asking for confirmation
    #[arg(short, long)]
    pub yes: bool,
    /// Print the request that would be sent, and send nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `plaspy devices ...`.
pub fn run(ctx: &mut Ctx, command: DevicesCommand) -> CliResult {
    match command {
        DevicesCommand::List { matching } => {
            let printer = ctx.printer(TABULAR)?;
            let devices = ctx
                .client()?
                .devices()
                .list()
                .context(ErrorSubject::Account, "listing devices")?;
            printer.list(&matching.keep(devices))
        }
        DevicesCommand::Get { id } => {
            let printer = ctx.printer(TABULAR)?;
            let device = ctx.client()?.devices().get(&id).context(
                ErrorSubject::Device(id.clone()),
                &format!("getting device {id}"),
            )?;
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

fn locations(ctx: &mut Ctx, id: &str, args: &RangeArgs) -> CliResult {
    let all = [TABULAR, &[Format::Geojson, Format::Gpx]].concat();
    let printer = ctx.printer(&all)?;
    let (from, to) = args.resolve()?;
    let subject = ErrorSubject::Device(id.to_owned());
    let what = format!("getting the positions of device {id}");
    let history = ctx
        .client()?
        .devices()
        .location_history(id, from, to)
        .limits(args.limits());
    history.request_count().context(subject.clone(), &what)?;
    match printer.format {
        Format::Ndjson | Format::Csv => stream(&printer, history.pages(), subject, &what),
        format => {
            let fixes = history.all().context(subject, &what)?;
            match format {
                Format::Geojson => {
                    let mut properties = serde_json::Map::new();
                    properties.insert("deviceId".into(), id.into());
                    properties.insert("from".into(), format_datetime(&from).into());
                    properties.insert("to".into(), format_datetime(&to).into());
                    properties.insert("fixes".into(), fixes.len().into());
                    let doc =
                        export::geojson_track(&fixes, properties, TrackFeatures::LineAndPoints);
                    printer.emit(|w| output::json(w, &doc))
                }
                Format::Gpx => {
                    let doc = export::gpx_track(id, "plaspy", &fixes);
                    printer.emit(|w| w.write_all(doc.as_bytes()))
                }
                _ => printer.list(&fixes),
            }
        }
    }
}

fn alerts(ctx: &mut Ctx, id: &str, args: &RangeArgs, name: Option<&str>) -> CliResult {
    let printer = ctx.printer(TABULAR)?;
    let (from, to) = args.resolve()?;
    let subject = ErrorSubject::Device(id.to_owned());
    let what = format!("getting the alerts of device {id}");
    let mut history = ctx
        .client()?
        .devices()
        .alert_history(id, from, to)
        .limits(args.limits());
    if let Some(name) = name {
        history = history.name(name);
    }
    history.request_count().context(subject.clone(), &what)?;
    match printer.format {
        Format::Ndjson | Format::Csv => stream(&printer, history.pages(), subject, &what),
        _ => printer.list(&history.all().context(subject, &what)?),
    }
}

/// Writes NDJSON or CSV page by page as the windows arrive, flushing after each, so a long
/// range neither waits nor sits in memory. An error after some pages keeps what was written.
fn stream<T: Record>(
    printer: &Printer,
    pages: impl Iterator<Item = plaspy_blocking::Result<Vec<T>>>,
    subject: ErrorSubject,
    what: &str,
) -> CliResult {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let columns = T::columns();
    let io = |e: std::io::Error| CliError::io("writing the output", &e);
    if printer.format == Format::Csv {
        output::csv::write_header(&mut out, &columns).map_err(io)?;
    }
    for page in pages {
        let page = page.context(subject.clone(), what)?;
        match printer.format {
            Format::Csv => output::csv::write_rows(&mut out, &columns, &page),
            _ => page
                .iter()
                .try_for_each(|item| output::ndjson(&mut out, item)),
        }
        .and_then(|()| out.flush())
        .map_err(io)?;
    }
    Ok(())
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
    let request = endpoint.request().context(
        ErrorSubject::Device(args.id.clone()),
        "checking the command",
    )?;
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
        let device = client.devices().get(&args.id).context(
            ErrorSubject::Device(args.id.clone()),
            &format!("getting device {}", args.id),
        )?;
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
    let result = client.devices().send_command(&args.id, &command).context(
        ErrorSubject::Device(args.id.clone()),
        &format!("sending the command to device {}", args.id),
    )?;
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
