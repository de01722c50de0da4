"""A program mypy --strict must refuse: a float (a latitude) used as a string."""

from __future__ import annotations

import plaspy


def shout(text: str) -> str:
    return text.upper()


def main(client: plaspy.Client) -> str:
    fix = client.devices.last_location("dev-01")
    assert fix is not None
    return shout(fix.latitude)
