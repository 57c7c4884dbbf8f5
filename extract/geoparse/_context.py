"""Document context for resolution: which area qualifies a place ("Nawa, Helmand",
"Goma (North Kivu)", "Helmand's Nawa district", "X police station in Nairobi"), the
document's country focus, and the decisions taken once the ranking has settled (a place put at
its stated area, a small namesake abroad dropped or swapped for one at home).

Used by :mod:`extract.geoparse.resolve`; the candidates of one mention are a :class:`Choice`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

from extract.geoparse._roles import mention_role
from extract.geoparse._tokens import Mention, Token
from geodata.distance import great_circle_km
from geodata.normalize import skeleton_key
from geodata.records import Gazetteer

__all__ = [
    "Choice",
    "confident",
    "district_host",
    "document_checks",
    "link_qualifiers",
    "qualifier_bonus",
    "set_roles",
]

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Choice:
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
    bracket: int | None = None  # the first place in brackets after it: "Boni (Douentza, Mopti)"
    role: str = "literal"


def confident(ch: Choice, gaz: Gazetteer) -> bool:
    if not ch.ranked:
        return False
    if ch.mention.demonym is not None:
        return True
    best = ch.ranked[0]
    if len(ch.ranked) == 1:
        return True
    return best[0] - ch.ranked[1][0] >= 1.5


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
# a place, then its district or province in brackets: "Boni (Douentza", "Tamu town (Tamu"
_BRACKET_OPEN = re.compile(
    r"(?:\s+(?:town|village|city|area|district|township|camp|locality|hamlet|crossing))?\s*"
    r"\(\s*(?:coded\s+to\s+|near\s+)?",
    re.IGNORECASE,
)
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


def link_qualifiers(text: str, choices: list[Choice], gaz: Gazetteer) -> None:
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
    # "Boni (Douentza, Mopti)", "Mirpur (Dhaka)": coders name the district or province in
    # brackets after the place; whatever its kind, it tells the place's country
    for a, b in zip(choices, choices[1:], strict=False):
        if a.mention.demonym is None and b.mention.demonym is None:
            if _BRACKET_OPEN.fullmatch(text[a.mention.end : b.mention.start]):
                a.bracket = b.index


def _big_city(idx: int, gaz: Gazetteer) -> bool:
    """A city that has parts of its own: a capital or a city of 100,000."""
    return gaz.kind(idx) == "city" and (gaz.is_capital(idx) or gaz.population(idx) >= 100_000)


def _inside(idx: int, area: int, gaz: Gazetteer) -> bool:
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
    return great_circle_km(*gaz.point(idx), *gaz.point(area)) <= limit


def qualifier_bonus(choices: list[Choice], ch: Choice, idx: int, gaz: Gazetteer) -> float:
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


def document_checks(text: str, choices: list[Choice], gaz: Gazetteer, tokens: list[Token]) -> None:
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
                w = 0.5 if ch.role != "literal" else (1.0 if confident(ch, gaz) else 0.3)
                votes[cc] += w
                key_votes.setdefault(ch.key, Counter())[cc] += w
    total = sum(votes.values())
    for ch in choices:
        if ch.mention.demonym is not None or not ch.ranked or ch.mention.qualifier:
            continue
        best = ch.ranked[0][1]
        cc = _bracket_country(text, choices, ch, gaz)
        if cc and gaz.kind(best) not in ("country", "continent"):
            # the bracketed district's country decides between namesakes; with no candidate
            # there, the place is put at the bracketed place ("Boni (Douentza, Mopti)")
            inner = choices[ch.bracket].ranked[0][1]
            if gaz.country_code(best) != cc:
                home = [r for r in ch.ranked if gaz.country_code(r[1]) == cc]
                if home:
                    ch.ranked = home + [r for r in ch.ranked if r not in home]
                else:
                    ch.area = inner
                continue
        if ch.qual is not None and gaz.kind(best) not in ("country", "adm1", "continent"):
            q = choices[ch.qual]
            area = q.ranked[0][1] if q.ranked else None
            if (
                area is not None
                and gaz.kind(area) in ("country", "adm1", "adm2")
                and confident(q, gaz)
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
            and district_host(ch, choices, ch.index, gaz) is None
            and _other_country_beside(ch, choices, gaz)
        ):
            ch.drop = True  # "Nawa district near Lashkar Gah": not a district of Syria
            continue
        if ch.host is not None and choices[ch.host].ranked:
            # "Pangani police station in Nairobi": the part of Nairobi, not a town abroad
            host = choices[ch.host].ranked[0][1]
            hlat, hlon = gaz.point(host)
            near = [r for r in ch.ranked if great_circle_km(*gaz.point(r[1]), hlat, hlon) <= 30.0]
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
        if ch.qual is not None and qualifier_bonus(choices, ch, best, gaz) > 0:
            continue  # "Moscow, Idaho": the qualifier is the evidence
        home = [r for r in ch.ranked if gaz.country_code(r[1]) == focus]
        logger.debug(
            "%r: %s in %s, focus %s (%.1f of %.1f): %s",
            ch.mention.text,
            gaz.name(best),
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


def _bracket_country(text: str, choices: list[Choice], ch: Choice, gaz: Gazetteer) -> str | None:
    """The country the brackets after a place state: two bracketed places that agree
    ("Boni (Douentza, Mopti)"), or one that stands on its own ("Mirpur (Dhaka)"). A lone
    bracketed district may itself be a namesake abroad, so it does not decide alone."""
    if ch.bracket is None or not choices[ch.bracket].ranked:
        return None
    first = choices[ch.bracket]
    inner = first.ranked[0][1]
    cc = gaz.country_code(inner)
    close = text.find(")", first.mention.end)
    others = [
        c
        for c in choices[ch.bracket + 1 :]
        if close >= 0 and c.mention.start < close and c.ranked and c.mention.demonym is None
    ]
    if others:
        return cc if any(gaz.country_code(c.ranked[0][1]) == cc for c in others) else None
    return cc if _strong(inner, gaz, first.key) and confident(first, gaz) else None


def _other_country_beside(ch: Choice, choices: list[Choice], gaz: Gazetteer) -> bool:
    """Whether a confidently placed city or area of the same sentence lies in a country that
    none of the mention's candidates is in."""
    mine = {gaz.country_code(i) for _, i in ch.ranked}
    for other in choices:
        if (
            other is ch
            or other.mention.sentence != ch.mention.sentence
            or other.mention.demonym is not None
            or not other.ranked
            or not confident(other, gaz)
        ):
            continue
        idx = other.ranked[0][1]
        if gaz.kind(idx) != "country" and gaz.country_code(idx) not in mine:
            return True
    return False


