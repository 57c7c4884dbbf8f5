"""Issue 13's placement cases with the real gazetteer: homonyms abroad, area qualifiers,
"X region", organisations and person names in all-caps copy.

The sentences are written for these tests (real, well-known places; invented people).
"""

from __future__ import annotations

import pytest

from extract import extract_article
from geodata.gazetteer.index import Gazetteer
from geodata.records import Article, Place


def run(text: str, real: Gazetteer) -> Article:
    article = extract_article(text, gazetteer=real, incidents=False)
    for p in article.places:
        assert text[p.start : p.end] == p.text
    return article


def one(article: Article, surface: str) -> Place:
    found = [p for p in article.places if p.text == surface]
    assert len(found) == 1, [(p.text, p.name) for p in article.places]
    return found[0]


# --- homonyms abroad ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Taliban fighters attacked a checkpoint in Nawa, Helmand, killing three policemen.",
        "Airstrikes hit Nawa district, Helmand province, on Monday night.",
    ],
)
def test_district_of_helmand_is_not_a_namesake_abroad(real: Gazetteer, text: str) -> None:
    article = run(text, real)
    nawa = next(p for p in article.places if p.text.startswith("Nawa"))
    assert (nawa.country, nawa.admin1, nawa.kind) == ("AF", "Helmand", "adm1")
    assert nawa.precision == "approximate" and nawa.geonameid is None
    assert {p.country for p in article.places} == {"AF"}


def test_kenyan_coast_report_stays_in_kenya(real: Gazetteer) -> None:
    text = (
        "Kenyan police said gunmen ambushed a bus between Kiunga and Mokowe on Tuesday. "
        "Two wounded passengers were flown to Mombasa."
    )
    article = run(text, real)
    assert [p.text for p in article.places] == ["Kenyan", "Mokowe", "Mombasa"]
    assert {p.country for p in article.places} == {"KE"}


def test_police_station_in_a_city_is_a_part_of_it(real: Gazetteer) -> None:
    article = run("Two suspects were held at Pangani police station in Nairobi.", real)
    pangani, nairobi = one(article, "Pangani"), one(article, "Nairobi")
    assert (pangani.country, pangani.kind, pangani.precision) == ("KE", "district", "district")
    assert (pangani.lat, pangani.lon) == (nairobi.lat, nairobi.lon)


def test_armed_group_is_never_a_place(real: Gazetteer) -> None:
    text = "The Taliban's provincial police chief said the attack in Nad Ali district killed four."
    article = run(text, real)
    assert not [p for p in article.places if p.text == "Taliban"]
    assert all(p.country in (None, "AF") for p in article.places)


def test_district_beside_a_town_of_another_country_is_dropped(real: Gazetteer) -> None:
    # the gazetteer's Nawas are in Syria, India and (a spelling of Naha) Japan
    article = run("Nawa district near Lashkar Gah was shelled on Monday.", real)
    assert [(p.text, p.country) for p in article.places] == [("Lashkar Gah", "AF")]


def test_rural_district_is_not_put_at_a_small_town(real: Gazetteer) -> None:
    # a district fallback is for cities with districts of their own, not a provincial town
    article = run("Shelling hit Nad Ali district near Lashkar Gah on Monday.", real)
    nad_ali = next(p for p in article.places if p.text.startswith("Nad Ali"))
    lashkar_gah = one(article, "Lashkar Gah")
    assert (nad_ali.lat, nad_ali.lon) != (lashkar_gah.lat, lashkar_gah.lon)
    assert nad_ali.country == "AF"


# --- "X region", "X province", "X department" -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "entry_id"),
    [
        ("Drones hit the Dnipro region overnight.", "Dnipro", "adm1:UA.04"),
        ("Drones hit the Odesa region overnight.", "Odesa", "adm1:UA.17"),
        ("Drones hit the Kyiv region overnight.", "Kyiv", "adm1:UA.13"),
        ("Drones hit the Kharkiv Region overnight.", "Kharkiv Region", "adm1:UA.07"),
        ("CLASHES WERE REPORTED IN SAN MIGUEL DEPARTMENT.", "SAN MIGUEL DEPARTMENT", "adm1:SV.09"),
        # a loose spelling of Lower Juba, vouched for by the type word
        ("Fighting spread across the Lower Juuba Region.", "Lower Juuba Region", "adm1:SO.09"),
    ],
)
def test_region_cue_gives_the_admin_area(
    real: Gazetteer, text: str, surface: str, entry_id: str
) -> None:
    p = one(run(text, real), surface)
    assert (p.kind, p.entry_id) == ("adm1", entry_id)


