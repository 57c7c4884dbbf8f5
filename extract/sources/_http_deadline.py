"""The deadline of a request of :class:`~extract.sources.http.PoliteClient`: socket timeouts
bound each read, not their sum, so a :class:`Watchdog` shuts the request's socket down when
the whole request's time has passed; urllib3's connection pools are subclassed
(:class:`WatchedPool`, :class:`WatchedHTTPSPool`) so that each connection hands its socket to
the running watchdog just before the answer is read, on the requesting thread."""

from __future__ import annotations

import socket
import threading
from typing import Self

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["Watchdog", "WatchedHTTPSPool", "WatchedPool"]

# the watchdog of the request that this thread is making, if any
_current = threading.local()


class Watchdog:
    """Shuts the request's socket down when ``seconds`` have passed.

    Socket timeouts bound each read, not their sum: a server sending a header line or a body
    byte every few seconds never trips them. The connection classes below hand the socket in
    (:func:`_watch_socket`) just before the answer is read, on this thread.
    """

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._fired = False
        self._stopped = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Self:
        _current.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self._fired and not self._stopped:
                _shut(sock)

    def stop(self) -> bool:
        """Disarm; True when the deadline had passed (the socket was shut)."""
        with self._lock:
            self._stopped = True
            self._timer.cancel()
            if getattr(_current, "watchdog", None) is self:
                _current.watchdog = None
            return self._fired

    def _fire(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._fired = True
            if self._sock is not None:
                _shut(self._sock)


def _shut(sock: socket.socket) -> None:
    try:
        # the plain socket's shutdown, also under TLS: SSLSocket.shutdown would drop its SSL
        # object under the reading thread's feet; this just wakes the read with an EOF
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _watch_socket(sock: socket.socket | None) -> None:
    watchdog: Watchdog | None = getattr(_current, "watchdog", None)
    if watchdog is not None and sock is not None:
        watchdog.attach(sock)


class _WatchedConnection(HTTPConnection):
    def getresponse(self) -> urllib3.HTTPResponse:  # type: ignore[override]
        _watch_socket(self.sock)
        return super().getresponse()


class _WatchedHTTPSConnection(HTTPSConnection):
    def getresponse(self) -> urllib3.HTTPResponse:  # type: ignore[override]
        _watch_socket(self.sock)
        return super().getresponse()


class WatchedPool(HTTPConnectionPool):
    ConnectionCls = _WatchedConnection


class WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection
