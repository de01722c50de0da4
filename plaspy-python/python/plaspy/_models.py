"""The models: read-only Python classes over the API's JSON.

Each model keeps the JSON the API sent (unknown fields included): ``to_dict()`` gives it
back, equality compares it, and each attribute reads one field in snake_case, converted
(date-times as aware ``datetime`` in UTC, durations as ``timedelta``).
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import (
    Any,
    Callable,
    ClassVar,
    Dict,
    Generic,
    List,
    Mapping,
    NoReturn,
    Optional,
    Tuple,
    TypeVar,
    overload,
)

from . import _convert
from ._errors import PlaspyError, from_native

__all__ = [
    "Model",
    "Device",
    "Location",
    "AlertEvent",
    "Group",
    "User",
    "Trip",
    "Stop",
    "DaySummary",
    "FleetEntry",
    "FeedEvent",
]

T = TypeVar("T")


class _Field(Generic[T]):
    """A read-only attribute reading one key of the model's JSON."""

    def __init__(self, key: str, convert: Callable[[Any], T]) -> None:
        self.key = key
        self.convert = convert
        self.name = key

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: Optional[type] = None) -> _Field[T]: ...

    @overload
    def __get__(self, obj: Model, owner: Optional[type] = None) -> T: ...

    def __get__(self, obj: Optional[Model], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        return self.convert(obj._data.get(self.key))

    def __set__(self, obj: Model, value: Any) -> NoReturn:
        raise AttributeError(f"{type(obj).__name__}.{self.name} is read-only")


def _str(v: Any) -> str:
    return "" if v is None else str(v)


def _opt_str(v: Any) -> Optional[str]:
    return None if v is None else str(v)


def _float(v: Any) -> float:
    return float(v)


def _opt_float(v: Any) -> Optional[float]:
    return None if v is None else float(v)


def _int(v: Any) -> int:
    return int(v)


def _opt_int(v: Any) -> Optional[int]:
    return None if v is None else int(v)


def _bool(v: Any) -> bool:
    return bool(v)


def _opt_bool(v: Any) -> Optional[bool]:
    return None if v is None else bool(v)


def _dt(v: Any) -> datetime:
    return _convert.parse_datetime(str(v))


def _opt_dt(v: Any) -> Optional[datetime]:
    return None if v is None or v == "" else _convert.parse_datetime(str(v))


def _date(v: Any) -> date:
    return _convert.parse_date(str(v))


def _seconds(v: Any) -> timedelta:
    return timedelta(seconds=int(v))


def _opt_texts(v: Any) -> Optional[List[str]]:
    return None if v is None else [str(x) for x in v]


def _opt_flags(v: Any) -> Optional[List[bool]]:
    return None if v is None else [bool(x) for x in v]


def _opt_map(v: Any) -> Optional[Dict[str, str]]:
    return None if v is None else {str(k): str(x) for k, x in v.items()}


def _opt_maps(v: Any) -> Optional[List[Dict[str, str]]]:
    return None if v is None else [{str(k): str(x) for k, x in m.items()} for m in v]


class Model:
    """Base of the models: the API's JSON, read through typed attributes."""

    __slots__ = ("_data",)
    #: The attributes ``repr`` shows.
    _REPR: ClassVar[Tuple[str, ...]] = ()

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data: Dict[str, Any] = dict(data)

    @classmethod
    def from_dict(cls: type[M], data: Mapping[str, Any]) -> M:
        """A model from the API's JSON (as ``to_dict()`` gives it)."""
        return cls(copy.deepcopy(dict(data)))

    def to_dict(self) -> Dict[str, Any]:
        """The API's JSON for this object (camelCase keys, unknown fields kept)."""
        return copy.deepcopy(self._data)

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other) or not isinstance(other, Model):
            return NotImplemented
        return self._data == other._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._REPR)
        return f"{type(self).__name__}({shown})"


M = TypeVar("M", bound=Model)


