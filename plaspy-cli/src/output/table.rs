//! Aligned text tables for people, laid out by [`comfy_table`] (display width of CJK and
//! emoji, word wrapping, truncation with `…`).
//!
//! **Width.** A list table fits [`available_width`]: `COLUMNS` when set, else the width of
//! the terminal stdout is on, else no limit (piped into `less -S`, `grep`...). To fit:
//!
//! - every row stays on one line (one item per line, for reading and `grep`);
//! - the first column (the id, or the time of a fix) and the columns of numbers, times and
//!   flags are never cut: a truncated number or id would read as another one;
//! - text columns shrink, down to their title's width (at least [`MIN_TEXT`]), and what no
//!   longer fits is cut with `…`;
//! - if that is still too wide, columns are left out from the right, so the leftmost (the
//!   most important: every model lists its columns in that order) stay. A note on
//!   stderr names them; CSV and JSON always hold every field.
//!
//! Without a width limit every cell is still cut at [`MAX_CELL`] columns.
//!
//! comfy-table measures, distributes the width between columns and cuts; what it has no
//! notion of is which columns matter most, so choosing the columns that show (and which
//! may be cut) is done here, in [`Layout`].
//!
//! The detail view of one item (`FIELD  value` lines) wraps long values under themselves.

use std::io::{self, IsTerminal, Write};

use comfy_table::{ColumnConstraint, ContentArrangement, Row, Table, TableStyle, Width};
use unicode_width::UnicodeWidthStr;

use super::{Cell, Column};
use crate::style;

/// Longest cell shown in a list table; longer ones are cut with `…`.
const MAX_CELL: usize = 48;

/// The narrowest a text column shrinks to (unless its title is wider).
const MIN_TEXT: usize = 10;

/// Spaces between two columns.
const GAP: usize = 2;

/// The width tables must fit: `COLUMNS` (a positive number) when set, as a user's explicit
/// choice, else the width of the terminal stdout is on, else `None` (no limit).
pub fn available_width() -> Option<usize> {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&w| w > 0);
    from_env.or_else(|| {
        let stdout = io::stdout();
        if !stdout.is_terminal() {
            return None;
        }
        terminal_size::terminal_size_of(&stdout).map(|(w, _)| usize::from(w.0))
    })
}

/// The columns a table left out to fit the width.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Their titles, in order.
    pub titles: Vec<String>,
    /// The width the table had to fit.
    pub width: usize,
}

/// Writes a list as a table: a header line, then one line per item, fitting
/// [`available_width`]; returns the columns left out.
pub fn list<T>(
    w: &mut dyn Write,
    columns: &[Column<T>],
    items: &[T],
    color: bool,
) -> io::Result<Hidden> {
    list_within(w, columns, items, color, available_width())
}

/// Writes a list as a table fitting `limit` columns (no limit with `None`).
pub fn list_within<T>(
    w: &mut dyn Write,
    columns: &[Column<T>],
    items: &[T],
    color: bool,
    limit: Option<usize>,
) -> io::Result<Hidden> {
    let columns: Vec<&Column<T>> = columns.iter().filter(|c| c.table).collect();
    let cells: Vec<Vec<Cell>> = items
        .iter()
        .map(|item| columns.iter().map(|c| (c.cell)(item)).collect())
        .collect();
    // The first column identifies the row; numbers, times and flags must not be cut.
    let rigid: Vec<bool> = (0..columns.len())
        .map(|i| i == 0 || cells.iter().all(|row| !is_text(&row[i])))
        .collect();
    let rows: Vec<Vec<String>> = cells
        .iter()
        .map(|row| row.iter().map(|c| one_line(&c.for_table())).collect())
        .collect();
    let headers: Vec<&str> = columns.iter().map(|c| c.title).collect();
    Layout::new(&headers, &rows, &rigid, limit).write(w, &headers, &rows, color)
}

/// Writes rows under headers, each column as wide as its widest cell within the
/// terminal's width (the first column is never cut, the others may be); returns the
/// columns left out.
pub fn write_rows(
    w: &mut dyn Write,
    headers: &[&str],
    rows: &[Vec<String>],
    color: bool,
) -> io::Result<Hidden> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| one_line(c)).collect())
        .collect();
    let rigid: Vec<bool> = (0..headers.len()).map(|i| i == 0).collect();
    let layout = Layout::new(headers, &rows, &rigid, available_width());
    layout.write(w, headers, &rows, color)
}

