"""Tests for extract.events.actors: actor normalization and ACLED actor1/actor2 pairing,
table-driven."""

from __future__ import annotations

import pytest

from extract.events.actors import COUNTRIES, Actor, find_actors, pair_actors

ZAPORIZHZHIA = (
    "A Russian rocket attack on the city of Zaporizhzhia in southeastern Ukraine killed at least "
    "six people and injured 24 others, regional officials said on Tuesday evening."
)
KURSK = (
    "Kyiv said Ukrainian troops had clashed for the first time with North Korean soldiers in "
    "Russia who are deployed alongside Moscow's military, as western powers warned of escalation."
)

# (sentence, expected [(name, kind, country), ...] in text order)
FIND_ROWS = [
    (
        "Ukrainian and North Korean troops have clashed",
        [("Ukrainian forces", "state_forces", "UA"), ("North Korean troops", "state_forces", "KP")],
    ),
    ("a Russian air attack on Kharkiv", [("Russian forces", "state_forces", "RU")]),
    ("Russian soldiers advanced", [("Russian forces", "state_forces", "RU")]),
    ("the Russian military said", [("Russian forces", "state_forces", "RU")]),
    ("a Russian drone hit a car", [("Russian forces", "state_forces", "RU")]),
    ("Kyiv's forces pushed on", [("Ukrainian forces", "state_forces", "UA")]),
    ("Ukraine's army retreated", [("Ukrainian forces", "state_forces", "UA")]),
    ("North Korean units arrived", [("North Korean troops", "state_forces", "KP")]),
    ("the Israeli army said", [("Israeli forces", "state_forces", "IL")]),
    ("The IDF said", [("Israeli forces", "state_forces", "IL")]),
    ("police used water cannon", [("Police forces", "police", None)]),
    ("Polish police raided a flat", [("Police forces of Poland", "police", "PL")]),
    (
        "Poland and Lithuania arrested suspects",
        [
            ("Police forces of Poland", "police", "PL"),
            ("Police forces of Lithuania", "police", "LT"),
        ],
    ),
    ("Russia launched 50 drones overnight", [("Russian forces", "state_forces", "RU")]),
    ("thousands of demonstrators marched", [("Protesters", "protesters", None)]),
    ("Kenyan protesters gathered", [("Protesters", "protesters", "KE")]),
    ("a mob set fire to a church", [("Rioters", "rioters", None)]),
    ("rioters looted shops", [("Rioters", "rioters", None)]),
    ("the shelling wounded five civilians", [("Civilians", "civilians", None)]),
    (
        "Gunmen killed three villagers",
        [("Unidentified armed group", "political", None), ("Civilians", "civilians", None)],
    ),
    (
        "unidentified attackers shot dead a woman",
        [("Unidentified armed group", "political", None), ("Civilians", "civilians", None)],
    ),
    ("militants stormed a base", [("Unidentified armed group", "political", None)]),
    ("Hamas militants fired rockets", [("Hamas", "rebels", "PS")]),
    ("Hezbollah said", [("Hezbollah", "rebels", "LB")]),
    ("Houthi rebels targeted a ship", [("Houthis", "rebels", "YE")]),
    ("the Taliban took Kabul", [("Taliban", "rebels", "AF")]),
    ("al-Shabaab fighters attacked", [("al-Shabaab", "rebels", "SO")]),
    (
        "Boko Haram abducted girls",
        [("Boko Haram", "rebels", "NG"), ("Civilians", "civilians", None)],
    ),
    ("ISIS claimed it", [("Islamic State", "rebels", None)]),
    ("Islamic State militants claimed it", [("Islamic State", "rebels", None)]),
    ("Wagner mercenaries arrived", [("Wagner Group", "unknown", "RU")]),
    ("RUSSIAN TROOPS ATTACKED", [("Russian forces", "state_forces", "RU")]),
    ("US forces struck a depot", [("US forces", "state_forces", "US")]),
    ("Palestinian civilians fled", [("Civilians", "civilians", "PS")]),
    # not actors
    (
        "a Russian missile hit a civilian infrastructure site",
        [("Russian forces", "state_forces", "RU")],
    ),
    ("the Ukrainian people will not give up", []),
    ("people gathered in the square", []),
    ("Russian officials said talks would resume", []),
    ("an attack in southeastern Ukraine killed two people", [("Civilians", "civilians", None)]),
    ("they told us forces were near", []),
]


@pytest.mark.parametrize(("sentence", "expected"), FIND_ROWS)
def test_find_actors(sentence: str, expected: list[tuple[str, str, str | None]]) -> None:
    got = find_actors(sentence)
    assert [(a.name, a.kind, a.country) for a in got] == expected
    for a in got:
        assert 0 <= a.start < a.end <= len(sentence)


