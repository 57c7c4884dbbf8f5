"""Incidents on the map: store rows as ONE GeoJSON layer of circle markers coloured by event
type and sized by fatalities, optionally clustered with Leaflet.markercluster (served locally
too), with a server-side density grid as the "heat map" and a faint layer of places without
incidents (:func:`incident_layer`, :func:`density_grid`). Pure Python: no Streamlit here.

Every string that comes from an article is HTML-escaped here before it can reach Leaflet,
which shows tooltips and popups as HTML.
"""

from __future__ import annotations

import html
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import folium

from geodata.maps.layers import CANVAS_ABOVE, OTHER_COLOR, PointsLayer
from geodata.normalize import name_key

__all__ = [
    "place_name",
    "CELL_CLASS",
    "EVENT_COLORS",
    "FAINT_CLASS",
    "INCIDENT_CLASS",
    "density_grid",
    "event_color",
    "faint_place_features",
    "fatality_radius",
    "find_mention",
    "grid_cell_size",
    "highlight_html",
    "incident_features",
    "incident_layer",
    "incident_properties",
    "incidents_bounds",
    "safe_url",
    "tooltip_incident_id",
]

logger = logging.getLogger(__name__)

#: Marker colour of each ACLED event type (``extract.events.codebook.EVENT_TYPES``).
EVENT_COLORS: dict[str, str] = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4",
}
#: CSS class of every incident marker's SVG path (tests find markers by it).
INCIDENT_CLASS = "dateline-incident"
#: CSS class of the faint markers of places without incidents.
FAINT_CLASS = "dateline-faint"
#: CSS class of the density-grid cells ("heat map").
CELL_CLASS = "dateline-cell"


_GEO_PRECISION = {
    1: "town or district",
    2: "near a town / part of a region",
    3: "region or country",
}
_HEAT_COLORS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
_GRID_STEPS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
_TOOLTIP_ID = re.compile(r"#([A-Za-z0-9_-]+)\s*$")
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f\"'<>\\`]")


def event_color(event_type: str | None) -> str:
    """The marker colour of an event type (:data:`OTHER_COLOR` for an unknown one)."""
    return EVENT_COLORS.get(event_type or "", OTHER_COLOR)


def fatality_radius(fatalities: int | None) -> float:
    """Marker radius in pixels: 6 when no death is reported, growing with √fatalities to 24."""
    if not fatalities or fatalities <= 0:
        return 6.0
    return round(min(6.0 + 3.0 * math.sqrt(fatalities), 24.0), 1)


