"""Temporal expressions in news text, resolved against the article's publication date.

:func:`find_dates` finds every temporal expression in a text ("on Tuesday", "last week",
"two days ago", "3 Nov 2024", "in March 2022", "since February 2022", ...) and resolves it to a
:class:`DateSpan`; :func:`resolve_sentence_date` picks the date of the event a sentence reports;
:func:`dateline_date` reads the publication date from a wire dateline ("KYIV, Nov 5 (Reuters) -").

Only :mod:`re` and :mod:`datetime` are used. Every pattern is compiled once at import.

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

import calendar
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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


@dataclass(frozen=True, slots=True)
class _Res:
    """A resolver's raw answer, before capping at publication."""

    precision: str
    start: date | None = None
    end: date | None = None
    day: date | None = None
    future: bool = False


# --------------------------------------------------------------------------- vocabulary

_WD_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WD_INDEX = {name: i for i, name in enumerate(_WD_NAMES)}
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NUM = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}
_MONTH_NUM.update(
    {
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    }
)


def _month_alt(names: list[str]) -> str:
    return "|".join(v for w in names for v in (w.capitalize(), w.upper()))


# Case-sensitive: "May"/"MAY" are months, "may" is a modal verb. Only abbreviations take a dot.
_MONTH = (
    f"(?-i:(?:{_month_alt(list(_MONTH_NAMES))})\\b"
    f"|(?:{_month_alt(sorted(set(_MONTH_NUM) - set(_MONTH_NAMES), key=len, reverse=True))})"
    "\\b\\.?)"
)


def _month_num(s: str) -> int:
    return _MONTH_NUM[s.rstrip(".").lower()]


_NUM_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "twenty-four": 24,
    "forty-eight": 48,
    "seventy-two": 72,
}
_FUZZY = r"a\s+few|a\s+couple(?:\s+of)?|couple\s+of|several|few|some"
_NUM = (
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,5}|"
    + _FUZZY
    + "|"
    + "|".join(
        w.replace("-", r"[-\s]") for w in sorted(_NUM_WORDS, key=len, reverse=True) if len(w) > 2
    )
    + r"|an?)"
)
_UNIT = r"(?P<unit>hour|day|week|fortnight|month|year)(?P<pl>s)?"
_MOD = r"early|mid|late|(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|close)\s+of"
_MODSEP = r"(?:\s*-\s*|\s+)"
_DAY_PREP = r"(?:\b(?P<prep>on|since|by|until|from)\s+)?"
_YEAR_TAIL = r"(?:,?\s+(?P<y>\d{4})(?![\d,.]\d)|,?\s+(?:of\s+)?(?P<ry>last|this|next)\s+year\b)"
_NOUNS = (
    r"people|persons|men|women|children|homes|houses|buildings|cases|troops|soldiers|"
    r"civilians|families|residents|refugees|dollars|euros|pounds|km|kilometres|kilometers|"
    r"miles|metres|meters|feet|tonnes|tons|votes|rounds|shells|rockets|drones|missiles"
)

_F = re.IGNORECASE


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _F)


# --------------------------------------------------------------------------- patterns

