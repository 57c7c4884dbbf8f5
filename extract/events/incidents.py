"""Incidents: what happened where and when, one record per event per location (ACLED-style).

Sentences are split into clauses; a clause with an event trigger (see
:mod:`extract.events.classify`) becomes an incident at the most specific literal place tied to it,
dated against the publication date (:mod:`extract.events.timex`), with casualties
(:mod:`extract.events.casualties`) and actors (:mod:`extract.events.actors`). Reports of the same
event within one article are merged.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from extract.events.actors import find_actors, pair_actors
from extract.events.casualties import parse_casualties
from extract.events.classify import EventMatch, classify_clause
from extract.events.clauses import Clause, combined_casualties, sentences, split_clauses
from extract.events.codebook import has_event_cue
from extract.events.linking import (
    BACK_REFERENCE,
    attach_figures,
    is_attributive,
    is_background,
    main_events,
    merge_within,
    protest_follow_up,
    publication_week,
)
from extract.events.localities import anchor_place, find_localities
from extract.events.placement import (
    SPECIFICITY,
    associative_country,
    choose_locations,
    country_place,
    focus_country,
    geo_precision,
    in_organisation,
)
from extract.events.timex import DateSpan, reference_date, resolve_sentence_date
from geodata.records import Gazetteer, Incident, Place

__all__ = ["extract_incidents", "incidents_at_trigger"]

logger = logging.getLogger(__name__)

_REFERS_BACK = re.compile(r"\s*(?:where|there|in which|whereupon)\b", re.IGNORECASE)
_ANAPHORA = re.compile(
    r"\b(?:the (?:city|town|village|region|area|province|district|port|capital|site)|there"
    r"|nearby|locally)\b",
    re.IGNORECASE,
)


def _may_report_event(sentence: str) -> bool:
    """A cheap first look: does the sentence hold any act or means cue of the codebook?"""
    return has_event_cue(sentence)


def extract_incidents(
    text: str,
    places: list[Place],
    *,
    published: date | str | None,
    gazetteer: Gazetteer,
    article_id: str = "",
    add_places: bool = True,
) -> list[Incident]:
    """Incidents reported in ``text``, each tied to one of ``places`` (by ``place_index``).

    Parameters
    ----------
    text
        The article.
    places
        Its resolved place mentions (from :func:`extract.geoparse.resolve.resolve`), in text order.
        A place name the gazetteer lacks that an incident is placed at ("the village of X") is
        inserted into this list (kind ``"unknown"``, precision ``"area"``, at the point of the
        area the text states for it), keeping text order.
    published
        Publication date; relative dates are of unknown precision without it.
    gazetteer
        Used to place an event at the country of an associative mention ("Pyongyang fires
        missiles" → North Korea) or at the article's one country when the clause names no
        place, and to tell place names from common words.
    article_id
        Prefix of the incident ids and the source of each incident.
    add_places
        Whether names the gazetteer lacks may join ``places``; off when the places are given
        spans (resolution-only mode), which must stay exactly those.
    """
    state = _Article(text, places, published, gazetteer, article_id, add_places=add_places)
    dateline = _DATELINE.match(text)
    state.dateline_end = dateline.end() if dateline else 0
    if published is None:
        # a coder's note: "On 5 November 2024, … . Two civilians were killed."
        state.reference = reference_date(text)
    for no, (s_start, s_end) in enumerate(sentences(text)):
        _read_sentence(state, no, s_start, s_end)
    named = {  # incidents at a name the gazetteer lacks, whose point is only its area's
        id(inc)
        for inc in state.found
        if inc.place_index is not None and state.place(inc.place_index).kind == "locality"
    }
    found = merge_within(state.found, named=named)
    _insert_extra_places(places, state.extra, found)
    for k, inc in enumerate(found):
        inc.id = _incident_id(article_id, inc, k)
    return found


def incidents_at_trigger(
    text: str,
    places: list[Place],
    start: int,
    end: int,
    *,
    gazetteer: Gazetteer,
    published: date | str | None = None,
    default_event: tuple[str, str, float] = ("Violence against civilians", "Attack", 0.5),
) -> list[Incident]:
    """The incidents of the event whose trigger is ``text[start:end]``, placed as
    :func:`extract_incidents` places them (the location chooser and its fallbacks), ``text``
    read as one sentence with one event and no earlier sentences.

    The clause that holds the trigger (else the nearest) is typed by the codebook, or as
    ``default_event`` (type, sub-type, confidence) when no row matches. Used to measure the
    location choice alone against gold triggers (``bench/event_location.py``).
    """
    clauses = split_clauses(text, 0, len(text), 0)
    if not clauses:
        return []
    for c in clauses:
        c.cas = parse_casualties(c.text)
    clause = next((c for c in clauses if c.start <= start < c.start + len(c.text)), None) or min(
        clauses, key=lambda c: abs(c.start - start)
    )
    found = classify_clause(clause.text)
    etype, sub, conf = (
        (found.event_type, found.sub_event_type, found.confidence) if found else default_event
    )
    t0 = min(max(0, start - clause.start), len(clause.text))
    t1 = min(max(t0, end - clause.start), len(clause.text))
    match = EventMatch(etype, sub, text[start:end], t0, t1, conf)
    return _incidents_for(
        text,
        clause,
        match,
        places,
        list(range(len(places))),
        None,
        dspan=resolve_sentence_date(clause.text, published=published),
        sentence_cas=parse_casualties(text),
        gazetteer=gazetteer,
        n_events=1,
        article_id="",
    )


@dataclass(slots=True)
class _Article:
    """What reading an article carries from one sentence to the next."""

    text: str
    places: list[Place]
    published: date | str | None
    gazetteer: Any
    article_id: str
    found: list[Incident] = field(default_factory=list)
    extra: list[Place] = field(default_factory=list)  # names the gazetteer lacks
    prev_place: int | None = None
    prev_sentence: int = -2
    prev_span: DateSpan | None = None
    prev_span_sentence: int = -9
    seen: set[str] = field(default_factory=set)
    last: list[Incident] = field(default_factory=list)  # the last event sentence's incidents
    last_sentence: int = -9
    add_places: bool = True
    dateline_end: int = 0  # where a wire dateline ("KYIV, Nov 5 (Reuters) -") ends
    reference: DateSpan | None = None  # the date a report without publication date opens with
    event_sentences: int = 0
    _focus: Any = None
    _focus_done: bool = False

    def place(self, idx: int) -> Place:
        n = len(self.places)
        return self.places[idx] if idx < n else self.extra[idx - n]

    def focus(self) -> Place | None:
        """The article's one country (computed once), or ``None``."""
        if not self._focus_done:
            self._focus_done = True
            if self.gazetteer is not None:
                self._focus = focus_country(self.places, self.gazetteer)
        return self._focus


def _read_sentence(state: _Article, no: int, s_start: int, s_end: int) -> None:
    text, places = state.text, state.places
    sentence = text[s_start:s_end]
    norm = " ".join(sentence.split())
    if not norm or norm in state.seen:  # repeated captions
        return
    state.seen.add(norm)
    sent_places = [i for i, p in enumerate(places) if s_start <= p.start < s_end]
    literal = [i for i in sent_places if places[i].role == "literal" and places[i].lat is not None]
    if literal:
        # the sentence's most specific place ("Yekaterinburg (…, Sverdlovsk)" is the city),
        # not the dateline's ("PESHAWAR, Nov 25 (Reuters) - Rival tribes in Kurram …")
        body = [i for i in literal if places[i].start >= state.dateline_end] or literal
        carried = max(body, key=lambda i: (SPECIFICITY.get(places[i].kind, 0), places[i].start))
    else:
        carried = state.prev_place if no - state.prev_sentence <= 2 else None
    recent = [i for i in state.last if no - state.last_sentence <= 2]
    if not _may_report_event(sentence):
        if recent:
            protest_follow_up(
                sentence, recent, [], own=_entries(state, literal), place_of=state.place
            )
        if literal:
            state.prev_place, state.prev_sentence = literal[-1], no
        return
    clauses = split_clauses(text, s_start, s_end, no)
    events: list[tuple[Clause, EventMatch]] = []
    for clause in clauses:
        clause.cas = cas = parse_casualties(clause.text)
        match = classify_clause(
            clause.text,
            killed=bool(cas.fatalities),
            injured=bool(cas.injured),
            context=sentence,
        )
        if match is not None:
            events.append((clause, match))
    sentence_cas = combined_casualties(clauses)
    specific = [e for e in events if e[1].confidence > 0.5]
    if specific:
        events = specific
    events = main_events(events, sentence_places=literal)
    if state.last and no - state.last_sentence <= 3:
        # "The capture gives the group …", "The attack was the third this week": the event
        # already reported, named again
        back = [e for e in events if BACK_REFERENCE.match(e[0].text[: e[1].start])]
        for clause, _ in back:
            attach_figures(state.last, clause.cas)
        events = [e for e in events if e not in back]
    if recent:
        events = protest_follow_up(
            sentence, recent, events, own=_entries(state, literal), place_of=state.place
        )
    new: list[Incident] = []
    reports = [e for e in events if e[1].casualty_report]
    events = [e for e in events if not e[1].casualty_report]
    if reports and not events and recent and attach_figures(recent, reports[0][0].cas):
        reports = []  # "Russian forces shelled X. Two civilians were killed."
    if not events and not reports:
        if recent:
            attach_figures(recent, sentence_cas)  # "… No casualties were reported."
        if literal:
            state.prev_place, state.prev_sentence = carried, no
        return
    # a date in a clause without an event of its own ("… on Tuesday when a missile hit …")
    # applies to the sentence's events; a date inside another event's clause does not
    # (a clause that only reports the dead belongs to the event: "six were killed on Tuesday
    # when a missile hit …")
    event_clauses = {id(c) for c, _ in events}
    rest = " … ".join(c.text for c in clauses if id(c) not in event_clauses)
    published = state.published
    sentence_date = resolve_sentence_date(rest, published=published)
    if (
        sentence_date.text is None
        and state.prev_span is not None
        and no - state.prev_span_sentence <= 2
    ):
        # "… tear gas on Tuesday. In Kitengela, police opened fire …": same day
        sentence_date = state.prev_span
    if sentence_date.text is None and state.reference is not None:
        sentence_date = state.reference
    for clause, match in events + reports:
        span = resolve_sentence_date(clause.text, published=published, default=sentence_date)
        if is_background(span, published) or is_attributive(clause, match, span):
            continue  # "since last year, when protesters stormed parliament"
        if (span.text is not None or span is state.prev_span) and span.precision != "year":
            # the next sentences may share this day; a past year named in passing they may not
            state.prev_span, state.prev_span_sentence = span, no
        if span.date is None and published is not None:
            span = publication_week(published)
        made = _incidents_for(
            text,
            clause,
            match,
            places,
            sent_places,
            carried,
            dspan=span,
            sentence_cas=sentence_cas,
            gazetteer=state.gazetteer,
            n_events=len(events) or len(reports),  # a casualty report is part of the event
            article_id=state.article_id,
            state=state,
        )
        if reports and (clause, match) in reports and new:
            attach_figures(new, clause.cas)  # its figures go to the sentence's other event
            continue
        new.extend(made)
        placed = [i.place_index for i in made if i.place_index is not None]
        if placed and placed[0] < len(places):
            carried = placed[0]  # "… in the X district of Baghdad, when a bomber struck …"
    if new:
        lead = min(state.event_sentences, 5)
        for inc in new:  # the lead states the main event; later sentences add background
            inc.confidence = round(max(0.05, inc.confidence - 0.05 * lead), 2)
        state.event_sentences += 1
        state.found.extend(new)
        state.last, state.last_sentence = new, no
    if carried is not None and (literal or new):
        state.prev_place, state.prev_sentence = carried, no


# a wire dateline: place and date, maybe a source in brackets, then a dash
_DATELINE = re.compile(r"\s*[^\n]{1,80}?(?:\([^()\n]{1,40}\))?\s+(?:-{1,2}|–|—)\s")


def _entries(state: _Article, indices: list[int]) -> set[str]:
    """The gazetteer entries of these places (the names an event sentence is set at)."""
    return {e for i in indices if (e := state.place(i).entry_id) is not None}


def _insert_extra_places(places: list[Place], extra: list[Place], found: list[Incident]) -> None:
    """Insert the names the gazetteer lacks into ``places`` in text order, renumbering the
    incidents' ``place_index``."""
    if not extra:
        return
    n = len(places)
    merged = sorted(range(n + len(extra)), key=lambda k: (places + extra)[k].start)
    new_index = {old: new for new, old in enumerate(merged)}
    everything = places + extra
    places[:] = [everything[k] for k in merged]
    for inc in found:
        if inc.place_index is not None:
            inc.place_index = new_index[inc.place_index]


def _incidents_for(
    text: str,
    clause: Clause,
    match: EventMatch,
    places: list[Place],
    sent_places: list[int],
    carried: int | None,
    *,
    dspan: DateSpan,
    sentence_cas,
    gazetteer: Gazetteer,
    n_events: int,
    article_id: str,
    state: _Article | None = None,
) -> list[Incident]:
    """The incident records of one event clause: one per place it happened at."""
    if dspan.future:
        return []
    c_start, c_end = clause.start, clause.start + len(clause.text)
    trigger_pos = c_start + match.start
    in_clause = [i for i in sent_places if c_start <= places[i].start < c_end]
    literal = [i for i in in_clause if _locatable(text, places[i])]
    chosen = _between(
        text, places, choose_locations(text, literal, places, trigger_pos=trigger_pos)
    )
    geo_bump = 0
    fallback: tuple[Place, int] | None = None  # a place without an index yet, its precision
    sentence_literal = [i for i in sent_places if _locatable(text, places[i])]
    locality = _locality(text, clause, places, literal, trigger_pos, gazetteer, state, carried)
    if locality is not None:
        fallback, chosen = locality, []
    if not chosen and fallback is None and _REFERS_BACK.match(clause.text):
        # "… the Kursk border region of Russia – where Kyiv's forces seized …"
        before = [i for i in sentence_literal if places[i].start < c_start]
        chosen = choose_locations(text, before, places, trigger_pos=trigger_pos)
    if not chosen and fallback is None and gazetteer is not None:
        # "Pyongyang fires missiles": the acting government's country
        country = associative_country(
            text, places, in_clause, trigger_pos=trigger_pos, gazetteer=gazetteer
        )
        if country is not None:
            fallback = (country, 3)
    if not chosen and fallback is None and n_events == 1:
        # the sentence's place: "… were patrolling Busue village in Yala when they were
        # ambushed"
        whole = Clause(
            text[clause.sentence_start : clause.sentence_end],
            clause.sentence_start,
            clause.sentence_start,
            clause.sentence_end,
            clause.sentence_no,
        )
        fallback = _locality(
            text, whole, places, sentence_literal, trigger_pos, gazetteer, state, carried
        )
        if fallback is None:
            chosen = choose_locations(text, sentence_literal, places, trigger_pos=trigger_pos)
    if (
        not chosen
        and fallback is None
        and carried is not None
        and (_ANAPHORA.search(clause.text) or not in_clause)
    ):
        chosen = [carried]
        geo_bump = 1
    if not chosen and fallback is None:
        # the article's one country, at country precision; else the incident is kept without
        # a place (listed as such in the app), never put at a guessed town
        focus = state.focus() if state is not None else None
        if focus is not None:
            fallback = (focus, 3)
    cas = clause.cas
    if cas.fatalities is None and cas.injured is None and n_events == 1:
        cas = sentence_cas
    sentence = text[clause.sentence_start : clause.sentence_end]
    actor_text = clause.text
    actors = find_actors(actor_text)
    if not actors and n_events == 1:
        actor_text = sentence
        actors = find_actors(actor_text)
    actor1, actor2 = pair_actors(actor_text, actors, event_type=match.event_type)
    targets: list[tuple[int | None, Place | None, int | None]]
    if chosen:
        targets = [(i, places[i], None) for i in chosen]
    elif fallback is not None:
        place, precision = fallback
        idx = None
        if state is not None and place.kind == "locality":
            idx = _add_locality(state, place)
        targets = [(idx, place, precision)]
    else:
        targets = [(None, None, None)]
    if cas.total and (cas.fatalities or cas.injured) and gazetteer is not None:
        # a country-wide or cumulative toll is one country-level record, never put on a city
        first = next((p for _, p, _ in targets if p is not None and p.country), None)
        country = country_place(first, gazetteer) if first is not None else None
        targets = [(None, country, 3)] if country is not None else targets[:1]
    dead = cas.fatalities
    if dead is None and cas.injured == 0:
        dead = 0  # "No injuries were reported": nobody was hurt, so nobody died
    fatalities = _split(dead, len(targets))
    injured = _split(cas.injured, len(targets))
    if match.sub_event_type == "Suicide bomb" and fatalities[0] is not None:
        if not _ATTACKER_COUNTED.search(sentence):
            fatalities[0] += 1  # ACLED counts the attacker who died
    out = []
    by_country = {a.country: a.name for a in actors if a.country}
    for k, (idx, place, fixed) in enumerate(targets):
        own_actor1 = actor1
        if place is not None and len(targets) > 1 and place.country in by_country:
            own_actor1 = by_country[place.country]  # "Poland and Lithuania arrested …"
        if place is None or place.lat is None:
            precision, conf = None, match.confidence * 0.5
        elif fixed is not None:
            precision, conf = fixed, match.confidence * (0.9 if idx is not None else 0.7)
        else:
            precision = min(3, geo_precision(text, place) + geo_bump)
            conf = match.confidence * (1.0 if not geo_bump else 0.7)
        out.append(
            Incident(
                id="",
                event_type=match.event_type,
                sub_event_type=match.sub_event_type,
                date=dspan.date,
                date_precision=dspan.precision,
                date_start=dspan.start,
                date_end=dspan.end,
                place_index=idx,
                location=place.name if place is not None else None,
                lat=place.lat if place is not None else None,
                lon=place.lon if place is not None else None,
                geo_precision=precision,
                country=place.country if place is not None else None,
                admin1=place.admin1 if place is not None else None,
                actor1=own_actor1,
                actor2=actor2,
                fatalities=fatalities[k],
                injured=injured[k],
                sentence=sentence,
                start=clause.sentence_start,
                end=clause.sentence_end,
                confidence=round(conf, 2),
                trigger=match.trigger,
                time_precision=dspan.acled_precision,
                sources=[{"article_id": article_id, "sentence": sentence}],
            )
        )
    return out


def _add_locality(state: _Article, place: Place) -> int:
    """The index of a name the gazetteer lacks among the places: a mention of that span that
    could not be resolved takes the stated area's point; else the name joins the places."""
    for i, p in enumerate(state.places):
        if (p.start, p.end) == (place.start, place.end) and p.lat is None:
            p.lat, p.lon, p.country, p.admin1 = place.lat, place.lon, place.country, place.admin1
            p.precision = place.precision
            return i
    for k, p in enumerate(state.extra):
        if (p.start, p.end) == (place.start, place.end):
            return len(state.places) + k
    state.extra.append(place)
    return len(state.places) + len(state.extra) - 1


_ATTACKER_COUNTED = re.compile(
    r"\b(?:blew|blowing|killed|killing)\s+(?:him|her|them)sel(?:f|ves)"
    r"|\bincluding\s+(?:the\s+)?(?:suicide\s+)?(?:bomber|attacker)s?",
    re.IGNORECASE,
)
_COARSE = {"country", "adm1", "adm2", "region", "continent"}


_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)


