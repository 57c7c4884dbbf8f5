"""Which names recognition keeps: common words, person names, organisations, products and
diseases, figures of speech and features the index lacks, judged around each matched name.

:func:`keep` is asked once per name :mod:`extract.geoparse.recognize` matched; it may also widen a
feature's span ("the Ohio River") in place.
"""

from __future__ import annotations

import re

from extract.geoparse._cue_words import ADMIN_CUES as _ADMIN_CUES
from extract.geoparse._cue_words import CONNECTORS as _CONNECTORS
from extract.geoparse._cue_words import DISEASE_HEADS as _DISEASE_HEADS
from extract.geoparse._cue_words import DISEASE_MODIFIERS as _DISEASE_MODIFIERS
from extract.geoparse._cue_words import FEATURE_ALONE as _FEATURE_ALONE
from extract.geoparse._cue_words import FEATURE_BEFORE as _FEATURE_BEFORE
from extract.geoparse._cue_words import FEATURE_HEADS as _FEATURE_HEADS
from extract.geoparse._cue_words import GROUP_WORDS as _GROUP_WORDS
from extract.geoparse._cue_words import HOLIDAYS as _HOLIDAYS
from extract.geoparse._cue_words import LOCAL_NOUNS as _LOCAL_NOUNS
from extract.geoparse._cue_words import NOT_PLACES as _NOT_PLACES
from extract.geoparse._cue_words import ORG_HEADS as _ORG_HEADS
from extract.geoparse._cue_words import ORG_WORDS as _ORG_WORDS
from extract.geoparse._cue_words import PLACE_NOUN_BEFORE as _PLACE_NOUN_BEFORE
from extract.geoparse._cue_words import PLURAL_CUES as _PLURAL_CUES
from extract.geoparse._cue_words import PRODUCT_HEADS as _PRODUCT_HEADS
from extract.geoparse._cue_words import STOPWORDS as _STOPWORDS
from extract.geoparse._persons import adjacent as _adjacent
from extract.geoparse._persons import named_person as _named_person
from extract.geoparse._strength import big_city as _big_city
from extract.geoparse._strength import prominence as _prominence
from extract.geoparse._strength import strength
from extract.geoparse._tokens import Mention, Token
from geodata.normalize import name_key
from geodata.records import Gazetteer

__all__ = ["keep"]


