"""Records produced by extraction: an article, its place mentions, its incidents."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Article", "Place", "ROLES"]

#: ``literal``: a location; ``associative``: a government or people ("Kyiv said");
#: ``demonym``: an adjective or people name linked to a place ("Ukrainian").
ROLES = ("literal", "associative", "demonym")


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
        return asdict(self)


@dataclass(slots=True)
class Article:
    """An article with the places (and later incidents) found in it."""

    id: str
    text: str
    places: list[Place] = field(default_factory=list)
    incidents: list[Any] = field(default_factory=list)
    published: str | None = None
    title: str | None = None
    url: str | None = None

    def to_dict(self, *, include_text: bool = False) -> dict[str, Any]:
        """The CLI's JSON record: ``{"id", "title", "url", "published", "places", "incidents"}``."""
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "places": [p.to_dict() for p in self.places],
            "incidents": [i.to_dict() if hasattr(i, "to_dict") else i for i in self.incidents],
        }
        if include_text:
            out["text"] = self.text
        return out
