//! Reading the times and durations given on the command line.
//!
//! Rules (also in `--help`):
//! - RFC 3339 (`2024-06-01T08:00:00Z`, `...+02:00`) is taken as written;
//! - a date-time without an offset (`2024-06-01T08:00`, `2024-06-01 08:00:00`) is UTC,
//!   as the API itself reads such times;
//! - a plain date (`2024-06-01`, `today`, `yesterday`) is that day's midnight UTC as a
//!   start, and the end of that day (23:59:59.999 UTC) as an end (`--to`);
//! - a duration (`30m`, `24h`, `2d`, `1w`, `1h30m`, `2d ago`) is that long before now;
//! - `now`, and `@SECONDS` for a Unix time.
//!
//! Whatever the form, the result must fall in the years 1 to 9999 (what RFC 3339 and the
//! API can carry): year 0, negative years and five-digit years are refused.
//!
//! The parsing itself is the SDK's [`plaspy_blocking::time`], so programs read these forms
//! exactly as the CLI does; this module keeps the CLI's `String` messages (for clap's value
//! parsers, [`crate::args::value`]) and the short ages of tables.

use chrono::{DateTime, Duration, Utc};
pub use plaspy_blocking::time::DayBound as Bound;
use plaspy_blocking::time::{self as sdk};
#[cfg(test)]
use {chrono::Datelike, plaspy_blocking::time::YEARS};

/// Parses a time given on the command line, relative to `now`.
pub fn parse_time(text: &str, now: DateTime<Utc>, bound: Bound) -> Result<DateTime<Utc>, String> {
    sdk::parse_time(text, now, bound).map_err(message)
}

/// Parses a duration such as `30m`, `24h`, `2d`, `1w` or `1h30m` (`s`, `m`, `h`, `d`, `w`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    sdk::parse_duration(text).map_err(message)
}

/// The message of a parse error, without the SDK's "invalid input: " prefix (the CLI
/// names the option instead).
fn message(error: plaspy_blocking::Error) -> String {
    match error {
        plaspy_blocking::Error::InvalidInput { message, .. } => message,
        other => other.to_string(),
    }
}

