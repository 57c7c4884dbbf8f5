"""Vocabulary, compiled patterns and resolvers behind :mod:`extract.timex`.

This module is internal to :mod:`extract.timex`, which holds the public API and documents the
behaviour (see its module docstring for the decisions on ambiguous cases). It contains

* the vocabulary (weekdays, months, number words) and the compiled temporal patterns;
* the clause-tense test that decides between past and future readings;
* the calendar helpers and one resolver per pattern, turning a match into a raw :class:`Res`;
* the cheap literal anchors and the rule table ``RULES`` that ties them together.

Every pattern is compiled once at import.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "ASCII_LOWER",
    "ATTR_DET_BEFORE",
    "ATTR_NOUN_AFTER",
    "CASE_TWINS",
    "P_DMY",
    "P_ISO",
    "P_MDY",
    "P_NUMERIC",
    "POSSESSIVE_AFTER",
    "REPORT_AFTER",
    "REPORT_BEFORE",
    "RULES",
    "SINCE_BEFORE",
    "Ctx",
    "Res",
    "Resolver",
    "expand_year",
    "month_num",
    "span_precision",
]


@dataclass(frozen=True, slots=True)
class Res:
    """A resolver's raw answer, before capping at publication."""

    precision: str
    start: date | None = None
    end: date | None = None
    day: date | None = None
    future: bool = False
    attributive: bool = False


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


def month_num(s: str) -> int:
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
# Two-digit years (see ``expand_year``). "Nov. 5, '24" is always a year. A bare "90" is one only
# straight after a day and a month ("3 JAN 90") and before punctuation or a line end: "on 3 January
# 90 people died" and "on Nov. 5, 24 people died" are counts.
_YY_APOS = r",?\s+['’](?P<yy>\d\d)(?![\d'’])"
_YY_DMY = (
    r"(?:,?\s+['’]|[ \t]+(?=\d\d[ \t]*(?:[;!?()\[\]\n]|[,.:](?!\d)|[-–—](?!\w)|$)))"
    r"(?P<yy>\d\d)(?![\d'’])"
)
_NOUNS = (
    r"people|persons|men|women|children|homes|houses|buildings|cases|troops|soldiers|"
    r"civilians|families|residents|refugees|dollars|euros|pounds|km|kilometres|kilometers|"
    r"miles|metres|meters|feet|tonnes|tons|votes|rounds|shells|rockets|drones|missiles"
)

# Nouns of events that a date can modify in passing: "the 2022 invasion", "the October 7
# attacks", "the March 2023 floods". A date right before one of them (after a determiner) names
# that event, usually a past one, rather than dating the sentence's news (``attributive``).
# Plurals in "s"/"es" are matched too.
_EVENT_NOUNS = (
    "agreement",
    "accord",
    "annexation",
    "assault",
    "attack",
    "blast",
    "bombing",
    "ceasefire",
    "clash",
    "conflict",
    "coup",
    "crackdown",
    "crises",
    "crisis",
    "deal",
    "disaster",
    "earthquake",
    "election",
    "explosion",
    "fighting",
    "flood",
    "genocide",
    "hostage-taking",
    "incursion",
    "insurgency",
    "invasion",
    "killing",
    "kidnapping",
    "massacre",
    "occupation",
    "offensive",
    "operation",
    "protest",
    "raid",
    "rebellion",
    "referendum",
    "revolution",
    "riot",
    "shooting",
    "siege",
    "strike",
    "takeover",
    "truce",
    "unrest",
    "uprising",
    "violence",
    "vote",
    "war",
)
_EVENT_NOUN = "(?:" + "|".join(sorted(_EVENT_NOUNS, key=len, reverse=True)) + ")(?:e?s)?"
# Up to two modifiers between the date and the noun ("the 2022 full-scale Russian invasion").
_EVENT_NOUN_AFTER = rf"\s+(?:[\w-]{{1,20}}\s+){{0,2}}?{_EVENT_NOUN}\b"

_F = re.IGNORECASE


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _F)


