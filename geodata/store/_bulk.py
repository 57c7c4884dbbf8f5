"""Bulk writes of a store transaction: a whole batch of rows in a few statements.

:class:`BulkWrites` is mixed into :class:`geodata.store._storetx.StoreTx`. Each bulk method leaves
the rows that its per-item counterpart would leave if it were called once per item, in order
(timestamps aside), in a fixed number of statements whatever the number of rows. The rows
travel as ``unnest``-ed list parameters, one list a column, into a temporary table
(``INSERT INTO … SELECT … FROM`` it): in DuckDB 2.0.1 that costs 20-30 µs per incident row,
against over 250 µs for a multi-row ``VALUES`` list or ``executemany``. An Arrow table
registered on the cursor costs about 5 µs a row, but pyarrow pulls in pandas (pyarrow looks
for it when it converts a list): ~85 MB more in every process that writes, the feed watcher
included, whose memory is bounded. Writing a batch of 200 synthetic articles takes 240 ms with
the lists against 220 ms with Arrow, 0.1 ms an article (extraction takes 15 ms).

Also here: the incident helpers that the per-item methods share (:func:`incident_range`,
:func:`bbox_bounds`, :func:`source_row`, :func:`incident_hash`, :func:`incident_value`).
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from geodata.errors import InputError, StoreError
from geodata.records import INCIDENT_FIELDS, PLACE_FIELDS
from geodata.store._schema import (
    ARTICLE_FIELDS,
    ARTICLE_TYPES,
    DATE_FIELDS,
    INCIDENT_TYPES,
    PLACE_TYPES,
    content_hash,
    quoted,
    rows_as_dicts,
    to_date,
    to_timestamp,
    utcnow,
)

__all__ = [
    "COMPUTED_FIELDS",
    "BulkWrites",
    "bbox_bounds",
    "candidate_filter",
    "frame",
    "incident_hash",
    "incident_range",
    "incident_value",
    "source_row",
    "stored_incident",
]

#: incident columns that updates ignore (the store maintains them)
COMPUTED_FIELDS = frozenset({"id", "n_sources", "article_id", "title", "url"})

_TYPE_OF = dict(zip(INCIDENT_FIELDS, INCIDENT_TYPES, strict=True))
_NEW_INCIDENT_COLUMNS = (
    *zip(INCIDENT_FIELDS, INCIDENT_TYPES, strict=True),
    ("n_sources", "INTEGER"),
    ("first_article_id", "VARCHAR"),
    ("created_at", "TIMESTAMP"),
    ("updated_at", "TIMESTAMP"),
)
_SOURCE_COLUMNS = (
    ("incident_id", "VARCHAR"),
    ("article_id", "VARCHAR"),
    ("position", "INTEGER"),
    ("sentence", "VARCHAR"),
    ("start", "INTEGER"),
    ("end", "INTEGER"),
    ("added_at", "TIMESTAMP"),
)
_QUERY_COLUMNS = (
    ("id", "VARCHAR"),
    ("event_type", "VARCHAR"),
    ("sub_event_type", "VARCHAR"),
    ("country", "VARCHAR"),
    ("lo", "DATE"),
    ("hi", "DATE"),
    ("coarse", "BOOLEAN"),
    ("lat0", "DOUBLE"),
    ("lat1", "DOUBLE"),
    ("lon0", "DOUBLE"),
    ("lon1", "DOUBLE"),
    ("lon2", "DOUBLE"),
    ("lon3", "DOUBLE"),
)
_frames = itertools.count()


# --- helpers shared with the per-item methods -------------------------------------------------


def incident_value(field: str, value: Any) -> Any:
    """An incident field's value as stored (dates as :class:`datetime.date`)."""
    if field in DATE_FIELDS:
        return to_date(value, field)
    return value


def source_row(incident_id: str, src: Mapping[str, Any]) -> tuple:
    """``(article_id, sentence, start, end)`` of a source dict."""
    article = src.get("article_id")
    if not article:
        raise InputError("incident source has no article_id", source=incident_id)
    return (str(article), src.get("sentence"), src.get("start"), src.get("end"))


