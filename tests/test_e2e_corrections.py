"""A place fix in Chromium: a reporter adds an article, re-points one of its places, and the
incident moves on the map and in the CSV download (the article is extracted again and the store
rewritten, not only the preview). Then the article is found again on the Articles page."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.app_server import ARTIFACTS
from tests.e2e_support import Browser, choose_option, streamlit_server, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TEXT = (
    "ODESA, 3 November 2024 - A Russian drone attack on Odesa injured four people on Sunday, "
    "the regional governor said."
)
TITLE = "Drone attack on Odesa"
_POSITIONS = """() => {
    var out = {};
    window.dateline.incidents.layer.eachLayer(function (m) {
        var ll = m.getLatLng(); out[m.feature.properties.id] = [ll.lat, ll.lng];
    });
    return out;
}"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e-fix") / "dateline.duckdb"  # empty: the app seeds it


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    with streamlit_server(db, log_name="streamlit-e2e-corrections.log") as url:
        yield url


def _choose(page, label: str, option: re.Pattern[str]) -> None:
    """Choose the option matching ``option`` in the select box labelled ``label``."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    wanted = page.get_by_role("option").filter(has_text=option).first
    choose_option(page, box.locator("input"), wanted, what=f"{option.pattern!r} in {label!r}")


def test_a_saved_fix_moves_the_incident_on_the_map_and_in_the_csv(
    server: str, db: Path, browser: Browser, tmp_path: Path
) -> None:
    from geodata.store.event_store import Store, article_id

    page = browser.page
    page.goto(server + "/add", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Add articles").wait_for(timeout=240_000)
    # the first request of a fresh server named a page: it still runs inside app.py
    page.get_by_text("Map layers", exact=True).wait_for(timeout=30_000)
    assert page.get_by_role("link", name="Add articles").count() == 1
    page.get_by_label("Article text").fill(TEXT)
    page.get_by_label("Title (optional)").fill(TITLE)
    page.get_by_role("button", name="Read the text").click()
    page.get_by_role("button", name="Extract and add to the store").click()
    page.get_by_text("Fix a place").wait_for(timeout=120_000)
    aid = article_id(TEXT)
    (before,) = Store(db, read_only=True).article_incidents(aid)
    assert before["country"] == "UA"

    _choose(page, "Mention", re.compile("^“Odesa” at 51"))
    search = page.get_by_role("textbox", name="Search the gazetteer")
    search.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('input')].some(i => i.value === 'Odesa')"
    )
    search.fill("Odessa")
    search.press("Enter")
    wait_idle(page)
    _choose(page, "Use this place", re.compile(r"^Odessa, Texas, US \("))
    wait_idle(page)
    page.get_by_role("button", name="Save fix").click()
    page.get_by_text("extracted again").wait_for(timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "fix-saved.png"), full_page=True)
    (after,) = Store(db, read_only=True).article_incidents(aid)
    assert after["id"] == before["id"] and after["country"] == "US"

    # the map draws the incident in Texas
    frame = browser.open_map(server + "/?date=2024-11-03&window=day")
    _, inner = browser.map_frame()
    lat, lon = inner.evaluate(_POSITIONS)[after["id"]]
    assert (lat, lon) == pytest.approx((after["lat"], after["lon"]), abs=1e-4)
    assert lon < -90 and 25 < lat < 37
    assert frame is not None

    # the CSV download has it in Texas too
    page.get_by_role("link", name="Incidents").click()
    page.get_by_role("heading", name="Incidents").wait_for(timeout=60_000)
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="CSV", exact=True).click()
    path = tmp_path / "incidents.csv"
    info.value.save_as(path)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))}
    assert float(rows[after["id"]]["lon"]) == pytest.approx(after["lon"], abs=1e-4)
    assert rows[after["id"]]["country"] == "US"

    # the article can be found and opened again
    page.get_by_role("link", name="Articles", exact=True).click()
    page.get_by_role("heading", name="Articles").wait_for(timeout=60_000)
    page.get_by_label("Search the stored articles").fill("drone attack")
    page.get_by_label("Search the stored articles").press("Enter")
    page.get_by_text("1 article, the last added first").wait_for(timeout=30_000)
    wait_idle(page)
    grid = page.get_by_test_id("stDataFrame").first.bounding_box()
    assert grid is not None
    page.mouse.click(grid["x"] + 18, grid["y"] + 35 + 17)  # the first row's selection box
    page.get_by_role("heading", name=TITLE).wait_for(timeout=30_000)
    page.get_by_text("Fix a place", exact=True).wait_for(timeout=30_000)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "page-articles-open-1366x768.png"))
    browser.check_offline()
