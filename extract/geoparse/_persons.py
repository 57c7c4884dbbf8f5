"""People named like places: "Mr. Jordan", "Michael Jordan", "John T. Austin", "COLONEL LUGO",
"the Lincoln administration", and the same surname later on its own.

:func:`person_names` collects the surnames a text gives people; :func:`named_person` tells the
recognizer that a place-name mention is (part of) a person's name.
"""

from __future__ import annotations

from extract.geoparse._cue_words import ADMIN_CUES as _ADMIN_CUES
from extract.geoparse._cue_words import APPOSITIVE as _APPOSITIVE
from extract.geoparse._cue_words import APPOSITIVE_WEAK as _APPOSITIVE_WEAK
from extract.geoparse._cue_words import AREA_NOUNS as _AREA_NOUNS
from extract.geoparse._cue_words import CALENDAR as _CALENDAR
from extract.geoparse._cue_words import CONNECTORS as _CONNECTORS
from extract.geoparse._cue_words import KIN as _KIN
from extract.geoparse._cue_words import NAME_PARTICLES as _NAME_PARTICLES
from extract.geoparse._cue_words import NAME_SUFFIXES as _NAME_SUFFIXES
from extract.geoparse._cue_words import ORG_WORDS as _ORG_WORDS
from extract.geoparse._cue_words import PERSON_BEFORE as _PERSON_BEFORE
from extract.geoparse._cue_words import PERSONAL_ACTS as _PERSONAL_ACTS
from extract.geoparse._cue_words import PERSONAL_SPEECH as _PERSONAL_SPEECH
from extract.geoparse._cue_words import ROLES as _ROLES
from extract.geoparse._cue_words import STOPWORDS as _STOPWORDS
from extract.geoparse._cue_words import TITLES as _TITLES
from extract.geoparse._cue_words import WORD_NAMES as _WORD_NAMES
from extract.geoparse._strength import dictionary_word, strength
from extract.geoparse._tokens import Mention, Token
from geodata.records import Gazetteer

__all__ = ["adjacent", "named_person", "opens_name", "person_names"]


def person_names(text: str, toks: list[Token], gazetteer: Gazetteer) -> set[str]:
    """Surnames of people named in the text ("Daniel McLaughlin" → "mclaughlin", "COLONEL
    LEANDRO ANSELMO LUGO" → "anselmo", "lugo"), so that a later "McLaughlin said" is not
    geocoded. In all-caps copy the given name must not be an English word ("WILL", "MAY")."""
    persons: set[str] = set()
    for k, (a, b) in enumerate(zip(toks, toks[1:], strict=False)):
        if not (b.upper and adjacent(text, a, b)):
            continue
        if b.key in _ORG_WORDS or b.key in _STOPWORDS or b.key in _CONNECTORS:
            continue
        titled = (a.upper and a.key in _TITLES) or a.key in _ROLES
        if not titled and not (a.upper and opens_name(a, gazetteer)):
            continue
        if gazetteer.has_key(f"{a.key} {b.key}"):
            continue  # "SANTA CRUZ", "SAN JUAN": a place, not a first name and a surname
        # in caps copy a surname may be a town of 100,000 ("COLONEL … CUENCA")
        if strength(gazetteer.indices(b.key), gazetteer) >= (4 if b.caseless_line else 3):
            continue
        c = toks[k + 2] if k + 2 < len(toks) else None
        if (
            titled
            and c is not None
            and c.upper
            and adjacent(text, b, c)
            and opens_name(b, gazetteer)
            and c.key not in _STOPWORDS
        ):
            continue  # "CANDIDATE LEANDRO LUGO": the surname comes next, not the first name
        persons.add(b.key)
        # a second surname ("BALTASAR LUGO CUENCA"): only after a surname, not a given name
        link = b
        if c is not None and c.key == "y" and k + 3 < len(toks) and adjacent(text, b, c):
            link, c = c, toks[k + 3]  # "LUGO Y CUENCA"
        if (
            c is not None
            and b.caseless_line
            and adjacent(text, link, c)
            and not opens_name(b, gazetteer)
            and c.key not in _STOPWORDS
            and c.key not in _CONNECTORS
            and c.key not in _ORG_WORDS
            and strength(gazetteer.indices(c.key), gazetteer) < 4
            and not (k + 3 < len(toks) and gazetteer.has_key(f"{c.key} {toks[k + 3].key}"))
        ):
            persons.add(c.key)
    persons |= _kin_names(text, toks, gazetteer)
    return persons


