"""The event store: articles, their places, incidents and their sources in one DuckDB file.

See ``docs/store-api.md`` for the contract. In short::

    store = Store()                      # $DATELINE_DB, else data/dateline.duckdb
    with store.transaction() as tx:      # one write transaction: all or nothing
        if tx.insert_article(article):   # False when the article is already stored
            tx.insert_places(article["id"], places)
            tx.insert_incident(incident)
    store.incidents(start="2024-11-01", end="2024-11-30", types=["Battles"])

The store never keeps its file open between calls (other processes could not use it
meanwhile); each call attaches the file, works and detaches it, and waits with backoff while
another process holds the lock (see :mod:`geodata.store._schema`). Dates come back as
``"YYYY-MM-DD"`` strings and timestamps as ``"YYYY-MM-DDTHH:MM:SSZ"`` (UTC).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from geodata.errors import InputError, StoreError
from geodata.records import INCIDENT_FIELDS, PLACE_FIELDS
from geodata.store._bulk import candidate_filter, stored_incident
from geodata.store._feeds import FeedStore, feed_id
from geodata.store._schema import (
    SCHEMA_VERSION,
    attached,
    content_hash,
    ensure_schema,
    read_only_message,
    rows_as_dicts,
    utcnow,
)
from geodata.store._storetx import StoreTx
from geodata.view import MISSING, IncidentFilter

__all__ = [
    "SCHEMA_VERSION",
    "Store",
    "StoreTx",
    "article_id",
    "candidate_filter",
    "default_db_path",
    "feed_id",
    "stored_incident",
]

logger = logging.getLogger(__name__)

DEFAULT_DB = Path("data") / "dateline.duckdb"

# incident columns as returned by the reads (dates as ISO strings)
_INCIDENT_SELECT = ", ".join(
    f'CAST(i."{f}" AS VARCHAR) AS "{f}"' if f in ("date", "date_start", "date_end") else f'i."{f}"'
    for f in INCIDENT_FIELDS
)
_INCIDENT_SELECT_NATIVE = ", ".join(f'i."{f}"' for f in INCIDENT_FIELDS)


def article_id(text: str) -> str:
    """The content hash of an article: sha256 of its whitespace-normalized text, 16 hex chars."""
    return content_hash(text)


def default_db_path() -> Path:
    """``$DATELINE_DB`` if set, else ``data/dateline.duckdb`` (relative to the working dir)."""
    env = os.environ.get("DATELINE_DB")
    return Path(env).expanduser() if env else DEFAULT_DB


def _where(where: IncidentFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``incidents i``) and its parameters for a filter."""
    clauses: list[str] = []
    params: list[Any] = []
    if where.missing is not None:
        clauses.append(MISSING[where.missing])
    if where.start is not None:
        clauses.append('i."date" >= ?')
        params.append(where.start)
    if where.end is not None:
        clauses.append('i."date" <= ?')
        params.append(where.end)
    for column, values in (
        ("event_type", where.types),
        ("sub_event_type", where.sub_types),
        ("country", where.countries),
    ):
        if values:
            clauses.append(f"i.{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    names = [a.lower() for a in where.actors]
    if names:
        any_actor = " OR ".join(
            "contains(lower(coalesce(i.actor1, '')), ?)"
            " OR contains(lower(coalesce(i.actor2, '')), ?)"
            for _ in names
        )
        clauses.append(f"({any_actor})")
        params.extend(x for n in names for x in (n, n))
    for term in where.text.lower().split():
        clauses.append(
            "(contains(lower(concat_ws(' ', i.sentence, i.location, i.actor1, i.actor2)), ?)"
            " OR i.id IN (SELECT s.incident_id FROM incident_sources s"
            " JOIN articles a ON a.id = s.article_id WHERE contains(lower(a.title), ?)))"
        )
        params.extend((term, term))
    if where.min_fatalities > 0:
        clauses.append("i.fatalities >= ?")
        params.append(where.min_fatalities)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _article_search(search: str | None) -> tuple[str, list[Any]]:
    """SQL (over ``articles a``) for :meth:`Store.articles`' search, and its parameters."""
    text = (search or "").strip()
    if not text:
        return "", []
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    fields = ("a.title", "a.source", "a.url", "a.text")
    sql = " OR ".join(f"{f} ILIKE ? ESCAPE '\\'" for f in fields)
    return f" WHERE ({sql} OR starts_with(a.id, ?))", [like] * len(fields) + [text]


def _filter(where: IncidentFilter | None, changes: dict[str, Any]) -> IncidentFilter:
    """``where`` (all incidents when ``None``) with the keyword filters of a read applied; an
    unknown keyword is a ``TypeError``, as for any function."""
    return IncidentFilter(**changes) if where is None else where.replace(**changes)


class Store(FeedStore):
    """The DuckDB event store at ``path`` (see the module docstring and docs/store-api.md).

    Parameters
    ----------
    path
        The database file; ``None``: :func:`default_db_path`. Its directory is created on
        first use.
    read_only
        Only read: the file is never created, migrated or written, so a store on a read-only
        file system can be read. A store opened writable whose file is read-only can be
        read too (see :meth:`writable`); its writes raise :class:`StoreError`.
    lock_timeout
        Seconds to wait, retrying with backoff, while another process holds the file's lock;
        then :class:`~geodata.errors.StoreBusyError`.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        lock_timeout: float = 60.0,
    ) -> None:
        self.path = Path(path if path is not None else default_db_path()).expanduser().resolve()
        self.read_only = read_only
        self.lock_timeout = float(lock_timeout)
        self._ready = False

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, read_only={self.read_only})"

    # --- connections ------------------------------------------------------------------------

    def _ensure(self) -> None:
        if self._ready and not self.path.exists():  # deleted meanwhile: start over
            self._ready = False
        if not self._ready:
            ensure_schema(self.path, read_only=self.read_only, lock_timeout=self.lock_timeout)
            self._ready = True

    @contextmanager
    def _read(self) -> Iterator[Any]:
        self._ensure()
        with attached(self.path, read_only=True, lock_timeout=self.lock_timeout) as cur:
            yield cur

    def writable(self) -> bool:
        """Whether this process may change the store: it was not opened ``read_only``, and the
        file (or, before it exists, its nearest existing folder) and its folder, where DuckDB
        writes the ``.wal`` file, are writable. Root may write files without write
        permission, but not immutable ones (``chattr +i``)."""
        if self.read_only:
            return False
        folder = self.path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if self.path.exists() and not os.access(self.path, os.W_OK):
            return False
        return os.access(folder, os.W_OK | os.X_OK)

    def check_writable(self) -> None:
        """Raise :class:`StoreError` (saying what to do) unless :meth:`writable`."""
        if not self.writable():
            raise StoreError(read_only_message(self.path))

    @contextmanager
    def _write(self) -> Iterator[Any]:
        if self.read_only:
            raise StoreError(read_only_message(self.path))
        self._ensure()
        with attached(self.path, read_only=False, lock_timeout=self.lock_timeout) as cur:
            cur.execute("BEGIN")
            yield cur
            cur.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[StoreTx]:
        """One write transaction: committed when the block ends, rolled back if it raises.

        Opening waits (with backoff, up to ``lock_timeout``) while another process writes.
        Don't call the store's other methods inside the block: use the transaction's.
        """
        with self._write() as cur:
            tx = StoreTx(cur)
            try:
                yield tx
            finally:
                tx._closed = True

    # --- reads ------------------------------------------------------------------------------

    def _incident_sql(self, where: IncidentFilter, limit: int | None, *, native: bool) -> tuple:
        clause, params = _where(where)
        cols = _INCIDENT_SELECT_NATIVE if native else _INCIDENT_SELECT
        sql = (
            f"SELECT {cols}, i.n_sources, i.first_article_id AS article_id, i.title, i.url"
            f' FROM incidents i{clause} ORDER BY i."date" DESC NULLS LAST, i.id'
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(int(limit), 0))
        return sql, params

    def incidents(
        self, where: IncidentFilter | None = None, /, *, limit: int | None = None, **filters: Any
    ) -> list[dict[str, Any]]:
        """Incidents matching a filter, newest first.

        Parameters
        ----------
        where
            The :class:`~geodata.view.IncidentFilter` (all incidents when ``None``).
        limit
            At most this many (the newest).
        **filters
            :class:`~geodata.view.IncidentFilter` fields set on top of ``where``
            (``start="2024-11-01", types=["Battles"]``); ``missing="date"`` with ``start`` or
            ``end`` finds nothing.

        Returns
        -------
        list of dict
            The :data:`~geodata.records.INCIDENT_FIELDS` (no ``sources``), ``n_sources``
            (distinct source articles) and the first source's ``article_id``, ``title`` and
            ``url``.
        """
        sql, params = self._incident_sql(_filter(where, filters), limit, native=False)
        with self._read() as cur:
            # through Arrow: about 15% faster than fetchall() for thousands of rows
            return cur.sql(sql, params=params).to_arrow_table().to_pylist()

    def incidents_frame(
        self, where: IncidentFilter | None = None, /, *, limit: int | None = None, **filters: Any
    ) -> Any:
        """:meth:`incidents` (same filter) as a pandas DataFrame; the date columns are
        ``datetime64``."""
        sql, params = self._incident_sql(_filter(where, filters), limit, native=True)
        with self._read() as cur:
            frame = cur.execute(sql, params).df()
        for col in ("date", "date_start", "date_end"):
            frame[col] = frame[col].astype("datetime64[ns]")
        return frame

    def counts_per_day(
        self, where: IncidentFilter | None = None, /, *, limit: int | None = None, **filters: Any
    ) -> list[tuple[str, str, int]]:
        """``(day, event_type, n)`` for the incidents matching the filter (as for
        :meth:`incidents`; ``limit`` is ignored), ordered by day and type; undated incidents
        are not counted."""
        clause, params = _where(_filter(where, filters))
        clause = f'{clause} AND i."date" IS NOT NULL' if clause else ' WHERE i."date" IS NOT NULL'
        sql = (
            f'SELECT CAST(i."date" AS VARCHAR) AS day, i.event_type, count(*) FROM incidents i'
            f"{clause} GROUP BY ALL ORDER BY day, i.event_type"
        )
        with self._read() as cur:
            return [(d, t, int(n)) for d, t, n in cur.execute(sql, params).fetchall()]

    def missing_counts(
        self, where: IncidentFilter | None = None, /, *, limit: int | None = None, **filters: Any
    ) -> dict[str, int]:
        """How many incidents matching the filter (``limit`` is ignored) the time-scrubbed map
        cannot draw: ``{"date": undated, "place": without a point, "any": either}`` (one
        incident may lack both, so ``"any"`` ≤ the sum).

        One scan of three columns, cheap even on large stores. ``start``/``end`` apply as in
        :meth:`incidents` (so with either, ``"date"`` is 0): leave them out to count what no
        time window shows. ``missing`` narrows the rows counted, as elsewhere.
        """
        clause, params = _where(_filter(where, filters))
        sql = (
            f"SELECT count(*) FILTER ({MISSING['date']}), count(*) FILTER ({MISSING['place']}),"
            f" count(*) FILTER ({MISSING['any']}) FROM incidents i{clause}"
        )
        with self._read() as cur:
            row = cur.execute(sql, params).fetchone()
        return dict(zip(("date", "place", "any"), (int(n or 0) for n in row), strict=True))

    def date_range(self) -> tuple[date | None, date | None]:
        """The first and last incident date, or ``(None, None)``."""
        with self._read() as cur:
            lo, hi = cur.execute('SELECT min("date"), max("date") FROM incidents').fetchone()
        return lo, hi

    def incident_sources(self, incident_id: str) -> list[dict[str, Any]]:
        """The articles reporting an incident, first first: ``article_id``, ``title``,
        ``url``, ``source``, ``published``, ``sentence``, ``start``, ``end``."""
        sql = (
            "SELECT s.article_id, a.title, a.url, a.source, CAST(a.published AS VARCHAR) AS"
            ' published, s.sentence, s."start", s."end" FROM incident_sources s LEFT JOIN'
            " articles a ON a.id = s.article_id WHERE s.incident_id = ? ORDER BY s.position"
        )
        with self._read() as cur:
            return rows_as_dicts(cur.execute(sql, [incident_id]))

    def article(self, article_id: str) -> dict[str, Any] | None:
        """The stored article (all its columns, text included), or ``None``."""
        with self._read() as cur:
            rows = rows_as_dicts(cur.execute("SELECT * FROM articles WHERE id = ?", [article_id]))
        return rows[0] if rows else None

    def places(self, article_id: str) -> list[dict[str, Any]]:
        """An article's place mentions in their stored order (``position``)."""
        cols = ", ".join(f'"{f}"' for f in PLACE_FIELDS)
        sql = f"SELECT position, {cols} FROM places WHERE article_id = ? ORDER BY position"
        with self._read() as cur:
            return rows_as_dicts(cur.execute(sql, [article_id]))

    def stats(self) -> dict[str, Any]:
        """Row counts, the incident date range, the file size, the schema version, and
        ``changed``: a token that changes with every write of articles, places, incidents or
        fixes (a re-extraction that moves an incident keeps the counts)."""
        tables = ("articles", "places", "incidents", "incident_sources", "corrections", "snapshots")
        counts = ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
        with self._read() as cur:
            row = cur.execute(
                f'SELECT {counts}, (SELECT min("date") FROM incidents), '
                '(SELECT max("date") FROM incidents), (SELECT max(version) FROM schema_version),'
                " (SELECT max(added_at) FROM incident_sources), (SELECT max(created_at) FROM"
                " corrections), (SELECT max(rowid) FROM places)"
            ).fetchone()
        out: dict[str, Any] = dict(zip(tables, (int(n) for n in row[:6]), strict=True))
        out["sources"] = out.pop("incident_sources")
        out["min_date"] = row[6].isoformat() if row[6] else None
        out["max_date"] = row[7].isoformat() if row[7] else None
        out["schema_version"] = int(row[8])
        # what changes whenever the articles, places, incidents or fixes do (rewrites keep
        # the counts), and not when only feeds or snapshots do
        out["changed"] = "|".join(str(v) for v in row[9:12])
        wal = self.path.with_name(self.path.name + ".wal")
        out["db_bytes"] = self.path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
        out["path"] = str(self.path)
        return out

    def facets(self) -> dict[str, Any]:
        """Filter choices: ``event_types``, ``sub_event_types`` (type → sub-types),
        ``countries`` (sorted), ``actors`` (most frequent first)."""
        with self._read() as cur:
            pairs = cur.execute(
                "SELECT DISTINCT event_type, sub_event_type FROM incidents ORDER BY ALL"
            ).fetchall()
            countries = cur.execute(
                "SELECT DISTINCT country FROM incidents WHERE country IS NOT NULL ORDER BY 1"
            ).fetchall()
            actors = cur.execute(
                "SELECT a, count(*) AS n FROM (SELECT actor1 AS a FROM incidents UNION ALL "
                "SELECT actor2 FROM incidents) WHERE a IS NOT NULL AND a <> '' "
                "GROUP BY a ORDER BY n DESC, a"
            ).fetchall()
        subs: dict[str, list[str]] = {}
        for etype, sub in pairs:
            subs.setdefault(etype, [])
            if sub:
                subs[etype].append(sub)
        return {
            "event_types": list(subs),
            "sub_event_types": subs,
            "countries": [c for (c,) in countries],
            "actors": [a for a, _ in actors],
        }

    # --- articles ---------------------------------------------------------------------------

    def articles(
        self, *, search: str | None = None, limit: int | None = 200, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Stored articles, the last ingested first, without their text.

        Parameters
        ----------
        search
            Only articles whose title, source, url or text contain it (any case), or whose id
            starts with it.
        limit, offset
            A page of the list.

        Returns
        -------
        list of dict
            ``id``, ``title``, ``url``, ``source``, ``published``, ``ingested_at``,
            ``chars`` (length of the text), ``places``, ``incidents`` (those it reports) and
            ``corrections`` (the user's fixes of its places).
        """
        clause, params = _article_search(search)
        sql = (
            "SELECT a.id, a.title, a.url, a.source, CAST(a.published AS VARCHAR) AS published,"
            " a.ingested_at, length(a.text) AS chars,"
            " (SELECT count(*) FROM places p WHERE p.article_id = a.id) AS places,"
            " (SELECT count(DISTINCT s.incident_id) FROM incident_sources s"
            " WHERE s.article_id = a.id) AS incidents,"
            " (SELECT count(*) FROM corrections c WHERE c.article_id = a.id) AS corrections"
            f" FROM articles a{clause} ORDER BY a.ingested_at DESC, a.rowid DESC"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [max(int(limit), 0), max(int(offset), 0)]
        with self._read() as cur:
            return rows_as_dicts(cur.execute(sql, params))

    def count_articles(self, *, search: str | None = None) -> int:
        """How many articles :meth:`articles` lists with no limit."""
        clause, params = _article_search(search)
        with self._read() as cur:
            return int(
                cur.execute(f"SELECT count(*) FROM articles a{clause}", params).fetchone()[0]
            )

    def article_incidents(self, article_id: str) -> list[dict[str, Any]]:
        """The incidents an article reports, once each, in the order of its text: the incident
        columns of :meth:`incidents` and the article's first sentence reporting it
        (``start``/``end`` as ``source_start``/``source_end``)."""
        sql = (
            f'SELECT {_INCIDENT_SELECT}, i.n_sources, s.sentence, s."start" AS source_start,'
            ' s."end" AS source_end FROM incident_sources s JOIN incidents i ON i.id ='
            " s.incident_id WHERE s.article_id = ? QUALIFY row_number() OVER (PARTITION BY i.id"
            ' ORDER BY s."start" NULLS LAST, s.position) = 1 ORDER BY s."start" NULLS LAST, i.id'
        )
        with self._read() as cur:
            return rows_as_dicts(cur.execute(sql, [article_id]))

    def article_ids(self, where: IncidentFilter | None = None, /, **filters: Any) -> list[str]:
        """The articles reporting the incidents that match a filter (as for
        :meth:`incidents`), in the order they were ingested."""
        clause, params = _where(_filter(where, filters))
        sql = (
            "SELECT a.id FROM articles a WHERE a.id IN (SELECT s.article_id FROM"
            f" incident_sources s JOIN incidents i ON i.id = s.incident_id{clause})"
            " ORDER BY a.ingested_at, a.rowid"
        )
        with self._read() as cur:
            return [r[0] for r in cur.execute(sql, params).fetchall()]

    def delete_articles(
        self, article_ids: list[str], *, forget_corrections: bool = True
    ) -> dict[str, int]:
        """Remove articles with their places, their reports of incidents and (unless
        ``forget_corrections`` is false) the user's fixes of them; an incident no other
        article reports goes too. See :meth:`StoreTx.delete_articles`."""
        with self.transaction() as tx:
            return tx.delete_articles(article_ids, forget_corrections=forget_corrections)

    # --- corrections ------------------------------------------------------------------------

    def add_correction(
        self,
        *,
        article_id: str,
        start: int,
        end: int,
        entry_id: str | None,
        note: str | None = None,
    ) -> None:
        """Record a user's fix of the mention ``[start, end)``: geocode it as the gazetteer
        entry ``entry_id``, or drop it (``None``). Replaces an earlier fix of the same span."""
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
            raise InputError(f"bad mention span [{start}, {end})")
        with self._write() as cur:
            cur.execute(
                'DELETE FROM corrections WHERE article_id = ? AND "start" = ? AND "end" = ?',
                [article_id, start, end],
            )
            cur.execute(
                "INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?)",
                [article_id, start, end, entry_id, note, utcnow()],
            )

    def corrections(self, article_id: str) -> list[dict[str, Any]]:
        """An article's corrections in text order (``article_id``, ``start``, ``end``,
        ``entry_id``, ``note``, ``created_at``)."""
        with self._read() as cur:
            return StoreTx(cur).corrections_for(article_id)

    # --- snapshots --------------------------------------------------------------------------

    def save_snapshot(
        self, *, title: str, note: str, view: dict[str, Any], incidents: list[dict[str, Any]]
    ) -> str:
        """Store a saved view with its incidents; return its unguessable id."""
        # an id may not open with "-": "--id -x…" reads as an option on a command line
        snap_id = "s" + secrets.token_urlsafe(16)
        now = utcnow()
        with self._write() as cur:
            cur.execute(
                "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?)",
                [snap_id, title, note, _json(view), _json(incidents), now, now],
            )
        return snap_id

    def snapshot(self, snapshot_id: str) -> dict[str, Any] | None:
        """A snapshot (``id``, ``title``, ``note``, ``view``, ``incidents``, ``created_at``,
        ``updated_at``) or ``None``."""
        with self._read() as cur:
            rows = rows_as_dicts(cur.execute("SELECT * FROM snapshots WHERE id = ?", [snapshot_id]))
        if not rows:
            return None
        snap = rows[0]
        snap["view"] = json.loads(snap["view"]) if snap["view"] else {}
        snap["incidents"] = json.loads(snap["incidents"]) if snap["incidents"] else []
        return snap

    def snapshots(self) -> list[dict[str, Any]]:
        """Every snapshot, newest first, without its payload: ``id``, ``title``, ``note``,
        ``n_incidents``, ``created_at``, ``updated_at``."""
        sql = (
            "SELECT id, title, note, CAST(coalesce(json_array_length(incidents), 0) AS INTEGER)"
            " AS n_incidents, created_at, updated_at FROM snapshots ORDER BY created_at DESC, id"
        )
        with self._read() as cur:
            return rows_as_dicts(cur.execute(sql))

    def rename_snapshot(self, snapshot_id: str, title: str) -> None:
        """Change a snapshot's title; :class:`StoreError` if there is no such snapshot."""
        with self._write() as cur:
            found = cur.execute(
                "UPDATE snapshots SET title = ?, updated_at = ? WHERE id = ? RETURNING id",
                [title, utcnow(), snapshot_id],
            ).fetchall()
            if not found:
                raise StoreError(f"no snapshot {snapshot_id!r}")

    def delete_snapshot(self, snapshot_id: str) -> None:
        """Delete a snapshot (nothing happens if there is none)."""
        with self._write() as cur:
            cur.execute("DELETE FROM snapshots WHERE id = ?", [snapshot_id])


def _json(value: Any) -> str:
    def default(obj: Any) -> Any:
        if isinstance(obj, date | datetime):
            return obj.isoformat()
        return str(obj)

    return json.dumps(value, ensure_ascii=False, default=default)
