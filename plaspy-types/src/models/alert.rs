use chrono::{DateTime, Utc};

use super::Extra;
use super::split::model;

model! {
    serde(rename_all = "camelCase");
    /// An alert that fired for a device (speeding, ignition, low battery, zone, ...).
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct AlertEvent {
        /// When the alert fired (UTC).
        #[serde(with = "crate::de::datetime")]
        pub date_time: DateTime<Utc>,
        /// Latitude where it fired.
        #[serde(deserialize_with = "crate::de::number")]
        pub latitude: f64,
        /// Longitude where it fired.
        #[serde(deserialize_with = "crate::de::number")]
        pub longitude: f64,
        /// The alert's text.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub text: Option<String>,
        /// Channels it was notified on (`"Email"`, `"SMS"`, ...).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub notifications: Option<Vec<String>>,
        /// Names of the alerts that fired.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub alerts: Option<Vec<String>>,
        /// Fields this SDK does not know yet, kept verbatim.
        #[serde(skip)]
        pub extra: Extra,
    }
}

impl AlertEvent {
    /// An alert with only its required fields set.
    pub fn new(date_time: DateTime<Utc>, latitude: f64, longitude: f64) -> Self {
        AlertEvent {
            date_time,
            latitude,
            longitude,
            text: None,
            notifications: None,
            alerts: None,
            extra: Extra::default(),
        }
    }
}
