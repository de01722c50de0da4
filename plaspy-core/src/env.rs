//! Reading settings from the environment.

use plaspy_types::{Credentials, Error, Result};

/// Environment variable holding the user name.
pub const USERNAME_VAR: &str = "PLASPY_USERNAME";
/// Environment variable holding the API key.
pub const API_KEY_VAR: &str = "PLASPY_API_KEY";
/// Environment variable holding an optional base URL.
pub const BASE_URL_VAR: &str = "PLASPY_BASE_URL";

fn var(name: &str) -> Result<Option<String>> {
    match std::env::var(name) {
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(Error::invalid_config(format!("{name} is not valid UTF-8")))
        }
    }
}

/// Credentials and optional base URL from `PLASPY_USERNAME`, `PLASPY_API_KEY` and
/// `PLASPY_BASE_URL`.
pub(crate) fn from_env() -> Result<(Credentials, Option<String>)> {
    let username = var(USERNAME_VAR)?
        .ok_or_else(|| Error::invalid_config(format!("{USERNAME_VAR} is not set")))?;
    let api_key = var(API_KEY_VAR)?
        .ok_or_else(|| Error::invalid_config(format!("{API_KEY_VAR} is not set")))?;
    Ok((Credentials::new(username, api_key), var(BASE_URL_VAR)?))
}
