"""Temporal expressions in news text, resolved against the article's publication date.

:func:`find_dates` finds every temporal expression in a text ("on Tuesday", "last week",
"two days ago", "3 Nov 2024", "in March 2022", "since February 2022", ...) and resolves it to a
:class:`DateSpan`; :func:`resolve_sentence_date` picks the date of the event a sentence reports;
:func:`dateline_date` reads the publication date from a wire dateline ("KYIV, Nov 5 (Reuters) -",
"PUERTO ALTO, 3 JAN 90 (NORTE - PRESS) -- [TEXT]"); :func:`reference_date` reads the date a
short report opens with ("On 5 November 2024, ...").

Only :mod:`re` and :mod:`datetime` are used. Every pattern is compiled once at import, and the
full patterns only run in windows around cheap literal "anchors" (a month abbreviation, "day",
"week", "ago", four digits, ...), so a 700-word article takes a few milliseconds. The
vocabulary and patterns live in :mod:`extract.events._timex_patterns`, the clause's tense and
reporting cues in :mod:`extract.events._timex_context`, calendar arithmetic in
:mod:`extract.events._timex_calendar` and the per-pattern resolvers with their rule table in
:mod:`extract.events._timex_rules`; this module assembles them and holds the public API.

Decisions on ambiguous cases
----------------------------
* **Past by default.** News reports events that happened, so an expression that could point
  either way ("on Wednesday", "in December", "on November 10", "on the 20th", "this weekend") is
  the most recent past occurrence, *including the publication day itself* ("on Tuesday" in an
  article published on a Tuesday is that day). It points forward only when the clause holds a
  future or hypothetical marker (``will``, ``'ll``, ``shall``, ``would``/``might``/``should``/
  lower-case ``may`` not followed by ``have``, ``is to``, ``is set/due/expected/scheduled to``,
  ``plans/intends/aims/hopes/vows to``, ``planned``, ``scheduled``, ``upcoming``, ``to be held``,
  ...) that is nearer to the expression than any past-tense marker (``said``, ``was``, an ``-ed``
  verb not after ``be``/``been``). The clause is the text back to the previous comma, semicolon,
  quote or sentence end; when it has no marker the words after the expression, up to the next
  break, are read instead ("On Friday, lawmakers will vote").
* A future weekday on the same weekday as publication ("will vote on Tuesday", published on a
  Tuesday) is the publication day; "next Tuesday" is a week later. "next <weekday>" is the first
  such day strictly after publication and "last <weekday>" the last one strictly before it.
* ``date`` is the day for day precision; otherwise the last day of the range (after capping at
  publication for past spans), also for future spans ("next week" -> its Sunday).
* ``future`` is also set when an explicit date lies after publication ("on 10 December 2024"),
  so ``end > published`` implies ``future``. An explicit past date keeps ``future=False`` even in
  a future clause ("will be tried for the attack on 3 November 2024").
* Day precision may cover two days: "overnight" is ``start = published - 1``, ``end = date =
  published``; "N hours ago" rounds to the nearest day with start/end the two candidate days.
* "N weeks ago" is the day ``7 * N`` days back +/- 3 days (week precision); "N months ago" the
  calendar month of the day N months back; "N years ago" the calendar year.
* "recently"/"lately"/"in recent times" = the 14 days before publication, "in recent days" 7,
  "in recent weeks" 28 (all week precision, ACLED 2 as specified); "in recent months" 90 days
  (month); "in recent years" 3 years (year).
* "early"/"mid"/"late" (also "the beginning/start/middle/end of") narrow a month to days 1-10,
  11-20, 21-end, a year to Jan-Apr, May-Aug, Sep-Dec and a week to Mon-Wed, Tue-Thu, Thu-Sun;
  the precision stays that of the unit (month, year, week).
* Ranges ending at publication ("since ...", "over the past N days") take their precision from
  their length in days, ``n``: ``n <= 2`` day, ``n <= 15`` week, ``n <= 100`` month (a quarter, so
  "in the past three months" is still month precision), else year. "since February 2022"
  (published 2024-11-05) is therefore ``start=2022-02-01``, ``end=date=2024-11-05``, year
  precision, ACLED ``None``. Without a publication date a "since" span is "unknown" precision
  with only ``start`` set.
* The bare word "earlier" is not a temporal expression ("had earlier said"): a sentence with
  only that falls back to ``default`` (or unknown). Anaphoric expressions ("the next day",
  "two days later", "the same day") are not matched either: the caller's ``default`` (the
  previous sentence's date) is the better answer for them.
* "in N days" ("killed 30 people in three days") is future only in a future clause or with
  "time" ("in two weeks' time"); "in the coming days" and "in the next N days" always are.
* Month names must be capitalised ("May", "MAY"; not "may"), and a month on its own needs a
  cue ("in", "since", "by", "until", "during", "last", "next", "this", "early", "mid-", "late",
  "the end of", ...) or a year; a year on its own needs such a cue too ("in 2022"). Caps
  copy reads the same ("ON 14 MARCH", "IN LATE SEPT."); a date without a year is the most
  recent past occurrence before publication, and of unknown precision without one.
* **Two-digit years** are the latest year ending in those digits that is at most one year
  after publication (without a publication date: after the current year, so in 2026 00-27 are
  20xx and 28-99 19xx). In text they are read only where they cannot be a count: with an
  apostrophe ("Nov. 5, '24", "in March '89"), or bare right after a day and a month and before
  punctuation or a line end ("3 JAN 90,", "3 JAN 90 ("). "on 3 January 90 people", "on Nov. 5,
  24 people", "5 March 10:30" and "5 March 10,000" keep the number out.
* **Attributive dates** modify a noun: possessives ("last year's protests", "2019's riots",
  "Monday's attack") and a date between a determiner and an event noun ("the 2022 invasion",
  "Russia's 2014 annexation", "the 7 October attacks"; the nouns are ``_EVENT_NOUNS``). A bare
  year is a date only in that position ("the 1500 strikers" is not). They get
  ``DateSpan.attributive``; :func:`resolve_sentence_date` prefers other expressions, and an
  incident extractor should not date (or create) a new event by one.
* **Openings are not publication dates.** "On 5 November 2024, ..." dates the report's event
  (:func:`reference_date`); the report was written later and may go on to later days, which
  resolution against that day as "publication" would push into the previous year or drop as
  future. Callers pass it as ``default`` for the sentences that state no date of their own.
* **Datelines without a year** ("SAN ROQUE, 14 MAR (XNA) --", "FAR TOWN, March 14 (Wire) -") give
  no date unless the caller passes ``year_hint``: no year is guessed from the text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from extract.events._case_fold import ASCII_LOWER, CASE_TWINS
from extract.events._timex_calendar import expand_year, month_end, span_precision, week_of
from extract.events._timex_context import (
    ATTR_DET_BEFORE,
    ATTR_NOUN_AFTER,
    POSSESSIVE_AFTER,
    REPORT_AFTER,
    REPORT_BEFORE,
    SINCE_BEFORE,
    Ctx,
)
from extract.events._timex_patterns import P_DMY, P_ISO, P_MDY, P_NUMERIC, month_num
from extract.events._timex_rules import RULES, Res, Resolver
from geodata.dates import iso_date

__all__ = [
    "PRECISIONS",
    "DateSpan",
    "dateline_date",
    "find_dates",
    "reference_date",
    "resolve_sentence_date",
]

logger = logging.getLogger(__name__)

#: The values of :attr:`DateSpan.precision`, most specific first.
PRECISIONS = ("day", "week", "month", "year", "unknown")
_ACLED = {"day": 1, "week": 2, "month": 3}
_RANK = {p: i for i, p in enumerate(PRECISIONS)}


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A resolved temporal expression.

    Attributes
    ----------
    date
        ISO ``YYYY-MM-DD`` representative day: the day for day precision, otherwise the last
        day of the range (capped at publication unless ``future``); ``None`` when unknown.
    precision
        ``"day"``, ``"week"``, ``"month"``, ``"year"`` or ``"unknown"``.
    start
        ISO first possible day, or ``None``.
    end
        ISO last possible day, or ``None``. Never after publication unless ``future``.
    text
        The matched expression ("on Tuesday"), ``None`` for a span not read from text.
    acled_precision
        ACLED time precision: 1 day, 2 week (or a few days), 3 month; ``None`` otherwise.
    future
        The expression points after publication ("will vote on Friday", "next week").
    attributive
        The expression modifies a noun instead of dating the clause: a possessive ("last
        year's protests", "2019's riots", "Monday's attack") or a date between a determiner and
        an event noun ("the 2022 invasion", "the 7 October attacks"). It dates the event that
        noun names, often a past one mentioned in passing; :func:`resolve_sentence_date` prefers
        other expressions.
    """

    date: str | None
    precision: str
    start: str | None
    end: str | None
    text: str | None
    acled_precision: int | None
    future: bool = False
    attributive: bool = False


