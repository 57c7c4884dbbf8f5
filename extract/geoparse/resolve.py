"""Resolution: choose the gazetteer entry for each mention using the whole document.

Each candidate gets a prior (population, kind, capital status, type cues such as "Kursk
region" or "city of X") and then document evidence: the countries and admin-1 areas that the
other mentions point to, nearness to the other confidently resolved places, and qualifiers
("City, State", "village (district, province)", "X in Y", "Y's X"). Once the ranking has
settled, a place qualified by an area that holds none of its candidates is put at that area,
and a small namesake in a country the rest of the document never points to gives way to a
candidate in the document's focus country or is dropped. Mentions also get a role
(:mod:`extract.geoparse._roles`): ``literal``, ``associative`` ("Kyiv said") or ``demonym``.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from extract.geoparse._context import (
    Choice,
    confident,
    district_host,
    document_checks,
    link_qualifiers,
    qualifier_bonus,
    set_roles,
)
from extract.geoparse._cue_words import FEATURE_BEFORE, FEATURE_HEADS
from extract.geoparse._evidence import (
    IN_COUNTY,
    demonym_frame,
    listed_beside,
    near_names,
    nearest_km,
    placed_or_prominent,
    route_ends,
    scene_states,
    typed_county,
)
from extract.geoparse._roles import SPEECH_VERBS
from extract.geoparse._tokens import Mention, Token
from geodata.distance import great_circle_km
from geodata.normalize import name_key
from geodata.records import Gazetteer, Place

__all__ = ["SPEECH_VERBS", "resolve"]

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
# readings within this many points of a name's best count as its likely ones
_SURE_MARGIN = 1.5
# kinds a local story's names are read as, a distance under which two likely readings of
# different names vouch for each other, and what each such neighbour is worth (at most two)
_LOCAL_KINDS = ("city", "adm2", "district")
_PAIR_W = 1.5
# a town of the state a sentence sets its scene in ("In Ohio, … in Lebanon")
_SCENE_W = 1.0
# people in an admin-1 area above which its towns lend each other no same-area support
_HUGE_AREA = 50_000_000
# candidates kept after the prior: document evidence is worth at most ~8 points, so a place
# ranked lower than this has never been seen to win
_MAX_CANDIDATES = 12
_ADMIN_W = 1.5
# what "the" before a name adds to a region's reading (a sea, an ocean, a desert)
_THE_REGION = 3.0
_THE_BEFORE = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+(?:[a-z]+\s+){0,2}$")
_CTX_W = 3.0
# what bearing the name as its own (not as an alternate or an old name) adds to a reading
_OWN_NAME = 1.0
# what a demonym framing the name ("the English city of X") adds to its country's readings
_FRAME_W = 5.0
# what a list neighbour read as an admin-1 area or a country adds to the same kind of reading
_LIST_W = 2.0
_DIST_W = 2.0


def _prior(m: Mention, idx: int, gaz: Gazetteer, key: str, same_name_city: dict[str, int]) -> float:
    kind = gaz.kind(idx)
    pop = gaz.population(idx)
    score = _POP_WEIGHT * math.log10(pop + 100) + _KIND_BONUS.get(kind, 0.0)
    own = gaz.own_key(idx) == key
    if gaz.is_capital(idx) and (own or same_name_city.get("=", 0) < 100_000):
        # a capital's alternate name counts as the capital unless a city of 100,000 bears it
        # as its own ("Salem" is the Indian or Oregon city, not an old name of Jerusalem)
        score += 2.0
    if own:
        score += _OWN_NAME  # "Salisbury" is the English town before it is Harare's old name
    if m.cue == "adm1":
        # a province some countries file at the second level ("Basilan province") next
        score += {"adm1": 6.0, "region": 3.0, "adm2": 3.0}.get(kind, 0.0)
    elif m.cue == "adm":
        score += 6.0 if kind in ("adm1", "adm2") else 0.0  # "San Miguel department"
    elif m.cue == "adm2":
        score += 5.0 if kind == "adm2" else (2.0 if kind == "adm1" else 0.0)
    elif m.cue == "city":
        score += 3.0 if kind == "city" else -3.0
    elif m.cue == "district":
        # "Nawa district" is the district (an admin-2 area) or the town it is named after;
        # "Shevchenkivskyi district" a part of a city
        score += 2.0 if kind in ("city", "district", "adm2") else -2.0
    elif kind == "adm1" and (
        same_name_city.get(gaz.country_code(idx), 0) >= 100_000
        or same_name_city.get(f"{gaz.country_code(idx)}/{gaz.admin1(idx)}", 0) >= 10_000
    ):
        # an oblast named after its centre city: the name alone means the city
        # "New York", "Kursk", "Zaporizhzhia": the big city, unless "region" says otherwise
        score -= 2.5
    elif kind == "adm2" and same_name_city.get(gaz.country_code(idx), 0) >= 100_000:
        # likewise a district named after its city of 100,000: "Cologne" is Köln, not the
        # Regierungsbezirk that also takes its name
        score -= 2.5
    elif kind == "adm1" and same_name_city.get("*", 0) >= max(100_000, pop // 2):
        # a province named like a city abroad at least half its size: the bare name is the
        # city ("Gaza" is the Palestinian city; "Gaza province" is Mozambique's)
        score -= 1.0
    return score


def _huge_area(gaz: Gazetteer, admin: tuple[str, str]) -> bool:
    """An admin-1 area as big as a country (England, Uttar Pradesh): its towns sharing it says
    no more than sharing the country."""
    areas, _ = gaz.admin1_areas()
    idx = areas.get(admin)
    return idx is not None and gaz.population(idx) >= _HUGE_AREA


def _region_of_city(candidates: list[int], gaz: Gazetteer) -> list[tuple[int, int]]:
    """(area, city) for "X region" when no admin-1 area is called X: the area whose centre is
    the city X ("Dnipro region" → Dnipropetrovsk oblast, "Odesa region" → Odessa oblast), not
    merely the one it lies in (Odessa, Texas is not the centre of Texas)."""
    areas, biggest = gaz.admin1_areas()
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
            if great_circle_km(*gaz.point(idx), *gaz.point(area)) <= 250.0:
                found.append((area, idx))
    return found


def resolve(
    text: str,
    mentions: list[Mention],
    gazetteer: Gazetteer,
    *,
    tokens: list[Token],
    keep_unresolved: bool = False,
) -> list[Place]:
    """Pick one entry per mention and build :class:`~geodata.records.Place` records.

    Parameters
    ----------
    keep_unresolved
        Also return mentions with no gazetteer candidate (given spans in resolution-only mode):
        they are placed at the document's focus — its most mentioned place — with kind
        ``"unknown"`` and precision ``"approximate"``, or without coordinates if there is none.
    """
    gaz = gazetteer
    choices: list[Choice] = []
    for m in mentions:
        if m.demonym is not None:
            choices.append(
                Choice(m, [(10.0, m.demonym)], [(10.0, m.demonym)], name_key(m.text), len(choices))
            )
            continue
        key = name_key(m.text)
        if m.cue == "feature":
            # "Mount Kenya", "Yellowstone National Park": the namesake's name
            words = m.text.split()
            while len(words) > 1 and name_key(words[0]) in FEATURE_BEFORE:
                words = words[1:]
            while len(words) > 1 and name_key(words[-1]) in FEATURE_HEADS | {"national", "park"}:
                words = words[:-1]
            key = name_key(" ".join(words))
        elif m.cue and " " in m.text and m.last_token > m.first_token:
            key = name_key(m.text.rsplit(" ", 1)[0])
        same_name_city: dict[str, int] = {}
        for idx in m.candidates:
            if gaz.kind(idx) == "city":
                cc = gaz.country_code(idx)
                pop = gaz.population(idx)
                same_name_city[cc] = max(same_name_city.get(cc, 0), pop)
                inner = f"{cc}/{gaz.admin1(idx)}"
                same_name_city[inner] = max(same_name_city.get(inner, 0), pop)
                same_name_city["*"] = max(same_name_city.get("*", 0), pop)
                if gaz.own_key(idx) == key:
                    same_name_city["="] = max(same_name_city.get("=", 0), pop)
        scored = [(_prior(m, idx, gaz, key, same_name_city), idx) for idx in m.candidates]
        framed = demonym_frame(text, m.start, gaz)
        if framed:
            # "the English city of Salisbury", "the Syrian town of Dana": the country is stated
            scored = [(s + _FRAME_W if gaz.country_code(i) == framed else s, i) for s, i in scored]
        if _THE_BEFORE.search(text[max(0, m.start - 30) : m.start]) and not m.cue:
            # "the tropical Atlantic", "an Atlantic storm": a sea or region; towns go without
            scored = [(s + _THE_REGION if gaz.kind(i) == "region" else s, i) for s, i in scored]
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
        choices.append(Choice(m, ranked, list(ranked), key, len(choices)))

    link_qualifiers(text, choices, gaz)
    for _ in range(2):
        _rescore(choices, gaz, text)
    set_roles(text, choices, gaz, tokens)
    document_checks(text, choices, gaz, tokens)

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


def _rescore(choices: list[Choice], gaz: Gazetteer, text: str) -> None:
    """Re-rank every mention's candidates with evidence from the other mentions.

    Evidence never comes from mentions of the same name: five "Mexico"s must not vote each
    other into Mexico City.
    """
    votes: Counter = Counter()
    admin_votes: Counter = Counter()
    own_city: Counter = Counter()
    entry_admin: Counter = Counter()  # a name's evidence never supports its own entry
    key_votes: dict[str, Counter] = {}
    key_admin: dict[str, Counter] = {}
    points: list[tuple[str, float, float, float, int]] = []
    likely: dict[str, list[tuple[float, float, int]]] = {}  # name → its likely local readings
    counties: dict[str, list[tuple[float, float, int]]] = {}  # "<X> County" → every reading
    for ch in choices:
        if not ch.ranked:
            continue
        idx = ch.ranked[0][1]
        weight = 1.0 if confident(ch, gaz) else 0.3
        cc = gaz.country_code(idx)
        admin = (cc, gaz.admin1(idx))
        key = ch.key
        # an unsure name whose likely readings all lie in one country (several Floyd
        # Counties, all American) is sure of its country; likewise of its state
        near = [i for s, i in ch.ranked if ch.ranked[0][0] - s < _SURE_MARGIN]
        cc_weight = 1.0 if all(gaz.country_code(i) == cc for i in near) else weight
        a1_weight = (
            1.0 if all((gaz.country_code(i), gaz.admin1(i)) == admin for i in near) else weight
        )
        if cc:
            votes[cc] += cc_weight
            key_votes.setdefault(key, Counter())[cc] += cc_weight
        if ch.mention.cue == "feature":
            continue  # "the Ohio River" names a country, not the state of Ohio
        if typed_county(ch):
            # "Henry County" names a county around the story's towns: every county of that
            # name is a likely reading, and a town inside one is vouched for twice
            counties[key] = [(*gaz.point(i), i) for _, i in ch.ranked if gaz.kind(i) == "adm2"]
        likely[key] = likely.get(key, []) + [
            (*gaz.point(i), i) for i in near[:8] if gaz.kind(i) in _LOCAL_KINDS
        ]
        if admin[1]:
            # naming the state itself ("Idaho") is stronger evidence than naming a town in it
            w = a1_weight * (2.0 if gaz.kind(idx) == "adm1" else 1.0)
            if gaz.kind(idx) != "adm1" and _huge_area(gaz, admin):
                w = 0.0  # "London … Salisbury" share England, a country in all but name
            admin_votes[admin] += w
            key_admin.setdefault(key, Counter())[admin] += w
            entry_admin[idx] += w
            if gaz.own_key(idx) == name_key(admin[1]) and gaz.kind(idx) != "adm1":
                # "MEXICO CITY (AP)" is no evidence that a later "Mexico" is Mexico City
                # the state: the city is the state's namesake, not a place inside it
                own_city[admin] += w
        if gaz.kind(idx) in ("city", "adm2", "district") and weight == 1.0:
            plat, plon = gaz.point(idx)
            points.append((key, plat, plon, math.cos(math.radians(plat)), idx))
    total = sum(votes.values())
    beside = listed_beside(choices, gaz, text)
    ends = route_ends(choices, text)
    scene = scene_states(choices, gaz, text)

    for ch in choices:
        if ch.mention.demonym is not None or not ch.ranked:
            continue
        same = key_votes.get(ch.key, Counter())
        namesake_city = {
            (gaz.country_code(i), gaz.admin1(i))
            for _, i in ch.priors
            if gaz.kind(i) == "city" and gaz.population(i) >= 100_000
        }
        same_admin = key_admin.get(ch.key, Counter())
        others = ends.get(ch.key, set())
        for other in others:
            # "from Oxford to Ottawa", "from Paris to Dallas": a route crosses borders, so the
            # other end is no evidence of this one's country or state
            same = same + key_votes.get(other, Counter())
            same_admin = same_admin + key_admin.get(other, Counter())
        others_total = total - sum(same.values())
        # the other names' resolved places, for the nearness term (filtered once per name)
        near_pts = [
            (plat, plon, coslat, entry)
            for key, plat, plon, coslat, entry in points
            if key != ch.key and key not in others
        ]
        rescored = []
        told: set[int] = set()
        neighboured: set[int] = set()  # named neighbours within PAIR_KM
        for base, idx in ch.priors:
            cc = gaz.country_code(idx)
            kind = gaz.kind(idx)
            score = base
            if cc and others_total > 0:
                score += _CTX_W * (votes[cc] - same[cc]) / max(others_total, 1.0)
            a1 = gaz.admin1(idx)
            # "MEXICO CITY (AP) … Mexico": the dateline is no evidence that "Mexico", an alias
            # of the city, is the same city ("Mont. … Montana" is, by its name)
            alias = gaz.own_key(idx) != ch.key
            if a1:
                votes_a1 = admin_votes[(cc, a1)] - same_admin[(cc, a1)]
                if alias:
                    votes_a1 -= entry_admin[idx]
                if kind == "adm1":
                    votes_a1 -= own_city[(cc, a1)]
                support = min(2.0, votes_a1)
                if support > 0.5:
                    # places of the same state/oblast: "Seattle … Washington" is the state,
                    # but the state's own big namesake city gets as much of that support
                    # ("Brooklyn … New York" is still the city)
                    area_w = 2.5 if kind == "adm1" and (cc, a1) not in namesake_city else _ADMIN_W
                    score += (_ADMIN_W if kind != "adm1" else area_w) * support
            if kind in ("city", "adm2", "district") and near_pts:
                d = nearest_km(gaz.point(idx), near_pts, idx if alias else -1)
                if d is not None:
                    score += _DIST_W * math.exp(-d / 300.0)
            stated = False  # the text says where it is: a scene, a county, a qualifier
            if kind in _LOCAL_KINDS and (cc, a1) in scene.get(ch.mention.sentence, ()):
                score += _SCENE_W  # "In Ohio, officials in Lebanon said": the state's town
                # but "in England and Wales" lists Wales beside the scene, not inside it
                stated = ch.index not in beside
            if kind in _LOCAL_KINDS:
                # "Lebanon … Warren County … Mason": other names with a likely reading next to
                # this one (Warren County, Ohio; Mason, Ohio) make it Lebanon, Ohio
                near = near_names(gaz.point(idx), idx, {ch.key, *others}, likely, counties, gaz)
                score += _PAIR_W * near
                stated = stated or near == IN_COUNTY
                if near:
                    neighboured.add(idx)
            if kind in beside.get(ch.index, ()):
                score += _LIST_W  # "England and Wales", "Georgia and Florida": areas alike
            qualified = qualifier_bonus(choices, ch, idx, gaz)
            score += qualified
            rescored.append((score, idx))
            if stated or qualified > 0:
                told.add(idx)
        rescored.sort(reverse=True)
        ch.ranked = placed_or_prominent(
            rescored, {i: b for b, i in ch.priors}, told, neighboured, ch.key, gaz
        )


def _area_place(
    m: Mention, gaz: Gazetteer, idx: int, role: str, name: str, kind: str, lat: float, lon: float
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


def _place(ch: Choice, gaz: Gazetteer, choices: list[Choice]):
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
    if m.cue == "feature" and ch.ranked:
        # "Mount Kenya", "the Cauca River": a feature the index lacks, at its namesake's point
        idx = ch.ranked[0][1]
        lat, lon = gaz.point(idx)
        place = _area_place(m, gaz, idx, role, m.text, "region", lat, lon)
        if gaz.kind(idx) != "city":
            place.admin1 = None  # the Ohio River is not in Ohio alone
        return place
    if m.cue in ("adm1", "adm") and ch.ranked:
        idx = ch.ranked[0][1]
        if gaz.kind(idx) == "city":
            # "Kandahar province" when the gazetteer lacks the province: its centre stands for
            # it, at the province's precision; "the Vedeno region" around a village is a
            # district's
            big = gaz.population(idx) >= 50_000 or gaz.is_capital(idx)
            lat, lon = gaz.point(idx)
            return _area_place(
                m, gaz, idx, role, gaz.name(idx), "adm1" if big else "adm2", lat, lon
            )
    if m.cue == "district":
        host = district_host(ch, choices, ch.index, gaz)
        if host is not None:
            hlat, hlon = gaz.point(host)
            near = [
                idx for _, idx in ch.ranked if great_circle_km(*gaz.point(idx), hlat, hlon) <= 30.0
            ]
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
