"""Re-extraction benchmark: what "Re-extract all" and "Save fix" cost on a store of SYNTHETIC
articles (``bench/synth.py``), one process.

1. ingests ``--n`` synthetic ~700-word articles into a fresh store (timed, for comparison);
2. re-extracts every stored article (``extract.sources.reextract.reextract(None, …)``): the
   time, articles/s, and whether the rows are unchanged (they must be: same code, no fix);
3. "Save fix": stores a correction of one article's place and re-extracts that article
   (its group), ``--repeats`` times on different articles: the median and worst time, which is
   what the app waits for after "Save fix".

Usage::

    .venv/bin/python bench/reextract.py            # 1,000 articles
    .venv/bin/python bench/reextract.py --n 200    # quick run
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synth import generate  # noqa: E402

__all__ = ["main"]


def _rows_digest(store) -> str:
    """A digest of every stored row but timestamps (articles, places, incidents, sources)."""
    import duckdb

    con = duckdb.connect(str(store.path), read_only=True)
    try:
        digest = hashlib.sha256()
        for table in ("articles", "places", "incidents", "incident_sources"):
            cols = [
                r[0]
                for r in con.execute(f"DESCRIBE {table}").fetchall()
                if r[0] not in ("ingested_at", "created_at", "updated_at", "added_at")
            ]
            quoted = ", ".join(f'"{c}"' for c in cols)
            for row in sorted(map(repr, con.execute(f"SELECT {quoted} FROM {table}").fetchall())):
                digest.update(row.encode())
        return digest.hexdigest()
    finally:
        con.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="synthetic articles (default 1000)")
    parser.add_argument("--repeats", type=int, default=7, help="single-article fixes timed")
    args = parser.parse_args(argv)

    from extract.sources._distributed import default_loader
    from extract.sources.ingest import ingest_records
    from extract.sources.reextract import reextract
    from geodata.store.event_store import Store

    gaz = default_loader()
    records = list(generate(args.n))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        t0 = time.perf_counter()
        ingest_records(records, store=store, loader=default_loader)
        ingest_s = time.perf_counter() - t0
        before = _rows_digest(store)
        stats = reextract(store=store, loader=default_loader)
        same = _rows_digest(store) == before
        fixes: list[float] = []
        for article in store.articles(limit=args.repeats * 3):
            if len(fixes) >= args.repeats:
                break
            place = next((p for p in store.places(article["id"]) if p["entry_id"]), None)
            other = place and next(
                (e for e in gaz.search(place["text"], limit=5) if e.id != place["entry_id"]), None
            )
            if other is None:
                continue
            store.add_correction(
                article_id=article["id"], start=place["start"], end=place["end"], entry_id=other.id
            )
            t0 = time.perf_counter()
            reextract([article["id"]], store=store, loader=default_loader)
            fixes.append(time.perf_counter() - t0)
        counts = store.stats()

    print(f"# Re-extraction, {args.n} synthetic articles, one process\n")
    print("| measure | figure |")
    print("|---|---:|")
    print(f"| ingest (for comparison) | {ingest_s:.1f} s, {args.n / ingest_s:.1f} articles/s |")
    print(
        f"| re-extract all | {stats.elapsed:.1f} s, {stats.articles / stats.elapsed:.1f} "
        f"articles/s |"
    )
    print(f"| rows unchanged after re-extracting all | {'yes' if same else 'NO'} |")
    if fixes:
        print(
            f"| Save fix (one article re-extracted), median / worst of {len(fixes)} | "
            f"{statistics.median(fixes) * 1000:.0f} / {max(fixes) * 1000:.0f} ms |"
        )
    print(
        f"| store | {counts['articles']} articles, {counts['incidents']} incidents, "
        f"{counts['places']} places |"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
