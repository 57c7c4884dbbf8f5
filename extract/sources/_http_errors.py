"""How a fetch by :class:`~extract.sources.http.PoliteClient` fails: :class:`FetchError`, and
what went wrong told in words a user can act on, from an error status (with the server's
``Retry-After``), a network or TLS error of urllib3 or the socket, or the request's deadline;
each failure also says whether trying again later may help."""

from __future__ import annotations

import email.utils
import http.client
import logging
from datetime import UTC, datetime
from http import HTTPStatus

from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    LocationValueError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.response import BaseHTTPResponse

from extract.errors import InputError

__all__ = [
    "FetchError",
    "network_error",
    "shown_url",
    "status_error",
    "status_text",
    "total_timeout",
]

logger = logging.getLogger(__name__)

# 4xx answers that say "not now" rather than "never"
_TRANSIENT_4XX = (408, 425, 429)
_SHOWN_URL = 120


class FetchError(InputError):
    """A URL could not be fetched.

    Parameters
    ----------
    reason
        What went wrong, in words for a user ("the server answered 503 Service Unavailable").
    url
        The URL asked (the first one, before redirects).
    status
        The HTTP status of the answer, when there was one.
    retry_after
        Seconds the server asked to wait (its ``Retry-After`` header), when given.
    permanent
        True when asking again will give the same answer (404, 410, a refused address, a body
        over the cap); False when it may not (5xx, 429, timeouts, connection errors).
    """

    def __init__(
        self,
        reason: str,
        *,
        url: str,
        status: int | None = None,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        self.reason = reason
        self.url = url
        self.status = status
        self.retry_after = retry_after
        self.permanent = permanent
        super().__init__(reason, source=shown_url(url))


def status_error(resp: BaseHTTPResponse, *, url: str) -> FetchError:
    status = resp.status
    reason = f"the server answered {status_text(resp)}"
    if 300 <= status < 400:
        reason += ", a redirect that is not followed"
    permanent = 300 <= status < 500 and status not in _TRANSIENT_4XX
    retry_after = _retry_after(resp.headers.get("Retry-After"))
    return FetchError(reason, url=url, status=status, retry_after=retry_after, permanent=permanent)


def status_text(resp: BaseHTTPResponse) -> str:
    try:
        phrase = HTTPStatus(resp.status).phrase
    except ValueError:  # a status of the server's own: its words, if printable and short
        phrase = resp.reason if (resp.reason or "").isprintable() else ""
        phrase = (phrase or "")[:40]
    return f"{resp.status} {phrase}".strip()


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def network_error(
    exc: Exception,
    phase: str,
    *,
    url: str,
    timeouts: tuple[float, float],
    resp: BaseHTTPResponse | None,
) -> FetchError:
    """``exc`` (urllib3's or the socket's) told in words, as a FetchError."""
    connect, read = timeouts
    permanent = False
    inner = exc.args[1] if isinstance(exc, ProtocolError) and len(exc.args) > 1 else exc
    if isinstance(exc, NameResolutionError):
        reason = "the host name cannot be resolved"
    elif isinstance(exc, NewConnectionError):
        # NewConnectionError is a ConnectTimeoutError too, for urllib3 1.x's sake: test first
        cause = exc.__cause__
        if isinstance(cause, ConnectionRefusedError):
            reason = "connection refused"
        elif isinstance(cause, TimeoutError):
            reason = f"timed out after {connect:g} s connecting"
        else:
            reason = f"cannot connect: {_os_reason(cause)}"
    elif isinstance(exc, ConnectTimeoutError):
        reason = f"timed out after {connect:g} s connecting"
    elif isinstance(exc, ReadTimeoutError | TimeoutError):
        reason = f"timed out after {read:g} s {phase}"
    elif isinstance(exc, SSLError):
        reason = f"the TLS connection failed: {_os_reason(exc.__cause__ or exc)}"
    elif isinstance(exc, DecodeError):
        encoding = resp.headers.get("Content-Encoding", "") if resp is not None else ""
        reason = f"the body cannot be decompressed (Content-Encoding: {encoding[:40]})"
    elif phase == "reading the body" and isinstance(exc, ProtocolError):
        received = resp.tell() if resp is not None else 0
        reason = f"the connection closed after {received:,} bytes, before the end of the body"
    elif isinstance(inner, http.client.RemoteDisconnected):
        reason = "the server closed the connection without answering"
    elif isinstance(inner, ConnectionResetError):
        reason = "the connection was reset"
    elif isinstance(inner, http.client.HTTPException):
        reason = f"the answer is not valid HTTP ({type(inner).__name__})"
    elif isinstance(exc, LocationValueError):
        reason = "not a valid address"
        permanent = True
    else:
        reason = f"cannot fetch: {_os_reason(inner)}"
    logger.debug("GET %s failed %s: %r", url, phase, exc)
    return FetchError(reason, url=url, permanent=permanent)


def _os_reason(exc: BaseException | None) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)[:200] if exc is not None else "unknown error"


def total_timeout(total: float, url: str) -> FetchError:
    return FetchError(f"timed out: no complete answer within {total:g} s", url=url)


def shown_url(url: str) -> str:
    return url if len(url) <= _SHOWN_URL else url[: _SHOWN_URL - 1] + "…"
