"""Recognition: find place-name spans in text by gazetteer matching with case and context rules.

No statistical model: capitalized token sequences are matched longest-first against the
gazetteer's name keys, then filtered (common words without capitalization evidence, person
names, organization names around small places). Demonyms and language names are mentions of
their own kind.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

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
# abbreviations first ("U.S.", "W.Va.", "B.C."), then words with inner apostrophes
_TOKEN = re.compile(
    r"(?:[A-Z][a-z]{0,2}\.[ ]?){1,3}[A-Z][a-z]{0,2}\.(?![A-Za-z])"
    r"|[^\W\d_](?:[\w&]|[’'](?!s\b)(?=\w))*"
)
_CONNECTORS = frozenset(
    "of and de del della di da do dos das du des la le les el al am an upon on the sur en y "
    "i im in-der bin ibn ez es ash ad ar as at az ed er et ul ut".split()
)
_TITLES = frozenset(
    "mr mrs ms miss dr president sen senator rep representative gov governor judge justice gen "
    "general col colonel capt captain lt sgt sergeant prof professor rev reverend sir lord lady "
    "king queen prince princess pope saint st. minister chancellor mayor coach officer detective "
    "agent chief dame uncle aunt brother sister father mother".split()
)
# function words that are also given names somewhere ("In", "Will", "An")
_STOPWORDS = frozenset(
    "a an the in on at of to for from by with and or but as is was are were be been will would "
    "can could may might must shall should not no yes so if then than that this these those it "
    "its he she they we you i me him her them us our your their his my all any some many more "
    "most much few one two three new old after before since during while when where who what "
    "why how about over under into out up down off near via per also still even just only "
    "both each every other such own same very too again further once here there".split()
)
# capitalized words that make the preceding/following name an organization or a thing
_ORG_WORDS = frozenset(
    "university college school academy institute hospital police department ministry council "
    "corporation corp inc ltd company group bank times post herald tribune journal news press "
    "daily gazette party club fc united city rovers rockets airlines airways air records "
    "street avenue road boulevard lane drive square court centre center hall stadium arena "
    "park church cathedral museum hotel restaurant mall station airport bridge".split()
)
_ADMIN_CUES = {
    "region": "adm1",
    "oblast": "adm1",
    "province": "adm1",
    "state": "adm1",
    "governorate": "adm1",
    "prefecture": "adm1",
    "krai": "adm1",
    "voivodeship": "adm1",
    "county": "adm2",
    "district": "district",
    "raion": "district",
    "rayon": "district",
    "borough": "district",
    "neighbourhood": "district",
    "neighborhood": "district",
    "suburb": "district",
}
# months and weekdays are never places on their own ("March", "May", "Sunday")
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday".split()
)
_REGION_ADJECTIVES = frozenset(
    "border frontline front-line southern northern eastern western central southeastern "
    "southwestern northeastern northwestern occupied breakaway restive annexed".split()
)
_PLACE_NOUN_BEFORE = re.compile(r"\b(?:city|town|village|hamlet|port|district) of\s+$")
# lower-case words after a name that make it a group ("the Fano militia")
_GROUP_WORDS = frozenset(
    "militia militias militiamen group groups movement party rebels fighters clan clans tribe "
    "tribes brigade battalion gang gangs cartel faction".split()
)
_CITY_CUES = ("city of ", "town of ", "village of ", "port of ", "capital ")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\S)")


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    key: str
    upper: bool  # begins with an uppercase letter
    cased: bool  # capitalized where case carries information (not sentence-initial, not caps)
    caseless_line: bool = False  # on an all-caps or Title Case line


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


def sentence_bounds(text: str) -> list[int]:
    """Start offsets of sentences (a fast heuristic splitter)."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        starts.append(m.end())
    return starts


_UPPER_RUN = re.compile(r"[^\W\d_a-z]")
_LETTER = re.compile(r"[^\W\d_]")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_INITIAL_GAP = re.compile(r"[.!?:;\"“”‘\n•|]\s*[\"“‘(]*$")


def _line_modes(text: str) -> list[tuple[int, bool]]:
    """(line start, caseless) for each line: all-caps or Title Case lines carry no case cue."""
    modes = []
    pos = 0
    for line in text.split("\n"):
        n_letters = len(_LETTER.findall(line))
        caseless = False
        if n_letters >= 8 and len(_UPPER_RUN.findall(line)) / n_letters > 0.6:
            caseless = True
        else:
            words = _LONG_WORD.findall(line)
            if len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.75:
                caseless = True
        modes.append((pos, caseless))
        pos += len(line) + 1
    return modes


