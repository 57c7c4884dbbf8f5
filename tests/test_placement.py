"""Tests of :mod:`extract.events.placement`: which of a clause's places an event is tied to,
ACLED's geo precision, and the article's one country.

Sentences are written for these tests; places are hand-made :class:`geodata.records.Place`
objects (real towns, approximate points), and :func:`focus_country` uses the fixture gazetteer.
"""

from __future__ import annotations

import pytest

from extract.events.placement import (
    SPECIFICITY,
    choose_locations,
    focus_country,
    geo_precision,
    in_organisation,
    is_reference,
    specificity,
)
from geodata.records import Place
from tests.fixtures_gazetteer import tiny_gazetteer

POINTS = {
    "Kupiansk": (49.71, 37.616),
    "Kharkiv": (49.982, 36.255),
    "Sumy": (50.907, 34.798),
    "Poltava": (49.589, 34.551),
    "Izium": (49.212, 37.257),
    "Belgorod": (50.597, 36.588),
    "Vovchansk": (50.291, 36.941),
    "Hilla": (32.464, 44.42),
    "Baghdad": (33.34, 44.4),
    "Sake": (-1.573, 29.045),
    "Goma": (-1.679, 29.228),
    "Gaza": (31.502, 34.467),
    "Sderot": (31.525, 34.597),
    "Kibera": (-1.313, 36.787),
    "Nairobi": (-1.283, 36.817),
}
COUNTRY = {
    "Kupiansk": "UA",
    "Kharkiv": "UA",
    "Sumy": "UA",
    "Poltava": "UA",
    "Izium": "UA",
    "Vovchansk": "UA",
    "Belgorod": "RU",
    "Hilla": "IQ",
    "Baghdad": "IQ",
    "Sake": "CD",
    "Goma": "CD",
    "Gaza": "PS",
    "Sderot": "IL",
    "Kibera": "KE",
    "Nairobi": "KE",
}


def _place(text: str, surface: str, kind: str = "city", *, nth: int = 0) -> Place:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    lat, lon = POINTS[surface]
    return Place(
        start=start,
        end=start + len(surface),
        text=surface,
        name=surface,
        geonameid=1,
        lat=lat,
        lon=lon,
        kind=kind,
        country=COUNTRY[surface],
        admin1=None,
        role="literal",
        score=0.9,
        entry_id=f"test:{surface}:{kind}",
    )


def _chosen(text: str, places: list[Place], trigger: str) -> list[str]:
    picked = choose_locations(
        text, list(range(len(places))), places, trigger_pos=text.index(trigger)
    )
    return [places[i].text for i in picked]


# --- the most specific place -----------------------------------------------------------------


def test_a_town_beats_its_province() -> None:
    text = "Shelling hit Kupiansk in Kharkiv oblast on Monday."
    places = [_place(text, "Kupiansk"), _place(text, "Kharkiv", "adm1")]
    assert _chosen(text, places, "Shelling") == ["Kupiansk"]


def test_a_town_beats_its_province_named_first_and_nearer_the_trigger() -> None:
    text = "In Kharkiv oblast, shelling on Monday hit Kupiansk."
    places = [_place(text, "Kharkiv", "adm1"), _place(text, "Kupiansk")]
    assert _chosen(text, places, "shelling") == ["Kupiansk"]


def test_a_district_beats_its_city() -> None:
    text = "Police raided homes in Nairobi's Kibera on Friday."
    places = [_place(text, "Nairobi"), _place(text, "Kibera", "district")]
    assert _chosen(text, places, "raided") == ["Kibera"]


def test_no_candidates_no_place() -> None:
    assert choose_locations("Shelling was reported.", [], [], trigger_pos=0) == []


# --- reference points and origins lose --------------------------------------------------------


def test_a_reference_point_loses_even_nearer_the_trigger() -> None:
    text = "Hilla, just south of Baghdad, was shelled on Friday."
    places = [_place(text, "Hilla"), _place(text, "Baghdad")]
    assert _chosen(text, places, "shelled") == ["Hilla"]
    assert is_reference(text, places[1]) and not is_reference(text, places[0])


def test_a_distance_from_a_town_is_a_reference_point() -> None:
    text = "In an attack 25 km west of Goma, rebels overran Sake."
    places = [_place(text, "Goma"), _place(text, "Sake")]
    assert _chosen(text, places, "attack") == ["Sake"]


def test_a_reference_point_alone_is_still_the_place() -> None:
    text = "Fighting was reported 25 km west of Goma."
    places = [_place(text, "Goma")]
    assert _chosen(text, places, "Fighting") == ["Goma"]


