"""Tests for extract.events.casualties: number phrases and casualty figures, table-driven."""

from __future__ import annotations

import pytest

from extract.events._head_counts import VAGUE_COUNTS, parse_number
from extract.events.casualties import Casualties, parse_casualties

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


# forms of real reports (terse coder notes, wire copy in capitals); sentences written for the tests
REPORT_ROWS = [
    ("One person died after being shot near the market.", 1, None),
    ("Snipers killed two soldiers in Zolote district.", 2, None),
    ("A car exploded outside Mandera police station, killing four.", 4, None),
    ("Pisky came under artillery fire; two civilians were injured", None, 2),
    ("4 civilians were killed.", 4, None),
    ("Militia attacked a farm, killing a child.", 1, None),
    ("Gunmen raided the house, leaving a woman dead.", 1, None),
    ("An elderly man died of his wounds in hospital.", 1, None),
    ("Fatalities: 3", 3, None),
    ("Killed: 2; injured: 5", 2, 5),
    ("The clash ended, resulting in 1 fatality.", 1, None),
    ("The explosion caused two deaths and 11 injuries", 2, 11),
    ("The fighting caused three deaths in 2019", 3, None),
    # coordinated victims are added up
    ("3 militants and 1 soldier were killed.", 4, None),
    ("Two soldiers and a civilian were killed", 3, None),
    ("Two policemen, a driver and three passengers were wounded", None, 6),
    ("Militants massacred the eight villagers and two teachers", 10, None),
    ("killed 5 people and 3 soldiers were injured", 5, 3),
    ("Five people were injured and both drivers died", 2, 5),
    # nominal forms
    ("Residents mourned the killing of 14 miners", 14, None),
    ("the deaths of two aid workers shocked the town", 2, None),
    # any plural noun can be the victims when a casualty verb follows
    ("Two herders and seven cattle traders were killed", 9, None),
    ("Three seminarians were abducted and two catechists were killed", 2, None),
    # one unnumbered victim
    ("The attacker was killed by return fire.", 1, None),
    ("Two gunmen killed the mayor", 1, None),
    ("Two gunmen shot dead a police officer", 1, None),
    ("The driver was slightly hurt", None, 1),
    ("She later died in hospital", 1, None),
    ("Three soldiers were killed and the driver was also killed", 3, None),  # a figure wins
    ("THE MAYOR, A FORMER TEACHER, DIED IN THE AMBUSH", 1, None),
    ("INSPECTOR JUAN PEREZ DIED IN THE EXPLOSION", 1, None),
    ("A PASTOR WAS SHOT TO DEATH IN HIS CHURCH", 1, None),
    ("THE FEDERATION LEADER IS SERIOUSLY INJURED AND IN A COMA", None, 1),
    ("THE MEN SHOT HIM AND LEFT HIM SERIOUSLY WOUNDED", None, 1),
    ("THE BLAST RESULTED IN THE DEATH OF THE DEPUTY MAYOR", 1, None),
    ("the murder of another councillor prompted protests", 1, None),
    ("Police are investigating the killing of Jane Doe in the park", 1, None),
    ("THE STUDENTS PROTESTED THE ASSASSINATION OF JUAN ORTIZ", 1, None),
    ("the governor's assassination shocked the province", 1, None),
    # named victims in a list are counted
    ("THE UNION LEADER AND HIS NEPHEW WERE SHOT TO DEATH ON A BUSY STREET", 2, None),
    ("HIS DRIVER AND ONE OF HIS BODYGUARDS WERE KILLED", 2, None),
    ("THE REBELS KILLED THE MAYOR AND TWO PEASANTS", 3, None),
    ("The bodies of a man and a woman were found on a path", 2, None),
    ("the kidnapping and assassination of these two persons", 2, None),
    # wire copy in capitals
    ("FIVE GUERRILLAS WERE KILLED AND FOUR OTHERS WERE WOUNDED IN THE CLASH", 5, 4),
    ("THE AMBUSH RESULTED IN ONE DEAD REBEL AND THE SEIZURE OF RIFLES", 1, None),
    ("A GUERRILLA WAS KILLED NEAR THE BRIDGE", 1, None),
    ("THE MAYOR OF THE TOWN WAS MURDERED YESTERDAY", 1, None),
    ("THE JUDGE WAS ASSASSINATED AS HE LEFT THE COURT", 1, None),
    ("THE BODY OF THE KIDNAPPED ENGINEER WAS FOUND ON A ROAD", 1, None),
    ("UNIDENTIFIED MEN ASSASSINATED TWO UNION LEADERS", 2, None),
    ("TWO PEASANTS WERE MURDERED BY ARMED MEN", 2, None),
    ("BOTH BODIES WERE FOUND NEAR THE RIVER", 2, None),
    ("HE DIED ON THE WAY TO THE HOSPITAL", 1, None),
    ("THE OFFICER WAS SERIOUSLY WOUNDED", None, 1),
    ("THE DYNAMITE ATTACK LEFT ONE PERSON INJURED", None, 1),
    # coder-note forms
    ("Police fired live ammunition at protesters, killing 1 and injuring 4.", 1, 4),
    ("1 civilian killed, 2 injured.", 1, 2),
    ("Gunmen abducted 5 passengers; one of them was later found dead.", 1, None),
    ("Houthi forces shelled positions in Taiz; 1 soldier killed.", 1, None),
    ("5 IS militants were killed by a coalition airstrike.", 5, None),
    ("Near Raqqa, IS killed 3 civilians", 3, None),
    ("Mob lynched a suspected thief in Nakuru.", 1, None),
    ("A mob beat two suspected robbers to death.", 2, None),
    ("The victim later succumbed to his injuries.", 1, None),
    ("The attack resulted in the death of a civilian.", 1, None),
    ("Airstrikes killed an unknown number of militants.", None, None),
    ("Casualties unknown.", None, None),
    # explicit zeros
    ("Fatalities: 0.", 0, None),
    ("No casualties were reported.", 0, 0),
    ("There were no fatalities.", 0, None),
    ("the strike did not cause any casualties", 0, 0),
    ("there were no deaths or injuries", 0, 0),
    ("the blast didn't result in any injuries", None, 0),
    ("The attack left no one dead", 0, None),
    ("There was no loss of life", 0, None),
    ("No one else was hurt", None, 0),
    ("THE EXPLOSION CAUSED ONLY MATERIAL DAMAGE", 0, 0),
    ("NEITHER THE DRIVER NOR HIS BODYGUARD WAS INJURED", None, 0),
    ("the mortar hit a school, but no one was killed; a guard was injured", 0, 1),
    # a joint killed-and-wounded figure gives neither count
    ("the bombing killed and wounded scores of civilians", None, None),
    ("dozens were killed or injured", None, None),
    ("DOZENS KILLED OR INJURED IN THE STAMPEDE", None, None),
    ("30 people were killed and wounded", None, None),
    # ranges: the lower bound
    ("the raid killed between 160-200 people", 160, None),
    ("between 40 and 60 were killed", 40, None),
    ("killed 5-7 people", 5, None),
    # figures that are not casualties
    ("The shelled village has 656 residents; two people died", 2, None),
    ("a 656-person village was shelled", None, None),
    ("Call 0800 555 123 if anyone was injured", None, None),
    ("Resolution 2254 was cited after the killing of civilians", None, None),
    ("10,000 soldiers were deployed and two were wounded", None, 2),
    ("24 hours after the attack, 3 people died", 3, None),
    ("The 5th brigade lost 400 km of road in 1989", None, None),
    ("The bill was killed in committee", None, None),
    ("He was nearly killed by a falling beam", None, None),
    ("THE CHILDREN COULD HAVE BEEN KILLED", None, None),
    ("Civilians were killed in the shelling", None, None),
    ("1,000 cattle died in the drought", None, None),
    ("three bombs killed the governor", 1, None),
    ("two death threats were sent to the judge", None, None),
    ("The death squads killed 3 people", 3, None),
    ("Two vehicles were hit and burned", None, None),
    ("the assassination of the activists was condemned", None, None),
    ("the city's murder rate fell last year", None, None),
    ("Saheed was killed around 5 p.m.", 1, None),
    ("The suspect was arrested around 5 p.m.", None, None),
    ("More than 150 dead fish washed up on the shore", None, None),
    ("The zoo recorded 24 animal deaths last year", None, None),
    ("Tariffs would end up hurting both economies", None, None),
    ("2 million people died in the famine", None, None),
    ("the officer said people died", None, None),
]


