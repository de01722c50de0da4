"""Every call, once for both clients: checks the arguments, builds the op the native half
runs (JSON) and knows how to read its answer. ``Client`` runs a :class:`Call` and returns
its result; ``AsyncClient`` awaits it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, tzinfo
from typing import Any, Callable, Dict, Generic, List, Mapping, Optional, Sequence, TypeVar, Union

from . import _convert as cv
from ._models import (
    AlertEvent,
    DaySummary,
    Device,
    FleetEntry,
    Group,
    Location,
    Model,
    Stop,
    Trip,
    User,
)

T = TypeVar("T")
M = TypeVar("M", bound=Model)

#: A JSON Patch operation: ``{"op": "replace", "path": "/name", "value": "North"}``.
PatchOperation = Mapping[str, Any]


class Call(Generic[T]):
    """One op for the native half, and how to read its answer."""

    __slots__ = ("op", "read")

    def __init__(self, op: Dict[str, Any], read: Callable[[Any], T]) -> None:
        self.op = json.dumps(op)
        self.read = read

    def result(self, answer: str) -> T:
        """The answer (JSON text) as the call's result."""
        return self.read(json.loads(answer))


def _one(model: type[M]) -> Callable[[Any], M]:
    return model


def _many(model: type[M]) -> Callable[[Any], List[M]]:
    return lambda items: [model(item) for item in items]


def _maybe(model: type[M]) -> Callable[[Any], Optional[M]]:
    return lambda item: None if item is None else model(item)


def _nothing(_: Any) -> None:
    return None


def _text(value: Any) -> str:
    return str(value)


def _names(value: Any) -> Dict[str, str]:
    return {str(k): str(v) for k, v in value.items()}


def _range(start: datetime, end: datetime) -> Dict[str, int]:
    return {"start": cv.micros("start", start), "end": cv.micros("end", end)}


def _without_none(fields: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _patch(operations: Sequence[PatchOperation]) -> List[Dict[str, Any]]:
    if isinstance(operations, Mapping):
        raise TypeError("operations must be a list of JSON Patch operations, not one mapping")
    return [dict(operation) for operation in operations]


# devices


def devices_list() -> Call[List[Device]]:
    return Call({"op": "devices_list"}, _many(Device))


def devices_get(id: str) -> Call[Device]:
    return Call({"op": "devices_get", "id": cv.text("id", id)}, _one(Device))


def devices_last_location(id: str) -> Call[Optional[Location]]:
    return Call({"op": "devices_last_location", "id": cv.text("id", id)}, _maybe(Location))


def devices_locations(id: str, start: datetime, end: datetime) -> Call[List[Location]]:
    op = {"op": "devices_locations", "id": cv.text("id", id), **_range(start, end)}
    return Call(op, _many(Location))


def devices_alerts(
    id: str, start: datetime, end: datetime, name: Optional[str]
) -> Call[List[AlertEvent]]:
    op = {"op": "devices_alerts", "id": cv.text("id", id), **_range(start, end)}
    if name is not None:
        op["name"] = cv.text("name", name)
    return Call(op, _many(AlertEvent))


def devices_send_command(id: str, command: str, format: str, sms: Optional[bool]) -> Call[str]:
    body = _without_none(
        {"command": cv.text("command", command), "format": cv.text("format", format), "sms": sms}
    )
    return Call({"op": "devices_send_command", "id": cv.text("id", id), "command": body}, _text)


def devices_trips(id: str, start: datetime, end: datetime) -> Call[List[Trip]]:
    op = {"op": "devices_trips", "id": cv.text("id", id), **_range(start, end)}
    return Call(op, _many(Trip))


def devices_stops(id: str, start: datetime, end: datetime) -> Call[List[Stop]]:
    op = {"op": "devices_stops", "id": cv.text("id", id), **_range(start, end)}
    return Call(op, _many(Stop))


def devices_summary(
    id: str, start: datetime, end: datetime, tz: Union[str, tzinfo, None]
) -> Call[List[DaySummary]]:
    op = {"op": "devices_summary", "id": cv.text("id", id), **_range(start, end)}
    zone = cv.zone("tz", tz)
    if zone is not None:
        op["tz"] = zone
    return Call(op, _many(DaySummary))


def history_spec(id: str, start: datetime, end: datetime) -> str:
    """The spec of ``location_history``."""
    return json.dumps({"id": cv.text("id", id), **_range(start, end)})


# groups and users


def group_input(
    name: str, description: Optional[str], devices: Optional[Sequence[str]]
) -> Dict[str, Any]:
    """A group's JSON for create / update."""
    return _without_none(
        {
            "name": cv.text("name", name),
            "description": None if description is None else cv.text("description", description),
            "devices": None if devices is None else cv.texts("devices", devices),
        }
    )


def user_input(fields: Dict[str, Any]) -> Dict[str, Any]:
    """A user's JSON for create / update, from the keyword arguments."""
    keys = {
        "name": "name",
        "email": "email",
        "country": "country",
        "time_zone": "timeZone",
        "password": "password",
        "description": "description",
        "message": "message",
        "disabled": "disabled",
        "disabled_message": "disabledMessage",
        "tags": "tags",
        "privileges": "privileges",
        "group": "group",
        "device_id": "deviceId",
        "admin_devices": "adminDevices",
        "valid_from": "from",
        "expires": "expires",
    }
    body: Dict[str, Any] = {}
    for name, value in fields.items():
        if value is None:
            continue
        if name in ("valid_from", "expires"):
            value = cv.format_datetime(name, value)
        elif name in ("privileges",):
            value = cv.texts(name, value)
        elif name == "tags":
            value = {cv.text("tags", k): cv.text("tags", v) for k, v in dict(value).items()}
        elif name == "disabled":
            if not isinstance(value, bool):
                raise TypeError(f"disabled must be a bool, not {type(value).__name__}")
        elif name == "admin_devices":
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"admin_devices must be an int, not {type(value).__name__}")
        else:
            value = cv.text(name, value)
        body[keys[name]] = value
    return body


