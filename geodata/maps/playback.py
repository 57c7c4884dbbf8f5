"""Playback exports: a map view stepping through a date range as an animated GIF, an MP4 or a
WebM, drawn offline with the system Chromium. Pure Python: no Streamlit here.

One page of :func:`geodata.maps.snapshot.view_html` holds every incident of the whole range
(so the map is framed once, the legend lists every type that appears, and the attribution
is the snapshots' one); :func:`frames` opens it ONCE in headless Chromium and, for each step,
only shows the markers of that step's window (a JavaScript call flips the markers already on
the page: nothing is re-sent or re-built), updates the big date stamp and the title box, waits
for two animation frames and takes a screenshot. :func:`write_playback` encodes the frames:
GIF with Pillow (one shared palette, unchanged pixels transparent), MP4 (H.264) and WebM (VP9)
with the ffmpeg binary that the ``imageio-ffmpeg`` wheel ships (or ``$DATELINE_FFMPEG``, or
an ``ffmpeg`` on the ``PATH``).

The steps (:func:`frame_windows`) are days, weeks or calendar-length months counted from the
start date; the last one ends on the end date. A *rolling* playback shows the incidents of
each step alone, a *cumulative* one everything from the start up to the step's end.
"""

from __future__ import annotations

import logging
import math
import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from geodata.dates import iso_date
from geodata.errors import ExportError, InputError
from geodata.maps.encoding import VideoWriter, write_gif
from geodata.maps.frame_plan import (
    FrameWindow,
    frame_caption,
    frame_stamp,
    frame_windows,
)
from geodata.view import DateWindow

__all__ = [
    "PLAYBACK_FORMATS",
    "Frame",
    "Playback",
    "frames",
    "playback_format",
    "playback_html",
    "playback_rows",
    "write_playback",
]

logger = logging.getLogger(__name__)

#: playback format → file suffix
PLAYBACK_FORMATS = {"gif": ".gif", "mp4": ".mp4", "webm": ".webm"}
#: More incidents than this in the range would make a page too heavy to flip per frame.
MAX_INCIDENTS = 100_000
_MAX_FPS = 30.0


# The frame's stamp, over the map's top right corner, and the page's frame switch. The
# markers of the whole range are already on the page (built once by the incident layer), so
# a frame only removes and re-adds the ones whose in-window state changed.
_PLAYBACK_CSS = """
#dl-stamp {top: 10px; right: 10px; font-size: 30px; font-weight: 700; line-height: 1.15;
  padding: 6px 14px; font-variant-numeric: tabular-nums; color: #111;}
@media (max-width: 720px) {#dl-stamp {font-size: 20px;}}
"""
_PLAYBACK_JS = """
window.dlPlayFrame = function (lo, hi, stamp, caption, cells) {
    var d = window.dateline, layer = d.incidents.layer;
    if (!d.dlMarkers) {
        d.dlMarkers = layer.getLayers();
        d.dlMarkers.forEach(function (m) { m._dlOn = true; });
        // a frame is drawn at once: markercluster's chunks would land after the screenshot
        if (layer.options) { layer.options.chunkedLoading = false; }
    }
    var on = [], off = [], shown = 0;
    d.dlMarkers.forEach(function (m) {
        var day = m.feature.properties.d;
        var want = day >= lo && day <= hi;
        if (want) { shown += 1; }
        if (want !== m._dlOn) { (want ? on : off).push(m); m._dlOn = want; }
    });
    if (layer.removeLayers) { layer.removeLayers(off); layer.addLayers(on); }
    else {
        off.forEach(function (m) { layer.removeLayer(m); });
        on.forEach(function (m) { layer.addLayer(m); });
    }
    d.incidents.count = shown;
    if (cells !== null && d.cells) { d.cells.layer.clearLayers(); d.cells.layer.addData(cells); }
    document.getElementById("dl-stamp").textContent = stamp;
    var meta = document.querySelector("#dl-titlebox .dl-meta");
    if (meta) { meta.textContent = caption; }
    // what the page shows, read back: the frame records it (and the tests check it)
    d.frame = {lo: lo, hi: hi, shown: shown, stamp: document.getElementById("dl-stamp").textContent,
               caption: meta ? meta.textContent : ""};
    // two animation frames: Leaflet redraws its canvas on the first, the page paints after
    return new Promise(function (done) {
        requestAnimationFrame(function () {
            requestAnimationFrame(function () { done(d.frame); });
        });
    });
};
"""


