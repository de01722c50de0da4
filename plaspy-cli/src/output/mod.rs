//! Writing results: tables for people, JSON / NDJSON / CSV for scripts, and GeoJSON / GPX
//! for tracks.
//!
//! JSON and NDJSON are the serde serialization of the `plaspy_types` models, so they parse
//! back into the models. Tables and CSV come from each model's [`Record`] columns.
//!
//! Every byte from a server is hostile: text bound for a terminal goes through
//! [`terminal`] (escape sequences and bidi controls neutralised), and CSV text cells
//! through [`csv::formula_safe`] (no spreadsheet formulas).
//!
//! GeoJSON and GPX tracks come from [`plaspy_fleet::export`], shared with the dashboard.
//!
//! Libraries do the generic work: [`comfy_table`] lays tables out in the terminal's width
//! ([`table`]), the `csv` crate quotes CSV ([`csv`]), [`indicatif`] draws progress bars
//! ([`progress`]) and [`anstream`] decides and writes colour ([`crate::style`]). What stays
//! hand-written says why in its module docs.

pub mod columns;
pub mod csv;
pub mod progress;
pub mod table;
pub mod terminal;

use std::io::{self, IsTerminal, Write};

use chrono::{DateTime, Utc};
use clap::ValueEnum;
use serde::Serialize;

use crate::exit::{CliError, CliResult};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people
    Table,
    /// Pretty JSON: the API models
    Json,
    /// One JSON document per line
    Ndjson,
    /// Comma-separated values with a header line
    Csv,
    /// GeoJSON FeatureCollection (devices locations only)
    Geojson,
    /// GPX 1.1 track (devices locations only)
    Gpx,
}

impl Format {
    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Csv => "csv",
            Format::Geojson => "geojson",
            Format::Gpx => "gpx",
        }
    }

    /// The format to use: the one asked for, else a table on a terminal and JSON otherwise.
    pub fn choose(requested: Option<Format>) -> Format {
        requested.unwrap_or_else(|| {
            if io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Json
            }
        })
    }
}

/// One value of a table or CSV cell, rendered differently for each.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// A placeholder shown in tables only (e.g. "no position yet"); empty in CSV.
    Note(&'static str),
    /// Text.
    Text(String),
    /// A time: `2024-06-01 08:00:00` in tables, RFC 3339 in CSV.
    Time(DateTime<Utc>),
    /// A coordinate: 5 decimals in tables, full precision in CSV.
    Coord(f64),
    /// A measurement: at most 1 decimal in tables, full precision in CSV.
    Num(f64),
    /// An integer.
    Int(i64),
    /// A flag.
    Bool(bool),
}

impl Cell {
    /// Text, or empty when `None`.
    pub fn text(value: Option<&str>) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Text(v.to_owned()))
    }

    /// A list joined with `; `, or empty.
    pub fn list<S: AsRef<str>>(values: Option<&[S]>) -> Cell {
        match values {
            Some(v) if !v.is_empty() => {
                Cell::Text(v.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("; "))
            }
            _ => Cell::Empty,
        }
    }

    /// A map as `key=value; key=value`, or empty.
    pub fn map(values: Option<&plaspy_blocking::TextMap>) -> Cell {
        match values {
            Some(m) if !m.is_empty() => Cell::Text(
                m.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            _ => Cell::Empty,
        }
    }

    /// Booleans as `1`/`0` digits (digital inputs/outputs), or empty.
    pub fn bits(values: Option<&[bool]>) -> Cell {
        match values {
            Some(v) if !v.is_empty() => {
                Cell::Text(v.iter().map(|b| if *b { '1' } else { '0' }).collect())
            }
            _ => Cell::Empty,
        }
    }

    /// How the cell reads in a table.
    pub fn for_table(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Note(n) => (*n).to_owned(),
            Cell::Text(t) => terminal::sanitize(t).into_owned(),
            Cell::Time(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            Cell::Coord(c) => format!("{c:.5}"),
            Cell::Num(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Cell::Num(n) => format!("{n:.1}"),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        }
    }

    /// How the cell reads in CSV: text that a spreadsheet would run as a formula gets a
    /// leading `'` ([`csv::formula_safe`]); numbers stay numbers.
    pub fn for_csv(&self) -> String {
        match self {
            Cell::Empty | Cell::Note(_) => String::new(),
            Cell::Text(t) => csv::formula_safe(t).into_owned(),
            Cell::Time(t) => plaspy_types::de::format_datetime(t),
            Cell::Coord(n) | Cell::Num(n) => n.to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

/// One column of a model's tabular view.
pub struct Column<T> {
    /// The CSV header: the JSON field name.
    pub name: &'static str,
    /// The table header.
    pub title: &'static str,
    /// Whether it shows in list tables (CSV and single-item views show every column).
    pub table: bool,
    /// Whether it shows in CSV and single-item views.
    pub detail: bool,
    /// The cell of an item.
    pub cell: Box<dyn Fn(&T) -> Cell>,
}

impl<T: 'static> Column<T> {
    /// A column shown everywhere.
    pub fn new(
        name: &'static str,
        title: &'static str,
        cell: impl Fn(&T) -> Cell + 'static,
    ) -> Self {
        Column {
            name,
            title,
            table: true,
            detail: true,
            cell: Box::new(cell),
        }
    }

    /// A column left out of list tables (shown in CSV and single-item views).
    pub fn detail(
        name: &'static str,
        title: &'static str,
        cell: impl Fn(&T) -> Cell + 'static,
    ) -> Self {
        Column {
            table: false,
            ..Self::new(name, title, cell)
        }
    }

    /// A column shown in tables only (e.g. an age relative to now).
    pub fn table_only(
        name: &'static str,
        title: &'static str,
        cell: impl Fn(&T) -> Cell + 'static,
    ) -> Self {
        Column {
            detail: false,
            ..Self::new(name, title, cell)
        }
    }

    /// The same column over a container that may hold a `T`.
    pub fn lift<U: 'static>(self, get: fn(&U) -> Option<&T>) -> Column<U> {
        let cell = self.cell;
        Column {
            name: self.name,
            title: self.title,
            table: self.table,
            detail: self.detail,
            cell: Box::new(move |u| get(u).map_or(Cell::Empty, &cell)),
        }
    }
}

/// A model with a tabular view.
pub trait Record: Serialize {
    /// The columns, in order.
    fn columns() -> Vec<Column<Self>>
    where
        Self: Sized;
}

/// Writes results to stdout in the chosen format.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    /// The format.
    pub format: Format,
    /// Whether to colour table headers.
    pub color: bool,
    /// `--quiet`: no notes about the output (such as columns left out) on stderr.
    pub quiet: bool,
}

impl Printer {
    /// Writes a list of records.
    pub fn list<T: Record>(&self, items: &[T]) -> CliResult {
        self.emit(|w| match self.format {
            Format::Json => json(w, items),
            Format::Ndjson => items.iter().try_for_each(|item| ndjson(w, item)),
            Format::Csv => csv::write(w, &T::columns(), items),
            _ => {
                let hidden = table::list(w, &T::columns(), items, self.color)?;
                self.note_hidden(&hidden);
                Ok(())
            }
        })
    }

    /// Says on stderr (never stdout: the table stays one line per item) which columns a
    /// table left out to fit, unless `--quiet`.
    fn note_hidden(&self, hidden: &table::Hidden) {
        if !hidden.titles.is_empty() && !self.quiet {
            eprintln!(
                "note: {} left out to fit {} columns (COLUMNS or a wider terminal shows more; --output csv or json shows every field)",
                hidden.titles.join(", "),
                hidden.width
            );
        }
    }

    /// Writes one record.
    pub fn one<T: Record>(&self, item: &T) -> CliResult {
        self.emit(|w| match self.format {
            Format::Json => json(w, item),
            Format::Ndjson => ndjson(w, item),
            Format::Csv => csv::write(w, &T::columns(), std::slice::from_ref(item)),
            _ => table::detail(w, &T::columns(), item, self.color),
        })
    }

    /// Writes whatever `write` produces, to a buffered stdout.
    ///
    /// JSON goes through [`terminal::JsonEscaper`] (same value, no raw C1 or bidi
    /// controls); everything else, when stdout is a terminal, through
    /// [`terminal::TerminalGuard`] (table cells are also sanitised one by one, by
    /// [`Cell::for_table`], wherever they go).
    pub fn emit(&self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> CliResult {
        let stdout = io::stdout();
        let lock = stdout.lock();
        let json = matches!(self.format, Format::Json | Format::Ndjson | Format::Geojson);
        let result = if json {
            buffered(terminal::JsonEscaper::new(lock), write)
                .and_then(terminal::JsonEscaper::finish)
                .and_then(|mut w| w.flush())
        } else if io::stdout().is_terminal() {
            // The guard in front of the buffer sees whole lines, so the CLI's own colour
            // sequences reach it unsplit. Behind it, anstream passes them as ANSI, turns
            // them into console calls on a legacy Windows console, or strips them if the
            // environment says no colour after all.
            let stream: Box<dyn Write> = if self.color {
                Box::new(anstream::AutoStream::auto(lock))
            } else {
                Box::new(lock)
            };
            let mut guard = terminal::TerminalGuard::new(io::BufWriter::new(stream));
            write(&mut guard)
                .and_then(|()| guard.finish())
                .and_then(|mut w| w.flush())
        } else {
            // Into a pipe or a file the bytes go as they are (styles only with
            // `CLICOLOR_FORCE`, which then wants ANSI).
            buffered(lock, write).and_then(|mut w| w.flush())
        };
        result.map_err(|e| CliError::io("writing the output", &e))
    }
}

/// Runs `write` on a buffer in front of `inner`, and returns `inner` once the buffer is
/// written out.
fn buffered<W: Write>(
    inner: W,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<W> {
    let mut out = io::BufWriter::new(inner);
    write(&mut out)?;
    out.into_inner().map_err(io::IntoInnerError::into_error)
}

/// Writes `value` as pretty JSON and a newline.
pub fn json<T: Serialize + ?Sized>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    writeln!(w)
}

/// Writes `value` as one line of JSON.
pub fn ndjson<T: Serialize + ?Sized>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value)?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_render_per_format() {
        let t: DateTime<Utc> = "2024-06-01T08:00:00.5Z".parse().unwrap();
        assert_eq!(Cell::Time(t).for_table(), "2024-06-01 08:00:00");
        assert_eq!(Cell::Time(t).for_csv(), "2024-06-01T08:00:00.500Z");
        assert_eq!(Cell::Coord(4.123456789).for_table(), "4.12346");
        assert_eq!(Cell::Coord(4.123456789).for_csv(), "4.123456789");
        assert_eq!(Cell::Num(42.0).for_table(), "42");
        assert_eq!(Cell::Num(42.25).for_table(), "42.2");
        assert_eq!(Cell::Note("no position yet").for_csv(), "");
        assert_eq!(
            Cell::list(Some(&["a".to_owned(), "b".to_owned()][..])).for_csv(),
            "a; b"
        );
        assert_eq!(Cell::bits(Some(&[true, false][..])).for_table(), "10");
    }

    #[test]
    fn text_cells_are_safe_numbers_stay_numbers() {
        let hostile = Cell::Text("=HYPERLINK(\"http://evil\")\x1b]0;t\x07".into());
        assert_eq!(
            hostile.for_table(),
            "=HYPERLINK(\"http://evil\")\u{FFFD}]0;t\u{FFFD}"
        );
        assert!(hostile.for_csv().starts_with("'=HYPERLINK"));
        assert_eq!(Cell::Coord(-74.0721).for_csv(), "-74.0721");
        assert_eq!(Cell::Num(-3.5).for_csv(), "-3.5");
        assert_eq!(Cell::Int(-7).for_csv(), "-7");
        assert_eq!(
            Cell::Text("-2+3+cmd|' /C calc'!A0".into()).for_csv(),
            "'-2+3+cmd|' /C calc'!A0"
        );
    }
}
