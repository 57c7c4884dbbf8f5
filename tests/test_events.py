"""Tests of :mod:`extract.events.classify`: ACLED event typing of a clause by trigger phrases."""

from __future__ import annotations

import pytest

from extract.events.classify import EventMatch, classify_clause, is_hedged
from extract.events.codebook import EVENT_TYPES

_BTL, _EXP, _VAC, _PRO, _RIO, _STR = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)

# (clause, event type, sub-event type). At least two realistic sentences per sub-event type and
# one all-caps headline per event type.
TABLE: list[tuple[str, str, str]] = [
    # --- Battles
    (
        "Government troops clashed with Islamist militants near the town of Gao on Sunday, "
        "the army said.",
        _BTL,
        "Armed clash",
    ),
    (
        "Fierce fighting broke out between rival militias in the south of the capital overnight.",
        _BTL,
        "Armed clash",
    ),
    ("UKRAINIAN TROOPS CLASH WITH NORTH KOREAN SOLDIERS IN KURSK REGION", _BTL, "Armed clash"),
    (
        "The army said it had recaptured the town of Kupiansk from separatist fighters.",
        _BTL,
        "Government regains territory",
    ),
    (
        "Government forces retook control of the strategic crossing after a week-long siege.",
        _BTL,
        "Government regains territory",
    ),
    # --- Explosions/Remote violence
    (
        "Israeli air strikes hit a residential building in Gaza City on Tuesday.",
        _EXP,
        "Air/drone strike",
    ),
    (
        "A Russian drone attack damaged an apartment block in Odesa overnight.",
        _EXP,
        "Air/drone strike",
    ),
    ("AIR STRIKES KILL 12 IN SOUTHERN LEBANON", _EXP, "Air/drone strike"),
    (
        "Russian forces shelled the city of Kherson on Monday, killing two people.",
        _EXP,
        "Shelling/artillery/missile attack",
    ),
    (
        "A missile struck a hospital in Dnipro, regional officials said.",
        _EXP,
        "Shelling/artillery/missile attack",
    ),
    (
        "A roadside bomb killed three soldiers in Helmand province on Thursday.",
        _EXP,
        "Remote explosive/landmine/IED",
    ),
    (
        "Two civilians were wounded when their car hit a landmine near Kramatorsk.",
        _EXP,
        "Remote explosive/landmine/IED",
    ),
    (
        "A suicide bomber blew himself up at a checkpoint in Mogadishu, killing seven people.",
        _EXP,
        "Suicide bomb",
    ),
    ("A suicide attack on a mosque in Peshawar killed 40 worshippers.", _EXP, "Suicide bomb"),
    ("Unknown assailants threw a grenade into a crowded market in Bujumbura.", _EXP, "Grenade"),
    ("A grenade attack on a police station injured four officers in Manipur.", _EXP, "Grenade"),
    (
        "Dozens of people suffocated after a chlorine gas attack on the town of Douma.",
        _EXP,
        "Chemical weapon",
    ),
    (
        "Investigators concluded that sarin was used in the attack on Khan Sheikhoun.",
        _EXP,
        "Chemical weapon",
    ),
    # --- Violence against civilians
    ("Gunmen shot dead five villagers in Zamfara state on Saturday.", _VAC, "Attack"),
    ("Militants massacred at least 30 civilians in a village in Ituri province.", _VAC, "Attack"),
    ("GUNMEN SHOT DEAD FIVE VILLAGERS IN ZAMFARA", _VAC, "Attack"),
    (
        "Armed men kidnapped 20 students from a school in Kaduna state.",
        _VAC,
        "Abduction/forced disappearance",
    ),
    (
        "Rebels abducted a local aid worker near Goma on Wednesday.",
        _VAC,
        "Abduction/forced disappearance",
    ),
    (
        "Soldiers raped several women during a raid on the village, a UN report said.",
        _VAC,
        "Sexual violence",
    ),
    (
        "Survivors described widespread sexual violence by fighters at a displacement camp in "
        "Darfur.",
        _VAC,
        "Sexual violence",
    ),
    # --- Protests
    (
        "Thousands of people protested in Tbilisi against the foreign agents law.",
        _PRO,
        "Peaceful protest",
    ),
    (
        "Farmers staged a peaceful demonstration outside parliament in Warsaw.",
        _PRO,
        "Peaceful protest",
    ),
    ("THOUSANDS RALLY IN TBILISI AGAINST FOREIGN AGENTS LAW", _PRO, "Peaceful protest"),
    ("Police fired tear gas to disperse protesters in Nairobi.", _PRO, "Protest with intervention"),
    (
        "Riot police broke up a demonstration by opposition supporters in Dhaka.",
        _PRO,
        "Protest with intervention",
    ),
    (
        "Security forces opened fire on protesters in Khartoum, killing at least five.",
        _PRO,
        "Excessive force against protesters",
    ),
    (
        "Three demonstrators were shot dead by police during a protest in Lagos.",
        _PRO,
        "Excessive force against protesters",
    ),
    # --- Riots
    ("Rioters torched cars and looted shops in the city centre.", _RIO, "Violent demonstration"),
    (
        "Protesters hurled stones at police and set fire to a government building.",
        _RIO,
        "Violent demonstration",
    ),
    ("RIOTERS TORCH CARS IN DUBLIN CITY CENTRE", _RIO, "Violent demonstration"),
    ("A mob lynched a man accused of blasphemy in Punjab province.", _RIO, "Mob violence"),
    (
        "Vigilantes beat two suspected thieves to death at a market in Nairobi.",
        _RIO,
        "Mob violence",
    ),
    # --- Strategic developments
    ("The warring parties signed a ceasefire agreement in Doha on Sunday.", _STR, "Agreement"),
    (
        "Russia and Ukraine carried out a prisoner exchange mediated by the United Arab Emirates.",
        _STR,
        "Agreement",
    ),
    ("Police arrested 12 suspects in connection with the attack.", _STR, "Arrests"),
    ("Authorities detained an opposition leader at his home in Minsk.", _STR, "Arrests"),
    ("POLICE ARREST OPPOSITION LEADER IN MINSK", _STR, "Arrests"),
    ("Russia deployed additional troops to the border region.", _STR, "Change to group/activity"),
    (
        "Some 10,000 soldiers sent by Pyongyang were now in Kursk region, the Pentagon said.",
        _STR,
        "Change to group/activity",
    ),
    ("Air defences shot down 30 drones over Kyiv overnight.", _STR, "Disrupted weapons use"),
    (
        "Ukraine's air force said it intercepted 25 of the 30 Shahed drones launched overnight.",
        _STR,
        "Disrupted weapons use",
    ),
    (
        "The militia established a new base in the hills above the town.",
        _STR,
        "Headquarters or base established",
    ),
    (
        "Wagner fighters set up a headquarters in the former governor's residence.",
        _STR,
        "Headquarters or base established",
    ),
    (
        "Fighters looted the hospital and burned down homes in the village.",
        _STR,
        "Looting/property destruction",
    ),
    (
        "Soldiers demolished dozens of Palestinian homes in the West Bank.",
        _STR,
        "Looting/property destruction",
    ),
    (
        "Russian forces withdrew from the city of Kherson without a fight.",
        _STR,
        "Non-violent transfer of territory",
    ),
    (
        "The rebels handed over control of the town to the army under the deal.",
        _STR,
        "Non-violent transfer of territory",
    ),
    (
        "North Korea test-fired a new intercontinental ballistic missile on Thursday.",
        _STR,
        "Other",
    ),
    (
        "North Korea fired several short-range ballistic missiles into the sea off its east coast.",
        _STR,
        "Other",
    ),
]