def keep(
    text: str, toks: list[Token], m: Mention, gazetteer: Gazetteer, kind: str, persons: set[str]
) -> bool:
    """Reject common words, person names and small places inside organization names."""
    i, j = m.first_token, m.last_token
    single = i == j
    key = toks[i].key if single else name_key(m.text)
    prev = toks[i - 1] if i > 0 else None
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    prev_adjacent = prev is not None and text[prev.end : toks[i].start] == " "
    next_adjacent = nxt is not None and text[toks[j].end : nxt.start] == " "
    if _disease_name(text, toks, j):
        return False  # "Lassa fever", "Spanish flu", "West Nile virus": a disease
    if next_adjacent and nxt.key in _PRODUCT_HEADS and not nxt.upper:
        return False  # "Peking duck", "Panama hat": a thing named after the place
    if single and key in _HOLIDAYS:
        return False  # "Christmas" is the day, not Christmas, Florida
    if kind == "demonym":
        return toks[i].upper
    power = strength(m.candidates, gazetteer)
    zipf = gazetteer.common_words.get(key, 0.0) if single else 0.0
    if (
        single
        and not m.cased
        and not toks[i].caseless_line
        and next_adjacent
        and not nxt.upper
        and nxt.key in _LOCAL_NOUNS
        and zipf < 5.0
        and strength(m.candidates, gazetteer) >= 1
    ):
        # "Kent police said" at a sentence's start: the town or county, not a first name
        return not _named_person(text, toks, m, gazetteer, persons, key=key, power=2)
    glued = (
        prev is not None
        and prev_adjacent
        and prev.upper
        and prev.key not in _CONNECTORS
        and prev.key not in _STOPWORDS
    ) or (nxt is not None and next_adjacent and nxt.upper)
    before = text[max(0, m.start - 20) : m.start].lower()
    if _PLACE_NOUN_BEFORE.search(before) and any(
        gazetteer.kind(i) in ("city", "adm2", "district") for i in m.candidates
    ):
        return True  # "the town of Sake": the cue outweighs the dictionary word
    if nxt is not None and next_adjacent and nxt.key in _GROUP_WORDS:
        if power < 3 and not nxt.upper or power < 4 and nxt.caseless_line:
            return False  # "the Fano militia", "LUGO BATTALION": a group or unit's name
    if key in _NOT_PLACES or (
        prev is not None and prev_adjacent and f"{prev.key} {key}" in _NOT_PLACES
    ):
        return False  # "Taliban", "Red Cross", "La Niña": groups, organisations, phenomena
    if (
        single
        and zipf >= 4.5
        and prev is not None
        and prev.key == "the"
        and prev_adjacent
        and key not in _COMPASS
        and key not in _FEATURE_HEADS
        and (nxt is None or nxt.key not in _ADMIN_CUES)
        and all(
            gazetteer.kind(c) in ("adm1", "adm2")
            or (gazetteer.kind(c) == "city" and gazetteer.population(c) < 100_000)
            for c in m.candidates
        )
    ):
        return False  # "the Centre", "the Lakes": a word (the central government), no province
    if nxt is not None and nxt.upper and next_adjacent and nxt.key in _STREETS:
        return False  # "1200 Denver Road", "Kursk Street": an address, not the town
    if (
        single
        and toks[i].key in _DIRECTION_ADJECTIVES
        and nxt is not None
        and next_adjacent
        and not nxt.upper
        and nxt.key not in _ADMIN_CUES
        and nxt.key not in _PLURAL_CUES
    ):
        return False  # "Western countries", "that Southern influence": an adjective
    if (
        single
        and prev is not None
        and prev.key in _FIGURE_OPENERS
        and not prev.upper
        and prev_adjacent
        and _FIGURE_END.match(text, m.end)
    ):
        return False  # "a Mecca for surfers", "his Waterloo.": a figure of speech
    feature = _feature_span(text, toks, m, gazetteer, prev, nxt)
    if feature is not None:
        # "the Ohio River", "Mount Kenya": a feature the index lacks, not the state; it is
        # kept whole, to be put near its namesake, or dropped when it is a feature word alone
        if feature == (-1, -1):
            return False
        m.first_token, m.last_token = feature
        m.start, m.end = toks[feature[0]].start, toks[feature[1]].end
        m.text = text[m.start : m.end]
        m.cue = "feature"
        return True
    if prev is not None and prev.key in _ORG_HEADS and prev.upper and power < 4:
        if _adjacent(text, prev, toks[i]):
            return False  # "Radio Kursk", "BANCO DE LUGO": a name, not the place
    article = toks[i] if toks[i].key == "the" and not single else prev
    if (
        article is toks[i]
        and toks[i].caseless_line
        and all(t.key in gazetteer.common_words or t.key in _ORG_WORDS for t in toks[i + 1 : j + 1])
    ):
        return False  # "THE BRIDGE", "THE CITY" in caps copy: words, whatever town they name
    if power < 3 and article is not None and article.key == "the":
        if text[m.end : m.end + 2] in ("'s", "’s", "'S", "’S"):
            return False  # "the Taliban's police": a group, not a village
        if toks[i].caseless_line and not _attributive(text, toks, j, gazetteer):
            return False  # "THE NATO", "THE CENTER" in caps copy: a name or a word, no hamlet
    if single and len(key) == 3 and glued and not toks[i].text.isupper():
        return False  # "Choe Son Hui": a syllable of a name, not Hui county
    if zipf >= 3.5:
        # a dictionary word ("Police", "Centre", "March"): part of a name, or needs a
        # prominent place behind it
        if glued and power < 4:
            return False
        located = (
            m.cased
            and zipf < 4.5
            and prev is not None
            and prev_adjacent
            and prev.key in ("in", "near")
            and not prev.upper
        )
        if _prominence(m.candidates, gazetteer) < (1 if m.cased else 2) and not located:
            return False  # but "police in Dover said": a rarer word after "in" is the town
        if (
            not m.cased
            and zipf >= 4.5
            and power < 4
            and not _big_city(m.candidates, gazetteer, key)
        ):
            return False  # "IN THE CAPITAL" in caps wire copy
    elif zipf >= 3.0 and power < 2 and not m.cased:
        return False
    if not m.cased and power < (2 if toks[i].caseless_line else 1):
        return False
    if _named_person(text, toks, m, gazetteer, persons, key=key, power=power):
        return False
    if single and key in gazetteer.given_names and power < 2:
        return False  # "Michael", "Kelly": a person before a hamlet
    # a small place glued to other capitalized words is part of a name ("Harris Teeter")
    if power < 2 and (
        (prev is not None and prev_adjacent and prev.upper and prev.key not in _CONNECTORS)
        or (nxt is not None and next_adjacent and nxt.upper)
    ):
        return False
    return True


