"""Tests of the incident codebook (``extract/events/cues.tsv``, ``extract/events/codebook.tsv``)
through :func:`extract.events.classify.classify_clause`: every row of the decision table is reached
by a sentence written for it, every ACLED sub-event type has at least three, ACLED's distinctions
hold, hedged/future/background clauses and non-events give nothing, and the table loaders reject bad
lines with the file name and line number.

All sentences are written for these tests (invented people and villages, or well-known towns).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from extract.events import classify as events
from extract.events.casualties import parse_casualties
from extract.events.classify import EventMatch, classify_clause
from extract.events.codebook import (
    EVENT_TYPES,
    TABLE_PATH,
    CodebookError,
    Cue,
    Frame,
    Rule,
    load_cues,
    load_rules,
)

_BTL = "Battles"
_EXP = "Explosions/Remote violence"
_VAC = "Violence against civilians"
_PRO = "Protests"
_RIO = "Riots"
_STR = "Strategic developments"


def _table() -> list[tuple[int, str, str, str]]:
    """The decision table as written: (line, row key, event type, sub-event type), where the
    row key is its five conditions joined by single spaces ("regain * state * *")."""
    rows = []
    for no, line in enumerate(TABLE_PATH.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        rows.append((no, " ".join(cells[:5]), cells[5], cells[6]))
    return rows


TABLE = _table()
LINE_OF = {key: no for no, key, _, _ in TABLE}
TYPE_OF = {key: (etype, sub) for _, key, etype, sub in TABLE}

# (row key, sentence): each sentence reaches that row first. Grouped by ACLED sub-event type;
# terse coder-note forms and one ALL-CAPS headline per event type at least.
CASES: list[tuple[str, str]] = [
    # --- Battles / Armed clash
    (
        "clash !artillery|missile|explosive * * *",
        "Government troops clashed with militants near Gao.",
    ),
    (
        "clash !artillery|missile|explosive * * *",
        "Fighting broke out between the army and rebels in Beni.",
    ),
    ("clash !artillery|missile|explosive * * *", "TROOPS CLASH WITH REBELS NEAR GOMA"),
    ("clash !artillery|missile|explosive * * *", "An army patrol was ambushed near Gao."),
    ("clash * * * *", "Heavy fighting with tanks and artillery raged around Avdiivka."),
    ("take * - territory killed|injured", "Two people died as the village was overrun on Sunday."),
    (
        "raid * armed armed killed|injured",
        "Soldiers raided a militant hideout near Khost, killing four fighters.",
    ),
    ("attack|kill|injure * armed armed *", "Militants attacked an army checkpoint in Kidal."),
    ("attack|kill|injure * armed armed *", "Gunmen attacked a police station in Garissa."),
    ("attack|kill|injure * armed armed *", "Snipers killed two soldiers in Pokrovsk district."),
    (
        "attack|kill|injure * - armed killed|injured",
        "Two soldiers were killed in an attack on their post near Kupiansk.",
    ),
    (
        "attack|kill|injure * - armed killed|injured",
        "A border post was attacked overnight and three guards were wounded.",
    ),
    ("raid * * armed *", "A raid on a militant hideout in Khost was reported."),
    ("take * * territory *", "The town of Avdiivka was captured on Tuesday."),
    # --- Battles / Government regains territory
    ("regain * state * *", "The army recaptured the town of Palma from insurgents."),
    ("regain * state * *", "Ukrainian forces liberated the village of Novoivanivka."),
    ("regain * state * *", "TROOPS RETAKE BORDER TOWN FROM REBELS"),
    ("regain * * * *", "The town of Kurakhove was recaptured on Sunday."),
    ("regain * * * *", "The village was liberated after three days."),
    ("take * state territory *", "Government troops captured the town of Mabanga from the rebels."),
    # --- Battles / Non-state actor overtakes territory
    ("regain * nonstate * *", "Taliban fighters recaptured the district headquarters."),
    ("regain * nonstate * *", "Rebels retook the town of Bunagana on Sunday."),
    ("take * nonstate territory *", "Al-Shabaab fighters seized the town of Bulo Burde."),
    ("take * nonstate territory *", "M23 rebels captured the town of Rubaya."),
    ("take * nonstate territory *", "REBELS SEIZE GOLD-MINING TOWN IN EAST"),
    # --- Explosions/Remote violence / Air/drone strike
    (
        "attack|explode|kill|injure aircraft|drone * * *",
        "Forces dropped air bombs on Vovchansk, Kharkiv oblast.",
    ),
    ("attack|explode|kill|injure aircraft|drone * * *", "Bakhmut was hit by drones."),
    (
        "attack|explode|kill|injure aircraft|drone * * *",
        "The air force struck a militant hideout in the hills near Khost.",
    ),
    (
        "attack|explode|kill|injure aircraft|drone * * *",
        "A drone strike killed three al-Shabaab fighters near Jilib.",
    ),
    ("attack|explode|kill|injure aircraft|drone * * *", "AIR RAID HITS MARKET IN NORTHERN TOWN"),
    # --- Explosions/Remote violence / Shelling/artillery/missile attack
    ("attack|kill|injure artillery|missile * * *", "Russian forces shelled Nikopol."),
    ("attack|kill|injure artillery|missile * * *", "Kupiansk came under artillery fire."),
    (
        "attack|kill|injure artillery|missile * * *",
        "A missile struck an apartment block in Dnipro.",
    ),
    ("attack|kill|injure artillery|missile * * *", "SHELLING KILLS TWO IN KHERSON"),
    ("explode artillery|missile * * *", "A rocket exploded in a field near Sderot."),
    # --- Explosions/Remote violence / Remote explosive/landmine/IED
    (
        "explode|attack|kill|injure explosive * * *",
        "A roadside bomb exploded near a police convoy in Peshawar.",
    ),
    (
        "explode|attack|kill|injure explosive * * *",
        "A car exploded outside Garissa police station, killing four.",
    ),
    ("explode|attack|kill|injure explosive * * *", "A landmine killed two shepherds in Daraa."),
    (
        "explode|attack|kill|injure explosive * * *",
        "IED BLAST KILLS THREE SOLDIERS IN NORTH WAZIRISTAN",
    ),
    ("explode - * * *", "An explosion ripped through a market in Quetta."),
    # --- Explosions/Remote violence / Suicide bomb
    (
        "explode|kill|injure suicide * * *",
        "A suicide bomber blew himself up at a checkpoint outside Kandahar, killing six policemen.",
    ),
    (
        "explode|kill|injure suicide * * *",
        "A suicide car bomb exploded at the gate of an army base in Mogadishu.",
    ),
    ("explode|kill|injure suicide * * *", "SUICIDE ATTACK KILLS 9 AT MOSQUE IN PESHAWAR"),
    # --- Explosions/Remote violence / Grenade
    (
        "attack|explode|kill|injure grenade * * *",
        "Unknown attackers threw a grenade into a bar in Bujumbura, wounding seven people.",
    ),
    (
        "attack|explode|kill|injure grenade * * *",
        "A hand grenade was hurled at a police patrol in Srinagar.",
    ),
    ("attack|explode|kill|injure grenade * * *", "GRENADE ATTACK WOUNDS FIVE IN MARKET"),
    # --- Explosions/Remote violence / Chemical weapon
    (
        "attack|explode|kill|injure chemical * * *",
        "A chemical attack on the village of Tel Harran killed 14 people.",
    ),
    (
        "attack|explode|kill|injure chemical * * *",
        "Dozens of people were injured when a shell filled with mustard gas exploded in the town.",
    ),
    (
        "attack|explode|kill|injure chemical * * *",
        "Helicopters dropped barrels of chlorine gas on the rebel-held suburb, injuring 30 "
        "residents.",
    ),
    # --- Violence against civilians / Attack
    ("attack|kill|injure * armed|- civilians *", "Gunmen shot dead five villagers in Zamfara."),
    ("attack|kill|injure * armed|- civilians *", "Three people were killed in Gao on Tuesday."),
    ("attack|kill|injure * armed|- civilians *", "GUNMEN KILL SEVEN VILLAGERS IN ATTACK"),
    (
        "raid * * civilians killed|injured",
        "A night raid on a village in Zamfara left six civilians dead.",
    ),
    ("attack firearm|blade|fire * * *", "A shooting at a nightclub in Bogota left three dead."),
    ("attack firearm|blade|fire * * *", "Gunmen attacked Kidal on Monday."),
    ("attack|kill|injure * armed * killed|injured", "Gunmen killed a local official in Mopti."),
    ("attack * armed * *", "Militants attacked Kidal on Monday."),
    ("attack * armed * *", "Rebels attacked the town of Beni overnight."),
    ("raid * * * *", "A raid on a village in Zamfara was reported overnight."),
    ("attack * * * *", "An attack on Bulo Burde was reported on Sunday."),
    ("kill|injure|death * * * killed|injured", "Two bodies were found in Kismayo."),
    ("kill|injure|death * * * killed|injured", "Four died in Tillaberi on Friday."),
    # --- Violence against civilians / Abduction/forced disappearance
    (
        "arrest|take * * * disappeared",
        "Soldiers detained a teacher in Mopti; his whereabouts remain unknown.",
    ),
    (
        "arrest|take * * * disappeared",
        "Police arrested the activist in Harare and he has not been seen since.",
    ),
    ("abduct * * * *", "Gunmen kidnapped 20 students from a school in Kaduna."),
    ("abduct * * * *", "Armed men abducted a priest near Kaduna."),
    ("abduct * * * *", "GUNMEN KIDNAP 15 VILLAGERS IN ZAMFARA"),
    ("take * nonstate|- civilians *", "Militants captured three aid workers near Maiduguri."),
    ("take * * * *", "Two foreigners were captured near Gao."),
    # --- Violence against civilians / Sexual violence
    ("sexual * * * *", "Soldiers raped several women in the village of Kabora."),
    ("sexual * * * *", "Armed men sexually assaulted two girls in Bunia."),
    ("sexual * * * *", "Militiamen gang-raped a woman near Minova."),
    ("sexual * * * *", "Women in Kabora were raped by armed men."),
    # --- Protests / Peaceful protest
    ("protest * * * *", "Thousands of teachers marched through Nairobi to demand higher pay."),
    ("protest * * * *", "Farmers staged a sit-in outside parliament in New Delhi."),
    ("protest * * * *", "Residents protested in Kisumu."),
    ("protest * * * *", "HUNDREDS PROTEST AGAINST FUEL PRICES IN LAGOS"),
    # --- Protests / Protest with intervention
    (
        "protest * * * dispersed|arrested",
        "Dozens of opposition supporters were arrested at a rally in Kampala.",
    ),
    (
        "protest * * * dispersed|arrested",
        "Police used water cannon on students protesting outside parliament in Tbilisi.",
    ),
    (
        "protest * * * dispersed|arrested",
        "Riot police dispersed a sit-in by nurses outside the health ministry.",
    ),
    ("protest * * * dispersed|arrested", "RIOT POLICE FIRE TEAR GAS AT PROTESTERS IN KAMPALA"),
    # --- Protests / Excessive force against protesters
    (
        "protest * !crowd * live_fire|killed",
        "Security forces opened fire on demonstrators in Khartoum, killing three.",
    ),
    (
        "protest * !crowd * live_fire|killed",
        "Two protesters were shot dead by police during a march in Conakry.",
    ),
    (
        "protest * state * serious_force",
        "Police brutally beat students protesting against fee increases in Kampala.",
    ),
    (
        "protest * state * serious_force",
        "Soldiers attacked a peaceful sit-in outside the army headquarters.",
    ),
    ("protest * * * live_fire", "Protesters were met with live ammunition in Baghdad."),
    # --- Riots / Violent demonstration
    (
        "protest|riot * * * crowd_violence|damage",
        "Protesters threw stones at police and set tyres ablaze in Nairobi.",
    ),
    ("protest|riot * * * crowd_violence|damage", "Rioters torched several shops in Port Harcourt."),
    ("protest|riot * * * crowd_violence|damage", "PROTESTERS CLASH WITH POLICE IN LIMA"),
    (
        "attack|destroy|loot * !armed * crowd_violence",
        "Hundreds of students stormed the ministry building and smashed windows.",
    ),
    (
        "attack|destroy|loot * !armed * crowd_violence",
        "Youths stormed the district office and smashed windows in Kisumu.",
    ),
    ("riot * * * *", "Riots broke out in the suburbs of Paris overnight."),
    ("riot * * * *", "Unrest spread to several towns in the north."),
    ("riot * * * *", "STUDENTS RIOT IN DHAKA"),
    # --- Riots / Mob violence
    ("mob&!protest * * * *", "A mob lynched a man accused of stealing a goat in Mombasa."),
    (
        "mob&!protest * * * *",
        "Rival clans clashed with machetes near the village of Dabaqa, leaving four dead.",
    ),
    ("mob&!protest * * * *", "MOB BURNS SUSPECTED THIEF TO DEATH IN KISUMU"),
    ("mob * * * *", "An angry crowd marched to the district office in Kisumu on Monday."),
    # --- Strategic developments / Agreement
    ("agree * * * *", "The warring sides signed a ceasefire agreement in Doha."),
    ("agree * * * *", "Rebels and the government exchanged 50 prisoners in Goma."),
    ("agree * * * *", "CEASEFIRE AGREED IN SOUTHERN SUDAN"),
    # --- Strategic developments / Arrests
    ("arrest * * * *", "Police arrested 14 suspected members of an armed group in Mombasa."),
    ("arrest * * * *", "Security forces detained an opposition leader in Harare."),
    ("arrest * * * *", "POLICE ARREST OPPOSITION LEADER IN HARARE"),
    ("raid * state * *", "Police raided the offices of an opposition newspaper in Harare."),
    ("take * state civilians *", "Troops seized three farmers at a checkpoint in Mopti."),
    ("take * state * *", "Police captured the gang leader in Kingston."),
    # --- Strategic developments / Change to group/activity
    ("change * * * *", "The army deployed additional troops to Kidal."),
    ("change * * * *", "A new armed group was formed in Ituri."),
    ("change * * * *", "Hundreds of fighters defected to the government in Marawi."),
    # --- Strategic developments / Disrupted weapons use
    ("defuse * * * *", "Army engineers defused a roadside bomb near Kandahar."),
    ("defuse * * * *", "Air defences intercepted 20 drones over Kyiv overnight."),
    ("defuse * * * *", "BOMB DEFUSED OUTSIDE POLICE STATION IN QUETTA"),
    ("defuse * * * *", "A drone was shot down over Belgorod."),
    (
        "find|destroy * * weapons *",
        "Police seized a cache of weapons and ammunition in a house in Mombasa.",
    ),
    ("find|destroy * * weapons *", "Soldiers found 40 landmines buried near the road to Gao."),
    ("find|destroy * * weapons *", "A weapons cache was found in an abandoned farmhouse."),
    # --- Strategic developments / Headquarters or base established
    ("base * * * *", "Russian forces set up a new military base near Kupiansk."),
    ("base * * * *", "The militants established a headquarters in Jilib."),
    ("base * * * *", "A new military outpost was set up near Kidal."),
    # --- Strategic developments / Looting/property destruction
    ("loot|destroy * * * *", "Armed men looted shops in the market of Mopti."),
    ("loot|destroy * * * *", "Soldiers demolished 30 houses in Hebron."),
    ("loot|destroy * * * *", "Rebels looted the health centre in Rutshuru."),
    ("loot|destroy * * * *", "Armed men torched the market in Rutshuru."),
    # --- Strategic developments / Non-violent transfer of territory
    ("take|regain|withdraw * * * no_fighting", "Rebels took control of the town without a fight."),
    (
        "take|regain|withdraw * * * no_fighting",
        "Government troops entered Kidal unopposed after the militants withdrew.",
    ),
    ("take|regain|withdraw * * * no_fighting", "The militants withdrew from the town peacefully."),
    ("withdraw * * territory|armed *", "Russian troops withdrew from the town of Kherson."),
    (
        "withdraw * * territory|armed *",
        "Government forces pulled out of their positions near Mopti.",
    ),
    # --- Strategic developments / Other
    (
        "test * * * *",
        "North Korea test-fired a new ballistic missile off its east coast on Thursday.",
    ),
    ("test * * * *", "Pyongyang launched two short-range missiles into the sea."),
    ("test * * * *", "IRAN TEST-FIRES NEW CRUISE MISSILE"),
    ("other * * * *", "The army imposed martial law in Marawi."),
    ("other * * * *", "A mass grave was discovered near Izium."),
]


def _classify(sentence: str) -> EventMatch | None:
    """What the pipeline asks of a one-clause sentence: its killed/injured figures from
    :func:`extract.events.casualties.parse_casualties`, the sentence as its own context."""
    cas = parse_casualties(sentence)
    return classify_clause(
        sentence, killed=bool(cas.fatalities), injured=bool(cas.injured), context=sentence
    )


@pytest.fixture
def reached(monkeypatch: pytest.MonkeyPatch) -> list[Rule]:
    """The rows :func:`extract.events.codebook.decide` returned while a test ran."""
    seen: list[Rule] = []
    real = events.decide

    def spy(frame: Frame):
        found = real(frame)
        if found is not None:
            seen.append(found[0])
        return found

    monkeypatch.setattr(events, "decide", spy)
    return seen


# --- the table as a whole ---------------------------------------------------------------------


def test_row_keys_are_unique_and_every_row_loads() -> None:
    keys = [key for _, key, _, _ in TABLE]
    assert len(keys) == len(set(keys)), Counter(keys).most_common(3)
    assert [r.line for r in load_rules()] == [no for no, _, _, _ in TABLE]


def test_every_row_sub_type_is_one_of_acleds() -> None:
    for no, key, etype, sub in TABLE:
        assert etype in EVENT_TYPES, (no, key, etype)
        assert sub in EVENT_TYPES[etype], (no, key, etype, sub)


def test_every_row_has_a_sentence_and_every_case_names_a_row() -> None:
    covered = {key for key, _ in CASES}
    missing = [f"line {LINE_OF[k]}: {k}" for k in LINE_OF if k not in covered]
    assert not missing, missing
    stale = sorted(covered - set(LINE_OF))
    assert not stale, stale


def test_every_sub_type_has_at_least_three_sentences() -> None:
    per_sub = Counter(TYPE_OF[key] for key, _ in CASES)
    for etype, subs in EVENT_TYPES.items():
        for sub in subs:
            assert per_sub[(etype, sub)] >= 3, (etype, sub, per_sub[(etype, sub)])
    assert sum(len(s) for s in EVENT_TYPES.values()) == 25


def test_every_event_type_has_an_all_caps_sentence() -> None:
    caps = {TYPE_OF[key][0] for key, sentence in CASES if sentence.isupper()}
    assert caps == set(EVENT_TYPES)


@pytest.mark.parametrize(("key", "sentence"), CASES, ids=[s[:60] for _, s in CASES])
def test_sentence_reaches_its_row(key: str, sentence: str, reached: list[Rule]) -> None:
    match = _classify(sentence)
    assert match is not None, sentence
    assert (match.event_type, match.sub_event_type) == TYPE_OF[key]
    assert reached, "decide() was not asked"
    assert reached[-1].line == LINE_OF[key], (
        f"reached line {reached[-1].line} ({reached[-1].sub_event_type}), "
        f"expected line {LINE_OF[key]} ({key})"
    )
    # the trigger is a span of the sentence
    assert sentence[match.start : match.end] == match.trigger


# --- ACLED's distinctions ---------------------------------------------------------------------


DISTINCTIONS = [
    # demonstrators who fight the police riot
    ("Demonstrators fought with police in Harare and burned a bus.", _RIO, "Violent demonstration"),
    ("Protesters clashed with riot police in central Lima.", _RIO, "Violent demonstration"),
    # tear gas or arrests at a peaceful protest: intervention
    (
        "Police fired tear gas at a peaceful protest by nurses in Accra.",
        _PRO,
        "Protest with intervention",
    ),
    (
        "Police arrested 30 people at a peaceful rally in Kampala.",
        _PRO,
        "Protest with intervention",
    ),
    pytest.param(
        "Police fired tear gas to disperse hundreds of teachers marching on parliament in Nairobi.",
        _PRO,
        "Protest with intervention",
        id="teachers-marching-tear-gas",
    ),
    pytest.param(
        "Students marched in Dhaka and police fired tear gas.",
        _PRO,
        "Protest with intervention",
        id="students-marched-police-tear-gas",
    ),
    # protesters killed by forces: excessive force
    (
        "Security forces killed four protesters in Khartoum.",
        _PRO,
        "Excessive force against protesters",
    ),
    (
        "Soldiers shot dead two demonstrators at a rally in Conakry.",
        _PRO,
        "Excessive force against protesters",
    ),
    # territory taken with no fighting
    (
        "Russian forces entered the town of Bilohorivka without a fight after Ukrainian troops "
        "withdrew.",
        _STR,
        "Non-violent transfer of territory",
    ),
    (
        "Government troops took over the town of Ansongo without resistance.",
        _STR,
        "Non-violent transfer of territory",
    ),
    (
        "The rebels handed over the town to the army peacefully.",
        _STR,
        "Non-violent transfer of territory",
    ),
    # rebels take a town
    (
        "Rebels captured the town of Kamanyola after heavy fighting.",
        _BTL,
        "Non-state actor overtakes territory",
    ),
    ("Jihadists overran the town of Djibo.", _BTL, "Non-state actor overtakes territory"),
    # state forces retake one
    (
        "Government forces retook the town of Palma from insurgents.",
        _BTL,
        "Government regains territory",
    ),
    (
        "The army regained control of the district from the Taliban.",
        _BTL,
        "Government regains territory",
    ),
    # armed group against armed group
    ("Rebels and government troops clashed near Bunia.", _BTL, "Armed clash"),
    ("Two rival militias fought for control of the oil field near Sirte.", _BTL, "Armed clash"),
    # armed actors against civilians
    ("Gunmen attacked villagers in Zamfara, killing nine.", _VAC, "Attack"),
    ("Soldiers shot two farmers in their fields near Mopti.", _VAC, "Attack"),
    # an air force striking a hideout is an air strike, not an attack on civilians
    (
        "Nigerian Air Force jets struck a terrorist hideout in the Sambisa forest.",
        _EXP,
        "Air/drone strike",
    ),
    (
        "The air force bombed an insurgent camp near Gwoza, killing dozens of fighters.",
        _EXP,
        "Air/drone strike",
    ),
    (
        "Pakistani military helicopters struck militant hideouts in North Waziristan.",
        _EXP,
        "Air/drone strike",
    ),
    # attempted protests are protests
    (
        "Police detained 23 people attempting to protest outside the palace.",
        _PRO,
        "Protest with intervention",
    ),
    ("Activists attempted to protest outside the embassy in Tbilisi.", _PRO, "Peaceful protest"),
    pytest.param(
        "Police detained 23 people attempting to march on the presidential palace.",
        _PRO,
        "Protest with intervention",
        id="attempting-to-march",
    ),
    # the arrest a protest is about is its grievance, not an intervention
    pytest.param(
        "Hundreds of traders protested the arrest of a union leader outside the police station "
        "in Kisumu.",
        _PRO,
        "Peaceful protest",
        id="protest-against-an-arrest",
    ),
    # nobody arrested is no intervention
    pytest.param(
        "Nobody was arrested at the rally.",
        _PRO,
        "Peaceful protest",
        id="nobody-arrested",
    ),
]


@pytest.mark.parametrize(("sentence", "etype", "sub"), DISTINCTIONS)
def test_acled_distinction(sentence: str, etype: str, sub: str) -> None:
    match = _classify(sentence)
    assert match is not None, sentence
    assert (match.event_type, match.sub_event_type) == (etype, sub)


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("Police beat protesters in Lagos.", id="beat"),
        pytest.param("Police beat up protesters in Lagos.", id="beat-up"),
    ],
)
def test_police_beating_protesters_is_not_a_peaceful_protest(sentence: str) -> None:
    match = _classify(sentence)
    assert match is not None
    assert match.sub_event_type in (
        "Protest with intervention",
        "Excessive force against protesters",
    )


def test_armed_men_burning_down_a_market_is_an_event() -> None:
    match = _classify("Armed men burned down the market in Rutshuru.")
    assert match is not None
    assert match.sub_event_type in ("Looting/property destruction", "Attack")


def test_rebels_who_take_a_town_after_fighting_overtake_it_rather_than_clash() -> None:
    # the fighting is how the town was taken, not a second event type
    match = _classify("Rebels captured the town of Kamanyola after heavy fighting.")
    assert match is not None and match.sub_event_type == "Non-state actor overtakes territory"
    assert "captured" in match.trigger


def test_the_same_act_by_state_and_by_rebels_differs() -> None:
    state = _classify("Government troops recaptured the town of Bunagana.")
    rebels = _classify("M23 rebels recaptured the town of Bunagana.")
    assert state is not None and rebels is not None
    assert state.sub_event_type == "Government regains territory"
    assert rebels.sub_event_type == "Non-state actor overtakes territory"


def test_a_protest_escalates_with_what_happens_to_it() -> None:
    calm = _classify("Nurses protested outside the health ministry in Accra.")
    gassed = _classify(
        "Police fired tear gas at nurses protesting outside the health ministry in Accra."
    )
    shot = _classify("Police shot dead two nurses protesting outside the health ministry in Accra.")
    violent = _classify(
        "Nurses protesting outside the health ministry in Accra threw stones at police."
    )
    assert [m.sub_event_type if m else None for m in (calm, gassed, shot, violent)] == [
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
        "Violent demonstration",
    ]


# --- hedges, negation, the future, background -------------------------------------------------

HEDGED = [
    "The monitors could not confirm reports of clashes near Gao.",
    "Teachers will protest outside parliament on Monday.",
    "The ministry denied that its jets bombed the village.",
    "Two men were sentenced for last year's attack on a police station.",
    "The army said it would retake the town.",
    "Rebels threatened to attack the capital.",
    "Police did not fire on the crowd.",
    "The opposition plans to march on parliament next week.",
    "Villagers feared an attack on Kidal.",
    "The group denied carrying out the bombing in Kabul.",
    "Two policemen were jailed over the 2021 killing of a journalist.",
    pytest.param(
        "It was the worst fighting in decades, residents said.",
        id="worst-fighting-in-decades",
    ),
]


@pytest.mark.parametrize("sentence", HEDGED)
def test_hedged_future_or_background_clause_is_no_event(sentence: str) -> None:
    assert _classify(sentence) is None


def test_background_phrase_beside_a_real_event_keeps_the_event() -> None:
    match = _classify(
        "Clashes erupted in Tripoli on Monday, the worst fighting in the city in decades."
    )
    assert match is not None and match.sub_event_type == "Armed clash"
    assert match.trigger == "Clashes"


def test_hedge_does_not_reach_across_a_clause_boundary() -> None:
    # the demand is hedged, the tear gas is not
    match = _classify(
        "Marchers demanded that the governor resign as police fired tear gas at the protest."
    )
    assert match is not None
    assert match.sub_event_type == "Protest with intervention"


# --- non-events -------------------------------------------------------------------------------

NON_EVENTS = [
    "Floods killed 12 people in Kerala.",
    "An earthquake killed 300 people in Herat.",
    "Heavy rains killed four people in Nairobi.",
    "A landslide killed 20 villagers in Mount Elgon.",
    "A road crash killed seven people on the highway near Nakuru.",
    "A bus crash killed 14 passengers near Nakuru.",
    "Fishermen drowned when their boat capsized off Lamu.",
    "A cholera outbreak killed 40 people in Juba.",
    "Arsenal beat Chelsea 2-1 at the Emirates Stadium.",
    "The striker's attack on goal was saved in the final minute.",
    "Kenya beat Uganda 3-0 in the World Cup qualifier in Nairobi.",
    "Barcelona defeated Sevilla 3-1 on Sunday.",
    "The ruling party won the election in Harare with 60 percent of the vote.",
    "The court ruled on Tuesday that the 2019 massacre had been a war crime.",
    "The court acquitted three soldiers of the 2018 massacre in Mopti.",
    "The supreme court upheld the sentence of a man convicted of the 2015 bombing.",
    "A cyber-attack disrupted the bank's systems in Nairobi.",
    "A cyberattack disrupted the bank's systems in Nairobi.",
    pytest.param(
        "A cyber attack disrupted the bank's systems in Nairobi.",
        id="cyber attack (two words)",
    ),
    "The opposition leader attacked the government's policy on fuel prices.",
    "The foreign minister visited Kyiv on Monday.",
    "The prime minister visited troops in Kharkiv on Monday.",
    "The president met rebel leaders in Juba.",
]


@pytest.mark.parametrize("sentence", NON_EVENTS)
def test_non_event_gives_no_event(sentence: str) -> None:
    assert _classify(sentence) is None


def test_the_same_verbs_are_an_event_when_people_do_them() -> None:
    # the non-event tests above fail for the right reason only if these are events
    assert _classify("Gunmen killed 12 people in Kerala.") is not None
    assert _classify("Militants attacked the governor's convoy near Herat.") is not None


# --- the loaders ------------------------------------------------------------------------------

_HEADER = "# a test table\n# act\tmeans\twho\ttarget\toutcome\tevent type\tsub\tconf\tnote\n"


def _write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _row(
    act: str = "*",
    means: str = "*",
    who: str = "*",
    target: str = "*",
    outcome: str = "*",
    etype: str = _BTL,
    sub: str = "Armed clash",
    conf: str = "0.5",
) -> str:
    return "\t".join((act, means, who, target, outcome, etype, sub, conf, "note")) + "\n"


def test_load_cues_reads_tags_and_phrases(tmp_path: Path) -> None:
    path = _write(tmp_path, "cues.tsv", "# comment\n\nact=attack means=drone\tdrone strikes?\n")
    ((tags, pattern),) = load_cues(path)
    assert tags == (("act", "attack"), ("means", "drone"))
    assert pattern.search("A DRONE STRIKE hit") is not None
    assert pattern.search("drones trike") is None


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("act=attack\tattack\nweapon=gun\tguns?\n", 2, "bad tag"),
        ("act=attack\tattack\n\n# comment\nact=\tattack\n", 4, "bad tag"),
        ("act=attack\t(unclosed\n", 1, "bad phrase"),
        ("act=attack\n", 1, "expected"),
    ],
    ids=["unknown-slot", "empty-value", "bad-regex", "no-phrase"],
)
def test_load_cues_rejects_bad_lines(tmp_path: Path, body: str, line: int, words: str) -> None:
    path = _write(tmp_path, "mycues.tsv", body)
    with pytest.raises(CodebookError) as err:
        load_cues(path)
    assert f"mycues.tsv:{line}:" in str(err.value)
    assert words in str(err.value)


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (_row(etype=_BTL, sub="Air/drone strike"), "is not a sub-type of"),
        (_row(etype="Wars", sub="Armed clash"), "is not a sub-type of"),
        (_row(who="soldiers"), "unknown who 'soldiers'"),
        (_row(who="state|gangs"), "unknown who 'gangs'"),
        (_row(conf="high"), "is not a number"),
        (_row(outcome="!"), "empty condition"),
        ("attack\t*\t*\n", "expected 9"),
    ],
    ids=[
        "wrong-parent",
        "unknown-type",
        "unknown-who",
        "unknown-who-in-list",
        "confidence",
        "empty-condition",
        "short-row",
    ],
)
def test_load_rules_rejects_bad_rows(tmp_path: Path, row: str, words: str) -> None:
    path = _write(tmp_path, "mytable.tsv", _HEADER + _row(act="clash") + "\n" + row)
    with pytest.raises(CodebookError) as err:
        load_rules(path)
    assert "mytable.tsv:5:" in str(err.value)  # two header lines, a good row, a blank line
    assert words in str(err.value)


def _frame(**slots: str) -> Frame:
    cues = [
        Cue(slot, value, 0, 0, value) for slot, values in slots.items() for value in values.split()
    ]
    return Frame(cues=cues)


def _one(tmp_path: Path, row: str) -> Rule:
    (rule,) = load_rules(_write(tmp_path, "one.tsv", row))
    return rule


def test_condition_star_dash_and_value(tmp_path: Path) -> None:
    rule = _one(tmp_path, _row(act="clash", means="-", etype=_BTL, sub="Armed clash"))
    assert rule.matches(_frame(act="clash"), {"clash"}, set())
    assert rule.matches(_frame(act="clash"), {"clash"}, {"state", "armed"})  # who is "*"
    assert not rule.matches(_frame(act="clash", means="artillery"), {"clash"}, set())  # "-"
    assert not rule.matches(_frame(act="attack"), {"attack"}, set())  # the value


def test_condition_any_of(tmp_path: Path) -> None:
    rule = _one(tmp_path, _row(act="attack|kill", etype=_VAC, sub="Attack"))
    assert rule.matches(_frame(act="kill"), {"kill"}, set())
    assert rule.matches(_frame(act="attack kill"), {"attack", "kill"}, set())
    assert not rule.matches(_frame(act="abduct"), {"abduct"}, set())


def test_condition_none_of(tmp_path: Path) -> None:
    rule = _one(tmp_path, _row(act="attack", who="!armed", etype=_RIO, sub="Violent demonstration"))
    assert rule.matches(_frame(act="attack"), {"attack"}, {"crowd"})
    assert rule.matches(_frame(act="attack"), {"attack"}, set())  # nobody named: not armed
    assert not rule.matches(_frame(act="attack"), {"attack"}, {"crowd", "armed"})


def test_condition_any_of_or_nothing(tmp_path: Path) -> None:
    rule = _one(
        tmp_path,
        _row(act="take", who="nonstate|-", etype=_VAC, sub="Abduction/forced disappearance"),
    )
    assert rule.matches(_frame(act="take"), {"take"}, set())  # nothing found
    assert rule.matches(_frame(act="take"), {"take"}, {"nonstate", "armed"})
    assert not rule.matches(_frame(act="take"), {"take"}, {"state", "armed"})


def test_condition_all_of(tmp_path: Path) -> None:
    rule = _one(tmp_path, _row(act="mob&!protest", etype=_RIO, sub="Mob violence"))
    assert rule.matches(_frame(act="mob"), {"mob"}, set())
    assert rule.matches(_frame(act="mob kill"), {"mob", "kill"}, set())
    assert not rule.matches(_frame(act="mob protest"), {"mob", "protest"}, set())
    assert not rule.matches(_frame(act="kill"), {"kill"}, set())


def test_outcome_killed_comes_from_the_frame_flags(tmp_path: Path) -> None:
    rule = _one(tmp_path, _row(act="kill|death", outcome="killed", etype=_VAC, sub="Attack"))
    frame = _frame(act="death")
    assert not rule.matches(frame, {"death"}, set())
    frame.killed = True
    assert rule.matches(frame, {"death"}, set())


def test_rows_keep_their_order_line_and_note(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "two.tsv",
        _HEADER + _row(act="clash", conf="0.8") + _row(act="arrest", etype=_STR, sub="Arrests"),
    )
    first, second = load_rules(path)
    assert (first.line, first.sub_event_type, first.confidence) == (3, "Armed clash", 0.8)
    assert (second.line, second.event_type, second.sub_event_type) == (4, _STR, "Arrests")
    assert first.note == "note"
