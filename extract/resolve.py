"""Resolution: choose the gazetteer entry for each mention using the whole document.

Each candidate gets a prior (population, kind, capital status, type cues such as "Kursk
region" or "city of X") and then document evidence: the countries and admin-1 areas that the
other mentions point to, nearness to the other confidently resolved places, and qualifiers
("City, State", "village (district, province)", "X in Y", "Y's X"). Once the ranking has
settled, a place qualified by an area that holds none of its candidates is put at that area,
and a small namesake in a country the rest of the document never points to gives way to a
candidate in the document's focus country or is dropped. Mentions also get a role
(:mod:`extract._roles`): ``literal``, ``associative`` ("Kyiv said") or ``demonym``.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from extract._roles import SPEECH_VERBS, mention_role
from extract.article import Place
from extract.recognize import Mention, Token
from geodata.gazetteer import KINDS
from geodata.normalize import name_key, skeleton_key

__all__ = ["SPEECH_VERBS", "resolve"]

logger = logging.getLogger(__name__)

_KIND_BONUS = {
    "country": 3.0,
    "continent": 3.0,
    "region": 5.0,
    "adm1": 0.5,
    "adm2": -0.5,
    "city": 0.0,
    "district": 0.0,
}
# weights of the score terms (log10 population, same-admin-1 support per supporting mention,
# share of the document's country evidence, nearness to other resolved places)
_POP_WEIGHT = 1.3
# candidates kept after the prior: document evidence is worth at most ~8 points, so a place
# ranked lower than this has never been seen to win
_MAX_CANDIDATES = 12
_ADMIN_W = 1.5
_CTX_W = 3.0
_DIST_W = 2.0


@dataclass(slots=True)
class _Choice:
    mention: Mention
    priors: list[tuple[float, int]]  # (prior, entry index), best first
    ranked: list[tuple[float, int]]  # (score with document evidence, entry index)
    key: str = ""  # normalized name
    index: int = 0  # position among the document's mentions
    qual: int | None = None  # the choice that qualifies this one ("Nawa, Helmand")
    qualifies: int | None = None  # the choice this one qualifies
    area: int | None = None  # the qualifying area, when no candidate lies inside it
    host: int | None = None  # the city a part of it is said to lie in ("X police station in Y")
    host_point: int | None = None  # that city, when no candidate of the name lies in it
    drop: bool = False  # a small namesake abroad with no evidence
    role: str = "literal"


def _prior(m: Mention, idx: int, gaz, key: str, same_name_city: dict[str, int]) -> float:
    kind = gaz.kind(idx)
    pop = gaz.population(idx)
    score = _POP_WEIGHT * math.log10(pop + 100) + _KIND_BONUS.get(kind, 0.0)
    if gaz.is_capital(idx):
        score += 2.0
    if name_key(gaz._names[idx]) == key:
        score += 1.0  # "Salisbury" is the English town before it is Harare's old name
    if m.cue == "adm1":
        score += 6.0 if kind == "adm1" else (3.0 if kind == "region" else 0.0)
    elif m.cue == "adm":
        score += 6.0 if kind in ("adm1", "adm2") else 0.0  # "San Miguel department"
    elif m.cue == "adm2":
        score += 5.0 if kind == "adm2" else (2.0 if kind == "adm1" else 0.0)
    elif m.cue == "city":
        score += 3.0 if kind == "city" else -3.0
    elif m.cue == "district":
        score += 2.0 if kind == "city" else -2.0
    elif kind == "adm1" and (
        same_name_city.get(gaz.country_code(idx), 0) >= 100_000
        or same_name_city.get(f"{gaz.country_code(idx)}/{gaz.admin1(idx)}", 0) >= 10_000
    ):
        # an oblast named after its centre city: the name alone means the city
        # "New York", "Kursk", "Zaporizhzhia": the big city, unless "region" says otherwise
        score -= 2.5
    return score


@lru_cache(maxsize=4)
def _adm1_table(gaz) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """(country, admin-1 name) → the admin-1 entry, and → the population of its biggest city;
    built once per gazetteer."""
    areas: dict[tuple[str, str], int] = {}
    for idx in np.flatnonzero(gaz._kind == KINDS.index("adm1")).tolist():
        areas.setdefault((gaz.country_code(idx), gaz.admin1(idx)), idx)
    cities = np.flatnonzero(gaz._kind == KINDS.index("city"))
    codes = gaz._cc[cities].astype(np.int64) * 1_000_003 + gaz._a1[cities].astype(np.int64)
    order = np.lexsort((gaz._pop[cities], codes))  # by area, the biggest city last
    last = np.r_[codes[order][1:] != codes[order][:-1], True]
    biggest: dict[tuple[str, str], int] = {}
    for idx in cities[order][last].tolist():
        biggest[(gaz.country_code(idx), gaz.admin1(idx))] = gaz.population(idx)
    return areas, biggest


def _region_of_city(candidates: list[int], gaz) -> list[tuple[int, int]]:
    """(area, city) for "X region" when no admin-1 area is called X: the area whose centre is
    the city X ("Dnipro region" → Dnipropetrovsk oblast, "Odesa region" → Odessa oblast), not
    merely the one it lies in (Odessa, Texas is not the centre of Texas)."""
    areas, biggest = _adm1_table(gaz)
    found: list[tuple[int, int]] = []
    for idx in candidates:
        if gaz.kind(idx) != "city" or gaz.population(idx) < 50_000:
            continue
        cc = gaz.country_code(idx)
        area = areas.get((cc, gaz.admin1(idx)))
        if area is not None and gaz.population(idx) < biggest.get((cc, gaz.admin1(idx)), 0):
            area = None
        if area is None and not gaz.admin1(idx):
            # a city filed under no admin-1 area ("Kyiv"): the area named like one of its names
            for alt in gaz.alternates(idx):
                area = next(
                    (
                        i
                        for i in gaz.indices(name_key(alt))
                        if gaz.kind(i) == "adm1" and gaz.country_code(i) == cc
                    ),
                    None,
                )
                if area is not None:
                    break
        if area is not None and area not in candidates and all(a != area for a, _ in found):
            if _km(*gaz.point(idx), *gaz.point(area)) <= 250.0:
                found.append((area, idx))
    return found


def resolve(
    text: str,
    mentions: list[Mention],
    gazetteer,
    *,
    tokens: list[Token],
    keep_unresolved: bool = False,
) -> list[Place]:
    """Pick one entry per mention and build :class:`~extract.article.Place` records.

    Parameters
    ----------
    keep_unresolved
        Also return mentions with no gazetteer candidate (given spans in resolution-only mode):
        they are placed at the document's focus — its most mentioned place — with kind
        ``"unknown"`` and precision ``"approximate"``, or without coordinates if there is none.
    """
    gaz = gazetteer
    choices: list[_Choice] = []
    for m in mentions:
        if m.demonym is not None:
            choices.append(
                _Choice(m, [(10.0, m.demonym)], [(10.0, m.demonym)], name_key(m.text), len(choices))
            )
            continue
        key = name_key(m.text)
        if m.cue and " " in m.text and m.last_token > m.first_token:
            key = name_key(m.text.rsplit(" ", 1)[0])
        same_name_city: dict[str, int] = {}
        for idx in m.candidates:
            if gaz.kind(idx) == "city":
                cc = gaz.country_code(idx)
                pop = gaz.population(idx)
                same_name_city[cc] = max(same_name_city.get(cc, 0), pop)
                inner = f"{cc}/{gaz.admin1(idx)}"
                same_name_city[inner] = max(same_name_city.get(inner, 0), pop)
        scored = [(_prior(m, idx, gaz, key, same_name_city), idx) for idx in m.candidates]
        if m.cue in ("adm1", "adm") and not any(
            gaz.kind(i) in ("adm1", "adm2") for i in m.candidates
        ):
            # "Dnipro region" is Dnipropetrovsk: the area ranks as its centre city would, and
            # above it
            city_prior = {idx: score for score, idx in scored}
            scored += [
                (city_prior[city] + 6.0, area) for area, city in _region_of_city(m.candidates, gaz)
            ]
        ranked = sorted(scored, reverse=True)[:_MAX_CANDIDATES]
        choices.append(_Choice(m, ranked, list(ranked), key, len(choices)))

    _link_qualifiers(text, choices, gaz)
    for _ in range(2):
        _rescore(choices, gaz, text)
    _set_roles(text, choices, gaz, tokens)
    _document_checks(text, choices, gaz, tokens)

    places: list[Place] = []
    unresolved: list[Mention] = []
    for ch in choices:
        place = _place(ch, gaz, choices)
        if place is not None:
            places.append(place)
        elif keep_unresolved:
            unresolved.append(ch.mention)
    if unresolved:
        places.extend(_approximate(unresolved, places))
        places.sort(key=lambda p: p.start)
    return places


def _approximate(mentions: list[Mention], places: list[Place]) -> list[Place]:
    """Unknown names ("Royal Street", "Barclays Center") at the document's focus: its most
    mentioned city-level place, else its most mentioned admin area or country."""
    by_level: list[Counter] = [Counter(), Counter(), Counter()]
    for p in places:
        if p.lat is None:
            continue
        level = {"city": 0, "district": 0, "adm2": 0, "adm1": 1, "country": 2}.get(p.kind)
        if level is not None and (p.role == "literal" or level == 2):
            by_level[level][(p.lat, p.lon, p.country, p.admin1)] += 1
    focus = next((c.most_common(1)[0][0] for c in by_level if c), None)
    lat, lon, cc, a1 = focus if focus else (None, None, None, None)
    return [
        Place(
            start=m.start,
            end=m.end,
            text=m.text,
            name=m.text,
            geonameid=None,
            lat=lat,
            lon=lon,
            kind="unknown",
            country=cc,
            admin1=a1,
            role="literal",
            score=0.1,
            entry_id=None,
            precision="approximate" if focus else None,
        )
        for m in mentions
    ]


def _confident(ch: _Choice, gaz) -> bool:
    if not ch.ranked:
        return False
    if ch.mention.demonym is not None:
        return True
    best = ch.ranked[0]
    if len(ch.ranked) == 1:
        return True
    return best[0] - ch.ranked[1][0] >= 1.5


def _rescore(choices: list[_Choice], gaz, text: str) -> None:
    """Re-rank every mention's candidates with evidence from the other mentions.

    Evidence never comes from mentions of the same name: five "Mexico"s must not vote each
    other into Mexico City.
    """
    votes: Counter = Counter()
    admin_votes: Counter = Counter()
    key_votes: dict[str, Counter] = {}
    key_admin: dict[str, Counter] = {}
    points: list[tuple[str, float, float]] = []
    for ch in choices:
        if not ch.ranked:
            continue
        idx = ch.ranked[0][1]
        weight = 1.0 if _confident(ch, gaz) else 0.3
        cc = gaz.country_code(idx)
        admin = (cc, gaz.admin1(idx))
        key = ch.key
        if cc:
            votes[cc] += weight
            key_votes.setdefault(key, Counter())[cc] += weight
        if admin[1]:
            # naming the state itself ("Idaho") is stronger evidence than naming a town in it
            w = weight * (2.0 if gaz.kind(idx) == "adm1" else 1.0)
            admin_votes[admin] += w
            key_admin.setdefault(key, Counter())[admin] += w
        if gaz.kind(idx) in ("city", "adm2", "district") and weight == 1.0:
            plat, plon = gaz.point(idx)
            points.append((key, plat, plon, math.cos(math.radians(plat))))
    total = sum(votes.values())

    for ch in choices:
        if ch.mention.demonym is not None or not ch.ranked:
            continue
        same = key_votes.get(ch.key, Counter())
        same_admin = key_admin.get(ch.key, Counter())
        others_total = total - sum(same.values())
        rescored = []
        for base, idx in ch.priors:
            cc = gaz.country_code(idx)
            kind = gaz.kind(idx)
            score = base
            if cc and others_total > 0:
                score += _CTX_W * (votes[cc] - same[cc]) / max(others_total, 1.0)
            a1 = gaz.admin1(idx)
            if a1:
                support = min(2.0, admin_votes[(cc, a1)] - same_admin[(cc, a1)])
                if support > 0.5:
                    # places of the same state/oblast: "Seattle … Washington" is the state
                    score += (_ADMIN_W if kind != "adm1" else 2.5) * support
            if kind in ("city", "adm2", "district") and points:
                lat, lon = gaz.point(idx)
                d = min(
                    (
                        _fast_km(lat, lon, plat, plon, coslat)
                        for key, plat, plon, coslat in points
                        if key != ch.key
                    ),
                    default=None,
                )
                if d is not None:
                    score += _DIST_W * math.exp(-d / 300.0)
            score += _qualifier_bonus(choices, ch, idx, gaz)
            rescored.append((score, idx))
        rescored.sort(reverse=True)
        ch.ranked = rescored


# what lies between a place and the area that qualifies it: "Nawa, Helmand", "Goma (North
# Kivu)", "Nikopol in Dnipropetrovsk region", "the Juba valley of Somalia", "X village, Y
# district, Z province" (the district unknown to the gazetteer)
_QUALIFIER_GAP = re.compile(
    r"(?:\s+(?:area|village|town|city|district|sub-district|subdistrict|locality|hamlet|camp|"
    r"neighbou?rhood|settlement|municipality|jurisdiction|canton|farm|estate|valley|market))?"
    r"(?:\s*,\s*(?:in\s+(?:the\s+)?)?|\s+\(|\s+in\s+(?:the\s+)?|\s+of\s+(?:the\s+)?)"
    r"(?:[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,3}\s+(?:district|county|sub-district|"
    r"municipality|area|jurisdiction|canton|department|province|region)\s*(?:,|\s+in)\s*)?",
    re.IGNORECASE,
)
_AREAS = ("country", "adm1", "adm2", "region")
# what lies between a part of a city and the city: "Pangani police station in Nairobi",
# "the Kibera area of Nairobi"; a bare comma only counts across a border ("Pangani, Nairobi"
# with no Pangani in Kenya)
_HOST_GAP = re.compile(
    r"(?:\s+(?:police\s+station|station|area|district|neighbou?rhood|suburb|estate|slum|market|"
    r"junction|township|compound|hospital|prison|barracks|checkpoint|camp))?"
    r"\s+(?:in|of)\s+(?:the\s+)?(?:city\s+of\s+|capital\s+)?",
    re.IGNORECASE,
)
# a list goes on after the qualifier: "in Bucha, Irpin and Kharkiv" lists places
_LIST_NEXT = re.compile(r"\s*(?:,|and|or|&)\s*$", re.IGNORECASE)


def _link_qualifiers(text: str, choices: list[_Choice], gaz) -> None:
    """Pair each place with the area that qualifies it, after it ("Nawa, Helmand") or before
    it as a possessive ("Helmand's Nawa district")."""
    for a, b in zip(choices, choices[1:], strict=False):
        if a.mention.demonym is not None or b.mention.demonym is not None:
            continue
        gap = text[a.mention.end : b.mention.start]
        if len(gap) <= 60 and _QUALIFIER_GAP.fullmatch(gap):
            if any(gaz.kind(i) in _AREAS for _, i in b.priors[:4]):
                a.qual, b.qualifies = b.index, a.index
                continue
        if b.priors and len(gap) <= 40 and _big_city(b.priors[0][1], gaz):
            if _HOST_GAP.fullmatch(gap) or (
                gap.strip() == ","
                and not any(
                    gaz.country_code(i) == gaz.country_code(b.priors[0][1]) for _, i in a.priors
                )
                and not _continues_list(text, choices, b)
            ):
                a.host = b.index
        elif gap in ("'s ", "’s ", "'S ", "’S "):
            if any(gaz.kind(i) in _AREAS for _, i in a.priors[:4]):
                b.qual, a.qualifies = a.index, b.index


def _big_city(idx: int, gaz) -> bool:
    """A city that has parts of its own: a capital or a city of 100,000."""
    return gaz.kind(idx) == "city" and (gaz.is_capital(idx) or gaz.population(idx) >= 100_000)


def _inside(idx: int, area: int, gaz) -> bool:
    """Whether entry ``idx`` lies in the admin area or country ``area`` (a town the gazetteer
    files under a neighbouring admin-1 area still counts when it is within 100 km)."""
    if gaz.country_code(idx) != gaz.country_code(area):
        return False
    kind = gaz.kind(area)
    if kind == "country":
        return True
    if kind == "adm1" and gaz.admin1(idx) == gaz.admin1(area):
        return True
    limit = 100.0 if kind == "adm1" else 60.0
    return _km(*gaz.point(idx), *gaz.point(area)) <= limit


def _qualifier_bonus(choices: list[_Choice], ch: _Choice, idx: int, gaz) -> float:
    """ "Austin, Texas" / "Kharkiv, Ukraine" / "Lemay, MO": the qualifier contains the place."""
    kind = gaz.kind(idx)
    if ch.qualifies is not None and kind in _AREAS:
        # the qualifier side: "Pullman, Washington" → the state that contains Pullman
        for _, p in choices[ch.qualifies].ranked[:3]:
            if p != idx and _inside(p, idx, gaz):
                return 6.0 if kind != "country" else 4.0
    if ch.qual is None:
        return 0.0
    for _, q in choices[ch.qual].ranked:
        if gaz.kind(q) in _AREAS and q != idx and _inside(idx, q, gaz):
            return 4.0 if gaz.kind(q) == "country" else 6.0
    return 0.0


def _document_checks(text: str, choices: list[_Choice], gaz, tokens: list[Token]) -> None:
    """Decisions that need the whole document once the ranking has settled.

    * A place qualified by an area that none of its candidates lies in ("Nawa, Helmand"
      where the gazetteer only has a Nawa in Syria) is placed at that area.
    * A small namesake in a country nothing else in the document points to loses to a
      candidate in the document's focus country, or is dropped: "Kiunga" in a Kenyan report
      is not the town in Papua New Guinea.
    """
    # the document's countries: confident literal places 1, demonyms and governments 0.5 (they
    # name actors as often as places: "Russian forces", "U.S. troops"), the rest 0.3
    votes: Counter = Counter()
    key_votes: dict[str, Counter] = {}
    for ch in choices:
        if ch.ranked and not ch.mention.qualifier:
            cc = gaz.country_code(ch.ranked[0][1])
            if cc:
                w = 0.5 if ch.role != "literal" else (1.0 if _confident(ch, gaz) else 0.3)
                votes[cc] += w
                key_votes.setdefault(ch.key, Counter())[cc] += w
    total = sum(votes.values())
    for ch in choices:
        if ch.mention.demonym is not None or not ch.ranked or ch.mention.qualifier:
            continue
        best = ch.ranked[0][1]
        if ch.qual is not None and gaz.kind(best) not in ("country", "adm1", "continent"):
            q = choices[ch.qual]
            area = q.ranked[0][1] if q.ranked else None
            if (
                area is not None
                and gaz.kind(area) in ("country", "adm1", "adm2")
                and _confident(q, gaz)
                and not any(_inside(i, area, gaz) for _, i in ch.ranked)
                and not _strong(best, gaz, ch.key)
                and not _continues_list(text, choices, q)
            ):
                ch.area = area
                continue
        if _strong(best, gaz, ch.key):
            continue
        if (
            ch.mention.cue == "district"
            and _district_host(ch, choices, ch.index, gaz) is None
            and _other_country_beside(ch, choices, gaz)
        ):
            ch.drop = True  # "Nawa district near Lashkar Gah": not a district of Syria
            continue
        if ch.host is not None and choices[ch.host].ranked:
            # "Pangani police station in Nairobi": the part of Nairobi, not a town abroad
            host = choices[ch.host].ranked[0][1]
            hlat, hlon = gaz.point(host)
            near = [r for r in ch.ranked if _km(*gaz.point(r[1]), hlat, hlon) <= 30.0]
            if near:
                ch.ranked = near + [r for r in ch.ranked if r not in near]
            else:
                ch.host_point = host
            continue
        same = key_votes.get(ch.key, Counter())
        others = Counter({c: v - same[c] for c, v in votes.items() if v - same[c] > 0})
        others_total = total - sum(same.values())
        if others_total < 1.5 or not others:
            continue
        focus, focus_votes = others.most_common(1)[0]
        cc = gaz.country_code(best)
        if focus == cc or focus_votes < 1.5 or focus_votes / others_total < 0.6:
            continue  # two pieces of evidence at least ("Kenyan police … Mombasa")
        if others[cc] >= 0.5:
            continue
        if ch.qual is not None and _qualifier_bonus(choices, ch, best, gaz) > 0:
            continue  # "Moscow, Idaho": the qualifier is the evidence
        home = [r for r in ch.ranked if gaz.country_code(r[1]) == focus]
        logger.debug(
            "%r: %s in %s, focus %s (%.1f of %.1f): %s",
            ch.mention.text,
            gaz._names[best],
            cc,
            focus,
            focus_votes,
            others_total,
            "home candidate" if home else "dropped",
        )
        if home:
            ch.ranked = home + [r for r in ch.ranked if r not in home]
            ch.role = _role_of(text, ch, gaz, tokens, choices)
        else:
            ch.drop = True


def _other_country_beside(ch: _Choice, choices: list[_Choice], gaz) -> bool:
    """Whether a confidently placed city or area of the same sentence lies in a country that
    none of the mention's candidates is in."""
    mine = {gaz.country_code(i) for _, i in ch.ranked}
    for other in choices:
        if (
            other is ch
            or other.mention.sentence != ch.mention.sentence
            or other.mention.demonym is not None
            or not other.ranked
            or not _confident(other, gaz)
        ):
            continue
        idx = other.ranked[0][1]
        if gaz.kind(idx) != "country" and gaz.country_code(idx) not in mine:
            return True
    return False


