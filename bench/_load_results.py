"""What a load run measured: each step's times and errors, the summary figures, the CPU used.

:class:`LoadResult` collects the :class:`StepResult` of every session's steps and computes the
summary (nearest-rank percentiles of rerun and run-done times). :func:`cpu_by_kind` reads the
CPU seconds of this process tree by kind (server, browser, driver) from ``/proc``, and
:func:`server_tracebacks` finds the tracebacks in the server's log, which count as errors.
"""

from __future__ import annotations

import math
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["LoadResult", "StepResult", "cpu_by_kind", "server_tracebacks"]


@dataclass
class StepResult:
    """One ◀/▶ press of one session."""

    session: int
    step: int
    day: str
    markers_expected: int
    markers: int | None = None
    rerun_s: float | None = None
    done_s: float | None = None
    error: str | None = None


@dataclass
class LoadResult:
    """Every step of every session, the errors, and the wall times."""

    sessions: int
    steps_planned: int
    steps: list[StepResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    open_s: float = 0.0
    scrub_s: float = 0.0
    #: CPU seconds used while scrubbing, by process kind (:func:`cpu_by_kind`)
    cpu_s: dict[str, float] = field(default_factory=dict)
    #: the same while opening the sessions
    cpu_open_s: dict[str, float] = field(default_factory=dict)

    @property
    def completed(self) -> list[int]:
        """Steps completed without error, per session."""
        done = [0] * self.sessions
        for s in self.steps:
            if s.error is None:
                done[s.session] += 1
        return done

    def rerun_times(self) -> list[float]:
        """Sorted rerun times (s) of the steps without error."""
        return sorted(s.rerun_s for s in self.steps if s.rerun_s is not None and s.error is None)

    def done_times(self) -> list[float]:
        """Sorted run-done times (s) of the steps without error."""
        return sorted(s.done_s for s in self.steps if s.done_s is not None and s.error is None)

    def figures(self) -> dict[str, Any]:
        """The summary: counts, and rerun / run-done time p50, p95 and max (seconds)."""
        rerun, done = self.rerun_times(), self.done_times()
        return {
            "sessions": self.sessions,
            "steps_planned": self.sessions * self.steps_planned,
            "steps_ok": len(rerun),
            "errors": len(self.errors),
            "rerun_p50_s": _percentile(rerun, 50),
            "rerun_p95_s": _percentile(rerun, 95),
            "rerun_max_s": max(rerun, default=math.nan),
            "done_p50_s": _percentile(done, 50),
            "done_p95_s": _percentile(done, 95),
            "done_max_s": max(done, default=math.nan),
            "markers_mean": statistics.mean(s.markers_expected for s in self.steps)
            if self.steps
            else 0,
            "open_s": self.open_s,
            "scrub_s": self.scrub_s,
            **{f"cpu_{kind}_s": cpu for kind, cpu in self.cpu_s.items()},
        }


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted ``values`` (NaN when empty)."""
    if not values:
        return math.nan
    return values[max(0, math.ceil(q / 100 * len(values)) - 1)]


def server_tracebacks(log: Path) -> list[str]:
    """Each traceback in the server log, as its last line (the exception)."""
    found: list[str] = []
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    for k, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last)"):
            tail = next(
                (t for t in lines[k + 1 :] if t and not t.startswith((" ", "\t"))), "(no message)"
            )
            found.append(f"server traceback: {tail}")
    return found


def cpu_by_kind() -> dict[str, float]:
    """CPU seconds (user + system) so far of this process and its descendants, by kind:
    ``server`` (streamlit), ``browser`` (Chromium), ``driver`` (this process and Playwright's).

    Linux only (``/proc``); processes that have exited are not counted.
    """
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[float, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid, ppid = int(entry.name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        info[pid] = ((int(fields[11]) + int(fields[12])) / tick, cmd)
    out = {"server": 0.0, "browser": 0.0, "driver": 0.0}
    todo = [os.getpid()]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        cpu, cmd = info.get(pid, (0.0, ""))
        kind = "server" if "streamlit" in cmd else "browser" if "chrom" in cmd else "driver"
        out[kind] += cpu
    return out