def test_the_origin_of_a_projectile_loses() -> None:
    text = "A rocket fired from Gaza struck Sderot."
    places = [_place(text, "Gaza"), _place(text, "Sderot")]
    assert _chosen(text, places, "fired") == ["Sderot"]


# --- the target wins ties ---------------------------------------------------------------------


def test_the_targeted_village_wins_a_tie() -> None:
    text = "Drones launched near Belgorod were targeting the village of Vovchansk."
    places = [_place(text, "Belgorod"), _place(text, "Vovchansk")]
    assert _chosen(text, places, "launched") == ["Vovchansk"]


def test_the_shelled_town_beats_where_the_troops_are() -> None:
    text = "Troops stationed in Izium were shelling Kupiansk."
    places = [_place(text, "Izium"), _place(text, "Kupiansk")]
    assert _chosen(text, places, "stationed") == ["Kupiansk"]


def test_without_a_frame_the_nearest_place_wins_a_tie() -> None:
    # the control for the two tests above: same kinds, no target frame
    text = "Residents of Izium and officials in Kupiansk reported explosions."
    places = [_place(text, "Izium"), _place(text, "Kupiansk")]
    assert _chosen(text, places, "explosions") == ["Kupiansk"]
    assert _chosen(text, places, "Residents") == ["Izium"]


# --- lists ------------------------------------------------------------------------------------


def test_listed_places_are_all_chosen() -> None:
    text = "Air strikes hit Kharkiv, Sumy and Poltava overnight."
    places = [_place(text, "Kharkiv"), _place(text, "Sumy"), _place(text, "Poltava")]
    assert _chosen(text, places, "strikes") == ["Kharkiv", "Sumy", "Poltava"]


def test_a_list_shares_one_level_only() -> None:
    text = "Air strikes hit Kharkiv and Sumy oblast overnight."
    places = [_place(text, "Kharkiv"), _place(text, "Sumy", "adm1")]
    assert _chosen(text, places, "strikes") == ["Kharkiv"]


def test_places_that_are_not_listed_together_are_not_all_chosen() -> None:
    text = "Air strikes hit Kharkiv overnight, officials in Poltava said."
    places = [_place(text, "Kharkiv"), _place(text, "Poltava")]
    assert _chosen(text, places, "strikes") == ["Kharkiv"]


def test_the_same_place_named_twice_is_one_incident_place() -> None:
    text = "Strikes hit Kharkiv and Kharkiv again hours later."
    places = [_place(text, "Kharkiv"), _place(text, "Kharkiv", nth=1)]
    assert _chosen(text, places, "Strikes") == ["Kharkiv"]


# --- geo precision ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "precision"),
    [
        ("Shelling hit Kharkiv on Monday.", "city", 1),
        ("Shelling hit the city of Kharkiv on Monday.", "city", 1),
        ("Shelling hit villages near Kharkiv on Monday.", "city", 2),
        ("Shelling hit a road outside Kharkiv on Monday.", "city", 2),
        ("Shelling hit Kharkiv district on Monday.", "adm2", 2),
        ("Shelling hit Kharkiv oblast on Monday.", "adm1", 3),
        ("Shelling hit the Kharkiv region on Monday.", "region", 3),
        ("Shelling hit Kharkiv on Monday.", "country", 3),
    ],
)
def test_geo_precision(text: str, kind: str, precision: int) -> None:
    assert geo_precision(text, _place(text, "Kharkiv", kind)) == precision


# --- the article's one country ----------------------------------------------------------------


def _mentions(*codes: str | None) -> list[Place]:
    out = []
    for k, code in enumerate(codes):
        point = (49.0, 32.0) if code is not None else (None, None)
        out.append(Place(k * 10, k * 10 + 5, "Place", "Place", None, *point, "city", code, None))
    return out


def test_focus_country_of_a_one_country_article() -> None:
    found = focus_country(_mentions("UA", "UA", "UA"), tiny_gazetteer())
    assert found is not None
    assert (found.kind, found.country, found.name) == ("country", "UA", "Ukraine")
    assert (found.lat, found.lon) == (49.0, 32.0)  # the country's point, not a mention's
    assert (found.start, found.end, found.text) == (0, 0, "")  # no span: the whole article


def test_focus_country_with_a_few_foreign_mentions() -> None:
    found = focus_country(_mentions("UA", "RU", "UA", "UA"), tiny_gazetteer())
    assert found is not None and found.country == "UA"


