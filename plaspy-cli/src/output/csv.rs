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

use std::borrow::Cow;
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

/// A text cell that no spreadsheet runs as a formula: `'` in front of text starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return, unless the text is a plain decimal
/// number.
pub fn formula_safe(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !plain_number(text) => {
            Cow::Owned(format!("'{text}"))
        }
        _ => Cow::Borrowed(text),
    }
}

/// Whether `text` is `[+-]digits[.digits]`.
fn plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

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

    #[test]
    fn formulas_are_neutralised() {
        for text in [
            "=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\r=1", "-", "+", "=-1",
        ] {
            assert_eq!(formula_safe(text), format!("'{text}"), "{text:?}");
        }
        for text in ["plain", "", "12", "-12.5", "+57", "a=b", " =1", "'=1"] {
            assert_eq!(formula_safe(text), text, "{text:?}");
        }
    }
}
