//! `plaspy users ...`: the CRUD commands ([`crud`]) over the account's users, and the
//! countries and time zones a user may be in.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use plaspy_blocking::{Client, PatchOperation, Secret, User, UserInput};

use crate::args::value;
use crate::commands::crud::{self, CrudCommand, Resource};
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliResult, Context, ErrorSubject};
use crate::input;
use crate::output::columns::CodeName;
use crate::output::{self, Format, Printer};

/// `plaspy users ...`
// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// list, get, create, update, patch, delete
    #[command(flatten)]
    Crud(CrudCommand<Users>),
    /// List the countries a user may be in (code and name)
    #[command(
        after_help = "Examples:\n  plaspy users countries\n  plaspy users countries --output json | jq -r .CO"
    )]
    Countries,
    /// List the time zones a user may be in (IANA id and name)
    #[command(after_help = "Examples:\n  plaspy users time-zones --output csv")]
    TimeZones,
}

/// Runs `plaspy users ...`.
pub fn run(ctx: &mut Ctx, command: UsersCommand) -> CliResult {
    match command {
        UsersCommand::Crud(command) => crud::run(ctx, command),
        UsersCommand::Countries => {
            let printer = ctx.printer(TABULAR)?;
            let countries = ctx
                .client()?
                .users()
                .countries()
                .context(ErrorSubject::Account, "listing countries")?;
            code_names(printer, &countries)
        }
        UsersCommand::TimeZones => {
            let printer = ctx.printer(TABULAR)?;
            let zones = ctx
                .client()?
                .users()
                .time_zones()
                .context(ErrorSubject::Account, "listing time zones")?;
            code_names(printer, &zones)
        }
    }
}

/// A code → name map: the map itself as JSON, one `{code, name}` per line or row otherwise.
fn code_names(printer: Printer, map: &BTreeMap<String, String>) -> CliResult {
    if printer.format == Format::Json {
        return printer.emit(|w| output::json(w, map));
    }
    let rows: Vec<CodeName> = map
        .iter()
        .map(|(code, name)| CodeName {
            code: code.clone(),
            name: name.clone(),
        })
        .collect();
    printer.list(&rows)
}

/// The fields of a user, as flags.
#[derive(Debug, Clone, Default, Args)]
pub struct UserFields {
    /// Full name
    #[arg(long)]
    pub name: Option<String>,
    /// E-mail address
    #[arg(long)]
    pub email: Option<String>,
    /// ISO 3166 alpha-2 country code (see `plaspy users countries`)
    #[arg(long, value_name = "CODE")]
    pub country: Option<String>,
    /// IANA time zone (see `plaspy users time-zones`)
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// A description
    #[arg(long)]
    pub description: Option<String>,
    /// A message shown to the user
    #[arg(long)]
    pub message: Option<String>,
    /// Whether the user is disabled
    #[arg(long, value_name = "BOOL")]
    pub disabled: Option<bool>,
    /// The message shown to a disabled user
    #[arg(long, value_name = "TEXT")]
    pub disabled_message: Option<String>,
    /// A tag KEY=VALUE (repeatable; replaces the user's tags)
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// A privilege name (repeatable; replaces the user's privileges)
    #[arg(long = "privilege", value_name = "NAME")]
    pub privileges: Vec<String>,
    /// The id of the group the user sees
    #[arg(long, value_name = "GROUP_ID")]
    pub group: Option<String>,
    /// The id of the device the user is bound to
    #[arg(long, value_name = "DEVICE_ID")]
    pub device_id: Option<String>,
    /// How many devices the user may administer
    #[arg(long, value_name = "N")]
    pub admin_devices: Option<i64>,
    /// Start of the user's validity (a time, as for `devices locations`)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true, value_parser = value::time_start)]
    pub from: Option<DateTime<Utc>>,
    /// End of the user's validity (a time, as for `devices locations`)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true, value_parser = value::time_start)]
    pub expires: Option<DateTime<Utc>>,
    /// The password to set (- reads it from the first line of stdin)
    #[arg(long, value_name = "PASSWORD|-")]
    pub password: Option<String>,
}

impl UserFields {
    /// Whether any field was given as a flag.
    fn given(&self) -> bool {
        self.name.is_some()
            || self.email.is_some()
            || self.country.is_some()
            || self.time_zone.is_some()
            || self.description.is_some()
            || self.message.is_some()
            || self.disabled.is_some()
            || self.disabled_message.is_some()
            || !self.tags.is_empty()
            || !self.privileges.is_empty()
            || self.group.is_some()
            || self.device_id.is_some()
            || self.admin_devices.is_some()
            || self.from.is_some()
            || self.expires.is_some()
            || self.password.is_some()
    }

