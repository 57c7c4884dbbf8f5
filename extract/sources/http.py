"""The feed watcher's HTTP client: :class:`PoliteClient` makes polite, bounded GET requests
with urllib3 for ``python -m extract watch`` (feeds and article pages), one client serving many
hosts from many threads: addresses checked, redirects followed by hand, conditional GET, the
body capped, one request at a time per host with a delay between two, and a deadline for the
whole request (kept by :mod:`~extract.sources._http_deadline`); a failure is a
:class:`FetchError` (:mod:`~extract.sources._http_errors` tells it in words)."""

from __future__ import annotations

import http.client
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from types import TracebackType
from typing import Self
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import LocationValueError, ReadTimeoutError
from urllib3.response import BaseHTTPResponse

from extract.sources._fetch import human_size
from extract.sources._http_deadline import Watchdog, WatchedHTTPSPool, WatchedPool
from extract.sources._http_errors import (
    FetchError,
    network_error,
    shown_url,
    status_error,
    status_text,
    total_timeout,
)

__all__ = ["USER_AGENT", "FetchError", "PoliteClient", "Response"]

logger = logging.getLogger(__name__)


def _dateline_version() -> str:
    try:
        return version("dateline")
    except PackageNotFoundError:  # run from a checkout, not installed
        return "1.0"


#: The ``User-Agent`` of every request: names Dateline, so a site's operator knows who asks.
USER_AGENT = f"Dateline/{_dateline_version()} (+offline news map; feed watcher)"


_SCHEMES = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)
# decoded by urllib3 and asked for; anything else would come back still encoded
_ENCODINGS = ("gzip", "x-gzip", "deflate", "identity")
_CHUNK = 64 * 1024
# a redirect's or an error's body up to this declared size is read to keep the connection
_DISCARD_LIMIT = 64 * 1024


@dataclass(frozen=True, slots=True)
class Response:
    """A successful answer (2xx) or a ``304 Not Modified``.

    Attributes
    ----------
    url
        The final URL, after redirects.
    status
        The HTTP status: 2xx, or 304.
    body
        The body, decoded (gzip/deflate undone); ``b""`` for a 304.
    content_type
        The ``Content-Type`` header (``""`` when absent).
    etag, last_modified
        The ``ETag`` and ``Last-Modified`` headers, to send back on the next request.
    redirects
        ``(status, url)`` for each redirect followed, in order: the URL asked and how it
        answered.
    """

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    redirects: tuple[tuple[int, str], ...] = ()

    @property
    def not_modified(self) -> bool:
        """True for a ``304 Not Modified``: what was fetched last time is still current."""
        return self.status == 304

    @property
    def moved_permanently(self) -> bool:
        """True when there were redirects and every one was permanent (301/308): the caller
        may remember :attr:`url` instead of the address it asked."""
        return bool(self.redirects) and all(s in (301, 308) for s, _ in self.redirects)


