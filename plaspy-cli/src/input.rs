//! Reading what the user hands in besides flags: JSON documents (a file or `-` for stdin),
//! secrets from stdin, `KEY=VALUE` pairs, and confirmations.

use std::io::{BufRead, IsTerminal, Read, Write};

use serde::de::DeserializeOwned;

use crate::exit::{CliError, CliResult};
use crate::output::terminal;

/// Reads a JSON document from a file, or from stdin for `-`, into `T`.
///
/// `flag` names the option for messages (`--json`).
pub fn json_document<T: DeserializeOwned>(source: &str, flag: &str) -> CliResult<T> {
    let (text, origin) = if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::usage(format!("{flag} -: reading stdin failed: {e}")))?;
        (text, "stdin".to_owned())
    } else {
        let text = std::fs::read_to_string(source)
            .map_err(|e| CliError::usage(format!("{flag} {source}: cannot read the file: {e}")))?;
        (text, source.to_owned())
    };
    // serde_json's messages give the line, column and expected type, not the values.
    serde_json::from_str(&text)
        .map_err(|e| CliError::usage(format!("{flag}: {origin} is not the expected JSON: {e}")))
}

/// Reads one line from stdin (without its line break), for `--password -` and
/// `--api-key -`. On a terminal it asks for it and does not echo what is typed.
pub fn stdin_line(flag: &str) -> CliResult<String> {
    let read = if std::io::stdin().is_terminal() {
        read_line_unechoed(&format!("{flag} (not shown, then Enter): "))
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map(|_| line)
    };
    let line = read.map_err(|e| CliError::usage(format!("{flag} -: reading stdin failed: {e}")))?;
    let line = line.trim_end_matches(['\n', '\r']).to_owned();
    if line.is_empty() {
        return Err(CliError::usage(format!("{flag} -: stdin held no value")));
    }
    Ok(line)
}

/// Shows `prompt` on stderr and reads a line from the terminal on stdin with echo turned
/// off (the line break still shows), then restores the terminal's settings. Echo goes off
/// before the prompt shows, so nothing typed after the prompt is ever echoed.
#[cfg(unix)]
fn read_line_unechoed(prompt: &str) -> std::io::Result<String> {
    use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
    let stdin = std::io::stdin();
    let saved = tcgetattr(&stdin)?;
    let mut hidden = saved.clone();
    hidden.local_modes.remove(LocalModes::ECHO);
    hidden.local_modes.insert(LocalModes::ECHONL);
    tcsetattr(&stdin, OptionalActions::Now, &hidden)?;
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    let restored = tcsetattr(&stdin, OptionalActions::Now, &saved);
    read?;
    restored?;
    Ok(line)
}

/// Reads a line from stdin (no portable way to hide it here).
#[cfg(not(unix))]
fn read_line_unechoed(prompt: &str) -> std::io::Result<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line)
}

/// Splits `KEY=VALUE`.
pub fn key_value<'a>(text: &'a str, flag: &str) -> CliResult<(&'a str, &'a str)> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => Ok((key.trim(), value)),
        _ => Err(CliError::usage(format!(
            "{flag} `{text}`: expected KEY=VALUE"
        ))),
    }
}

/// Asks a yes/no question on the terminal (the prompt on stderr); only `y`/`yes` is yes.
///
/// The prompt is sanitised as a whole ([`terminal::sanitize`]): a device name from the
/// server cannot move the cursor or erase the line to make another command appear to be
/// the one confirmed.
pub fn confirm(prompt: &str) -> CliResult<bool> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Ok(false);
    }
    eprint!("{} [y/N] ", terminal::sanitize(prompt));
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::failure(format!("reading the answer failed: {e}")))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_values() {
        assert_eq!(key_value("team=north", "--tag").unwrap(), ("team", "north"));
        assert_eq!(key_value("url=a=b", "--tag").unwrap(), ("url", "a=b"));
        assert!(key_value("novalue", "--tag").is_err());
        assert!(key_value("=x", "--tag").is_err());
    }

    #[test]
    fn documents_from_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.json");
        std::fs::write(&path, r#"{"name": "North", "devices": ["d1"]}"#).unwrap();
        let input: plaspy_blocking::GroupInput =
            json_document(path.to_str().unwrap(), "--json").unwrap();
        assert_eq!(input.name, "North");
        std::fs::write(&path, "[1, 2").unwrap();
        let e = json_document::<Vec<u8>>(path.to_str().unwrap(), "--json").unwrap_err();
        assert!(e.message.starts_with("--json: "), "{}", e.message);
        assert!(json_document::<Vec<u8>>("/no/such/file", "--json").is_err());
    }
}
