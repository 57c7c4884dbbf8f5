"""End to end: a real ``streamlit run app.py`` driven by Debian's Chromium through Playwright.

The server gets an empty temporary store (``DATELINE_DB``), so its first page load ingests the
bundled sample. Checks, with no network: Leaflet draws one marker per sample incident; a ◀ step
swaps the markers without reloading the map's iframe; Play advances the date; clustering and
the density grid draw; no request (any frame, websockets included) leaves this machine.
Screenshots and the server log go to ``artifacts/``. Without ``/usr/bin/chromium`` the tests
are skipped locally but fail under CI (``CI`` set).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bench.app_server import ARTIFACTS
from geodata.maps.incidents import CELL_CLASS, FAINT_CLASS, INCIDENT_CLASS
from tests.e2e_support import Browser, streamlit_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LAST_DAY = "2024-11-05"  # the sample's publication date: its newest incidents
STEP_BACK_DAY = "2024-10-29"  # one ◀ step (a week in the "up to date" window)


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Marker counts the map should show, from the sample ingested into a separate store
    (this also builds/loads the gazetteer before the server starts)."""
    from extract.sources.ingest import ingest_records
    from geodata.sample import sample_article
    from geodata.store.event_store import Store

    store = Store(tmp_path_factory.mktemp("expected") / "sample.duckdb")
    ingest_records([sample_article()], store=store)

    def located(**filters: Any) -> int:
        return sum(1 for r in store.incidents(**filters) if r["lat"] is not None)

    return {
        "all": located(),
        "step": located(end=STEP_BACK_DAY),
        "week_aug": located(start="2024-08-25", end="2024-08-31"),
    }


