//! Arguments several commands share, parsed by clap into typed values: times, durations,
//! speeds and time zones ([`value`]), a time range ([`RangeArgs`]) and a device selection
//! ([`SelectionArgs`]). A value that does not parse is a usage error (exit 2) on one line,
//! naming the option, before any request.

use chrono::{DateTime, TimeDelta, Utc};
use clap::{ArgGroup, Args};
use plaspy_blocking::history::HistoryLimits;
use plaspy_blocking::{Client, Device};
use plaspy_fleet::DeviceSelection;

use crate::exit::{CliError, CliResult, Context, ErrorSubject};

/// How times are read: the text shown in the help of commands that take a range.
macro_rules! time_help {
    () => {
        "Times (--from, --to, --since) accept:
  RFC 3339        2024-06-01T08:00:00Z, 2024-06-01T10:00:00+02:00
  no offset       2024-06-01T08:00, 2024-06-01 08:00:00   read as UTC
  plain date      2024-06-01   as --from: 00:00:00 UTC that day;
                               as --to: the end of that day (23:59:59.999 UTC)
  relative        30m, 24h, 2d, 1w, 1h30m (also \"2d ago\"): that long before now
                  units: s seconds, m minutes, h hours, d days, w weeks
  keywords        now, today, yesterday (today/yesterday behave like plain dates)
  Unix time       @1717228800
--since X is --from X --to now; --to defaults to now. Times are shown in UTC."
    };
}
pub(crate) use time_help;

/// clap value parsers: each reads one option's text into its type, or says in one line
/// why it cannot (clap adds the option's name).
pub mod value {
    use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

    use crate::time::{self, Bound};

    /// A duration: `30m`, `24h`, `2d`, `1w`, `1h30m`.
    pub fn duration(text: &str) -> Result<TimeDelta, String> {
        time::parse_duration(text)
    }

    /// A duration longer than zero, as a `std` duration.
    pub fn positive_duration(text: &str) -> Result<std::time::Duration, String> {
        duration(text)?
            .to_std()
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| format!("`{text}` must be longer than zero"))
    }

    /// A time as the start of a range (a plain date is its midnight UTC), relative to now.
    pub fn time_start(text: &str) -> Result<DateTime<Utc>, String> {
        time::parse_time(text, Utc::now(), Bound::Start)
    }

    /// A time as the end of a range (a plain date is the end of that day), relative to
    /// now.
    pub fn time_end(text: &str) -> Result<DateTime<Utc>, String> {
        time::parse_time(text, Utc::now(), Bound::End)
    }

    /// A speed in km/h: a finite number, 0 or more.
    pub fn speed_kmh(text: &str) -> Result<f64, String> {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("`{text}` is not a speed of 0 km/h or more"))
    }

    /// The zone whose days a summary counts.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub enum Zone {
        /// A fixed offset (UTC included).
        Offset(FixedOffset),
        /// An IANA zone, daylight saving time included.
        Named(chrono_tz::Tz),
    }

    /// `UTC`/`Z`, an IANA name such as `America/Bogota` (any case), or a fixed offset such
    /// as `-05:00` / `+0530`.
    pub fn zone(text: &str) -> Result<Zone, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") {
            return Ok(Zone::Offset(FixedOffset::east_opt(0).expect("zero offset")));
        }
        if let Ok(offset) = t.parse::<FixedOffset>() {
            return Ok(Zone::Offset(offset));
        }
        t.parse::<chrono_tz::Tz>()
            .or_else(|_| chrono_tz::Tz::from_str_insensitive(t))
            .map(Zone::Named)
            .map_err(|_| {
                format!(
                    "`{t}` is not a time zone: use UTC, an IANA name such as America/Bogota, or an offset such as -05:00"
                )
            })
    }
}

/// A time range: `--from T [--to T]` or `--since D`, and the longest range accepted.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("range").required(true).args(["from", "since"])))]
pub struct RangeArgs {
    /// Start of the range (see the time formats below)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true, value_parser = value::time_start)]
    pub from: Option<DateTime<Utc>>,
    /// End of the range [default: now]
    #[arg(
        long,
        value_name = "TIME",
        requires = "from",
        allow_hyphen_values = true,
        value_parser = value::time_end
    )]
    pub to: Option<DateTime<Utc>>,
    /// From this long ago (24h, 2d, 30m, 1w) or this time, until now
    #[arg(long, value_name = "DURATION", conflicts_with_all = ["from", "to"], value_parser = value::time_start)]
    pub since: Option<DateTime<Utc>>,
    /// Refuse ranges longer than this (a typo in a year must not cost thousands of
    /// requests); ranges over 31 days are fetched in windows [default: 365d]
    #[arg(long, value_name = "DURATION", value_parser = value::duration)]
    pub max_range: Option<TimeDelta>,
}

impl RangeArgs {
    /// The range, `--to` (or now) included; refused when it runs backwards.
    pub fn resolve(&self) -> CliResult<(DateTime<Utc>, DateTime<Utc>)> {
        resolve_range(self.from, self.to, self.since, Utc::now()).map_err(CliError::usage)
    }

    /// The history limits of `--max-range` (default one year).
    pub fn limits(&self) -> HistoryLimits {
        let mut limits = HistoryLimits::default();
        if let Some(max) = self.max_range {
            limits.max_range = max;
        }
        limits
    }
}

