"""Exports of a map view: standalone HTML, PNG and GeoJSON. Pure Python: no Streamlit here.

A *view* is what a user looks at: a list of incident rows (``Store.incidents``, or the rows
frozen in a saved snapshot) and a :class:`MapView` (title, period, centre and zoom, layers).

* :func:`view_html` writes one HTML file with Leaflet, Leaflet.markercluster, the country
  outlines, the place labels, the admin-1 boundaries and the incidents inlined, so it opens
  offline from ``file://`` in any browser. A title box (title, period, count, note), a legend
  of event types and an attribution line are drawn on top of the map;
* :func:`render_png` draws that HTML with a headless Chromium (Playwright, the system
  browser; see :func:`find_browser`) into a PNG of the requested size;
* :func:`view_geojson` is an RFC 7946 FeatureCollection of the incidents.

Every text of an article, a title or a note is HTML-escaped before it reaches the page.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import math
import mimetypes
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from branca.element import MacroElement
from folium.template import Template

from geodata.dates import iso_date
from geodata.errors import BrowserUnavailableError, ExportError, InputError
from geodata.maps.assets import (
    LEAFLET_DIRNAME,
    MARKERCLUSTER_CSS,
    MARKERCLUSTER_DIRNAME,
    MARKERCLUSTER_JS,
    leaflet_source_dir,
    markercluster_source_dir,
)
from geodata.view import DateWindow, IncidentFilter

__all__ = [
    "BROWSER_ARGS",
    "CREDITS",
    "check_pixels",
    "export_credits",
    "require_browser",
    "EXPORT_FORMATS",
    "MapView",
    "export_format",
    "find_browser",
    "local_only",
    "no_browser_message",
    "render_png",
    "view_geojson",
    "view_html",
    "write_view",
]

logger = logging.getLogger(__name__)

#: export format → file suffix
EXPORT_FORMATS = {"html": ".html", "png": ".png", "geojson": ".geojson"}
_SUFFIXES = {".html": "html", ".htm": "html", ".png": "png", ".geojson": "geojson"}
_SUFFIXES[".json"] = "geojson"
#: Chromium flags for drawing PNGs (no sandbox: it may run as root in a container).
BROWSER_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_ASSET_BASE = "dateline-asset:"
_CSS_URL = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")
#: Incidents wider than this are still drawn, but the PNG cannot go beyond Chromium's limits.
_MAX_PIXELS = 8000
#: The credits every export carries: GeoNames' CC BY 4.0 asks for attribution of the places'
#: coordinates; the outlines come from the countryinfo package (MIT). Leaflet credits itself
#: in the same line (its attribution prefix).
CREDITS = "Dateline · places © GeoNames (CC BY 4.0) · outlines: countryinfo"


def export_credits(boundaries: Mapping[str, Any] | None = None) -> str:
    """:data:`CREDITS`, and the admin-1 boundaries' own credit when the map draws them
    (``boundaries["credit"]``, see :func:`geodata.maps.boundaries.build_admin1_lines`)."""
    boundaries = boundaries or {}
    credit = str(boundaries.get("credit") or "").strip()
    return f"{CREDITS} · {credit}" if credit and boundaries.get("lines") else CREDITS


_DEFAULT_TITLE = "Dateline incidents"


@dataclass(frozen=True, slots=True)
class MapView:
    """What a view shows and how to draw it: the live map's state as the URL, share links and
    snapshots (saved as :meth:`to_dict`) all carry it.

    Parameters
    ----------
    title
        Shown in the title box and as the page title.
    note
        A longer text under the title (optional).
    start, end
        The date window (inclusive; ``None``: open). ``YYYY-MM-DD`` strings are read as dates.
    filters
        The :class:`~geodata.view.IncidentFilter` of the view but its dates (a mapping of its
        fields is read as one), shown in words.
    center, zoom
        The map's view; fitted to the incidents when ``center`` is ``None``.
    cluster, heat
        Cluster the markers; draw the density grid under them.
    """

    title: str = _DEFAULT_TITLE
    note: str = ""
    start: date | None = None
    end: date | None = None
    filters: IncidentFilter = field(default_factory=IncidentFilter)
    center: tuple[float, float] | None = None
    zoom: int | None = None
    cluster: bool = False
    heat: bool = False

    def __post_init__(self) -> None:
        window = DateWindow(self.start, self.end)
        object.__setattr__(self, "start", window.start)
        object.__setattr__(self, "end", window.end)
        if not isinstance(self.filters, IncidentFilter):
            object.__setattr__(self, "filters", IncidentFilter.from_dict(self.filters or {}))
        object.__setattr__(self, "filters", self.filters.replace(start=None, end=None))

    @property
    def window(self) -> DateWindow:
        return DateWindow(self.start, self.end)

    @property
    def query(self) -> IncidentFilter:
        """The store filter of the view: its filters within its dates."""
        return self.filters.within(self.window)

    @property
    def period(self) -> str:
        """The date window in words (:func:`geodata.dates.period_words`)."""
        return self.window.words

    def describe(self) -> str:
        """The filters in words (empty when none is set)."""
        return self.filters.describe()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (see :meth:`from_dict`)."""
        start, end = self.window.to_strings()
        return {
            "title": self.title,
            "note": self.note,
            "start": start,
            "end": end,
            "filters": self.filters.to_dict(dates=False),
            "center": list(self.center) if self.center else None,
            "zoom": self.zoom,
            "cluster": self.cluster,
            "heat": self.heat,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], **changes: Any) -> MapView:
        """The view saved by :meth:`to_dict` (unknown keys ignored, bad values dropped)."""
        center = data.get("center")
        lat = lon = None
        if isinstance(center, list | tuple) and len(center) == 2:  # not "12": ("1", "2")
            try:
                lat, lon = (float(v) for v in center)
            except (TypeError, ValueError):
                pass
        located = lat is not None and lon is not None and math.isfinite(lat + lon)
        zoom = data.get("zoom")
        filters = data.get("filters")
        values: dict[str, Any] = {
            "title": str(data.get("title") or _DEFAULT_TITLE),
            "note": str(data.get("note") or ""),
            "start": _date_or_none(data.get("start")),
            "end": _date_or_none(data.get("end")),
            "filters": IncidentFilter.from_dict(filters if isinstance(filters, Mapping) else {}),
            "center": (lat, lon) if located else None,
            "zoom": int(zoom)
            if isinstance(zoom, int | float) and not isinstance(zoom, bool) and math.isfinite(zoom)
            else None,
            "cluster": bool(data.get("cluster")),
            "heat": bool(data.get("heat")),
        }
        return cls(**(values | changes))


