//! CSV through the `csv` crate (RFC 4180 quoting, `\n` line ends for shell tools): a
//! header line of JSON field names, then one line per item.
//!
//! **Spreadsheet safety.** A text cell from the server that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return would run as a formula when the file is opened in Excel,
//! LibreOffice or Google Sheets (CSV injection). Such cells are written with a leading `'`
//! (as OWASP recommends and spreadsheet-safe exporters do), which spreadsheets show as
//! text. Numbers stay numbers: coordinates, speeds and counts are numeric cells and never
//! get the prefix, and neither does a text cell that is just a plain decimal number such as
//! `-12.5` or `+57` (no formula can hide in it). Strip a leading `'` to get the server's
//! text back; JSON output is always verbatim.

use std::io::{self, Write};

use super::Column;

/// Writes items as CSV, with every column that shows in CSV.
pub fn write<T>(w: &mut dyn Write, columns: &[Column<T>], items: &[T]) -> io::Result<()> {
    let columns: Vec<&Column<T>> = columns.iter().filter(|c| c.detail).collect();
    let mut out = writer(w);
    out.write_record(columns.iter().map(|c| c.name))?;
    for item in items {
        out.write_record(columns.iter().map(|c| (c.cell)(item).for_csv()))?;
    }
    out.flush()
}

/// A CSV writer over `w`: RFC 4180 quoting (a field holding a comma, a quote or a line
/// break is quoted), `\n` line ends.
fn writer(w: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(w)
}

/// Writes the header line of the columns that show in CSV (for output written in parts).
pub fn write_header<T>(w: &mut dyn Write, columns: &[Column<T>]) -> io::Result<()> {
    let header: Vec<String> = columns
        .iter()
        .filter(|c| c.detail)
        .map(|c| c.name.to_owned())
        .collect();
    write_record(w, &header)
}

/// Writes the rows of `items`, without a header (for output written in parts).
pub fn write_rows<T>(w: &mut dyn Write, columns: &[Column<T>], items: &[T]) -> io::Result<()> {
    let columns: Vec<&Column<T>> = columns.iter().filter(|c| c.detail).collect();
    for item in items {
        let row: Vec<String> = columns.iter().map(|c| (c.cell)(item).for_csv()).collect();
        write_record(w, &row)?;
    }
    Ok(())
}

/// The formula guard for text cells, shared with the dashboard's CSV.
pub use plaspy_fleet::export::formula_safe;

/// Writes one CSV line, quoting fields as needed. The fields go out as given: pass server
/// text through [`formula_safe`] (or a [`super::Cell`]) first.
pub fn write_record(w: &mut dyn Write, fields: &[String]) -> io::Result<()> {
    let mut out = writer(w);
    out.write_record(fields)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(fields: &[&str]) -> String {
        let mut out = Vec::new();
        let fields: Vec<String> = fields.iter().map(|f| (*f).to_owned()).collect();
        write_record(&mut out, &fields).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn quoting() {
        assert_eq!(line(&["plain", "a,b", ""]), "plain,\"a,b\",\n");
        assert_eq!(line(&["say \"hi\""]), "\"say \"\"hi\"\"\"\n");
        assert_eq!(line(&["two\nlines", "cr\r"]), "\"two\nlines\",\"cr\r\"\n");
    }
}
