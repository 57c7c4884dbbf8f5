"""The resolvers and the rule table of :mod:`extract.events.timex`.

One resolver per pattern of :mod:`extract.events._timex_patterns` turns a match into a raw
:class:`Res` (dates, precision, whether it points forward), using the clause's tense
(:mod:`extract.events._timex_context`) and calendar arithmetic
(:mod:`extract.events._timex_calendar`). ``RULES`` ties each pattern to its resolver and to a cheap
literal anchor that must occur in every match, so that full patterns only run near anchors. This
module is internal to :mod:`extract.events.timex`, which holds the public API and documents the
behaviour (see its module docstring for the decisions on ambiguous cases).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from extract.events._timex_calendar import (
    add_months,
    add_years,
    expand_year,
    hours_days,
    month_end,
    pick_year,
    shift,
    span_precision,
    sub_range,
    week_of,
)
from extract.events._timex_context import ATTR_DET_BEFORE, Ctx
from extract.events._timex_patterns import (
    NUM_WORDS,
    P_AGO,
    P_DAY_OF_MONTH,
    P_DEICTIC,
    P_DMY,
    P_FUTURE_RANGE,
    P_IN_N,
    P_ISO,
    P_MDY,
    P_MONTH,
    P_MONTH_YEAR,
    P_NUMERIC,
    P_PAST_RANGE,
    P_RECENT,
    P_REL_PERIOD,
    P_WEEKDAY,
    P_WEEKEND,
    P_YEAR,
    P_YEAR_ATTR,
    WD_INDEX,
    month_num,
)

__all__ = ["RULES", "Res", "Resolver"]

_F = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class Res:
    """A resolver's raw answer, before capping at publication."""

    precision: str
    start: date | None = None
    end: date | None = None
    day: date | None = None
    future: bool = False
    attributive: bool = False


_TODAY_NAME = re.compile(r"\b(?-i:[A-Z])\w*[ \t]+$")
_HOLIDAY_BEFORE = re.compile(
    r"\b(?:black|good|bloody|super|easter|palm|ash|holy|cyber|giving|maundy)\s+$", _F
)
_CAPITAL_AFTER = re.compile(r"\s+(?-i:[A-Z][a-z])")


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
    return NUM_WORDS[s.replace(" ", "-")]


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
    return _day(pick_year(pub, month, day, future=future), future=future)


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
        candidate = add_months(first, step)
    for _ in range(3):  # the 31st: walk to a month that has one
        if day <= calendar.monthrange(candidate.year, candidate.month)[1]:
            return _day(candidate.replace(day=day), future=future)
        candidate = add_months(candidate, step)
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
    start, end = sub_range(date(year, month, 1), month_end(year, month), mod, "month")
    return Res("month", start, end, None, future)


def _r_year(m: re.Match[str], ctx: Ctx) -> Res | None:
    year = int(m["y"])
    start, end = sub_range(
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
    wd = WD_INDEX[m["wd"].lower()]
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
        first = add_months(pub.replace(day=1), step)
        start, end = first, month_end(first.year, first.month)
    else:
        start, end = date(pub.year + step, 1, 1), date(pub.year + step, 12, 31)
    start, end = sub_range(start, end, mod, unit)
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
        first = add_months(pub.replace(day=1), -n)
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
        start = pub - timedelta(days=hours_days(n))
    else:
        start = shift(pub, unit, -n)
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
    end = pub + timedelta(days=hours_days(n)) if unit == "hour" else shift(pub, unit, n)
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
        first = add_months(pub.replace(day=1), n)
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
        return Res("year", add_years(pub, -3), pub)
    return Res(_RECENT_PRECISION[unit], pub - timedelta(days=_RECENT_DAYS[unit]), pub)


# --------------------------------------------------------------------------- anchors

# Every match of a rule's pattern contains a match of its anchor, a fast case-sensitive scan
# (of the ASCII-lower-cased text unless marked ``False``), at most ``extract.events.timex._BACK``
# characters after the match's start and ``extract.events.timex._FWD`` before its end. Full patterns
# run only in windows around anchors (``extract.events.timex._windows``).
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


# Order only breaks ties between equally long overlapping matches.
RULES: tuple[tuple[re.Pattern[str], Resolver, re.Pattern[str], bool], ...] = (
    (P_ISO, _r_iso, _A_DASH, True),
    (P_NUMERIC, _r_numeric, _A_SEP, True),
    (P_MDY, _r_month_day, _A_MONTH, False),
    (P_DMY, _r_month_day, _A_MONTH, False),
    (P_DAY_OF_MONTH, _r_day_of_month, _A_ORDINAL, True),
    (P_MONTH, _r_month, _A_MONTH, False),
    (P_MONTH_YEAR, _r_month, _A_MONTH, False),
    (P_YEAR, _r_year, _A_YEAR, True),
    (P_YEAR_ATTR, _r_year_attr, _A_YEAR_ATTR, True),
    (P_DEICTIC, _r_deictic, _A_DEICTIC, True),
    (P_WEEKDAY, _r_weekday, _A_DAY, True),
    (P_WEEKEND, _r_weekend, _A_WEEKEND, True),
    (P_REL_PERIOD, _r_rel_period, _A_PERIOD, True),
    (P_AGO, _r_ago, _A_AGO, True),
    (P_PAST_RANGE, _r_past_range, _A_PAST, True),
    (P_FUTURE_RANGE, _r_future_range, _A_COMING, True),
    (P_IN_N, _r_in_n, _A_UNIT, True),
    (P_RECENT, _r_recent, _A_RECENT, True),
)
