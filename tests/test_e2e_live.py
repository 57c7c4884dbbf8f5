"""Live in Chromium: with Live on, an article ingested behind the app's back (as the feed
watcher does) appears on the open map within seconds: the date moves to the newest data, the
new marker is drawn, in the same map (its iframe is not reloaded) and where the user left it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.app_server import ARTIFACTS
from tests.e2e_support import Browser, streamlit_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

NEWER = (
    "KHARKIV, 20 November 2024 - A Russian missile strike on Kharkiv killed two people on "
    "Wednesday, the regional governor said."
)
_IDS = """() => {
    var out = [];
    window.dateline.incidents.layer.eachLayer(function (m) { out.push(m.feature.properties.id); });
    return out;
}"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e-live") / "dateline.duckdb"  # empty: the app seeds it


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    with streamlit_server(db, log_name="streamlit-e2e-live.log") as url:
        yield url


def test_live_draws_new_incidents_in_the_same_map(server: str, db: Path, browser: Browser) -> None:
    from extract.sources.ingest import ingest_records
    from geodata.gazetteer.index import load_gazetteer
    from geodata.store.event_store import Store

    page = browser.page
    browser.open_map(server + "/")
    page.get_by_text("Live", exact=True).click()
    page.wait_for_function("() => location.search.includes('live=1')", timeout=30_000)
    browser.wait_map_settled()
    handle, inner = browser.map_frame()
    inner.evaluate("window.__dateline_e2e = 'kept'")
    inner.evaluate("window.map.setView([49.5, 35.0], 6)")  # the user looks at eastern Ukraine
    browser.wait_map_settled()
    before = set(inner.evaluate(_IDS))
    assert browser.slider_day() == "2024-11-05"

    stats = ingest_records(
        [{"id": "live", "text": NEWER, "published": "2024-11-20"}],
        store=Store(db),
        loader=load_gazetteer,
    )
    assert stats.incidents_new >= 1
    deadline = time.monotonic() + 60
    while browser.slider_day() != "2024-11-20" and time.monotonic() < deadline:
        page.wait_for_timeout(500)
    assert browser.slider_day() == "2024-11-20", page.evaluate("location.search")
    assert "live=1" in page.evaluate("location.search")
    inner.wait_for_function(
        f"() => window.dateline.incidents.layer.getLayers().length > 0 && "
        f"!{sorted(before)!r}.includes(window.dateline.incidents.layer.getLayers()[0]"
        ".feature.properties.id)",
        timeout=30_000,
    )
    after = set(inner.evaluate(_IDS))
    new = {i["id"] for i in Store(db, read_only=True).incidents(start="2024-11-20")}
    assert new and new <= after
    # the same map, where the user left it
    assert inner.evaluate("window.__dateline_e2e") == "kept" and handle.evaluate(
        "e => e.isConnected"
    )
    lat, zoom = inner.evaluate("[window.map.getCenter().lat, window.map.getZoom()]")
    assert zoom == 6 and abs(lat - 49.5) < 0.01
    page.get_by_text("new incident").first.wait_for(timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "live-new-incident.png"))
    browser.check_offline()
