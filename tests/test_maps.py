"""geodata.maps.basemap: offline folium builders (no Streamlit, no network)."""

from __future__ import annotations

import json
import re

import folium
import pytest

from geodata.maps import assets, basemap
from geodata.maps import incidents as inc_map
from geodata.maps import layers as _layers
from geodata.records import Place


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
    m = basemap.base_map(center=(50, 30), zoom=4, asset_url="/base/app/static/", outlines=EMPTY)
    html = m.get_root().render()
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == [
        "/base/app/static/leaflet/leaflet.js",
        "/base/app/static/leaflet/leaflet.css",
    ]
    assert "openstreetmap" not in html.lower()
    assert (
        "tile.openstreetmap.org" in basemap.base_map(tiles=True, outlines=EMPTY).get_root().render()
    )


def test_base_map_online_keeps_folium_defaults() -> None:
    m = basemap.base_map(offline=False, outlines=EMPTY)
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
    features = basemap.place_features(places)
    assert len(features) == 3  # Kyiv literal (2 mentions), Kyiv associative, the evil one
    assert [f["properties"]["role"] for f in features] == ["literal", "associative", "demonym"]
    kyiv = features[0]["properties"]
    assert kyiv["count"] == "2" and kyiv["color"] == basemap.ROLE_COLORS["literal"]
    props = features[2]["properties"]
    assert props["name"] == "A &amp; &lt;b&gt;B&lt;/b&gt;"
    assert "<" not in props["mentions"] and "&lt;img" in props["mentions"]
    assert features[2]["geometry"]["coordinates"] == [2.0, 1.0]


def test_places_layer_renders_markers() -> None:
    places = [_place("Kharkiv", "Kharkiv", 49.98, 36.25), _place("Kursk", "Kursk", 51.7, 36.2)]
    m = basemap.base_map(outlines=EMPTY)
    basemap.places_layer(places).add_to(m)
    html = m.get_root().render()
    assert html.count('"type": "Point"') == 2
    assert basemap.MARKER_CLASS in html
    assert "$(" not in html  # no jQuery needed
    assert basemap.places_layer([])._children == {}


def test_places_bounds() -> None:
    places = [_place("a", "a", 10.0, -5.0), _place("b", "b", -3.0, 40.0), _place("c", "c", None, 1)]
    assert basemap.places_bounds(places) == [[-3.0, -5.0], [10.0, 40.0]]
    assert basemap.places_bounds([]) is None


def test_country_outlines_built_and_cached(tmp_path) -> None:
    outlines = assets.country_outlines(cache=tmp_path)
    isos = {f["properties"]["iso"] for f in outlines["features"]}
    assert {"UA", "RU", "KP", "US", "JP", "AU"} <= isos
    cached = list(tmp_path.glob("country-outlines-*.geojson"))
    assert len(cached) == 1 and cached[0].stat().st_size < 400_000
    assert assets.country_outlines(cache=tmp_path) == json.loads(cached[0].read_text())
    ring = next(f for f in outlines["features"] if f["properties"]["iso"] == "UA")["geometry"]
    assert ring["coordinates"][0][0] == ring["coordinates"][0][-1]


