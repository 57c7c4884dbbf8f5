"""People and doubtful alternate names that look like places, with the real gazetteer: a
surname after a name particle or before a generational suffix, a hamlet's name that speaks,
names after a kin word, a given name that is only a town's alternate name, a truncated or
translated alternate name, and "the Centre" as a government; with their counter-cases.

The sentences are written for these tests (real small places; invented people and events).
"""

from __future__ import annotations

import pytest

from extract import extract_article
from geodata.gazetteer.index import Gazetteer
from geodata.records import Article


def run(text: str, real: Gazetteer) -> Article:
    return extract_article(text, gazetteer=real, incidents=False)


def surfaces(text: str, real: Gazetteer) -> list[str]:
    return [p.text for p in run(text, real).places]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # a name particle between a given name and the surname
        ("The colt was saddled by Pieter van Fenton and won by two lengths.", "Fenton"),
        ("Maria da Crowley opened the gallery on Friday.", "Crowley"),
        # a generational suffix, and the same surname later on its own
        ("Robert L. Ashby, Jr., 41, was charged. Police say Ashby fled on foot.", "Ashby"),
        ("Thomas Fenton III chaired the meeting.", "Fenton"),
        # a hamlet's name that speaks
        ("Asked about the budget, Crowley said the council had no choice.", "Crowley"),
        ('"We will rebuild," said Fenton.', "Fenton"),
        ("Marlow told reporters the deal was done.", "Marlow"),
        # names after a kin word
        ("Her husband, Kyle Marlow, thanked the firefighters.", "Marlow"),
        ("Their son Oliver Horton Marlow was unhurt.", "Horton"),
        ("The driver's wife, Florence, was unhurt.", "Florence"),
        # a patronymic: any name before "bin", even a big city's after it
        ("Sheikh Ahmed bin Salem opened the new port.", "Salem"),
    ],
)
def test_a_surname_named_like_a_hamlet_is_a_person(text: str, absent: str, real: Gazetteer) -> None:
    assert absent not in surfaces(text, real)


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("The mayor of Fenton said the road would reopen.", "Fenton"),
        ("Officials in Crowley said the plant would close.", "Crowley"),
        ("The bus from Marlow was late again.", "Marlow"),
        ("Moscow said the talks had failed.", "Moscow"),
    ],
)
def test_a_place_whose_people_speak_stays_a_place(text: str, present: str, real: Gazetteer) -> None:
    assert present in surfaces(text, real)


def test_a_given_name_that_is_only_a_towns_alternate_name_is_a_person(real: Gazetteer) -> None:
    assert surfaces("He walked his dog, Keith, every morning.", real) == []
    assert "Robert" not in surfaces("Robert L. Ashby was charged on Monday.", real)


def test_a_big_citys_alternate_spelling_that_is_a_given_name_stays(real: Gazetteer) -> None:
    p = [p for p in run("Flooding closed the roads into Basra on Monday.", real).places]
    assert [(x.text, x.country) for x in p] == [("Basra", "IQ")]


def test_a_truncated_alternate_name_is_no_place(real: Gazetteer) -> None:
    # the index holds "Chopin" as an alternate name of a Brazilian town named Chopinzinho
    assert surfaces("The pianist played Haydn, Chopin and Liszt.", real) == []


def test_an_alternate_name_in_english_words_needs_the_places_own_words(real: Gazetteer) -> None:
    # "Central Park" and "University Park" are alternate names of towns with other names
    places = run("Runners crossed Central Park before dawn.", real).places
    assert all(p.name != "Bethpage" for p in places), [(p.text, p.name) for p in places]
    # "Salt Lake" is Salt Lake City cut short, a word the city's own name holds
    p = run("The storm reached Salt Lake on Tuesday.", real).places
    assert [(x.text, x.name) for x in p] == [("Salt Lake", "Salt Lake City")]


def test_the_centre_is_the_government_not_a_province(real: Gazetteer) -> None:
    text = "The Centre has asked the court for more time, the state government said."
    assert surfaces(text, real) == []


@pytest.mark.parametrize(
    ("text", "surface", "country"),
    [
        ("The Centre region of France voted on Sunday.", "Centre", "FR"),
        ("Farmers in the Centre province of Burkina Faso lost their crops.", "Centre", "BF"),
    ],
)
def test_the_centre_with_its_type_word_is_the_province(
    text: str, surface: str, country: str, real: Gazetteer
) -> None:
    p = [x for x in run(text, real).places if x.text == surface]
    assert [(x.kind, x.country) for x in p] == [("adm1", country)]


