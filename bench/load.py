"""Load: concurrent sessions scrubbing the map of a SYNTHETIC store of 100k incidents.

    .venv/bin/python bench/load.py [--client ws|browser] [--sessions 20] [--steps 10]

SYNTHETIC DATA: the store is built by ``bench/query.py``'s :func:`build_synthetic_store`
(real city coordinates jittered, random types, dates over 2023-2024; not real events), cached
as ``bench/out/load-<incidents>-<seed>.duckdb`` (git-ignored) and reused while it still holds
that many incidents (``--fresh`` rebuilds it).

``streamlit run app.py`` is started on a free local port with ``DATELINE_DB`` pointing at the
store (:func:`bench.app_server.app_server`; its log goes to ``artifacts/``), without
Streamlit's file watcher, as deployed (:data:`SERVER_ENV`). Session ``i`` opens
``/?window=week&date=D_i`` (start dates spread over the store's range, so the sessions ask for
different weeks and rarely share the app's query cache), then, once every session's map is
there, all of them scrub at the same time, a week per step, ``--steps`` times, with a random
think time of ``--think`` seconds between steps. Two kinds of client:

``--client ws`` (default): browser-like sessions, :mod:`bench._stream_client`. Each speaks
Streamlit's websocket protocol as the frontend does (XSRF cookie and subprotocol token, the
opening run, every widget's value in each rerun, fragment reruns, the message cache) without
rendering anything, so the clients cost little CPU and the figures are the server's. After
opening, a session reports the map component ready (a fragment rerun, as the iframe does); a
step sets the date slider to the next day of the plan (the window widget kept at "week") and
reruns the map's fragment, as the browser does when the slider moves. **Rerun time**: from
the request to the map element received (its markers parsed); **run done**: to
``script_finished``.

``--client browser``: one headless Debian Chromium driven with Playwright's async API, each
session its own browser context with one page, pressing ◀ (or ▶ at the start of the range).
**Rerun time**: from the click until the map's script has swapped in the new markers
(``window.dateline.renders`` increments in the map iframe) and two animation frames have
passed (painted), Playwright's click round trip included; **run done**: until Streamlit's
status widget is hidden. Each Chromium page costs about 10 s of CPU to open and 0.7-1 s a
step, so on a small machine the pages, not the server, dominate the times.

Each step checks the date and the number of markers against the store
(:meth:`geodata.store.event_store.Store.incidents` for the same week). **Errors**: Streamlit
exception or error elements, a run not ending well, a wrong date or marker count, timeouts, page
errors (uncaught JavaScript exceptions, Chromium only), and each traceback in the server log.
Percentiles are nearest-rank. Also printed: the CPU seconds used by the server, by Chromium
and by the driver (this process: the ws clients, or Playwright) while opening and while
scrubbing.

Usage::

    .venv/bin/python bench/load.py                        # ws, 20 sessions x 10 steps, 100k
    .venv/bin/python bench/load.py --client browser       # the same with Chromium pages
    .venv/bin/python bench/load.py --sessions 5 --steps 4 --incidents 20000
    .venv/bin/python bench/load.py --json bench/out/load.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._load_browser import run_load  # noqa: E402 - after the path set-up
from bench._load_plan import WINDOW, ensure_store, expected_markers, plan_sessions  # noqa: E402
from bench._load_results import server_tracebacks  # noqa: E402
from bench._load_ws import run_ws_load  # noqa: E402

__all__ = ["SERVER_ENV", "main"]

#: As deployed: no file watcher. With it (Streamlit's default), a source file saved while
#: sessions run makes Streamlit drop modules from ``sys.modules`` under running scripts.
SERVER_ENV = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "STREAMLIT_SERVER_RUN_ON_SAVE": "false"}


# --- command line -------------------------------------------------------------------------------


def _fmt(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--steps", type=int, default=10, help="◀/▶ presses per session")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--think", type=float, nargs=2, default=[0.2, 1.0], metavar=("MIN", "MAX"))
    parser.add_argument("--step-timeout", type=float, default=60.0)
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached store")
    parser.add_argument("--json", type=Path, help="also write the figures and steps here")
    parser.add_argument(
        "--client",
        choices=["ws", "browser"],
        default="ws",
        help="ws: browser-like websocket sessions (no rendering); browser: Chromium pages",
    )
    args = parser.parse_args(argv)

    from bench.app_server import ARTIFACTS, CHROMIUM
    from bench.app_server import app_server as streamlit_server

    if args.client == "browser" and not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2
    print(f"Command: .venv/bin/python bench/load.py {' '.join(argv or sys.argv[1:])}".rstrip())
    t0 = time.perf_counter()
    db = ensure_store(args.incidents, seed=args.seed, fresh=args.fresh)
    from geodata.store.event_store import Store

    lo, hi = Store(db).date_range()
    plans = plan_sessions(lo, hi, args.sessions, args.steps)
    days = {p.start for p in plans} | {d for p in plans for d in p.days}
    expected = expected_markers(db, days)
    print(f"store: {db} ({args.incidents:,} SYNTHETIC incidents), ready in "
          f"{time.perf_counter() - t0:.1f} s")  # fmt: skip

    log_name = "streamlit-load.log"
    load_before = f"{os.getloadavg()[0]:.1f}"
    t0 = time.perf_counter()
    with streamlit_server(db, log_name=log_name, env=SERVER_ENV) as url:
        think = (args.think[0], args.think[1])
        if args.client == "ws":
            run = run_ws_load(url, plans, expected, step_timeout_s=args.step_timeout, think=think)
        else:
            run = run_load(
                url,
                plans,
                expected,
                chromium=str(CHROMIUM),
                step_timeout_s=args.step_timeout,
                think=think,
            )
        result = asyncio.run(run)
    wall = time.perf_counter() - t0
    result.errors += server_tracebacks(ARTIFACTS / log_name)
    f = result.figures()
    who = (
        "browser-like websocket sessions (client: ws, no rendering)"
        if args.client == "ws"
        else "Chromium sessions (client: browser; one browser, one context each)"
    )
    print(
        f"\nLoad: {f['sessions']} concurrent {who}, "
        f"window '{WINDOW}' (~{f['markers_mean']:,.0f} markers a step), think time "
        f"{args.think[0]:g}-{args.think[1]:g} s, store of {args.incidents:,} SYNTHETIC incidents\n"
    )
    print("| sessions | steps ok / planned | errors | rerun p50 | rerun p95 | rerun max "
          "| run done p50 | run done p95 | open all | scrub | wall |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {f['sessions']} | {f['steps_ok']} / {f['steps_planned']} | {f['errors']} "
        f"| {_fmt(f['rerun_p50_s'])} | {_fmt(f['rerun_p95_s'])} | {_fmt(f['rerun_max_s'])} "
        f"| {_fmt(f['done_p50_s'])} | {_fmt(f['done_p95_s'])} "
        f"| {f['open_s']:.1f} s | {f['scrub_s']:.1f} s | {wall:.1f} s |"
    )
    if args.client == "ws":
        print("\nrerun: slider value sent → map element (markers) received; run done: → "
              "script_finished")  # fmt: skip
    else:
        print("\nrerun: click on ◀/▶ → new markers painted; run done: → Streamlit's status "
              "widget gone")  # fmt: skip
    cpu = result.cpu_s
    steps = max(1, f["steps_ok"])
    print(
        f"CPU while scrubbing ({f['scrub_s']:.0f} s wall, {os.cpu_count()} CPUs): "
        f"server {cpu['server']:.0f} s ({cpu['server'] / steps:.2f} s a step), "
        f"Chromium {cpu['browser']:.0f} s ({cpu['browser'] / steps:.2f} s a step), "
        f"driver (clients) {cpu['driver']:.0f} s ({cpu['driver'] / steps:.2f} s a step); "
        f"load average before / after: {load_before} / "
        f"{os.getloadavg()[0]:.1f}"
    )
    cpu = result.cpu_open_s
    print(
        f"CPU while opening the sessions ({f['open_s']:.0f} s wall): server {cpu['server']:.0f} s, "
        f"Chromium {cpu['browser']:.0f} s, driver {cpu['driver']:.0f} s"
    )
    for error in result.errors[:20]:
        print(f"ERROR {error}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "client": args.client,
            "figures": f,
            "errors": result.errors,
            "steps": [asdict(s) for s in result.steps],
        }
        args.json.write_text(json.dumps(payload, indent=1, default=str))
    ok = not result.errors and f["steps_ok"] == f["steps_planned"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
