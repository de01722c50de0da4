"""The issue's "done when" program, run as it is (tests/samples/done_when.py)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import plaspy

sys.path.insert(0, str(Path(__file__).parent / "samples"))

import done_when  # noqa: E402


def test_sync_client_does_everything_the_issue_asks(sandbox: plaspy.Sandbox) -> None:
    counts = done_when.sync_part(sandbox)
    assert counts["devices"] == 27
    assert counts["fixes"] > 1000


def test_async_client_does_everything_the_issue_asks(sandbox: plaspy.Sandbox) -> None:
    counts = asyncio.run(done_when.async_part(sandbox))
    assert counts["devices"] == 27
    assert counts["fixes"] > 1000