_P_ISO = _c(_DAY_PREP + r"(?<![\w-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)(?!-\d)")
_P_NUMERIC = _c(
    _DAY_PREP + r"(?<![\w/.,])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
    r"(?![\w/])(?!\.\d)"
)
_P_MDY = _c(
    _DAY_PREP
    + rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<mon>{_MONTH})\s*"
    + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?![:.,]\d)"
    + _YEAR_TAIL
    + "?"
)
_P_DMY = _c(
    _DAY_PREP
    + rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?(?<![\d.,])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
    + rf"\s+(?:of\s+)?(?P<mon>{_MONTH})"
    + _YEAR_TAIL
    + "?"
)
_P_DAY_OF_MONTH = _c(
    r"\b(?P<prep>on|since|by|until)\s+the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b(?!-)"
    r"(?!\s+(?!(?:of|and|or|at|in|when|as|after|before|but|while|with|amid|following|near|to|"
    r"from|for|that|the|this|last)\b)(?-i:[a-z]))"
)
_P_MONTH = _c(
    rf"\b(?:(?P<prep>in|since|during|throughout|until|by|from)\s+(?:(?P<mod1>{_MOD}){_MODSEP})?"
    rf"|(?P<rel>last|next|this\s+past|this\s+coming|this)\s+|(?P<mod2>{_MOD}){_MODSEP})"
    rf"(?P<mon>{_MONTH})(?!\s*\d{{1,2}}\b)"
    r"(?:,?\s+(?:of\s+)?(?:(?P<y>\d{4})(?!\d)|(?P<ry>last|this|next)\s+year\b))?"
)
_P_MONTH_YEAR = _c(rf"\b(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<y>\d{{4}})(?![\d,.]\d)")
_P_YEAR = _c(
    rf"\b(?:(?P<prep>in|since|during|throughout|until|by|from)\s+(?:(?P<mod1>{_MOD}){_MODSEP})?"
    rf"|(?P<mod2>{_MOD}){_MODSEP})"
    rf"(?P<y>(?:1[89]|20)\d\d)\b(?!\s*[-–/]\s*\d)(?![,.]\d)(?!\s+(?:{_NOUNS})\b)"
)
_P_WEEKDAY = _c(
    r"\b(?:(?P<prep>on|since|by|until|from|through|over|during)\s+)?"
    r"(?:(?P<rel>last|next|this\s+past|this\s+coming|this|(?:the\s+)?coming)\s+)?"
    r"(?:(?P<pod1>late|early|overnight|(?:in\s+)?the\s+early\s+hours\s+of|"
    r"(?:on\s+)?the\s+(?:night|morning|evening)\s+of)\s+(?:on\s+)?)?"
    rf"(?P<wd>{_WEEKDAY})\b(?:\s+(?P<pod2>morning|afternoon|evening|night|overnight)\b)?"
)
_P_DEICTIC = _c(
    r"\b(?:(?P<pre>earlier|later|early|late)\s+)?"
    r"(?:(?P<a>today|tonight)|this\s+(?P<pod>morning|afternoon|evening)"
    r"|(?P<b>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|tomorrow"
    r"|last\s+night|overnight)(?:\s+(?P<pod2>morning|afternoon|evening|night)\b)?)\b"
)
_P_REL_PERIOD = _c(
    rf"\b(?:(?P<mod>{_MOD}){_MODSEP})?"
    r"(?P<rel>earlier\s+this|later\s+this|this\s+past|this\s+coming|last|next|this|the)\s+"
    r"(?P<unit>week|month|year)\b(?!\s+of\b)"
)
_P_WEEKEND = _c(
    r"\b(?:(?P<rel>last|this\s+past|past|this\s+coming|this|next|coming)\s+weekend"
    r"|(?P<prep>over|at|on|during|throughout|through|since|across|for)\s+the\s+"
    r"(?:(?P<rel2>past|last|coming|next)\s+)?weekend)\b"
)
_P_AGO = _c(
    r"\b(?:(?:more\s+than|over|about|around|nearly|almost|roughly|approximately|less\s+than|"
    r"under|just\s+over|just\s+under|only|just|barely)\s+)?"
    rf"(?:(?P<n>{_NUM})\s+)?{_UNIT}\s+ago\b"
)
_P_PAST_RANGE = _c(
    r"\b(?:(?P<prep>in|over|during|for|throughout|within|across)\s+)?the\s+(?P<rel>past|last)\s+"
    rf"(?:(?P<n>{_NUM})\s+)?{_UNIT}\b(?!\s+of\b)(?!['’])"
)
_P_FUTURE_RANGE = _c(
    r"\b(?:(?P<prep>in|over|during|for|within|throughout)\s+)?the\s+(?P<rel>coming|next)\s+"
    rf"(?:(?P<n>{_NUM})\s+)?{_UNIT}\b(?!\s+of\b)"
)
_P_IN_N = _c(
    rf"\b(?:in|within)\s+(?P<n>{_NUM})\s+{_UNIT}(?P<time>['’]?\s+time\b)?"
    r"(?!\s+(?:of|ago|before|after|earlier|later|since|old)\b)(?!['’]\s*\w)"
)
_P_RECENT = _c(
    r"\b(?:(?:in|over|during)\s+recent\s+(?P<unit>days|weeks|months|years|times)"
    r"|(?:(?:most|more|very|only|just|until)\s+)?(?:recently|lately)|of\s+late)\b"
)

