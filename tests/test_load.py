"""Load: 20 concurrent sessions scrub the map of a store of 100k SYNTHETIC incidents.

The same harness as ``bench/load.py``, smaller: ``streamlit run app.py`` on a free port over a
store built by ``bench/query.py`` (about 3 s, shared by the tests of this file).

- 20 browser-like websocket sessions (``--client ws``, :mod:`bench._stream_client`: Streamlit's
  own protocol, XSRF cookie and token, widget states, fragment reruns, message cache; nothing
  rendered, so the 2 CPUs go to the server) each open the map on their own week, then move the
  date slider a week at a time, 5 steps, all at the same time.
- 2 Chromium sessions (one browser, a context each) press ◀/▶ twice, so real pages are still
  exercised under concurrency.

Checks: no Streamlit exception or error element, no traceback in the server log, no timeout;
every session completed its steps, each drawing exactly the expected markers for the expected
date (and, in Chromium, no page error). No timing is asserted (speed goals live in
``bench/load.py``). Without ``/usr/bin/chromium`` the Chromium test is skipped locally but
fails under CI (``CI`` set).
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bench.app_server import ARTIFACTS
from tests.e2e_support import require_chromium, streamlit_server

if TYPE_CHECKING:
    from bench._load_plan import SessionPlan
    from bench._load_results import LoadResult

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

INCIDENTS = 100_000
WS_SESSIONS, WS_STEPS = 20, 5
BROWSER_SESSIONS, BROWSER_STEPS = 2, 2


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench._load_plan import ensure_store

    return ensure_store(INCIDENTS, folder=tmp_path_factory.mktemp("load"))


def _plans(db: Path, sessions: int, steps: int) -> tuple[list[SessionPlan], dict[date, int]]:
    from bench._load_plan import expected_markers, plan_sessions
    from geodata.store.event_store import Store

    lo, hi = Store(db).date_range()
    plans = plan_sessions(lo, hi, sessions, steps)
    assert len({p.start for p in plans}) == sessions  # each session on its own week
    days = {p.start for p in plans} | {d for p in plans for d in p.days}
    return plans, expected_markers(db, days)


def _check(result: LoadResult, log: str, sessions: int, steps: int) -> None:
    from bench._load_results import server_tracebacks

    errors = result.errors + server_tracebacks(ARTIFACTS / log)
    assert errors == []
    assert result.completed == [steps] * sessions
    assert len(result.steps) == sessions * steps
    for step in result.steps:
        assert step.rerun_s is not None and step.done_s is not None
        assert step.markers == step.markers_expected > 0, step


def test_20_websocket_sessions_scrub_the_map_without_errors(store: Path) -> None:
    from bench._load_ws import run_ws_load
    from bench.load import SERVER_ENV

    plans, expected = _plans(store, WS_SESSIONS, WS_STEPS)
    log = "streamlit-load-test-ws.log"
    with streamlit_server(store, log_name=log, env=SERVER_ENV) as url:
        result = asyncio.run(run_ws_load(url, plans, expected, think=(0.1, 0.5)))
    _check(result, log, WS_SESSIONS, WS_STEPS)


def test_chromium_sessions_scrub_the_map_without_errors(store: Path) -> None:
    chromium = require_chromium()
    from bench._load_browser import run_load
    from bench.load import SERVER_ENV

    plans, expected = _plans(store, BROWSER_SESSIONS, BROWSER_STEPS)
    log = "streamlit-load-test.log"
    with streamlit_server(store, log_name=log, env=SERVER_ENV) as url:
        result = asyncio.run(run_load(url, plans, expected, chromium=chromium, think=(0.1, 0.5)))
    _check(result, log, BROWSER_SESSIONS, BROWSER_STEPS)
