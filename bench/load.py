"""Load: concurrent sessions scrubbing the map of a SYNTHETIC store of 100k incidents.

    .venv/bin/python bench/load.py [--client ws|browser] [--sessions 20] [--steps 10]

SYNTHETIC DATA: the store is built by ``bench/query.py``'s :func:`build_synthetic_store`
(real city coordinates jittered, random types, dates over 2023-2024; not real events), cached
as ``bench/out/load-<incidents>-<seed>.duckdb`` (git-ignored) and reused while it still holds
that many incidents (``--fresh`` rebuilds it).

``streamlit run app.py`` is started on a free local port with ``DATELINE_DB`` pointing at the
store (:func:`bench.app_server.app_server`; its log goes to ``artifacts/``), without
Streamlit's file watcher, as deployed (:data:`SERVER_ENV`). Session ``i`` opens
``/?window=week&date=D_i`` (start dates spread over the store's range, so the sessions ask for
different weeks and rarely share the app's query cache), then, once every session's map is
there, all of them scrub at the same time, a week per step, ``--steps`` times, with a random
think time of ``--think`` seconds between steps. Two kinds of client:

``--client ws`` (default): browser-like sessions, :mod:`bench._stream_client`. Each speaks
Streamlit's websocket protocol as the frontend does (XSRF cookie and subprotocol token, the
opening run, every widget's value in each rerun, fragment reruns, the message cache) without
rendering anything, so the clients cost little CPU and the figures are the server's. After
opening, a session reports the map component ready (a fragment rerun, as the iframe does); a
step sets the date slider to the next day of the plan (the window widget kept at "week") and
reruns the map's fragment, as the browser does when the slider moves. **Rerun time**: from
the request to the map element received (its markers parsed); **run done**: to
``script_finished``.

``--client browser``: one headless Debian Chromium driven with Playwright's async API, each
session its own browser context with one page, pressing ◀ (or ▶ at the start of the range).
**Rerun time**: from the click until the map's script has swapped in the new markers
(``window.dateline.renders`` increments in the map iframe) and two animation frames have
passed (painted), Playwright's click round trip included; **run done**: until Streamlit's
status widget is hidden. Each Chromium page costs about 10 s of CPU to open and 0.7-1 s a
step, so on a small machine the pages, not the server, dominate the times.

Each step checks the date and the number of markers against the store
(:meth:`geodata.store.Store.incidents` for the same week). **Errors**: Streamlit exception or
error elements, a run not ending well, a wrong date or marker count, timeouts, page errors
(uncaught JavaScript exceptions, Chromium only), and each traceback in the server log.
Percentiles are nearest-rank. Also printed: the CPU seconds used by the server, by Chromium
and by the driver (this process: the ws clients, or Playwright) while opening and while
scrubbing.

Usage::

    .venv/bin/python bench/load.py                        # ws, 20 sessions x 10 steps, 100k
    .venv/bin/python bench/load.py --client browser       # the same with Chromium pages
    .venv/bin/python bench/load.py --sessions 5 --steps 4 --incidents 20000
    .venv/bin/python bench/load.py --json bench/out/load.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import random
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

__all__ = [
    "SERVER_ENV",
    "LoadResult",
    "SessionPlan",
    "StepResult",
    "cpu_by_kind",
    "ensure_store",
    "expected_markers",
    "main",
    "plan_sessions",
    "run_load",
    "run_ws_load",
    "server_tracebacks",
]

OUT = ROOT / "bench" / "out"
WINDOW = "week"
FRAME = 'iframe[src*="st_folium"]'
ERROR_ELEMENTS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
STATUS_WIDGET = '[data-testid="stStatusWidget"]'
#: As deployed: no file watcher. With it (Streamlit's default), a source file saved while
#: sessions run makes Streamlit drop modules from ``sys.modules`` under running scripts.
SERVER_ENV = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "STREAMLIT_SERVER_RUN_ON_SAVE": "false"}
PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


@dataclass(frozen=True)
class SessionPlan:
    """What one session does: the date it opens, then the ◀/▶ presses and dates they lead to."""

    start: date
    directions: tuple[int, ...]
    days: tuple[date, ...]


@dataclass
class StepResult:
    """One ◀/▶ press of one session."""

    session: int
    step: int
    day: str
    markers_expected: int
    markers: int | None = None
    rerun_s: float | None = None
    done_s: float | None = None
    error: str | None = None


@dataclass
class LoadResult:
    """Every step of every session, the errors, and the wall times."""

    sessions: int
    steps_planned: int
    steps: list[StepResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    open_s: float = 0.0
    scrub_s: float = 0.0
    #: CPU seconds used while scrubbing, by process kind (:func:`cpu_by_kind`)
    cpu_s: dict[str, float] = field(default_factory=dict)
    #: the same while opening the sessions
    cpu_open_s: dict[str, float] = field(default_factory=dict)

    @property
    def completed(self) -> list[int]:
        """Steps completed without error, per session."""
        done = [0] * self.sessions
        for s in self.steps:
            if s.error is None:
                done[s.session] += 1
        return done

    def rerun_times(self) -> list[float]:
        """Sorted rerun times (s) of the steps without error."""
        return sorted(s.rerun_s for s in self.steps if s.rerun_s is not None and s.error is None)

    def done_times(self) -> list[float]:
        """Sorted run-done times (s) of the steps without error."""
        return sorted(s.done_s for s in self.steps if s.done_s is not None and s.error is None)

    def figures(self) -> dict[str, Any]:
        """The summary: counts, and rerun / run-done time p50, p95 and max (seconds)."""
        rerun, done = self.rerun_times(), self.done_times()
        return {
            "sessions": self.sessions,
            "steps_planned": self.sessions * self.steps_planned,
            "steps_ok": len(rerun),
            "errors": len(self.errors),
            "rerun_p50_s": _percentile(rerun, 50),
            "rerun_p95_s": _percentile(rerun, 95),
            "rerun_max_s": max(rerun, default=math.nan),
            "done_p50_s": _percentile(done, 50),
            "done_p95_s": _percentile(done, 95),
            "done_max_s": max(done, default=math.nan),
            "markers_mean": statistics.mean(s.markers_expected for s in self.steps)
            if self.steps
            else 0,
            "open_s": self.open_s,
            "scrub_s": self.scrub_s,
            **{f"cpu_{kind}_s": cpu for kind, cpu in self.cpu_s.items()},
        }


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted ``values`` (NaN when empty)."""
    if not values:
        return math.nan
    return values[max(0, math.ceil(q / 100 * len(values)) - 1)]


