"""Incidents: what happened where and when, one record per event per location (ACLED-style).

Sentences are split into clauses; a clause with an event trigger (see :mod:`extract.events`)
becomes an incident at the most specific literal place tied to it, dated against the
publication date (:mod:`extract.timex`), with casualties (:mod:`extract.casualties`) and
actors (:mod:`extract.actors`). Reports of the same event within one article are merged.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from extract.actors import find_actors, pair_actors
from extract.article import Place
from extract.casualties import parse_casualties
from extract.events import EventMatch, classify_clause
from extract.recognize import sentence_bounds
from extract.resolve import SPEECH_VERBS
from extract.timex import DateSpan, resolve_sentence_date

__all__ = ["Incident", "extract_incidents"]

logger = logging.getLogger(__name__)

# clause boundaries: conjoined main clauses, dashes, semicolons, subordinators. A leading
# ``\s+`` only starts at the first space of a run, (?<!\s): otherwise a long run of spaces is
# rescanned from each of its positions (quadratic; 10,000 spaces took seconds). The leftmost
# match is the same, since a match inside a run also matches from the run's start.
_CLAUSE_SPLIT = re.compile(
    r";\s+|(?<!\s)\s+[–—]\s+|(?<!\s)\s+--\s+|,\s+(?:and|but|while|whereas|which|who)\s+"
    r"|(?<!\s)\s+(?:while|whereas)\s+"
    r"|,?(?<!such)(?<!well)(?<!known)(?<!same)(?<!\bso)(?<!\s)\s+as\s+(?!well\b|part\b"
    r"|a result\b|long\b|much\b|many\b|soon\b|far\b|if\b|though\b|of\b|such\b|usual\b"
    r"|before\b|ever\b|a\s+\w+\s+(?:of|for|to)\b)"
    r"|,?(?<!\s)\s+after\s+(?=(?:the|a|an|[A-Z]|\w+s\b))|,?(?<!\s)\s+when\s+"
)
_REFERS_BACK = re.compile(r"\s*(?:where|there|in which|whereupon)\b", re.IGNORECASE)
_ANAPHORA = re.compile(
    r"\b(?:the (?:city|town|village|region|area|province|district|port|capital|site)|there"
    r"|nearby|locally)\b",
    re.IGNORECASE,
)
_NEAR = re.compile(
    r"\b(?:near|outside|close to|on the outskirts of|around|north of|south of|east of|west of"
    r"|km from|kilomet(?:er|re)s? from|miles from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_LOCATIVE = re.compile(
    r"\b(?:in|at|on|into|across|inside|near|outside|of|over|around|toward|towards)"
    r"\s+(?:the\s+)?(?:(?:city|town|village|region|province|district|port) of\s+)?"
    r"(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)
_ORIGIN = re.compile(r"\bfrom\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$", re.IGNORECASE)
_SPECIFICITY = {
    "district": 5,
    "city": 4,
    "adm2": 3,
    "adm1": 2,
    "region": 1,
    "country": 1,
    "continent": 0,
    "unknown": 0,
}
# the first four letters of every word that can start a trigger: a cheap look at a sentence
# before the full rule set runs; common stems name the longer prefixes they stand for
_TRIGGER_STEMS: dict[str, tuple[str, ...]] = {
    stem: ()
    for stem in (
        "abdu air ambu appr arre arti assa ball barr batt behe bomb boob burn cach capt ceas chem "
        "chlo clas cust dead defu demo depl deta died disa disp dron exch exec expl figh fire foug "
        "grad gren gunf gunn hack hima host ied impr ince inju kidn kill laun libe loot lync marc "
        "mine miss mob mobi mort murd nerv occu outp pack parc peac pick plun pris prot rall rans "
        "rape raze reca rega rein reto retr riot rock rubb sari seiz sexu shel shot sign siti skir "
        "sold stab ston stor stri suic tear test torc troo truc vand vigi woun land base mass took "
        "down hand"
    ).split()
}
_TRIGGER_STEMS.update(
    {
        "with": ("withdr",),
        "over": ("overr", "overt"),
        "unde": ("under",),
        "head": ("headq",),
        "sent": ("sent",),
        "inte": ("interc",),
        "wate": ("water",),
        "offe": ("offens",),
        "roun": ("rounded",),
        "pull": ("pulled",),
        "set": ("set",),
    }
)
_WORDS = re.compile(r"[a-z]{3,}")


def _may_report_event(sentence: str) -> bool:
    for w in _WORDS.findall(sentence.lower()):
        prefixes = _TRIGGER_STEMS.get(w[:4])
        if prefixes is not None and (not prefixes or w.startswith(prefixes)):
            return True
    return False


@dataclass(slots=True)
class Incident:
    """One event at one location (ACLED-style record); see the README for field meanings."""

    id: str
    event_type: str
    sub_event_type: str
    date: str | None
    date_precision: str
    date_start: str | None
    date_end: str | None
    place_index: int | None
    location: str | None
    lat: float | None
    lon: float | None
    geo_precision: int | None
    country: str | None
    admin1: str | None
    actor1: str | None
    actor2: str | None
    fatalities: int | None
    injured: int | None
    sentence: str
    start: int
    end: int
    confidence: float
    trigger: str = ""
    time_precision: int | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class _Clause:
    text: str
    start: int  # offset in the article
    sentence_start: int
    sentence_end: int
    sentence_no: int
    cas: Any = None  # its Casualties, parsed once


def extract_incidents(
    text: str,
    places: list[Place],
    *,
    published: date | str | None,
    gazetteer=None,
    article_id: str = "",
) -> list[Incident]:
    """Incidents reported in ``text``, each tied to one of ``places`` (by ``place_index``).

    Parameters
    ----------
    text
        The article.
    places
        Its resolved place mentions (from :func:`extract.resolve.resolve`), in text order.
    published
        Publication date; relative dates are of unknown precision without it.
    gazetteer
        Used to place an event at the country of an associative mention ("Pyongyang fires
        missiles" → North Korea) when the clause names no literal place.
    article_id
        Prefix of the incident ids and the source of each incident.
    """
    found: list[Incident] = []
    prev_place: int | None = None
    prev_sentence = -2
    prev_span: DateSpan | None = None
    prev_span_sentence = -9
    seen_sentences: set[str] = set()
    for no, (s_start, s_end) in enumerate(_sentences(text)):
        sentence = text[s_start:s_end]
        norm = " ".join(sentence.split())
        if not norm or norm in seen_sentences:  # repeated captions
            continue
        seen_sentences.add(norm)
        sent_places = [i for i, p in enumerate(places) if s_start <= p.start < s_end]
        literal = [
            i for i in sent_places if places[i].role == "literal" and places[i].lat is not None
        ]
        if literal:
            carried = literal[-1]
        else:
            carried = prev_place if no - prev_sentence <= 2 else None
        if not _may_report_event(sentence):
            if literal:
                prev_place, prev_sentence = literal[-1], no
            continue
        clauses = _clauses(text, s_start, s_end, no)
        events: list[tuple[_Clause, EventMatch]] = []
        for clause in clauses:
            clause.cas = cas = parse_casualties(clause.text)
            match = classify_clause(
                clause.text, has_casualties=cas.fatalities is not None or cas.injured is not None
            )
            if match is not None:
                events.append((clause, match))
        sentence_cas = _combined_casualties(clauses)
        specific = [e for e in events if e[1].confidence > 0.5]
        if specific:
            events = specific
        # a date in a clause without an event of its own ("… on Tuesday when a missile hit …")
        # applies to the sentence's events; a date inside another event's clause does not
        event_clauses = {id(c) for c, _ in events}
        rest = " … ".join(c.text for c in clauses if id(c) not in event_clauses)
        sentence_date = resolve_sentence_date(rest, published=published)
        if sentence_date.text is None and prev_span is not None and no - prev_span_sentence <= 2:
            # "… tear gas on Tuesday. In Kitengela, police opened fire …": same day
            sentence_date = prev_span
        for clause, match in events:
            span = resolve_sentence_date(clause.text, published=published, default=sentence_date)
            if span.text is not None or span is prev_span:
                prev_span, prev_span_sentence = span, no
            found.extend(
                _incidents_for(
                    text,
                    clause,
                    match,
                    places,
                    sent_places,
                    carried,
                    dspan=span,
                    sentence_cas=sentence_cas,
                    gazetteer=gazetteer,
                    n_events=len(events),
                    article_id=article_id,
                )
            )
        if literal:
            prev_place, prev_sentence = literal[-1], no
    merged = _merge_within(found)
    for k, inc in enumerate(merged):
        inc.id = _incident_id(article_id, inc, k)
    return merged


def _sentences(text: str) -> list[tuple[int, int]]:
    starts = sentence_bounds(text)
    bounds = []
    for a, b in zip(starts, [*starts[1:], len(text)], strict=True):
        seg = text[a:b]
        stripped = seg.rstrip()
        lead = len(seg) - len(seg.lstrip())
        if stripped.strip():
            bounds.append((a + lead, a + len(stripped)))
    return bounds


def _combined_casualties(clauses: list[_Clause]):
    """The sentence's figures: the first clause that states any."""
    for c in clauses:
        if c.cas is not None and (c.cas.fatalities is not None or c.cas.injured is not None):
            return c.cas
    return clauses[0].cas if clauses else parse_casualties("")


def _clauses(text: str, s_start: int, s_end: int, no: int) -> list[_Clause]:
    sentence = text[s_start:s_end]
    out = []
    pos = 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        if m.start() > pos:
            out.append(_Clause(sentence[pos : m.start()], s_start + pos, s_start, s_end, no))
        pos = m.end()
    if pos < len(sentence):
        out.append(_Clause(sentence[pos:], s_start + pos, s_start, s_end, no))
    return out


def _incidents_for(
    text: str,
    clause: _Clause,
    match: EventMatch,
    places: list[Place],
    sent_places: list[int],
    carried: int | None,
    *,
    dspan: DateSpan,
    sentence_cas,
    gazetteer,
    n_events: int,
    article_id: str,
) -> list[Incident]:
    c_start, c_end = clause.start, clause.start + len(clause.text)
    in_clause = [i for i in sent_places if c_start <= places[i].start < c_end]
    literal = [i for i in in_clause if places[i].role == "literal" and places[i].lat is not None]
    chosen = _choose_locations(text, literal, places, clause, match)
    geo_bump = 0
    fallback_place: Place | None = None
    sentence_literal = [
        i for i in sent_places if places[i].role == "literal" and places[i].lat is not None
    ]
    if not chosen and _REFERS_BACK.match(clause.text):
        # "… the Kursk border region of Russia – where Kyiv's forces seized …"
        before = [i for i in sentence_literal if places[i].start < c_start]
        chosen = _choose_locations(text, before, places, clause, match)
    if not chosen and gazetteer is not None:
        # "Pyongyang fires missiles": the acting government's country
        fallback_place = _associative_country(text, places, in_clause, clause, match, gazetteer)
    if not chosen and fallback_place is None and n_events == 1:
        chosen = _choose_locations(text, sentence_literal, places, clause, match)
    if (
        not chosen
        and fallback_place is None
        and carried is not None
        and (_ANAPHORA.search(clause.text) or not in_clause)
    ):
        chosen = [carried]
        geo_bump = 1
    if not chosen and fallback_place is None:
        return []
    if dspan.future:
        return []
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
    targets: list[tuple[int | None, Place]] = (
        [(i, places[i]) for i in chosen] if chosen else [(None, fallback_place)]
    )
    out = []
    by_country = {a.country: a.name for a in actors if a.country}
    for idx, place in targets:
        own_actor1 = actor1
        if len(targets) > 1 and place.country in by_country:
            own_actor1 = by_country[place.country]  # "Poland and Lithuania arrested …"
        precision = _geo_precision(text, place) + geo_bump if idx is not None else 3
        conf = match.confidence * (1.0 if idx is not None and not geo_bump else 0.7)
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
                location=_location_name(place),
                lat=place.lat,
                lon=place.lon,
                geo_precision=min(3, precision),
                country=place.country,
                admin1=place.admin1,
                actor1=own_actor1,
                actor2=actor2,
                fatalities=cas.fatalities,
                injured=cas.injured,
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


def _choose_locations(
    text: str, candidates: list[int], places: list[Place], clause: _Clause, match: EventMatch
) -> list[int]:
    """The most specific places tied to the event; several when they are listed together
    ("in Britain, Germany and Poland")."""
    if not candidates:
        return []
    trigger_pos = clause.start + match.start

    def rank(i: int) -> tuple[int, int, int, int]:
        p = places[i]
        before = text[max(0, p.start - 60) : p.start]
        locative = 1 if _LOCATIVE.search(before) else 0
        origin = 1 if _ORIGIN.search(before) else 0  # "a rocket fired from Gaza struck Sderot"
        return (
            _SPECIFICITY.get(p.kind, 0) - origin,
            locative,
            -origin,
            -abs(p.start - trigger_pos),
        )

    best = max(candidates, key=rank)
    chosen = [best]
    # a coordinated list of same-level places shares the event ("Britain, Germany and Poland")
    level = _SPECIFICITY.get(places[best].kind, 0)
    for i in candidates:
        if i != best and _SPECIFICITY.get(places[i].kind, 0) == level:
            if _listed(text, places, i, best):
                chosen.append(i)
    # one incident per distinct place entry
    unique: dict[tuple, int] = {}
    for i in sorted(chosen, key=lambda i: places[i].start):
        key = (places[i].entry_id or places[i].name, places[i].lat, places[i].lon)
        unique.setdefault(key, i)
    return list(unique.values())


_LIST_GLUE = re.compile(r"[\s,]*(?:(?:and|or|&|the)\b[\s,]*)*")


def _listed(text: str, places: list[Place], a: int, b: int) -> bool:
    """Whether two mentions are items of one list: only commas, "and", "or" and other place
    names between them."""
    lo, hi = sorted((places[a], places[b]), key=lambda p: p.start)
    if hi.start - lo.end > 80:
        return False
    between = text[lo.end : hi.start]
    for p in places:
        if lo.end <= p.start and p.end <= hi.start:
            between = between.replace(p.text, ",", 1)
    return bool(_LIST_GLUE.fullmatch(between)) and between.strip() != ""


def _associative_country(
    text: str,
    places: list[Place],
    in_clause: list[int],
    clause: _Clause,
    match: EventMatch,
    gazetteer,
) -> Place | None:
    """ "Pyongyang fires missiles": the actor's country, at country precision."""
    trigger_pos = clause.start + match.start
    for i in reversed(in_clause):
        p = places[i]
        after = text[p.end : p.end + 30].lower().split()
        if after and after[0].strip(",.") in SPEECH_VERBS:
            continue  # "Washington said …": the speaker is not where it happened
        if p.role == "associative" and p.start < trigger_pos and p.country:
            entry = gazetteer.country(p.country)
            if entry is None:
                return None
            return Place(
                start=p.start,
                end=p.end,
                text=p.text,
                name=entry.name,
                geonameid=entry.geonameid,
                lat=entry.lat,
                lon=entry.lon,
                kind="country",
                country=entry.country,
                admin1=None,
                role="literal",
                score=p.score,
                entry_id=entry.id,
            )
    return None


def _geo_precision(text: str, place: Place) -> int:
    if place.kind in ("country", "adm1", "region", "continent", "unknown"):
        return 3
    before = text[max(0, place.start - 40) : place.start]
    if _NEAR.search(before) or place.kind == "adm2":
        return 2
    return 1


def _location_name(place: Place) -> str:
    if place.kind == "district" and place.admin1:
        return place.name
    return place.name


def _merge_within(incidents: list[Incident]) -> list[Incident]:
    """Reports of one event within an article: same type, compatible places and dates. A
    country- or region-level report folds into a more specific one inside it, whatever the
    order of the sentences."""
    from extract.dedup import fold_into

    order = sorted(range(len(incidents)), key=lambda k: (_level(incidents[k]), k))
    merged: list[tuple[int, Incident]] = []
    for k in order:
        inc = incidents[k]
        for _, other in merged:
            if _same_event(other, inc):
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


def _same_event(a: Incident, b: Incident) -> bool:
    if a.event_type != b.event_type or a.sub_event_type != b.sub_event_type:
        return False
    if a.country != b.country or not _dates_overlap(a, b):
        return False
    if (a.lat, a.lon) == (b.lat, b.lon):
        return True
    la, lb = _level(a), _level(b)
    if la == lb:
        return False
    fine, coarse = (a, b) if la < lb else (b, a)
    return _level(coarse) == 2 or coarse.admin1 == fine.admin1


def _dates_overlap(a: Incident, b: Incident) -> bool:
    if a.date_precision == "unknown" or b.date_precision == "unknown":
        return True
    a0, a1 = a.date_start or a.date, a.date_end or a.date
    b0, b1 = b.date_start or b.date, b.date_end or b.date
    if None in (a0, a1, b0, b1):
        return True
    return a0 <= b1 and b0 <= a1


def _incident_id(article_id: str, inc: Incident, k: int) -> str:
    raw = f"{article_id}|{inc.event_type}|{inc.sub_event_type}|{inc.location}|{inc.date}|{k}"
    return hashlib.sha1(raw.encode()).hexdigest()[:12]
