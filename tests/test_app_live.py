"""Live on the Map page under AppTest: the date follows the newest data, new incidents are
counted as they arrive, and a date the user chooses (or Play) ends it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.app_support import copy_store, map_ids, rerun, run_app, sample_store_template
from ui import state

NEWER = (
    "KHARKIV, 20 November 2024 - A Russian missile strike on Kharkiv killed two people on "
    "Wednesday, the regional governor said. Police in Paris detained protesters on Wednesday."
)


@pytest.fixture
def db(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    path = copy_store(sample_store_template(tmp_path_factory.getbasetemp()), tmp_path)
    monkeypatch.setenv("DATELINE_DB", str(path))
    return path


def _add_newer(db: Path) -> int:
    from extract.sources.ingest import ingest_records
    from geodata.store.event_store import Store
    from ui import resources

    stats = ingest_records(
        [{"id": "n", "text": NEWER, "published": "2024-11-20"}],
        store=Store(db),
        loader=resources.gazetteer,
    )
    return stats.incidents_new


def _summary(at) -> str:
    return " ".join(m.value for m in at.markdown if "incident" in m.value)


def test_live_follows_the_newest_data_and_counts_what_arrives(db: Path) -> None:
    at = run_app()
    at.slider(key=state.DATE_KEY).set_value(date(2024, 11, 1))
    rerun(at)
    at.toggle(key=state.LIVE_KEY).set_value(True)
    rerun(at)
    assert at.query_params["live"] == "1" and "date" not in at.query_params
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 5)  # the newest data
    assert "live, 0 new incidents since it was turned on" in _summary(at)
    before = map_ids(at)

    added = _add_newer(db)
    assert added >= 1
    rerun(at)  # what the Live timer's look at the store leads to
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 20)
    assert f"live, {added} new incident" in _summary(at)
    assert map_ids(at) != before


def test_a_chosen_date_or_play_ends_live(db: Path) -> None:
    at = run_app(live="1")
    assert at.toggle(key=state.LIVE_KEY).value is True
    at.slider(key=state.DATE_KEY).set_value(date(2024, 11, 2))
    rerun(at)
    assert at.toggle(key=state.LIVE_KEY).value is False and "live" not in at.query_params
    assert at.query_params["date"] == "2024-11-02"
    at.toggle(key=state.LIVE_KEY).set_value(True)
    rerun(at)
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 5)
    at.button(key=state.PLAY_KEY).click()
    rerun(at)
    assert at.toggle(key=state.LIVE_KEY).value is False
