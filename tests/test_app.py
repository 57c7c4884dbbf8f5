"""The Map page under AppTest: incidents from a temporary store reach the map, and the
filters, the time scrubber, Play and the query parameters change what the map receives."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.app_support import (
    copy_store,
    layer_features,
    map_args,
    map_ids,
    rerun,
    run_app,
    sample_store_template,
    stored_ids,
)
from ui import state


def _drawn(db: Path, **filters: Any) -> set[str]:
    """Ids the default view draws: located incidents up to the last date (an undated one fits
    no window; the Map page counts it instead, see tests/test_app_unmapped.py)."""
    from geodata.store.event_store import Store

    return stored_ids(db, end=Store(db).date_range()[1], **filters)


def _param(at, name: str) -> list[str]:
    value = at.query_params[name]
    return list(value) if isinstance(value, list | tuple) else [value]


@pytest.fixture
def db(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """A private store holding the sample article, used by the app (``DATELINE_DB``)."""
    path = copy_store(sample_store_template(tmp_path_factory.getbasetemp()), tmp_path)
    monkeypatch.setenv("DATELINE_DB", str(path))
    return path


def test_map_shows_the_stored_incidents_on_an_offline_map(db: Path) -> None:
    at = run_app()
    assert at.title[0].value == "Incidents on the map"
    args = map_args(at)
    # Leaflet and markercluster come from the app's own static folder, never from a CDN
    assert args["js_links"] == [
        "/app/static/leaflet/leaflet.js",
        "/app/static/leaflet.markercluster/leaflet.markercluster.js",
    ]
    assert all(link.startswith("/app/static/") for link in args["css_links"])
    assert "://" not in args["script"] + args["header"] + (args["feature_group"] or "")
    # a marker click, and the position after a pan or zoom (for the URL); nothing else
    assert args["returned_objects"] == ["last_object_clicked_tooltip", "center", "zoom"]
    expected = _drawn(db)
    assert len(expected) >= 8
    assert map_ids(at) == expected  # default view: everything up to the last date
    assert at.slider[0].value == date(2024, 11, 5)
    assert at.markdown[0].value.startswith(f"**{len(expected)}** incidents up to 2024-11-05")
    # the timeline is drawn under the map
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_an_empty_store_is_seeded_with_the_sample(tmp_path: Path, monkeypatch) -> None:
    from geodata.store.event_store import Store

    path = tmp_path / "fresh" / "dateline.duckdb"
    monkeypatch.setenv("DATELINE_DB", str(path))
    at = run_app()
    stats = Store(path).stats()
    assert stats["articles"] == 1 and stats["incidents"] >= 8
    assert map_ids(at) == _drawn(path)
    # a second start does not ingest again
    run_app()
    assert Store(path).stats()["articles"] == 1


# each case sets one sidebar widget on a fresh app
@pytest.mark.parametrize(
    ("kind", "key", "value", "filters", "param"),
    [
        ("multiselect", state.TYPES_KEY, ["Battles"], {"types": ["Battles"]}, ("type", "Battles")),
        ("multiselect", state.COUNTRIES_KEY, ["PL"], {"countries": ["PL"]}, ("country", "PL")),
        (
            "multiselect",
            state.ACTORS_KEY,
            ["Russian forces"],
            {"actors": ["Russian forces"]},
            ("actor", "Russian forces"),
        ),
        ("text_input", state.TEXT_KEY, "parcels", {"text": "parcels"}, ("q", "parcels")),
        ("number_input", state.MIN_FAT_KEY, 5, {"min_fatalities": 5}, ("minfat", "5")),
    ],
)
def test_sidebar_filters_change_the_map_and_the_url(
    db: Path, kind: str, key: str, value, filters: dict, param: tuple[str, str]
) -> None:
    at = run_app()
    everything = map_ids(at)
    widget = getattr(at.sidebar, kind)(key=key)
    if kind == "text_input":
        widget.input(value)
    else:
        widget.set_value(value)
    rerun(at)
    expected = stored_ids(db, **filters)
    assert map_ids(at) == expected
    assert expected and expected < everything
    assert _param(at, param[0]) == [param[1]]
    assert "filtered" in at.markdown[0].value


def test_type_filter_sends_only_that_type(db: Path) -> None:
    at = run_app(type="Battles")
    assert {f["properties"]["t"] for f in layer_features(map_args(at))} == {"Battles"}
    at = run_app(minfat="5")
    assert len(map_ids(at)) == 1  # Zaporizhzhia: six killed


def test_filters_combine_and_clear(db: Path) -> None:
    at = run_app()
    at.sidebar.multiselect(key=state.TYPES_KEY).set_value(["Explosions/Remote violence"])
    at.sidebar.multiselect(key=state.COUNTRIES_KEY).set_value(["PL"])
    rerun(at)
    both = stored_ids(db, types=["Explosions/Remote violence"], countries=["PL"])
    assert map_ids(at) == both and len(both) == 1
    at.sidebar.multiselect(key=state.TYPES_KEY).set_value([])
    at.sidebar.multiselect(key=state.COUNTRIES_KEY).set_value([])
    rerun(at)
    assert map_ids(at) == _drawn(db)
    assert "type" not in at.query_params and "country" not in at.query_params


def test_slider_window_and_steps_change_the_map(db: Path) -> None:
    at = run_app()
    at.slider(key=state.DATE_KEY).set_value(date(2024, 11, 3))
    rerun(at)
    assert map_ids(at) == stored_ids(db, end="2024-11-03")
    assert _param(at, "date") == ["2024-11-03"]

    at.segmented_control(key=state.WINDOW_KEY).set_value("day")
    rerun(at)
    on_the_day = stored_ids(db, start="2024-11-03", end="2024-11-03")
    assert map_ids(at) == on_the_day and len(on_the_day) == 3
    assert _param(at, "window") == ["day"]

    at.button(key="dl_step_fwd").click()
    rerun(at)
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 4)
    assert map_ids(at) == stored_ids(db, start="2024-11-04", end="2024-11-04")

    at.segmented_control(key=state.WINDOW_KEY).set_value("week")
    at.button(key="dl_step_back").click()
    rerun(at)
    assert at.slider(key=state.DATE_KEY).value == date(2024, 10, 28)
    assert map_ids(at) == stored_ids(db, start="2024-10-22", end="2024-10-28") == set()
    assert "0" in at.markdown[0].value


def test_a_date_from_before_a_step_is_sent_back_to_the_slider(db: Path) -> None:
    """Every event from the browser carries the slider's value. The map's position report,
    sent before a ◀ step reached the browser, brings the date from before the step: the app
    takes it and sets the slider to it (Streamlit's ``set_value``), so the slider shows the
    date the map and the URL use. A move of the slider itself is taken as it is."""
    at = run_app()
    at.slider(key=state.DATE_KEY).set_value(date(2024, 11, 3))
    rerun(at)
    assert at.slider(key=state.DATE_KEY).proto.set_value is False  # the user's move, as it is
    assert _param(at, "date") == ["2024-11-03"]

    at.button(key=state.STEP_BACK_KEY).click()
    rerun(at)
    assert at.slider(key=state.DATE_KEY).value == date(2024, 10, 27)
    assert _param(at, "date") == ["2024-10-27"]
    at.slider(key=state.DATE_KEY).set_value(date(2024, 11, 3))  # the report's stale value
    rerun(at)
    slider = at.slider(key=state.DATE_KEY)
    assert slider.value == date(2024, 11, 3) and slider.proto.set_value is True
    assert _param(at, "date") == ["2024-11-03"]
    assert map_ids(at) == stored_ids(db, end="2024-11-03")
    rerun(at)  # the browser now shows it: the next move of the slider is the user's again
    at.slider(key=state.DATE_KEY).set_value(date(2024, 11, 1))
    rerun(at)
    assert at.slider(key=state.DATE_KEY).proto.set_value is False
    assert _param(at, "date") == ["2024-11-01"]


def test_step_stays_within_the_data(db: Path) -> None:
    at = run_app(date="2024-07-31", window="month")
    at.button(key="dl_step_back").click()
    rerun(at)
    assert at.slider(key=state.DATE_KEY).value == date(2024, 7, 31)
    assert map_ids(at) == stored_ids(db, start="2024-07-02", end="2024-07-31")


def test_play_advances_until_the_end(db: Path) -> None:
    at = run_app(date="2024-10-20", window="week")
    at.button(key="dl_play").click()
    rerun(at)
    assert at.session_state[state.PLAYING_KEY] is True
    assert at.button(key="dl_play").label == "Pause"
    start = at.slider(key=state.DATE_KEY).value
    at.session_state["dl_play_last_tick"] = 0.0  # the next timer tick is due
    rerun(at)
    assert at.slider(key=state.DATE_KEY).value == date(2024, 10, 27) != start
    at.session_state["dl_play_last_tick"] = 0.0
    rerun(at)
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 3)
    assert map_ids(at) == stored_ids(db, start="2024-10-28", end="2024-11-03")
    at.session_state["dl_play_last_tick"] = 0.0
    rerun(at)  # last step: 2024-11-05 is the end of the data
    at.session_state["dl_play_last_tick"] = 0.0
    rerun(at)
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 5)
    assert at.session_state[state.PLAYING_KEY] is False
    assert at.button(key="dl_play").label == "Play"


def test_pause_stops_play(db: Path) -> None:
    at = run_app(date="2024-08-01")
    at.button(key="dl_play").click()
    rerun(at)
    at.button(key="dl_play").click()
    rerun(at)
    assert at.session_state[state.PLAYING_KEY] is False
    assert at.slider(key=state.DATE_KEY).value == date(2024, 8, 1)


def test_query_params_seed_the_view(db: Path) -> None:
    at = run_app(
        date="2024-11-04",
        window="week",
        type="Strategic developments",
        cluster="1",
        heat="1",
        places="1",
        tiles="osm",
    )
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 4)
    assert at.segmented_control(key=state.WINDOW_KEY).value == "week"
    assert at.sidebar.multiselect(key=state.TYPES_KEY).value == ["Strategic developments"]
    assert at.sidebar.toggle(key=state.CLUSTER_KEY).value is True
    args = map_args(at)
    expected = stored_ids(
        db, start="2024-10-29", end="2024-11-04", types=["Strategic developments"]
    )
    assert map_ids(at) == expected and expected
    assert '"cluster":true' in args["feature_group"]
    assert layer_features(args, "cells")  # the density grid
    assert layer_features(args, "faint")  # places without incidents
    assert "tile.openstreetmap.org" in args["script"]


def test_bad_query_params_are_ignored(db: Path) -> None:
    at = run_app(date="not-a-date", window="year", minfat="-3", type="Nonsense")
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 5)
    assert at.segmented_control(key=state.WINDOW_KEY).value == "all"
    assert at.sidebar.number_input(key=state.MIN_FAT_KEY).value == 0
    assert map_ids(at) == set()  # an unknown type matches nothing, and says so
    assert "**0** incidents" in at.markdown[0].value


def test_dates_out_of_range_are_clamped(db: Path) -> None:
    at = run_app(date="2030-01-01")
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 5)


def test_the_selected_incident_is_shown_with_its_sources(db: Path) -> None:
    from geodata.store.event_store import Store

    row = next(r for r in Store(db).incidents() if r["fatalities"])
    at = run_app()
    at.session_state[state.SELECTED_KEY] = row
    rerun(at)
    text = " ".join(m.value for m in at.markdown)
    assert "**Fatalities:** 6" in text and "Sources (" in text
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "<mark>" in html


def test_marker_cap_shows_a_notice(db: Path, monkeypatch) -> None:
    import ui.data

    monkeypatch.setattr(ui.data, "MAX_MARKERS", 5)
    at = run_app()
    assert len(map_ids(at)) == 5
    assert any("Only the newest 5" in w.value for w in at.warning)


def test_a_broken_store_gives_a_message_not_a_traceback(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "broken.duckdb"
    path.write_bytes(b"this is not a DuckDB file" * 100)
    monkeypatch.setenv("DATELINE_DB", str(path))
    at = run_app()
    assert at.error and "event store" in at.error[0].value


def test_escape_markdown() -> None:
    from ui.text import escape_markdown

    assert escape_markdown("**A** $x$ :red[b] <i>") == r"\*\*A\*\* \$x\$ \:red\[b\] \<i\>"
    assert escape_markdown("Kyiv says") == "Kyiv says"


def test_scrubbing_and_layers_change_only_the_markers_not_the_map(db: Path) -> None:
    """The browser keeps its map (no iframe reload) when only ``feature_group`` changes."""

    def component(at):
        return next(
            c for c in at.get("component_instance") if "st_folium" in c.proto.component_name
        )

    at = run_app()
    before, before_id = map_args(at), component(at).proto.id
    at.button(key="dl_step_back").click()
    rerun(at)
    after, after_id = map_args(at), component(at).proto.id
    assert after["feature_group"] != before["feature_group"]
    assert after["script"] == before["script"] and after["header"] == before["header"]
    assert after["js_links"] == before["js_links"] and after_id == before_id

    at.sidebar.toggle(key=state.HEAT_KEY).set_value(True)
    at.sidebar.toggle(key=state.CLUSTER_KEY).set_value(True)
    rerun(at)
    layered = map_args(at)
    assert layered["script"] == before["script"] and component(at).proto.id == before_id
    assert layer_features(layered, "cells") and '"cluster":true' in layered["feature_group"]


def test_timeline_uses_weeks_over_long_spans() -> None:
    from datetime import date

    from geodata.view import DateWindow
    from ui.explorer import WEEKLY_ABOVE_DAYS, timeline_chart
    from ui.state import TimeView

    counts = [
        ("2024-01-01", "Battles", 2),  # a Monday
        ("2024-01-03", "Battles", 3),  # same week
        ("2024-01-03", "Protests", 1),
        ("2024-01-08", "Battles", 4),  # next week
    ]
    day = date(2024, 1, 8)
    tv = TimeView(day=day, window="week", bounds=DateWindow.ending(day, "week"))

    def bars(lo: date, hi: date) -> tuple[list[dict], str]:
        spec = timeline_chart(counts, tv, lo, hi).to_dict()
        layer = next(x for x in spec["layer"] if x["mark"]["type"] == "bar")
        rows = spec["datasets"][layer["data"]["name"]]
        return rows, layer["encoding"]["y"]["title"]

    daily, title = bars(date(2024, 1, 1), date(2024, 1, 31))
    assert title == "per day" and len(daily) == 4
    weekly, title = bars(date(2023, 1, 1), date(2023, 1, 1) + timedelta(days=WEEKLY_ABOVE_DAYS + 5))
    assert title == "per week"
    sums = {(r["day"][:10], r["event_type"]): r["n"] for r in weekly}
    assert sums == {
        ("2024-01-01", "Battles"): 5,
        ("2024-01-01", "Protests"): 1,
        ("2024-01-08", "Battles"): 4,
    }


def test_count_label() -> None:
    from ui.text import count_label

    assert count_label(1) == "1 incident"
    assert count_label(0) == "0 incidents"
    assert count_label(2041, bold=True) == "**2,041** incidents"
    assert count_label(1, "snapshot") == "1 snapshot"


def test_the_timeline_shades_the_window_as_the_date_moves(db: Path) -> None:
    import json

    import pyarrow as pa

    def shaded(at) -> tuple[list[str], dict[str, Any]]:
        chart = (at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"))[0].proto
        layers = json.loads(chart.spec)["layer"]
        marks = [layer["mark"]["type"] for layer in layers]
        data = {d.name: pa.ipc.open_stream(d.data.data).read_all() for d in chart.datasets}
        shade = data[layers[0]["data"]["name"]].to_pylist()[0]
        rule = data[layers[2]["data"]["name"]].to_pylist()[0]
        return marks, {"start": str(shade["start"])[:10], "end": str(shade["end"])[:10],
                       "rule": str(rule["day"])[:10]}  # fmt: skip

    at = run_app(window="week", date="2024-11-05")
    marks, window = shaded(at)
    assert marks == ["rect", "bar", "rule"]
    assert window == {"start": "2024-10-30", "end": "2024-11-06", "rule": "2024-11-05"}
    at.slider(key=state.DATE_KEY).set_value(date(2024, 10, 29))
    rerun(at)
    assert shaded(at)[1] == {"start": "2024-10-23", "end": "2024-10-30", "rule": "2024-10-29"}


def test_play_speed_and_step_are_the_users(db: Path) -> None:
    """Speed 0.5×–8× sets the Play interval; a Step of one day moves ▶ by a day even in the
    "Up to date" window (which steps by a week)."""
    at = run_app(date="2024-11-03")
    assert at.session_state[state.WINDOW_KEY] == "all"
    at.button(key=state.STEP_FWD_KEY).click()
    rerun(at)
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 5)  # a week, kept in range
    at.slider(key=state.DATE_KEY).set_value(date(2024, 11, 1))
    at.selectbox(key=state.STEP_KEY).set_value("day")
    rerun(at)
    at.button(key=state.STEP_FWD_KEY).click()
    rerun(at)
    assert at.slider(key=state.DATE_KEY).value == date(2024, 11, 2)
    at.select_slider(key=state.SPEED_KEY).set_value("4×")
    rerun(at)
    assert not at.exception
    assert at.session_state[state.SPEED_KEY] == "4×"


def test_the_play_interval_follows_the_speed(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    for speed, seconds in (
        ("4×", 0.375),
        ("0.5×", 3.0),
        ("3×", 1.5),
        (None, 1.5),
    ):  # 3×: not offered
        monkeypatch.setattr(state, "st", SimpleNamespace(session_state={state.SPEED_KEY: speed}))
        assert state.play_interval() == pytest.approx(seconds)


def test_a_click_on_the_timeline_picks_its_day() -> None:
    from datetime import UTC, datetime

    from ui.explorer import picked_day

    ms = datetime(2024, 11, 4, tzinfo=UTC).timestamp() * 1000
    assert picked_day({"selection": {"pick": [{"day": ms}]}}) == date(2024, 11, 4)
    assert picked_day({"selection": {"pick": [{"day": "2024-11-03T00:00:00"}]}}) == date(
        2024, 11, 3
    )
    assert picked_day({"selection": {"pick": []}}) is None
    assert picked_day(None) is None and picked_day({"selection": {}}) is None


def test_the_timeline_is_clickable_and_says_its_unit(db: Path) -> None:
    import json

    at = run_app()
    (chart,) = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    params = spec.get("params", []) + [
        p for ly in spec.get("layer", []) for p in ly.get("params", [])
    ]
    assert any(p["name"] == "pick" and p["select"]["on"] == "click" for p in params)
    assert "per day" in chart.proto.spec or "per week" in chart.proto.spec
