"""Leaflet script elements of the maps (pure Python, no Streamlit): one GeoJSON layer of
points or polygons drawn from compact per-feature properties (:class:`PointsLayer`), the
basemap loaded by the browser from a URL (:class:`RemoteOutlines`), the basemap's place
labels (:class:`PlaceLabels`) and its admin-1 boundary lines (:class:`Admin1Lines`). Built by
:mod:`geodata.maps.basemap`; every text in their data is escaped there (or in
:mod:`geodata.maps.labels`) before it arrives here."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from branca.element import Element, MacroElement
from folium.template import Template

__all__ = [
    "ADMIN1_CLASS",
    "Admin1Lines",
    "CANVAS_ABOVE",
    "LABEL_CLASS",
    "OTHER_COLOR",
    "MapControls",
    "MapLegend",
    "PlaceLabels",
    "PointsLayer",
    "Reframe",
    "RemoteOutlines",
    "script_json",
]

#: Colour of an incident whose type is not one of :data:`EVENT_COLORS`.
OTHER_COLOR = "#7f7f7f"
#: Incident layers with more markers than this draw on a canvas instead of SVG (faster).
CANVAS_ABOVE = 3000
#: CSS class of every place label's element (tests and styles find labels by it); each also
#: has ``LABEL_CLASS-<kind>``, the kind one of :data:`geodata.maps.labels.LABEL_KINDS`.
LABEL_CLASS = "dl-label"
#: CSS class of the admin-1 boundary lines' SVG paths (one path per country).
ADMIN1_CLASS = "dl-admin1"


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element and an ``eval``'d string."""
    text = json.dumps(value, separators=(",", ":"))  # ensure_ascii: no U+2028 etc.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# builds an incident's tooltip and popup from its (already escaped) properties
_INCIDENT_JS = """
// markers at one point (several incidents in one town) spread around it on a click, with
// legs to the point, and gather again on a click elsewhere or a zoom
function dlSpiderfy(geo) {
    var spots = {}, shared = 0, open = null, legs = [];
    geo.eachLayer(function (m) {
        var ll = m.getLatLng(), k = ll.lat.toFixed(5) + "," + ll.lng.toFixed(5);
        (spots[k] = spots[k] || []).push(m);
    });
    function close() {
        if (!open) { return; }
        open.forEach(function (m) { m.setLatLng(m._dlHome); });
        legs.forEach(function (l) { l.remove(); });
        legs = [];
        open = null;
    }
    function spread(e) {
        var m = e.target, map = m._map, group = m._dlGroup;
        if (!map || open === group) { return; }
        close();
        var c = map.latLngToLayerPoint(m._dlHome), n = group.length, r = 12 + 5 * n;
        group.forEach(function (x, i) {
            var a = 2 * Math.PI * i / n - Math.PI / 2;
            var ll = map.layerPointToLatLng(L.point(c.x + r * Math.cos(a), c.y + r * Math.sin(a)));
            legs.push(L.polyline([x._dlHome, ll], {color: "#444", weight: 1, opacity: 0.8,
                                                     interactive: false}).addTo(map));
            x.setLatLng(ll);
        });
        open = group;
        map.once("zoomstart", close);
        map.once("click", close);
    }
    Object.keys(spots).forEach(function (k) {
        var group = spots[k];
        if (group.length < 2) { return; }
        shared += 1;
        group.forEach(function (m) {
            m._dlHome = m.getLatLng();
            m._dlGroup = group;
            m.on("click", spread);
        });
    });
    geo.on("remove", close);
    return shared;
}
function dlCount(v) { return (v === null || v === undefined) ? "not stated" : String(v); }
function dlTip(p) {
    return (p.d || "undated") + " · " + p.t + " · " + p.lo + "<span hidden> #" + p.id + "</span>";
}
function dlPopup(p) {
    var place = p.lo + (p.ad ? ", " + p.ad : "") + (p.cc ? ", " + p.cc : "");
    var link = p.u ? '<a href="' + p.u + '" target="_blank" rel="noopener noreferrer">' + p.ti
        + "</a>" : p.ti;
    return '<div class="dl-pop"><div class="dl-h"><span class="dl-dot" style="background:'
        + p.c + '"></span>' + (p.st || p.t) + '</div><div class="dl-k">' + p.t + "</div>"
        + "<div><b>When:</b> " + (p.d || "date unknown")
        + (p.dp ? ' <span class="dl-k">(' + p.dp + ")</span>" : "") + "</div>"
        + "<div><b>Where:</b> " + place
        + (p.gp ? ' <span class="dl-k">(precision ' + p.gp + ")</span>" : "") + "</div>"
        + (p.a ? "<div><b>Actors:</b> " + p.a + "</div>" : "")
        + "<div><b>Fatalities:</b> " + dlCount(p.f) + " · <b>Injured:</b> " + dlCount(p.i)
        + "</div>"
        + ((p.s0 || p.s1 || p.s2) ? "<blockquote>" + p.s0
            + (p.s1 ? "<mark>" + p.s1 + "</mark>" : "") + p.s2 + "</blockquote>" : "")
        + "<div>" + link + (p.n > 1 ? ' <span class="dl-k">(' + p.n + " sources)</span>" : "")
        + '</div><div class="dl-id">Incident #' + p.id + "</div></div>";
}
"""