# Realistic sentences the classifier once got wrong (regression cases; the reasons say why).
_NO_NSA_RULE = (
    "events.py has no rule that yields 'Non-state actor overtakes territory': territory seized "
    "by rebels/militants is typed 'Armed clash'"
)
KNOWN_WRONG: list[tuple[str, str, str, str]] = [
    (
        "Islamic State militants seized control of the ancient city of Palmyra, a monitoring "
        "group said.",
        _BTL,
        "Non-state actor overtakes territory",
        _NO_NSA_RULE,
    ),
    (
        "Rebels captured the eastern city of Goma after days of heavy fighting.",
        _BTL,
        "Non-state actor overtakes territory",
        _NO_NSA_RULE,
    ),
    (
        "Sappers defused an improvised explosive device found near a school in Kandahar.",
        _STR,
        "Disrupted weapons use",
        "the IED rule runs before 'defused': a defused bomb is typed as an IED explosion",
    ),
    (
        "Three suspects were arrested in Vilnius on Monday.",
        _STR,
        "Arrests",
        "the hedge list contains 'suspects?', so the noun 'suspects' before the trigger "
        "hedges a real arrest",
    ),
    (
        "In May, thousands of protesters marched through the capital.",
        _PRO,
        "Peaceful protest",
        "the hedge 'may' is matched case-insensitively, so the month 'May' hedges the event",
    ),
    (
        "MAY DAY MARCHERS RALLY IN PARIS",
        _PRO,
        "Peaceful protest",
        "the hedge 'may' is matched case-insensitively, so 'MAY' in a headline hedges the event",
    ),
]