def _strong(idx: int, gaz, key: str) -> bool:
    """A place that may stand on its own abroad: a country, an admin-1 area, a capital or a
    city of 100,000 (of a million when it matched only by an alternate spelling)."""
    kind = gaz.kind(idx)
    if kind in ("country", "continent", "region", "adm1") or gaz.is_capital(idx):
        return True
    # its own name, spelt any way ("Zaporizhzhya"), or with a type word ("Quebec City")
    own, said = skeleton_key(gaz._names[idx]), skeleton_key(key)
    own_name = own == said or said.startswith(own) or own.startswith(said)
    return gaz.population(idx) >= (100_000 if own_name else 1_000_000)


def _continues_list(text: str, choices: list[_Choice], q: _Choice) -> bool:
    """Whether the qualifier is one item of a list ("Bucha, Irpin and Kharkiv")."""
    k = q.index + 1
    if k >= len(choices):
        return False
    return bool(_LIST_NEXT.fullmatch(text[q.mention.end : choices[k].mention.start]))


def _fast_km(lat1: float, lon1: float, lat2: float, lon2: float, coslat: float) -> float:
    """Equirectangular distance: plenty for a nearness bonus, 5× cheaper than haversine."""
    dlon = abs(lon1 - lon2)
    if dlon > 180.0:
        dlon = 360.0 - dlon
    return 111.19 * math.hypot(lat1 - lat2, dlon * coslat)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _district_host(ch: _Choice, choices: list[_Choice], k: int, gaz) -> int | None:
    """For "X district … in Kharkiv": the city named near X in the same sentence, if it is a
    city with districts of its own (100,000 people); a rural district is not put at the
    provincial town named beside it."""
    m = ch.mention
    if ch.host is not None and choices[ch.host].ranked:
        return choices[ch.host].ranked[0][1]  # "X district of Kharkiv"
    best = None
    for j, other in enumerate(choices):
        if j == k or other.mention.sentence != m.sentence or not other.ranked:
            continue
        idx = other.ranked[0][1]
        if gaz.kind(idx) != "city" or not _big_city(idx, gaz):
            continue
        dist = abs(other.mention.start - m.start)
        if best is None or dist < best[0]:
            best = (dist, idx)
    return None if best is None else best[1]