def _date_or_none(value: Any) -> date | None:
    """A saved date, or ``None`` for a missing or damaged one (the view still opens)."""
    try:
        return iso_date(value, timestamp=True)
    except InputError:
        return None


def export_format(path: str | Path) -> str | None:
    """The export format its file name suggests (``None`` if none does)."""
    return _SUFFIXES.get(Path(path).suffix.lower())


# --- GeoJSON -------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def view_geojson(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The incidents as an RFC 7946 FeatureCollection (``[lon, lat]``; null geometry when an
    incident has no coordinates). Properties are the row's fields, dates as ISO strings."""
    features = []
    for row in rows:
        lat, lon = row.get("lat"), row.get("lon")
        geometry = None
        if lat is not None and lon is not None:
            geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
        props = {k: _plain(v) for k, v in row.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "id": props.get("id"), "properties": props,
                         "geometry": geometry})  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


# --- standalone HTML -----------------------------------------------------------------------------


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path) -> str:
    """A stylesheet with its ``url(images/…)`` references turned into data URIs."""
    text = path.read_text(encoding="utf-8")

    def _image(match: re.Match[str]) -> str:
        image = path.parent / match.group(2)
        return f'url("{_data_uri(image)}")' if image.is_file() else "none"

    return _CSS_URL.sub(_image, text)


def _asset_files(cluster: bool) -> tuple[list[tuple[str, Path]], list[tuple[str, Path]]]:
    """``(js, css)``: the URL each asset has in the rendered map, and its file."""
    leaflet = leaflet_source_dir()
    js = [(f"{_ASSET_BASE}/{LEAFLET_DIRNAME}/leaflet.js", leaflet / "leaflet.js")]
    css = [(f"{_ASSET_BASE}/{LEAFLET_DIRNAME}/leaflet.css", leaflet / "leaflet.css")]
    source = markercluster_source_dir() if cluster else None
    if source is not None:
        base = f"{_ASSET_BASE}/{MARKERCLUSTER_DIRNAME}"
        js.append((f"{base}/{MARKERCLUSTER_JS}", source / MARKERCLUSTER_JS))
        css.extend((f"{base}/{name}", source / name) for name in MARKERCLUSTER_CSS)
    return js, css


