"""End to end, hostile input: an article full of ``<script>``, ``onerror`` handlers,
``javascript:`` links and Markdown/HTML injection is shown as text everywhere, and none of its
code runs: map tooltips and popups, the incident details, the Incidents table, the Add
articles page's highlighted text, a snapshot's title and note, and the exported HTML file.

Every payload sets ``window.__pwned`` and opens a dialog; the test records dialogs and checks
the flag in every frame.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.app_server import ARTIFACTS
from geodata.maps.incidents import INCIDENT_CLASS
from tests.e2e_support import Browser, streamlit_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

_IMG = '<img src=x onerror="window.__pwned=1;alert(1)">'
_SCRIPT = "<script>window.__pwned=1;alert(2)</script>"
TITLE = f"Kharkiv {_IMG} **bold** [click](javascript:alert(3))"
TEXT = (
    "KHARKIV, Ukraine, Nov 4 (Reuters) - Russian drones struck Kharkiv on Monday, killing two "
    f"people {_SCRIPT} and wounding five {_IMG}, the regional governor said. "
    '<a href="javascript:alert(4)">details</a> [more](javascript:alert(5))'
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from extract.sources.ingest import ingest_records
    from geodata.store.event_store import Store

    db = tmp_path_factory.mktemp("e2e-hostile") / "dateline.duckdb"
    stats = ingest_records(
        [{"text": TEXT, "title": TITLE, "url": "javascript:alert(6)", "published": "2024-11-05"}],
        store=Store(db),
    )
    assert stats.incidents_new >= 1, stats.summary()
    with streamlit_server(db, log_name="streamlit-e2e-hostile.log") as url:
        yield url


def _no_script_ran(page: Any, dialogs: list[str]) -> None:
    assert dialogs == [], f"a script from the article opened dialogs: {dialogs}"
    for frame in page.frames:
        try:
            pwned = frame.evaluate("() => window.__pwned === undefined ? null : window.__pwned")
        except Exception:  # noqa: BLE001 - a frame detached meanwhile
            continue
        assert pwned is None, f"a script from the article ran in {frame.url}"


def test_article_code_never_runs(server: str, browser: Browser, tmp_path: Path) -> None:
    page = browser.page
    dialogs: list[str] = []
    browser.context.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    frame = browser.open_map(server + "/")
    marker = frame.locator(f"path.{INCIDENT_CLASS}").first
    marker.hover(force=True)
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    marker.click(force=True)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    # the payloads are visible as text
    assert "<script>" in popup.inner_text() or "onerror" in popup.inner_text()
    assert popup.locator("img, script").count() == 0
    assert popup.locator("a[href^='javascript']").count() == 0
    page.get_by_text("Sources (1 article)").wait_for(timeout=20_000)
    page.wait_for_timeout(1_000)
    _no_script_ran(page, dialogs)

    page.get_by_role("link", name="Incidents").click()
    page.get_by_role("heading", name="Incidents").wait_for(timeout=30_000)
    page.wait_for_timeout(2_000)
    _no_script_ran(page, dialogs)

    page.get_by_role("link", name="Add articles").click()
    page.get_by_role("heading", name="Add articles").wait_for(timeout=30_000)
    page.get_by_label("Article text").fill(TEXT)
    page.get_by_label("Title (optional)").fill(TITLE)
    page.get_by_role("button", name="Read the text").click()
    page.get_by_role("button", name="Extract and add to the store").click()
    page.get_by_text("Kharkiv").last.wait_for(timeout=60_000)
    page.wait_for_timeout(2_000)
    _no_script_ran(page, dialogs)

    page.get_by_role("link", name="Map").click()
    browser.open_map(server + "/")
    page.get_by_role("button", name="Save snapshot").click()
    page.get_by_label("Title", exact=True).fill(f"Snap {_IMG} {_SCRIPT}")
    page.get_by_label("Note", exact=True).fill(f"Note {_SCRIPT} [x](javascript:alert(7))")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Open the snapshot").click()
    page.get_by_text("Read-only snapshot saved").wait_for(timeout=60_000)
    page.get_by_role("heading", name=f"Snap {_IMG} {_SCRIPT}").wait_for(timeout=10_000)
    page.get_by_role("button", name="Export").click()
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="HTML map (works offline)").click()
    html_file = tmp_path / "hostile.html"
    info.value.save_as(html_file)
    page.screenshot(path=str(ARTIFACTS / "hostile-snapshot.png"), full_page=True)
    _no_script_ran(page, dialogs)

    exported = browser.context.new_page()
    exported.goto(html_file.as_uri())
    exported.wait_for_function("() => window.dateline && window.dateline.incidents")
    exported.locator(f"path.{INCIDENT_CLASS}").first.click(force=True)
    exported.locator(".leaflet-popup-content").wait_for(timeout=10_000)
    assert "<script>" in exported.locator("#dl-titlebox").inner_text()
    exported.wait_for_timeout(1_000)
    _no_script_ran(exported, dialogs)
