"""Benchmark of ``python -m geodata gazetteer add``: a synthetic GeoNames dump of N rows.

Measures, each in a fresh process so peak memory is the step's own:

1. the add (:func:`geodata.gazetteer.added_sources.add_dump`): seconds, rows/s, peak RSS;
2. loading the gazetteer with the added dump: seconds and RSS after the load, against the
   built-in index alone;
3. places-only geoparsing speed (``extract_article(..., incidents=False)``) of ``--articles``
   articles made as ``bench/speed.py`` makes them, with and without the dump: the best of two
   passes, and the first pass alone (the merged gazetteer caches lookups per key, so the
   second pass over the same articles is warmer than fresh text would be).

The dump is written like a real one: 19 tab-separated columns; feature classes in GeoNames'
proportions (P 40 %, H 20 %, T 20 %, S 13 %, A 4 %, L 3 %); made-up names from syllables, most
rows without alternates, some with several (a few in Cyrillic); population 0 for most; 1 row in
50 carries the geonameid of a built-in place (so the merge path runs). ``--countries 1`` writes a
country file (``UA.txt``), more writes ``allCountries.txt``. The built-in index is copied from
the default cache into a temporary cache, which is deleted afterwards (``--keep`` keeps it).

Usage::

    .venv/bin/python bench/gazetteer_add.py                      # a country-sized file, 100k rows
    .venv/bin/python bench/gazetteer_add.py --rows 13000000 --countries 250   # allCountries size
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

__all__ = ["main", "write_dump"]

_SYLLABLES = (
    "ka ri no vo lo ma ze le ny hai po le sta ryi ko sho bo ro va chi ne ta la mi be ra du "
    "go ru sa to pe tri ol ek an dr ev yt sk ov in ba na ha zi lu mo vy sh"
).split()
_CYRILLIC = "абвгдежзиклмнопрстуфхцчшщюя"
# class, code, weight: roughly GeoNames' mix (allCountries: ~4.8 M P, ~2.6 M H, ~2.5 M T ...)
_FEATURES = [
    ("P", "PPL", 38),
    ("P", "PPLX", 2),
    ("H", "STM", 10),
    ("H", "LK", 5),
    ("H", "WLL", 5),
    ("T", "MT", 10),
    ("T", "HLL", 10),
    ("S", "FRM", 8),
    ("S", "SCH", 5),
    ("A", "ADM3", 3),
    ("A", "ADM2", 1),
    ("L", "AREA", 3),
]

_ADD_SNIPPET = """
import json, resource, sys, time
from geodata.gazetteer.added_sources import add_dump
t0 = time.perf_counter()
report = add_dump(sys.argv[1], cache_dir=sys.argv[2])
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak_rss": peak, "summary": report.summary(),
                  "new_entries": report.new_entries, "rows": report.rows}))
"""

_LOAD_SNIPPET = """
import json, resource, sys, time
import psutil
from geodata.gazetteer.index import load_gazetteer
added = sys.argv[2] == "1"
t0 = time.perf_counter()
gaz = load_gazetteer(cache_dir=sys.argv[1], added=added)
load_s = time.perf_counter() - t0
rss = psutil.Process().memory_info().rss
found = [e.id for e in gaz.lookup(sys.argv[3])]
from extract import extract_article
arts = json.load(open(sys.argv[4], encoding="utf-8"))
for a in arts[:3]:
    extract_article(a["text"], gazetteer=gaz, incidents=False)
best = first = None
for _ in range(2):
    t0 = time.perf_counter()
    for a in arts:
        extract_article(a["text"], gazetteer=gaz, incidents=False)
    s = time.perf_counter() - t0
    first = s if first is None else first
    best = s if best is None else min(best, s)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"load_s": load_s, "rss_after_load": rss, "peak_rss": peak,
                  "entries": len(gaz), "found": found, "articles_per_s": len(arts) / best,
                  "first_pass_per_s": len(arts) / first}))
