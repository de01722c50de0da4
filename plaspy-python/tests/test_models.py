"""Models, conversions and exceptions, without a server."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

import plaspy
from plaspy import _convert
from plaspy._errors import from_native


def test_model_round_trip_equality_and_unknown_fields() -> None:
    data = {
        "dateTime": "2024-06-01T08:00:00.5-05:00",
        "latitude": 4.6,
        "longitude": -74.0,
        "speed": 12.5,
        "somethingNew": {"kept": True},
    }
    fix = plaspy.Location.from_dict(data)
    assert fix.date_time == datetime(2024, 6, 1, 13, 0, 0, 500000, tzinfo=timezone.utc)
    assert fix.date_time.tzinfo == timezone.utc
    assert (fix.latitude, fix.speed, fix.battery) == (4.6, 12.5, None)
    assert fix.to_dict() == data
    assert plaspy.Location.from_dict(fix.to_dict()) == fix
    assert fix != plaspy.Location.from_dict({**data, "speed": 13})
    assert repr(fix).startswith("Location(date_time=datetime.datetime(2024, 6, 1, 13, 0, 0, 500000")
    copy = fix.to_dict()
    copy["somethingNew"]["kept"] = False
    assert fix.to_dict()["somethingNew"] == {"kept": True}


def test_models_are_read_only() -> None:
    device = plaspy.Device.from_dict({"id": "dev-01", "name": ""})
    assert device.display_name == "dev-01"
    with pytest.raises(AttributeError, match="read-only"):
        device.name = "x"  # type: ignore[misc]


def test_report_models_durations_and_dates() -> None:
    day = plaspy.DaySummary.from_dict(
        {
            "deviceId": "dev-01",
            "date": "2024-06-01",
            "distanceKm": 12.0,
            "drivingSeconds": 5400,
            "trips": 3,
            "maxSpeedKmh": 80.0,
            "firstFix": "2024-06-01T05:00:00Z",
            "lastFix": "2024-06-01T22:00:00Z",
            "fixes": 100,
        }
    )
    assert day.date == date(2024, 6, 1)
    assert day.driving == timedelta(hours=1, minutes=30)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-06-01T08:00:00Z", datetime(2024, 6, 1, 8, tzinfo=timezone.utc)),
        ("2024-06-01T08:00:00.123456789Z", datetime(2024, 6, 1, 8, 0, 0, 123456, tzinfo=timezone.utc)),
        ("2024-06-01T08:00:00+02:00", datetime(2024, 6, 1, 6, tzinfo=timezone.utc)),
        ("2024-06-01T08:00", datetime(2024, 6, 1, 8, tzinfo=timezone.utc)),
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    assert _convert.parse_datetime(text) == expected


def test_micros_is_exact_in_any_zone() -> None:
    moment = datetime(2024, 6, 1, 8, 0, 0, 1, tzinfo=timezone.utc)
    shifted = moment.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert _convert.micros("at", moment) == _convert.micros("at", shifted) == 1717228800000001
    with pytest.raises(ValueError, match="^at is a naive datetime"):
        _convert.micros("at", datetime(2024, 6, 1))
    with pytest.raises(TypeError, match="at must be a datetime"):
        _convert.micros("at", "2024-06-01")  # type: ignore[arg-type]


def test_exceptions_from_native() -> None:
    err = from_native("rate_limited", "rate limited (retry after 3s)", 429, 3.0)
    assert isinstance(err, plaspy.RateLimitedError) and isinstance(err, plaspy.PlaspyError)
    assert err.retry_after == timedelta(seconds=3) and err.status == 429
    assert isinstance(from_native("invalid_input", "bad", None, None), ValueError)
    assert type(from_native("timeout", "timed out", None, None)) is plaspy.TimeoutError
    assert type(from_native("something_new", "?", None, None)) is plaspy.PlaspyError
    names = [
        "BadCredentialsError", "UnauthorizedError", "ForbiddenError", "NotFoundError",
        "ConflictError", "RateLimitedError", "ApiError", "HttpError", "DecodeError",
        "TransportError", "TimeoutError", "InvalidInputError",
    ]
    for name in names:
        assert issubclass(getattr(plaspy, name), plaspy.PlaspyError)


def test_fleet_entry_error_and_to_dict() -> None:
    entry = plaspy.FleetEntry._from_json(
        {
            "device": {"id": "dev-09"},
            "location": None,
            "error": {"kind": "not_found", "message": "not found: gone", "status": 404},
        }
    )
    assert isinstance(entry.error, plaspy.NotFoundError) and entry.location is None
    assert json.loads(json.dumps(entry.to_dict()))["error"] == "not found: gone"
    # The shape the native half writes (plaspy-python/src/error.rs, ErrorInfo).
    throttled = plaspy.FleetEntry._from_json(
        {
            "device": {"id": "dev-10"},
            "location": None,
            "error": {"kind": "rate_limited", "message": "rate limited", "status": 429, "retry_after": 2.5},
        }
    )
    assert isinstance(throttled.error, plaspy.RateLimitedError)
    assert throttled.error.retry_after == timedelta(seconds=2.5)


def test_feed_event_kinds() -> None:
    fix = plaspy.FeedEvent({"deviceId": "d", "dateTime": "2024-06-01T08:00:00Z", "latitude": 1, "longitude": 2})
    assert fix.event == "location" and fix.location is not None and fix.alert is None
    assert fix.location.latitude == 1.0
    alert = plaspy.FeedEvent(
        {"deviceId": "d", "alert": {"dateTime": "2024-06-01T09:00:00Z", "latitude": 1, "longitude": 2, "text": "Speeding"}}
    )
    assert alert.event == "alert" and alert.location is None
    assert alert.alert is not None and alert.alert.text == "Speeding"
    assert alert.time == datetime(2024, 6, 1, 9, tzinfo=timezone.utc)


def test_sandbox_exposes_demo_credentials_and_closes() -> None:
    with plaspy.Sandbox(devices=30, latency=timedelta(milliseconds=1)) as sandbox:
        assert sandbox.url.startswith("http://127.0.0.1:")
        assert (sandbox.username, sandbox.api_key) == ("demo", "demo-key")
        assert len(sandbox.client().devices.list()) == 30
        assert "running" in repr(sandbox)
    assert "closed" in repr(sandbox)
    sandbox.close()  # idempotent
