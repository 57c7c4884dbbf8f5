"""Document evidence about one name from the rest of the text, for :mod:`extract.geoparse.resolve`.

What the text states around a name (a demonym before a place noun, the names listed beside
it, the state a sentence sets its scene in, the two ends of "from A to B") and how near other
names' likely readings lie (neighbours within 50 km, a county named with its type word, the
nearest confidently placed name); and the rule that a village named like a state, or a small
town named like a much bigger city of its country, wins only where the text places it.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise

from extract.geoparse._context import Choice, confident
from extract.geoparse._cue_words import ADMIN_CUES
from geodata.records import Gazetteer

__all__ = [
    "COUNTY_KM",
    "IN_COUNTY",
    "PAIR_KM",
    "demonym_frame",
    "fast_km",
    "listed_beside",
    "near_names",
    "nearest_km",
    "route_ends",
    "scene_states",
    "placed_or_prominent",
    "typed_county",
]

# a distance under which two likely readings of different names vouch for each other
PAIR_KM = 50.0
# a town this close to the point of a county the text names ("Henry County deputies") is in it
COUNTY_KM = 40.0
# what lying in a county the text names is worth, in neighbours: nearly decisive in local news
# ("Jordan … Scott County officials" is Jordan, Minnesota, not the country)
IN_COUNTY = 3
# a village under this many people, whose name an admin-1 area with a prior this much higher
# bears, needs the text to place it (see placed_or_prominent)
_VILLAGE_POP = 20_000
_STATE_GAP = 3.0
# likewise a town under this many people against a namesake of its country this many times
# bigger
_SMALL_POP = 50_000
_BIGGER = 10


def demonym_frame(text: str, start: int, gaz: Gazetteer) -> str | None:
    """The country a demonym before a place noun states for the name after it ("the English
    city of Salisbury" → GB, "the Ukrainian border town of Sumy" → UA), else ``None``."""
    if not text.endswith("of ", 0, start):
        return None  # the frame always ends "… of <name>"
    found = _FRAME.search(text, max(0, start - 60), start)
    if found is None:
        return None
    entry = gaz.demonym(found.group(1))
    return entry.country if entry is not None else None


_FRAME = re.compile(
    r"\b([A-Z][a-z]+)\s+(?:[a-z-]+\s+){0,2}(?:city|town|village|port|capital|region|province"
    r"|state|district|municipality|island|hamlet)\s+of\s+$"
)


def placed_or_prominent(
    ranked: list[tuple[float, int]],
    prior: dict[int, float],
    told: set[int],
    neighboured: set[int],
    key: str,
    gaz: Gazetteer,
) -> list[tuple[float, int]]:
    """A village named like a state or province, or a small town named like a city of its
    country ten times its size, wins over it only where the text says so (a qualifier, its
    county, the sentence's state; for the town also neighbours within 50 km): the state named
    elsewhere or distance to the story's places is no such evidence ("an unnamed man in
    Florida" near New Jersey towns is the state; "Portland" in a story about Houston is
    Oregon's)."""
    if len(ranked) < 2:
        return ranked
    top_score, top = ranked[0]
    if top in told or gaz.kind(top) != "city" or gaz.population(top) >= _SMALL_POP:
        return ranked
    pop, cc = gaz.population(top), gaz.country_code(top)
    for k, (_, idx) in enumerate(ranked[1:], start=1):
        state = (
            gaz.kind(idx) == "adm1" and prior[idx] >= prior[top] + _STATE_GAP and pop < _VILLAGE_POP
        )
        # a town of the same country ten times its size, by its own name
        city = (
            top not in neighboured
            and gaz.kind(idx) == "city"
            and gaz.country_code(idx) == cc
            and gaz.population(idx) >= _BIGGER * max(pop, 1)
            and gaz.own_key(idx) == key
            and prior[idx] > prior[top]
        )
        if state or city:
            lifted = [(top_score + 0.01, idx)]
            return lifted + [r for n, r in enumerate(ranked) if n != k]
    return ranked


def near_names(
    point: tuple[float, float],
    idx: int,
    skip: set[str],
    likely: dict[str, list],
    counties: dict[str, list],
    gaz: Gazetteer,
) -> int:
    """How many other names (at most 2) have a likely reading within PAIR_KM of ``point``;
    but lying within COUNTY_KM of a county named with its type word, in the county's own
    state, counts as IN_COUNTY (Florida, New York is no town of Morris County, New Jersey)."""
    lat, lon = point
    coslat = math.cos(math.radians(lat))
    dlat = PAIR_KM / 111.0
    n = 0
    state = (gaz.country_code(idx), gaz.admin1(idx))
    for other, readings in counties.items():
        if other not in skip and any(
            entry != idx
            and fast_km(lat, lon, plat, plon, coslat) < COUNTY_KM
            and (gaz.country_code(entry), gaz.admin1(entry)) == state
            for plat, plon, entry in readings
        ):
            return IN_COUNTY
    for other, readings in likely.items():
        if other in skip:
            continue
        for plat, plon, entry in readings:
            if (
                entry != idx
                and abs(plat - lat) < dlat
                and fast_km(lat, lon, plat, plon, coslat) < PAIR_KM
            ):
                n += 1
                break
        if n == 2:
            break
    return n


def listed_beside(choices: list[Choice], gaz: Gazetteer, text: str) -> dict[int, set[str]]:
    """Choice index → the area kinds (admin-1 area, country) its list neighbours are read as:
    names joined by "and", "or" or a comma are mostly of one kind ("England and Wales")."""
    out: dict[int, set[str]] = {}
    for a, b in pairwise(choices):
        if not (a.ranked and b.ranked) or a.key == b.key:
            continue
        if not _LIST_GAP.fullmatch(text[a.mention.end : b.mention.start]):
            continue
        for this, other in ((a, b), (b, a)):
            kind = gaz.kind(other.ranked[0][1])
            if kind in ("adm1", "country") and confident(other, gaz):
                out.setdefault(this.index, set()).add(kind)
    return out


_LIST_GAP = re.compile(r",? (?:and|or|&) |, ")


def scene_states(
    choices: list[Choice], gaz: Gazetteer, text: str
) -> dict[int, set[tuple[str, str]]]:
    """Sentence → the admin-1 areas it sets its scene in ("In Ohio, …", "across Texas"): a
    confident state or province read after "in", "across" or "throughout"."""
    scene: dict[int, set[tuple[str, str]]] = {}
    for ch in choices:
        if not ch.ranked or ch.mention.demonym is not None:
            continue
        idx = ch.ranked[0][1]
        if gaz.kind(idx) != "adm1" or not confident(ch, gaz):
            continue
        if _SCENE.search(text[max(0, ch.mention.start - 12) : ch.mention.start]):
            area = (gaz.country_code(idx), gaz.admin1(idx))
            scene.setdefault(ch.mention.sentence, set()).add(area)
    return scene


_SCENE = re.compile(r"\b(?:in|across|throughout)\s+(?:the\s+state\s+of\s+)?$", re.IGNORECASE)


def route_ends(choices: list[Choice], text: str) -> dict[str, set[str]]:
    """Names at the two ends of "from A to B": a move or a route joins places that are
    usually far apart, so neither is evidence of the other's state or neighbourhood."""
    ends: dict[str, set[str]] = {}
    for a, b in pairwise(choices):
        if a.key != b.key and _TO.fullmatch(text[a.mention.end : b.mention.start]):
            if _FROM.search(text[max(0, a.mention.start - 12) : a.mention.start]):
                ends.setdefault(a.key, set()).add(b.key)
                ends.setdefault(b.key, set()).add(a.key)
    return ends


_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)