_UNKNOWN = DateSpan(None, "unknown", None, None, None, None)


# --------------------------------------------------------------------------- anchors

# Every match of a rule's pattern (``_timex_rules.RULES``) contains a match of its anchor at
# most _BACK characters after the match's start and _FWD before its end, so the full patterns
# only run in windows around anchors.
_BACK = 80
_FWD = 80


def _windows(anchor: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Merged ``[lo, hi)`` ranges around the anchor's matches."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for a in anchor.finditer(text):
        lo, hi = max(0, a.start() - _BACK), min(n, a.end() + _FWD)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _candidates(text: str) -> list[tuple[int, int, int, re.Match[str], Resolver]]:
    low = text.translate(ASCII_LOWER)  # same length as text, unlike str.lower()
    cache: dict[int, list[tuple[int, int]]] = {}
    cands: list[tuple[int, int, int, re.Match[str], Resolver]] = []
    for prio, (pattern, resolver, anchor, lower) in enumerate(RULES):
        key = id(anchor)
        windows = cache.get(key)
        if windows is None:
            windows = cache[key] = _windows(anchor, low if lower else text)
        for lo, hi in windows:
            for m in pattern.finditer(text, lo, hi):
                cands.append((m.start(), m.end(), prio, m, resolver))
    return cands


# --------------------------------------------------------------------------- assembly


def _coerce_published(published: date | str | None) -> date | None:
    return iso_date(published, what="publication date", timestamp=True)


def _since(res: Res, pub: date | None) -> Res:
    """Turn a resolved point into the open range "since <point>"."""
    if res.start is None:
        return res
    if pub is None:
        return Res("unknown", res.start)
    if res.start > pub:
        return res  # "since" a day after publication: leave the point as it is, future
    return Res(span_precision(res.start, pub), res.start, pub, pub)


def _finish(res: Res, text: str, pub: date | None, *, attributive: bool = False) -> DateSpan:
    """Cap a past span at publication and turn it into a :class:`DateSpan`."""
    attributive = attributive or res.attributive
    if res.precision == "unknown" or res.start is None or res.end is None:
        start = res.start.isoformat() if res.start is not None else None
        return DateSpan(None, "unknown", start, None, text, None, res.future, attributive)
    start, end, future = res.start, res.end, res.future
    if pub is not None and not future:
        if start > pub:
            future = True  # an explicit date after publication
        elif end > pub:
            end = pub
    if res.precision == "day":
        day = res.day if res.day is not None else end
        if day > end or day < start:
            day = end
    else:
        day = end
    return DateSpan(
        day.isoformat(),
        res.precision,
        start.isoformat(),
        end.isoformat(),
        text,
        _ACLED.get(res.precision),
        future,
        attributive,
    )


def _is_attributive(text: str, start: int, end: int, *, prep: bool) -> bool:
    """The expression ``text[start:end]`` modifies a noun ("last year's", "the 2022 invasion")."""
    if POSSESSIVE_AFTER.match(text, end):
        return True
    if prep:
        return False  # "on 7 October attacks were ..."
    det = text.startswith(("the ", "The ", "THE "), start) or ATTR_DET_BEFORE.search(
        text, max(0, start - 40), start
    )
    return bool(det and ATTR_NOUN_AFTER.match(text, end))


def find_dates(text: str, *, published: date | str | None) -> list[tuple[int, int, DateSpan]]:
    """All temporal expressions in ``text`` with their character offsets, resolved.

    Parameters
    ----------
    text
        Any text: a sentence or a whole article.
    published
        The article's publication date (a :class:`~datetime.date`, a datetime, or an ISO
        string; only its date part is used). ``None``: relative expressions get precision
        ``"unknown"``; explicit dates with a year still resolve.

    Returns
    -------
    list of (start, end, DateSpan)
        Non-overlapping matches in text order; ``text[start:end] == span.text``. When a
        pattern matches but cannot be resolved (an impossible date such as 31 February, or one
        outside the range of :class:`~datetime.date`) it is left out.

    Raises
    ------
    InputError
        ``published`` is a string that is not an ISO date.
    """
    pub = _coerce_published(published)
    if not text:
        return []
    original = text
    text = text.translate(CASE_TWINS)  # "on ſunday": see CASE_TWINS; same offsets
    ctx = Ctx(text, pub)
    cands = _candidates(text)
    if not cands:
        return []
    cands.sort(key=lambda c: (c[0] - c[1], c[0], c[2]))  # longest first, then leftmost
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, int, DateSpan]] = []
    for start, end, _prio, m, resolver in cands:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        try:
            res = resolver(m, ctx)
            if res is None:
                continue
            prep = m.groupdict().get("prep")
            if prep and prep.lower() == "since":
                res = _since(res, pub)
            else:
                since = SINCE_BEFORE.search(text, max(0, start - 10), start)
                if since is not None and not any(
                    since.start() < t_end and t_start < start for t_start, t_end in taken
                ):
                    start = since.start()
                    res = _since(res, pub)
                    prep = "since"
            attributive = _is_attributive(text, start, end, prep=bool(prep))
            span = _finish(res, original[start:end], pub, attributive=attributive)
        except (ValueError, OverflowError):
            logger.debug("unresolvable date expression %r", m.group(0))
            continue
        taken.append((start, end))
        out.append((start, end, span))
    out.sort(key=lambda item: item[0])
    return out


