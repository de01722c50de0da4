"""Fixtures: one embedded sandbox for the session, clients on its demo account."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterator

import pytest

import plaspy


@pytest.fixture(scope="session")
def sandbox() -> Iterator[plaspy.Sandbox]:
    with plaspy.Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def client(sandbox: plaspy.Sandbox) -> plaspy.Client:
    return plaspy.Client(sandbox.username, sandbox.api_key, base_url=sandbox.url)


@pytest.fixture
def aclient(sandbox: plaspy.Sandbox) -> plaspy.AsyncClient:
    return plaspy.AsyncClient(sandbox.username, sandbox.api_key, base_url=sandbox.url)


@pytest.fixture
def past_hour() -> datetime:
    """A whole second an hour ago: the sandbox's data before it do not change."""
    return datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=1)
