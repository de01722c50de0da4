"""``plaspy.AsyncClient``: the asyncio client, over plaspy-async (its calls run on a tokio
runtime without the GIL; each method is a coroutine)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, tzinfo
from typing import Any, AsyncIterator, Dict, List, Mapping, Optional, Sequence, Union

from . import _convert as cv
from . import _ops as ops
from ._models import AlertEvent, DaySummary, Device, FeedEvent, FleetEntry, Group, Location
from ._models import Stop, Trip, User
from ._native import NativeAsyncClient, NativeAsyncFeed

__all__ = ["AsyncClient", "AsyncFeed"]


class _Part:
    __slots__ = ("_native",)

    def __init__(self, native: NativeAsyncClient) -> None:
        self._native = native

    async def _run(self, call: ops.Call[ops.T]) -> ops.T:
        answer: str = await self._native.call(call.op)
        return call.result(answer)


class Devices(_Part):
    """``client.devices``: list, details, positions, alerts, commands, history, reports."""

    __slots__ = ()

    async def list(self) -> List[Device]:
        """Every device of the account."""
        return await self._run(ops.devices_list())

    async def get(self, id: str) -> Device:
        """One device; :class:`NotFoundError` if there is none with this id."""
        return await self._run(ops.devices_get(id))

    async def last_location(self, id: str) -> Optional[Location]:
        """The device's last fix (``None``: it never reported one)."""
        return await self._run(ops.devices_last_location(id))

    async def locations(self, id: str, start: datetime, end: datetime) -> List[Location]:
        """The fixes between two aware datetimes: one request, within the API's limits
        (31 days); use :meth:`location_history` for any range."""
        return await self._run(ops.devices_locations(id, start, end))

    async def alerts(
        self, id: str, start: datetime, end: datetime, name: Optional[str] = None
    ) -> List[AlertEvent]:
        """The alerts between two aware datetimes, optionally of one alert name."""
        return await self._run(ops.devices_alerts(id, start, end, name))

    async def send_command(
        self, id: str, command: str, *, format: str = "text", sms: Optional[bool] = None
    ) -> str:
        """Sends a command to the device's tracker and returns the server's answer. It acts
        on a real vehicle and is never repeated automatically."""
        return await self._run(ops.devices_send_command(id, command, format, sms))

    def location_history(self, id: str, start: datetime, end: datetime) -> AsyncIterator[Location]:
        """The fixes over any range, in time order with none twice, fetched window by
        window as you iterate (``async for``)."""
        native = self._native.location_history(ops.history_spec(id, start, end))

        async def fixes() -> AsyncIterator[Location]:
            while True:
                page: Optional[str] = await native.next_page()
                if page is None:
                    return
                for fix in json.loads(page):
                    yield Location(fix)

        return fixes()

    async def trips(self, id: str, start: datetime, end: datetime) -> List[Trip]:
        """The device's trips over any range."""
        return await self._run(ops.devices_trips(id, start, end))

    async def stops(self, id: str, start: datetime, end: datetime) -> List[Stop]:
        """The device's stops over any range."""
        return await self._run(ops.devices_stops(id, start, end))

    async def summary(
        self, id: str, start: datetime, end: datetime, tz: Union[str, tzinfo, None] = None
    ) -> List[DaySummary]:
        """One summary per day, days cut at midnight in ``tz`` (an IANA name, a ZoneInfo
        or a fixed ``timezone``; UTC by default)."""
        return await self._run(ops.devices_summary(id, start, end, tz))


class Groups(_Part):
    """``client.groups``: list, get, create, update, patch, delete."""

    __slots__ = ()

    async def list(self) -> List[Group]:
        """Every group."""
        return await self._run(ops.list_all("groups", Group))

    async def get(self, id: str) -> Group:
        """One group."""
        return await self._run(ops.get("groups", id, Group))

    async def create(
        self, name: str, description: Optional[str] = None, devices: Optional[Sequence[str]] = None
    ) -> Group:
        """Creates a group and returns it (with its ``id``)."""
        return await self._run(ops.create("groups", ops.group_input(name, description, devices), Group))

    async def update(
        self,
        id: str,
        name: str,
        description: Optional[str] = None,
        devices: Optional[Sequence[str]] = None,
    ) -> Group:
        """Replaces a group."""
        input = ops.group_input(name, description, devices)
        return await self._run(ops.update("groups", id, input, Group))

    async def patch(self, id: str, operations: Sequence[ops.PatchOperation]) -> Group:
        """Applies JSON Patch operations (``[{"op": "replace", "path": "/name", "value": "x"}]``)."""
        return await self._run(ops.patch("groups", id, operations, Group))

    async def delete(self, id: str) -> None:
        """Deletes a group."""
        await self._run(ops.delete("groups", id))