/// `--since X` is X to now; `--from X [--to Y]` is X to Y (or now). The range must not run
/// backwards.
fn resolve_range(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let (from, to) = match (since, from) {
        (Some(since), _) => (since, now),
        (None, Some(from)) => (from, to.unwrap_or(now)),
        (None, None) => {
            return Err("give a range: --from TIME [--to TIME] or --since DURATION".to_owned());
        }
    };
    if from > to {
        return Err(format!(
            "the range runs backwards: --from {} is after --to {}",
            plaspy_types::de::format_datetime(&from),
            plaspy_types::de::format_datetime(&to)
        ));
    }
    Ok((from, to))
}

/// Which devices: `[IDS...]` or `--group G`; neither is every device of the account.
#[derive(Debug, Clone, Args)]
pub struct SelectionArgs {
    /// Device ids [default: every device of the account]
    #[arg(value_name = "DEVICE")]
    pub ids: Vec<String>,
    /// The devices of this group instead
    #[arg(long, value_name = "GROUP_ID", conflicts_with = "ids")]
    pub group: Option<String>,
}

impl SelectionArgs {
    /// The selection these arguments describe.
    pub fn selection(&self) -> CliResult<DeviceSelection> {
        DeviceSelection::from_args(self.ids.clone(), self.group.clone())
            .map_err(|e| CliError::usage(e.to_string()))
    }
}

/// `--match TEXT`: find vehicles by name, description or plate.
#[derive(Debug, Clone, Default, Args)]
pub struct MatchArgs {
    /// Only devices whose name, description or plate (a tag) contains TEXT, in any letter
    /// case and with or without accents
    #[arg(long = "match", value_name = "TEXT")]
    pub text: Option<String>,
}

impl MatchArgs {
    /// The devices that match (all of them without `--match`), in their order.
    pub fn keep(&self, devices: Vec<Device>) -> Vec<Device> {
        match &self.text {
            None => devices,
            Some(text) => {
                let matcher = plaspy_fleet::DeviceMatcher::new(text);
                devices.into_iter().filter(|d| matcher.matches(d)).collect()
            }
        }
    }
}

/// The devices `selection` covers, as the account lists them (a group's members in the
/// account's order; ids in the order given, an id the account does not list kept bare so
/// that asking for it reports its own error).
pub fn selected_devices(client: &Client, selection: &DeviceSelection) -> CliResult<Vec<Device>> {
    let devices = client
        .devices()
        .list()
        .context(ErrorSubject::Account, "listing devices")?;
    let members = match selection {
        DeviceSelection::Group(id) => client
            .groups()
            .get(id)
            .context(
                ErrorSubject::Group(id.clone()),
                &format!("getting group {id}"),
            )?
            .devices
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Ok(selection.pick(devices, &members))
}

/// The ids `selection` covers: the ids given as they are (no request), else those of
/// [`selected_devices`].
pub fn selected_ids(client: &Client, selection: &DeviceSelection) -> CliResult<Vec<String>> {
    match selection {
        DeviceSelection::Ids(ids) => Ok(ids.clone()),
        _ => Ok(selected_devices(client, selection)?
            .iter()
            .map(|d| d.id().to_owned())
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::value::*;
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn ranges() {
        let now = at("2024-06-10T12:00:00Z");
        let since = at("2024-06-09T12:00:00Z");
        assert_eq!(
            resolve_range(None, None, Some(since), now).unwrap(),
            (since, now)
        );
        let (from, to) = (at("2024-06-01T00:00:00Z"), at("2024-06-01T23:59:59.999Z"));
        assert_eq!(
            resolve_range(Some(from), Some(to), None, now).unwrap(),
            (from, to)
        );
        assert_eq!(resolve_range(Some(from), None, None, now).unwrap().1, now);
        let e = resolve_range(Some(to), Some(from), None, now).unwrap_err();
        assert!(e.contains("backwards"), "{e}");
        assert!(resolve_range(None, None, None, now).is_err());
    }

    #[test]
    fn plain_dates_as_ends_cover_the_day() {
        assert_eq!(
            time_end("2024-06-01").unwrap(),
            at("2024-06-01T23:59:59.999Z")
        );
        assert_eq!(
            time_start("2024-06-01").unwrap(),
            at("2024-06-01T00:00:00Z")
        );
        let e = time_start("-0001-01-01").unwrap_err();
        assert!(e.contains("years 1 to 9999"), "{e}");
    }

    #[test]
    fn speeds_and_durations() {
        assert_eq!(speed_kmh("3.5"), Ok(3.5));
        assert_eq!(speed_kmh("0"), Ok(0.0));
        for bad in ["-1", "NaN", "inf", "fast"] {
            assert!(speed_kmh(bad).is_err(), "{bad}");
        }
        assert_eq!(duration("5m"), Ok(TimeDelta::minutes(5)));
        assert!(duration("soon").is_err());
        assert_eq!(
            positive_duration("1h"),
            Ok(std::time::Duration::from_secs(3600))
        );
        assert!(
            positive_duration("0s")
                .unwrap_err()
                .contains("longer than zero")
        );
    }

    #[test]
    fn zones() {
        let offset = |text: &str| match zone(text).unwrap() {
            Zone::Offset(offset) => offset.local_minus_utc(),
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(offset("UTC"), 0);
        assert_eq!(offset("-05:00"), -5 * 3600);
        assert_eq!(offset("+0530"), 5 * 3600 + 1800);
        assert_eq!(
            zone("America/Bogota").unwrap(),
            Zone::Named(chrono_tz::America::Bogota)
        );
        assert_eq!(
            zone(" europe/madrid ").unwrap(),
            Zone::Named(chrono_tz::Europe::Madrid)
        );
        let err = zone("Mars/Olympus").unwrap_err();
        assert!(
            err.contains("IANA") && err.contains("Mars/Olympus"),
            "{err}"
        );
    }
}
