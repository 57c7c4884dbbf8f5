"""The event store's schema, its migrations, its columns and values, and how the store file is
opened.

DuckDB lets one process write a database file at a time, and a writing process excludes every
other process, readers included. So the store never keeps its file open: each operation
*attaches* the file to a process-wide in-memory DuckDB instance (the "engine"), does its work
and detaches it again, which releases the file lock. Attaching costs about a millisecond,
where starting a DuckDB instance per operation would cost 15-25 ms.

* Within a process, one operation at a time uses a given file (a per-file lock), so two
  threads never attach the same file twice or race on a write.
* Across processes, a lock conflict on attach is retried with exponential backoff and jitter
  until ``lock_timeout``, then :class:`~geodata.errors.StoreBusyError` is raised.
* Other DuckDB errors on open become :class:`~geodata.errors.StoreError` (damaged file,
  permissions, missing file) or :class:`~geodata.errors.StoreVersionError` (a newer format).

Schema versions are recorded in the ``schema_version`` table, one row per applied migration;
:data:`MIGRATIONS` holds, for each version, the statements that lead to it from the previous one.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import random
import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from geodata.dates import iso_date
from geodata.errors import InputError, StoreBusyError, StoreError, StoreVersionError
from geodata.records import INCIDENT_FIELDS, PLACE_FIELDS

__all__ = [
    "ARTICLE_FIELDS",
    "ARTICLE_TYPES",
    "DATE_FIELDS",
    "INCIDENT_TYPES",
    "MIGRATIONS",
    "PLACE_TYPES",
    "SCHEMA_VERSION",
    "attached",
    "content_hash",
    "damaged_message",
    "ensure_schema",
    "quoted",
    "read_only_message",
    "rows_as_dicts",
    "store_error",
    "to_date",
    "to_timestamp",
    "utcnow",
]

logger = logging.getLogger(__name__)

_INCIDENT_COLUMNS = """
    id VARCHAR PRIMARY KEY,
    event_type VARCHAR NOT NULL,
    sub_event_type VARCHAR,
    "date" DATE,
    date_precision VARCHAR,
    date_start DATE,
    date_end DATE,
    place_index INTEGER,
    location VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geo_precision INTEGER,
    country VARCHAR,
    admin1 VARCHAR,
    actor1 VARCHAR,
    actor2 VARCHAR,
    fatalities INTEGER,
    injured INTEGER,
    sentence VARCHAR,
    "start" INTEGER,
    "end" INTEGER,
    confidence DOUBLE,
    "trigger" VARCHAR,
    time_precision INTEGER,
    n_sources INTEGER NOT NULL DEFAULT 0,
    first_article_id VARCHAR,
    title VARCHAR,
    url VARCHAR,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