class PoliteClient:
    """GET requests for the feed watcher. Every request is bounded:

    * **Addresses:** only ``http`` and ``https``, for the first URL and for every redirect; an
      address with a user name or password, or without a host, is refused without any access.
    * **Redirects** are followed by hand (urllib3's own are off) up to ``max_redirects``; a
      relative ``Location`` is resolved against the URL that sent it; a loop is named as one.
    * **Conditional GET:** ``etag`` / ``last_modified`` are sent as ``If-None-Match`` /
      ``If-Modified-Since``; a ``304 Not Modified`` comes back as a :class:`Response` whose
      :attr:`Response.not_modified` is true.
    * **Size:** ``Accept-Encoding: gzip, deflate``; the body is decoded as it streams in, and
      the cap holds for the decoded bytes (a gzip bomb stops at the cap, never expanding in
      memory) and for the bytes as sent; a ``Content-Length`` over the cap is refused before
      reading.
    * **Time:** a timeout to connect, a timeout on each read, and a deadline for the whole
      request: redirects, headers and body. A server that trickles a byte a second, or stops
      mid-body, or sends its headers a line at a time, fails within ``total_timeout`` and a
      little; a watchdog shuts the socket when the deadline passes.
    * **Politeness:** one request at a time per host (thread-safe) and at least ``min_delay``
      seconds between the end of one request to a host and the start of the next, redirect hops
      included; the ``User-Agent`` names Dateline.
    * **No retries:** a failure is raised at once as :class:`FetchError`, which says in words what
      went wrong, whether trying again later may help (:attr:`FetchError.permanent`) and when the
      server asked to be asked again (:attr:`FetchError.retry_after`). The watcher backs off per
      feed; retrying here would hammer a struggling server.

    urllib3 is used, not :mod:`urllib.request` (:mod:`extract.sources._fetch`, the app's "Fetch a
    URL"), because it pools connections, times each read and decodes while streaming with a
    bound on the decoded size.

    Parameters
    ----------
    user_agent
        The ``User-Agent`` header.
    connect_timeout
        Seconds to establish a connection.
    read_timeout
        Seconds to wait for each read: the answer's first bytes, then each piece of the body.
    total_timeout
        Seconds for the whole request: every redirect hop, its headers and body. Waiting for
        a turn at a host (politeness) does not count.
    max_bytes
        Largest body, decoded and as sent; :meth:`get` can lower or raise it per request.
    max_redirects
        Redirects followed before giving up.
    min_delay
        Seconds between the end of one request to a host and the start of the next.
    clock, sleep
        The clock and the sleep of the politeness delay (tests pass fakes so as not to wait).
        Timeouts always use real time.
    """

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        connect_timeout: float = 10.0,
        read_timeout: float = 20.0,
        total_timeout: float = 60.0,
        max_bytes: int = 10 * 2**20,
        max_redirects: int = 5,
        min_delay: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        for name, value in (
            ("connect_timeout", connect_timeout),
            ("read_timeout", read_timeout),
            ("total_timeout", total_timeout),
        ):
            if not value > 0:
                raise ValueError(f"{name} must be positive, not {value!r}")
        if max_bytes < 1 or max_redirects < 0 or min_delay < 0:
            raise ValueError("max_bytes must be positive, max_redirects and min_delay not negative")
        self.user_agent = user_agent
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.min_delay = min_delay
        self._clock = clock
        self._sleep = sleep
        # one pool per (scheme, host, port); one connection each is enough, as a host gets
        # one request at a time
        self._pool = urllib3.PoolManager(num_pools=100, maxsize=1, block=False)
        self._pool.pool_classes_by_scheme = {"http": WatchedPool, "https": WatchedHTTPSPool}
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._closed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections; :meth:`get` is refused afterwards."""
        self._closed = True
        self._pool.clear()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        accept: str | None = None,
    ) -> Response:
        """Fetch ``url`` with GET, following redirects.

        Parameters
        ----------
        url
            An ``http://`` or ``https://`` address.
        etag, last_modified
            What the last :class:`Response` for this URL said, to ask only for a change.
        max_bytes
            Largest body for this request (the client's ``max_bytes`` when None).
        accept
            The ``Accept`` header (``*/*`` when None), e.g. ``"application/rss+xml, */*;q=0.5"``.

        Returns
        -------
        Response
            A 2xx answer, or a 304 when ``etag`` / ``last_modified`` still hold.

        Raises
        ------
        FetchError
            For anything that went wrong on the way: a refused address, a redirect loop, an
            error status, a timeout, a body over the cap, a broken connection.
        """
        if self._closed:
            raise ValueError("this PoliteClient is closed")
        cap = self.max_bytes if max_bytes is None else max_bytes
        if cap < 1:
            raise ValueError(f"max_bytes must be positive, not {cap!r}")
        headers = {
            "User-Agent": self.user_agent,
            "Accept": accept or "*/*",
            "Accept-Encoding": "gzip, deflate",
        }
        # validators come from the last answer; one with control characters is not sent back
        if etag and etag.isprintable():
            headers["If-None-Match"] = etag
        if last_modified and last_modified.isprintable():
            headers["If-Modified-Since"] = last_modified
        current = _checked_url(url, first=url)
        asked = {current}
        redirects: list[tuple[int, str]] = []
        spent = 0.0
        while True:
            host = urlsplit(current).hostname or ""
            with self._turn(host):
                started = time.monotonic()
                try:
                    answer = self._exchange(
                        current, headers, cap=cap, budget=self.total_timeout - spent, first=url
                    )
                finally:
                    spent += time.monotonic() - started
            if answer.location is None:
                break
            if len(redirects) >= self.max_redirects:
                reason = f"more than {self.max_redirects} redirects"
                raise FetchError(reason, url=url, status=answer.status, permanent=True)
            target = _checked_url(urljoin(current, answer.location), first=url, via=current)
            if target in asked:
                reason = f"redirect loop: {shown_url(current)} sends back to {shown_url(target)}"
                raise FetchError(reason, url=url, status=answer.status, permanent=True)
            redirects.append((answer.status, current))
            asked.add(target)
            current = target
        logger.debug(
            "GET %s: %d, %d bytes, %.2f s", current, answer.status, len(answer.body), spent
        )
        return Response(
            url=current,
            status=answer.status,
            body=answer.body,
            content_type=answer.headers.get("Content-Type", ""),
            etag=answer.headers.get("ETag"),
            last_modified=answer.headers.get("Last-Modified"),
            redirects=tuple(redirects),
        )

    @contextmanager
    def _turn(self, host: str) -> Iterator[None]:
        """Wait for this client's turn at ``host``: no other request to it is running, and
        ``min_delay`` has passed since the last one ended."""
        with self._hosts_lock:
            slot = self._hosts.setdefault(host, _Host())
        with slot.lock:
            wait = slot.free_at - self._clock()
            if wait > 0:
                logger.debug("waiting %.2f s before asking %s again", wait, host)
                self._sleep(wait)
            try:
                yield
            finally:
                slot.free_at = self._clock() + self.min_delay

    def _exchange(
        self, url: str, headers: dict[str, str], *, cap: int, budget: float, first: str
    ) -> _Answer:
        """One request to one URL, within ``budget`` seconds: its answer, with the body read
        for a 2xx; a redirect's ``Location`` for a 3xx; a :class:`FetchError` for the rest."""
        if budget <= 0:
            raise total_timeout(self.total_timeout, first)
        # the per-phase timeouts never outlast the deadline; the watchdog covers the many
        # short reads of a trickle, which each come in time
        connect = min(self.connect_timeout, budget)
        read = min(self.read_timeout, budget)
        phase = "connecting"
        resp: BaseHTTPResponse | None = None
        with Watchdog(budget) as watch:
            try:
                resp = self._pool.urlopen(
                    "GET",
                    url,
                    headers=headers,
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    decode_content=True,
                    timeout=urllib3.Timeout(connect=connect, read=read),
                )
                status = resp.status
                phase = "reading the body"
                if 200 <= status < 300:
                    body = _read_body(resp, cap=cap, url=first)
                    if watch.stop():  # a close-delimited body cut by the watchdog looks whole
                        raise total_timeout(self.total_timeout, first)
                    keep = True
                else:
                    body = b""
                    # the status is the answer, even if the body it came with was cut short
                    keep = _discard(resp) and not watch.stop()
            except FetchError:
                if resp is not None:
                    _drop(resp)
                raise
            except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
                if resp is not None:
                    _drop(resp)
                if watch.stop():
                    raise total_timeout(self.total_timeout, first) from None
                if phase == "connecting" and isinstance(exc, ReadTimeoutError):
                    phase = "waiting for an answer"
                error = network_error(exc, phase, url=first, timeouts=(connect, read), resp=resp)
                raise error from exc
        if keep:
            resp.release_conn()
        else:
            _drop(resp)
        answer = _Answer(status, resp.headers, body, None)
        if 200 <= status < 300 or status == 304:
            return answer
        if status in _REDIRECTS:
            location = resp.headers.get("Location")
            if not location:
                reason = f"the server answered {status_text(resp)} without a Location"
                raise FetchError(reason, url=first, status=status, permanent=True)
            return _Answer(status, resp.headers, b"", location)
        raise status_error(resp, url=first)


class _Host:
    """One host's turn: held during a request; ``free_at`` is when the next may start."""

    __slots__ = ("free_at", "lock")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.free_at = float("-inf")


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: urllib3.HTTPHeaderDict
    body: bytes
    location: str | None


def _read_body(resp: BaseHTTPResponse, *, cap: int, url: str) -> bytes:
    """The decoded body, read a piece at a time so that neither the decoded nor the sent
    bytes go past ``cap``; raises :class:`FetchError` beyond it."""
    encoding = resp.headers.get("Content-Encoding", "")
    if any(t.strip().lower() not in _ENCODINGS for t in encoding.split(",") if t.strip()):
        reason = f"the body is encoded as {encoding[:40]!r}, which was not asked for"
        raise FetchError(reason, url=url, status=resp.status, permanent=True)
    declared = _content_length(resp)
    if declared is not None and declared > cap:
        reason = f"the server declares a body of {human_size(declared)}, over {human_size(cap)}"
        raise FetchError(reason, url=url, status=resp.status, permanent=True)
    chunks: list[bytes] = []
    size = 0
    while True:
        # read1 returns what one read from the socket gives (a trickle still answers) and
        # decodes at most the size asked, keeping the rest compressed
        chunk = resp.read1(min(_CHUNK, cap + 1 - size))
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > cap or resp.tell() > cap:  # tell(): bytes as sent
            reason = f"the body is over {human_size(cap)}"
            raise FetchError(reason, url=url, status=resp.status, permanent=True)
        chunks.append(chunk)


def _discard(resp: BaseHTTPResponse) -> bool:
    """Read and drop a short body (a redirect's, an error page) so that the connection can
    serve the next request; False when it must close instead: a body of unknown length, a
    long one, a broken one. Never waits for more than the declared few bytes."""
    if resp.status in (204, 304):  # never a body
        return True
    declared = _content_length(resp)
    if declared is None or declared > _DISCARD_LIMIT:
        return False
    try:
        while resp.read1(_CHUNK):
            pass
    except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError):
        return False  # the status is the answer; a broken error page does not change it
    return True


def _drop(resp: BaseHTTPResponse) -> None:
    """Close the response's connection (its rest is not read) and hand it back to the pool,
    which opens a fresh one next time."""
    resp.close()
    resp.release_conn()


def _content_length(resp: BaseHTTPResponse) -> int | None:
    value = resp.headers.get("Content-Length", "")
    # repeated headers arrive joined ("10, 10"); only agreeing values count
    values = {v.strip() for v in value.split(",")}
    if len(values) == 1 and (only := values.pop()).isdigit():
        return int(only)
    return None


def _checked_url(url: str, *, first: str, via: str | None = None) -> str:
    """``url`` without its fragment, if it may be fetched; else a permanent FetchError.
    ``via`` is the URL that redirected to it."""
    url = url.strip()
    refused = f"redirect to {shown_url(url)} refused: " if via else ""
    reason = None
    try:
        parts = urlsplit(url) if url.isprintable() else None
    except ValueError:  # "http://[::1"
        parts = None
    if parts is None:
        reason = (
            "not a valid address" if url.isprintable() else "the address has control characters"
        )
    elif parts.scheme.lower() not in _SCHEMES:
        reason = "only http and https" if via else "only http and https addresses are fetched"
        if not via:
            reason += f" (this one is {parts.scheme + ':' if parts.scheme else 'not a URL'})"
    elif "@" in parts.netloc:
        reason = "an address with a user name or password is not fetched"
    elif not parts.hostname:
        reason = "the address has no host"
    if reason is None:
        assert parts is not None
        try:
            if parts.port == 0:
                raise ValueError("port 0")
            # as it goes on the wire: spaces and non-ASCII percent-encoded, the host in IDNA,
            # so that loops are recognised and Response.url is what was asked
            parsed = urllib3.util.parse_url(url)
        except (ValueError, LocationValueError):
            reason = "not a valid address"
    if reason is not None:
        raise FetchError(refused + reason, url=first, permanent=True)
    return parsed._replace(path=parsed.path or "/", fragment=None).url
