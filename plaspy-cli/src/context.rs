//! What every command shares: the global options, the resolved settings, the client (built
//! on first use) and the embedded sandbox when `--sandbox` is given.

use std::time::Duration;

use clap::ArgMatches;
use clap::parser::ValueSource;
use plaspy_blocking::Client;

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult, ErrorSubject, ExitCode};
use crate::output::{Format, Printer};
use crate::profile;
use crate::style;

/// Formats every command accepts (GeoJSON and GPX are for tracks only).
pub const TABULAR: &[Format] = &[Format::Table, Format::Json, Format::Ndjson, Format::Csv];

/// Which connection settings were typed on the command line (not taken from the
/// environment): `config set` writes only those.
#[derive(Debug, Clone, Copy, Default)]
pub struct FromCommandLine {
    /// `--username` was given.
    pub username: bool,
    /// `--api-key` was given.
    pub api_key: bool,
    /// `--base-url` was given.
    pub base_url: bool,
    /// `--profile` was given.
    pub profile: bool,
}

impl FromCommandLine {
    /// Reads the value sources from clap's matches.
    pub fn from_matches(matches: &ArgMatches) -> Self {
        let typed = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
        FromCommandLine {
            username: typed("username"),
            api_key: typed("api_key"),
            base_url: typed("base_url"),
            profile: typed("profile"),
        }
    }
}

/// The resolved connection settings (no `Debug`: it holds the API key).
struct Settings {
    username: String,
    api_key: String,
    base_url: Option<String>,
}

/// The state shared by the commands of one run.
pub struct Ctx {
    /// The global options.
    pub global: GlobalArgs,
    /// Which connection options were typed on the command line.
    pub typed: FromCommandLine,
    client: Option<Client>,
    sandbox: Option<plaspy_sandbox::SandboxHandle>,
}

