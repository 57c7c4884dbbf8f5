"""Admin-1 boundary lines of the offline basemap (pure Python, no Streamlit): the lines between
the states, provinces and oblasts of each country, drawn from zoom :data:`ADMIN1_MINZOOM` on.

The polygons come from installed data only, never from the network:

* by default QGIS's world map, which Debian's ``qgis-common`` package installs at
  :data:`QGIS_WORLD_MAP`: Natural Earth's 1:10m "Admin 1 – States, Provinces" (public domain),
  generalised by the QGIS project, 4,556 areas;
* or any file ``$DATELINE_ADMIN1`` names (a GeoPackage, a shapefile, GeoJSON: whatever GDAL
  reads through ``pyogrio``), e.g. Natural Earth's ``ne_10m_admin_1_states_provinces.shp``
  downloaded by hand; ``$DATELINE_ADMIN1_CREDIT`` is then the credit line it needs.

:func:`build_admin1_lines` keeps the lines *inside* each country (its coast and its borders are
the country outlines' job), simplified and delta-encoded in hundredths of a degree;
:func:`admin1_boundaries` builds them once and caches the compact JSON under
:func:`geodata.maps.assets.cache_dir`, keyed by the source file; :func:`install_admin1` writes
them into the app's static folder so that the browser loads them once
(``base_map(boundaries_url=…)``); exports inline them (``base_map(boundaries=…)``). The browser
side is :class:`geodata.maps.layers.Admin1Lines`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geodata.errors import BoundaryError
from geodata.maps.assets import cache_dir, install_json

__all__ = [
    "ADMIN1_CREDIT_ENV",
    "ADMIN1_ENV",
    "ADMIN1_FILENAME",
    "ADMIN1_MINZOOM",
    "NATURAL_EARTH_CREDIT",
    "QGIS_WORLD_MAP",
    "Admin1Source",
    "admin1_boundaries",
    "admin1_source",
    "build_admin1_lines",
    "builtin_boundaries",
    "decode_line",
    "install_admin1",
]

logger = logging.getLogger(__name__)

_ADMIN1_VERSION = 1
#: The boundaries' file in the static folder (see :func:`install_admin1`).
ADMIN1_FILENAME = f"dateline/admin1-lines-v{_ADMIN1_VERSION}.json"
#: The map draws the admin-1 boundaries from this zoom on: at 5 a province 100 km across is
#: about 70 px wide; below it the lines would fill whole countries with grey.
ADMIN1_MINZOOM = 5
#: Where Debian's ``qgis-common`` package installs QGIS's world map (QGIS 3.22 in Debian 12;
#: later QGIS keeps the file and its ``states_provinces`` layer).
QGIS_WORLD_MAP = Path("/usr/share/qgis/resources/data/world_map.gpkg")
_QGIS_LAYER = "states_provinces"
#: Names another admin-1 polygon file to draw instead of QGIS's.
ADMIN1_ENV = "DATELINE_ADMIN1"
#: The credit line for the file :data:`ADMIN1_ENV` names (its file name when unset).
ADMIN1_CREDIT_ENV = "DATELINE_ADMIN1_CREDIT"
#: The credit of QGIS's world map: Natural Earth asks for none (public domain), but a reader
#: should know where the lines come from.
NATURAL_EARTH_CREDIT = "boundaries: Natural Earth"
# the polygons' country, by the first of these columns the file has (Natural Earth's names);
# without one, the whole file is taken as one country
_COUNTRY_COLUMNS = ("adm0_a3", "ADM0_A3", "iso_a2", "ISO_A2", "gu_a3", "GU_A3", "admin", "ADMIN")
# lines stop this far (degrees) from their country's edge: the end that touches the coast or a
# border would otherwise be drawn over the country outline, from another source
_EDGE = 0.005
_SCALE = 100  # coordinates in hundredths of a degree (about 1 km), as the country outlines


@dataclass(frozen=True, slots=True)
class Admin1Source:
    """An installed file of admin-1 polygons.

    Parameters
    ----------
    path
        The file (GeoPackage, shapefile, GeoJSON…).
    layer
        The layer holding the polygons; ``None``: the file's only (or first polygon) layer.
    credit
        The credit line maps drawn from it carry.
    """

    path: Path
    layer: str | None
    credit: str


def admin1_source() -> Admin1Source | None:
    """The admin-1 polygons to draw: the file ``$DATELINE_ADMIN1`` names, else QGIS's world
    map when ``qgis-common`` is installed, else ``None`` (the map has no admin-1 lines).

    A ``$DATELINE_ADMIN1`` that names no file is reported (a warning) and ignored.
    """
    env = os.environ.get(ADMIN1_ENV, "").strip()
    if env:
        path = Path(env).expanduser()
        if path.is_file():
            credit = os.environ.get(ADMIN1_CREDIT_ENV, "").strip() or f"boundaries: {path.name}"
            return Admin1Source(path, None, credit)
        logger.warning("%s=%s is not a file: using the installed boundaries", ADMIN1_ENV, env)
    if QGIS_WORLD_MAP.is_file():
        return Admin1Source(QGIS_WORLD_MAP, _QGIS_LAYER, NATURAL_EARTH_CREDIT)
    return None


# --------------------------------------------------------------------------- building


def _polygon_layer(path: Path, layer: str | None) -> str | int:
    import pyogrio

    layers = [(str(name), str(kind or "")) for name, kind in pyogrio.list_layers(path)]
    if layer is not None:
        if layer not in {name for name, _ in layers}:
            raise BoundaryError(f"{path}: no layer {layer!r} (it has {[n for n, _ in layers]})")
        return layer
    polygonal = [name for name, kind in layers if "polygon" in kind.lower()]
    if not polygonal:
        raise BoundaryError(f"{path}: no polygon layer (layers: {[n for n, _ in layers]})")
    return _QGIS_LAYER if _QGIS_LAYER in polygonal else polygonal[0]


def _to_wgs84(geoms: Any, crs: str | None) -> Any:
    """The geometries in longitude/latitude degrees (GeoJSON and Natural Earth already are)."""
    import shapely
    from pyproj import CRS, Transformer

    if not crs:
        return geoms
    source = CRS.from_user_input(crs)
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return geoms
    move = Transformer.from_crs(source, CRS.from_epsg(4326), always_xy=True)
    return shapely.transform(geoms, lambda xy: _stack(move.transform(xy[:, 0], xy[:, 1])))


def _stack(pair: tuple[Any, Any]) -> Any:
    import numpy as np

    return np.column_stack(pair)


def _read_polygons(path: Path, layer: str | None) -> tuple[list[str], Any]:
    """Each polygon's country key and the polygons (shapely, valid, in degrees)."""
    import numpy as np
    import pyogrio
    import shapely
    from pyogrio.errors import DataLayerError, DataSourceError
    from pyogrio.raw import read as read_raw

    try:
        name = _polygon_layer(path, layer)
        fields = [str(f) for f in pyogrio.read_info(path, layer=name)["fields"]]
        column = next((c for c in _COUNTRY_COLUMNS if c in fields), None)
        meta, _, wkb, data = read_raw(
            path, layer=name, columns=[column] if column else [], force_2d=True
        )
    except (DataSourceError, DataLayerError, OSError, ValueError) as exc:
        raise BoundaryError(f"cannot read admin-1 polygons from {path}: {exc}") from exc
    geoms = shapely.from_wkb(wkb)
    keys = [str(v) for v in data[0]] if column else ["" for _ in range(len(geoms))]
    keep = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    geoms = _to_wgs84(shapely.make_valid(geoms[keep]), meta.get("crs"))
    keys = [k for k, kept in zip(keys, keep.tolist(), strict=True) if kept]
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6, 7))  # polygons and collections
    if not polygonal.any():
        raise BoundaryError(f"{path}: no polygons in layer {name!r}")
    return [k for k, p in zip(keys, polygonal.tolist(), strict=True) if p], geoms[polygonal]


