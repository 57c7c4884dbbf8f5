"""Incidents the time-scrubbed map cannot draw (no date, or no point) under AppTest: the Map
page counts and lists them, the sidebar filters change the count, and the Incidents page
narrows its table to them, showing "undated" / "no place" instead of empty cells."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.app_support import map_ids, rerun, run_app
from ui import state

INCIDENTS_PAGE = "pages/incidents.py"
_TEXT = (
    "Gunmen attacked a checkpoint near Bruchwald on Tuesday. Teachers marched in Ostravia, "
    "where the police watched."
)


def _incident(iid: str, **kw: Any) -> dict[str, Any]:
    """An invented incident (placed and dated unless ``kw`` says otherwise)."""
    row: dict[str, Any] = dict(id=iid, event_type="Battles", sub_event_type="Armed clash")
    row |= dict(date="2024-11-03", date_precision="day", date_start=None, date_end=None)
    row |= dict(location="Bruchwald", lat=50.1, lon=30.2, geo_precision=1, country="UA")
    row |= dict(admin1=None, actor1="Unidentified gunmen", actor2=None, fatalities=None)
    row |= dict(injured=None, sentence=_TEXT.split(". ")[0] + ".", start=0, end=56)
    row |= dict(confidence=0.7, trigger="attacked", place_index=None, time_precision=None)
    return row | kw


#: id → what it lacks: a point ("nodate"), a date ("noplace"), or both ("neither")
UNMAPPED = {
    "nodate": _incident("nodate", date=None, date_precision="unknown", fatalities=2),
    "noplace": _incident(
        "noplace",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        location="Ostravia",
        lat=None,
        lon=None,
        geo_precision=None,
        country="PL",
        actor1="Teachers",
    ),
    "neither": _incident(
        "neither",
        date=None,
        date_precision="unknown",
        location=None,
        lat=None,
        lon=None,
        geo_precision=None,
        country=None,
    ),
}


#: id → dated incidents with a point: the map draws these
PLACED = {
    "clash": _incident("clash", date="2024-11-01"),
    "seized": _incident(
        "seized", event_type="Strategic developments", sub_event_type="Arrests", location="Lindow"
    ),
    "strike": _incident(
        "strike",
        date="2024-11-05",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        location="Ostravia",
        lat=49.8,
        lon=18.3,
        country="PL",
        fatalities=3,
    ),
}


def _fill(path: Path, rows: list[dict[str, Any]]) -> None:
    """A store holding one invented article and ``rows`` (no sample: the counts don't depend on
    what the extractor makes of it)."""
    from geodata.store.event_store import Store, article_id

    store = Store(path)
    aid = article_id(_TEXT)
    with store.transaction() as tx:
        tx.insert_article({"id": aid, "text": _TEXT, "title": "Unplaceable <b>report</b>"})
        for row in rows:
            src = {"article_id": aid, "sentence": row["sentence"], "start": 0, "end": 56}
            tx.insert_incident(row | {"sources": [src]})


@pytest.fixture
def db(tmp_path: Path, monkeypatch) -> Path:
    """A store with the incidents of :data:`PLACED` and :data:`UNMAPPED`."""
    path = tmp_path / "dateline.duckdb"
    _fill(path, [*PLACED.values(), *UNMAPPED.values()])
    monkeypatch.setenv("DATELINE_DB", str(path))
    return path


def _unmapped_list(at) -> tuple[str, set[tuple[str, str, str]]]:
    """The Map page's notice: its label and the (type, date, place) of each listed row."""
    found = [e for e in at.expander if "not on the map" in e.label]
    assert len(found) == 1, [e.label for e in at.expander]
    frame = found[0].dataframe[0].value
    rows = zip(frame["event_type"], frame["date"], frame["location"], strict=True)
    return found[0].label, set(rows)


#: The rows of the Map page's list, one per incident of UNMAPPED: "undated" / "no place"
#: where the map lacks a value
LISTED = {
    ("Battles", "undated", "Bruchwald"),  # "nodate": its place is known
    ("Protests", "2024-11-03", "Ostravia (no coordinates)"),  # "noplace"
    ("Battles", "undated", "no place"),  # "neither"
}


def test_the_map_counts_and_lists_what_it_cannot_draw(db: Path) -> None:
    at = run_app()
    assert map_ids(at) == set(PLACED)
    # the summary counts the markers drawn, not the dated incident without a point
    assert at.markdown[0].value.startswith("**3** incidents up to 2024-11-05")
    label, listed = _unmapped_list(at)
    assert label == "3 incidents are not on the map: 2 undated, 2 without a place (1 lacks both)"
    assert listed == LISTED
    links = at.get("page_link")
    assert any("missing=any" in (link.proto.query_string or "") for link in links)


def test_scrubbing_keeps_the_count_which_holds_at_any_date(db: Path) -> None:
    at = run_app(window="day", date="2024-11-05")
    label = _unmapped_list(at)[0]
    at.slider(key=state.DATE_KEY).set_value(date(2024, 11, 3))
    rerun(at)
    # "noplace" is dated 2024-11-03 but has no point: not drawn on its own day either, nor
    # counted in the summary of the markers
    assert map_ids(at) == {"seized"}
    assert at.markdown[0].value.startswith("**1** incident on 2024-11-03")
    assert _unmapped_list(at)[0] == label


