"""Browser-like websocket sessions for the load run (``bench/load.py --client ws``).

Each session speaks Streamlit's protocol through :class:`bench._stream_client.StreamClient`:
it opens the page on its start date, reports the map component ready (a fragment rerun, as
the map's iframe does), then moves the date slider a week at a time and reruns the map's
fragment, as the browser does. Nothing is rendered, so the clients cost little CPU and the
figures are the server's.
"""

from __future__ import annotations

import ast
import asyncio
import random
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench._load_plan import WINDOW, SessionPlan
from bench._load_results import LoadResult, StepResult, cpu_by_kind
from bench._stream_proto import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["run_ws_load"]


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
        from geodata.view import WINDOW_LABELS

        DATE_KEY, WINDOW_KEY = _ui_state_constants("DATE_KEY", "WINDOW_KEY")

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


def _ui_state_constants(*names: str) -> tuple[str, ...]:
    """Widget keys as ``ui/state.py`` defines them, read from its source: importing ``ui``
    would import Streamlit, which the benchmarks keep out of their process."""
    tree = ast.parse((ROOT / "ui" / "state.py").read_text(encoding="utf-8"))
    found = {
        target.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id in names
    }
    missing = set(names) - set(found)
    if missing:
        raise LookupError(f"ui/state.py defines no {', '.join(sorted(missing))}")
    return tuple(found[n] for n in names)