class Device(Model):
    """A tracked device (``GET /api/devices``)."""

    __slots__ = ()
    _REPR = ("id", "name")
    id = _Field("id", _str)
    name = _Field("name", _opt_str)
    description = _Field("description", _opt_str)
    min = _Field("min", _opt_str)
    tags = _Field("tags", _opt_map)
    expires = _Field("expires", _opt_dt)

    @property
    def display_name(self) -> str:
        """The name, or the id when the device has no name."""
        return self.name or self.id


class Location(Model):
    """One position fix, with the sensor readings that came with it."""

    __slots__ = ()
    _REPR = ("date_time", "latitude", "longitude", "speed")
    date_time = _Field("dateTime", _dt)
    latitude = _Field("latitude", _float)
    longitude = _Field("longitude", _float)
    speed = _Field("speed", _opt_float)
    course = _Field("course", _opt_float)
    battery = _Field("battery", _opt_int)
    fuel = _Field("fuel", _opt_int)
    fuel2 = _Field("fuel2", _opt_int)
    temperature = _Field("temperature", _opt_float)
    temperature2 = _Field("temperature2", _opt_float)
    sensor_time1 = _Field("sensorTime1", _opt_int)
    sensor_time2 = _Field("sensorTime2", _opt_int)
    sensor_time3 = _Field("sensorTime3", _opt_int)
    sensor_time4 = _Field("sensorTime4", _opt_int)
    inactive_seconds = _Field("inactiveSeconds", _opt_int)
    rpm = _Field("rpm", _opt_int)
    mileage = _Field("mileage", _opt_float)
    warning_texts = _Field("warningTexts", _opt_texts)
    alert_texts = _Field("alertTexts", _opt_texts)
    alerts = _Field("alerts", _opt_texts)
    warnings = _Field("warnings", _opt_texts)
    has_critical_alert = _Field("hasCriticalAlert", _opt_bool)
    attributes = _Field("attributes", _opt_map)
    accessories_attributes = _Field("accessoriesAttributes", _opt_maps)
    inputs = _Field("inputs", _opt_flags)
    outputs = _Field("outputs", _opt_flags)


class AlertEvent(Model):
    """One alert that fired for a device."""

    __slots__ = ()
    _REPR = ("date_time", "text")
    date_time = _Field("dateTime", _dt)
    latitude = _Field("latitude", _float)
    longitude = _Field("longitude", _float)
    text = _Field("text", _opt_str)
    notifications = _Field("notifications", _opt_texts)
    alerts = _Field("alerts", _opt_texts)


class Group(Model):
    """A group of devices."""

    __slots__ = ()
    _REPR = ("id", "name")
    id = _Field("id", _str)
    name = _Field("name", _str)
    description = _Field("description", _opt_str)
    devices = _Field("devices", _opt_texts)
    creation = _Field("creation", _opt_dt)
    last_modified = _Field("lastModified", _opt_dt)


class User(Model):
    """A user of the account (the password is write-only: never read back)."""

    __slots__ = ()
    _REPR = ("id", "name", "email")
    id = _Field("id", _str)
    name = _Field("name", _str)
    email = _Field("email", _str)
    country = _Field("country", _str)
    time_zone = _Field("timeZone", _str)
    description = _Field("description", _opt_str)
    message = _Field("message", _opt_str)
    disabled = _Field("disabled", _opt_bool)
    disabled_message = _Field("disabledMessage", _opt_str)
    tags = _Field("tags", _opt_map)
    privileges = _Field("privileges", _opt_texts)
    group = _Field("group", _opt_str)
    device_id = _Field("deviceId", _opt_str)
    admin_devices = _Field("adminDevices", _opt_int)
    valid_from = _Field("from", _opt_dt)
    expires = _Field("expires", _opt_dt)
    creation = _Field("creation", _opt_dt)
    modification = _Field("modification", _opt_dt)
    last_login = _Field("lastLogin", _opt_dt)


