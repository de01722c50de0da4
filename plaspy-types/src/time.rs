//! Reading times and durations written by people: the forms the `plaspy` CLI accepts,
//! offered to SDK users so a program reads `--since 2d` the same way.
//!
//! - RFC 3339 (`2024-06-01T08:00:00Z`, `...+02:00`) is taken as written;
//! - a date-time without an offset (`2024-06-01T08:00`, `2024-06-01 08:00:00`) is UTC,
//!   as the API itself reads such times;
//! - a plain date (`2024-06-01`, `today`, `yesterday`) is that day's midnight UTC as a
//!   [`DayBound::Start`], and its last millisecond (23:59:59.999 UTC) as a [`DayBound::End`];
//! - a duration (`30m`, `24h`, `2d`, `1w`, `1h30m`, `2d ago`) is that long before `now`;
//! - `now`, and `@SECONDS` for a Unix time.
//!
//! Whatever the form, the result must fall in the years 1 to 9999 ([`YEARS`], what RFC 3339
//! and the API can carry). Words and units are case-insensitive; surrounding spaces are
//! ignored.
//!
//! ```
//! use plaspy_types::time::{DayBound, parse_time};
//!
//! let now = "2024-06-10T12:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap();
//! assert_eq!(parse_time("2d ago", now, DayBound::Start).unwrap().to_rfc3339(), "2024-06-08T12:00:00+00:00");
//! assert_eq!(parse_time("2024-06-01", now, DayBound::End).unwrap().to_rfc3339(), "2024-06-01T23:59:59.999+00:00");
//! let error = parse_time("soon", now, DayBound::Start).unwrap_err();
//! assert!(error.to_string().contains("`soon` is not a time"));
//! ```

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use crate::de::parse_datetime;
use crate::error::{Error, Result};

/// Whether a time starts or ends a range: decides which instant a plain date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayBound {
    /// A plain date is its midnight (UTC).
    #[default]
    Start,
    /// A plain date is the last millisecond of that day (UTC), so `from..=to` covers it.
    End,
}

/// The years a parsed time may fall in.
pub const YEARS: RangeInclusive<i32> = 1..=9999;

/// Parses a time written by a person (see the [module docs](self) for the forms), relative
/// to `now`; `bound` decides what a plain date means.
///
/// The error is an [`Error::InvalidInput`] that names the input and says which forms are
/// accepted.
///
/// ```
/// use chrono::{FixedOffset, TimeZone};
/// use plaspy_types::time::{DayBound, parse_time};
///
/// // `now` may be in any time zone; the result is UTC.
/// let now = FixedOffset::east_opt(2 * 3600).unwrap().with_ymd_and_hms(2024, 6, 10, 14, 0, 0).unwrap();
/// let from = parse_time("24h", now, DayBound::Start)?;
/// assert_eq!(from.to_rfc3339(), "2024-06-09T12:00:00+00:00");
/// # Ok::<(), plaspy_types::Error>(())
/// ```
pub fn parse_time(
    text: &str,
    now: impl Into<DateTime<Utc>>,
    bound: DayBound,
) -> Result<DateTime<Utc>> {
    let time = parse_any_year(text, now.into(), bound).map_err(Error::invalid_input)?;
    if YEARS.contains(&time.year()) {
        Ok(time)
    } else {
        Err(Error::invalid_input(format!(
            "`{}` falls in the year {}: times must fall in the years {} to {}",
            text.trim(),
            time.year(),
            YEARS.start(),
            YEARS.end()
        )))
    }
}

fn parse_any_year(
    text: &str,
    now: DateTime<Utc>,
    bound: DayBound,
) -> std::result::Result<DateTime<Utc>, String> {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    match lower.as_str() {
        "" => {
            return Err(
                "an empty time: give a date, a date-time, a duration before now or now".to_owned(),
            );
        }
        "now" => return Ok(now),
        "today" => return Ok(day_bound(now.date_naive(), bound)),
        "yesterday" => {
            let day = now
                .date_naive()
                .pred_opt()
                .ok_or("`yesterday` is out of range")?;
            return Ok(day_bound(day, bound));
        }
        _ => {}
    }
    if let Some(seconds) = lower.strip_prefix('@') {
        let seconds: i64 = seconds
            .parse()
            .map_err(|_| format!("`{trimmed}` is not a Unix time (expected @SECONDS)"))?;
        return Utc
            .timestamp_opt(seconds, 0)
            .single()
            .ok_or_else(|| format!("`{trimmed}` is out of range"));
    }
    // The same forms the SDK reads from servers; no offset means UTC.
    if let Some(dt) = parse_datetime(trimmed) {
        return Ok(dt);
    }
    if let Ok(day) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        return Ok(day_bound(day, bound));
    }
    let duration_text = lower
        .strip_suffix("ago")
        .map(str::trim_end)
        .unwrap_or(&lower);
    if let Ok(duration) = duration(duration_text) {
        return now
            .checked_sub_signed(duration)
            .ok_or_else(|| format!("`{trimmed}` reaches too far back"));
    }
    Err(format!(
        "`{trimmed}` is not a time: use RFC 3339 (2024-06-01T08:00:00Z), a date (2024-06-01), \
         a duration before now (30m, 24h, 2d, 1w) or now/today/yesterday"
    ))
}