class _RawScript(Element):
    """A rendered script added to the figure as is (branca would compile it as a template:
    seconds for the megabytes of an incident layer)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class RemoteOutlines(MacroElement):
    """The basemap loaded by the browser from a URL, into its own pane below the markers (and
    above tiles); ``window.dateline.outlines`` is its feature count once drawn."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var pane = map.getPane("dlLand") || map.createPane("dlLand");
            pane.style.zIndex = 350;
            pane.style.pointerEvents = "none";
            var style = {{ this.style_json }};
            style.pane = "dlLand";
            style.interactive = false;
            fetch({{ this.url_json }}).then(function (r) { return r.json(); })
                .then(function (data) {
                    L.geoJson(data, {pane: "dlLand", style: function () { return style; },
                                     interactive: false, smoothFactor: 0.5}).addTo(map);
                    window.dateline = window.dateline || {};
                    window.dateline.outlines = data.features.length;
                })
                .catch(function (err) { console.warn("Dateline: no country outlines", err); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, url: str, style: dict[str, Any]) -> None:
        super().__init__()
        self._name = "DatelineOutlines"
        self.url_json = script_json(url)
        self.style_json = script_json(style)


class PointsLayer(MacroElement):
    """One Leaflet GeoJSON layer drawn from ``features`` with per-feature styles.

    Points become circle markers (radius ``properties.r``, fill ``properties.c``), polygons
    take ``properties.c``/``properties.o`` as fill. The tooltip and the popup are bound once on
    the layer as functions, so 10,000 markers cost no 10,000 popup objects; the tooltip is
    ``properties.tip`` (HTML, already escaped), or for ``kind="incidents"`` built from the
    escaped :func:`incident_properties`, as is the popup. With ``cluster`` the markers go into
    a Leaflet.markercluster group (when loaded, see :func:`base_map`). The script records
    ``window.dateline[kind] = {count, layer}`` and, for incidents, counts its runs in
    ``window.dateline.renders``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var opts = {{ this.options_json }};
            var data = /*dateline-{{ this.kind }}*/{{ this.data_json }};
            {{ this.functions_js }}
            var renderer = (opts.canvasAbove !== null && data.features.length > opts.canvasAbove)
                ? L.canvas({padding: 0.5}) : null;
            var geoOptions = {
                pointToLayer: function (feature, latlng) {
                    var p = feature.properties;
                    var o = {radius: p.r || opts.radius, color: opts.stroke, weight: opts.weight,
                             opacity: opts.opacity, fillColor: p.c || opts.fill,
                             fillOpacity: opts.fillOpacity, className: opts.className,
                             interactive: opts.interactive};
                    if (renderer) { o.renderer = renderer; }
                    return L.circleMarker(latlng, o);
                }
            };
            if (opts.polygons) {
                geoOptions.style = function (feature) {
                    var p = feature.properties;
                    return {color: p.c || opts.stroke, weight: opts.weight, opacity: opts.opacity,
                            fillColor: p.c || opts.fill, fillOpacity: p.o || opts.fillOpacity,
                            className: opts.className, interactive: opts.interactive};
                };
            }
            var geo = L.geoJson(data, geoOptions);
            var shared = (opts.kind === "incidents" && !opts.cluster) ? dlSpiderfy(geo) : 0;
            var layer = geo;
            if (opts.cluster && typeof L.markerClusterGroup === "function") {
                layer = L.markerClusterGroup({showCoverageOnHover: false, chunkedLoading: true,
                                              maxClusterRadius: 45});
                layer.addLayer(geo);
            }
            if (opts.tooltips) {
                layer.bindTooltip(function (l) {
                    var p = l.feature.properties;
                    var span = document.createElement("span");
                    span.innerHTML = p.tip !== undefined ? p.tip : dlTip(p);
                    return span;
                }, {sticky: opts.polygons, direction: "top", opacity: 0.95});
            }
            if (opts.popups) {
                layer.bindPopup(function (l) { return dlPopup(l.feature.properties); },
                                {maxWidth: 380, minWidth: 240, autoPanPaddingTopLeft: [50, 10]});
            }
            layer.addTo({{ this._parent.get_name() }});
            window.dateline = window.dateline || {};
            window.dateline[opts.kind] = {count: data.features.length, layer: layer,
                                          shared: shared};
            if (opts.kind === "incidents") {
                window.dateline.renders = (window.dateline.renders || 0) + 1;
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        features: list[dict[str, Any]],
        *,
        kind: str,
        class_name: str,
        cluster: bool = False,
        tooltips: bool = True,
        popups: bool = False,
        polygons: bool = False,
        interactive: bool = True,
        radius: float = 6.0,
        stroke: str = "#ffffff",
        fill: str = OTHER_COLOR,
        weight: float = 1.2,
        opacity: float = 1.0,
        fill_opacity: float = 0.85,
        canvas_above: int | None = CANVAS_ABOVE,
    ) -> None:
        super().__init__()
        self._name = "DatelinePoints"
        self.kind = re.sub(r"[^a-z]", "", kind.lower()) or "layer"
        self.features = features
        self.functions_js = _INCIDENT_JS if self.kind == "incidents" else ""
        self.data_json = script_json({"type": "FeatureCollection", "features": features})
        self.options_json = script_json(
            {
                "kind": self.kind,
                "className": class_name,
                "cluster": bool(cluster),
                "tooltips": bool(tooltips),
                "popups": bool(popups) and self.kind == "incidents",
                "polygons": bool(polygons),
                "interactive": bool(interactive),
                "radius": radius,
                "stroke": stroke,
                "fill": fill,
                "weight": weight,
                "opacity": opacity,
                "fillOpacity": fill_opacity,
                "canvasAbove": canvas_above,
            }
        )

    def render(self, **kwargs: Any) -> None:
        """Add the script to the figure without compiling it as a template."""
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(_RawScript(script(self, kwargs)), name=self.get_name())


# dark grey text with a white halo: readable over the beige land, the blue sea and the outlines
_LABEL_CSS = (
    ".dl-label span{position:absolute;left:0;top:0;white-space:nowrap;"
    "font:11px/1.2 system-ui,-apple-system,'Segoe UI',sans-serif;color:#333;"
    "text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff;"
    "transform:translate(6px,-50%)}"
    ".dl-label i{position:absolute;left:-2px;top:-2px;width:4px;height:4px;"
    "border-radius:50%;background:#555;box-shadow:0 0 0 1px #fff}"
    ".dl-label-capital span{font-weight:600;color:#222}"
    ".dl-label-capital i{left:-3px;top:-3px;width:4px;height:4px;border:1px solid #222;"
    "background:#fff}"
    ".dl-label-country span{transform:translate(-50%,-50%);font-size:12px;font-weight:600;"
    "letter-spacing:.06em;color:#5a5048}"
    # an area's name, not a point's: centred, spaced capitals, lighter than the towns in it
    ".dl-label-admin1 span{transform:translate(-50%,-50%);font-size:10px;"
    "letter-spacing:.08em;text-transform:uppercase;color:#7d7268}"
)


class PlaceLabels(MacroElement):
    """Place names over the basemap (see :mod:`geodata.maps.labels` for the data).

    Each label is a non-interactive ``divIcon`` marker in the pane ``dlLabels``, above the
    country outlines (z-index 350) and below the markers (the overlay pane, 400). After each
    move or zoom the script redraws, taking the rows in their order (lowest ``minzoom``
    first, the biggest places first within it) and skipping the rows whose ``minzoom`` is
    above the map's zoom, those outside the view and those whose estimated box overlaps a
    label already placed, up to ``max_per_view`` labels; the names of admin-1 areas come in a
    second pass, after every place. The data is inlined (``data``) or fetched from ``url``;
    ``window.dateline.labels`` reports ``{total, shown, zoom}``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var opts = {{ this.options_json }};
            var data = /*dateline-labels*/{{ this.data_json }};
            var KINDS = ["country", "capital", "city", "admin1"];
            var pane = map.getPane("dlLabels") || map.createPane("dlLabels");
            pane.style.zIndex = 380;
            pane.style.pointerEvents = "none";
            var group = L.layerGroup().addTo(map);
            var rows = [];
            var queued = false;
            window.dateline = window.dateline || {};
            // the box a label will take, from its length: measuring the DOM would cost a
            // layout per label
            function box(row, pt) {
                // countries and admin-1 areas are centred on their point; towns start at their dot
                var country = row[4] === 0, area = country || row[4] === 3;
                var w = row[2].length * (country ? 8.2 : area ? 7.8 : 6.6) + 6;
                var h = country ? 16 : 14;
                return area ? [pt.x - w / 2, pt.y - h / 2, pt.x + w / 2, pt.y + h / 2]
                    : [pt.x - 3, pt.y - h / 2, pt.x + 6 + w, pt.y + h / 2];
            }
            function free(b, boxes) {
                for (var j = 0; j < boxes.length; j++) {
                    var o = boxes[j];
                    if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) {
                        return false;
                    }
                }
                return true;
            }
            function draw() {
                queued = false;
                group.clearLayers();
                var zoom = map.getZoom(), view = map.getBounds(), lng0 = map.getCenter().lng;
                var boxes = [], shown = 0;
                // two passes: the names of areas (admin-1) fill the room the places leave, so
                // a city is never hidden by the name of the province around it
                for (var n = 0; n < 2 * rows.length && shown < opts.maxPerView; n++) {
                    var i = n % rows.length, row = rows[i];
                    if (row[3] > zoom) {  // the rows come by minzoom
                        if (n >= rows.length) { break; }
                        n = rows.length - 1;
                        continue;
                    }
                    if ((row[4] === 3) !== (n >= rows.length)) { continue; }
                    // the copy of the world in view (the map wraps around)
                    var lng = row[1] + 360 * Math.round((lng0 - row[1]) / 360);
                    var ll = L.latLng(row[0], lng);
                    if (!view.contains(ll)) { continue; }
                    var b = box(row, map.latLngToContainerPoint(ll));
                    if (!free(b, boxes)) { continue; }
                    boxes.push(b);
                    var kind = KINDS[row[4]] || "city";
                    // the name is HTML-escaped in the data (geodata.maps.labels)
                    var icon = L.divIcon({
                        className: opts.className + " " + opts.className + "-" + kind,
                        html: (kind === "country" || kind === "admin1" ? "" : "<i></i>")
                            + "<span>" + row[2] + "</span>",
                        iconSize: null
                    });
                    L.marker(ll, {icon: icon, pane: "dlLabels", interactive: false,
                                  keyboard: false}).addTo(group);
                    shown++;
                }
                window.dateline.labels = {total: rows.length, shown: shown, zoom: zoom};
            }
            function queue() {
                if (!queued) { queued = true; window.requestAnimationFrame(draw); }
            }
            function start(d) {
                rows = (d && d.labels) || [];
                map.on("zoomend moveend", queue);
                draw();
            }
            if (data) {
                start(data);
            } else {
                fetch(opts.url).then(function (r) { return r.json(); }).then(start)
                    .catch(function (err) { console.warn("Dateline: no place labels", err); });
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict[str, Any] | None = None,
        *,
        url: str | None = None,
        max_per_view: int = 150,
    ) -> None:
        super().__init__()
        if (data is None) == (url is None):
            raise ValueError("PlaceLabels needs either data or a url")
        self._name = "DatelineLabels"
        self.data_json = script_json(data)
        self.options_json = script_json(
            {"url": url, "maxPerView": int(max_per_view), "className": LABEL_CLASS}
        )

    def render(self, **kwargs: Any) -> None:
        """Add the script to the figure without compiling it as a template (a place name
        holding ``{{`` must stay text), and the labels' style to the page's header."""
        root = self.get_root()
        root.header.add_child(_RawScript(f"<style>{_LABEL_CSS}</style>"), name="dl_label_style")
        script = self._template.module.__dict__["script"]
        root.script.add_child(_RawScript(script(self, kwargs)), name=self.get_name())