impl Ctx {
    /// A context for these options.
    pub fn new(mut global: GlobalArgs, typed: FromCommandLine) -> Self {
        for value in [
            &mut global.username,
            &mut global.api_key,
            &mut global.base_url,
        ] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *value = None;
            }
        }
        Ctx {
            global,
            typed,
            client: None,
            sandbox: None,
        }
    }

    /// The printer for the requested `--output`, refusing formats the command lacks.
    pub fn printer(&self, allowed: &[Format]) -> CliResult<Printer> {
        let format = Format::choose(self.global.output);
        if !allowed.contains(&format) {
            let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
            return Err(CliError::usage(format!(
                "--output {} is not available for this command: use {}",
                format.name(),
                names.join(", ")
            )));
        }
        Ok(Printer {
            format,
            color: format == Format::Table && style::stdout_color(),
            quiet: self.global.quiet,
        })
    }

    /// Whether stderr may show progress (a terminal that can redraw a line, and not
    /// `--quiet`).
    pub fn progress_enabled(&self) -> bool {
        !self.global.quiet && style::stderr_is_live_terminal()
    }

    /// Prints a status line on stderr, unless `--quiet`; ids in it may come from a server,
    /// so it is sanitised for the terminal.
    pub fn note(&self, message: &str) {
        if !self.global.quiet {
            eprintln!("{}", crate::output::terminal::sanitize(message));
        }
    }

    /// The profile asked for with `--profile` or `PLASPY_PROFILE`, if any. An empty or
    /// blank name is refused: taken as "no profile", it would silently read and overwrite
    /// the default profile.
    pub fn requested_profile(&self) -> CliResult<Option<&str>> {
        let origin = if self.typed.profile {
            "--profile"
        } else {
            "PLASPY_PROFILE"
        };
        let refuse = |why: &str| {
            CliError::usage(format!(
                "{origin}: {why}: name a profile (`plaspy config list` shows them) or leave it out"
            ))
        };
        match self.global.profile.as_deref() {
            Some(name) => profile::check_name(name)
                .map_err(refuse)
                .map(|()| Some(name)),
            // clap takes an empty variable for an absent one.
            None if std::env::var_os("PLASPY_PROFILE").is_some() => {
                Err(refuse("a profile name cannot be empty or blank"))
            }
            None => Ok(None),
        }
    }

    /// Reads the config file, warning on stderr when it holds an API key that other users
    /// can read.
    pub fn load_config(&self, path: &std::path::Path) -> CliResult<profile::ConfigFile> {
        let config = profile::load(path)?;
        if let Some(warning) = profile::exposure_warning(path, &config) {
            self.note(&warning);
        }
        Ok(config)
    }

    /// The client: built on first use from the flags, environment and profile, or against
    /// the embedded sandbox with `--sandbox`.
    pub fn client(&mut self) -> CliResult<Client> {
        if let Some(client) = &self.client {
            return Ok(client.clone());
        }
        let settings = if self.global.sandbox {
            self.start_sandbox()?
        } else {
            self.settings()?
        };
        crate::logging::register_secret(&settings.api_key);
        let mut builder = Client::builder()
            .credentials(settings.username, settings.api_key)
            .user_agent(concat!("plaspy-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(url) = settings.base_url {
            builder = builder.base_url(url);
        }
        // `--timeout` bounds the whole wait on one call, retries included.
        let limit = Duration::from_secs(self.global.timeout.unwrap_or(30));
        builder = builder.timeout(limit).deadline(limit);
        if let Some(retries) = self.global.retries {
            builder = builder.max_retries(retries);
        }
        let client = builder
            .build()
            .map_err(|e| CliError::api(ErrorSubject::Credentials, "setting up the client", &e))?;
        self.client = Some(client.clone());
        Ok(client)
    }

    /// The client built so far, if any (for the usage report of `-v`).
    pub fn built_client(&self) -> Option<&Client> {
        self.client.as_ref()
    }

    fn start_sandbox(&mut self) -> CliResult<Settings> {
        let config = plaspy_sandbox::SandboxConfig::default().quirks(self.global.sandbox_quirks);
        let handle = plaspy_sandbox::start(config)
            .map_err(|e| CliError::failure(format!("starting the embedded sandbox failed: {e}")))?;
        let base_url = handle.base_url().to_owned();
        if self.global.verbose > 0 {
            eprintln!("embedded sandbox at {base_url}");
        }
        self.sandbox = Some(handle);
        Ok(Settings {
            username: plaspy_sandbox::DEMO_USERNAME.to_owned(),
            api_key: plaspy_sandbox::DEMO_API_KEY.to_owned(),
            base_url: Some(base_url),
        })
    }

    /// Flags and environment (merged by clap, flags first), then the profile.
    fn settings(&self) -> CliResult<Settings> {
        let requested = self.requested_profile()?;
        let path = profile::path()?;
        let config = self.load_config(&path)?;
        let name = config.profile_name(requested);
        let stored = config.profiles.get(&name).cloned();
        if stored.is_none() && requested.is_some() {
            return Err(CliError::usage(format!(
                "there is no profile `{name}` in {}: create it with `plaspy config set --profile {name} \
                 --username NAME --api-key KEY` (`plaspy config list` shows the profiles)",
                path.display()
            )));
        }
        let stored = stored.unwrap_or_default();
        let pick = |flag: &Option<String>, kept: Option<String>| {
            flag.clone().or(kept.filter(|v| !v.trim().is_empty()))
        };
        let username = pick(&self.global.username, stored.username);
        let api_key = pick(&self.global.api_key, stored.api_key);
        let base_url = pick(&self.global.base_url, stored.base_url);
        match (username, api_key) {
            (Some(username), Some(api_key)) => Ok(Settings {
                username,
                api_key,
                base_url,
            }),
            (username, _) => {
                let missing = if username.is_none() {
                    "user name"
                } else {
                    "API key"
                };
                Err(CliError::new(
                    ExitCode::Auth,
                    format!(
                        "no {missing} configured: pass --username and --api-key, set PLASPY_USERNAME and \
                         PLASPY_API_KEY, or save a profile with `plaspy config set` (or try `plaspy --sandbox ...`)"
                    ),
                ))
            }
        }
    }

    /// Checks that a base URL is acceptable to the client, without connecting.
    pub fn check_base_url(url: &str) -> CliResult {
        Client::builder()
            .credentials("check", "check")
            .base_url(url)
            .build()
            .map(|_| ())
            .map_err(|e| CliError::usage(format!("--base-url: {e}")))
    }
}
