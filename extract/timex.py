"""Temporal expressions in news text, resolved against the article's publication date.

:func:`find_dates` finds every temporal expression in a text ("on Tuesday", "last week",
"two days ago", "3 Nov 2024", "in March 2022", "since February 2022", ...) and resolves it to a
:class:`DateSpan`; :func:`resolve_sentence_date` picks the date of the event a sentence reports;
:func:`dateline_date` reads the publication date from a wire dateline ("KYIV, Nov 5 (Reuters) -").

Only :mod:`re` and :mod:`datetime` are used. Every pattern is compiled once at import, and the
full patterns only run in windows around cheap literal "anchors" (a month abbreviation, "day",
"week", "ago", four digits, ...), so a 700-word article takes a few milliseconds. The
vocabulary, patterns and per-pattern resolvers live in :mod:`extract._timex_rules`; this module
assembles them and holds the public API.

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
  "the end of", ...) or a year; a year on its own needs such a cue too ("in 2022").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from extract._timex_rules import (
    _ASCII_LOWER,
    _CASE_TWINS,
    _P_DMY,
    _P_ISO,
    _P_MDY,
    _P_NUMERIC,
    _REPORT_AFTER,
    _REPORT_BEFORE,
    _RULES,
    _SINCE_BEFORE,
    _Ctx,
    _month_num,
    _Res,
    _Resolver,
    _span_precision,
)
from extract.errors import InputError

__all__ = ["PRECISIONS", "DateSpan", "dateline_date", "find_dates", "resolve_sentence_date"]

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
    """

    date: str | None
    precision: str
    start: str | None
    end: str | None
    text: str | None
    acled_precision: int | None
    future: bool = False


_UNKNOWN = DateSpan(None, "unknown", None, None, None, None)


# --------------------------------------------------------------------------- anchors

# Every match of a rule's pattern (``_timex_rules._RULES``) contains a match of its anchor at
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


def _candidates(text: str) -> list[tuple[int, int, int, re.Match[str], _Resolver]]:
    low = text.translate(_ASCII_LOWER)  # same length as text, unlike str.lower()
    cache: dict[int, list[tuple[int, int]]] = {}
    cands: list[tuple[int, int, int, re.Match[str], _Resolver]] = []
    for prio, (pattern, resolver, anchor, lower) in enumerate(_RULES):
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
    if published is None:
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    s = str(published).strip()
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        raise InputError(f"publication date is not an ISO date (YYYY-MM-DD): {s!r}") from None


def _since(res: _Res, pub: date | None) -> _Res:
    """Turn a resolved point into the open range "since <point>"."""
    if res.start is None:
        return res
    if pub is None:
        return _Res("unknown", res.start)
    if res.start > pub:
        return res  # "since" a day after publication: leave the point as it is, future
    return _Res(_span_precision(res.start, pub), res.start, pub, pub)


def _finish(res: _Res, text: str, pub: date | None) -> DateSpan:
    """Cap a past span at publication and turn it into a :class:`DateSpan`."""
    if res.precision == "unknown" or res.start is None or res.end is None:
        start = res.start.isoformat() if res.start is not None else None
        return DateSpan(None, "unknown", start, None, text, None, res.future)
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
    )


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
    text = text.translate(_CASE_TWINS)  # "on ſunday": see _CASE_TWINS; same offsets
    ctx = _Ctx(text, pub)
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
                since = _SINCE_BEFORE.search(text, max(0, start - 10), start)
                if since is not None and not any(
                    since.start() < t_end and t_start < start for t_start, t_end in taken
                ):
                    start = since.start()
                    res = _since(res, pub)
            span = _finish(res, original[start:end], pub)
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
        _REPORT_BEFORE.search(sentence, max(0, start - 40), start)
        or _REPORT_AFTER.match(sentence, end)
    )


def resolve_sentence_date(
    sentence: str, *, published: date | str | None, default: DateSpan | None = None
) -> DateSpan:
    """The date of the event a sentence reports.

    Among the sentence's expressions, past ones are preferred to future ones; then expressions
    that are not a leading dateline, not a "since ..." range and not attached to a reporting
    verb ("said on Monday", "On Monday, officials said"); then the most specific precision
    (day < week < month < year < unknown); then the first in the sentence.

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
    dl_end = dl[0].end() if dl is not None else -1

    def key(item: tuple[int, int, DateSpan]) -> tuple[bool, bool, bool, bool, int, int]:
        start, end, span = item
        since = (span.text or "").lower().startswith("since")
        return (
            span.future,
            start < dl_end,
            since,
            _is_reporting(sentence, start, end),
            _RANK[span.precision],
            start,
        )

    return min(found, key=key)[2]


# --------------------------------------------------------------------------- datelines

_DL_PLACE = re.compile(r"\s*(?:[A-Z][\w.'’\-]*(?:[ \t]+[A-Z][\w.'’\-]*)*[ \t]*,[ \t]*){0,3}")
_DL_SUFFIX = re.compile(r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?(?:[-–—:|]|\n|$)")
_DL_DATES = (_P_MDY, _P_DMY, _P_ISO, _P_NUMERIC)


def _match_dateline(text: str) -> tuple[re.Match[str], int | None, int, int] | None:
    """The date of a leading dateline: (match, year or None, month, day)."""
    place = _DL_PLACE.match(text)
    pos = place.end() if place else 0
    has_place = bool(place and text[:pos].strip())
    for pattern in _DL_DATES:
        m = pattern.match(text, pos)
        if m is None or m.groupdict().get("prep"):
            continue
        gd = m.groupdict()
        year = int(gd["y"]) if gd.get("y") else None
        if "mon" in gd:
            month, day = _month_num(gd["mon"]), int(gd["d"])
        elif "sep" in gd:
            a, b = int(gd["a"]), int(gd["b"])
            month, day = (a, b) if gd["sep"] == "/" and a <= 12 else (b, a)
        else:
            month, day = int(gd["m"]), int(gd["d"])
        if _DL_SUFFIX.match(text, m.end()) or (not has_place and year is not None):
            return m, year, month, day
        return None
    return None


def dateline_date(text: str, *, year_hint: int | None = None) -> date | None:
    """Publication date from a wire dateline at the start of an article.

    Recognises "KYIV, Nov 5 (Reuters) -", "LONDON, 5 November 2024 —", "WASHINGTON, Tuesday,
    Nov. 5 (AP) —" and a bare leading date ("Nov. 5, 2024", "2024-11-05"). A dateline without a
    date ("WASHINGTON (AP) — ...") gives ``None``.

    Parameters
    ----------
    text
        The article text (only its start is read).
    year_hint
        Year to use when the dateline has none (e.g. from the file's metadata).

    Returns
    -------
    datetime.date or None
        ``None`` when there is no dated dateline, when it has no year and no ``year_hint`` is
        given, or when the day does not exist.
    """
    found = _match_dateline(text[:300])
    if found is None:
        return None
    _m, year, month, day = found
    year = year if year is not None else year_hint
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
