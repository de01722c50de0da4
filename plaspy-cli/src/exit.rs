//! The CLI's error type and how each failure maps to an exit code.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | other failure (network, server error, conflict, ...) |
//! | 2 | usage error (bad arguments, invalid input, unconfirmed command) |
//! | 3 | authentication (bad or missing credentials, token refused, forbidden) |
//! | 4 | not found |
//! | 5 | rate limited |

use std::fmt;

use plaspy_blocking::Error;

/// Success.
pub const OK: u8 = 0;
/// Any failure without a more specific code.
pub const FAILURE: u8 = 1;
/// Bad arguments or input (clap's own usage errors also exit 2).
pub const USAGE: u8 = 2;
/// Bad or missing credentials, refused token, or no permission.
pub const AUTH: u8 = 3;
/// The device, group or user does not exist.
pub const NOT_FOUND: u8 = 4;
/// Too many requests.
pub const RATE_LIMITED: u8 = 5;

/// A failure to report: one line for stderr, and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The exit code.
    pub code: u8,
    /// What failed and what to do, without the `error: ` prefix.
    pub message: String,
    /// Whether to exit without printing anything (stdout closed by the reader).
    pub silent: bool,
}

/// The result of a command.
pub type CliResult<T = ()> = Result<T, CliError>;

impl CliError {
    /// An error with an exit code and a message.
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
            silent: false,
        }
    }

    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(USAGE, message)
    }

    /// A general failure (exit 1).
    pub fn failure(message: impl Into<String>) -> Self {
        Self::new(FAILURE, message)
    }

    /// An SDK error while doing `what` (e.g. "listing devices").
    pub fn api(what: &str, err: &Error) -> Self {
        let mut message = format!("{what} failed: {err}");
        if let Some(hint) = hint(err, what) {
            message.push_str(": ");
            message.push_str(hint);
        }
        Self::new(code_for(err), message)
    }

    /// An I/O error while doing `what`; a closed stdout ends the program quietly.
    pub fn io(what: &str, err: &std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            return CliError {
                code: OK,
                message: String::new(),
                silent: true,
            };
        }
        Self::failure(format!("{what}: {err}"))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The exit code an SDK error stands for.
pub fn code_for(err: &Error) -> u8 {
    match err {
        Error::BadCredentials { .. } | Error::Unauthorized { .. } | Error::Forbidden { .. } => AUTH,
        Error::NotFound { .. } => NOT_FOUND,
        Error::RateLimited { .. } => RATE_LIMITED,
        Error::InvalidInput { .. } | Error::InvalidConfig { .. } => USAGE,
        Error::Api {
            status: 401 | 403, ..
        }
        | Error::Http {
            status: 401 | 403, ..
        } => AUTH,
        Error::Api { status: 404, .. } => NOT_FOUND,
        Error::Api { status: 429, .. } | Error::Http { status: 429, .. } => RATE_LIMITED,
        _ => FAILURE,
    }
}

/// What the user can do about an SDK error while doing `what`, when there is something
/// to say.
fn hint(err: &Error, what: &str) -> Option<&'static str> {
    Some(match err {
        Error::NotFound { .. } if what.contains("group") => {
            "check the id (`plaspy groups list` shows them)"
        }
        Error::NotFound { .. } if what.contains("user") => {
            "check the id (`plaspy users list` shows them)"
        }
        Error::NotFound { .. } if what.contains("device") => {
            "check the id (`plaspy devices list` shows them)"
        }
        Error::BadCredentials { .. } => {
            "fix --username/--api-key, PLASPY_USERNAME/PLASPY_API_KEY or the profile (`plaspy config show`)"
        }
        Error::Unauthorized { .. } => "check the credentials (`plaspy config show`) and try again",
        Error::Forbidden { .. } => "use an account with permission for this",
        Error::NotFound { .. } => {
            "check the id (`plaspy devices list`, `plaspy groups list`, `plaspy users list`)"
        }
        Error::RateLimited { .. } => "wait a minute, then retry",
        Error::Transport { .. } | Error::Timeout { .. } => {
            "check the network and the base URL (--base-url, PLASPY_BASE_URL), or raise --timeout"
        }
        Error::Http { .. } => "the server or a proxy in front of it failed; retry later",
        Error::InvalidConfig { .. } => "check --base-url and the credentials",
        _ => return None,
    })
}

/// Adds "what was being done" to SDK errors.
pub trait Context<T> {
    /// Turns an SDK error into a [`CliError`] that says what was being done.
    fn context(self, what: &str) -> CliResult<T>;
}

impl<T> Context<T> for Result<T, Error> {
    fn context(self, what: &str) -> CliResult<T> {
        self.map_err(|e| CliError::api(what, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(code_for(&Error::bad_credentials("no")), AUTH);
        assert_eq!(code_for(&Error::unauthorized(None)), AUTH);
        assert_eq!(code_for(&Error::forbidden(None)), AUTH);
        assert_eq!(code_for(&Error::not_found(None)), NOT_FOUND);
        assert_eq!(code_for(&Error::rate_limited(None, None)), RATE_LIMITED);
        assert_eq!(code_for(&Error::invalid_input("bad hex")), USAGE);
        assert_eq!(code_for(&Error::http(502, "")), FAILURE);
        assert_eq!(
            code_for(&Error::timeout(std::time::Duration::from_secs(30))),
            FAILURE
        );
    }

    #[test]
    fn messages_say_what_failed_and_what_to_do() {
        let e = CliError::api(
            "getting device dev-9",
            &Error::not_found(Some("Device not found".into())),
        );
        assert_eq!(e.code, NOT_FOUND);
        assert!(
            e.message.starts_with(
                "getting device dev-9 failed: not found: Device not found: check the id"
            )
        );
        assert!(!e.message.contains('\n'));
    }

    #[test]
    fn a_closed_pipe_is_quiet() {
        let e = CliError::io(
            "writing",
            &std::io::Error::from(std::io::ErrorKind::BrokenPipe),
        );
        assert!(e.silent);
        assert_eq!(e.code, OK);
    }
}
