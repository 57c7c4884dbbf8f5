"""The one reading of a ``YYYY-MM-DD`` date at the project's edges (URL, JSON, CSV, command
line): inside, dates are :class:`datetime.date` objects.
"""

from __future__ import annotations

import argparse
import re
from datetime import date, datetime
from typing import Any

from geodata.errors import InputError

__all__ = ["ISO_DATE", "date_argument", "iso_date", "period_words"]

#: A calendar date written ``YYYY-MM-DD`` (no other ISO 8601 form).
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# the date part of a timestamp: "2024-11-05T10:00:00Z", "2024-11-05 10:00"
_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}.*)?")


def iso_date(
    value: Any,
    *,
    what: str = "date",
    timestamp: bool = False,
    source: str | None = None,
    line: int | None = None,
) -> date | None:
    """``value`` as a date: ``None`` or ``""`` is unknown, a ``date`` or ``datetime`` is taken
    as it is, a string must be ``YYYY-MM-DD`` (with ``timestamp=True`` also the date part of
    an ISO timestamp, "2024-11-05T10:00:00Z").

    Raises
    ------
    InputError
        ``invalid <what> '<value>': expected a date written YYYY-MM-DD``, located at
        ``source``/``line`` when given.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip() if timestamp else value
        match = (_STAMP if timestamp else ISO_DATE).fullmatch(text)
        if match is not None:
            try:
                return date.fromisoformat(match.group(1) if timestamp else text)
            except ValueError:
                pass
    message = f"invalid {what} {value!r}: expected a date written YYYY-MM-DD"
    raise InputError(message, source=source, line=line)


def date_argument(value: str) -> str:
    """An ``argparse`` type for ``--from``/``--to``/``--published``: the same ``YYYY-MM-DD``."""
    if not value:
        return ""
    try:
        parsed = iso_date(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    assert parsed is not None
    return parsed.isoformat()


def period_words(start: date | str | None, end: date | str | None) -> str:
    """A date window in words: "on 2024-11-05", "2024-11-01 → 2024-11-05", "up to …",
    "from …" or "all dates" (the map's caption, share titles and snapshot headers say it so)."""
    start, end = (str(d) if d else None for d in (start, end))  # a date prints as YYYY-MM-DD
    if start and end:
        return f"on {end}" if start == end else f"{start} → {end}"
    if end:
        return f"up to {end}"
    if start:
        return f"from {start}"
    return "all dates"
