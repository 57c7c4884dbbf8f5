"""Folium map builders that work with no network. Pure Python: no Streamlit here.

By default folium loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs and draws
OpenStreetMap tiles; on a machine without internet that renders an empty map. This module

* copies Leaflet's own files (from the ``xstatic-leaflet`` package) into a folder the web
  server serves (:func:`install_leaflet_assets`) and points the map at them
  (:func:`base_map` with ``asset_url``);
* draws a bundled basemap of country outlines (:func:`country_outlines`, derived once from the
  ``countryinfo`` package and cached on disk) instead of tiles;
* renders place markers with Leaflet alone (GeoJSON + circle markers, no jQuery popups), with
  every text value HTML-escaped (:func:`places_layer`).
"""

from __future__ import annotations

import html
import json
import logging
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import folium

__all__ = [
    "LEAFLET_DIRNAME",
    "MARKER_CLASS",
    "ROLE_COLORS",
    "ROLE_RADIUS",
    "base_map",
    "cache_dir",
    "country_outlines",
    "install_leaflet_assets",
    "leaflet_source_dir",
    "place_features",
    "places_bounds",
    "places_layer",
]

logger = logging.getLogger(__name__)

#: Mention roles, most important first (the same strings as ``extract.article.ROLES``; the
#: data layer takes any record with these attributes and never imports ``extract``).
ROLES = ("literal", "associative", "demonym")
#: A place mention: any object with ``name, lat, lon, kind, country, admin1, role, text``.
Place = Any

#: Marker colour of each place role.
ROLE_COLORS: dict[str, str] = {
    "literal": "#d6336c",
    "associative": "#1c7ed6",
    "demonym": "#f59f00",
}
#: Marker radius (px) of each role: smaller ones are drawn on top, so a place mentioned in
#: several roles shows as concentric dots.
ROLE_RADIUS: dict[str, int] = {"literal": 8, "associative": 6, "demonym": 4}
#: CSS class on every place marker's SVG path (tests and styles find markers by it).
MARKER_CLASS = "dateline-place"
#: Sub-folder of the static folder that holds Leaflet's files.
LEAFLET_DIRNAME = "leaflet"

_LEAFLET_FILES = ("leaflet.js", "leaflet.js.map", "leaflet.css")
_OUTLINES_VERSION = 1
_OCEAN = "#dbe9f4"
_LAND_STYLE = {"fillColor": "#f4f1ea", "fillOpacity": 1.0, "color": "#9a9a9a", "weight": 0.6}
_OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
_OSM_ATTR = "&copy; OpenStreetMap contributors"


