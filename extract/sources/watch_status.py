"""The feed watcher's status file and its one-instance lock, beside the store.

The watcher (:mod:`extract.sources.watch`) writes ``<store>.watcher.json`` (atomically, a
temporary file renamed over it) when it starts, at every step of its loop and when it stops:
its process id, when it started, its last heartbeat, what it is doing and what its last cycle
did. The app reads it to say whether the watcher is alive. Writing a file rather than the store
keeps the heartbeat from touching the store (and the app's caches). ``<store>.watcher.lock`` is
held (``flock``) while a watcher runs, so a second one refuses to start.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from extract.errors import DatelineError

__all__ = ["HEARTBEAT_S", "WatchStatus", "WatcherRunning", "read_status", "status_path"]

logger = logging.getLogger(__name__)

#: Seconds between two heartbeats of a running watcher; one that has been silent for three
#: times this is reported as stopped.
HEARTBEAT_S = 5.0


class WatcherRunning(DatelineError):
    """Another watcher already follows the feeds of this store."""


def status_path(db: str | Path) -> Path:
    """The status file of the watcher of the store ``db``."""
    db = Path(db)
    return db.with_name(db.name + ".watcher.json")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class WatchStatus:
    """The status file of one running watcher (see the module docstring)."""

    path: Path
    _lock: IO[str] | None = None

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self._data: dict[str, Any] = {}

    def start(self) -> None:
        """Take the lock and write the first status.

        Raises
        ------
        WatcherRunning
            When another watcher holds the lock.
        """
        lock_path = self.path.with_suffix(".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held while running
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            other = read_status(self.path) or {}
            pid = other.get("pid")
            message = "another feed watcher is running for this store"
            if pid:
                message += f" (process {pid})"
            raise WatcherRunning(message + "; stop it first") from None
        self._lock = handle
        self._data = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": _now(),
            "state": "starting",
            "cycles": 0,
        }
        self.beat("starting")

    def beat(self, state: str | None = None, **fields: Any) -> None:
        """Write a heartbeat, with the state and any other fields given."""
        if state is not None:
            self._data["state"] = state
        self._data.update(fields)
        self._data["beat_at"] = _now()
        self._write()

    def cycle(self, summary: str, *, started: str, next_due: str | None) -> None:
        """Record a finished cycle."""
        self._data["cycles"] = int(self._data.get("cycles", 0)) + 1
        self._data["last_cycle"] = {"started": started, "ended": _now(), "summary": summary}
        self.beat("sleeping", next_due=next_due)

    def stop(self) -> None:
        """Write the final status and release the lock."""
        if self._lock is None:
            return
        self.beat("stopped", stopped_at=_now())
        fcntl.flock(self._lock, fcntl.LOCK_UN)
        self._lock.close()
        self._lock = None

    def _write(self) -> None:
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(self._data, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:  # a status that cannot be written must not stop the watcher
            logger.warning("cannot write the watcher status %s: %s", self.path, exc)


def read_status(path: str | Path, *, now: datetime | None = None) -> dict[str, Any] | None:
    """The status a watcher wrote at ``path`` (``None`` when there is none or it is
    unreadable), with ``alive``: its state is not "stopped", its heartbeat is recent and its
    process exists (on this machine)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    now = now or datetime.now(UTC)
    try:
        beat = datetime.fromisoformat(str(data.get("beat_at")).replace("Z", "+00:00"))
        age = (now - beat).total_seconds()
    except ValueError:
        age = float("inf")
    data["age_s"] = age
    data["alive"] = (
        data.get("state") != "stopped" and age <= 3 * HEARTBEAT_S and _process_exists(data)
    )
    return data


def _process_exists(data: dict[str, Any]) -> bool:
    pid = data.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    if data.get("host") not in (None, socket.gethostname()):
        return True  # another machine's process: the heartbeat alone says
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