/// Writes one item as `FIELD  value` lines, leaving out empty fields; a value too long
/// for the terminal wraps under itself.
pub fn detail<T>(
    w: &mut dyn Write,
    columns: &[Column<T>],
    item: &T,
    color: bool,
) -> io::Result<()> {
    detail_within(w, columns, item, color, available_width())
}

/// Writes one item as `FIELD  value` lines fitting `limit` columns (no limit with `None`).
pub fn detail_within<T>(
    w: &mut dyn Write,
    columns: &[Column<T>],
    item: &T,
    color: bool,
    limit: Option<usize>,
) -> io::Result<()> {
    let cells: Vec<(&str, String)> = columns
        .iter()
        .filter(|c| c.detail || c.table)
        .map(|c| (c.title, (c.cell)(item)))
        .filter(|(_, cell)| *cell != Cell::Empty)
        .map(|(title, cell)| (title, one_line(&cell.for_table())))
        .collect();
    let label_width = cells.iter().map(|(t, _)| text_width(t)).max().unwrap_or(0);
    let mut table = new_table();
    for (title, value) in &cells {
        table.add_row(vec![(*title).to_owned(), value.clone()]);
    }
    set_padding(&mut table, 2);
    if let Some(col) = table.column_mut(0) {
        // comfy-table's widths include the padding.
        col.set_constraint(ColumnConstraint::Absolute(Width::Fixed(to_u16(
            label_width + GAP,
        ))));
    }
    if let Some(width) = limit {
        table.set_content_arrangement(ContentArrangement::Dynamic);
        table.set_width(to_u16(width.max(label_width + GAP + 1)));
    }
    for line in table.lines() {
        let line = line.trim_end();
        // Labels are the CLI's own ASCII titles: the label column is `label_width` bytes.
        let (label, value) = line.split_at(label_width.min(line.len()));
        if label.trim().is_empty() {
            writeln!(w, "{line}")?;
        } else {
            writeln!(w, "{}{value}", style::bold(label, color))?;
        }
    }
    Ok(())
}

/// Which columns show, and how wide each may be.
struct Layout {
    /// Per column: hidden, or its lower and upper width.
    widths: Vec<Option<(usize, usize)>>,
    /// The width to fit, if any.
    limit: Option<usize>,
}

impl Layout {
    /// Fits the columns in `limit`, leaving out columns from the right when the narrowest
    /// layout is still too wide.
    fn new(headers: &[&str], rows: &[Vec<String>], rigid: &[bool], limit: Option<usize>) -> Self {
        let full: Vec<usize> = (0..headers.len())
            .map(|i| {
                rows.iter()
                    .map(|row| row.get(i).map_or(0, |c| text_width(c)))
                    .chain([text_width(headers[i])])
                    .max()
                    .unwrap_or(0)
                    .clamp(1, MAX_CELL)
            })
            .collect();
        let least: Vec<usize> = (0..headers.len())
            .map(|i| {
                if rigid[i] {
                    full[i]
                } else {
                    full[i].min(text_width(headers[i]).max(MIN_TEXT))
                }
            })
            .collect();
        let mut shown = headers.len();
        if let Some(limit) = limit {
            let needed = |n: usize| least[..n].iter().sum::<usize>() + GAP * n.saturating_sub(1);
            while shown > 1 && needed(shown) > limit {
                shown -= 1;
            }
        }
        let widths = (0..headers.len())
            .map(|i| {
                if i >= shown {
                    return None;
                }
                match limit {
                    // A first column wider than the whole width is cut to it.
                    Some(limit) if shown == 1 => Some((least[i].min(limit), full[i].min(limit))),
                    _ => Some((least[i], full[i])),
                }
            })
            .collect();
        Layout { widths, limit }
    }

