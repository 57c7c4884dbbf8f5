"""A local HTTP server that misbehaves on request, for the fetch and feed watcher tests (no
tests here).

:class:`FaultServer` is a ``ThreadingHTTPServer`` on 127.0.0.1 (a free port). Tests register
routes, each a :class:`Reply` (always the same answer), several (served in turn, the last one
repeating) or a function of the :class:`Seen` request (any logic: count, look at headers,
change later); :meth:`FaultServer.route` replaces a route at any time. Unknown paths answer
404. Every request is recorded with its headers, the answer's status, the bytes sent and when
it started and ended, for politeness checks.

A :class:`Reply` describes faults as data: a delay before answering, a body sent in paced
pieces (a trickle), a ``Content-Length`` that lies or is missing, chunked encoding, a body
that stops and hangs or closes the connection part-way, raw bytes instead of HTTP, gzip, and
``ETag`` / ``Last-Modified`` with 304 answers to conditional requests. Helpers build the
common ones: :func:`redirect`, :func:`html`, :func:`gzip_bomb`, :func:`zeros`. For
connections that fail before any answer: :func:`free_port` (refused), :func:`stalled_port`
(never accepted).

Use it with ``with FaultServer() as server:`` or a fixture around it; stopping the server
releases every hanging answer.
"""

from __future__ import annotations

import functools
import gzip
import socket
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

__all__ = [
    "FaultServer",
    "Reply",
    "Route",
    "Seen",
    "free_port",
    "gzip_bomb",
    "html",
    "redirect",
    "stalled_port",
    "zeros",
]

# how long a hanging answer waits at most when nobody stops the server
_HANG_LIMIT = 30.0


@dataclass(frozen=True)
class Reply:
    """One answer, faults included.

    Attributes
    ----------
    status
        The HTTP status.
    body
        The body: bytes, or a function returning an iterable of byte pieces (generated as
        sent, so a 50 MB body is never held in memory).
    content_type
        ``Content-Type``, or None for none.
    headers
        More headers, ``(name, value)`` pairs or a dict.
    content_length
        ``"auto"``: the body's length for bytes, none for a generated body (then the
        connection closes after it); an int: that number, true or not (the connection closes
        after the body); None: no ``Content-Length`` (close-delimited).
    chunked
        Send the body with ``Transfer-Encoding: chunked`` (``content_length`` is ignored).
    gzip
        Compress a bytes body and say ``Content-Encoding: gzip``.
    etag, last_modified
        Sent as ``ETag`` / ``Last-Modified``; a request whose ``If-None-Match`` holds the etag
        (or whose ``If-Modified-Since`` equals ``last_modified``) is answered 304.
    delay
        Seconds before the status line (a slow server).
    pace, piece
        Seconds between pieces of ``piece`` bytes of the body (a trickle: ``piece=1``).
    hang_after
        Body bytes sent before the server stops sending and holds the connection open until
        it is stopped.
    close_after
        Body bytes sent before the connection is closed (a broken connection).
    raw
        Bytes written as they are instead of an answer (paced by ``pace`` and ``piece``), then
        the connection closes: ``b""`` closes without answering.
    """

    status: int = 200
    body: bytes | Callable[[], Iterable[bytes]] = b""
    content_type: str | None = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] | dict[str, str] = ()
    content_length: int | str | None = "auto"
    chunked: bool = False
    gzip: bool = False
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    pace: float = 0.0
    piece: int = 64 * 1024
    hang_after: int | None = None
    close_after: int | None = None
    raw: bytes | None = None


@dataclass
class Seen:
    """One request as the server saw it.

    ``n`` counts earlier requests to the same path (0 for the first), so a route function can
    answer differently later. ``headers`` has lower-case names. ``client_port`` tells
    connections apart (the same port twice: a connection kept alive). ``status`` is the answer's
    (None for raw bytes), ``sent`` the body bytes written, ``started``/``ended`` are
    :func:`time.monotonic` values (``ended`` None while the answer is being sent).
    """

    method: str
    path: str
    query: str
    headers: dict[str, str]
    n: int
    started: float
    client_port: int
    ended: float | None = None
    status: int | None = None
    sent: int = 0


