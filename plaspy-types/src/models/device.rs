use chrono::{DateTime, Utc};

use super::split::model;
use super::{Extra, TextMap};

model! {
    serde(rename_all = "camelCase");
    /// A tracked device (a GPS tracker in a vehicle), as listed by `GET /api/devices`.
    #[derive(Debug, Clone, Default, PartialEq)]
    #[non_exhaustive]
    pub struct Device {
        /// The device id (opaque; a number on the wire is kept as its text).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub id: Option<String>,
        /// The display name.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub name: Option<String>,
        /// A free-text description.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub description: Option<String>,
        /// The SIM's Mobile Identity Number (its phone number); needed for SMS commands.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub min: Option<String>,
        /// Free-form tags, name to value.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_map",
            skip_serializing_if = "Option::is_none"
        )]
        pub tags: Option<TextMap>,
        /// When the device's service line expires.
        #[serde(
            default,
            with = "crate::de::opt_datetime",
            skip_serializing_if = "Option::is_none"
        )]
        pub expires: Option<DateTime<Utc>>,
        /// Fields this SDK does not know yet, kept verbatim.
        #[serde(skip)]
        pub extra: Extra,
    }
}

impl Device {
    /// The id, or `""` when the server sent none.
    ///
    /// ```
    /// let device: plaspy_types::Device = serde_json::from_str(r#"{"id": "dev-01", "name": "Truck 7"}"#)?;
    /// assert_eq!(device.id(), "dev-01");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id(&self) -> &str {
        self.id.as_deref().unwrap_or_default()
    }

    /// The name, falling back to the id.
    ///
    /// ```
    /// let device: plaspy_types::Device = serde_json::from_str(r#"{"id": "dev-01", "name": "Truck 7"}"#)?;
    /// println!("{}", device.display_name());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| self.id())
    }
}
