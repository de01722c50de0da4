use chrono::{DateTime, Utc};

use super::split::model;
use super::{Extra, TextMap};
use crate::error::{Error, Result};
use crate::secret::Secret;

model! {
    serde(rename_all = "camelCase");
    /// A user of the Plaspy account.
    #[derive(Debug, Clone, Default, PartialEq)]
    #[non_exhaustive]
    pub struct User {
        /// The user id (opaque; a number on the wire is kept as its text).
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub id: Option<String>,
        /// Full name (required by the API).
        #[serde(default, deserialize_with = "crate::de::text")]
        pub name: String,
        /// E-mail address (required by the API; unique).
        #[serde(default, deserialize_with = "crate::de::text")]
        pub email: String,
        /// ISO 3166 alpha-2 country code (required by the API).
        #[serde(default, deserialize_with = "crate::de::text")]
        pub country: String,
        /// IANA time-zone id (required by the API).
        #[serde(default, deserialize_with = "crate::de::text")]
        pub time_zone: String,
        /// A free-text description.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub description: Option<String>,
        /// A message shown to the user.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub message: Option<String>,
        /// Whether the user is disabled.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub disabled: Option<bool>,
        /// The message shown to a disabled user.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub disabled_message: Option<String>,
        /// Free-form tags, name to value.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_map",
            skip_serializing_if = "Option::is_none"
        )]
        pub tags: Option<TextMap>,
        /// Privilege names.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text_list",
            skip_serializing_if = "Option::is_none"
        )]
        pub privileges: Option<Vec<String>>,
        /// The id of the group the user sees.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub group: Option<String>,
        /// The id of the device the user is bound to.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_text",
            skip_serializing_if = "Option::is_none"
        )]
        pub device_id: Option<String>,
        /// How many devices the user may administer.
        #[serde(
            default,
            deserialize_with = "crate::de::opt_int",
            skip_serializing_if = "Option::is_none"
        )]
        pub admin_devices: Option<i64>,
        /// Start of the user's validity.
        #[serde(
            default,
            with = "crate::de::opt_datetime",
            skip_serializing_if = "Option::is_none"
        )]
        pub from: Option<DateTime<Utc>>,
        /// End of the user's validity.
        #[serde(
            default,
            with = "crate::de::opt_datetime",
            skip_serializing_if = "Option::is_none"
        )]
        pub expires: Option<DateTime<Utc>>,
        /// Password; responses carry `null` (write-only). Redacted in `Debug`, and never written
        /// back out (send a new one through [`UserInput::password`]).
        #[serde(default, skip_serializing)]
        pub password: Option<Secret>,
        /// When the user was created (set by the server).
        #[serde(
            default,
            with = "crate::de::opt_datetime",
            skip_serializing_if = "Option::is_none"
        )]
        pub creation: Option<DateTime<Utc>>,
        /// When the user was last changed (set by the server).
        #[serde(
            default,
            with = "crate::de::opt_datetime",
            skip_serializing_if = "Option::is_none"
        )]
        pub modification: Option<DateTime<Utc>>,
        /// When the user last logged in (set by the server).
        #[serde(
            default,
            with = "crate::de::opt_datetime",
            skip_serializing_if = "Option::is_none"
        )]
        pub last_login: Option<DateTime<Utc>>,
        /// Fields this SDK does not know yet, kept verbatim.
        #[serde(skip)]
        pub extra: Extra,
    }
}

impl User {
    /// The id, or `""` when the server sent none.
    ///
    /// ```
    /// let user: plaspy_types::User = serde_json::from_str(r#"{"id": "usr-1", "name": "Ana", "email": "ana@example.com", "country": "CO", "timeZone": "America/Bogota"}"#)?;
    /// assert_eq!(user.id(), "usr-1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id(&self) -> &str {
        self.id.as_deref().unwrap_or_default()
    }

    /// The writable part of this user, for an update (server-set dates left out).
    ///
    /// ```
    /// let user: plaspy_types::User = serde_json::from_str(r#"{"id": "usr-1", "name": "Ana", "email": "ana@example.com", "country": "CO", "timeZone": "America/Bogota"}"#)?;
    /// let mut input = user.to_input();
    /// input.name = "Ana Ruiz".into(); // then `client.users().update("usr-1", &input)`
    /// assert!(input.validate().is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_input(&self) -> UserInput {
        UserInput {
            name: self.name.clone(),
            email: self.email.clone(),
            country: self.country.clone(),
            time_zone: self.time_zone.clone(),
            description: self.description.clone(),
            message: self.message.clone(),
            disabled: self.disabled,
            disabled_message: self.disabled_message.clone(),
            tags: self.tags.clone(),
            privileges: self.privileges.clone(),
            group: self.group.clone(),
            device_id: self.device_id.clone(),
            admin_devices: self.admin_devices,
            from: self.from,
            expires: self.expires,
            password: None,
            extra: self.extra.clone(),
        }
    }
}