def incident_range(incident: Mapping[str, Any]) -> tuple[date | None, date | None]:
    """The incident's date range as :func:`extract.events.dedup.same_incident` sees it."""
    day = to_date(incident.get("date"), "date")
    lo = to_date(incident.get("date_start"), "date_start") or day
    hi = to_date(incident.get("date_end"), "date_end") or day
    if incident.get("date_precision") == "unknown":
        lo = None
    return lo, hi


def bbox_bounds(
    lat: float, lon: float, km: float
) -> tuple[float, float, tuple[tuple[float, float], ...] | None]:
    """``(lat_min, lat_max, lon_ranges)`` of the box of about ``km`` around ``(lat, lon)``;
    ``lon_ranges`` is ``None`` when any longitude fits (near a pole), else one or (across the
    antimeridian) two inclusive ranges."""
    dlat = km / 110.574
    cos = math.cos(math.radians(lat))
    dlon = km / (111.320 * cos) if cos > 1e-6 else 360.0
    lo, hi = lon - dlon, lon + dlon
    if dlon >= 180:
        ranges = None
    elif lo < -180:
        ranges = ((lo + 360, math.inf), (-math.inf, hi))
    elif hi > 180:
        ranges = ((lo, math.inf), (-math.inf, hi - 360))
    else:
        ranges = ((lo, hi),)
    return lat - dlat, lat + dlat, ranges


def incident_hash(incident: Mapping[str, Any]) -> str:
    """The id of an incident given without one."""
    key = "|".join(str(incident.get(f)) for f in INCIDENT_FIELDS[1:])
    return "i" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _incident_id(incident: Mapping[str, Any]) -> str:
    if not incident.get("event_type"):
        raise InputError("incident has no event_type", source=incident.get("id") or None)
    return str(incident.get("id") or "") or incident_hash(incident)


def stored_incident(incident: Mapping[str, Any]) -> dict[str, Any]:
    """The :data:`INCIDENT_FIELDS` of ``incident`` as the store keeps and returns them: the id
    defaulted as :meth:`insert_incident` does, dates as ``YYYY-MM-DD`` strings."""
    row = {f: incident.get(f) for f in INCIDENT_FIELDS}
    row["id"] = str(row["id"] or "") or incident_hash(incident)
    for f in DATE_FIELDS:
        day = to_date(row[f], f)
        row[f] = day.isoformat() if day is not None else None
    return row


def candidate_filter(
    incident: Mapping[str, Any], *, max_km: float = 25.0
) -> Callable[[Mapping[str, Any]], bool]:
    """A test of stored incident rows (as :meth:`candidate_incidents` returns them, or
    :func:`stored_incident` makes them) that is true exactly for the rows that
    ``candidate_incidents(incident, max_km=max_km)`` would return: the same conditions, in
    Python, for deciding against rows held in memory."""
    etype, sub, country = (incident.get(f) for f in ("event_type", "sub_event_type", "country"))
    lo, hi = (d.isoformat() if d is not None else None for d in incident_range(incident))
    coarse = (incident.get("geo_precision") or 3) >= 3
    lat, lon = incident.get("lat"), incident.get("lon")
    box = None
    if lat is not None and lon is not None:
        box = bbox_bounds(float(lat), float(lon), max_km)

    def test(row: Mapping[str, Any]) -> bool:
        if etype is None or row["event_type"] != etype or row["sub_event_type"] != sub:
            return False
        day = row["date"]
        end = row["date_end"] if row["date_end"] is not None else day
        if lo is not None and end is not None and lo > end:
            return False
        begin = row["date_start"] if row["date_start"] is not None else day
        if row["date_precision"] != "unknown" and begin is not None and hi is not None:
            if begin > hi:
                return False
        precision = row["geo_precision"]
        if row["country"] == country and (coarse or (3 if precision is None else precision) >= 3):
            return True
        if box is None or row["lat"] is None or row["lon"] is None:
            return False
        if not box[0] <= row["lat"] <= box[1]:
            return False
        return box[2] is None or any(a <= row["lon"] <= b for a, b in box[2])

    return test


# --- row frames ---------------------------------------------------------------------------------

#: The Python values a column of each SQL type takes as they are (others go as text, cast).
_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "VARCHAR": (str,),
    "INTEGER": (int,),
    "BIGINT": (int,),
    "DOUBLE": (int, float),
    "DATE": (date,),
    "TIMESTAMP": (datetime,),
    "BOOLEAN": (bool,),
}


