"""Airports as gazetteer entries (geodata/gazetteer/_features.py): which names each airport is
indexed by, written rows first (invented airports), then the real gazetteer."""

from __future__ import annotations

import pytest

from extract import extract_article
from geodata.gazetteer._features import airport_entries
from geodata.gazetteer._raw_entry import RawEntry
from geodata.gazetteer.index import Gazetteer


def _row(name: str, city: str, *, iata: str = "XXX", icao: str = "ZZZZ", cc: str = "GB") -> dict:
    return {
        "icao": icao,
        "iata": iata,
        "name": name,
        "city": city,
        "subd": "Somewhere",
        "country": cc,
        "lat": "51.0",
        "lon": "-1.0",
    }


def _names(rows: list[dict], *, taken: dict[str, int] | None = None, pop: int = 0) -> dict:
    city_population = {("GB", "brindlemouth"): pop, ("GB", "ostervale"): pop}
    out = airport_entries(
        taken_keys=taken or {},
        city_population=city_population,
        raw_entry=RawEntry,
        rows=rows,
    )
    return {e.id: {e.name, *e.alternates} for e in out}


def test_typed_names_of_an_airport() -> None:
    names = _names([_row("Brindlemouth Quorrick International Airport", "Brindlemouth")])
    assert {
        "Brindlemouth Quorrick International Airport",
        "Quorrick Airport",
        "Quorrick International Airport",
        "XXX Airport",
        "Brindlemouth Airport",  # the city's only airport
    } <= names["apt:ZZZZ"]


def test_an_international_airport_is_known_by_its_bare_core() -> None:
    names = _names([_row("Brindlemouth Quorrick International Airport", "Brindlemouth")])
    assert "Quorrick" in names["apt:ZZZZ"]


def test_a_small_airport_needs_its_type_word() -> None:
    names = _names([_row("Brindlemouth Quorrick Airport", "Brindlemouth")], pop=40_000)
    assert "Quorrick" not in names["apt:ZZZZ"]
    assert "Quorrick Airport" in names["apt:ZZZZ"]


def test_a_big_city_airport_is_known_by_its_bare_core() -> None:
    names = _names([_row("Brindlemouth Quorrick Airport", "Brindlemouth")], pop=2_000_000)
    assert "Quorrick" in names["apt:ZZZZ"]


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("Brindlemouth Michael International Airport", "Michael"),  # a given name
        ("Brindlemouth Midway International Airport", "Midway"),  # a common word
        ("Brindlemouth Quorrick International Airport", "Quorrick"),  # a town's name (below)
        ("Brindlemouth International Airport", "International"),  # a sort word alone
    ],
)
def test_bare_cores_that_stay_out(name: str, core: str) -> None:
    names = _names([_row(name, "Brindlemouth")], taken={"quorrick": 25_000})
    assert core not in names["apt:ZZZZ"]
    assert "International Airport" not in names["apt:ZZZZ"]


def test_a_core_that_spells_its_city_stays_the_citys() -> None:
    names = _names([_row("Ostervaale International Airport", "Ostervale")])
    assert "Ostervaale" not in names["apt:ZZZZ"]


def test_a_city_with_two_airports_lends_neither_its_name() -> None:
    rows = [
        _row("Brindlemouth Quorrick Airport", "Brindlemouth", icao="ZZZ1", iata="QQA"),
        _row("Brindlemouth Fellgate Airport", "Brindlemouth", icao="ZZZ2", iata="QQB"),
    ]
    names = _names(rows)
    assert all("Brindlemouth Airport" not in n for n in names.values())


def test_rows_without_iata_code_or_airport_word_are_left_out() -> None:
    rows = [
        _row("Brindlemouth Quorrick Airport", "Brindlemouth", iata=""),  # an airstrip
        _row("Brindlemouth Heliport", "Brindlemouth", icao="ZZZ3"),
    ]
    assert _names(rows) == {}


def test_an_airport_is_as_well_known_as_its_city() -> None:
    out = airport_entries(
        taken_keys={},
        city_population={("GB", "brindlemouth"): 123_456},
        raw_entry=RawEntry,
        rows=[_row("Brindlemouth Quorrick Airport", "Brindlemouth")],
    )
    assert (out[0].kind, out[0].population) == ("district", 123_456)


# --- the real gazetteer ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "cc"),
    [
        ("Flights at Heathrow Airport were cancelled because of fog.", "Heathrow Airport", "GB"),
        ("Travellers were stranded at Gatwick on Friday.", "Gatwick", "GB"),
        ("Passengers at O'Hare Airport waited for hours.", "O'Hare Airport", "US"),
        ("The plane landed at JFK Airport on Monday.", "JFK Airport", "US"),
    ],
)
def test_real_airports(real: Gazetteer, text: str, surface: str, cc: str) -> None:
    places = [p for p in extract_article(text, gazetteer=real, incidents=False).places]
    found = [p for p in places if p.text == surface]
    assert len(found) == 1, [(p.text, p.name) for p in places]
    assert found[0].entry_id.startswith("apt:") and found[0].country == cc


def test_real_airport_of_a_town_of_its_name_stays_the_town(real: Gazetteer) -> None:
    place = extract_article("Aid arrived in Entebbe on Monday.", gazetteer=real).places[0]
    assert (place.kind, place.country) == ("city", "UG")