def _kin_names(text: str, toks: list[Token], gazetteer: Gazetteer) -> set[str]:
    """Surnames in a name right after a kin word: "her husband, Kyle Newman", "son Leo Thames
    Newman" (every capitalized word after the first is kept; big places excepted)."""
    found: set[str] = set()
    for k, tok in enumerate(toks[:-2]):
        if tok.key not in _KIN or tok.upper or tok.caseless_line:
            continue
        first = toks[k + 1]
        if not first.upper or text[tok.end : first.start] not in (" ", ", "):
            continue
        if first.key in _STOPWORDS or not opens_name(first, gazetteer):
            continue
        last = k + 1
        while last + 1 < len(toks) and last - k < 4:
            nxt = toks[last + 1]
            if not (nxt.upper and adjacent(text, toks[last], nxt)) or nxt.key in _ORG_WORDS:
                break
            last += 1
        for t in toks[k + 2 : last + 1]:
            if strength(gazetteer.indices(t.key), gazetteer) < 3:
                found.add(t.key)
    return found


def adjacent(text: str, a: Token, b: Token) -> bool:
    """``b`` follows ``a`` within one name: a space, or a line wrap in all-caps copy."""
    gap = text[a.end : b.start]
    return gap == " " or (gap == "\n" and a.caseless_line and b.caseless_line)


def opens_name(tok: Token, gazetteer: Gazetteer) -> bool:
    """A given name that can open a person's name ("Daniel", "BALTASAR"), not a function word,
    an acronym in cased text, an English word in caps copy or a notable place."""
    key = tok.key
    if key not in gazetteer.given_names or key in _STOPWORDS or key in _CONNECTORS:
        return False
    if tok.caseless_line:
        if key in _WORD_NAMES or key in _CALENDAR or gazetteer.common_words.get(key, 0) >= 5.5:
            return False
        # names of towns of up to 100,000 ("LEANDRO") still open a name in caps copy
        return strength(gazetteer.indices(key), gazetteer) < 3
    if tok.text.isupper():
        return False  # an acronym in cased text
    return strength(gazetteer.indices(key), gazetteer) < 2


_ADMINISTRATION = frozenset({"administration", "presidency", "campaign", "era", "doctrine"})


def named_person(
    text: str,
    toks: list[Token],
    m: Mention,
    gazetteer: Gazetteer,
    persons: set[str],
    *,
    key: str,
    power: int,
) -> bool:
    """Whether the mention is (part of) a person's name, in cased text and in all caps:
    "Mr. Jordan", "COLONEL LUGO", "Michael Jordan", "LEANDRO ANSELMO LUGO", "Jordan Peterson",
    "LUGO, 35,", "LUGO, THE MAYOR OF …", "the widow of Lugo", and later "Jordan" alone."""
    i, j = m.first_token, m.last_token
    single = i == j
    prev = toks[i - 1] if i > 0 else None
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    caps = toks[i].caseless_line
    if prev is not None:
        gap = text[prev.end : toks[i].start]
        titled = (
            prev.upper
            and prev.key in _TITLES
            and (gap in (" ", ". ") or adjacent(text, prev, toks[i]))
        )
        role = prev.key in _ROLES and adjacent(text, prev, toks[i]) and power < (4 if caps else 3)
        if titled or role:
            if not opens_name(toks[i], gazetteer):
                persons.add(key)  # a surname; a first name ("General Paris Smith") is not kept
            return True
        # given names right before: "Michael Jordan", "BALTASAR LUGO", "LEANDRO ANSELMO LUGO"
        if prev.upper and adjacent(text, prev, toks[i]) and opens_name(prev, gazetteer):
            if power < 4 or prev.cased:
                persons.add(key)
                return True
        # a middle initial: "John T. Austin", "Mary K. Denton"
        if (
            len(prev.text) == 1
            and prev.text.isupper()
            and gap == ". "
            and i >= 2
            and opens_name(toks[i - 2], gazetteer)
            and text[toks[i - 2].end : prev.start] == " "
            and not caps
        ):
            persons.add(key)
            return True
        # a particle between a given name and the surname: "Mike de Kock", "Anna van Dijk"
        particle = _after_particle(text, toks, i, gazetteer)
        if single and particle and power < (4 if particle in _PATRONYMIC else 3):
            persons.add(key)
            return True
        # a given name right after a kin word: "his wife, Julia,", "their son Francisco"
        if (
            single
            and power < 4
            and key in gazetteer.given_names
            and prev.key in _KIN
            and not prev.upper
            and gap in (" ", ", ")
        ):
            return True
    if single and power < 3 and _suffixed(text, toks, j):
        persons.add(key)  # "John Dorsett, Jr.", "Dorsett Sr.": a man and his son
        return True
    if single and power < 2 and not caps and _speaks(text, toks, i, j):
        persons.add(key)  # "Dorsett said", "said Dorsett.": a hamlet does not speak
        return True
    if (
        single
        and not caps
        and nxt is not None
        and nxt.key in _PERSONAL_ACTS
        and text[toks[j].end : nxt.start] == " "
        and (prev is None or prev.key not in ("of", "in", "from", "at", "the"))
        and not any(gazetteer.kind(c) == "country" for c in m.candidates[:3])
    ):
        persons.add(key)  # "Cher sang", "Bono tweeted": a person known by one name
        return True
    # "the Lincoln administration", "the Austin campaign": a politician, not a place
    if (
        single
        and nxt is not None
        and nxt.key in _ADMINISTRATION
        and text[toks[j].end : nxt.start] == " "
        and text[max(0, m.start - 4) : m.start].lower() == "the "
        and power < 5
        and not any(gazetteer.kind(c) in ("country", "adm1") for c in m.candidates[:3])
    ):
        return True
    if (
        single
        and nxt is not None
        and adjacent(text, toks[j], nxt)
        and nxt.upper
        and (nxt.caseless_line or not nxt.text.isupper())
        and key in gazetteer.given_names
        and nxt.key not in _ORG_WORDS
        and nxt.key not in _STOPWORDS
        and nxt.key not in _CONNECTORS
        # in caps copy a surname may be a word of the dictionary or a big town's name
        and gazetteer.common_words.get(nxt.key, 0) < (5.0 if caps else 0.001)
        and strength(gazetteer.indices(nxt.key), gazetteer) < (4 if caps and power < 3 else 2)
        and gazetteer.demonym_index(nxt.key) is None
        and (power < 4 or not dictionary_word(nxt.key, gazetteer))
        # in caps copy only a small place's name, before no type word ("LUGO PROVINCE")
        and not (caps and (power >= 3 or not opens_name(toks[i], gazetteer)))
        and nxt.key not in _AREA_NOUNS
        and nxt.key not in _ADMIN_CUES
        and nxt.key not in _CALENDAR
    ):
        persons.add(nxt.key)  # "Paris Hilton": the place name is a first name
        return True
    if single and key in persons and power < 4 and (nxt is None or nxt.key not in _ADMIN_CUES):
        return True
    if (
        single
        and power < 4
        and text[m.start - 1 : m.start] == "["
        and text[m.end : m.end + 2] == "] "
        and text[: m.start - 1].rstrip(" ")[-1:] in ("", "\n", "]", ".", ":", "?", '"')
    ):
        return True  # "[LUGO] WE DENY IT …": a speaker's label opening a transcript's turn
    if single and power < 4:
        after = text[m.end : m.end + 48].lower()
        before = text[max(0, m.start - 24) : m.start].lower()
        if (
            _APPOSITIVE.match(after)
            or _PERSON_BEFORE.search(before)
            or (power < 3 and _APPOSITIVE_WEAK.match(after))
        ):
            persons.add(key)
            return True
    return False


