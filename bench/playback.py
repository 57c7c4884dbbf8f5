"""Playback export speed and size: a year of weekly frames of SYNTHETIC incidents.

SYNTHETIC DATA: ``bench/render.py``'s :func:`synthetic_rows` (random positions and types),
given dates spread evenly over the range; they are not real events.

For each format (default GIF and MP4) it writes :func:`geodata.maps.playback.write_playback`
of ``--incidents`` incidents over ``--weeks`` weekly frames at ``--width`` × ``--height`` (one
headless Chromium page, markers flipped per frame) and prints the wall time, the file size
and the frame count, rolling and (with ``--cumulative``) cumulative.

Usage::

    .venv/bin/python bench/playback.py                     # 10,000 incidents, 52 weeks, GIF+MP4
    .venv/bin/python bench/playback.py --formats gif mp4 webm --cumulative
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.render import synthetic_rows  # noqa: E402
from geodata.maps.playback import write_playback  # noqa: E402
from geodata.maps.snapshot import MapView  # noqa: E402

__all__ = ["dated_rows", "main"]

START = date(2024, 1, 1)


def dated_rows(n: int, days: int) -> list[dict[str, Any]]:
    """``n`` synthetic incidents with dates spread evenly over ``days`` days from 2024-01-01."""
    rows = synthetic_rows(n)
    for i, row in enumerate(rows):
        day = (START + timedelta(days=i * days // n)).isoformat()
        row.update(date=day, date_start=day, date_end=day)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--fps", type=float, default=2.0)
    parser.add_argument("--formats", nargs="+", default=["gif", "mp4"])
    parser.add_argument("--cumulative", action="store_true", help="also the cumulative window")
    args = parser.parse_args(argv)

    print(f"Command: .venv/bin/python bench/playback.py {' '.join(argv or sys.argv[1:])}".rstrip())
    rows = dated_rows(args.incidents, 7 * args.weeks)
    end = START + timedelta(days=7 * args.weeks - 1)
    view = MapView(title="Synthetic incidents (benchmark)")
    windows = ["rolling", "cumulative"] if args.cumulative else ["rolling"]
    print(
        f"\n{args.incidents:,} SYNTHETIC incidents, {START} to {end} in weekly steps, "
        f"{args.width}×{args.height}, {args.fps:g} fps\n"
    )
    print("| format | window | frames | time | size |")
    print("|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="dateline-bench-play-") as tmp:
        for window in windows:
            for fmt in args.formats:
                out = Path(tmp) / f"play-{window}.{fmt}"
                done = write_playback(rows, out, view, start=START, end=end, step="week",
                                      window=window, fps=args.fps, width=args.width,
                                      height=args.height)  # fmt: skip
                print(
                    f"| {fmt} | {window} | {done.frames} | {done.seconds:.1f} s "
                    f"| {done.bytes / 1e6:.2f} MB |"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