@dataclass(frozen=True, slots=True)
class Frame:
    """A drawn frame: its window, the stamp and caption and the number of markers the page
    showed when it was drawn (read back from the page), and the screenshot (PNG bytes)."""

    window: FrameWindow
    stamp: str
    caption: str
    count: int
    png: bytes


@dataclass(frozen=True, slots=True)
class Playback:
    """What :func:`write_playback` wrote."""

    path: Path
    format: str
    frames: int
    incidents: int
    bytes: int
    seconds: float


def playback_format(path: str | Path) -> str | None:
    """The playback format its file name suggests (``None`` if none does)."""
    suffix = Path(path).suffix.lower()
    return next((fmt for fmt, ext in PLAYBACK_FORMATS.items() if ext == suffix), None)


def _row_day(row: Mapping[str, Any]) -> str | None:
    """A row's date as ``YYYY-MM-DD`` (rows of the store carry strings, others may not)."""
    value = row.get("date")
    if value is None or value == "":
        return None
    try:
        day = iso_date(value, timestamp=True)
    except InputError:
        return None
    return day.isoformat() if day else None


def playback_rows(
    store_or_rows: Any,
    view: Any = None,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    limit: int = MAX_INCIDENTS,
) -> tuple[list[dict[str, Any]], date, date]:
    """The dated incidents of a playback, oldest first, and its range.

    ``store_or_rows`` is a :class:`~geodata.store.event_store.Store` (asked for the view's
    filters within the range) or incident rows (kept when dated within the range). The range
    is ``start``/``end``, else the view's dates, else the incidents' first and last dates.

    Raises
    ------
    InputError
        No date range can be told, or more than ``limit`` incidents.
    """
    from geodata.maps.snapshot import MapView

    view = view or MapView()
    lo = iso_date(start, what="start date") if start else view.start
    hi = iso_date(end, what="end date") if end else view.end
    if lo and hi and lo > hi:
        raise InputError(f"the start date {lo} is after the end date {hi}")
    if hasattr(store_or_rows, "incidents") and callable(store_or_rows.incidents):
        where = view.filters.within(DateWindow(lo, hi))
        rows = store_or_rows.incidents(where, limit=limit + 1)
    else:
        rows = list(store_or_rows)
    dated = []
    for row in rows:
        day = _row_day(row)
        if day is None or (lo and day < lo.isoformat()) or (hi and day > hi.isoformat()):
            continue
        dated.append({**row, "date": day})
    if len(dated) > limit:
        raise InputError(
            f"more than {limit:,} incidents in the range: narrow the dates or the filters"
        )
    dated.sort(key=lambda r: r["date"])
    if lo is None or hi is None:
        if not dated:
            raise InputError("no dated incidents to play: give --from and --to")
        lo = lo or date.fromisoformat(dated[0]["date"])
        hi = hi or date.fromisoformat(dated[-1]["date"])
    return dated, lo, hi


def playback_html(
    rows: Sequence[Mapping[str, Any]], view: Any = None, *, with_note: bool = False
) -> str:
    """The page a playback is drawn on: :func:`~geodata.maps.snapshot.view_html` of every
    incident of the range (no zoom buttons; the note only ``with_note``), a date stamp box and
    the frame switch ``window.dlPlayFrame(lo, hi, stamp, caption, cells)``."""
    from geodata.maps.snapshot import view_html

    page = view_html(rows, view, controls=False, with_note=with_note)
    stamp = '<div id="dl-stamp" class="dl-box"></div>'
    extra = f"<style>{_PLAYBACK_CSS}</style>{stamp}<script>{_PLAYBACK_JS}</script>"
    at = page.rfind("</body>")
    if at < 0:  # a folium upgrade changed the page: never draw frames without a stamp
        raise ExportError("could not add the date stamp to the map page")
    return page[:at] + extra + page[at:]


# --- drawing -------------------------------------------------------------------------------------


def _frame_plan(
    rows: Sequence[Mapping[str, Any]],
    windows: Sequence[FrameWindow],
    *,
    step: str,
    window: str,
    heat: bool,
) -> list[tuple[FrameWindow, str, str, int, dict[str, Any] | None]]:
    """For each frame: its window, stamp, caption, incident count and density cells."""
    from bisect import bisect_left, bisect_right

    from geodata.maps.incidents import density_grid, grid_cell_size

    days = [r["date"] for r in rows]  # sorted by playback_rows
    cell = grid_cell_size(rows) if heat else None  # one grid for every frame: cells stay put
    plan = []
    for w in windows:
        lo, hi = bisect_left(days, w.start.isoformat()), bisect_right(days, w.end.isoformat())
        part = rows[lo:hi]
        located = sum(1 for r in part if r.get("lat") is not None and r.get("lon") is not None)
        cells = None
        if heat:
            cells = {"type": "FeatureCollection", "features": density_grid(part, cell=cell)}
        caption = frame_caption(w, len(part), located)
        plan.append((w, frame_stamp(w, step=step, window=window), caption, located, cells))
    return plan