    /// Sets the fields given as flags; the others stay as they are. `--password -` reads
    /// the password from stdin.
    fn apply(&self, input: &mut UserInput) -> CliResult {
        let set = |target: &mut String, value: &Option<String>| {
            if let Some(v) = value {
                *target = v.clone();
            }
        };
        set(&mut input.name, &self.name);
        set(&mut input.email, &self.email);
        set(&mut input.country, &self.country);
        set(&mut input.time_zone, &self.time_zone);
        let set_opt = |target: &mut Option<String>, value: &Option<String>| {
            if value.is_some() {
                target.clone_from(value);
            }
        };
        set_opt(&mut input.description, &self.description);
        set_opt(&mut input.message, &self.message);
        set_opt(&mut input.disabled_message, &self.disabled_message);
        set_opt(&mut input.group, &self.group);
        set_opt(&mut input.device_id, &self.device_id);
        if self.disabled.is_some() {
            input.disabled = self.disabled;
        }
        if self.admin_devices.is_some() {
            input.admin_devices = self.admin_devices;
        }
        if !self.tags.is_empty() {
            let mut tags = BTreeMap::new();
            for tag in &self.tags {
                let (key, value) = input::key_value(tag, "--tag")?;
                tags.insert(key.to_owned(), value.to_owned());
            }
            input.tags = Some(tags.into());
        }
        if !self.privileges.is_empty() {
            input.privileges = Some(self.privileges.clone());
        }
        if self.from.is_some() {
            input.from = self.from;
        }
        if self.expires.is_some() {
            input.expires = self.expires;
        }
        match self.password.as_deref() {
            Some("-") => input.password = Some(Secret::new(input::stdin_line("--password")?)),
            Some(password) => input.password = Some(Secret::new(password)),
            None => {}
        }
        Ok(())
    }

    /// `--password -` reads stdin.
    fn reads_stdin(&self) -> Option<&'static str> {
        (self.password.as_deref() == Some("-")).then_some("--password")
    }
}

/// The account's users.
#[derive(Debug)]
pub struct Users;

impl Resource for Users {
    const NOUN: &'static str = "user";
    const LIST_HELP: &'static str =
        "Examples:\n  plaspy users list\n  plaspy users list --output ndjson";
    const GET_HELP: &'static str = "Examples:\n  plaspy users get usr-1";
    const CREATE_HELP: &'static str = "\
Name, email, country and time zone are required.

Examples:
  plaspy users create --name 'Ana Ruiz' --email ana@example.com --country CO --time-zone America/Bogota
  printf '%s\\n' \"$PASSWORD\" | plaspy users create --json ana.json --password -";
    const UPDATE_HELP: &'static str = "\
Without --json, the user is fetched and only the given flags change. With --json, the
document replaces the user (flags still override its fields).

Examples:
  plaspy users update usr-1 --time-zone Europe/Madrid
  plaspy users update usr-1 --disabled true --disabled-message 'Contract ended'";
    const DELETE_HELP: &'static str = "Examples:\n  plaspy users delete usr-1";
    const CREATE_NEEDS: &'static str =
        "pass --name, --email, --country and --time-zone (or them in --json)";
    const UPDATE_NEEDS: &'static str = "pass flags such as --name or --email, or --json";

    type Model = User;
    type Input = UserInput;
    type CreateFields = UserFields;
    type UpdateFields = UserFields;

    fn subject(id: &str) -> ErrorSubject {
        ErrorSubject::User(id.to_owned())
    }
    fn list(client: &Client) -> plaspy_blocking::Result<Vec<User>> {
        client.users().list()
    }
    fn get(client: &Client, id: &str) -> plaspy_blocking::Result<User> {
        client.users().get(id)
    }
    fn create(client: &Client, input: &UserInput) -> plaspy_blocking::Result<User> {
        client.users().create(input)
    }
    fn update(client: &Client, id: &str, input: &UserInput) -> plaspy_blocking::Result<User> {
        client.users().update(id, input)
    }
    fn patch(
        client: &Client,
        id: &str,
        operations: &[PatchOperation],
    ) -> plaspy_blocking::Result<User> {
        client.users().patch(id, operations)
    }
    fn delete(client: &Client, id: &str) -> plaspy_blocking::Result<()> {
        client.users().delete(id)
    }
    fn to_input(model: &User) -> UserInput {
        model.to_input()
    }
    fn validate(input: &UserInput) -> plaspy_blocking::Result<()> {
        input.validate()
    }
    /// Never print a password, even if a server echoes one.
    fn shown(mut user: User) -> User {
        user.password = None;
        user
    }
    fn apply_create(input: &mut UserInput, fields: &UserFields) -> CliResult {
        fields.apply(input)
    }
    fn apply_update(input: &mut UserInput, fields: &UserFields) -> CliResult {
        fields.apply(input)
    }
    fn update_given(fields: &UserFields) -> bool {
        fields.given()
    }
    fn create_reads_stdin(fields: &UserFields) -> Option<&'static str> {
        fields.reads_stdin()
    }
    fn update_reads_stdin(fields: &UserFields) -> Option<&'static str> {
        fields.reads_stdin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_change_only_what_they_name() {
        let mut user = UserInput::new("Ana", "ana@example.com", "CO", "America/Bogota");
        let fields = UserFields {
            time_zone: Some("Europe/Madrid".into()),
            tags: vec!["team=north".into()],
            expires: Some(value::time_start("2030-01-01").unwrap()),
            ..Default::default()
        };
        assert!(fields.given() && !UserFields::default().given());
        Users::apply_update(&mut user, &fields).unwrap();
        assert_eq!(user.time_zone, "Europe/Madrid");
        assert_eq!(user.name, "Ana");
        assert_eq!(user.tags.unwrap()["team"], "north");
        assert_eq!(
            user.expires.unwrap().to_rfc3339(),
            "2030-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn a_password_is_never_shown() {
        let mut user = User::default();
        user.password = Some(Secret::new("hunter22"));
        assert!(Users::shown(user).password.is_none());
    }
}