# Hedged, negated, future or non-event clauses: no event.
NOT_EVENTS: list[str] = [
    "The Pentagon said it could not corroborate reports of clashes between Ukrainian and North "
    "Korean units.",
    "Russia threatened to strike Kyiv with missiles.",
    "The union threatened to strike.",
    "Farmers will protest on Friday outside parliament.",
    "They condemned the delivery of North Korean ballistic missiles to Russia.",
    "The army denied that its troops had clashed with rebels.",
    "If the talks fail, fighting could resume.",
    "Pyongyang plans to launch a satellite next month.",
    "Officials warned of possible air strikes on the capital.",
    "Kyiv has asked its allies for more artillery shells.",
    "THE ARMY DENIED REPORTS OF CLASHES NEAR THE BORDER",
    "The weather was calm in the capital on Sunday.",
    "",
]


def _id(clause: str) -> str:
    return " ".join(clause.split()[:5])


def _check(clause: str, event_type: str, sub_event_type: str) -> EventMatch:
    match = classify_clause(clause)
    assert match is not None, clause
    assert (match.event_type, match.sub_event_type) == (event_type, sub_event_type), match
    return match


def test_taxonomy_has_6_types_and_25_sub_types() -> None:
    assert len(EVENT_TYPES) == 6
    assert set(EVENT_TYPES) == {_BTL, _EXP, _VAC, _PRO, _RIO, _STR}
    subs = [s for subs in EVENT_TYPES.values() for s in subs]
    assert len(subs) == 25
    assert len(set(subs)) == 25


def test_table_covers_every_sub_type_twice_and_every_type_in_capitals() -> None:
    pairs = [(t, s) for _, t, s in TABLE + [(c, t, s) for c, t, s, _ in KNOWN_WRONG]]
    for etype, subs in EVENT_TYPES.items():
        for sub in subs:
            assert pairs.count((etype, sub)) >= 2, (etype, sub)
    capitals = {t for clause, t, _ in TABLE if clause == clause.upper()}
    assert capitals == set(EVENT_TYPES)


@pytest.mark.parametrize(("clause", "event_type", "sub_event_type"), TABLE, ids=_id)
def test_classify_clause(clause: str, event_type: str, sub_event_type: str) -> None:
    match = _check(clause, event_type, sub_event_type)
    assert sub_event_type in EVENT_TYPES[event_type]
    assert clause[match.start : match.end] == match.trigger
    assert match.trigger.strip()
    assert 0.0 < match.confidence <= 1.0


@pytest.mark.parametrize(
    ("clause", "event_type", "sub_event_type"),
    [pytest.param(c, t, s, id=_id(c)) for c, t, s, _ in KNOWN_WRONG],
)
def test_classify_clause_former_bugs(clause: str, event_type: str, sub_event_type: str) -> None:
    _check(clause, event_type, sub_event_type)


@pytest.mark.parametrize("clause", NOT_EVENTS, ids=_id)
def test_hedged_negated_future_are_not_events(clause: str) -> None:
    assert classify_clause(clause) is None
    assert classify_clause(clause, has_casualties=False) is None


def test_more_specific_trigger_wins() -> None:
    # a missile test beats a missile attack; an air attack beats a generic attack
    _check("North Korea test-fired a ballistic missile that landed in the sea.", _STR, "Other")
    _check("A Russian air attack damaged a supermarket in Kharkiv.", _EXP, "Air/drone strike")
    _check("A suicide bomber detonated a car bomb at the gate.", _EXP, "Suicide bomb")


def test_weapon_named_without_attack_is_no_event() -> None:
    assert classify_clause("Kyiv wants more artillery and missiles from its allies.") is None
    _check("Artillery pounded the village overnight.", _EXP, "Shelling/artillery/missile attack")


def test_killing_without_trigger_needs_casualties() -> None:
    clause = "Six people died in the village on Tuesday."
    assert classify_clause(clause) is None
    match = classify_clause(clause, has_casualties=True)
    assert match is not None
    assert (match.event_type, match.sub_event_type) == (_VAC, "Attack")
    assert match.confidence < 0.7
    assert classify_clause("Six people may have died in the village.", has_casualties=True) is None


@pytest.mark.parametrize(
    ("clause", "trigger", "hedged"),
    [
        ("could not corroborate reports of clashes", "clashes", True),
        ("Russia threatened to strike Kyiv", "strike", True),
        ("farmers will protest on Friday", "protest", True),
        ("the army denied the troops clashed", "clashed", True),
        ("troops clashed near the border", "clashed", False),
        ("police arrested 12 people", "arrested", False),
    ],
)
def test_is_hedged(clause: str, trigger: str, hedged: bool) -> None:
    assert is_hedged(clause, clause.index(trigger)) is hedged


def test_hedge_only_looks_before_the_trigger() -> None:
    clause = "Troops clashed near the border, and more fighting may follow."
    assert not is_hedged(clause, clause.index("clashed"))
    _check(clause, _BTL, "Armed clash")