# --- the store and the plan ---------------------------------------------------------------------


def ensure_store(
    n_incidents: int, *, seed: int = 7, folder: Path = OUT, fresh: bool = False
) -> Path:
    """A synthetic store of ``n_incidents`` in ``folder``, built unless a valid one is there.

    Parameters
    ----------
    n_incidents
        Incidents in the store.
    seed
        Seed of :func:`bench.query.build_synthetic_store`.
    folder
        Where the store is kept (``bench/out/`` by default, git-ignored).
    fresh
        Rebuild even when a store is there.

    Returns
    -------
    Path
        The store's file.
    """
    from bench.query import build_synthetic_store
    from geodata.store import Store

    path = folder / f"load-{n_incidents}-{seed}.duckdb"
    if path.exists() and not fresh:
        try:
            if Store(path).stats().get("incidents") == n_incidents:
                return path
        except Exception as exc:  # noqa: BLE001 - any unreadable store is rebuilt
            print(f"rebuilding {path}: {exc}", file=sys.stderr)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    build_synthetic_store(path, n_incidents=n_incidents, seed=seed)
    return path


def plan_sessions(lo: date, hi: date, sessions: int, steps: int) -> list[SessionPlan]:
    """Start dates spread over ``[lo, hi]`` and each session's ◀/▶ presses.

    Session ``i`` starts ``i * spacing`` days before ``hi`` (the spacing is not a multiple of
    a week, so two sessions do not ask for the same week) and steps back a week at a time; at
    ``lo`` it turns round and steps forward.
    """
    from ui.state import step_date

    span = (hi - lo).days
    spacing = max(1, (span - 7 * steps) // max(1, sessions - 1))
    if spacing % 7 == 0:
        spacing -= 1
    plans = []
    for i in range(sessions):
        start = hi - timedelta(days=(i * spacing) % (span + 1))
        day, direction, directions, days = start, -1, [], []
        for _ in range(steps):
            if direction < 0 and (day - lo).days < 7:
                direction = 1
            elif direction > 0 and (hi - day).days < 7:
                direction = -1
            day = step_date(day, WINDOW, direction, lo, hi)
            directions.append(direction)
            days.append(day)
        plans.append(SessionPlan(start, tuple(directions), tuple(days)))
    return plans


def expected_markers(db: Path, days: set[date]) -> dict[date, int]:
    """Markers the map should draw for the week ending on each day (located incidents among
    the newest :data:`ui.data.MAX_MARKERS`, as the app reads them)."""
    # ui.data's st.cache_data warns once per function outside ``streamlit run``
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    from geodata.store import Store
    from ui.data import MAX_MARKERS
    from ui.state import window_bounds

    store = Store(db)
    out = {}
    for day in days:
        start, end = window_bounds(day, WINDOW)
        rows = store.incidents(start=start, end=end, limit=MAX_MARKERS)
        out[day] = sum(1 for r in rows if r.get("lat") is not None)
    return out


def server_tracebacks(log: Path) -> list[str]:
    """Each traceback in the server log, as its last line (the exception)."""
    found: list[str] = []
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    for k, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last)"):
            tail = next(
                (t for t in lines[k + 1 :] if t and not t.startswith((" ", "\t"))), "(no message)"
            )
            found.append(f"server traceback: {tail}")
    return found


