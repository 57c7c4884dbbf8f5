"""Place labels of the offline basemap (pure Python, no Streamlit): country names, cities and
the names of admin-1 areas (states, provinces, oblasts) picked from the gazetteer, each with
the lowest zoom at which the map shows it, derived from its population and whether it is a
capital. :func:`build_labels` picks them from any
gazetteer; :func:`place_labels` builds them once from the built-in index and caches the
compact JSON under :func:`geodata.maps.assets.cache_dir` (keyed by the index's fingerprint);
:func:`install_labels` writes them into the app's static folder, so that the browser loads them
once (``base_map(labels_url=…)``) instead of with every map; exports inline them
(``base_map(labels=…)``). The browser side is :class:`geodata.maps.layers.PlaceLabels`."""

from __future__ import annotations

import html
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from geodata.maps.assets import cache_dir, install_json
from geodata.records import Gazetteer

__all__ = [
    "LABEL_FIELDS",
    "LABEL_KINDS",
    "LABELS_FILENAME",
    "MAX_LABELS",
    "MIN_POPULATION",
    "build_labels",
    "install_labels",
    "label_minzoom",
    "place_labels",
]

logger = logging.getLogger(__name__)

_LABELS_VERSION = 2  # 2: admin-1 areas (the kind "admin1")
#: The labels' file in the static folder (see :func:`install_labels`).
LABELS_FILENAME = f"dateline/place-labels-v{_LABELS_VERSION}.json"
#: The columns of each row of ``labels`` in the data.
LABEL_FIELDS = ("lat", "lon", "name", "minzoom", "kind")
#: The values of the ``kind`` column, by code (the layer's script styles them in this order).
LABEL_KINDS = ("country", "capital", "city", "admin1")
#: Cities smaller than this get no label (capitals always do).
MIN_POPULATION = 50_000
#: At most this many labels in all: the biggest places are kept (room for the ~3,400 admin-1
#: areas beside the 6,000 places of version 1).
MAX_LABELS = 9_500

# GeoNames keeps countries that no longer exist (Serbia and Montenegro, the Netherlands
# Antilles): their names would sit on top of their successors'
_RETIRED_COUNTRIES = frozenset({"AN", "CS", "YU"})
# (population at least, minzoom): the first threshold a place reaches gives its zoom
_COUNTRY_ZOOMS = ((30_000_000, 2), (3_000_000, 3), (300_000, 4))
_CAPITAL_ZOOMS = ((1_000_000, 3), (100_000, 4))
_CITY_ZOOMS = ((5_000_000, 4), (1_000_000, 5), (500_000, 6), (250_000, 7), (100_000, 8))
# admin-1 areas from mid zoom, when the map draws their boundaries
# (geodata.maps.boundaries.ADMIN1_MINZOOM): the most populous first
_REGION_ZOOMS = ((2_000_000, 5), (200_000, 6), (20_000, 7))


def label_minzoom(kind: str, population: int, capital: bool = False) -> int:
    """The lowest map zoom at which a place's label is shown.

    Parameters
    ----------
    kind
        ``"country"``, ``"admin1"`` (an admin-1 area, the gazetteer's ``"adm1"``) or a city's
        kind (anything else is taken as a city).
    population
        The place's population (0 when unknown).
    capital
        Whether the city is its country's capital: capitals come one step or more before
        other cities of their size.

    Returns
    -------
    int
        2 for the largest countries, up to 9 for towns of :data:`MIN_POPULATION`; admin-1
        areas from 5 on.
    """
    if kind == "country":
        table, last = _COUNTRY_ZOOMS, 5
    elif kind in ("admin1", "adm1"):
        table, last = _REGION_ZOOMS, 8
    elif capital:
        table, last = _CAPITAL_ZOOMS, 5
    else:
        table, last = _CITY_ZOOMS, 9
    return next((zoom for floor, zoom in table if population >= floor), last)


