"""How much a name weighs as a place: the strongest reading among its candidates.

The recognizer asks these before it lets a capitalized word be a place or a person: a country
or a city of a million outweighs a first name ("Jordan" in "Michael Jordan" is a person; "Paris"
alone is the city), while a hamlet yields to any person or organisation cue.
"""

from __future__ import annotations

from extract.geoparse._cue_words import ORG_WORDS as _ORG_WORDS
from extract.geoparse._cue_words import STOPWORDS as _STOPWORDS
from geodata.normalize import name_key
from geodata.records import Gazetteer

__all__ = ["big_city", "dictionary_word", "prominence", "strength"]


def big_city(candidates: list[int], gazetteer: Gazetteer, key: str) -> bool:
    """A city of a million by its own name (not "MAN" for Amman, an alternate spelling)."""
    return any(
        gazetteer.kind(i) == "city"
        and gazetteer.population(i) >= 1_000_000
        and name_key(gazetteer.entry(i).name) == key
        for i in candidates
    )


def dictionary_word(key: str, gazetteer: Gazetteer) -> bool:
    """Whether a capitalized word could be an ordinary word ("Tech", "Defense")."""
    return key in gazetteer.common_words or key in _STOPWORDS or key in _ORG_WORDS


def prominence(candidates: list[int], gazetteer: Gazetteer) -> int:
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


def strength(candidates: list[int], gazetteer: Gazetteer) -> int:
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
