"""Feed watcher benchmark: full cycles of ``extract.sources.watch.Watcher`` against a local site
of SYNTHETIC feeds (``bench/_feed_server.py``, 127.0.0.1 only).

1. starts the site: ``--feeds`` RSS feeds (``/feed/N.xml``) of ``--items`` items, each item
   linking to an HTML page with a ~700-word synthetic article (``bench/synth.py``), with
   ``ETag`` / ``Last-Modified`` and 304 answers; by default in a child process (its pages, CPU
   time and threads stay out of the measured process, as a remote site's would);
2. a fresh store in a temporary folder, every feed added; a watcher with ``--workers``
   extraction worker processes (default 1, as the ``watch`` command; 0: extraction in the
   watcher's own process, the gazetteer then loaded before the cycles). Then cycle 1, where
   everything is new, timed: wall time, articles/s, incidents, failures; where the time went:
   the extraction worker's CPU time over the cycle's wall time (``/proc/<pid>/stat``: near
   100%, the cycle is bound by extraction, the goal), the main thread's CPU time in
   ``run_cycle`` (batches sent, written, polls recorded; the extraction too with
   ``--workers 0``), the fetching threads' CPU time in ``gather``; and the cycle as it went,
   from each feed's outcome as its poll is recorded (``Batches.on_outcome``);
3. ``--cycles`` more cycles where every feed is due (the watcher's clock moves on by a poll
   interval) and ``--new-feeds`` feeds have ``--new-items`` new items each: per cycle its
   time, what it did, the main thread's and the worker's CPU time;
4. memory, after every cycle: the RSS now and the peak (``VmRSS`` / ``VmHWM`` in
   ``/proc/<pid>/status``) of the watcher's process (this one) and of the extraction worker,
   against the goal of <= 400 MB and flat, judged on the sum of the two peaks;
5. after the cycles the watcher is closed (its worker ends), and only then, in this process,
   the gazetteer is loaded (with ``--workers 0``: before the cycles) and the references taken:
   the single-core extraction rate of the same articles, ``extract.extract_article`` over a
   sample of ``--sample`` of the pages, read as the watcher reads them (best of ``--repeat``
   passes), and the ratio of cycle 1's rate to it (the goal: >= 70%); and the same pages
   through ``ingest_records``.

All the feeds and pages are on one host, 127.0.0.1: the client makes one request at a time
per host, and waits ``--host-delay`` seconds between two (default 0; the watcher's default of
1 s would make a first cycle of 500 feeds x 20 items last over 10,500 s).

Usage::

    .venv/bin/python bench/watch.py --quick      # 50 feeds x 20 items, 3 more cycles
    .venv/bin/python bench/watch.py              # 500 feeds x 20 items, 10 more cycles
    .venv/bin/python bench/watch.py --quick --workers 0   # extraction in the watcher's process
    .venv/bin/python bench/watch.py --quick --profile   # cProfile: bench/out/watch-profile*.txt
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import multiprocessing
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
_TICK = os.sysconf("SC_CLK_TCK")
_NAN = float("nan")


def _mem_mb(pid: int | str = "self") -> tuple[float, float]:
    """RSS now and peak RSS (``VmRSS``, ``VmHWM``) of a process, in MB; NaN once it ended."""
    found: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    found[key] = int(value.split()[0]) * 1024 / 1e6  # kB
    except (FileNotFoundError, ProcessLookupError):
        pass
    return found.get("VmRSS", _NAN), found.get("VmHWM", _NAN)


def _proc_cpu_s(pid: int) -> float:
    """User + system CPU time of a process (``/proc/<pid>/stat``); NaN once it ended."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as fh:
            stat = fh.read()
    except (FileNotFoundError, ProcessLookupError):
        return _NAN
    # the command name, in parentheses, may hold spaces: count the fields after its end;
    # utime and stime are fields 14 and 15, the 12th and 13th after the name
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def _cpu_s() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _children() -> set[int]:
    """This process's live child processes made by :mod:`multiprocessing` (the site's, when it
    runs in a process, and the extraction workers: both are spawned ``Process`` objects)."""
    return {p.pid for p in multiprocessing.active_children() if p.pid is not None}


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
    """A :class:`Watcher` that times its sides: the fetching threads (``gather``: CPU and wall
    time per call), the main thread (``run_cycle``: its CPU time) and the extraction workers
    (their processes' CPU time over the cycle), records each feed's outcome as its poll is
    recorded (``Batches.on_outcome``: when, articles, the two processes' RSS), and with
    ``profiling`` set runs cProfile on CPU time in this process's threads (one profile per
    call, merged; the workers' extraction is not in it)."""
    from extract.sources.watch import Watcher

    class TimedWatcher(Watcher):
        profiling = False
        #: Child processes that are not the watcher's (the site's), set before cycle 1.
        others: frozenset[int] = frozenset()

        def reset(self) -> None:
            self.lock = threading.Lock()
            self.gather_cpu = self.gather_wall = 0.0
            self.main_cpu = 0.0  # the main thread, in run_cycle
            self.worker_cpu = 0.0  # the extraction workers' processes, over run_cycle
            self.profiles: list[cProfile.Profile] = []
            self.gathered_at: list[float] = []  # when each feed's fetching ended
            # (when, articles, watcher RSS MB, workers' RSS MB) as each feed's poll is recorded
            self.stored: list[tuple[float, int, float, float]] = []

        def worker_pids(self) -> list[int]:
            """The extraction workers' processes (none before the first batch is sent, nor
            with ``workers=0``): this process's children but the site's."""
            return sorted(_children() - self.others)

        def workers_mem(self) -> tuple[float, float]:
            """The workers' RSS now and peak RSS, summed over them; NaN without workers."""
            mems = [_mem_mb(pid) for pid in self.worker_pids()]
            if not mems:
                return _NAN, _NAN
            return sum(m[0] for m in mems), sum(m[1] for m in mems)

        def run_cycle(self) -> Any:
            before = {pid: _proc_cpu_s(pid) for pid in self.worker_pids()}
            prof = cProfile.Profile(time.thread_time) if self.profiling else None
            c0 = time.thread_time()
            if prof:
                prof.enable()
            try:
                return super().run_cycle()
            finally:
                if prof:
                    prof.disable()
                self.main_cpu = time.thread_time() - c0
                # a worker started in the cycle counts from 0: its start-up is in the cycle
                self.worker_cpu = sum(
                    _proc_cpu_s(pid) - before.get(pid, 0.0) for pid in self.worker_pids()
                )
                if prof:
                    with self.lock:
                        self.profiles.append(prof)

        def _batches(self, stats: Any) -> Any:
            batches = super()._batches(stats)
            record = batches.on_outcome

            def on_outcome(outcome: Any) -> None:
                record(outcome)
                self.stored.append(
                    (time.perf_counter(), outcome.articles, _mem_mb()[0], self.workers_mem()[0])
                )

            batches.on_outcome = on_outcome
            return batches

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

    return TimedWatcher


