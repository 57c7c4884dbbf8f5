"""Recognition on the fixture gazetteer: spans, case rules, cues, demonyms, qualifiers."""

from __future__ import annotations

import pytest

from extract.geoparse._tokens import Mention, sentence_bounds, tokenize
from extract.geoparse.recognize import recognize
from geodata.gazetteer.index import Gazetteer


def spans(text: str, gaz: Gazetteer) -> list[str]:
    return [m.text for m in recognize(text, gaz)]


def at(text: str, word: str, nth: int = 0) -> int:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(word, pos + 1)
    return pos


def ids(gaz: Gazetteer, m: Mention) -> set[str]:
    return {gaz.entry(i).id for i in m.candidates}


TEXTS = [
    "Ukrainian and North Korean troops have clashed in Russia’s Kursk region, Kyiv says",
    "A damaged supermarket in Shevchenkivskyi district after a Russian air attack on Monday "
    "in Kharkiv, Ukraine.",
    "North Korea fired missiles as the United States began voting, and a Russian rocket "
    "attack on the city of Zaporizhzhia killed at least six people.",
    "The suspect was arrested in Lemay, MO, and officials in the U.S. capital said Washington "
    "would help.",
    "KYIV, Nov 5 (Reuters) - RUSSIAN DRONES STRUCK KHARKIV OVERNIGHT\nOfficials in Kharkiv "
    "said two people were hurt.",
    "Emojis 🇺🇦 before Kyiv and combining accents in Zaporizhzhia\u0301 do not shift offsets.",
    "Students in Moscow, Idaho, and in Atlanta, Georgia, and in Tbilisi, Georgia, voted.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_offsets_are_exact(gaz: Gazetteer, text: str) -> None:
    found = recognize(text, gaz)
    assert found, "every text names a place"
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.text == m.text.strip()
        assert m.candidates or m.demonym is not None
    starts = [m.start for m in found]
    assert starts == sorted(starts)
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start, "mentions do not overlap"


def test_tokens_cover_words_with_exact_offsets() -> None:
    text = "Kyiv’s U.S.-backed forces, in St. John's, Côte d'Ivoire and W.Va., met."
    toks = tokenize(text)
    for t in toks:
        assert text[t.start : t.end] == t.text
    words = [t.text for t in toks]
    assert "U.S." in words
    assert "W.Va." in words
    assert "Kyiv" in words and "John" in words  # a possessive "s" is not part of the word
    assert "d'Ivoire" in words  # an inner apostrophe is


def test_sentence_bounds() -> None:
    text = "Kyiv said. Russia denied it! Moscow? Yes.\n\nNew paragraph"
    starts = sentence_bounds(text)
    assert starts[0] == 0
    for word in ["Russia", "Moscow", "Yes", "New"]:
        assert text.index(word) in starts


def test_multi_word_names(gaz: Gazetteer) -> None:
    text = "North Korea and South Korea held talks while the United States of America watched."
    found = recognize(text, gaz)
    assert [m.text for m in found] == ["North Korea", "South Korea", "United States of America"]
    assert [ids(gaz, m) for m in found] == [{"gn:1873107"}, {"gn:1835841"}, {"gn:6252001"}]


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_possessive_is_not_part_of_the_span(gaz: Gazetteer, apostrophe: str) -> None:
    text = f"He spoke to South Korea{apostrophe}s KBS television and to Russia{apostrophe}s media."
    found = recognize(text, gaz)
    assert [m.text for m in found] == ["South Korea", "Russia"]
    assert found[0].end == at(text, apostrophe)


def test_article_is_not_part_of_the_span(gaz: Gazetteer) -> None:
    text = "Voting began in the United States on Tuesday."
    (m,) = recognize(text, gaz)
    assert m.text == "United States"
    assert m.start == at(text, "United")


@pytest.mark.parametrize(
    ("text", "surface", "entry_id"),
    [
        ("Officials in the U.S. said the talks failed.", "U.S.", "gn:6252001"),
        ("Officials in the US said the talks failed.", "US", "gn:6252001"),
        ("He moved to Washington, D.C. last year.", "D.C.", "gn:4140963"),
        ("The plant near Seattle, Wash., closed on Friday.", "Wash.", "adm1:US.WA"),
    ],
)
def test_abbreviations(gaz: Gazetteer, text: str, surface: str, entry_id: str) -> None:
    found = {m.text: m for m in recognize(text, gaz)}
    assert surface in found, list(found)
    assert entry_id in ids(gaz, found[surface])
    assert found[surface].start == at(text, surface)


def test_lowercase_words_that_are_abbreviation_keys_are_ignored(gaz: Gazetteer) -> None:
    # "Us" (key "us") is a word, not the United States; an all-caps "MO" in cased text is no
    # listed abbreviation of Missouri ("Mo." is)
    text = "Join Us in Kyiv, where the MO of the gang was clear to everyone."
    assert spans(text, gaz) == ["Kyiv"]


def test_all_caps_wire_line(gaz: Gazetteer) -> None:
    text = (
        "KYIV, Nov 5 (Reuters) - RUSSIAN DRONES STRUCK KHARKIV OVERNIGHT\n"
        "Officials said the attack damaged a supermarket."
    )
    found = recognize(text, gaz)
    assert [m.text for m in found] == ["KYIV", "RUSSIAN", "KHARKIV"]
    kyiv, russian, kharkiv = found
    assert ids(gaz, kyiv) == {"gn:703448"}
    assert russian.demonym == gaz.get("gn:2017370").index
    assert "gn:706483" in ids(gaz, kharkiv)
    assert not kyiv.cased  # case carries no information on an all-caps line


def test_tokens_on_all_caps_line_are_caseless() -> None:
    text = "RUSSIAN DRONES STRUCK KHARKIV OVERNIGHT\nThen Kharkiv was quiet."
    toks = {(t.text, t.start): t for t in tokenize(text)}
    assert toks[("KHARKIV", at(text, "KHARKIV"))].caseless_line
    assert not toks[("KHARKIV", at(text, "KHARKIV"))].cased
    later = toks[("Kharkiv", at(text, "Kharkiv"))]
    assert not later.caseless_line and later.cased


def test_a_sentence_of_many_names_is_no_headline() -> None:
    # most long words are capitalized, but two are not and it ends in a full stop
    text = "Deputies from the Polk County Sheriff's Office searched Lakeland and Bartow."
    assert not any(t.caseless_line for t in tokenize(text))
    # a headline stays caseless
    assert all(t.caseless_line for t in tokenize("Russian Drones Strike Kharkiv Overnight"))


def test_a_text_without_capitals_is_read_like_caps_copy(gaz: Gazetteer) -> None:
    text = "drones struck kharkiv overnight and the sirens sounded in kyiv"
    assert spans(text, gaz) == ["kharkiv", "kyiv"]
    toks = tokenize(text)
    assert all(t.caseless_line and t.upper and not t.cased for t in toks)
    # one capital anywhere keeps the text cased: lower-case words are no names there
    assert spans("Drones struck kharkiv overnight and the sirens sounded in Kyiv", gaz) == ["Kyiv"]


@pytest.mark.parametrize(
    "text",
    [
        "Police said the blast in Kursk killed two people on Monday.",
        "Local police said the blast in Kursk killed two people on Monday.",
        "The regional Police said the blast in Kursk killed two people on Monday.",
    ],
)
def test_common_word_place_names_are_rejected(gaz: Gazetteer, text: str) -> None:
    assert gaz.lookup("Police"), "the fixture has a village named Police"
    assert spans(text, gaz) == ["Kursk"]


@pytest.mark.parametrize("month", ["May", "March", "Nov"])
def test_month_names_are_not_places(gaz: Gazetteer, month: str) -> None:
    text = f"The talks in Kharkiv were held in {month} and again in late {month} last year."
    assert spans(text, gaz) == ["Kharkiv"]


def test_month_is_rejected_although_a_place_has_its_name(gaz: Gazetteer) -> None:
    assert [e.id for e in gaz.lookup("May")] == ["gn:13645568"]
    assert spans("The vote was delayed until May after the protests.", gaz) == []


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Kursk said the talks went well and that he was pleased with them.",
        "Mr Kursk said the talks went well and that he was pleased with them.",
        "The governor spoke to Gen. Kursk about the plan on Thursday morning.",
    ],
)
def test_titles_make_person_names(gaz: Gazetteer, text: str) -> None:
    assert spans(text, gaz) == []


