"""End to end, sharing: permalinks, frozen snapshots and the exports, in Debian's Chromium.

A real ``streamlit run app.py`` on an empty temporary store (the app seeds the sample), driven
through Playwright:

* change the view (window, a filter, the map's zoom), copy the link, open it in a fresh
  browser context: the same date, window, filters, markers and map position;
* save a snapshot, ingest another article, open the snapshot's link: the same markers, while
  the live map shows the new incident;
* the HTML export, downloaded from the app, draws its markers from a ``file://`` URL with every
  network request blocked;
* the PNG export is the requested size, not blank, and shows the markers' colours.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.app_server import ARTIFACTS, ROOT
from geodata.maps.incidents import EVENT_COLORS, INCIDENT_CLASS
from tests.e2e_support import Browser, streamlit_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

_IDS_JS = (
    "() => window.dateline.incidents.layer.getLayers().map(l => l.feature.properties.id).sort()"
)
_NEW_ARTICLE = (
    "KHERSON, Ukraine, Nov 5 (Reuters) - Russian shelling killed three civilians and wounded "
    "five others in the city of Kherson on Tuesday, the regional governor said."
)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from geodata.gazetteer.index import load_gazetteer

    load_gazetteer()  # built before the server's first page load needs it
    return tmp_path_factory.mktemp("e2e-share") / "dateline.duckdb"  # empty: the app seeds it


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[str]:
    with streamlit_server(store_path, log_name="streamlit-e2e-share.log") as url:
        yield url


def _inner(browser: Browser, page: Any | None = None) -> Any:
    page = page or browser.page
    return page.locator('iframe[src*="st_folium"]').element_handle().content_frame()


def _href(page: Any) -> str:
    # Streamlit changes the URL with history.pushState; read it from the page itself
    return page.evaluate("location.href")


def _copied_link(page: Any) -> str:
    page.get_by_role("button", name="Copy link").click()
    code = page.get_by_test_id("stPopoverBody").get_by_test_id("stCode").first
    code.wait_for(timeout=10_000)
    link = re.sub(r"\s+", "", code.inner_text())
    page.keyboard.press("Escape")
    return link


def _first_marker(page: Any) -> Any:
    return page.frame_locator('iframe[src*="st_folium"]').locator(f"path.{INCIDENT_CLASS}").first


def _local_files_only(route: Any) -> None:
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


def _wait_for_param(page: Any, pattern: str) -> None:
    page.wait_for_function(f"() => new RegExp({pattern!r}).test(location.search)", timeout=30_000)


def test_the_copied_link_restores_the_view(server: str, browser: Browser) -> None:
    page = browser.page
    browser.open_map(server + "/")
    inner = _inner(browser)
    renders = inner.evaluate("window.dateline.renders")

    page.get_by_text("Month", exact=True).click()  # window
    inner.wait_for_function(f"window.dateline.renders > {renders}", timeout=30_000)
    renders = inner.evaluate("window.dateline.renders")
    page.get_by_test_id("stMultiSelect").first.click()  # event types filter
    page.get_by_role("option", name="Explosions/Remote violence").click()
    page.keyboard.press("Escape")
    inner.wait_for_function(f"window.dateline.renders > {renders}", timeout=30_000)
    _wait_for_param(page, "type=Explosions")
    zoom = inner.evaluate("window.map.getZoom()")
    inner.evaluate(f"window.map.setView([48.5, 36.0], {zoom + 2})")  # pan and zoom
    _wait_for_param(page, f"zoom={zoom + 2}")

    ids = inner.evaluate(_IDS_JS)
    center = inner.evaluate("window.map.getCenter()")
    day = browser.slider_day()
    assert ids, "the filtered view shows no marker"
    link = _copied_link(page)
    assert link == _href(page)
    for part in ("window=month", "type=Explosions", f"zoom={zoom + 2}", "center=48.5"):
        assert part in link, (part, link)

    fresh = browser.browser.new_context(viewport={"width": 1400, "height": 1250})
    other = fresh.new_page()
    other.goto(link, wait_until="domcontentloaded")
    frame = other.frame_locator('iframe[src*="st_folium"]')
    frame.locator(f"path.{INCIDENT_CLASS}").first.wait_for(timeout=120_000)
    inner2 = _inner(browser, other)
    inner2.wait_for_function(f"window.map.getZoom() === {zoom + 2}", timeout=30_000)
    assert other.get_by_role("slider", name="Date").get_attribute("aria-valuetext") == day
    assert inner2.evaluate(_IDS_JS) == ids
    restored = inner2.evaluate("window.map.getCenter()")
    pixel = 360 / (256 * 2 ** (zoom + 2))  # degrees of longitude per pixel
    assert abs(restored["lat"] - center["lat"]) < 3 * pixel + 1e-3
    assert abs(restored["lng"] - center["lng"]) < 3 * pixel + 1e-3
    chosen = other.get_by_test_id("stMultiSelect").first.inner_text()
    assert "Explosions/Remote violence" in chosen
    other.screenshot(path=str(ARTIFACTS / "share-link.png"), full_page=True)
    fresh.close()
    browser.check_offline()


def test_a_snapshot_stays_the_same_after_an_ingest(
    server: str, browser: Browser, store_path: Path
) -> None:
    from extract.sources.ingest import ingest_records
    from geodata.store.event_store import Store

    page = browser.page
    browser.open_map(server + "/")
    saved_ids = _inner(browser).evaluate(_IDS_JS)
    page.get_by_role("button", name="Save snapshot").click()
    page.get_by_label("Title", exact=True).fill("Kursk front <b>e2e</b>")
    page.get_by_label("Note", exact=True).fill("Before the Kherson report.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved. Its read-only link:").wait_for(timeout=30_000)
    code = page.get_by_test_id("stPopoverBody").get_by_test_id("stCode").last
    link = re.sub(r"\s+", "", code.inner_text())
    assert re.search(r"\?snapshot=[A-Za-z0-9_-]{20,}$", link), link

    store = Store(store_path)
    before = {r["id"] for r in store.incidents() if r["lat"] is not None}
    stats = ingest_records(
        [{"text": _NEW_ARTICLE, "title": "Kherson shelling", "published": "2024-11-05"}],
        store=store,
    )
    assert stats.new == 1
    after = {r["id"] for r in store.incidents() if r["lat"] is not None}
    assert after > before, "the new article added no located incident"

    live = browser.context.new_page()
    live.goto(server + "/", wait_until="domcontentloaded")
    _first_marker(live).wait_for(timeout=60_000)
    live_inner = _inner(browser, live)
    live_inner.wait_for_function(
        f"window.dateline.incidents.count === {len(after)}", timeout=30_000
    )

    snap = browser.context.new_page()
    snap.goto(link, wait_until="domcontentloaded")
    snap.get_by_text("Read-only snapshot saved").wait_for(timeout=60_000)
    _first_marker(snap).wait_for(timeout=60_000)
    assert _inner(browser, snap).evaluate(_IDS_JS) == saved_ids
    # the title is text, not markup
    snap.get_by_role("heading", name="Kursk front <b>e2e</b>").wait_for(timeout=10_000)
    assert snap.get_by_text("Before the Kherson report.").count() == 1
    snap.screenshot(path=str(ARTIFACTS / "share-snapshot.png"), full_page=True)

    snap.goto(server + "/snapshots", wait_until="domcontentloaded")
    snap.get_by_text("Kursk front <b>e2e</b>").wait_for(timeout=30_000)
    browser.check_offline()


def _download(page: Any, button: str, path: Path) -> Path:
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=button).click()
    info.value.save_as(path)
    return path


def test_the_html_export_works_from_a_file_with_no_network(
    server: str, browser: Browser, tmp_path: Path
) -> None:
    page = browser.page
    browser.open_map(server + "/")
    shown = _inner(browser).evaluate("window.dateline.incidents.count")
    page.get_by_role("button", name="Export").click()
    html_file = _download(page, "HTML map (works offline)", tmp_path / "map.html")

    offline = browser.browser.new_context(viewport={"width": 1200, "height": 800})
    seen: list[str] = []
    offline.on("request", lambda r: seen.append(r.url))
    offline.route("**/*", _local_files_only)
    errors: list[str] = []
    view = offline.new_page()
    view.on("pageerror", lambda exc: errors.append(str(exc)))
    view.goto(html_file.as_uri())
    view.wait_for_function("() => window.dateline && window.dateline.incidents", timeout=30_000)
    assert view.locator(f"path.{INCIDENT_CLASS}").count() == shown > 0
    assert view.locator("#dl-legend").inner_text().strip()
    assert errors == []
    assert seen and all(u.startswith(("file:", "data:")) for u in seen), seen
    view.screenshot(path=str(ARTIFACTS / "share-export-html.png"))
    offline.close()


def _colour_pixels(png: bytes, colour: str, backgrounds: list[str], tol: float = 14.0) -> int:
    """Pixels close to ``colour`` drawn at the markers' opacity over one of ``backgrounds``."""
    import numpy as np
    from PIL import Image

    def rgb(hex_colour: str) -> np.ndarray:
        return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)

    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)
    total = 0
    for bg in backgrounds:
        target = 0.85 * rgb(colour) + 0.15 * rgb(bg)  # fillOpacity 0.85 (geodata.maps.basemap)
        total += int((np.linalg.norm(img - target, axis=2) < tol).sum())
    return total