/// Parses a duration such as `30m`, `24h`, `2d`, `1w` or `1h30m` (units `s`, `m`, `h`, `d`,
/// `w`, case-insensitive).
///
/// ```
/// use plaspy_types::time::parse_duration;
///
/// assert_eq!(parse_duration("1h30m")?, chrono::Duration::minutes(90));
/// assert!(parse_duration("24").unwrap_err().to_string().contains("needs a unit"));
/// # Ok::<(), plaspy_types::Error>(())
/// ```
pub fn parse_duration(text: &str) -> Result<Duration> {
    duration(text).map_err(Error::invalid_input)
}

fn duration(text: &str) -> std::result::Result<Duration, String> {
    let text = text.trim();
    let invalid =
        || format!("`{text}` is not a duration: use a number and a unit, e.g. 30m, 24h, 2d, 1w");
    if text.is_empty() {
        return Err(invalid());
    }
    let mut total = Duration::zero();
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if digits.is_empty() {
            return Err(invalid());
        }
        let n: i64 = digits.parse().map_err(|_| invalid())?;
        digits.clear();
        let part = match c.to_ascii_lowercase() {
            's' => Duration::try_seconds(n),
            'm' => Duration::try_minutes(n),
            'h' => Duration::try_hours(n),
            'd' => Duration::try_days(n),
            'w' => Duration::try_weeks(n),
            _ => None,
        }
        .ok_or_else(invalid)?;
        total = total.checked_add(&part).ok_or_else(invalid)?;
    }
    if !digits.is_empty() {
        return Err(format!(
            "`{text}` needs a unit after {digits}: s, m, h, d or w (e.g. {digits}h)"
        ));
    }
    Ok(total)
}

