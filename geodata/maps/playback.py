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

import io
import logging
import math
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from geodata.dates import iso_date, period_words
from geodata.errors import ExportError, InputError
from geodata.view import DateWindow, add_months

__all__ = [
    "MAX_FRAMES",
    "PLAYBACK_FORMATS",
    "STEPS",
    "WINDOWS",
    "Frame",
    "FrameWindow",
    "Playback",
    "find_ffmpeg",
    "frame_caption",
    "frame_stamp",
    "frame_windows",
    "frames",
    "playback_format",
    "playback_html",
    "playback_rows",
    "write_playback",
]

logger = logging.getLogger(__name__)

#: playback format → file suffix
PLAYBACK_FORMATS = {"gif": ".gif", "mp4": ".mp4", "webm": ".webm"}
#: the step lengths a playback moves by
STEPS = ("day", "week", "month")
#: "rolling": each frame shows its own step; "cumulative": everything up to the step's end
WINDOWS = ("rolling", "cumulative")
#: More frames than this would hold too many pictures in memory (GIF) and take minutes.
MAX_FRAMES = 500
#: More incidents than this in the range would make a page too heavy to flip per frame.
MAX_INCIDENTS = 100_000
_MAX_FPS = 30.0
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

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
class FrameWindow:
    """One step of a playback: the incidents dated ``start`` to ``end`` (inclusive) are shown;
    ``step_start`` is where the step itself begins (the same as ``start`` unless cumulative)."""

    index: int
    start: date
    end: date
    step_start: date


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


def _step_end(start: date, step: str, k: int) -> date:
    """The last day of step ``k`` (0-based) of a playback starting on ``start``."""
    if step == "day":
        return start + timedelta(days=k)
    if step == "week":
        return start + timedelta(days=7 * k + 6)
    return add_months(start, k + 1) - timedelta(days=1)


