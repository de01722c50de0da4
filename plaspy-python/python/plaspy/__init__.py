"""The Plaspy GPS fleet-tracking API for Python, over the plaspy-rs Rust core.

- :class:`Client` (sync) and :class:`AsyncClient` (asyncio): the same surface —
  ``devices``, ``groups``, ``users``, ``fleet`` and ``feed(...)``.
- Models (:class:`Device`, :class:`Location`, ...) with snake_case attributes and
  ``to_dict()``; date-times are aware ``datetime`` in UTC, durations ``timedelta``.
- Every failure is a :class:`PlaspyError`.
- :class:`Sandbox`: a local Plaspy API to test against.

>>> import plaspy
>>> with plaspy.Sandbox() as sandbox:
...     client = plaspy.Client(sandbox.username, sandbox.api_key, base_url=sandbox.url)
...     len(client.devices.list())
27
"""

from ._async_client import AsyncClient, AsyncFeed
from ._client import Client, Feed
from ._errors import (
    ApiError,
    BadCredentialsError,
    ConflictError,
    DecodeError,
    ForbiddenError,
    HttpError,
    InvalidInputError,
    NotFoundError,
    PlaspyError,
    RateLimitedError,
    TimeoutError,
    TransportError,
    UnauthorizedError,
)
from ._models import (
    AlertEvent,
    DaySummary,
    Device,
    FeedEvent,
    FleetEntry,
    Group,
    Location,
    Model,
    Stop,
    Trip,
    User,
)
from ._native import SDK_VERSION
from ._sandbox import Sandbox

__version__ = SDK_VERSION

__all__ = [
    "AsyncClient",
    "AsyncFeed",
    "Client",
    "Feed",
    "Sandbox",
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
    "PlaspyError",
    "BadCredentialsError",
    "UnauthorizedError",
    "ForbiddenError",
    "NotFoundError",
    "ConflictError",
    "RateLimitedError",
    "ApiError",
    "HttpError",
    "DecodeError",
    "TransportError",
    "TimeoutError",
    "InvalidInputError",
]