fn day_bound(day: NaiveDate, bound: DayBound) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    match bound {
        DayBound::Start => midnight,
        // A date near the end of chrono's range keeps its midnight rather than overflow;
        // the year check refuses such dates anyway.
        DayBound::End => midnight
            .checked_add_signed(Duration::days(1) - Duration::milliseconds(1))
            .unwrap_or(midnight),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, Local};

    fn now() -> DateTime<Utc> {
        "2024-06-10T12:00:00Z".parse().unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn start(text: &str) -> DateTime<Utc> {
        parse_time(text, now(), DayBound::Start).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn message(text: &str) -> String {
        match parse_time(text, now(), DayBound::Start) {
            Err(Error::InvalidInput { message }) => message,
            other => panic!("{text}: expected an invalid-input error, got {other:?}"),
        }
    }

    #[test]
    fn rfc3339_is_taken_as_written() {
        assert_eq!(start("2024-06-01T08:00:00Z"), at("2024-06-01T08:00:00Z"));
        assert_eq!(
            parse_time("2024-06-01T10:00:00+02:00", now(), DayBound::End).unwrap(),
            at("2024-06-01T08:00:00Z")
        );
        assert_eq!(
            start("2024-06-01T08:00:00.250Z"),
            at("2024-06-01T08:00:00.250Z")
        );
        assert_eq!(
            start("2024-06-01 10:00:00+02:00"),
            at("2024-06-01T08:00:00Z")
        );
        assert_eq!(
            start("  2024-06-01T08:00:00-05:30 "),
            at("2024-06-01T13:30:00Z")
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
            assert_eq!(start(text), at("2024-06-01T08:00:00Z"), "{text}");
        }
    }

    #[test]
    fn plain_dates_are_the_start_or_the_end_of_the_day() {
        assert_eq!(start("2024-06-01"), at("2024-06-01T00:00:00Z"));
        assert_eq!(
            parse_time("2024-06-01", now(), DayBound::End).unwrap(),
            at("2024-06-01T23:59:59.999Z")
        );
        assert_eq!(start("today"), at("2024-06-10T00:00:00Z"));
        assert_eq!(
            parse_time("TODAY", now(), DayBound::End).unwrap(),
            at("2024-06-10T23:59:59.999Z")
        );
        assert_eq!(start("yesterday"), at("2024-06-09T00:00:00Z"));
        assert_eq!(
            parse_time("Yesterday", now(), DayBound::End).unwrap(),
            at("2024-06-09T23:59:59.999Z")
        );
        assert_eq!(DayBound::default(), DayBound::Start);
    }

    #[test]
    fn now_is_now_in_any_time_zone() {
        assert_eq!(parse_time("now", now(), DayBound::End).unwrap(), now());
        let paris = FixedOffset::east_opt(2 * 3600).unwrap();
        assert_eq!(
            parse_time("Now", now().with_timezone(&paris), DayBound::Start).unwrap(),
            now()
        );
        let local = now().with_timezone(&Local);
        assert_eq!(
            parse_time("1h", local, DayBound::Start).unwrap(),
            at("2024-06-10T11:00:00Z")
        );
        // `today` is the UTC day of `now`, whatever zone `now` is written in.
        let tokyo = FixedOffset::east_opt(9 * 3600).unwrap();
        let late = at("2024-06-10T20:00:00Z").with_timezone(&tokyo); // 05:00 on the 11th in Tokyo
        assert_eq!(
            parse_time("today", late, DayBound::Start).unwrap(),
            at("2024-06-10T00:00:00Z")
        );
    }

    #[test]
    fn relative_times_count_back_from_now() {
        assert_eq!(start("24h"), at("2024-06-09T12:00:00Z"));
        assert_eq!(start("2d"), at("2024-06-08T12:00:00Z"));
        assert_eq!(start("30m"), at("2024-06-10T11:30:00Z"));
        assert_eq!(start("1w"), at("2024-06-03T12:00:00Z"));
        assert_eq!(start("90s"), at("2024-06-10T11:58:30Z"));
        assert_eq!(start("1h30m"), at("2024-06-10T10:30:00Z"));
        assert_eq!(start("2d ago"), at("2024-06-08T12:00:00Z"));
        assert_eq!(start("2Dago"), at("2024-06-08T12:00:00Z"));
        assert_eq!(start("0m"), now());
    }

    #[test]
    fn unix_times() {
        assert_eq!(start("@1717228800"), at("2024-06-01T08:00:00Z"));
        assert_eq!(start("@0"), at("1970-01-01T00:00:00Z"));
        assert!(message("@x").contains("not a Unix time"));
    }

    #[test]
    fn errors_name_the_input_and_the_accepted_forms() {
        let e = message("soon");
        assert!(e.contains("`soon` is not a time"), "{e}");
        assert!(
            e.contains("RFC 3339") && e.contains("2d") && e.contains("yesterday"),
            "{e}"
        );
        // The text is named trimmed; the error reads as an invalid input.
        let error = parse_time("  later ", now(), DayBound::Start).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid input: `later` is not a time: use RFC 3339 (2024-06-01T08:00:00Z), a date \
             (2024-06-01), a duration before now (30m, 24h, 2d, 1w) or now/today/yesterday"
        );
        assert!(message("").contains("empty"));
        assert!(message("   ").contains("empty"));
        for text in [
            "yesterday-ish",
            "24",
            "h",
            "2024-13-01",
            "2024-02-30",
            "5y",
            "1h 30m",
            "ago",
        ] {
            let e = message(text);
            assert!(e.contains(&format!("`{}`", text.trim())), "{text}: {e}");
        }
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
            let e = message(text);
            assert!(e.contains("years 1 to 9999"), "{text}: {e}");
            assert!(e.contains(&format!("`{text}`")), "{text}: {e}");
        }
        assert_eq!(start("0001-01-01"), at("0001-01-01T00:00:00Z"));
        assert_eq!(
            parse_time("9999-12-31", now(), DayBound::End).unwrap(),
            at("9999-12-31T23:59:59.999Z")
        );
        // Too far back for chrono itself: still a clean error.
        assert!(message("99999999999w").contains("99999999999w"));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s").unwrap(), Duration::seconds(90));
        assert_eq!(parse_duration("1d12h").unwrap(), Duration::hours(36));
        assert_eq!(parse_duration(" 2W ").unwrap(), Duration::days(14));
        for text in [
            "",
            "24",
            "h",
            "1x",
            "-1h",
            "1.5h",
            "99999999999999999999d",
            "9999999999999999w",
        ] {
            let e = parse_duration(text).unwrap_err();
            assert!(matches!(e, Error::InvalidInput { .. }), "{text}: {e:?}");
        }
        let e = parse_duration("24").unwrap_err().to_string();
        assert!(e.contains("`24` needs a unit after 24"), "{e}");
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
            fn any_text_is_a_time_in_range_or_a_clean_error(
                text in time_like(),
                now_seconds in -62_135_596_800i64..=253_402_300_799,
            ) {
                let now = Utc.timestamp_opt(now_seconds, 0).unwrap();
                for bound in [DayBound::Start, DayBound::End] {
                    match parse_time(&text, now, bound) {
                        Ok(t) => prop_assert!(YEARS.contains(&t.year())),
                        Err(Error::InvalidInput { message }) => {
                            prop_assert!(!message.is_empty() && !message.contains('\n'));
                        }
                        Err(other) => prop_assert!(false, "not an invalid-input error: {:?}", other),
                    }
                }
            }

            #[test]
            fn any_duration_parses_or_fails_cleanly(text in any::<String>()) {
                match parse_duration(&text) {
                    Ok(d) => prop_assert!(d >= Duration::zero()),
                    Err(e) => prop_assert!(matches!(e, Error::InvalidInput { .. }), "{:?}", e),
                }
            }
        }
    }
}
