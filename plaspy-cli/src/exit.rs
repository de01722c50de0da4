//! The CLI's error type, its exit codes, and the hint each failure gets from what failed.
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

/// How `plaspy` exits: each code and what it means (also in `--help` and the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// Success.
    Success = 0,
    /// Any failure without a more specific code.
    Failure = 1,
    /// Bad arguments or input (clap's own usage errors also exit 2).
    Usage = 2,
    /// Bad or missing credentials, refused token, or no permission.
    Auth = 3,
    /// The device, group or user does not exist.
    NotFound = 4,
    /// Too many requests.
    RateLimited = 5,
}

impl ExitCode {
    /// Every code, in order.
    pub const ALL: [ExitCode; 6] = [
        ExitCode::Success,
        ExitCode::Failure,
        ExitCode::Usage,
        ExitCode::Auth,
        ExitCode::NotFound,
        ExitCode::RateLimited,
    ];

    /// The number the process exits with.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// What the code means, as `--help` shows it.
    pub fn meaning(self) -> &'static str {
        match self {
            ExitCode::Success => "success",
            ExitCode::Failure => "other failure (network, server error, conflict, ...)",
            ExitCode::Usage => "usage error (bad arguments, invalid input, unconfirmed command)",
            ExitCode::Auth => {
                "authentication failed (bad or missing credentials, token refused, forbidden)"
            }
            ExitCode::NotFound => "not found (no such device, group or user)",
            ExitCode::RateLimited => "rate limited (too many requests; retry later)",
        }
    }

    /// The exit code an SDK error stands for.
    pub fn of(err: &Error) -> ExitCode {
        match err {
            Error::BadCredentials { .. } | Error::Unauthorized { .. } | Error::Forbidden { .. } => {
                ExitCode::Auth
            }
            Error::NotFound { .. } => ExitCode::NotFound,
            Error::RateLimited { .. } => ExitCode::RateLimited,
            Error::InvalidInput { .. } | Error::InvalidConfig { .. } => ExitCode::Usage,
            Error::Api {
                status: 401 | 403, ..
            }
            | Error::Http {
                status: 401 | 403, ..
            } => ExitCode::Auth,
            Error::Api { status: 404, .. } => ExitCode::NotFound,
            Error::Api { status: 429, .. } | Error::Http { status: 429, .. } => {
                ExitCode::RateLimited
            }
            _ => ExitCode::Failure,
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code.code())
    }
}

/// What a failed call was about: it chooses the hint a failure gets (which list shows the
/// ids, what to fix), so hints never depend on the wording of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorSubject {
    /// A device, by id.
    Device(String),
    /// A group, by id.
    Group(String),
    /// A user, by id.
    User(String),
    /// The account's credentials: signing in, a token, the client's settings.
    Credentials,
    /// The account as a whole: its lists, a new group or user, reference data.
    Account,
}

impl ErrorSubject {
    /// What the user can do about `err` on this subject, when there is something to say.
    fn hint(&self, err: &Error) -> Option<&'static str> {
        Some(match (err, self) {
            (Error::NotFound { .. }, ErrorSubject::Device(_)) => {
                "check the id (`plaspy devices list` shows them)"
            }
            (Error::NotFound { .. }, ErrorSubject::Group(_)) => {
                "check the id (`plaspy groups list` shows them)"
            }
            (Error::NotFound { .. }, ErrorSubject::User(_)) => {
                "check the id (`plaspy users list` shows them)"
            }
            (Error::NotFound { .. }, _) => {
                "check the id (`plaspy devices list`, `plaspy groups list`, `plaspy users list`)"
            }
            (Error::BadCredentials { .. }, _) => {
                "fix --username/--api-key, PLASPY_USERNAME/PLASPY_API_KEY or the profile (`plaspy config show`)"
            }
            (Error::Unauthorized { .. }, _) => {
                "check the credentials (`plaspy config show`) and try again"
            }
            (Error::Forbidden { .. }, _) => "use an account with permission for this",
            (Error::RateLimited { .. }, _) => "wait a minute, then retry",
            (Error::Transport { .. } | Error::Timeout { .. }, _) => {
                "check the network and the base URL (--base-url, PLASPY_BASE_URL), or raise --timeout"
            }
            (Error::Http { .. }, _) => "the server or a proxy in front of it failed; retry later",
            (Error::InvalidConfig { .. }, _) => "check --base-url and the credentials",
            _ => return None,
        })
    }
}

