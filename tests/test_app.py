"""The Streamlit app under AppTest: it runs, and its map receives the sample's places."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from extract import Article, extract_article
from geodata.maps import place_features
from geodata.sample import sample_article

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 180  # seconds per AppTest run (the gazetteer is loaded by the fixture before)


@pytest.fixture(scope="module")
def article() -> Article:
    """The sample article extracted outside the app (this also builds/loads the gazetteer)."""
    from geodata.gazetteer import load_gazetteer

    record = sample_article()
    return extract_article(
        record["text"],
        published=record["published"],
        gazetteer=load_gazetteer(),
        doc_id=record["id"],
        title=record["title"],
    )


def _run(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _map_args(at: AppTest) -> dict[str, Any]:
    maps = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    assert len(maps) == 1
    return json.loads(maps[0].proto.json_args)


def _features(args: dict[str, Any]) -> list[dict[str, Any]]:
    """The GeoJSON features in the places layer sent to the browser."""
    script = args["feature_group"] or ""
    marker = "_add("
    start = script.find(marker)
    if start < 0:
        return []
    data, _ = json.JSONDecoder().raw_decode(script, start + len(marker))
    return data["features"]


def _summary(features: list[dict[str, Any]]) -> list[tuple[str, str, list[float]]]:
    return sorted(
        (f["properties"]["name"], f["properties"]["role"], f["geometry"]["coordinates"])
        for f in features
    )


def test_app_shows_the_sample_places_on_an_offline_map(article: Article) -> None:
    at = _run()
    assert at.title[0].value == "Places in the news"
    args = _map_args(at)
    # Leaflet comes from the app's own static folder, never from a CDN
    assert args["js_links"] == ["/app/static/leaflet/leaflet.js"]
    assert args["css_links"] == ["/app/static/leaflet/leaflet.css"]
    assert "://" not in args["script"] + args["header"] + (args["feature_group"] or "")
    assert args["returned_objects"] == ["last_object_clicked_tooltip"]

    features = _features(args)
    assert _summary(features) == _summary(place_features(article.places))
    literal = {f["properties"]["name"] for f in features if f["properties"]["role"] == "literal"}
    assert len(literal) >= 8

    table = at.dataframe[0].value
    assert len(table) == len(article.places)
    assert list(table["offset"]) == sorted(p.start for p in article.places)


def test_role_filter_updates_map_and_url(article: Article) -> None:
    at = _run()
    at.sidebar.multiselect[0].set_value(["associative"]).run()
    assert not at.exception
    features = _features(_map_args(at))
    assert features and {f["properties"]["role"] for f in features} == {"associative"}
    assert at.query_params["roles"] == "associative"
    assert set(at.dataframe[0].value["role"]) == {"associative"}


def test_escape_markdown() -> None:
    from ui.map_view import escape_markdown

    assert escape_markdown("**A** $x$ :red[b] <i>") == r"\*\*A\*\* \$x\$ \:red\[b\] \<i\>"
    assert escape_markdown("Kyiv says") == "Kyiv says"


def test_query_params_seed_the_settings() -> None:
    at = _run(roles="demonym,bogus", tiles="osm")
    assert at.sidebar.multiselect[0].value == ["demonym"]
    assert at.sidebar.toggle[0].value is True
    args = _map_args(at)
    assert "tile.openstreetmap.org" in args["script"]
    assert {f["properties"]["role"] for f in _features(args)} <= {"demonym"}