class Admin1Lines(MacroElement):
    """The lines between the admin-1 areas of each country (see :mod:`geodata.maps.boundaries`
    for the data), thin and grey, drawn only from zoom ``minzoom`` on.

    One non-interactive polyline per country (SVG paths of class :data:`ADMIN1_CLASS`) in the
    pane ``dlAdmin1``, above the land (350) and below the place labels (380). The data is
    inlined (``data``) or fetched from ``url``; ``window.dateline.admin1`` reports
    ``{countries, lines, shown, zoom}``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var opts = {{ this.options_json }};
            var data = /*dateline-admin1*/{{ this.data_json }};
            var pane = map.getPane("dlAdmin1") || map.createPane("dlAdmin1");
            pane.style.zIndex = 360;
            pane.style.pointerEvents = "none";
            var group = L.layerGroup();
            var count = 0;
            window.dateline = window.dateline || {};
            function show() {
                var zoom = map.getZoom(), on = zoom >= opts.minZoom && count > 0;
                if (on && !map.hasLayer(group)) { group.addTo(map); }
                if (!on && map.hasLayer(group)) { group.remove(); }
                window.dateline.admin1 = {countries: group.getLayers().length, lines: count,
                                          shown: on, zoom: zoom};
            }
            // each line is [lat0, lon0, dlat1, dlon1, ...] in 1/scale degrees
            function decode(flat, scale) {
                var lat = 0, lng = 0, out = [];
                for (var i = 0; i + 1 < flat.length; i += 2) {
                    lat += flat[i];
                    lng += flat[i + 1];
                    out.push([lat / scale, lng / scale]);
                }
                return out;
            }
            function start(d) {
                var scale = (d && d.scale) || 100;
                ((d && d.lines) || []).forEach(function (row) {
                    var lines = row.slice(1).map(function (f) { return decode(f, scale); });
                    count += lines.length;
                    L.polyline(lines, {pane: "dlAdmin1", interactive: false, color: opts.color,
                                       weight: opts.weight, opacity: opts.opacity,
                                       dashArray: opts.dash, className: opts.className,
                                       smoothFactor: 1}).addTo(group);
                });
                map.on("zoomend", show);
                show();
            }
            if (data) {
                start(data);
            } else {
                fetch(opts.url).then(function (r) { return r.json(); }).then(start)
                    .catch(function (err) { console.warn("Dateline: no admin-1 lines", err); });
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict[str, Any] | None = None,
        *,
        url: str | None = None,
        min_zoom: int = 5,
        color: str = "#9d948b",
        weight: float = 0.8,
    ) -> None:
        super().__init__()
        if (data is None) == (url is None):
            raise ValueError("Admin1Lines needs either data or a url")
        self._name = "DatelineAdmin1"
        self.data_json = script_json(data)
        self.options_json = script_json(
            {
                "url": url,
                "minZoom": int(min_zoom),
                "className": ADMIN1_CLASS,
                "color": color,
                "weight": weight,
                "opacity": 0.9,
                # dashed: an admin-1 line, not a border between countries (solid)
                "dash": "4 3",
            }
        )

    def render(self, **kwargs: Any) -> None:
        """Add the script to the figure without compiling it as a template (half a megabyte
        of numbers: compiling it would take seconds)."""
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(_RawScript(script(self, kwargs)), name=self.get_name())


class MapControls(MacroElement):
    """How a map in a page behaves: the mouse wheel zooms only after the map is clicked (so a
    page scrolls past it), and stops again when the pointer leaves it; a full-screen button
    (the browser's Fullscreen API, nothing loaded; class ``dl-fullscreen``, hidden in pictures
    with the zoom buttons)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            map.scrollWheelZoom.disable();
            map.on("click", function () { map.scrollWheelZoom.enable(); });
            map.getContainer().addEventListener("mouseleave", function () {
                map.scrollWheelZoom.disable();
            });
            var Full = L.Control.extend({
                options: {position: "topleft"},
                onAdd: function () {
                    var bar = L.DomUtil.create("div", "leaflet-bar leaflet-control dl-fullscreen");
                    var a = L.DomUtil.create("a", "", bar);
                    a.href = "#";
                    a.title = "Full screen";
                    a.setAttribute("role", "button");
                    a.setAttribute("aria-label", "Full screen");
                    // an icon drawn, not a glyph: fonts without U+26F6 showed a box
                    a.innerHTML = '<svg width="14" height="14" viewBox="0 0 14 14" ' +
                        'style="margin-top:7px"><path d="M1 5V1h4M9 1h4v4M13 9v4H9M5 13H1V9" ' +
                        'fill="none" stroke="#333" stroke-width="2"/></svg>';
                    L.DomEvent.on(a, "click", function (e) {
                        L.DomEvent.stop(e);
                        var c = map.getContainer();
                        if (document.fullscreenElement) {
                            document.exitFullscreen();
                        } else if (c.requestFullscreen) {
                            c.requestFullscreen().catch(function () {});
                        }
                    });
                    return bar;
                }
            });
            new Full().addTo(map);
            document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "DatelineMapControls"