def _is_reporting(sentence: str, start: int, end: int) -> bool:
    """The expression dates a statement ("said on Monday"), not an event."""
    return bool(
        REPORT_BEFORE.search(sentence, max(0, start - 40), start)
        or REPORT_AFTER.match(sentence, end)
    )


def resolve_sentence_date(
    sentence: str, *, published: date | str | None, default: DateSpan | None = None
) -> DateSpan:
    """The date of the event a sentence reports.

    Among the sentence's expressions, past ones are preferred to future ones; then expressions
    that are not a leading dateline, not a "since ..." range, not attached to a reporting verb
    ("said on Monday", "On Monday, officials said") and not attributive ("last year's
    protests", "the 2022 invasion"), in that order; then the most specific precision (day <
    week < month < year < unknown); then the first in the sentence. A sentence whose only
    expression is attributive still gets it ("Monday's attack killed five"): the caller can
    test :attr:`DateSpan.attributive` to treat the event noun as background.

    Parameters
    ----------
    sentence
        One sentence.
    published
        The article's publication date, or ``None``.
    default
        Returned when the sentence has no temporal expression, e.g. the previous sentence's
        date or the dateline's.

    Returns
    -------
    DateSpan
        The chosen span. It is future (``future=True``) only when every expression in the
        sentence is; it has precision ``"unknown"`` when ``published`` is ``None`` and the
        expression is relative, or when there is neither an expression nor a ``default``.
    """
    found = find_dates(sentence, published=published)
    if not found:
        return default if default is not None else _UNKNOWN
    dl = _match_dateline(sentence[:300])
    dl_end = dl[0] if dl is not None else -1

    def key(item: tuple[int, int, DateSpan]) -> tuple[bool, bool, bool, bool, bool, int, int]:
        start, end, span = item
        since = (span.text or "").lower().startswith("since")
        return (
            span.future,
            start < dl_end,
            since,
            _is_reporting(sentence, start, end),
            span.attributive,
            _RANK[span.precision],
            start,
        )

    return min(found, key=key)[2]


