"""The real places a synthetic article is about (``bench/synth.py``).

:func:`load_pool` scans the real gazetteer for cities of at least :data:`MIN_POPULATION` people
and groups them by country, with each country's name, demonym and capital, and keeps the
invented person names that the gazetteer does not know as places (so that a made-up
"Ahmed Haddad" is not geocoded). The pool is built once per corpus; the articles only draw
from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MIN_POPULATION", "City", "PlacePool", "load_pool"]

MIN_POPULATION = 50_000


@dataclass(frozen=True, slots=True)
class City:
    """One real city of the gazetteer, as the articles name it."""

    name: str
    admin1: str
    country: str  # ISO alpha-2
    population: int
    capital: bool


@dataclass(slots=True)
class PlacePool:
    """Real gazetteer cities (population >= 50k) grouped by country, with country names."""

    by_country: dict[str, list[City]]
    country_names: dict[str, str]
    demonyms: dict[str, str]
    capitals: dict[str, City]
    codes: list[str] = field(default_factory=list)  # countries with >= 2 cities
    person_first: list[str] = field(default_factory=list)
    person_last: list[str] = field(default_factory=list)


_FIRST_NAMES = (
    "Ahmed Amina Olena Ivan Maria Fatima Mohammed Yusuf Aisha Oksana Dmitri Anna Carlos Ana "
    "Jean Marie Samuel Grace Ibrahim Halima Ali Leila Hassan Nadia Pedro Lucia Tomasz Katarzyna "
    "Kofi Ama Chen Wei Ravi Priya Juan Sofia Daniel Sarah Omar Zainab Musa Hadiza Andriy Iryna"
).split()
_LAST_NAMES = (
    "Kovalenko Shevchenko Petrov Ivanova Okafor Mensah Haddad Rahman Hussein Suleiman Garcia "
    "Rodriguez Mbeki Kamau Otieno Nguyen Tran Sharma Gupta Kowalski Nowak Dubois Moreau Silva "
    "Santos Alvarez Mendoza Bakr Mahmoud Abdullah Yilmaz Demir Popescu Horvat Novak Ochieng "
    "Adeyemi Bello Diallo Traore Keita Sesay Tadesse Bekele Marchenko Melnyk Tkachenko"
).split()


def load_pool(gazetteer=None, *, min_population: int = MIN_POPULATION) -> PlacePool:
    """The cities of at least ``min_population`` people in the real gazetteer, by country."""
    from extract.events.actors import COUNTRIES as ACTOR_COUNTRIES

    if gazetteer is None:
        from geodata.gazetteer.index import load_gazetteer

        gazetteer = load_gazetteer()
    g = gazetteer
    by_country: dict[str, list[City]] = {}
    for i in range(len(g)):
        if g.kind(i) != "city" or g.population(i) < min_population:
            continue
        e = g.entry(i)
        if not e.country or not e.name.replace(" ", "").replace("-", "").isalpha():
            continue
        city = City(e.name, e.admin1, e.country, e.population, e.capital)
        by_country.setdefault(e.country, []).append(city)
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    # the gazetteer keeps demonyms as normalized key → entry index; invert it per country
    dem_index: dict[int, list[str]] = {}
    for key, idx in g.demonym_keys().items():
        dem_index.setdefault(idx, []).append(key)
    capitals: dict[str, City] = {}
    for code, cities in by_country.items():
        entry = g.country(code)
        if entry is None:
            continue
        names[code] = entry.name
        keys = [k for k in dem_index.get(entry.index, []) if not k.endswith("s") and len(k) <= 15]
        if code in ACTOR_COUNTRIES:  # the extractor's own actor names ("Saudi", "US")
            demonyms[code] = ACTOR_COUNTRIES[code][1]
        elif keys:
            demonyms[code] = " ".join(w.capitalize() for w in keys[0].split())
        cities.sort(key=lambda c: -c.population)
        capitals[code] = next((c for c in cities if c.capital), cities[0])
    by_country = {c: v for c, v in by_country.items() if c in names}
    codes = sorted(c for c, v in by_country.items() if len(v) >= 2)

    def unknown(word: str) -> bool:
        return not g.lookup(word)

    return PlacePool(
        by_country=by_country,
        country_names=names,
        demonyms=demonyms,
        capitals=capitals,
        codes=codes,
        person_first=[w for w in _FIRST_NAMES if unknown(w)] or list(_FIRST_NAMES),
        person_last=[w for w in _LAST_NAMES if unknown(w)] or list(_LAST_NAMES),
    )
