"""Map exports of issue 6 (:mod:`geodata.maps.snapshot`): GeoJSON, the standalone HTML page, the
PNG drawn by a headless Chromium, :class:`MapView` and ``write_view``. The command line
``python -m geodata snapshot`` is in ``test_snapshot_cli.py``."""

from __future__ import annotations

import html
import io
import json
import math
import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from geodata.errors import BrowserUnavailableError, ExportError, InputError
from geodata.maps import snapshot
from geodata.maps.incidents import EVENT_COLORS
from geodata.maps.snapshot import (
    MapView,
    export_format,
    find_browser,
    render_png,
    view_geojson,
    view_html,
    write_view,
)
from geodata.store.event_store import Store
from geodata.view import IncidentFilter
from tests.app_support import INCIDENTS_MARK, sample_store_template
from tests.e2e_support import require_chromium
from tests.snapshot_support import FIT, features, titlebox

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"


# --- helpers ---------------------------------------------------------------------------------


def _row(iid: str, **fields: Any) -> dict[str, Any]:
    """An incident row like ``Store.incidents`` returns."""
    row: dict[str, Any] = dict(
        id=iid, event_type="Battles", sub_event_type="Armed clash", date="2024-05-10",
        date_precision="day", date_start="2024-05-10", date_end="2024-05-10", place_index=0,
        location="Kharkiv", lat=49.98, lon=36.25, geo_precision=1, country="UA",
        admin1="Kharkiv Oblast", actor1="Russian forces", actor2=None, fatalities=2,
        injured=None, sentence="Shelling hit Kharkiv on Friday.", start=0, end=30,
        confidence=0.8, trigger="shelling", time_precision=1, n_sources=1, article_id="a1",
        title="Kharkiv shelled", url="https://example.org/kharkiv",
    )  # fmt: skip
    row.update(fields)
    return row


def _legend(page: str) -> str:
    start = page.index('<div id="dl-legend"')
    return page[start : page.index("size: fatalities", start)]