# (sentence, event_type, (actor1, actor2))
PAIR_ROWS = [
    (
        "Ukrainian and North Korean troops have clashed",
        "Battles",
        ("Ukrainian forces", "North Korean troops"),
    ),
    (KURSK, "Battles", ("Ukrainian forces", "North Korean troops")),
    (
        "Kyiv's forces pushed back Russian troops near Kursk",
        "Battles",
        ("Ukrainian forces", "Russian forces"),
    ),
    ("Ukraine's army struck Russian positions", "Battles", ("Ukrainian forces", "Russian forces")),
    ("Israeli forces and Hezbollah exchanged fire", "Battles", ("Israeli forces", "Hezbollah")),
    ("Al-Shabaab fighters ambushed Somali troops", "Battles", ("al-Shabaab", "Somali forces")),
    (
        "Sudanese army and RSF fighters clashed in Khartoum",
        "Battles",
        ("Sudanese forces", "Rapid Support Forces"),
    ),
    (
        "Pakistani security forces killed five militants",
        "Battles",
        ("Pakistani forces", "Unidentified armed group"),
    ),
    ("a Russian air attack on Kharkiv", "Explosions/Remote violence", ("Russian forces", None)),
    (ZAPORIZHZHIA, "Explosions/Remote violence", ("Russian forces", "Civilians")),
    (
        "a Russian missile hit a civilian infrastructure site",
        "Explosions/Remote violence",
        ("Russian forces", None),
    ),
    (
        "a Russian missile hit a civilian infrastructure site, injuring two",
        "Explosions/Remote violence",
        ("Russian forces", "Civilians"),
    ),
    (
        "Six civilians were killed by Russian shelling",
        "Explosions/Remote violence",
        ("Russian forces", "Civilians"),
    ),
    (
        "Two soldiers were killed in a Russian drone strike",
        "Explosions/Remote violence",
        ("Russian forces", "Military forces"),
    ),
    ("The IDF said Hamas militants fired rockets", "Explosions/Remote violence", ("Hamas", None)),
    (
        "Israeli army strikes killed 20 Palestinian civilians",
        "Explosions/Remote violence",
        ("Israeli forces", "Civilians"),
    ),
    (
        "Gunmen killed five villagers in Zamfara",
        "Violence against civilians",
        ("Unidentified armed group", "Civilians"),
    ),
    (
        "Boko Haram abducted 30 schoolchildren",
        "Violence against civilians",
        ("Boko Haram", "Civilians"),
    ),
    ("the Taliban executed two men", "violence against civilians", ("Taliban", "Civilians")),
    (
        "Poland and Lithuania arrested suspects",
        "Strategic developments",
        ("Police forces of Poland", None),
    ),
    (
        "police fired tear gas at protesters",
        "Strategic developments",
        ("Police forces", "Protesters"),
    ),
    ("police fired tear gas at protesters", "Protests", ("Protesters", "Police forces")),
    (
        "Kenyan protesters clashed with police in Nairobi",
        "Protests",
        ("Protesters (Kenya)", "Police forces"),
    ),
    (
        "Turkish police detained 20 demonstrators",
        "Protests",
        ("Protesters (Turkey)", "Police forces of Turkey"),
    ),
    ("Thousands marched peacefully through the capital", "Protests", ("Protesters", None)),
    ("Demonstrators threw stones at police", "Riots", ("Rioters", "Police forces")),
    ("A mob torched a police station", "Riots", ("Rioters", "Police forces")),
    ("", "Battles", (None, None)),
]


@pytest.mark.parametrize(("sentence", "event_type", "expected"), PAIR_ROWS)
def test_pair_actors(
    sentence: str, event_type: str, expected: tuple[str | None, str | None]
) -> None:
    assert pair_actors(sentence, find_actors(sentence), event_type=event_type) == expected


def test_conjoined_demonyms_have_their_own_spans() -> None:
    sentence = "Ukrainian and North Korean troops have clashed"
    ua, kp = find_actors(sentence)
    assert sentence[ua.start : ua.end] == "Ukrainian and North Korean troops"
    assert sentence[kp.start : kp.end] == "North Korean troops"
    assert isinstance(ua, Actor)


def test_spans_point_at_the_phrase() -> None:
    sentence = "Officials said Poland and Lithuania arrested suspects"
    spans = [sentence[a.start : a.end] for a in find_actors(sentence)]
    assert spans == ["Poland", "Lithuania"]


def test_extra_demonyms() -> None:
    sentence = "Burundian soldiers attacked a village"
    assert find_actors(sentence) == [Actor("Military forces", "state_forces", None, 10, 18)]
    got = find_actors(sentence, demonym_countries={"Burundian": "BI"})
    assert [(a.name, a.country, a.start) for a in got] == [("Burundian forces", "BI", 0)]


def test_case_insensitive() -> None:
    lower = find_actors("north korean soldiers and kenyan police")
    assert [(a.name, a.country) for a in lower] == [
        ("North Korean troops", "KP"),
        ("Police forces of Kenya", "KE"),
    ]


def test_country_table() -> None:
    for iso in ("RU", "UA", "KP", "KR", "IL", "PS", "SY", "IR", "US", "GB", "CN", "TR", "SD"):
        assert iso in COUNTRIES
    assert COUNTRIES["KP"][:2] == ("North Korea", "North Korean")