def tokenize(text: str) -> list[Token]:
    """Word tokens with offsets and capitalization evidence."""
    modes = _line_modes(text)
    line_starts = [m[0] for m in modes]
    sentence_starts = set(sentence_bounds(text))
    tokens: list[Token] = []
    prev_end = 0
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        word = m.group()
        upper = word[0].isupper()
        caseless = modes[bisect.bisect_right(line_starts, s) - 1][1]
        gap = text[prev_end:s]
        initial = (
            not tokens or s in sentence_starts or (gap != " " and bool(_INITIAL_GAP.search(gap)))
        )
        tokens.append(
            Token(
                s, e, word, name_key(word), upper, upper and not caseless and not initial, caseless
            )
        )
        prev_end = e
    return tokens


def _joinable(text: str, left: Token, right: Token) -> bool:
    gap = text[left.end : right.start]
    if gap in (" ", "-", "-", " - ", "&", " & "):
        return True
    if left.key in ("st", "ft", "mt") and gap in (". ", "."):
        return True
    return gap.strip() == "" and "\n" not in gap and len(gap) <= 2


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
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        if not tok.upper:
            i += 1
            continue
        match = _longest_match(text, toks, i, gazetteer)
        if match is None:
            i += 1
            continue
        j, kind, payload = match
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
            or (j - i > 1 and all(t.upper for t in toks[i:j])),
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
        if not nxt.upper and nxt.key not in _CONNECTORS:
            break
        parts.append(nxt.key)
        j += 1
        if nxt.upper:
            spans.append((j + 1, " ".join(parts)))
    for stop, key in reversed(spans):
        dem = gazetteer.demonym_index(key)
        if gazetteer.has_key(key):
            cands = gazetteer.indices(key)
            if stop == i + 1 and not _plausible_single(toks[i], key, cands, gazetteer):
                if dem is not None:
                    return (stop, "demonym", dem)
                continue
            if dem is not None and strength(cands, gazetteer) < 4:
                return (stop, "demonym", dem)
            return (stop, "place", cands)
        if dem is not None:
            return (stop, "demonym", dem)
    return best


def _abbreviation(surface: str, cands: list[int], gazetteer) -> bool:
    return any(surface in gazetteer.alternates(i) for i in cands[:5])


def _person_names(text: str, toks: list[Token], gazetteer) -> set[str]:
    """Surnames of people named in the text ("Daniel McLaughlin" → "mclaughlin"), so that a
    later "McLaughlin said" is not geocoded."""
    persons: set[str] = set()
    for a, b in zip(toks, toks[1:], strict=False):
        if (
            a.upper
            and b.upper
            and text[a.end : b.start] == " "
            and (a.key in gazetteer.given_names or a.key in _TITLES)
            and a.key not in _STOPWORDS
            and not a.text.isupper()
            and b.key not in _ORG_WORDS
            and strength(gazetteer.indices(a.key), gazetteer) < 2
            and strength(gazetteer.indices(b.key), gazetteer) < 3
        ):
            persons.add(b.key)
    return persons


