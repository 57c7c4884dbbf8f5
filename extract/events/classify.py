"""Event typing: ACLED's 6 event types / 25 sub-event types, by the codebook's decision table.

A clause is read into parts — who acts, the act, the means, the target, the outcome — and the
first row of the decision table (``extract/events/codebook.tsv``, see
:mod:`extract.events.codebook`) that those parts satisfy gives its type: a missile test beats a
missile attack, an air attack beats a generic attack, demonstrators who fight the police riot.
Hedged or negated cues ("could not corroborate reports of clashes", "will vote", "threatened to
strike") and what follows a court case or a past event named in passing ("sentenced for last year's
attack") are not events; sports, disasters and accidents are not political violence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.events.actors import Actor, find_actors, sides
from extract.events.codebook import WHO_GROUPS, Cue, Frame, decide, has_event_cue, read_clause

__all__ = [
    "EventMatch",
    "classify_clause",
    "is_hedged",
    "protest_outcomes",
    "protest_type",
]


_HEDGES = re.compile(
    r"\b(?:could not (?:confirm|corroborate|verify)|cannot (?:confirm|verify)|unconfirmed reports?"
    r"|reports of|denied|deny|denies|will|would|could|might|(?-i:may)|plans? to|planning to"
    r"|threaten\w* to|vow\w* to|warn\w* (?:of|that|against)|suspects? that|suspected (?:that|of)"
    r"|if|unless|expects?"
    r"|expected to|to be deployed|risk of|fears? of|aims? to|seeks? to|failed to|fails? to"
    r"|ready to|prepared to|alleged plot|plot to|allegedly plann\w*|called for"
    r"|urged|demand(?:s|ed|ing)? (?:that|to)|calls? for|propos\w*|intends? to|is to|are to"
    r"|set to|scheduled|promis\w* to|pledg\w* to|offer\w* to|want\w* to|wish\w* to|hop\w* to"
    r"|order\w* (?:\w+ ){0,3}to|ask\w* (?:\w+ ){0,3}to|consider\w*|discuss\w*|agreed to)\b",
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
    #: the acts the clause reports (codebook cue values: "attack", "kill", "protest", …)
    acts: frozenset[str] = frozenset()
    #: whether an armed actor (state forces, police, rebels, militia, gunmen) acts in it
    armed: bool = False

    @property
    def casualty_report(self) -> bool:
        """Only that people were killed or hurt, with no act or perpetrator of its own ("two
        civilians were killed"): it belongs to the event reported beside it."""
        return bool(self.acts) and self.acts <= _HARMS and not self.armed


_NEGATED = re.compile(
    r"\b(?:no|not|never|without|nor|neither|nobody|no\s+one|no-one|none)\s+(?:[\w-]+\s+){0,2}$",
    re.I,
)
# overall tolls and history are background, not an incident ("the war has killed …")
_BACKGROUND = re.compile(
    r"\b(?:war|conflict|insurgency|violence|crisis|uprising|fighting|campaign|unrest)\s+"
    r"(?:\w+\s+){0,3}?(?:has|have|had)\s+(?:\w+\s+)?$"
    r"|\b(?:since (?:it|the war|the conflict) (?:began|started|erupted))\b"
    r"|\baccus\w* (?:\w+ ){0,3}of (?:\w+ )?$",
    re.IGNORECASE,
)
_ATTEMPT = re.compile(r"\b(?:trying|tried|attempt\w*) to\s+$", re.IGNORECASE)


# an adjective that makes only its own noun phrase unreal ("possible air strikes"), unlike a
# modal that makes the rest of the clause so ("will strike")
_UNREAL_NOUN = re.compile(
    r"\b(?:possible|potential|would-be|planned|feared|rumou?red)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
# a hedge does not reach across a clause boundary: "demands that X resign as police fired tear
# gas" — the tear gas is real
_BOUNDARY = re.compile(r".*(?:[;—–]|\b(?:as|while|when|whereas|but)\s)", re.IGNORECASE | re.S)


def is_hedged(clause: str, trigger_start: int, *, attempts: bool = True) -> bool:
    """True when the words before the trigger make it unreal: negated, future, hypothetical,
    or background ("the war has killed tens of thousands"); with ``attempts``, also an
    attempt ("tried to storm")."""
    window = clause[max(0, trigger_start - 80) : trigger_start]
    cut = _BOUNDARY.match(window)
    if cut is not None:
        window = window[cut.end() :]
    return bool(
        _HEDGES.search(window)
        or _NEGATED.search(window)
        or _BACKGROUND.search(window)
        or _UNREAL_NOUN.search(window)
        or (attempts and _ATTEMPT.search(window))
    )


def classify_clause(
    clause: str,
    *,
    has_casualties: bool = False,
    killed: bool | None = None,
    injured: bool | None = None,
    context: str | None = None,
    actors: list[Actor] | None = None,
) -> EventMatch | None:
    """The event ``clause`` reports, typed by the codebook's decision table, or ``None``.

    The clause is read into parts (:func:`extract.events.codebook.read_clause`): cue phrases for the
    act, means, target and outcome — each dropped when hedged, negated, future or background
    (:func:`is_hedged`) — and who acts and who is acted upon (:mod:`extract.events.actors`). The
    first row of ``extract/events/codebook.tsv`` those parts satisfy gives the type.

    Parameters
    ----------
    clause
        One clause or sentence.
    has_casualties
        Whether people were killed or injured in it (when ``killed``/``injured`` are not given).
    killed, injured
        Whether the clause reports people killed / injured (e.g. from
        :func:`extract.events.casualties.parse_casualties`).
    context
        The text around the clause (its sentence, perhaps the next one): protest outcomes
        (tear gas, arrests, stone throwing, deaths) and "without a fight" are read there too.
    actors
        :func:`extract.events.actors.find_actors` of ``clause``, when already known.
    """
    if not clause or not has_event_cue(clause):
        return None
    if killed is None and injured is None:
        killed = injured = has_casualties
    frame = _frame(
        clause, actors=actors, killed=bool(killed), injured=bool(injured), context=context
    )
    acts = frame.values("act")
    # "gunmen killed a professor": a killing says someone died, whatever the count says
    frame.killed = frame.killed or "kill" in acts
    frame.injured = frame.injured or "injure" in acts
    if not acts and not frame.values("means"):
        return None
    if context and acts & _READS_CONTEXT:
        extra = read_clause(
            context, keep=lambda c: c.slot in ("outcome", "context") and _real(context, c)
        )
        _cut_background(extra)
        frame.cues.extend(c for c in extra.cues if c.value in _CONTEXT_OUTCOMES)
    if _no_event_of_its_own(frame):
        return None
    found = decide(frame)
    if found is None:
        return None
    rule, cue = found
    return EventMatch(
        rule.event_type,
        rule.sub_event_type,
        cue.text,
        cue.start,
        cue.end,
        rule.confidence,
        acts=frozenset(acts),
        armed=bool(frame.who & WHO_GROUPS["armed"]),
    )


def protest_outcomes(sentence: str) -> set[str]:
    """What a sentence says happened to or at a protest: ``dispersed``, ``arrested``,
    ``crowd_violence``, ``damage``, ``live_fire`` (hedged cues left out)."""
    frame = read_clause(sentence, keep=lambda c: c.slot in ("outcome", "context"))
    _cut_background(frame)
    return {
        c.value
        for c in frame.cues
        if c.slot == "outcome" and c.value in _CONTEXT_OUTCOMES and _real(sentence, c)
    }


def protest_type(outcomes: set[str], *, killed: bool = False) -> tuple[str, str]:
    """(event type, sub-event type) of a protest with these outcomes, by the decision table."""
    frame = Frame(
        cues=[Cue("act", "protest", 0, 0, "")]
        + [Cue("outcome", o, 0, 0, "") for o in sorted(outcomes)],
        killed=killed,
    )
    found = decide(frame)
    if found is None:  # the table always types a protest; keep it one if it is edited away
        return "Protests", "Peaceful protest"
    return found[0].event_type, found[0].sub_event_type


# acts whose sub-type depends on what happened around them, and the outcomes read there
_READS_CONTEXT = {"protest", "riot", "take", "regain", "withdraw", "arrest"}
_CONTEXT_OUTCOMES = {
    "dispersed",
    "arrested",
    "crowd_violence",
    "damage",
    "no_fighting",
    "live_fire",
    "disappeared",
}
_LEGAL_OR_BACKGROUND = {"legal", "background", "denial"}
_MARCH = re.compile(r"march", re.IGNORECASE)
_MARCHING_ARMED = {"state_forces", "rebels", "political", "unknown"}
_HARMS = frozenset({"kill", "injure", "death"})


def _real(clause: str, cue: Cue) -> bool:
    """A cue that reports something that happened: not hedged, negated or in the future. An
    attempted protest is a protest ("detained 23 people attempting to march")."""
    return not is_hedged(clause, cue.start, attempts=cue.value != "protest")


def _frame(
    clause: str,
    *,
    actors: list[Actor] | None,
    killed: bool,
    injured: bool,
    context: str | None = None,
) -> Frame:
    if actors is None:
        actors = find_actors(clause)
    first, targets, _ = sides(clause, actors)
    titled = _titled(clause)
    frame = read_clause(
        clause,
        keep=lambda c: (
            c.slot == "context" or (_real(clause, c) and (titled or not _in_name(clause, c)))
        ),
        who=[a.kind for a in first],
        acted_upon=[a.kind for a in targets],
        killed=killed,
        injured=injured,
    )
    _cut_background(frame)
    _drop_subject_targets(clause, frame)
    # an army that "marched" into a town is not a protest march (police don't march in)
    marching = [c for c in frame.cues if c.slot == "act" and c.value == "protest"]
    marching = [c for c in marching if _MARCH.match(c.text)]
    if marching:
        crowd = {"protesters", "rioters", "civilians"}
        kinds = {a.kind for a in (find_actors(context) if context else actors)}
        troops = [a for a in actors if a.kind in _MARCHING_ARMED]
        if not kinds & crowd and any(a.end <= marching[0].start for a in troops):
            frame.cues = [c for c in frame.cues if c not in marching]
    # "detained activists before the president's rally", "arrest people who join the
    # demonstrations": an arrest whose protest is only named after it is an arrest
    arrest, protest = frame.first("act", {"arrest"}), frame.first("act", {"protest"})
    if arrest is not None and protest is not None and arrest.start < protest.start:
        between = clause[arrest.end : protest.start]
        if _ARREST_REASON.search(between):
            frame.cues = [c for c in frame.cues if not (c.slot == "act" and c.value == "protest")]
    # a crowd that kills or attacks is violent itself
    if frame.who & WHO_GROUPS["crowd"] and frame.values("act") & {"attack", "kill", "injure"}:
        cue = frame.first("act", {"attack", "kill", "injure"})
        if cue is not None:
            frame.cues.append(Cue("outcome", "crowd_violence", cue.start, cue.end, cue.text))
    return frame


_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _titled(clause: str) -> bool:
    """All caps or Title Case (a headline): capitals say nothing about names there."""
    words = _WORD.findall(clause)
    if not words:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) > 0.6


def _in_name(clause: str, cue: Cue) -> bool:
    """A capitalised act word inside running text is part of a name ("National Liberation
    Army", "Popular Resistance Committees"), not an act."""
    if cue.slot != "act" or not cue.text[:1].isupper():
        return False
    return bool(clause[: cue.start].strip(" \t\n\"'“‘([-–—:"))


# what makes a protest named after an arrest the arrest's reason, not its scene: "detained
# activists before the president's rally", "arrested for organising a protest"
_ARREST_REASON = re.compile(
    r"\b(?:before|after|ahead\s+of|for|over|in\s+connection\s+with|related\s+to|linked\s+to"
    r"|to\s+prevent|in\s+anticipation\s+of|who\s+organi[sz]e|organi[sz]ing|participat\w*"
    r"|taking\s+part|led|leading|called|calling)\b",
    re.IGNORECASE,
)


def _cut_background(frame: Frame) -> None:
    """A court case or a past event named in passing: what follows it, up to the next comma,
    is not a new event ("sentenced for last year's attack", "Days before the anniversary of
    the revolution, police arrested …")."""
    spans = [
        (c.start, c.stop)
        for c in frame.cues
        if c.slot == "context" and c.value in _LEGAL_OR_BACKGROUND
    ]
    if spans:
        frame.cues = [
            c
            for c in frame.cues
            if c.slot == "context" or not any(a <= c.start < b for a, b in spans)
        ]


_MAIN_ACTS = {"attack", "kill", "injure", "clash", "explode", "abduct", "raid", "take", "regain"}
_PASSIVE_BEFORE = re.compile(
    r"(?:\b(?:was|were|been|being|is|are|got|get)\s+(?:\w+ly\s+)?|\bunder\s+(?:\w+\s+){0,2})$",
    re.IGNORECASE,
)


def _drop_subject_targets(clause: str, frame: Frame) -> None:
    """Target words before the act are its subject ("Gunmen shot five villagers"), unless the
    clause is passive ("Two soldiers were killed", "the village came under fire")."""
    act = frame.first("act", _MAIN_ACTS) or frame.first("act")
    if act is None:
        return
    if _PASSIVE_BEFORE.search(clause, 0, act.start) or act.text.lower().startswith(
        ("came", "come", "under")
    ):
        return
    frame.cues = [c for c in frame.cues if not (c.slot == "target" and c.end <= act.start)]


def _no_event_of_its_own(frame: Frame) -> bool:
    """Sports, disasters and accidents: deaths and "attacks" that are not political violence."""
    contexts = frame.values("context")
    if not contexts & {"sports", "disaster", "figurative"}:
        return False
    means = frame.values("means") - {"fire"}
    armed = bool(frame.who & WHO_GROUPS["armed"])
    if contexts & {"sports", "figurative"} and not means and not armed:
        return True
    acts = frame.values("act")
    if "disaster" in contexts and not means and not armed:
        return acts <= _HARMS | {"explode", "destroy", "attack"}
    return False
