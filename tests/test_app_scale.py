"""The Map and Incidents pages stay usable with 100,000 incidents in the store (SYNTHETIC data,
built by ``bench/query.py``): queries are windowed and the map draws at most 10,000 markers,
with a notice."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from tests.app_support import map_args, map_ids, rerun, run_app
from ui import state
from ui.data import MAX_MARKERS

pytestmark = pytest.mark.slow

N_INCIDENTS = 100_000


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench.query import build_synthetic_store

    path = tmp_path_factory.mktemp("scale") / "big.duckdb"
    build_synthetic_store(path, n_incidents=N_INCIDENTS)
    return path


@pytest.fixture
def db(big_store: Path, monkeypatch) -> Path:
    monkeypatch.setenv("DATELINE_DB", str(big_store))
    return big_store


def test_map_caps_markers_and_windows_queries(db: Path) -> None:
    from geodata.store.event_store import Store

    assert Store(db).stats()["incidents"] == N_INCIDENTS
    at = run_app()
    assert len(map_ids(at)) == MAX_MARKERS
    assert any(f"newest {MAX_MARKERS:,}" in w.value for w in at.warning)
    assert len(map_args(at)["feature_group"]) < 12_000_000  # bytes sent to the browser

    at.segmented_control(key=state.WINDOW_KEY).set_value("week")
    t0 = time.perf_counter()
    rerun(at)
    week = time.perf_counter() - t0
    ids = map_ids(at)
    expected = {
        r["id"]
        for r in Store(db).incidents(start="2024-12-25", end="2024-12-31")
        if r["lat"] is not None
    }
    assert ids == expected and 0 < len(ids) < MAX_MARKERS
    assert not at.warning
    at.button(key="dl_step_back").click()
    t0 = time.perf_counter()
    rerun(at)
    step = time.perf_counter() - t0
    assert at.slider(key=state.DATE_KEY).value == date(2024, 12, 24)
    assert week < 5 and step < 5, (week, step)  # generous: CI machines vary


def test_incidents_page_lists_a_window(db: Path) -> None:
    at = run_app("pages/incidents.py", window="month", date="2024-06-30")
    frame = at.dataframe[0].value
    assert 0 < len(frame) < N_INCIDENTS
    assert min(frame["date"]) >= "2024-06-01"  # ISO text: "undated" shares the column
