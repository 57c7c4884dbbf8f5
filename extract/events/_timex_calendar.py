"""Calendar arithmetic for resolving dates in :mod:`extract.events.timex`.

Month ends, adding months and years (clamped to the month's last day), ISO weeks, the early /
mid / late part of a period, the precision a range's length implies, and the year a two-digit
year or a day without a year stands for. Plain :class:`datetime.date` arithmetic: no text.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

__all__ = [
    "add_months",
    "add_years",
    "expand_year",
    "hours_days",
    "month_end",
    "pick_year",
    "shift",
    "span_precision",
    "sub_range",
    "week_of",
]


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` in ``year``."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` months (negative: back), its day clamped to the month's last."""
    total = d.year * 12 + d.month - 1 + n
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_years(d: date, n: int) -> date:
    """``d`` moved by ``n`` years (negative: back); 29 February becomes the 28th."""
    year = d.year + n
    day = min(d.day, calendar.monthrange(year, d.month)[1])
    return date(year, d.month, day)


def week_of(d: date) -> tuple[date, date]:
    """The Monday and the Sunday of ``d``'s week."""
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def sub_range(start: date, end: date, mod: str | None, unit: str) -> tuple[date, date]:
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


def shift(d: date, unit: str, n: int) -> date:
    """``d`` moved by ``n`` days, weeks, fortnights, months or years (negative: back)."""
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(days=7 * n)
    if unit == "fortnight":
        return d + timedelta(days=14 * n)
    if unit == "month":
        return add_months(d, n)
    return add_years(d, n)


def hours_days(n: int) -> int:
    """Whole days covered by ``n`` hours, at least one."""
    return max(1, -(-n // 24))


def pick_year(pub: date, month: int, day: int, *, future: bool) -> date:
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
