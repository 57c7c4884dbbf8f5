"""Store write benchmark: what writing extraction results costs, apart from extraction.

Extracts ``--n`` SYNTHETIC ~700-word articles (``bench/synth.py``) once, then writes them to
fresh stores ``--repeat`` times through the ingest path's writer
(:class:`extract.sources.store_writer.StoreWriter`: articles, places, incidents deduplicated
against the stored ones, one transaction per ``--batch`` articles), and prints the median time
per batch and per article, and the process's memory after the writes (with whether pyarrow and
pandas were loaded: the bulk writes no longer need them).

Usage::

    .venv/bin/python bench/store_writes.py            # 600 articles, batches of 200, 3 rounds
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

__all__ = ["main"]


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=600, help="synthetic articles (600)")
    p.add_argument("--batch", type=int, default=200, help="articles per transaction (200)")
    p.add_argument("--repeat", type=int, default=3, help="rounds, each into a fresh store (3)")
    p.add_argument("--seed", type=int, default=3)
    args = p.parse_args(argv)

    from bench.synth import generate
    from extract.sources._distributed import default_loader, extract_chunk
    from extract.sources.ingest import task_for
    from extract.sources.store_writer import IngestStats, StoreWriter
    from geodata.store.event_store import Store

    tasks = [task_for(r, i + 1) for i, r in enumerate(generate(args.n, seed=args.seed))]
    t0 = time.perf_counter()
    results = extract_chunk(tasks, default_loader)
    extract_s = time.perf_counter() - t0
    per_batch: list[float] = []
    stats = IngestStats()
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.repeat):
            store = Store(Path(tmp) / f"w{round_}.duckdb")
            stats = IngestStats()
            writer = StoreWriter(store, stats=stats, loader=default_loader, on_error=print)
            for i in range(0, len(tasks), args.batch):
                t0 = time.perf_counter()
                writer.write(tasks[i : i + args.batch], [results[i : i + args.batch]])
                per_batch.append(time.perf_counter() - t0)
    median = statistics.median(per_batch)
    print(f"\n# Store writes: {args.n} synthetic articles, {args.batch} per transaction\n")
    print("| measure | value |\n|---|---:|")
    print(
        f"| extraction (for reference, one core) | {extract_s / args.n * 1000:.1f} ms an article |"
    )
    print(
        f"| **write a batch**: median of {len(per_batch)} (first {per_batch[0] * 1000:.0f} ms) | "
        f"**{median * 1000:.0f} ms**, {median / args.batch * 1000:.2f} ms an article |"
    )
    print(f"| a round stores | {stats.summary()} |")
    print(
        f"| RSS after (gazetteer and extraction included) | {_rss_mb():.0f} MB; pyarrow loaded: "
        f"{'pyarrow' in sys.modules}, pandas loaded: {'pandas' in sys.modules} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