def cpu_by_kind() -> dict[str, float]:
    """CPU seconds (user + system) so far of this process and its descendants, by kind:
    ``server`` (streamlit), ``browser`` (Chromium), ``driver`` (this process and Playwright's).

    Linux only (``/proc``); processes that have exited are not counted.
    """
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[float, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid, ppid = int(entry.name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        info[pid] = ((int(fields[11]) + int(fields[12])) / tick, cmd)
    out = {"server": 0.0, "browser": 0.0, "driver": 0.0}
    todo = [os.getpid()]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        cpu, cmd = info.get(pid, (0.0, ""))
        kind = "server" if "streamlit" in cmd else "browser" if "chrom" in cmd else "driver"
        out[kind] += cpu
    return out


# --- the sessions -------------------------------------------------------------------------------


class _Session:
    """One browser context scrubbing the map."""

    def __init__(self, index: int, plan: SessionPlan, expected: dict[date, int]) -> None:
        self.index = index
        self.plan = plan
        self.expected = expected
        self.errors: list[str] = []
        self.page: Any = None
        self.inner: Any = None

    def _error(self, what: str) -> str:
        message = f"session {self.index}: {what}"
        self.errors.append(message)
        return message

    async def open(
        self, browser: Any, url: str, timeout_s: float, viewport: tuple[int, int]
    ) -> bool:
        """Open the map on the session's start date; False (and an error) on failure."""
        try:
            size = {"width": viewport[0], "height": viewport[1]}
            context = await browser.new_context(viewport=size)
            self.page = await context.new_page()
            self.page.on("pageerror", lambda exc: self._error(f"page error: {exc}"))
            await self.page.goto(
                f"{url}/?window={WINDOW}&date={self.plan.start.isoformat()}",
                wait_until="domcontentloaded",
                timeout=timeout_s * 1000,
            )
            frame = self.page.locator(FRAME)
            await frame.wait_for(timeout=timeout_s * 1000)
            self.inner = await (await frame.element_handle()).content_frame()
            await self.inner.wait_for_function(
                "window.dateline && window.dateline.incidents && window.dateline.renders >= 1",
                timeout=timeout_s * 1000,
                polling=100,
            )
            await self._settle(timeout_s)
            await self._check(self.plan.start)
            return not self.errors
        except Exception as exc:  # noqa: BLE001 - a failed session is an error, not a crash
            self._error(f"open failed: {type(exc).__name__}: {str(exc).splitlines()[0]}")
            return False

    async def _settle(self, timeout_s: float) -> None:
        """Wait until the map's reported position is in the URL and no run is going on.

        Once drawn, the map reports where it is (a rerun that writes ``center``/``zoom`` into
        the URL); a click sent before that rerun ends may be undone by the widget values the
        report carried, as in any Streamlit app, so a session scrubs only after it.
        """
        from bench.app_server import position_in_url

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            pos, zoom = await self.inner.evaluate("[window.map.getCenter(), window.map.getZoom()]")
            search = await self.page.evaluate("location.search")
            idle = await self.page.locator(STATUS_WIDGET).count() == 0
            if position_in_url(search, pos, zoom) and idle:
                return
            await asyncio.sleep(0.1)
        raise TimeoutError("the map's position never reached the URL")

    async def _check(self, day: date) -> int:
        """The page shows ``day`` with its markers and no error; return the marker count."""
        markers = await self.inner.evaluate("window.dateline.incidents.count")
        shown = await self.page.get_by_role("slider").get_attribute("aria-valuetext")
        problems = []
        if shown != day.isoformat():
            problems.append(f"slider shows {shown}, expected {day}")
        if markers != self.expected[day]:
            problems.append(f"{markers} markers on {day}, expected {self.expected[day]}")
        if await self.page.locator(ERROR_ELEMENTS).count():
            text = await self.page.locator(ERROR_ELEMENTS).first.inner_text()
            problems.append(f"error on the page: {text.splitlines()[0] if text else '?'}")
        for problem in problems:
            self._error(problem)
        return markers

    async def scrub(
        self, results: list[StepResult], *, timeout_s: float, think: tuple[float, float]
    ) -> None:
        """Press ◀/▶ as planned, timing each step; stop at the first failed step."""
        rng = random.Random(self.index)
        for k, (direction, day) in enumerate(
            zip(self.plan.directions, self.plan.days, strict=True)
        ):
            step = StepResult(self.index, k, day.isoformat(), self.expected[day])
            results.append(step)
            before = len(self.errors)
            try:
                renders = await self.inner.evaluate("window.dateline.renders")
                button = self.page.get_by_role("button", name="◀" if direction < 0 else "▶")
                t0 = time.perf_counter()
                await button.click(timeout=timeout_s * 1000)
                await self.inner.wait_for_function(
                    f"window.dateline.renders > {renders}", timeout=timeout_s * 1000, polling=25
                )
                await self.inner.evaluate(PAINTED)
                step.rerun_s = time.perf_counter() - t0
                await self.page.locator(STATUS_WIDGET).wait_for(
                    state="hidden", timeout=timeout_s * 1000
                )
                step.done_s = time.perf_counter() - t0
                step.markers = await self._check(day)
            except Exception as exc:  # noqa: BLE001 - a timeout is an error of this step
                self._error(f"step {k}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
            if len(self.errors) > before:
                step.error = self.errors[before]
                return
            await asyncio.sleep(rng.uniform(*think))


async def run_load(
    url: str,
    plans: list[SessionPlan],
    expected: dict[date, int],
    *,
    chromium: str,
    open_timeout_s: float = 240.0,
    step_timeout_s: float = 60.0,
    think: tuple[float, float] = (0.2, 1.0),
    viewport: tuple[int, int] = (1400, 1100),
) -> LoadResult:
    """Open one page per plan in its own browser context, then let them all scrub at once.

    Parameters
    ----------
    url
        The running app.
    plans
        One per session (:func:`plan_sessions`).
    expected
        Markers per window end day (:func:`expected_markers`), for every day of the plans.
    chromium
        The Chromium executable.
    open_timeout_s, step_timeout_s
        Bounds on opening a session and on one step.
    think
        Range of the random pause between two steps of a session (seconds).
    viewport
        Width and height of each page (CSS pixels).

    Returns
    -------
    LoadResult
        Every step; the errors (page, app, timeouts; not the server log's).
    """
    from playwright.async_api import async_playwright

    from bench.app_server import CHROMIUM_ARGS

    result = LoadResult(sessions=len(plans), steps_planned=len(plans[0].days) if plans else 0)
    sessions = [_Session(i, plan, expected) for i, plan in enumerate(plans)]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            t0, cpu0 = time.perf_counter(), cpu_by_kind()
            opened = await asyncio.gather(
                *(s.open(browser, url, open_timeout_s, viewport) for s in sessions)
            )
            result.open_s = time.perf_counter() - t0
            result.cpu_open_s = {k: v - cpu0[k] for k, v in cpu_by_kind().items()}
            t0, cpu0 = time.perf_counter(), cpu_by_kind()
            await asyncio.gather(
                *(
                    s.scrub(result.steps, timeout_s=step_timeout_s, think=think)
                    for s, ok in zip(sessions, opened, strict=True)
                    if ok
                )
            )
            result.scrub_s = time.perf_counter() - t0
            result.cpu_s = {k: v - cpu0[k] for k, v in cpu_by_kind().items()}
            # the last step's errors may arrive late (page errors): give them a moment
            await asyncio.sleep(0.5)
        finally:
            await browser.close()
    result.steps.sort(key=lambda s: (s.session, s.step))
    result.errors = [e for s in sessions for e in s.errors]
    return result


class _StreamSession:
    """One browser-like websocket session (:class:`bench._stream_client.StreamClient`)."""

    def __init__(self, index: int, plan: SessionPlan, expected: dict[date, int]) -> None:
        self.index = index
        self.plan = plan
        self.expected = expected
        self.errors: list[str] = []
        self.client: Any = None

    def _error(self, what: str) -> str:
        message = f"session {self.index}: {what}"
        self.errors.append(message)
        return message

    def _check(self, run: Any, day: date) -> None:
        """The run ended well, drew ``day``'s markers and showed no error."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        ok = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
        problems = list(run.errors)
        if run.status not in ok:
            problems.append(f"run ended with status {run.status}")
        if run.markers != self.expected[day]:
            problems.append(f"{run.markers} markers on {day}, expected {self.expected[day]}")
        if run.slider_day is not None and run.slider_day != day:
            problems.append(f"slider shows {run.slider_day}, expected {day}")
        if f"date={day.isoformat()}" not in self.client.query_string:
            problems.append(f"URL query {self.client.query_string!r} lacks date={day}")
        for problem in problems:
            self._error(problem)

    async def open(self, url: str, timeout_s: float) -> bool:
        """Connect, run the page on the start date, then report the map ready (a fragment
        rerun, as the map component does in the browser)."""
        from bench._stream_client import MAP_READY, StreamClient

        try:
            self.client = StreamClient(url, timeout_s=timeout_s)
            await self.client.connect()
            query = f"window={WINDOW}&date={self.plan.start.isoformat()}"
            run = await self.client.rerun(query_string=query, first=True)
            self._check(run, self.plan.start)
            if self.client.map_id and not self.errors:
                self.client.set_component_value(self.client.map_id, MAP_READY)
                run = await self.client.rerun(
                    fragment=self.client.widgets[self.client.map_id].fragment
                )
                self._check(run, self.plan.start)
            return not self.errors
        except Exception as exc:  # noqa: BLE001 - a failed session is an error, not a crash
            self._error(f"open failed: {type(exc).__name__}: {str(exc)[:200]}")
            return False

    async def scrub(self, results: list[StepResult], *, think: tuple[float, float]) -> None:
        """Move the date slider a week at a time as planned (window kept at "week"), timing
        each fragment rerun; stop at the first failed step."""
        from bench._stream_client import date_micros
        from ui.state import DATE_KEY, WINDOW_KEY, WINDOW_LABELS

        rng = random.Random(self.index)
        for k, day in enumerate(self.plan.days):
            step = StepResult(self.index, k, day.isoformat(), self.expected[day])
            results.append(step)
            before = len(self.errors)
            try:
                self.client.set_value(DATE_KEY, double_array_value=[date_micros(day)])
                self.client.set_value(WINDOW_KEY, string_array_value=[WINDOW_LABELS[WINDOW]])
                run = await self.client.rerun(fragment=self.client.fragment_of(DATE_KEY))
                step.rerun_s, step.done_s, step.markers = run.map_s, run.done_s, run.markers
                self._check(run, day)
            except Exception as exc:  # noqa: BLE001 - a timeout is an error of this step
                self._error(f"step {k}: {type(exc).__name__}: {str(exc)[:200]}")
            if len(self.errors) > before:
                step.error = self.errors[before]
                return
            await asyncio.sleep(rng.uniform(*think))


async def run_ws_load(
    url: str,
    plans: list[SessionPlan],
    expected: dict[date, int],
    *,
    open_timeout_s: float = 240.0,
    step_timeout_s: float = 60.0,
    think: tuple[float, float] = (0.2, 1.0),
) -> LoadResult:
    """Like :func:`run_load`, with browser-like websocket sessions instead of Chromium pages.

    Each session speaks Streamlit's protocol itself (:mod:`bench._stream_client`): it opens
    the page on its start date, then each step sets the date slider to the planned day (the
    window widget kept at "week") and reruns the map's fragment, as the browser does when the
    slider moves. Nothing is rendered, so the clients cost little CPU and the figures are the
    server's. A step's rerun time is from the request to the map element (with its markers)
    received; "run done" to ``script_finished``.
    """
    result = LoadResult(sessions=len(plans), steps_planned=len(plans[0].days) if plans else 0)
    sessions = [_StreamSession(i, plan, expected) for i, plan in enumerate(plans)]
    try:
        t0, cpu0 = time.perf_counter(), cpu_by_kind()
        opened = await asyncio.gather(*(s.open(url, open_timeout_s) for s in sessions))
        for s in sessions:
            if s.client is not None:
                s.client.timeout_s = step_timeout_s
        result.open_s = time.perf_counter() - t0
        result.cpu_open_s = {k: v - cpu0[k] for k, v in cpu_by_kind().items()}
        t0, cpu0 = time.perf_counter(), cpu_by_kind()
        await asyncio.gather(
            *(
                s.scrub(result.steps, think=think)
                for s, ok in zip(sessions, opened, strict=True)
                if ok
            )
        )
        result.scrub_s = time.perf_counter() - t0
        result.cpu_s = {k: v - cpu0[k] for k, v in cpu_by_kind().items()}
    finally:
        for s in sessions:
            if s.client is not None:
                s.client.close()
    result.steps.sort(key=lambda s: (s.session, s.step))
    result.errors = [e for s in sessions for e in s.errors]
    return result


# --- command line -------------------------------------------------------------------------------


def _fmt(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--steps", type=int, default=10, help="◀/▶ presses per session")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--think", type=float, nargs=2, default=[0.2, 1.0], metavar=("MIN", "MAX"))
    parser.add_argument("--step-timeout", type=float, default=60.0)
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached store")
    parser.add_argument("--json", type=Path, help="also write the figures and steps here")
    parser.add_argument(
        "--client",
        choices=["ws", "browser"],
        default="ws",
        help="ws: browser-like websocket sessions (no rendering); browser: Chromium pages",
    )
    args = parser.parse_args(argv)

    from bench.app_server import ARTIFACTS, CHROMIUM
    from bench.app_server import app_server as streamlit_server

    if args.client == "browser" and not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2
    print(f"Command: .venv/bin/python bench/load.py {' '.join(argv or sys.argv[1:])}".rstrip())
    t0 = time.perf_counter()
    db = ensure_store(args.incidents, seed=args.seed, fresh=args.fresh)
    from geodata.store import Store

    lo, hi = (date.fromisoformat(d) for d in Store(db).date_range())
    plans = plan_sessions(lo, hi, args.sessions, args.steps)
    days = {p.start for p in plans} | {d for p in plans for d in p.days}
    expected = expected_markers(db, days)
    print(f"store: {db} ({args.incidents:,} SYNTHETIC incidents), ready in "
          f"{time.perf_counter() - t0:.1f} s")  # fmt: skip

    log_name = "streamlit-load.log"
    load_before = f"{os.getloadavg()[0]:.1f}"
    t0 = time.perf_counter()
    with streamlit_server(db, log_name=log_name, env=SERVER_ENV) as url:
        think = (args.think[0], args.think[1])
        if args.client == "ws":
            run = run_ws_load(url, plans, expected, step_timeout_s=args.step_timeout, think=think)
        else:
            run = run_load(
                url,
                plans,
                expected,
                chromium=str(CHROMIUM),
                step_timeout_s=args.step_timeout,
                think=think,
            )
        result = asyncio.run(run)
    wall = time.perf_counter() - t0
    result.errors += server_tracebacks(ARTIFACTS / log_name)
    f = result.figures()
    who = (
        "browser-like websocket sessions (client: ws, no rendering)"
        if args.client == "ws"
        else "Chromium sessions (client: browser; one browser, one context each)"
    )
    print(
        f"\nLoad: {f['sessions']} concurrent {who}, "
        f"window '{WINDOW}' (~{f['markers_mean']:,.0f} markers a step), think time "
        f"{args.think[0]:g}-{args.think[1]:g} s, store of {args.incidents:,} SYNTHETIC incidents\n"
    )
    print("| sessions | steps ok / planned | errors | rerun p50 | rerun p95 | rerun max "
          "| run done p50 | run done p95 | open all | scrub | wall |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {f['sessions']} | {f['steps_ok']} / {f['steps_planned']} | {f['errors']} "
        f"| {_fmt(f['rerun_p50_s'])} | {_fmt(f['rerun_p95_s'])} | {_fmt(f['rerun_max_s'])} "
        f"| {_fmt(f['done_p50_s'])} | {_fmt(f['done_p95_s'])} "
        f"| {f['open_s']:.1f} s | {f['scrub_s']:.1f} s | {wall:.1f} s |"
    )
    if args.client == "ws":
        print("\nrerun: slider value sent → map element (markers) received; run done: → "
              "script_finished")  # fmt: skip
    else:
        print("\nrerun: click on ◀/▶ → new markers painted; run done: → Streamlit's status "
              "widget gone")  # fmt: skip
    cpu = result.cpu_s
    steps = max(1, f["steps_ok"])
    print(
        f"CPU while scrubbing ({f['scrub_s']:.0f} s wall, {os.cpu_count()} CPUs): "
        f"server {cpu['server']:.0f} s ({cpu['server'] / steps:.2f} s a step), "
        f"Chromium {cpu['browser']:.0f} s ({cpu['browser'] / steps:.2f} s a step), "
        f"driver (clients) {cpu['driver']:.0f} s ({cpu['driver'] / steps:.2f} s a step); "
        f"load average before / after: {load_before} / "
        f"{os.getloadavg()[0]:.1f}"
    )
    cpu = result.cpu_open_s
    print(
        f"CPU while opening the sessions ({f['open_s']:.0f} s wall): server {cpu['server']:.0f} s, "
        f"Chromium {cpu['browser']:.0f} s, driver {cpu['driver']:.0f} s"
    )
    for error in result.errors[:20]:
        print(f"ERROR {error}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "client": args.client,
            "figures": f,
            "errors": result.errors,
            "steps": [asdict(s) for s in result.steps],
        }
        args.json.write_text(json.dumps(payload, indent=1, default=str))
    ok = not result.errors and f["steps_ok"] == f["steps_planned"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