def cache_dir() -> Path:
    """``$DATELINE_CACHE``, else ``$XDG_CACHE_HOME/dateline``, else ``~/.cache/dateline``.

    The same folder as the gazetteer's (``geodata.gazetteer.default_cache_dir``).
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
    return dest


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


# --------------------------------------------------------------------------- maps


def base_map(
    *,
    center: Sequence[float] = (30.0, 20.0),
    zoom: int = 2,
    offline: bool = True,
    asset_url: str = "/app/static",
    tiles: bool = False,
    outlines: dict[str, Any] | None = None,
    height: str | int = "100%",
) -> folium.Map:
    """A fresh map: country outlines as the basemap, optionally OSM tiles on top.

    Parameters
    ----------
    center, zoom
        Initial view (``(lat, lon)``).
    offline
        Load Leaflet from ``asset_url`` (see :func:`install_leaflet_assets`) instead of CDNs,
        and drop folium's other CDN assets (jQuery, Bootstrap, Font Awesome), which
        nothing built here needs.
    asset_url
        URL path under which the static folder is served (no trailing slash).
    tiles
        Add OpenStreetMap tiles (needs internet).
    outlines
        The basemap GeoJSON; :func:`country_outlines` when omitted.
    height
        CSS height of the map element.
    """
    m = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        height=height,
        world_copy_jump=True,
        min_zoom=1,
        control_scale=True,
    )
    if offline:
        base = f"{asset_url.rstrip('/')}/{LEAFLET_DIRNAME}"
        # instance attributes shadow folium's class-level CDN lists
        m.default_js = [("leaflet", f"{base}/leaflet.js")]
        m.default_css = [("leaflet_css", f"{base}/leaflet.css")]
    m.get_root().header.add_child(
        folium.Element(f"<style>.leaflet-container {{ background: {_OCEAN}; }}</style>"),
        name="dateline_style",
    )
    folium.GeoJson(
        outlines if outlines is not None else country_outlines(),
        name="Countries",
        style_function=lambda _feature: dict(_LAND_STYLE),
        interactive=False,
        control=False,
        smooth_factor=0.5,
    ).add_to(m)
    if tiles:
        folium.TileLayer(_OSM_URL, attr=_OSM_ATTR, name="OpenStreetMap", max_zoom=19).add_to(m)
    return m


def _place_key(place: Place) -> tuple[Any, ...]:
    ident: Any = place.geonameid if place.geonameid is not None else place.entry_id
    if ident is None:
        ident = (place.name, round(place.lat or 0.0, 4), round(place.lon or 0.0, 4))
    return (ident, place.role)


def place_features(places: Iterable[Place], *, max_mentions: int = 5) -> list[dict[str, Any]]:
    """One GeoJSON point per resolved place and role; unresolved mentions are left out.

    Every string property is HTML-escaped, because Leaflet shows them as HTML. Features come
    in the order literal, associative, demonym (then by first mention), so the smaller markers
    of the later roles are drawn on top.

    Returns
    -------
    list of dict
        Features with properties ``name, kind, country, admin1, role, mentions, count, color``.
    """
    groups: dict[tuple[Any, ...], list[Place]] = {}
    for place in places:
        if place.lat is None or place.lon is None:
            continue
        groups.setdefault(_place_key(place), []).append(place)
    features: list[dict[str, Any]] = []
    for group in groups.values():
        first = group[0]
        texts = list(dict.fromkeys(p.text for p in group))
        shown = ", ".join(f"“{t}”" for t in texts[:max_mentions])
        if len(texts) > max_mentions:
            shown += f" (+{len(texts) - max_mentions})"
        role = first.role if first.role in ROLES else "literal"
        props = {
            "name": first.name,
            "kind": first.kind or "",
            "country": first.country or "",
            "admin1": first.admin1 or "",
            "role": role,
            "mentions": shown,
            "count": str(len(group)),
        }
        props = {k: html.escape(str(v)) for k, v in props.items()}
        props["color"] = ROLE_COLORS[role]
        geometry = {"type": "Point", "coordinates": [float(first.lon), float(first.lat)]}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    features.sort(key=lambda f: ROLES.index(html.unescape(f["properties"]["role"])))
    return features


def places_bounds(places: Iterable[Place]) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of the resolved places, or ``None`` if there are none."""
    pts = [(p.lat, p.lon) for p in places if p.lat is not None and p.lon is not None]
    if not pts:
        return None
    lats, lons = [a for a, _ in pts], [b for _, b in pts]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def places_layer(places: Iterable[Place], *, name: str = "Places") -> folium.FeatureGroup:
    """A feature group with one GeoJSON layer of circle markers, coloured by role.

    Tooltip: the place name. Popup: name, kind, country, region, role and the mention texts.
    """
    features = place_features(places)
    group = folium.FeatureGroup(name=name)
    if not features:
        return group
    collection = {"type": "FeatureCollection", "features": features}
    fields = ["name", "kind", "country", "admin1", "role", "mentions", "count"]
    aliases = ["Place", "Kind", "Country", "Region", "Role", "Mentioned as", "Mentions"]
    folium.GeoJson(
        collection,
        name=name,
        marker=folium.CircleMarker(
            radius=ROLE_RADIUS["literal"], fill=True, className=MARKER_CLASS
        ),
        style_function=lambda f: {
            "color": "#ffffff",
            "weight": 1.5,
            "fillColor": f["properties"]["color"],
            "fillOpacity": 0.95,
            "radius": ROLE_RADIUS[f["properties"]["role"]],
        },
        highlight_function=lambda _f: {"weight": 3, "color": "#222222"},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        popup=folium.GeoJsonPopup(fields=fields, aliases=aliases, localize=False),
    ).add_to(group)
    return group
