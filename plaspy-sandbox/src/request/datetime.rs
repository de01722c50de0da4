//! Date-times read as System.Text.Json reads them (its ISO 8601-1:2019 extended profile),
//! written here from its rules rather than borrowed from the SDK:
//!
//! - `YYYY-MM-DD` (midnight), `YYYY-MM-DDThh:mm`, `YYYY-MM-DDThh:mm:ss`, and seconds with
//!   a fraction of 1 to 7 digits;
//! - then nothing, `Z`, `±hh` or `±hh:mm` (at most ±14:00).
//!
//! **Assumptions of the sandbox:** a date-time without an offset is read as UTC (.NET
//! keeps it "unspecified", and the real server's handling of it is not documented), and one
//! with an offset is converted to UTC. System.Text.Json itself also reads 8 to 16
//! fractional digits, dropping those past the 7th (a `DateTime` counts 100 ns ticks);
//! the sandbox refuses them, so that a client sending more precision than the server keeps
//! is caught in tests. Everything else it refuses, the sandbox refuses too: a space or a
//! lower-case `t` instead of `T`, an offset without its colon (`+0500`), a leap second,
//! hour 24, year 0.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// The most fractional-second digits accepted.
pub(crate) const MAX_FRACTION_DIGITS: usize = 7;

/// Parses `text`, or says what is wrong with it.
pub(crate) fn parse(text: &str) -> Result<DateTime<Utc>, String> {
    parse_parts(text.as_bytes()).map_err(|why| {
        let shown: String = text.chars().take(40).collect();
        format!(
            "the string {shown:?} is not a date-time System.Text.Json reads ({why}); \
             expected ISO 8601 such as 2026-12-01T08:30:00, 2026-12-01T08:30:00.1234567Z \
             or 2026-12-01T08:30:00-05:00"
        )
    })
}

fn two_digits(s: &[u8], at: usize) -> Option<u32> {
    let (a, b) = (*s.get(at)?, *s.get(at + 1)?);
    (a.is_ascii_digit() && b.is_ascii_digit())
        .then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
}

