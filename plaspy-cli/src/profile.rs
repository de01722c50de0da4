//! The config file: one profile per account or brand (username, API key, base URL).
//!
//! ```toml
//! default_profile = "default"
//!
//! [profiles.default]
//! username = "me"
//! api_key = "..."
//! base_url = "https://api.plaspy.com"
//! ```
//!
//! It lives at `dirs::config_dir()/plaspy/config.toml` unless `PLASPY_CONFIG` names another
//! file, and is written with mode 0600 (it holds API keys).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::exit::{CliError, CliResult};

/// Environment variable naming the config file (overrides the platform's location).
pub const CONFIG_VAR: &str = "PLASPY_CONFIG";
/// The profile used when none is named and the file sets no `default_profile`.
pub const DEFAULT_PROFILE: &str = "default";

/// The whole config file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profile used when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    /// The profiles, by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One account: what to connect with.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// The base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("username", &self.username)
            .field("api_key", &self.api_key.as_deref().map(mask))
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl ConfigFile {
    /// The name of the profile to use: the one asked for, else the file's default, else
    /// `default`.
    pub fn profile_name(&self, requested: Option<&str>) -> String {
        let kept = self
            .default_profile
            .as_deref()
            .filter(|d| check_name(d).is_ok());
        requested.or(kept).unwrap_or(DEFAULT_PROFILE).to_owned()
    }

    /// Whether any profile holds an API key.
    pub fn holds_a_key(&self) -> bool {
        self.profiles.values().any(|p| p.api_key.is_some())
    }
}

/// Checks a profile name: not empty or blank (which would silently mean the default
/// profile), no spaces around it, no control characters. The error says what is wrong,
/// for a message that starts with where the name came from.
pub fn check_name(name: &str) -> Result<(), &'static str> {
    if name.trim().is_empty() {
        Err("a profile name cannot be empty or blank")
    } else if name.trim() != name {
        Err("a profile name cannot start or end with spaces")
    } else if name.chars().any(char::is_control) {
        Err("a profile name cannot hold control characters")
    } else {
        Ok(())
    }
}

/// The warning to show when `path` holds an API key yet group or others may read it (as
/// ssh and the AWS CLI warn), or `None`.
pub fn exposure_warning(path: &Path, config: &ConfigFile) -> Option<String> {
    if !config.holds_a_key() {
        return None;
    }
    let mode = file_mode(path)?;
    (mode & 0o077 != 0).then(|| {
        format!(
            "warning: the config file {} holds an API key and other users can read it (mode {:o}): \
             run `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

#[cfg(unix)]
fn file_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).ok().map(|m| m.permissions().mode())
}

#[cfg(not(unix))]
fn file_mode(_path: &Path) -> Option<u32> {
    None
}

/// Where the config file is: `PLASPY_CONFIG`, else the platform's config directory.
pub fn path() -> CliResult<PathBuf> {
    if let Some(p) = std::env::var_os(CONFIG_VAR).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    dirs::config_dir()
        .map(|d| d.join("plaspy").join("config.toml"))
        .ok_or_else(|| {
            CliError::failure(format!(
                "cannot find the config directory: set {CONFIG_VAR} to the config file's path"
            ))
        })
}

/// Reads the config file; a missing file is an empty config.
pub fn load(path: &Path) -> CliResult<ConfigFile> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
        Err(e) => {
            return Err(CliError::failure(format!(
                "reading the config file {} failed: {e}",
                path.display()
            )));
        }
    };
    toml::from_str(&text).map_err(|e| {
        // The error's own text quotes the offending line, which may hold an API key:
        // report only the position and the reason.
        let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
        CliError::failure(format!(
            "the config file {} is invalid{at}: {}: fix it or write it again with `plaspy config set`",
            path.display(),
            without_values(e.message())
        ))
    })
}

/// Field names this file knows: safe to quote in a message.
const FIELDS: &[&str] = &[
    "default_profile",
    "profiles",
    "username",
    "api_key",
    "base_url",
];

