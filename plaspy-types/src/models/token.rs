use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Extra;
use super::split::model;
use crate::secret::{Credentials, Secret};

/// Body of `POST /api/Auth/Token`. Redacts the API key in `Debug`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequest {
    /// The account's user name.
    pub user_name: String,
    /// The account's API key.
    pub api_key: Secret,
}

impl From<&Credentials> for TokenRequest {
    fn from(c: &Credentials) -> Self {
        TokenRequest {
            user_name: c.username.clone(),
            api_key: c.api_key.clone(),
        }
    }
}

model! {
    serde(rename_all = "camelCase");
    /// Payload of the token response: a bearer token and when it expires.
    #[derive(Debug, Clone, PartialEq)]
    pub struct TokenResponse {
        /// The JWT to send as `Authorization: Bearer ...`. Redacted in `Debug`.
        pub token: Secret,
        /// When the token expires (server time).
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