@pytest.fixture(scope="module")
def server(expected: dict[str, int], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("e2e-store") / "dateline.duckdb"  # empty: the app seeds it
    with streamlit_server(db, log_name="streamlit-e2e.log") as url:
        yield url


def test_map_renders_the_sample_incidents_offline(
    server: str, browser: Browser, expected: dict[str, int]
) -> None:
    frame = browser.open_map(server + "/")
    markers = frame.locator(f"path.{INCIDENT_CLASS}")
    assert markers.count() == expected["all"]
    assert expected["all"] >= 8
    # country outlines drawn (the offline basemap), and no tile images
    assert frame.locator(".leaflet-dlLand-pane path").count() > 100
    assert frame.locator("img.leaflet-tile").count() == 0
    _, inner = browser.map_frame()
    assert inner.evaluate("window.dateline.incidents.count") == expected["all"]

    # the popup (Leaflet alone, no jQuery) shows the details, the place marked in the sentence
    markers.last.click(force=True)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "When:" in text and "Where:" in text and re.search(r"Incident #\w+", text)
    assert popup.locator("mark").count() == 1
    # the click also shows the incident with its sources beside the map
    browser.page.get_by_text(re.compile(r"^Sources \(\d+ articles?(, \d+ sentences)?\)$")).wait_for(
        timeout=20_000
    )

    browser.page.wait_for_timeout(500)
    browser.page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
    browser.check_offline()


def test_a_step_swaps_markers_without_reloading_the_map(
    server: str, browser: Browser, expected: dict[str, int]
) -> None:
    frame = browser.open_map(server + "/")
    assert browser.slider_day() == LAST_DAY
    handle, inner = browser.map_frame()
    inner.evaluate("window.__dateline_e2e = 'kept'")
    renders = inner.evaluate("window.dateline.renders")

    browser.page.get_by_role("button", name="◀").click()
    inner.wait_for_function(f"window.dateline.renders > {renders}", timeout=30_000)
    markers = frame.locator(f"path.{INCIDENT_CLASS}")
    assert markers.count() == expected["step"] < expected["all"]
    assert browser.slider_day() == STEP_BACK_DAY
    # the same iframe and document: the markers were swapped in place
    assert handle.evaluate("e => e.isConnected")
    assert inner.evaluate("window.__dateline_e2e") == "kept"
    assert browser.page.locator('iframe[src*="st_folium"]').count() == 1
    # Streamlit sets the URL with history.pushState, which page.url may not have seen yet
    browser.page.wait_for_function(
        f"() => location.search.includes('date={STEP_BACK_DAY}')", timeout=10_000
    )

    browser.page.get_by_role("button", name="▶").click()
    inner.wait_for_function(f"window.dateline.renders > {renders + 1}", timeout=30_000)
    assert markers.count() == expected["all"]
    assert inner.evaluate("window.__dateline_e2e") == "kept"
    browser.page.screenshot(path=str(ARTIFACTS / "map-step.png"), full_page=True)
    browser.check_offline()


def test_play_advances_the_date(server: str, browser: Browser, expected: dict[str, int]) -> None:
    frame = browser.open_map(server + "/?date=2024-08-31&window=week")
    assert browser.slider_day() == "2024-08-31"
    assert frame.locator(f"path.{INCIDENT_CLASS}").count() == expected["week_aug"]
    _, inner = browser.map_frame()
    inner.evaluate("window.__dateline_e2e = 'kept'")

    browser.page.get_by_role("button", name="Play", exact=True).click()
    seen = ["2024-08-31"]
    deadline = time.monotonic() + 30
    while len(seen) < 3 and time.monotonic() < deadline:
        day = browser.slider_day()
        if day != seen[-1]:
            seen.append(day)
        browser.page.wait_for_timeout(200)
    assert seen == ["2024-08-31", "2024-09-07", "2024-09-14"], seen
    assert frame.locator(f"path.{INCIDENT_CLASS}").count() == 0  # nothing in those weeks
    assert inner.evaluate("window.__dateline_e2e") == "kept"

    browser.page.get_by_role("button", name="Pause").click()
    browser.page.get_by_role("button", name="Play", exact=True).wait_for(timeout=10_000)
    stopped = browser.slider_day()
    browser.page.wait_for_timeout(4_000)  # more than two Play intervals
    assert browser.slider_day() == stopped
    browser.check_offline()


def test_cluster_heat_and_faint_layers(server: str, browser: Browser) -> None:
    frame = browser.open_map(server + "/?cluster=1&heat=1&places=1")
    frame.locator(".marker-cluster").first.wait_for(timeout=30_000)
    assert frame.locator(".marker-cluster").count() >= 1
    assert frame.locator(f"path.{CELL_CLASS}").count() >= 1
    assert frame.locator(f"path.{FAINT_CLASS}").count() >= 1
    browser.page.screenshot(path=str(ARTIFACTS / "map-layers.png"), full_page=True)
    browser.check_offline()


def test_other_pages_render(server: str, browser: Browser) -> None:
    browser.open_map(server + "/")
    browser.page.get_by_role("link", name="Incidents").click()
    browser.page.get_by_role("heading", name="Incidents").wait_for(timeout=30_000)
    browser.page.get_by_text("GeoParquet").wait_for(timeout=30_000)
    browser.page.get_by_role("link", name="Add articles").click()
    browser.page.get_by_role("heading", name="Add articles").wait_for(timeout=30_000)
    browser.page.get_by_role("tab", name="Fetch a URL").click()
    # .invalid never resolves (RFC 2606), with or without internet
    browser.page.get_by_label("Address (http or https)").fill("https://dateline-e2e.invalid/")
    browser.page.get_by_role("button", name="Fetch").click()
    # the server cannot reach it: a clear message, and no request from the browser outside
    browser.page.get_by_text(re.compile("Cannot fetch")).wait_for(timeout=30_000)
    browser.check_offline()


def test_a_filter_reframes_the_map_unless_the_user_moved_it(server: str, browser: Browser) -> None:
    """Choosing a country moves the map onto its incidents, in the same map (no reload); once
    the user has moved the map, another filter leaves it where they put it."""
    browser.open_map(server + "/")
    handle, inner = browser.map_frame()
    inner.evaluate("window.__dateline_e2e = 'kept'")
    before = inner.evaluate("window.map.getZoom()")
    renders = inner.evaluate("window.dateline.renders")
    page = browser.page
    for _ in range(3):  # a rerun that ends meanwhile may close the list: choose again
        page.get_by_test_id("stMultiSelect").nth(1).click()  # countries
        page.get_by_role("option", name=re.compile(r"^UA\b")).click()
        page.keyboard.press("Escape")
        try:
            page.wait_for_function("() => location.search.includes('country=UA')", timeout=10_000)
            break
        except Exception:  # noqa: BLE001 - not taken: try again
            continue
    inner.wait_for_function(f"window.dateline.renders > {renders}", timeout=30_000)
    inner.wait_for_function("(window.dateline.frame || {}).fits === 1", timeout=10_000)
    assert inner.evaluate("window.__dateline_e2e") == "kept" and handle.evaluate(
        "e => e.isConnected"
    )
    assert inner.evaluate("window.map.getZoom()") > before  # closer: one country, not the world
    # the user moves the map; a new filter then keeps their view
    inner.evaluate("window.map.setView([40.0, 10.0], 4)")
    renders = inner.evaluate("window.dateline.renders")
    page.get_by_test_id("stMultiSelect").first.click()  # event types
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    inner.wait_for_function(f"window.dateline.renders > {renders}", timeout=30_000)
    center = inner.evaluate("[window.map.getCenter().lat, window.map.getZoom()]")
    assert center[1] == 4 and abs(center[0] - 40.0) < 0.01
    assert inner.evaluate("window.dateline.frame.fits") == 1
    browser.check_offline()
