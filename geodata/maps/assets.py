"""Offline assets for the maps: Leaflet and Leaflet.markercluster files copied from their
``xstatic`` packages into a served folder, and a basemap of country outlines derived once from
the ``countryinfo`` package and cached on disk. Pure Python: no Streamlit here."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "LEAFLET_DIRNAME",
    "MARKERCLUSTER_CSS",
    "MARKERCLUSTER_DIRNAME",
    "MARKERCLUSTER_JS",
    "cache_dir",
    "country_outlines",
    "OUTLINES_FILENAME",
    "install_json",
    "install_leaflet_assets",
    "install_outlines",
    "install_markercluster_assets",
    "leaflet_source_dir",
    "markercluster_source_dir",
]

logger = logging.getLogger(__name__)

LEAFLET_DIRNAME = "leaflet"
MARKERCLUSTER_DIRNAME = "leaflet.markercluster"
_LEAFLET_FILES = ("leaflet.js", "leaflet.js.map", "leaflet.css")
MARKERCLUSTER_JS = "leaflet.markercluster.js"
MARKERCLUSTER_CSS = ("MarkerCluster.css", "MarkerCluster.Default.css")
_OUTLINES_VERSION = 1
#: The basemap's file in the static folder (see :func:`install_outlines`).
OUTLINES_FILENAME = f"dateline/country-outlines-v{_OUTLINES_VERSION}.json"


def cache_dir() -> Path:
    """``$DATELINE_CACHE``, else ``$XDG_CACHE_HOME/dateline``, else ``~/.cache/dateline``.

    The same folder as the gazetteer's (``geodata.gazetteer.index.default_cache_dir``).
    """
    env = os.environ.get("DATELINE_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dateline"


# --------------------------------------------------------------------------- Leaflet assets


def leaflet_source_dir() -> Path:
    """The folder of Leaflet's distribution files inside the ``xstatic-leaflet`` package."""
    import xstatic.pkg.leaflet as xleaflet

    return Path(xleaflet.BASE_DIR)


def install_leaflet_assets(static_dir: Path) -> Path:
    """Copy Leaflet's JS, CSS and images to ``static_dir/leaflet`` (only what changed).

    Parameters
    ----------
    static_dir
        The folder the web server serves (Streamlit: ``static/`` beside ``app.py``).

    Returns
    -------
    Path
        The ``leaflet`` folder inside ``static_dir``.
    """
    src = leaflet_source_dir()
    dest = Path(static_dir) / LEAFLET_DIRNAME
    names = [*_LEAFLET_FILES, *(f"images/{p.name}" for p in sorted((src / "images").iterdir()))]
    _copy_files(src, dest, names)
    return dest


def markercluster_source_dir() -> Path | None:
    """The folder of Leaflet.markercluster's files (``xstatic-leaflet-markercluster``), or
    ``None`` when that package is not installed."""
    try:
        import xstatic.pkg.leaflet_markercluster as xcluster
    except ImportError:
        return None
    return Path(xcluster.BASE_DIR)


def install_markercluster_assets(static_dir: Path) -> Path | None:
    """Copy Leaflet.markercluster's JS and CSS to ``static_dir/leaflet.markercluster``.

    Returns
    -------
    Path or None
        The folder, or ``None`` when the package is missing (clustering is then unavailable).
    """
    src = markercluster_source_dir()
    if src is None:
        logger.warning("xstatic-leaflet-markercluster is not installed: no marker clustering")
        return None
    dest = Path(static_dir) / MARKERCLUSTER_DIRNAME
    _copy_files(src, dest, [MARKERCLUSTER_JS, *MARKERCLUSTER_CSS])
    return dest


def _copy_files(src: Path, dest: Path, names: Iterable[str]) -> None:
    for name in names:
        source, target = src / name, dest / name
        if not source.is_file():
            continue
        if target.is_file() and target.stat().st_size == source.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
        logger.debug("copied %s -> %s", source, target)


# --------------------------------------------------------------------------- basemap


def _round_ring(ring: Sequence[Sequence[float]], ndigits: int) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat, *_ in ring:
        pt = [round(float(lon), ndigits), round(float(lat), ndigits)]
        if not out or out[-1] != pt:
            out.append(pt)
    if len(out) > 1 and out[0] != out[-1]:
        out.append(out[0])
    return out


def _round_geometry(geom: dict[str, Any], ndigits: int) -> dict[str, Any] | None:
    kind = geom.get("type")
    coords = geom.get("coordinates") or []
    if kind == "Polygon":
        rings = [_round_ring(r, ndigits) for r in coords]
        polys = [rings] if rings and len(rings[0]) >= 4 else []
    elif kind == "MultiPolygon":
        polys = [[_round_ring(r, ndigits) for r in p] for p in coords]
        polys = [p for p in polys if p and len(p[0]) >= 4]
    else:
        return None
    if not polys:
        return None
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def _build_outlines(ndigits: int) -> dict[str, Any]:
    import countryinfo

    data_dir = Path(countryinfo.__file__).with_name("data")
    features: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in sorted(data_dir.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        iso = ((record.get("ISO") or {}).get("alpha2") or "").upper()
        collection = record.get("geoJSON") or {}
        if not iso or iso in seen or not collection.get("features"):
            continue
        seen.add(iso)
        for feature in collection["features"]:
            geom = _round_geometry(feature.get("geometry") or {}, ndigits)
            if geom is not None:
                props = {"iso": iso, "name": str(record.get("name") or iso)}
                features.append({"type": "Feature", "properties": props, "geometry": geom})
    logger.info("built %d country outlines from %s", len(features), data_dir)
    return {"type": "FeatureCollection", "features": features}


def country_outlines(*, ndigits: int = 2, cache: Path | None = None) -> dict[str, Any]:
    """World country outlines as a GeoJSON ``FeatureCollection`` (about 170 kB).

    Built from the polygons shipped in the ``countryinfo`` package, coordinates rounded to
    ``ndigits`` decimals, and cached as a file under :func:`cache_dir`. A few countries have
    no polygon there (e.g. Hungary, Serbia, Myanmar) and show as gaps.

    Parameters
    ----------
    ndigits
        Decimals kept in each coordinate (2 ≈ 1 km).
    cache
        The cache folder; :func:`cache_dir` when omitted.
    """
    folder = Path(cache) if cache is not None else cache_dir()
    path = folder / f"country-outlines-v{_OUTLINES_VERSION}-{ndigits}.geojson"
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.warning("ignoring unreadable basemap cache %s", path)
    outlines = _build_outlines(ndigits)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(outlines, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home still gets a map
        logger.warning("cannot cache the basemap at %s: %s", path, exc)
    return outlines


def install_outlines(static_dir: Path) -> Path:
    """Write :func:`country_outlines` to ``static_dir/`` :data:`OUTLINES_FILENAME` (when it
    changed), so that the app's maps load the basemap once per browser instead of carrying
    170 kB in every map script (see ``geodata.maps.basemap.base_map(outlines_url=…)``)."""
    return install_json(Path(static_dir) / OUTLINES_FILENAME, country_outlines())


def install_json(dest: Path, data: Any) -> Path:
    """Write ``data`` as compact JSON to ``dest``, unless it already holds that text.

    Rewriting an unchanged file would make every app start look like a new version to the
    browsers' caches; the write goes through a temporary file so that a browser never reads
    half of it.

    Returns
    -------
    Path
        ``dest``.
    """
    dest = Path(dest)
    text = json.dumps(data, separators=(",", ":"))
    if dest.is_file() and dest.read_text(encoding="utf-8") == text:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, dest)
    return dest


# --------------------------------------------------------------------------- maps
