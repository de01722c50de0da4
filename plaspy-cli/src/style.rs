//! Minimal colour: bold table headers and a red `error:`, only on a terminal and never
//! when `NO_COLOR` is set.

use std::io::IsTerminal;

/// Bold.
const BOLD: &str = "\x1b[1m";
/// Bold red.
const BOLD_RED: &str = "\x1b[1;31m";
/// Back to normal.
const RESET: &str = "\x1b[0m";

/// The only escape sequences the CLI writes itself; [`crate::output::terminal`] lets
/// these through and neutralises every other.
pub const SEQUENCES: &[&str] = &[BOLD, BOLD_RED, RESET];

/// Whether `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Whether to colour what goes to stdout.
pub fn stdout_color() -> bool {
    !no_color() && std::io::stdout().is_terminal()
}

/// Whether to colour what goes to stderr.
pub fn stderr_color() -> bool {
    !no_color() && std::io::stderr().is_terminal()
}

/// `text` in bold when `on`.
pub fn bold(text: &str, on: bool) -> String {
    if on {
        format!("{BOLD}{text}{RESET}")
    } else {
        text.to_owned()
    }
}

/// `text` in bold red when `on`.
pub fn red(text: &str, on: bool) -> String {
    if on {
        format!("{BOLD_RED}{text}{RESET}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_when_off() {
        assert_eq!(bold("ID", false), "ID");
        assert_eq!(red("error:", false), "error:");
        assert_eq!(bold("ID", true), "\x1b[1mID\x1b[0m");
    }
}
