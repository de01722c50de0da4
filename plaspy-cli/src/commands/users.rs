//! `plaspy users ...`: list, get, create, update, patch, delete, countries, time zones.

use plaspy_blocking::{User, UserInput};

use crate::cli::UsersCommand;
use crate::commands::edit;
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult, Context};
use crate::input;
use crate::output::columns::CodeName;
use crate::output::{self, Format, Printer};

/// Runs `plaspy users ...`.
pub fn run(ctx: &mut Ctx, command: UsersCommand) -> CliResult {
    let printer = ctx.printer(TABULAR)?;
    match command {
        UsersCommand::List => {
            let users: Vec<User> = ctx.client()?.users().list().context("listing users")?;
            printer.list(&users.into_iter().map(without_password).collect::<Vec<_>>())
        }
        UsersCommand::Get { id } => {
            let user = ctx
                .client()?
                .users()
                .get(&id)
                .context(&format!("getting user {id}"))?;
            printer.one(&without_password(user))
        }
        UsersCommand::Create { fields, json } => {
            reject_two_stdin_readers(json.json.as_deref(), fields.password.as_deref())?;
            let mut user: UserInput = match &json.json {
                Some(source) => input::json_document(source, "--json")?,
                None => UserInput::default(),
            };
            edit::apply_user_fields(&mut user, &fields)?;
            user.validate().map_err(|e| {
                CliError::usage(format!(
                    "{e}: pass --name, --email, --country and --time-zone (or them in --json)"
                ))
            })?;
            let created = ctx
                .client()?
                .users()
                .create(&user)
                .context("creating the user")?;
            printer.one(&without_password(created))
        }
        UsersCommand::Update { id, fields, json } => {
            if json.json.is_none() && !edit::user_fields_given(&fields) {
                return Err(CliError::usage(
                    "nothing to change: pass flags such as --name or --email, or --json",
                ));
            }
            reject_two_stdin_readers(json.json.as_deref(), fields.password.as_deref())?;
            let client = ctx.client()?;
            // Read-modify-write: without --json, start from the user as it is now.
            let mut user: UserInput = match &json.json {
                Some(source) => input::json_document(source, "--json")?,
                None => client
                    .users()
                    .get(&id)
                    .context(&format!("getting user {id}"))?
                    .to_input(),
            };
            edit::apply_user_fields(&mut user, &fields)?;
            user.validate()
                .map_err(|e| CliError::usage(e.to_string()))?;
            let updated = client
                .users()
                .update(&id, &user)
                .context(&format!("updating user {id}"))?;
            printer.one(&without_password(updated))
        }
        UsersCommand::Patch { id, patch } => {
            let operations = edit::patch_operations(&patch)?;
            let patched = ctx
                .client()?
                .users()
                .patch(&id, &operations)
                .context(&format!("patching user {id}"))?;
            printer.one(&without_password(patched))
        }
        UsersCommand::Delete { id } => {
            ctx.client()?
                .users()
                .delete(&id)
                .context(&format!("deleting user {id}"))?;
            ctx.note(&format!("deleted user {id}"));
            Ok(())
        }
        UsersCommand::Countries => {
            let countries = ctx
                .client()?
                .users()
                .countries()
                .context("listing countries")?;
            code_names(printer, &countries)
        }
        UsersCommand::TimeZones => {
            let zones = ctx
                .client()?
                .users()
                .time_zones()
                .context("listing time zones")?;
            code_names(printer, &zones)
        }
    }
}

/// Never print a password, even if a server echoes one.
fn without_password(mut user: User) -> User {
    user.password = None;
    user
}

fn reject_two_stdin_readers(json: Option<&str>, password: Option<&str>) -> CliResult {
    if json == Some("-") && password == Some("-") {
        return Err(CliError::usage(
            "--json - and --password - cannot both read stdin: put the JSON in a file",
        ));
    }
    Ok(())
}

/// A code → name map: the map itself as JSON, one `{code, name}` per line or row otherwise.
fn code_names(printer: Printer, map: &std::collections::BTreeMap<String, String>) -> CliResult {
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
