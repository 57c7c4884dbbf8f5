"""Write transactions of the event store (:class:`StoreTx`) and row conversion helpers.

Used through :meth:`geodata.store.Store.transaction`; see ``docs/store-api.md``.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from geodata._schema import utcnow
from geodata.errors import InputError, StoreError

__all__ = [
    "ARTICLE_FIELDS",
    "INCIDENT_FIELDS",
    "PLACE_FIELDS",
    "SOURCE_FIELDS",
    "StoreTx",
    "content_hash",
    "rows_as_dicts",
    "to_date",
]

logger = logging.getLogger(__name__)

ARTICLE_FIELDS = ("id", "source_id", "title", "url", "source", "published", "text", "ingested_at")
#: the stored fields of ``extract.article.Place`` (``position`` is stored besides)
PLACE_FIELDS = (
    "start",
    "end",
    "text",
    "name",
    "geonameid",
    "lat",
    "lon",
    "kind",
    "country",
    "admin1",
    "role",
    "score",
    "entry_id",
    "precision",
)
#: the fields of ``extract.incidents.Incident`` but ``sources`` (stored in incident_sources)
INCIDENT_FIELDS = (
    "id",
    "event_type",
    "sub_event_type",
    "date",
    "date_precision",
    "date_start",
    "date_end",
    "place_index",
    "location",
    "lat",
    "lon",
    "geo_precision",
    "country",
    "admin1",
    "actor1",
    "actor2",
    "fatalities",
    "injured",
    "sentence",
    "start",
    "end",
    "confidence",
    "trigger",
    "time_precision",
)
SOURCE_FIELDS = ("article_id", "sentence", "start", "end")
_DATE_FIELDS = frozenset({"date", "date_start", "date_end"})
_COMPUTED = frozenset({"id", "n_sources", "article_id", "title", "url"})  # ignored by updates
_PLACE_TYPES = ("VARCHAR", "INTEGER", "INTEGER", "INTEGER", "VARCHAR", "VARCHAR", "BIGINT")
_PLACE_TYPES += ("DOUBLE", "DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE")
_PLACE_TYPES += ("VARCHAR", "VARCHAR")
_SOURCE_COLUMNS = ("incident_id", "article_id", "position", "sentence", "start", "end", "added_at")
_SOURCE_TYPES = ("VARCHAR", "VARCHAR", "INTEGER", "VARCHAR", "INTEGER", "INTEGER", "TIMESTAMP")


def content_hash(text: str) -> str:
    """sha256 of the whitespace-normalized text, first 16 hex digits."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def to_date(value: Any, what: str = "date") -> date | None:
    """``value`` (``YYYY-MM-DD…`` string, date, datetime or ``None``) as a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{what}: expected a YYYY-MM-DD date, got {value!r}") from None


def _to_timestamp(value: Any) -> datetime:
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


def _quoted(fields: Iterable[str]) -> str:
    return ", ".join(f'"{f}"' for f in fields)


def _insert_rows(
    cur: Any, table: str, columns: tuple[str, ...], types: tuple[str, ...], rows: list[tuple]
) -> None:
    """Insert ``rows`` with one statement: one list parameter per column, unnested side by side
    (several times faster than a multi-row VALUES list or executemany)."""
    if not rows:
        return
    select = ", ".join(f"unnest(?::{t}[])" for t in types)
    cur.execute(
        f"INSERT INTO {table} ({_quoted(columns)}) SELECT {select}",
        [list(col) for col in zip(*rows, strict=True)],
    )


def _incident_value(field: str, value: Any) -> Any:
    if field in _DATE_FIELDS:
        return to_date(value, field)
    return value


class StoreTx:
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
            f"INSERT INTO articles ({_quoted(ARTICLE_FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                aid,
                article.get("source_id"),
                article.get("title"),
                article.get("url"),
                article.get("source"),
                to_date(article.get("published"), "published"),
                text,
                _to_timestamp(article.get("ingested_at")),
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
        lo, hi = _range(incident)
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
            f'CAST(i."{f}" AS VARCHAR) AS "{f}"' if f in _DATE_FIELDS else f'i."{f}"'
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
                f"SELECT incident_id, {_quoted(SOURCE_FIELDS)} FROM incident_sources WHERE"
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
        iid = str(incident.get("id") or "") or _incident_hash(incident)
        cur = self._c()
        sources = incident.get("sources") or ()
        if cur.execute("SELECT 1 FROM incidents WHERE id = ?", [iid]).fetchone():
            for src in sources:
                self._add_source(iid, src)
            return iid
        rows = list(dict.fromkeys(_source_row(iid, src) for src in sources))
        articles = list(dict.fromkeys(row[0] for row in rows))
        values = [iid] + [_incident_value(f, incident.get(f)) for f in INCIDENT_FIELDS[1:]]
        now = utcnow()
        cols = (*INCIDENT_FIELDS, "n_sources", "first_article_id", "created_at", "updated_at")
        first = articles[0] if articles else None
        cur.execute(  # the first source's title and url go with the incident
            f"INSERT INTO incidents ({_quoted(cols)}, title, url)"
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
        unknown = set(fields) - set(INCIDENT_FIELDS) - _COMPUTED - {"sources"}
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
                [*(_incident_value(f, fields[f]) for f in changes), utcnow(), incident_id],
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
        row = _source_row(incident_id, src)
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


def _source_row(incident_id: str, src: dict[str, Any]) -> tuple:
    """``(article_id, sentence, start, end)`` of a source dict."""
    article = src.get("article_id")
    if not article:
        raise InputError("incident source has no article_id", source=incident_id)
    return (str(article), src.get("sentence"), src.get("start"), src.get("end"))


def _range(incident: dict[str, Any]) -> tuple[date | None, date | None]:
    """The incident's date range as :func:`extract.dedup.same_incident` sees it."""
    day = to_date(incident.get("date"), "date")
    lo = to_date(incident.get("date_start"), "date_start") or day
    hi = to_date(incident.get("date_end"), "date_end") or day
    if incident.get("date_precision") == "unknown":
        lo = None
    return lo, hi


def _bbox(lat: float, lon: float, km: float) -> tuple[str, list[float]]:
    """SQL (over ``incidents i``) for the points within about ``km`` of ``(lat, lon)``."""
    dlat = km / 110.574
    cos = math.cos(math.radians(lat))
    dlon = km / (111.320 * cos) if cos > 1e-6 else 360.0
    sql = "(i.lat BETWEEN ? AND ?"
    params = [lat - dlat, lat + dlat]
    lo, hi = lon - dlon, lon + dlon
    if dlon >= 180:
        return sql + " AND i.lon IS NOT NULL)", params
    if lo < -180:
        return sql + " AND (i.lon >= ? OR i.lon <= ?))", [*params, lo + 360, hi]
    if hi > 180:
        return sql + " AND (i.lon >= ? OR i.lon <= ?))", [*params, lo, hi - 360]
    return sql + " AND i.lon BETWEEN ? AND ?)", [*params, lo, hi]


def _incident_hash(incident: dict[str, Any]) -> str:
    key = "|".join(str(incident.get(f)) for f in INCIDENT_FIELDS[1:])
    return "i" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