def build_labels(
    gaz: Gazetteer,
    *,
    min_population: int = MIN_POPULATION,
    max_labels: int = MAX_LABELS,
    ndigits: int = 3,
) -> dict[str, Any]:
    """The labels of the countries, the capitals, the cities of ``min_population`` or more and
    the admin-1 areas.

    Parameters
    ----------
    gaz
        The gazetteer to pick from (the real one or a test's).
    min_population
        Smallest city labelled (capitals are labelled whatever their size).
    max_labels
        Cap on the number of labels: the ones shown first (lowest zoom, then countries, then
        capitals, then the most populous) are kept.
    ndigits
        Decimals kept in each coordinate (3 ≈ 100 m: finer than a label can show).

    Returns
    -------
    dict
        ``{"version", "fields", "kinds", "labels"}``: ``labels`` holds one row per label,
        columns :data:`LABEL_FIELDS`, ``kind`` an index into :data:`LABEL_KINDS`, the name
        HTML-escaped (the map shows it as HTML), rows in the order the map should place them.
    """
    best: dict[tuple[str, str, int, int, bool], tuple[tuple[int, int, int], list[Any]]] = {}
    for idx in range(len(gaz)):
        # column accessors, not Gazetteer.entry: no alternate names read for 270k entries
        kind = gaz.kind(idx)
        if kind not in ("country", "city", "adm1"):
            continue
        population = gaz.population(idx)
        capital = kind == "city" and gaz.is_capital(idx)
        if kind == "city" and not capital and population < min_population:
            continue
        name = gaz.name(idx).strip()
        if not name or (kind == "country" and gaz.country_code(idx) in _RETIRED_COUNTRIES):
            continue
        code = {"country": 0, "adm1": 3}.get(kind, 1 if capital else 2)
        lat, lon = gaz.point(idx)
        zoom = label_minzoom(kind, population, capital)
        rank = (zoom, code, -population)
        row = [round(lat, ndigits), round(lon, ndigits), html.escape(name), zoom, code]
        # the same place listed twice (a city and its seat of government, within ~50 km)
        # would print its name twice: keep the first-ranked one; a region named after its
        # city is another thing (the layer keeps them from overlapping)
        key = (name, gaz.country_code(idx), round(lat * 2), round(lon * 2), code == 3)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, row)
    ranked = sorted(best.values(), key=lambda item: (item[0], item[1][2]))
    return {
        "version": _LABELS_VERSION,
        "fields": list(LABEL_FIELDS),
        "kinds": list(LABEL_KINDS),
        "labels": [row for _, row in ranked[:max_labels]],
    }


def _fingerprint() -> str:
    """The built-in gazetteer index's name (format and source fingerprint): labels built
    from an older index are not reused."""
    from geodata.gazetteer.index import default_cache_dir, index_dir

    return index_dir(default_cache_dir()).name.removeprefix("gazetteer-")


def place_labels(
    *,
    cache: Path | None = None,
    min_population: int = MIN_POPULATION,
    max_labels: int = MAX_LABELS,
) -> dict[str, Any]:
    """:func:`build_labels` of the built-in gazetteer, cached as a file under ``cache``.

    The built-in index, not the one with added GeoNames dumps: those add small places, and
    the labels should not change with each one added.

    Parameters
    ----------
    cache
        The cache folder; :func:`geodata.maps.assets.cache_dir` when omitted.
    min_population, max_labels
        As in :func:`build_labels` (part of the cache file's name).

    Raises
    ------
    GazetteerError
        When the gazetteer index is needed and cannot be built or read.
    """
    folder = Path(cache) if cache is not None else cache_dir()
    name = f"place-labels-v{_LABELS_VERSION}-{_fingerprint()}-{min_population}-{max_labels}"
    path = folder / f"{name}.json"
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.warning("ignoring unreadable labels cache %s", path)
    from geodata.gazetteer.index import load_gazetteer

    t0 = time.perf_counter()
    labels = build_labels(
        load_gazetteer(added=False), min_population=min_population, max_labels=max_labels
    )
    logger.info("built %d place labels in %.2fs", len(labels["labels"]), time.perf_counter() - t0)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(labels, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
        for old in folder.glob(f"place-labels-v*-{min_population}-{max_labels}.json"):
            if old != path:
                old.unlink(missing_ok=True)  # a rebuilt index leaves no stale copies behind
    except OSError as exc:  # a read-only home still gets labels
        logger.warning("cannot cache the place labels at %s: %s", path, exc)
    return labels


def install_labels(static_dir: Path) -> Path:
    """Write :func:`place_labels` to ``static_dir/`` :data:`LABELS_FILENAME` (when it changed),
    so that the app's maps load them once per browser (``base_map(labels_url=…)``)."""
    return install_json(Path(static_dir) / LABELS_FILENAME, place_labels())