# --------------------------------------------------------------------------- context

_FUTURE_MARK = (
    r"will|won['’]t|shall|['’]ll|(?-i:may)|might|should|would(?!\s+(?:not\s+)?have\b)"
    r"|going\s+to|(?:is|are|am)\s+(?:not\s+)?(?:(?:due|set|scheduled|expected|slated|poised|"
    r"about|planning|preparing|going)\s+)?to|plans?\s+to|planning\s+to|planned|"
    r"intends?\s+to|aims?\s+to|hopes?\s+to|seeks?\s+to|wants?\s+to|vow(?:s|ed)?\s+to|"
    r"pledge[sd]?\s+to|promise[sd]?\s+to|threaten(?:s|ed)?\s+to|agree[sd]?\s+to|expected|"
    r"scheduled|slated|upcoming|to\s+be\s+held|to\s+take\s+place"
)
_PAST_WORDS = (
    r"said|says|say|told|tells|was|were|had|did|went|came|took|left|met|held|began|fought|"
    r"struck|shot|fell|broke|saw|made|gave|spoke|won|lost|fled|led|sent|brought|caught|found|"
    r"rose|ran|hit|wrote|threw|drove|flew|blew|tore|beat|spent|sought|swept|stood|overran|"
    r"became|got|kept|lay|laid|paid|hid|felt|heard|knew|sank|sold|stole|stuck|swore|thought|"
    r"woke|ago|yesterday"
)
_NOT_VERBS = r"hundred|united|red|bed|sacred|naked|wicked|beloved|ahmed|mohammed|mohamed|hamed"
_TENSE = re.compile(
    rf"(?P<fut>\b(?:{_FUTURE_MARK})\b)"
    rf"|(?P<past>\b(?<!\bbe\s)(?<!\bbeen\s)(?<!\bbeing\s)"
    rf"(?:(?:{_PAST_WORDS})\b|(?!(?:{_NOT_VERBS})\b)\w+[^\We]ed\b))",
    _F,
)
_LAST_BREAK = re.compile(r".*(?:[;!?\n\"“”,]|[.:](?=\s+[A-Z]))", re.S)
_NEXT_BREAK = re.compile(r"[;!?\n\"“”,]|[.:](?=\s+[A-Z])|[.:]\s*$")
_WINDOW = 120

_REPORT_BEFORE = re.compile(
    r"\b(?:said|says|say|told\s+(?:[\w.'’-]+\s+){1,3}?|added|stated|announced|confirmed|"
    r"reported|wrote|tweeted|posted|warned|claimed|insisted|noted|acknowledged|denied|"
    r"statement|briefing|interview|conference)\s*,?\s*$",
    _F,
)
_REPORT_AFTER = re.compile(r"\s*,\s*(?:[\w.'’-]+\s+){0,4}?(?:said|says|told)\b", _F)
_SINCE_BEFORE = re.compile(r"\bsince\s+$", _F)
_TODAY_NAME = re.compile(r"\b(?-i:[A-Z])\w*[ \t]+$")
_HOLIDAY_BEFORE = re.compile(
    r"\b(?:black|good|bloody|super|easter|palm|ash|holy|cyber|giving|maundy)\s+$", _F
)
_CAPITAL_AFTER = re.compile(r"\s+(?-i:[A-Z][a-z])")