fn parse_parts(s: &[u8]) -> Result<DateTime<Utc>, &'static str> {
    const SHAPE: &str = "not YYYY-MM-DD[Thh:mm[:ss[.fffffff]]][Z|±hh:mm]";
    if s.len() < 10 || s[4] != b'-' || s[7] != b'-' {
        return Err(SHAPE);
    }
    let year = match (two_digits(s, 0), two_digits(s, 2)) {
        (Some(hi), Some(lo)) => hi * 100 + lo,
        _ => return Err(SHAPE),
    };
    let (month, day) = match (two_digits(s, 5), two_digits(s, 8)) {
        (Some(m), Some(d)) => (m, d),
        _ => return Err(SHAPE),
    };
    if year == 0 {
        return Err("year 0 does not exist");
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or("no such day")?;
    if s.len() == 10 {
        return Ok(date.and_hms_opt(0, 0, 0).ok_or("no such day")?.and_utc());
    }
    match s[10] {
        b'T' => {}
        b' ' => return Err("a space instead of `T` between the date and the time"),
        b't' => return Err("a lower-case `t` instead of `T`"),
        _ => return Err(SHAPE),
    }
    let (hour, minute) = match (two_digits(s, 11), s.get(13), two_digits(s, 14)) {
        (Some(h), Some(b':'), Some(m)) => (h, m),
        _ => return Err(SHAPE),
    };
    let mut second = 0;
    let mut nanos = 0;
    let mut at = 16;
    if s.get(at) == Some(&b':') {
        second = two_digits(s, 17).ok_or(SHAPE)?;
        at = 19;
        if s.get(at) == Some(&b'.') {
            at += 1;
            let digits = s[at..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return Err("a `.` without fractional digits");
            }
            if digits > MAX_FRACTION_DIGITS {
                return Err(
                    "more than 7 fractional-second digits: a .NET DateTime keeps 7 (100 ns ticks)",
                );
            }
            let mut ticks = 0u32;
            for &b in &s[at..at + digits] {
                ticks = ticks * 10 + u32::from(b - b'0');
            }
            for _ in digits..MAX_FRACTION_DIGITS {
                ticks *= 10;
            }
            nanos = ticks * 100;
            at += digits;
        }
    }
    if hour > 23 || minute > 59 {
        return Err("an hour or minute out of range");
    }
    if second > 59 {
        return Err("seconds out of range (no leap seconds)");
    }
    let naive = NaiveDateTime::new(
        date,
        chrono::NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).ok_or(SHAPE)?,
    );
    let offset_secs = match s.get(at) {
        None => return Ok(naive.and_utc()),
        Some(b'Z') if at + 1 == s.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let rest = &s[at + 1..];
            let hours = two_digits(rest, 0).ok_or("an offset without two-digit hours")?;
            let minutes = match rest.len() {
                2 => 0,
                5 if rest[2] == b':' => two_digits(rest, 3).ok_or(SHAPE)?,
                4 => return Err("an offset without its colon (write ±hh:mm)"),
                _ => return Err("a malformed offset (write ±hh:mm)"),
            };
            if hours > 14 || minutes > 59 || (hours == 14 && minutes > 0) {
                return Err("an offset beyond ±14:00");
            }
            let secs = (hours * 3600 + minutes * 60) as i32;
            if sign == b'-' { -secs } else { secs }
        }
        Some(_) => return Err(SHAPE),
    };
    let offset = FixedOffset::east_opt(offset_secs).ok_or("an offset beyond ±14:00")?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|dt| dt.with_timezone(&Utc))
        .ok_or(SHAPE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> String {
        parse(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }

    #[test]
    fn reads_what_system_text_json_reads() {
        assert_eq!(ok("2026-12-01"), "2026-12-01T00:00:00Z");
        assert_eq!(ok("2026-12-01T08:30"), "2026-12-01T08:30:00Z");
        assert_eq!(ok("2026-12-01T08:30:15"), "2026-12-01T08:30:15Z");
        assert_eq!(ok("2026-12-01T08:30:15.5"), "2026-12-01T08:30:15.500Z");
        assert_eq!(
            ok("2026-12-01T08:30:15.1234567Z"),
            "2026-12-01T08:30:15.123456700Z"
        );
        assert_eq!(ok("2026-12-01T08:30:15-05:00"), "2026-12-01T13:30:15Z");
        assert_eq!(ok("2026-12-01T08:30:15+05"), "2026-12-01T03:30:15Z");
        assert_eq!(ok("2026-12-01T08:30Z"), "2026-12-01T08:30:00Z");
        assert_eq!(ok("2026-12-01T23:59:59"), "2026-12-01T23:59:59Z");
        assert_eq!(ok("2024-02-29T00:00:00+14:00"), "2024-02-28T10:00:00Z");
    }

    #[test]
    fn refuses_what_system_text_json_refuses() {
        for (text, why) in [
            ("2026-12-01 08:30:00", "space"),
            ("2026-12-01t08:30:00", "lower-case"),
            ("2026-12-01T08:30:00+0500", "colon"),
            ("2026-12-01T08:30:00.123456789Z", "7"),
            ("2026-12-01T08:30:00.12345678", "7"),
            ("2026-12-01T08:30:60", "leap"),
            ("2026-12-01T24:00:00", "range"),
            ("2026-02-30", "no such day"),
            ("0000-01-01", "year 0"),
            ("2026-12-01T08:30:00+15:00", "14:00"),
            ("2026-12-01T08:30:00.Z", "without fractional"),
            ("2026-12-01T08", "not YYYY"),
            ("2026-12-01T08:30:00z", "not YYYY"),
            ("12/01/2026", "not YYYY"),
            ("", "not YYYY"),
        ] {
            let err = parse(text).expect_err(text);
            assert!(err.contains(why), "{text}: {err}");
        }
    }
}