def _attributive(text: str, toks: list[Token], j: int, gazetteer: Gazetteer) -> bool:
    """After "THE <name>" in caps copy: a noun follows ("THE LUGO SUMMIT", "THE JUBA
    RIVER") or a qualifying place ("THE MOKOWE, LAMU ROAD"), so the name is a place used as
    a modifier, not an acronym or a word ("THE UN.", "THE CENTER OF")."""
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    if nxt is None:
        return False
    gap = text[toks[j].end : nxt.start]
    if _adjacent(text, toks[j], nxt):
        return nxt.key not in _STOPWORDS and nxt.key not in _CONNECTORS
    return gap == ", " and gazetteer.has_key(nxt.key) and nxt.key not in _STOPWORDS


def _disease_name(text: str, toks: list[Token], j: int) -> bool:
    """The name ending at token ``j`` opens a disease's name: "Lassa fever", "Marburg virus",
    "Rift Valley fever", "Crimean-Congo hemorrhagic fever", "Hong Kong flu"."""
    prev = toks[j]
    for k in range(j + 1, min(j + 5, len(toks))):
        tok = toks[k]
        if text[prev.end : tok.start] not in (" ", "-"):
            return False
        if tok.key in _DISEASE_HEADS:
            return True
        if not (tok.upper or tok.key in _DISEASE_MODIFIERS):
            return False
        prev = tok
    return False


def _feature_span(
    text: str, toks: list[Token], m: Mention, gazetteer: Gazetteer, prev, nxt
) -> tuple[int, int] | None:
    """The tokens of a feature's name the index does not hold, around a place name: "the Ohio
    River", "Vancouver Island", "Yellowstone National Park", "Mount Kenya"; (-1, -1) for a
    feature word alone ("Island" is an old name of Iceland). A candidate that is itself a
    feature keeps the name as it is."""
    i, j = m.first_token, m.last_token
    if i == j and toks[i].key in _FEATURE_ALONE:
        return (-1, -1)
    if any(gazetteer.kind(c) == "region" for c in m.candidates[:5]):
        return None  # "the Nile valley": the river is in the index
    if prev is not None and prev.upper and prev.key in _FEATURE_BEFORE:
        if text[prev.end : toks[i].start] in (" ", ". "):
            return (i - 1, j)  # "Mount Kenya forest": the mountain
    if nxt is not None and text[toks[j].end : nxt.start] == " ":
        if nxt.key in _FEATURE_HEADS:
            return (i, j + 1)
        after = toks[j + 2] if j + 2 < len(toks) else None
        if (
            nxt.key == "national"
            and nxt.upper
            and after is not None
            and after.key == "park"
            and text[nxt.end : after.start] == " "
        ):
            return (i, j + 2)
    return None


#: Street words after a town's name that make it an address ("Denver Road").
_STREETS = frozenset(
    {"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "drive"}
)


#: Words before a lone place name that make it a figure of speech when nothing follows it but
#: "for"/"of" or a stop: "a Mecca for surfers", "his Waterloo", "another Chernobyl".
_FIGURE_OPENERS = frozenset("a an another his her their its my your our".split())


_FIGURE_END = re.compile(r"\s*(?:$|[.;:!?)\"”]|\s(?:for|of|in|at|on|against|with)\s)")


#: Compass adjectives that name a province somewhere ("Western", Sri Lanka) but before a
#: common noun are adjectives.
_COMPASS = frozenset(
    "north south east west northeast northwest southeast southwest midwest".split()
)


_DIRECTION_ADJECTIVES = frozenset(
    "western eastern northern southern central southwestern southeastern northwestern "
    "northeastern".split()
)
