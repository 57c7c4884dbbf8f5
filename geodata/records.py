"""The records that cross layers, defined once: what extraction produces and the store keeps.

``extract`` reads text into an :class:`Article` holding :class:`Place` mentions and
:class:`Incident` records; ``geodata`` stores, queries, exports and draws them, and a worker
process hands them back as :meth:`Article.to_dict` payloads read with :meth:`Article.from_dict`.
A reader yields :class:`InputRecord` dicts. The field lists the store's columns follow
(:data:`PLACE_FIELDS`, :data:`INCIDENT_FIELDS`) are read off the dataclasses, so a field is
named in one place. :class:`Gazetteer` is the protocol the text pipeline needs of a gazetteer
(:class:`geodata.gazetteer.index.Gazetteer` is the one implementation; tests build small ones).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Protocol, TypedDict

__all__ = [
    "DEFAULT_FEED_INTERVAL",
    "FEED_FIELDS",
    "INCIDENT_FIELDS",
    "PLACE_FIELDS",
    "ROLES",
    "SOURCE_FIELDS",
    "Article",
    "Feed",
    "FeedPoll",
    "Gazetteer",
    "Incident",
    "InputRecord",
    "Place",
    "sources_spelled_out",
]

#: ``literal``: a location; ``associative``: a government or people ("Kyiv said");
#: ``demonym``: an adjective or people name linked to a place ("Ukrainian"). Most important
#: first (the map draws them in this order).
ROLES = ("literal", "associative", "demonym")


class InputRecord(TypedDict, total=False):
    """One document as a reader yields it (``id``, ``text``, ``source`` and ``line`` always;
    the rest when the input gives them). ``source``/``line``/``item`` say where it came from."""

    id: str
    text: str
    source: str
    line: int | None
    item: int
    published: str
    title: str
    url: str
    #: given place-name spans (``[{"start", "end"}, ...]``): resolve only these
    mentions: list[dict[str, int]]


@dataclass(slots=True)
class Place:
    """One place mention in a text, with the gazetteer entry it was resolved to.

    ``text[start:end] == self.text`` always holds. ``geonameid``/``lat``/``lon`` are ``None``
    when the mention could not be resolved.
    """

    start: int
    end: int
    text: str
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    kind: str
    country: str | None
    admin1: str | None
    role: str = "literal"
    score: float = 0.0
    entry_id: str | None = None
    #: "district" when the mention is a part of a city that the gazetteer lacks and the point
    #: is the containing city's.
    precision: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # every field is a scalar: no deep copy (dataclasses.asdict copies each value)
        return {name: getattr(self, name) for name in PLACE_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Place:
        """A place from :meth:`to_dict` output or a stored row (other keys are ignored)."""
        return cls(**{k: data[k] for k in PLACE_FIELDS if k in data})


#: An incident's defaults for the fields a partial row may lack (a stored row has them all).
_REQUIRED_DEFAULTS: dict[str, Any] = {
    "event_type": "",
    "sub_event_type": "",
    "date_precision": "unknown",
    "sentence": "",
    "start": 0,
    "end": 0,
    "confidence": 0.0,
}


@dataclass(slots=True)
class Incident:
    """One event at one location (ACLED-style record); see the README for field meanings.

    ``sources`` lists the reports of it: ``{"article_id", "sentence", "start", "end"}``.
    """

    id: str
    event_type: str
    sub_event_type: str
    date: str | None
    date_precision: str
    date_start: str | None
    date_end: str | None
    place_index: int | None
    location: str | None
    lat: float | None
    lon: float | None
    geo_precision: int | None
    country: str | None
    admin1: str | None
    actor1: str | None
    actor2: str | None
    fatalities: int | None
    injured: int | None
    sentence: str
    start: int
    end: int
    confidence: float
    trigger: str = ""
    time_precision: int | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        # scalars but the sources, copied one level down (they hold scalars): the result
        # shares nothing mutable with the incident, as dataclasses.asdict's, at a tenth of
        # its cost (it deep-copies every value; an article's places and incidents took 4 %
        # of its extraction)
        out = {name: getattr(self, name) for name in INCIDENT_FIELDS}
        out["sources"] = [dict(s) for s in self.sources]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Incident:
        """An incident from :meth:`to_dict` output or a stored row (other keys are ignored;
        dates may be ``date`` objects; required fields a partial row lacks get neutral
        defaults)."""
        values = {k: data.get(k, _REQUIRED_DEFAULTS.get(k)) for k in INCIDENT_FIELDS}
        for key, value in values.items():
            if isinstance(value, datetime):
                values[key] = value.date().isoformat()
            elif isinstance(value, date):
                values[key] = value.isoformat()
        for key, default in _REQUIRED_DEFAULTS.items():
            if values.get(key) is None:
                values[key] = default
        return cls(**values, sources=[dict(s) for s in data.get("sources") or ()])

    def with_sources(self, article_id: str) -> dict[str, Any]:
        """:meth:`to_dict` with its ``sources`` spelled out: this article's sentence when it
        has none; each with ``start``/``end`` (the incident's by default)."""
        return sources_spelled_out(article_id, self.to_dict())


def sources_spelled_out(article_id: str, incident: Mapping[str, Any]) -> dict[str, Any]:
    """``incident`` (an :meth:`Incident.to_dict`) with its ``sources`` spelled out, as
    :meth:`Incident.with_sources`."""
    sources = [
        {**s, "start": s.get("start", incident["start"]), "end": s.get("end", incident["end"])}
        for s in incident.get("sources")
        or [{"article_id": article_id, "sentence": incident["sentence"]}]
    ]
    return {**incident, "sources": sources}


#: The stored fields of :class:`Place` (the store keeps its ``position`` besides).
PLACE_FIELDS = tuple(f.name for f in fields(Place))
#: The fields of :class:`Incident` but ``sources`` (stored in their own table).
INCIDENT_FIELDS = tuple(f.name for f in fields(Incident) if f.name != "sources")
#: The fields of one of an incident's sources.
SOURCE_FIELDS = ("article_id", "sentence", "start", "end")


@dataclass(slots=True)
class Article:
    """An article with the places and incidents found in it."""

    id: str
    text: str
    places: list[Place] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    published: str | None = None
    title: str | None = None
    url: str | None = None

    def to_dict(self, *, include_text: bool = False) -> dict[str, Any]:
        """The CLI's JSON record and the worker payload: ``{"id", "title", "url", "published",
        "places", "incidents"}`` (and ``"text"`` when asked)."""
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "places": [p.to_dict() for p in self.places],
            "incidents": [i.to_dict() for i in self.incidents],
        }
        if include_text:
            out["text"] = self.text
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        """The article :meth:`to_dict` wrote (``text`` is empty when it was left out)."""
        return cls(
            id=data["id"],
            text=data.get("text") or "",
            places=[Place.from_dict(p) for p in data.get("places") or ()],
            incidents=[Incident.from_dict(i) for i in data.get("incidents") or ()],
            published=data.get("published"),
            title=data.get("title"),
            url=data.get("url"),
        )


