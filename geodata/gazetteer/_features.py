"""Airports as gazetteer entries, from the ``airportsdata`` package (MIT licence).

News names airports by their own name ("Heathrow Airport", "Kherson International Airport",
"flights at Gatwick"), and a reader expects the pin at the airport, not at a namesake town or
the city centre. Only airports with an IATA code are kept (those with scheduled flights; the
rest are airstrips and heliports nobody reports on).

Each airport is indexed by the names a writer uses with the word "Airport": its full name
("London Heathrow Airport"), its own words ("Heathrow Airport", "O'Hare Airport", "O'Hare
International Airport", "Kennedy Airport"), its IATA code ("JFK Airport") and, for a city's only
airport, the city ("Newark Airport"). Sort words ("International", "Regional", "City") are
never a name alone.

Its bare core ("Heathrow", "Gatwick", "Schiphol") is a name too when the airport is well known
(international, or serving a city of 500,000), the core is one word, no given name, no common
English word (Zipf frequency < 3.5: "Midway", "Kennedy" and "Logan" stay out), no town of
20,000 people ("Entebbe" stays the town) and not its city's name spelt another way
("Hodeidah"). An airport is as well known as the city it serves (its population), so Boston's
Logan outranks Billings's.
"""

from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from typing import Any

from geodata.normalize import name_key

__all__ = ["airport_entries"]

logger = logging.getLogger(__name__)

# words that say which sort of airport it is, not which one
_SORT_WORDS = re.compile(
    r"\b(?:International|Intl\.?|Regional|Municipal|National|Metropolitan|County|City|Domestic)\b"
)
_AIRPORT = re.compile(r"\b(?:Airport|Airfield|Aerodrome)\b")
_INTERNATIONAL = re.compile(r"\bInternational\b")
# people in the city above which its airports are known by their bare names
_BIG_CITY = 500_000
# a place this big keeps its name from an airport's bare core
_TOWN = 20_000
# a bare core this common in English is a word or a surname before it is an airport
_MAX_CORE_ZIPF = 3.5


def airport_entries(
    *,
    taken_keys: dict[str, int],
    city_population: dict[tuple[str, str], int],
    raw_entry: Callable[..., Any],
    rows: Iterable[dict[str, str]] | None = None,
) -> list[Any]:
    """Gazetteer entries (``raw_entry`` records, kind ``district``) for airports with an IATA
    code.

    ``taken_keys`` maps the name keys other places already have to their largest population
    (a bare core takes no key of a town of ``_TOWN`` people: "Heathrow" is the airport before
    the Florida suburb, "Entebbe" the town);
    ``city_population`` maps (country, a city's name key) to its population (an airport of a
    city of ``_BIG_CITY`` people is well known by its bare name: "Gatwick"); ``rows`` are
    airportsdata's rows (default: the package's table).
    """
    if rows is None:
        try:
            rows = _rows()
        except (ImportError, FileNotFoundError):  # pragma: no cover - listed in requirements
            logger.warning("airportsdata missing: no airports in the gazetteer")
            return []
    rows = [r for r in rows if r["iata"].strip() and r["name"].strip()]
    per_city = Counter((r["country"], r["city"].strip()) for r in rows)
    given, zipf = _word_tests()
    out = []
    for row in rows:
        iata, name, city = row["iata"].strip(), row["name"].strip(), row["city"].strip()
        if not _AIRPORT.search(name):
            continue  # a heliport, a seaplane base, an air force base
        core = _core(name, city)
        names = [name, f"{iata} Airport"]
        if core:
            names += [f"{core} Airport", f"{city} {core} Airport"]
            if _INTERNATIONAL.search(name):
                names.append(f"{core} International Airport")
            last = core.rsplit(" ", 1)[-1]
            if last != core and last.isalpha():
                names.append(f"{last} Airport")  # named after a person: "Kennedy Airport"
        if city and per_city[(row["country"], city)] == 1:
            names += [f"{city} Airport", f"{city} International Airport"]
        well_known = bool(_INTERNATIONAL.search(name)) or (
            city_population.get((row["country"], name_key(city)), 0) >= _BIG_CITY
        )
        key = name_key(core)
        if (
            well_known
            and core.isalpha()
            and taken_keys.get(key, 0) < _TOWN
            and not _spells_city(key, city)
            and key not in given
            and zipf(key) < _MAX_CORE_ZIPF
        ):
            names.append(core)
        out.append(
            raw_entry(
                id=f"apt:{row['icao'] or iata}",
                name=name,
                kind="district",
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                country=row["country"].strip(),
                admin1=row["subd"].strip(),
                # as well known as the city it serves: Boston's Logan before Billings's
                population=city_population.get((row["country"], name_key(city)), 0),
                alternates=[n for n in dict.fromkeys(names) if n != name],
            )
        )
    logger.info("gazetteer: %d airports", len(out))
    return out


def _spells_city(key: str, city: str) -> bool:
    """Whether an airport's core is its city's name spelt another way ("Hodeidah" for the
    airport of Hodeida): the bare name stays the city's."""
    city_key = re.sub(r"^(?:al|el|ad|as|ar|an)[ -]", "", name_key(city))
    return SequenceMatcher(None, key, city_key).ratio() >= 0.6


def _rows() -> list[dict[str, str]]:
    """The rows of the package's airports.csv (icao, iata, name, city, subd, country, lat, …)."""
    text = resources.files("airportsdata").joinpath("airports.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _core(name: str, city: str) -> str:
    """The airport's own words: its name without its city, sort words and "Airport"
    ("London Heathrow Airport" → "Heathrow", "Amsterdam Airport Schiphol" → "Schiphol")."""
    core = _AIRPORT.sub(" ", name)
    if city and (core.startswith(city + " ") or core.endswith(" " + city)):
        core = core.replace(city, " ", 1)
    core = _SORT_WORDS.sub(" ", core)
    return re.sub(r"\s+", " ", core).strip(" -/")


@lru_cache(maxsize=1)
def _word_tests():
    """Given names (lower case) and an English Zipf-frequency function."""
    given: set[str] = set()
    try:
        import gender_guesser.detector as gd

        given = {n.lower() for n in gd.Detector(case_sensitive=False).names if n.isalpha()}
    except ImportError:  # pragma: no cover - listed in requirements
        pass
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - listed in requirements

        def zipf(word: str) -> float:
            return 0.0
    else:

        def zipf(word: str) -> float:
            return zipf_frequency(word, "en")

    return given, zipf
