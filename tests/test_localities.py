"""Tests of :mod:`extract.events.localities`: place names the gazetteer lacks, found in the frames
news uses for an event's location, and anchored at the area the text states for them.

Sentences are written for these tests; villages are invented or well-known places used as if
the gazetteer lacked them. Places are hand-made :class:`geodata.records.Place` objects.
"""

from __future__ import annotations

import pytest

from extract.events.localities import Locality, anchor_place, find_localities
from geodata.records import Place
from tests.fixtures_gazetteer import tiny_gazetteer

KHARKIV_OBLAST = (49.6, 36.5)
KUPIANSK = (49.71, 37.616)
POKROVSK = (48.282, 37.176)
DONETSK_OBLAST = (48.0, 37.8)
UKRAINE = (49.0, 32.0)


def _place(
    text: str,
    surface: str,
    kind: str,
    point: tuple[float, float] | None,
    *,
    country: str | None = "UA",
    admin1: str | None = None,
    nth: int = 0,
) -> Place:
    """A resolved (or, with ``point=None``, unresolved) mention of ``surface`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    lat, lon = point if point is not None else (None, None)
    return Place(
        start=start,
        end=start + len(surface),
        text=surface,
        name=surface,
        geonameid=None if point is None else 1,
        lat=lat,
        lon=lon,
        kind=kind,
        country=country if point is not None else None,
        admin1=admin1 if admin1 is not None else (surface if kind == "adm1" else None),
        role="literal",
        score=0.9,
        entry_id=None if point is None else f"test:{surface}",
    )


def _found(
    text: str,
    places: list[Place] | None = None,
    *,
    common: dict[str, float] | None = None,
    given: set[str] | frozenset[str] = frozenset(),
) -> list[tuple[str, str]]:
    locs = find_localities(text, 0, len(text), places or [], common_words=common, given_names=given)
    for loc in locs:
        assert text[loc.start : loc.end] == loc.text  # spans are exact
    return [(loc.text, loc.frame) for loc in locs]


# --- frames -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "frame"),
    [
        ("Forces shelled the village of Zarivka overnight.", "Zarivka", "of"),
        ("Troops entered the town of Ras Kamboni on Sunday.", "Ras Kamboni", "of"),
        ("The village of Al-Reyhan was shelled.", "Al-Reyhan", "of"),
        ("Kolodne village was shelled overnight.", "Kolodne", "noun"),
        ("Villagers fled to the Kakuma refugee camp.", "Kakuma", "noun"),
        ("Troops stormed Melnyky before dawn.", "Melnyky", "verb"),
        ("Drones struck Sloboda district overnight.", "Sloboda", "verb"),
        ("Militants attacked a checkpoint in Garbatulla district.", "Garbatulla", "prep"),
        ("Gunmen opened fire at Garbatulla market on Friday.", "Garbatulla", "prep"),
        ("Two civilians were killed in Berezivka (Kupiansk raion) on Monday.", "Berezivka", "prep"),
    ],
)
def test_frame_finds_the_name(text: str, name: str, frame: str) -> None:
    assert (name, frame) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Rift Valley fever killed hundreds of cattle last year.",
        "Herders in Rift Valley fever zones lost cattle.",
        "Nurses stormed Lassa fever wards to treat patients.",
    ],
)
def test_a_name_that_opens_a_diseases_name_is_no_locality(text: str) -> None:
    assert _found(text) == []


def test_offsets_are_the_articles_and_only_the_clause_is_read() -> None:
    text = "Shelling hit Kolodne village. Later, troops stormed Melnyky before dawn."
    start = text.index("Later")
    locs = find_localities(text, start, len(text), [])
    assert [(loc.text, loc.start) for loc in locs] == [("Melnyky", text.index("Melnyky"))]
    assert all(isinstance(loc, Locality) for loc in locs)


def test_several_names_in_text_order() -> None:
    text = "Strikes hit Novoselivka and the village of Zarivka overnight."
    names = [name for name, _ in _found(text)]
    assert names == ["Novoselivka", "Zarivka"]


# --- rejections -------------------------------------------------------------------------------


def test_a_given_name_after_in_is_a_person_but_the_village_of_it_is_a_place() -> None:
    text = "Gunmen killed a trader in Ahmed, witnesses said."
    assert _found(text, given={"ahmed"}) == []
    assert _found(text) == [("Ahmed", "prep")]  # it is the given-name list that rejects it
    assert _found("Militants attacked the village of Ahmed.", given={"ahmed"}) == [("Ahmed", "of")]


def test_the_fixture_gazetteers_given_names_are_people() -> None:
    gaz = tiny_gazetteer()
    text = "Gunmen killed a trader in Leandro, police said."
    assert _found(text, common=gaz.common_words, given=gaz.given_names) == []


def test_a_common_word_is_no_place_name() -> None:
    text = "Shelling hit Market town."
    assert _found(text, common={"market": 5.0}) == []
    assert _found(text) == [("Market", "verb")]  # it is the frequency that rejects it
    assert _found("Soldiers were deployed in Hope, the officials said.", common={"hope": 5.0}) == []


@pytest.mark.parametrize(
    "text",
    [
        "Protesters gathered in May, officials said.",
        "The meeting was held in March, officials said.",
        "Gunmen attacked the convoy on Tuesday, officials said.",
    ],
)
def test_months_and_weekdays_are_no_places(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Police attacked the Ministry building.",
        "A bomb exploded near the University, in the morning.",
        "Protesters marched in Parliament, officials said.",
        "Gunmen attacked the President, officials said.",
        "In Parliament's vote, the bill failed.",
    ],
)
def test_organisation_and_title_words_are_no_places(text: str) -> None:
    assert _found(text) == []


def test_group_names_are_no_places() -> None:
    assert _found("Fighters attacked Hamas overnight.") == []
    assert _found("Clashes erupted near Taliban checkpoints in Nangarhar.") == [
        ("Nangarhar", "prep")
    ]


def test_a_resolved_place_is_not_reported_again() -> None:
    text = "Two civilians were killed in Berezivka, Kharkiv oblast."
    assert ("Kharkiv", "noun") in _found(text)
    kharkiv = _place(text, "Kharkiv", "adm1", KHARKIV_OBLAST)
    assert _found(text, [kharkiv]) == [("Berezivka", "prep")]


def test_an_unresolved_mention_does_not_hide_the_name() -> None:
    text = "Two civilians were killed in Berezivka, Kharkiv oblast."
    unresolved = _place(text, "Berezivka", "unknown", None)
    assert ("Berezivka", "prep") in _found(text, [unresolved])


def test_prep_frame_needs_a_locative_tail() -> None:
    # "in X," / "in X (…)" / "in X district" are places; "in X" before a verb is not
    assert _found("Gunmen killed a trader in Garbatulla, police said.") == [("Garbatulla", "prep")]
    assert _found("Officials in Garbatulla reported the attack.") == []


# --- all caps and possessives -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SOLDIERS SHELLED THE VILLAGE OF ZARIVKA AT DAWN.", [("ZARIVKA", "of")]),
        ("THE VILLAGE OF SAN ISIDRO WAS ATTACKED BY GUERRILLAS.", [("SAN ISIDRO", "of")]),
        ("GUNMEN ATTACKED KOLODNE VILLAGE.", [("KOLODNE", "noun")]),
        ("GUERRILLAS ATTACKED PATAMBO DEPARTMENT OUTPOSTS.", [("PATAMBO", "noun")]),
        # caps copy: only the explicit place-noun frames, never a bare "IN X" or "ATTACKED X"
        ("GUERRILLAS ATTACKED IN PATAMBO.", []),
        ("GUERRILLAS ATTACKED PATAMBO YESTERDAY.", []),
    ],
)
def test_all_caps_frames(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_the_name_after_a_possessive_is_the_place() -> None:
    text = "A grenade was thrown at a bar in Mogadishu's Wadajir district."
    assert [name for name, _ in _found(text)] == ["Wadajir"]


# --- anchor_place -----------------------------------------------------------------------------


def _anchor(
    text: str, name: str, places: list[Place], candidates: list[int], focus: Place | None = None
) -> tuple[Place, int | None]:
    (loc,) = [loc for loc in find_localities(text, 0, len(text), places) if loc.text == name]
    return anchor_place(text, loc, candidates, places, focus=focus)


def test_anchor_at_a_stated_oblast_is_precision_3_at_the_villages_span() -> None:
    text = "Two civilians were killed in Berezivka, Kharkiv oblast."
    places = [_place(text, "Kharkiv", "adm1", KHARKIV_OBLAST)]
    place, precision = _anchor(text, "Berezivka", places, [0])
    assert precision == 3
    assert (place.lat, place.lon) == KHARKIV_OBLAST
    assert (place.start, place.end, place.text) == (
        text.index("Berezivka"),
        text.index("Berezivka") + len("Berezivka"),
        "Berezivka",
    )
    assert (place.kind, place.role, place.geonameid) == ("locality", "literal", None)
    assert (place.country, place.admin1) == ("UA", "Kharkiv")


def test_anchor_at_a_stated_district_is_precision_2() -> None:
    text = "Drones struck the village of Kamenka (Pokrovsk district, Donetsk oblast)."
    places = [
        _place(text, "Pokrovsk", "district", POKROVSK, admin1="Donetsk"),
        _place(text, "Donetsk", "adm1", DONETSK_OBLAST),
    ]
    place, precision = _anchor(text, "Kamenka", places, [0, 1])
    assert precision == 2
    assert (place.lat, place.lon) == POKROVSK


def test_anchor_at_a_nearby_town_is_precision_2() -> None:
    text = "The village of Kamenka near Pokrovsk was shelled."
    places = [_place(text, "Pokrovsk", "city", POKROVSK, admin1="Donetsk")]
    place, precision = _anchor(text, "Kamenka", places, [0])
    assert precision == 2
    assert (place.lat, place.lon) == POKROVSK


def test_the_qualifier_right_after_the_name_beats_a_more_specific_place_elsewhere() -> None:
    text = "Officials in Kupiansk said the village of Zarivka, Kharkiv oblast, was shelled."
    places = [
        _place(text, "Kupiansk", "city", KUPIANSK, admin1="Kharkiv"),
        _place(text, "Kharkiv", "adm1", KHARKIV_OBLAST),
    ]
    place, precision = _anchor(text, "Zarivka", places, [0, 1])
    assert (place.lat, place.lon, precision) == (*KHARKIV_OBLAST, 3)


def test_without_a_qualifier_the_most_specific_place_of_the_clause_anchors() -> None:
    text = "In Kharkiv oblast, near Kupiansk, shelling hit the village of Zarivka."
    places = [
        _place(text, "Kharkiv", "adm1", KHARKIV_OBLAST),
        _place(text, "Kupiansk", "city", KUPIANSK, admin1="Kharkiv"),
    ]
    place, precision = _anchor(text, "Zarivka", places, [0, 1])
    assert (place.lat, place.lon, precision) == (*KUPIANSK, 2)


def test_the_articles_country_anchors_when_the_clause_states_no_area() -> None:
    text = "Shelling hit the village of Zarivka overnight."
    focus = Place(0, 0, "", "Ukraine", 690791, *UKRAINE, "country", "UA", None)
    place, precision = _anchor(text, "Zarivka", [], [], focus=focus)
    assert (place.lat, place.lon, place.country, precision) == (*UKRAINE, "UA", 3)
    assert place.text == "Zarivka"


def test_no_point_when_nothing_states_an_area() -> None:
    text = "Shelling hit the village of Zarivka overnight."
    place, precision = _anchor(text, "Zarivka", [], [])
    assert precision is None
    assert (place.lat, place.lon, place.country) == (None, None, None)
    assert (place.text, place.kind) == ("Zarivka", "locality")


def test_an_anchor_without_a_point_gives_no_point() -> None:
    text = "Two civilians were killed in Berezivka, Kharkiv oblast."
    unresolved = _place(text, "Kharkiv", "adm1", None)
    (loc,) = [loc for loc in find_localities(text, 0, len(text), []) if loc.text == "Berezivka"]
    place, precision = anchor_place(text, loc, [0], [unresolved])
    assert (place.lat, precision) == (None, None)


# --- lists, tails, titles and place nouns inside the name ---------------------------------------


def test_a_plural_place_noun_opens_a_list() -> None:
    text = "Jets struck the towns of Zarivka, Kolodne and Melnyky overnight."
    assert _found(text) == [("Zarivka", "of"), ("Kolodne", "of"), ("Melnyky", "of")]


def test_a_listed_town_the_gazetteer_knows_does_not_end_the_list() -> None:
    text = "Jets struck the villages of Zarivka, Kupiansk, and Melnyky overnight."
    kupiansk = _place(text, "Kupiansk", "city", KUPIANSK)
    assert _found(text, [kupiansk]) == [("Zarivka", "of"), ("Melnyky", "of")]


def test_a_singular_place_noun_names_one_place() -> None:
    # the control: "the town of A and B" does not make B a town
    text = "Troops entered the town of Zarivka and Kolodne said nothing."
    assert _found(text) == [("Zarivka", "of")]


@pytest.mark.parametrize(
    "text",
    [
        "Six people were killed in Zarivka when gunmen opened fire on a bar.",
        "Six people were killed in Zarivka after gunmen opened fire on a bar.",
        "Six people were killed in Zarivka Monday, police said.",
        "Six people were killed in Zarivka overnight.",
    ],
)
def test_the_name_after_in_may_end_the_clause_with_its_time_or_a_subordinate(text: str) -> None:
    assert _found(text) == [("Zarivka", "prep")]


def test_a_title_opens_a_place_name_where_a_place_noun_frames_it() -> None:
    given = {"barrah"}  # even a given name: the place noun says it is a place
    assert _found("Rebels attacked the town of Sheikh Barrah on Monday.", given=given) == [
        ("Sheikh Barrah", "of")
    ]
    assert _found("Shells hit the Sheikh Barrah district.", given=given) == [
        ("Sheikh Barrah", "noun")
    ]
    assert _found("Gunmen attacked a cleric in Sheikh Barrah, police said.", given=given) == []


def test_a_mullah_is_no_place() -> None:
    assert _found("Fighters rallied around Mullah Barrah, officials said.") == []


def test_a_place_noun_at_the_end_of_a_name_after_a_preposition_frames_it() -> None:
    # "on the Zarivka Military Airport today": the name is Zarivka, framed by its noun
    text = "Rebels launched an assault on the Zarivka Military Airport today."
    (loc,) = find_localities(text, 0, len(text), [])
    assert (loc.text, loc.frame, loc.facility) == ("Zarivka", "noun", False)
    text = "Gunmen killed nine in Ngosa Local Government Area of Benue State."
    assert ("Ngosa", "noun") in _found(text)


def test_a_common_word_named_by_its_area_noun_is_still_a_name() -> None:
    text = "Herders stormed villages in Market Local Government Area of Benue State."
    assert ("Market", "noun") in _found(text, common={"market": 5.0})


def test_a_colon_after_a_plural_place_noun_opens_a_list() -> None:
    text = "Herders raided four villages: Zarivka, Kolodne and Melnyky in the night."
    assert _found(text) == [("Zarivka", "of"), ("Kolodne", "of"), ("Melnyky", "of")]


@pytest.mark.parametrize(
    "text",
    [
        "About 40 homes in Zarivka have been destroyed by bombs.",
        "The population in Zarivka were angry at the fighters.",
        "Clashes erupted in Zarivka between rival clans.",
    ],
)
def test_a_verb_or_between_may_follow_the_name_after_in(text: str) -> None:
    assert _found(text) == [("Zarivka", "prep")]


def test_a_name_that_says_it_is_a_place_needs_no_tail() -> None:
    # "Kafr", "Deir", "Wadi" … open place names: "in Kafr X expel" is still a place
    assert _found("Civilians in Kafr Barrah expel the fighters.") == [("Kafr Barrah", "prep")]
    assert _found("Civilians in Ngosa LGA expel the fighters.") == [("Ngosa", "noun")]
    # the control: a plain name needs its tail
    assert _found("Civilians in Barrah expel the fighters.") == []


def test_the_capital_of_a_province_is_a_place_frame() -> None:
    text = "Rebels launched an offensive in the provincial capital of Zarivka on Saturday."
    assert _found(text) == [("Zarivka", "of")]


def test_a_name_may_hold_words_opened_by_an_ayn() -> None:
    text = "A car bomb exploded in northern ‘Ayn ‘Barrah, near the border."
    assert _found(text) == [("‘Ayn ‘Barrah", "prep")]


def test_a_title_after_in_opens_a_place_unless_a_given_name_follows() -> None:
    assert _found("He was killed fighting in Sheikh Barrah.", given={"ahmed"}) == [
        ("Sheikh Barrah", "prep")
    ]
    assert _found("He was killed fighting in Sheikh Ahmed.", given={"ahmed"}) == []


@pytest.mark.parametrize(
    "text",
    [
        "Missiles hit the Saudi National Guard base on Tuesday.",
        "The offensive was launched against the town in IV Corps on Monday.",
        "Rebels captured the ISIS-held town on Monday.",
        "A bomb hit the Shi'ite neighbourhood on Monday.",
    ],
)
def test_units_adjectives_of_control_and_sects_are_no_places(text: str) -> None:
    assert _found(text) == []


def test_the_rest_of_a_known_towns_site_is_no_place() -> None:
    # "Kupiansk" is resolved; "Military" and "International" are what is left of the site
    text = "A source at the Kupiansk Military Airport said jets hit Kupiansk International Airport."
    places = [
        _place(text, "Kupiansk", "city", KUPIANSK),
        _place(text, "Kupiansk", "city", KUPIANSK, nth=1),
    ]
    assert _found(text, places) == []
    assert _found("Rebels stormed the Industrial District and the Development Area.") == []
    # the control: a town the gazetteer lacks, with its site
    assert ("Zarivka", "noun") in _found("Rebels attacked the Zarivka Military Airport.")


@pytest.mark.parametrize(
    "text",
    [
        "Hundreds protested outside the Global Climate Conference on Monday.",
        "Drummers marched in the Ngosa Pride Parade on Sunday.",
        "Prices shot up on the Ngosa Petroleum Exchange on Monday.",
    ],
)
def test_events_and_markets_named_like_places_are_no_places(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    ("text", "name", "frame"),
    [
        ("A commander was killed at the battle of Zarivka yesterday.", "Zarivka", "of"),
        ("Firefights were reported at the northern axis of Zarivka.", "Zarivka", "of"),
        ("The siege of Zarivka entered its third week.", "Zarivka", "of"),
        ("Gunmen invaded villages in the Ngosa local council, killing five.", "Ngosa", "prep"),
        ("Five were killed when the Ngosa local council was attacked.", "Ngosa", "noun"),
    ],
)
def test_fighting_named_after_its_place_and_local_councils(
    text: str, name: str, frame: str
) -> None:
    assert (name, frame) in _found(text)


def test_an_article_and_a_place_noun_make_a_common_word_a_name() -> None:
    common = {"hill": 4.5}
    assert _found("Troops stormed the town of al-Hill on Monday.", common=common) == [
        ("al-Hill", "of")
    ]
    assert _found("Shells hit the el-Hill refugee camp.", common=common) == [("el-Hill", "noun")]
    # the control: without the article the common word is no name
    assert _found("Troops stormed the town of Hill on Monday.", common=common) == []


def test_a_border_community_and_clashes_that_rocked_a_village() -> None:
    assert _found("The Zarivka border community was attacked at dawn.") == [("Zarivka", "noun")]
    assert _found("Clashes that rocked Zarivka, a village near the river, killed five.") == [
        ("Zarivka", "verb")
    ]


def test_the_town_that_owns_a_quarter_anchors_it_before_a_later_province() -> None:
    text = "Gunmen shot a councillor in Kupiansk's Zarivka township (Kharkiv oblast) on Monday."
    places = [
        _place(text, "Kupiansk", "city", KUPIANSK, admin1="Kharkiv"),
        _place(text, "Kharkiv", "adm1", KHARKIV_OBLAST),
    ]
    place, precision = _anchor(text, "Zarivka", places, [0, 1])
    assert (place.lat, place.lon, precision) == (*KUPIANSK, 2)


def test_a_name_starts_a_word() -> None:
    # "central Ngosan town": no "al Ngosan" cut from "central"
    assert _found("Residents fled the central Ngosan town on Monday.") == [("Ngosan", "noun")]


def test_a_framed_name_holding_a_word_the_gazetteer_matched_is_the_place() -> None:
    text = "Bandits invaded the village of Dutsin Kupiansk on Sunday."
    fragment = _place(text, "Kupiansk", "city", KUPIANSK)
    assert _found(text, [fragment]) == [("Dutsin Kupiansk", "of")]
    # its point is not the fragment's: the fragment is no area of the name
    (loc,) = find_localities(text, 0, len(text), [fragment])
    place, precision = anchor_place(text, loc, [0], [fragment])
    assert (place.lat, precision) == (None, None)


@pytest.mark.parametrize(
    "text",
    [
        "A source at the Kupiansk Military Airport said so.",  # a known town and its site
        "Troops advanced in the Greater Kupiansk area.",  # a known town and an epithet
        "Shells hit the town of Kupiansk Province.",  # a name ending in a place noun
    ],
)
def test_a_known_town_with_generic_words_is_not_a_longer_name(text: str) -> None:
    fragment = _place(text, "Kupiansk", "city", KUPIANSK)
    assert _found(text, [fragment]) == []


@pytest.mark.parametrize(
    "text",
    [
        "Zarivka came under artillery fire on Monday.",
        "Zarivka was shelled overnight by Russian forces.",
        "Zarivka has been bombarded for three days.",
    ],
)
def test_a_terse_report_names_the_village_as_its_subject(text: str) -> None:
    assert _found(text) == [("Zarivka", "verb")]


@pytest.mark.parametrize(
    "text",
    [
        "Barrah was captured in March in a raid.",  # a person is captured, not only a place
        "They were shelled as they fled.",
        "Dozens were bombed out of their homes.",
        "Police were stormed by the crowd.",
    ],
)
def test_a_passive_subject_that_is_no_place(text: str) -> None:
    assert _found(text) == []


# --- agencies, possessives, titles, days and dictionary words (issue 14) -----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Inspectors of the Agriculture Department raided the farm.",
        "Officials in the Department of Water Affairs were attacked.",
    ],
)
def test_a_government_department_is_no_locality(text: str) -> None:
    assert _found(text) == []
    # the same names in a place frame of their own are still found
    assert [name for name, _ in _found("Shelling hit Agriculture village.")] == ["Agriculture"]


def test_a_possessive_after_a_verb_is_whose_not_where() -> None:
    assert _found("Voters took Halloran's promise lightly.") == []
    assert _found("Troops took Halloran after a week.") == [("Halloran", "verb")]


@pytest.mark.parametrize(
    "text",
    [
        "Protesters marched against Prime Minister Okonjo Ebube in the capital.",
        "Gunmen attacked worshippers on New Year Day, police said.",
    ],
)
def test_a_title_or_a_day_is_no_locality(text: str) -> None:
    assert _found(text) == []


def test_english_words_reject_a_dictionary_word_after_a_verb_or_in() -> None:
    english = {"navy": 4.6, "heart": 5.3, "my": 6.5, "local": 5.2, "government": 5.3, "area": 5.3}
    text = "Thousands were recruited into the Navy. The band played In My Heart."
    assert _found(text) != []  # without the word list the capitalized words pass
    locs = find_localities(text, 0, len(text), [], english_words=english)
    assert locs == []
    # a place noun after the name keeps the place-key list: "Logo" is a known common word
    # only when the gazetteer's own keys say so
    framed = "Herdsmen stormed five villages in Obi Local Government Area on Friday."
    found = find_localities(framed, 0, len(framed), [], english_words=english)
    assert [loc.text for loc in found] == ["Obi"]