def _tense(text: str, start: int, end: int) -> bool | None:
    """``True`` for a future clause, ``False`` for a past one, ``None`` when unmarked."""
    lo = max(0, start - _WINDOW)
    window = text[lo:start]
    brk = _LAST_BREAK.match(window)
    clause = window[brk.end() :] if brk else window
    last = None
    for mark in _TENSE.finditer(clause):
        last = mark
    if last is not None:
        return last.lastgroup == "fut"
    after = text[end : end + _WINDOW].lstrip(" \t,")
    brk2 = _NEXT_BREAK.search(after)
    if brk2:
        after = after[: brk2.start()]
    first = _TENSE.search(after)
    if first is not None:
        return first.lastgroup == "fut"
    return None


class _Ctx:
    """The text being scanned and its publication date."""

    __slots__ = ("text", "pub")

    def __init__(self, text: str, pub: date | None) -> None:
        self.text = text
        self.pub = pub

    def future(self, m: re.Match[str]) -> bool:
        return _tense(self.text, m.start(), m.end()) is True


# --------------------------------------------------------------------------- date helpers


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, n: int) -> date:
    total = d.year * 12 + d.month - 1 + n
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _add_years(d: date, n: int) -> date:
    year = d.year + n
    day = min(d.day, calendar.monthrange(year, d.month)[1])
    return date(year, d.month, day)


def _week_of(d: date) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def _norm(s: str | None) -> str | None:
    return " ".join(s.lower().split()) if s else None


def _mod(s: str | None) -> str | None:
    """ "early" / "mid" / "late" for a range modifier."""
    if not s:
        return None
    s = s.lower()
    if "early" in s or "beginning" in s or "start" in s:
        return "early"
    if "mid" in s:
        return "mid"
    return "late"


def _sub_range(start: date, end: date, mod: str | None, unit: str) -> tuple[date, date]:
    """Narrow a week, month or year to its early / mid / late part."""
    if mod is None:
        return start, end
    if unit == "year":
        first, last = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[mod]
        return date(start.year, first, 1), _month_end(start.year, last)
    if unit == "month":
        if mod == "early":
            return start, start.replace(day=10)
        if mod == "mid":
            return start.replace(day=11), start.replace(day=20)
        return start.replace(day=21), end
    lo, hi = {"early": (0, 2), "mid": (1, 3), "late": (3, 6)}[mod]
    return start + timedelta(days=lo), start + timedelta(days=hi)


def _span_precision(start: date, end: date) -> str:
    """Precision of a range ending at publication, from its length."""
    n = (end - start).days + 1
    if n <= 2:
        return "day"
    if n <= 15:
        return "week"
    if n <= 100:
        return "month"
    return "year"


def _parse_num(s: str | None) -> int | str | None:
    """An integer, or "few" / "couple" for vague quantities, or ``None``."""
    if s is None:
        return None
    s = _norm(s) or ""
    if s[0].isdigit():
        return int(s.replace(",", ""))
    if "couple" in s:
        return "couple"
    if s in ("a few", "few", "several", "some"):
        return "few"
    return _NUM_WORDS[s.replace(" ", "-")]