class MapLegend(MacroElement):
    """The event types' colours in a box on the map (bottom left), with what marker size
    means; every name HTML-escaped."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var Legend = L.Control.extend({
                options: {position: "bottomleft"},
                onAdd: function () {
                    var box = L.DomUtil.create("div", "leaflet-control dl-map-legend");
                    box.innerHTML = {{ this.html_json }};
                    return box;
                }
            });
            new Legend().addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, colors: dict[str, str], *, note: str = "size: fatalities") -> None:
        super().__init__()
        self._name = "DatelineMapLegend"
        rows = "".join(
            '<div><span style="display:inline-block;width:.7em;height:.7em;border-radius:50%;'
            f'margin-right:.35em;background:{html.escape(color)}"></span>{html.escape(name)}</div>'
            for name, color in colors.items()
        )
        box = (
            '<div style="background:rgba(255,255,255,.9);padding:4px 8px;border-radius:4px;'
            'font:12px/1.4 system-ui,sans-serif;box-shadow:0 1px 3px rgba(0,0,0,.3)">'
            f'{rows}<div style="color:#666">{html.escape(note)}</div></div>'
        )
        self.html_json = script_json(box)


class Reframe(MacroElement):
    """Fit the app's map to ``bounds`` when ``key`` (the filters it was computed for) differs
    from the last one seen, unless the user moved the map since. Part of the marker layer's
    script, so the map is moved, never reloaded; without ``window.map`` (a standalone page)
    it does nothing."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = window.map;
            if (!map) { return; }
            window.dateline = window.dateline || {};
            var f = window.dateline.frame;
            if (!f) {
                f = window.dateline.frame = {key: null, moved: false, fitting: false};
                map.on("zoomstart movestart", function () {
                    if (!f.fitting) { f.moved = true; }
                });
            }
            var key = {{ this.key_json }}, bounds = {{ this.bounds_json }};
            // the first layer keeps the map's own frame (every incident) unless filtered
            var first = f.key === null;
            if (f.key === key || (first && !{{ this.active_json }})) { f.key = key; return; }
            f.key = key;
            if (f.moved || !bounds) { return; }
            f.fitting = true;
            map.fitBounds(bounds, {padding: [24, 24], maxZoom: 6, animate: false});
            f.fitting = false;
            f.fits = (f.fits || 0) + 1;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]] | None, *, key: str, active: bool = True) -> None:
        super().__init__()
        self._name = "DatelineReframe"
        self.bounds_json = script_json(bounds)
        self.key_json = script_json(key)
        self.active_json = script_json(bool(active))