@pytest.mark.parametrize(("sentence", "fatalities", "injured"), CASUALTY_ROWS + REPORT_ROWS)
def test_parse_casualties(sentence: str, fatalities: int | None, injured: int | None) -> None:
    got = parse_casualties(sentence)
    assert (got.fatalities, got.injured) == (fatalities, injured)
    if got.fatalities_text is not None:
        assert got.fatalities_text.split(";")[0] in sentence
    if got.injured_text is not None:
        assert got.injured_text in sentence


TOTAL_ROWS = [
    # (sentence, fatalities, total)
    ("at least eight killed and 400 injured across the country, including in Kisumu", 8, True),
    ("Nationwide, 30 people have died in the protests", 30, True),
    ("Since the start of the war, 12,000 civilians have been killed", 12_000, True),
    ("So far this year 140 people have been killed in the province", 140, True),
    ("In total, 52 people were killed", 52, True),
    ("The overall death toll rose to 300", 300, True),
    ("Cumulative figures show 900 people dead", 900, True),
    ("ABOUT 9,000 PEOPLE HAVE BEEN KILLED IN THE COUNTRY SINCE 1981", 9000, True),
    ("MORE THAN 5,000 PEOPLE HAVE DIED DURING 8 YEARS OF WAR", 5000, True),
    ("The strike killed 5 people in Kharkiv", 5, False),
    ("Over the past 24 hours, Russian strikes killed 3 people", 3, False),
    ("The report is up to date: 4 people died", 4, False),
    ("Nationwide protests continued on Monday", None, False),
]


@pytest.mark.parametrize(("sentence", "fatalities", "total"), TOTAL_ROWS)
def test_national_and_cumulative_totals(sentence: str, fatalities: int | None, total: bool) -> None:
    got = parse_casualties(sentence)
    assert (got.fatalities, got.total) == (fatalities, total)


def test_total_field_keeps_the_record_backwards_compatible() -> None:
    old_style = Casualties(3, None, "3 killed", None)
    assert old_style.total is False
    assert old_style == Casualties(3, None, "3 killed", None, False)
    assert parse_casualties("3 killed") == old_style


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