model! {
    serde(rename_all = "camelCase");
    /// Body of `POST /api/users` and `PUT /api/users/{id}`.
    ///
    /// ```
    /// use plaspy_types::UserInput;
    /// let input = UserInput::new("Ana Ruiz", "ana@example.com", "CO", "America/Bogota");
    /// assert!(input.validate().is_ok());
    /// ```
    #[derive(Debug, Clone, Default, PartialEq)]
    #[non_exhaustive]
    pub struct UserInput {
        /// Full name; required.
        #[serde(default, deserialize_with = "crate::de::text")]
        pub name: String,
        /// E-mail address; required, unique.
        #[serde(default, deserialize_with = "crate::de::text")]
        pub email: String,
        /// ISO 3166 alpha-2 country code; required.
        #[serde(default, deserialize_with = "crate::de::text")]
        pub country: String,
        /// IANA time-zone id; required.
        #[serde(default, deserialize_with = "crate::de::text")]
        pub time_zone: String,
        /// A free-text description.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        /// A message shown to the user.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
        /// Whether the user is disabled.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub disabled: Option<bool>,
        /// The message shown to a disabled user.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub disabled_message: Option<String>,
        /// Free-form tags, name to value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tags: Option<TextMap>,
        /// Privilege names.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub privileges: Option<Vec<String>>,
        /// The id of the group the user sees.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub group: Option<String>,
        /// The id of the device the user is bound to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub device_id: Option<String>,
        /// How many devices the user may administer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub admin_devices: Option<i64>,
        /// Start of the user's validity.
        #[serde(
            default,
            with = "crate::de::opt_datetime",
            skip_serializing_if = "Option::is_none"
        )]
        pub from: Option<DateTime<Utc>>,
        /// End of the user's validity.
        #[serde(
            default,
            with = "crate::de::opt_datetime",
            skip_serializing_if = "Option::is_none"
        )]
        pub expires: Option<DateTime<Utc>>,
        /// Password to set. Redacted in `Debug`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub password: Option<Secret>,
        /// Further fields to send as they are.
        #[serde(skip)]
        pub extra: Extra,
    }
}

impl UserInput {
    /// A user with the four required fields.
    ///
    /// ```
    /// let input = plaspy_types::UserInput::new("Ana Ruiz", "ana@example.com", "CO", "America/Bogota");
    /// assert!(input.validate().is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        name: impl Into<String>,
        email: impl Into<String>,
        country: impl Into<String>,
        time_zone: impl Into<String>,
    ) -> Self {
        UserInput {
            name: name.into(),
            email: email.into(),
            country: country.into(),
            time_zone: time_zone.into(),
            ..Default::default()
        }
    }

    /// Checks the required fields are present and the e-mail looks like one.
    ///
    /// ```
    /// let input = plaspy_types::UserInput::new("Ana Ruiz", "not an e-mail", "CO", "America/Bogota");
    /// assert!(input.validate().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        for (field, value) in [
            ("name", &self.name),
            ("email", &self.email),
            ("country", &self.country),
            ("timeZone", &self.time_zone),
        ] {
            if value.trim().is_empty() {
                return Err(Error::invalid_input(format!(
                    "a user needs a non-empty `{field}`"
                )));
            }
        }
        if !self.email.contains('@') {
            return Err(Error::invalid_input(format!(
                "`{}` is not an e-mail address",
                self.email
            )));
        }
        Ok(())
    }
}