def _fits(values: Sequence[Any], sql_type: str) -> bool:
    kinds = _PYTHON_TYPES[sql_type]
    for v in values:
        if v is None:
            continue
        if not isinstance(v, kinds) or (isinstance(v, bool) and sql_type != "BOOLEAN"):
            return False
        if sql_type == "DATE" and isinstance(v, datetime):
            return False
    return True


@contextmanager
def frame(
    cur: Any,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]] = (),
    *,
    data: Sequence[Sequence[Any]] | None = None,
) -> Iterator[str]:
    """Put rows in a temporary table for the duration of the block; yield a parenthesized
    ``SELECT`` of them, each column of its SQL type, to use in a ``FROM`` clause.

    ``columns`` are ``(name, SQL type)`` pairs; the values come as ``rows`` (tuples in the order
    of ``columns``) or as ``data`` (one sequence of values per column). Each column travels as
    one list parameter, ``unnest``-ed: a column with odd Python values goes as text, cast by
    DuckDB as it would cast a parameter.
    """
    if data is None:
        data = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    name = f"_dateline_rows_{next(_frames)}"
    selects: list[str] = []
    params: list[list[Any]] = []
    for (col, kind), values in zip(columns, data, strict=True):
        values = list(values)
        if _fits(values, kind):
            selects.append(f'unnest(?::{kind}[]) AS "{col}"')
        else:
            values = [None if v is None else str(v) for v in values]
            selects.append(f'CAST(unnest(?::VARCHAR[]) AS {kind}) AS "{col}"')
        params.append(values)
    cur.execute(f"CREATE TEMP TABLE {name} AS SELECT {', '.join(selects)}", params)
    try:
        yield f"(SELECT * FROM temp.main.{name})"
    finally:
        cur.execute(f"DROP TABLE IF EXISTS temp.main.{name}")


# --- the bulk methods ---------------------------------------------------------------------------


