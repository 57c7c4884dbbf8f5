"""The record one gazetteer entry is while the index is being built.

Every step of the build (:mod:`geodata.gazetteer._build`, :mod:`geodata.gazetteer._build_areas`,
:mod:`geodata.gazetteer._features`) makes and amends :class:`RawEntry` objects;
:mod:`geodata.gazetteer._table` compiles the finished list into the index's arrays. It lives apart
so that the modules that make entries need not import one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RawEntry"]


@dataclass(slots=True)
class RawEntry:
    """One gazetteer entry while building (see :class:`geodata.gazetteer.index.Entry`)."""

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    country: str = ""
    admin1: str = ""
    population: int = 0
    geonameid: int | None = None
    alternates: list[str] = field(default_factory=list)
    #: names that only count in a "City, ABBR" pattern (postal codes)
    qualifier_only: list[str] = field(default_factory=list)
    capital: bool = False