def _plausible_single(tok: Token, key: str, cands: list[int], gazetteer) -> bool:
    """Rules for one-token names: no months, abbreviations only as the sources write them."""
    if key in _CALENDAR:
        return False
    word = tok.text
    if len(key) <= 2 and not word.isupper() and "." not in word:
        return False  # "Us", "Eu": words, not the abbreviations
    if len(key) == 3 and not word.isupper() and (not tok.cased or key in _STOPWORDS):
        return False  # "Ibb", "Jos", "Goa" mid-sentence are places; "Our", "Its" are not
    if word.isupper() and len(word) <= 5 and not tok.caseless_line:
        # an all-caps acronym in cased text: only a listed abbreviation ("US", "UK", "EU", "BC")
        return any(
            word in gazetteer.alternates(i) or gazetteer.entry(i).name == word for i in cands
        )
    return True


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
    if kind == "demonym":
        return toks[i].upper
    power = strength(m.candidates, gazetteer)
    zipf = gazetteer.common_words.get(key, 0.0) if single else 0.0
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
    if nxt is not None and next_adjacent and not nxt.upper and nxt.key in _GROUP_WORDS:
        if power < 3:
            return False  # "the Fano militia": a group named after a place, or no place
    if single and len(key) == 3 and glued and not toks[i].text.isupper():
        return False  # "Choe Son Hui": a syllable of a name, not Hui county
    if zipf >= 3.5:
        # a dictionary word ("Police", "Centre", "March"): part of a name, or needs a
        # prominent place behind it
        if glued and power < 4:
            return False
        if _prominence(m.candidates, gazetteer) < (1 if m.cased else 2):
            return False
        if not m.cased and zipf >= 4.5 and power < 4 and not _big_city(m.candidates, gazetteer):
            return False  # "IN THE CAPITAL" in caps wire copy
    elif zipf >= 3.0 and power < 2 and not m.cased:
        return False
    if not m.cased and power < (2 if toks[i].caseless_line else 1):
        return False
    # person names: "Mr. Jordan", "Michael Jordan", "Jordan Peterson", and later "Jordan" alone
    if prev is not None and prev.upper and prev.key in _TITLES:
        gap = text[prev.end : toks[i].start]
        if gap in (" ", ". "):
            persons.add(key)
            return False
    if (
        prev is not None
        and prev_adjacent
        and prev.upper
        and prev.key in gazetteer.given_names
        and prev.key not in _STOPWORDS
        and not prev.text.isupper()
        and strength(gazetteer.indices(prev.key), gazetteer) < 2
        and (power < 4 or prev.cased)
    ):
        persons.add(key)
        return False
    if (
        single
        and nxt is not None
        and next_adjacent
        and nxt.upper
        and not nxt.text.isupper()
        and key in gazetteer.given_names
        and nxt.key not in _ORG_WORDS
        and nxt.key not in gazetteer.common_words
        and strength(gazetteer.indices(nxt.key), gazetteer) < 2
        and gazetteer.demonym_index(nxt.key) is None
        and (power < 4 or not _dictionary_word(nxt.key, gazetteer))
    ):
        persons.add(name_key(nxt.text))
        return False
    if single and key in persons and power < 4:
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


def _big_city(candidates: list[int], gazetteer) -> bool:
    return any(
        gazetteer.kind(i) == "city" and gazetteer.population(i) >= 1_000_000 for i in candidates
    )


def _dictionary_word(key: str, gazetteer) -> bool:
    """Whether a capitalized word could be an ordinary word ("Tech", "Defense")."""
    return key in gazetteer.common_words or key in _STOPWORDS or key in _ORG_WORDS


def _prominence(candidates: list[int], gazetteer) -> int:
    """2 = a country, continent, region, big admin-1 area or big city among the candidates;
    1 = any admin-1 area, a city over 100,000 or a national capital."""
    best = 0
    for idx in candidates:
        kind = gazetteer.kind(idx)
        pop = gazetteer.population(idx)
        if kind in ("country", "continent", "region"):
            return 2
        if (kind == "adm1" and pop >= 1_000_000) or (kind == "city" and pop >= 300_000):
            return 2
        if kind == "adm1" or (kind == "city" and (pop >= 100_000 or gazetteer.is_capital(idx))):
            best = 1
    return best


def strength(candidates: list[int], gazetteer) -> int:
    """0 = only hamlets … 4 = a country or continent among the candidates."""
    best = 0
    for idx in candidates:
        kind = gazetteer.kind(idx)
        if kind in ("country", "continent"):
            return 4
        if kind in ("adm1", "region"):
            best = max(best, 3)
            continue
        pop = gazetteer.population(idx)
        if pop >= 100_000 or gazetteer.is_capital(idx):
            best = max(best, 3)
        elif pop >= 20_000:
            best = max(best, 2)
        elif pop >= 2_000 or kind == "adm2":
            best = max(best, 1)
    return best


def attach_cue(text: str, toks: list[Token], m: Mention, *, extend: bool = True) -> None:
    """Type cues around a name: "Kursk region", "city of Zaporizhzhia", "X district"."""
    nxt = toks[m.last_token + 1] if m.last_token + 1 < len(toks) else None
    if nxt is not None and text[m.end : nxt.start] == " ":
        cue = _ADMIN_CUES.get(nxt.key)
        if cue is not None:
            m.cue = cue
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


def _qualifiers(text: str, toks: list[Token], mentions: list[Mention], gazetteer) -> None:
    """Postal abbreviations after "City, " ("Lemay, MO") become mentions of their state."""
    by_end = {m.end: m for m in mentions}
    extra = []
    for k, tok in enumerate(toks):
        if not (tok.text.isupper() and 2 <= len(tok.text) <= 3):
            continue
        if text[tok.start - 2 : tok.start] != ", " or tok.start - 2 not in by_end:
            continue
        cands = gazetteer.qualifier(tok.text)
        if cands and not any(m.start == tok.start for m in mentions):
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
    if extra:
        mentions.extend(extra)
        mentions.sort(key=lambda m: m.start)