def test_cache_dir_env(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DATELINE_CACHE", str(tmp_path))
    assert assets.cache_dir() == tmp_path


def test_install_leaflet_assets(tmp_path) -> None:
    dest = assets.install_leaflet_assets(tmp_path)
    assert (dest / "leaflet.js").stat().st_size > 100_000
    assert (dest / "leaflet.css").is_file() and (dest / "images" / "layers.png").is_file()
    before = (dest / "leaflet.js").stat().st_mtime_ns
    assets.install_leaflet_assets(tmp_path)
    assert (dest / "leaflet.js").stat().st_mtime_ns == before


@pytest.mark.parametrize("role", ["literal", "associative", "demonym"])
def test_every_role_has_a_colour(role: str) -> None:
    assert re.fullmatch(r"#[0-9a-f]{6}", basemap.ROLE_COLORS[role])


# --------------------------------------------------------------------------- incidents

EVIL = "<img src=x onerror=alert(1)>"


def _incident(i: int = 0, **kw) -> dict:
    row = {
        "id": f"{i:012x}",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "date": "2024-11-05",
        "date_precision": "week",
        "date_start": "2024-10-30",
        "date_end": "2024-11-05",
        "location": "Zaporizhzhya",
        "admin1": "Zaporizhzhia",
        "country": "UA",
        "lat": 47.85,
        "lon": 35.12,
        "geo_precision": 1,
        "actor1": "Russian forces",
        "actor2": "Civilians",
        "fatalities": 6,
        "injured": 24,
        "sentence": "A Russian attack on Zaporizhzhia killed six people & injured 24.",
        "start": 100,
        "end": 163,
        "title": "Strikes hit Zaporizhzhia",
        "url": "https://example.org/a?x=1&y=2",
        "n_sources": 2,
    }
    row.update(kw)
    return row


def _layer_data(html_text: str, kind: str = "incidents") -> dict:
    marker = f"/*dateline-{kind}*/"
    start = html_text.index(marker) + len(marker)
    return json.JSONDecoder().raw_decode(html_text, start)[0]


def test_incident_properties_escape_every_text() -> None:
    row = _incident(
        location=EVIL,
        actor1="A & B",
        title=f"<script>alert(1)</script>{EVIL}",
        sentence=f"Before {EVIL} after <b>bold</b>.",
        sub_event_type="<i>x</i>",
        url="javascript:alert(1)",
    )
    props = inc_map.incident_properties(row)
    for key, value in props.items():
        if isinstance(value, str):
            assert "<" not in value and ">" not in value, key
    assert props["s1"] == "&lt;img src=x onerror=alert(1)&gt;"  # the place, found and escaped
    assert props["s0"] == "Before " and props["s2"].startswith(" after &lt;b&gt;")
    assert props["u"] == ""  # not http(s): no link
    assert props["a"] == "A &amp; B vs Civilians"
    ok = inc_map.incident_properties(_incident())
    assert ok["u"] == "https://example.org/a?x=1&amp;y=2"
    assert (ok["f"], ok["i"], ok["n"]) == (6, 24, 2)
    assert ok["dp"] == "week: 2024-10-30 – 2024-11-05"
    assert ok["gp"].startswith("1: town")


def test_incident_mention_spelling_variant_and_given_span() -> None:
    props = inc_map.incident_properties(_incident())
    assert props["s1"] == "Zaporizhzhia"  # "Zaporizhzhya" in the gazetteer
    given = inc_map.incident_properties(_incident(mention_start=2, mention_end=8))
    assert given["s1"] == "Russia" and given["s0"] == "A "
    missing = inc_map.incident_properties(_incident(location="Kyiv"))
    assert missing["s1"] == "" and missing["s0"].startswith("A Russian attack")


def test_find_mention() -> None:
    assert inc_map.find_mention("Clashes in the Kursk region", "Kursk") == (15, 20)
    assert inc_map.find_mention("in kursk", "Kursk") == (3, 8)
    assert inc_map.find_mention("Kurskaya oblast", "Kursk") is None  # whole words only
    assert inc_map.find_mention("in Britain", "United Kingdom") is None
    assert inc_map.find_mention("", "x") is None and inc_map.find_mention("x", None) is None


def test_safe_url() -> None:
    assert inc_map.safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert inc_map.safe_url(" http://x.y/ ") == "http://x.y/"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,hi",
        "/relative",
        'https://x.y/"onmouseover=1',
        "https://x.y/<b>",
        "ftp://x.y/",
        "https:///nohost",
        None,
        42,
    ):
        assert inc_map.safe_url(bad) is None, bad


def test_highlight_html_escapes_then_marks() -> None:
    text = "a <b> Kyiv & Kharkiv"
    out = inc_map.highlight_html(text, [(6, 10, "dl-literal", 'Kyiv "UA"'), (13, 20)])
    assert out == (
        'a &lt;b&gt; <mark class="dl-literal" title="Kyiv &quot;UA&quot;">Kyiv</mark> &amp; '
        "<mark>Kharkiv</mark>"
    )
    # overlapping and out-of-range spans are clipped or ignored
    assert inc_map.highlight_html("abcdef", [(0, 3), (2, 5), (10, 12)]) == (
        "<mark>abc</mark><mark>de</mark>f"
    )


def test_tooltip_incident_id() -> None:
    assert (
        inc_map.tooltip_incident_id("2024-11-05 · Battles · Kursk #311acb1cf5a2") == "311acb1cf5a2"
    )
    assert inc_map.tooltip_incident_id("Kursk · mentioned 2× · no incident") is None
    assert inc_map.tooltip_incident_id(None) is None