def _area_place(
    m: Mention, gaz, idx: int, role: str, name: str, kind: str, lat: float, lon: float
) -> Place:
    """A mention placed at an area's point rather than at an entry of its own name."""
    return Place(
        start=m.start,
        end=m.end,
        text=m.text,
        name=name,
        geonameid=None,
        lat=round(lat, 5),
        lon=round(lon, 5),
        kind=kind,
        country=gaz.country_code(idx) or None,
        admin1=(gaz.admin1(idx) or None) if kind != "country" else None,
        role=role,
        score=0.5,
        entry_id=None,
        precision="approximate",
    )


def _set_roles(text: str, choices: list[_Choice], gaz, tokens: list[Token]) -> None:
    for ch in choices:
        ch.role = _role_of(text, ch, gaz, tokens, choices)


def _role_of(text: str, ch: _Choice, gaz, tokens: list[Token], choices: list[_Choice]) -> str:
    capital = bool(ch.ranked) and gaz.is_capital(ch.ranked[0][1])
    k = ch.index + 1
    nxt = choices[k].mention if k < len(choices) else None
    return mention_role(text, ch.mention, tokens, nxt, capital=capital)


def _place(ch: _Choice, gaz, choices: list[_Choice]):
    m = ch.mention
    role = ch.role
    if ch.drop:
        return None
    if ch.host_point is not None:
        lat, lon = gaz.point(ch.host_point)
        place = _area_place(m, gaz, ch.host_point, role, m.text, "district", lat, lon)
        place.precision = "district"
        return place
    if ch.area is not None:
        # "Nawa, Helmand" with no Nawa in Helmand: somewhere in Helmand, at its point
        lat, lon = gaz.point(ch.area)
        return _area_place(m, gaz, ch.area, role, m.text, gaz.kind(ch.area), lat, lon)
    if m.cue in ("adm1", "adm") and ch.ranked:
        idx = ch.ranked[0][1]
        if gaz.kind(idx) == "city":
            # "Kandahar province" when the gazetteer lacks the province: its centre stands for
            # it, at the province's precision; "the Vedeno region" around a village is a
            # district's
            big = gaz.population(idx) >= 50_000 or gaz.is_capital(idx)
            lat, lon = gaz.point(idx)
            return _area_place(
                m, gaz, idx, role, gaz._names[idx], "adm1" if big else "adm2", lat, lon
            )
    if m.cue == "district":
        host = _district_host(ch, choices, ch.index, gaz)
        if host is not None:
            hlat, hlon = gaz.point(host)
            near = [idx for _, idx in ch.ranked if _km(*gaz.point(idx), hlat, hlon) <= 30.0]
            if not near:
                return Place(
                    start=m.start,
                    end=m.end,
                    text=m.text,
                    name=m.text,
                    geonameid=None,
                    lat=round(hlat, 5),
                    lon=round(hlon, 5),
                    kind="district",
                    country=gaz.country_code(host) or None,
                    admin1=gaz.admin1(host) or None,
                    role=role,
                    score=0.5,
                    entry_id=None,
                    precision="district",
                )
            ch.ranked = [r for r in ch.ranked if r[1] in near]
    if not ch.ranked:
        return None
    score, idx = ch.ranked[0]
    margin = score - ch.ranked[1][0] if len(ch.ranked) > 1 else 5.0
    e = gaz.entry(idx)
    return Place(
        start=m.start,
        end=m.end,
        text=m.text,
        name=e.name,
        geonameid=e.geonameid,
        lat=e.lat,
        lon=e.lon,
        kind=e.kind,
        country=e.country or None,
        admin1=e.admin1 or None,
        role=role,
        score=round(1.0 / (1.0 + math.exp(-margin)), 3),
        entry_id=e.id,
        precision="district" if m.cue == "district" else None,
    )