@pytest.mark.parametrize(
    ("widget", "key", "value", "expected"),
    [
        (
            "multiselect",
            state.TYPES_KEY,
            ["Battles"],
            "2 incidents are not on the map: 2 undated, 1 without a place (1 lacks both)",
        ),
        (
            "multiselect",
            state.COUNTRIES_KEY,
            ["PL"],
            "1 incident is not on the map: 1 without a place",
        ),
        (
            "multiselect",
            state.ACTORS_KEY,
            ["Teachers"],
            "1 incident is not on the map: 1 without a place",
        ),
        (
            "text_input",
            state.TEXT_KEY,
            "ostravia",
            "1 incident is not on the map: 1 without a place",
        ),
        ("number_input", state.MIN_FAT_KEY, 1, "1 incident is not on the map: 1 undated"),
    ],
)
def test_sidebar_filters_change_the_count(
    db: Path, widget: str, key: str, value: Any, expected: str
) -> None:
    at = run_app()
    element = getattr(at.sidebar, widget)(key=key)
    element.input(value) if widget == "text_input" else element.set_value(value)
    rerun(at)
    assert _unmapped_list(at)[0] == expected


def test_no_notice_when_every_match_is_on_the_map(db: Path) -> None:
    at = run_app(type="Strategic developments")
    assert map_ids(at) == {"seized"}
    assert not [e for e in at.expander if "not on the map" in e.label]


def test_incidents_page_lists_only_those_not_on_the_map(db: Path) -> None:
    at = run_app(INCIDENTS_PAGE, missing="any")
    assert at.segmented_control(key=state.INC_MISSING_KEY).value == "any"
    assert at.toggle(key=state.INC_WINDOW_KEY).proto.disabled
    frame = at.dataframe[0].value
    assert set(frame["id"]) == set(UNMAPPED)
    by_id = frame.set_index("id")
    assert by_id.loc["nodate", "date"] == "undated"
    assert by_id.loc["neither", "date"] == "undated" and by_id.loc["neither", "location"] == (
        "no place"
    )
    assert by_id.loc["noplace", "location"] == "Ostravia (no coordinates)"
    assert by_id.loc["noplace", "date"] == "2024-11-03"
    assert not frame.isna()[["date", "location"]].any().any()

    at.segmented_control(key=state.INC_MISSING_KEY).set_value("date")
    rerun(at)
    assert set(at.dataframe[0].value["id"]) == {"nodate", "neither"}
    assert at.query_params["missing"] in ("date", ["date"])

    at.sidebar.multiselect(key=state.TYPES_KEY).set_value(["Protests"])
    rerun(at)
    assert not at.dataframe
    assert any("none is undated" in i.value for i in at.info)


def test_the_map_link_narrows_the_table(db: Path) -> None:
    from geodata.store.event_store import Store

    at = run_app(INCIDENTS_PAGE)  # the table of the window: undated ones are not in it
    assert not set(at.dataframe[0].value["id"]) & {"nodate", "neither"}
    at.switch_page("pages/map.py")
    rerun(at)
    at.query_params["missing"] = "place"  # what the Map page's link opens
    at.switch_page(INCIDENTS_PAGE)
    rerun(at)
    assert set(at.dataframe[0].value["id"]) == {"noplace", "neither"}
    # "All" again: the whole window, and the parameter leaves the URL
    at.segmented_control(key=state.INC_MISSING_KEY).set_value("all")
    rerun(at)
    ids = set(at.dataframe[0].value["id"])
    assert ids == {*PLACED, "noplace"} == {r["id"] for r in Store(db).incidents(end="2024-11-05")}
    assert "missing" not in at.query_params


def test_downloads_follow_the_choice(db: Path) -> None:
    import io

    import pandas as pd

    from geodata.store.event_store import Store
    from geodata.view import IncidentFilter
    from ui import data, incidents_view

    view = data.StoreView(Store(db), Store(db).stats())
    payload = incidents_view.export_bytes(view, "csv", IncidentFilter(missing="place"))
    assert set(pd.read_csv(io.BytesIO(payload))["id"]) == {"noplace", "neither"}


def test_without_any_date_the_undated_are_drawn(tmp_path: Path, monkeypatch) -> None:
    """No dated incident: no time window, so undated incidents with a point are drawn and
    only those without one are counted."""
    path = tmp_path / "undated.duckdb"
    _fill(path, list(UNMAPPED.values()))
    from geodata.store.event_store import Store

    with Store(path).transaction() as tx:
        tx.update_incident("noplace", {"date": None, "date_precision": "unknown"})
    monkeypatch.setenv("DATELINE_DB", str(path))
    at = run_app()
    assert map_ids(at) == {"nodate"}
    label = [e.label for e in at.expander if "not on the map" in e.label]
    assert label == ["2 incidents are not on the map: 2 without a place"]


def test_unmapped_label() -> None:
    from ui.explorer import unmapped_label

    assert unmapped_label({"date": 2, "place": 1, "any": 3}) == (
        "3 incidents are not on the map: 2 undated, 1 without a place"
    )
    assert unmapped_label({"date": 1, "place": 0, "any": 1}) == (
        "1 incident is not on the map: 1 undated"
    )
    assert unmapped_label({"date": 2, "place": 2, "any": 2}) == (
        "2 incidents are not on the map: 2 undated, 2 without a place (2 lack both)"
    )
    assert unmapped_label({"date": 1200, "place": 0, "any": 1200}).startswith("1,200 incidents")
    assert unmapped_label({"date": 0, "place": 0, "any": 0}) == ""
    assert unmapped_label({"date": 4, "place": 1, "any": 5}, windowed=False) == (
        "1 incident is not on the map: 1 without a place"
    )
