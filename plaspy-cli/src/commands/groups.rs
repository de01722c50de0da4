//! `plaspy groups ...`: the CRUD commands ([`crud`]) over the account's groups of devices.

use clap::Args;
use plaspy_blocking::{Client, Group, GroupInput, PatchOperation};

use crate::commands::crud::{self, CrudCommand, Resource};
use crate::context::Ctx;
use crate::exit::{CliResult, ErrorSubject};

/// `plaspy groups ...`
pub type GroupsCommand = CrudCommand<Groups>;

/// Runs `plaspy groups ...`.
pub fn run(ctx: &mut Ctx, command: GroupsCommand) -> CliResult {
    crud::run(ctx, command)
}

/// The fields of a group, as flags.
#[derive(Debug, Clone, Default, Args)]
pub struct GroupFields {
    /// The group's name
    #[arg(long)]
    pub name: Option<String>,
    /// A description
    #[arg(long)]
    pub description: Option<String>,
    /// A device id (repeat for several); replaces the group's device list
    #[arg(long = "device", value_name = "ID")]
    pub devices: Vec<String>,
}

/// The flags of `groups update`: the fields, and changes to the device list.
#[derive(Debug, Clone, Default, Args)]
pub struct GroupUpdate {
    /// The fields to change
    #[command(flatten)]
    pub fields: GroupFields,
    /// Add a device id to the group's list (repeatable)
    #[arg(long, value_name = "ID")]
    pub add_device: Vec<String>,
    /// Remove a device id from the group's list (repeatable)
    #[arg(long, value_name = "ID")]
    pub remove_device: Vec<String>,
}

impl GroupFields {
    fn given(&self) -> bool {
        self.name.is_some() || self.description.is_some() || !self.devices.is_empty()
    }

    /// Sets the fields given as flags; the others stay as they are.
    fn apply(&self, input: &mut GroupInput) {
        if let Some(name) = &self.name {
            input.name = name.clone();
        }
        if let Some(description) = &self.description {
            input.description = Some(description.clone());
        }
        if !self.devices.is_empty() {
            input.devices = Some(self.devices.clone());
        }
    }
}

/// The account's groups.
#[derive(Debug)]
pub struct Groups;

impl Resource for Groups {
    const NOUN: &'static str = "group";
    const LIST_HELP: &'static str =
        "Examples:\n  plaspy groups list\n  plaspy groups list --output csv";
    const GET_HELP: &'static str = "Examples:\n  plaspy groups get grp-1";
    const CREATE_HELP: &'static str = "\
Examples:
  plaspy groups create --name 'North depot' --device dev-1 --device dev-2
  echo '{\"name\":\"South\",\"devices\":[\"dev-3\"]}' | plaspy groups create --json -";
    const UPDATE_HELP: &'static str = "\
Without --json, the group is fetched and only the given flags change. With --json, the
document replaces the group (flags still override its fields).

Examples:
  plaspy groups update grp-1 --description 'Night shift'
  plaspy groups update grp-1 --add-device dev-9 --remove-device dev-2
  plaspy groups get grp-1 --output json | jq '.name = \"Renamed\"' | plaspy groups update grp-1 --json -";
    const DELETE_HELP: &'static str = "Examples:\n  plaspy groups delete grp-1";
    const CREATE_NEEDS: &'static str = "pass --name (or a \"name\" in --json)";
    const UPDATE_NEEDS: &'static str =
        "pass --name, --description, --device, --add-device, --remove-device or --json";

    type Model = Group;
    type Input = GroupInput;
    type CreateFields = GroupFields;
    type UpdateFields = GroupUpdate;

    fn subject(id: &str) -> ErrorSubject {
        ErrorSubject::Group(id.to_owned())
    }
    fn list(client: &Client) -> plaspy_blocking::Result<Vec<Group>> {
        client.groups().list()
    }
    fn get(client: &Client, id: &str) -> plaspy_blocking::Result<Group> {
        client.groups().get(id)
    }
    fn create(client: &Client, input: &GroupInput) -> plaspy_blocking::Result<Group> {
        client.groups().create(input)
    }
    fn update(client: &Client, id: &str, input: &GroupInput) -> plaspy_blocking::Result<Group> {
        client.groups().update(id, input)
    }
    fn patch(
        client: &Client,
        id: &str,
        operations: &[PatchOperation],
    ) -> plaspy_blocking::Result<Group> {
        client.groups().patch(id, operations)
    }
    fn delete(client: &Client, id: &str) -> plaspy_blocking::Result<()> {
        client.groups().delete(id)
    }
    fn to_input(model: &Group) -> GroupInput {
        model.to_input()
    }
    fn validate(input: &GroupInput) -> plaspy_blocking::Result<()> {
        input.validate()
    }
    fn apply_create(input: &mut GroupInput, fields: &GroupFields) -> CliResult {
        fields.apply(input);
        Ok(())
    }
    fn apply_update(input: &mut GroupInput, update: &GroupUpdate) -> CliResult {
        update.fields.apply(input);
        if !update.add_device.is_empty() || !update.remove_device.is_empty() {
            let devices = input.devices.get_or_insert_with(Vec::new);
            for device in &update.add_device {
                if !devices.contains(device) {
                    devices.push(device.clone());
                }
            }
            devices.retain(|d| !update.remove_device.contains(d));
        }
        Ok(())
    }
    fn update_given(update: &GroupUpdate) -> bool {
        update.fields.given() || !update.add_device.is_empty() || !update.remove_device.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_change_only_what_they_name() {
        let mut input = GroupInput::new("North").description("keep").device("d1");
        let fields = GroupFields {
            name: Some("South".into()),
            ..Default::default()
        };
        Groups::apply_create(&mut input, &fields).unwrap();
        assert_eq!(input.name, "South");
        assert_eq!(input.description.as_deref(), Some("keep"));
        assert_eq!(input.devices, Some(vec!["d1".to_owned()]));

        let update = GroupUpdate {
            add_device: vec!["d2".into(), "d1".into()],
            remove_device: vec!["d1".into()],
            ..Default::default()
        };
        assert!(Groups::update_given(&update));
        assert!(!Groups::update_given(&GroupUpdate::default()));
        Groups::apply_update(&mut input, &update).unwrap();
        assert_eq!(input.devices, Some(vec!["d2".to_owned()]));
    }
}
