use chrono::{DateTime, SubsecRound, Utc};
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
    /// The positions between `from` and `to`, in any time zone (sent as UTC).
    ///
    /// ```
    /// use chrono::{FixedOffset, TimeZone};
    /// use plaspy_types::LocationsQuery;
    ///
    /// let paris = FixedOffset::east_opt(2 * 3600).unwrap();
    /// let query = LocationsQuery::new(
    ///     paris.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap(),
    ///     paris.with_ymd_and_hms(2024, 6, 1, 18, 0, 0).unwrap(),
    /// );
    /// assert_eq!(query.from.to_rfc3339(), "2024-06-01T06:00:00+00:00");
    /// ```
    pub fn new(from: impl Into<DateTime<Utc>>, to: impl Into<DateTime<Utc>>) -> Self {
        LocationsQuery {
            from: from.into().round_subsecs(3),
            to: to.into().round_subsecs(3),
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
    /// Every alert between `from` and `to`, in any time zone (sent as UTC); narrow it to
    /// one alert name with [`name`](Self::name).
    ///
    /// ```
    /// use chrono::{Duration, Local};
    /// use plaspy_types::AlertsQuery;
    ///
    /// let to = Local::now();
    /// let query = AlertsQuery::new(to - Duration::days(1), to).name("Speeding");
    /// assert_eq!(query.alert_name.as_deref(), Some("Speeding"));
    /// ```
    pub fn new(from: impl Into<DateTime<Utc>>, to: impl Into<DateTime<Utc>>) -> Self {
        AlertsQuery {
            from: from.into().round_subsecs(3),
            to: to.into().round_subsecs(3),
            alert_name: None,
        }
    }

    /// Only the alerts named `name` (as the server names them, e.g. `"Speeding"`); an empty
    /// name means every alert.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.alert_name = (!name.is_empty()).then_some(name);
        self
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

#[cfg(test)]
mod millisecond_tests {
    use super::*;

    /// A range built from a nanosecond clock goes out to the millisecond: a .NET server
    /// reads at most 7 fractional digits.
    #[test]
    fn query_ranges_are_rounded_to_the_millisecond() {
        let t: DateTime<Utc> = "2024-06-01T08:00:00.123456789Z".parse().unwrap();
        let q = LocationsQuery::new(t, t);
        let body = serde_json::to_value(&q).unwrap();
        assert_eq!(body["from"], "2024-06-01T08:00:00.123Z");
        let a = AlertsQuery::new(t, t);
        assert_eq!(
            serde_json::to_value(&a).unwrap()["to"],
            "2024-06-01T08:00:00.123Z"
        );
    }
}
