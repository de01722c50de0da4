//! Server text on its way to a terminal: the one place that decides which characters are
//! unsafe and what becomes of them.
//!
//! A device name, an error message or an id from a server may hold escape sequences that
//! retitle the window, write the clipboard (OSC 52), clear the screen, plant hyperlinks,
//! move the cursor (`\r`, `\x1b[2K`) to redraw a prompt, or bidi controls that reorder
//! what is shown. Everything the CLI shows a person goes through this module:
//!
//! - [`sanitize`] for strings: table cells, detail views, the confirmation prompt, error
//!   and status lines. Line breaks and tabs become spaces; every other unsafe character
//!   becomes `�` (U+FFFD), so the attempt stays visible but inert.
//! - [`JsonEscaper`] for JSON and NDJSON (any destination): the C1 and bidi controls that
//!   `serde_json` writes raw are written as `\uXXXX` instead. The document is the same
//!   JSON value; only its spelling changes.
//! - [`TerminalGuard`] for everything else written to stdout when it is a terminal
//!   (tables, CSV, GPX, plain lines): the same replacement as [`sanitize`], except that
//!   line breaks and tabs stay, and the CLI's own colours ([`crate::style::SEQUENCES`])
//!   pass.
//!
//! Hand-written on purpose: the crates that deal with escape sequences
//! (`strip-ansi-escapes`, `anstream`'s stripping, `console::strip_ansi_codes`) *remove*
//! well-formed ANSI sequences, which hides the attempt, lets C1 controls, lone controls and
//! bidi overrides through, and would also remove the CLI's own colours. This module
//! replaces every unsafe character visibly, keeps the CLI's own styles, and re-escapes
//! JSON without changing its value, in a few dozen lines with their own tests.

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether `c` can drive a terminal or disguise text: C0 controls (ESC, BEL, `\r`, ...),
/// DEL, C1 controls (U+0080–U+009F, e.g. the 8-bit CSI U+009B), the line and paragraph
/// separators, and the bidirectional formatting characters.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// What an unsafe character shows as.
const REPLACEMENT: char = '\u{FFFD}';

/// `text` made safe to show on a terminal, on one line: tabs and line breaks become
/// spaces, every other unsafe character (see [`is_unsafe`]) becomes `�`.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{2028}' | '\u{2029}' => ' ',
                c if is_unsafe(c) => REPLACEMENT,
                c => c,
            })
            .collect(),
    )
}

