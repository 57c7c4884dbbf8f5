"""The Map page puts the map first: at 1366×768 (a common laptop screen) the map's top edge
is within the first 250 pixels; every page is photographed at that size in ``artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.app_server import ARTIFACTS
from tests.e2e_support import Browser, streamlit_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("e2e-layout") / "dateline.duckdb"  # empty: the app seeds it
    with streamlit_server(db, log_name="streamlit-e2e-layout.log") as url:
        yield url


def test_the_map_comes_first_at_1366_by_768(server: str, browser: Browser) -> None:
    browser.page.set_viewport_size(VIEWPORT)
    browser.open_map(server + "/")
    box = browser.page.locator('iframe[src*="st_folium"]').bounding_box()
    assert box is not None
    assert box["y"] <= 250, box  # the map starts near the top of the first screen
    assert box["y"] + box["height"] / 2 < VIEWPORT["height"]  # most of it is above the fold
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.page.screenshot(path=str(Path(ARTIFACTS) / "page-map-1366x768.png"))


@pytest.mark.parametrize("path", ["incidents", "add", "articles", "snapshots"])
def test_every_page_photographed_at_1366_by_768(server: str, browser: Browser, path: str) -> None:
    page = browser.page
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    page.get_by_test_id("stMain").wait_for(timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000
    )
    page.wait_for_timeout(500)
    assert page.get_by_test_id("stException").count() == 0
    page.screenshot(path=str(Path(ARTIFACTS) / f"page-{path}-1366x768.png"))
