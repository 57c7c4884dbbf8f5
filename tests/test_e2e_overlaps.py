"""Markers at one point (several incidents in one town) in Chromium: a click spreads them
around the point so each can be reached, a click elsewhere gathers them again. Checked on a
standalone HTML export (``file://``, every other request aborted), which draws its markers
with the same layer as the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.app_server import ARTIFACTS
from geodata.maps.snapshot import MapView, view_html
from tests.e2e_support import Browser

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _row(iid: str, lat: float, lon: float, etype: str = "Battles") -> dict[str, Any]:
    return dict(
        id=iid, event_type=etype, sub_event_type="Armed clash", date="2024-05-10",
        date_precision="day", location="Town", lat=lat, lon=lon, geo_precision=1,
        country="UA", fatalities=1, sentence=f"Fighting ({iid}) in the town.", confidence=0.8,
    )  # fmt: skip


def _local_files_only(route: Any) -> None:
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


_POSITIONS = """() => {
    var out = [];
    window.dateline.incidents.layer.eachLayer(function (m) {
        var ll = m.getLatLng(); out.push([m.feature.properties.id, ll.lat, ll.lng]);
    });
    return out.sort();
}"""


def test_markers_at_one_point_spread_on_a_click(browser: Browser, tmp_path: Path) -> None:
    rows = [_row("a", 49.99, 36.23), _row("b", 49.99, 36.23, "Protests"), _row("c", 49.99, 36.23)]
    rows.append(_row("d", 50.45, 30.52))
    page_path = tmp_path / "overlaps.html"
    page_path.write_text(view_html(rows, MapView(center=(50.2, 33.4), zoom=7)), encoding="utf-8")
    context = browser.browser.new_context(viewport={"width": 1200, "height": 800})
    context.route("**/*", _local_files_only)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(page_path.as_uri())
    page.wait_for_function("() => window.dateline && window.dateline.incidents", timeout=30_000)
    assert page.evaluate("window.dateline.incidents.shared") == 1  # one point holds several
    before = page.evaluate(_POSITIONS)
    assert len({(lat, lon) for _, lat, lon in before}) == 2  # a, b, c drawn on one spot
    page.evaluate(
        """() => { var first = null;
        window.dateline.incidents.layer.eachLayer(function (m) {
            if (!first && m.feature.properties.id === "a") { first = m; } });
        first.fire("click"); }"""
    )
    spread = page.evaluate(_POSITIONS)
    assert len({(lat, lon) for _, lat, lon in spread}) == 4  # each reachable on its own
    assert [p for p in spread if p[0] == "d"] == [p for p in before if p[0] == "d"]
    page.screenshot(path=str(ARTIFACTS / "overlaps-spread.png"))
    map_js = "window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))]"
    page.evaluate(f"() => {map_js}.fire('click', {{latlng: L.latLng(45, 20)}})")
    assert page.evaluate(_POSITIONS) == before  # gathered again
    assert errors == []
    context.close()
