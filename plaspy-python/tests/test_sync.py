"""plaspy.Client against the embedded sandbox."""

from __future__ import annotations

import itertools
import json
import threading
from datetime import datetime, timedelta, timezone
from typing import Dict, List
from zoneinfo import ZoneInfo

import pytest

import plaspy


def test_devices_get_and_list_agree(client: plaspy.Client) -> None:
    devices = client.devices.list()
    assert [d.id for d in devices][:3] == ["dev-01", "dev-02", "dev-03"]
    one = client.devices.get("dev-05")
    assert one == next(d for d in devices if d.id == "dev-05")
    assert one.display_name


def test_history_windows_match_single_queries(client: plaspy.Client, past_hour: datetime) -> None:
    end = past_hour
    start = end - timedelta(days=40)
    middle = end - timedelta(days=20)
    walked = list(client.devices.location_history("dev-03", start, end))
    # Two plain queries of 20 days each, merged: the same fixes, none lost at the seams.
    parts = client.devices.locations("dev-03", start, middle) + client.devices.locations(
        "dev-03", middle, end
    )
    expected = sorted({fix.date_time: fix for fix in parts}.values(), key=lambda f: f.date_time)
    assert walked == expected


def test_datetimes_in_any_zone_out_in_utc(client: plaspy.Client, past_hour: datetime) -> None:
    start = past_hour - timedelta(hours=3)
    zones = [ZoneInfo("America/Bogota"), ZoneInfo("Asia/Kolkata"), timezone(timedelta(hours=-3))]
    answers = [
        client.devices.locations("dev-02", start.astimezone(z), past_hour.astimezone(z))
        for z in zones
    ]
    assert answers[0] and answers[0] == answers[1] == answers[2]
    for fix in answers[0]:
        assert fix.date_time.tzinfo == timezone.utc
        assert start <= fix.date_time <= past_hour


@pytest.mark.parametrize("argument", ["start", "end"])
def test_naive_datetime_is_refused_naming_the_argument(
    client: plaspy.Client, argument: str
) -> None:
    aware = datetime.now(timezone.utc)
    naive = datetime.now()
    args = {"start": aware - timedelta(hours=1), "end": aware}
    args[argument] = naive
    with pytest.raises(ValueError, match=f"^{argument} is a naive datetime"):
        client.devices.locations("dev-01", **args)
    with pytest.raises(ValueError, match=f"^{argument} is a naive datetime"):
        client.devices.location_history("dev-01", **args)


def test_feed_arguments_are_checked(client: plaspy.Client) -> None:
    with pytest.raises(ValueError, match="^since is a naive datetime"):
        client.feed(since=datetime.now())
    with pytest.raises(ValueError, match="interval must not be negative"):
        client.feed(interval=timedelta(seconds=-1))
    with pytest.raises(ValueError, match="devices or group"):
        client.feed(devices=["dev-01"], group="grp-1")
    with pytest.raises(TypeError, match="devices must be a list of str"):
        client.feed(devices="dev-01")


def test_reports_over_any_range(client: plaspy.Client, past_hour: datetime) -> None:
    start = past_hour - timedelta(days=3)
    trips = client.devices.trips("dev-01", start, past_hour)
    stops = client.devices.stops("dev-01", start, past_hour)
    assert trips and stops
    for trip in trips:
        assert trip.start <= trip.end and trip.distance_km >= 0
        assert trip.duration == trip.end - trip.start
    bogota = client.devices.summary("dev-01", start, past_hour, tz="America/Bogota")
    same = client.devices.summary("dev-01", start, past_hour, tz=ZoneInfo("America/Bogota"))
    utc = client.devices.summary("dev-01", start, past_hour)
    assert bogota == same
    assert sum(d.fixes for d in bogota) == sum(d.fixes for d in utc)
    assert [d.date for d in bogota] != [d.date for d in utc] or len(bogota) != len(utc) or (
        bogota != utc
    )
    with pytest.raises(plaspy.InvalidInputError, match="unknown time zone"):
        client.devices.summary("dev-01", start, past_hour, tz="Mars/Olympus")


def test_fleet_snapshot_whole_and_by_group(client: plaspy.Client) -> None:
    fleet = client.fleet.snapshot(concurrency=4)
    assert len(fleet) == 27
    by_id = {entry.device.id: entry for entry in fleet}
    for entry in fleet:
        assert entry.error is None
        if entry.location is not None:
            assert entry.location == client.devices.last_location(entry.device.id) or (
                entry.location.date_time <= datetime.now(timezone.utc)
            )
    members = client.groups.get("grp-1").devices or []
    group = client.fleet.snapshot(group="grp-1")
    assert [e.device.id for e in group] == [i for i in by_id if i in members]
    with pytest.raises(ValueError, match="concurrency must be positive"):
        client.fleet.snapshot(concurrency=0)
    with pytest.raises(plaspy.NotFoundError):
        client.fleet.snapshot(group="no-such-group")