@pytest.mark.parametrize(
    "codes",
    [("UA", "RU", "US"), ("UA", "UA", "RU"), ("KE", "RU"), ()],
    ids=["three-countries", "two-thirds", "half", "none"],
)
def test_no_focus_country_when_the_article_spans_several(codes: tuple[str, ...]) -> None:
    assert focus_country(_mentions(*codes), tiny_gazetteer()) is None


def test_unresolved_mentions_do_not_count_against_the_focus() -> None:
    found = focus_country(_mentions("KE", None, None, None), tiny_gazetteer())
    assert found is not None and found.country == "KE"


def test_the_share_is_a_parameter() -> None:
    places = _mentions("UA", "UA", "RU")
    assert focus_country(places, tiny_gazetteer()) is None
    found = focus_country(places, tiny_gazetteer(), share=0.6)
    assert found is not None and found.country == "UA"


# --- names the gazetteer lacks, ranked by their place noun --------------------------------------


def _locality(text: str, surface: str, near: str) -> Place:
    """A name the gazetteer lacks, placed at the point of the town ``near``."""
    start = text.index(surface)
    lat, lon = POINTS[near]
    return Place(
        start=start,
        end=start + len(surface),
        text=surface,
        name=surface,
        geonameid=None,
        lat=lat,
        lon=lon,
        kind="locality",
        country=COUNTRY[near],
        admin1=None,
        role="literal",
        score=0.3,
        entry_id=None,
        precision="area",
    )


@pytest.mark.parametrize(
    ("text", "surface", "level"),
    [
        ("Gunmen attacked Zarivka village at dawn.", "Zarivka", 5),
        ("Gunmen attacked the Wadiri district at dawn.", "Wadiri", 5),
        ("Gunmen attacked the Ngosa area at dawn.", "Ngosa", 5),
        ("Gunmen attacked villages in Ngosa Local Government Area.", "Ngosa", 3),
        ("Gunmen attacked villages in Ngosa LGA.", "Ngosa", 3),
        ("Gunmen attacked villages in Ngosa County.", "Ngosa", 3),
        (
            "Gunmen attacked villages in the Ngosa Local Government Area.",
            "Ngosa Local Government Area",
            3,
        ),
        ("Drones struck the Ngosa Mountains at dawn.", "Ngosa Mountains", 3),
        ("Drones struck targets in the Ngosa region.", "Ngosa", 2),
        ("Drones struck targets in the province of Ngosa.", "Ngosa", 2),
    ],
)
def test_a_locality_is_as_specific_as_its_place_noun(text: str, surface: str, level: int) -> None:
    assert specificity(text, _locality(text, surface, "Kupiansk")) == level


def test_a_resolved_place_keeps_the_specificity_of_its_kind() -> None:
    text = "Gunmen attacked villages in Kupiansk county."
    assert specificity(text, _place(text, "Kupiansk")) == SPECIFICITY["city"]


def test_a_known_village_beats_the_local_government_area_it_lies_in() -> None:
    # an LGA the gazetteer lacks is named after its town: an area, not the place of the attack
    text = "Gunmen attacked Kibera, a village in Ngosa Local Government Area, killing five."
    places = [_place(text, "Kibera"), _locality(text, "Ngosa", "Nairobi")]
    assert _chosen(text, places, "attacked") == ["Kibera"]


def test_an_unknown_village_still_beats_a_known_town() -> None:
    # the control: a village-level name the gazetteer lacks outranks the town it is near
    text = "Gunmen attacked Zarivka village near Kupiansk, killing five."
    places = [_locality(text, "Zarivka", "Kupiansk"), _place(text, "Kupiansk")]
    assert _chosen(text, places, "attacked") == ["Zarivka"]


def test_a_known_town_beats_an_unknown_region_around_it() -> None:
    text = "Troops launched an assault in the Ngosa region, targeting the town of Izium."
    places = [_locality(text, "Ngosa", "Kharkiv"), _place(text, "Izium")]
    assert _chosen(text, places, "assault") == ["Izium"]


# --- the area that qualifies a place is not a rival to it ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mortars fell on Izium, a suburb of Kupiansk, on Friday.",
        "Mortars fell on Izium, the main town of the Kupiansk area, on Friday.",
        "Mortars fell on Izium in southern Kupiansk on Friday.",
        "Mortars fell on Izium (Kupiansk) on Friday.",
    ],
)
def test_a_qualifying_town_loses_to_the_place_it_qualifies(text: str) -> None:
    # same kind, the qualifier nearer the end: without the relation the tie would go to either
    places = [_place(text, "Izium"), _place(text, "Kupiansk")]
    assert _chosen(text, places, "Friday") == ["Izium"]


