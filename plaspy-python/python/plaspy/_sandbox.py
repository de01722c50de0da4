"""``plaspy.Sandbox``: the embedded plaspy-sandbox, a local stateful Plaspy API on a
loopback port, to test code with no account and no network."""

from __future__ import annotations

from datetime import timedelta
from types import TracebackType
from typing import Any, Optional, Type

from . import _convert as cv
from ._async_client import AsyncClient
from ._client import Client
from ._native import NativeSandbox

__all__ = ["Sandbox"]


class Sandbox:
    """A local Plaspy API: the demo account (:attr:`username` / :attr:`api_key`), 27
    simulated devices (or ``devices``), groups and users with full CRUD.

    Use it as a context manager (``with plaspy.Sandbox() as sandbox:``); it stops on exit
    or on :meth:`close`. ``latency`` delays every answer (to measure what concurrency
    buys); ``rate_limit`` answers 429 beyond so many requests per minute.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        devices: Optional[int] = None,
        seed: Optional[int] = None,
        latency: Optional[timedelta] = None,
        rate_limit: Optional[int] = None,
    ) -> None:
        self._native = NativeSandbox(
            cv.positive("devices", devices),
            None if seed is None else int(seed),
            None if latency is None else cv.millis("latency", latency),
            cv.positive("rate_limit", rate_limit),
        )

    @property
    def url(self) -> str:
        """The base URL, ``http://127.0.0.1:PORT``."""
        return self._native.url

    @property
    def username(self) -> str:
        """The demo account's user name (``demo``)."""
        return self._native.username

    @property
    def api_key(self) -> str:
        """The demo account's API key (``demo-key``: not a secret)."""
        return self._native.api_key

    def client(self, **settings: Any) -> Client:
        """A :class:`Client` on this sandbox's demo account."""
        return Client(self.username, self.api_key, base_url=self.url, **settings)

    def async_client(self, **settings: Any) -> AsyncClient:
        """An :class:`AsyncClient` on this sandbox's demo account."""
        return AsyncClient(self.username, self.api_key, base_url=self.url, **settings)

    def close(self) -> None:
        """Stops serving (idempotent)."""
        self._native.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self._native.running else "closed"
        return f"Sandbox(url={self.url!r}, {state})"
