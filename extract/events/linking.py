"""How the clauses and sentences of an article report one event, and which they don't.

News tells one event in pieces: "Russian forces shelled X. Two civilians were killed.",
"Students marched in Dhaka. Police fired tear gas to disperse them.", "The attack was the
third this week", "captured the town after weeks of fighting". These rules tie the pieces to
the event they belong to instead of making more incidents of them, leave out past events named
in passing, date undated events to the publication week, and merge what remains that reports
the same event (:func:`merge_within`). Used by :mod:`extract.events.incidents`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from extract.events.casualties import parse_casualties
from extract.events.classify import EventMatch, protest_outcomes, protest_type
from extract.events.timex import DateSpan
from geodata.records import Place

if TYPE_CHECKING:
    from geodata.records import Incident

__all__ = [
    "BACK_REFERENCE",
    "attach_figures",
    "is_attributive",
    "is_background",
    "main_events",
    "merge_within",
    "protest_follow_up",
    "publication_week",
]

BACK_REFERENCE = re.compile(
    r"^\W*(?:the|this|that|these|those|its|their|the latest|the latest such|such)\s+"
    r"(?:(?!(?:was|were|is|are|has|have|had|been|being)\b)[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_SUBORDINATE = re.compile(r"^\W*(?:after|following|as|when|while|whereas)\b", re.IGNORECASE)
_BEFORE = re.compile(r"^\W*(?:after|following)\b", re.IGNORECASE)
_TERRITORY = {
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Non-violent transfer of territory",
}


def main_events(
    events: list[tuple[Any, EventMatch]], *, sentence_places: Sequence[int] = ()
) -> list[tuple[Any, EventMatch]]:
    """Drop what a subordinate clause adds to the sentence's main event: "M23 took the town
    after government troops withdrew" is one event, and so is "captured the town after weeks
    of fighting"; "students gathered in Dhaka; police fired tear gas and detained 15" is one
    protest (its sub-type already reads the whole sentence)."""
    if len(events) < 2:
        return events
    protests = [e for e in events if e[1].event_type in _PROTESTS and "protest" in e[1].acts]
    if protests and len(sentence_places) <= 1:
        events = [e for e in events if e in protests or e[1].sub_event_type not in _ABSORBED]
        if len(events) < 2:
            return events
    main = [e for e in events if not _SUBORDINATE.match(e[0].text)]
    if not main:
        return events
    main_subs = {m.sub_event_type for _, m in main}
    main_event = any(not m.casualty_report for _, m in main)
    out = []
    for clause, match in events:
        if (clause, match) in main or not _SUBORDINATE.match(clause.text):
            out.append((clause, match))
            continue
        background = (
            match.event_type == "Strategic developments"
            or (match.sub_event_type in ("Armed clash", *_TERRITORY) and main_subs & _TERRITORY)
            # "properties were looted after fighting on 16 October": the cause told in passing
            or (main_event and _BEFORE.match(clause.text) is not None)
        )
        if not background:
            out.append((clause, match))
    return out


_PROTESTS = ("Protests", "Riots")
_ABSORBED = {  # what a protest's follow-up sentence may report about the same protest
    "Arrests",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
    "Peaceful protest",
    "Attack",
    "Armed clash",
    "Looting/property destruction",
}


def protest_follow_up(
    sentence: str,
    recent: list[Incident],
    events: list[tuple[Any, EventMatch]],
    *,
    own: set[str],
    place_of: Callable[[int], Place],
) -> list[tuple[Any, EventMatch]]:
    """ "Students marched in Dhaka. Police fired tear gas to disperse them.": the second
    sentence tells what happened at the protest, so the protest's sub-type is upgraded
    (ACLED's protest with intervention, excessive force or violent demonstration) and the
    sentence adds no incident of its own, unless it names another place."""
    protests = [i for i in recent if i.event_type in _PROTESTS]
    if not protests:
        return events
    if any(m.event_type in _PROTESTS and "protest" in m.acts for _, m in events):
        return events  # a protest of its own
    if any(m.sub_event_type not in _ABSORBED for _, m in events):
        return events
    at = {place_of(i.place_index).entry_id for i in protests if i.place_index is not None}
    if own and not own & at:
        return events  # "In Kisumu, police dispersed …": another place, another protest
    outcomes = protest_outcomes(sentence)
    cas = parse_casualties(sentence)
    if cas.total:
        outcomes.discard("live_fire")  # deaths across the country are not this protest's
    if not outcomes and not cas.fatalities and not events:
        return events
    for inc in protests:
        rank = _PROTEST_RANK.get(inc.sub_event_type, 0)
        now = set(outcomes)
        etype, sub = protest_type(now, killed=bool(cas.fatalities) and not cas.total)
        if _PROTEST_RANK.get(sub, 0) > rank:
            inc.event_type, inc.sub_event_type = etype, sub
        if cas.total:
            continue  # a country-wide toll is not this protest's
        if cas.fatalities is not None and inc.fatalities is None:
            inc.fatalities = cas.fatalities
        if cas.injured is not None and inc.injured is None:
            inc.injured = cas.injured
    return []


# how much a sub-type says about a protest: a follow-up only ever adds to it
_PROTEST_RANK = {
    "Peaceful protest": 1,
    "Protest with intervention": 2,
    "Excessive force against protesters": 3,
    "Violent demonstration": 4,
    "Mob violence": 4,
}


def attach_figures(targets: list[Incident], cas: Any) -> bool:
    """Give casualty figures to the incident they belong to (the first without figures)."""
    if cas is None or (cas.fatalities is None and cas.injured is None) or cas.total:
        return False  # a country-wide or cumulative toll belongs to no one event
    nobody = not cas.fatalities and not cas.injured  # "No casualties were reported."
    for inc in targets:
        if inc.event_type not in _VIOLENT and not nobody:
            continue  # an arrest or an agreement has no dead of its own
        if inc.fatalities is None and inc.injured is None:
            dead = 0 if cas.fatalities is None and cas.injured == 0 else cas.fatalities
            inc.fatalities, inc.injured = dead, cas.injured
            return True
    return False


_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}


def is_background(span: DateSpan, published: date | str | None) -> bool:
    """A year-level date well before publication, or a month more than half a year before it:
    a past event named in passing ("in 2019", "last year", "a coup in February 2021"), not a
    new incident."""
    limit = {"year": 45, "month": 180}.get(span.precision)
    if limit is None or span.end is None or published is None:
        return False
    pub = published if isinstance(published, date) else _iso(str(published))
    end = _iso(span.end)
    if pub is None or end is None:
        return False
    return (pub - end).days > limit


def is_attributive(clause: Any, match: EventMatch, span: DateSpan) -> bool:
    """ "last year's deadly protests", "the 2022 invasion": the event is the past one the date
    names, not a new one."""
    if not span.attributive or not span.text:
        return False
    at = clause.text.find(span.text)
    return 0 <= at and 0 <= match.start - (at + len(span.text)) <= 25


def publication_week(published: date | str) -> DateSpan:
    """An event the article reports without a date: the week up to publication (ACLED's time
    precision 2), never a guessed day."""
    pub = published if isinstance(published, date) else _iso(str(published))
    if pub is None:
        return DateSpan(None, "unknown", None, None, None, None)
    first = pub - timedelta(days=6) if pub.toordinal() > 6 else date.min
    return DateSpan(pub.isoformat(), "week", first.isoformat(), pub.isoformat(), None, 2)


def _iso(s: str) -> date | None:
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        return None


def merge_within(incidents: list[Incident], *, named: set[int] = frozenset()) -> list[Incident]:
    """Reports of one event within an article: same type, compatible places and dates. A
    country- or region-level report folds into a more specific one inside it, whatever the
    order of the sentences. ``named`` holds the ids of incidents at a name the gazetteer lacks:
    sharing their area's point does not make them the same place."""
    from extract.events.dedup import fold_into

    order = sorted(range(len(incidents)), key=lambda k: (_level(incidents[k]), k))
    merged: list[tuple[int, Incident]] = []
    for k in order:
        inc = incidents[k]
        for _, other in merged:
            if _same_event(other, inc, named=named):
                fold_into(other, inc)
                break
        else:
            merged.append((k, inc))
    return [inc for _, inc in sorted(merged, key=lambda t: t[0])]


def _level(inc: Incident) -> int:
    """0 = a town or district, 1 = an admin-1 area or region, 2 = a country."""
    if (inc.geo_precision or 3) < 3:
        return 0
    return 1 if inc.admin1 else 2


def _same_event(a: Incident, b: Incident, *, named: set[int] = frozenset()) -> bool:
    if a.event_type != b.event_type or a.sub_event_type != b.sub_event_type:
        return False
    if a.country != b.country or not _dates_overlap(a, b):
        return False
    if (id(a) in named or id(b) in named) and a.location != b.location:
        return False  # "Kvitlohirka" placed at Odesa's point is not Odesa
    if (a.lat, a.lon) == (b.lat, b.lon):
        return True
    la, lb = _level(a), _level(b)
    if la == lb:
        return False
    fine, coarse = (a, b) if la < lb else (b, a)
    if id(coarse) in named:
        return False  # a village placed at its province is not a report about the province
    return _level(coarse) == 2 or coarse.admin1 == fine.admin1


def _dates_overlap(a: Incident, b: Incident) -> bool:
    if a.date_precision == "unknown" or b.date_precision == "unknown":
        return True
    a0, a1 = a.date_start or a.date, a.date_end or a.date
    b0, b1 = b.date_start or b.date, b.date_end or b.date
    if None in (a0, a1, b0, b1):
        return True
    return a0 <= b1 and b0 <= a1