Route = Reply | Callable[[Seen], Reply]


def redirect(location: str, status: int = 302) -> Reply:
    """A redirect to ``location`` (absolute, relative, or any scheme)."""
    return Reply(status=status, headers={"Location": location}, content_type=None)


def html(text: str, status: int = 200) -> Reply:
    """An HTML page."""
    return Reply(status=status, body=text.encode(), content_type="text/html; charset=utf-8")


def zeros(size: int, *, declare: bool = False, piece: int = 64 * 1024) -> Reply:
    """``size`` zero bytes, generated as sent; with ``Content-Length`` when ``declare``."""

    def pieces() -> Iterator[bytes]:
        block = bytes(piece)
        for start in range(0, size, piece):
            yield block[: min(piece, size - start)]

    return Reply(
        body=pieces,
        content_type="application/octet-stream",
        content_length=size if declare else None,
    )


@functools.cache
def _compressed_zeros(size: int) -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # the gzip format
    block = bytes(2**20)
    parts = [squeeze.compress(block[: min(len(block), size - n)]) for n in range(0, size, 2**20)]
    return b"".join(parts) + squeeze.flush()


def gzip_bomb(size: int = 50 * 10**6) -> Reply:
    """``size`` zero bytes gzipped (50 MB → about 50 KB sent), as ``Content-Encoding: gzip``
    with its true (small) ``Content-Length``."""
    return Reply(
        body=_compressed_zeros(size),
        content_type="text/html; charset=utf-8",
        headers={"Content-Encoding": "gzip"},
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (just now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def stalled_port(*, attempts: int = 16) -> Iterator[int | None]:
    """A port on 127.0.0.1 whose connections are never accepted: the listening socket's
    backlog is filled, so a new connection attempt hangs until its timeout. ``None`` when
    this system queues every connection anyway (the test should skip)."""
    with socket.socket() as listener, ExitStack() as fillers:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(attempts):
            filler = fillers.enter_context(socket.socket())
            filler.settimeout(0.2)
            try:
                filler.connect(("127.0.0.1", port))
            except TimeoutError:
                yield port  # the queue is full: the next connection hangs as well
                return
        yield None


class _Routes:
    """The routes and the record of requests, shared by the handler threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.routes: dict[str, list[Route]] = {}
        self.seen: list[Seen] = []
        self.active = 0
        self.peak = 0
        self.stopping = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, chunked
    # headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK hold the body back ~40 ms on a kept-alive connection
    disable_nagle_algorithm = True
    server: _Server
    timeout = 10  # an idle kept-alive connection ends

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the tests read Seen records

    def do_GET(self) -> None:
        state = self.server.state
        target = urlsplit(self.path)
        with state.lock:
            n = sum(1 for s in state.seen if s.path == target.path)
            seen = Seen(
                method=self.command,
                path=target.path,
                query=target.query,
                headers={k.lower(): v for k, v in self.headers.items()},
                n=n,
                started=time.monotonic(),
                client_port=self.client_address[1],
            )
            state.seen.append(seen)
            state.active += 1
            state.peak = max(state.peak, state.active)
            routes = state.routes.get(target.path)
            route = routes[min(n, len(routes) - 1)] if routes else Reply(404, b"not found")
        try:
            reply = route if isinstance(route, Reply) else route(seen)
            self._answer(reply, seen)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True  # the client went away: what tests expect
        finally:
            with state.lock:
                state.active -= 1
                seen.ended = time.monotonic()

    def _answer(self, reply: Reply, seen: Seen) -> None:
        stopping = self.server.state.stopping
        if reply.delay and stopping.wait(reply.delay):
            return
        if reply.raw is not None:
            self.close_connection = True
            self._paced(reply.raw, reply, seen, count=False)
            return
        if _not_modified(reply, seen.headers):
            seen.status = 304
            self.send_response(304)
            self._validators(reply)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        seen.status = reply.status
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        headers = reply.headers.items() if isinstance(reply.headers, dict) else reply.headers
        for name, value in headers:
            self.send_header(name, value)
        self._validators(reply)
        body = reply.body
        if reply.gzip and isinstance(body, bytes):
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        if reply.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif reply.content_length == "auto" and isinstance(body, bytes):
            self.send_header("Content-Length", str(len(body)))
        elif isinstance(reply.content_length, int):
            self.send_header("Content-Length", str(reply.content_length))
            self.close_connection = True  # a lie leaves the connection out of step
        else:
            self.close_connection = True  # the body ends when the connection does
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        pieces = [body] if isinstance(body, bytes) else body()
        for data in pieces:
            if not self._paced(data, reply, seen, count=True):
                return
        if reply.chunked:
            self.wfile.write(b"0\r\n\r\n")
        if reply.hang_after is not None:  # asked to hang beyond the body's end
            stopping.wait(_HANG_LIMIT)

    def _paced(self, data: bytes, reply: Reply, seen: Seen, *, count: bool) -> bool:
        """Write ``data`` in pieces; False when the answer stops here (hang, close, stop)."""
        stopping = self.server.state.stopping
        limits = (reply.hang_after, reply.close_after) if count else ()
        stop_at = min((x for x in limits if x is not None), default=None)
        step = max(1, reply.piece)
        for start in range(0, len(data), step):
            piece = data[start : start + step]
            if stop_at is not None and seen.sent + len(piece) > stop_at:
                self._write(piece[: stop_at - seen.sent], reply, seen, count=count)
                self.close_connection = True
                if stop_at == reply.hang_after:
                    stopping.wait(_HANG_LIMIT)
                return False
            self._write(piece, reply, seen, count=count)
            if reply.pace and stopping.wait(reply.pace):
                return False
        return True

    def _write(self, piece: bytes, reply: Reply, seen: Seen, *, count: bool) -> None:
        if not piece:
            return
        if reply.chunked and count:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        else:
            self.wfile.write(piece)
        self.wfile.flush()
        if count:
            seen.sent += len(piece)

    def _validators(self, reply: Reply) -> None:
        if reply.etag:
            self.send_header("ETag", reply.etag)
        if reply.last_modified:
            self.send_header("Last-Modified", reply.last_modified)


def _not_modified(reply: Reply, headers: dict[str, str]) -> bool:
    if reply.etag and "if-none-match" in headers:
        tags = [t.strip() for t in headers["if-none-match"].split(",")]
        return reply.etag in tags or "*" in tags
    if reply.last_modified and "if-modified-since" in headers:
        return headers["if-modified-since"] == reply.last_modified
    return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _Routes

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)  # a bug in a test's route: shown
        # else the client hung up between requests, as the client under test may


class FaultServer:
    """The server; see the module's description. A context manager: starts and stops."""

    def __init__(self) -> None:
        self._state = _Routes()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.state = self._state
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Release every hanging answer, stop serving and close the socket."""
        self._state.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def url(self, path: str, *, host: str = "127.0.0.1") -> str:
        """The URL of ``path`` here (``host="localhost"`` names the same server otherwise)."""
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, *replies: Route) -> str:
        """Answer ``path`` with ``replies`` in turn (the last repeats); replaces any earlier
        route. Returns the path's URL."""
        if not replies:
            raise ValueError("route() needs at least one reply")
        with self._state.lock:
            self._state.routes[path] = list(replies)
        return self.url(path)

    def seen(self, path: str | None = None) -> list[Seen]:
        """The requests so far, in order, to ``path`` or to any path."""
        with self._state.lock:
            return [s for s in self._state.seen if path is None or s.path == path]

    @property
    def peak_concurrency(self) -> int:
        """The most requests answered at the same time so far."""
        with self._state.lock:
            return self._state.peak

    def wait_idle(self, timeout: float = 2.0) -> bool:
        """Wait until no answer is being sent; False if one still is after ``timeout``."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._state.lock:
                if self._state.active == 0:
                    return True
            time.sleep(0.01)
        return False