def _mb(value: float) -> str:
    return "–" if value != value else f"{value:.0f}"  # NaN: no such process


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A markdown table, every column right-aligned (figures)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---:|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def _timeline(watcher: Any, started: float, slices: int = 5) -> list[list[str]]:
    """Cycle 1 in ``slices`` parts (by feeds stored): when, feeds stored, feeds fetched by
    then, articles stored, the rate in the part, the watcher's and the workers' RSS."""
    stored = watcher.stored
    rows: list[list[str]] = []
    done, last_t, last_n = 0, started, 0
    marks = {max(0, round(len(stored) * (i + 1) / slices) - 1) for i in range(slices)}
    for i, (when, articles, rss, worker_rss) in enumerate(stored):
        done += articles
        if i in marks:
            fetched = sum(1 for t in watcher.gathered_at if t <= when)
            rate = (done - last_n) / (when - last_t) if when > last_t else float("nan")
            rows.append(
                [
                    f"{when - started:.0f}", f"{i + 1}", f"{fetched}", f"{done:,}",
                    f"{rate:.1f}", f"{rss:.0f}", _mb(worker_rss),
                ]
            )  # fmt: skip
            last_t, last_n = when, done
    return rows


def _memory(watcher: Any) -> dict[str, float]:
    """The two processes' RSS now and peak, after a cycle (the workers' summed)."""
    rss, peak = _mem_mb()
    worker_rss, worker_peak = watcher.workers_mem()
    both = peak + (worker_peak if worker_peak == worker_peak else 0.0)
    return {
        "rss": rss, "peak": peak, "worker_rss": worker_rss, "worker_peak": worker_peak,
        "both": both,
    }  # fmt: skip


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
    store, extracted in this thread (the watcher extracts batches of up to 200 articles, taken
    across feeds)."""
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
        "--workers", type=int, default=1,
        help="extraction worker processes (default 1; 0: in the watcher's process)",
    )  # fmt: skip
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
    workers = max(0, args.workers)
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    command = f"python bench/watch.py {' '.join(argv if argv is not None else sys.argv[1:])}"

    from extract.sources._distributed import default_loader
    from extract.sources.http import PoliteClient
    from geodata.records import DEFAULT_FEED_INTERVAL
    from geodata.store._schema import utcnow
    from geodata.store.event_store import Store

    def load_gazetteer() -> tuple[Any, float]:
        t0 = time.perf_counter()
        gazetteer = default_loader()
        return gazetteer, time.perf_counter() - t0

    par_before = parallelism(2)
    rows: list[tuple[str, str]] = []
    later: list[dict[str, Any]] = []
    memory: list[dict[str, Any]] = []  # after every cycle, the first included
    t_site = time.perf_counter()
    with _site(args.server, feeds=feeds, items=items, seed=args.seed) as site:
        base = site["base"]
        site_s = time.perf_counter() - t_site
        # With workers the gazetteer must stay out of this process until the cycles' memory
        # is taken: the watcher's process does not load it then, and a copy here would count
        # as the watcher's. Without workers the watcher extracts here: load it now, as before,
        # so that cycle 1 does not include the load.
        gazetteer, load_s = load_gazetteer() if workers == 0 else (None, _NAN)
        offset = [0.0]

        def clock() -> datetime:
            return utcnow() + timedelta(seconds=offset[0])

        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "watch.duckdb")
            for n in range(feeds):
                store.add_feed(f"{base}/feed/{n}.xml", name=f"Synthetic Wire {n}")
            rss_start = _mem_mb()[0]
            client = PoliteClient(min_delay=args.host_delay)
            watcher = _timed_watcher()(
                store, client=client, loader=default_loader, threads=args.threads,
                workers=workers, clock=clock,
            )  # fmt: skip
            watcher.others = frozenset(_children())  # the site's process, when it has one
            watcher.profiling = args.profile
            watcher.reset()
            try:
                cpu0 = _cpu_s()
                first = watcher.run_cycle()
                cpu1 = _cpu_s() - cpu0
                memory.append({"cycle": 1, **_memory(watcher)})
                timeline = _timeline(watcher, first.started)
                first_articles = next((w for w, n, *_ in watcher.stored if n), _NAN)
                worker_pids = watcher.worker_pids()
                served = _call(base, "/_bench/stats")
                timing = {
                    "main_cpu": watcher.main_cpu,
                    "worker_cpu": watcher.worker_cpu,
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
                        base,
                        f"/_bench/add?feeds={args.new_feeds}&items={args.new_items}",
                        post=True,
                    )
                    offset[0] += DEFAULT_FEED_INTERVAL + 60  # every feed due again
                    watcher.reset()
                    watcher.profiling = args.profile and c == cycles + 1
                    stats = watcher.run_cycle()
                    memory.append({"cycle": c, **_memory(watcher)})
                    if watcher.profiling:
                        report = _profile_report(watcher.profiles, 40)
                        (OUT / "watch-profile-later.txt").write_text(report, encoding="utf-8")
                        watcher.profiling = False
                    later.append(
                        {
                            "cycle": c,
                            "changed": len(changed),
                            "stats": stats,
                            "main_cpu": watcher.main_cpu,
                            "worker_cpu": watcher.worker_cpu,
                        }
                    )
                counts = store.stats()
            finally:
                # the worker's figures are taken (or a cycle failed): stop it, so that its
                # memory does not stay around during the references
                watcher.close()
            # the references last, so that the memory of the cycles is the watcher's alone
            if gazetteer is None:
                gazetteer, load_s = load_gazetteer()
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
    where = (
        "in the watcher's process"
        if workers == 0
        else f"in {workers} worker process{'es' if workers > 1 else ''}, spawned in cycle 1 "
        "and kept across cycles"
    )
    loaded = (
        "before the cycles, in this process (the watcher's): not in the cycles"
        if workers == 0
        else "in this process after the cycles, for the references (the worker loads its own "
        "when it starts, in cycle 1)"
    )

    print(
        f"\n# Feed watcher: {feeds} feeds x {items} items of SYNTHETIC ~700-word articles\n\n"
        f"Python {platform.python_version()}, {platform.machine()}, {cpus} CPUs visible; CPU "
        f"parallelism available to 2 processes: {par_before:.2f}x before, {par_after:.2f}x "
        f"after (ideal 2x). Site: {args.server}, built in {site['build_s']:.1f} s "
        f"({len(pages)} pages, mean {statistics.mean(pages) / 1000:.1f} kB); gazetteer "
        f"loaded in {load_s:.1f} s {loaded}. Watcher: {args.threads} threads, --workers "
        f"{workers} (extraction {where}), --host-delay {args.host_delay:g} s; GIL switch "
        f"interval {sys.getswitchinterval() * 1000:g} ms.\n\n"
        f"All feeds and pages are on one host (127.0.0.1), so the client makes one request at "
        f"a time, and a politeness delay of d s per host makes a first cycle last at least "
        f"{requests:,} x d s ({requests:,} s with the watcher's default of 1 s).\n"
        f"Command: `{command}`\n"
    )
    print("## Cycle 1: everything new\n\n| measure | value |\n|---|---:|")
    mem1 = memory[0]
    rows += [
        ("feeds polled / failed", f"{first.feeds} / {first.failed}"),
        ("items / failed items", f"{first.items:,} / {first.failed_items}"),
        ("articles / incidents stored", f"{first.articles:,} / {first.incidents:,}"),
        ("wall time / first articles stored after", f"{first.elapsed:.1f} s / "
         f"{first_articles - first.started:.1f} s"),
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
    ]  # fmt: skip
    if workers:
        rows.append(
            (
                f"**extraction worker{'s' if workers > 1 else ''} busy: CPU / cycle wall** "
                "(start-up and gazetteer load included"
                + (f"; {workers} workers: up to {workers * 100}%)" if workers > 1 else ")"),
                f"**{timing['worker_cpu'] / first.elapsed:.0%}** "
                f"({timing['worker_cpu']:.1f} s / {first.elapsed:.1f} s)",
            )
        )
    rows += [
        (
            "main thread CPU in the cycle (batches sent, written, polls recorded"
            + ("; the extraction" if workers == 0 else "")
            + ") / share of the wall",
            f"{timing['main_cpu']:.1f} s / {timing['main_cpu'] / first.elapsed:.0%}",
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
            "watcher process CPU (all its threads) / cores busy",
            f"{cpu1:.1f} s / {cpu1 / first.elapsed:.2f}"
            + (
                f"; site process CPU {served['cpu_s']:.1f} s"
                if args.server == "process"
                else " (site included)"
            ),
        ),
    ]
    if workers:
        both_cpu = cpu1 + timing["worker_cpu"]
        rows.append(
            (
                "watcher process and worker: CPU / cores busy",
                f"{both_cpu:.1f} s / {both_cpu / first.elapsed:.2f}",
            )
        )
    rows += [
        ("requests served", ", ".join(f"{k} {v:,}" for k, v in sorted(served["requests"].items()))),
        ("watcher process RSS before the cycle / after / peak", f"{rss_start:.0f} / "
         f"{mem1['rss']:.0f} / {mem1['peak']:.0f} MB"),
    ]  # fmt: skip
    if workers:
        rows.append(
            (
                f"extraction worker{'s' if workers > 1 else ''} RSS after / peak "
                f"({'summed, ' if workers > 1 else ''}pid {', '.join(map(str, worker_pids))})",
                f"{_mb(mem1['worker_rss'])} / {_mb(mem1['worker_peak'])} MB",
            )
        )
    for measure, value in rows:
        print(f"| {measure} | {value} |")
    # without workers the worker's columns would be empty: left out
    keep = slice(None) if workers else slice(-1)
    print(
        "\nCycle 1 as it went (a feed is stored once the batch holding its articles is "
        "extracted and written; the fetching threads run ahead, two feeds a thread at most):\n"
    )
    header = ["s", "feeds stored", "feeds fetched", "articles stored", "articles/s in the part"]
    header += ["watcher RSS MB", "worker RSS MB"]
    print(_table(header[keep], [row[keep] for row in timeline]))

    if later:
        print(
            f"\n## {f'Cycles 2–{cycles + 1}' if cycles > 1 else 'Cycle 2'}: every feed due, "
            f"{args.new_feeds} feeds with "
            f"{args.new_items} new items each\n"
        )
        header = ["cycle", "wall s", "feeds polled", "304", "articles new", "incidents"]
        header += ["failed", "main thread CPU s", "worker CPU s"]
        table = []
        for row in later:
            st = row["stats"]
            table.append(
                [
                    f"{row['cycle']}", f"{st.elapsed:.2f}", f"{st.feeds}", f"{st.not_modified}",
                    f"{st.articles}", f"{st.incidents}", f"{st.failed + st.failed_items}",
                    f"{row['main_cpu']:.2f}", f"{row['worker_cpu']:.2f}",
                ]
            )  # fmt: skip
        print(_table(header[keep], [r[keep] for r in table]))
        times = [r["stats"].elapsed for r in later]
        print(
            f"\nLater cycles: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
            f"({statistics.median(times) / feeds * 1000:.1f} ms per feed polled)."
        )

    print("\n## Memory after every cycle\n")
    header = ["cycle", "watcher RSS MB", "watcher peak MB"]
    table = [[f"{m['cycle']}", f"{m['rss']:.0f}", f"{m['peak']:.0f}"] for m in memory]
    if workers:
        header += ["worker RSS MB", "worker peak MB", "peaks summed MB"]
        for row, m in zip(table, memory, strict=True):
            row += [_mb(m["worker_rss"]), _mb(m["worker_peak"]), f"{m['both']:.0f}"]
    print(_table(header, table))
    both = max(m["both"] for m in memory)
    alone = max(m["peak"] for m in memory)
    judged = "the watcher's and the worker's peaks summed" if workers else "the watcher's peak"
    print(
        f"\nPeak RSS over all {cycles + 1} cycles, {judged}: **{both:.0f} MB** (goal <= "
        f"{GOAL_RSS_MB:.0f} MB: {'met' if both <= GOAL_RSS_MB else 'NOT met'})"
        + (f"; the watcher's process alone: {alone:.0f} MB." if workers else ".")
    )
    if len(later) > 1:
        a, z = memory[1], memory[-1]
        print(
            f"RSS growth from cycle 2 to cycle {cycles + 1}: watcher {a['rss']:.0f} -> "
            f"{z['rss']:.0f} MB ({z['rss'] - a['rss']:+.0f} MB)"
            + (
                f"; worker {_mb(a['worker_rss'])} -> {_mb(z['worker_rss'])} MB "
                f"({z['worker_rss'] - a['worker_rss']:+.0f} MB)."
                if workers
                else "."
            )
        )
    print(
        f"\nStore: {counts['articles']:,} articles, {counts['incidents']:,} incidents, "
        f"{counts['places']:,} places. Requests served in all: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(served_all["requests"].items()))
        + f". Site start-up {site_s:.1f} s."
    )
    if args.profile:
        print(
            f"\ncProfile (CPU time) of cycle 1, the fetching threads and the main thread "
            f"merged{' (not the worker: the extraction is not in it)' if workers else ''}: "
            f"{OUT / 'watch-profile.txt'}; of the last cycle: {OUT / 'watch-profile-later.txt'}"
        )
    failed = (
        first.failed
        + first.failed_items
        + sum(r["stats"].failed + r["stats"].failed_items for r in later)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