def test_a_capitals_old_name_borne_by_big_cities_is_theirs(real: Gazetteer) -> None:
    # "Salem" is also an old name of Jerusalem: the capital bonus is for the name it bears
    places = run("Tourists flocked to Salem this summer.", real).places
    assert [p.text for p in places] == ["Salem"]
    assert places[0].country != "IL", places[0].name
    # an alternate name no big city bears still goes to the capital
    assert [p.name for p in run("The envoy flew to Kiev on Monday.", real).places] == ["Kyiv"]


def test_the_index_knows_english_words_and_english_given_names(real: Gazetteer) -> None:
    assert real.english_words["instead"] >= 4.0  # no place key, yet a word the index knows
    assert {"keith", "kyle", "levi"} <= real.english_given_names
    assert "singa" not in real.english_given_names  # a given name, but not an English one
    assert "singa" in real.given_names


def test_an_arabic_article_left_off_keeps_the_village(real: Gazetteer) -> None:
    # "Dana" is an English given name, and the Syrian town's own name is "Ad Dānā"
    places = run("Clashes broke out in Dana, near Idlib, on Monday.", real).places
    assert [(p.text, p.country) for p in places][:1] == [("Dana", "SY")]


@pytest.mark.parametrize(
    ("text", "town", "state"),
    [
        ("Police in Gainesville, Va., said the fire was out.", "Gainesville", "Virginia"),
        ("He died at his home in Slidell, La. Police said he drowned.", "Slidell", "Louisiana"),
        ("Officers in Canton, Ga., closed the road.", "Canton", "Georgia"),
        ("A bridge in Erie, Pa., was closed.", "Erie", "Pennsylvania"),
    ],
)
def test_a_two_letter_ap_abbreviation_after_a_town_is_its_state(
    text: str, town: str, state: str, real: Gazetteer
) -> None:
    places = {p.text: p for p in run(text, real).places}
    abbreviation = text.split(f"{town}, ")[1][:3]
    assert places[abbreviation].name == state
    assert (places[town].country, places[town].admin1) == ("US", state)


def test_two_letters_with_a_period_elsewhere_are_no_state(real: Gazetteer) -> None:
    assert surfaces("He told Pa. the news at dinner.", real) == []


def test_a_rarer_dictionary_word_after_in_is_the_town(real: Gazetteer) -> None:
    # "dover" is a word of the dictionary, but "in Dover" mid-sentence is the town
    assert surfaces("Police in Dover said the ferry was late.", real) == ["Dover"]
    # a frequent word after "in" still needs a prominent place behind it
    assert surfaces("He was in Charge of the unit.", real) == []


def test_la_is_los_angeles_but_louisiana_after_a_town(real: Gazetteer) -> None:
    assert [p.name for p in run("She moved from Boston to LA in 2019.", real).places] == [
        "Boston",
        "Los Angeles",
    ]
    places = run("Flooding hit Baton Rouge, LA, on Monday.", real).places
    assert [(p.text, p.name) for p in places] == [
        ("Baton Rouge", "Baton Rouge"),
        ("LA", "Louisiana"),
    ]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Cher sang in Las Vegas on Saturday.", "Cher"),
        ("Bono sang at the concert in Dublin, and Bono later tweeted a photo.", "Bono"),
    ],
)
def test_a_person_known_by_one_name_who_sings(text: str, absent: str, real: Gazetteer) -> None:
    assert absent not in surfaces(text, real)


def test_a_country_that_performs_stays_a_country(real: Gazetteer) -> None:
    assert surfaces("France performed well in the final.", real) == ["France"]


@pytest.mark.parametrize(
    "text",
    [
        "The team met its Waterloo in the final.",
        "The mall became a Mecca for shoppers in the region.",
        "The software was a Trojan horse.",
    ],
)
def test_a_place_in_a_figure_of_speech_is_no_place(text: str, real: Gazetteer) -> None:
    assert surfaces(text, real) == []


def test_a_possessive_before_an_attributive_place_keeps_it(real: Gazetteer) -> None:
    assert surfaces("Their Paris office closed in May.", real) == ["Paris"]