def _inner_lines(polygons: Any, *, tolerance: float, min_length: float) -> list[Any]:
    """The lines between ``polygons`` (one country's areas), simplified, without its edge."""
    import shapely

    outline = shapely.union_all(polygons)
    # the union of the rings nodes them, so an edge two areas share is kept once
    edges = shapely.union_all(shapely.boundary(shapely.get_parts(polygons)))
    inner = shapely.difference(edges, shapely.buffer(shapely.boundary(outline), _EDGE))
    if inner.is_empty:
        return []
    parts = shapely.get_parts(shapely.line_merge(inner))
    parts = shapely.simplify(parts, tolerance, preserve_topology=False)
    return [p for p in parts if shapely.length(p) >= min_length]


def _encode(line: Any) -> list[int] | None:
    """``[lat0, lon0, dlat1, dlon1, …]`` in hundredths of a degree, repeated points dropped."""
    import numpy as np
    import shapely

    coords = np.rint(shapely.get_coordinates(line) * _SCALE).astype(np.int64)
    coords = coords[np.r_[True, np.any(np.diff(coords, axis=0) != 0, axis=1)]]
    if len(coords) < 2:
        return None
    steps = np.vstack([coords[:1], np.diff(coords, axis=0)])
    return steps[:, ::-1].ravel().tolist()  # lat first, as Leaflet's latlngs


def decode_line(flat: Sequence[int], *, scale: int = _SCALE) -> list[tuple[float, float]]:
    """The ``(lat, lon)`` points of one encoded line (the inverse of the layer's encoding)."""
    lat = lon = 0
    points = []
    for i in range(0, len(flat) - 1, 2):
        lat, lon = lat + flat[i], lon + flat[i + 1]
        points.append((lat / scale, lon / scale))
    return points


