"""Where an incident happened: the place a clause ties its event to, and its geo precision.

:func:`choose_locations` ranks a clause's resolved literal places: the most specific kind
first (a name the gazetteer lacks by the place noun that frames it, :func:`specificity`), then
places in a locative frame ("in", "at", "the city of"), never the origin of a projectile
("fired from Gaza"), where people are from ("the Queens man", "Ana Ruiz of Lima") or a reference
point ("just south of Baghdad", "30 km from X") when the clause has another; the area that
qualifies a place ("X, a village in Y", "X (Z, Y)", "Y's X district") ranks below it; a
coordinated list ("in Britain, Germany and Poland") gives one incident per place.
:func:`associative_country` places "Pyongyang fires missiles" in the acting government's
country. :func:`focus_country` is the article's one country, the honest fallback
for an event whose clause names no place (country precision). :func:`geo_precision` is ACLED's:
1 the town itself, 2 near a town or a district, 3 a region or country.
"""

from __future__ import annotations

import re
from collections import Counter

from extract.geoparse._roles import SPEECH_VERBS
from geodata.records import Gazetteer, Place

__all__ = [
    "LOCALITY_NOUNS",
    "SPECIFICITY",
    "associative_country",
    "choose_locations",
    "country_place",
    "focus_country",
    "geo_precision",
    "in_organisation",
    "is_reference",
    "specificity",
]

