"""A playback's frames as dates: the steps from a start to an end date (a day, a week or a
month each, every frame showing its step or everything up to it), and the words stamped on
each frame. Pure dates, no drawing (:mod:`geodata.maps.playback` draws them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from geodata.dates import iso_date, period_words
from geodata.errors import InputError
from geodata.view import add_months

__all__ = [
    "MAX_FRAMES",
    "STEPS",
    "WINDOWS",
    "FrameWindow",
    "frame_caption",
    "frame_stamp",
    "frame_windows",
]

#: the step lengths a playback moves by
STEPS = ("day", "week", "month")
#: "rolling": each frame shows its own step; "cumulative": everything up to the step's end
WINDOWS = ("rolling", "cumulative")
#: More frames than this would hold too many pictures in memory (GIF) and take minutes.
MAX_FRAMES = 500
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class FrameWindow:
    """One step of a playback: the incidents dated ``start`` to ``end`` (inclusive) are shown;
    ``step_start`` is where the step itself begins (the same as ``start`` unless cumulative)."""

    index: int
    start: date
    end: date
    step_start: date


def _step_end(start: date, step: str, k: int) -> date:
    """The last day of step ``k`` (0-based) of a playback starting on ``start``."""
    if step == "day":
        return start + timedelta(days=k)
    if step == "week":
        return start + timedelta(days=7 * k + 6)
    return add_months(start, k + 1) - timedelta(days=1)


def _check_choice(name: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise InputError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def frame_windows(
    start: date | str, end: date | str, *, step: str = "week", window: str = "rolling"
) -> list[FrameWindow]:
    """The steps of a playback from ``start`` to ``end`` (both inclusive).

    Parameters
    ----------
    start, end
        The range (dates or ``YYYY-MM-DD``).
    step
        ``"day"``, ``"week"`` (7 days from ``start``) or ``"month"`` (to the day before the
        same day of the next month); the last step is cut at ``end``.
    window
        ``"rolling"``: a frame shows its step; ``"cumulative"``: everything from ``start``.

    Raises
    ------
    InputError
        A bad date, step or window, ``start`` after ``end``, or more than :data:`MAX_FRAMES`.
    """
    _check_choice("step", step, STEPS)
    _check_choice("window", window, WINDOWS)
    first = iso_date(start, what="start date")
    last = iso_date(end, what="end date")
    if first is None or last is None:
        raise InputError("a playback needs a start and an end date (--from and --to)")
    if first > last:
        raise InputError(f"the start date {first} is after the end date {last}")
    # the step count, estimated before building anything (a day step over decades is refused)
    approx = {"day": 1, "week": 7, "month": 28}[step]
    if (last - first).days // approx + 1 > MAX_FRAMES + 1:
        raise InputError(
            f"{first} to {last} in {step} steps is more than {MAX_FRAMES} frames: "
            "use a longer step or a shorter range"
        )
    out: list[FrameWindow] = []
    step_start = first
    while step_start <= last:
        step_end = min(_step_end(first, step, len(out)), last)
        shown_from = first if window == "cumulative" else step_start
        out.append(FrameWindow(len(out), shown_from, step_end, step_start))
        step_start = step_end + timedelta(days=1)
    if len(out) > MAX_FRAMES:
        raise InputError(
            f"{first} to {last} in {step} steps is {len(out)} frames, more than {MAX_FRAMES}: "
            "use a longer step or a shorter range"
        )
    return out


def _day_words(day: date, *, year: bool = True) -> str:
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def frame_stamp(frame: FrameWindow, *, step: str = "week", window: str = "rolling") -> str:
    """The big date stamp of a frame: "5 Mar 2024" (a day), "4 – 10 Mar 2024" (a week or a
    step that is cut), "Mar 2024" (a calendar month), "up to 10 Mar 2024" (cumulative)."""
    lo, hi = frame.step_start, frame.end
    if window == "cumulative":
        return f"up to {_day_words(hi)}"
    if lo == hi:
        return _day_words(lo)
    if step == "month" and lo.day == 1 and (hi + timedelta(days=1)).day == 1:
        return f"{_MONTHS[lo.month - 1]} {lo.year}"
    if lo.year != hi.year:
        return f"{_day_words(lo)} – {_day_words(hi)}"
    if lo.month != hi.month:
        return f"{_day_words(lo, year=False)} – {_day_words(hi)}"
    return f"{lo.day} – {_day_words(hi)}"


def frame_caption(frame: FrameWindow, shown: int, located: int | None = None) -> str:
    """The title box's line under the title for a frame: its dates and incident count."""
    count = f"{shown:,} incident{'s' if shown != 1 else ''}"
    if located is not None and located != shown:
        count += f" ({located:,} on the map)"
    return f"{period_words(frame.start, frame.end)} · {count}"