def _after_particle(text: str, toks: list[Token], i: int, gazetteer: Gazetteer) -> str:
    """The particle before token ``i`` when it follows a given name ("Mike de Kock", "Jan van
    der Berg"), or any capitalized name for a patronymic ("Mohammed bin Rashid"); else ""."""
    k = i - 1
    while k >= 1 and toks[k].key in _NAME_PARTICLES and not toks[k].upper:
        if text[toks[k].end : toks[k + 1].start] != " ":
            return ""
        k -= 1
    if k == i - 1 or k < 0 or text[toks[k].end : toks[k + 1].start] != " ":
        return ""
    particle = toks[i - 1].key
    if particle in _PATRONYMIC and toks[k].upper and not toks[k].caseless_line:
        return particle
    return particle if opens_name(toks[k], gazetteer) else ""


_PATRONYMIC = frozenset({"bin", "ibn", "bint", "ben"})


def _suffixed(text: str, toks: list[Token], j: int) -> bool:
    """A generational suffix follows token ``j``: "Dorsett Jr.", "Dorsett, Sr.", "Dorsett III"."""
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    if nxt is None or nxt.key not in _NAME_SUFFIXES or not nxt.upper:
        return False
    gap = text[toks[j].end : nxt.start]
    if nxt.key in ("jr", "sr"):
        return gap in (" ", ", ")
    return gap == " " and nxt.text.isupper()  # "III", not the word "Ii"


def _speaks(text: str, toks: list[Token], i: int, j: int) -> bool:
    """The bare name is the one who speaks: "Dorsett said", "Dorsett told reporters",
    "…," said Dorsett." (not "the mayor of Dorsett said", where a place's people speak)."""
    prev = toks[i - 1] if i > 0 else None
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    if prev is not None and prev.key in ("of", "in", "from", "at", "near", "for", "the"):
        return False
    if nxt is not None and nxt.key in _PERSONAL_SPEECH and text[toks[j].end : nxt.start] == " ":
        return True
    if prev is not None and prev.key in _PERSONAL_SPEECH and text[prev.end : toks[i].start] == " ":
        return text[toks[j].end : toks[j].end + 1] in (".", ",", ";", "")
    return False
