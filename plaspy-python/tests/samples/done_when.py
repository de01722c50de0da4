"""The issue's "done when" program: both clients against plaspy.Sandbox(). Run by the test
suite (tests/test_done_when.py) and checked with ``mypy --strict`` (tests/test_typing.py)."""

from __future__ import annotations

import asyncio
import itertools
import json
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Tuple
from zoneinfo import ZoneInfo

import plaspy


def sync_part(sandbox: plaspy.Sandbox) -> Dict[str, int]:
    client = plaspy.Client(
        username=sandbox.username, api_key=sandbox.api_key, base_url=sandbox.url
    )
    devices = client.devices.list()
    assert len(devices) == 27, len(devices)

    # Fixes in any zone: the same instants in Tokyo and in UTC give the same fixes, in UTC.
    end = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=1)
    start = end - timedelta(hours=6)
    tokyo = ZoneInfo("Asia/Tokyo")
    in_tokyo = client.devices.locations("dev-01", start.astimezone(tokyo), end.astimezone(tokyo))
    in_utc = client.devices.locations("dev-01", start, end)
    assert in_tokyo == in_utc and in_utc, "the zone of the arguments changed the answer"
    assert all(fix.date_time.utcoffset() == timedelta(0) for fix in in_utc)

    # 40 days of history, in order, none twice.
    history = list(client.devices.location_history("dev-01", end - timedelta(days=40), end))
    times = [fix.date_time for fix in history]
    assert times == sorted(times), "history out of order"
    assert len(set(times)) == len(times), "a fix came twice"
    assert times[0] - (end - timedelta(days=40)) < timedelta(hours=1), times[0]
    assert end - times[-1] < timedelta(hours=1), times[-1]

    # The fleet at once.
    fleet = client.fleet.snapshot()
    assert len(fleet) == 27 and all(entry.error is None for entry in fleet)
    located = sum(1 for entry in fleet if entry.location is not None)

    # A feed, saved and resumed from its cursor.
    since = end - timedelta(hours=1)
    feed = client.feed(devices=["dev-01", "dev-02"], since=since, interval=timedelta(seconds=1))
    first = list(itertools.islice(feed, 10))
    saved = json.dumps(feed.cursor)
    rest = list(itertools.islice(feed, 10))
    resumed = client.feed(cursor=json.loads(saved), devices=["dev-01", "dev-02"])
    again = list(itertools.islice(resumed, 10))
    assert again == rest, "the resumed feed lost or repeated an event"
    assert not set(map(_key, first)) & set(map(_key, again))

    # Errors are exceptions.
    try:
        client.devices.get("no-such-device")
        raise AssertionError("no NotFoundError")
    except plaspy.NotFoundError as err:
        assert err.status == 404
    try:
        plaspy.Client("demo", "not-the-key", base_url=sandbox.url).devices.list()
        raise AssertionError("no BadCredentialsError")
    except plaspy.BadCredentialsError as err:
        assert "not-the-key" not in str(err)
    return {"devices": len(devices), "fixes": len(history), "located": located}


def _key(event: plaspy.FeedEvent) -> Tuple[str, datetime]:
    return (event.device_id, event.time)


async def async_part(sandbox: plaspy.Sandbox) -> Dict[str, int]:
    client = plaspy.AsyncClient(sandbox.username, sandbox.api_key, base_url=sandbox.url)
    devices, fleet = await asyncio.gather(client.devices.list(), client.fleet.snapshot())
    assert len(devices) == 27 and len(fleet) == 27

    end = datetime.now(ZoneInfo("America/Bogota")).replace(microsecond=0) - timedelta(hours=1)
    times: List[datetime] = []
    async for fix in client.devices.location_history("dev-02", end - timedelta(days=40), end):
        times.append(fix.date_time)
    assert times == sorted(times) and len(set(times)) == len(times)

    feed = client.feed(group="grp-1", since=timedelta(hours=2), interval=timedelta(seconds=1))
    first = [await feed.__anext__() for _ in range(5)]
    resumed = client.feed(group="grp-1", cursor=json.loads(json.dumps(feed.cursor)))
    following = [await feed.__anext__() for _ in range(5)]
    assert [await resumed.__anext__() for _ in range(5)] == following
    assert not set(map(_key, first)) & set(map(_key, following))

    try:
        await client.groups.get("no-such-group")
        raise AssertionError("no NotFoundError")
    except plaspy.NotFoundError:
        pass
    try:
        await plaspy.AsyncClient("demo", "wrong", base_url=sandbox.url).devices.list()
        raise AssertionError("no BadCredentialsError")
    except plaspy.BadCredentialsError:
        pass
    return {"devices": len(devices), "fixes": len(times)}


def main() -> None:
    with plaspy.Sandbox() as sandbox:
        print("sync:", sync_part(sandbox))
        print("async:", asyncio.run(async_part(sandbox)))


if __name__ == "__main__":
    main()