# --------------------------------------------------------------------------- patterns

P_ISO = _c(_DAY_PREP + r"(?<![\w-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)(?!-\d)")
P_NUMERIC = _c(
    _DAY_PREP + r"(?<![\w/.,])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
    r"(?![\w/])(?!\.\d)"
)
P_MDY = _c(
    _DAY_PREP
    + rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<mon>{_MONTH})\s*"
    + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?![:.,]\d)"
    + f"(?:{_YEAR_TAIL}|{_YY_APOS})?"
)
P_DMY = _c(
    _DAY_PREP
    + rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?(?<![\d.,])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
    + rf"\s+(?:of\s+)?(?P<mon>{_MONTH})"
    + f"(?:{_YEAR_TAIL}|{_YY_DMY})?"
)
# "on the 20th" unless a noun follows ("on the 6th floor", caps "ON THE 6TH FLOOR"): a following
# word other than a function word is a noun when lower-case or, in caps copy, all caps.
_P_DAY_OF_MONTH = _c(
    r"\b(?P<prep>on|since|by|until)\s+the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b(?!-)"
    r"(?!\s+(?!(?:of|and|or|at|in|when|as|after|before|but|while|with|amid|following|near|to|"
    r"from|for|that|the|this|last)\b)(?-i:[a-z]|[A-Z]{2,}\b))"
)
_P_MONTH = _c(
    rf"\b(?:(?P<prep>in|since|during|throughout|until|by|from)\s+(?:(?P<mod1>{_MOD}){_MODSEP})?"
    rf"|(?P<rel>last|next|this\s+past|this\s+coming|this)\s+|(?P<mod2>{_MOD}){_MODSEP})"
    rf"(?P<mon>{_MONTH})(?!\s*\d{{1,2}}\b)"
    r"(?:,?\s+(?:of\s+)?(?:(?P<y>\d{4})(?!\d)|(?P<ry>last|this|next)\s+year\b)"
    r"|,?\s+['’](?P<yy>\d\d)(?![\d'’]))?"
)
_P_MONTH_YEAR = _c(
    rf"\b(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?:(?P<y>\d{{4}})(?![\d,.]\d)|['’](?P<yy>\d\d)(?![\d'’]))"
)
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
# A year that modifies a noun: "2019's riots", "the 2022 invasion" (the determiner is checked
# by the resolver). Such a year names a past event in passing.
_P_YEAR_ATTR = _c(
    r"(?<![\w$€£.,/-])(?P<y>(?:1[89]|20)\d\d)\b(?![.,]\d)"
    rf"(?=(?P<poss>['’]s\b)|{_EVENT_NOUN_AFTER})"
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

REPORT_BEFORE = re.compile(
    r"\b(?:said|says|say|told\s+(?:[\w.'’-]+\s+){1,3}?|added|stated|announced|confirmed|"
    r"reported|wrote|tweeted|posted|warned|claimed|insisted|noted|acknowledged|denied|"
    r"statement|briefing|interview|conference)\s*,?\s*$",
    _F,
)
REPORT_AFTER = re.compile(r"\s*,\s*(?:[\w.'’-]+\s+){0,4}?(?:said|says|told)\b", _F)
SINCE_BEFORE = re.compile(r"\bsince\s+$", _F)
# A determiner right before a date that modifies a noun: "the 2022 invasion", "Russia's 2014
# annexation", "a March 2023 raid".
ATTR_DET_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|its|their|his|her|this|that|these|those)|\w['’]s)\s+$", _F
)
ATTR_NOUN_AFTER = _c(_EVENT_NOUN_AFTER)
POSSESSIVE_AFTER = re.compile(r"['’]s\b|(?<=s)['’](?!\w)")
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


class Ctx:
    """The text being scanned and its publication date."""

    __slots__ = ("text", "pub")

    def __init__(self, text: str, pub: date | None) -> None:
        self.text = text
        self.pub = pub

    def future(self, m: re.Match[str]) -> bool:
        return _tense(self.text, m.start(), m.end()) is True


