//! `plaspy config ...`: set, show, list and choose profiles; print the file's path.

use clap::Subcommand;
use serde::Serialize;

use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult};
use crate::input;
use crate::output::{Cell, Column, Record};
use crate::profile::{self, ConfigFile, Profile};

/// `plaspy config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Create or change a profile (the global --profile, --username, --api-key, --base-url)
    #[command(after_help = "\
Only the flags given on the command line are written (not the environment). --api-key -
reads the key from the first line of stdin. The file is written with mode 0600.

Examples:
  plaspy config set --username me --api-key KEY
  printf '%s\\n' \"$KEY\" | plaspy config set --profile altagama --username me --api-key - --base-url https://api.example.com
  plaspy config set --profile altagama --default")]
    Set {
        /// Also make it the profile used when none is named
        #[arg(long)]
        default: bool,
    },
    /// Show a profile (the API key masked)
    #[command(
        after_help = "Examples:\n  plaspy config show\n  plaspy config show --profile altagama"
    )]
    Show,
    /// List the profiles
    #[command(after_help = "Examples:\n  plaspy config list")]
    List,
    /// Make a profile the one used when none is named
    #[command(after_help = "Examples:\n  plaspy config use altagama")]
    Use {
        /// Profile name
        name: String,
    },
    /// Print the config file's path
    #[command(
        after_help = "Examples:\n  plaspy config path\n  PLASPY_CONFIG=./plaspy.toml plaspy config path"
    )]
    Path,
}

/// A profile as shown: the API key masked.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ProfileView {
    profile: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_url: Option<String>,
    default: bool,
}

impl ProfileView {
    fn new(name: &str, profile: &Profile, config: &ConfigFile) -> Self {
        ProfileView {
            profile: name.to_owned(),
            username: profile.username.clone(),
            api_key: profile.api_key.as_deref().map(profile::mask),
            base_url: profile.base_url.clone(),
            default: config.profile_name(None) == name,
        }
    }
}

impl Record for ProfileView {
    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::new("profile", "PROFILE", |p: &ProfileView| {
                Cell::Text(p.profile.clone())
            }),
            Column::new("username", "USERNAME", |p: &ProfileView| {
                Cell::text(p.username.as_deref())
            }),
            Column::new("apiKey", "API KEY", |p: &ProfileView| {
                Cell::text(p.api_key.as_deref())
            }),
            Column::new("baseUrl", "BASE URL", |p: &ProfileView| {
                p.base_url
                    .as_deref()
                    .map_or(Cell::Note("(default)"), |u| Cell::Text(u.to_owned()))
            }),
            Column::new("default", "DEFAULT", |p: &ProfileView| {
                Cell::Bool(p.default)
            }),
        ]
    }
}

/// Runs `plaspy config ...`.
pub fn run(ctx: &mut Ctx, command: ConfigCommand) -> CliResult {
    let path = profile::path()?;
    match command {
        ConfigCommand::Path => {
            let printer = ctx.printer(TABULAR)?;
            printer.emit(|w| writeln!(w, "{}", path.display()))
        }
        ConfigCommand::List => {
            let printer = ctx.printer(TABULAR)?;
            let config = ctx.load_config(&path)?;
            let views: Vec<ProfileView> = config
                .profiles
                .iter()
                .map(|(name, p)| ProfileView::new(name, p, &config))
                .collect();
            printer.list(&views)
        }
        ConfigCommand::Show => {
            let printer = ctx.printer(TABULAR)?;
            let config = ctx.load_config(&path)?;
            let name = config.profile_name(ctx.requested_profile()?);
            let stored = config
                .profiles
                .get(&name)
                .ok_or_else(|| missing(&name, &path))?;
            printer.one(&ProfileView::new(&name, stored, &config))
        }
        ConfigCommand::Use { name } => {
            profile::check_name(&name)
                .map_err(|why| CliError::usage(format!("config use: {why}")))?;
            let mut config = ctx.load_config(&path)?;
            if !config.profiles.contains_key(&name) {
                return Err(missing(&name, &path));
            }
            config.default_profile = Some(name.clone());
            profile::save(&path, &config)?;
            ctx.note(&format!(
                "profile `{name}` is now the default ({})",
                path.display()
            ));
            Ok(())
        }
        ConfigCommand::Set { default } => set(ctx, &path, default),
    }
}

fn set(ctx: &Ctx, path: &std::path::Path, make_default: bool) -> CliResult {
    let requested = ctx.requested_profile()?;
    let typed = ctx.typed;
    let global = &ctx.global;
    // Only what was typed on the command line: a key in the environment stays there.
    let username = global.username.clone().filter(|_| typed.username);
    let mut api_key = global.api_key.clone().filter(|_| typed.api_key);
    let base_url = global.base_url.clone().filter(|_| typed.base_url);
    if username.is_none() && api_key.is_none() && base_url.is_none() && !make_default {
        return Err(CliError::usage(
            "nothing to set: pass --username, --api-key, --base-url and/or --default",
        ));
    }
    if api_key.as_deref() == Some("-") {
        api_key = Some(input::stdin_line("--api-key")?);
    }
    if let Some(url) = &base_url {
        Ctx::check_base_url(url)?;
    }
    let mut config = ctx.load_config(path)?;
    let name = config.profile_name(requested);
    let entry = config.profiles.entry(name.clone()).or_default();
    if username.is_some() {
        entry.username = username;
    }
    if api_key.is_some() {
        entry.api_key = api_key;
    }
    if base_url.is_some() {
        entry.base_url = base_url;
    }
    if make_default {
        config.default_profile = Some(name.clone());
    }
    profile::save(path, &config)?;
    ctx.note(&format!("saved profile `{name}` in {}", path.display()));
    Ok(())
}

fn missing(name: &str, path: &std::path::Path) -> CliError {
    CliError::usage(format!(
        "there is no profile `{name}` in {}: create it with `plaspy config set --profile {name} --username NAME --api-key KEY`",
        path.display()
    ))
}