def _check_choice(name: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise InputError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def frame_windows(
    start: date | str, end: date | str, *, step: str = "week", window: str = "rolling"
) -> list[FrameWindow]:
    """The steps of a playback from ``start`` to ``end`` (both inclusive).

    Parameters
    ----------
    start, end
        The range (dates or ``YYYY-MM-DD``).
    step
        ``"day"``, ``"week"`` (7 days from ``start``) or ``"month"`` (to the day before the
        same day of the next month); the last step is cut at ``end``.
    window
        ``"rolling"``: a frame shows its step; ``"cumulative"``: everything from ``start``.

    Raises
    ------
    InputError
        A bad date, step or window, ``start`` after ``end``, or more than :data:`MAX_FRAMES`.
    """
    _check_choice("step", step, STEPS)
    _check_choice("window", window, WINDOWS)
    first = iso_date(start, what="start date")
    last = iso_date(end, what="end date")
    if first is None or last is None:
        raise InputError("a playback needs a start and an end date (--from and --to)")
    if first > last:
        raise InputError(f"the start date {first} is after the end date {last}")
    # the step count, estimated before building anything (a day step over decades is refused)
    approx = {"day": 1, "week": 7, "month": 28}[step]
    if (last - first).days // approx + 1 > MAX_FRAMES + 1:
        raise InputError(
            f"{first} to {last} in {step} steps is more than {MAX_FRAMES} frames: "
            "use a longer step or a shorter range"
        )
    out: list[FrameWindow] = []
    step_start = first
    while step_start <= last:
        step_end = min(_step_end(first, step, len(out)), last)
        shown_from = first if window == "cumulative" else step_start
        out.append(FrameWindow(len(out), shown_from, step_end, step_start))
        step_start = step_end + timedelta(days=1)
    if len(out) > MAX_FRAMES:
        raise InputError(
            f"{first} to {last} in {step} steps is {len(out)} frames, more than {MAX_FRAMES}: "
            "use a longer step or a shorter range"
        )
    return out


def _day_words(day: date, *, year: bool = True) -> str:
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def frame_stamp(frame: FrameWindow, *, step: str = "week", window: str = "rolling") -> str:
    """The big date stamp of a frame: "5 Mar 2024" (a day), "4 – 10 Mar 2024" (a week or a
    step that is cut), "Mar 2024" (a calendar month), "up to 10 Mar 2024" (cumulative)."""
    lo, hi = frame.step_start, frame.end
    if window == "cumulative":
        return f"up to {_day_words(hi)}"
    if lo == hi:
        return _day_words(lo)
    if step == "month" and lo.day == 1 and (hi + timedelta(days=1)).day == 1:
        return f"{_MONTHS[lo.month - 1]} {lo.year}"
    if lo.year != hi.year:
        return f"{_day_words(lo)} – {_day_words(hi)}"
    if lo.month != hi.month:
        return f"{_day_words(lo, year=False)} – {_day_words(hi)}"
    return f"{lo.day} – {_day_words(hi)}"


def frame_caption(frame: FrameWindow, shown: int, located: int | None = None) -> str:
    """The title box's line under the title for a frame: its dates and incident count."""
    count = f"{shown:,} incident{'s' if shown != 1 else ''}"
    if located is not None and located != shown:
        count += f" ({located:,} on the map)"
    return f"{period_words(frame.start, frame.end)} · {count}"


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


# --- encoding ------------------------------------------------------------------------------------


def find_ffmpeg() -> str | None:
    """The ffmpeg to encode MP4/WebM with: ``$DATELINE_FFMPEG``, else the binary of the
    ``imageio-ffmpeg`` wheel (a pinned requirement), else ``ffmpeg`` on the ``PATH``."""
    env = os.environ.get("DATELINE_FFMPEG")
    if env:
        return env if Path(env).is_file() else None
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return shutil.which("ffmpeg")


def _ffmpeg_args(fmt: str, fps: float, target: Path) -> list[str]:
    # PNG frames in, one picture per frame; the size is rounded to even for 4:2:0 chroma
    args = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
    args += ["-f", "image2pipe", "-framerate", f"{fps:g}", "-c:v", "png", "-i", "-"]
    args += ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-pix_fmt", "yuv420p", "-an"]
    if fmt == "mp4":
        # stillimage: flat map colours; faststart: playable while it downloads
        args += ["-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "23"]
        args += ["-movflags", "+faststart", "-f", "mp4"]
    else:
        args += ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1"]
        args += ["-b:v", "0", "-crf", "34", "-f", "webm"]
    return [*args, str(target)]


class _VideoWriter:
    """Frames piped into an ffmpeg process as they are drawn."""

    def __init__(self, fmt: str, fps: float, target: Path) -> None:
        exe = find_ffmpeg()
        if exe is None:
            raise ExportError(
                f"no ffmpeg to encode {fmt.upper()}: pip install -r requirements.txt (it "
                "brings imageio-ffmpeg), or set DATELINE_FFMPEG; GIF needs no ffmpeg"
            )
        self._log = tempfile.TemporaryFile()  # a file, not a pipe: ffmpeg never blocks on it
        try:
            self._proc = subprocess.Popen(
                [exe, *_ffmpeg_args(fmt, fps, target)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
            )
        except OSError as exc:
            self._log.close()
            raise ExportError(f"cannot start ffmpeg ({exe}): {exc.strerror or exc}") from None

    def add(self, png: bytes) -> None:
        try:
            self._proc.stdin.write(png)  # type: ignore[union-attr]
        except OSError:
            self.close()  # ffmpeg died: its own message is the one to report
            raise ExportError("ffmpeg stopped while encoding") from None

    def close(self) -> None:
        try:
            self._proc.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass
        code = self._proc.wait()
        self._log.seek(0)
        message = self._log.read().decode("utf-8", "replace").strip().splitlines()
        self._log.close()
        if code != 0:
            raise ExportError(f"ffmpeg could not encode the video: {(message or ['?'])[-1]}")

    def abort(self) -> None:
        self._proc.kill()
        self._proc.wait()
        self._log.close()


def _write_gif(pngs: Sequence[bytes], fps: float, target: Path) -> None:
    """One GIF: a palette shared by all frames (taken from the first, middle and last ones),
    no dithering (flat map colours), and in each frame after the first the pixels that did
    not change are transparent, so the LZW coder sees long runs of one index."""
    import numpy as np
    from PIL import Image

    def rgb(data: bytes) -> Image.Image:
        with Image.open(io.BytesIO(data)) as im:
            return im.convert("RGB")

    picks = sorted({0, len(pngs) // 2, len(pngs) - 1})
    samples = [rgb(pngs[i]) for i in picks]
    w, h = samples[0].size
    strip = Image.new("RGB", (w, h * len(samples)))
    for k, im in enumerate(samples):
        strip.paste(im, (0, h * k))
    # 255 colours: index 255 stays free for "unchanged" (transparent)
    palette = strip.quantize(colors=255, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    clear = 255
    out: list[Image.Image] = []
    previous: np.ndarray | None = None
    for data in pngs:
        indexed = rgb(data).quantize(palette=palette, dither=Image.Dither.NONE)
        pixels = np.asarray(indexed)
        if previous is None:
            frame = pixels
        else:
            frame = np.where(pixels == previous, clear, pixels).astype(np.uint8)
        previous = pixels
        im = Image.fromarray(frame, mode="P")
        im.putpalette(palette.getpalette()[: 255 * 3] + [0, 0, 0])
        out.append(im)
    duration = max(20, round(1000 / fps))  # GIF delays are in 1/100 s; browsers floor at 20 ms
    out[0].save(
        target,
        format="GIF",
        save_all=True,
        append_images=out[1:],
        duration=duration,
        loop=0,
        disposal=1,  # keep the previous frame: the transparent pixels show it through
        transparency=clear,
        optimize=False,  # the palette is already shared and minimal; keep index 255 as is
    )


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
        video = _VideoWriter(fmt, rate, tmp) if fmt != "gif" else None
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
            _write_gif(pngs, rate, tmp)
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