class Trip(Model):
    """One trip, from a departure fix to an arrival fix (see plaspy-fleet)."""

    __slots__ = ()
    _REPR = ("device_id", "start", "end", "distance_km")
    device_id = _Field("deviceId", _str)
    start = _Field("start", _dt)
    end = _Field("end", _dt)
    start_latitude = _Field("startLatitude", _float)
    start_longitude = _Field("startLongitude", _float)
    end_latitude = _Field("endLatitude", _float)
    end_longitude = _Field("endLongitude", _float)
    distance_km = _Field("distanceKm", _float)
    duration = _Field("durationSeconds", _seconds)
    max_speed_kmh = _Field("maxSpeedKmh", _float)
    avg_speed_kmh = _Field("avgSpeedKmh", _float)
    mileage_delta = _Field("mileageDelta", _opt_float)
    fixes = _Field("fixes", _int)
    starts_mid_trip = _Field("startsMidTrip", _bool)
    ends_mid_trip = _Field("endsMidTrip", _bool)


class Stop(Model):
    """One stop: the device stood still for at least the minimum stop time."""

    __slots__ = ()
    _REPR = ("device_id", "start", "end")
    device_id = _Field("deviceId", _str)
    start = _Field("start", _dt)
    end = _Field("end", _dt)
    duration = _Field("durationSeconds", _seconds)
    latitude = _Field("latitude", _float)
    longitude = _Field("longitude", _float)
    starts_mid_stop = _Field("startsMidStop", _bool)
    ends_mid_stop = _Field("endsMidStop", _bool)


class DaySummary(Model):
    """One device's day (days cut at midnight in the zone asked for)."""

    __slots__ = ()
    _REPR = ("device_id", "date", "distance_km", "trips")
    device_id = _Field("deviceId", _str)
    date = _Field("date", _date)
    distance_km = _Field("distanceKm", _float)
    driving = _Field("drivingSeconds", _seconds)
    trips = _Field("trips", _int)
    max_speed_kmh = _Field("maxSpeedKmh", _float)
    first_fix = _Field("firstFix", _dt)
    last_fix = _Field("lastFix", _dt)
    fixes = _Field("fixes", _int)


class FleetEntry:
    """One device of ``fleet.snapshot()``: its last position, or why it could not be read."""

    __slots__ = ("device", "location", "error")

    def __init__(
        self, device: Device, location: Optional[Location], error: Optional[PlaspyError]
    ) -> None:
        #: The device, as the device list gave it.
        self.device = device
        #: Its last position (``None``: never reported one, or ``error`` is set).
        self.location = location
        #: Why its position could not be read, if it could not.
        self.error = error

    @classmethod
    def _from_json(cls, data: Mapping[str, Any]) -> FleetEntry:
        location = data.get("location")
        error = data.get("error")
        return cls(
            Device(data["device"]),
            None if location is None else Location(location),
            None
            if error is None
            else from_native(
                error["kind"], error["message"], error.get("status"), error.get("retry_after")
            ),
        )

    def to_dict(self) -> Dict[str, Any]:
        """``{"device": ..., "location": ... or None, "error": message or None}``."""
        return {
            "device": self.device.to_dict(),
            "location": None if self.location is None else self.location.to_dict(),
            "error": None if self.error is None else self.error.message,
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FleetEntry):
            return NotImplemented
        return (self.device, self.location, self.error) == (
            other.device,
            other.location,
            other.error,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FleetEntry(device={self.device!r}, location={self.location!r}, error={self.error!r})"


class FeedEvent(Model):
    """One new item of a feed: a position (``event == "location"``) or an alert."""

    __slots__ = ()
    _REPR = ("device_id", "event", "time")
    device_id = _Field("deviceId", _str)

    @property
    def event(self) -> str:
        """``"location"`` or ``"alert"``."""
        return "alert" if "alert" in self._data else "location"

    @property
    def location(self) -> Optional[Location]:
        """The fix, for a position event."""
        if self.event != "location":
            return None
        return Location({k: v for k, v in self._data.items() if k != "deviceId"})

    @property
    def alert(self) -> Optional[AlertEvent]:
        """The alert, for an alert event."""
        alert = self._data.get("alert")
        return None if alert is None else AlertEvent(alert)

    @property
    def time(self) -> datetime:
        """When the fix was taken or the alert fired (UTC)."""
        alert = self.alert
        if alert is not None:
            return alert.date_time
        return _dt(self._data.get("dateTime"))
