"""Recognition: find place-name spans in text by gazetteer matching with case and context rules.

No statistical model: capitalized token sequences are matched longest-first against the
gazetteer's name keys, then filtered (common words without capitalization evidence, person
names, organization names around small places, armed groups). Person names are found from
titles and roles, given names, appositions ("<name>, 35,"), speaker labels and surnames seen
before, so the filter holds in all-caps wire copy where case says nothing. Demonyms and
language names are mentions of their own kind. The cue words are tables in
:mod:`extract.geoparse._cue_words`; tokens come from :mod:`extract.geoparse._tokens`.
"""

from __future__ import annotations

import bisect
import re

from extract.geoparse._alternates import ARABIC_ARTICLES as _ARABIC_ARTICLES
from extract.geoparse._alternates import ARABIC_COUNTRIES as _ARABIC_COUNTRIES
from extract.geoparse._alternates import abbreviation as _abbreviation
from extract.geoparse._alternates import own_names as _own_names
from extract.geoparse._alternates import plausible_single as _plausible_single
from extract.geoparse._codes import code_areas
from extract.geoparse._cue_words import ADMIN_CUES as _ADMIN_CUES
from extract.geoparse._cue_words import CALENDAR as _CALENDAR
from extract.geoparse._cue_words import CITY_CUES as _CITY_CUES
from extract.geoparse._cue_words import CONNECTORS as _CONNECTORS
from extract.geoparse._cue_words import ORG_WORDS as _ORG_WORDS
from extract.geoparse._cue_words import PLURAL_CUES as _PLURAL_CUES
from extract.geoparse._cue_words import REGION_ADJECTIVES as _REGION_ADJECTIVES
from extract.geoparse._cue_words import STOPWORDS as _STOPWORDS
from extract.geoparse._keep import keep as _keep_name
from extract.geoparse._persons import person_names as _person_names
from extract.geoparse._strength import strength
from extract.geoparse._tokens import Mention, Token, sentence_bounds, tokenize
from extract.geoparse._tokens import joinable as _joinable
from geodata.records import Gazetteer

__all__ = [
    "Token",
    "attach_cue",
    "recognize",
    "sentence_bounds",
    "strength",
    "tokenize",
]

_MAX_TOKENS = 6


def recognize(
    text: str, gazetteer: Gazetteer, *, tokens: list[Token] | None = None
) -> list[Mention]:
    """Find place and demonym mentions in ``text``.

    Parameters
    ----------
    text
        The document.
    gazetteer
        A :class:`geodata.gazetteer.index.Gazetteer`.
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
        if _keep_name(text, toks, mention, gazetteer, kind, persons):
            attach_cue(text, toks, mention)
            mentions.append(mention)
        i = j
    _qualifiers(text, toks, mentions, gazetteer)
    return mentions


def _listed_areas(
    text: str, toks: list[Token], gazetteer: Gazetteer
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


def _longest_match(text: str, toks: list[Token], i: int, gazetteer: Gazetteer):
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


def _candidates(gazetteer: Gazetteer, key: str, single: bool) -> tuple[int, ...]:
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


def _typed_area(text: str, toks: list[Token], i: int, gazetteer: Gazetteer):
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


#: Bodies named "<State> State <body>" whose "State" belongs to the body, not the place.
_STATE_BODIES = frozenset(
    "patrol troopers university universities fair prison penitentiary senate legislature "
    "assembly capitol senator senators representative lottery highway".split()
)


def _team(text: str, toks: list[Token], i: int, j: int, gazetteer: Gazetteer) -> bool:
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


def _holds_one(areas: list[int], before: list[int], gazetteer: Gazetteer) -> bool:
    """Whether one of the areas (states the postal code may name) holds a reading of the place."""
    homes = {(gazetteer.country_code(i), gazetteer.admin1(i)) for i in before}
    return any((gazetteer.country_code(a), gazetteer.admin1(a)) in homes for a in areas)


def _qualifiers(
    text: str, toks: list[Token], mentions: list[Mention], gazetteer: Gazetteer
) -> None:
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