def frames(
    rows: Sequence[Mapping[str, Any]],
    view: Any = None,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    step: str = "week",
    window: str = "rolling",
    width: int = 1280,
    height: int = 720,
    browser: str | Path | None = None,
    timeout: float = 60.0,
    with_note: bool = False,
) -> Iterator[Frame]:
    """Draw the frames of a playback, one by one, in ONE headless Chromium page.

    Parameters
    ----------
    rows
        Incident rows (``Store.incidents``); the undated and those outside the range are left
        out (see :func:`playback_rows`).
    view
        The :class:`~geodata.maps.snapshot.MapView`: title, filters in words, centre and zoom
        (fitted once to every incident of the range when it has no centre), layers.
    start, end, step, window
        See :func:`frame_windows` (the range defaults as in :func:`playback_rows`).
    width, height
        The frame size in pixels.
    browser
        The Chromium executable (default :func:`~geodata.maps.snapshot.find_browser`).
    timeout
        Seconds allowed for the page to load and for each frame.
    with_note
        Show the view's note under the title (off by default, as in snapshots).

    Yields
    ------
    Frame
        In order. Closing the iterator early stops the browser.

    Raises
    ------
    InputError
        Bad range, step, window or size.
    BrowserUnavailableError
        No Chromium or Playwright.
    ExportError
        The browser failed or timed out.
    """
    from geodata.maps.snapshot import MapView, check_pixels, require_browser

    view = view or MapView()
    width = check_pixels("width", width, most=4000)
    height = check_pixels("height", height, most=4000)
    dated, lo, hi = playback_rows(rows, view, start=start, end=end)
    windows = frame_windows(lo, hi, step=step, window=window)
    plan = _frame_plan(dated, windows, step=step, window=window, heat=view.heat)
    exe = require_browser(browser)
    page_html = playback_html(dated, view, with_note=with_note)
    # a small queue: the browser draws the next frames while the caller encodes this one
    out: queue.Queue[Any] = queue.Queue(maxsize=4)
    stop = threading.Event()
    # Playwright's sync API refuses to run in a thread with an asyncio loop (Streamlit)
    worker = threading.Thread(
        target=_draw_frames,
        args=(page_html, plan, exe, width, height, timeout, out, stop),
        daemon=True,
        name="dateline-playback",
    )
    worker.start()
    try:
        for _ in plan:
            try:
                item = out.get(timeout=timeout + 30)
            except queue.Empty:
                raise ExportError(f"the browser drew no frame within {timeout:.0f} s") from None
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a worker waiting on a full queue
            try:
                out.get_nowait()
            except queue.Empty:
                worker.join(0.1)


def _draw_frames(
    page_html: str,
    plan: Sequence[tuple[FrameWindow, str, str, int, dict[str, Any] | None]],
    exe: Path,
    width: int,
    height: int,
    timeout: float,
    out: queue.Queue[Any],
    stop: threading.Event,
) -> None:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from geodata.maps.snapshot import BROWSER_ARGS, local_only

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    ms = timeout * 1000
    try:
        with tempfile.TemporaryDirectory(prefix="dateline-play-") as tmp:
            page_file = Path(tmp) / "map.html"
            page_file.write_text(page_html, encoding="utf-8")
            with sync_playwright() as pw:
                chromium = pw.chromium.launch(
                    executable_path=str(exe), args=list(BROWSER_ARGS), timeout=ms
                )
                try:
                    page = chromium.new_page(
                        viewport={"width": width, "height": height}, device_scale_factor=1
                    )
                    page.set_default_timeout(ms)
                    page.route("**/*", local_only)
                    page.goto(page_file.as_uri(), timeout=ms)
                    page.wait_for_function(
                        "() => window.dateline && window.dateline.incidents",
                        timeout=ms,
                    )
                    # once: Leaflet finishes drawing the fitted outlines (as render_png waits)
                    page.wait_for_timeout(300)
                    for w, stamp, caption, _located, cells in plan:
                        if stop.is_set():
                            return
                        shown = page.evaluate(
                            "([lo, hi, s, c, g]) => window.dlPlayFrame(lo, hi, s, c, g)",
                            [w.start.isoformat(), w.end.isoformat(), stamp, caption, cells],
                        )
                        png = page.screenshot(type="png", full_page=False)
                        frame = Frame(w, shown["stamp"], shown["caption"], shown["shown"], png)
                        if not put(frame):
                            return
                finally:
                    chromium.close()
    except PlaywrightError as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        put(ExportError(f"the browser could not draw the playback: {message}"))
    except Exception as exc:  # noqa: BLE001 - reported to the caller as an ExportError
        logger.debug("playback drawing failed", exc_info=True)
        put(ExportError(f"the browser could not draw the playback: {type(exc).__name__}: {exc}"))