    /// The titles of the columns left out.
    fn hidden<'a>(&self, headers: &[&'a str]) -> Vec<&'a str> {
        self.widths
            .iter()
            .zip(headers)
            .filter(|(w, _)| w.is_none())
            .map(|(_, h)| *h)
            .collect()
    }

    /// Writes the table, its header in bold when `color`.
    fn write(
        &self,
        w: &mut dyn Write,
        headers: &[&str],
        rows: &[Vec<String>],
        color: bool,
    ) -> io::Result<Hidden> {
        let mut table = new_table();
        // Cut by characters, not at the last whole word: rows are one line, so a word
        // wrap would throw away more than needed ("Pickup…" for "Pickup OTT313"). Cells are
        // sanitised, so they never hold this control character.
        table.set_delimiter('\u{0}');
        let mut header = Row::from(headers.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
        header.max_height(1);
        table.set_header(header);
        for row in rows {
            let mut row = Row::from(row.clone());
            row.max_height(1);
            table.add_row(row);
        }
        let last_shown = self.widths.iter().rposition(Option::is_some).unwrap_or(0);
        for (i, width) in self.widths.iter().enumerate() {
            let Some(col) = table.column_mut(i) else {
                continue;
            };
            let pad = if i < last_shown { GAP } else { 0 };
            col.set_padding((0, to_u16(pad)));
            // comfy-table's widths include the padding.
            let fixed = |n: usize| Width::Fixed(to_u16(n + pad));
            col.set_constraint(match *width {
                None => ColumnConstraint::Hidden,
                Some((lower, upper)) if lower == upper || self.limit.is_none() => {
                    ColumnConstraint::Absolute(fixed(upper))
                }
                Some((lower, upper)) => ColumnConstraint::Boundaries {
                    lower: fixed(lower),
                    upper: fixed(upper),
                },
            });
        }
        if let Some(limit) = self.limit {
            table.set_content_arrangement(ContentArrangement::Dynamic);
            table.set_width(to_u16(limit));
        }
        for (i, line) in table.lines().enumerate() {
            let line = line.trim_end();
            if i == 0 {
                writeln!(w, "{}", style::bold(line, color))?;
            } else {
                writeln!(w, "{line}")?;
            }
        }
        Ok(Hidden {
            titles: self
                .hidden(headers)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            width: self.limit.unwrap_or_default(),
        })
    }
}

/// A table without borders; columns are separated by their right padding.
fn new_table() -> Table {
    let mut table = Table::new();
    table.load_style(TableStyle::new());
    table
}

/// Pads every column but the last with `gap` spaces on its right.
fn set_padding(table: &mut Table, gap: usize) {
    let count = table.column_iter().count();
    for (i, col) in table.column_iter_mut().enumerate() {
        col.set_padding((0, if i + 1 < count { to_u16(gap) } else { 0 }));
    }
}

/// Whether a cell holds server text (which may be cut) rather than a number, time or flag.
fn is_text(cell: &Cell) -> bool {
    // A note ("no position yet") is short and ours: it does not make a column of times
    // one that may be cut.
    matches!(cell, Cell::Text(_))
}

/// The display width of `text` in a terminal (CJK and most emoji take two columns), as
/// the table crate measures it.
fn text_width(text: &str) -> usize {
    // comfy-table measures with unicode-width too: the same measure keeps columns aligned.
    UnicodeWidthStr::width(text)
}

/// `text` on one line and safe for a terminal.
fn one_line(text: &str) -> String {
    super::terminal::sanitize(text).into_owned()
}

fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row(&'static str, i64);

    fn columns() -> Vec<Column<Row>> {
        vec![
            Column::new("name", "NAME", |r: &Row| Cell::Text(r.0.to_owned())),
            Column::detail("n", "N", |r: &Row| Cell::Int(r.1)),
            Column::new("n2", "COUNT", |r: &Row| Cell::Int(r.1)),
        ]
    }

    #[test]
    fn columns_align() {
        let mut out = Vec::new();
        list(
            &mut out,
            &columns(),
            &[Row("a", 1), Row("long name", 22)],
            false,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "NAME       COUNT\na          1\nlong name  22\n");
    }

    #[test]
    fn detail_lists_fields() {
        let mut out = Vec::new();
        detail(&mut out, &columns(), &Row("a", 3), false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "NAME   a\nN      3\nCOUNT  3\n"
        );
    }

    /// A device-like row: id, name (server text), a time, a number, a description.
    struct Wide(&'static str, &'static str, i64, &'static str);

    fn wide_columns() -> Vec<Column<Wide>> {
        let t: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse().unwrap();
        vec![
            Column::new("id", "ID", |r: &Wide| Cell::Text(r.0.to_owned())),
            Column::new("name", "NAME", |r: &Wide| Cell::Text(r.1.to_owned())),
            Column::new("time", "TIME (UTC)", move |_: &Wide| Cell::Time(t)),
            Column::new("n", "COUNT", |r: &Wide| Cell::Int(r.2)),
            Column::new("d", "DESCRIPTION", |r: &Wide| Cell::Text(r.3.to_owned())),
        ]
    }

    fn wide_rows() -> Vec<Wide> {
        vec![
            Wide("dev-1", "東京配送トラック 七号車", 7, "冷蔵車、午前の便"),
            Wide(
                "dev-22",
                "🚚 Reparto 👩\u{200d}🔧 norte",
                1234567,
                "Camión de reparto con una descripción muy larga que no cabe",
            ),
            Wide("dev-333", "plain", -3, ""),
        ]
    }

    fn render(limit: Option<usize>) -> String {
        let mut out = Vec::new();
        list_within(&mut out, &wide_columns(), &wide_rows(), false, limit).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_line_fits_every_width() {
        for limit in 1..=140 {
            let text = render(Some(limit));
            assert_eq!(
                text.lines().count(),
                4,
                "one line per item at {limit}:\n{text}"
            );
            for line in text.lines() {
                assert!(
                    text_width(line) <= limit,
                    "{} > {limit}: {line:?}\n{text}",
                    text_width(line)
                );
            }
            if limit >= 7 {
                // The first column is never cut while it fits.
                for id in ["dev-1", "dev-22", "dev-333"] {
                    assert!(text.contains(id), "{id} cut at {limit}:\n{text}");
                }
            }
            // A number or a time is shown whole or not at all.
            for (whole, prefix) in [("1234567", "12345"), ("2024-06-01 08:00:00", "2024-06")] {
                assert!(
                    text.contains(whole) || !text.contains(prefix),
                    "{whole} cut at {limit}:\n{text}"
                );
            }
        }
    }

    #[test]
    fn wide_characters_keep_columns_aligned() {
        let text = render(Some(200));
        let lines: Vec<&str> = text.lines().collect();
        // Every line shows the time at the same display column.
        let at = |line: &str| {
            let byte = line.find("2024-").or_else(|| line.find("TIME")).unwrap();
            text_width(&line[..byte])
        };
        let first = at(lines[0]);
        assert!(lines.iter().all(|l| at(l) == first), "{text}");
        assert!(text.contains("東京配送トラック 七号車"), "{text}");
    }

    #[test]
    fn narrow_terminals_cut_text_then_leave_out_columns_from_the_right() {
        let text = render(Some(80));
        assert!(
            text.lines().next().unwrap().contains("DESCRIPTION"),
            "{text}"
        );
        assert!(text.contains('…'), "long text is cut: {text}");
        let narrow = render(Some(50));
        let header = narrow.lines().next().unwrap();
        assert!(header.starts_with("ID       NAME"), "{narrow}");
        assert!(!header.contains("DESCRIPTION"), "{narrow}");
        assert!(header.contains("TIME (UTC)"), "{narrow}");
    }

    #[test]
    fn without_a_limit_cells_stop_at_max_cell() {
        let text = render(None);
        assert_eq!(text.lines().count(), 4);
        assert!(text.contains("Camión de reparto con una"), "{text}");
        assert!(!text.contains("no cabe"), "{text}");
        let description = text
            .lines()
            .nth(2)
            .unwrap()
            .split("1234567")
            .nth(1)
            .unwrap();
        assert!(
            text_width(description.trim()) <= MAX_CELL,
            "{description:?}"
        );
    }

    #[test]
    fn the_header_is_bold_with_colour() {
        let mut out = Vec::new();
        list_within(&mut out, &columns(), &[Row("a", 1)], true, Some(80)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            format!("{}\na     1\n", style::bold("NAME  COUNT", true))
        );
    }

    #[test]
    fn long_detail_values_wrap_under_themselves() {
        let row = Wide(
            "dev-22",
            "x",
            1,
            "uno dos tres cuatro cinco seis siete ocho nueve diez",
        );
        let mut out = Vec::new();
        detail_within(&mut out, &wide_columns(), &row, false, Some(30)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().all(|l| text_width(l) <= 30), "{text}");
        assert!(text.contains("DESCRIPTION  uno dos"), "{text}");
        assert!(
            text.contains("\n             "),
            "continuation lines indent: {text}"
        );
        assert!(text.contains("diez"), "nothing is lost: {text}");
    }
}