# --------------------------------------------------------------------------- date helpers


def month_end(year: int, month: int) -> date:
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


def week_of(d: date) -> tuple[date, date]:
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
        return date(start.year, first, 1), month_end(start.year, last)
    if unit == "month":
        if mod == "early":
            return start, start.replace(day=10)
        if mod == "mid":
            return start.replace(day=11), start.replace(day=20)
        return start.replace(day=21), end
    lo, hi = {"early": (0, 2), "mid": (1, 3), "late": (3, 6)}[mod]
    return start + timedelta(days=lo), start + timedelta(days=hi)


def span_precision(start: date, end: date) -> str:
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
    """``d`` moved by ``n`` days, weeks, fortnights, months or years (negative: back)."""
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


def _unknown(*, future: bool = False) -> Res:
    return Res("unknown", future=future)


def _day(d: date, *, future: bool = False) -> Res:
    return Res("day", d, d, d, future)


# --------------------------------------------------------------------------- resolvers

Resolver = Callable[[re.Match[str], Ctx], "Res | None"]


def _explicit_day(year: int | None, month: int, day: int, m: re.Match[str], ctx: Ctx) -> Res:
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


def _pivot_year() -> int:
    """The year two-digit years are read against when there is no publication date."""
    return date.today().year


def expand_year(yy: int, ref: int | None) -> int:
    """A two-digit year in full: the latest year ending in ``yy`` that is at most ``ref + 1``.

    ``ref`` is the publication year, else the current year (:func:`_pivot_year`). In 2026, 00-27
    are 2000-2027 and 28-99 are 1928-1999; in an article published in 1990, "89" is 1989 and
    "24" is 1924.
    """
    top = (ref if ref is not None else _pivot_year()) + 1
    return top - (top - yy) % 100


def _year_of(m: re.Match[str], ctx: Ctx) -> int | None:
    """The year a match states, four digits or two, or ``None``."""
    gd = m.groupdict()
    if gd.get("y"):
        return int(gd["y"])
    if gd.get("yy"):
        return expand_year(int(gd["yy"]), ctx.pub.year if ctx.pub is not None else None)
    return None


def _r_iso(m: re.Match[str], ctx: Ctx) -> Res | None:
    return _explicit_day(int(m["y"]), int(m["m"]), int(m["d"]), m, ctx)


def _r_numeric(m: re.Match[str], ctx: Ctx) -> Res | None:
    a, b = int(m["a"]), int(m["b"])
    if m["sep"] == "/" and a <= 12:
        month, day = a, b  # US order
    else:
        day, month = a, b
    return _explicit_day(int(m["y"]), month, day, m, ctx)


def _r_month_day(m: re.Match[str], ctx: Ctx) -> Res | None:
    return _explicit_day(_year_of(m, ctx), month_num(m["mon"]), int(m["d"]), m, ctx)


def _r_day_of_month(m: re.Match[str], ctx: Ctx) -> Res | None:
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


def _r_month(m: re.Match[str], ctx: Ctx) -> Res | None:
    gd = m.groupdict()
    pub, month = ctx.pub, month_num(m["mon"])
    mod = _mod(gd.get("mod1") or gd.get("mod2"))
    rel, ry = _norm(gd.get("rel")), _norm(gd.get("ry"))
    future = False
    stated = _year_of(m, ctx)
    if stated is not None:
        year = stated
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
    start, end = _sub_range(date(year, month, 1), month_end(year, month), mod, "month")
    return Res("month", start, end, None, future)


def _r_year(m: re.Match[str], ctx: Ctx) -> Res | None:
    year = int(m["y"])
    start, end = _sub_range(
        date(year, 1, 1), date(year, 12, 31), _mod(m["mod1"] or m["mod2"]), "year"
    )
    return Res("year", start, end, None, ctx.pub is None and ctx.future(m))