/// How long ago `then` was, shortly: `45s`, `12m`, `3h`, `2d`, or `-5m` for the future.
pub fn age(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - then).num_seconds();
    let (sign, s) = if seconds < 0 {
        ("-", -seconds)
    } else {
        ("", seconds)
    };
    let text = match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    };
    format!("{sign}{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2024-06-10T12:00:00Z".parse().unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn rfc3339_is_taken_as_written() {
        assert_eq!(
            parse_time("2024-06-01T08:00:00Z", now(), Bound::Start).unwrap(),
            at("2024-06-01T08:00:00Z")
        );
        assert_eq!(
            parse_time("2024-06-01T10:00:00+02:00", now(), Bound::End).unwrap(),
            at("2024-06-01T08:00:00Z")
        );
        assert_eq!(
            parse_time("2024-06-01T08:00:00.250Z", now(), Bound::Start).unwrap(),
            at("2024-06-01T08:00:00.250Z")
        );
        assert_eq!(
            parse_time("2024-06-01 10:00:00+02:00", now(), Bound::Start).unwrap(),
            at("2024-06-01T08:00:00Z")
        );
    }

    #[test]
    fn no_offset_means_utc() {
        for text in [
            "2024-06-01T08:00",
            "2024-06-01T08:00Z",
            "2024-06-01T08:00:00",
            "2024-06-01 08:00",
            "2024-06-01 08:00:00.0",
        ] {
            assert_eq!(
                parse_time(text, now(), Bound::Start).unwrap(),
                at("2024-06-01T08:00:00Z"),
                "{text}"
            );
        }
    }

    #[test]
    fn plain_dates_cover_the_whole_day() {
        assert_eq!(
            parse_time("2024-06-01", now(), Bound::Start).unwrap(),
            at("2024-06-01T00:00:00Z")
        );
        assert_eq!(
            parse_time("2024-06-01", now(), Bound::End).unwrap(),
            at("2024-06-01T23:59:59.999Z")
        );
        assert_eq!(
            parse_time("today", now(), Bound::Start).unwrap(),
            at("2024-06-10T00:00:00Z")
        );
        assert_eq!(
            parse_time("Yesterday", now(), Bound::End).unwrap(),
            at("2024-06-09T23:59:59.999Z")
        );
        assert_eq!(parse_time("now", now(), Bound::End).unwrap(), now());
    }

    #[test]
    fn relative_times_count_back_from_now() {
        assert_eq!(
            parse_time("24h", now(), Bound::Start).unwrap(),
            at("2024-06-09T12:00:00Z")
        );
        assert_eq!(
            parse_time("2d", now(), Bound::Start).unwrap(),
            at("2024-06-08T12:00:00Z")
        );
        assert_eq!(
            parse_time("30m", now(), Bound::Start).unwrap(),
            at("2024-06-10T11:30:00Z")
        );
        assert_eq!(
            parse_time("1w", now(), Bound::Start).unwrap(),
            at("2024-06-03T12:00:00Z")
        );
        assert_eq!(
            parse_time("1h30m", now(), Bound::Start).unwrap(),
            at("2024-06-10T10:30:00Z")
        );
        assert_eq!(
            parse_time("2d ago", now(), Bound::Start).unwrap(),
            at("2024-06-08T12:00:00Z")
        );
        assert_eq!(
            parse_time("@1717228800", now(), Bound::Start).unwrap(),
            at("2024-06-01T08:00:00Z")
        );
    }

    #[test]
    fn nonsense_is_refused_with_a_hint() {
        for text in ["", "yesterday-ish", "24", "h", "2024-13-01", "5y", "@x"] {
            assert!(parse_time(text, now(), Bound::Start).is_err(), "{text}");
        }
        let e = parse_duration("24").unwrap_err();
        assert!(e.contains("needs a unit"), "{e}");
        let e = parse_time("soon", now(), Bound::Start).unwrap_err();
        assert!(e.contains("RFC 3339"), "{e}");
    }

    #[test]
    fn years_outside_1_to_9999_are_refused() {
        for text in [
            "-0001-01-01",
            "0000-01-01",
            "0000-12-31T23:59:59Z",
            "-0001-01-01T00:00:00Z",
            "+10000-01-01",
            "@-62167219201",
            "@253402300800",
            "3000000d",
        ] {
            let e = parse_time(text, now(), Bound::Start).unwrap_err();
            assert!(e.contains("years 1 to 9999"), "{text}: {e}");
        }
        assert!(parse_time("0001-01-01", now(), Bound::Start).is_ok());
        assert!(parse_time("9999-12-31", now(), Bound::End).is_ok());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s").unwrap(), Duration::seconds(90));
        assert_eq!(parse_duration("1d12h").unwrap(), Duration::hours(36));
        assert_eq!(parse_duration("2W").unwrap(), Duration::days(14));
        assert!(parse_duration("99999999999999999999d").is_err());
    }

    #[test]
    fn ages() {
        assert_eq!(age(at("2024-06-10T11:59:15Z"), now()), "45s");
        assert_eq!(age(at("2024-06-10T11:48:00Z"), now()), "12m");
        assert_eq!(age(at("2024-06-10T09:00:00Z"), now()), "3h");
        assert_eq!(age(at("2024-06-08T12:00:00Z"), now()), "2d");
        assert_eq!(age(at("2024-06-10T12:05:00Z"), now()), "-5m");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn time_like() -> impl Strategy<Value = String> {
            prop_oneof![
                any::<String>(),
                "[-+]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]{0,9})?)?)?(Z|[+-][0-9]{2}:[0-9]{2})?",
                "[0-9]{0,25}[smhdwSMHDW]([0-9]{1,20}[smhdw])*( ago)?",
                "@[-+]?[0-9]{0,22}",
                "(now|today|yesterday|Today|NOW)",
            ]
        }

        proptest! {
            #[test]
            fn any_text_is_a_time_in_range_or_a_clean_error(text in time_like()) {
                for bound in [Bound::Start, Bound::End] {
                    match parse_time(&text, now(), bound) {
                        Ok(t) => prop_assert!(YEARS.contains(&t.year())),
                        Err(e) => prop_assert!(!e.is_empty() && !e.contains('\n')),
                    }
                }
            }

            #[test]
            fn any_duration_parses_or_fails_cleanly(text in any::<String>()) {
                let _ = parse_duration(&text);
            }
        }
    }
}
