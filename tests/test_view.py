"""The typed query shapes every layer shares: the date window and the incident filter."""

from __future__ import annotations

from datetime import date

import pytest

from geodata.errors import InputError
from geodata.view import DateWindow, IncidentFilter, step_date


def test_a_window_ends_on_its_day() -> None:
    d = date(2024, 3, 31)
    assert DateWindow.ending(d, "day").to_strings() == ("2024-03-31", "2024-03-31")
    assert DateWindow.ending(d, "week").to_strings() == ("2024-03-25", "2024-03-31")
    assert DateWindow.ending(d, "month").to_strings() == ("2024-03-02", "2024-03-31")
    assert DateWindow.ending(d, "all").to_strings() == (None, "2024-03-31")
    assert DateWindow.ending(None, "day") == DateWindow()
    assert DateWindow.ending(d, "fortnight") == DateWindow.ending(d, "all")  # unknown: default
    start, end = DateWindow.ending(d, "week")  # unpacks to dates
    assert (start, end) == (date(2024, 3, 25), d)


def test_a_window_reads_iso_strings_and_says_itself_in_words() -> None:
    assert DateWindow("2024-03-01", "2024-03-02T10:00:00Z") == DateWindow(
        date(2024, 3, 1), date(2024, 3, 2)
    )
    assert DateWindow(date(2024, 3, 2), date(2024, 3, 2)).words == "on 2024-03-02"
    assert DateWindow("2024-03-01", "2024-03-02").words == "2024-03-01 → 2024-03-02"
    assert DateWindow(end="2024-03-02").words == "up to 2024-03-02"
    assert DateWindow().words == "all dates"
    with pytest.raises(InputError, match="invalid end '2 March'"):
        DateWindow(end="2 March")


def test_steps_move_by_the_window_and_stay_in_range() -> None:
    d = date(2024, 3, 31)
    lo, hi = date(2024, 1, 1), date(2024, 12, 31)
    assert step_date(d, "month", -1, lo, hi) == date(2024, 2, 29)
    assert step_date(d, "week", 1, lo, hi) == date(2024, 4, 7)
    assert step_date(d, "all", 1, lo, hi) == date(2024, 4, 7)
    assert step_date(date(2024, 12, 30), "week", 1, lo, hi) == hi
    assert step_date(date(2024, 1, 2), "day", -1, lo, hi) == lo


def test_a_filter_normalizes_what_it_is_given() -> None:
    f = IncidentFilter(
        start="2024-05-01",
        types=["Battles", " ", "Riots "],
        countries="ua",
        actors=None,
        text="  kharkiv  ",
        min_fatalities=None,
    )
    assert f.start == date(2024, 5, 1) and f.end is None
    assert f.types == ("Battles", "Riots") and f.countries == ("UA",) and f.actors == ()
    assert f.text == "kharkiv" and f.min_fatalities == 0
    assert hash(f) == hash(IncidentFilter(start=date(2024, 5, 1), types=("Battles", "Riots"),
                                          countries=("UA",), text="kharkiv"))  # fmt: skip
    with pytest.raises(InputError, match="missing='nowhere'"):
        IncidentFilter(missing="nowhere")
    with pytest.raises(InputError, match="invalid start 'May 1'"):
        IncidentFilter(start="May 1")
    with pytest.raises(TypeError):
        IncidentFilter(colour="red")  # type: ignore[call-arg]


def test_a_filter_round_trips_and_drops_a_damaged_value() -> None:
    f = IncidentFilter(end="2024-05-31", types=("Battles",), min_fatalities=3)
    assert f.to_dict() == {"end": "2024-05-31", "types": ["Battles"], "min_fatalities": 3}
    assert f.to_dict(dates=False) == {"types": ["Battles"], "min_fatalities": 3}
    assert IncidentFilter.from_dict(f.to_dict()) == f
    damaged = {"types": ["Battles"], "start": "yesterday", "min_fatalities": "many", "x": 1}
    assert IncidentFilter.from_dict(damaged) == IncidentFilter(types=("Battles",))
    assert f.active and not IncidentFilter(start="2024-05-01").active


def test_a_filter_within_a_window_and_in_words() -> None:
    f = IncidentFilter(types=("Battles",), countries=("UA", "RU"), min_fatalities=5)
    windowed = f.within(DateWindow.ending(date(2024, 5, 7), "week"))
    assert (windowed.start, windowed.end) == (date(2024, 5, 1), date(2024, 5, 7))
    assert windowed.types == f.types
    assert f.describe() == "type: Battles · country: UA, RU · ≥ 5 killed"
    assert IncidentFilter().describe() == ""


def test_the_live_view_is_one_state_for_the_query_the_export_and_the_snapshot() -> None:
    from ui.state import LiveView, MapLayers, TimeView

    day = date(2024, 5, 7)
    live = LiveView(
        TimeView(day=day, window="week", bounds=DateWindow.ending(day, "week")),
        IncidentFilter(types=("Battles",), min_fatalities=2),
        MapLayers(cluster=True),
        ((50.45, 30.52), 7),
    )
    assert live.query == IncidentFilter(
        start="2024-05-01", end="2024-05-07", types=("Battles",), min_fatalities=2
    )
    view = live.map_view(title="  ", note=" n ")
    assert (view.start, view.end) == (date(2024, 5, 1), day)
    assert view.filters == live.filters and view.query == live.query
    assert (view.center, view.zoom, view.cluster, view.heat) == ((50.45, 30.52), 7, True, False)
    assert (view.title, view.note) == ("Dateline incidents", "n")
    saved = live.saved_view(title="Kyiv week", note="")
    assert saved["date"] == "2024-05-07" and saved["window"] == "week"
    assert saved["start"] == "2024-05-01" and saved["filters"] == {
        "types": ["Battles"],
        "min_fatalities": 2,
    }
    from geodata.maps.snapshot import MapView

    assert MapView.from_dict(saved) == live.map_view(title="Kyiv week")
