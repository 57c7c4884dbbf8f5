"""Query speed of the event store on a SYNTHETIC store of 100k incidents.

    .venv/bin/python bench/query.py [--incidents 100000] [--runs 30] [--seed 7] [--keep DIR]

The data are synthetic (random, not real events): incidents at real city coordinates jittered
by up to ±0.3°, uniform random dates over 2023-2024 inserted in random order, ACLED-style event
types, made-up actors and sentences; 1-3 sources each among ``incidents / 2`` synthetic
articles. The store is built in a temporary directory through the store's own schema
(:class:`geodata.store.event_store.Store`), then bulk-loaded with DuckDB from pandas frames.

Each query goes through the public :class:`~geodata.store.event_store.Store` API, so every figure
includes attaching and detaching the file (the store keeps nothing open between calls). Printed:
median and 95th percentile over ``--runs`` runs, each over a different random month.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geodata.store.event_store import Store  # noqa: E402

__all__ = ["build_synthetic_store", "main"]

# (name, country, admin1, lat, lon): real cities, the synthetic events are scattered around them
_CITIES = [
    ("Kharkiv", "UA", "Kharkiv", 49.99, 36.23),
    ("Kyiv", "UA", "Kyiv City", 50.45, 30.52),
    ("Odesa", "UA", "Odesa", 46.48, 30.72),
    ("Zaporizhzhia", "UA", "Zaporizhzhia", 47.84, 35.14),
    ("Kursk", "RU", "Kursk", 51.73, 36.19),
    ("Belgorod", "RU", "Belgorod", 50.60, 36.59),
    ("Gaza", "PS", "Gaza Strip", 31.50, 34.47),
    ("Khan Younis", "PS", "Gaza Strip", 31.34, 34.31),
    ("Beirut", "LB", "Beirut", 33.89, 35.50),
    ("Damascus", "SY", "Damascus", 33.51, 36.29),
    ("Aleppo", "SY", "Aleppo", 36.20, 37.13),
    ("Khartoum", "SD", "Khartoum", 15.50, 32.56),
    ("El Fasher", "SD", "North Darfur", 13.63, 25.35),
    ("Goma", "CD", "North Kivu", -1.68, 29.22),
    ("Mogadishu", "SO", "Banaadir", 2.04, 45.34),
    ("Sanaa", "YE", "Amanat al Asimah", 15.37, 44.19),
    ("Kabul", "AF", "Kabul", 34.53, 69.17),
    ("Port-au-Prince", "HT", "Ouest", 18.54, -72.34),
    ("Culiacan", "MX", "Sinaloa", 24.80, -107.39),
    ("Mandalay", "MM", "Mandalay", 21.97, 96.08),
    ("Maiduguri", "NG", "Borno", 11.85, 13.16),
    ("Bamako", "ML", "Bamako", 12.64, -8.00),
    ("Nairobi", "KE", "Nairobi", -1.29, 36.82),
    ("Dhaka", "BD", "Dhaka", 23.81, 90.41),
    ("Paris", "FR", "Ile-de-France", 48.86, 2.35),
    ("Suva", "FJ", "Central", -18.14, 178.44),
]
_TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes"],
    "Explosions/Remote violence": [
        "Shelling/artillery/missile attack",
        "Air/drone strike",
        "Remote explosive/landmine/IED",
    ],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Arrests", "Agreement", "Looting/property destruction"],
}
_ACTORS = [
    "Russian forces",
    "Ukrainian forces",
    "Israeli forces",
    "Hamas",
    "Hezbollah",
    "Rapid Support Forces",
    "Sudanese Armed Forces",
    "M23",
    "al-Shabaab",
    "Houthis",
    "Taliban",
    "police",
    "protesters",
    "gang members",
    "civilians",
]


def build_synthetic_store(path: Path, *, n_incidents: int, seed: int = 7) -> dict[str, float]:
    """Create a store at ``path`` filled with ``n_incidents`` synthetic incidents."""
    import duckdb
    import pandas as pd

    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    Store(path).stats()  # creates the schema
    n_articles = max(n_incidents // 2, 1)
    base = np.datetime64("2023-01-01")
    days = 731
    article_ids = np.array([f"{k:016x}" for k in rng.permutation(n_articles * 4)[:n_articles]])
    published = base + rng.integers(0, days, n_articles).astype("timedelta64[D]")
    now = pd.Timestamp.now("UTC").tz_localize(None)
    articles = pd.DataFrame(
        {
            "id": article_ids,
            "source_id": [f"syn-{k}" for k in range(n_articles)],
            "title": [
                f"Synthetic report {k} on {_CITIES[k % len(_CITIES)][0]}" for k in range(n_articles)
            ],
            "url": [f"https://example.org/synthetic/{k}" for k in range(n_articles)],
            "source": rng.choice(["Example Wire", "Example Times", "Example Post"], n_articles),
            "published": published,
            "text": "Synthetic article text (benchmark data, not a real report).",
            "ingested_at": now,
        }
    )
    city = rng.integers(0, len(_CITIES), n_incidents)
    cities = [_CITIES[c] for c in city]
    types = list(_TYPES)
    etype = rng.integers(0, len(types), n_incidents)
    subs = [_TYPES[types[t]][rng.integers(0, len(_TYPES[types[t]]))] for t in etype]
    dates = base + rng.integers(0, days, n_incidents).astype("timedelta64[D]")
    fatal = rng.poisson(1.5, n_incidents).astype("float64")
    fatal[rng.random(n_incidents) < 0.4] = np.nan
    actor1 = rng.choice(_ACTORS, n_incidents)
    actor2 = rng.choice(_ACTORS + [None] * 5, n_incidents)
    n_src = rng.choice([1, 1, 1, 2, 2, 3], n_incidents)
    first = rng.integers(0, n_articles, n_incidents)
    ids = [f"syn{k:07d}" for k in range(n_incidents)]
    sentences = [
        f"Synthetic: {types[t].lower()} reported near {c[0]} ({a})."
        for t, c, a in zip(etype, cities, actor1, strict=True)
    ]
    incidents = pd.DataFrame(
        {
            "id": ids,
            "event_type": [types[t] for t in etype],
            "sub_event_type": subs,
            "date": dates,
            "date_precision": "day",
            "date_start": dates,
            "date_end": dates,
            "place_index": 0,
            "location": [c[0] for c in cities],
            "lat": [c[3] for c in cities] + rng.uniform(-0.3, 0.3, n_incidents),
            "lon": [c[4] for c in cities] + rng.uniform(-0.3, 0.3, n_incidents),
            "geo_precision": rng.choice([1, 2, 3], n_incidents),
            "country": [c[1] for c in cities],
            "admin1": [c[2] for c in cities],
            "actor1": actor1,
            "actor2": actor2,
            "fatalities": pd.array(fatal, dtype="Int32"),
            "injured": pd.array(np.where(rng.random(n_incidents) < 0.5, None, 2), dtype="Int32"),
            "sentence": sentences,
            "start": 0,
            "end": [len(s) for s in sentences],
            "confidence": rng.uniform(0.3, 1.0, n_incidents),
            "trigger": "reported",
            "time_precision": 1,
            "n_sources": n_src,
            "first_article_id": article_ids[first],
            "title": articles["title"].to_numpy()[first],
            "url": articles["url"].to_numpy()[first],
            "created_at": now,
            "updated_at": now,
        }
    )
    src_inc = np.repeat(np.arange(n_incidents), n_src)
    pos = np.concatenate([np.arange(k) for k in n_src])
    src_art = np.where(pos == 0, first[src_inc], rng.integers(0, n_articles, len(src_inc)))
    sources = pd.DataFrame(
        {
            "incident_id": np.array(ids)[src_inc],
            "article_id": article_ids[src_art],
            "position": pos,
            "sentence": np.array(sentences)[src_inc],
            "start": 0,
            "end": 40,
            "added_at": now,
        }
    )
    t1 = time.perf_counter()
    con = duckdb.connect(str(path))
    try:
        con.execute("BEGIN")
        for table, frame in (
            ("articles", articles),
            ("incidents", incidents),
            ("incident_sources", sources),
        ):
            con.register("frame", frame)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
            con.unregister("frame")
        con.execute("COMMIT")
    finally:
        con.close()
    t2 = time.perf_counter()
    return {"generate_s": t1 - t0, "load_s": t2 - t1, "articles": n_articles}


def _time(fn: Callable[[int], Any], runs: int) -> tuple[float, float, Any]:
    fn(0)  # warm-up
    times = []
    out = None
    for k in range(runs):
        t = time.perf_counter()
        out = fn(k)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", metavar="DIR", help="build the store in DIR and keep it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="dateline-bench-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "synthetic.duckdb"
        if path.exists():
            path.unlink()
        built = build_synthetic_store(path, n_incidents=args.incidents, seed=args.seed)
        store = Store(path)
        stats = store.stats()
        rng = np.random.default_rng(args.seed + 1)
        months = [(2023 + m // 12, m % 12 + 1) for m in rng.integers(0, 24, args.runs + 1)]

        def window(k: int) -> dict[str, str]:
            y, m = months[k]
            end_day = (np.datetime64(f"{y}-{m:02d}") + 1).astype("datetime64[D]") - 1
            return {"start": f"{y}-{m:02d}-01", "end": str(end_day)}

        lim = 10_000
        some = {"types": ["Battles", "Protests"], "countries": ["UA", "SD"]}
        queries: list[tuple[str, Callable[[int], Any]]] = [
            (
                "incidents(one month, limit=10000)",
                lambda k: store.incidents(**window(k), limit=lim),
            ),
            (
                "incidents_frame(one month, limit=10000)",
                lambda k: store.incidents_frame(**window(k), limit=lim),
            ),
            (
                "incidents(one month, 2 types, 2 countries)",
                lambda k: store.incidents(**window(k), **some, limit=lim),
            ),
            (
                "incidents(one month, text='kharkiv')",
                lambda k: store.incidents(**window(k), text="kharkiv", limit=lim),
            ),
            ("counts_per_day() (all 2 years)", lambda k: store.counts_per_day()),
            ("counts_per_day(one month)", lambda k: store.counts_per_day(**window(k))),
            ("date_range()", lambda k: store.date_range()),
            ("facets()", lambda k: store.facets()),
        ]
        print(
            f"SYNTHETIC store: {stats['incidents']:,} incidents, {stats['articles']:,} articles,"
            f" {stats['sources']:,} source rows, {stats['db_bytes'] / 2**20:.1f} MiB;"
            f" generated in {built['generate_s']:.1f} s, bulk-loaded in {built['load_s']:.1f} s"
        )
        print(f"command: .venv/bin/python bench/query.py --incidents {args.incidents}"
              f" --runs {args.runs} --seed {args.seed}")  # fmt: skip
        print()
        print("| query | median ms | p95 ms | rows |")
        print("|---|---:|---:|---:|")
        for name, fn in queries:
            med, p95, out = _time(fn, args.runs)
            print(f"| {name} | {med:.1f} | {p95:.1f} | {len(out) if out is not None else ''} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
