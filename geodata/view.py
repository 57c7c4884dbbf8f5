"""What a map view asks of the store: the incident filter and the date window, typed once.

:class:`IncidentFilter` holds every filter the store's reads take (the only place their names
are spelled out); the sidebar, the CLI options, share links and snapshots all build one.
:class:`DateWindow` is a window of dates (``date`` objects inside, ISO strings only in
:meth:`DateWindow.to_strings`), made from the scrubber's day and window length with
:meth:`DateWindow.ending`. Neither knows about Streamlit, so benchmarks and the CLI use them too.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from geodata.dates import iso_date, period_words
from geodata.errors import InputError

__all__ = [
    "DEFAULT_WINDOW",
    "MAX_MARKERS",
    "MISSING",
    "WINDOWS",
    "WINDOW_LABELS",
    "add_months",
    "DateWindow",
    "IncidentFilter",
    "clamp_date",
    "step_date",
]

#: Window name → its length in days (``None``: everything up to the day).
WINDOWS: dict[str, int | None] = {"day": 1, "week": 7, "month": 30, "all": None}
#: Window name → how the app labels it.
WINDOW_LABELS = {"day": "Day", "week": "Week", "month": "Month", "all": "Up to date"}
#: A map view draws at most this many incidents (the newest); more would slow the browser.
MAX_MARKERS = 10_000
DEFAULT_WINDOW = "all"
#: Play and the arrow keys in the "all" window move by this many days.
_ALL_STEP_DAYS = 7

#: ``missing=``: what an incident lacks that the time-scrubbed map needs (SQL over
#: ``incidents i``). "place" is a missing point: a place name without coordinates counts too.
MISSING: dict[str, str] = {
    "date": 'i."date" IS NULL',
    "place": "(i.lat IS NULL OR i.lon IS NULL)",
    "any": '(i."date" IS NULL OR i.lat IS NULL OR i.lon IS NULL)',
}


@dataclass(frozen=True, slots=True)
class DateWindow:
    """Dates from ``start`` to ``end``, both inclusive; ``None`` leaves that side open."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", iso_date(self.start, what="start", timestamp=True))
        object.__setattr__(self, "end", iso_date(self.end, what="end", timestamp=True))

    @classmethod
    def ending(cls, day: date | None, window: str) -> DateWindow:
        """The window of ``window``'s length (:data:`WINDOWS`) ending on ``day``: "all" has no
        start; without a day there is no bound at all."""
        if day is None:
            return cls()
        days = WINDOWS.get(window, WINDOWS[DEFAULT_WINDOW])
        return cls(None if days is None else day - timedelta(days=days - 1), day)

    def __iter__(self) -> Iterator[date | None]:
        """``start, end = window``."""
        return iter((self.start, self.end))

    def to_strings(self) -> tuple[str | None, str | None]:
        """``(start, end)`` as ``YYYY-MM-DD`` (for URLs and JSON)."""
        return tuple(d.isoformat() if d else None for d in (self.start, self.end))  # type: ignore[return-value]

    @property
    def words(self) -> str:
        """The window in words: "on 2024-11-05", "2024-11-01 → 2024-11-05", "up to …"."""
        return period_words(*self.to_strings())


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the 31st becomes the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def step_date(day: date, window: str, direction: int, lo: date, hi: date) -> date:
    """The date one step (a window's length; a week for "all") before or after ``day``,
    kept within ``[lo, hi]``."""
    sign = 1 if direction >= 0 else -1
    if window == "month":
        moved = add_months(day, sign)
    else:
        days = WINDOWS.get(window) or _ALL_STEP_DAYS
        moved = day + timedelta(days=sign * days)
    return clamp_date(moved, lo, hi)


def clamp_date(day: date, lo: date, hi: date) -> date:
    """``day`` kept within ``[lo, hi]``."""
    return min(max(day, lo), hi)


def _names(values: str | Iterable[Any] | None, *, upper: bool = False) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    out = (v for v in (str(x).strip() for x in values) if v)
    return tuple(v.upper() for v in out) if upper else tuple(out)


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """Which incidents a read returns; every field left at its default matches all.

    Values are normalized on construction: dates from ``YYYY-MM-DD`` strings (an
    :class:`~geodata.errors.InputError` names a bad one), lists to tuples of stripped non-empty
    strings, country codes upper-case.

    Parameters
    ----------
    start, end
        Bounds (inclusive) on the incident's ``date``; undated incidents are left out when
        either is given.
    types, sub_types, countries
        Any of these event types, sub-types, ISO country codes (any case).
    actors
        Any of these is a case-insensitive substring of ``actor1`` or ``actor2``.
    text
        Every word occurs (case-insensitive) in the sentence, location, actors or the title of
        a source article.
    min_fatalities
        At least this many fatalities; 0: no filter.
    missing
        Only the incidents the time-scrubbed map cannot draw (:data:`MISSING`): ``"date"``,
        ``"place"`` or ``"any"``.
    """

    start: date | None = None
    end: date | None = None
    types: tuple[str, ...] = ()
    sub_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    text: str = ""
    min_fatalities: int = 0
    missing: str | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "start", iso_date(self.start, what="start", timestamp=True))
        put(self, "end", iso_date(self.end, what="end", timestamp=True))
        put(self, "types", _names(self.types))
        put(self, "sub_types", _names(self.sub_types))
        put(self, "countries", _names(self.countries, upper=True))
        put(self, "actors", _names(self.actors))
        put(self, "text", str(self.text or "").strip())
        put(self, "min_fatalities", max(int(self.min_fatalities or 0), 0))
        if self.missing is not None and self.missing not in MISSING:
            choices = ", ".join(repr(k) for k in MISSING)
            message = f"missing={self.missing!r}: use one of {choices} (or None)"
            raise InputError(message)

    def replace(self, **changes: Any) -> IncidentFilter:
        """A copy with ``changes`` (normalized as on construction)."""
        return replace(self, **changes)

    def within(self, window: DateWindow) -> IncidentFilter:
        """This filter limited to ``window``'s dates."""
        return replace(self, start=window.start, end=window.end)

    @property
    def active(self) -> bool:
        """Whether anything but the dates narrows the incidents."""
        return bool(self.to_dict(dates=False))

    def to_dict(self, *, dates: bool = True) -> dict[str, Any]:
        """The fields that are set, as JSON values (lists, ISO dates); see :meth:`from_dict`."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("start", "end"):
                if dates and value is not None:
                    out[f.name] = value.isoformat()
            elif value:
                out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IncidentFilter:
        """The filter :meth:`to_dict` wrote (unknown keys ignored; a bad value dropped, as a
        hand-edited saved view must still open)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        try:
            return cls(**values)
        except (InputError, TypeError, ValueError):
            good: dict[str, Any] = {}
            for key, value in values.items():
                try:
                    cls(**{key: value})
                except (InputError, TypeError, ValueError):
                    continue
                good[key] = value
            return cls(**good)

    def describe(self) -> str:
        """The filters but the dates in words ("type: Battles · ≥ 5 killed"; empty when none)."""
        parts = []
        for values, label in (
            (self.types, "type"),
            (self.sub_types, "sub-type"),
            (self.countries, "country"),
            (self.actors, "actor"),
        ):
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        if self.text:
            parts.append(f"text: {self.text}")
        if self.min_fatalities:
            parts.append(f"≥ {self.min_fatalities} killed")
        return " · ".join(parts)