#: how specific a place kind is: a district beats a city beats a province beats a country
SPECIFICITY = {
    "district": 5,
    "city": 4,
    "adm2": 3,
    "adm1": 2,
    "region": 1,
    "country": 1,
    "continent": 0,
    "unknown": 0,
    "locality": 5,  # a name the gazetteer lacks, in a place frame: a village, a quarter
}
_NEAR = re.compile(
    r"\b(?:near|outside|close to|on the outskirts of|around|north of|south of|east of|west of"
    r"|km from|kilomet(?:er|re)s? from|miles from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_LOCATIVE = re.compile(
    r"\b(?:in|at|on|into|across|inside|near|outside|of|over|around|toward|towards)"
    r"\s+(?:the\s+)?(?:(?:city|town|village|region|province|district|port) of\s+)?"
    r"(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)
# "fired from Gaza", "attacked from the recently captured village of X"; where the shooters
# are: "tanks stationed at the settlement of X shelled Y"
_ORIGIN = re.compile(
    r"\bfrom\s+(?:the\s+)?(?:(?!(?:in|at|near|on|to)\s)[\w’'-]+\s+){0,4}$"
    r"|\b(?:stationed|based|positioned|garrisoned)\s+(?:at|in|on|near)\s+(?:the\s+)?"
    r"(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)
# a place that says where people come from or belong, not where the event was: "the Queens
# man", "Morsi supporters", "a Kikuyu tribe", "a Baghdad family"
_PEOPLE_AFTER = re.compile(
    r"\s+(?:man|woman|men|women|boy|girl|boys|girls|youth|youths|native|natives|resident"
    r"|supporters?|loyalists?|tribe|tribes|tribesmen|clan|clansmen|family|families)\b"
)
# a person named with where they are from: "Ricardo Lopez of El Salvador", "Anna Berg, 18, of
# Norway"; a name of two or more capitalised words, none of them a place or a title noun
_PERSON_OF = re.compile(
    r"\b(?:[A-Z][a-z]+|[A-Z]\.)\s+(?:(?:[A-Z][a-z]+|[A-Z]\.)\s+){0,2}"
    r"[A-Z][a-z]+(?:,\s+\d{1,3},)?\s+of\s+$"
)
_NOT_PERSON = frozenset(
    """republic kingdom emirate sultanate federation state states gulf sea bay strait isle
    island islands city province region district county port capital university bank
    governor mayor minister president council ministry church""".split()
)
# a point of reference for another place: "Hilla, just south of Baghdad", "25 km west of Goma"
_REFERENCE = re.compile(
    r"\b(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of"
    r"|(?:km|kilomet(?:er|re)s?|miles?)\s+(?:\w+\s+)?(?:from|of)|outskirts of|border with"
    r"|bordering|borders?|capital,?|(?:edge|fringes?|periphery)\s+of)\s+(?:the\s+)?"
    r"(?:city\s+of\s+)?$",
    re.IGNORECASE,
)
# the object of the act: "targeting the outskirts of X", "stormed the village of X"
_TARGETED = re.compile(
    r"\b(?:target(?:ing|ed|s)?|struck|strikes?|striking|hit|hitting|attack(?:ed|ing|s)?"
    r"|shell(?:ed|ing)|storm(?:ed|ing)|bomb(?:ed|ing)|captur(?:ed|ing|es)|seiz(?:ed|ing)"
    r"|recaptur(?:ed|ing)|enter(?:ed|ing)|raid(?:ed|ing)|against|overr(?:an|unning)"
    r"|besieg(?:ed|ing)|pound(?:ed|ing))\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}$",
    re.IGNORECASE,
)
# an area named by its centre: "the northern countryside of Homs", "the outskirts of Aleppo"
_AREA_OF = re.compile(
    r"\b(?:countryside|outskirts|suburbs|environs|vicinity|province|governorate|region"
    r"|district|plains?|desert)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# a place introduced by its kind: "the port city of Mariupol", "the village of Sayadan"
_NAMED = re.compile(
    r"\b(?:city|town|village|port|hamlet|settlement|district|neighbou?rhood|suburb|area|camp"
    r"|locality|municipality|township)\s+of\s+$",
    re.IGNORECASE,
)
_LIST_GLUE = re.compile(r"[\s,]*(?:(?:and|or|&|the)\b[\s,]*)*")

#: how specific a name the gazetteer lacks is, by the place noun framing it ("X county", "the
#: province of X", "X Local Government Area"): a village, a quarter or a camp is a point (the
#: default, as specific as a district: "the Wadajir district", "X locality" name quarters and
#: villages as often as districts); a second-level area is a town's surroundings; a province,
#: a mountain range or an island is wider. A unit named after its town ("Hong LGA") must not
#: outrank the village the text sets the event in ("Gaya, a village in Hong LGA").
LOCALITY_NOUNS: dict[str, int] = {
    # first-level areas and wide natural areas: like a province
    "region": 2,
    "province": 2,
    "governorate": 2,
    "oblast": 2,
    "state": 2,
    "prefecture": 2,
    "island": 2,
    "islands": 2,
    "plateau": 2,
    "desert": 2,
    # second-level areas, ranges and valleys: like a district of a province
    "county": 3,
    "lga": 3,
    "local government area": 3,
    "local government": 3,
    "local council": 3,
    "development area": 3,
    "raion": 3,
    "rayon": 3,
    "department": 3,
    "tehsil": 3,
    "taluka": 3,
    "upazila": 3,
    "constituency": 3,
    "hromada": 3,
    "countryside": 3,
    "mountains": 3,
    "mountain": 3,
    "valley": 3,
    "plains": 3,
    "plain": 3,
    "heights": 3,
    "axis": 3,
    "sector": 3,
}
_NOUN_ALTS = "|".join(
    re.escape(n).replace(r"\ ", r"\s+") for n in sorted(LOCALITY_NOUNS, key=len, reverse=True)
)
_NOUN_IN_NAME = re.compile(rf"(?:^|\s)({_NOUN_ALTS})$", re.IGNORECASE)
_NOUN_AFTER = re.compile(rf"\s+({_NOUN_ALTS})\b", re.IGNORECASE)
_NOUN_BEFORE = re.compile(
    rf"\b({_NOUN_ALTS})\s+(?:of|called|named|known\s+as)\s+(?:the\s+)?$", re.IGNORECASE
)
# without a noun: a name opened by a side is a region ("Lower Shabelle", "North Kivu"); one
# opened by a mountain or valley word is an area no finer than a town ("Jabal Al-Akrad")
_SIDE_NAME = re.compile(
    r"(?:North|South|East|West|Northern|Southern|Eastern|Western|Upper|Lower|Central)"
    r"(?:[- ][A-Z])"
)
_FEATURE_NAME = re.compile(r"(?:Jabal|Jebel|Jabel|Djebel|Mount|Mt\.?|Wadi)[- ][A-Z‘’ʿ']")


def specificity(text: str, place: Place) -> int:
    """How specific ``place`` is (see :data:`SPECIFICITY`); a name the gazetteer lacks is
    judged by the place noun that frames it (see :data:`LOCALITY_NOUNS`)."""
    base = SPECIFICITY.get(place.kind, 0)
    if place.kind != "locality":
        return base
    m = (
        _NOUN_IN_NAME.search(place.text)
        or _NOUN_AFTER.match(text, place.end, min(len(text), place.end + 30))
        or _NOUN_BEFORE.search(text, max(0, place.start - 40), place.start)
    )
    if m is None:
        if _SIDE_NAME.match(place.text):
            return 3  # "Lower Shabelle", "North Kivu": a name opened by a side is a region
        if _FEATURE_NAME.match(place.text):
            return SPECIFICITY["city"]  # "Jabal Al-Akrad": a mountain, no finer than a town
        return base
    return LOCALITY_NOUNS.get(" ".join(m.group(1).lower().split()), base)


def choose_locations(
    text: str, candidates: list[int], places: list[Place], *, trigger_pos: int
) -> list[int]:
    """The most specific places tied to an event; several when they are listed together.

    Parameters
    ----------
    text
        The article.
    candidates
        Indices into ``places`` of the resolved literal places to choose from.
    places
        The article's places.
    trigger_pos
        Offset of the event's trigger in ``text``: nearer places win ties.
    """
    if not candidates:
        return []
    several = len(candidates) > 1
    level = {i: specificity(text, places[i]) for i in candidates}
    # the area that qualifies another candidate ("X, a village in Y"; "X in Y") and the city
    # that owns it ("Y's X district") are where X is, not rivals to it
    outer = _containers(text, candidates, places, level) if several else {}

    def rank(i: int) -> tuple[int, int, int, int, int, int]:
        p = places[i]
        before = _before(text, p)
        locative = 1 if _LOCATIVE.search(before) else 0
        origin = 1 if _ORIGIN.search(before) else 0  # "a rocket fired from Gaza struck Sderot"
        if several and not origin and _belongs(text, p, before):
            origin = 1
        # a reference point for another place; not when the others only qualify this one
        # ("on the outskirts of Atarib (Jebel Saman, Aleppo)")
        rivals = several and any(j != i and outer.get(j) != i for j in candidates)
        reference = 1 if rivals and _REFERENCE.search(before) else 0
        # "the countryside of Homs" is an area around the town; a name the gazetteer lacks
        # ranked by its noun ("the province of X") is not marked down twice
        area = 1 if several and _AREA_OF.search(before) else 0
        if p.kind == "locality" and level[i] < SPECIFICITY["locality"]:
            area = 0
        return (
            min(level[i], level[outer[i]] - 1 if i in outer else 9)
            - 2 * origin
            - 2 * reference
            - area,
            1 if several and _TARGETED.search(before) else 0,
            1 if several and _NAMED.search(before) else 0,
            locative,
            -origin,
            -abs(p.start - trigger_pos),
        )

    best = max(candidates, key=rank)
    chosen = [best]
    # a coordinated list of same-level places shares the event ("Britain, Germany and Poland")
    for i in candidates:
        if i != best and level[i] == level[best]:
            if _listed(text, places, i, best):
                chosen.append(i)
    # one incident per distinct place entry
    unique: dict[tuple, int] = {}
    for i in sorted(chosen, key=lambda i: places[i].start):
        key = (places[i].entry_id or places[i].name, places[i].lat, places[i].lon)
        unique.setdefault(key, i)
    return list(unique.values())


# what separates a place from the area that qualifies it: "X, Y", "X (Y)", "X (Z district, Y)",
# "X in Y", "X on Y island", "X, a village in Y", "X, the capital of Y", "X in southern Y"
_QUALIFIER_GAP = re.compile(
    r"\s*(?:,|\((?:[^()]{1,40},\s*)?|\b(?P<rel>in|on|inside|near|outside|close\s+to)\b"
    r"|\s(?i:village|town|hamlet|locality|colony|suburb|quarter|neighbou?rhood|area|district"
    r"|sub-?division)\s+(?:of|in|(?P<near>near))\b)\s*"
    r"(?:(?:a|an|the)\s+(?:[\w’'-]+\s+){0,4}?(?:in|of|on|near|inside)\s+)?(?:the\s+)?"
    r"(?:(?:north|south|east|west|central)\w*\s+)?"
)
# "Manhattan's Chelsea section", "Mogadishu's western Hodan district"
_POSSESSIVE_GAP = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}")


def _containers(
    text: str, candidates: list[int], places: list[Place], level: dict[int, int]
) -> dict[int, int]:
    """The candidates named as the area of another one, each with the one it contains: the
    qualifier that follows a place and the possessor that precedes it, in the same country.
    A container ranks below what it contains."""
    out: dict[int, int] = {}
    ordered = sorted(candidates, key=lambda i: places[i].start)
    for x, y in zip(ordered, ordered[1:], strict=False):
        px, py = places[x], places[y]
        if py.start - px.end > 50 or not _same_country(px, py):
            continue
        gap = _QUALIFIER_GAP.fullmatch(text, px.end, py.start)
        if gap is None:
            pass
        elif gap.group("rel") or gap.group("near"):
            # "X in Y", "X near Y": Y contains X or is its reference point, even when its kind
            # says one level finer ("Khrew in Pulwama district"; not "in Ukraine in the area of
            # Luhansk"), where X is itself a place ("a shop owned by a Kikuyu in Mtwapa" is not)
            if level[y] <= level[x] + 1 and (px.kind == "locality" or _placed(text, px)):
                out[y] = x
            continue
        elif level[y] <= level[x]:
            out[y] = x  # "X, Y", "X (Y)", "X village of Y": no finer than X
            continue
        if _POSSESSIVE_GAP.fullmatch(text, px.end, py.start):
            out[x] = y
    return out


def _belongs(text: str, place: Place, before: str) -> bool:
    """Whether a mention says where people are from ("the Queens man", "Ana Ruiz of Lima")."""
    if _PEOPLE_AFTER.match(text, place.end, min(len(text), place.end + 16)):
        return True
    m = _PERSON_OF.search(before)
    return m is not None and not any(
        w.lower() in _NOT_PERSON for w in m.group(0).replace(",", " ").split()
    )


_ARTICLE_PREFIX = re.compile(r"(?<![\w’'])(?:[Aa][lnrstdz]|[Ee]l|[Aa]sh)-$")


def _before(text: str, place: Place) -> str:
    """The words before a mention, without an article the name was cut from ("the town of
    al-|Rai"): the frame is the name's."""
    before = text[max(0, place.start - 60) : place.start]
    m = _ARTICLE_PREFIX.search(before)
    return before[: m.start()] if m else before


def _placed(text: str, place: Place) -> bool:
    """Whether the words before a mention make it a place: a locative, a destination ("marched
    to X") or a targeted one."""
    before = _before(text, place)
    return bool(_LOCATIVE.search(before) or _TARGETED.search(before) or _TO.search(before))


_TO = re.compile(r"\bto\s+(?:the\s+)?$")


def _same_country(a: Place, b: Place) -> bool:
    """Whether two mentions may be one inside the other (a name the gazetteer lacks takes
    its area's country, so it always may)."""
    return a.kind == "locality" or b.kind == "locality" or a.country == b.country


def _listed(text: str, places: list[Place], a: int, b: int) -> bool:
    """Whether two mentions are items of one list: only commas, "and", "or" and other place
    names between them."""
    lo, hi = sorted((places[a], places[b]), key=lambda p: p.start)
    if hi.start - lo.end > 80:
        return False
    between = text[lo.end : hi.start]
    for p in places:
        if lo.end <= p.start and p.end <= hi.start:
            between = between.replace(p.text, ",", 1)
    return bool(_LIST_GLUE.fullmatch(between)) and between.strip() != ""


# the head words of an organisation's name: a place inside such a name is no location
# ("Islamic State of Iraq and Al-Sham", "Jabhat Fateh Al-Sham", "Arakan Army")
_ORG_HEADS = frozenset(
    """jabhat harakat hay'at hay’at hayat liwa liwaa jaysh jaish ahrar kataib kataeb ansar fatah
    fateh ajnad faylaq saraya tahrir islamic front army brigade brigades movement party forces
    council union committee organisation organization group battalion battalions division
    administration ministry command militia""".split()
)
_RUN_WORD = re.compile(r"[A-Z][\w’'-]*|of|and|the|for|al|el|de")


def in_organisation(text: str, place: Place) -> bool:
    """Whether ``place`` lies inside an organisation's name: the run of capitalised words
    (joined by "of", "and", "the", "al") around it holds an organisation head word."""
    around = text[max(0, place.start - 60) : place.end + 60]
    if around.upper() == around:
        return False  # all-caps copy: capitals say nothing about names
    words = []
    pos = place.start
    cut = _ARTICLE_PREFIX.search(text, max(0, pos - 4), pos)
    if cut is not None:
        pos = cut.start()  # "Jabhat Al-|Shamiyah": the run goes on left of the article
    while True:  # walk left over the run
        m = re.search(r"(\S+)\s+$", text[max(0, pos - 40) : pos])
        if m is None or not _RUN_WORD.fullmatch(m.group(1).strip('“”"(')):
            break
        words.append(m.group(1).strip('“”"(').lower())
        pos -= len(m.group(0))
    pos = place.end
    while True:  # and right
        m = re.match(r"\s+([^\s,.;:()]+)", text[pos : pos + 40])
        if m is None or not _RUN_WORD.fullmatch(m.group(1)):
            break
        words.append(m.group(1).lower())
        pos += len(m.group(0))
    return any(w in _ORG_HEADS for w in words)


def is_reference(text: str, place: Place) -> bool:
    """Whether ``place`` is named as a reference point ("25 km west of Goma")."""
    return bool(_REFERENCE.search(text[max(0, place.start - 60) : place.start]))


def country_place(mention: Place, gazetteer: Gazetteer) -> Place | None:
    """A country-level place at ``mention``'s span, for the mention's country."""
    if not mention.country:
        return None
    entry = gazetteer.country(mention.country)
    if entry is None:
        return None
    return Place(
        start=mention.start,
        end=mention.end,
        text=mention.text,
        name=entry.name,
        geonameid=entry.geonameid,
        lat=entry.lat,
        lon=entry.lon,
        kind="country",
        country=entry.country,
        admin1=None,
        role="literal",
        score=mention.score,
        entry_id=entry.id,
    )


def associative_country(
    text: str, places: list[Place], in_clause: list[int], *, trigger_pos: int, gazetteer: Gazetteer
) -> Place | None:
    """ "Pyongyang fires missiles": the acting government's country, at country precision."""
    for i in reversed(in_clause):
        p = places[i]
        after = text[p.end : p.end + 30].lower().split()
        if after and after[0].strip(",.") in SPEECH_VERBS:
            continue  # "Washington said …": the speaker is not where it happened
        if p.role == "associative" and p.start < trigger_pos and p.country:
            return country_place(p, gazetteer)
    return None


def focus_country(
    places: list[Place], gazetteer: Gazetteer, *, share: float = 0.75
) -> Place | None:
    """The article's one country: the country of at least ``share`` of its located mentions
    (literal and associative places, demonyms), as a country-level place; ``None`` when the
    article spans several countries or names none."""
    counts = Counter(p.country for p in places if p.country and p.lat is not None)
    if not counts:
        return None
    country, n = counts.most_common(1)[0]
    if n / sum(counts.values()) < share:
        return None
    first = next(p for p in places if p.country == country)
    found = country_place(first, gazetteer)
    if found is None:
        return None
    found.start = found.end = 0  # no span in the text: the whole article points there
    found.text = ""
    return found


def geo_precision(text: str, place: Place) -> int:
    """ACLED's geo precision of an incident placed at ``place``."""
    if place.kind in ("country", "adm1", "region", "continent", "unknown"):
        return 3
    before = text[max(0, place.start - 40) : place.start]
    if _NEAR.search(before) or place.kind == "adm2":
        return 2
    if place.precision in ("approximate", "district", "area"):
        return 2  # placed at the town or area the text gives for it, not at its own point
    return 1