@pytest.mark.parametrize(
    "text",
    [
        "Sheriff Lemay said the road was closed near Seattle on Friday.",
        "Officials quoted John T. Lemay, a farmer who lives near Seattle.",
        "Critics of the Lemay administration gathered in Seattle on Friday.",
    ],
)
def test_sheriffs_middle_initials_and_administrations_are_people(gaz: Gazetteer, text: str) -> None:
    assert spans(text, gaz) == ["Seattle"]


def test_the_same_small_town_is_kept_as_a_place(gaz: Gazetteer) -> None:
    assert spans("Protesters marched from Lemay to Seattle on Friday.", gaz) == ["Lemay", "Seattle"]


def test_a_regional_administration_is_still_the_region(gaz: Gazetteer) -> None:
    text = "The Kursk administration said drones struck a depot near Kursk."
    assert spans(text, gaz) == ["Kursk", "Kursk"]


@pytest.mark.parametrize(
    "text",
    [
        "The crash happened at 1200 Lemay Road near Seattle on Friday.",
        "A fire broke out in a flat on Kursk Street in Seattle overnight.",
        "Police closed Lemay Ave. after a shooting in Seattle on Friday.",
    ],
)
def test_a_street_named_after_a_town_is_an_address(gaz: Gazetteer, text: str) -> None:
    assert spans(text, gaz) == ["Seattle"]