def _r_year_attr(m: re.Match[str], ctx: Ctx) -> Res | None:
    if not m["poss"] and not ATTR_DET_BEFORE.search(ctx.text, max(0, m.start() - 40), m.start()):
        return None  # "killed 2000 protesters", "in 2022 protests spread": not a modifier
    year = int(m["y"])
    return Res("year", date(year, 1, 1), date(year, 12, 31), None, False, True)


def _r_weekday(m: re.Match[str], ctx: Ctx) -> Res | None:
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


def _r_deictic(m: re.Match[str], ctx: Ctx) -> Res | None:
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
        return Res("day", pub - timedelta(days=1), pub, pub)
    return _day(pub + timedelta(days=offset), future=future)


def _r_rel_period(m: re.Match[str], ctx: Ctx) -> Res | None:
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
        return Res(unit, pub - timedelta(days=back), pub)
    step = {"last": -1, "next": 1, "this coming": 1}.get(rel or "", 0)
    if unit == "week":
        start, end = week_of(pub + timedelta(days=7 * step))
    elif unit == "month":
        first = _add_months(pub.replace(day=1), step)
        start, end = first, month_end(first.year, first.month)
    else:
        start, end = date(pub.year + step, 1, 1), date(pub.year + step, 12, 31)
    start, end = _sub_range(start, end, mod, unit)
    if rel == "later this":
        start = max(start, min(pub + timedelta(days=1), end))
    return Res(unit, start, end, None, future)


def _r_weekend(m: re.Match[str], ctx: Ctx) -> Res | None:
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
    return Res("week", sat, sat + timedelta(days=1), None, mode == "next")


def _fuzzy_range(unit: str, n: str) -> tuple[int, int]:
    """Distance in days (far, near) of "a few" / "a couple of" units ago (or ahead)."""
    if unit == "hour":
        return 1, 0
    per = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}[unit]
    if n == "couple":
        return 3 * per, per
    return 7 * per, 2 * per