def _inline_assets(page: str, *, cluster: bool) -> str:
    js, css = _asset_files(cluster)
    for url, path in js:
        code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        page = page.replace(f'<script src="{url}"></script>', f"<script>{code}</script>")
    for url, path in css:
        style = _inline_css(path).replace("</style", "<\\/style")
        page = page.replace(f'<link rel="stylesheet" href="{url}"/>', f"<style>{style}</style>")
    if _ASSET_BASE in page:  # a folium upgrade changed the tags: never ship a broken file
        raise ExportError("could not inline the map's scripts; the HTML export would not work")
    return page


def _overlay(view: MapView, rows: Sequence[Mapping[str, Any]], *, with_note: bool) -> str:
    """The title box, legend and attribution drawn over the map (all text escaped)."""
    from geodata.maps.incidents import EVENT_COLORS
    from geodata.maps.layers import OTHER_COLOR

    located = sum(1 for r in rows if r.get("lat") is not None and r.get("lon") is not None)
    count = f"{len(rows):,} incident{'s' if len(rows) != 1 else ''}"
    if located != len(rows):
        count += f" ({located:,} on the map)"
    lines = [f'<div class="dl-title">{html.escape(view.title)}</div>']
    meta = f"{view.period} · {count}"
    lines.append(f'<div class="dl-meta">{html.escape(meta)}</div>')
    if view.describe():
        lines.append(f'<div class="dl-meta">{html.escape(view.describe())}</div>')
    if view.note and with_note:
        lines.append(f'<div class="dl-note">{html.escape(view.note)}</div>')
    types = {str(r.get("event_type") or "") for r in rows}
    legend = [
        f'<div><span class="dl-swatch" style="background:{color}"></span>{html.escape(name)}</div>'
        for name, color in EVENT_COLORS.items()
        if name in types
    ]
    if types - set(EVENT_COLORS):
        swatch = f'<span class="dl-swatch" style="background:{OTHER_COLOR}"></span>'
        legend.append(f"<div>{swatch}other</div>")
    legend.append('<div class="dl-k">size: fatalities</div>')
    return (
        f'<div id="dl-titlebox" class="dl-box">{"".join(lines)}</div>'
        f'<div id="dl-legend" class="dl-box">{"".join(legend)}</div>'
    )


_OVERLAY_CSS = """
html, body {width: 100%; height: 100%; margin: 0; padding: 0;}
body .leaflet-container {background: OCEAN;}
.dl-box {position: absolute; z-index: 1000; background: rgba(255,255,255,.93);
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.3); padding: 8px 12px;
  font: 13px/1.35 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #222;}
#dl-titlebox {top: 10px; left: 54px; max-width: 46%;}
#dl-titlebox .dl-title {font-size: 17px; font-weight: 600;}
#dl-titlebox .dl-meta {color: #555;}
#dl-titlebox .dl-note {margin-top: 4px; white-space: pre-wrap; max-height: 8em; overflow: hidden;}
#dl-legend {bottom: 28px; right: 10px;}
#dl-legend .dl-swatch {display: inline-block; width: 11px; height: 11px; border-radius: 50%;
  margin-right: 6px; vertical-align: -1px; border: 1px solid #fff;}
#dl-legend .dl-k {color: #666; margin-top: 2px;}
"""