_TO = re.compile(r"\s+to\s+(?:the\s+)?", re.IGNORECASE)


def typed_county(ch: Choice) -> bool:
    """A mention written with a county-level type word ("Henry County", "Orleans Parish")."""
    last = ch.key.rsplit(" ", 1)[-1]
    return " " in ch.key and ADMIN_CUES.get(last) == "adm2"


def nearest_km(
    point: tuple[float, float], pts: list[tuple[float, float, float, int]], skip: int
) -> float | None:
    """Distance from ``point`` to the nearest of ``pts`` (lat, lon, cos lat, entry), leaving
    out entry ``skip``: :func:`fast_km` inlined, as this runs for every candidate."""
    lat, lon = point
    best = None
    for plat, plon, coslat, entry in pts:
        if entry == skip:
            continue
        dlon = abs(lon - plon)
        if dlon > 180.0:
            dlon = 360.0 - dlon
        dy, dx = lat - plat, dlon * coslat
        d2 = dy * dy + dx * dx
        if best is None or d2 < best:
            best = d2
    return None if best is None else 111.19 * math.sqrt(best)


def fast_km(lat1: float, lon1: float, lat2: float, lon2: float, coslat: float) -> float:
    """Equirectangular distance: plenty for a nearness bonus, 5× cheaper than haversine."""
    dlon = abs(lon1 - lon2)
    if dlon > 180.0:
        dlon = 360.0 - dlon
    return 111.19 * math.hypot(lat1 - lat2, dlon * coslat)