def build_admin1_lines(
    path: Path | str,
    *,
    layer: str | None = None,
    credit: str = "",
    tolerance: float = 0.02,
    min_length: float = 0.05,
) -> dict[str, Any]:
    """The lines between the admin-1 areas of each country in ``path``.

    Parameters
    ----------
    path
        A file of admin-1 polygons GDAL reads (in degrees, or with a CRS to convert from);
        the polygons' country is read from Natural Earth's ``adm0_a3`` (or ``iso_a2``, …)
        column, else the file is one country.
    layer
        The polygons' layer; the file's ``states_provinces`` or first polygon layer when omitted.
    credit
        The credit line, carried in the data (the maps show it).
    tolerance
        Douglas–Peucker tolerance in degrees (0.02 ≈ one pixel at zoom 6).
    min_length
        Lines shorter than this (degrees) are left out: slivers no map at mid zoom shows.

    Returns
    -------
    dict
        ``{"version", "scale", "minzoom", "credit", "lines"}``: ``lines`` holds one row per
        country, ``[key, line, line…]``, each line ``[lat0, lon0, dlat1, dlon1, …]`` in
        ``1/scale`` degrees (see :func:`decode_line`).

    Raises
    ------
    BoundaryError
        The file cannot be read, or holds no polygons.
    """
    import numpy as np

    path = Path(path)
    keys, geoms = _read_polygons(path, layer)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[key].append(i)
    rows: list[list[Any]] = []
    for key in sorted(groups):
        members = geoms[np.asarray(groups[key])]
        if len(members) < 2:
            continue  # a country of one area has no line inside
        lines = _inner_lines(members, tolerance=tolerance, min_length=min_length)
        encoded = [e for e in (_encode(line) for line in lines) if e is not None]
        if encoded:
            rows.append([key, *encoded])
    return {
        "version": _ADMIN1_VERSION,
        "scale": _SCALE,
        "minzoom": ADMIN1_MINZOOM,
        "credit": credit,
        "lines": rows,
    }


# --------------------------------------------------------------------------- cache


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


def _source_key(source: Admin1Source) -> str:
    """Which file (and layer): its older copies are replaced, other files' copies kept."""
    return _digest(source.path.resolve(), source.layer)


def _cache_key(source: Admin1Source, tolerance: float, min_length: float) -> str:
    """The file's state and the build's options: a changed file is built again."""
    stat = source.path.stat()
    return _digest(stat.st_size, stat.st_mtime_ns, source.credit, tolerance, min_length)


def admin1_boundaries(
    *,
    source: Admin1Source | None = None,
    cache: Path | None = None,
    tolerance: float = 0.02,
    min_length: float = 0.05,
) -> dict[str, Any] | None:
    """:func:`build_admin1_lines` of ``source``, built once and cached as a file under ``cache``.

    Parameters
    ----------
    source
        The polygons; :func:`admin1_source` when omitted (``None`` back when there is none).
    cache
        The cache folder; :func:`geodata.maps.assets.cache_dir` when omitted.
    tolerance, min_length
        As in :func:`build_admin1_lines` (part of the cache key, with the file's size and time).

    Raises
    ------
    BoundaryError
        The source file cannot be read.
    """
    source = source if source is not None else admin1_source()
    if source is None:
        return None
    folder = Path(cache) if cache is not None else cache_dir()
    try:
        key = _cache_key(source, tolerance, min_length)
    except OSError as exc:
        raise BoundaryError(f"cannot read admin-1 polygons from {source.path}: {exc}") from exc
    stem = f"admin1-lines-v{_ADMIN1_VERSION}-{_source_key(source)}"
    path = folder / f"{stem}-{key}.json"
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.warning("ignoring unreadable boundaries cache %s", path)
    t0 = time.perf_counter()
    data = build_admin1_lines(
        source.path,
        layer=source.layer,
        credit=source.credit,
        tolerance=tolerance,
        min_length=min_length,
    )
    logger.info(
        "built the admin-1 lines of %d countries from %s in %.1fs",
        len(data["lines"]),
        source.path,
        time.perf_counter() - t0,
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
        for old in folder.glob(f"{stem}-*.json"):
            if old != path:
                old.unlink(missing_ok=True)  # the file changed: no stale copies
    except OSError as exc:  # a read-only home still gets the lines
        logger.warning("cannot cache the admin-1 lines at %s: %s", path, exc)
    return data


def builtin_boundaries() -> dict[str, Any] | None:
    """:func:`admin1_boundaries`, or ``None`` (with a warning) when its file cannot be read:
    a map without admin-1 lines beats no map, or no export."""
    try:
        return admin1_boundaries()
    except BoundaryError as exc:
        logger.warning("no admin-1 boundaries on the map: %s", exc)
        return None


def install_admin1(static_dir: Path) -> Path | None:
    """Write :func:`admin1_boundaries` to ``static_dir/`` :data:`ADMIN1_FILENAME` (when it
    changed), so that the app's maps load them once per browser (``base_map(boundaries_url=…)``).

    Returns
    -------
    Path or None
        The file, or ``None`` when no admin-1 polygons are installed (a stale file is removed).

    Raises
    ------
    BoundaryError
        The source file cannot be read.
    """
    dest = Path(static_dir) / ADMIN1_FILENAME
    data = admin1_boundaries()
    if data is None:
        dest.unlink(missing_ok=True)
        return None
    return install_json(dest, data)