def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL that can be put in an attribute, else ``None``.

    ``javascript:``, ``data:`` and other schemes, relative links and URLs with quotes, angle
    brackets, spaces or control characters are refused. Still escape the result for HTML.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _UNSAFE_URL_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def highlight_html(text: str, spans: Iterable[Sequence[Any]], *, tag: str = "mark") -> str:
    """``text`` as HTML with the given spans wrapped in ``<mark>``; everything is escaped.

    Parameters
    ----------
    text
        Plain text (from an article: it is escaped here, before any markup is added).
    spans
        ``(start, end)``, ``(start, end, css_class)`` or ``(start, end, css_class, title)``
        offsets into ``text``. Overlapping spans are clipped (the earlier one wins); spans
        outside the text are ignored.
    tag
        The element wrapped around each span.
    """
    out: list[str] = []
    pos = 0
    ordered = sorted((tuple(s) for s in spans), key=lambda s: (int(s[0]), -int(s[1])))
    for span in ordered:
        start, end = max(int(span[0]), pos), min(int(span[1]), len(text))
        if end <= start:
            continue
        attrs = ""
        if len(span) > 2 and span[2]:
            attrs += f' class="{html.escape(str(span[2]))}"'
        if len(span) > 3 and span[3]:
            attrs += f' title="{html.escape(str(span[3]))}"'
        out.append(html.escape(text[pos:start]))
        out.append(f"<{tag}{attrs}>{html.escape(text[start:end])}</{tag}>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def find_mention(sentence: str, location: str | None) -> tuple[int, int] | None:
    """Where ``location`` (a gazetteer name) is written in ``sentence``, if it can be found.

    Case-insensitive; a one-word name also matches a spelling variant that shares all but its
    last two letters ("Zaporizhzhya" ~ "Zaporizhzhia").
    """
    if not location or not sentence:
        return None
    found = re.search(rf"(?<!\w){re.escape(location)}(?!\w)", sentence, re.IGNORECASE)
    if found:
        return found.span()
    if " " in location.strip() or len(location) < 6:
        return None
    stem = re.escape(location[: max(5, len(location) - 2)])
    found = re.search(rf"(?<!\w){stem}\w*", sentence, re.IGNORECASE)
    return found.span() if found else None


def _esc(value: Any) -> str:
    """Text content, HTML-escaped (quotes need no escaping outside attributes)."""
    return "" if value is None else html.escape(str(value), quote=False)


def _int_or_none(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _mention_span(row: Mapping[str, Any], sentence: str) -> tuple[int, int] | None:
    start, end = row.get("mention_start"), row.get("mention_end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(sentence):
        return start, end
    return find_mention(sentence, row.get("location"))


def place_name(row: Mapping[str, Any]) -> str:
    """The incident's place as the article wrote it, with the gazetteer's name beside it when
    they differ ("Zaporizhzhia (Zaporizhzhya)"); the gazetteer's name alone otherwise."""
    location = str(row.get("location") or "")
    sentence = str(row.get("sentence") or "")
    start, end = row.get("mention_start"), row.get("mention_end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(sentence)):
        return location
    said = sentence[start:end].strip()
    if not said or not location or name_key(said) == name_key(location):
        return location or said
    return f"{said} ({location})"


def _date_detail(row: Mapping[str, Any]) -> str:
    precision = row.get("date_precision") or "unknown"
    lo, hi = row.get("date_start"), row.get("date_end")
    if lo and hi and lo != hi:
        return f"{precision}: {lo} – {hi}"
    return str(precision)


def incident_properties(row: Mapping[str, Any]) -> dict[str, Any]:
    """The GeoJSON properties of one incident, every text HTML-escaped.

    Compact keys (the map's script builds the tooltip and popup from them): ``id``; ``c``
    colour; ``r`` radius; ``d`` date, ``dp`` its precision and range; ``t`` event type, ``st``
    sub-type; ``lo`` place, ``ad`` admin-1 area, ``cc`` country, ``gp`` geo precision (text);
    ``a`` actors; ``f``/``i`` fatalities/injured (int or null); ``s0``/``s1``/``s2`` the
    sentence before, at and after the place mention (``s1`` is shown in ``<mark>``); ``ti``
    article title; ``u`` http(s) link (escaped for an attribute) or ""; ``n`` sources.
    """
    sentence = str(row.get("sentence") or "")
    span = _mention_span(row, sentence) or (len(sentence), len(sentence))
    gp = row.get("geo_precision")
    gp_label = _GEO_PRECISION.get(gp) if isinstance(gp, int) else None
    actors = " vs ".join(str(a) for a in (row.get("actor1"), row.get("actor2")) if a)
    url = safe_url(row.get("url"))
    admin1 = row.get("admin1")
    return {
        "id": _esc(row.get("id")),
        "c": event_color(row.get("event_type")),
        "r": fatality_radius(_int_or_none(row.get("fatalities"))),
        "d": _esc(row.get("date") or ""),
        "dp": _esc(_date_detail(row)) if row.get("date") else "",
        "t": _esc(row.get("event_type") or ""),
        "st": _esc(row.get("sub_event_type") or ""),
        "lo": _esc(place_name(row) or "unknown place"),
        "ad": _esc(admin1) if admin1 and admin1 != row.get("location") else "",
        "cc": _esc(row.get("country") or ""),
        "gp": f"{gp}: {gp_label}" if gp_label else "",
        "a": _esc(actors),
        "f": _int_or_none(row.get("fatalities")),
        "i": _int_or_none(row.get("injured")),
        "s0": _esc(sentence[: span[0]]),
        "s1": _esc(sentence[span[0] : span[1]]),
        "s2": _esc(sentence[span[1] :]),
        "ti": _esc(row.get("title") or "untitled article"),
        "u": html.escape(url, quote=True) if url else "",
        "n": _int_or_none(row.get("n_sources")) or 1,
    }


def tooltip_incident_id(tooltip: str | None) -> str | None:
    """The incident id in a clicked marker's tooltip text ("date · type · place #id"; the id
    is in a hidden span, see the map script), or ``None``."""
    if not tooltip:
        return None
    found = _TOOLTIP_ID.search(str(tooltip))
    return found.group(1) if found else None


def incident_features(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One GeoJSON point per incident with coordinates (rows of ``Store.incidents``).

    Properties: see :func:`incident_properties`. Rows may carry ``mention_start`` and
    ``mention_end``: where the place is written in the sentence; without them the place name
    is looked for in the sentence.
    """
    features: list[dict[str, Any]] = []
    for row in rows:
        lat, lon = row.get("lat"), row.get("lon")
        if lat is None or lon is None:
            continue
        geometry = {"type": "Point", "coordinates": [round(float(lon), 5), round(float(lat), 5)]}
        features.append(
            {"type": "Feature", "properties": incident_properties(row), "geometry": geometry}
        )
    return features


def incidents_bounds(rows: Iterable[Mapping[str, Any]]) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of the incidents with coordinates, or ``None``."""
    pts = [
        (r["lat"], r["lon"]) for r in rows if r.get("lat") is not None and r.get("lon") is not None
    ]
    if not pts:
        return None
    lats, lons = [a for a, _ in pts], [b for _, b in pts]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)


def faint_place_features(places: Iterable[Any]) -> list[dict[str, Any]]:
    """Faint points for places (dicts or :class:`geodata.records.Place`-like objects): one per
    distinct name and position, with an escaped tooltip "name · mentioned N×, no incident"."""
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for place in places:
        lat, lon = _get(place, "lat"), _get(place, "lon")
        if lat is None or lon is None:
            continue
        key = (_get(place, "name"), round(float(lat), 4), round(float(lon), 4))
        groups.setdefault(key, []).append(place)
    features = []
    for (name, lat, lon), group in groups.items():
        n = len(group)
        tip = f"{_esc(name)} · mentioned {n}× · no incident"
        props = {"tip": tip, "name": _esc(name)}
        geometry = {"type": "Point", "coordinates": [lon, lat]}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return features


def grid_cell_size(rows: Sequence[Mapping[str, Any]], *, target: int = 40) -> float:
    """A cell size in degrees giving about ``target`` cells across the incidents' extent."""
    bounds = incidents_bounds(rows)
    if bounds is None:
        return 1.0
    (s, w), (n, e) = bounds
    span = max(n - s, e - w, 1e-9)
    return next((step for step in _GRID_STEPS if span / step <= target), _GRID_STEPS[-1])


def density_grid(
    rows: Iterable[Mapping[str, Any]], *, cell: float | None = None
) -> list[dict[str, Any]]:
    """The "heat map": incidents counted per square cell of ``cell`` degrees, as GeoJSON
    polygons coloured from yellow (few) to dark red (most), computed here on the server.

    Parameters
    ----------
    rows
        Incidents (only ``lat``/``lon`` are used).
    cell
        The cell size in degrees; by default :func:`grid_cell_size` of the rows.

    Returns
    -------
    list of dict
        Features with properties ``n`` (count), ``c`` (colour), ``o`` (fill opacity), ``tip``.
    """
    rows = [r for r in rows if r.get("lat") is not None and r.get("lon") is not None]
    if not rows:
        return []
    size = float(cell) if cell else grid_cell_size(rows)
    counts: dict[tuple[int, int], int] = {}
    for r in rows:
        key = (math.floor(float(r["lat"]) / size), math.floor(float(r["lon"]) / size))
        counts[key] = counts.get(key, 0) + 1
    top = max(counts.values())
    features = []
    for (i, j), n in sorted(counts.items()):
        level = min(int(len(_HEAT_COLORS) * math.sqrt(n / top)), len(_HEAT_COLORS) - 1)
        s, w = round(i * size, 6), round(j * size, 6)
        n_, e = round(s + size, 6), round(w + size, 6)
        ring = [[w, s], [e, s], [e, n_], [w, n_], [w, s]]
        props = {
            "n": n,
            "c": _HEAT_COLORS[level],
            "o": round(0.35 + 0.4 * level / (len(_HEAT_COLORS) - 1), 2),
            "tip": f"{n} incident{'s' if n != 1 else ''} in this {size:g}° cell",
        }
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return features


def incident_layer(
    rows: Sequence[Mapping[str, Any]],
    *,
    cluster: bool = False,
    heat: bool = False,
    faint_places: Iterable[Any] | None = None,
    canvas_above: int | None = CANVAS_ABOVE,
    name: str = "Incidents",
) -> folium.FeatureGroup:
    """The incidents of a view as one feature group, for ``st_folium(feature_group_to_add=…)``.

    Parameters
    ----------
    rows
        Incident rows (``Store.incidents``), optionally with ``mention_start``/``mention_end``.
    cluster
        Cluster the markers with Leaflet.markercluster (load it with ``base_map(markercluster=
        True)``).
    heat
        Draw the density grid (:func:`density_grid`) under the markers.
    faint_places
        Places mentioned without an incident (see :func:`faint_place_features`), drawn as small
        grey dots under everything else.
    canvas_above
        Draw on a canvas instead of SVG when there are more markers than this.

    Returns
    -------
    folium.FeatureGroup
        Holding, in drawing order: the grid cells, the faint places, the incident markers
        (one GeoJSON layer, :class:`PointsLayer`).
    """
    group = folium.FeatureGroup(name=name)
    if heat:
        PointsLayer(
            density_grid(rows),
            kind="cells",
            class_name=CELL_CLASS,
            polygons=True,
            stroke="#bd0026",
            weight=0.4,
            opacity=0.4,
            canvas_above=None,
        ).add_to(group)
    if faint_places is not None:
        PointsLayer(
            faint_place_features(faint_places),
            kind="faint",
            class_name=FAINT_CLASS,
            radius=3.5,
            stroke="#6c757d",
            fill="#adb5bd",
            weight=0.8,
            opacity=0.6,
            fill_opacity=0.45,
            canvas_above=canvas_above,
        ).add_to(group)
    PointsLayer(
        incident_features(rows),
        kind="incidents",
        class_name=INCIDENT_CLASS,
        cluster=cluster,
        popups=True,
        canvas_above=canvas_above,
    ).add_to(group)
    return group
