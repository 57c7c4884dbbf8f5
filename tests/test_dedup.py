"""Tests of :mod:`extract.events.dedup`: one incident reported by several articles becomes one
record."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from extract.events.dedup import fold_into, merge_incidents, same_incident
from geodata.distance import km_apart
from geodata.records import Incident

KHARKIV = (49.982, 36.255)


def _offset(point: tuple[float, float], km_north: float) -> tuple[float, float]:
    """The point ``km_north`` kilometres due north of ``point``."""
    lat, lon = point
    return lat + km_north / 111.195, lon


def _day(d: str) -> dict[str, Any]:
    return {"date": d, "date_precision": "day", "date_start": d, "date_end": d, "time_precision": 1}


def _inc(article: str, **kw: Any) -> Incident:
    """An incident reported by ``article``: a Russian air strike on Kharkiv on 2024-11-04."""
    point = kw.pop("point", KHARKIV)
    fields: dict[str, Any] = {
        "id": f"{article}-1",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        **_day("2024-11-04"),
        "place_index": 3,
        "location": "Kharkiv",
        "lat": point[0],
        "lon": point[1],
        "geo_precision": 1,
        "country": "UA",
        "admin1": "Kharkiv",
        "actor1": "Russian forces",
        "actor2": None,
        "fatalities": None,
        "injured": None,
        "sentence": f"A Russian air attack hit Kharkiv ({article}).",
        "start": 0,
        "end": 40,
        "confidence": 0.8,
        "trigger": "air attack",
        "sources": [{"article_id": article, "sentence": f"sentence of {article}"}],
    }
    fields.update(kw)
    return Incident(**fields)


def test_offset_helper() -> None:
    assert km_apart(KHARKIV, _offset(KHARKIV, 10)) == pytest.approx(10, abs=0.05)
    assert km_apart(KHARKIV, _offset(KHARKIV, 30)) == pytest.approx(30, abs=0.05)


def test_same_type_overlapping_dates_within_25_km_merge() -> None:
    a = _inc("a")
    b = _inc(
        "b",
        point=_offset(KHARKIV, 10),
        date="2024-11-05",
        date_precision="week",
        date_start="2024-11-01",
        date_end="2024-11-05",
        time_precision=2,
    )
    assert same_incident(a, b)
    assert same_incident(b, a)
    merged = merge_incidents([a, b])
    assert len(merged) == 1
    assert [s["article_id"] for s in merged[0].sources] == ["a", "b"]


def test_30_km_apart_at_town_precision_do_not_merge() -> None:
    a = _inc("a")
    b = _inc("b", point=_offset(KHARKIV, 30), location="Chuhuiv")
    assert not same_incident(a, b)
    assert len(merge_incidents([a, b])) == 2
    assert same_incident(a, b, max_km=40)  # the threshold is the parameter


def test_different_sub_type_do_not_merge() -> None:
    a = _inc("a")
    b = _inc("b", sub_event_type="Shelling/artillery/missile attack")
    assert not same_incident(a, b)
    assert len(merge_incidents([a, b])) == 2


def test_different_event_type_do_not_merge() -> None:
    a = _inc("a")
    b = _inc("b", event_type="Battles", sub_event_type="Armed clash")
    assert not same_incident(a, b)


def test_day_outside_a_month_does_not_merge() -> None:
    a = _inc("a")  # 2024-11-04
    october = {
        "date": "2024-10-31",
        "date_precision": "month",
        "date_start": "2024-10-01",
        "date_end": "2024-10-31",
        "time_precision": 3,
    }
    b = _inc("b", **october)
    assert not same_incident(a, b)
    assert not same_incident(b, a)
    assert len(merge_incidents([a, b])) == 2
    november = {
        "date": "2024-11-05",
        "date_precision": "month",
        "date_start": "2024-11-01",
        "date_end": "2024-11-05",
        "time_precision": 3,
    }
    assert same_incident(a, _inc("c", **november))  # a month that contains the day


def test_two_different_days_do_not_merge() -> None:
    assert not same_incident(_inc("a"), _inc("b", **_day("2024-11-02")))


def test_unknown_date_overlaps_anything() -> None:
    unknown = {
        "date": None,
        "date_precision": "unknown",
        "date_start": None,
        "date_end": None,
        "time_precision": None,
    }
    assert same_incident(_inc("a"), _inc("b", **unknown))


def test_coarse_same_country_and_admin1_merge() -> None:
    region = {"location": "Kharkiv Oblast", "geo_precision": 3, "place_index": None}
    a = _inc("a", point=_offset(KHARKIV, 60), **region)  # admin-1 point, 60 km away
    b = _inc("b")
    assert same_incident(a, b)
    assert same_incident(b, a)
    assert len(merge_incidents([a, b])) == 1


def test_coarse_different_admin1_or_country_do_not_merge() -> None:
    a = _inc("a", geo_precision=3, admin1="Sumy", location="Sumy Oblast")
    assert not same_incident(a, _inc("b", geo_precision=3))
    c = _inc("c", geo_precision=3, admin1=None, country="RU", location="Russia")
    assert not same_incident(c, _inc("d", geo_precision=3, admin1=None, location="Ukraine"))


def test_country_level_merges_with_a_town_in_that_country() -> None:
    country = _inc(
        "a", point=(49.0, 32.0), geo_precision=3, admin1=None, location="Ukraine", place_index=None
    )
    assert same_incident(country, _inc("b"))


def test_merged_record_keeps_most_precise_place_and_date_and_lowest_figures() -> None:
    coarse = _inc(
        "a",
        point=(49.6, 36.4),
        location="Kharkiv Oblast",
        geo_precision=3,
        place_index=7,
        date="2024-11-05",
        date_precision="week",
        date_start="2024-10-30",
        date_end="2024-11-05",
        time_precision=2,
        fatalities=10,
        injured=None,
        confidence=0.9,
    )
    precise = _inc("b", fatalities=7, injured=20, actor1=None, confidence=0.6)
    for order in ([coarse, precise], [precise, coarse]):
        merged = merge_incidents(order)
        assert len(merged) == 1
        m = merged[0]
        assert (m.location, m.lat, m.lon, m.geo_precision, m.place_index) == (
            "Kharkiv",
            KHARKIV[0],
            KHARKIV[1],
            1,
            3,
        )
        assert (m.date, m.date_precision, m.date_start, m.date_end, m.time_precision) == (
            "2024-11-04",
            "day",
            "2024-11-04",
            "2024-11-04",
            1,
        )
        assert (m.fatalities, m.injured) == (7, 20)
        assert m.confidence == 0.9
        assert m.actor1 == "Russian forces"
        assert {s["article_id"] for s in m.sources} == {"a", "b"}


def test_figures_stay_null_when_no_source_states_them() -> None:
    merged = merge_incidents([_inc("a"), _inc("b")])
    assert len(merged) == 1
    assert merged[0].fatalities is None
    assert merged[0].injured is None


def test_zero_is_a_figure() -> None:
    merged = merge_incidents([_inc("a", fatalities=0), _inc("b", fatalities=3)])
    assert merged[0].fatalities == 0


def test_inputs_are_not_mutated() -> None:
    a = _inc("a", fatalities=5, geo_precision=2)
    b = _inc("b", fatalities=2, point=_offset(KHARKIV, 5))
    before = (copy.deepcopy(a), copy.deepcopy(b))
    merged = merge_incidents([a, b])
    assert len(merged) == 1
    assert (a, b) == before
    assert merged[0] is not a
    assert merged[0].sources is not a.sources


def test_duplicate_sources_are_listed_once() -> None:
    merged = merge_incidents([_inc("a"), _inc("a"), _inc("b")])
    assert len(merged) == 1
    assert [s["article_id"] for s in merged[0].sources] == ["a", "b"]


def test_merge_keeps_separate_events_in_order() -> None:
    items = [
        _inc("a"),
        _inc("b", sub_event_type="Shelling/artillery/missile attack"),
        _inc("c", point=_offset(KHARKIV, 3)),
        _inc("d", **_day("2024-10-01")),
    ]
    merged = merge_incidents(items)
    assert [m.sources[0]["article_id"] for m in merged] == ["a", "b", "d"]
    assert [s["article_id"] for s in merged[0].sources] == ["a", "c"]


def test_merge_of_nothing() -> None:
    assert merge_incidents([]) == []
    assert merge_incidents(iter([_inc("a")]))[0].sources[0]["article_id"] == "a"


def test_fold_into_mutates_only_keep() -> None:
    keep = _inc("a", geo_precision=2, fatalities=4)
    other = _inc("b", fatalities=1)
    other_before = copy.deepcopy(other)
    fold_into(keep, other)
    assert other == other_before
    assert keep.geo_precision == 1
    assert keep.fatalities == 1
    assert [s["article_id"] for s in keep.sources] == ["a", "b"]