# --------------------------------------------------------------------------- datelines

# A dateline's place: capitalised words, with lower-case particles between them ("Rio de
# Janeiro") and an optional parenthesis ("PORTO VERDE (ARCADIA)", "NO CITY (ARCADIA)"); up to
# three, each followed by a comma ("KYIV, Ukraine, Nov. 5").
_DL_WORD = r"[A-Z][\w.'’\-]*"
_DL_PARTICLE = r"(?:de|da|do|dos|das|del|la|le|el|al|of|upon|am|an|sur|en|y)"
_DL_PLACE = re.compile(
    rf"\s*(?:{_DL_WORD}(?:[ \t]+(?:{_DL_PARTICLE}[ \t]+)?{_DL_WORD})*"
    r"(?:[ \t]*\([^()\n]{1,40}\))?[ \t]*,[ \t]*){0,3}"
)
# What follows the date: an optional source on the same line — in parentheses or brackets, with
# spaces, hyphens, digits or one nested pair ("(Reuters)", "(NORTE - PRESS)", "(RADIO SOL 5)",
# "(PRESS AGENCY [PA])"; a "[" closed by ")" is a known typo of wire copy) or between slashes
# ("/PRNewswire/") — then a dash, colon, bar or the end of the line ("(AFP)--", "(XNA) --",
# "(RADIO X)\n-- [TEXT]").
_DL_SUFFIX = re.compile(
    r"[ \t]*(?:[(\[](?:[^()\[\]\n]|[(\[][^()\[\]\n]{0,40}[)\]]){1,80}[)\]][ \t]*"
    r"|/[^/\n]{1,40}/[ \t]*)?(?:[-–—:|]|\n|$)"
)
# A two-digit year after a month-first date, read only in a dateline ("PERTH, JUNE 11 89 (AFP)").
_DL_YY = re.compile(r"[ \t]*,?[ \t]*['’]?(?P<yy>\d\d)(?!\d)(?![:.,]\d)")  # not "12:30"
_DL_DATES = (P_MDY, P_DMY, P_ISO, P_NUMERIC)