def create(collection: str, input: Dict[str, Any], model: type[M]) -> Call[M]:
    return Call({"op": f"{collection}_create", "input": input}, _one(model))


def update(collection: str, id: str, input: Dict[str, Any], model: type[M]) -> Call[M]:
    op = {"op": f"{collection}_update", "id": cv.text("id", id), "input": input}
    return Call(op, _one(model))


def patch(
    collection: str, id: str, operations: Sequence[PatchOperation], model: type[M]
) -> Call[M]:
    op = {"op": f"{collection}_patch", "id": cv.text("id", id), "operations": _patch(operations)}
    return Call(op, _one(model))


def list_all(collection: str, model: type[M]) -> Call[List[M]]:
    return Call({"op": f"{collection}_list"}, _many(model))


def get(collection: str, id: str, model: type[M]) -> Call[M]:
    return Call({"op": f"{collection}_get", "id": cv.text("id", id)}, _one(model))


def delete(collection: str, id: str) -> Call[None]:
    return Call({"op": f"{collection}_delete", "id": cv.text("id", id)}, _nothing)


def users_countries() -> Call[Dict[str, str]]:
    return Call({"op": "users_countries"}, _names)


def users_time_zones() -> Call[Dict[str, str]]:
    return Call({"op": "users_time_zones"}, _names)


# fleet and feed


def fleet_snapshot(concurrency: Optional[int], group: Optional[str]) -> Call[List[FleetEntry]]:
    op = _without_none(
        {
            "op": "fleet_snapshot",
            "concurrency": cv.positive("concurrency", concurrency),
            "group": None if group is None else cv.text("group", group),
        }
    )
    return Call(op, lambda entries: [FleetEntry._from_json(e) for e in entries])


def feed_spec(
    devices: Optional[Sequence[str]],
    group: Optional[str],
    since: Union[datetime, timedelta, None],
    cursor: Optional[Any],
    interval: Optional[timedelta],
) -> str:
    """The spec of ``client.feed(...)``."""
    if devices is not None and group is not None:
        raise ValueError("give devices or group, not both")
    spec: Dict[str, Any] = {}
    if devices is not None:
        spec["devices"] = cv.texts("devices", devices)
    if group is not None:
        spec["group"] = cv.text("group", group)
    if isinstance(since, timedelta):
        spec["since_ago_ms"] = cv.millis("since", since)
    elif since is not None:
        spec["since"] = cv.micros("since", since)
    if cursor is not None:
        if not isinstance(cursor, Mapping):
            raise TypeError(
                f"cursor must be a saved feed.cursor (a dict), not {type(cursor).__name__}"
            )
        spec["cursor"] = cursor
    if interval is not None:
        spec["interval_ms"] = cv.millis("interval", interval)
    return json.dumps(spec)
