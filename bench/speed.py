"""Speed and memory benchmark: gazetteer load time, peak RSS, articles per second.

Measures

1. gazetteer load time in a fresh process (mean ± sd over ``--runs``, after one warm-up run that
   also builds the index if needed, so the OS file cache is warm);
2. peak resident memory (``resource.getrusage``) of a fresh process that loads the gazetteer and
   extracts the benchmark articles;
3. single-core throughput of :func:`extract.extract_article` in this process (gazetteer loaded);
   throughput figures are the best of ``--repeat`` runs, as other load on the machine only slows
   a run down;
4. throughput of the command line, ``python -m extract parse ... --workers W`` for W = 1 and 2:
   wall time including start-up, and steady state (start-up measured with one article and
   subtracted).

The articles are ~700 words of real news: GeoWebNews paragraphs (``../shared/eval``, read in place)
concatenated in order until each article reaches ``--words`` words (``--corpus geowebnews``,
default when present; over-long paragraphs are cut between sentences), or the bundled sample
``geodata/sample/kursk-clashes.txt`` with its paragraphs shuffled differently for each article
(``--corpus sample``).

Usage::

    .venv/bin/python bench/speed.py [--articles 300] [--runs 5] [--corpus geowebnews|sample]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

__all__ = ["main", "make_articles", "parallelism"]

GWN = ROOT.parent / "shared" / "eval" / "geowebnews.jsonl"
SAMPLE = ROOT / "geodata" / "sample" / "kursk-clashes.txt"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])")

_LOAD_SNIPPET = """
import json, time
t0 = time.perf_counter()
from geodata.gazetteer.index import load_gazetteer
t1 = time.perf_counter()
load_gazetteer()
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1}))
"""

_RSS_SNIPPET = """
import json, resource, sys
from geodata.gazetteer.index import load_gazetteer
from extract import extract_article
scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
gaz = load_gazetteer()
after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
for line in open(sys.argv[1], encoding="utf-8"):
    rec = json.loads(line)
    extract_article(rec["text"], gazetteer=gaz, doc_id=rec["id"])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
print(json.dumps({"after_load": after_load, "peak": peak}))
"""


def _units(text: str, *, max_words: int) -> list[str]:
    """Paragraphs of ``text``; a paragraph longer than ``max_words`` is cut between sentences."""
    units: list[str] = []
    for para in (p.strip() for p in text.split("\n")):
        if not para:
            continue
        if len(para.split()) <= max_words:
            units.append(para)
            continue
        piece: list[str] = []
        for sentence in _SENTENCE_END.split(para):
            piece.append(sentence)
            if len(" ".join(piece).split()) >= max_words:
                units.append(" ".join(piece))
                piece = []
        if piece:
            units.append(" ".join(piece))
    return units


def make_articles(corpus: str, *, n: int, words: int) -> list[dict[str, str]]:
    """Build ``n`` distinct articles of about ``words`` words from ``corpus``.

    ``geowebnews``: the GeoWebNews paragraphs in order, cut into consecutive articles (cycling
    when ``n`` needs more text than the corpus has). ``sample``: the sample's paragraphs, shuffled
    with a different seed for each article.

    Returns
    -------
    list of dict
        ``{"id", "text"}`` records, paragraphs separated by blank lines.
    """
    max_unit = max(50, words // 4)
    if corpus == "geowebnews":
        with GWN.open(encoding="utf-8") as fh:
            units = [u for line in fh for u in _units(json.loads(line)["text"], max_words=max_unit)]
    else:
        units = _units(SAMPLE.read_text(encoding="utf-8"), max_words=max_unit)
    articles: list[dict[str, str]] = []
    pos = 0
    while len(articles) < n:
        order = units
        if corpus == "sample":
            order = list(units)
            random.Random(len(articles)).shuffle(order)
            pos = 0
        chunk: list[str] = []
        count = 0
        while count < words:
            unit = order[pos % len(order)]
            pos += 1
            chunk.append(unit)
            count += len(unit.split())
        articles.append({"id": f"{corpus}-{len(articles)}", "text": "\n\n".join(chunk)})
    return articles


def _python(args: Sequence[str], **kw: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, check=True, **kw
    )


def _load_times(runs: int) -> tuple[list[float], list[float]]:
    _python(["-c", _LOAD_SNIPPET])  # warm-up: builds the index if needed, warms the file cache
    loads, walls = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = json.loads(_python(["-c", _LOAD_SNIPPET]).stdout)
        walls.append(time.perf_counter() - t0)
        loads.append(out["load_s"])
    return loads, walls


def _single_core(
    articles: list[dict[str, str]], *, repeat: int, incidents: bool = True
) -> tuple[float, list[float]]:
    """Best total time of ``repeat`` passes over ``articles``, and that pass's per-article times."""
    from extract import extract_article
    from geodata.gazetteer.index import load_gazetteer

    gaz = load_gazetteer()
    for rec in articles[:3]:  # warm-up
        extract_article(rec["text"], gazetteer=gaz, doc_id=rec["id"])
    best: tuple[float, list[float]] = (float("inf"), [])
    for _ in range(repeat):
        per_doc = []
        t0 = time.perf_counter()
        for rec in articles:
            t = time.perf_counter()
            extract_article(rec["text"], gazetteer=gaz, doc_id=rec["id"], incidents=incidents)
            per_doc.append(time.perf_counter() - t)
        best = min(best, (time.perf_counter() - t0, per_doc))
    return best