def _match_dateline(text: str) -> tuple[int, int | None, int | None, int, int] | None:
    """The date of a leading dateline: (end, year, two-digit year, month, day).

    ``end`` is the end of the date expression; the years are ``None`` when not stated.
    """
    place = _DL_PLACE.match(text)
    pos = place.end() if place else 0
    has_place = bool(place and text[:pos].strip())
    for pattern in _DL_DATES:
        m = pattern.match(text, pos)
        if m is None or m.groupdict().get("prep"):
            continue
        gd = m.groupdict()
        year = int(gd["y"]) if gd.get("y") else None
        yy = int(gd["yy"]) if gd.get("yy") else None
        if "mon" in gd:
            month, day = month_num(gd["mon"]), int(gd["d"])
        elif "sep" in gd:
            a, b = int(gd["a"]), int(gd["b"])
            month, day = (a, b) if gd["sep"] == "/" and a <= 12 else (b, a)
        else:
            month, day = int(gd["m"]), int(gd["d"])
        end = m.end()
        if year is None and yy is None and "mon" in gd and not gd.get("ry"):
            two = _DL_YY.match(text, end)
            if two is not None and _DL_SUFFIX.match(text, two.end()):
                yy, end = int(two["yy"]), two.end()
        if _DL_SUFFIX.match(text, end) or (not has_place and year is not None):
            return m.end(), year, yy, month, day
        return None
    return None