def write_playback(
    store_or_rows: Any,
    out: str | Path,
    view: Any = None,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    step: str = "week",
    window: str = "rolling",
    fps: float = 2.0,
    width: int = 1280,
    height: int = 720,
    format: str | None = None,
    browser: str | Path | None = None,
    with_note: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Playback:
    """Write a playback of the view to ``out``: an animated GIF, an MP4 or a WebM.

    Parameters
    ----------
    store_or_rows
        A :class:`~geodata.store.event_store.Store` (asked for the view's filters within the
        range) or incident rows; see :func:`playback_rows`.
    out
        The file; its suffix (``.gif``, ``.mp4``, ``.webm``) names the format unless
        ``format``. Written under a temporary name and renamed into place.
    view
        The :class:`~geodata.maps.snapshot.MapView` (its dates are the default range).
    start, end, step, window
        See :func:`frame_windows`.
    fps
        Frames per second (0.1 to 30).
    width, height
        Frame size in pixels.
    browser
        The Chromium executable (default: :func:`~geodata.maps.snapshot.find_browser`).
    with_note
        Show the view's note under the title (off by default, as in snapshots).
    progress
        Called as ``progress(done, total)`` after each frame is drawn (``done`` from 1 to
        ``total`` frames) — for a progress bar; it runs in the caller's thread.

    Raises
    ------
    InputError
        Unknown format, bad options, or ``out`` cannot be written.
    BrowserUnavailableError, ExportError
        No browser or ffmpeg, or drawing or encoding failed.
    """
    from geodata.maps.snapshot import MapView

    began = time.perf_counter()
    out = Path(out)
    fmt = (format or playback_format(out) or "").lower()
    if fmt not in PLAYBACK_FORMATS:
        raise InputError(
            f"cannot tell the playback format of {out.name!r}: use a name ending in "
            + ", ".join(PLAYBACK_FORMATS.values())
        )
    try:
        rate = float(fps)
    except (TypeError, ValueError):
        rate = math.nan
    if not 0.1 <= rate <= _MAX_FPS:
        raise InputError(f"fps must be a number from 0.1 to {_MAX_FPS:g}, not {fps!r}")
    if out.is_dir():
        raise InputError(f"{out} is a directory; give a file name")
    if not out.parent.is_dir():
        raise InputError(f"cannot write {out}: the directory {out.parent} does not exist")
    view = view or MapView()
    rows, lo, hi = playback_rows(store_or_rows, view, start=start, end=end)
    total = len(frame_windows(lo, hi, step=step, window=window))  # bad options fail here
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
        os.close(fd)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    drawn = 0
    try:
        video = VideoWriter(fmt, rate, tmp) if fmt != "gif" else None
        pngs: list[bytes] = []
        try:
            for frame in frames(rows, view, start=lo, end=hi, step=step, window=window,
                                width=width, height=height, browser=browser,
                                with_note=with_note):  # fmt: skip
                if video is not None:
                    video.add(frame.png)
                else:
                    pngs.append(frame.png)  # compressed: a few hundred kB each
                drawn += 1
                if progress is not None:
                    progress(drawn, total)
        except BaseException:
            if video is not None:
                video.abort()
            raise
        if video is not None:
            video.close()
        else:
            write_gif(pngs, rate, tmp)
        os.replace(tmp, out)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    size = out.stat().st_size
    seconds = time.perf_counter() - began
    logger.info("wrote %s (%s, %d frames, %d incidents, %.1f s)", out, fmt, drawn, len(rows),
                seconds)  # fmt: skip
    return Playback(out, fmt, drawn, len(rows), size, seconds)