def _shift(d: date, unit: str, n: int) -> date:
    """``d`` moved by ``n`` units (negative: back)."""
    if unit == "hour":
        return d + timedelta(days=n // 24)
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(days=7 * n)
    if unit == "fortnight":
        return d + timedelta(days=14 * n)
    if unit == "month":
        return _add_months(d, n)
    return _add_years(d, n)


def _hours_days(n: int) -> int:
    """Whole days covered by ``n`` hours, at least one."""
    return max(1, -(-n // 24))


def _pick_year(pub: date, month: int, day: int, *, future: bool) -> date:
    """The most recent (or, if ``future``, the next) ``month``/``day`` relative to ``pub``."""
    year = pub.year
    if future:
        if (month, day) < (pub.month, pub.day):
            year += 1
        step = 1
    else:
        if (month, day) > (pub.month, pub.day):
            year -= 1
        step = -1
    for _ in range(8):  # 29 February: walk to a leap year
        try:
            return date(year, month, day)
        except ValueError:
            year += step
    raise ValueError("no such day")


def _unknown(*, future: bool = False) -> _Res:
    return _Res("unknown", future=future)


def _day(d: date, *, future: bool = False) -> _Res:
    return _Res("day", d, d, d, future)


# --------------------------------------------------------------------------- resolvers

_Resolver = Callable[[re.Match[str], _Ctx], "_Res | None"]


def _explicit_day(year: int | None, month: int, day: int, m: re.Match[str], ctx: _Ctx) -> _Res:
    pub = ctx.pub
    if year is not None:
        d = date(year, month, day)
        return _day(d, future=pub is None and ctx.future(m))
    ry = _norm(m.groupdict().get("ry"))
    if pub is None:
        return _unknown(future=ry == "next" or ctx.future(m))
    if ry is not None:
        d = date(pub.year + {"last": -1, "this": 0, "next": 1}[ry], month, day)
        return _day(d, future=d > pub)
    future = ctx.future(m)
    return _day(_pick_year(pub, month, day, future=future), future=future)


def _r_iso(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    return _explicit_day(int(m["y"]), int(m["m"]), int(m["d"]), m, ctx)


def _r_numeric(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    a, b = int(m["a"]), int(m["b"])
    if m["sep"] == "/" and a <= 12:
        month, day = a, b  # US order
    else:
        day, month = a, b
    return _explicit_day(int(m["y"]), month, day, m, ctx)


def _r_month_day(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    year = int(m["y"]) if m["y"] else None
    return _explicit_day(year, _month_num(m["mon"]), int(m["d"]), m, ctx)


def _r_day_of_month(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    pub, day = ctx.pub, int(m["d"])
    if not 1 <= day <= 31:
        return None
    future = ctx.future(m)
    if pub is None:
        return _unknown(future=future)
    first = pub.replace(day=1)
    step = 1 if future else -1
    if (day >= pub.day) if future else (day <= pub.day):
        candidate = first
    else:
        candidate = _add_months(first, step)
    for _ in range(3):  # the 31st: walk to a month that has one
        if day <= calendar.monthrange(candidate.year, candidate.month)[1]:
            return _day(candidate.replace(day=day), future=future)
        candidate = _add_months(candidate, step)
    return None


def _r_month(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    gd = m.groupdict()
    pub, month = ctx.pub, _month_num(m["mon"])
    mod = _mod(gd.get("mod1") or gd.get("mod2"))
    rel, ry = _norm(gd.get("rel")), _norm(gd.get("ry"))
    future = False
    if gd.get("y"):
        year = int(gd["y"])
        future = pub is None and ctx.future(m)
    elif pub is None:
        return _unknown(future=ry == "next" or rel in ("next", "this coming") or ctx.future(m))
    elif ry is not None:
        year = pub.year + {"last": -1, "this": 0, "next": 1}[ry]
    elif rel in ("last", "this past"):
        year = pub.year if month < pub.month else pub.year - 1
    elif rel in ("next", "this coming"):
        year = pub.year if month > pub.month else pub.year + 1
        future = True
    elif ctx.future(m):
        year = pub.year if month >= pub.month else pub.year + 1
        future = True
    else:
        year = pub.year if month <= pub.month else pub.year - 1
    start, end = _sub_range(date(year, month, 1), _month_end(year, month), mod, "month")
    return _Res("month", start, end, None, future)


def _r_year(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    year = int(m["y"])
    start, end = _sub_range(
        date(year, 1, 1), date(year, 12, 31), _mod(m["mod1"] or m["mod2"]), "year"
    )
    return _Res("year", start, end, None, ctx.pub is None and ctx.future(m))


def _r_weekday(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    rel = _norm(m["rel"])
    bare = not (m["prep"] or rel or m["pod1"] or m["pod2"])
    if bare and (
        _CAPITAL_AFTER.match(ctx.text, m.end())
        or _HOLIDAY_BEFORE.search(ctx.text, max(0, m.start() - 10), m.start())
    ):
        return None  # "the Sunday Times", "Good Friday"
    wd = _WD_INDEX[m["wd"].lower()]
    strict = rel is not None and rel != "this"
    if rel in ("next", "this coming", "coming", "the coming"):
        future = True
    elif rel in ("last", "this past"):
        future = False
    else:
        future = ctx.future(m)
    pub = ctx.pub
    if pub is None:
        return _unknown(future=future)
    if future:
        delta = (wd - pub.weekday()) % 7 or (7 if strict else 0)
        return _day(pub + timedelta(days=delta), future=True)
    delta = (pub.weekday() - wd) % 7 or (7 if strict else 0)
    return _day(pub - timedelta(days=delta))


_DEICTIC_OFFSET = {
    "yesterday": -1,
    "last night": -1,
    "the day before yesterday": -2,
    "tomorrow": 1,
    "the day after tomorrow": 2,
    "overnight": 0,
}


def _r_deictic(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    pub, text = ctx.pub, ctx.text
    if m["a"] == "Today" and _TODAY_NAME.search(text, max(0, m.start() - 30), m.start()):
        return None  # "USA Today"
    if m["a"] or m["pod"]:
        future = _norm(m["pre"]) == "later" or ctx.future(m)
        return _unknown(future=future) if pub is None else _day(pub, future=future)
    key = _norm(m["b"]) or ""
    offset = _DEICTIC_OFFSET[key]
    future = offset > 0
    if pub is None:
        return _unknown(future=future)
    if key == "overnight":
        return _Res("day", pub - timedelta(days=1), pub, pub)
    return _day(pub + timedelta(days=offset), future=future)


def _r_rel_period(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    rel, unit, mod = _norm(m["rel"]), m["unit"].lower(), _mod(m["mod"])
    if rel == "the":
        if mod is None:
            return None
        rel = "this"
    if rel in ("next", "this coming", "later this"):
        future = True
    elif rel in ("last", "this past", "earlier this"):
        future = False
    else:
        future = ctx.future(m)
    pub = ctx.pub
    if pub is None:
        return _unknown(future=future)
    if rel == "this past":
        back = {"week": 7, "month": 30, "year": 365}[unit]
        return _Res(unit, pub - timedelta(days=back), pub)
    step = {"last": -1, "next": 1, "this coming": 1}.get(rel or "", 0)
    if unit == "week":
        start, end = _week_of(pub + timedelta(days=7 * step))
    elif unit == "month":
        first = _add_months(pub.replace(day=1), step)
        start, end = first, _month_end(first.year, first.month)
    else:
        start, end = date(pub.year + step, 1, 1), date(pub.year + step, 12, 31)
    start, end = _sub_range(start, end, mod, unit)
    if rel == "later this":
        start = max(start, min(pub + timedelta(days=1), end))
    return _Res(unit, start, end, None, future)


def _r_weekend(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    rel = _norm(m["rel"] or m["rel2"])
    if rel in ("last", "this past", "past"):
        mode = "last"
    elif rel in ("next", "coming", "this coming"):
        mode = "next"
    else:
        mode = "next" if ctx.future(m) else "recent"
    pub = ctx.pub
    if pub is None:
        return _unknown(future=mode == "next")
    wd = pub.weekday()
    if mode == "next":
        if wd >= 5 and rel is None:
            sat = pub - timedelta(days=wd - 5)
        else:
            sat = pub + timedelta(days=(5 - wd) % 7 or 7)
    elif mode == "recent" and wd >= 5:
        sat = pub - timedelta(days=wd - 5)
    else:
        sat = pub - timedelta(days=((wd - 6) % 7 or 7) + 1)
    return _Res("week", sat, sat + timedelta(days=1), None, mode == "next")


def _fuzzy_range(unit: str, n: str) -> tuple[int, int]:
    """Distance in days (far, near) of "a few" / "a couple of" units ago (or ahead)."""
    if unit == "hour":
        return 1, 0
    per = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}[unit]
    if n == "couple":
        return 3 * per, per
    return 7 * per, 2 * per


def _r_ago(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    pub, unit = ctx.pub, m["unit"].lower()
    n = _parse_num(m["n"])
    if n is None:
        if not m["pl"]:
            return None
        n = "few"
    if pub is None:
        return _unknown()
    if isinstance(n, str):
        far, near = _fuzzy_range(unit, n)
        start, end = pub - timedelta(days=far), pub - timedelta(days=near)
        return _Res(_span_precision(start, end), start, end)
    if unit == "hour":
        lo, hi = n // 24, -(-n // 24)
        return _Res(
            "day",
            pub - timedelta(days=hi),
            pub - timedelta(days=lo),
            pub - timedelta(days=(n + 12) // 24),
        )
    if unit == "day":
        return _day(pub - timedelta(days=n))
    if unit in ("week", "fortnight"):
        centre = pub - timedelta(days=n * (7 if unit == "week" else 14))
        return _Res("week", centre - timedelta(days=3), centre + timedelta(days=3))
    if unit == "month":
        first = _add_months(pub.replace(day=1), -n)
        return _Res("month", first, _month_end(first.year, first.month))
    return _Res("year", date(pub.year - n, 1, 1), date(pub.year - n, 12, 31))


def _range_length(n: int | str | None, plural: bool) -> int | str:
    """The number of units of "the past N units": "few" for "the past days", else 1."""
    if n is None:
        return "few" if plural else 1
    return n


def _r_past_range(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    pub, unit = ctx.pub, m["unit"].lower()
    n = _range_length(_parse_num(m["n"]), bool(m["pl"]))
    if pub is None:
        return _unknown()
    if isinstance(n, str):
        n = 2 if n == "couple" else 3
    if unit == "hour":
        start = pub - timedelta(days=_hours_days(n))
    else:
        start = _shift(pub, unit, -n)
    return _Res(_span_precision(start, pub), start, pub)


_FUZZY_COUNT = {"hour": 24, "day": 7, "week": 4, "fortnight": 2, "month": 3, "year": 3}


def _r_future_range(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    pub, unit = ctx.pub, m["unit"].lower()
    raw = _parse_num(m["n"])
    if raw is None and not m["pl"] and _norm(m["rel"]) == "next" and not m["prep"]:
        return None  # "the next day": relative to the narrative, not to publication
    n = _range_length(raw, bool(m["pl"]))
    if pub is None:
        return _unknown(future=True)
    if isinstance(n, str):
        n = 2 if n == "couple" else _FUZZY_COUNT[unit]
    start = pub + timedelta(days=1)
    end = pub + timedelta(days=_hours_days(n)) if unit == "hour" else _shift(pub, unit, n)
    end = max(start, end)
    return _Res(_span_precision(start, end), start, end, None, True)


def _r_in_n(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    if not m["time"] and not ctx.future(m):
        return None  # "killed 30 people in three days": a duration, not a date
    pub, unit = ctx.pub, m["unit"].lower()
    n = _parse_num(m["n"])
    if pub is None:
        return _unknown(future=True)
    if isinstance(n, str) or n is None:
        far, near = _fuzzy_range(unit, n or "few")
        start, end = pub + timedelta(days=max(1, near)), pub + timedelta(days=far)
        return _Res(_span_precision(start, end), start, end, None, True)
    if unit == "hour":
        return _day(pub + timedelta(days=(n + 12) // 24), future=True)
    if unit == "day":
        return _day(pub + timedelta(days=n), future=True)
    if unit in ("week", "fortnight"):
        centre = pub + timedelta(days=n * (7 if unit == "week" else 14))
        return _Res("week", centre - timedelta(days=3), centre + timedelta(days=3), None, True)
    if unit == "month":
        first = _add_months(pub.replace(day=1), n)
        return _Res("month", first, _month_end(first.year, first.month), None, True)
    return _Res("year", date(pub.year + n, 1, 1), date(pub.year + n, 12, 31), None, True)


_RECENT_DAYS = {"days": 7, "weeks": 28, "months": 90, "times": 14}
_RECENT_PRECISION = {"days": "week", "weeks": "week", "months": "month", "times": "week"}


def _r_recent(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    pub = ctx.pub
    if pub is None:
        return _unknown()
    unit = (m["unit"] or "times").lower()
    if unit == "years":
        return _Res("year", _add_years(pub, -3), pub)
    return _Res(_RECENT_PRECISION[unit], pub - timedelta(days=_RECENT_DAYS[unit]), pub)


# Every match of a rule's pattern contains a match of its anchor, a fast case-sensitive scan
# (of the ASCII-lower-cased text unless marked ``False``), at most _BACK characters after the
# match's start and _FWD before its end. Full patterns run only in windows around anchors.
_BACK = 80
_FWD = 80
_A_MONTH = re.compile(
    "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|"
    "OCT|NOV|DEC)"
)
_A_DASH = re.compile(r"\d-\d")
_A_SEP = re.compile(r"\d[/.]\d")
_A_ORDINAL = re.compile(r"the\s+\d")
_A_YEAR = re.compile(r"\d\d\d\d")
_A_DEICTIC = re.compile("today|tonight|tomorrow|yesterday|morning|afternoon|evening|night")
_A_DAY = re.compile("day")
_A_WEEKEND = re.compile("weekend")
_A_PERIOD = re.compile("week|month|year")
_A_AGO = re.compile("ago")
_A_PAST = re.compile("past|last")
_A_COMING = re.compile("coming|next")
_A_UNIT = re.compile("hour|day|week|fortnight|month|year")
_A_RECENT = re.compile(r"recent|lately|of\s+late")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# Order only breaks ties between equally long overlapping matches.
_RULES: tuple[tuple[re.Pattern[str], _Resolver, re.Pattern[str], bool], ...] = (
    (_P_ISO, _r_iso, _A_DASH, True),
    (_P_NUMERIC, _r_numeric, _A_SEP, True),
    (_P_MDY, _r_month_day, _A_MONTH, False),
    (_P_DMY, _r_month_day, _A_MONTH, False),
    (_P_DAY_OF_MONTH, _r_day_of_month, _A_ORDINAL, True),
    (_P_MONTH, _r_month, _A_MONTH, False),
    (_P_MONTH_YEAR, _r_month, _A_MONTH, False),
    (_P_YEAR, _r_year, _A_YEAR, True),
    (_P_DEICTIC, _r_deictic, _A_DEICTIC, True),
    (_P_WEEKDAY, _r_weekday, _A_DAY, True),
    (_P_WEEKEND, _r_weekend, _A_WEEKEND, True),
    (_P_REL_PERIOD, _r_rel_period, _A_PERIOD, True),
    (_P_AGO, _r_ago, _A_AGO, True),
    (_P_PAST_RANGE, _r_past_range, _A_PAST, True),
    (_P_FUTURE_RANGE, _r_future_range, _A_COMING, True),
    (_P_IN_N, _r_in_n, _A_UNIT, True),
    (_P_RECENT, _r_recent, _A_RECENT, True),
)


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
            span = _finish(res, text[start:end], pub)
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
