use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How a command's text is to be read by the tracker.
///
/// Written as `Text`, `Hex` or `Base64`; read in any letter case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub enum CommandFormat {
    /// Plain text (the default).
    #[default]
    Text,
    /// Hex digits; spaces and hyphens are allowed and ignored.
    Hex,
    /// Standard Base64.
    Base64,
}

impl CommandFormat {
    /// The wire name: `Text`, `Hex` or `Base64`.
    ///
    /// ```
    /// assert_eq!(plaspy_types::CommandFormat::Hex.as_str(), "Hex");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            CommandFormat::Text => "Text",
            CommandFormat::Hex => "Hex",
            CommandFormat::Base64 => "Base64",
        }
    }
}

impl fmt::Display for CommandFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CommandFormat {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = crate::de::text(d)?;
        if text.is_empty() {
            return Ok(CommandFormat::Text);
        }
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for CommandFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "text" => Ok(CommandFormat::Text),
            "hex" => Ok(CommandFormat::Hex),
            "base64" => Ok(CommandFormat::Base64),
            _ => Err(Error::invalid_input(format!(
                "unknown command format `{s}` (expected text, hex or base64)"
            ))),
        }
    }
}

/// A command for a device's tracker (body of `POST /api/devices/{id}/sendCommand`).
///
/// Commands act on real vehicles (an engine cut-off is a typical one): confirm with the
/// user before sending one.
///
/// ```
/// use plaspy_types::{Command, CommandFormat};
/// let cmd = Command::hex("01 a0-ff").sms(true);
/// assert_eq!(cmd.format, CommandFormat::Hex);
/// assert_eq!(cmd.payload_bytes().unwrap(), vec![0x01, 0xa0, 0xff]);
/// assert!(Command::hex("0g").validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Command {
    /// The command text, in `format`.
    pub command: String,
    /// How to read `command`.
    #[serde(default)]
    pub format: CommandFormat,
    /// `true`: deliver by SMS to the device's SIM; `false`/absent: over the data link (GPRS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms: Option<bool>,
}

impl Command {
    /// A command in the given format.
    ///
    /// ```
    /// use plaspy_types::{Command, CommandFormat};
    ///
    /// let cmd = Command::new("AQID", CommandFormat::Base64);
    /// assert_eq!(cmd.payload_bytes()?, vec![1, 2, 3]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(command: impl Into<String>, format: CommandFormat) -> Self {
        Command {
            command: command.into(),
            format,
            sms: None,
        }
    }

    /// A plain-text command.
    ///
    /// ```
    /// let cmd = plaspy_types::Command::text("engine stop");
    /// assert_eq!(cmd.payload_bytes()?, b"engine stop");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn text(command: impl Into<String>) -> Self {
        Self::new(command, CommandFormat::Text)
    }

    /// A hex command (`"01 A0-FF"`: spaces and hyphens are ignored).
    ///
    /// ```
    /// let cmd = plaspy_types::Command::hex("01 A0-FF");
    /// assert_eq!(cmd.payload_bytes()?, vec![0x01, 0xa0, 0xff]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hex(command: impl Into<String>) -> Self {
        Self::new(command, CommandFormat::Hex)
    }

    /// A Base64 command.
    ///
    /// ```
    /// let cmd = plaspy_types::Command::base64("AQID");
    /// assert_eq!(cmd.payload_bytes()?, vec![1, 2, 3]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn base64(command: impl Into<String>) -> Self {
        Self::new(command, CommandFormat::Base64)
    }

    /// Delivers by SMS (`true`) or over the data link (`false`).
    ///
    /// ```
    /// let cmd = plaspy_types::Command::text("where").sms(true);
    /// assert_eq!(cmd.sms, Some(true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sms(mut self, sms: bool) -> Self {
        self.sms = Some(sms);
        self
    }

    /// Checks the command is not empty and that Hex and Base64 payloads decode.
    ///
    /// ```
    /// use plaspy_types::Command;
    ///
    /// assert!(Command::text("engine stop").validate().is_ok());
    /// assert!(Command::text("  ").validate().is_err());
    /// assert!(Command::base64("not base64!").validate().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        self.payload_bytes().map(|_| ())
    }

    /// The bytes the tracker will receive: the text's UTF-8, or the decoded Hex / Base64.
    ///
    /// ```
    /// assert_eq!(plaspy_types::Command::text("hi").payload_bytes()?, b"hi");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn payload_bytes(&self) -> Result<Vec<u8>> {
        if self.command.trim().is_empty() {
            return Err(Error::invalid_input("the command is empty"));
        }
        match self.format {
            CommandFormat::Text => Ok(self.command.as_bytes().to_vec()),
            CommandFormat::Hex => decode_hex(&self.command),
            CommandFormat::Base64 => base64::engine::general_purpose::STANDARD
                .decode(self.command.trim())
                .map_err(|e| Error::invalid_input(format!("the command is not valid Base64: {e}"))),
        }
    }
}

fn decode_hex(text: &str) -> Result<Vec<u8>> {
    let mut digits = Vec::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match c {
            ' ' | '-' => {}
            c if c.is_ascii_hexdigit() => digits.push(c.to_digit(16).unwrap_or_default() as u8),
            c => {
                return Err(Error::invalid_input(format!(
                    "the command is not valid hex: `{c}` at position {} (allowed: 0-9, a-f, spaces, hyphens)",
                    i + 1
                )));
            }
        }
    }
    if digits.is_empty() {
        return Err(Error::invalid_input(
            "the command is not valid hex: it has no hex digits, only separators",
        ));
    }
    if digits.len() % 2 != 0 {
        return Err(Error::invalid_input(format!(
            "the command is not valid hex: {} digits, expected an even number (two per byte)",
            digits.len()
        )));
    }
    Ok(digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_validate() {
        assert!(Command::text("engineStop").validate().is_ok());
        assert!(Command::text("  ").validate().is_err());
        assert_eq!(
            Command::hex("0A-0b 0c").payload_bytes().unwrap(),
            vec![10, 11, 12]
        );
        let odd = Command::hex("abc").validate().unwrap_err().to_string();
        assert!(odd.contains("even number"), "{odd}");
        let bad = Command::hex("zz").validate().unwrap_err().to_string();
        assert!(bad.contains("`z` at position 1"), "{bad}");
        for only_separators in [" - ", "-", "- -- -"] {
            let err = Command::hex(only_separators).validate().unwrap_err();
            assert!(err.to_string().contains("no hex digits"), "{err}");
        }
        assert_eq!(Command::base64("aGk=").payload_bytes().unwrap(), b"hi");
        assert!(Command::base64("a?b").validate().is_err());
        assert_eq!("HEX".parse::<CommandFormat>().unwrap(), CommandFormat::Hex);
        assert!("bin".parse::<CommandFormat>().is_err());
        let lower: Command = serde_json::from_str(r#"{"command":"0a","format":"hex"}"#).unwrap();
        assert_eq!(lower.format, CommandFormat::Hex);
        assert!(serde_json::from_str::<Command>(r#"{"command":"x","format":"bin"}"#).is_err());
    }

    #[test]
    fn wire_shape() {
        let json = serde_json::to_value(Command::base64("aGk=").sms(true)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"command": "aGk=", "format": "Base64", "sms": true})
        );
    }
}
