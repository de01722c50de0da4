//! Reading what the user hands in besides flags: JSON documents (a file or `-` for stdin),
//! secrets from stdin, `KEY=VALUE` pairs, and confirmations.

use std::io::{BufRead, IsTerminal, Read, Write};

use serde::de::DeserializeOwned;

use crate::exit::{CliError, CliResult};

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
/// `--api-key -`.
pub fn stdin_line(flag: &str) -> CliResult<String> {
    if std::io::stdin().is_terminal() {
        eprint!("{flag} (then Enter): ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::usage(format!("{flag} -: reading stdin failed: {e}")))?;
    let line = line.trim_end_matches(['\n', '\r']).to_owned();
    if line.is_empty() {
        return Err(CliError::usage(format!("{flag} -: stdin held no value")));
    }
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
pub fn confirm(prompt: &str) -> CliResult<bool> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Ok(false);
    }
    eprint!("{prompt} [y/N] ");
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