class _Attribution(MacroElement):
    """A line added to the map's own attribution control (bottom right)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text_json }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "DatelineAttribution"
        # escaped for HTML (Leaflet shows it as HTML), then as JSON safe inside <script>
        self.text_json = json.dumps(html.escape(text)).replace("<", "\\u003c")


def view_html(
    rows: Sequence[Mapping[str, Any]],
    view: MapView | None = None,
    *,
    outlines: dict[str, Any] | None = None,
    boundaries: dict[str, Any] | None = None,
    with_note: bool = False,
    controls: bool = True,
) -> str:
    """A standalone HTML page of the incidents on the map, every asset inlined.

    Parameters
    ----------
    rows
        Incident rows (``Store.incidents``), optionally with ``mention_start``/``mention_end``.
    view
        Title, period, centre, zoom and layers (:class:`MapView`).
    outlines
        The basemap GeoJSON (:func:`geodata.maps.assets.country_outlines` when omitted).
    boundaries
        The admin-1 boundary lines (:func:`geodata.maps.boundaries.builtin_boundaries` when
        omitted: none when no admin-1 polygons are installed); their credit joins the
        credits line.
    with_note
        Show the view's note under the title (off by default: a snapshot's note is private
        until its author chooses to publish it).
    controls
        Keep the zoom buttons (an interactive page); off for pictures (PNG, video frames).

    Raises
    ------
    ExportError
        The map's assets cannot be inlined.
    """
    import folium

    from geodata.maps.basemap import OCEAN, base_map
    from geodata.maps.boundaries import builtin_boundaries
    from geodata.maps.incidents import incident_layer, incidents_bounds

    view = view or MapView()
    if boundaries is None:
        boundaries = builtin_boundaries()
    m = base_map(
        offline=True,
        asset_url=_ASSET_BASE,
        outlines=outlines,
        labels=True,
        boundaries=boundaries,
        markercluster=view.cluster,
        center=view.center or (30.0, 20.0),
        zoom=view.zoom if view.zoom is not None else 2,
    )
    if view.center is None:
        bounds = incidents_bounds(rows)
        if bounds is not None:
            m.fit_bounds(bounds, padding=(40, 40), max_zoom=6)
    incident_layer(rows, cluster=view.cluster, heat=view.heat).add_to(m)
    _Attribution(export_credits(boundaries)).add_to(m)
    root = m.get_root()
    # after Leaflet's own stylesheet once inlined, hence the more specific ocean rule
    css = _OVERLAY_CSS.replace("OCEAN", OCEAN)
    if not controls:
        css += ".leaflet-control-zoom,.dl-fullscreen{display:none}"
    root.header.add_child(folium.Element(f"<style>{css}</style>"), name="dl_overlay")
    root.header.add_child(
        folium.Element(f"<title>{html.escape(view.title)}</title>"), name="dl_title"
    )
    overlay = _overlay(view, rows, with_note=with_note)
    root.html.add_child(folium.Element(overlay), name="dl_overlay_html")
    return _inline_assets(root.render(), cluster=view.cluster)


# --- PNG -----------------------------------------------------------------------------------------


def find_browser() -> Path | None:
    """The Chromium to draw PNGs with: ``$DATELINE_CHROMIUM``, else the first of
    ``chromium``, ``chromium-browser``, ``google-chrome`` on the ``PATH`` (or in /usr/bin)."""
    env = os.environ.get("DATELINE_CHROMIUM")
    if env:
        return Path(env) if Path(env).is_file() else None
    for name in _BROWSER_NAMES:
        found = shutil.which(name) or shutil.which(name, path="/usr/bin")
        if found:
            return Path(found)
    return None


def check_pixels(name: str, value: Any, *, most: int = _MAX_PIXELS) -> int:
    """``value`` as a picture's width or height in pixels (100 to ``most``)."""
    try:
        pixels = int(value)
    except (TypeError, ValueError):
        pixels = -1
    if not 100 <= pixels <= most:
        raise InputError(f"{name} must be a number of pixels between 100 and {most}, not {value!r}")
    return pixels


def require_browser(browser: str | Path | None = None) -> Path:
    """The Chromium to draw with (``browser``, else :func:`find_browser`), with Playwright
    importable; :class:`BrowserUnavailableError` saying what to install otherwise."""
    exe = Path(browser) if browser else find_browser()
    if exe is None or not exe.is_file():
        raise BrowserUnavailableError(no_browser_message())
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise BrowserUnavailableError(
            "the Python package playwright is missing: pip install -r requirements.txt"
        ) from None
    return exe


def no_browser_message() -> str:
    """What to do when no Chromium is found (the PNG and playback exports need one)."""
    env = os.environ.get("DATELINE_CHROMIUM")
    if env:
        return (
            f"DATELINE_CHROMIUM is set to {env}, which is not a file: set it to a Chromium "
            "executable, or unset it and install Chromium (Debian/Ubuntu: "
            "`sudo apt-get install chromium`)"
        )
    return (
        "no Chromium browser found to draw the PNG: install it (Debian/Ubuntu: "
        "`sudo apt-get install chromium`) or set DATELINE_CHROMIUM to its path; "
        "the HTML and GeoJSON exports work without it"
    )


