use chrono::{DateTime, Utc};

use super::split::model;
use super::{Extra, TextMap};

model! {
    serde(rename_all = "camelCase");
    /// One position fix of a device, with the sensor readings that came with it.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct Location {
        /// When the fix was taken (UTC).
        #[serde(with = "crate::de::datetime")]
        pub date_time: DateTime<Utc>,
        /// Latitude in decimal degrees.
        #[serde(deserialize_with = "crate::de::number")]
        pub latitude: f64,
        /// Longitude in decimal degrees.
        #[serde(deserialize_with = "crate::de::number")]
        pub longitude: f64,
        /// Speed (km/h).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_number",
            skip_serializing_if = "Option::is_none"
        )]
        pub speed: Option<f64>,
        /// Heading in degrees (0 = north, clockwise).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_number",
            skip_serializing_if = "Option::is_none"
        )]
        pub course: Option<f64>,
        /// Battery level.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub battery: Option<i64>,
        /// Fuel level (first tank or sensor).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub fuel: Option<i64>,
        /// Fuel level (second tank or sensor).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub fuel2: Option<i64>,
        /// Temperature (first sensor).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_number",
            skip_serializing_if = "Option::is_none"
        )]
        pub temperature: Option<f64>,
        /// Temperature (second sensor).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_number",
            skip_serializing_if = "Option::is_none"
        )]
        pub temperature2: Option<f64>,
        /// Timer of sensor 1.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub sensor_time1: Option<i64>,
        /// Timer of sensor 2.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub sensor_time2: Option<i64>,
        /// Timer of sensor 3.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub sensor_time3: Option<i64>,
        /// Timer of sensor 4.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub sensor_time4: Option<i64>,
        /// Seconds the device has been inactive (parked).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub inactive_seconds: Option<i64>,
        /// Engine revolutions per minute.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub rpm: Option<i64>,
        /// Odometer reading. The wire name is `milleage` (sic).
        #[serde(
            rename = "milleage",
            default,
            deserialize_with = "crate::de::opt_number",
            skip_serializing_if = "Option::is_none"
        )]
        pub mileage: Option<f64>,
        /// Warning texts.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub warning_texts: Option<Vec<String>>,
        /// Alert texts.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub alert_texts: Option<Vec<String>>,
        /// Names of the alerts active at this fix.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub alerts: Option<Vec<String>>,
        /// Names of the warnings active at this fix.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub warnings: Option<Vec<String>>,
        /// Whether a critical alert is active.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub has_critical_alert: Option<bool>,
        /// Extra attributes reported by the tracker, name to value.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_map",
            skip_serializing_if = "Option::is_none"
        )]
        pub attributes: Option<TextMap>,
        /// Attributes of attached accessories, one map per accessory.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_map_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub accessories_attributes: Option<Vec<TextMap>>,
        /// Digital input states (e.g. input 0 is often the ignition).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_bool_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub inputs: Option<Vec<bool>>,
        /// Digital output states.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_bool_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub outputs: Option<Vec<bool>>,
        /// Fields this SDK does not know yet, kept verbatim.
        #[serde(skip)]
        pub extra: Extra,
    }
}

impl Location {
    /// A fix with only its required fields set; `date_time` in any time zone.
    ///
    /// ```
    /// let fix = plaspy_types::Location::new("2024-06-01T08:00:00Z".parse::<chrono::DateTime<chrono::Utc>>()?, 4.65, -74.05);
    /// assert_eq!(fix.speed, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(date_time: impl Into<DateTime<Utc>>, latitude: f64, longitude: f64) -> Self {
        Location {
            date_time: date_time.into(),
            latitude,
            longitude,
            speed: None,
            course: None,
            battery: None,
            fuel: None,
            fuel2: None,
            temperature: None,
            temperature2: None,
            sensor_time1: None,
            sensor_time2: None,
            sensor_time3: None,
            sensor_time4: None,
            inactive_seconds: None,
            rpm: None,
            mileage: None,
            warning_texts: None,
            alert_texts: None,
            alerts: None,
            warnings: None,
            has_critical_alert: None,
            attributes: None,
            accessories_attributes: None,
            inputs: None,
            outputs: None,
            extra: Extra::new(),
        }
    }
}