"""

#: ``MIGRATIONS[v - 1]`` brings a store from version ``v - 1`` to version ``v``.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: articles, their place mentions, incidents and the articles reporting them
    (
        "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)",
        """CREATE TABLE articles (
            id VARCHAR PRIMARY KEY, source_id VARCHAR, title VARCHAR, url VARCHAR,
            source VARCHAR, published DATE, text VARCHAR NOT NULL, ingested_at TIMESTAMP NOT NULL
        )""",
        """CREATE TABLE places (
            article_id VARCHAR NOT NULL, position INTEGER NOT NULL, "start" INTEGER,
            "end" INTEGER, text VARCHAR, name VARCHAR, geonameid BIGINT, lat DOUBLE, lon DOUBLE,
            kind VARCHAR, country VARCHAR, admin1 VARCHAR, role VARCHAR, score DOUBLE,
            entry_id VARCHAR, "precision" VARCHAR
        )""",
        "CREATE INDEX places_article ON places (article_id)",
        f"CREATE TABLE incidents ({_INCIDENT_COLUMNS})",
        'CREATE INDEX incidents_date ON incidents ("date")',
        "CREATE INDEX incidents_type ON incidents (event_type)",
        "CREATE INDEX incidents_country ON incidents (country)",
        """CREATE TABLE incident_sources (
            incident_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, position INTEGER NOT NULL,
            sentence VARCHAR, "start" INTEGER, "end" INTEGER, added_at TIMESTAMP NOT NULL
        )""",
        "CREATE INDEX incident_sources_incident ON incident_sources (incident_id)",
    ),
    # 2: user data: geocode corrections and saved views
    (
        """CREATE TABLE corrections (
            article_id VARCHAR NOT NULL, "start" INTEGER NOT NULL, "end" INTEGER NOT NULL,
            entry_id VARCHAR, note VARCHAR, created_at TIMESTAMP NOT NULL
        )""",
        "CREATE INDEX corrections_article ON corrections (article_id)",
        """CREATE TABLE snapshots (
            id VARCHAR PRIMARY KEY, title VARCHAR NOT NULL, note VARCHAR, "view" JSON,
            incidents JSON, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL
        )""",
    ),
    # 3: followed feeds and the items seen in them (the feed watcher)
    (
        """CREATE TABLE feeds (
            id VARCHAR PRIMARY KEY, url VARCHAR NOT NULL UNIQUE, name VARCHAR NOT NULL,
            interval_s INTEGER NOT NULL, "language" VARCHAR, tags VARCHAR[],
            active BOOLEAN NOT NULL, etag VARCHAR, last_modified VARCHAR,
            next_poll TIMESTAMP, last_poll TIMESTAMP, last_success TIMESTAMP,
            failures INTEGER NOT NULL DEFAULT 0, last_error VARCHAR,
            items_seen BIGINT NOT NULL DEFAULT 0, articles_added BIGINT NOT NULL DEFAULT 0,
            incidents_added BIGINT NOT NULL DEFAULT 0, created_at TIMESTAMP NOT NULL
        )""",
        """CREATE TABLE feed_items (
            feed_id VARCHAR NOT NULL, item_key VARCHAR NOT NULL, canonical_url VARCHAR,
            version VARCHAR, article_id VARCHAR, state VARCHAR NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, last_error VARCHAR,
            first_seen TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL,
            PRIMARY KEY (feed_id, item_key)
        )""",
        "CREATE INDEX feed_items_url ON feed_items (canonical_url)",
        "CREATE INDEX feed_items_article ON feed_items (article_id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

# --- columns and values ------------------------------------------------------------------------

ARTICLE_FIELDS = ("id", "source_id", "title", "url", "source", "published", "text", "ingested_at")
ARTICLE_TYPES = ("VARCHAR",) * 5 + ("DATE", "VARCHAR", "TIMESTAMP")
#: the SQL type of each stored field of :class:`geodata.records.Place` (``position`` is
#: stored besides)
_PLACE_SQL = {
    "start": "INTEGER",
    "end": "INTEGER",
    "text": "VARCHAR",
    "name": "VARCHAR",
    "geonameid": "BIGINT",
    "lat": "DOUBLE",
    "lon": "DOUBLE",
    "kind": "VARCHAR",
    "country": "VARCHAR",
    "admin1": "VARCHAR",
    "role": "VARCHAR",
    "score": "DOUBLE",
    "entry_id": "VARCHAR",
    "precision": "VARCHAR",
}
#: the SQL type of each field of :class:`geodata.records.Incident` but ``sources`` (stored in
#: incident_sources)
_INCIDENT_SQL = {
    "id": "VARCHAR",
    "event_type": "VARCHAR",
    "sub_event_type": "VARCHAR",
    "date": "DATE",
    "date_precision": "VARCHAR",
    "date_start": "DATE",
    "date_end": "DATE",
    "place_index": "INTEGER",
    "location": "VARCHAR",
    "lat": "DOUBLE",
    "lon": "DOUBLE",
    "geo_precision": "INTEGER",
    "country": "VARCHAR",
    "admin1": "VARCHAR",
    "actor1": "VARCHAR",
    "actor2": "VARCHAR",
    "fatalities": "INTEGER",
    "injured": "INTEGER",
    "sentence": "VARCHAR",
    "start": "INTEGER",
    "end": "INTEGER",
    "confidence": "DOUBLE",
    "trigger": "VARCHAR",
    "time_precision": "INTEGER",
}
# the column order is the record's field order (a new field fails here until it has a type)
PLACE_TYPES = tuple(_PLACE_SQL[f] for f in PLACE_FIELDS)
INCIDENT_TYPES = tuple(_INCIDENT_SQL[f] for f in INCIDENT_FIELDS)
DATE_FIELDS = frozenset({"date", "date_start", "date_end"})


def content_hash(text: str) -> str:
    """sha256 of the whitespace-normalized text, first 16 hex digits."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def to_date(value: Any, what: str = "date") -> date | None:
    """``value`` (``YYYY-MM-DD`` or an ISO timestamp, a date, a datetime or ``None``) as a date."""
    return iso_date(value, what=what, timestamp=True)


