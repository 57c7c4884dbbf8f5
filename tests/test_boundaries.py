"""geodata.maps.boundaries and the admin-1 lines layer: built from tiny polygon files the tests
write, and from QGIS's world map (Debian's qgis-common) when installed (no browser, no network).
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from pathlib import Path
from typing import Any

import pytest

from geodata.errors import BoundaryError
from geodata.maps import basemap, boundaries
from geodata.maps.boundaries import Admin1Source, build_admin1_lines, decode_line
from geodata.maps.layers import ADMIN1_CLASS, Admin1Lines
from geodata.maps.snapshot import CREDITS, MapView, export_credits, view_html

_MARKER = "/*dateline-admin1*/"


def _square(x0: float, y0: float, size: float = 1.0) -> list[list[float]]:
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def _feature(ring: list[list[float]], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _write(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def _grid(path: Path) -> Path:
    """Country AAA: four 1° squares around (11, 41); BBB: one square of its own."""
    squares = [_square(10 + dx, 40 + dy) for dx in (0, 1) for dy in (0, 1)]
    features = [_feature(sq, adm0_a3="AAA", name=f"A{i}") for i, sq in enumerate(squares)]
    features.append(_feature(_square(20, 40), adm0_a3="BBB", name="B"))
    return _write(path, features)


def _points(data: dict[str, Any], key: str | None = None) -> list[tuple[float, float]]:
    return [
        pt
        for row in data["lines"]
        if key is None or row[0] == key
        for line in row[1:]
        for pt in decode_line(line, scale=data["scale"])
    ]


def _inlined(page: str) -> Any:
    assert page.count(_MARKER) == 1
    data, _ = json.JSONDecoder().raw_decode(page, page.index(_MARKER) + len(_MARKER))
    return data


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(boundaries.ADMIN1_ENV, raising=False)
    monkeypatch.delenv(boundaries.ADMIN1_CREDIT_ENV, raising=False)


def test_lines_inside_a_country_only(tmp_path: Path) -> None:
    data = build_admin1_lines(_grid(tmp_path / "grid.geojson"), credit="boundaries: test")
    assert data["version"] == 1 and data["scale"] == 100 and data["credit"] == "boundaries: test"
    assert data["minzoom"] == boundaries.ADMIN1_MINZOOM == 5
    assert [row[0] for row in data["lines"]] == ["AAA"]  # BBB has one area: no line inside
    pts = _points(data)
    # the cross between the four squares, and nothing of the coast around them
    assert pts and all(math.isclose(lon, 11) or math.isclose(lat, 41) for lat, lon in pts)
    assert all(40 <= lat <= 42 and 10 <= lon <= 12 for lat, lon in pts)
    length = sum(
        math.dist(a, b)
        for row in data["lines"]
        for line in row[1:]
        for a, b in zip(decode_line(line), decode_line(line)[1:], strict=False)
    )
    assert 3.9 <= length <= 4.0  # two lines of 2°, stopped short of the edge
    # the encoding: [lat0, lon0, dlat, dlon, ...] in hundredths of a degree
    first = data["lines"][0][1]
    assert all(isinstance(v, int) for v in first) and len(first) % 2 == 0
    assert decode_line([4100, 1000, 0, 50, 0, 50]) == [(41.0, 10.0), (41.0, 10.5), (41.0, 11.0)]


def test_simplified_and_slivers_left_out(tmp_path: Path) -> None:
    # two areas whose shared edge zigzags (100 small steps), and a tiny third area
    zigzag = [[11 + (0.003 if i % 2 else 0), 40 + i / 50] for i in range(101)]
    west = [[10, 40], *zigzag, [10, 42], [10, 40]]
    east = [[12, 40], [12, 42], *reversed(zigzag), [12, 40]]
    tiny = _square(11.5, 40.5, 0.01)  # inside east: a hole in it, an area of its own
    east_poly = {"type": "Polygon", "coordinates": [east, list(reversed(tiny))]}
    features = [
        _feature(west, adm0_a3="ZZZ"),
        {"type": "Feature", "properties": {"adm0_a3": "ZZZ"}, "geometry": east_poly},
        _feature(tiny, adm0_a3="ZZZ"),
    ]
    path = _write(tmp_path / "zigzag.geojson", features)
    data = build_admin1_lines(path)
    lines = data["lines"][0][1:]
    assert len(lines) == 1  # the sliver around the tiny area is shorter than min_length
    assert len(lines[0]) // 2 < 10  # 101 points simplified to a few
    kept = build_admin1_lines(path, min_length=0.0, tolerance=0.0)["lines"][0][1:]
    assert len(kept) == 2 and len(kept[0]) // 2 > 20


def test_other_files_projections_and_no_country_column(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import Polygon

    squares = [Polygon(_square(30 + dx, 50)) for dx in (0, 1, 2)]
    frame = gpd.GeoDataFrame({"name": ["a", "b", "c"]}, geometry=squares, crs="EPSG:4326")
    shp = tmp_path / "mercator.shp"
    frame.to_crs("EPSG:3857").to_file(shp)  # a shapefile in metres
    data = build_admin1_lines(shp)
    assert [row[0] for row in data["lines"]] == [""]  # no country column: one country
    pts = _points(data)
    assert pts and all(31 - 0.01 <= lon <= 32 + 0.01 and 50 <= lat <= 51 for lat, lon in pts)
    assert {round(lon, 2) for _, lon in pts} == {31.0, 32.0}  # back in degrees
    gpkg = tmp_path / "two.gpkg"
    frame.to_file(gpkg, layer="other")
    frame.assign(adm0_a3="UKR").to_file(gpkg, layer="states_provinces")
    assert build_admin1_lines(gpkg)["lines"][0][0] == "UKR"  # Natural Earth's layer first
    assert build_admin1_lines(gpkg, layer="other")["lines"][0][0] == ""


def test_unreadable_files_raise_our_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.geojson"
    garbage.write_text("not a map", "utf-8")
    points = _write(
        tmp_path / "points.geojson",
        [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [1, 2]},
            }
        ],
    )
    for path in (garbage, points, tmp_path / "missing.gpkg"):
        with pytest.raises(BoundaryError):
            build_admin1_lines(path)
    with pytest.raises(BoundaryError, match="no layer 'nope'"):
        build_admin1_lines(_grid(tmp_path / "grid.geojson"), layer="nope")


@pytest.mark.usefixtures("no_env")
def test_the_source_env_var_qgis_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    qgis = tmp_path / "world_map.gpkg"
    monkeypatch.setattr(boundaries, "QGIS_WORLD_MAP", qgis)
    assert boundaries.admin1_source() is None
    qgis.write_bytes(b"")
    assert boundaries.admin1_source() == Admin1Source(
        qgis, "states_provinces", "boundaries: Natural Earth"
    )
    mine = _grid(tmp_path / "ne_10m_admin_1_states_provinces.geojson")
    monkeypatch.setenv(boundaries.ADMIN1_ENV, str(mine))
    assert boundaries.admin1_source() == Admin1Source(
        mine, None, "boundaries: ne_10m_admin_1_states_provinces.geojson"
    )
    monkeypatch.setenv(boundaries.ADMIN1_CREDIT_ENV, "boundaries: Natural Earth")
    assert boundaries.admin1_source().credit == "boundaries: Natural Earth"
    monkeypatch.setenv(boundaries.ADMIN1_ENV, str(tmp_path / "nowhere.shp"))
    with caplog.at_level(logging.WARNING):
        assert boundaries.admin1_source().path == qgis  # back to the installed one
    assert "is not a file" in caplog.text


def test_built_once_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _grid(tmp_path / "grid.geojson")
    source = Admin1Source(path, None, "boundaries: grid")
    cache = tmp_path / "cache"
    calls: list[Path] = []
    real_build = boundaries.build_admin1_lines

    def counting(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(args[0])
        return real_build(*args, **kwargs)

    monkeypatch.setattr(boundaries, "build_admin1_lines", counting)
    first = boundaries.admin1_boundaries(source=source, cache=cache)
    assert first is not None and first["credit"] == "boundaries: grid"
    assert boundaries.admin1_boundaries(source=source, cache=cache) == first
    assert len(calls) == 1
    files = list(cache.glob("admin1-lines-v1-*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text()) == first
    # another source's copy stays (the tests' files beside the real map's)
    other = Admin1Source(_grid(tmp_path / "other.geojson"), None, "boundaries: other")
    assert boundaries.admin1_boundaries(source=other, cache=cache)["credit"] == "boundaries: other"
    assert len(list(cache.glob("admin1-lines-v1-*.json"))) == 2
    # a changed file is built again, and its old copy removed
    _write(path, json.loads(path.read_text())["features"][:2])
    second = boundaries.admin1_boundaries(source=source, cache=cache)
    assert len(calls) == 3 and second != first
    assert len(list(cache.glob("admin1-lines-v1-*.json"))) == 2
    # a damaged cache file is built again
    next(cache.glob(f"admin1-lines-v1-{boundaries._source_key(source)}-*.json")).write_text("{")
    assert boundaries.admin1_boundaries(source=source, cache=cache) == second
    assert len(calls) == 4


@pytest.mark.usefixtures("no_env")
def test_install_writes_the_static_file_or_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATELINE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv(boundaries.ADMIN1_ENV, str(_grid(tmp_path / "grid.geojson")))
    static = tmp_path / "static"
    path = boundaries.install_admin1(static)
    assert path == static / boundaries.ADMIN1_FILENAME
    assert json.loads(path.read_text())["lines"][0][0] == "AAA"
    before = path.stat().st_mtime_ns
    boundaries.install_admin1(static)  # unchanged: not rewritten
    assert path.stat().st_mtime_ns == before
    monkeypatch.delenv(boundaries.ADMIN1_ENV)
    monkeypatch.setattr(boundaries, "QGIS_WORLD_MAP", tmp_path / "absent.gpkg")
    assert boundaries.install_admin1(static) is None and not path.exists()


def test_the_layer_is_in_the_page_only_when_asked(tmp_path: Path) -> None:
    data = build_admin1_lines(_grid(tmp_path / "grid.geojson"), credit="boundaries: grid")
    page = basemap.base_map(boundaries=data).get_root().render()
    assert 'createPane("dlAdmin1")' in page and _inlined(page) == data
    assert '"minZoom":5' in page and f'"className":"{ADMIN1_CLASS}"' in page
    assert 'map.on("zoomend", show)' in page
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page, re.I) == []
    plain = basemap.base_map().get_root().render()
    assert "dlAdmin1" not in plain and _MARKER not in plain
    # OpenStreetMap's tiles draw their own boundaries
    assert "dlAdmin1" not in basemap.base_map(boundaries=data, tiles=True).get_root().render()
    url = f"/app/static/{boundaries.ADMIN1_FILENAME}"
    remote = basemap.base_map(boundaries_url=url, outlines_url="/o.json").get_root().render()
    assert 'createPane("dlAdmin1")' in remote and url in remote and _inlined(remote) is None
    with pytest.raises(ValueError):
        Admin1Lines()
    with pytest.raises(ValueError):
        Admin1Lines(data, url=url)


@pytest.mark.usefixtures("no_env")
def test_exports_inline_the_lines_with_their_credit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build_admin1_lines(_grid(tmp_path / "grid.geojson"), credit="boundaries: grid")
    view = MapView(center=(41.0, 11.0), zoom=6)
    page = view_html([], view, boundaries=data)
    assert _inlined(page) == data
    credits = re.search(r"\.attributionControl\.addAttribution\((\"[^\"]*\")\)", page)
    assert credits is not None
    assert json.loads(credits.group(1)) == f"{CREDITS} · boundaries: grid"
    # none installed: no lines and no credit for them
    monkeypatch.setattr(boundaries, "QGIS_WORLD_MAP", tmp_path / "absent.gpkg")
    bare = view_html([], view)
    assert _MARKER not in bare and "boundaries:" not in bare
    assert export_credits(None) == export_credits({"credit": "x", "lines": []}) == CREDITS
    # a playback's page is an export's page: the same lines
    from geodata.maps.playback import playback_html

    monkeypatch.setattr(boundaries, "builtin_boundaries", lambda: data)
    assert _inlined(playback_html([], view)) == data


def test_the_real_world_map(world_map: Path, tmp_path: Path) -> None:
    source = Admin1Source(world_map, "states_provinces", boundaries.NATURAL_EARTH_CREDIT)
    t0 = time.perf_counter()
    data = boundaries.admin1_boundaries(source=source, cache=tmp_path)
    built = time.perf_counter() - t0
    assert built < 90.0, f"{built:.1f} s"
    size = next(tmp_path.glob("admin1-lines-v1-*.json")).stat().st_size
    assert 200_000 < size < 600_000, size
    keys = {row[0] for row in data["lines"]}
    assert len(keys) > 150 and {"UKR", "RUS", "USA", "FRA", "NGA"} <= keys
    ukraine = _points(data, "UKR")
    assert len(ukraine) > 500
    assert all(44 <= lat <= 52.5 and 22 <= lon <= 40.3 for lat, lon in ukraine)
    # the Kharkiv–Poltava line crosses the road between the two cities
    assert any(49.3 < lat < 50.4 and 35.0 < lon < 35.6 for lat, lon in ukraine)
