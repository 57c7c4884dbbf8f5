"""Chromium sessions for the load run (``bench/load.py --client browser``).

One headless Chromium driven with Playwright's async API, each session its own browser context
with one page: it opens the map on its start date, waits until the map's position has reached
the URL, then presses ◀/▶ as planned. A step's rerun time is from the click until the map's
script has swapped in the new markers and two animation frames have passed (painted); its
run-done time until Streamlit's status widget is hidden.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import date
from typing import Any

from bench._load_plan import WINDOW, SessionPlan
from bench._load_results import LoadResult, StepResult, cpu_by_kind

__all__ = ["run_load"]

FRAME = 'iframe[src*="st_folium"]'
ERROR_ELEMENTS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
STATUS_WIDGET = '[data-testid="stStatusWidget"]'
PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


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
        shown = await self.page.get_by_role("slider", name="Date").get_attribute("aria-valuetext")
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
