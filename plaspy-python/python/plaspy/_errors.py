"""The exceptions of the plaspy package: every failure is a :class:`PlaspyError`.

Messages are one line for a human and never hold the API key, a token or a password.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Dict, Optional, Type

__all__ = [
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


class PlaspyError(Exception):
    """Base class of every error the package raises (besides ``ValueError`` / ``TypeError``
    for arguments Python itself can tell are wrong, such as a naive datetime)."""

    #: The HTTP status, when there was one.
    status: Optional[int]

    def __init__(self, message: str, *, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def message(self) -> str:
        """The one-line message."""
        return str(self.args[0]) if self.args else ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and isinstance(other, PlaspyError)
            and (self.message, self.status) == (other.message, other.status)
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.message, self.status))


class BadCredentialsError(PlaspyError):
    """The token endpoint refused the user name / API key."""


class UnauthorizedError(PlaspyError):
    """The token was refused (HTTP 401), even after one renewal."""


class ForbiddenError(PlaspyError):
    """The account lacks permission (HTTP 403)."""


class NotFoundError(PlaspyError):
    """No such device, group or user (HTTP 404)."""


class ConflictError(PlaspyError):
    """The request conflicts with existing data, e.g. a duplicate e-mail (HTTP 409)."""


class RateLimitedError(PlaspyError):
    """Too many requests (HTTP 429), beyond what the client waits out by itself."""

    #: How long the server asked to wait, when it said.
    retry_after: Optional[timedelta]

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = 429,
        retry_after: Optional[timedelta] = None,
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ApiError(PlaspyError):
    """The API answered an error with a message (``success: false``)."""


class HttpError(PlaspyError):
    """An HTTP error whose body was not the API's (a proxy page, an empty 502, ...)."""


class DecodeError(PlaspyError):
    """A response could not be decoded (or was larger than the client reads)."""


class TransportError(PlaspyError):
    """The connection failed or broke (DNS, refused, reset, TLS)."""


class TimeoutError(PlaspyError):  # noqa: A001 - plaspy.TimeoutError, as the issue names it
    """The call did not complete in time (its attempts, or its deadline)."""


class InvalidInputError(PlaspyError, ValueError):
    """An argument or a setting the SDK refused (bad base URL, empty name, ...)."""


_KINDS: Dict[str, Type[PlaspyError]] = {
    "bad_credentials": BadCredentialsError,
    "unauthorized": UnauthorizedError,
    "forbidden": ForbiddenError,
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "api": ApiError,
    "http": HttpError,
    "decode": DecodeError,
    "transport": TransportError,
    "timeout": TimeoutError,
    "invalid_input": InvalidInputError,
}


def from_native(
    kind: str, message: str, status: Optional[int], retry_after: Optional[float]
) -> PlaspyError:
    """The exception for an error the native half reports (called from Rust)."""
    if kind == "rate_limited":
        wait = None if retry_after is None else timedelta(seconds=retry_after)
        return RateLimitedError(message, status=status, retry_after=wait)
    return _KINDS.get(kind, PlaspyError)(message, status=status)
