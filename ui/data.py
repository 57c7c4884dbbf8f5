"""Cached reads of the event store, keyed by the store's path, its version and the filters.

The *version* is the store's row counts and its ``changed`` token
(:meth:`geodata.store.event_store.Store.stats`), read on every run (cached by the signature of
the store's files, so nothing is queried while they are untouched): after an ingest or a
re-extraction (here, from the command line or by the feed watcher) they change, and so do the
cache keys, so the new rows show at once; a watcher's poll that adds nothing changes neither.
Query results are plain lists/dicts (``st.cache_data``); the store handle itself is a cached
resource (:mod:`ui.resources`).

Errors of the data layer (:class:`geodata.errors.DatelineError`) are shown with
:func:`show_error` and stop the page, never as a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from geodata.errors import DatelineError
from geodata.view import MAX_MARKERS, IncidentFilter
from ui import resources
from ui.text import escape_markdown

__all__ = [
    "MAX_MARKERS",
    "MENTION_ARTICLES",
    "StoreView",
    "article",
    "article_ids",
    "article_incidents",
    "article_places",
    "articles",
    "attach_mentions",
    "corrections",
    "counts_per_day",
    "extent",
    "data_errors",
    "facets",
    "feed_count",
    "faint_places",
    "incident_sources",
    "incidents",
    "load_store_view",
    "missing_counts",
    "show_error",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Exact place highlighting (stored mention spans) for at most this many source articles per
#: view; beyond, the place name is looked for in the sentence.
MENTION_ARTICLES = 60
#: Faint places are collected from at most this many source articles of the view.
FAINT_ARTICLES = 200

Version = tuple[Any, ...]


def show_error(exc: BaseException, what: str) -> None:
    """Show a data-layer error as a message (the details go to the log)."""
    logger.warning("%s: %s", what, exc, exc_info=not isinstance(exc, DatelineError))
    st.error(f"{what}: {escape_markdown(exc)}")


@contextmanager
def data_errors(what: str, *, stop: bool = True) -> Iterator[None]:
    """Turn a :class:`DatelineError` inside the block into ``st.error`` (and stop the page)."""
    try:
        yield
    except DatelineError as exc:
        show_error(exc, what)
        if stop:
            st.stop()


class StoreView:
    """The store handle with its current version (row counts, file signature), read once per
    run."""

    def __init__(self, handle: Any, stats: dict[str, Any], signature: Any = ()) -> None:
        self.handle = handle
        self.stats = stats
        self.path = str(handle.path)
        counts = ("articles", "places", "incidents", "sources", "corrections")
        self.version: Version = (*(int(stats.get(k) or 0) for k in counts), stats.get("changed"))
        self.signature = signature


def load_store_view(*, seed: bool = True) -> StoreView:
    """Open the store (seeding the sample into an empty one) and read its version.

    Shows an error and stops the page when the store or the gazetteer cannot be used.
    """
    with data_errors("Cannot open the event store"):
        handle = resources.store()
        signature = _file_signature(Path(handle.path))
        stats = _stats(str(handle.path), signature)
        if seed and not stats["articles"] and resources.seed_sample(handle):
            signature = _file_signature(Path(handle.path))
            stats = handle.stats()
        return StoreView(handle, stats, signature)
    raise AssertionError("unreachable")  # data_errors stops the page


def _file_signature(path: Path) -> tuple[tuple[int, int] | None, ...]:
    """``(mtime_ns, size)`` of the store file and of its write-ahead log: every write changes
    one of them, so it keys the cached row counts (no query while nothing changed)."""
    out = []
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            st_ = file.stat()
            out.append((st_.st_mtime_ns, st_.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


@st.cache_data(show_spinner=False, max_entries=16)
def _stats(path: str, signature: tuple[Any, ...]) -> dict[str, Any]:
    return resources.store_at(path).stats()


@st.cache_data(show_spinner=False, max_entries=16)
def _feed_count(path: str, signature: tuple[Any, ...]) -> tuple[int, int]:
    feeds = resources.store_at(path).feeds()
    return sum(f.active for f in feeds), len(feeds)


def feed_count(view: StoreView) -> tuple[int, int]:
    """How many feeds are active, and followed (read again when the store's files change)."""
    with data_errors("Cannot read the feeds"):
        return _feed_count(view.path, view.signature)
    raise AssertionError("unreachable")


def _cached(view: StoreView, fn: Callable[..., T], *args: Any) -> T:
    with data_errors("Cannot read the event store"):
        return fn(view.path, view.version, *args)
    raise AssertionError("unreachable")


# --- cached queries (path and version are part of every key) --------------------------------


@st.cache_data(show_spinner=False, max_entries=16)
def _facets(path: str, version: Version) -> dict[str, Any]:
    return resources.store_at(path).facets()


@st.cache_data(show_spinner=False, max_entries=16)
def _date_range(path: str, version: Version) -> tuple[date | None, date | None]:
    return resources.store_at(path).date_range()


@st.cache_data(show_spinner=False, max_entries=64)
def _incidents(
    path: str,
    version: Version,
    where: IncidentFilter,
    limit: int,
) -> list[dict[str, Any]]:
    return resources.store_at(path).incidents(where, limit=limit)


@st.cache_data(show_spinner=False, max_entries=16)
def _extent(path: str, version: Version, where: IncidentFilter) -> list[list[float]] | None:
    from geodata.maps.incidents import incidents_bounds

    rows = resources.store_at(path).incidents(where, limit=MAX_MARKERS)
    return incidents_bounds(rows)


@st.cache_data(show_spinner=False, max_entries=32)
def _counts(path: str, version: Version, where: IncidentFilter) -> list[tuple[str, str, int]]:
    return resources.store_at(path).counts_per_day(where)


@st.cache_data(show_spinner=False, max_entries=32)
def _missing(path: str, version: Version, where: IncidentFilter) -> dict[str, int]:
    return resources.store_at(path).missing_counts(where)


@st.cache_data(show_spinner=False, max_entries=256)
def _sources(path: str, version: Version, incident_id: str) -> list[dict[str, Any]]:
    return resources.store_at(path).incident_sources(incident_id)


@st.cache_data(show_spinner=False, max_entries=2048)
def _places(path: str, version: Version, article_id: str) -> list[dict[str, Any]]:
    return resources.store_at(path).places(article_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _article_incidents(path: str, version: Version, article_id: str) -> list[dict[str, Any]]:
    return resources.store_at(path).article_incidents(article_id)


@st.cache_data(show_spinner=False, max_entries=32)
def _articles(
    path: str, version: Version, search: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    store = resources.store_at(path)
    return store.articles(search=search, limit=limit, offset=offset), store.count_articles(
        search=search
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _filter_articles(path: str, version: Version, where: IncidentFilter) -> list[str]:
    return resources.store_at(path).article_ids(where)


@st.cache_data(show_spinner=False, max_entries=64)
def _article(path: str, version: Version, article_id: str) -> dict[str, Any] | None:
    return resources.store_at(path).article(article_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _corrections(path: str, version: Version, article_id: str) -> list[dict[str, Any]]:
    return resources.store_at(path).corrections(article_id)


def facets(view: StoreView) -> dict[str, Any]:
    """Filter choices: ``event_types``, ``countries``, ``actors`` of the stored incidents."""
    return _cached(view, _facets)


def date_range(view: StoreView) -> tuple[date | None, date | None]:
    """The first and last incident date."""
    return _cached(view, _date_range)


def incidents(
    view: StoreView, where: IncidentFilter, *, limit: int | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """The newest ``limit`` (default :data:`MAX_MARKERS`) incidents matching the filter (its
    dates and ``missing`` included), and whether there were more (one extra row is read)."""
    limit = MAX_MARKERS if limit is None else limit
    rows = _cached(view, _incidents, where, limit + 1)
    return rows[:limit], len(rows) > limit


def extent(view: StoreView, filters: IncidentFilter | None = None) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of the newest stored incidents matching ``filters``
    at any date (the map's frame: it changes with the store and the filters, never with the
    date, so scrubbing keeps the frame)."""
    where = (filters or IncidentFilter()).replace(start=None, end=None, missing=None)
    return _cached(view, _extent, where)


def counts_per_day(view: StoreView, filters: IncidentFilter) -> list[tuple[str, str, int]]:
    return _cached(view, _counts, filters)


def missing_counts(view: StoreView, filters: IncidentFilter) -> dict[str, int]:
    """How many incidents matching the filters, at any date, the map cannot draw:
    ``{"date": undated, "place": without a point, "any": either}``. Cached by filters, not by
    window, so scrubbing costs no query."""
    return _cached(view, _missing, filters)


def incident_sources(view: StoreView, incident_id: str) -> list[dict[str, Any]]:
    return _cached(view, _sources, incident_id)


def article(view: StoreView, article_id: str) -> dict[str, Any] | None:
    return _cached(view, _article, article_id)


def corrections(view: StoreView, article_id: str) -> list[dict[str, Any]]:
    return _cached(view, _corrections, article_id)


def article_places(view: StoreView, article_id: str) -> list[dict[str, Any]]:
    """An article's stored places (they change when it is re-extracted)."""
    return _cached(view, _places, article_id)


def article_incidents(view: StoreView, article_id: str) -> list[dict[str, Any]]:
    """The incidents an article reports, with its own sentence for each."""
    return _cached(view, _article_incidents, article_id)


def articles(
    view: StoreView, *, search: str = "", limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """A page of the stored articles (last ingested first) matching ``search``, and how many
    match in all."""
    return _cached(view, _articles, search.strip(), limit, offset)


def article_ids(view: StoreView, where: IncidentFilter) -> list[str]:
    """The articles reporting the incidents that match ``where``, in ingest order."""
    return _cached(view, _filter_articles, where)


def _article_ids(rows: list[dict[str, Any]], limit: int) -> list[str] | None:
    ids = list(dict.fromkeys(r.get("article_id") for r in rows if r.get("article_id")))
    return ids if len(ids) <= limit else None


def attach_mentions(view: StoreView, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with ``mention_start``/``mention_end``: where the incident's place is written in
    its sentence, from the stored place mentions (for up to :data:`MENTION_ARTICLES` articles;
    otherwise the map looks for the place name in the sentence)."""
    ids = _article_ids(rows, MENTION_ARTICLES)
    if not ids:
        return rows
    places = {aid: article_places(view, aid) for aid in ids}
    out = []
    for row in rows:
        found = places.get(row.get("article_id") or "", [])
        idx, start, end = row.get("place_index"), row.get("start"), row.get("end")
        mention = found[idx] if isinstance(idx, int) and 0 <= idx < len(found) else None
        if (
            mention is not None
            and isinstance(start, int)
            and isinstance(end, int)
            and start <= mention["start"] < mention["end"] <= end
            and str(row.get("sentence") or "")[mention["start"] - start : mention["end"] - start]
            == mention["text"]
        ):
            row = {
                **row,
                "mention_start": mention["start"] - start,
                "mention_end": mention["end"] - start,
            }
        out.append(row)
    return out


def faint_places(view: StoreView, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Literal places of the view's source articles where no shown incident is located (from
    up to :data:`FAINT_ARTICLES` articles, newest incidents first)."""
    ids = list(dict.fromkeys(r.get("article_id") for r in rows if r.get("article_id")))
    taken = {
        (round(r["lat"], 3), round(r["lon"], 3))
        for r in rows
        if r.get("lat") is not None and r.get("lon") is not None
    }
    out = []
    for aid in ids[:FAINT_ARTICLES]:
        for place in article_places(view, aid):
            if place.get("role") != "literal" or place.get("lat") is None:
                continue
            if (round(place["lat"], 3), round(place["lon"], 3)) not in taken:
                out.append(place)
    return out