/// [`sanitize`]d text of at most `max` characters, the last one `…` when it was cut (for
/// cells of fixed width and warnings that repeat server text).
pub fn sanitize_within(text: &str, max: usize) -> String {
    let safe = sanitize(text);
    if safe.chars().count() <= max {
        return safe.into_owned();
    }
    let mut out: String = safe.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Like [`sanitize`], but keeps `\n`, `\t` and the CLI's own colour sequences whole (for
/// multi-line outputs such as tables and CSV).
fn sanitize_keeping_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let own = (c == '\x1b')
            .then(|| {
                crate::style::SEQUENCES
                    .iter()
                    .find(|s| rest.starts_with(s.as_str()))
            })
            .flatten();
        if let Some(sequence) = own {
            out.push_str(sequence);
            rest = &rest[sequence.len()..];
            continue;
        }
        out.push(match c {
            '\n' | '\t' => c,
            c if is_unsafe(c) => REPLACEMENT,
            c => c,
        });
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// `text` for JSON output: the unsafe characters serde_json leaves raw, as `\uXXXX`.
fn escape_json_text(text: &str) -> Cow<'_, str> {
    // serde_json has already escaped C0 controls inside strings, so a `\n` here is a
    // layout newline of the pretty printer, never part of a string.
    let escaped = |c: char| is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r');
    if !text.chars().any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escaped(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer that passes UTF-8 text through `map`, holding back a character split across
/// two writes. Bytes that are not UTF-8 pass as they are.
struct MapText<W: Write> {
    inner: W,
    pending: Vec<u8>,
    map: fn(&str) -> Cow<'_, str>,
}

impl<W: Write> MapText<W> {
    fn new(inner: W, map: fn(&str) -> Cow<'_, str>) -> Self {
        MapText {
            inner,
            pending: Vec::new(),
            map,
        }
    }

    fn finish(mut self) -> io::Result<W> {
        let pending = std::mem::take(&mut self.pending);
        self.inner.write_all(&pending)?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for MapText<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let bytes = std::mem::take(&mut self.pending);
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.inner.write_all((self.map)(text).as_bytes())?;
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    let text = std::str::from_utf8(valid).unwrap_or_default();
                    self.inner.write_all((self.map)(text).as_bytes())?;
                    match e.error_len() {
                        // A character cut short at the end: wait for the rest of it.
                        None => {
                            self.pending.extend_from_slice(after);
                            break;
                        }
                        Some(n) => {
                            self.inner.write_all(&after[..n])?;
                            rest = &after[n..];
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes JSON with the unsafe characters `serde_json` leaves raw (C1 controls, DEL, bidi
/// controls, line separators) escaped as `\uXXXX`. Such characters only occur inside JSON
/// strings, where the escape stands for the same character: the value is unchanged.
pub struct JsonEscaper<W: Write>(MapText<W>);

impl<W: Write> JsonEscaper<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        JsonEscaper(MapText::new(inner, escape_json_text))
    }

    /// Writes out anything held back and returns the inner writer.
    pub fn finish(self) -> io::Result<W> {
        self.0.finish()
    }
}

impl<W: Write> Write for JsonEscaper<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// A writer for outputs shown on a terminal (CSV, GPX, plain lines): unsafe characters
/// become `�`, except line breaks and tabs.
pub struct TerminalGuard<W: Write>(MapText<W>);

impl<W: Write> TerminalGuard<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        TerminalGuard(MapText::new(inner, sanitize_keeping_lines))
    }

    /// Writes out anything held back and returns the inner writer.
    pub fn finish(self) -> io::Result<W> {
        self.0.finish()
    }
}

impl<W: Write> Write for TerminalGuard<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Sequences a hostile server might send.
    pub const HOSTILE: &[&str] = &[
        "\x1b]0;pwned\x07",                                   // retitle the window
        "\x1b]52;c;ZWNobyBwd25lZA==\x07",                     // write the clipboard (OSC 52)
        "\x1b[2J\x1b[H",                                      // clear the screen
        "\x1b]8;;https://evil.example/\x1b\\x\x1b]8;;\x1b\\", // hyperlink
        "\r\x1b[2K",                                          // redraw the line
        "\u{9b}2J",                                           // 8-bit CSI
        "\u{202e}gnp.exe",                                    // right-to-left override
    ];

    #[test]
    fn nothing_unsafe_survives() {
        for hostile in HOSTILE {
            let text = format!("Truck {hostile} 7");
            let safe = sanitize(&text);
            assert!(!safe.chars().any(is_unsafe), "{safe:?}");
            assert!(safe.starts_with("Truck "), "{safe:?}");
        }
        assert_eq!(sanitize("a\nb\tc"), "a b c");
        assert_eq!(sanitize("\x1b[31mred"), "\u{FFFD}[31mred");
        assert!(matches!(sanitize("Camión 7 ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn text_within_a_width_is_safe_and_cut_visibly() {
        assert_eq!(sanitize_within("dev\x1b[2J-1\n", 40), "dev\u{FFFD}[2J-1 ");
        assert_eq!(sanitize_within("abcdef", 4), "abc…");
        assert_eq!(sanitize_within("abcd", 4), "abcd");
    }

    #[test]
    fn json_keeps_its_value() {
        for hostile in HOSTILE {
            let value = serde_json::json!({"name": format!("x{hostile}y"), "n": -1.5});
            let mut out = JsonEscaper::new(Vec::new());
            serde_json::to_writer_pretty(&mut out, &value).unwrap();
            let text = String::from_utf8(out.finish().unwrap()).unwrap();
            assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text:?}");
            let back: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(back, value);
        }
    }

    #[test]
    fn characters_split_across_writes_are_kept() {
        let mut out = TerminalGuard::new(Vec::new());
        for byte in "é\u{9b}ü".as_bytes() {
            out.write_all(std::slice::from_ref(byte)).unwrap();
        }
        assert_eq!(out.finish().unwrap(), "é\u{FFFD}ü".as_bytes());

        let mut out = TerminalGuard::new(Vec::new());
        out.write_all(b"a,b\n\x1b]0;t\x07\tc\n\xff").unwrap();
        let mut expected = "a,b\n\u{FFFD}]0;t\u{FFFD}\tc\n".as_bytes().to_vec();
        expected.push(0xff);
        assert_eq!(out.finish().unwrap(), expected);
    }

    #[test]
    fn only_the_cli_s_own_colours_pass() {
        let header = crate::style::bold("NAME", true);
        let line = format!("{header}\n\x1b[2Jx\x1b[1;32m\x1b[1m\n");
        let mut out = TerminalGuard::new(Vec::new());
        out.write_all(line.as_bytes()).unwrap();
        let shown = String::from_utf8(out.finish().unwrap()).unwrap();
        assert_eq!(
            shown,
            format!("{header}\n\u{FFFD}[2Jx\u{FFFD}[1;32m\x1b[1m\n")
        );
    }
}
