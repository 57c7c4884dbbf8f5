"""geodata.maps.labels and the labels layer: the basemap's place names (no browser, no network)."""

from __future__ import annotations

import html
import json
import re
import time

import pytest

from geodata.gazetteer._raw_entry import RawEntry
from geodata.gazetteer.index import Gazetteer
from geodata.maps import basemap, labels
from geodata.maps.layers import LABEL_CLASS
from tests.fixtures_gazetteer import ENTRIES

HOSTILE = "<img src=x onerror=alert(1)>"
_MARKER = "/*dateline-labels*/"


def _rows(data: dict) -> dict[str, list]:
    """The places' rows by name (an admin-1 area may share its city's name: see _areas)."""
    return {row[2]: row for row in data["labels"] if row[4] != 3}


def _areas(data: dict) -> dict[str, list]:
    """The admin-1 areas' rows by name."""
    return {row[2]: row for row in data["labels"] if row[4] == 3}


def _inlined(page: str) -> dict:
    """The label data inlined in a rendered page."""
    assert page.count(_MARKER) == 1
    data, _ = json.JSONDecoder().raw_decode(page, page.index(_MARKER) + len(_MARKER))
    return data


def _city(name: str, population: int, **kw) -> RawEntry:
    fields = {"id": f"x:{name}", "geonameid": None, "name": name, "kind": "city"}
    fields |= {"lat": 10.0, "lon": 20.0, "country": "ZZ", "population": population}
    return RawEntry(**(fields | kw))


def test_minzoom_puts_countries_and_capitals_before_small_towns() -> None:
    assert labels.label_minzoom("country", 44_000_000) == 2
    assert labels.label_minzoom("city", 2_952_301, capital=True) == 3
    assert labels.label_minzoom("city", 5_000, capital=True) == 5  # a small capital is shown
    zooms = [labels.label_minzoom("city", p) for p in (9_000_000, 1_400_000, 300_000, 60_000)]
    assert zooms == sorted(zooms) and len(set(zooms)) == 4
    assert zooms[-1] == 9
    assert labels.label_minzoom("city", 1_000_000, capital=True) < labels.label_minzoom(
        "city", 1_000_000
    )


def test_labels_from_the_tiny_gazetteer(gaz: Gazetteer) -> None:
    data = labels.build_labels(gaz)
    assert data["fields"] == list(labels.LABEL_FIELDS)
    assert data["kinds"] == list(labels.LABEL_KINDS) == ["country", "capital", "city", "admin1"]
    rows = _rows(data)
    assert {"Ukraine", "Russia", "Kyiv", "Kharkiv", "Spokane", "Lugo"} <= rows.keys()
    assert "Lemay" not in rows and "Kiunga" not in rows  # under 50,000 people
    assert rows["Ukraine"][4] == 0 and rows["Kyiv"][4] == 1 and rows["Kharkiv"][4] == 2
    assert rows["Kyiv"][:2] == [50.455, 30.524]
    # rows come in the order the map places them: by minzoom, countries, capitals, the biggest
    order = [(r[3], r[4]) for r in data["labels"]]
    assert order == sorted(order)
    names = [r[2] for r in data["labels"]]
    assert names.index("Ukraine") < names.index("Kyiv") < names.index("Kharkiv")
    assert names.index("Kharkiv") < names.index("Spokane") < names.index("Lugo")
    assert rows["Kyiv"][3] <= 4 < rows["Spokane"][3]
    # the cap keeps the first rows
    small = labels.build_labels(gaz, max_labels=5)
    assert small["labels"] == data["labels"][:5]
    more = labels.build_labels(gaz, min_population=10_000)
    assert "Lemay" in _rows(more) and len(more["labels"]) > len(data["labels"])


def test_admin1_areas_are_labelled_from_mid_zoom(gaz: Gazetteer) -> None:
    from geodata.maps.boundaries import ADMIN1_MINZOOM

    data = labels.build_labels(gaz)
    areas = _areas(data)
    assert {"Kharkiv", "Kursk", "Dnipropetrovsk", "Georgia", "Lamu"} <= areas.keys()
    # from the zoom the boundaries are drawn at, the most populous first
    assert min(row[3] for row in areas.values()) == ADMIN1_MINZOOM == 5
    assert areas["Kharkiv"][3] == 5 < areas["Kursk"][3] == 6 < areas["Lamu"][3] == 7
    assert labels.label_minzoom("admin1", 5) == labels.label_minzoom("adm1", 5) == 8
    assert areas["Kharkiv"][:2] == [49.6, 36.5]
    # an area named after its city keeps a row of its own, at its own point
    assert _rows(data)["Kharkiv"][4] == 2 and _rows(data)["Kharkiv"][:2] != [49.6, 36.5]
    # with the cap, the places of zoom 5 are kept before the areas of zoom 5
    capped = labels.build_labels(gaz, max_labels=19)
    assert not _areas(capped) and "Kharkiv" in _rows(capped)
    # the layer draws them centred, without a dot, after every place
    page = basemap.base_map(labels=data).get_root().render()
    assert f".{LABEL_CLASS}-admin1 span" in page and "row[4] === 3" in page