class Users(_Part):
    """``client.users``: list, get, create, update, patch, delete; countries, time zones."""

    __slots__ = ()

    async def list(self) -> List[User]:
        """Every user."""
        return await self._run(ops.list_all("users", User))

    async def get(self, id: str) -> User:
        """One user."""
        return await self._run(ops.get("users", id, User))

    async def create(
        self,
        name: str,
        email: str,
        country: str,
        time_zone: str,
        *,
        password: Optional[str] = None,
        description: Optional[str] = None,
        message: Optional[str] = None,
        disabled: Optional[bool] = None,
        disabled_message: Optional[str] = None,
        tags: Optional[Mapping[str, str]] = None,
        privileges: Optional[Sequence[str]] = None,
        group: Optional[str] = None,
        device_id: Optional[str] = None,
        admin_devices: Optional[int] = None,
        valid_from: Optional[datetime] = None,
        expires: Optional[datetime] = None,
    ) -> User:
        """Creates a user and returns it (with its ``id``; the password is never read back)."""
        fields = dict(locals())
        del fields["self"]
        return await self._run(ops.create("users", ops.user_input(fields), User))

    async def update(
        self,
        id: str,
        name: str,
        email: str,
        country: str,
        time_zone: str,
        *,
        password: Optional[str] = None,
        description: Optional[str] = None,
        message: Optional[str] = None,
        disabled: Optional[bool] = None,
        disabled_message: Optional[str] = None,
        tags: Optional[Mapping[str, str]] = None,
        privileges: Optional[Sequence[str]] = None,
        group: Optional[str] = None,
        device_id: Optional[str] = None,
        admin_devices: Optional[int] = None,
        valid_from: Optional[datetime] = None,
        expires: Optional[datetime] = None,
    ) -> User:
        """Replaces a user."""
        fields = dict(locals())
        del fields["self"], fields["id"]
        return await self._run(ops.update("users", id, ops.user_input(fields), User))

    async def patch(self, id: str, operations: Sequence[ops.PatchOperation]) -> User:
        """Applies JSON Patch operations."""
        return await self._run(ops.patch("users", id, operations, User))

    async def delete(self, id: str) -> None:
        """Deletes a user."""
        await self._run(ops.delete("users", id))

    async def countries(self) -> Dict[str, str]:
        """Countries users may be in: ISO 3166 alpha-2 code to name."""
        return await self._run(ops.users_countries())

    async def time_zones(self) -> Dict[str, str]:
        """Time zones users may be in: IANA id to display name."""
        return await self._run(ops.users_time_zones())


class Fleet(_Part):
    """``client.fleet``: every device with its last position, fetched concurrently."""

    __slots__ = ()

    async def snapshot(
        self, concurrency: Optional[int] = None, group: Optional[str] = None
    ) -> List[FleetEntry]:
        """Every device (or every device of ``group``) with its last position, ``concurrency``
        requests at a time (32 by default). One device's failure stays in its entry's
        ``.error``."""
        return await self._run(ops.fleet_snapshot(concurrency, group))


class AsyncFeed:
    """New positions as they arrive, each exactly once, in time order per device: an
    endless async iterator (``async for``; each step polls, every interval, until there
    is a new one). Save
    :attr:`cursor` (JSON-serialisable) and pass it as ``cursor=`` to go on later.

    A failed poll raises its :class:`PlaspyError` from ``__anext__``; the feed stays usable
    and the next step goes on (the cursor did not move past anything not handed out)."""

    __slots__ = ("_native",)

    def __init__(self, native: NativeAsyncFeed) -> None:
        self._native = native

    def __aiter__(self) -> AsyncFeed:
        return self

    async def __anext__(self) -> FeedEvent:
        event: str = await self._native.next_event()
        return FeedEvent(json.loads(event))

    @property
    def cursor(self) -> Dict[str, Any]:
        """Where the feed has got: covers exactly the events handed out so far."""
        cursor: Dict[str, Any] = json.loads(self._native.cursor())
        return cursor

    def __repr__(self) -> str:
        return "AsyncFeed(...)"


class AsyncClient:
    """A Plaspy API client (asyncio). Its methods are coroutines; one client serves any
    number of concurrent tasks.

    ``AsyncClient(username, api_key, base_url=None, timeout=None, rate_limit=None)``:
    ``timeout`` bounds each attempt (a ``timedelta``), ``rate_limit`` caps requests per
    minute. The API key is kept on the Rust side and never shown.
    """

    __slots__ = ("_native", "devices", "groups", "users", "fleet")

    def __init__(
        self,
        username: str,
        api_key: str,
        base_url: Optional[str] = None,
        timeout: Optional[timedelta] = None,
        rate_limit: Optional[int] = None,
    ) -> None:
        native = NativeAsyncClient(
            cv.text("username", username),
            cv.text("api_key", api_key),
            None if base_url is None else cv.text("base_url", base_url),
            None if timeout is None else cv.millis("timeout", timeout),
            cv.positive("rate_limit", rate_limit),
        )
        self._attach(native)

    def _attach(self, native: NativeAsyncClient) -> None:
        self._native = native
        #: Devices: list, details, positions, alerts, commands, history, reports.
        self.devices = Devices(native)
        #: Groups of devices.
        self.groups = Groups(native)
        #: Users of the account.
        self.users = Users(native)
        #: The whole fleet at once.
        self.fleet = Fleet(native)

    @classmethod
    def from_env(cls) -> AsyncClient:
        """A client from ``PLASPY_USERNAME``, ``PLASPY_API_KEY`` and, if set,
        ``PLASPY_BASE_URL``."""
        client = cls.__new__(cls)
        client._attach(NativeAsyncClient.from_env())
        return client

    @property
    def username(self) -> str:
        """The account's user name."""
        return self._native.username

    @property
    def base_url(self) -> str:
        """Where requests go."""
        return self._native.base_url

    def feed(
        self,
        devices: Optional[Sequence[str]] = None,
        group: Optional[str] = None,
        since: Union[datetime, timedelta, None] = None,
        cursor: Optional[Mapping[str, Any]] = None,
        interval: Optional[timedelta] = None,
    ) -> AsyncFeed:
        """A feed of new positions: of ``devices``, of a ``group``, or of every device;
        starting at ``since`` (an aware datetime, or a timedelta meaning that long ago;
        the present by default) or resuming from a saved ``cursor``; polling every
        ``interval`` (30 s by default)."""
        spec = ops.feed_spec(devices, group, since, cursor, interval)
        return AsyncFeed(self._native.feed(spec))

    def __repr__(self) -> str:
        return f"AsyncClient(username={self.username!r}, base_url={self.base_url!r})"
