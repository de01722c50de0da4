//! Aligned text tables for people.

use std::io::{self, Write};

use super::{Cell, Column};
use crate::style;

/// Longest cell shown in a list table; longer ones are cut with `…`.
const MAX_CELL: usize = 48;

/// Writes a list as a table: a header line, then one line per item.
pub fn list<T>(
    w: &mut dyn Write,
    columns: &[Column<T>],
    items: &[T],
    color: bool,
) -> io::Result<()> {
    let columns: Vec<&Column<T>> = columns.iter().filter(|c| c.table).collect();
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|c| clip(&(c.cell)(item).for_table()))
                .collect()
        })
        .collect();
    let headers: Vec<&str> = columns.iter().map(|c| c.title).collect();
    write_rows(w, &headers, &rows, color)
}

/// Writes rows under headers, each column as wide as its widest cell.
pub fn write_rows(
    w: &mut dyn Write,
    headers: &[&str],
    rows: &[Vec<String>],
    color: bool,
) -> io::Result<()> {
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(width(cell));
        }
    }
    let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    let line = join(&header, &widths);
    writeln!(w, "{}", style::bold(&line, color))?;
    for row in rows {
        writeln!(w, "{}", join(row, &widths))?;
    }
    Ok(())
}

/// Writes one item as `FIELD  value` lines, leaving out empty fields.
pub fn detail<T>(
    w: &mut dyn Write,
    columns: &[Column<T>],
    item: &T,
    color: bool,
) -> io::Result<()> {
    let cells: Vec<(&str, String)> = columns
        .iter()
        .filter(|c| c.detail || c.table)
        .map(|c| (c.title, (c.cell)(item)))
        .filter(|(_, cell)| *cell != Cell::Empty)
        .map(|(title, cell)| (title, cell.for_table()))
        .collect();
    let label_width = cells.iter().map(|(t, _)| width(t)).max().unwrap_or(0);
    for (title, value) in cells {
        let pad = " ".repeat(label_width - width(title));
        writeln!(w, "{}{pad}  {value}", style::bold(title, color))?;
    }
    Ok(())
}

fn join(cells: &[String], widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        line.push_str(cell);
        if i + 1 < cells.len() {
            line.push_str(&" ".repeat(widths[i] - width(cell)));
        }
    }
    line.trim_end().to_owned()
}

fn width(text: &str) -> usize {
    text.chars().count()
}

/// One line, at most [`MAX_CELL`] characters.
fn clip(text: &str) -> String {
    let one_line = super::terminal::sanitize(text);
    if width(&one_line) <= MAX_CELL {
        return one_line.into_owned();
    }
    let mut cut: String = one_line.chars().take(MAX_CELL - 1).collect();
    cut.push('…');
    cut
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
    fn long_cells_are_clipped() {
        let long = "x".repeat(100);
        assert_eq!(width(&clip(&long)), MAX_CELL);
        assert_eq!(clip("a\nb"), "a b");
        assert_eq!(clip("a\x1b]0;x\x07"), "a\u{FFFD}]0;x\u{FFFD}");
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
}