def _cli_wall(path: Path, workers: int, *, repeat: int) -> float:
    """Best wall time of ``repeat`` runs of the command line on ``path``."""
    cmd = ["-m", "extract", "parse", str(path), "--out", os.devnull, "-q"]
    walls = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        _python([*cmd, "--workers", str(workers)])
        walls.append(time.perf_counter() - t0)
    return min(walls)


def parallelism(n: int) -> float:
    """Effective parallel speed-up of ``n`` concurrent CPU-bound processes (``n`` at best)."""
    burn = ["-c", "s = 0\nfor i in range(12_000_000): s += i * i"]

    def wall(k: int) -> float:
        t0 = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, *burn]) for _ in range(k)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - t0

    return n * min(wall(1) for _ in range(2)) / min(wall(n) for _ in range(2))


def _mean_sd(values: Sequence[float]) -> str:
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {sd:.3f} s"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a markdown table; return the exit status."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=300, help="benchmark articles (default 300)")
    p.add_argument("--words", type=int, default=700, help="words per article (default 700)")
    p.add_argument("--runs", type=int, default=5, help="fresh-process load runs (default 5)")
    p.add_argument("--corpus", choices=("geowebnews", "sample"))
    p.add_argument(
        "--repeat", type=int, default=3, help="throughput runs; the best is kept (default 3)"
    )
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="CLI worker counts")
    args = p.parse_args(argv)
    corpus = args.corpus or ("geowebnews" if GWN.exists() else "sample")
    articles = make_articles(corpus, n=args.articles, words=args.words)
    n_words = [len(a["text"].split()) for a in articles]

    rows: list[tuple[str, str, str]] = []
    loads, walls = _load_times(args.runs)
    rows.append(
        (f"gazetteer load, fresh process (n={args.runs})", _mean_sd(loads), "load_gazetteer()")
    )
    rows.append(("  whole process (start, import, load)", _mean_sd(walls), "python -c ..."))

    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "articles.jsonl"
        batch.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
        one = Path(tmp) / "one.jsonl"
        one.write_text(json.dumps(articles[0]) + "\n", encoding="utf-8")

        rss = json.loads(_python(["-c", _RSS_SNIPPET, str(batch)]).stdout)
        rows.append(("peak RSS after gazetteer load", f"{rss['after_load'] / 2**20:.0f} MiB", ""))
        rows.append(
            (
                f"peak RSS after extracting {len(articles)} articles",
                f"{rss['peak'] / 2**20:.0f} MiB",
                "resource.getrusage(RUSAGE_SELF).ru_maxrss",
            )
        )

        for incidents, label, call in (
            (False, "single core, places only", "extract_article(text, incidents=False)"),
            (True, "single core, places + incidents", "extract_article(text, gazetteer=g)"),
        ):
            secs, per_doc = _single_core(articles, repeat=args.repeat, incidents=incidents)
            per_doc.sort()
            p95 = per_doc[int(0.95 * (len(per_doc) - 1))]
            rows.append(
                (
                    label,
                    f"{len(articles) / secs:.1f} articles/s ({sum(n_words) / secs:,.0f} words/s);"
                    f" median {statistics.median(per_doc) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms",
                    call,
                )
            )

        top = max(args.workers)
        if top > 1:
            rows.append(
                (
                    f"CPU parallelism available to {top} processes",
                    f"{parallelism(top):.2f}× (ideal {top}×)",
                    f"{top} concurrent pure-Python busy loops vs one",
                )
            )
        for workers in args.workers:
            startup = _cli_wall(one, workers, repeat=args.repeat)
            wall = _cli_wall(batch, workers, repeat=args.repeat)
            steady = (len(articles) - 1) / (wall - startup) if wall > startup else float("nan")
            rows.append(
                (
                    f"CLI, --workers {workers}",
                    f"{len(articles) / wall:.1f} articles/s incl. start-up ({wall:.1f} s); "
                    f"steady {steady:.1f} articles/s (start-up {startup:.1f} s)",
                    f"python -m extract parse articles.jsonl --workers {workers} --out /dev/null",
                )
            )

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"\nDateline speed: {len(articles)} articles of {min(n_words)}–{max(n_words)} words "
        f"(mean {statistics.mean(n_words):.0f}) from {corpus}; Python {platform.python_version()}, "
        f"{platform.machine()}, {cpus} CPUs available.\n"
        f"Command: `python bench/speed.py {' '.join(argv if argv is not None else sys.argv[1:])}`"
        "\n"
    )
    print("| measure | value | how |\n|---|---|---|")
    for measure, value, how in rows:
        print(f"| {measure} | {value} | {f'`{how}`' if how else ''} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