def test_the_png_export_is_the_requested_size_and_shows_the_markers(
    server: str, browser: Browser, store_path: Path, tmp_path: Path
) -> None:
    import numpy as np
    from PIL import Image

    page = browser.page
    browser.open_map(server + "/")
    page.get_by_role("button", name="Export").click()
    page.get_by_role("button", name="Make PNG image").click()
    png_file = _download(page, "Download PNG", tmp_path / "map.png")
    png = png_file.read_bytes()
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.size == (1200, 800)
    assert np.asarray(img.convert("L"), dtype=float).std() > 10  # not blank

    # the CLI draws the same kind of image at another size
    out = tmp_path / "cli.png"
    cmd = [sys.executable, "-m", "geodata", "snapshot", "--db", str(store_path)]
    cmd += ["--out", str(out), "--width", "900", "--height", "600", "--title", "CLI"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert Image.open(out).size == (900, 600)

    from geodata.store.event_store import Store

    types = {r["event_type"] for r in Store(store_path, read_only=True).incidents() if r["lat"]}
    types &= set(EVENT_COLORS)
    land, ocean = "#f4f1ea", "#dbe9f4"
    for image in (png, out.read_bytes()):
        # markers at the same place hide each other: most, not all, types must show
        found = {t: _colour_pixels(image, EVENT_COLORS[t], [land, ocean]) for t in types}
        shown = [t for t, n in found.items() if n >= 12]
        assert len(shown) >= min(2, len(types)), found
    Path(ARTIFACTS / "share-export.png").write_bytes(png)