def test_fatality_radius_and_colours() -> None:
    assert inc_map.fatality_radius(None) == inc_map.fatality_radius(0) == 6.0
    assert (
        6.0
        < inc_map.fatality_radius(1)
        < inc_map.fatality_radius(10)
        < inc_map.fatality_radius(1000)
    )
    assert inc_map.fatality_radius(10**6) == 24.0
    assert inc_map.event_color("Battles") == inc_map.EVENT_COLORS["Battles"]
    assert inc_map.event_color("Something else") == _layers.OTHER_COLOR
    assert len(set(inc_map.EVENT_COLORS.values())) == 6


def test_incident_layer_one_geojson_layer() -> None:
    rows = [_incident(i) for i in range(5)] + [_incident(9, lat=None, lon=None)]
    m = basemap.base_map(outlines=EMPTY)
    inc_map.incident_layer(rows).add_to(m)
    html_text = m.get_root().render()
    data = _layer_data(html_text)
    assert len(data["features"]) == 5  # the one without coordinates is left out
    assert data["features"][0]["geometry"]["coordinates"] == [35.12, 47.85]
    assert html_text.count("L.geoJson(data") == 1  # one layer, not one object per marker
    assert inc_map.INCIDENT_CLASS in html_text
    assert "markerClusterGroup" in html_text  # the code path exists, off by default
    assert '"cluster":false' in html_text
    assert "/*dateline-cells*/" not in html_text and "/*dateline-faint*/" not in html_text


def test_incident_layer_options_heat_faint_cluster() -> None:
    rows = [_incident(i, lat=47.0 + i, lon=35.0) for i in range(4)]
    faint = [
        {"name": "Odesa", "lat": 46.48, "lon": 30.72, "role": "literal"},
        {"name": "Odesa", "lat": 46.48, "lon": 30.72, "role": "literal"},
        {"name": EVIL, "lat": 1.0, "lon": 2.0, "role": "literal"},
    ]
    m = basemap.base_map(outlines=EMPTY, markercluster=True)
    inc_map.incident_layer(rows, cluster=True, heat=True, faint_places=faint).add_to(m)
    html_text = m.get_root().render()
    assert '"cluster":true' in html_text
    cells = _layer_data(html_text, "cells")["features"]
    assert sum(f["properties"]["n"] for f in cells) == 4
    places = _layer_data(html_text, "faint")["features"]
    assert len(places) == 2 and "mentioned 2×" in places[0]["properties"]["tip"]
    assert "<img" not in json.dumps(places)


