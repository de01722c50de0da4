//! `plaspy groups ...` and `plaspy users ...`.

use clap::{ArgGroup, Args, Subcommand};

/// A JSON document given as a file name, or `-` for stdin.
#[derive(Debug, Clone, Args)]
pub struct JsonArg {
    /// Read the fields from a JSON document (a file, or - for stdin); flags override its fields
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
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

/// `plaspy groups ...`
#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// List the groups
    #[command(after_help = "Examples:\n  plaspy groups list\n  plaspy groups list --output csv")]
    List,
    /// Show one group
    #[command(after_help = "Examples:\n  plaspy groups get grp-1")]
    Get {
        /// Group id
        id: String,
    },
    /// Create a group
    #[command(after_help = "\
Examples:
  plaspy groups create --name 'North depot' --device dev-1 --device dev-2
  echo '{\"name\":\"South\",\"devices\":[\"dev-3\"]}' | plaspy groups create --json -")]
    Create {
        /// The fields
        #[command(flatten)]
        fields: GroupFields,
        /// Or a JSON document
        #[command(flatten)]
        json: JsonArg,
    },
    /// Change a group: only the given flags (the rest is kept), or replace it with --json
    #[command(after_help = "\
Without --json, the group is fetched and only the given flags change. With --json, the
document replaces the group (flags still override its fields).

Examples:
  plaspy groups update grp-1 --description 'Night shift'
  plaspy groups update grp-1 --add-device dev-9 --remove-device dev-2
  plaspy groups get grp-1 --output json | jq '.name = \"Renamed\"' | plaspy groups update grp-1 --json -")]
    Update {
        /// Group id
        id: String,
        /// The fields to change
        #[command(flatten)]
        fields: GroupFields,
        /// Add a device id to the group's list (repeatable)
        #[arg(long, value_name = "ID")]
        add_device: Vec<String>,
        /// Remove a device id from the group's list (repeatable)
        #[arg(long, value_name = "ID")]
        remove_device: Vec<String>,
        /// Or a JSON document
        #[command(flatten)]
        json: JsonArg,
    },
    /// Apply JSON Patch operations to a group
    #[command(after_help = PATCH_AFTER_HELP)]
    Patch {
        /// Group id
        id: String,
        /// The operations
        #[command(flatten)]
        patch: PatchArgs,
    },
    /// Delete a group
    #[command(after_help = "Examples:\n  plaspy groups delete grp-1")]
    Delete {
        /// Group id
        id: String,
    },
}

const PATCH_AFTER_HELP: &str = "\
Operations come from --json (an RFC 6902 array) or from the shorthands, applied in this
order: the --json operations, then every --set (an `add`, which sets a member whether or
not it exists), then every --remove. A path without a leading / gets one. A --set value is
read as JSON when it parses (true, 12, [\"a\"], {\"k\":\"v\"}, \"12\"), else as a string.

Examples:
  plaspy groups patch grp-1 --set name='Night shift' --remove description
  plaspy users patch usr-1 --set disabled=true --set tags='{\"team\":\"north\"}'
  echo '[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"X\"}]' | plaspy groups patch grp-1 --json -";

/// JSON Patch operations: a document or shorthands.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("operations").required(true).multiple(true).args(["json", "set", "remove"])))]
pub struct PatchArgs {
    /// The operations as a JSON array (a file, or - for stdin)
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// Set PATH to VALUE (repeatable)
    #[arg(long, value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Remove PATH (repeatable)
    #[arg(long, value_name = "PATH")]
    pub remove: Vec<String>,
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
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// End of the user's validity (a time, as for `devices locations`)
    #[arg(long, value_name = "TIME")]
    pub expires: Option<String>,
    /// The password to set (- reads it from the first line of stdin)
    #[arg(long, value_name = "PASSWORD|-")]
    pub password: Option<String>,
}

/// `plaspy users ...`
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List the users
    #[command(after_help = "Examples:\n  plaspy users list\n  plaspy users list --output ndjson")]
    List,
    /// Show one user
    #[command(after_help = "Examples:\n  plaspy users get usr-1")]
    Get {
        /// User id
        id: String,
    },
    /// Create a user (name, email, country and time zone are required)
    #[command(after_help = "\
Examples:
  plaspy users create --name 'Ana Ruiz' --email ana@example.com --country CO --time-zone America/Bogota
  printf '%s\\n' \"$PASSWORD\" | plaspy users create --json ana.json --password -")]
    Create {
        /// The fields
        #[command(flatten)]
        fields: UserFields,
        /// Or a JSON document
        #[command(flatten)]
        json: JsonArg,
    },
    /// Change a user: only the given flags (the rest is kept), or replace it with --json
    #[command(after_help = "\
Without --json, the user is fetched and only the given flags change. With --json, the
document replaces the user (flags still override its fields).

Examples:
  plaspy users update usr-1 --time-zone Europe/Madrid
  plaspy users update usr-1 --disabled true --disabled-message 'Contract ended'")]
    Update {
        /// User id
        id: String,
        /// The fields to change
        #[command(flatten)]
        fields: UserFields,
        /// Or a JSON document
        #[command(flatten)]
        json: JsonArg,
    },
    /// Apply JSON Patch operations to a user
    #[command(after_help = PATCH_AFTER_HELP)]
    Patch {
        /// User id
        id: String,
        /// The operations
        #[command(flatten)]
        patch: PatchArgs,
    },
    /// Delete a user
    #[command(after_help = "Examples:\n  plaspy users delete usr-1")]
    Delete {
        /// User id
        id: String,
    },
    /// List the countries a user may be in (code and name)
    #[command(
        after_help = "Examples:\n  plaspy users countries\n  plaspy users countries --output json | jq -r .CO"
    )]
    Countries,
    /// List the time zones a user may be in (IANA id and name)
    #[command(after_help = "Examples:\n  plaspy users time-zones --output csv")]
    TimeZones,
}