"""


def _name(rng: random.Random) -> str:
    words = []
    for _ in range(rng.choice((1, 1, 1, 2))):
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        words.append(word.capitalize())
    return " ".join(words)


def write_dump(
    path: Path, *, rows: int, countries: int, base_gids: list[int], seed: int = 14
) -> None:
    """Write a synthetic GeoNames dump of ``rows`` rows to ``path`` (``.txt``)."""
    rng = random.Random(seed)
    codes = (
        ["UA"]
        if countries <= 1
        else [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(countries)]
    )
    features = [(c, f) for c, f, w in _FEATURES for _ in range(w)]
    gid_iter = iter(base_gids)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        buf: list[str] = []
        for i in range(rows):
            fc, code = rng.choice(features)
            gid = 20_000_000 + i
            if i % 50 == 0:
                gid = next(gid_iter, gid)  # a built-in place: its names are merged
            name = _name(rng)
            r = rng.random()
            alts: list[str] = []
            if r > 0.6:
                alts = [_name(rng) for _ in range(rng.randint(1, 3 if r < 0.9 else 12))]
                if rng.random() < 0.3:
                    alts.append("".join(rng.choice(_CYRILLIC) for _ in range(8)))
            pop = rng.choice((0, 0, 0, 0, 0, 0, 0, 120, 850, 4200)) if fc == "P" else 0
            lat = f"{rng.uniform(-60, 70):.5f}"
            lon = f"{rng.uniform(-180, 180):.5f}"
            cols = [
                str(gid), name, name, ",".join(alts), lat, lon, fc, code,
                rng.choice(codes), "", f"{rng.randint(1, 27):02d}", "", "", "", str(pop),
                "", "150", "Europe/Kyiv", "2024-05-14",
            ]  # fmt: skip
            buf.append("\t".join(cols))
            if len(buf) >= 50_000:
                fh.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            fh.write("\n".join(buf) + "\n")


def _run(snippet: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", snippet, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if out.returncode:
        sys.exit(f"step failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="dump rows (default 100k)")
    parser.add_argument("--countries", type=int, default=1, help="country codes (1: UA.txt)")
    parser.add_argument("--articles", type=int, default=100, help="articles for places-only speed")
    parser.add_argument("--keep", action="store_true", help="keep the temporary cache and dump")
    args = parser.parse_args(argv)

    from bench.speed import make_articles
    from geodata.gazetteer.index import default_cache_dir, index_dir, load_gazetteer

    base = load_gazetteer(added=False)  # builds the default index if needed
    work = Path(tempfile.mkdtemp(prefix="dateline-add-bench-"))
    try:
        cache = work / "cache"
        cache.mkdir()
        src = index_dir(default_cache_dir())
        shutil.copytree(src, cache / src.name)
        gids = [int(g) for g in base._gid.tolist() if g]
        random.Random(1).shuffle(gids)
        dump = work / ("UA.txt" if args.countries <= 1 else "allCountries.txt")
        t0 = time.perf_counter()
        write_dump(dump, rows=args.rows, countries=args.countries, base_gids=gids)
        size = dump.stat().st_size
        print(f"wrote {dump.name}: {args.rows:,} rows, {size / 2**20:.0f} MiB, "
              f"in {time.perf_counter() - t0:.0f}s")  # fmt: skip
        corpus = (
            "geowebnews"
            if (ROOT.parent / "shared" / "eval" / "geowebnews.jsonl").exists()
            else "sample"
        )
        arts_path = work / "articles.json"
        arts_path.write_text(json.dumps(make_articles(corpus, n=args.articles, words=700)))
        with dump.open(encoding="utf-8") as fh:
            fh.readline()
            probe_gid, probe = fh.readline().split("\t")[:2]  # row 1: a new place

        add = _run(_ADD_SNIPPET, str(dump), str(cache))
        print(add["summary"])
        print(
            f"add: {add['seconds']:.1f} s, {add['rows'] / add['seconds']:,.0f} rows/s, "
            f"peak RSS {add['peak_rss'] / 2**20:,.0f} MiB"
        )
        shard_bytes = sum(p.stat().st_size for p in (cache / "added").rglob("*") if p.is_file())
        print(f"shard on disk: {shard_bytes / 2**20:,.0f} MiB")
        for label, added in (("built-in only", "0"), ("with the dump", "1")):
            load = _run(_LOAD_SNIPPET, str(cache), added, probe, str(arts_path))
            print(
                f"{label}: {load['entries']:,} entries, load {load['load_s']:.2f} s, "
                f"RSS after load {load['rss_after_load'] / 2**20:,.0f} MiB, "
                f"places-only {load['articles_per_s']:.0f} articles/s ({corpus}; "
                f"first pass {load['first_pass_per_s']:.0f}), "
                f"peak RSS {load['peak_rss'] / 2**20:,.0f} MiB; "
                f"{probe!r} finds gn:{probe_gid}: {'gn:' + probe_gid in load['found']}"
            )
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
