"""End to end, the basemap's place labels in Debian's Chromium, with no network.

* a standalone page (Leaflet from ``file://``, the labels inlined, every other request
  aborted) names countries and capitals at zoom 4, and towns only once zoomed in;
* the app's map loads the labels (and the admin-1 lines, when installed) from its static
  folder and shows them, every request local.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.app_server import ARTIFACTS
from geodata.maps.boundaries import admin1_source
from geodata.maps.layers import LABEL_CLASS
from tests.e2e_support import Browser, streamlit_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

_KYIV = (50.45, 30.52)


def _local_files_only(route: Any) -> None:
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


def _shown(frame: Any) -> list[str]:
    """The texts of the labels on the map now."""
    return frame.locator(f".{LABEL_CLASS} span").all_text_contents()


def _set_view(frame: Any, map_js: str, zoom: int) -> None:
    frame.evaluate(f"{map_js}.setView([{_KYIV[0]}, {_KYIV[1]}], {zoom}, {{animate: false}})")
    frame.wait_for_function(
        f"() => window.dateline.labels && window.dateline.labels.zoom === {zoom}",
        timeout=10_000,
    )


@pytest.fixture(scope="module")
def labelled_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from geodata.maps.assets import install_leaflet_assets
    from geodata.maps.basemap import base_map
    from geodata.maps.labels import place_labels

    folder = tmp_path_factory.mktemp("e2e-labels")
    install_leaflet_assets(folder)
    m = base_map(offline=True, asset_url=folder.as_uri(), labels=place_labels(), zoom=4)
    page = folder / "labels.html"
    page.write_text(m.get_root().render(), encoding="utf-8")
    return page


def test_labels_show_more_places_as_the_map_zooms_in(browser: Browser, labelled_page: Path) -> None:
    context = browser.browser.new_context(viewport={"width": 1200, "height": 800})
    seen: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    context.route("**/*", _local_files_only)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(labelled_page.as_uri())
    page.wait_for_function("() => window.dateline && window.dateline.labels", timeout=30_000)
    map_js = "window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))]"

    _set_view(page, map_js, 4)
    at4 = _shown(page)
    assert {"Kyiv", "Ukraine", "Poland", "Moscow"} <= set(at4), at4
    assert page.locator(f".{LABEL_CLASS}-capital span", has_text="Kyiv").is_visible()
    assert page.locator(f".{LABEL_CLASS}-country span", has_text="Ukraine").is_visible()
    assert "Brovary" not in at4 and "Kharkiv" not in at4
    page.screenshot(path=str(ARTIFACTS / "labels-zoom4.png"))

    _set_view(page, map_js, 7)
    at7 = _shown(page)
    assert {"Kyiv", "Kharkiv"} <= set(at7) and len(at7) > 0

    _set_view(page, map_js, 10)
    at10 = _shown(page)
    assert "Brovary" in at10 and "Ukraine" not in at10, at10  # a town, off the country's point
    assert page.locator(f".{LABEL_CLASS}-city span", has_text="Brovary").is_visible()
    page.screenshot(path=str(ARTIFACTS / "labels-zoom10.png"))

    # the labels overlap little: no two boxes of the drawn labels cross much
    _set_view(page, map_js, 5)
    boxes = page.eval_on_selector_all(
        f".{LABEL_CLASS} span",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })",
    )
    assert len(boxes) > 20
    crossing = sum(
        1
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a[2], b[2]) - max(a[0], b[0]) > 8 and min(a[3], b[3]) - max(a[1], b[1]) > 6
    )
    assert crossing <= len(boxes) // 10, crossing
    assert errors == []
    assert seen and all(u.startswith(("file:", "data:")) for u in seen), seen
    context.close()


def test_the_app_map_loads_its_labels_locally(db: Path, browser: Browser) -> None:
    with streamlit_server(db, log_name="streamlit-e2e-labels.log") as url:
        frame = browser.open_map(url + "/")
        _, inner = browser.map_frame()
        inner.wait_for_function(
            "() => window.dateline.labels && window.dateline.labels.shown > 0", timeout=30_000
        )
        assert inner.evaluate("window.dateline.labels.total") > 1_000
        names = _shown(frame)
        assert "Ukraine" in names or "Kyiv" in names, names
        browser.page.screenshot(path=str(ARTIFACTS / "labels-app.png"))
        assert any("/app/static/dateline/place-labels" in u for u in browser.requests)
        if admin1_source() is not None:  # (qgis-common: ./test.sh installs it)
            # the admin-1 lines too, from the static folder, whatever the zoom
            inner.wait_for_function("() => window.dateline.admin1", timeout=30_000)
            assert inner.evaluate("window.dateline.admin1.lines") > 1_000
            assert any("/app/static/dateline/admin1-lines" in u for u in browser.requests)
        browser.check_offline()