def _between(text: str, places: list[Place], chosen: list[int]) -> list[int]:
    """ "between Naqoura and Tyre" names one event's stretch, not two events: the first."""
    if len(chosen) == 2 and _BETWEEN.search(
        text, max(0, places[chosen[0]].start - 30), places[chosen[0]].start
    ):
        return chosen[:1]
    return chosen


def _locatable(text: str, place: Place) -> bool:
    """A literal, resolved place that is not part of an organisation's name."""
    return place.role == "literal" and place.lat is not None and not in_organisation(text, place)


def _split(total: int | None, n: int) -> list[int | None]:
    """A toll reported for several places at once, shared out evenly (the remainder to the
    first), so that the map never shows the same dead twice."""
    if total is None:
        return [None] * n
    if n == 1:
        return [total]
    share, rest = divmod(total, n)
    return [share + (rest if k == 0 else 0) for k in range(n)]


def _locality(
    text: str,
    clause: Clause,
    places: list[Place],
    literal: list[int],
    trigger_pos: int,
    gazetteer: Gazetteer,
    state: _Article | None,
    carried: int | None = None,
) -> tuple[Place, int | None] | None:
    """A place name the gazetteer lacks that the clause sets the event in ("shelled
    Novoselivka, Kharkiv oblast", "in the Ghazi Qala area of Ghazni"), placed at the area the
    text states for it, when it ranks above the clause's resolved places (a village beats the
    province or the city it is "of" or "near"; "Reports from Damascus" is an origin)."""
    if gazetteer is None or (state is not None and not state.add_places):
        return None
    start, end = clause.start, clause.start + len(clause.text)
    found = find_localities(
        text,
        start,
        end,
        places,
        common_words=gazetteer.common_words,
        english_words=gazetteer.english_words,
        given_names=gazetteer.given_names,
    )
    if not found:
        return None
    focus = state.focus() if state is not None else None
    if not literal and carried is not None:
        focus = places[carried]  # "… attacked Kyiv. Debris injured two in the X district."
    # a building or site is the event's place only where the text names its town
    found = [loc for loc in found if not loc.facility or literal]
    anchored = [anchor_place(text, loc, literal, places, focus=focus) for loc in found]
    if literal:  # a name with no stated area cannot outrank a place the gazetteer knows
        anchored = [a for a in anchored if a[0].lat is not None]
    if not anchored:
        return None
    pool = places + [place for place, _ in anchored]
    # the area that qualifies a name ("Jibwhiwhui village of Hawul LGA") is not a rival to it
    qualifiers = {i for i in literal for p, _ in anchored if 0 <= places[i].start - p.end <= 40}
    candidates = [i for i in literal if i not in qualifiers] + list(range(len(places), len(pool)))
    best = choose_locations(text, candidates, pool, trigger_pos=trigger_pos)
    if not best or best[0] < len(places):
        return None
    return anchored[best[0] - len(places)]


def _incident_id(article_id: str, inc: Incident, k: int) -> str:
    raw = f"{article_id}|{inc.event_type}|{inc.sub_event_type}|{inc.location}|{inc.date}|{k}"
    return hashlib.sha1(raw.encode()).hexdigest()[:12]
