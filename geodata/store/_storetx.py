"""Write transactions of the event store (:class:`StoreTx`) and row conversion helpers.

Used through :meth:`geodata.store.event_store.Store.transaction`; see ``docs/store-api.md``. The
per-item methods are here; the bulk ones (one statement per kind of row for a whole batch) come from
:class:`geodata.store._bulk.BulkWrites`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from geodata.errors import InputError, StoreError
from geodata.records import INCIDENT_FIELDS, PLACE_FIELDS, SOURCE_FIELDS
from geodata.store._bulk import (
    COMPUTED_FIELDS,
    BulkWrites,
    bbox_bounds,
    incident_hash,
    incident_range,
    incident_value,
    source_row,
)
from geodata.store._rewrite import Rewrites
from geodata.store._schema import (
    ARTICLE_FIELDS,
    DATE_FIELDS,
    PLACE_TYPES,
    content_hash,
    quoted,
    rows_as_dicts,
    to_date,
    to_timestamp,
    utcnow,
)

__all__ = [
    "ARTICLE_FIELDS",
    "StoreTx",
    "content_hash",
    "rows_as_dicts",
    "to_date",
]

logger = logging.getLogger(__name__)

_PLACE_TYPES = ("VARCHAR", "INTEGER", *PLACE_TYPES)
_SOURCE_COLUMNS = ("incident_id", "article_id", "position", "sentence", "start", "end", "added_at")
_SOURCE_TYPES = ("VARCHAR", "VARCHAR", "INTEGER", "VARCHAR", "INTEGER", "INTEGER", "TIMESTAMP")


def _insert_rows(
    cur: Any, table: str, columns: tuple[str, ...], types: tuple[str, ...], rows: list[tuple]
) -> None:
    """Insert ``rows`` with one statement: one list parameter per column, unnested side by side
    (several times faster than a multi-row VALUES list or executemany)."""
    if not rows:
        return
    select = ", ".join(f"unnest(?::{t}[])" for t in types)
    cur.execute(
        f"INSERT INTO {table} ({quoted(columns)}) SELECT {select}",
        [list(col) for col in zip(*rows, strict=True)],
    )


class StoreTx(BulkWrites, Rewrites):
    """The operations of one write transaction (see :meth:`Store.transaction`)."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur
        self._closed = False

    def _c(self) -> Any:
        if self._closed:
            raise StoreError("the transaction is over: its block has ended")
        return self._cur

    # --- articles and places -------------------------------------------------------------

    def existing_article_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are stored already."""
        wanted = list(dict.fromkeys(str(i) for i in ids))
        if not wanted:
            return set()
        rows = (
            self._c()
            .execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [wanted])
            .fetchall()
        )
        return {r[0] for r in rows}

    def insert_article(self, article: dict[str, Any]) -> bool:
        """Store an article; ``False`` (and nothing changes) if its id is stored already.

        ``article["id"]`` defaults to the content hash of ``article["text"]`` (which is
        required); ``ingested_at`` to now.
        """
        text = article.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError("article has no text", source=str(article.get("id") or "") or None)
        aid = str(article.get("id") or content_hash(text))
        cur = self._c()
        if cur.execute("SELECT 1 FROM articles WHERE id = ?", [aid]).fetchone():
            return False
        cur.execute(
            f"INSERT INTO articles ({quoted(ARTICLE_FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                aid,
                article.get("source_id"),
                article.get("title"),
                article.get("url"),
                article.get("source"),
                to_date(article.get("published"), "published"),
                text,
                to_timestamp(article.get("ingested_at")),
            ],
        )
        return True

    def insert_places(self, article_id: str, places: list[dict[str, Any]]) -> None:
        """Store an article's place mentions (``Place.to_dict()`` rows), replacing any stored
        before; ``position`` defaults to the index in ``places``."""
        cur = self._c()
        cur.execute("DELETE FROM places WHERE article_id = ?", [article_id])
        rows = [
            (article_id, int(p.get("position", k)), *(p.get(f) for f in PLACE_FIELDS))
            for k, p in enumerate(places)
        ]
        _insert_rows(cur, "places", ("article_id", "position", *PLACE_FIELDS), _PLACE_TYPES, rows)

    def corrections_for(self, article_id: str) -> list[dict[str, Any]]:
        """The article's geocode corrections, in text order."""
        sql = (
            'SELECT article_id, "start", "end", entry_id, note, created_at FROM corrections'
            ' WHERE article_id = ? ORDER BY "start", "end"'
        )
        return rows_as_dicts(self._c().execute(sql, [article_id]))

    # --- incidents ----------------------------------------------------------------------

    def candidate_incidents(
        self, incident: dict[str, Any], *, max_km: float = 25.0
    ) -> list[dict[str, Any]]:
        """Stored incidents that may be the same event as ``incident``, for an exact check.

        Same ``event_type`` and ``sub_event_type``; date ranges overlap (a missing bound is
        open; an ``unknown``-precision date has no lower bound); and the point lies in a
        bounding box of ``max_km`` around the incident's, or the country is the same and one of
        the two is of coarse precision (``geo_precision`` ≥ 3 or missing).

        Returns
        -------
        list of dict
            ``Incident.to_dict()``-shaped records (dates as strings, ``sources`` as
            ``{"article_id", "sentence", "start", "end"}`` dicts), ordered by id.
        """
        lo, hi = incident_range(incident)
        s_lo = (
            "CASE WHEN i.date_precision = 'unknown' THEN NULL"
            ' ELSE coalesce(i.date_start, i."date") END'
        )
        s_hi = 'coalesce(i.date_end, i."date")'
        where = [
            "i.event_type = ?",
            "i.sub_event_type IS NOT DISTINCT FROM ?",
            f"NOT coalesce(?::DATE > {s_hi}, false)",
            f"NOT coalesce({s_lo} > ?::DATE, false)",
        ]
        params: list[Any] = [incident.get("event_type"), incident.get("sub_event_type"), lo, hi]
        coarse = (incident.get("geo_precision") or 3) >= 3
        place = ["(i.country IS NOT DISTINCT FROM ? AND (? OR coalesce(i.geo_precision, 3) >= 3))"]
        place_params: list[Any] = [incident.get("country"), coarse]
        lat, lon = incident.get("lat"), incident.get("lon")
        if lat is not None and lon is not None:
            box, box_params = _bbox(float(lat), float(lon), max_km)
            place.append(box)
            place_params.extend(box_params)
        where.append("(" + " OR ".join(place) + ")")
        params.extend(place_params)
        cols = ", ".join(
            f'CAST(i."{f}" AS VARCHAR) AS "{f}"' if f in DATE_FIELDS else f'i."{f}"'
            for f in INCIDENT_FIELDS
        )
        sql = f"SELECT {cols} FROM incidents i WHERE {' AND '.join(where)} ORDER BY i.id"
        cur = self._c()
        found = rows_as_dicts(cur.execute(sql, params))
        if found:
            by_id = {row["id"]: row for row in found}
            for row in found:
                row["sources"] = []
            srows = cur.execute(
                f"SELECT incident_id, {quoted(SOURCE_FIELDS)} FROM incident_sources WHERE"
                " incident_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY incident_id, position",
                [list(by_id)],
            ).fetchall()
            for iid, *values in srows:
                by_id[iid]["sources"].append(dict(zip(SOURCE_FIELDS, values, strict=True)))
        return found

    def insert_incident(self, incident: dict[str, Any]) -> str:
        """Store an incident (``Incident.to_dict()``) and its ``sources``; return its id.

        An incident whose id is stored already is not changed, but gets any new sources.
        """
        if not incident.get("event_type"):
            raise InputError("incident has no event_type", source=incident.get("id") or None)
        iid = str(incident.get("id") or "") or incident_hash(incident)
        cur = self._c()
        sources = incident.get("sources") or ()
        if cur.execute("SELECT 1 FROM incidents WHERE id = ?", [iid]).fetchone():
            for src in sources:
                self._add_source(iid, src)
            return iid
        rows = list(dict.fromkeys(source_row(iid, src) for src in sources))
        articles = list(dict.fromkeys(row[0] for row in rows))
        values = [iid] + [incident_value(f, incident.get(f)) for f in INCIDENT_FIELDS[1:]]
        now = utcnow()
        cols = (*INCIDENT_FIELDS, "n_sources", "first_article_id", "created_at", "updated_at")
        first = articles[0] if articles else None
        cur.execute(  # the first source's title and url go with the incident
            f"INSERT INTO incidents ({quoted(cols)}, title, url)"
            f" SELECT {', '.join('?' * len(cols))}, max(title), max(url)"
            " FROM articles WHERE id = ?",
            [*values, len(articles), first, now, now, first],
        )
        _insert_rows(
            cur,
            "incident_sources",
            _SOURCE_COLUMNS,
            _SOURCE_TYPES,
            [(iid, row[0], k, *row[1:], now) for k, row in enumerate(rows)],
        )
        return iid

    def update_incident(self, incident_id: str, fields: dict[str, Any]) -> None:
        """Change an incident's fields (e.g. after merging a new report into it).

        ``fields`` holds :data:`INCIDENT_FIELDS`; ``sources`` adds the sources not stored yet;
        ``id`` and the computed ``n_sources``, ``article_id``, ``title``, ``url`` are ignored.
        """
        unknown = set(fields) - set(INCIDENT_FIELDS) - COMPUTED_FIELDS - {"sources"}
        if unknown:
            raise TypeError(f"update_incident: unknown field(s) {', '.join(sorted(unknown))}")
        cur = self._c()
        if not cur.execute("SELECT 1 FROM incidents WHERE id = ?", [incident_id]).fetchone():
            raise StoreError(f"no incident {incident_id!r}")
        changes = [f for f in INCIDENT_FIELDS if f in fields and f != "id"]
        if changes:
            sets = ", ".join(f'"{f}" = ?' for f in changes)
            cur.execute(
                f"UPDATE incidents SET {sets}, updated_at = ? WHERE id = ?",
                [*(incident_value(f, fields[f]) for f in changes), utcnow(), incident_id],
            )
        for src in fields.get("sources") or ():
            self._add_source(incident_id, src)

    def add_source(
        self,
        incident_id: str,
        article_id: str,
        sentence: str,
        start: int | None,
        end: int | None,
    ) -> None:
        """Record that ``article_id`` reports the incident (in ``sentence``, at
        ``[start, end)``); a source already recorded is not added twice."""
        cur = self._c()
        if not cur.execute("SELECT 1 FROM incidents WHERE id = ?", [incident_id]).fetchone():
            raise StoreError(f"no incident {incident_id!r}")
        self._add_source(
            incident_id,
            {"article_id": article_id, "sentence": sentence, "start": start, "end": end},
        )

    def _add_source(self, incident_id: str, src: dict[str, Any]) -> None:
        cur = self._c()
        row = source_row(incident_id, src)
        article = row[0]
        same, known, count = cur.execute(
            "SELECT count(*) FILTER (article_id = ? AND sentence IS NOT DISTINCT FROM ? AND"
            ' "start" IS NOT DISTINCT FROM ? AND "end" IS NOT DISTINCT FROM ?),'
            " count(*) FILTER (article_id = ?), count(*)"
            " FROM incident_sources WHERE incident_id = ?",
            [*row, article, incident_id],
        ).fetchone()
        if same:
            return
        cur.execute(
            "INSERT INTO incident_sources (incident_id, article_id, position, sentence,"
            ' "start", "end", added_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [incident_id, article, count, *row[1:], utcnow()],
        )
        if count == 0:  # the first source: its article's title and url go with the incident
            cur.execute(
                "UPDATE incidents SET n_sources = 1, first_article_id = ?, title = a.title,"
                " url = a.url FROM (SELECT max(title) AS title, max(url) AS url FROM articles"
                " WHERE id = ?) a WHERE incidents.id = ?",
                [article, article, incident_id],
            )
        elif not known:
            cur.execute(
                "UPDATE incidents SET n_sources = n_sources + 1 WHERE id = ?", [incident_id]
            )


def _bbox(lat: float, lon: float, km: float) -> tuple[str, list[float]]:
    """SQL (over ``incidents i``) for the points within about ``km`` of ``(lat, lon)``."""
    lat0, lat1, ranges = bbox_bounds(lat, lon, km)
    sql = "(i.lat BETWEEN ? AND ?"
    params = [lat0, lat1]
    if ranges is None:
        return sql + " AND i.lon IS NOT NULL)", params
    if len(ranges) == 2:  # across the antimeridian
        (lo, _), (_, hi) = ranges
        return sql + " AND (i.lon >= ? OR i.lon <= ?))", [*params, lo, hi]
    ((lo, hi),) = ranges
    return sql + " AND i.lon BETWEEN ? AND ?)", [*params, lo, hi]
