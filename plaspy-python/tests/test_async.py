"""plaspy.AsyncClient against the embedded sandbox."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from typing import List
from zoneinfo import ZoneInfo

import pytest

import plaspy


@pytest.mark.asyncio
async def test_devices_and_fleet_concurrently(aclient: plaspy.AsyncClient) -> None:
    devices, fleet, one = await asyncio.gather(
        aclient.devices.list(), aclient.fleet.snapshot(), aclient.devices.get("dev-07")
    )
    assert len(devices) == 27 and len(fleet) == 27
    assert one in devices
    assert [e.device for e in fleet] == devices


@pytest.mark.asyncio
async def test_same_answers_as_the_sync_client(
    aclient: plaspy.AsyncClient, client: plaspy.Client, past_hour: datetime
) -> None:
    start = past_hour - timedelta(hours=5)
    assert await aclient.devices.locations("dev-01", start, past_hour) == (
        client.devices.locations("dev-01", start, past_hour)
    )
    assert await aclient.devices.trips("dev-01", start, past_hour) == (
        client.devices.trips("dev-01", start, past_hour)
    )
    assert await aclient.devices.summary("dev-01", start, past_hour, tz="Asia/Tokyo") == (
        client.devices.summary("dev-01", start, past_hour, tz="Asia/Tokyo")
    )
    assert await aclient.groups.list() == client.groups.list()
    assert await aclient.users.countries() == client.users.countries()


@pytest.mark.asyncio
async def test_history_is_an_async_iterator(
    aclient: plaspy.AsyncClient, past_hour: datetime
) -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    end = past_hour.astimezone(tokyo)
    fixes: List[plaspy.Location] = []
    async for fix in aclient.devices.location_history("dev-06", end - timedelta(days=35), end):
        fixes.append(fix)
    times = [f.date_time for f in fixes]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert all(t.tzinfo == timezone.utc for t in times)
    with pytest.raises(ValueError, match="^end is a naive datetime"):
        aclient.devices.location_history("dev-06", end, datetime.now())


@pytest.mark.asyncio
async def test_errors(aclient: plaspy.AsyncClient, sandbox: plaspy.Sandbox) -> None:
    with pytest.raises(plaspy.NotFoundError) as caught:
        await aclient.devices.last_location("no-such-device")
    assert caught.value.status == 404
    bad = plaspy.AsyncClient("demo", "async-secret-999", base_url=sandbox.url)
    assert "async-secret-999" not in repr(bad)
    with pytest.raises(plaspy.BadCredentialsError) as bad_key:
        await bad.fleet.snapshot()
    assert "async-secret-999" not in str(bad_key.value)


@pytest.mark.asyncio
async def test_groups_crud(aclient: plaspy.AsyncClient) -> None:
    group = await aclient.groups.create(name="Async crew", devices=["dev-02"])
    assert (await aclient.groups.get(group.id)) == group
    patched = await aclient.groups.patch(group.id, [{"op": "remove", "path": "/devices"}])
    assert patched.devices in (None, [])
    await aclient.groups.delete(group.id)
    with pytest.raises(plaspy.NotFoundError):
        await aclient.groups.delete(group.id)


@pytest.mark.asyncio
async def test_feed_resumes_from_a_saved_cursor(
    aclient: plaspy.AsyncClient, past_hour: datetime
) -> None:
    feed = aclient.feed(devices=["dev-01"], since=past_hour - timedelta(hours=1))
    first = [await feed.__anext__() for _ in range(8)]
    saved = json.dumps(feed.cursor)
    resumed = aclient.feed(devices=["dev-01"], cursor=json.loads(saved))
    following = [await resumed.__anext__() for _ in range(8)]
    fixes = [e.location for e in first + following]
    assert all(fix is not None for fix in fixes)
    expected = await aclient.devices.locations(
        "dev-01", first[0].time, following[-1].time
    )
    assert fixes == expected
    async for event in resumed:  # an async iterator too
        assert event.time > following[-1].time
        break
