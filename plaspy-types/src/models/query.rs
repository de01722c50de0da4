use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Location;
use crate::error::{Error, Result};

/// Body of `POST /api/devices/{id}/locations`: the positions between `from` and `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationsQuery {
    /// Start of the range (inclusive).
    #[serde(with = "crate::de::datetime")]
    pub from: DateTime<Utc>,
    /// End of the range (inclusive).
    #[serde(with = "crate::de::datetime")]
    pub to: DateTime<Utc>,
    /// An optional location filter; sent only when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl LocationsQuery {
    /// The positions between `from` and `to`.
    ///
    /// ```
    /// use chrono::{Duration, Utc};
    ///
    /// let to = Utc::now();
    /// let query = plaspy_types::LocationsQuery::new(to - Duration::hours(6), to);
    /// assert!(query.validate().is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        LocationsQuery {
            from,
            to,
            location: None,
        }
    }

    /// Checks that `from` is not after `to`.
    ///
    /// ```
    /// use chrono::{Duration, Utc};
    ///
    /// let now = Utc::now();
    /// let reversed = plaspy_types::LocationsQuery::new(now, now - Duration::hours(1));
    /// assert!(reversed.validate().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        check_range(self.from, self.to)
    }
}

/// Body of `POST /api/devices/{id}/alerts`: the alerts between `from` and `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertsQuery {
    /// Start of the range (inclusive).
    #[serde(with = "crate::de::datetime")]
    pub from: DateTime<Utc>,
    /// End of the range (inclusive).
    #[serde(with = "crate::de::datetime")]
    pub to: DateTime<Utc>,
    /// Only alerts with this name, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_name: Option<String>,
}

impl AlertsQuery {
    /// The alerts between `from` and `to`, optionally only those named `alert_name`.
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>, alert_name: Option<String>) -> Self {
        AlertsQuery {
            from,
            to,
            alert_name: alert_name.filter(|n| !n.is_empty()),
        }
    }

    /// Checks that `from` is not after `to`.
    pub fn validate(&self) -> Result<()> {
        check_range(self.from, self.to)
    }
}

fn check_range(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<()> {
    if from > to {
        return Err(Error::invalid_input(format!(
            "the range starts after it ends (from {} > to {})",
            crate::de::format_datetime(&from),
            crate::de::format_datetime(&to)
        )));
    }
    Ok(())
}
