use chrono::{DateTime, Utc};

use super::Extra;
use super::split::model;
use crate::error::{Error, Result};

model! {
    serde(rename_all = "camelCase");
    /// A group of devices.
    #[derive(Debug, Clone, Default, PartialEq)]
    #[non_exhaustive]
    pub struct Group {
        /// The group id (opaque; a number on the wire is kept as its text).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub id: Option<String>,
        /// The group's name (required by the API).
        #[serde(default, deserialize_with = "crate::de::text")]
        pub name: String,
        /// A free-text description.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub description: Option<String>,
        /// Ids of the devices in the group.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub devices: Option<Vec<String>>,
        /// When the group was created (set by the server).
        #[serde(
            default,
            with = "crate::de::opt_datetime",
            skip_serializing_if = "Option::is_none"
        )]
        pub creation: Option<DateTime<Utc>>,
        /// When the group was last changed (set by the server).
        #[serde(
            default,
            with = "crate::de::opt_datetime",
            skip_serializing_if = "Option::is_none"
        )]
        pub last_modified: Option<DateTime<Utc>>,
        /// Fields this SDK does not know yet, kept verbatim.
        #[serde(skip)]
        pub extra: Extra,
    }
}

impl Group {
    /// The id, or `""` when the server sent none.
    ///
    /// ```
    /// let group: plaspy_types::Group = serde_json::from_str(r#"{"id": "grp-1", "name": "North"}"#)?;
    /// assert_eq!(group.id(), "grp-1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id(&self) -> &str {
        self.id.as_deref().unwrap_or_default()
    }

    /// The writable part of this group, for an update.
    ///
    /// ```
    /// use plaspy_types::{Group, GroupInput};
    ///
    /// let group: Group = serde_json::from_str(r#"{"id": "grp-1", "name": "North", "devices": ["dev-01"]}"#)?;
    /// let input: GroupInput = group.to_input().description("Bogotá north");
    /// assert_eq!(input.name, "North");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_input(&self) -> GroupInput {
        GroupInput {
            name: self.name.clone(),
            description: self.description.clone(),
            devices: self.devices.clone(),
            extra: self.extra.clone(),
        }
    }
}

model! {
    serde(rename_all = "camelCase");
    /// Body of `POST /api/groups` and `PUT /api/groups/{id}`.
    ///
    /// ```
    /// use plaspy_types::GroupInput;
    /// let input = GroupInput::new("North depot").description("Trucks based north").device("dev-1");
    /// assert!(input.validate().is_ok());
    /// assert!(GroupInput::new(" ").validate().is_err());
    /// ```
    #[derive(Debug, Clone, Default, PartialEq)]
    #[non_exhaustive]
    pub struct GroupInput {
        /// The group's name; required, not empty.
        #[serde(default, deserialize_with = "crate::de::text")]
        pub name: String,
        /// A free-text description.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub description: Option<String>,
        /// Ids of the devices in the group.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub devices: Option<Vec<String>>,
        /// Further fields to send as they are.
        #[serde(skip)]
        pub extra: Extra,
    }
}

impl GroupInput {
    /// A group with this name.
    ///
    /// ```
    /// let input = plaspy_types::GroupInput::new("Night shift");
    /// assert!(input.validate().is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        GroupInput {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Sets the description.
    ///
    /// ```
    /// let input = plaspy_types::GroupInput::new("Night shift").description("22:00 to 06:00");
    /// assert_eq!(input.description.as_deref(), Some("22:00 to 06:00"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Adds a device id.
    ///
    /// ```
    /// let input = plaspy_types::GroupInput::new("Pair").device("dev-01").device("dev-02");
    /// assert_eq!(input.devices, Some(vec!["dev-01".into(), "dev-02".into()]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn device(mut self, id: impl Into<String>) -> Self {
        self.devices.get_or_insert_with(Vec::new).push(id.into());
        self
    }

    /// Checks the name is not empty.
    ///
    /// ```
    /// assert!(plaspy_types::GroupInput::new(" ").validate().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid_input("a group needs a non-empty name"));
        }
        Ok(())
    }
}