def to_timestamp(value: Any) -> datetime:
    """An ISO timestamp (or datetime) as a naive UTC datetime; now when missing."""
    if value is None or value == "":
        return utcnow()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"ingested_at: expected an ISO timestamp, got {value!r}") from None
    return parsed.replace(tzinfo=None)


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def rows_as_dicts(result: Any) -> list[dict[str, Any]]:
    """The rows of an executed DuckDB cursor as dicts; DATE → ``YYYY-MM-DD``, TIMESTAMP →
    ISO 8601 UTC with ``Z``."""
    names = [d[0] for d in result.description]
    kinds = [str(d[1]) for d in result.description]
    rows = result.fetchall()
    convert = [(i, k) for i, k in enumerate(kinds) if k in ("DATE", "TIMESTAMP")]
    if not convert:
        return [dict(zip(names, row, strict=True)) for row in rows]
    out = []
    for row in rows:
        values = list(row)
        for i, kind in convert:
            v = values[i]
            if v is not None:
                values[i] = v.isoformat() if kind == "DATE" else _stamp(v)
        out.append(dict(zip(names, values, strict=True)))
    return out


def quoted(fields: Iterable[str]) -> str:
    """``"a", "b"``: column names quoted for SQL."""
    return ", ".join(f'"{f}"' for f in fields)


# lock conflicts with another process (retried)
_BUSY = re.compile(r"could not set lock|conflicting lock|unique file handle conflict", re.I)
_PID = re.compile(r"\(PID (\d+)\)")
# "operation not permitted": an immutable file or folder (chattr +i), which even root can't write
_NOT_WRITABLE = re.compile(
    r"permission denied|operation not permitted|read-only file system|read only file system", re.I
)
_DISK_FULL = re.compile(r"no space left on device|disk quota exceeded|disk is full", re.I)
_MISSING = re.compile(r"database does not exist|no such file or directory", re.I)
_NEWER_FORMAT = re.compile(r"version number|newer version|storage version", re.I)

_engines: dict[int, Any] = {}  # pid → the in-memory DuckDB connection of that process
_inherited: list[Any] = []  # engines copied by fork: never used, never closed
_engine_lock = threading.Lock()
_path_locks: dict[str, threading.Lock] = {}
_owners: dict[str, int] = {}  # path → thread id holding the path lock
_alias = itertools.count()


