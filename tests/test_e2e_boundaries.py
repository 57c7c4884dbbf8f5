"""End to end, the basemap's admin-1 boundaries and names in Debian's Chromium, with no network.

* a standalone page (Leaflet from ``file://``, QGIS's world map lines and the labels inlined,
  every other request aborted) draws the lines between oblasts and names them at zoom 6, and
  neither at zoom 3;
* an HTML export (the page the PNG and the playback frames are drawn from) does the same, with
  the lines' credit in its corner.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.app_server import ARTIFACTS
from geodata.maps.layers import ADMIN1_CLASS, LABEL_CLASS
from tests.e2e_support import Browser

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

_CENTRE = (49.0, 32.0)  # the middle of Ukraine
_MAP_JS = "window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))]"
# the oblasts whose names the gazetteer gives (GeoNames), around the centre
_OBLASTS = {"Cherkasy", "Kirovohrad", "Poltava", "Zhytomyr", "Khmelnytskyi", "Mykolaiv"}


def _local_files_only(route: Any) -> None:
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


def _set_view(page: Any, zoom: int) -> None:
    page.evaluate(f"{_MAP_JS}.setView([{_CENTRE[0]}, {_CENTRE[1]}], {zoom}, {{animate: false}})")
    page.wait_for_function(
        f"() => window.dateline.labels && window.dateline.labels.zoom === {zoom}"
        f" && window.dateline.admin1 && window.dateline.admin1.zoom === {zoom}",
        timeout=10_000,
    )


def _drawn_lines(page: Any) -> int:
    """The admin-1 paths drawn inside the map's box (Leaflet clips the rest away)."""
    return page.eval_on_selector_all(
        f"path.{ADMIN1_CLASS}",
        """els => els.filter(e => { const r = e.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                && r.left < innerWidth && r.top < innerHeight; }).length""",
    )


def _admin1_names(page: Any) -> list[str]:
    return page.locator(f".{LABEL_CLASS}-admin1 span").all_text_contents()


def _open(browser: Browser, path: Path) -> tuple[Any, Any, list[str], list[str]]:
    context = browser.browser.new_context(viewport={"width": 1200, "height": 800})
    seen: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    context.route("**/*", _local_files_only)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_function(
        "() => window.dateline && window.dateline.labels && window.dateline.admin1",
        timeout=30_000,
    )
    return context, page, seen, errors


def _check_zooms(page: Any, name: str) -> None:
    _set_view(page, 3)
    assert page.evaluate("window.dateline.admin1.shown") is False
    assert page.locator(f"path.{ADMIN1_CLASS}").count() == 0  # the layer is off the map
    assert _admin1_names(page) == []
    page.screenshot(path=str(ARTIFACTS / f"{name}-zoom3.png"))

    _set_view(page, 6)
    state = page.evaluate("window.dateline.admin1")
    assert state["shown"] is True and state["countries"] > 150 and state["lines"] > 1_000
    assert _drawn_lines(page) > 5  # Ukraine, Belarus, Poland, Russia, Romania, Moldova…
    line = page.locator(f"path.{ADMIN1_CLASS}").first
    assert line.get_attribute("stroke-dasharray") == "4 3"
    names = _admin1_names(page)
    assert len(names) >= len(_OBLASTS) and _OBLASTS <= set(names), names
    page.screenshot(path=str(ARTIFACTS / f"{name}-zoom6.png"))

    _set_view(page, 4)  # below the boundaries' zoom again
    assert _drawn_lines(page) == 0 and _admin1_names(page) == []


def test_standalone_page_draws_admin1_from_mid_zoom(
    browser: Browser, world_map: Path, tmp_path: Path
) -> None:
    from geodata.maps.assets import install_leaflet_assets
    from geodata.maps.basemap import base_map
    from geodata.maps.boundaries import NATURAL_EARTH_CREDIT, Admin1Source, admin1_boundaries
    from geodata.maps.labels import place_labels

    lines = admin1_boundaries(source=Admin1Source(world_map, None, NATURAL_EARTH_CREDIT))
    install_leaflet_assets(tmp_path)
    m = base_map(
        offline=True,
        asset_url=tmp_path.as_uri(),
        labels=place_labels(),
        boundaries=lines,
        center=_CENTRE,
        zoom=3,
    )
    path = tmp_path / "admin1.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    context, page, seen, errors = _open(browser, path)
    _check_zooms(page, "admin1")
    assert errors == []
    assert seen and all(u.startswith(("file:", "data:")) for u in seen), seen
    context.close()


def test_html_export_draws_admin1_with_its_credit(
    browser: Browser, world_map: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geodata.maps import boundaries
    from geodata.maps.snapshot import MapView, view_html

    monkeypatch.delenv(boundaries.ADMIN1_ENV, raising=False)
    assert boundaries.admin1_source().path == world_map
    path = tmp_path / "export.html"
    path.write_text(view_html([], MapView(center=_CENTRE, zoom=6)), encoding="utf-8")
    context, page, seen, errors = _open(browser, path)
    credits = page.locator(".leaflet-control-attribution").inner_text()
    assert "boundaries: Natural Earth" in credits and "GeoNames" in credits
    _check_zooms(page, "admin1-export")
    assert errors == []
    assert seen and all(u.startswith(("file:", "data:")) for u in seen), seen
    context.close()