class BulkWrites:
    """The bulk methods of :class:`~geodata.store._storetx.StoreTx` (see the module docstring)."""

    _c: Callable[[], Any]

    def insert_articles(self, articles: Iterable[Mapping[str, Any]]) -> list[str]:
        """:meth:`insert_article` for each article: store those whose id is not stored yet.

        Returns
        -------
        list of str
            The ids of the articles stored now, in input order (an id repeated in
            ``articles`` is stored once, from its first occurrence).
        """
        rows: dict[str, tuple] = {}
        for art in articles:
            text = art.get("text")
            if not isinstance(text, str) or not text.strip():
                raise InputError("article has no text", source=str(art.get("id") or "") or None)
            aid = str(art.get("id") or content_hash(text))
            if aid not in rows:
                rows[aid] = (
                    aid,
                    art.get("source_id"),
                    art.get("title"),
                    art.get("url"),
                    art.get("source"),
                    to_date(art.get("published"), "published"),
                    text,
                    to_timestamp(art.get("ingested_at")),
                )
        if not rows:
            return []
        cur = self._c()
        columns = tuple(zip(ARTICLE_FIELDS, ARTICLE_TYPES, strict=True))
        with frame(cur, columns, list(rows.values())) as new:
            stored = cur.execute(
                f"INSERT INTO articles ({quoted(ARTICLE_FIELDS)}) SELECT * FROM {new} n"
                " WHERE n.id NOT IN (SELECT id FROM articles) RETURNING id"
            ).fetchall()
        done = {r[0] for r in stored}
        return [aid for aid in rows if aid in done]

    def insert_places_bulk(
        self,
        places: Mapping[str, Sequence[Mapping[str, Any]]]
        | Iterable[tuple[str, Sequence[Mapping[str, Any]]]],
    ) -> int:
        """:meth:`insert_places` for each ``(article_id, places)``: the stored places of each
        article named are replaced (an empty list just deletes them). Returns the number of
        places stored."""
        items = list(places.items() if isinstance(places, Mapping) else places)
        articles = [str(aid) for aid, _ in items]
        data: list[list[Any]] = [
            [aid for aid, (_, rows) in zip(articles, items, strict=True) for _ in rows],
            [int(p.get("position", k)) for _, rows in items for k, p in enumerate(rows)],
        ]
        data += [[p.get(f) for _, rows in items for p in rows] for f in PLACE_FIELDS]
        cur = self._c()
        if articles:
            cur.execute(
                "DELETE FROM places WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                [list(dict.fromkeys(articles))],
            )
        if not data[0]:
            return 0
        columns = (("article_id", "VARCHAR"), ("position", "INTEGER"))
        columns += tuple(zip(PLACE_FIELDS, PLACE_TYPES, strict=True))
        with frame(cur, columns, data=data) as new:
            cur.execute(f"INSERT INTO places ({quoted(c for c, _ in columns)}) SELECT * FROM {new}")
        return len(data[0])

    def corrections_for_many(self, article_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """:meth:`corrections_for` of several articles: article id → its corrections in text
        order (articles without corrections are left out)."""
        ids = list(dict.fromkeys(str(a) for a in article_ids))
        if not ids:
            return {}
        sql = (
            'SELECT article_id, "start", "end", entry_id, note, created_at FROM corrections'
            ' WHERE article_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY article_id, "start",'
            ' "end"'
        )
        out: dict[str, list[dict[str, Any]]] = {}
        for row in rows_as_dicts(self._c().execute(sql, [ids])):
            out.setdefault(row["article_id"], []).append(row)
        return out

    def candidate_incidents_for_batch(
        self, incidents: Sequence[Mapping[str, Any]], *, max_km: float = 25.0
    ) -> list[dict[str, Any]]:
        """The stored incidents that may be the same event as any of ``incidents``, in one query.

        That is, for each incident, what :meth:`candidate_incidents` returns for it, but only
        in the same country (``extract.events.dedup.same_incident`` requires it); and besides, the
        stored incidents that have the id of one of ``incidents``.

        Returns
        -------
        list of dict
            Shaped as :meth:`candidate_incidents`'s rows, each once, ordered by id.
        """
        keys = []
        for inc in incidents:
            lo, hi = incident_range(inc)
            box: tuple = (None,) * 6
            lat, lon = inc.get("lat"), inc.get("lon")
            if lat is not None and lon is not None:
                lat0, lat1, ranges = bbox_bounds(float(lat), float(lon), max_km)
                spans = ranges or ((-math.inf, math.inf),)
                box = (lat0, lat1, *spans[0], *(spans[1] if len(spans) > 1 else (None, None)))
            coarse = (inc.get("geo_precision") or 3) >= 3
            iid = str(inc.get("id") or "") or incident_hash(inc)
            kind = (inc.get("event_type"), inc.get("sub_event_type"), inc.get("country"))
            keys.append((iid, *kind, lo, hi, coarse, *box))
        if not keys:
            return []
        s_lo = (
            "CASE WHEN i.date_precision = 'unknown' THEN NULL"
            ' ELSE coalesce(i.date_start, i."date") END'
        )
        cols = ", ".join(
            f'CAST(i."{f}" AS VARCHAR) AS "{f}"' if f in DATE_FIELDS else f'i."{f}"'
            for f in INCIDENT_FIELDS
        )
        cur = self._c()
        with frame(cur, _QUERY_COLUMNS, keys) as query:
            sql = f"""
                WITH q AS (SELECT * FROM {query}), hit AS (
                    SELECT i.id FROM incidents i JOIN q ON i.event_type = q.event_type
                        AND i.sub_event_type IS NOT DISTINCT FROM q.sub_event_type
                        AND i.country IS NOT DISTINCT FROM q.country
                    WHERE NOT coalesce(q.lo > coalesce(i.date_end, i."date"), false)
                        AND NOT coalesce({s_lo} > q.hi, false)
                        AND (q.coarse OR coalesce(i.geo_precision, 3) >= 3
                            OR (i.lat BETWEEN q.lat0 AND q.lat1
                                AND (i.lon BETWEEN q.lon0 AND q.lon1
                                    OR i.lon BETWEEN q.lon2 AND q.lon3)))
                    UNION SELECT i.id FROM incidents i JOIN q ON i.id = q.id
                ), src AS (
                    SELECT s.incident_id, list({{'article_id': s.article_id,
                        'sentence': s.sentence, 'start': s."start", 'end': s."end"}}
                        ORDER BY s.position) AS sources
                    FROM incident_sources s WHERE s.incident_id IN (SELECT id FROM hit)
                    GROUP BY s.incident_id
                )
                SELECT {cols}, src.sources FROM incidents i SEMI JOIN hit ON hit.id = i.id
                LEFT JOIN src ON src.incident_id = i.id ORDER BY i.id
            """
            found = rows_as_dicts(cur.execute(sql))
        for row in found:
            row["sources"] = [dict(s) for s in row["sources"] or ()]
        return found

    def insert_incidents_bulk(self, incidents: Iterable[Mapping[str, Any]]) -> list[str]:
        """:meth:`insert_incident` for each incident, in order; returns their ids.

        An incident whose id is stored already (or came earlier in ``incidents``) is not
        changed, but gets the sources it does not have yet.
        """
        prepared = [(_incident_id(inc), inc) for inc in incidents]
        if not prepared:
            return []
        cur = self._c()
        ids = list(dict.fromkeys(iid for iid, _ in prepared))
        seen = {
            r[0]
            for r in cur.execute(
                "SELECT id FROM incidents WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]
            ).fetchall()
        }
        now = utcnow()
        rows, sources, later = [], [], []
        for iid, inc in prepared:
            if iid in seen:
                later.extend({**src, "incident_id": iid} for src in inc.get("sources") or ())
                continue
            seen.add(iid)
            srcs = list(dict.fromkeys(source_row(iid, src) for src in inc.get("sources") or ()))
            articles = list(dict.fromkeys(row[0] for row in srcs))
            values = [iid] + [incident_value(f, inc.get(f)) for f in INCIDENT_FIELDS[1:]]
            rows.append((*values, len(articles), articles[0] if articles else None, now, now))
            sources.extend((iid, row[0], k, *row[1:], now) for k, row in enumerate(srcs))
        if rows:
            names = [c for c, _ in _NEW_INCIDENT_COLUMNS]
            with frame(cur, _NEW_INCIDENT_COLUMNS, rows) as new:
                cur.execute(  # the first source's title and url go with the incident
                    f"INSERT INTO incidents ({quoted(names)}, title, url)"
                    f" SELECT {', '.join(f'n.{quoted([c])}' for c in names)}, a.title, a.url"
                    f" FROM {new} n LEFT JOIN articles a ON a.id = n.first_article_id"
                )
        if sources:
            with frame(cur, _SOURCE_COLUMNS, sources) as new:
                cur.execute(
                    f"INSERT INTO incident_sources ({quoted(c for c, _ in _SOURCE_COLUMNS)})"
                    f" SELECT * FROM {new}"
                )
        if later:
            self.add_sources_bulk(later)
        return [iid for iid, _ in prepared]

    def add_sources_bulk(self, sources: Iterable[Mapping[str, Any]]) -> int:
        """:meth:`add_source` for each source, in order.

        Each source is a dict with ``incident_id``, ``article_id``, ``sentence``, ``start``,
        ``end``; one equal to a stored source (or to an earlier one) is not added. Returns the
        number added; an unknown incident raises :class:`StoreError` (nothing is added).
        """
        rows = []
        for src in sources:
            iid = src.get("incident_id")
            if not iid:
                raise InputError("incident source has no incident_id")
            rows.append((str(iid), *source_row(str(iid), src)))
        rows = list(dict.fromkeys(rows))
        if not rows:
            return 0
        cur = self._c()
        columns = (("k", "INTEGER"), ("incident_id", "VARCHAR"), ("article_id", "VARCHAR"))
        columns += (("sentence", "VARCHAR"), ("start", "INTEGER"), ("end", "INTEGER"))
        with frame(cur, columns, [(k, *row) for k, row in enumerate(rows)]) as new:
            missing = cur.execute(
                f"SELECT n.incident_id FROM {new} n ANTI JOIN incidents i ON i.id = n.incident_id"
                " ORDER BY n.k LIMIT 1"
            ).fetchall()
            if missing:
                raise StoreError(f"no incident {missing[0][0]!r}")
            added = cur.execute(
                f"""
                WITH n AS (SELECT * FROM {new}), fresh AS (
                    SELECT * FROM n ANTI JOIN incident_sources s ON s.incident_id = n.incident_id
                        AND s.article_id = n.article_id
                        AND s.sentence IS NOT DISTINCT FROM n.sentence
                        AND s."start" IS NOT DISTINCT FROM n."start"
                        AND s."end" IS NOT DISTINCT FROM n."end"
                ), had AS (
                    SELECT incident_id, count(*) AS k FROM incident_sources
                    WHERE incident_id IN (SELECT incident_id FROM n) GROUP BY incident_id
                )
                INSERT INTO incident_sources (incident_id, article_id, position, sentence,
                    "start", "end", added_at)
                SELECT f.incident_id, f.article_id, coalesce(had.k, 0) - 1
                    + row_number() OVER (PARTITION BY f.incident_id ORDER BY f.k),
                    f.sentence, f."start", f."end", ?::TIMESTAMP
                FROM fresh f LEFT JOIN had ON had.incident_id = f.incident_id
                RETURNING incident_id
                """,
                [utcnow()],
            ).fetchall()
        if added:  # distinct source articles; the first source's title and url
            cur.execute(
                """
                UPDATE incidents SET n_sources = x.n,
                    first_article_id = CASE WHEN incidents.n_sources = 0 THEN x.first
                        ELSE incidents.first_article_id END,
                    title = CASE WHEN incidents.n_sources = 0 THEN x.title ELSE incidents.title END,
                    url = CASE WHEN incidents.n_sources = 0 THEN x.url ELSE incidents.url END
                FROM (
                    SELECT g.incident_id, g.n, g.first, a.title, a.url FROM (
                        SELECT incident_id, count(DISTINCT article_id) AS n,
                            arg_min(article_id, position) AS first
                        FROM incident_sources WHERE incident_id IN (SELECT unnest(?::VARCHAR[]))
                        GROUP BY incident_id
                    ) g LEFT JOIN articles a ON a.id = g.first
                ) x
                WHERE incidents.id = x.incident_id
                """,
                [list({r[0] for r in added})],
            )
        return len(added)

    def update_incidents_bulk(
        self, updates: Mapping[str, Mapping[str, Any]] | Iterable[tuple[str, Mapping[str, Any]]]
    ) -> None:
        """:meth:`update_incident` for each ``(incident_id, fields)``, in order, in two
        statements (plus :meth:`add_sources_bulk` for their ``sources``)."""
        items = updates.items() if isinstance(updates, Mapping) else updates
        merged: dict[str, dict[str, Any]] = {}
        sources: list[dict[str, Any]] = []
        for iid, fields in items:
            unknown = set(fields) - set(INCIDENT_FIELDS) - COMPUTED_FIELDS - {"sources"}
            if unknown:
                names = ", ".join(sorted(unknown))
                raise TypeError(f"update_incidents_bulk: unknown field(s) {names}")
            target = merged.setdefault(str(iid), {})
            for f in INCIDENT_FIELDS[1:]:
                if f in fields:
                    target[f] = incident_value(f, fields[f])
            sources.extend({**src, "incident_id": str(iid)} for src in fields.get("sources") or ())
        if not merged:
            return
        cur = self._c()
        ids = list(merged)
        found = {
            r[0]
            for r in cur.execute(
                "SELECT id FROM incidents WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]
            ).fetchall()
        }
        missing = next((iid for iid in ids if iid not in found), None)
        if missing is not None:
            raise StoreError(f"no incident {missing!r}")
        changed = [f for f in INCIDENT_FIELDS[1:] if any(f in m for m in merged.values())]
        rows = [
            (iid, *(m.get(f) for f in changed), *(f in m for f in changed))
            for iid, m in merged.items()
            if m
        ]
        if rows:
            columns = (("id", "VARCHAR"), *((f, _TYPE_OF[f]) for f in changed))
            columns += tuple((f"set_{k}", "BOOLEAN") for k in range(len(changed)))
            sets = ", ".join(
                f'"{f}" = CASE WHEN u.set_{k} THEN u."{f}" ELSE incidents."{f}" END'
                for k, f in enumerate(changed)
            )
            with frame(cur, columns, rows) as new:
                cur.execute(
                    f"UPDATE incidents SET {sets}, updated_at = ?::TIMESTAMP FROM {new} u"
                    " WHERE incidents.id = u.id",
                    [utcnow()],
                )
        if sources:
            self.add_sources_bulk(sources)
