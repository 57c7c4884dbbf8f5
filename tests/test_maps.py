"""geodata.maps: offline folium builders (no Streamlit, no network)."""

from __future__ import annotations

import json
import re

import folium
import pytest

from extract.article import Place
from geodata import maps


def _place(text: str, name: str, lat: float | None, lon: float | None, **kw) -> Place:
    fields = {
        "start": 0,
        "end": len(text),
        "text": text,
        "name": name,
        "geonameid": kw.pop("geonameid", None),
        "lat": lat,
        "lon": lon,
        "kind": "city",
        "country": "UA",
        "admin1": None,
    }
    fields.update(kw)
    return Place(**fields)


EMPTY = {"type": "FeatureCollection", "features": []}


def test_base_map_offline_loads_no_cdn() -> None:
    m = maps.base_map(center=(50, 30), zoom=4, asset_url="/base/app/static/", outlines=EMPTY)
    html = m.get_root().render()
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == [
        "/base/app/static/leaflet/leaflet.js",
        "/base/app/static/leaflet/leaflet.css",
    ]
    assert "openstreetmap" not in html.lower()
    assert "tile.openstreetmap.org" in maps.base_map(tiles=True, outlines=EMPTY).get_root().render()


def test_base_map_online_keeps_folium_defaults() -> None:
    m = maps.base_map(offline=False, outlines=EMPTY)
    assert m.default_js == folium.Map.default_js


def test_place_features_escape_and_group() -> None:
    evil = "<img src=x onerror=alert(1)>`${1}`"
    places = [
        _place("Kyiv", "Kyiv", 50.45, 30.52, geonameid=703448, role="literal"),
        _place("Kyiv", "Kyiv", 50.45, 30.52, geonameid=703448, role="literal"),
        _place("Kyiv", "Kyiv", 50.45, 30.52, geonameid=703448, role="associative"),
        _place(evil, "A & <b>B</b>", 1.0, 2.0, role="demonym"),
        _place("Nowhere", "Nowhere", None, None),
    ]
    features = maps.place_features(places)
    assert len(features) == 3  # Kyiv literal (2 mentions), Kyiv associative, the evil one
    assert [f["properties"]["role"] for f in features] == ["literal", "associative", "demonym"]
    kyiv = features[0]["properties"]
    assert kyiv["count"] == "2" and kyiv["color"] == maps.ROLE_COLORS["literal"]
    props = features[2]["properties"]
    assert props["name"] == "A &amp; &lt;b&gt;B&lt;/b&gt;"
    assert "<" not in props["mentions"] and "&lt;img" in props["mentions"]
    assert features[2]["geometry"]["coordinates"] == [2.0, 1.0]


def test_places_layer_renders_markers() -> None:
    places = [_place("Kharkiv", "Kharkiv", 49.98, 36.25), _place("Kursk", "Kursk", 51.7, 36.2)]
    m = maps.base_map(outlines=EMPTY)
    maps.places_layer(places).add_to(m)
    html = m.get_root().render()
    assert html.count('"type": "Point"') == 2
    assert maps.MARKER_CLASS in html
    assert "$(" not in html  # no jQuery needed
    assert maps.places_layer([])._children == {}


def test_places_bounds() -> None:
    places = [_place("a", "a", 10.0, -5.0), _place("b", "b", -3.0, 40.0), _place("c", "c", None, 1)]
    assert maps.places_bounds(places) == [[-3.0, -5.0], [10.0, 40.0]]
    assert maps.places_bounds([]) is None


def test_country_outlines_built_and_cached(tmp_path) -> None:
    outlines = maps.country_outlines(cache=tmp_path)
    isos = {f["properties"]["iso"] for f in outlines["features"]}
    assert {"UA", "RU", "KP", "US", "JP", "AU"} <= isos
    cached = list(tmp_path.glob("country-outlines-*.geojson"))
    assert len(cached) == 1 and cached[0].stat().st_size < 400_000
    assert maps.country_outlines(cache=tmp_path) == json.loads(cached[0].read_text())
    ring = next(f for f in outlines["features"] if f["properties"]["iso"] == "UA")["geometry"]
    assert ring["coordinates"][0][0] == ring["coordinates"][0][-1]


def test_cache_dir_env(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DATELINE_CACHE", str(tmp_path))
    assert maps.cache_dir() == tmp_path


def test_install_leaflet_assets(tmp_path) -> None:
    dest = maps.install_leaflet_assets(tmp_path)
    assert (dest / "leaflet.js").stat().st_size > 100_000
    assert (dest / "leaflet.css").is_file() and (dest / "images" / "layers.png").is_file()
    before = (dest / "leaflet.js").stat().st_mtime_ns
    maps.install_leaflet_assets(tmp_path)
    assert (dest / "leaflet.js").stat().st_mtime_ns == before


@pytest.mark.parametrize("role", ["literal", "associative", "demonym"])
def test_every_role_has_a_colour(role: str) -> None:
    assert re.fullmatch(r"#[0-9a-f]{6}", maps.ROLE_COLORS[role])
