//! The day a device page shows: `?date=YYYY-MM-DD&offset=MINUTES`, read into an instant
//! range the API is asked for.
//!
//! The range must fall in the years the SDK and the CLI accept
//! ([`plaspy_async::time::YEARS`]): any other date is refused here, before the API is asked,
//! and no date makes the arithmetic overflow.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Utc};
use plaspy_async::time::YEARS;
use serde::Deserialize;

/// The largest UTC offset, in minutes (UTC+14:00, Kiribati).
const MAX_OFFSET_MINUTES: i32 = 14 * 60;

/// `?date=YYYY-MM-DD&offset=MINUTES`: a day in the browser's time zone (minutes east of
/// UTC). Both optional: today, in UTC.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct DayQuery {
    /// The date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Minutes east of UTC.
    pub offset: Option<i32>,
}

/// A day as an instant range `[from, to]`, with the date it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Day {
    /// The date, in the browser's zone.
    pub date: NaiveDate,
    /// The browser's offset from UTC, in minutes east.
    pub offset_minutes: i32,
    /// Its first instant.
    pub from: DateTime<Utc>,
    /// Its last millisecond.
    pub to: DateTime<Utc>,
}

impl DayQuery {
    /// The day asked for, with `now` deciding "today"; the error says what is wrong with
    /// the query.
    pub(crate) fn day(&self, now: DateTime<Utc>) -> Result<Day, String> {
        let offset_minutes = self.offset.unwrap_or(0);
        if !(-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).contains(&offset_minutes) {
            return Err(format!(
                "offset={offset_minutes} is not a UTC offset: use minutes between \
                 -{MAX_OFFSET_MINUTES} and {MAX_OFFSET_MINUTES}"
            ));
        }
        let offset = TimeDelta::minutes(offset_minutes.into());
        let date = match self
            .date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| format!("date={text} is not a date: use YYYY-MM-DD"))?,
            None => now
                .checked_add_signed(offset)
                .ok_or("today is out of range")?
                .date_naive(),
        };
        let outside = || {
            format!(
                "date={date} is outside the years {} to {}: pick a date between {:04}-01-01 \
                 and {:04}-12-31",
                YEARS.start(),
                YEARS.end(),
                YEARS.start(),
                YEARS.end()
            )
        };
        let from = date
            .and_time(NaiveTime::MIN)
            .and_utc()
            .checked_sub_signed(offset)
            .ok_or_else(outside)?;
        let to = from
            .checked_add_signed(TimeDelta::days(1) - TimeDelta::milliseconds(1))
            .ok_or_else(outside)?;
        if [date.year(), from.year(), to.year()]
            .iter()
            .all(|y| YEARS.contains(y))
        {
            Ok(Day {
                date,
                offset_minutes,
                from,
                to,
            })
        } else {
            Err(outside())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(date: Option<&str>, offset: Option<i32>) -> DayQuery {
        DayQuery {
            date: date.map(Into::into),
            offset,
        }
    }

    #[test]
    fn days() {
        let now: DateTime<Utc> = "2030-01-02T03:00:00Z".parse().unwrap();
        let day = q(None, None).day(now).unwrap();
        assert_eq!(day.date.to_string(), "2030-01-02");
        assert_eq!(day.from.to_rfc3339(), "2030-01-02T00:00:00+00:00");
        // Bogotá (UTC-5): 03:00 UTC is still the 1st there.
        let day = q(None, Some(-300)).day(now).unwrap();
        assert_eq!(day.date.to_string(), "2030-01-01");
        assert_eq!(day.from.to_rfc3339(), "2030-01-01T05:00:00+00:00");
        assert_eq!(day.to.to_rfc3339(), "2030-01-02T04:59:59.999+00:00");
        assert!(q(Some("2030-13-01"), None).day(now).is_err());
        assert!(q(None, Some(100_000)).day(now).is_err());
    }

    #[test]
    fn only_the_supported_years() {
        let now: DateTime<Utc> = "2030-01-02T03:00:00Z".parse().unwrap();
        for (date, offset) in [
            ("+262142-12-31", 0),
            ("-262143-01-01", 0),
            ("+10000-01-01", 0),
            ("0000-06-01", 0),
            ("-0001-06-01", 0),
            // The day itself is in range, its instants are not.
            ("9999-12-31", -840),
            ("0001-01-01", 840),
        ] {
            let error = q(Some(date), Some(offset)).day(now).unwrap_err();
            assert!(
                error.contains("years 1 to 9999"),
                "{date} {offset}: {error}"
            );
        }
        for (date, offset) in [("9999-12-31", 840), ("0001-01-01", -840), ("2024-02-29", 0)] {
            let day = q(Some(date), Some(offset)).day(now).unwrap();
            assert!(YEARS.contains(&day.from.year()) && YEARS.contains(&day.to.year()));
        }
    }
}