def test_a_hostile_name_is_escaped_in_the_data_and_the_page() -> None:
    entries = [*ENTRIES, _city(HOSTILE, 900_000), _city("{{ 7 * 7 }} Town", 800_000, lat=11.0)]
    data = labels.build_labels(Gazetteer.from_entries(entries))
    escaped = html.escape(HOSTILE)
    assert escaped in _rows(data) and HOSTILE not in _rows(data)
    page = basemap.base_map(labels=data).get_root().render()
    assert HOSTILE not in page and "<img" not in page
    assert _inlined(page) == data  # inlined as is: the escaped text, never compiled
    assert "{{ 7 * 7 }} Town" in _rows(_inlined(page)) and "49 Town" not in page


def test_the_layer_is_in_the_page_only_when_asked(gaz: Gazetteer, real: Gazetteer) -> None:
    data = labels.build_labels(gaz)
    page = basemap.base_map(labels=data).get_root().render()
    assert 'createPane("dlLabels")' in page and f".{LABEL_CLASS} span" in page
    assert 'map.on("zoomend moveend"' in page
    assert _inlined(page)["labels"] == data["labels"]
    # the inlined outlines share the land pane below the labels
    assert '"pane": "dlLand"' in page
    builtin = basemap.base_map(labels=True).get_root().render()
    assert _inlined(builtin) == labels.place_labels()
    plain = basemap.base_map().get_root().render()
    assert "dlLabels" not in plain and _MARKER not in plain
    # OpenStreetMap's tiles have their own names
    tiled = basemap.base_map(labels=data, tiles=True).get_root().render()
    assert "dlLabels" not in tiled
    url = f"/app/static/{labels.LABELS_FILENAME}"
    remote = basemap.base_map(labels_url=url, outlines_url="/o.json").get_root().render()
    assert 'createPane("dlLabels")' in remote and url in remote
    assert _inlined(remote) is None and "Kharkiv" not in remote  # nothing inlined


def test_no_network_url_in_a_labelled_page(gaz: Gazetteer) -> None:
    page = basemap.base_map(labels=labels.build_labels(gaz)).get_root().render()
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page, re.I) == []
    tiled = basemap.base_map(labels=labels.build_labels(gaz), tiles=True).get_root().render()
    hosts = set(re.findall(r"https?://([a-z0-9.{}-]+)", tiled, re.I))
    assert hosts == {"tile.openstreetmap.org"}  # the opt-in tiles only


def test_place_labels_are_built_once_and_cached(tmp_path, real: Gazetteer) -> None:
    t0 = time.perf_counter()
    data = labels.place_labels(cache=tmp_path)
    built = time.perf_counter() - t0
    assert built < 5.0, f"{built:.2f} s"
    files = list(tmp_path.glob("place-labels-v*.json"))
    assert len(files) == 1 and files[0].stat().st_size < 400_000
    assert labels.place_labels(cache=tmp_path) == json.loads(files[0].read_text())
    rows = data["labels"]
    assert 1_000 < len(rows) <= labels.MAX_LABELS
    by_name = _rows(data)
    assert by_name["Ukraine"][3] == 2 and by_name["Kyiv"][3] <= 4
    assert by_name["Kyiv"][4] == 1
    countries = [r for r in rows if r[4] == 0]
    assert len(countries) > 200 and "Serbia and Montenegro" not in by_name
    assert [r[3] for r in rows] == sorted(r[3] for r in rows)
    assert max(r[3] for r in rows) > 6  # more names as the map zooms in
    areas = _areas(data)
    assert len(areas) > 2_000 and {"Kharkiv", "Donetsk", "Zakarpattia", "Texas"} <= areas.keys()
    assert min(r[3] for r in areas.values()) == 5


@pytest.mark.usefixtures("real")
def test_install_labels_writes_the_static_file_once(tmp_path) -> None:
    path = labels.install_labels(tmp_path)
    assert path == tmp_path / labels.LABELS_FILENAME
    assert json.loads(path.read_text()) == labels.place_labels()
    before = path.stat().st_mtime_ns
    labels.install_labels(tmp_path)  # unchanged: not rewritten
    assert path.stat().st_mtime_ns == before