def test_a_town_that_is_no_place_itself_does_not_make_the_next_one_its_area() -> None:
    # "a shop owned by a Kupiansk in Izium": Kupiansk is not where anything is
    text = "Police shot a man who planned to attack a shop owned by a Kupiansk in Izium."
    places = [_place(text, "Kupiansk"), _place(text, "Izium")]
    assert _chosen(text, places, "attack") == ["Izium"]


def test_a_city_that_owns_a_quarter_loses_to_it() -> None:
    text = "A man was shot outside a warehouse in Nairobi's crowded Kibera section."
    places = [_place(text, "Nairobi"), _place(text, "Kibera")]  # both resolved as towns
    assert _chosen(text, places, "shot") == ["Kibera"]


def test_a_possessor_in_another_country_is_not_the_area_of_the_next_name() -> None:
    # a misread name abroad ("Baghdad's Al-Tehran square" read as Tehran) is no quarter of it
    text = "Five were killed in Kupiansk's Belgorod square on Friday."
    places = [_place(text, "Kupiansk"), _place(text, "Belgorod")]
    assert _chosen(text, places, "killed") == ["Kupiansk"]


def test_a_list_is_no_qualifier() -> None:
    text = "Air strikes hit Kharkiv, Sumy and Poltava overnight."
    places = [_place(text, "Kharkiv"), _place(text, "Sumy"), _place(text, "Poltava")]
    assert _chosen(text, places, "strikes") == ["Kharkiv", "Sumy", "Poltava"]


# --- where people are from is not where the event was -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Kupiansk supporters marched through the streets of Izium on Friday.",
        "A Kupiansk man was shot dead in Izium on Friday.",
        "Ana Ruiz of Kupiansk was shot dead in Izium on Friday.",
        "Ana Ruiz, 18, of Kupiansk was shot dead in Izium on Friday.",
    ],
)
def test_where_people_are_from_loses(text: str) -> None:
    places = [_place(text, "Kupiansk"), _place(text, "Izium")]
    assert _chosen(text, places, "Kupiansk") == ["Izium"]  # the nearer one loses


def test_a_place_noun_of_a_town_is_no_person() -> None:
    # the control: "the Port City of X" names the town, not somebody from it
    text = "Shells hit the Port City of Kupiansk, officials in Izium said on Friday."
    places = [_place(text, "Kupiansk"), _place(text, "Izium")]
    assert _chosen(text, places, "Shells") == ["Kupiansk"]


@pytest.mark.parametrize("name", ["Lower Ngosa", "West Ngosa", "North-Ngosa"])
def test_a_name_opened_by_a_side_is_a_region(name: str) -> None:
    text = f"Five women were killed in the town of Izium by clans fighting in {name}."
    places = [_place(text, "Izium"), _locality(text, name, "Kupiansk")]
    assert specificity(text, places[1]) == 3
    assert _chosen(text, places, "fighting") == ["Izium"]


def test_the_town_a_village_is_of_qualifies_it() -> None:
    # both resolved as towns; "Y" after "X village of" is where X lies
    text = "A farmer was murdered at Izium village of Kupiansk sub-division on Friday."
    places = [_place(text, "Izium"), _place(text, "Kupiansk")]
    assert _chosen(text, places, "Friday") == ["Izium"]


def test_a_capitalised_place_noun_between_a_village_and_its_district_qualifies_too() -> None:
    text = "Troops were ambushed at Izium Village in Kupiansk district on Friday."
    places = [_locality(text, "Izium", "Kupiansk"), _place(text, "Kupiansk", "district")]
    assert _chosen(text, places, "Friday") == ["Izium"]


def test_an_attack_launched_from_a_captured_village_is_not_there() -> None:
    text = "Troops launched their attack on Izium from the recently captured village of Kupiansk."
    places = [_place(text, "Izium"), _place(text, "Kupiansk")]
    assert _chosen(text, places, "attack") == ["Izium"]


def test_from_does_not_reach_past_a_locative() -> None:
    # "away from their base in Izium": Izium is where they are, not an origin
    text = "Rebels were attacked away from their base in Izium, near Kupiansk."
    places = [_place(text, "Izium"), _place(text, "Kupiansk")]
    assert _chosen(text, places, "attacked") == ["Izium"]


def test_a_mountain_the_gazetteer_lacks_is_no_finer_than_a_town() -> None:
    text = "Troops stormed the town of Izium in Jabal Ngosa on Friday."
    places = [_place(text, "Izium"), _locality(text, "Jabal Ngosa", "Kupiansk")]
    assert specificity(text, places[1]) == SPECIFICITY["city"]
    assert _chosen(text, places, "Friday") == ["Izium"]  # the mountain range it lies in


