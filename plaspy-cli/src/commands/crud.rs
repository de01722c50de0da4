//! The CRUD commands every collection of the account shares — `list`, `get`, `create`,
//! `update`, `patch`, `delete` — written once over a [`Resource`] (groups, users).

use std::fmt::Debug;

use clap::{Args, Subcommand};
use plaspy_blocking::{Client, PatchOperation};
use serde::de::DeserializeOwned;

use crate::commands::patch::{self, PatchArgs};
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult, Context, ErrorSubject};
use crate::input;
use crate::output::Record;

/// A collection of the account that the CRUD commands manage: its models, its flags, its
/// calls and its help texts.
pub trait Resource: Debug + 'static {
    /// The item's name in messages: `group`.
    const NOUN: &'static str;
    /// Help of `list` (after the options; starts with its examples).
    const LIST_HELP: &'static str;
    /// Help of `get`.
    const GET_HELP: &'static str;
    /// Help of `create`.
    const CREATE_HELP: &'static str;
    /// Help of `update`.
    const UPDATE_HELP: &'static str;
    /// Help of `delete`.
    const DELETE_HELP: &'static str;
    /// What `create` says when the input is incomplete: which flags to pass.
    const CREATE_NEEDS: &'static str;
    /// What `update` says when given nothing to change: which flags to pass.
    const UPDATE_NEEDS: &'static str;

    /// The item as the API returns it.
    type Model: Record;
    /// The item as the API takes it (create, update).
    type Input: DeserializeOwned + Default;
    /// The flags of `create`.
    type CreateFields: Args + Clone + Debug;
    /// The flags of `update`.
    type UpdateFields: Args + Clone + Debug;

    /// What a failure on the item `id` is about.
    fn subject(id: &str) -> ErrorSubject;
    /// Lists the items.
    fn list(client: &Client) -> plaspy_blocking::Result<Vec<Self::Model>>;
    /// Gets one item.
    fn get(client: &Client, id: &str) -> plaspy_blocking::Result<Self::Model>;
    /// Creates an item.
    fn create(client: &Client, input: &Self::Input) -> plaspy_blocking::Result<Self::Model>;
    /// Replaces an item.
    fn update(
        client: &Client,
        id: &str,
        input: &Self::Input,
    ) -> plaspy_blocking::Result<Self::Model>;
    /// Applies JSON Patch operations to an item.
    fn patch(
        client: &Client,
        id: &str,
        operations: &[PatchOperation],
    ) -> plaspy_blocking::Result<Self::Model>;
    /// Deletes an item.
    fn delete(client: &Client, id: &str) -> plaspy_blocking::Result<()>;
    /// The input that recreates an item (read-modify-write).
    fn to_input(model: &Self::Model) -> Self::Input;
    /// Checks an input before it is sent.
    fn validate(input: &Self::Input) -> plaspy_blocking::Result<()>;
    /// The item as it may be shown (a user never with a password).
    fn shown(model: Self::Model) -> Self::Model {
        model
    }
    /// Sets what the `create` flags give; the rest stays.
    fn apply_create(input: &mut Self::Input, fields: &Self::CreateFields) -> CliResult;
    /// Sets what the `update` flags give; the rest stays.
    fn apply_update(input: &mut Self::Input, fields: &Self::UpdateFields) -> CliResult;
    /// Whether any `update` flag was given.
    fn update_given(fields: &Self::UpdateFields) -> bool;
    /// The flag, if any, that reads stdin in `create` (`--password -`).
    fn create_reads_stdin(_fields: &Self::CreateFields) -> Option<&'static str> {
        None
    }
    /// The flag, if any, that reads stdin in `update`.
    fn update_reads_stdin(_fields: &Self::UpdateFields) -> Option<&'static str> {
        None
    }
}

/// A JSON document given as a file name, or `-` for stdin.
#[derive(Debug, Clone, Args)]
pub struct JsonArg {
    /// Read the fields from a JSON document (a file, or - for stdin); flags override its fields
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
}

