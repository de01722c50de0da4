//! `plaspy groups ...`: list, get, create, update, patch, delete.

use plaspy_blocking::GroupInput;

use crate::cli::GroupsCommand;
use crate::commands::edit;
use crate::context::{Ctx, TABULAR};
use crate::exit::{CliError, CliResult, Context};
use crate::input;

/// Runs `plaspy groups ...`.
pub fn run(ctx: &mut Ctx, command: GroupsCommand) -> CliResult {
    let printer = ctx.printer(TABULAR)?;
    match command {
        GroupsCommand::List => {
            let groups = ctx.client()?.groups().list().context("listing groups")?;
            printer.list(&groups)
        }
        GroupsCommand::Get { id } => {
            let group = ctx
                .client()?
                .groups()
                .get(&id)
                .context(&format!("getting group {id}"))?;
            printer.one(&group)
        }
        GroupsCommand::Create { fields, json } => {
            let mut group: GroupInput = match &json.json {
                Some(source) => input::json_document(source, "--json")?,
                None => GroupInput::default(),
            };
            edit::apply_group_fields(&mut group, &fields);
            group.validate().map_err(|e| {
                CliError::usage(format!("{e}: pass --name (or a \"name\" in --json)"))
            })?;
            let created = ctx
                .client()?
                .groups()
                .create(&group)
                .context("creating the group")?;
            printer.one(&created)
        }
        GroupsCommand::Update {
            id,
            fields,
            add_device,
            remove_device,
            json,
        } => {
            let changes = edit::group_fields_given(&fields)
                || !add_device.is_empty()
                || !remove_device.is_empty();
            if json.json.is_none() && !changes {
                return Err(CliError::usage(
                    "nothing to change: pass --name, --description, --device, --add-device, --remove-device or --json",
                ));
            }
            let client = ctx.client()?;
            // Read-modify-write: without --json, start from the group as it is now.
            let mut group: GroupInput = match &json.json {
                Some(source) => input::json_document(source, "--json")?,
                None => client
                    .groups()
                    .get(&id)
                    .context(&format!("getting group {id}"))?
                    .to_input(),
            };
            edit::apply_group_fields(&mut group, &fields);
            if !add_device.is_empty() || !remove_device.is_empty() {
                let devices = group.devices.get_or_insert_with(Vec::new);
                for device in add_device {
                    if !devices.contains(&device) {
                        devices.push(device);
                    }
                }
                devices.retain(|d| !remove_device.contains(d));
            }
            group
                .validate()
                .map_err(|e| CliError::usage(e.to_string()))?;
            let updated = client
                .groups()
                .update(&id, &group)
                .context(&format!("updating group {id}"))?;
            printer.one(&updated)
        }
        GroupsCommand::Patch { id, patch } => {
            let operations = edit::patch_operations(&patch)?;
            let patched = ctx
                .client()?
                .groups()
                .patch(&id, &operations)
                .context(&format!("patching group {id}"))?;
            printer.one(&patched)
        }
        GroupsCommand::Delete { id } => {
            ctx.client()?
                .groups()
                .delete(&id)
                .context(&format!("deleting group {id}"))?;
            ctx.note(&format!("deleted group {id}"));
            Ok(())
        }
    }
}
