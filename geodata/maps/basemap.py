"""The offline base map and the place layer. Pure Python: no Streamlit here.

By default folium loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs and draws
OpenStreetMap tiles; on a machine without internet that renders an empty map. This module
points the map at Leaflet's own files, served locally (:mod:`geodata.maps.assets`), draws a
bundled basemap of country outlines instead of tiles (:func:`base_map`), labelled with place
names from the gazetteer when asked (:mod:`geodata.maps.labels`), with the lines between
states and provinces from installed data (:mod:`geodata.maps.boundaries`), and renders place
markers with Leaflet alone (GeoJSON + circle markers, no jQuery popups), with every text value
HTML-escaped (:func:`places_layer`). The incident markers are :mod:`geodata.maps.incidents`.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Sequence
from typing import Any

import folium

from geodata.errors import DatelineError
from geodata.maps.assets import (
    LEAFLET_DIRNAME,
    MARKERCLUSTER_CSS,
    MARKERCLUSTER_DIRNAME,
    MARKERCLUSTER_JS,
    country_outlines,
)
from geodata.maps.boundaries import ADMIN1_MINZOOM, builtin_boundaries
from geodata.maps.layers import Admin1Lines, MapControls, PlaceLabels, RemoteOutlines
from geodata.records import ROLES, Place

__all__ = [
    "MARKER_CLASS",
    "OCEAN",
    "ROLE_COLORS",
    "ROLE_RADIUS",
    "base_map",
    "place_features",
    "places_bounds",
    "places_layer",
]

logger = logging.getLogger(__name__)

#: The incident popups' style, set once in the page header.
_POPUP_CSS = (
    ".dl-pop{font:13px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif}"
    ".dl-pop .dl-h{font-weight:600;font-size:14px}"
    ".dl-pop .dl-dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;"
    "margin-right:.35em;vertical-align:baseline}"
    ".dl-pop .dl-k{color:#666}"
    ".dl-pop blockquote{margin:.4em 0;padding:.15em .5em;border-left:3px solid #ccc;color:#333}"
    ".dl-pop mark{background:#ffe066;padding:0 .1em}"
    ".dl-pop .dl-id{color:#999;font-size:11px;margin-top:.25em}"
    # the density grid's cells soften into a heat map instead of blocky rectangles
    "path.dateline-cell{filter:blur(5px)}"
)


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
#: Sub-folder of the static folder that holds Leaflet.markercluster's files.

_MARKERCLUSTER_CDN = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.4.1"
#: Colour of the sea (the map's background under the country outlines).
OCEAN = "#dbe9f4"
_LAND_STYLE = {"fillColor": "#f4f1ea", "fillOpacity": 1.0, "color": "#9a9a9a", "weight": 0.6}
#: The Leaflet pane of the country outlines (see :class:`geodata.maps.layers.RemoteOutlines`).
_LAND_PANE = "dlLand"
_OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
_OSM_ATTR = "&copy; OpenStreetMap contributors"


def base_map(
    *,
    center: Sequence[float] = (30.0, 20.0),
    zoom: int = 2,
    offline: bool = True,
    asset_url: str = "/app/static",
    tiles: bool = False,
    outlines: dict[str, Any] | None = None,
    height: str | int = "100%",
    markercluster: bool = False,
    outlines_url: str | None = None,
    labels: dict[str, Any] | bool | None = None,
    labels_url: str | None = None,
    boundaries: dict[str, Any] | bool | None = None,
    boundaries_url: str | None = None,
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
    outlines_url
        Load the basemap from this URL in the browser instead (see
        :func:`geodata.maps.assets.install_outlines`): the map's script stays small, which makes
        every Streamlit rerun cheaper. ``outlines`` is then ignored.
    labels
        Place labels to draw over the basemap, inlined in the page: their data, or ``True``
        for :func:`geodata.maps.labels.place_labels` (left out, with a warning, when the
        gazetteer they come from cannot be read); none when omitted, nor with ``tiles``
        (which have their own).
    labels_url
        Load the place labels from this URL in the browser instead (see
        :func:`geodata.maps.labels.install_labels`). ``labels`` is then ignored.
    boundaries
        Admin-1 boundary lines to draw from zoom
        :data:`~geodata.maps.boundaries.ADMIN1_MINZOOM` on, inlined in the page: their data,
        or ``True`` for :func:`geodata.maps.boundaries.admin1_boundaries` (left out when no
        admin-1 polygons are installed, with a warning when they cannot be read); none when
        omitted, nor with ``tiles`` (which draw their own).
    boundaries_url
        Load the boundary lines from this URL in the browser instead (see
        :func:`geodata.maps.boundaries.install_admin1`). ``boundaries`` is then ignored.
    height
        CSS height of the map element.
    markercluster
        Also load Leaflet.markercluster (from ``asset_url`` when offline, see
        :func:`install_markercluster_assets`), so that :func:`incident_layer` can cluster.
        Loaded with the map, so switching clustering on later does not reload it.
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
    # folium passes min/max zoom to its default tile layer only; Leaflet.markercluster needs
    # the map's own maxZoom
    m.options.update(min_zoom=1, max_zoom=18)
    if offline:
        base = f"{asset_url.rstrip('/')}/{LEAFLET_DIRNAME}"
        # instance attributes shadow folium's class-level CDN lists
        m.default_js = [("leaflet", f"{base}/leaflet.js")]
        m.default_css = [("leaflet_css", f"{base}/leaflet.css")]
        if markercluster:
            cbase = f"{asset_url.rstrip('/')}/{MARKERCLUSTER_DIRNAME}"
            m.default_js.append(("markercluster", f"{cbase}/{MARKERCLUSTER_JS}"))
            m.default_css.extend((name, f"{cbase}/{name}") for name in MARKERCLUSTER_CSS)
    elif markercluster:
        m.default_js = [
            *m.default_js,
            ("markercluster", f"{_MARKERCLUSTER_CDN}/{MARKERCLUSTER_JS}"),
        ]
        m.default_css = [
            *m.default_css,
            *((name, f"{_MARKERCLUSTER_CDN}/{name}") for name in MARKERCLUSTER_CSS),
        ]
    m.get_root().header.add_child(
        folium.Element(f"<style>.leaflet-container {{ background: {OCEAN}; }}{_POPUP_CSS}</style>"),
        name="dateline_style",
    )
    # with tiles, the land is drawn as outlines only, so that the tiles show
    land = dict(_LAND_STYLE, fillOpacity=0.0) if tiles else dict(_LAND_STYLE)
    if outlines_url:
        RemoteOutlines(outlines_url, land).add_to(m)
    else:
        # the land's own pane, as RemoteOutlines draws it: below the place labels' pane (380)
        # and the markers' (the overlay pane, 400), whichever way the outlines arrive
        folium.map.CustomPane(_LAND_PANE, z_index=350, pointer_events=False).add_to(m)
        folium.GeoJson(
            outlines if outlines is not None else country_outlines(),
            name="Countries",
            style_function=lambda _feature: dict(land),
            interactive=False,
            control=False,
            smooth_factor=0.5,
            pane=_LAND_PANE,
        ).add_to(m)
    # OpenStreetMap's tiles carry their own names and boundaries: no second set over them
    if boundaries_url and not tiles:
        Admin1Lines(url=boundaries_url, min_zoom=ADMIN1_MINZOOM).add_to(m)
    elif boundaries is not None and boundaries is not False and not tiles:
        lines = builtin_boundaries() if boundaries is True else boundaries
        if lines is not None:
            Admin1Lines(lines, min_zoom=ADMIN1_MINZOOM).add_to(m)
    if labels_url and not tiles:
        PlaceLabels(url=labels_url).add_to(m)
    elif labels is not None and labels is not False and not tiles:
        data = _builtin_labels() if labels is True else labels
        if data is not None:
            PlaceLabels(data).add_to(m)
    if tiles:
        folium.TileLayer(_OSM_URL, attr=_OSM_ATTR, name="OpenStreetMap", max_zoom=19).add_to(m)
    MapControls().add_to(m)  # wheel zoom after a click; full screen
    return m


def _builtin_labels() -> dict[str, Any] | None:
    from geodata.maps.labels import place_labels

    try:
        return place_labels()
    except DatelineError as exc:  # a map without names beats no map (or no export)
        logger.warning("no place labels on the map: %s", exc)
        return None


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