def test_a_lowercase_road_word_keeps_the_town(gaz: Gazetteer) -> None:
    text = "Troops blocked the road from Kursk to the border on Friday."
    assert spans(text, gaz) == ["Kursk"]


def test_person_surname_is_remembered(gaz: Gazetteer) -> None:
    text = "Mr. Kursk met the press. Later Kursk said he would return to Kharkiv."
    assert spans(text, gaz) == ["Kharkiv"]


def test_given_name_before_surname(gaz: Gazetteer) -> None:
    text = "The heiress Paris Hilton arrived in Kyiv on Monday to visit a hospital."
    assert spans(text, gaz) == ["Kyiv"]


def test_place_after_given_name_is_kept_when_it_is_a_place(gaz: Gazetteer) -> None:
    text = "He flew from Paris to Kyiv on Monday to visit a hospital."
    assert spans(text, gaz) == ["Paris", "Kyiv"]


def test_given_name_before_country_name(gaz: Gazetteer) -> None:
    text = "The basketball star Michael Jordan visited Kyiv on Monday with his family."
    assert spans(text, gaz) == ["Kyiv"]


def test_demonyms(gaz: Gazetteer) -> None:
    text = "Ukrainian troops clashed with North Korean soldiers and Russians in the south."
    found = recognize(text, gaz)
    assert [m.text for m in found] == ["Ukrainian", "North Korean", "Russians"]
    assert [gaz.entry(m.demonym).id for m in found] == ["gn:690791", "gn:1873107", "gn:2017370"]
    assert all(m.candidates == [] for m in found)


def test_lowercase_demonym_is_ignored(gaz: Gazetteer) -> None:
    assert spans("They spoke ukrainian at home in Kharkiv during the war.", gaz) == ["Kharkiv"]


def test_lowercase_place_name_is_ignored(gaz: Gazetteer) -> None:
    text = "the kursk submarine sank, and officials in Kursk mourned the crew."
    found = recognize(text, gaz)
    assert [(m.text, m.start) for m in found] == [("Kursk", at(text, "Kursk"))]


def test_region_cue(gaz: Gazetteer) -> None:
    text = "Fighting continued in Russia’s Kursk region on Monday, officials said."
    found = {m.text: m for m in recognize(text, gaz)}
    kursk = found["Kursk"]  # a lowercase type word is not part of the name
    assert kursk.cue == "adm1"
    assert kursk.start == at(text, "Kursk")
    assert found["Russia"].cue is None


def test_capitalized_region_cue_extends_the_span(gaz: Gazetteer) -> None:
    text = "Officials said fighting continued in the Kursk Region on Monday morning."
    (m,) = recognize(text, gaz)
    assert (m.text, m.cue) == ("Kursk Region", "adm1")
    assert ids(gaz, m) == {"adm1:RU.41", "gn:538560"}


def test_named_oblast_is_one_mention(gaz: Gazetteer) -> None:
    text = "Officials said fighting continued in Kursk Oblast on Monday morning."
    (m,) = recognize(text, gaz)
    assert m.text == "Kursk Oblast"
    assert ids(gaz, m) == {"adm1:RU.41"}