/// `plaspy groups|users list|get|create|update|patch|delete`.
#[derive(Debug, Subcommand)]
pub enum CrudCommand<R: Resource> {
    /// List them
    #[command(about = format!("List the {}s", R::NOUN), after_help = R::LIST_HELP)]
    List,
    /// Show one
    #[command(about = format!("Show one {}", R::NOUN), after_help = R::GET_HELP)]
    Get {
        /// Its id
        #[arg(help = format!("The {}'s id", R::NOUN))]
        id: String,
    },
    /// Create one
    #[command(about = format!("Create a {}", R::NOUN), after_help = R::CREATE_HELP)]
    Create {
        /// The fields
        #[command(flatten)]
        fields: R::CreateFields,
        /// Or a JSON document
        #[command(flatten)]
        json: JsonArg,
    },
    /// Change one: only the given flags (the rest is kept), or replace it with --json
    #[command(
        about = format!("Change a {}: only the given flags (the rest is kept), or replace it with --json", R::NOUN),
        after_help = R::UPDATE_HELP
    )]
    Update {
        /// Its id
        #[arg(help = format!("The {}'s id", R::NOUN))]
        id: String,
        /// The fields to change
        #[command(flatten)]
        fields: R::UpdateFields,
        /// Or a JSON document
        #[command(flatten)]
        json: JsonArg,
    },
    /// Apply JSON Patch operations to one
    #[command(about = format!("Apply JSON Patch operations to a {}", R::NOUN), after_help = patch::AFTER_HELP)]
    Patch {
        /// Its id
        #[arg(help = format!("The {}'s id", R::NOUN))]
        id: String,
        /// The operations
        #[command(flatten)]
        patch: PatchArgs,
    },
    /// Delete one
    #[command(about = format!("Delete a {}", R::NOUN), after_help = R::DELETE_HELP)]
    Delete {
        /// Its id
        #[arg(help = format!("The {}'s id", R::NOUN))]
        id: String,
    },
}

/// Runs one CRUD command on `R`.
pub fn run<R: Resource>(ctx: &mut Ctx, command: CrudCommand<R>) -> CliResult {
    let printer = ctx.printer(TABULAR)?;
    let noun = R::NOUN;
    match command {
        CrudCommand::List => {
            let items = R::list(&ctx.client()?)
                .context(ErrorSubject::Account, &format!("listing {noun}s"))?;
            let items: Vec<R::Model> = items.into_iter().map(R::shown).collect();
            printer.list(&items)
        }
        CrudCommand::Get { id } => {
            let item = R::get(&ctx.client()?, &id)
                .context(R::subject(&id), &format!("getting {noun} {id}"))?;
            printer.one(&R::shown(item))
        }
        CrudCommand::Create { fields, json } => {
            one_stdin_reader(json.json.as_deref(), R::create_reads_stdin(&fields))?;
            let mut input: R::Input = match &json.json {
                Some(source) => input::json_document(source, "--json")?,
                None => R::Input::default(),
            };
            R::apply_create(&mut input, &fields)?;
            R::validate(&input)
                .map_err(|e| CliError::usage(format!("{e}: {}", R::CREATE_NEEDS)))?;
            let created = R::create(&ctx.client()?, &input)
                .context(ErrorSubject::Account, &format!("creating the {noun}"))?;
            printer.one(&R::shown(created))
        }
        CrudCommand::Update { id, fields, json } => {
            if json.json.is_none() && !R::update_given(&fields) {
                return Err(CliError::usage(format!(
                    "nothing to change: {}",
                    R::UPDATE_NEEDS
                )));
            }
            one_stdin_reader(json.json.as_deref(), R::update_reads_stdin(&fields))?;
            let client = ctx.client()?;
            // Read-modify-write: without --json, start from the item as it is now.
            let mut input: R::Input = match &json.json {
                Some(source) => input::json_document(source, "--json")?,
                None => R::to_input(
                    &R::get(&client, &id)
                        .context(R::subject(&id), &format!("getting {noun} {id}"))?,
                ),
            };
            R::apply_update(&mut input, &fields)?;
            R::validate(&input).map_err(|e| CliError::usage(e.to_string()))?;
            let updated = R::update(&client, &id, &input)
                .context(R::subject(&id), &format!("updating {noun} {id}"))?;
            printer.one(&R::shown(updated))
        }
        CrudCommand::Patch { id, patch } => {
            let operations = patch::operations(&patch)?;
            let patched = R::patch(&ctx.client()?, &id, &operations)
                .context(R::subject(&id), &format!("patching {noun} {id}"))?;
            printer.one(&R::shown(patched))
        }
        CrudCommand::Delete { id } => {
            R::delete(&ctx.client()?, &id)
                .context(R::subject(&id), &format!("deleting {noun} {id}"))?;
            ctx.note(&format!("deleted {noun} {id}"));
            Ok(())
        }
    }
}

/// Refuses `--json -` together with another flag that reads stdin.
fn one_stdin_reader(json: Option<&str>, other: Option<&str>) -> CliResult {
    match (json, other) {
        (Some("-"), Some(flag)) => Err(CliError::usage(format!(
            "--json - and {flag} - cannot both read stdin: put the JSON in a file"
        ))),
        _ => Ok(()),
    }
}