/// A TOML/serde message with every quoted part that may be a value from the file (such as
/// `` invalid type: integer `12345678901234` ``) replaced by `…`. Kept: known field names,
/// the name after "field", and quoted punctuation (`` expected `"` ``).
fn without_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        let after = &rest[open + 1..];
        let Some(len) = after.find(quote) else {
            break;
        };
        let inner = &after[..len];
        let before = &rest[..open];
        let keep = FIELDS.contains(&inner)
            || (quote == '`' && before.ends_with("field "))
            || inner.chars().all(|c| c.is_ascii_punctuation())
            || (quote == '`' && inner.chars().count() == 1 && before.ends_with(", "))
            || (quote == '`' && inner.chars().count() == 1 && before.ends_with("expected "));
        out.push_str(before);
        out.push(quote);
        out.push_str(if keep { inner } else { "…" });
        out.push(quote);
        rest = &after[len + 1..];
    }
    out.push_str(rest);
    out
}

/// Writes the config file with mode 0600 (created through a temporary file, then renamed).
pub fn save(path: &Path, config: &ConfigFile) -> CliResult {
    let fail = |e: std::io::Error| {
        CliError::failure(format!(
            "writing the config file {} failed: {e}",
            path.display()
        ))
    };
    let text = toml::to_string_pretty(config)
        .map_err(|e| CliError::failure(format!("cannot write the config as TOML: {e}")))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir).map_err(fail)?;
    }
    let mut tmp_name = path.file_name().unwrap_or_default().to_owned();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    let _ = std::fs::remove_file(&tmp);
    let mut file = private_file(&tmp).map_err(fail)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(fail)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(fail)
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// An API key masked for display: `********` and, for keys of 16 characters or more, the
/// last 4 (`********wxyz`), enough to tell keys apart without revealing them.
pub fn mask(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() >= 16 {
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("********{tail}")
    } else {
        "********".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask("demo-key"), "********");
        assert_eq!(mask("0123456789abcdefWXYZ"), "********WXYZ");
    }

    #[test]
    fn round_trip_with_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("config.toml");
        assert_eq!(load(&path).unwrap(), ConfigFile::default());
        let mut config = ConfigFile::default();
        config.profiles.insert(
            "work".into(),
            Profile {
                username: Some("me".into()),
                api_key: Some("k".into()),
                base_url: None,
            },
        );
        save(&path, &config).unwrap();
        assert_eq!(load(&path).unwrap(), config);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(config.profile_name(None), "default");
        assert_eq!(config.profile_name(Some("work")), "work");
    }

    #[test]
    fn errors_do_not_quote_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[profiles.x]\napi_key = \"s3cret\nusername = 1\n").unwrap();
        let e = load(&path).unwrap_err();
        assert!(!e.message.contains("s3cret"), "{}", e.message);
        assert!(e.message.contains("line 2"), "{}", e.message);
        for (text, secret) in [
            ("[profiles.x]\napi_key = 12345678901234\n", "12345678901234"),
            ("[profiles.x]\nusername = 4.25e9\n", "4250000000"),
            ("default_profile = 77665544\n", "77665544"),
            ("[profiles.x]\napi_key = [\"s3cret-in-a-list\"]\n", "s3cret"),
            ("profiles = \"s3cret-string\"\n", "s3cret"),
        ] {
            std::fs::write(&path, text).unwrap();
            let e = load(&path).unwrap_err();
            assert!(!e.message.contains(secret), "{}", e.message);
            assert!(e.message.contains("invalid"), "{}", e.message);
        }
        std::fs::write(&path, "[profiles.x]\napikey = \"k\"\n").unwrap();
        let e = load(&path).unwrap_err();
        assert!(
            e.message.contains("unknown field `apikey`"),
            "{}",
            e.message
        );
        assert!(e.message.contains("`api_key`"), "{}", e.message);
    }

    #[test]
    fn names_are_checked() {
        assert!(check_name("work").is_ok());
        assert!(check_name("Flotas control").is_ok());
        for bad in ["", " ", "\t", " work", "work ", "a\x1bb"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        let config = ConfigFile {
            default_profile: Some(" ".into()),
            ..ConfigFile::default()
        };
        assert_eq!(config.profile_name(None), DEFAULT_PROFILE);
    }

    #[cfg(unix)]
    #[test]
    fn readable_key_files_are_flagged() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let mut config = ConfigFile::default();
        config.profiles.insert("x".into(), Profile::default());
        save(&path, &config).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(
            exposure_warning(&path, &config),
            None,
            "no key, nothing to warn about"
        );
        config.profiles.get_mut("x").unwrap().api_key = Some("k".into());
        let warning = exposure_warning(&path, &config).unwrap();
        assert!(
            warning.contains("chmod 600") && warning.contains("644"),
            "{warning}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(exposure_warning(&path, &config), None);
    }
}
