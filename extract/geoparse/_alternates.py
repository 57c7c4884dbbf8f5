"""Which entries a name may stand for before any context is read: doubtful alternate names
and one-token names.

The index holds every alternate spelling GeoNames gives a town, and some are no reading an
English text means: an English given name that is only a town's alias ("Robert", Le Robert),
a truncation ("Chopin", Chopinzinho), a translation into English words ("Central Park" for
another town's name). :func:`own_names` drops those candidates; :func:`plausible_single`
rejects one-token surfaces that are words, months or acronyms before they are names.
"""

from __future__ import annotations

import re

from extract.geoparse._cue_words import ADMIN_CUES as _ADMIN_CUES
from extract.geoparse._cue_words import CALENDAR as _CALENDAR
from extract.geoparse._cue_words import CONNECTORS as _CONNECTORS
from extract.geoparse._cue_words import STOPWORDS as _STOPWORDS
from extract.geoparse._tokens import Token
from geodata.records import Gazetteer

__all__ = ["ARABIC_ARTICLES", "ARABIC_COUNTRIES", "abbreviation", "own_names", "plausible_single"]

#: The Arabic article as place names spell it; a name found only with it ("al qamishli").
ARABIC_ARTICLES = ("al ", "el ", "ar ", "as ", "ad ", "az ", "ash ", "at ", "an ", "adh ")
#: Countries where a name's Arabic article may be left off in English copy.
ARABIC_COUNTRIES = frozenset(
    "DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE EH TD".split()
)


def own_names(key: str, cands: list[int], gazetteer: Gazetteer, *, single: bool) -> list[int]:
    """Candidates without the towns that hold the name only as a doubtful alternate: an
    English given name's, up to a city of a million ("Robert" is Le Robert's alias, "Keith" a
    suburb's, "Levi" a Canadian city's: a person first), a truncation's ("Chopin" is no
    Chopinzinho), and a translation's in English words ("Central Park" is no town's other
    name). Admin areas keep their alternates: the index often names them in the local
    language ("Maigh Eo" is County Mayo)."""
    words = not single and all(w in gazetteer.common_words for w in key.split())
    if not (single or words):
        return cands
    # only names English speakers give: the index's other given names include many Arabic
    # ones ("Tal", "Dana") that are fair spellings of villages ("At Tall", "Ad Dānā")
    cap = 1_000_000 if single and key in gazetteer.english_given_names else 0
    kept = []
    for i in cands:
        own = gazetteer.own_key(i)
        if gazetteer.kind(i) != "city" or own == key or _arabic_article(own, i, gazetteer):
            kept.append(i)
            continue
        if words:
            # "Salt Lake" is Salt Lake City cut short, "West Lake" Westlake
            if set(own.split()) & set(key.split()) or own.replace(" ", "") == key.replace(" ", ""):
                kept.append(i)
            continue
        pop = gazetteer.population(i)
        if pop < cap or (pop < 100_000 and _truncation(key, own)):
            continue
        kept.append(i)
    return kept


def _arabic_article(own: str, idx: int, gazetteer: Gazetteer) -> bool:
    """The town's own name is the alternate's with an Arabic article ("Ad Dānā" for "Dana")."""
    return own.startswith(ARABIC_ARTICLES) and gazetteer.country_code(idx) in ARABIC_COUNTRIES


def _truncation(key: str, own: str) -> bool:
    """``key`` is the start of the town's own name cut before a syllable or a word that is
    no connector or type word ("Chopinzinho", "Igbo-Ukwu"), unlike "Rothenburg ob der Tauber",
    "Masisi Territory" or a spelling short of a letter ("Qataba", "Qatabah")."""
    if not own.startswith(key):
        return False
    rest = own[len(key) :]
    if len(rest.strip()) < 3:
        return False
    if rest[0].isalpha():
        return True
    nxt = rest.split()[0]
    return (
        nxt not in _CONNECTORS
        and nxt not in _ADMIN_CUES
        and nxt not in ("ob", "bei", "city", "town", "territory")
    )


def abbreviation(surface: str, cands: list[int], gazetteer: Gazetteer) -> bool:
    return any(surface in gazetteer.alternates(i) for i in cands[:5])


def plausible_single(
    tok: Token, key: str, cands: list[int], gazetteer: Gazetteer, *, dotted: bool = False
) -> bool:
    """Rules for one-token names: no months, abbreviations only as the sources write them."""
    if key in _CALENDAR:
        return False
    word = tok.text
    if dotted and len(key) <= 2 and abbreviation(word + ".", cands, gazetteer):
        return True  # "Slidell, La.", "Canton, Ga.": a state's AP abbreviation after a town
    if len(key) <= 2 and not word.isupper() and "." not in word:
        return False  # "Us", "Eu": words, not the abbreviations
    if len(key) == 3 and not word.isupper() and (not tok.cased or key in _STOPWORDS):
        return False  # "Ibb", "Jos", "Goa" mid-sentence are places; "Our", "Its" are not
    if word.isupper() and len(word) <= 5 and not tok.caseless_line:
        # an all-caps acronym in cased text: only a listed abbreviation ("US", "UK", "EU", "BC")
        return any(word in gazetteer.alternates(i) or gazetteer.name(i) == word for i in cands)
    if gazetteer.common_words.get(key, 0.0) >= 4.5 and all(
        gazetteer.kind(i) == "city" and gazetteer.own_key(i) != key for i in cands
    ):
        return False  # "Google" is a town's old nickname (Topeka) before it is a town
    if _CAMEL.search(word):
        # "MoD", "iPhone": an acronym or brand unless a place is written so ("McAllen", "DeKalb")
        return any(word in gazetteer.alternates(i) or gazetteer.name(i) == word for i in cands)
    return True


_CAMEL = re.compile(r"[a-z][A-Z]")
