"""The plan of a load run: the synthetic store, each session's dates, the markers expected.

Used by ``bench/load.py`` and ``tests/test_load.py``. :func:`ensure_store` builds (or reuses)
a SYNTHETIC store of incidents, :func:`plan_sessions` gives each session a start date and the
◀/▶ presses that follow, and :func:`expected_markers` reads from the store how many markers
the map must draw for each day, so that every step can be checked.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

__all__ = ["OUT", "WINDOW", "SessionPlan", "ensure_store", "expected_markers", "plan_sessions"]

ROOT = Path(__file__).resolve().parents[1]
#: Where the cached stores are kept (git-ignored).
OUT = ROOT / "bench" / "out"
#: The time window every session keeps while it scrubs.
WINDOW = "week"


@dataclass(frozen=True)
class SessionPlan:
    """What one session does: the date it opens, then the ◀/▶ presses and dates they lead to."""

    start: date
    directions: tuple[int, ...]
    days: tuple[date, ...]


def ensure_store(
    n_incidents: int, *, seed: int = 7, folder: Path = OUT, fresh: bool = False
) -> Path:
    """A synthetic store of ``n_incidents`` in ``folder``, built unless a valid one is there.

    Parameters
    ----------
    n_incidents
        Incidents in the store.
    seed
        Seed of :func:`bench.query.build_synthetic_store`.
    folder
        Where the store is kept (``bench/out/`` by default, git-ignored).
    fresh
        Rebuild even when a store is there.

    Returns
    -------
    Path
        The store's file.
    """
    from bench.query import build_synthetic_store
    from geodata.store.event_store import Store

    path = folder / f"load-{n_incidents}-{seed}.duckdb"
    if path.exists() and not fresh:
        try:
            if Store(path).stats().get("incidents") == n_incidents:
                return path
        except Exception as exc:  # noqa: BLE001 - any unreadable store is rebuilt
            print(f"rebuilding {path}: {exc}", file=sys.stderr)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    build_synthetic_store(path, n_incidents=n_incidents, seed=seed)
    return path


def plan_sessions(lo: date, hi: date, sessions: int, steps: int) -> list[SessionPlan]:
    """Start dates spread over ``[lo, hi]`` and each session's ◀/▶ presses.

    Session ``i`` starts ``i * spacing`` days before ``hi`` (the spacing is not a multiple of
    a week, so two sessions do not ask for the same week) and steps back a week at a time; at
    ``lo`` it turns round and steps forward.
    """
    from geodata.view import step_date

    span = (hi - lo).days
    spacing = max(1, (span - 7 * steps) // max(1, sessions - 1))
    if spacing % 7 == 0:
        spacing -= 1
    plans = []
    for i in range(sessions):
        start = hi - timedelta(days=(i * spacing) % (span + 1))
        day, direction, directions, days = start, -1, [], []
        for _ in range(steps):
            if direction < 0 and (day - lo).days < 7:
                direction = 1
            elif direction > 0 and (hi - day).days < 7:
                direction = -1
            day = step_date(day, WINDOW, direction, lo, hi)
            directions.append(direction)
            days.append(day)
        plans.append(SessionPlan(start, tuple(directions), tuple(days)))
    return plans


def expected_markers(db: Path, days: set[date]) -> dict[date, int]:
    """Markers the map should draw for the week ending on each day (located incidents among
    the newest :data:`geodata.view.MAX_MARKERS`, as the app reads them)."""
    from geodata.store.event_store import Store
    from geodata.view import MAX_MARKERS, DateWindow

    store = Store(db)
    out = {}
    for day in days:
        start, end = DateWindow.ending(day, WINDOW).to_strings()
        rows = store.incidents(start=start, end=end, limit=MAX_MARKERS)
        out[day] = sum(1 for r in rows if r.get("lat") is not None)
    return out
