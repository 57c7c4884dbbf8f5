"""The Incidents page under AppTest: the table follows the shared filters and the map's time
window, shows the chosen incident's sources, and the downloads hold the same incidents."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tests.app_support import copy_store, rerun, run_app, sample_store_template, stored_ids
from ui import state

PAGE = "pages/incidents.py"


@pytest.fixture
def db(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    path = copy_store(sample_store_template(tmp_path_factory.getbasetemp()), tmp_path)
    monkeypatch.setenv("DATELINE_DB", str(path))
    return path


def _table_ids(at) -> set[str]:
    return set(at.dataframe[0].value["id"])


def test_table_lists_the_incidents_of_the_map_window(db: Path) -> None:
    from geodata.store.event_store import Store

    at = run_app(PAGE)
    assert at.title[0].value == "Incidents"
    frame = at.dataframe[0].value
    store = Store(db)
    # the map's window (up to the last date): every incident in it, located or not
    assert set(frame["id"]) == {r["id"] for r in store.incidents(end=store.date_range()[1])}
    assert list(frame["date"]) == sorted(frame["date"], reverse=True)  # newest first
    assert frame.loc[frame["fatalities"].notna(), "fatalities"].tolist() == [6]
    assert len(at.get("download_button")) == 4


def test_filters_and_window_are_shared_with_the_map(db: Path) -> None:
    at = run_app(date="2024-11-04", window="week", type="Strategic developments")
    at.switch_page(PAGE)
    rerun(at)
    expected = stored_ids(
        db, start="2024-10-29", end="2024-11-04", types=["Strategic developments"]
    )
    assert _table_ids(at) == expected and expected
    assert any("2024-10-29 → 2024-11-04" in c.value for c in at.caption)

    at.toggle(key=state.INC_WINDOW_KEY).set_value(False)
    rerun(at)
    assert _table_ids(at) == stored_ids(db, types=["Strategic developments"])


def test_the_map_date_survives_a_trip_to_the_table(db: Path) -> None:
    at = run_app()
    at.slider(key=state.DATE_KEY).set_value(date(2024, 11, 3))
    rerun(at)
    at.switch_page(PAGE)
    rerun(at)
    assert _table_ids(at) == stored_ids(db, end="2024-11-03")
    at.switch_page("pages/map.py")
    rerun(at)
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 3)


def test_the_chosen_incident_is_shown_with_all_its_sources(db: Path) -> None:
    from geodata.store.event_store import Store

    store = Store(db)
    row = max(store.incidents(), key=lambda r: r["n_sources"] or 0)
    sources = store.incident_sources(row["id"])
    at = run_app(PAGE)
    at.session_state[state.SELECTED_KEY] = row
    rerun(at)
    text = " ".join(m.value for m in at.markdown)
    articles = len({s["article_id"] for s in sources})
    assert articles == row["n_sources"]  # the table's count and the pane's agree
    label = f"Sources ({articles} article{'s' if articles != 1 else ''}"
    label += f", {len(sources)} sentences)" if len(sources) != articles else ")"
    assert label in text
    html = " ".join(h.proto.body for h in at.get("html"))
    assert html.count("<blockquote") == len(sources)


def test_empty_result_says_so(db: Path) -> None:
    at = run_app(PAGE, q="no-such-word-anywhere")
    assert not at.dataframe
    assert any("No incident matches" in i.value for i in at.info)


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg", "parquet"])
def test_downloads_hold_the_table_incidents(db: Path, fmt: str, tmp_path: Path) -> None:
    import geopandas as gpd

    from geodata.store.event_store import Store
    from geodata.view import IncidentFilter
    from ui import data, incidents_view

    view = data.StoreView(Store(db), Store(db).stats())
    filters = IncidentFilter(types=("Strategic developments",))
    where = filters.replace(start="2024-10-29", end="2024-11-04")
    payload = incidents_view.export_bytes(view, fmt, where)
    expected = stored_ids(db, start="2024-10-29", end="2024-11-04", types=filters.types)
    if fmt == "csv":
        got = set(pd.read_csv(io.BytesIO(payload))["id"])
    elif fmt == "geojson":
        doc = json.loads(payload)
        got = {f["properties"]["id"] for f in doc["features"]}
        assert all(f["geometry"]["type"] == "Point" for f in doc["features"])
    else:
        path = tmp_path / f"x.{fmt}"
        path.write_bytes(payload)
        frame = gpd.read_parquet(path) if fmt == "parquet" else gpd.read_file(path)
        assert frame.crs.to_epsg() == 4326
        got = set(frame["id"])
    assert got == expected and expected


def test_the_caption_names_the_window_the_toggle_applies(db: Path) -> None:
    """Opened before the Map page, the table still uses the map's window, and says which."""
    from geodata.store.event_store import Store

    at = run_app(PAGE)
    last = Store(db).date_range()[1]
    assert at.toggle(key=state.INC_WINDOW_KEY).value is True
    caption = at.caption[0].value
    assert f"up to {last.isoformat()}" in caption and "all dates" not in caption
    at.toggle(key=state.INC_WINDOW_KEY).set_value(False)
    rerun(at)
    assert "all dates" in at.caption[0].value


def test_missing_values_show_as_a_dash_not_none() -> None:
    from ui.incidents_view import MISSING_VALUE, table_frame

    row = {"id": "x1", "date": "2024-11-05", "event_type": "Battles", "location": "Kursk",
           "lat": 51.7, "lon": 36.2, "actor1": None, "actor2": "", "title": None,
           "fatalities": None}  # fmt: skip
    frame = table_frame([row])
    assert frame.loc[0, "actor1"] == frame.loc[0, "actor2"] == frame.loc[0, "title"] == "—"
    assert MISSING_VALUE == "—" and "None" not in frame.astype(str).to_string()
    assert pd.isna(frame.loc[0, "fatalities"])  # a number stays a number (sorts as one)


def test_a_new_search_starts_a_new_selection(db: Path) -> None:
    """The table's selection is a row position: the widget is keyed by the rows listed, so a
    search that changes them cannot leave the selection on another incident."""
    at = run_app(PAGE)
    before = at.dataframe[0].proto.id
    at.sidebar.multiselect(key=state.TYPES_KEY).select("Battles")
    rerun(at)
    assert _table_ids(at) and at.dataframe[0].proto.id != before


def test_the_table_names_places_as_the_article_wrote_them(db: Path) -> None:
    """The sample writes "Zaporizhzhia"; GeoNames spells it "Zaporizhzhya": the table shows
    the article's spelling with the gazetteer's beside it."""
    at = run_app(PAGE)
    at.toggle(key=state.INC_WINDOW_KEY).set_value(False)
    rerun(at)
    places = set(at.dataframe[0].value["location"])
    assert "Zaporizhzhia (Zaporizhzhya)" in places, places
    assert "Kharkiv" in places  # the same in both: one name