def test_density_grid() -> None:
    rows = [{"lat": 10.1, "lon": 20.1}] * 3 + [
        {"lat": 10.2, "lon": 20.2},
        {"lat": 15.0, "lon": 25.0},
    ]
    cells = inc_map.density_grid(rows, cell=1.0)
    counts = sorted(f["properties"]["n"] for f in cells)
    assert counts == [1, 4]
    top = max(cells, key=lambda f: f["properties"]["n"])
    assert top["properties"]["c"] == "#bd0026"  # the densest cell is the darkest
    ring = top["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] == [20.0, 10.0] and [21.0, 11.0] in ring
    assert inc_map.density_grid([]) == []
    assert inc_map.grid_cell_size(rows) == 0.25  # ~5° extent → about 20 cells across


def test_script_json_is_safe_in_a_script_element() -> None:
    text = _layers.script_json({"s": "</script><script>alert(1)</script>\u2028&"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["s"].startswith("</script>")


def test_base_map_loads_markercluster_locally() -> None:
    m = basemap.base_map(asset_url="/app/static", outlines=EMPTY, markercluster=True)
    html_text = m.get_root().render()
    links = re.findall(r'(?:src|href)="([^"]+)"', html_text)
    assert "/app/static/leaflet.markercluster/leaflet.markercluster.js" in links
    assert "/app/static/leaflet.markercluster/MarkerCluster.Default.css" in links
    assert all(link.startswith("/app/static/") for link in links)
    assert '"maxZoom": 18' in html_text  # markercluster needs the map's maxZoom


def test_install_markercluster_assets(tmp_path) -> None:
    if assets.markercluster_source_dir() is None:
        pytest.fail("xstatic-leaflet-markercluster is not installed (see requirements.txt)")
    dest = assets.install_markercluster_assets(tmp_path)
    assert dest is not None and (dest / "leaflet.markercluster.js").stat().st_size > 10_000
    assert (dest / "MarkerCluster.css").is_file()


def test_ten_thousand_incidents_render_server_side_in_a_second() -> None:
    import random
    import time

    from streamlit_folium import _get_feature_group_string

    rng = random.Random(3)
    rows = [
        _incident(i, lat=rng.uniform(-50, 60), lon=rng.uniform(-120, 150), fatalities=i % 7)
        for i in range(10_000)
    ]
    outlines = assets.country_outlines()
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        m = basemap.base_map(outlines=outlines, markercluster=True)
        group = inc_map.incident_layer(rows)
        m.get_root().render()
        script = _get_feature_group_string(group, m)  # what st_folium sends to the browser
        best = min(best, time.perf_counter() - t0)
    assert script.count('"type":"Feature"') == 10_000
    assert best <= 1.0, f"{best:.2f} s"


def test_base_map_can_load_the_outlines_from_a_url(tmp_path) -> None:
    from geodata.maps.assets import OUTLINES_FILENAME, install_outlines

    path = install_outlines(tmp_path)
    assert path == tmp_path / OUTLINES_FILENAME
    assert json.loads(path.read_text())["features"] == assets.country_outlines()["features"]
    before = path.stat().st_mtime_ns
    install_outlines(tmp_path)  # unchanged: not rewritten
    assert path.stat().st_mtime_ns == before

    url = f"/app/static/{OUTLINES_FILENAME}"
    page = basemap.base_map(outlines_url=url).get_root().render()
    assert f'fetch("{url}")' in page and 'createPane("dlLand")' in page
    assert '"iso"' not in page  # no outline is embedded in the map's script
    assert '"fillOpacity":1.0' in page.replace(" ", "")
    # with tiles, land is drawn as outlines only, so that the tiles show through
    tiled = basemap.base_map(outlines_url=url, tiles=True).get_root().render()
    assert '"fillOpacity":0.0' in tiled.replace(" ", "")


def test_the_map_zooms_with_the_wheel_only_after_a_click_and_goes_full_screen() -> None:
    page = basemap.base_map(outlines=EMPTY).get_root().render()
    assert "scrollWheelZoom.disable()" in page and "scrollWheelZoom.enable()" in page
    assert "requestFullscreen" in page and "dl-fullscreen" in page


def test_the_map_legend_escapes_its_names() -> None:
    from geodata.maps.layers import MapLegend

    m = basemap.base_map(outlines=EMPTY)
    legend = MapLegend({"Battles": "#d62728", "<b>x</b>": "#000"})
    legend.add_to(m)
    page = m.get_root().render()
    assert "dl-map-legend" in page and legend.html_json in page
    shown = json.loads(legend.html_json)  # the HTML the control puts in the page
    assert "&lt;b&gt;x&lt;/b&gt;" in shown and "<b>x" not in shown
    assert "Battles" in shown and "size: fatalities" in shown


def test_the_place_is_named_as_the_article_wrote_it() -> None:
    sentence = "A strike hit Zaporizhzhia overnight."
    start = sentence.index("Zaporizhzhia")
    row = {"location": "Zaporizhzhya", "sentence": sentence, "mention_start": start,
           "mention_end": start + len("Zaporizhzhia")}  # fmt: skip
    assert inc_map.place_name(row) == "Zaporizhzhia (Zaporizhzhya)"
    same = dict(row, location="zaporizhzhia")  # only the case differs: one name
    assert inc_map.place_name(same) == "zaporizhzhia"
    assert inc_map.place_name({"location": "Kyiv", "sentence": "In Kyiv."}) == "Kyiv"
    assert inc_map.incident_properties(row)["lo"] == "Zaporizhzhia (Zaporizhzhya)"
    hostile = dict(row, sentence="A <i>Zp</i> hit.", mention_start=2, mention_end=11)
    shown = inc_map.incident_properties(hostile)["lo"]
    assert "&lt;i&gt;Zp&lt;/i&gt; (Zaporizhzhya)" == shown and "<i>" not in shown


def test_the_heat_cells_are_softened() -> None:
    page = basemap.base_map(outlines=EMPTY).get_root().render()
    assert f"path.{inc_map.CELL_CLASS}{{filter:blur(" in page
