"""Feed watcher benchmark: full cycles of ``extract.sources.watch.Watcher`` against a local site
of SYNTHETIC feeds (``bench/_feed_server.py``, 127.0.0.1 only).

1. starts the site: ``--feeds`` RSS feeds (``/feed/N.xml``) of ``--items`` items, each item
   linking to an HTML page with a ~700-word synthetic article (``bench/synth.py``), with
   ``ETag`` / ``Last-Modified`` and 304 answers; by default in a child process (its pages, CPU
   time and threads stay out of the measured process, as a remote site's would);
2. a fresh store in a temporary folder, every feed added, the gazetteer loaded; then cycle 1,
   where everything is new, timed: wall time, articles/s, incidents, failures; where the
   watcher's time went (the ingesting thread busy or waiting for the fetching threads, and
   the fetching threads' CPU time);
3. the single-core extraction rate of the same articles in the same process:
   ``extract.extract_article`` over a sample of ``--sample`` of the pages, read as the
   watcher reads them (best of ``--repeat`` passes), and the ratio of the cycle's rate to it
   (the goal: >= 70%, the cycle bound by extraction, not by waiting);
4. ``--cycles`` more cycles where every feed is due (the watcher's clock moves on by a poll
   interval) and ``--new-feeds`` feeds have ``--new-items`` new items each: per cycle its
   time, what it did and the process's memory (``ru_maxrss``, and the current RSS from
   ``/proc/self/statm``), against the goal of <= 400 MB and flat.

All the feeds and pages are on one host, 127.0.0.1: the client makes one request at a time
per host, and waits ``--host-delay`` seconds between two (default 0; the watcher's default of
1 s would make a first cycle of 500 feeds x 20 items last over 10,500 s).

Usage::

    .venv/bin/python bench/watch.py --quick      # 50 feeds x 20 items, 3 more cycles
    .venv/bin/python bench/watch.py              # 500 feeds x 20 items, 10 more cycles
    .venv/bin/python bench/watch.py --quick --profile   # cProfile: bench/out/watch-profile*.txt
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._feed_server import ServerProcess, serve  # noqa: E402
from bench.speed import parallelism  # noqa: E402  (same busy-loop measure as bench/speed.py)

__all__ = ["main"]

OUT = ROOT / "bench" / "out"
GOAL_RATIO = 0.70
GOAL_RSS_MB = 400.0
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss_now_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * _PAGE / 1e6


def _rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # KiB on Linux


def _cpu_s() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


@contextlib.contextmanager
def _site(kind: str, **kw: int) -> Iterator[dict[str, Any]]:
    if kind == "process":
        with ServerProcess(**kw) as info:
            yield info
    else:
        t0 = time.perf_counter()
        with serve(**kw) as (base, site):
            sizes = [len(r.body) for r in site.pages.values()]
            yield {"base": base, "build_s": time.perf_counter() - t0, "page_bytes": sizes}


def _call(base: str, path: str, *, post: bool = False) -> Any:
    req = urllib.request.Request(base + path, method="POST" if post else "GET")
    with urllib.request.urlopen(req, timeout=30) as answer:  # noqa: S310 - 127.0.0.1 only
        return json.loads(answer.read())


def _timed_watcher() -> type:
    """A :class:`Watcher` that times its two sides: the fetching threads (``gather``: CPU
    time per thread) and the ingesting thread (``store_gathered``: wall and CPU time), and
    with ``profiling`` set runs cProfile on CPU time in both (one profile per call, merged)."""
    from extract.sources.watch import Watcher

    class TimedWatcher(Watcher):
        profiling = False

        def reset(self) -> None:
            self.lock = threading.Lock()
            self.gather_cpu = self.gather_wall = 0.0
            self.store_cpu = self.store_wall = 0.0
            self.unchanged_wall: list[float] = []  # storing a 304: recording the poll only
            self.profiles: list[cProfile.Profile] = []
            self.gathered_at: list[float] = []  # when each feed's fetching ended
            self.stored: list[tuple[float, int, float]] = []  # (when, articles, RSS MB)

        def gather(self, feed: Any) -> Any:
            prof = cProfile.Profile(time.thread_time) if self.profiling else None
            w0, c0 = time.perf_counter(), time.thread_time()
            if prof:
                prof.enable()
            try:
                return super().gather(feed)
            finally:
                if prof:
                    prof.disable()
                with self.lock:
                    self.gather_cpu += time.thread_time() - c0
                    self.gather_wall += time.perf_counter() - w0
                    self.gathered_at.append(time.perf_counter())
                    if prof:
                        self.profiles.append(prof)

        def store_gathered(self, got: Any) -> Any:
            prof = cProfile.Profile(time.thread_time) if self.profiling else None
            w0, c0 = time.perf_counter(), time.thread_time()
            if prof:
                prof.enable()
            outcome = None
            try:
                outcome = super().store_gathered(got)
                return outcome
            finally:
                if prof:
                    prof.disable()
                with self.lock:
                    self.store_cpu += time.thread_time() - c0
                    self.store_wall += time.perf_counter() - w0
                    if got.not_modified:
                        self.unchanged_wall.append(time.perf_counter() - w0)
                    done = outcome.articles if outcome is not None else 0
                    self.stored.append((time.perf_counter(), done, _rss_now_mb()))
                    if prof:
                        self.profiles.append(prof)

    return TimedWatcher


def _timeline(watcher: Any, started: float, slices: int = 5) -> list[str]:
    """Cycle 1 in ``slices`` parts (by feeds stored): when, articles stored, the rate in the
    part, feeds fetched by then (fetched but not stored yet: held in memory), RSS."""
    stored = watcher.stored
    rows, done, last_t, last_n = [], 0, started, 0
    marks = {max(0, round(len(stored) * (i + 1) / slices) - 1) for i in range(slices)}
    for i, (when, articles, rss) in enumerate(stored):
        done += articles
        if i in marks:
            fetched = sum(1 for t in watcher.gathered_at if t <= when)
            rate = (done - last_n) / (when - last_t) if when > last_t else float("nan")
            rows.append(
                f"| {when - started:.0f} | {i + 1} | {fetched} | {done:,} | {rate:.1f} | "
                f"{rss:.0f} |"
            )
            last_t, last_n = when, done
    return rows


def _held_mb(watcher: Any) -> tuple[int, float]:
    """Pages the watcher still holds after its cycle (its per-cycle cache), and their text."""
    pages = [p.record for p in getattr(watcher, "_pages", {}).values() if p.record]
    return len(pages), sum(len(r.get("text") or "") for r in pages) / 1e6


def _sample_records(
    base: str, feeds: int, items: int, n: int
) -> tuple[list[dict], list[float], list[float]]:
    """``n`` pages spread over the site, fetched and read as the watcher reads them (its
    ``_read_page``), one at a time in this thread; and the time each page took to fetch and
    to read."""
    from bench._feed_server import FeedSite
    from extract.sources.http import PoliteClient
    from extract.sources.watch import PAGE_ACCEPT, _read_page

    every = [(f, k) for f in range(feeds) for k in range(items)]
    step = max(1, len(every) // n)
    chosen = every[::step][:n]
    records, fetch_s, read_s = [], [], []
    with PoliteClient(min_delay=0.0) as client:
        for f, k in chosen:
            path = FeedSite.page_path(f, k)
            t0 = time.perf_counter()
            response = client.get(base + path, accept=PAGE_ACCEPT)
            fetch_s.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            record = _read_page(response.body, response.content_type, source=response.url)
            read_s.append(time.perf_counter() - t0)
            if record and record.get("text"):
                records.append({**record, "id": path})
    return records, fetch_s, read_s


def _extraction_rate(records: list[dict], gazetteer: Any, *, repeat: int) -> tuple[float, float]:
    """Best articles/s of ``repeat`` passes of ``extract_article`` over ``records`` (called
    as ingest calls it), and that pass's median ms per article."""
    from extract import extract_article

    def one(rec: dict) -> None:
        extract_article(
            rec["text"], published=rec.get("published"), gazetteer=gazetteer,
            doc_id=rec["id"], title=rec.get("title"), url=rec.get("source"),
        )  # fmt: skip

    for rec in records[:3]:  # warm-up
        one(rec)
    best, best_per = float("inf"), [0.0]
    for _ in range(repeat):
        per = []
        t0 = time.perf_counter()
        for rec in records:
            t = time.perf_counter()
            one(rec)
            per.append(time.perf_counter() - t)
        total = time.perf_counter() - t0
        if total < best:
            best, best_per = total, per
    return len(records) / best, statistics.median(best_per) * 1000


