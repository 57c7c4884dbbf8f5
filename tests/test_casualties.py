"""Tests for extract.casualties: number phrases and casualty figures, table-driven."""

from __future__ import annotations

import pytest

from extract.casualties import VAGUE_COUNTS, Casualties, parse_casualties, parse_number

ZAPORIZHZHIA = (
    "A Russian rocket attack on the city of Zaporizhzhia in southeastern Ukraine killed at least "
    "six people and injured 24 others, regional officials said on Tuesday evening."
)

NUMBER_ROWS = [
    ("six", 6),
    ("24", 24),
    ("1,200", 1200),
    ("dozens", 12),
    ("dozens of", 12),
    ("a dozen", 12),
    ("half a dozen", 6),
    ("two dozen", 24),
    ("scores", 20),
    ("tens", 10),
    ("hundreds", 100),
    ("thousands", 1000),
    ("tens of thousands", 10_000),
    ("several", 3),
    ("a few", 2),
    ("at least six", 6),
    ("more than 20", 20),
    ("nearly 20", 20),
    ("some 20", 20),
    ("up to 10", 10),
    ("as many as 10", 10),
    ("between 5 and 7", 5),
    ("5-7", 5),
    ("six or seven", 6),
    ("a man", 1),
    ("a woman", 1),
    ("an elderly woman", 1),
    ("a 16-year-old boy", 1),
    ("one person", 1),
    ("two civilians", 2),
    ("twenty-four", 24),
    ("twenty four", 24),
    ("ninety-nine", 99),
    ("nineteen", 19),
    ("a hundred", 100),
    ("one hundred and twenty", 120),
    ("AT LEAST SIX", 6),
    ("", None),
    ("the army", None),
    ("a rocket", None),
]


@pytest.mark.parametrize(("phrase", "expected"), NUMBER_ROWS)
def test_parse_number(phrase: str, expected: int | None) -> None:
    assert parse_number(phrase) == expected


CASUALTY_ROWS = [
    # (sentence, fatalities, injured)
    ("killed at least six people and injured 24 others", 6, 24),
    ("at least six people were killed and 24 injured", 6, 24),
    (ZAPORIZHZHIA, 6, 24),
    ("Two soldiers died", 2, None),
    ("The strike hit a market, leaving three dead and 12 wounded.", 3, 12),
    ("The death toll rose to 15", 15, None),
    ("raising the death toll from Sunday's attack to 42", 42, None),
    ("killing 8 people and wounding about 20", 8, 20),
    ("dozens were injured", None, 12),
    ("dozens of people were injured in the blast", None, 12),
    ("a man was shot dead", 1, None),
    ("a 16-year-old boy was killed in the shelling", 1, None),
    ("The blast left two people dead", 2, None),
    ("the fire claimed the lives of five", 5, None),
    ("five people lost their lives", 5, None),
    ("no casualties were reported", 0, 0),
    ("There were no casualties.", 0, 0),
    ("no one was killed but 3 were injured", 0, 3),
    ("nobody was killed or injured", 0, 0),
    ("no one was hurt", None, 0),
    ("no injuries were reported", None, 0),
    ("There were no immediate reports of casualties", None, None),
    ("The bomber killed himself", 1, None),
    ("A suicide bomber blew himself up, killing 5 people", 6, None),
    ("Ambush in Borno: 12 killed, 30 hurt", 12, 30),
    ("the bodies of four men were found near the road", 4, None),
    ("Police said four bodies were recovered", 4, None),
    ("a grenade exploded, injuring several", None, 3),
    ("the gunmen wounded 2 police officers", None, 2),
    ("The attack killed one and injured two", 1, 2),
    ("killed at least 10, officials said, while local media reported 15 dead", 10, None),
    ("killed two soldiers and three civilians", 5, None),
    ("Two soldiers killed three civilians", 3, None),
    ("at least six people, including two children, were killed", 6, None),
    ("Three of the 20 passengers were killed", 3, None),
    ("one of the deadliest attacks this year killed 5 people", 5, None),
    ("the strike killed or wounded 30 people", None, None),
    ("KILLED AT LEAST SIX PEOPLE AND INJURED 24 OTHERS", 6, 24),
    ("SIX KILLED IN RUSSIAN STRIKE", 6, None),
    ("Israeli strikes killed 1,200 people", 1200, None),
    ("The Health Ministry said 35 Palestinians were killed and 70 wounded", 35, 70),
    ("At least 20 people died and dozens more were injured", 20, 12),
    ("The explosion injured a woman and her two children", None, 3),
    ("Two policemen were among the dead", 2, None),
    ("Hundreds of thousands were displaced and hundreds were killed", 100, None),
    # numbers that are not casualties
    ("Ukrainian forces hold about 1,000 sq km of the Kursk region", None, None),
    ("Russia has massed 10,000 soldiers near the border", None, None),
    ("Pyongyang sent five 3,000-strong North Korean units", None, None),
    ("Over the past 24 hours, Russian strikes killed 3 people", 3, None),
    ("In 2024 alone, 12 people were killed", 12, None),
    ("Fighting in 2024 killed 300 people", 300, None),
    ("The 5th brigade repelled the assault", None, None),
    ("the 5th brigade killed two soldiers", 2, None),
    ("two soldiers were killed 2 km from the border", 2, None),
    ("two weeks after civilians were killed", None, None),
    ("Five 3,000-strong North Korean units were deployed, and two soldiers were wounded", None, 2),
    ("Kyiv said its troops had clashed with North Korean soldiers", None, None),
]


@pytest.mark.parametrize(("sentence", "fatalities", "injured"), CASUALTY_ROWS)
def test_parse_casualties(sentence: str, fatalities: int | None, injured: int | None) -> None:
    got = parse_casualties(sentence)
    assert (got.fatalities, got.injured) == (fatalities, injured)
    if got.fatalities_text is not None:
        assert got.fatalities_text.split(";")[0] in sentence
    if got.injured_text is not None:
        assert got.injured_text in sentence


def test_phrases_are_reported() -> None:
    got = parse_casualties(ZAPORIZHZHIA)
    assert got == Casualties(6, 24, "killed at least six people", "injured 24 others")
    competing = parse_casualties("killed at least 10, officials said; 15 dead, media reported")
    assert competing.fatalities_text == "killed at least 10"


def test_empty_and_unrelated_text() -> None:
    assert parse_casualties("") == Casualties(None, None, None, None)
    assert parse_casualties("The talks resumed in Geneva on Monday.").fatalities is None


def test_record_is_frozen() -> None:
    got = parse_casualties("Two soldiers died")
    with pytest.raises(AttributeError):
        got.fatalities = 3  # type: ignore[misc]


def test_vague_counts_follow_acled() -> None:
    assert VAGUE_COUNTS["dozens"] == 12
    assert VAGUE_COUNTS["hundreds"] == 100
    assert VAGUE_COUNTS["tens"] == 10
