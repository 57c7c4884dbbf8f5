"""Recognition: find place-name spans in text by gazetteer matching with case and context rules.

No statistical model: capitalized token sequences are matched longest-first against the
gazetteer's name keys, then filtered (common words without capitalization evidence, person
names, organization names around small places, armed groups). Person names are found from
titles and roles, given names, appositions ("<name>, 35,"), speaker labels and surnames seen
before, so the filter holds in all-caps wire copy where case says nothing. Demonyms and
language names are mentions of their own kind. The cue words are tables in
:mod:`extract._cue_words`; tokens come from :mod:`extract._tokens`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from extract._alternates import ARABIC_ARTICLES as _ARABIC_ARTICLES
from extract._alternates import ARABIC_COUNTRIES as _ARABIC_COUNTRIES
from extract._alternates import abbreviation as _abbreviation
from extract._alternates import own_names as _own_names
from extract._alternates import plausible_single as _plausible_single
from extract._codes import code_areas
from extract._cue_words import ADMIN_CUES as _ADMIN_CUES
from extract._cue_words import CALENDAR as _CALENDAR
from extract._cue_words import CITY_CUES as _CITY_CUES
from extract._cue_words import CONNECTORS as _CONNECTORS
from extract._cue_words import DISEASE_HEADS as _DISEASE_HEADS
from extract._cue_words import DISEASE_MODIFIERS as _DISEASE_MODIFIERS
from extract._cue_words import FEATURE_ALONE as _FEATURE_ALONE
from extract._cue_words import FEATURE_BEFORE as _FEATURE_BEFORE
from extract._cue_words import FEATURE_HEADS as _FEATURE_HEADS
from extract._cue_words import GROUP_WORDS as _GROUP_WORDS
from extract._cue_words import HOLIDAYS as _HOLIDAYS
from extract._cue_words import LOCAL_NOUNS as _LOCAL_NOUNS
from extract._cue_words import NOT_PLACES as _NOT_PLACES
from extract._cue_words import ORG_HEADS as _ORG_HEADS
from extract._cue_words import ORG_WORDS as _ORG_WORDS
from extract._cue_words import PLACE_NOUN_BEFORE as _PLACE_NOUN_BEFORE
from extract._cue_words import PLURAL_CUES as _PLURAL_CUES
from extract._cue_words import PRODUCT_HEADS as _PRODUCT_HEADS
from extract._cue_words import REGION_ADJECTIVES as _REGION_ADJECTIVES
from extract._cue_words import STOPWORDS as _STOPWORDS
from extract._persons import adjacent as _adjacent
from extract._persons import named_person as _named_person
from extract._persons import person_names as _person_names
from extract._strength import big_city as _big_city
from extract._strength import prominence as _prominence
from extract._strength import strength
from extract._tokens import Token, sentence_bounds, tokenize
from extract._tokens import joinable as _joinable
from geodata.normalize import name_key

__all__ = [
    "Mention",
    "Token",
    "attach_cue",
    "recognize",
    "sentence_bounds",
    "strength",
    "tokenize",
]

_MAX_TOKENS = 6


@dataclass(slots=True)
class Mention:
    """A recognized place-name span and its gazetteer candidates (entry indices)."""

    start: int
    end: int
    text: str
    candidates: list[int] = field(default_factory=list)
    demonym: int | None = None
    cue: str | None = None
    cased: bool = True
    qualifier: bool = False
    sentence: int = 0
    first_token: int = 0
    last_token: int = 0


def recognize(text: str, gazetteer, *, tokens: list[Token] | None = None) -> list[Mention]:
    """Find place and demonym mentions in ``text``.

    Parameters
    ----------
    text
        The document.
    gazetteer
        A :class:`geodata.gazetteer.Gazetteer`.
    tokens
        Pre-computed :func:`tokenize` output.
    """
    toks = tokens if tokens is not None else tokenize(text)
    sent_starts = sentence_bounds(text)
    mentions: list[Mention] = []
    persons = _person_names(text, toks, gazetteer)
    listed = _listed_areas(text, toks, gazetteer)
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        if not tok.upper:
            i += 1
            continue
        if i in listed:
            j, cands, cue = listed[i]
            if not cands:
                i = j + 1
                continue
            mention = Mention(
                start=tok.start,
                end=toks[j].end,
                text=text[tok.start : toks[j].end],
                candidates=cands,
                cue=cue,
                sentence=bisect.bisect_right(sent_starts, tok.start) - 1,
                first_token=i,
                last_token=j,
            )
            mentions.append(mention)
            i = j + 1
            continue
        match = _longest_match(text, toks, i, gazetteer)
        if match is None:
            match = _typed_area(text, toks, i, gazetteer)
        if match is None:
            i += 1
            continue
        j, kind, payload = match
        if (
            kind == "place"
            and j - i > 1
            and toks[j - 1].key == "state"
            and (_state_body(text, toks, j) or _team(text, toks, i, j, gazetteer))
        ):
            # "Iowa State University", "Moscow State University": the state or city alone
            shorter = " ".join(t.key for t in toks[i : j - 1])
            if gazetteer.has_key(shorter):
                j, payload = j - 1, gazetteer.indices(shorter)
        first, last = toks[i], toks[j - 1]
        end = last.end
        if (
            kind == "place"
            and text[end : end + 1] == "."
            and _abbreviation(text[first.start : end] + ".", payload, gazetteer)
        ):
            end += 1  # "Calif." keeps its period
        mention = Mention(
            start=first.start,
            end=end,
            text=text[first.start : end],
            cased=any(t.cased for t in toks[i:j])
            or (
                j - i > 1
                and all(t.upper for t in toks[i:j])
                # "THE CITY" in caps copy carries no more evidence than "CITY"
                and not (first.caseless_line and first.key in _STOPWORDS)
            ),
            sentence=bisect.bisect_right(sent_starts, first.start) - 1,
            first_token=i,
            last_token=j - 1,
        )
        if kind == "demonym":
            mention.demonym = payload
        else:
            mention.candidates = payload
        if _keep(text, toks, mention, gazetteer, kind, persons):
            attach_cue(text, toks, mention)
            mentions.append(mention)
        i = j
    _qualifiers(text, toks, mentions, gazetteer)
    return mentions


def _listed_areas(
    text: str, toks: list[Token], gazetteer
) -> dict[int, tuple[int, list[int], str | None]]:
    """Names listed before a plural type word: "Marion, Polk and Benton counties", "Kharkiv
    and Sumy regions". Each is looked up with the singular type word ("Polk County") or as an
    area of its own; first token → (last token, candidates, cue)."""
    out: dict[int, tuple[int, list[int], str | None]] = {}
    for k, tok in enumerate(toks):
        singular = _PLURAL_CUES.get(tok.key)
        if singular is None or k == 0:
            continue
        cue = _ADMIN_CUES.get(singular)
        found: dict[int, tuple[int, list[int], str | None, bool]] = {}
        last, nxt, via_comma = k - 1, tok, False
        while last >= 0 and toks[last].upper and text[toks[last].end : nxt.start] in (" ", ", "):
            first = last
            while (
                first > 0
                and last - first < 3
                and toks[first - 1].upper
                and _joinable(text, toks[first - 1], toks[first])
            ):
                first -= 1
            key = " ".join(t.key for t in toks[first : last + 1])
            if key in _STOPWORDS or key in _CALENDAR:
                break
            alone = gazetteer.indices(key)
            if via_comma and any(gazetteer.kind(c) in ("country", "adm1") for c in alone[:3]):
                break  # "In Texas, Harris and Fort Bend counties": the state, not a county
            single = gazetteer.indices(f"{key} {singular}")
            typed = single or gazetteer.indices(f"{key} {tok.key}")  # "Canary and Balearic islands"
            areas = [c for c in alone if gazetteer.kind(c) in ("adm1", "adm2")]
            # "the Ohio and Mississippi rivers": features by their full names only
            features = [c for c in alone if gazetteer.kind(c) == "region"]
            cands = list(typed) or features if cue is None else list(typed) or areas or list(alone)
            vague = gazetteer.demonym_index(key) is not None or any(
                gazetteer.kind(c) in ("region", "continent") for c in alone
            )
            if typed or (cands and not vague) or cue is None:
                # a feature the index lacks ("the Ohio and Muskingum rivers") is no mention
                found[first] = (last, cands, cue, bool(single) and not vague)
            before = toks[first - 1] if first > 0 else None
            if before is None:
                break
            gap = text[before.end : toks[first].start]
            if before.key == "and" and gap == " " and first >= 2:
                nxt, last, via_comma = before, first - 2, False
                if text[toks[last].end : before.start] not in (" ", ", "):
                    break
            elif gap == ", ":
                nxt, last, via_comma = toks[first], first - 1, True
            else:
                break
            if not toks[last].upper:
                break
        # one name alone needs its typed form in the gazetteer: "the Gulf states" is no list,
        # "United States" one name
        if len(found) >= 2 or any(typed for *_, typed in found.values()):
            out.update({i: (last, cands, cue) for i, (last, cands, cue, _) in found.items()})
    return out


def _longest_match(text: str, toks: list[Token], i: int, gazetteer):
    """(end token, "place"|"demonym", candidates|index) of the longest name starting at i."""
    n = len(toks)
    best = None
    j = i
    parts = [toks[i].key]
    end = min(n, i + _MAX_TOKENS)
    spans = [(i + 1, " ".join(parts))]
    while j + 1 < end and _joinable(text, toks[j], toks[j + 1]):
        nxt = toks[j + 1]
        elided = _ELIDED.match(nxt.text) is not None  # "Côte d'Ivoire", "Val d'Isère"
        if not nxt.upper and not elided and nxt.key not in _CONNECTORS:
            break
        parts.append(nxt.key)
        j += 1
        if nxt.upper or elided:
            spans.append((j + 1, " ".join(parts)))
    for stop, key in reversed(spans):
        dem = gazetteer.demonym_index(key)
        if gazetteer.has_key(key):
            cands = list(_candidates(gazetteer, key, stop == i + 1))
            if not cands:
                if dem is not None:
                    return (stop, "demonym", dem)  # "German": the language, not a town
                continue
            dotted = text[toks[i].end : toks[i].end + 1] == "." and (
                text[toks[i].start - 2 : toks[i].start] == ", "
            )
            if stop == i + 1 and not _plausible_single(
                toks[i], key, cands, gazetteer, dotted=dotted
            ):
                if dem is not None:
                    return (stop, "demonym", dem)
                continue
            if dem is not None and strength(cands, gazetteer) < 4:
                return (stop, "demonym", dem)
            return (stop, "place", cands)
        if dem is not None:
            return (stop, "demonym", dem)
    # "Qamishli", "Hodeidah": Arabic names written without the article the index keeps
    word = toks[i].text
    if len(word) >= 5 and not word.isupper() and toks[i].key not in gazetteer.given_names:
        for article in _ARABIC_ARTICLES:
            if gazetteer.has_key(article + toks[i].key):
                cands = gazetteer.indices(article + toks[i].key)
                if all(gazetteer.country_code(c) in _ARABIC_COUNTRIES for c in cands):
                    return (i + 1, "place", cands)
    return best


def _candidates(gazetteer, key: str, single: bool) -> tuple[int, ...]:
    """A key's entries without doubtful alternates (:func:`own_names`), once per key and
    gazetteer (kept in the gazetteer's ``memo``, so a reloaded index starts afresh)."""
    memo = gazetteer.memo.setdefault("recognize.candidates", {})
    found = memo.get((key, single))
    if found is None:
        found = tuple(_own_names(key, gazetteer.indices(key), gazetteer, single=single))
        if len(memo) < _MEMO_MAX:
            memo[(key, single)] = found
    return found


_MEMO_MAX = 1 << 16


#: An elided article glued to a capitalized word inside a name ("d'Ivoire", "l'Aquila").
_ELIDED = re.compile(r"[dl][’'][A-Z]")


def _typed_area(text: str, toks: list[Token], i: int, gazetteer):
    """A name the exact keys miss but a type word vouches for: "Lower Jubba Region" is the
    gazetteer's Lower Juba, found by the looser transliteration key, admin areas only."""
    j = i
    while (
        j + 1 < len(toks)
        and j - i < 3
        and toks[j + 1].upper
        and _joinable(text, toks[j], toks[j + 1])
    ):
        if toks[j + 1].key in _ADMIN_CUES:
            break
        j += 1
    cue = toks[j + 1] if j + 1 < len(toks) else None
    if cue is None or cue.key not in _ADMIN_CUES or text[toks[j].end : cue.start] != " ":
        return None
    key = " ".join(t.key for t in toks[i : j + 1])
    if len(key) < 5:
        return None
    areas = [
        idx for idx in gazetteer.indices(key, loose=True) if gazetteer.kind(idx) in ("adm1", "adm2")
    ]
    return (j + 1, "place", areas) if areas else None


def _keep(
    text: str, toks: list[Token], m: Mention, gazetteer, kind: str, persons: set[str]
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


def _attributive(text: str, toks: list[Token], j: int, gazetteer) -> bool:
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
    text: str, toks: list[Token], m: Mention, gazetteer, prev, nxt
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
#: Bodies named "<State> State <body>" whose "State" belongs to the body, not the place.
_STATE_BODIES = frozenset(
    "patrol troopers university universities fair prison penitentiary senate legislature "
    "assembly capitol senator senators representative lottery highway".split()
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


def _team(text: str, toks: list[Token], i: int, j: int, gazetteer) -> bool:
    """A university or its team ("Mississippi State's guard"), named "<State> State" with a
    possessive; only a state named like a big city is itself called so ("Washington State's
    attorney general", "New York State's budget")."""
    if not _POSSESSIVE.match(text, toks[j - 1].end):
        return False
    key = " ".join(t.key for t in toks[i : j - 1])
    return not any(
        gazetteer.kind(c) == "city" and gazetteer.population(c) >= 100_000
        for c in gazetteer.indices(key)
    )


_POSSESSIVE = re.compile(r"['’]s\b")


def _state_body(text: str, toks: list[Token], k: int) -> bool:
    """Token ``k`` names a body after "<Name> State": "University", "Patrol", "Police"."""
    if k >= len(toks) or not toks[k].upper:
        return False
    body = toks[k]
    return (body.key in _ORG_WORDS or body.key in _STATE_BODIES) and text[
        toks[k - 1].end : body.start
    ] == " "


#: "the state of Georgia" (not "head of state of"), "Georgia, the state": an admin-1 area.
_STATE_BEFORE = re.compile(r"(?<!head of )\b(?:u\.s\. )?state of $")
_STATE_AFTER = re.compile(r",? the (?:u\.s\. )?state(?:,| not\b)")  # an apposition, closed


def attach_cue(text: str, toks: list[Token], m: Mention, *, extend: bool = True) -> None:
    """Type cues around a name: "Kursk region", "city of Zaporizhzhia", "X district"."""
    nxt = toks[m.last_token + 1] if m.last_token + 1 < len(toks) else None
    if nxt is not None and text[m.end : nxt.start] == " ":
        cue = _ADMIN_CUES.get(nxt.key)
        after = toks[m.last_token + 2].key if m.last_token + 2 < len(toks) else ""
        if cue == "adm" and (nxt.upper and not nxt.caseless_line or after == "of"):
            return  # "the Kentucky Department of Education": an office, not an area
        if cue is not None:
            m.cue = cue
            if nxt.key == "state" and (
                _state_body(text, toks, m.last_token + 2) or _POSSESSIVE.match(text, nxt.end)
            ):
                # "Nebraska State Patrol", "Mississippi State's guard": the state alone (a state
                # called "<X> State's" keeps it in its own name: "Washington State's")
                return
            if extend and (nxt.upper and not nxt.text.isupper() or cue == "district"):
                # "Kursk Oblast", "Oaxaca State": the type word is part of the name;
                # "Shevchenkivskyi district": the adjective alone is not the name
                m.end = nxt.end
                m.text = text[m.start : m.end]
                m.last_token += 1
            return
        if nxt.key == "city":
            m.cue = "city"
            return
        # "the Kursk border region", "the Donetsk eastern region"
        after = toks[m.last_token + 2] if m.last_token + 2 < len(toks) else None
        if (
            after is not None
            and not nxt.upper
            and nxt.key in _REGION_ADJECTIVES
            and text[nxt.end : after.start] == " "
            and _ADMIN_CUES.get(after.key) == "adm1"
        ):
            m.cue = "adm1"
            return
    before = text[max(0, m.start - 16) : m.start].lower()
    if before.endswith(_CITY_CUES) or re.search(r"\b(?:city|town|village) of $", before):
        m.cue = "city"
    elif _STATE_BEFORE.search(text[max(0, m.start - 30) : m.start].lower()) or _STATE_AFTER.match(
        text, m.end
    ):
        m.cue = "adm1"  # "the state of Georgia", "Georgia, the state,": not the country


def _holds_one(areas: list[int], before: list[int], gazetteer) -> bool:
    """Whether one of the areas (states the postal code may name) holds a reading of the place."""
    homes = {(gazetteer.country_code(i), gazetteer.admin1(i)) for i in before}
    return any((gazetteer.country_code(a), gazetteer.admin1(a)) in homes for a in areas)


def _qualifiers(text: str, toks: list[Token], mentions: list[Mention], gazetteer) -> None:
    """Postal abbreviations after "City, " ("Lemay, MO") become mentions of their state."""
    by_end = {m.end: m for m in mentions}
    extra = []
    for k, tok in enumerate(toks):
        if not (tok.text.isupper() and 2 <= len(tok.text) <= 3):
            continue
        if text[tok.start - 2 : tok.start] != ", " or tok.start - 2 not in by_end:
            continue
        rest = text[tok.end : tok.end + 3].lstrip()
        if tok.caseless_line and rest and rest[0] not in ",.;:()\"'":
            continue  # "TACNA, IN SOUTHERN PERU": in caps copy a word, unless the clause ends
        cands = gazetteer.qualifier(tok.text)
        before = by_end[tok.start - 2].candidates
        if not tok.caseless_line and not _holds_one(cands, before, gazetteer):
            # "Kingston, ON", "Leeds, ENG, GB": ISO codes of an area one reading lies in;
            # "Toronto, CA" is Canada, for no Toronto lies in California
            cands = code_areas(tok.text, before, gazetteer) or cands
        taken = next((m for m in mentions if m.start == tok.start), None)
        if cands and taken is not None and taken.end == tok.end and not taken.qualifier:
            # "Baton Rouge, LA": after a town the code is its state, not Los Angeles ("LA")
            taken.candidates = list(cands)
            taken.qualifier = True
            continue
        if cands and taken is None:
            extra.append(
                Mention(
                    tok.start,
                    tok.end,
                    tok.text,
                    list(cands),
                    qualifier=True,
                    sentence=by_end[tok.start - 2].sentence,
                    first_token=k,
                    last_token=k,
                )
            )
            by_end[tok.end] = extra[-1]
    if extra:
        mentions.extend(extra)
        mentions.sort(key=lambda m: m.start)