def _ingest_rate(records: list[dict], *, batch: int, folder: str) -> float:
    """Articles/s of ``ingest_records`` over ``records``, ``batch`` per call, into a fresh
    store, in this thread (the watcher calls it once per feed)."""
    from extract.sources._distributed import default_loader
    from extract.sources.ingest import ingest_records
    from geodata.store.event_store import Store

    store = Store(Path(folder) / f"reference-{batch}.duckdb")
    t0 = time.perf_counter()
    for i in range(0, len(records), batch):
        ingest_records(records[i : i + batch], store=store, loader=default_loader)
    return len(records) / (time.perf_counter() - t0)


def _profile_report(profiles: list[cProfile.Profile], top: int) -> str:
    if not profiles:
        return ""
    stats = pstats.Stats(profiles[0])
    for prof in profiles[1:]:
        stats.add(prof)
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--feeds", type=int, help="feeds (500; --quick 50)")
    p.add_argument("--items", type=int, help="items per feed (20)")
    p.add_argument("--cycles", type=int, help="cycles after the first (10; --quick 3)")
    p.add_argument("--threads", type=int, default=8, help="watcher threads (default 8)")
    p.add_argument(
        "--host-delay", type=float, default=0.0,
        help="seconds between two requests to a host (default 0; the watcher's is 1)",
    )  # fmt: skip
    p.add_argument("--new-feeds", type=int, default=10, help="feeds with new items per cycle")
    p.add_argument("--new-items", type=int, default=2, help="new items on each of them")
    p.add_argument("--sample", type=int, default=300, help="articles for the extraction rate")
    p.add_argument("--repeat", type=int, default=2, help="extraction passes; the best is kept")
    p.add_argument("--server", choices=("process", "thread"), default="process")
    p.add_argument("--quick", action="store_true", help="50 feeds x 20 items, 3 more cycles")
    p.add_argument(
        "--profile", action="store_true",
        help="cProfile cycle 1 and the last into bench/out/watch-profile*.txt",
    )  # fmt: skip
    p.add_argument(
        "--switch-interval", type=float,
        help="sys.setswitchinterval for the run (Python's default 0.005 s): an experiment",
    )  # fmt: skip
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    feeds = args.feeds or (50 if args.quick else 500)
    items = args.items or 20
    cycles = args.cycles if args.cycles is not None else (3 if args.quick else 10)
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    command = f"python bench/watch.py {' '.join(argv if argv is not None else sys.argv[1:])}"

    from extract.sources._distributed import default_loader
    from extract.sources.http import PoliteClient
    from geodata.records import DEFAULT_FEED_INTERVAL
    from geodata.store._schema import utcnow
    from geodata.store.event_store import Store

    par_before = parallelism(2)
    rows: list[tuple[str, str]] = []
    later: list[dict[str, Any]] = []
    t_site = time.perf_counter()
    with _site(args.server, feeds=feeds, items=items, seed=args.seed) as site:
        base = site["base"]
        site_s = time.perf_counter() - t_site
        t0 = time.perf_counter()
        gazetteer = default_loader()
        load_s = time.perf_counter() - t0
        offset = [0.0]

        def clock() -> datetime:
            return utcnow() + timedelta(seconds=offset[0])

        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "watch.duckdb")
            for n in range(feeds):
                store.add_feed(f"{base}/feed/{n}.xml", name=f"Synthetic Wire {n}")
            rss_start = _rss_now_mb()
            client = PoliteClient(min_delay=args.host_delay)
            watcher = _timed_watcher()(
                store, client=client, loader=default_loader, threads=args.threads, clock=clock
            )
            watcher.profiling = args.profile
            watcher.reset()
            cpu0 = _cpu_s()
            first = watcher.run_cycle()
            cpu1 = _cpu_s() - cpu0
            timeline = _timeline(watcher, first.started)
            held = _held_mb(watcher)
            rss_first, peak_first = _rss_now_mb(), _rss_peak_mb()
            served = _call(base, "/_bench/stats")
            timing = {
                "store_wall": watcher.store_wall,
                "store_cpu": watcher.store_cpu,
                "gather_cpu": watcher.gather_cpu,
                "gather_wall": watcher.gather_wall,
            }
            if args.profile:
                OUT.mkdir(parents=True, exist_ok=True)
                report = _profile_report(watcher.profiles, 40)
                (OUT / "watch-profile.txt").write_text(report, encoding="utf-8")
                watcher.profiling = False

            for c in range(2, cycles + 2):
                changed = _call(
                    base, f"/_bench/add?feeds={args.new_feeds}&items={args.new_items}", post=True
                )
                offset[0] += DEFAULT_FEED_INTERVAL + 60  # every feed due again
                watcher.reset()
                watcher.profiling = args.profile and c == cycles + 1
                stats = watcher.run_cycle()
                if watcher.profiling:
                    report = _profile_report(watcher.profiles, 40)
                    (OUT / "watch-profile-later.txt").write_text(report, encoding="utf-8")
                    watcher.profiling = False
                later.append(
                    {
                        "cycle": c,
                        "changed": len(changed),
                        "stats": stats,
                        "rss": _rss_now_mb(),
                        "peak": _rss_peak_mb(),
                        "busy": watcher.store_wall,
                        "unchanged": statistics.median(watcher.unchanged_wall or [float("nan")]),
                    }
                )
            counts = store.stats()
            # the references last, so that the memory of the cycles is the watcher's alone
            records, fetch_s, read_s = _sample_records(base, feeds, items, args.sample)
            rate, median_ms = _extraction_rate(records, gazetteer, repeat=args.repeat)
            ingest_feed = _ingest_rate(records, batch=items, folder=tmp)
            ingest_batch = _ingest_rate(records, batch=200, folder=tmp)
            client.close()
        served_all = _call(base, "/_bench/stats")

    par_after = parallelism(2)
    pages = site["page_bytes"]
    words = [len(r["text"].split()) for r in records]
    cycle_rate = first.articles / first.elapsed if first.elapsed else float("nan")
    ratio = cycle_rate / rate
    requests = first.feeds + first.articles  # one per feed and per page, when nothing fails
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    print(
        f"\n# Feed watcher: {feeds} feeds x {items} items of SYNTHETIC ~700-word articles\n\n"
        f"Python {platform.python_version()}, {platform.machine()}, {cpus} CPUs visible; CPU "
        f"parallelism available to 2 processes: {par_before:.2f}x before, {par_after:.2f}x "
        f"after (ideal 2x). Site: {args.server}, built in {site['build_s']:.1f} s "
        f"({len(pages)} pages, mean {statistics.mean(pages) / 1000:.1f} kB); gazetteer "
        f"loaded in {load_s:.1f} s (not in the cycles). Watcher: {args.threads} threads, "
        f"--host-delay {args.host_delay:g} s; GIL switch interval "
        f"{sys.getswitchinterval() * 1000:g} ms.\n\n"
        f"All feeds and pages are on one host (127.0.0.1), so the client makes one request at "
        f"a time, and a politeness delay of d s per host makes a first cycle last at least "
        f"{requests:,} x d s ({requests:,} s with the watcher's default of 1 s).\n"
        f"Command: `{command}`\n"
    )
    print("## Cycle 1: everything new\n\n| measure | value |\n|---|---:|")
    rows += [
        ("feeds polled / failed", f"{first.feeds} / {first.failed}"),
        ("items / failed items", f"{first.items:,} / {first.failed_items}"),
        ("articles / incidents stored", f"{first.articles:,} / {first.incidents:,}"),
        ("wall time", f"{first.elapsed:.1f} s"),
        ("**articles/s ingested**", f"**{cycle_rate:.1f}**"),
        (
            f"single-core extraction, {len(records)} of the pages ({min(words)}–{max(words)} "
            f"words), best of {args.repeat}",
            f"{rate:.1f} articles/s (median {median_ms:.1f} ms)",
        ),
        (
            f"**ratio cycle / extraction** (goal >= {GOAL_RATIO:.0%})",
            f"**{ratio:.0%}** ({'met' if ratio >= GOAL_RATIO else 'NOT met'})",
        ),
        (
            f"the same pages through `ingest_records`, {items} per call (as per feed) / 200 per "
            "call, fresh store, no fetching",
            f"{ingest_feed:.1f} / {ingest_batch:.1f} articles/s ({ingest_feed / rate:.0%} / "
            f"{ingest_batch / rate:.0%} of extraction)",
        ),
        (
            "ingesting thread: busy / waiting for fetches",
            f"{timing['store_wall']:.1f} s / {first.elapsed - timing['store_wall']:.1f} s "
            f"(its CPU {timing['store_cpu']:.1f} s)",
        ),
        (
            f"fetching threads ({args.threads}): CPU / wall summed",
            f"{timing['gather_cpu']:.1f} s / {timing['gather_wall']:.1f} s",
        ),
        (
            "one page alone (one thread, nothing else running): fetch / read (trafilatura)",
            f"median {statistics.median(fetch_s) * 1000:.1f} / "
            f"{statistics.median(read_s) * 1000:.1f} ms",
        ),
        (
            "requests during the cycle (one at a time: one host)",
            f"{requests / first.elapsed:.0f}/s, {first.elapsed / requests * 1000:.1f} ms each",
        ),
        (
            "process CPU / cores busy",
            f"{cpu1:.1f} s / {cpu1 / first.elapsed:.2f}"
            + (
                f"; site process CPU {served['cpu_s']:.1f} s"
                if args.server == "process"
                else " (site included)"
            ),
        ),
        ("requests served", ", ".join(f"{k} {v:,}" for k, v in sorted(served["requests"].items()))),
        ("RSS before the cycle / after / peak", f"{rss_start:.0f} / {rss_first:.0f} / "
         f"{peak_first:.0f} MB"),
    ]  # fmt: skip
    for measure, value in rows:
        print(f"| {measure} | {value} |")
    print(
        "\nCycle 1 as it went (the ingesting thread stores one feed at a time; the fetching "
        "threads run ahead, and what they fetched waits in memory):\n\n"
        "| s | feeds stored | feeds fetched | articles stored | articles/s in the part | "
        "RSS MB |\n|---:|---:|---:|---:|---:|---:|"
    )
    print("\n".join(timeline))
    print(
        f"\nAfter the cycle the watcher still holds {held[0]:,} pages it read "
        f"({held[1]:.0f} MB of text, more as Python objects) until the next cycle starts."
    )

    if later:
        print(
            f"\n## Cycles 2–{cycles + 1}: every feed due, {args.new_feeds} feeds with "
            f"{args.new_items} new items each\n"
        )
        print(
            "| cycle | wall s | feeds polled | 304 | articles new | incidents | failed | "
            "ingesting busy s | storing a 304, median ms | RSS now MB | peak RSS MB |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        )
        for row in later:
            s = row["stats"]
            print(
                f"| {row['cycle']} | {s.elapsed:.2f} | {s.feeds} | {s.not_modified} | "
                f"{s.articles} | {s.incidents} | {s.failed + s.failed_items} | "
                f"{row['busy']:.2f} | {row['unchanged'] * 1000:.1f} | {row['rss']:.0f} | "
                f"{row['peak']:.0f} |"
            )
        peak = max(r["peak"] for r in later)
        growth = later[-1]["rss"] - later[0]["rss"]
        times = [r["stats"].elapsed for r in later]
        print(
            f"\nPeak RSS over all {cycles + 1} cycles: **{peak:.0f} MB** (goal <= "
            f"{GOAL_RSS_MB:.0f} MB: {'met' if peak <= GOAL_RSS_MB else 'NOT met'}); RSS from "
            f"cycle 2 to cycle {cycles + 1}: {later[0]['rss']:.0f} -> {later[-1]['rss']:.0f} MB "
            f"({growth:+.0f} MB). Later cycles: median {statistics.median(times):.2f} s, "
            f"max {max(times):.2f} s ({statistics.median(times) / feeds * 1000:.1f} ms per feed "
            "polled)."
        )
    print(
        f"\nStore: {counts['articles']:,} articles, {counts['incidents']:,} incidents, "
        f"{counts['places']:,} places. Requests served in all: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(served_all["requests"].items()))
        + f". Site start-up {site_s:.1f} s."
    )
    if args.profile:
        print(
            f"\ncProfile (CPU time) of cycle 1, both sides merged: {OUT / 'watch-profile.txt'};"
            f" of the last cycle: {OUT / 'watch-profile-later.txt'}"
        )
    failed = (
        first.failed
        + first.failed_items
        + sum(r["stats"].failed + r["stats"].failed_items for r in later)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
