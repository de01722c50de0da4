//! CSV (RFC 4180 quoting, `\n` line ends for shell tools): a header line of JSON field
//! names, then one line per item.

use std::io::{self, Write};

use super::Column;

/// Writes items as CSV, with every column that shows in CSV.
pub fn write<T>(w: &mut dyn Write, columns: &[Column<T>], items: &[T]) -> io::Result<()> {
    let columns: Vec<&Column<T>> = columns.iter().filter(|c| c.detail).collect();
    let header: Vec<String> = columns.iter().map(|c| c.name.to_owned()).collect();
    write_record(w, &header)?;
    for item in items {
        let row: Vec<String> = columns.iter().map(|c| (c.cell)(item).for_csv()).collect();
        write_record(w, &row)?;
    }
    Ok(())
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

/// Writes one CSV line, quoting fields as needed.
pub fn write_record(w: &mut dyn Write, fields: &[String]) -> io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| quote(f)).collect();
    writeln!(w, "{}", line.join(","))
}

/// Quotes a field when it holds a comma, a quote, a line break or edge spaces.
fn quote(field: &str) -> String {
    let needs =
        field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ');
    if needs {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote(" pad"), "\" pad\"");
        let mut out = Vec::new();
        write_record(&mut out, &["a".into(), "b,c".into(), String::new()]).unwrap();
        assert_eq!(out, b"a,\"b,c\",\n");
    }
}