def _strong(idx: int, gaz: Gazetteer, key: str) -> bool:
    """A place that may stand on its own abroad: a country, an admin-1 area, a capital or a
    city of 100,000 (of a million when it matched only by an alternate spelling)."""
    kind = gaz.kind(idx)
    if kind in ("country", "continent", "region", "adm1") or gaz.is_capital(idx):
        return True
    # its own name, spelt any way ("Zaporizhzhya"), or with a type word ("Quebec City")
    own, said = skeleton_key(gaz.name(idx)), skeleton_key(key)
    own_name = own == said or said.startswith(own) or own.startswith(said)
    return gaz.population(idx) >= (100_000 if own_name else 1_000_000)


def _continues_list(text: str, choices: list[Choice], q: Choice) -> bool:
    """Whether the qualifier is one item of a list ("Bucha, Irpin and Kharkiv")."""
    k = q.index + 1
    if k >= len(choices):
        return False
    return bool(_LIST_NEXT.fullmatch(text[q.mention.end : choices[k].mention.start]))


def district_host(ch: Choice, choices: list[Choice], k: int, gaz: Gazetteer) -> int | None:
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


def set_roles(text: str, choices: list[Choice], gaz: Gazetteer, tokens: list[Token]) -> None:
    for ch in choices:
        ch.role = _role_of(text, ch, gaz, tokens, choices)


def _role_of(
    text: str, ch: Choice, gaz: Gazetteer, tokens: list[Token], choices: list[Choice]
) -> str:
    capital = bool(ch.ranked) and gaz.is_capital(ch.ranked[0][1])
    k = ch.index + 1
    nxt = choices[k].mention if k < len(choices) else None
    return mention_role(text, ch.mention, tokens, nxt, capital=capital)