def render_png(
    page_html: str,
    *,
    width: int = 1200,
    height: int = 800,
    browser: str | Path | None = None,
    timeout: float = 60.0,
) -> bytes:
    """Draw a page of :func:`view_html` with headless Chromium; return the PNG's bytes.

    The page is loaded from a temporary ``file://`` URL with every network request blocked,
    and drawn once its incident layer is on the map.

    Raises
    ------
    InputError
        ``width`` or ``height`` is out of range.
    BrowserUnavailableError
        No Chromium (see :func:`find_browser`) or Playwright is installed.
    ExportError
        The browser failed or timed out.
    """
    width, height = check_pixels("width", width), check_pixels("height", height)
    exe = require_browser(browser)
    result: dict[str, Any] = {}

    # Playwright's sync API refuses to run in a thread with an asyncio loop (Streamlit, Jupyter)
    worker = threading.Thread(
        target=_draw, args=(page_html, exe, int(width), int(height), timeout, result), daemon=True
    )
    worker.start()
    worker.join(timeout + 30)
    if worker.is_alive():
        raise ExportError(f"the browser did not draw the map within {timeout:.0f} s")
    if "error" in result:
        raise ExportError(f"the browser could not draw the map: {result['error']}")
    return result["png"]


def _draw(
    page_html: str, exe: Path, width: int, height: int, timeout: float, result: dict[str, Any]
) -> None:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with tempfile.TemporaryDirectory(prefix="dateline-png-") as tmp:
            page_file = Path(tmp) / "map.html"
            page_file.write_text(page_html, encoding="utf-8")
            with sync_playwright() as pw:
                chromium = pw.chromium.launch(
                    executable_path=str(exe), args=list(BROWSER_ARGS), timeout=timeout * 1000
                )
                try:
                    page = chromium.new_page(
                        viewport={"width": width, "height": height}, device_scale_factor=1
                    )
                    page.route("**/*", local_only)
                    page.goto(page_file.as_uri(), timeout=timeout * 1000)
                    page.wait_for_function(
                        "() => window.dateline && window.dateline.incidents",
                        timeout=timeout * 1000,
                    )
                    page.wait_for_timeout(300)  # let Leaflet finish its last frame
                    result["png"] = page.screenshot(type="png", full_page=False)
                finally:
                    chromium.close()
    except PlaywrightError as exc:
        result["error"] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    except Exception as exc:  # noqa: BLE001 - reported to the caller as an ExportError
        logger.debug("PNG export failed", exc_info=True)
        result["error"] = f"{type(exc).__name__}: {exc}"


def local_only(route: Any) -> None:
    """Let ``file:`` and ``data:`` through; nothing of a snapshot may come from the network."""
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


# --- files ---------------------------------------------------------------------------------------


def write_view(
    rows: Sequence[Mapping[str, Any]],
    out: str | Path,
    view: MapView | None = None,
    *,
    format: str | None = None,
    width: int = 1200,
    height: int = 800,
    outlines: dict[str, Any] | None = None,
    with_note: bool = False,
) -> Path:
    """Write the view to ``out`` as HTML, PNG or GeoJSON (from its suffix unless ``format``).

    The file is written under a temporary name and renamed into place, so a failed export
    leaves no half-written file. The view's note is left out unless ``with_note``; a PNG has
    no zoom buttons.

    Raises
    ------
    InputError
        Unknown format, or ``out`` cannot be written.
    BrowserUnavailableError, ExportError
        See :func:`render_png`.
    """
    out = Path(out)
    fmt = (format or export_format(out) or "").lower()
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            f"cannot tell the format of {out.name!r}: use a name ending in .html, .png or .geojson"
        )
    if out.is_dir():
        raise InputError(f"{out} is a directory; give a file name")
    if not out.parent.is_dir():
        raise InputError(f"cannot write {out}: the directory {out.parent} does not exist")
    if fmt == "geojson":
        data = json.dumps(view_geojson(rows), ensure_ascii=False).encode("utf-8")
    else:
        png = fmt == "png"
        page = view_html(rows, view, outlines=outlines, with_note=with_note, controls=not png)
        data = render_png(page, width=width, height=height) if png else page.encode("utf-8")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp_name, out)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    logger.info("wrote %s (%s, %d incidents)", out, fmt, len(rows))
    return out