@pytest.fixture(scope="module")
def sample_rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The incidents of the ingested sample article (12, all located)."""
    rows = Store(sample_store_template(tmp_path_factory.getbasetemp())).incidents()
    assert len(rows) >= 8 and all(r["lat"] is not None for r in rows)
    return rows


# --- GeoJSON ---------------------------------------------------------------------------------


def test_geojson_is_rfc7946() -> None:
    rows = [
        _row("located", lat=50.45, lon=30.52, date=date(2024, 5, 10)),
        _row("nowhere", lat=None, lon=None, date="2024-05-11"),
        _row("stamped", lat=-33.9, lon=151.2, date=datetime(2024, 5, 12, 8, 30), fatalities=0),
    ]
    collection = view_geojson(rows)
    text = json.dumps(collection, allow_nan=False)  # plain JSON, nothing else
    assert json.loads(text) == collection
    assert collection["type"] == "FeatureCollection"
    feats = collection["features"]
    assert [f["type"] for f in feats] == ["Feature"] * 3
    assert [f["id"] for f in feats] == ["located", "nowhere", "stamped"]
    # [longitude, latitude], in this order (RFC 7946 § 3.1.1)
    assert feats[0]["geometry"] == {"type": "Point", "coordinates": [30.52, 50.45]}
    assert feats[2]["geometry"] == {"type": "Point", "coordinates": [151.2, -33.9]}
    assert feats[1]["geometry"] is None  # unlocated: a feature with a null geometry
    # the coordinates are not repeated among the properties; dates are ISO strings
    assert all("lat" not in f["properties"] and "lon" not in f["properties"] for f in feats)
    assert feats[0]["properties"]["date"] == "2024-05-10"
    assert feats[1]["properties"]["date"] == "2024-05-11"
    assert feats[2]["properties"]["date"] == "2024-05-12T08:30:00"
    assert feats[2]["properties"]["fatalities"] == 0
    assert feats[0]["properties"]["event_type"] == "Battles"


def test_geojson_of_stored_rows_keeps_every_incident(sample_rows: list[dict[str, Any]]) -> None:
    collection = json.loads(json.dumps(view_geojson(sample_rows)))
    assert [f["id"] for f in collection["features"]] == [r["id"] for r in sample_rows]
    for feat, row in zip(collection["features"], sample_rows, strict=True):
        assert feat["geometry"]["coordinates"] == [row["lon"], row["lat"]]
        assert feat["properties"]["country"] == row["country"]
    assert view_geojson([]) == {"type": "FeatureCollection", "features": []}


def test_geojson_turns_odd_values_into_json() -> None:
    row = _row("odd", extra={"nested": 1}, spans=(1, 2), sources=[{"d": date(2024, 1, 2)}])
    props = view_geojson([row])["features"][0]["properties"]
    json.dumps(props)  # must not raise
    assert props["spans"] == [1, 2]
    assert isinstance(props["extra"], str)


# --- standalone HTML -------------------------------------------------------------------------


@pytest.mark.parametrize("cluster", [False, True])
def test_html_loads_nothing_from_outside(sample_rows: list[dict[str, Any]], cluster: bool) -> None:
    page = view_html(sample_rows, MapView(cluster=cluster, heat=True))
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link\b[^>]*\bhref\s*=", page, re.IGNORECASE)
    assert not re.search(r"<img\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//", page, re.IGNORECASE)
    assert "@import" not in page
    assert "dateline-asset:" not in page and "/app/static" not in page
    # every url(...) in the inlined styles is a data: URI
    for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", page):
        assert url.startswith(("data:", "#")), url
    # Leaflet's own code is in the page
    assert "Leaflet 1.9" in page and "leafletjs.com" in page
    assert ".leaflet-container" in page  # its stylesheet
    assert "L.map(" in page
    assert ("MarkerClusterGroup" in page) is cluster
    assert ".marker-cluster" in page if cluster else ".marker-cluster-small" not in page
    assert '"cluster":true' in page if cluster else '"cluster":false' in page
    assert features(page, "cells")  # the density grid


def test_html_has_one_feature_per_located_incident(sample_rows: list[dict[str, Any]]) -> None:
    rows = [*sample_rows, _row("nowhere", lat=None, lon=None), _row("lonless", lon=None)]
    page = view_html(rows)
    feats = features(page)
    assert [f["properties"]["id"] for f in feats] == [r["id"] for r in sample_rows]
    assert feats[0]["geometry"]["coordinates"] == [
        round(sample_rows[0]["lon"], 5),
        round(sample_rows[0]["lat"], 5),
    ]
    box = titlebox(page)
    n = len(rows)
    assert f"{n} incidents ({len(sample_rows)} on the map)" in box
    assert INCIDENTS_MARK in page


def test_html_of_no_incidents_is_still_a_map() -> None:
    page = view_html([], MapView(title="Nothing here"))
    assert features(page) == []
    assert "0 incidents" in titlebox(page) and "Nothing here" in titlebox(page)
    assert FIT.search(page) is None  # nothing to fit: the default world view


def test_html_title_box_and_attribution(sample_rows: list[dict[str, Any]]) -> None:
    view = MapView(
        title="Kursk, early November",
        note="Two lines\nof note",
        start="2024-11-01",
        end="2024-11-05",
        filters={"types": ["Battles"], "countries": ["RU", "UA"], "min_fatalities": 3},
    )
    page = view_html(sample_rows[:1], view, with_note=True)
    box = titlebox(page)
    assert "Kursk, early November" in box
    assert "2024-11-01 → 2024-11-05 · 1 incident<" in box  # singular, and no "(… on the map)"
    assert "type: Battles · country: RU, UA · ≥ 3 killed" in box
    assert "Two lines\nof note" in box
    assert "<title>Kursk, early November</title>" in page
    # the credits the data's licences ask for: GeoNames (CC BY 4.0), the outlines, Leaflet
    credits = re.search(r"\.attributionControl\.addAttribution\((\"[^\"]*\")\)", page)
    assert credits is not None
    text = json.loads(credits.group(1))
    assert "GeoNames (CC BY 4.0)" in text and "countryinfo" in text  # Leaflet: its own prefix
    # a note is private until its author publishes it: left out by default
    assert "of note" not in titlebox(view_html(sample_rows[:1], view))
    assert ".leaflet-control-zoom,.dl-fullscreen{display:none}" not in page
    still = view_html(sample_rows[:1], view, controls=False)
    assert ".leaflet-control-zoom,.dl-fullscreen{display:none}" in still


def test_html_escapes_hostile_text() -> None:
    hostile = _row(
        HOSTILE_SCRIPT,
        event_type=HOSTILE_IMG,
        sub_event_type=HOSTILE_SCRIPT,
        location=HOSTILE_IMG,
        admin1=HOSTILE_SCRIPT,
        country="<b>",
        actor1=HOSTILE_IMG,
        actor2="</script><script>alert(2)</script>",
        sentence=f"Before {HOSTILE_IMG} after {HOSTILE_SCRIPT}.",
        title=f"{HOSTILE_SCRIPT} headline",
        url="javascript:alert(1)",
        date="</script>",
    )
    view = MapView(
        title=HOSTILE_SCRIPT,
        note=HOSTILE_IMG,
        filters={"text": HOSTILE_SCRIPT, "actors": [HOSTILE_IMG]},
    )
    with pytest.raises(InputError, match="invalid start"):  # a date is a date, never markup
        MapView(start="<i>x</i>")
    page = view_html([hostile, _row("fine", url="https://example.org/ok")], view)
    for raw in (HOSTILE_SCRIPT, HOSTILE_IMG, "<script>alert(2)"):
        assert raw not in page, raw
    assert "alert(1)</script" not in page.replace("\\u003c", "<").replace("<\\/", "</")
    assert "javascript:" not in page.lower()  # the link is dropped, not just escaped
    # the texts are still shown, escaped
    box = titlebox(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in box
    assert "&lt;img src=x onerror=alert(1)&gt;" in box
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" not in _legend(page)  # unknown type: "other"
    props = {f["properties"]["id"]: f["properties"] for f in features(page)}
    bad = props["&lt;script&gt;alert(1)&lt;/script&gt;"]
    assert bad["u"] == "" and bad["lo"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert (
        bad["cc"] == "&lt;b&gt;" and bad["ti"] == "&lt;script&gt;alert(1)&lt;/script&gt; headline"
    )
    assert props["fine"]["u"] == "https://example.org/ok"


def test_html_legend_lists_only_the_types_present() -> None:
    page = view_html([_row("a", event_type="Battles"), _row("b", event_type="Protests")])
    legend = _legend(page)
    assert "Battles" in legend and "Protests" in legend
    for name in set(EVENT_COLORS) - {"Battles", "Protests"}:
        assert html.escape(name) not in legend, name
    assert "other" not in legend
    assert EVENT_COLORS["Battles"] in legend and EVENT_COLORS["Protests"] in legend

    legend = _legend(view_html([_row("c", event_type="Something new")]))
    assert ">other<" in legend and "Battles" not in legend
    assert not any(html.escape(name) in legend for name in EVENT_COLORS)


def test_html_center_and_zoom_or_fit(sample_rows: list[dict[str, Any]]) -> None:
    fixed = view_html(sample_rows, MapView(center=(51.0, 36.0), zoom=7))
    assert re.search(r"center: \[51\.0, 36\.0\]", fixed)
    assert re.search(r"\"zoom\": 7\b", fixed)
    assert FIT.search(fixed) is None
    fitted = view_html(sample_rows, MapView())
    assert FIT.search(fitted)
    south = min(r["lat"] for r in sample_rows)
    assert f"[[{south}, " in fitted


# --- MapView ---------------------------------------------------------------------------------


def test_mapview_round_trip() -> None:
    view = MapView(
        title="Kharkiv",
        note="a note",
        start="2024-05-01",
        end="2024-05-31",
        filters={"types": ("Battles",), "countries": ["UA"], "text": "drone", "min_fatalities": 2},
        center=(49.98, 36.25),
        zoom=9,
        cluster=True,
        heat=True,
    )
    data = json.loads(json.dumps(view.to_dict()))  # as stored with a snapshot
    assert data["center"] == [49.98, 36.25] and data["filters"]["types"] == ["Battles"]
    back = MapView.from_dict(data)
    assert back.to_dict() == view.to_dict()
    assert back.center == (49.98, 36.25) and back.zoom == 9 and back.cluster and back.heat
    assert MapView.from_dict(MapView().to_dict()) == MapView()
    # changes override the saved values; unknown keys are ignored
    changed = MapView.from_dict(data | {"window": "week", "date": "x"}, title="New", zoom=3)
    assert (changed.title, changed.zoom, changed.note) == ("New", 3, "a note")


@pytest.mark.parametrize(
    "bad",
    [
        {"center": "abc"},
        {"center": "51,36"},
        {"center": "12"},
        {"center": [1]},
        {"center": [1, 2, 3]},
        {"center": 5},
        {"center": {"lat": 1}},
        {"center": ["x", "y"]},
        {"center": [float("nan"), 3.0]},
        {"zoom": "7"},
        {"zoom": None},
        {"zoom": float("nan")},
        {"zoom": float("inf")},
        {"title": None, "note": None},
        {"filters": None},
        {"filters": ["Battles"]},
        {"filters": "Battles"},
        {"start": "", "end": ""},
        {"start": "<i>x</i>", "end": "31 May"},
        {"filters": {"types": ["Battles"], "min_fatalities": "many"}, "zoom": True},
    ],
)
def test_mapview_from_dict_drops_bad_values(bad: dict[str, Any]) -> None:
    view = MapView.from_dict({"cluster": 1, **bad})
    assert view.cluster is True
    assert view.center is None
    assert view.zoom is None
    assert view.title == "Dateline incidents" and view.note == ""
    assert view.filters in (IncidentFilter(), IncidentFilter(types=("Battles",)))
    assert view.start is None and view.end is None
    view.to_dict()
    view.describe()


def test_mapview_from_empty_and_partial_dicts() -> None:
    assert MapView.from_dict({}) == MapView()
    partial = MapView.from_dict({"center": ["50.5", 30], "zoom": 6.0})
    assert partial.center == (50.5, 30.0) and partial.zoom == 6


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2024-05-01", "2024-05-31", "2024-05-01 → 2024-05-31"),
        ("2024-05-10", "2024-05-10", "on 2024-05-10"),
        (None, "2024-05-31", "up to 2024-05-31"),
        ("2024-05-01", None, "from 2024-05-01"),
        (None, None, "all dates"),
    ],
)
def test_mapview_period(start: str | None, end: str | None, label: str) -> None:
    assert MapView(start=start, end=end).period == label


def test_mapview_describe() -> None:
    assert MapView().describe() == ""
    view = MapView(
        filters={
            "types": ["Battles", "Protests"],
            "countries": ["UA"],
            "actors": ["Wagner"],
            "text": "drone strike",
            "min_fatalities": 5,
        }
    )
    assert view.describe() == (
        "type: Battles, Protests · country: UA · actor: Wagner · text: drone strike · ≥ 5 killed"
    )
    assert MapView(filters={"types": [], "min_fatalities": 0, "text": ""}).describe() == ""


# --- write_view --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("map.html", "html"),
        ("MAP.HTM", "html"),
        ("map.png", "png"),
        ("map.geojson", "geojson"),
        ("map.json", "geojson"),
        ("map.csv", None),
        ("map", None),
        ("map.html.txt", None),
    ],
)
def test_export_format(name: str, fmt: str | None) -> None:
    assert export_format(name) == fmt
    assert export_format(Path("/some/dir") / name) == fmt


def test_write_view_picks_the_format_from_the_suffix(
    tmp_path: Path, sample_rows: list[dict[str, Any]]
) -> None:
    out = write_view(sample_rows, tmp_path / "map.geojson")
    assert out == tmp_path / "map.geojson"
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == len(sample_rows)

    page = write_view(sample_rows, tmp_path / "map.html", MapView(title="Über Kyiv"))
    text = page.read_text(encoding="utf-8")
    assert "<title>Über Kyiv</title>" in text and len(features(text)) == len(sample_rows)

    # an explicit format wins over the suffix
    forced = write_view(sample_rows, tmp_path / "export.txt", format="GeoJSON")
    assert json.loads(forced.read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    # overwriting works, and no temporary file is left behind
    write_view(sample_rows[:2], tmp_path / "map.geojson")
    assert len(json.loads((tmp_path / "map.geojson").read_text())["features"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.txt", "map.geojson", "map.html"]


def test_write_view_refuses_bad_targets(tmp_path: Path) -> None:
    rows = [_row("a")]
    with pytest.raises(InputError, match=r"\.html, \.png or \.geojson"):
        write_view(rows, tmp_path / "map.csv")
    with pytest.raises(InputError, match="format"):
        write_view(rows, tmp_path / "map.html", format="pdf")
    with pytest.raises(InputError, match="does not exist"):
        write_view(rows, tmp_path / "missing" / "map.html")
    (tmp_path / "dir.html").mkdir()
    with pytest.raises(InputError, match="directory"):
        write_view(rows, tmp_path / "dir.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.html"]


def test_write_view_unwritable_directory_is_an_input_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write into a read-only directory")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(InputError, match="cannot write"):
            write_view([_row("a")], folder / "map.geojson")
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_write_view_failed_png_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATELINE_CHROMIUM", str(tmp_path / "nonexistent"))
    with pytest.raises(BrowserUnavailableError):
        write_view([_row("a")], tmp_path / "map.png")
    assert list(tmp_path.iterdir()) == []


def test_write_view_failed_write_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(src: str, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(snapshot.os, "replace", broken_replace)
    with pytest.raises(InputError, match="No space left"):
        write_view([_row("a")], tmp_path / "map.geojson")
    assert list(tmp_path.iterdir()) == []


# --- PNG -------------------------------------------------------------------------------------


def test_find_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_browser: None) -> None:
    assert find_browser() is None
    exe = tmp_path / "my-chromium"
    exe.write_text("#!/bin/sh\n")
    monkeypatch.setenv("DATELINE_CHROMIUM", str(exe))
    assert find_browser() == exe
    monkeypatch.setenv("DATELINE_CHROMIUM", str(tmp_path))  # a directory is no browser
    assert find_browser() is None
    monkeypatch.delenv("DATELINE_CHROMIUM")
    monkeypatch.setattr(
        snapshot.shutil,
        "which",
        lambda name, **k: "/opt/x/chromium" if name == "chromium" else None,
    )
    assert find_browser() == Path("/opt/x/chromium")


def test_render_png_without_a_browser_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, no_browser: None
) -> None:
    with pytest.raises(BrowserUnavailableError) as info:
        render_png("<html></html>")
    message = str(info.value)
    assert "apt-get install chromium" in message and "DATELINE_CHROMIUM" in message
    assert isinstance(info.value, ExportError)

    monkeypatch.setenv("DATELINE_CHROMIUM", "/nonexistent")
    with pytest.raises(BrowserUnavailableError) as info:
        render_png("<html></html>")
    message = str(info.value)
    assert "/nonexistent" in message
    assert "apt-get install chromium" in message  # says how to get a browser, too


def test_render_png_with_an_explicit_missing_browser(tmp_path: Path) -> None:
    with pytest.raises(BrowserUnavailableError):
        render_png("<html></html>", browser=tmp_path / "nope")


@pytest.mark.parametrize(
    ("width", "height"), [(99, 800), (1200, 99), (8001, 800), (0, 0), ("abc", 800), (None, 800)]
)
def test_render_png_refuses_sizes_out_of_range(width: Any, height: Any) -> None:
    with pytest.raises(InputError, match="between 100 and 8000"):
        render_png("<html></html>", width=width, height=height, browser="/nonexistent")


@pytest.mark.slow
def test_render_png_draws_the_map(sample_rows: list[dict[str, Any]]) -> None:
    from PIL import Image

    require_chromium()
    page = view_html(sample_rows, MapView(title="PNG test", center=(50.0, 30.0), zoom=4))
    png = render_png(page, width=640, height=420, timeout=60)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.size == (640, 420)
    rgb = image.convert("RGB")
    colors = rgb.getcolors(maxcolors=640 * 420)
    assert colors is not None and len(colors) > 50  # not a blank page
    most, _ = max(colors)
    assert most < 0.9 * 640 * 420
    # the markers are drawn: some pixels have (roughly) an incident colour
    wanted = {
        tuple(int(EVENT_COLORS[t][i : i + 2], 16) for i in (1, 3, 5))
        for t in {r["event_type"] for r in sample_rows}
    }
    near = sum(
        n
        for n, c in colors
        if any(math.dist(c, w) < 40 for w in wanted)  # type: ignore[arg-type]
    )
    assert near > 20, near


@pytest.mark.slow
def test_render_png_times_out_as_an_export_error() -> None:
    require_chromium()
    with pytest.raises(ExportError, match="could not draw"):
        render_png("<html><body>no map here</body></html>", width=300, height=200, timeout=3)