def utcnow() -> datetime:
    """The current UTC time, naive (as stored in TIMESTAMP columns)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _engine() -> Any:
    import duckdb

    pid = os.getpid()
    with _engine_lock:
        engine = _engines.get(pid)
        if engine is None:
            for other in [p for p in _engines if p != pid]:  # after fork: unusable, keep alive
                _inherited.append(_engines.pop(other))
            engine = _engines[pid] = duckdb.connect(":memory:")
        return engine


# DuckDB registers attached files process-wide, and a forked child inherits that registry:
# a file attached at the moment of a fork can never be attached in the child. So a fork waits
# (up to _FORK_WAIT seconds) until the other threads' operations are over.
_FORK_WAIT = 120.0
_held_for_fork: list[threading.Lock] = []
_poisoned: set[str] = set()  # in a child: files the forking thread itself had attached


def _before_fork() -> None:
    me = threading.get_ident()
    for key, lock in list(_path_locks.items()):  # (a thread holding one may need _engine_lock)
        if _owners.get(key) == me:
            continue
        if lock.acquire(timeout=_FORK_WAIT):
            _held_for_fork.append(lock)
        else:  # pragma: no cover - a stuck thread; the child will report the file busy
            logger.warning("forking while the store %s is in use", key)
    _engine_lock.acquire()


def _after_fork_in_parent() -> None:
    while _held_for_fork:
        _held_for_fork.pop().release()
    _engine_lock.release()


def _after_fork_in_child() -> None:
    """Start afresh: new locks, a new engine (the inherited one is kept, unused and never
    closed, since its threads did not survive the fork)."""
    global _engine_lock
    _held_for_fork.clear()
    _engine_lock = threading.Lock()
    _poisoned.update(_owners)  # still attached by the thread that forked
    _path_locks.clear()
    _owners.clear()
    for pid in list(_engines):
        _inherited.append(_engines.pop(pid))


os.register_at_fork(
    before=_before_fork,
    after_in_parent=_after_fork_in_parent,
    after_in_child=_after_fork_in_child,
)


def _path_lock(key: str) -> threading.Lock:
    with _engine_lock:
        return _path_locks.setdefault(key, threading.Lock())


def store_error(exc: BaseException, path: Path, *, writing: bool) -> StoreError:
    """A user-facing :class:`StoreError` for a DuckDB error about the store file ``path``.

    The message is one line and says what to do.
    """
    msg = " ".join(str(exc).split())  # DuckDB's messages may span lines
    if _NOT_WRITABLE.search(msg):
        if writing:
            return StoreError(read_only_message(path))
        return StoreError(
            f"cannot read the store {path}: permission denied. Make the file readable "
            f"(chmod u+r {path}), or set DATELINE_DB (--db) to another store."
        )
    if _DISK_FULL.search(msg):
        return StoreError(
            f"cannot write the store {path}: the disk is full. Free some space and run again "
            "(what was committed before is kept)."
        )
    if _MISSING.search(msg):
        return StoreError(
            f"no store at {path}: ingest articles first (python -m extract ingest), or pass "
            "the right path (--db or DATELINE_DB)"
        )
    if _NEWER_FORMAT.search(msg) and "valid" not in msg:
        return StoreVersionError(
            f"the store {path} was written by a newer DuckDB/Dateline: upgrade Dateline to "
            f"open it ({msg})"
        )
    return StoreError(damaged_message(path, msg))


def damaged_message(path: Path, detail: str) -> str:
    """What to say (and do) about a store file that is damaged or not a DuckDB database."""
    return (
        f"the store {path} is damaged or is not a Dateline database ({detail}). Move it aside "
        f"(e.g. mv {path} {path}.bad) and ingest the articles again, or set DATELINE_DB (--db) "
        "to another file."
    )


def read_only_message(path: Path) -> str:
    """What to say (and do) when the store cannot be written."""
    return (
        f"cannot write the store {path}: it is read-only (the file or its folder is not "
        "writable, or it was opened with read_only=True); it can still be read. To change it, "
        f"make both writable (chmod u+w), or set DATELINE_DB (--db) to a writable copy."
    )


def _is_storage_error(exc: BaseException) -> bool:
    import duckdb

    msg = str(exc)
    corrupt = re.search(r"corrupt|checksum|not a valid duckdb", msg, re.I) is not None
    kinds = (duckdb.IOException, duckdb.SerializationException, duckdb.InternalException)
    refused = _NOT_WRITABLE.search(msg) or _DISK_FULL.search(msg)  # e.g. on COMMIT
    return isinstance(exc, kinds) or corrupt or refused is not None


@contextmanager
def attached(
    path: Path, *, read_only: bool, lock_timeout: float, create: bool = False
) -> Iterator[Any]:
    """A DuckDB cursor whose default database is the store file, for one operation.

    Parameters
    ----------
    path
        The store file (resolved).
    read_only
        Attach read-only (a shared lock: other readers may attach at the same time).
    lock_timeout
        Seconds to keep retrying while another process holds a conflicting lock.
    create
        Allow creating the file (read-write only); otherwise a missing file is an error.

    Raises
    ------
    StoreBusyError
        The lock could not be had within ``lock_timeout``.
    StoreError
        The file is missing, unreadable, not writable or damaged (also when DuckDB finds the
        damage later, while the cursor is in use).
    """
    import duckdb

    key = str(path)
    lock = _path_lock(key)
    me = threading.get_ident()
    if key in _poisoned:
        raise StoreError(
            f"the store {path} was in use by this process's parent when it forked, so it cannot "
            "be opened here; start worker processes outside store transactions (or use the "
            "'spawn' start method)"
        )
    if _owners.get(key) == me:
        raise StoreError(
            f"the store {path} is already in use by this thread (a Store call inside an open "
            "transaction? use the transaction's own methods)"
        )
    deadline = time.monotonic() + lock_timeout
    if not lock.acquire(timeout=max(lock_timeout, 0.0)):
        raise StoreBusyError(
            f"the store {path} stayed busy in this process for {lock_timeout:g} s (a long "
            "transaction in another thread?)"
        )
    _owners[key] = me
    try:
        if not create and not path.exists():
            raise store_error(FileNotFoundError("database does not exist"), path, writing=False)
        alias = f"store_{os.getpid()}_{next(_alias)}"
        cur = _attach(path, alias, read_only=read_only, deadline=deadline, timeout=lock_timeout)
        try:
            cur.execute(f"USE {alias}")
            yield cur
        except duckdb.Error as exc:
            if _is_storage_error(exc):
                raise store_error(exc, path, writing=not read_only) from exc
            raise
        finally:
            _detach(cur, alias, path)
    finally:
        _owners.pop(key, None)
        lock.release()


def _attach(path: Path, alias: str, *, read_only: bool, deadline: float, timeout: float) -> Any:
    """Attach ``path`` as ``alias`` on a new cursor of the engine, retrying lock conflicts."""
    import duckdb

    cur = _engine().cursor()
    mode = " (READ_ONLY)" if read_only else ""
    sql = f"ATTACH '{_sql_str(str(path))}' AS {alias}{mode}"
    delay = 0.01
    attempt = 0
    while True:
        try:
            cur.execute(sql)
            return cur
        except duckdb.Error as exc:
            remaining = deadline - time.monotonic()
            if not _BUSY.search(str(exc)) or remaining <= 0:
                cur.close()
                if not _BUSY.search(str(exc)):
                    raise store_error(exc, path, writing=not read_only) from None
                pid = _PID.search(str(exc))
                holder = f" (process {pid.group(1)})" if pid else ""
                raise StoreBusyError(
                    f"the store {path} is locked by another process{holder} for more than "
                    f"{timeout:g} s; wait for it (an ingest?) to finish, or raise the lock "
                    "timeout"
                ) from None
            attempt += 1
            if attempt == 1:
                logger.debug("store %s is locked, retrying for up to %.1f s", path, remaining)
            time.sleep(min(remaining, delay * random.uniform(0.5, 1.0)))
            delay = min(delay * 2, 0.5)


def _detach(cur: Any, alias: str, path: Path) -> None:
    import duckdb

    try:
        try:
            cur.execute("ROLLBACK")  # an open transaction, if the operation left one
        except duckdb.Error:
            pass
        cur.execute("USE memory")
        cur.execute(f"DETACH {alias}")
    except duckdb.Error:  # pragma: no cover - best effort on a broken file
        logger.warning("could not detach the store %s cleanly", path, exc_info=True)
    finally:
        cur.close()


def _sql_str(value: str) -> str:
    return value.replace("'", "''")


# DuckDB's file: three 4 KiB headers, then ``total_blocks`` blocks of ``block_size`` bytes
_HEADER_BYTES = 3 * 4096


def _check_size(cur: Any, path: Path) -> None:
    """Raise :class:`StoreError` when the file is too short for the blocks in use (truncated: a
    partial copy or download). DuckDB would only notice on reading a missing block, and row
    counts, kept in the file's metadata, would still be read as if nothing were wrong.

    A lower bound: DuckDB cuts free blocks off the end of the file, and the used ones may lie
    anywhere below ``total_blocks``, so the file must hold at least ``used_blocks`` of them. Not
    checked while a ``.wal`` file is beside it (replaying it allocates blocks in memory).
    """
    if path.with_name(path.name + ".wal").exists():
        return
    row = cur.execute(
        "SELECT block_size, used_blocks FROM pragma_database_size()"
        " WHERE database_name = current_database()"
    ).fetchone()
    if row is None or not row[0]:
        return
    expected = _HEADER_BYTES + int(row[0]) * int(row[1])
    size = path.stat().st_size
    if size < expected:
        detail = f"the file is truncated: {size} bytes, at least {expected} expected"
        raise StoreError(damaged_message(path, detail))


def _version(cur: Any, path: Path) -> int | None:
    """The store's schema version; ``None`` for a database without Dateline tables."""
    tables = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "schema_version" not in tables:
        if tables:
            raise StoreError(
                f"{path} is a DuckDB database but not a Dateline store (it has no "
                "schema_version table); point DATELINE_DB at another file"
            )
        return None
    row = cur.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def _check_newer(version: int | None, path: Path) -> None:
    if version is not None and version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"the store {path} has schema version {version}, but this Dateline knows versions "
            f"up to {SCHEMA_VERSION}: upgrade Dateline to use it"
        )


