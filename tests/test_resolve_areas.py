"""Areas against their village namesakes, and a country a demonym states, with the real
gazetteer: a state or constituent country listed beside another area, a village that only
nearness makes a state's namesake, "the <Demonym> city of X"; with their counter-cases.

The sentences are written for these tests (real places; invented events).
"""

from __future__ import annotations

import pytest

from extract import extract_article
from geodata.gazetteer.index import Gazetteer
from geodata.records import Place


def place(text: str, surface: str, real: Gazetteer, *, nth: int = 0) -> Place:
    found = [
        p
        for p in extract_article(text, gazetteer=real, incidents=False).places
        if p.text == surface
    ]
    assert len(found) > nth, surface
    return found[nth]


def test_an_area_listed_beside_an_area_is_the_area(real: Gazetteer) -> None:
    # a village called Wales lies next to Sheffield and Rotherham, in England
    text = (
        "Officers in Sheffield and Rotherham joined a national review. Police numbers in "
        "England and Wales have fallen by a fifth since 2010, officials in Sheffield said."
    )
    p = place(text, "Wales", real)
    assert (p.kind, p.country) == ("adm1", "GB")


def test_nearness_alone_does_not_make_a_state_its_village(real: Gazetteer) -> None:
    # Florida, New York is a village near Goshen, Warwick and Middletown
    text = (
        "Tickets were sold in Goshen, Warwick and Middletown, New York. A man in Florida won "
        "the last jackpot, lottery officials in Goshen said."
    )
    p = place(text, "Florida", real)
    assert (p.kind, p.admin1) == ("adm1", "Florida")


@pytest.mark.parametrize(
    ("text", "surface", "admin1"),
    [
        # a qualifier states the village's state
        ("Tickets were sold in Goshen and in Florida, N.Y., on Friday.", "Florida", "New York"),
        # and so does the sentence's scene for a small town named like a country
        ("In Ohio, officials in Lebanon said the road was closed.", "Lebanon", "Ohio"),
    ],
)
def test_a_village_the_text_places_keeps_its_state(
    text: str, surface: str, admin1: str, real: Gazetteer
) -> None:
    p = place(text, surface, real)
    assert (p.kind, p.admin1) == ("city", admin1)


def test_a_demonym_before_a_place_noun_states_the_country(real: Gazetteer) -> None:
    # "Salisbury" is also Harare's old name, and Harare is named in the same sentence
    text = (
        "Zimbabwe's ambassador in Harare said the exiled minister had moved to the English "
        "city of Salisbury."
    )
    assert place(text, "Salisbury", real).country == "GB"
    # without the frame the old name still goes to the capital the text names
    assert place("Officials in Harare said Salisbury was quiet.", "Salisbury", real).country == "ZW"


def test_a_district_named_after_its_city_yields_the_bare_name_to_the_city(
    real: Gazetteer,
) -> None:
    # the Regierungsbezirk Köln also answers to "Cologne" and has four times the people
    p = place("He moved to Cologne last year.", "Cologne", real)
    assert (p.kind, p.name) == ("city", "Köln")
    # a county with no city of its name in its country keeps the name
    assert place("Kent police said the road was closed.", "Kent", real).kind == "adm2"


def test_a_code_iso_does_not_know_may_be_the_states_initials(real: Gazetteer) -> None:
    places = extract_article(
        "He moved to Cologne, NRW, DE last year.", gazetteer=real, incidents=False
    ).places
    assert [(p.text, p.name) for p in places] == [
        ("Cologne", "Köln"),
        ("NRW", "North Rhine-Westphalia"),
        ("DE", "Germany"),
    ]
    # the same letters after a place in no state of those initials are no code
    assert [p.text for p in extract_article(
        "He moved to Lyon, NRW, last year.", gazetteer=real, incidents=False
    ).places] == ["Lyon"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "surface", "admin1"),
    [
        # the story's state is named (Houston, Dallas), yet the small Texan Portland needs the
        # text to place it; the city ten times its size keeps its name
        (
            "The Rockets beat Dallas in Houston and fly to Portland for Friday's game.",
            "Portland",
            "Oregon",
        ),
        (
            "The Cardinals beat Toledo in Columbus and face Louisville next week.",
            "Louisville",
            "Kentucky",
        ),
        # a qualifier places the small one
        (
            "The Rockets beat Dallas in Houston and fly to Portland, Texas, for a charity game.",
            "Portland",
            "Texas",
        ),
    ],
)
def test_a_small_namesake_of_a_big_city_needs_the_text_to_place_it(
    text: str, surface: str, admin1: str, real: Gazetteer
) -> None:
    assert place(text, surface, real).admin1 == admin1