def test_district_extends_the_span(gaz: Gazetteer) -> None:
    text = "A supermarket in Shevchenkivskyi district was damaged in an attack on Kharkiv."
    found = recognize(text, gaz)
    assert [m.text for m in found] == ["Shevchenkivskyi district", "Kharkiv"]
    district = found[0]
    assert district.cue == "district"
    assert text[district.start : district.end] == "Shevchenkivskyi district"


def test_city_cue(gaz: Gazetteer) -> None:
    text = "A Russian rocket attack on the city of Zaporizhzhia killed at least six people."
    found = {m.text: m for m in recognize(text, gaz)}
    assert found["Zaporizhzhia"].cue == "city"
    assert ids(gaz, found["Zaporizhzhia"]) == {"gn:687700", "gn:687684"}


def test_postal_qualifier_after_city(gaz: Gazetteer) -> None:
    text = "The man was arrested in Lemay, MO, on Friday after a chase."
    found = recognize(text, gaz)
    assert [m.text for m in found] == ["Lemay", "MO"]
    lemay, mo = found
    assert not lemay.qualifier
    assert mo.qualifier
    assert ids(gaz, mo) == {"adm1:US.MO"}
    assert mo.start == at(text, "MO")
    assert mo.sentence == lemay.sentence


def test_postal_code_without_city_is_no_qualifier(gaz: Gazetteer) -> None:
    text = "Officials in WA, ID and GA said nothing about it on Friday."
    assert spans(text, gaz) == []


def test_sentence_index(gaz: Gazetteer) -> None:
    text = "Kyiv said the attack failed. Officials in Kharkiv disagreed. Moscow said nothing."
    found = recognize(text, gaz)
    assert [(m.text, m.sentence) for m in found] == [("Kyiv", 0), ("Kharkiv", 1), ("Moscow", 2)]


def test_sentence_initial_place_is_not_cased_but_kept(gaz: Gazetteer) -> None:
    text = "Kharkiv was shelled overnight, and officials in Kyiv condemned the attack."
    found = {m.text: m for m in recognize(text, gaz)}
    assert not found["Kharkiv"].cased
    assert found["Kyiv"].cased


def test_empty_and_placeless_text(gaz: Gazetteer) -> None:
    assert recognize("", gaz) == []
    assert recognize("nothing to see here, officials said on Tuesday.", gaz) == []


# --- person names and organisations in all-caps wire copy -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "COLONEL LEANDRO ANSELMO LUGO, CHAIRMAN OF THE JOINT STAFF, FLEW TO KHARKIV.",
        "THE VICTIM, BALTASAR LUGO, WAS A TEACHER. LUGO HAD BEEN THREATENED IN KHARKIV.",
        "LUGO, 35, WAS KILLED IN KHARKIV ON MONDAY.",
        "[LUGO] WE DENY ANY PART IN THE ATTACK ON KHARKIV.",
        "THE JOURNALIST LUGO WAS DETAINED IN KHARKIV ON MONDAY.",
        "POLICE FOUND THE WIDOW OF LUGO NEAR KHARKIV ON MONDAY.",
        "THE MAYOR OF KHARKIV MET LUGO, THE GOVERNOR OF THE REGION, ON MONDAY.",
    ],
)
def test_person_names_in_all_caps_copy(gaz: Gazetteer, text: str) -> None:
    assert [e.id for e in gaz.lookup("Lugo")] == ["gn:3117814"], "a town that is a surname"
    assert spans(text, gaz) == ["KHARKIV"]


@pytest.mark.parametrize(
    "text",
    [
        "Colonel Leandro Anselmo Lugo, chairman of the joint staff, flew to Kharkiv.",
        "The victim, Baltasar Lugo, was a teacher. Lugo had been threatened in Kharkiv.",
        "The journalist Lugo was detained in Kharkiv on Monday.",
    ],
)
def test_the_same_names_in_cased_copy(gaz: Gazetteer, text: str) -> None:
    assert spans(text, gaz) == ["Kharkiv"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # no person evidence: the town stays a place in caps
        ("FLOODS HIT LUGO ON MONDAY, OFFICIALS IN KHARKIV SAID.", ["LUGO", "KHARKIV"]),
        # a month (and English word) that the given-name list holds opens no name
        ("IN MAY LUGO WAS FLOODED AGAIN, OFFICIALS IN KHARKIV SAID.", ["LUGO", "KHARKIV"]),
        # a source after a place is no apposition
        ("SHELLING HIT KHARKIV, THE REGIONAL GOVERNOR SAID.", ["KHARKIV"]),
        ("Shelling hit Kharkiv, the regional governor said.", ["Kharkiv"]),
        ("Floods hit Lugo, the mayor said on Monday.", ["Lugo"]),
    ],
)
def test_places_without_person_evidence_are_kept(
    gaz: Gazetteer, text: str, expected: list[str]
) -> None:
    assert spans(text, gaz) == expected


def test_postal_code_in_caps_needs_the_clause_to_end(gaz: Gazetteer) -> None:
    # "IN" is Indiana's postal code; in caps copy it is also the word
    assert spans("THE MAN WAS HELD IN LUGO, IN A JAIL NEAR THE RIVER.", gaz) == ["LUGO"]
    found = recognize("THE MAN WAS HELD IN LUGO, IN, ON FRIDAY.", gaz)
    assert [m.text for m in found] == ["LUGO", "IN"] and found[1].qualifier


def test_name_wrapped_over_two_caps_lines(gaz: Gazetteer) -> None:
    text = "MISSILES WERE FIRED FROM NORTH\nKOREA ON TUESDAY, OFFICIALS SAID."
    (m,) = recognize(text, gaz)
    assert m.text == "NORTH\nKOREA"
    assert ids(gaz, m) == {"gn:1873107"}
    # hard-wrapped running text joins too; a Title Case headline's last word does not
    (m,) = recognize("Missiles were fired from North\nKorea on Tuesday, officials said.", gaz)
    assert ids(gaz, m) == {"gn:1873107"}
    assert spans("Missiles Fired From The North\nKorea said nothing.", gaz) == []


def test_caps_possessive_is_not_part_of_the_name(gaz: Gazetteer) -> None:
    text = "UKRAINE'S ARMY SAID KHARKIV WAS SHELLED."
    assert spans(text, gaz) == ["UKRAINE", "KHARKIV"]


@pytest.mark.parametrize(
    "text",
    [
        "The Taliban's provincial police chief said four people died in Kharkiv.",
        "Taliban fighters attacked a checkpoint near Kharkiv.",
        "THE TALIBAN SAID ITS FIGHTERS HAD REACHED KHARKIV.",
    ],
)
def test_armed_group_names_are_not_places(gaz: Gazetteer, text: str) -> None:
    assert [e.id for e in gaz.lookup("Taliban")] == ["gn:320635"], "a village's other name"
    assert [s.lower() for s in spans(text, gaz)] == ["kharkiv"]


def test_name_after_an_organisation_word(gaz: Gazetteer) -> None:
    assert spans("Radio Kursk reported that shelling hit Kharkiv.", gaz) == ["Kharkiv"]
    assert spans("Shelling hit Kursk, Radio Liberty reported.", gaz) == ["Kursk"]


def test_department_cue(gaz: Gazetteer) -> None:
    (m,) = recognize("FIGHTING WAS REPORTED IN KURSK DEPARTMENT ON MONDAY.", gaz)
    assert m.cue == "adm"
    # an office, not an area
    (m,) = recognize("The Kursk Department of Health said two people died.", gaz)
    assert (m.text, m.cue) == ("Kursk", None)


def test_sentences_do_not_end_after_abbreviations_or_inside_wrapped_caps_copy() -> None:
    from extract.geoparse._tokens import sentence_bounds

    text = "Gen. Omar said the shelling hit Mt. Elgon on Aug. 5. Two died."
    starts = sentence_bounds(text)
    assert [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)] == [
        "Gen. Omar said the shelling hit Mt. Elgon on Aug. 5.",
        "Two died.",
    ]
    wire = (
        "THE ARMY REPORTED THAT ABOUT FIFTY PEASANTS WERE KIDNAPPED BY THE REBELS ON\n"
        "30 DECEMBER IN THE VILLAGE OF LA CUMBRE.\n\nTHE ARMY ALSO REPORTED A CLASH.\n"
    )
    starts = sentence_bounds(wire)
    assert len(starts) == 2  # the wrapped line joins its sentence; the blank line ends it
    cased = "Kyiv says\nRussian troops shelled the city on Monday."
    assert len(sentence_bounds(cased)) == 2  # a headline line stays its own sentence