def ensure_schema(path: Path, *, read_only: bool, lock_timeout: float) -> int:
    """Create or migrate the store at ``path`` as needed; return its schema version.

    A read-only store is checked, never changed: an old schema is an error there.
    """
    version: int | None = None
    exists = path.exists()
    if exists:
        with attached(path, read_only=True, lock_timeout=lock_timeout) as cur:
            _check_size(cur, path)
            version = _version(cur, path)
        _check_newer(version, path)
        if version == SCHEMA_VERSION:
            return version
    if read_only:
        if not exists:
            raise store_error(FileNotFoundError("database does not exist"), path, writing=False)
        if version is None:
            raise StoreError(f"the store {path} is empty: open it writable once to create it")
        raise StoreError(
            f"the store {path} has the old schema version {version}: open it writable once "
            f"(without read_only) to migrate it to version {SCHEMA_VERSION}"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the directory of the store {path}: {exc}") from None
    with attached(path, read_only=False, lock_timeout=lock_timeout, create=True) as cur:
        version = _version(cur, path)  # again: another process may have migrated meanwhile
        _check_newer(version, path)
        for target in range((version or 0) + 1, SCHEMA_VERSION + 1):
            cur.execute("BEGIN")
            for statement in MIGRATIONS[target - 1]:
                cur.execute(statement)
            cur.execute("INSERT INTO schema_version VALUES (?, ?)", [target, utcnow()])
            cur.execute("COMMIT")
            logger.info("store %s: schema version %d", path, target)
    return SCHEMA_VERSION