def test_groups_crud(client: plaspy.Client) -> None:
    group = client.groups.create(name="Night shift", description="22-06", devices=["dev-01"])
    assert group.id and group.name == "Night shift" and group.devices == ["dev-01"]
    assert client.groups.get(group.id) == group
    replaced = client.groups.update(group.id, name="Night", devices=["dev-01", "dev-02"])
    assert replaced.devices == ["dev-01", "dev-02"] and replaced.description is None
    patched = client.groups.patch(group.id, [{"op": "replace", "path": "/name", "value": "N"}])
    assert patched.name == "N"
    assert group.id in [g.id for g in client.groups.list()]
    client.groups.delete(group.id)
    with pytest.raises(plaspy.NotFoundError):
        client.groups.get(group.id)


def test_users_crud_and_reference_lists(client: plaspy.Client) -> None:
    expires = datetime(2031, 1, 1, 9, 0, tzinfo=ZoneInfo("America/Bogota"))
    user = client.users.create(
        "Ana Test",
        "ana.test@example.com",
        "CO",
        "America/Bogota",
        password="s3cret-Passw0rd",
        tags={"team": "night"},
        expires=expires,
    )
    assert user.id and user.email == "ana.test@example.com"
    assert user.expires == expires and user.expires.tzinfo == timezone.utc
    assert "s3cret-Passw0rd" not in json.dumps(user.to_dict()) + repr(user)
    with pytest.raises(plaspy.ConflictError):
        client.users.create("Ana Again", "ana.test@example.com", "CO", "America/Bogota")
    updated = client.users.update(user.id, "Ana T.", "ana.test@example.com", "CO", "UTC")
    assert (updated.name, updated.time_zone) == ("Ana T.", "UTC")
    patched = client.users.patch(user.id, [{"op": "add", "path": "/disabled", "value": True}])
    assert patched.disabled is True
    client.users.delete(user.id)
    with pytest.raises(plaspy.NotFoundError):
        client.users.get(user.id)
    assert client.users.countries()["CO"]
    assert "America/Bogota" in client.users.time_zones()


def test_send_command(client: plaspy.Client) -> None:
    answer = client.devices.send_command("dev-03", "engine resume")
    assert isinstance(answer, str) and answer
    with pytest.raises(plaspy.InvalidInputError):
        client.devices.send_command("dev-03", "zz", format="hex")


def test_alerts(client: plaspy.Client, past_hour: datetime) -> None:
    start = past_hour - timedelta(days=5)
    alerts = client.devices.alerts("dev-02", start, past_hour)
    for alert in alerts:
        assert start <= alert.date_time <= past_hour
    if alerts and alerts[0].text:
        named = client.devices.alerts("dev-02", start, past_hour, name=alerts[0].text)
        assert all(a.text == alerts[0].text for a in named)


def test_feed_resumes_from_a_saved_cursor(client: plaspy.Client, past_hour: datetime) -> None:
    # Both devices report several fixes an hour (the sandbox's seed 42): 40 fixes are at hand.
    devices = ["dev-01", "dev-02"]
    feed = client.feed(devices=devices, since=past_hour - timedelta(hours=1))
    first = list(itertools.islice(feed, 15))
    saved = json.loads(json.dumps(feed.cursor))
    resumed = list(itertools.islice(client.feed(devices=devices, cursor=saved), 25))
    for device in devices:
        seq = [e.location for e in first + resumed if e.device_id == device]
        fixes = [fix for fix in seq if fix is not None]
        assert len(fixes) >= 2
        # Contiguous and exact: what the feed gave is what the API has over that span.
        expected = client.devices.locations(device, fixes[0].date_time, fixes[-1].date_time)
        assert fixes == expected


def test_threads_share_one_client(client: plaspy.Client) -> None:
    results: Dict[int, List[str]] = {}

    def work(n: int) -> None:
        results[n] = [d.id for d in client.devices.list()]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and all(len(ids) == 27 for ids in results.values())


def test_key_never_shown(sandbox: plaspy.Sandbox) -> None:
    client = plaspy.Client("demo", "super-secret-key-123", base_url=sandbox.url)
    assert "super-secret-key-123" not in repr(client)
    with pytest.raises(plaspy.BadCredentialsError) as caught:
        client.devices.list()
    assert "super-secret-key-123" not in str(caught.value) + repr(caught.value)


def test_from_env(sandbox: plaspy.Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLASPY_USERNAME", sandbox.username)
    monkeypatch.setenv("PLASPY_API_KEY", sandbox.api_key)
    monkeypatch.setenv("PLASPY_BASE_URL", sandbox.url)
    client = plaspy.Client.from_env()
    assert client.base_url == sandbox.url and client.username == "demo"
    assert len(client.devices.list()) == 27
    monkeypatch.delenv("PLASPY_API_KEY")
    with pytest.raises(plaspy.InvalidInputError, match="PLASPY_API_KEY"):
        plaspy.Client.from_env()


def test_bad_settings_are_refused() -> None:
    with pytest.raises(plaspy.InvalidInputError):
        plaspy.Client("demo", "k", base_url="not a url")
    with pytest.raises(TypeError, match="timeout must be a timedelta"):
        plaspy.Client("demo", "k", timeout=3)  # type: ignore[arg-type]


def test_transport_error_names_no_secret() -> None:
    with plaspy.Sandbox() as gone:
        url = gone.url
    client = plaspy.Client("demo", "key-xyz", base_url=url, timeout=timedelta(seconds=2))
    with pytest.raises((plaspy.TransportError, plaspy.TimeoutError)) as caught:
        client.devices.list()
    assert "key-xyz" not in str(caught.value)