/// A failure to report: one line for stderr, and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The exit code.
    pub code: ExitCode,
    /// What failed and what to do, without the `error: ` prefix.
    pub message: String,
    /// What the failed call was about, when a call failed.
    pub subject: Option<ErrorSubject>,
    /// Whether to exit without printing anything (stdout closed by the reader).
    pub silent: bool,
}

/// The result of a command.
pub type CliResult<T = ()> = Result<T, CliError>;

impl CliError {
    /// An error with an exit code and a message.
    pub fn new(code: ExitCode, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
            subject: None,
            silent: false,
        }
    }

    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Usage, message)
    }

    /// A general failure (exit 1).
    pub fn failure(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Failure, message)
    }

    /// An SDK error while doing `what` (e.g. "listing devices") on `subject`.
    pub fn api(subject: ErrorSubject, what: &str, err: &Error) -> Self {
        let mut message = format!("{what} failed: {err}");
        if let Some(hint) = subject.hint(err) {
            message.push_str(": ");
            message.push_str(hint);
        }
        CliError {
            subject: Some(subject),
            ..Self::new(ExitCode::of(err), message)
        }
    }

    /// An I/O error while doing `what`; a closed stdout ends the program quietly.
    pub fn io(what: &str, err: &std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            return CliError {
                silent: true,
                ..Self::new(ExitCode::Success, "")
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

/// Adds what was being done, and on what, to SDK errors.
pub trait Context<T> {
    /// Turns an SDK error into a [`CliError`] that says what was being done (`what`) and
    /// carries what it was about (`subject`, which picks the hint).
    fn context(self, subject: ErrorSubject, what: &str) -> CliResult<T>;
}

impl<T> Context<T> for Result<T, Error> {
    fn context(self, subject: ErrorSubject, what: &str) -> CliResult<T> {
        self.map_err(|e| CliError::api(subject, what, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        let of = |e: Error| ExitCode::of(&e);
        assert_eq!(of(Error::bad_credentials("no")), ExitCode::Auth);
        assert_eq!(of(Error::unauthorized(None)), ExitCode::Auth);
        assert_eq!(of(Error::forbidden(None)), ExitCode::Auth);
        assert_eq!(of(Error::not_found(None)), ExitCode::NotFound);
        assert_eq!(of(Error::rate_limited(None, None)), ExitCode::RateLimited);
        assert_eq!(of(Error::invalid_input("bad hex")), ExitCode::Usage);
        assert_eq!(of(Error::http(502, "")), ExitCode::Failure);
        assert_eq!(
            of(Error::timeout(std::time::Duration::from_secs(30))),
            ExitCode::Failure
        );
        let numbers: Vec<u8> = ExitCode::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(numbers, [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn messages_say_what_failed_and_what_to_do() {
        let e = CliError::api(
            ErrorSubject::Device("dev-9".into()),
            "getting device dev-9",
            &Error::not_found(Some("Device not found".into())),
        );
        assert_eq!(e.code, ExitCode::NotFound);
        assert_eq!(e.subject, Some(ErrorSubject::Device("dev-9".into())));
        assert!(
            e.message.starts_with(
                "getting device dev-9 failed: not found: Device not found: check the id"
            )
        );
        assert!(!e.message.contains('\n'));
    }

    #[test]
    fn the_hint_comes_from_the_subject_not_the_message() {
        let missing = Error::not_found(None);
        // The message names a device; the call was about a group.
        let e = CliError::api(
            ErrorSubject::Group("dev-group".into()),
            "getting device list of group dev-group",
            &missing,
        );
        assert!(
            e.message.ends_with("(`plaspy groups list` shows them)"),
            "{e}"
        );
        let e = CliError::api(ErrorSubject::User("u".into()), "deleting", &missing);
        assert!(
            e.message.ends_with("(`plaspy users list` shows them)"),
            "{e}"
        );
        let e = CliError::api(ErrorSubject::Account, "listing", &missing);
        assert!(e.message.contains("plaspy users list`)"), "{e}");
        let e = CliError::api(
            ErrorSubject::Credentials,
            "signing in",
            &Error::bad_credentials("no"),
        );
        assert_eq!(e.code, ExitCode::Auth);
        assert!(e.message.contains("fix --username/--api-key"), "{e}");
    }

    #[test]
    fn a_closed_pipe_is_quiet() {
        let e = CliError::io(
            "writing",
            &std::io::Error::from(std::io::ErrorKind::BrokenPipe),
        );
        assert!(e.silent);
        assert_eq!(e.code, ExitCode::Success);
    }
}