class Gazetteer(Protocol):
    """What the text pipeline asks of a gazetteer; entries are addressed by table position.

    :class:`geodata.gazetteer.index.Gazetteer` implements it (the real index and the small ones
    tests build with ``Gazetteer.from_entries``).
    """

    #: lowercase word → Zipf frequency, for place-name keys that are also English words
    common_words: Mapping[str, float]
    #: lowercase given names ("michael"), and those in use in Britain, Ireland or the US
    given_names: frozenset[str]
    english_given_names: frozenset[str]
    #: every lowercase English dictionary word → Zipf frequency
    english_words: Mapping[str, float]
    #: scratch space for callers' per-index caches
    memo: dict[str, dict]

    def __len__(self) -> int: ...
    def lookup(self, name: str, *, loose: bool = False) -> list[Any]: ...
    def indices(self, key: str, *, loose: bool = False) -> list[int]: ...
    def has_key(self, key: str) -> bool: ...
    def own_key(self, idx: int) -> str: ...
    def qualifier(self, token: str) -> list[int]: ...
    def demonym(self, word: str) -> Any: ...
    def demonym_index(self, key: str) -> int | None: ...
    def get(self, entry_id: str) -> Any: ...
    def country(self, code: str) -> Any: ...
    def entry(self, idx: int) -> Any: ...
    def name(self, idx: int) -> str: ...
    def kind(self, idx: int) -> str: ...
    def population(self, idx: int) -> int: ...
    def country_code(self, idx: int) -> str: ...
    def admin1(self, idx: int) -> str: ...
    def point(self, idx: int) -> tuple[float, float]: ...
    def is_capital(self, idx: int) -> bool: ...
    def alternates(self, idx: int) -> tuple[str, ...]: ...
    def admin1_areas(
        self,
    ) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]: ...
    def search(self, prefix: str, *, limit: int = 20) -> Sequence[Any]: ...


#: Seconds between two polls of a feed, unless it says otherwise (15 minutes).
DEFAULT_FEED_INTERVAL = 900


@dataclass(slots=True)
class Feed:
    """A followed feed (RSS, Atom or JSON Feed) and what the watcher knows of it.

    Times are naive UTC datetimes. ``failures`` counts the polls that failed in a row (the
    watcher backs off on them); ``etag``/``last_modified`` are sent back for a conditional GET.
    """

    id: str
    url: str
    name: str
    interval_s: int = DEFAULT_FEED_INTERVAL
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    active: bool = True
    etag: str | None = None
    last_modified: str | None = None
    next_poll: datetime | None = None
    last_poll: datetime | None = None
    last_success: datetime | None = None
    failures: int = 0
    last_error: str | None = None
    items_seen: int = 0
    articles_added: int = 0
    incidents_added: int = 0
    created_at: datetime | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Feed:
        """A feed from a stored row (other keys are ignored)."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in row.items() if k in names}
        values["tags"] = list(values.get("tags") or [])
        return cls(**values)


#: The stored fields of :class:`Feed`, in column order.
FEED_FIELDS = tuple(f.name for f in fields(Feed))


@dataclass(slots=True)
class FeedPoll:
    """The outcome of one poll of a feed, as the store records it: a success (the feed's
    conditional-GET validators, and what the poll added) or an ``error`` in words (with a
    server's ``retry_after``, seconds). ``at`` is when the poll ended (naive UTC); ``moved_to``
    is the feed's new address when it answered with permanent redirects (301, 308)."""

    feed: Feed
    at: datetime
    error: str | None = None
    retry_after: float | None = None
    etag: str | None = None
    last_modified: str | None = None
    items: int = 0
    articles: int = 0
    incidents: int = 0
    moved_to: str | None = None
