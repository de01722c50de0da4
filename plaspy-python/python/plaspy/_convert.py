"""Argument checks and conversions between Python values and what the native half reads."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any, Dict, Iterable, List, Optional, Union

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICRO = timedelta(microseconds=1)
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?"
    r"\s*(Z|z|[+-]\d\d(?::?\d\d)?)?$"
)


def micros(name: str, value: datetime) -> int:
    """An aware datetime as microseconds since the epoch; a naive one is a ``ValueError``
    naming the argument."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} is a naive datetime: give it a time zone "
            "(e.g. datetime.now(timezone.utc), or .replace(tzinfo=ZoneInfo(...)))"
        )
    return (value - EPOCH) // _MICRO


def millis(name: str, value: timedelta) -> int:
    """A non-negative timedelta as whole milliseconds."""
    if not isinstance(value, timedelta):
        raise TypeError(f"{name} must be a timedelta, not {type(value).__name__}")
    if value < timedelta(0):
        raise ValueError(f"{name} must not be negative (got {value})")
    return value // timedelta(milliseconds=1)


def text(name: str, value: str) -> str:
    """A string argument, checked."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


def texts(name: str, values: Iterable[str]) -> List[str]:
    """A list of string arguments, checked (a lone string is refused, not split)."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a list of str, not a single {type(values).__name__}")
    return [text(name, v) for v in values]


def positive(name: str, value: Optional[int]) -> Optional[int]:
    """An optional positive int argument, checked."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be positive (got {value})")
    return value


def zone(name: str, tz: Union[str, tzinfo, None]) -> Optional[Dict[str, Any]]:
    """A time zone for the native half: an IANA name, or a fixed offset."""
    if tz is None:
        return None
    if isinstance(tz, str):
        return {"name": tz}
    key = getattr(tz, "key", None)  # zoneinfo.ZoneInfo
    if isinstance(key, str):
        return {"name": key}
    if isinstance(tz, timezone):
        offset = tz.utcoffset(None)
        return {"offset": offset // timedelta(seconds=1)}
    raise TypeError(
        f"{name} must be an IANA zone name, a zoneinfo.ZoneInfo or a datetime.timezone, "
        f"not {type(tz).__name__}"
    )


def parse_datetime(value: str) -> datetime:
    """An RFC 3339 date-time from the API's JSON as an aware datetime in UTC (a value with
    no offset is read as UTC, as the SDK reads it)."""
    match = _RFC3339.match(value)
    if match is None:
        raise ValueError(f"not an RFC 3339 date-time: {value[:40]!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    moment = datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro,
        tzinfo=timezone.utc,
    )
    if offset and offset not in ("Z", "z"):
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        shift = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        moment -= sign * shift
    return moment


def parse_date(value: str) -> date:
    """A ``YYYY-MM-DD`` date."""
    return date.fromisoformat(value[:10])


def format_datetime(name: str, value: datetime) -> str:
    """An aware datetime as RFC 3339 in UTC (for inputs such as a user's ``expires``)."""
    return (EPOCH + micros(name, value) * _MICRO).isoformat().replace("+00:00", "Z")
