"""Event typing: ACLED's 6 event types / 25 sub-event types, found by trigger phrases.

A clause gets the sub-event type of its most specific trigger (a missile test beats a missile
attack, an air attack beats a generic attack). Hedged or negated clauses ("could not
corroborate reports of clashes", "will vote", "threatened to strike") are not events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["EVENT_TYPES", "EventMatch", "classify_clause", "is_hedged"]

#: ACLED's taxonomy: event type → sub-event types.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
        "Chemical weapon",
    ),
    "Violence against civilians": (
        "Attack",
        "Abduction/forced disappearance",
        "Sexual violence",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

_BTL, _EXP, _VAC, _PRO, _RIO, _STR = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)

# sub-type of the "seized/captured territory" rule, decided by who took it
_TAKES_GROUND = "(takes ground)"
_PROTEST = r"(?:protest\w*|demonstrat\w*|rall(?:y|ies|ied)|marchers|sit-ins?|a march)"

# (pattern, event type, sub-event type, confidence), most specific first
_RULES: list[tuple[re.Pattern[str], str, str, float]] = [
    (
        r"\b(?:missile|weapons?|nuclear|rocket) tests?\b|\btest[- ]?fir\w*|\btest[- ]launch\w*"
        r"|\btest of (?:a |an |the )?(?:new )?(?:[\w-]+ ){0,3}"
        r"(?:missile|rocket|launcher|weapon)s?\b"
        r"|\b(?:fired|launched|fires|launches)\b[^.;]{0,60}\binto (?:the )?(?:sea|ocean|waters)\b"
        r"|\blaunch(?:ed|es)?\b[^.;]{0,40}\bsatellite",
        _STR,
        "Other",
        0.8,
    ),
    (r"\bsuicide (?:bomb\w*|attack\w*|car bomb\w*|vest)", _EXP, "Suicide bomb", 0.9),
    (
        r"\bchemical (?:weapon|attack|agent)s?\b|\bsarin\b|\bchlorine gas\b|\bnerve agent",
        _EXP,
        "Chemical weapon",
        0.85,
    ),
    (r"\bgrenades?\b", _EXP, "Grenade", 0.85),
    (
        rf"\b(?:opened fire|fired live|shot|killed|kill\w*)\b[^.;]{{0,50}}\b{_PROTEST}"
        rf"|\b{_PROTEST}\b[^.;]{{0,40}}\b(?:were|was) (?:shot|killed)",
        _PRO,
        "Excessive force against protesters",
        0.8,
    ),
    (
        rf"\b(?:tear ?gas|water cannons?|rubber bullets|stun grenades?|batons?|dispersed|broke up"
        rf"|arrest\w*|detain\w*)\b[^.;]{{0,60}}\b{_PROTEST}|\b{_PROTEST}\b[^.;]{{0,60}}"
        rf"\b(?:tear ?gas|water cannons?|rubber bullets|stun grenades?|dispersed|broke up"
        rf"|were arrested|detained|arrested)",
        _PRO,
        "Protest with intervention",
        0.8,
    ),
    (
        r"\b(?:air ?strikes?|airstrikes?|air[- ]raids?|air attacks?|aerial (?:attack|bombardment)s?"
        r"|drone (?:strike|attack)s?|drones? (?:struck|hit|attacked|slammed)|(?:kamikaze|attack|"
        r"shahed) drones?|glide bombs?|warplanes?|fighter jets? (?:struck|bombed)|bombing raids?"
        r"|helicopter gunships?|bombed|by (?:\w+ ){0,2}drones?)\b",
        _EXP,
        "Air/drone strike",
        0.85,
    ),
    (
        r"\b(?:ied|improvised explosive|roadside bombs?|land ?mines?|car bombs?|explosive devices?"
        r"|booby[- ]traps?|parcels? (?:bomb\w*|exploded)|packages? exploded"
        r"|bombs? (?:exploded|went off)"
        r"|planted (?:a )?bombs?|incendiary (?:device|package)s? (?:exploded|ignited))\b",
        _EXP,
        "Remote explosive/landmine/IED",
        0.85,
    ),
    (
        r"\b(?:shell(?:ing|ed|s)?|artillery|mortars?|missiles?|rockets?|ballistic|cruise missiles?"
        r"|multiple[- ]launch|grad|himars|bombardment|barrages?)\b",
        _EXP,
        "Shelling/artillery/missile attack",
        0.8,
    ),
    (
        r"\b(?:defused|intercepted|shot down|downed|weapons cache|arms cache|seized (?:weapons|"
        r"arms|explosives))\b",
        _STR,
        "Disrupted weapons use",
        0.7,
    ),
    (
        r"\b(?:riot\w*|looters|torched|set (?:fire|ablaze)|set (?:\w+ ){1,3}(?:on fire|ablaze)"
        r"|stone[- ]throwing|hurled stones"
        r"|violent (?:protest|demonstration)s?)\b",
        _RIO,
        "Violent demonstration",
        0.75,
    ),
    (r"\b(?:mob|lynch\w*|vigilantes?)\b", _RIO, "Mob violence", 0.75),
    (
        r"\b(?:kidnap\w*|abduct\w*|taken hostage|took \w+ hostage|hostage[- ]taking"
        r"|forcibly disappeared)\b",
        _VAC,
        "Abduction/forced disappearance",
        0.85,
    ),
    (
        r"\b(?:raped|rape|sexual(?:ly)? (?:assault\w*|violence|abuse\w*))\b",
        _VAC,
        "Sexual violence",
        0.8,
    ),
    (
        r"\b(?:recaptured|retook|regained control|regained|liberated|took back|won back)\b",
        _BTL,
        "Government regains territory",
        0.75,
    ),
    (
        r"\b(?:seized|captured|overran|took control of|taken control of|took over|occupied)\b"
        r"[^.;]{0,60}\b(?:territory|town|village|city|district|region|area|settlement|base|"
        r"positions?|hill|sq ?km|square (?:km|kilomet\w+|miles?))\b",
        _BTL,
        _TAKES_GROUND,
        0.7,
    ),
    (
        r"\b(?:clash\w*|fighting|fought|battles?|battling|firefights?|gunfights?|gun battles?"
        r"|skirmish\w*|exchanged fire|exchange of fire|ambush\w*|came under fire"
        r"|come under fire|coming under fire|counter-?offensive|offensive|assault on|stormed)\b",
        _BTL,
        "Armed clash",
        0.75,
    ),
    (
        r"\b(?:massacre\w*|executed|murdered|shot dead|gunned down|stabbed|beheaded|hacked to death"
        r"|killed civilians|attacked civilians|opened fire on (?:civilians|villagers|residents"
        r"|worshippers|passengers))\b",
        _VAC,
        "Attack",
        0.75,
    ),
    (
        rf"\b{_PROTEST}\b|\bwent on strike\b|\bgeneral strike\b|\bpicket\w*\b|\bmarched\b"
        rf"|\b(?:silent|protest|peaceful) march\b",
        _PRO,
        "Peaceful protest",
        0.7,
    ),
    (
        r"\b(?:arrest\w*|detain\w*|apprehended|taken into custody|rounded up)\b",
        _STR,
        "Arrests",
        0.75,
    ),
    (
        r"\b(?:ceasefire|cease-fire|truce|peace (?:deal|agreement|accord|treaty)|signed (?:an? )?"
        r"(?:agreement|deal|accord|treaty)|prisoner (?:exchange|swap)|agreed to (?:a )?"
        r"(?:ceasefire|truce|exchange))\b",
        _STR,
        "Agreement",
        0.75,
    ),
    (
        r"\b(?:loot\w*|plunder\w*|ransacked|demolished|razed|burned down|vandali[sz]ed)\b",
        _STR,
        "Looting/property destruction",
        0.7,
    ),
    (
        r"\b(?:withdrew from|withdrawn from|withdrawal from"
        r"|handed over (?:control|the town|the city)|pulled out of|retreated from)\b",
        _STR,
        "Non-violent transfer of territory",
        0.65,
    ),
    (
        r"\b(?:established|set up|opened) (?:a |an |its |their )?(?:new )?(?:military )?"
        r"(?:base|headquarters|outpost|camp)\b",
        _STR,
        "Headquarters or base established",
        0.65,
    ),
    (
        r"\b(?:deployed|deployment of|sent (?:some |about |around )?[\d,]*\s*(?:more )?"
        r"(?:troops|soldiers|forces)|soldiers sent|troops sent|(?:troops|soldiers) (?:were|are) "
        r"(?:now )?in\b|reinforcements|massing|mobili[sz]ed)",
        _STR,
        "Change to group/activity",
        0.6,
    ),
]
_COMPILED = [(re.compile(p, re.IGNORECASE), t, s, c) for p, t, s, c in _RULES]

_STATE_FORCES = re.compile(
    r"\b(?:government|army|troops|soldiers|military|armed forces|security forces|police)\b"
    r"(?!\s+(?:militia|rebels?))",
    re.IGNORECASE,
)
_NON_STATE = re.compile(
    r"\b(?:rebels?|insurgents?|militants?|jihadists?|militias?|militiamen|gunmen|armed groups?"
    r"|separatists?|guerrillas?|taliban|hamas|hezbollah|houthis?|al-shabaab|boko haram"
    r"|islamic state|isis|isil|m23|rapid support forces|rsf|wagner|paramilitar\w*)\b",
    re.IGNORECASE,
)

# weapons named without an attack ("missile supplies", "artillery shells were delivered")
_ATTACK = re.compile(
    r"\b(?:attack\w*|strikes?|struck|hit|hits|hitting|fired (?:at|on|into|toward)|fire on"
    r"|launched (?:at|against|on|toward)|pounded|pounding|bombard\w*|shelled|killed|killing"
    r"|kills|injured|injuring|wounded|wounding|damaged|damaging|destroyed|destroying|landed"
    r"|slammed|rained|targeted|targeting|exploded|explosions?|blasts?|casualties|dead)\b",
    re.IGNORECASE,
)
_NEEDS_ATTACK = {
    "Shelling/artillery/missile attack": re.compile(
        r"shell(?:ing|ed)|bombardment|barrage", re.IGNORECASE
    ),
    "Air/drone strike": re.compile(r"strike|raid|attack|struck|hit|bombed|slammed", re.IGNORECASE),
    "Remote explosive/landmine/IED": re.compile(r"explod|went off|bombing", re.IGNORECASE),
    "Suicide bomb": re.compile(r"bomb(?:ing|er)|attack", re.IGNORECASE),
}
# a device that went off: "seized two suicide vests" and "clearing landmines" are not attacks
_EXPLOSION = re.compile(
    r"\b(?:explod\w*|explosions?|detonat\w*|blasts?|went off|blew (?:himself|herself|themselves)"
    r"|killed|killing|kills|injur\w*|wound\w*|struck|hit|tore|ripped|stepped on|rammed|dead)\b",
    re.IGNORECASE,
)
_CONTEXT = {
    "Remote explosive/landmine/IED": _EXPLOSION,
    "Suicide bomb": _EXPLOSION,
}

# a violent death with no more specific trigger
_KILLING = re.compile(
    r"\b(?:killed|killing|kills|dead|died|wounded|injured|injuring|wounding)\b", re.IGNORECASE
)
_HEDGES = re.compile(
    r"\b(?:could not (?:confirm|corroborate|verify)|cannot (?:confirm|verify)|unconfirmed reports?"
    r"|reports of|denied|deny|denies|will|would|could|might|(?-i:may)|plans? to|planning to"
    r"|threaten\w* to|vow\w* to|warn\w* (?:of|that|against)|suspects? that|suspected (?:that|of)"
    r"|if|unless|expects?"
    r"|expected to|to be deployed|possible|potential|risk of|fears? of|aims? to|seeks? to"
    r"|ready to|prepared to|would-be|alleged plot|plot to|allegedly plann\w*|called for"
    r"|urged|demand\w*|propos\w*|intends? to|is to|are to|set to|scheduled)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class EventMatch:
    """The event a clause reports: ACLED type, sub-type and the trigger phrase."""

    event_type: str
    sub_event_type: str
    trigger: str
    start: int  # trigger offsets within the clause
    end: int
    confidence: float


_NEGATED = re.compile(r"\b(?:no|not|never|without|nor|neither)\s+(?:[\w-]+\s+){0,2}$", re.I)
# overall tolls and history are background, not an incident ("the war has killed …")
_BACKGROUND = re.compile(
    r"\b(?:war|conflict|insurgency|violence|crisis|uprising|fighting|campaign|unrest)\s+"
    r"(?:\w+\s+){0,3}?(?:has|have|had)\s+(?:\w+\s+)?$"
    r"|\b(?:since (?:it|the war|the conflict) (?:began|started|erupted))\b"
    r"|\baccus\w* (?:\w+ ){0,3}of (?:\w+ )?$|\b(?:trying|tried|attempt\w*) to\s+$",
    re.IGNORECASE,
)


def is_hedged(clause: str, trigger_start: int) -> bool:
    """True when the words before the trigger make it unreal: negated, future, hypothetical,
    or background ("the war has killed tens of thousands")."""
    window = clause[max(0, trigger_start - 80) : trigger_start]
    return bool(_HEDGES.search(window) or _NEGATED.search(window) or _BACKGROUND.search(window))


def classify_clause(clause: str, *, has_casualties: bool = False) -> EventMatch | None:
    """The most specific event trigger in ``clause``, or ``None``.

    Parameters
    ----------
    clause
        One clause or sentence.
    has_casualties
        Whether people were killed or injured in it: a killing with no other trigger is
        then an attack.
    """
    for pattern, etype, rule_sub, conf in _COMPILED:
        for m in pattern.finditer(clause):
            sub = rule_sub
            if sub in (_TAKES_GROUND, "Government regains territory"):
                # who took it: a non-state subject before the verb ("rebels captured …")
                before = clause[: m.start()]
                if _NON_STATE.search(before) and not _STATE_FORCES.search(before):
                    sub = "Non-state actor overtakes territory"
                elif sub == _TAKES_GROUND:
                    sub = "Armed clash"  # a state's forces taking ground from another state
            if is_hedged(clause, m.start()):
                continue
            needs = _NEEDS_ATTACK.get(sub)
            context = _CONTEXT.get(sub, _ATTACK)
            if needs is not None and not needs.search(m.group(0)) and not context.search(clause):
                continue  # "the delivery of ballistic missiles" is no attack
            return EventMatch(etype, sub, m.group(0), m.start(), m.end(), conf)
    if has_casualties:
        m = _KILLING.search(clause)
        if m and not is_hedged(clause, m.start()):
            return EventMatch(_VAC, "Attack", m.group(0), m.start(), m.end(), 0.5)
    return None