def test_a_targeted_mountain_beats_the_side_of_a_town() -> None:
    text = "The offensive went on in the Kupiansk countryside, striking Jabal Ngosa on Friday."
    places = [_place(text, "Kupiansk"), _locality(text, "Jabal Ngosa", "Kupiansk")]
    assert _chosen(text, places, "offensive") == ["Jabal Ngosa"]


def test_the_edge_of_a_city_is_a_reference_point() -> None:
    text = "In Izium, on the western edge of Kupiansk, troops clashed with residents."
    places = [_place(text, "Izium"), _place(text, "Kupiansk")]
    assert _chosen(text, places, "clashed") == ["Izium"]


def test_the_town_a_village_is_near_ranks_below_it_even_when_finer_by_kind() -> None:
    # an unknown name ranks as a district; "near" still makes it the reference point
    text = "A woman was killed at her house in Izium village near Ngosa on Sunday."
    places = [_place(text, "Izium"), _locality(text, "Ngosa", "Kupiansk")]
    assert _chosen(text, places, "Sunday") == ["Izium"]


def test_x_in_y_ranks_y_below_x_when_y_is_one_level_finer_by_kind() -> None:
    text = "Thousands marched to Izium in southern Kupiansk district on Friday."
    places = [_place(text, "Izium"), _place(text, "Kupiansk", "district")]
    assert _chosen(text, places, "Friday") == ["Izium"]


def test_a_country_in_which_a_town_is_named_does_not_outrank_it() -> None:
    # "in Ukraine in the area of Kupiansk": the finer place follows the coarser one
    text = "Seven were killed in fighting in Ukraine in the area of Kupiansk on Friday."
    ukraine = Place(
        text.index("Ukraine"), text.index("Ukraine") + 7, "Ukraine", "Ukraine", 1,
        49.0, 32.0, "country", "UA", None, "literal", 0.9, "test:UA",
    )  # fmt: skip
    places = [ukraine, _place(text, "Kupiansk")]
    assert _chosen(text, places, "killed") == ["Kupiansk"]


def test_a_local_council_is_an_area() -> None:
    text = "Gunmen invaded villages in the Ngosa local council, killing five."
    assert specificity(text, _locality(text, "Ngosa", "Kupiansk")) == 3


def test_the_frame_of_a_name_cut_after_its_article_is_the_names() -> None:
    # the gazetteer resolved "Izium" in "al-Izium": "the town of al-" still introduces it
    text = "Troops entered the town of al-Izium in northern Kupiansk on Friday."
    places = [_place(text, "Izium"), _place(text, "Kupiansk")]
    assert _chosen(text, places, "Friday") == ["Izium"]


def test_a_place_after_the_article_of_an_organisations_name_is_inside_it() -> None:
    text = "Fighters of Jabhat Al-Kupiansk attacked Izium."
    assert in_organisation(text, _place(text, "Kupiansk"))
    assert not in_organisation(text, _place(text, "Izium"))


def test_an_origin_loses_even_when_it_is_a_village_the_gazetteer_lacks() -> None:
    # the village ranks as a district, one above the town: an origin still loses
    text = "Troops launched their attack on Izium from the recently captured village of Ngosa."
    places = [_place(text, "Izium"), _locality(text, "Ngosa", "Kupiansk")]
    assert _chosen(text, places, "attack") == ["Izium"]


def test_the_last_area_in_brackets_qualifies_the_place() -> None:
    # "X (Z district, Y)": Y is X's province, even after a district name the gazetteer lacks
    text = "Troops set up a post on the outskirts of Izium (Ngosa district, Kupiansk) on Friday."
    places = [_place(text, "Izium"), _place(text, "Kupiansk")]
    assert _chosen(text, places, "Friday") == ["Izium"]


def test_a_reference_point_still_loses_to_a_place_that_is_not_its_qualifier() -> None:
    # the control: "the outskirts of Izium" is a reference when another place is the event's
    text = "Shelling hit Kupiansk, on the outskirts of Izium, on Friday."
    places = [_place(text, "Kupiansk"), _place(text, "Izium")]
    assert _chosen(text, places, "Friday") == ["Kupiansk"]


def test_where_the_shooters_are_stationed_is_not_what_they_shelled() -> None:
    # an unknown settlement ranks as a district, above the town: being where the guns stand
    # still loses
    text = "Tanks stationed at the settlement of Ngosa shelled a post in the town of Izium."
    places = [_locality(text, "Ngosa", "Kupiansk"), _place(text, "Izium")]
    assert _chosen(text, places, "Tanks") == ["Izium"]