def dateline_date(text: str, *, year_hint: int | None = None) -> date | None:
    """Publication date from a wire dateline at the start of an article.

    Recognises "KYIV, Nov 5 (Reuters) -", "LONDON, 5 November 2024 —", "WASHINGTON, Tuesday,
    Nov. 5 (AP) —", the wire-service forms "PUERTO ALTO, 3 JAN 90 (NORTE - PRESS) -- [TEXT]",
    "PORTO VERDE (ARCADIA), 11 JUN 89 --", "RIVERTON, JULY 14 89 (PNA) --" (all caps, month
    abbreviations "JAN", "SEPT", "DEC.", two-digit years, a source with digits or on the line
    before "--"), and a bare leading date ("Nov. 5, 2024", "2024-11-05"). A dateline without a
    date ("WASHINGTON (AP) — ...", "SAN ROQUE, NO DATE -- ...") gives ``None``.

    A two-digit year is the latest year ending in those digits that is at most one year after
    ``year_hint``, or after the current year when there is no hint: in 2026, "27" is 2027 and
    "28" is 1928, "90" is 1990 and "05" is 2005.

    Parameters
    ----------
    text
        The article text (only its start is read).
    year_hint
        Year to use when the dateline has none (e.g. from the file's metadata); also the
        reference for two-digit years.

    Returns
    -------
    datetime.date or None
        ``None`` when there is no dated dateline, when it has no year and no ``year_hint`` is
        given ("SAN ROQUE, 14 MAR (XNA) --": no year is guessed), or when the day does not exist.
    """
    found = _match_dateline(text[:300])
    if found is None:
        return None
    _end, year, yy, month, day = found
    if year is None and yy is not None:
        year = expand_year(yy, year_hint)
    year = year if year is not None else year_hint
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --------------------------------------------------------------------------- openings

# What may precede the date of an opening: "On 5 November 2024, ...", "Around 5 November
# 2024, ...", "On or about 3 March 2023, ...", "Overnight on 4 May 2024, ...".
_OPENING_LEAD = re.compile(
    r"\s*(?:(?:on\s+or\s+(?:about|around)|(?:at\s+)?around|about|overnight\s+(?:on|of)|"
    r"early\s+on|late\s+on|in\s+the\s+(?:early\s+)?(?:morning|evening|night)\s+of)\s+)?",
    re.IGNORECASE,
)
# "On 5 November 2024 (week of), ...": the coder widens the date to its week or month.
_OPENING_NOTE = re.compile(r"\s*\((?:the\s+)?(?P<unit>week|month)\s+of\)", re.IGNORECASE)
_OPENING_CHARS = 200


def reference_date(text: str) -> DateSpan | None:
    """The date a short report opens with: "On 5 November 2024, Russian forces shelled ...".

    Conflict coders' notes and terse reports carry no publication date and no dateline; their
    first words date the event, and the sentences after it ("Two civilians were killed.")
    report the same event. Pass the result as ``default`` to :func:`resolve_sentence_date` for
    the sentences of such a text that state no date of their own.

    The opening must be the first thing in the text: an explicit date that resolves without a
    publication date (it states its year: "On 5 November 2024", "ON 5 NOV 24", "In March
    2023", "Around 5 November 2024"), optionally followed by "(week of)" or "(month of)", which
    widens it to that week or month. Relative openings ("On Monday, ...") give ``None``.

    It is deliberately not a publication date: a report is written after the day it opens
    with and may go on to later days ("On 6 November, ..."), which past-by-default resolution
    against that day would put in the previous year or mark as future and drop. For
    a wire dateline use :func:`dateline_date` instead.

    Parameters
    ----------
    text
        The report.

    Returns
    -------
    DateSpan or None
        The opening's span (its ``text`` is the date expression), or ``None``.
    """
    lead = _OPENING_LEAD.match(text)
    lead_end = lead.end() if lead is not None else 0
    head = text[: lead_end + _OPENING_CHARS]
    found = find_dates(head, published=None)
    if not found:
        return None
    start, end, span = found[0]
    first = len(text) - len(text.lstrip())
    if start not in (first, lead_end) or span.precision == "unknown" or span.future:
        return None
    note = _OPENING_NOTE.match(text, end)
    if note is None or span.date is None or span.precision != "day":
        return span
    day = date.fromisoformat(span.date)
    if note["unit"].lower() == "week":
        lo, hi = week_of(day)
        precision = "week"
    else:
        lo, hi = day.replace(day=1), month_end(day.year, day.month)
        precision = "month"
    return DateSpan(
        hi.isoformat(),
        precision,
        lo.isoformat(),
        hi.isoformat(),
        span.text,
        _ACLED[precision],
        False,
        span.attributive,
    )
