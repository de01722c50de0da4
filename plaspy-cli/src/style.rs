//! Minimal colour: bold table headers and labels, a red `error:`.
//!
//! Whether to colour is anstream's decision ([`anstream::AutoStream::choice`]): only on a
//! terminal that supports colour, never with `NO_COLOR` set or `TERM=dumb`, not with
//! `CLICOLOR=0`, and always with `CLICOLOR_FORCE` set (even into a pipe). What the CLI
//! writes goes through an [`anstream::AutoStream`], which strips the styles when colour is
//! off and speaks to legacy Windows consoles (wincon) where ANSI is unavailable. The
//! styles themselves are [`anstyle`] values.

use std::io::{self, IsTerminal};
use std::sync::LazyLock;

use anstream::ColorChoice;
use anstyle::{AnsiColor, Style};

/// Table headers and detail labels.
pub const HEADER: Style = Style::new().bold();
/// The `error:` prefix.
pub const ERROR: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));

/// The only escape sequences the CLI writes itself (each SGR sequence of each style, and
/// the reset); [`crate::output::terminal`] lets these through and neutralises every other.
pub static SEQUENCES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut sequences: Vec<String> = [HEADER, ERROR]
        .iter()
        .map(|s| s.render().to_string())
        .chain([HEADER.render_reset().to_string()])
        .flat_map(|rendered| {
            rendered
                .split_inclusive('m')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    sequences.sort();
    sequences.dedup();
    sequences
});

/// Whether colour is wanted on a stream, per anstream (`CLICOLOR`, `CLICOLOR_FORCE`,
/// `NO_COLOR`, `TERM`, whether it is a terminal).
fn wanted<S: anstream::stream::RawStream>(stream: &S) -> bool {
    anstream::AutoStream::choice(stream) != ColorChoice::Never
}

/// Whether to colour what goes to stdout.
pub fn stdout_color() -> bool {
    wanted(&io::stdout())
}

/// Whether to colour what goes to stderr.
pub fn stderr_color() -> bool {
    wanted(&io::stderr())
}

/// Whether stderr is a terminal that can redraw a line (not `TERM=dumb`): where a
/// progress bar may show.
pub fn stderr_is_live_terminal() -> bool {
    io::stderr().is_terminal() && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// `text` in `style` when `on`.
pub fn paint(text: &str, style: Style, on: bool) -> String {
    if on {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

/// `text` in bold when `on`.
pub fn bold(text: &str, on: bool) -> String {
    paint(text, HEADER, on)
}

/// `text` in bold red when `on`.
pub fn red(text: &str, on: bool) -> String {
    paint(text, ERROR, on)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_when_off() {
        assert_eq!(bold("ID", false), "ID");
        assert_eq!(red("error:", false), "error:");
        assert_eq!(bold("ID", true), "\x1b[1mID\x1b[0m");
        assert_eq!(red("error:", true), "\x1b[1m\x1b[31merror:\x1b[0m");
    }

    #[test]
    fn every_sequence_written_is_whitelisted() {
        for styled in [bold("x", true), red("x", true)] {
            let rest = styled.replace('x', "");
            let mut rest = rest.as_str();
            while !rest.is_empty() {
                let known = SEQUENCES
                    .iter()
                    .find(|s| rest.starts_with(s.as_str()))
                    .unwrap_or_else(|| panic!("{rest:?} is not in SEQUENCES"));
                rest = &rest[known.len()..];
            }
        }
    }
}