def _r_ago(m: re.Match[str], ctx: Ctx) -> Res | None:
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
        return Res(span_precision(start, end), start, end)
    if unit == "hour":
        lo, hi = n // 24, -(-n // 24)
        return Res(
            "day",
            pub - timedelta(days=hi),
            pub - timedelta(days=lo),
            pub - timedelta(days=(n + 12) // 24),
        )
    if unit == "day":
        return _day(pub - timedelta(days=n))
    if unit in ("week", "fortnight"):
        centre = pub - timedelta(days=n * (7 if unit == "week" else 14))
        return Res("week", centre - timedelta(days=3), centre + timedelta(days=3))
    if unit == "month":
        first = _add_months(pub.replace(day=1), -n)
        return Res("month", first, month_end(first.year, first.month))
    return Res("year", date(pub.year - n, 1, 1), date(pub.year - n, 12, 31))


def _range_length(n: int | str | None, plural: bool) -> int | str:
    """The number of units of "the past N units": "few" for "the past days", else 1."""
    if n is None:
        return "few" if plural else 1
    return n


def _r_past_range(m: re.Match[str], ctx: Ctx) -> Res | None:
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
    return Res(span_precision(start, pub), start, pub)


_FUZZY_COUNT = {"hour": 24, "day": 7, "week": 4, "fortnight": 2, "month": 3, "year": 3}


def _r_future_range(m: re.Match[str], ctx: Ctx) -> Res | None:
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
    return Res(span_precision(start, end), start, end, None, True)


def _r_in_n(m: re.Match[str], ctx: Ctx) -> Res | None:
    if not m["time"] and not ctx.future(m):
        return None  # "killed 30 people in three days": a duration, not a date
    pub, unit = ctx.pub, m["unit"].lower()
    n = _parse_num(m["n"])
    if pub is None:
        return _unknown(future=True)
    if isinstance(n, str) or n is None:
        far, near = _fuzzy_range(unit, n or "few")
        start, end = pub + timedelta(days=max(1, near)), pub + timedelta(days=far)
        return Res(span_precision(start, end), start, end, None, True)
    if unit == "hour":
        return _day(pub + timedelta(days=(n + 12) // 24), future=True)
    if unit == "day":
        return _day(pub + timedelta(days=n), future=True)
    if unit in ("week", "fortnight"):
        centre = pub + timedelta(days=n * (7 if unit == "week" else 14))
        return Res("week", centre - timedelta(days=3), centre + timedelta(days=3), None, True)
    if unit == "month":
        first = _add_months(pub.replace(day=1), n)
        return Res("month", first, month_end(first.year, first.month), None, True)
    return Res("year", date(pub.year + n, 1, 1), date(pub.year + n, 12, 31), None, True)


_RECENT_DAYS = {"days": 7, "weeks": 28, "months": 90, "times": 14}
_RECENT_PRECISION = {"days": "week", "weeks": "week", "months": "month", "times": "week"}


def _r_recent(m: re.Match[str], ctx: Ctx) -> Res | None:
    pub = ctx.pub
    if pub is None:
        return _unknown()
    unit = (m["unit"] or "times").lower()
    if unit == "years":
        return Res("year", _add_years(pub, -3), pub)
    return Res(_RECENT_PRECISION[unit], pub - timedelta(days=_RECENT_DAYS[unit]), pub)


# --------------------------------------------------------------------------- anchors

# Every match of a rule's pattern contains a match of its anchor, a fast case-sensitive scan
# (of the ASCII-lower-cased text unless marked ``False``), at most ``extract.timex._BACK``
# characters after the match's start and ``extract.timex._FWD`` before its end. Full patterns
# run only in windows around anchors (``extract.timex._windows``).
# A month begins a word: the test comes after the literal, as a look-behind, so that the regex
# engine still skips ahead to the letters that begin a month (a leading word-boundary test makes
# the scan three times slower). It keeps caps words such as "UNDECIDED" or "SUMMARY" from opening
# windows.
_A_MONTH = re.compile(
    "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|"
    "OCT|NOV|DEC)(?<=\\b...)"
)
_A_DASH = re.compile(r"\d-\d")
_A_SEP = re.compile(r"\d[/.]\d")
_A_ORDINAL = re.compile(r"the\s+\d")
_A_YEAR = re.compile(r"\d\d\d\d")
_A_YEAR_ATTR = re.compile(r"\d\d\d\d(?:['’]s|\s)")
_A_DEICTIC = re.compile("today|tonight|tomorrow|yesterday|morning|afternoon|evening|night")
_A_DAY = re.compile("day")
_A_WEEKEND = re.compile("weekend")
_A_PERIOD = re.compile("week|month|year")
_A_AGO = re.compile("ago")
_A_PAST = re.compile("past|last")
_A_COMING = re.compile("coming|next")
_A_UNIT = re.compile("hour|day|week|fortnight|month|year")
_A_RECENT = re.compile(r"recent|lately|of\s+late")
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# The only non-ASCII letters that re.IGNORECASE matches to ASCII ones: "ſunday" matches the
# weekday pattern but lower-cases to "ſunday", which misses the vocabulary tables (KeyError).
# Matching on text with these folded (one character for one, so offsets hold) makes the match
# and the table lookups agree.
CASE_TWINS = str.maketrans({"\u0130": "I", "\u0131": "i", "\u017f": "s", "\u212a": "K"})

# Order only breaks ties between equally long overlapping matches.
RULES: tuple[tuple[re.Pattern[str], Resolver, re.Pattern[str], bool], ...] = (
    (P_ISO, _r_iso, _A_DASH, True),
    (P_NUMERIC, _r_numeric, _A_SEP, True),
    (P_MDY, _r_month_day, _A_MONTH, False),
    (P_DMY, _r_month_day, _A_MONTH, False),
    (_P_DAY_OF_MONTH, _r_day_of_month, _A_ORDINAL, True),
    (_P_MONTH, _r_month, _A_MONTH, False),
    (_P_MONTH_YEAR, _r_month, _A_MONTH, False),
    (_P_YEAR, _r_year, _A_YEAR, True),
    (_P_YEAR_ATTR, _r_year_attr, _A_YEAR_ATTR, True),
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