def test_province_the_gazetteer_lacks_is_its_centre_at_province_precision(
    real: Gazetteer,
) -> None:
    # "Mardan" is a district and city of Pakistan, in no admin-area entry called so
    assert not [e for e in real.lookup("Mardan") if e.kind in ("adm1", "adm2")]
    p = one(run("Clashes broke out in Mardan province on Sunday.", real), "Mardan")
    assert (p.country, p.kind, p.precision) == ("PK", "adm1", "approximate")
    assert p.geonameid is None


def test_province_filed_at_the_second_level_is_that_area(real: Gazetteer) -> None:
    p = one(run("Clashes broke out in Basilan province on Sunday.", real), "Basilan")
    assert (p.country, p.kind) == ("PH", "adm2")
    assert p.geonameid is not None


def test_office_named_after_a_state_is_not_an_area_cue(real: Gazetteer) -> None:
    p = one(run("The Kentucky Department of Education said schools would open.", real), "Kentucky")
    assert (p.entry_id, p.role) == ("adm1:US.KY", "associative")


# --- organisations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Ukraine's General Staff said Russian forces shelled Kharkiv.", "Ukraine"),
        ("The Kenya Red Cross said 12 people were injured in Mombasa.", "Kenya"),
        ("Russia's Defence Ministry said its troops had entered the village.", "Russia"),
    ],
)
def test_organisations_are_associative(real: Gazetteer, text: str, surface: str) -> None:
    assert one(run(text, real), surface).role == "associative"


# --- person names in all-caps wire copy -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "QUITO, 3 MAR (WIRE) -- COLONEL ANSELMO CUENCA, THE ARMY SPOKESMAN, SAID REBELS "
        "ATTACKED A POST IN ESMERALDAS. CUENCA ADDED THAT TWO SOLDIERS DIED.",
        "QUITO, 3 MAR (WIRE) -- THE BODY OF LEANDRO CUENCA, 41, A TEACHER, WAS FOUND IN "
        "ESMERALDAS.",
    ],
)
def test_surname_that_is_a_city_is_no_place_in_caps(real: Gazetteer, text: str) -> None:
    assert real.lookup("Cuenca"), "Cuenca is a city of Ecuador and Spain"
    article = run(text, real)
    assert "CUENCA" not in {p.text for p in article.places}
    assert {"QUITO", "ESMERALDAS"} <= {p.text for p in article.places}


def test_city_in_caps_without_person_evidence_stays(real: Gazetteer) -> None:
    article = run("QUITO, 3 MAR (WIRE) -- FLOODS CUT THE ROAD TO CUENCA ON MONDAY.", real)
    assert one(article, "CUENCA").country == "EC"


def test_postal_code_word_in_caps(real: Gazetteer) -> None:
    text = "CUSCO, 3 MAR (WIRE) -- A BOMB WENT OFF IN CUSCO, IN SOUTHERN PERU, ON MONDAY."
    article = run(text, real)
    assert "IN" not in {p.text for p in article.places}
    assert all(p.country == "PE" for p in article.places)


def test_loose_spelling_needs_the_type_word(real: Gazetteer) -> None:
    assert not real.lookup("Lower Juuba")
    article = run("Fighting spread across Lower Juuba on Monday.", real)
    assert not [p for p in article.places if "Juuba" in p.text]


# --- a place, then its district or province in brackets (coders' notes) --------------------


@pytest.mark.parametrize(
    ("text", "surface", "country"),
    [
        # two bracketed places agree: the namesake abroad gives way
        ("A convoy hit a mine near Boni (Douentza, Mopti) on Sunday.", "Boni", "ML"),
        # one bracketed place that stands on its own (a capital)
        ("A mob beat a man to death in Mirpur (Dhaka) on Friday.", "Mirpur", "BD"),
        ("London (Ontario) police arrested two men on Monday.", "London", "CA"),
        # the bracketed district is itself a namesake abroad: it does not decide alone
        ("A bomb exploded in Turbat (Kech, Balochistan) on Monday.", "Turbat", "PK"),
    ],
)
def test_brackets_after_a_place_state_its_country(
    text: str, surface: str, country: str, real: Gazetteer
) -> None:
    assert one(run(text, real), surface).country == country
